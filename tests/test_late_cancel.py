"""A cancel that reaches a solve only as HiGHS returns (a newer browser request, a signal):
the finished solve's plan is still read, and the next solve gets a fresh HiGHS object
(HiGHS keeps a cancelled object's interrupt and would stop every later solve at once)."""

from __future__ import annotations

import threading

from support.generator import small_instance

from planner.data.derive import derive
from planner.input.loading import instance_from_data
from planner.models import build_model
from planner.solving import interrupts
from planner.solving.persistent import HighsSolver
from planner.solving.solver import OPTIMAL, SolverOptions, new_solver, run_highs


def test_a_cancel_as_highs_returns_keeps_the_plan_and_renews_the_object(monkeypatch):
    model = build_model(derive(instance_from_data(small_instance(1), "late")))
    expected = run_highs(model, SolverOptions(), new_solver())
    solver = new_solver()
    real_run = HighsSolver.run

    def run_then_cancelled(self, **options):
        outcome = real_run(self, **options)
        interrupts.cancel_solve(self)  # lands after HiGHS finished, before the solve ends
        return outcome

    monkeypatch.setattr(HighsSolver, "run", run_then_cancelled)
    outcome = {}
    # From a thread of its own, as the server solves (no signal handler involved).
    worker = threading.Thread(target=lambda: outcome.update(
        run=run_highs(model, SolverOptions(), solver)))
    worker.start()
    worker.join(timeout=120)
    late = outcome["run"]
    assert late.status == OPTIMAL and late.objective == expected.objective
    spent = solver.highs
    monkeypatch.setattr(HighsSolver, "run", real_run)
    again = run_highs(model, SolverOptions(), solver)
    assert solver.highs is not spent  # passed to a fresh object
    assert again.status == OPTIMAL and again.objective == expected.objective
