"""The plan of one solver run: the solution read back, its tables, checks and marginal
values.

Everything here is needed only once HiGHS has a solution, and it loads pandas and the
results stage: `planner.solving.api` imports it while HiGHS solves
(`planner.solving.warmup`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pyomo.core as pyo

from planner.data.derive import ModelData
from planner.data.numerics import range_warnings
from planner.input.schema import Instance
from planner.models.redundancy import read_reservations
from planner.models.solution import read_solution
from planner.results.diagnostics import bound_warnings, history_overrun_warnings
from planner.results.plan import Plan
from planner.results.tables import all_tables, coverage_table, redundancy_table
from planner.results.unspent import batch_max_units, unspent_table
from planner.solving.marginal import budget_marginal_values
from planner.solving.shared import cost_summary, run_metadata
from planner.solving.solver import OPTIMAL, STOPPED_WITH_PLAN, SolverOptions, SolverRun
from planner.solving.violations import violation_warnings


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
                tables["redundancy"] = redundancy_table(
                    data, solution, read_reservations(model, data, solution.served))
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
                model_variables=len(run.persistent.variables) if held else None,
                column_values=run.persistent.column_values() if held and tables else None)


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
