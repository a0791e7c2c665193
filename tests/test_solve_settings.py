"""Two settings of a HiGHS solve that are not the user's: the interrupt callbacks, turned on
only when a solve is to stop, and the sub-MIP heuristics, off in the re-solves that
confirm why money stays unspent (docs/architecture.md, docs/unspent.md)."""

from __future__ import annotations

import pyomo.core as pyo
from support.generator import small_instance
from test_unspent import two_reasons

from planner.analyses.unspent import confirm_row, largest
from planner.data.derive import derive
from planner.input.loading import instance_from_data
from planner.models import build_model
from planner.solving import persistent
from planner.solving.api import solve
from planner.solving.solver import OPTIMAL, SolverOptions, new_solver, run_highs


def _model() -> pyo.ConcreteModel:
    return build_model(derive(instance_from_data(small_instance(0), "test")))


def test_a_solve_runs_without_interrupt_callbacks_until_a_cancel():
    solver = new_solver()
    run = run_highs(_model(), SolverOptions(), solver)
    assert run.status == OPTIMAL
    assert solver.highs.HandleUserInterrupt is False
    solver.cancel()
    assert solver.highs.HandleUserInterrupt is True


def test_a_cancel_before_highs_starts_stops_the_solve():
    """The callbacks turned on by the cancel are read when HiGHS starts: it stops at its
    first check, with no plan proven."""
    solver = new_solver()
    model = _model()
    solver.refresh(model)
    solver.cancel()
    outcome = solver.run(threads=1, random_seed=0, mip_gap=1e-6, presolve=True,
                         time_limit_seconds=None, keep_start=True, sub_mip_heuristics=True)
    assert outcome.termination == "interrupted"


def test_the_sub_mip_heuristics_setting_reaches_highs():
    solver = new_solver()
    model = _model()
    for wanted in (False, True):
        run = run_highs(model, SolverOptions(sub_mip_heuristics=wanted), solver)
        assert run.status == OPTIMAL
        for name in ("mip_heuristic_run_rins", "mip_heuristic_run_rens"):
            assert solver.highs.getOptionValue(name)[1] is wanted


def test_the_confirming_re_solves_run_without_sub_mip_heuristics(monkeypatch):
    """Every re-solve of a confirmation asks HiGHS for no RINS or RENS; the plan's own
    solve keeps them."""
    settings: list[bool] = []
    run = persistent.HighsSolver.run

    def recording(self, **options):
        settings.append(options.get("sub_mip_heuristics", True))
        return run(self, **options)

    monkeypatch.setattr(persistent.HighsSolver, "run", recording)
    # The hand-worked instance of tests/test_unspent.py: 4 GPUs stopped by a EuroHPC cap.
    plan = solve(instance_from_data(two_reasons(), "two-reasons"))
    assert settings == [True]
    confirm_row(plan, largest(plan.tables["unspent"]))
    assert plan.tables["unspent"]["confirmed"].dropna().tolist() == [True]
    assert len(settings) > 1 and settings[1:] == [False] * (len(settings) - 1)
