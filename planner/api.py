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

import pyomo.environ as pyo

from planner import __version__
from planner.derive import ModelData, derive
from planner.models import build_model
from planner.models.solution import Solution, read_solution
from planner.plan import PLAN_SCHEMA_VERSION, Plan
from planner.schema import FORMAT_VERSION, Instance
from planner.solver import (
    DEFAULT_MIP_GAP,
    OPTIMAL,
    STOPPED_WITH_PLAN,
    SolverOptions,
    SolverRun,
    run_highs,
)
from planner.tables import all_tables

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


def solve(
    instance: Instance,
    *,
    time_limit_seconds: float | None = None,
    mip_gap: float = DEFAULT_MIP_GAP,
    threads: int = 1,
    write_model: str | Path | None = None,
    instance_file: str | Path | None = None,
) -> Plan:
    """Build the model of `instance`, solve it with HiGHS and return the plan.

    The plan's `metadata["status"]` is one of optimal, stopped_with_plan,
    stopped_without_plan, infeasible, unbounded, error; its tables are filled only when
    HiGHS found a plan.
    """
    started = time.perf_counter()
    data = derive(instance)
    model = build_model(data)
    build_seconds = time.perf_counter() - started
    if write_model is not None:
        write_model_file(model, write_model)
    options = SolverOptions(time_limit_seconds=time_limit_seconds, mip_gap=mip_gap,
                            threads=threads)
    run = run_highs(model, options)
    tables, summary = {}, {}
    if run.status in (OPTIMAL, STOPPED_WITH_PLAN):
        solution = read_solution(model, data)
        tables = all_tables(data, solution)
        summary = cost_summary(data, solution)
    metadata = _metadata(instance, run, options, build_seconds)
    if instance_file is not None:
        # The file's own fingerprint, so a plan can be matched to the exact text it came from.
        metadata["instance_file"] = str(instance_file)
        metadata["instance_sha256"] = hashlib.sha256(Path(instance_file).read_bytes()).hexdigest()
    return Plan(instance=instance, metadata=metadata, summary=summary, tables=tables)


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
