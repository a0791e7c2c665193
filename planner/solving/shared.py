"""What the one-stage solve (`planner.solving.api`) and the two-stage solve
(`planner.analyses.stochastic`) share once HiGHS has solved: a run's metadata, the cost
summary and the cost of N-1 redundancy."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pyomo.core as pyo

from planner import __version__
from planner.data.derive import ModelData
from planner.input.schema import FORMAT_VERSION, Instance
from planner.models.redundancy import deactivate_redundancy
from planner.models.solution import Solution
from planner.results.plan import PLAN_SCHEMA_VERSION, Plan
from planner.solving.solver import (
    OPTIMAL,
    SolverOptions,
    SolverRun,
    new_solver,
    run_highs,
    set_mip_start,
)


def instance_sha256(instance: Instance) -> str:
    """A fingerprint of the validated instance, for plans solved from memory, not a file."""
    return hashlib.sha256(instance.model_dump_json().encode()).hexdigest()


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
    set_mip_start(solver, relaxed)
    run = run_highs(relaxed, options, solver, keep_start=True)
    without = run.objective if run.status == OPTIMAL else None
    with_redundancy = plan.summary["objective_mnok"]
    bound_with = plan.metadata.get("bound_mnok")
    bounds = None
    if without is not None and bound_with is not None and run.bound is not None:
        bounds = [max(0.0, bound_with - without), max(0.0, with_redundancy - run.bound)]
    plan.summary |= {
        "objective_without_redundancy_mnok": without,
        "redundancy_cost_mnok": None if without is None else with_redundancy - without,
        "redundancy_cost_bounds_mnok": bounds}


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


def run_metadata(instance: Instance, run: SolverRun, options: SolverOptions,
              build_seconds: float) -> dict:
    """The plan metadata of one solver run (docs/plan-json.md)."""
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
