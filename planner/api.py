"""The Python API the command line uses too: `load_instance`, `solve`.

    from planner import load_instance, solve
    plan = solve(load_instance("instances/norway-2025.yaml"))
    plan.financing        # Tabell 1 layout, MNOK
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyomo.environ as pyo

from planner import __version__
from planner.derive import ModelData, derive
from planner.diagnostics import bound_warnings, violation_warnings
from planner.marginal import budget_marginal_values
from planner.models import build_model
from planner.models.objective import coverage_floor, weighted_unserved_demand
from planner.models.redundancy import deactivate_redundancy, read_reservations
from planner.models.solution import Solution, read_solution
from planner.numerics import range_warnings
from planner.plan import PLAN_SCHEMA_VERSION, Plan
from planner.schema import FORMAT_VERSION, Instance
from planner.solver import (
    DEFAULT_MIP_GAP,
    OPTIMAL,
    STOPPED_WITH_PLAN,
    SolverOptions,
    SolverRun,
    new_solver,
    run_highs,
    set_mip_start,
)
from planner.tables import all_tables, redundancy_table

MODEL_FILE_SUFFIXES = (".mps", ".lp")


def instance_sha256(instance: Instance) -> str:
    """A fingerprint of the validated instance, for plans solved from memory, not a file."""
    return hashlib.sha256(instance.model_dump_json().encode()).hexdigest()


def write_model_file(model: pyo.ConcreteModel, path: str | Path) -> None:
    """The built model as an MPS or LP file, with readable names, for other solvers."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in MODEL_FILE_SUFFIXES:
        raise ValueError(f"{path}: expected a file name ending in .mps or .lp")
    # Written beside its final name and renamed, so a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=suffix,
                                         dir=path.parent or ".")
    os.close(handle)
    try:
        model.write(temporary, io_options={"symbolic_solver_labels": True})
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


PRIORITIES = ("cost", "coverage")


def solve(
    instance: Instance,
    *,
    time_limit_seconds: float | None = None,
    mip_gap: float = DEFAULT_MIP_GAP,
    threads: int = 1,
    priority: str = "cost",
    marginal_values: bool = True,
    write_model: str | Path | None = None,
    instance_file: str | Path | None = None,
) -> Plan:
    """Build the model of `instance`, solve it with HiGHS and return the plan.

    `priority="cost"` minimises the discounted cost with unserved demand at its penalty;
    `priority="coverage"` first serves as much demand as the caps allow (weighted by
    `unmet_penalty`), then finds the cheapest plan that serves that much (within the MIP
    gap; use a gap of 1e-3 or so, as closing both stages to 1e-6 can take long).

    The plan's `metadata["status"]` is one of optimal, stopped_with_plan,
    stopped_without_plan, infeasible, unbounded, error; its tables are filled only when
    HiGHS found a plan.

    An instance with `scenarios` is solved as one two-stage problem (its extensive form,
    `planner.stochastic.solve_scenarios`): the plan's objective is the expected cost and
    its tables have a `scenario` column (docs/scenarios.md).
    """
    if priority not in PRIORITIES:
        raise ValueError(f"priority must be one of {PRIORITIES}, got {priority!r}")
    if instance.scenarios:
        from planner.stochastic import solve_scenarios

        return solve_scenarios(instance, time_limit_seconds=time_limit_seconds,
                               mip_gap=mip_gap, threads=threads, priority=priority,
                               write_model=write_model, instance_file=instance_file)
    started = time.perf_counter()
    data = derive(instance)
    model = build_model(data)
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
                                 instance_file, extra)
        extra["least_weighted_unserved_mnok"] = first.objective
        coverage_floor(model, data, first.objective * (1 + options.mip_gap))
        set_mip_start(solver, model)
        keep_start = True
    run = run_highs(model, options, solver, keep_start=keep_start)
    plan = plan_from_run(instance, data, model, run, options, build_seconds, instance_file,
                         extra, marginal_values=marginal_values)
    if data.redundant_workloads and plan.has_plan and priority == "cost":
        add_redundancy_cost(plan, model, options)
    return plan


def add_redundancy_cost(plan: Plan, model: pyo.ConcreteModel, options: SolverOptions) -> None:
    """What N-1 redundancy costs: the same model solved again without its redundancy rows.

    Adds `objective_without_redundancy_mnok` and `redundancy_cost_mnok` (the plan's
    objective minus it; None when the model without redundancy is not solved to
    optimality) to the plan's summary. The solve starts from the plan with redundancy
    (still feasible without it), so the objective without redundancy is never above it.

    Both objectives are within the MIP gap of their optima, so the difference is only
    known within the two solves' bounds: the true cost lies in
    `redundancy_cost_bounds_mnok` = [max(0, bound with − objective without),
    objective with − bound without], which a planner needs when the cost is small
    beside the gap.
    """
    relaxed = model.clone()  # the clone keeps the plan's values: the start
    for block in [relaxed, *relaxed.component_data_objects(pyo.Block, descend_into=True)]:
        if block.component("redundancy_cover") is not None:
            deactivate_redundancy(block)
    solver = new_solver()
    solver.set_instance(relaxed)
    set_mip_start(solver, relaxed)
    run = run_highs(relaxed, options, solver, keep_start=True)
    without = run.objective if run.status == OPTIMAL else None
    plan.summary["objective_without_redundancy_mnok"] = without
    with_redundancy = plan.summary["objective_mnok"]
    plan.summary["redundancy_cost_mnok"] = (
        None if without is None else with_redundancy - without)
    bound_with = plan.metadata.get("bound_mnok")
    if without is None or bound_with is None or run.bound is None:
        plan.summary["redundancy_cost_bounds_mnok"] = None
    else:
        plan.summary["redundancy_cost_bounds_mnok"] = [
            max(0.0, bound_with - without),
            max(0.0, with_redundancy - run.bound)]


def plan_from_run(instance: Instance, data: ModelData, model: pyo.ConcreteModel,
                  run: SolverRun, options: SolverOptions, build_seconds: float,
                  instance_file: str | Path | None = None, extra: dict | None = None,
                  marginal_values: bool = False) -> Plan:
    """The plan of one solver run: tables and summary where there is a plan, metadata always."""
    tables, summary, warnings = {}, {}, []
    if run.status in (OPTIMAL, STOPPED_WITH_PLAN):
        solution = read_solution(model, data)
        tables = all_tables(data, solution)
        summary = cost_summary(data, solution)
        warnings = bound_warnings(data, solution) + violation_warnings(
            model, solver=run.persistent)
        if data.redundant_workloads:
            tables["redundancy"] = redundancy_table(data, solution, read_reservations(model))
        if marginal_values and run.status == OPTIMAL:
            _add_marginal_values(tables["budget"], model, options, run.persistent)
    metadata = _metadata(instance, run, options, build_seconds) | (extra or {})
    metadata["warnings"] = range_warnings(data) + warnings
    if instance_file is not None:
        # The file's own fingerprint, so a plan can be matched to the exact text it came from.
        metadata["instance_file"] = str(instance_file)
        metadata["instance_sha256"] = hashlib.sha256(Path(instance_file).read_bytes()).hexdigest()
    return Plan(instance=instance, metadata=metadata, summary=summary, tables=tables)


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


def cost_summary(data: ModelData, solution: Solution) -> dict[str, float]:
    """The objective taken apart: what is spent, what unserved demand costs, what is credited."""
    years = data.years
    spending = {y: solution.national_capex_mnok[y] + solution.eurohpc_capex_mnok[y]
                + solution.opex_mnok[y] for y in years}
    return {
        "objective_mnok": solution.objective_mnok,
        "spending_mnok": sum(spending.values()),
        "national_investment_mnok": sum(solution.national_capex_mnok.values()),
        "eurohpc_investment_mnok": sum(solution.eurohpc_capex_mnok.values()),
        "operations_mnok": sum(solution.opex_mnok.values()),
        "unserved_penalty_mnok": sum(solution.unserved_penalty_mnok.values()),
        "discounted_spending_mnok": sum(data.discount[y] * spending[y] for y in years),
        "discounted_unserved_penalty_mnok": sum(
            data.discount[y] * solution.unserved_penalty_mnok[y] for y in years),
        "salvage_mnok": solution.salvage_mnok,
    }


def _metadata(instance: Instance, run: SolverRun, options: SolverOptions,
              build_seconds: float) -> dict:
    return {
        "instance_name": instance.name,
        "instance_file": None,
        "instance_sha256": instance_sha256(instance),
        "format_version": FORMAT_VERSION,
        "plan_schema_version": PLAN_SCHEMA_VERSION,
        "tool": "hpc-planner",
        "tool_version": __version__,
        "solver": run.solver,
        "solver_version": run.solver_version,
        "status": run.status,
        "proven_optimal": run.status == OPTIMAL,
        "termination": run.termination,
        "objective_mnok": run.objective,
        "bound_mnok": run.bound,
        "gap": run.gap,
        "mip_gap_requested": options.mip_gap,
        "time_limit_seconds": options.time_limit_seconds,
        "threads": options.threads,
        "random_seed": options.random_seed,
        "build_seconds": round(build_seconds, 4),
        "solve_seconds": round(run.seconds, 4),
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
    }
