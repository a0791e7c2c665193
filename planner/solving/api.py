"""The one-stage solve (`planner.solve` sends a two-stage instance to `planner.analyses`).

    from planner import load_instance, solve
    plan = solve(load_instance("instances/norway-2025.yaml"))
    plan.financing        # Tabell 1 layout, MNOK
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyomo.core as pyo

from planner.data.derive import ModelData, derive
from planner.input.schema import Instance
from planner.models import build_model
from planner.models.objective import coverage_floor, weighted_unserved_demand
from planner.solving.collection import fewer_collections
from planner.solving.model_file import write_model_file
from planner.solving.solver import (
    DEFAULT_MIP_GAP,
    OPTIMAL,
    HighsSolver,
    SolverOptions,
    SolverRun,
    new_solver,
    run_highs,
    set_mip_start,
)
from planner.solving.warmup import import_while_solving

if TYPE_CHECKING:
    from planner.results.plan import Plan

PRIORITIES = ("cost", "coverage")

# What reads the plan once HiGHS has one (pandas, the results stage): imported while
# HiGHS solves (planner.solving.warmup).
PLAN_READER = "planner.solving.plan_reader"


def __getattr__(name: str):
    # `planner.solving.api.plan_from_run`, as before it moved: loaded on first use.
    if name == "plan_from_run":
        from planner.solving.plan_reader import plan_from_run

        return plan_from_run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def solve(
    instance: Instance,
    *,
    time_limit_seconds: float | None = None,
    mip_gap: float = DEFAULT_MIP_GAP,
    threads: int = 1,
    priority: str | None = None,
    marginal_values: bool = True,
    write_model: str | Path | None = None,
    instance_file: str | Path | None = None,
    extra_rules: Callable[[pyo.ConcreteModel, ModelData], None] | None = None,
    figures_only: bool = False,
) -> Plan:
    """Build the model of `instance`, solve it with HiGHS and return the plan.

    `priority="cost"` minimises the discounted cost with unserved demand at its penalty;
    `priority=None` takes the instance's own `priority` (default cost);
    `priority="coverage"` first serves as much demand as the caps allow (weighted by
    `unmet_penalty`), then finds the cheapest plan that serves that much (within the MIP
    gap; use a gap of 1e-3 or so, as closing both stages to 1e-6 can take long).

    The plan's `metadata["status"]` is one of optimal, stopped_with_plan,
    stopped_without_plan, infeasible, unbounded, error; its tables are filled only when
    HiGHS found a plan.

    This is the one-stage solve. `planner.solve` (`planner.analyses.facade.solve`) takes
    any instance and sends one with `scenarios` to the two-stage solve
    (`planner.analyses.stochastic.solve_scenarios`, docs/scenarios.md).

    `extra_rules(model, data)`, if given, adds rows the instance format cannot state to the
    built model before it is solved (`planner.analyses.audit`: a cap on a financing line's
    total over the years).

    With `figures_only` the plan has its summary and coverage table only, and no
    redundancy cost (a re-solve that asks how much demand is served, `plan_from_run`).
    """
    with fewer_collections():
        prepared = _prepare(instance, time_limit_seconds, mip_gap, threads, priority,
                            write_model, extra_rules)
        with import_while_solving(PLAN_READER):
            outcome = _run(prepared)
        return _finish(prepared, outcome, marginal_values, instance_file, figures_only)


def solve_side_by_side(instances: Sequence[Instance], *,
                       time_limit_seconds: float | None = None,
                       mip_gap: float = DEFAULT_MIP_GAP, threads: int = 1,
                       priority: str | None = None, figures_only: bool = False,
                       start: np.ndarray | None = None,
                       sub_mip_heuristics: bool = True) -> list[Plan]:
    """The plans of several instances, each as `solve` makes it (without marginal values),
    HiGHS solving them at the same time.

    The models are built one after another in this thread; HiGHS then solves each in a
    thread of its own (it leaves Python's lock while it solves, so on a machine with a
    core per model they take as long as the longest), and the plans are read in the
    instances' order. Each solve is the one `solve` makes, so the plans are the same
    as one by one (`planner.analyses.unspent` re-solves two relaxations at a time).

    `start`, a plan's `column_values`, is handed to HiGHS as a starting plan for each
    solve by cost whose model has as many columns (the same model with other caps or
    penalties: a relaxation of the plan's own, which the plan still satisfies).
    `sub_mip_heuristics` (`SolverOptions`) may be turned off where that start is good.
    """
    with fewer_collections():
        prepared = [_prepare(instance, time_limit_seconds, mip_gap, threads, priority,
                             None, None, sub_mip_heuristics) for instance in instances]
        for each in prepared:
            if each.extra["priority"] == "cost":
                each.solver.refresh(each.model)  # handed to HiGHS here: the threads only solve
                if start is not None:
                    each.keep_start = each.solver.start_from(start)
        # By coverage, a solve changes its model between its two runs: those stay here.
        if len(prepared) > 1 and all(each.extra["priority"] == "cost" for each in prepared):
            with ThreadPoolExecutor(max_workers=len(prepared),
                                    thread_name_prefix="side-by-side") as pool:
                outcomes = list(pool.map(_run, prepared))
        else:
            outcomes = [_run(each) for each in prepared]
        return [_finish(each, outcome, False, None, figures_only)
                for each, outcome in zip(prepared, outcomes, strict=True)]


@dataclass
class _Prepared:
    """A built model and what its solve needs."""

    instance: Instance
    data: ModelData
    model: pyo.ConcreteModel
    options: SolverOptions
    build_seconds: float
    extra: dict  # plan metadata the solve adds (priority, the coverage stage's figure)
    solver: HighsSolver
    keep_start: bool = False  # a starting plan was handed to HiGHS (solve_side_by_side)


def _prepare(instance: Instance, time_limit_seconds: float | None, mip_gap: float,
             threads: int, priority: str | None, write_model: str | Path | None,
             extra_rules: Callable[[pyo.ConcreteModel, ModelData], None] | None,
             sub_mip_heuristics: bool = True) -> _Prepared:
    priority = priority or instance.priority or "cost"
    if priority not in PRIORITIES:
        raise ValueError(f"priority must be one of {PRIORITIES}, got {priority!r}")
    if instance.scenarios:
        raise ValueError(f"{instance.name} has scenarios: solve it with planner.solve, "
                         "which solves a two-stage instance as one problem")
    started = time.perf_counter()
    data = derive(instance)
    model = build_model(data)
    if extra_rules is not None:
        extra_rules(model, data)
    build_seconds = time.perf_counter() - started
    if write_model is not None:
        write_model_file(model, write_model)
    options = SolverOptions(time_limit_seconds=time_limit_seconds, mip_gap=mip_gap,
                            threads=threads, sub_mip_heuristics=sub_mip_heuristics)
    return _Prepared(instance, data, model, options, build_seconds, {"priority": priority},
                     new_solver())


def _finish(prepared: _Prepared, outcome: tuple[SolverRun, bool], marginal_values: bool,
            instance_file: str | Path | None, figures_only: bool) -> Plan:
    # Imported while HiGHS solved (or waited for here, when HiGHS was quicker).
    from planner.solving.plan_reader import plan_from_run
    from planner.solving.shared import add_redundancy_cost

    run, finished = outcome
    data, model, options = prepared.data, prepared.model, prepared.options
    plan = plan_from_run(prepared.instance, data, model, run, options,
                         prepared.build_seconds, instance_file, prepared.extra,
                         marginal_values=marginal_values and finished,
                         figures_only=figures_only)
    if data.redundant_workloads and plan.has_plan and prepared.extra["priority"] == "cost" \
            and not figures_only:
        add_redundancy_cost(plan, model, options)
    return plan


def _run(prepared: _Prepared) -> tuple[SolverRun, bool]:
    """HiGHS's run on the model, and whether it is the last stage's.

    By cost: one run. By coverage (lexicographic): the least weighted unserved demand
    first, then the cheapest plan within the MIP gap of it, started from the first stage's
    plan (docs/model.md); a first stage without an optimum is the run returned."""
    model, data, options, extra = (prepared.model, prepared.data, prepared.options,
                                   prepared.extra)
    solver = prepared.solver
    if extra["priority"] != "coverage":
        return run_highs(model, options, solver, keep_start=prepared.keep_start), True
    weighted_unserved_demand(model, data)
    first = run_highs(model, options, solver)
    if first.status != OPTIMAL:
        return first, False
    extra["least_weighted_unserved_mnok"] = first.objective
    coverage_floor(model, data, first.objective * (1 + options.mip_gap))
    set_mip_start(solver, model)
    return run_highs(model, options, solver, keep_start=True), True
