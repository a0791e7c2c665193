"""The one-stage solve (`planner.solve` sends a two-stage instance to `planner.analyses`).

    from planner import load_instance, solve
    plan = solve(load_instance("instances/norway-2025.yaml"))
    plan.financing        # Tabell 1 layout, MNOK
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyomo.core as pyo

from planner.data.derive import ModelData, derive
from planner.data.numerics import range_warnings
from planner.input.schema import Instance
from planner.models import build_model
from planner.models.objective import coverage_floor, weighted_unserved_demand
from planner.models.redundancy import read_reservations
from planner.models.solution import read_solution
from planner.results.diagnostics import bound_warnings, history_overrun_warnings
from planner.results.plan import Plan
from planner.results.tables import all_tables, coverage_table, redundancy_table
from planner.results.unspent import batch_max_units, unspent_table
from planner.solving.collection import fewer_collections
from planner.solving.marginal import budget_marginal_values
from planner.solving.shared import (
    add_redundancy_cost,
    cost_summary,
    run_metadata,
    write_model_file,
)
from planner.solving.solver import (
    DEFAULT_MIP_GAP,
    OPTIMAL,
    STOPPED_WITH_PLAN,
    SolverOptions,
    SolverRun,
    new_solver,
    run_highs,
    set_mip_start,
)
from planner.solving.violations import violation_warnings

PRIORITIES = ("cost", "coverage")


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
        return _solve(instance, time_limit_seconds, mip_gap, threads, priority,
                      marginal_values, write_model, instance_file, extra_rules,
                      figures_only)


def _solve(instance: Instance, time_limit_seconds: float | None, mip_gap: float,
           threads: int, priority: str | None, marginal_values: bool,
           write_model: str | Path | None, instance_file: str | Path | None,
           extra_rules: Callable[[pyo.ConcreteModel, ModelData], None] | None,
           figures_only: bool) -> Plan:
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
                            threads=threads)
    extra: dict = {"priority": priority}
    solver = new_solver()
    keep_start = False
    if priority == "coverage":
        # Lexicographic: the least weighted unserved demand first, then the cheapest plan
        # within the MIP gap of it, started from the first stage's plan (docs/model.md).
        weighted_unserved_demand(model, data)
        first = run_highs(model, options, solver)
        if first.status != OPTIMAL:
            return plan_from_run(instance, data, model, first, options, build_seconds,
                                 instance_file, extra, figures_only=figures_only)
        extra["least_weighted_unserved_mnok"] = first.objective
        coverage_floor(model, data, first.objective * (1 + options.mip_gap))
        set_mip_start(solver, model)
        keep_start = True
    run = run_highs(model, options, solver, keep_start=keep_start)
    plan = plan_from_run(instance, data, model, run, options, build_seconds, instance_file,
                         extra, marginal_values=marginal_values, figures_only=figures_only)
    if data.redundant_workloads and plan.has_plan and priority == "cost" \
            and not figures_only:
        add_redundancy_cost(plan, model, options)
    return plan


def plan_from_run(instance: Instance, data: ModelData, model: pyo.ConcreteModel,
                  run: SolverRun, options: SolverOptions, build_seconds: float,
                  instance_file: str | Path | None = None, extra: dict | None = None,
                  marginal_values: bool = False, figures_only: bool = False) -> Plan:
    """The plan of one solver run: tables and summary where there is a plan, metadata always.
    With `figures_only` (a sweep point that keeps only its figures) the plan has its
    summary and its `coverage` table and no other table."""
    tables, summary, warnings = {}, {}, []
    if run.status in (OPTIMAL, STOPPED_WITH_PLAN):
        solution = read_solution(model, data, evaluate=run.persistent.evaluate)
        summary = cost_summary(data, solution)
        warnings = (bound_warnings(data, solution)
                    + violation_warnings(model, solver=run.persistent))
        if figures_only:
            tables = {"coverage": coverage_table(data, solution)}
        else:
            tables = all_tables(data, solution)
            warnings += history_overrun_warnings(tables["budget"])
            if data.redundant_workloads:
                tables["redundancy"] = redundancy_table(data, solution,
                                                        read_reservations(model))
            unspent = unspent_table(data, tables, (extra or {}).get("priority", "cost"),
                                    batch_max_units(instance))
            if len(unspent):  # money left under a cap while demand goes unserved: why
                tables["unspent"] = unspent
            if marginal_values and run.status == OPTIMAL:
                _add_marginal_values(tables["budget"], model, options, run.persistent)
    metadata = run_metadata(instance, run, options, build_seconds) | (extra or {})
    metadata["warnings"] = range_warnings(data) + warnings
    if instance_file is not None:
        # The file's own fingerprint, so a plan can be matched to the exact text it came from.
        metadata["instance_file"] = str(instance_file)
        metadata["instance_sha256"] = hashlib.sha256(Path(instance_file).read_bytes()).hexdigest()
    held = run.persistent is not None and getattr(run.persistent, "model", None) is model
    return Plan(instance=instance, metadata=metadata, summary=summary, tables=tables,
                model_variables=len(run.persistent.variables) if held else None)


def _add_marginal_values(budget: pd.DataFrame, model: pyo.ConcreteModel,
                         options: SolverOptions, solver: object) -> None:
    """Column `marginal_value_mnok_per_mnok` of the budget table, for binding caps."""
    keys = [(row.cap, 0 if pd.isna(row.year) else int(row.year))
            for row in budget.itertuples() if row.binding]
    values = budget_marginal_values(model, keys, options, solver) or {}
    budget["marginal_value_mnok_per_mnok"] = [
        values.get((row.cap, 0 if pd.isna(row.year) else int(row.year)))
        for row in budget.itertuples()
    ]
