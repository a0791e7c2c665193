"""What-if: the base plan and a variant side by side, and what changed, largest first."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planner.api import solve
from planner.overrides import parse_override
from planner.parametric import ParametricModel, is_parametric
from planner.plan import Plan
from planner.schema import Instance
from planner.solver import SolverOptions

# Below this, a change is solver noise, not a difference worth a line.
CHANGE_TOLERANCE = 1e-6


@dataclass
class WhatIf:
    base: Plan
    variant: Plan
    differences: pd.DataFrame  # see `compare_plans`


def _indexed(table: pd.DataFrame, keys: list[str], value: str) -> dict[tuple, float]:
    return {tuple(row[key] for key in keys): float(row[value]) for _, row in table.iterrows()}


def _changes(category: str, keys: list[str], base: dict[tuple, float],
             variant: dict[tuple, float], unit) -> list[dict]:
    rows = []
    for key in sorted(set(base) | set(variant), key=str):
        before, after = base.get(key, 0.0), variant.get(key, 0.0)
        if abs(after - before) <= CHANGE_TOLERANCE * max(1.0, abs(before), abs(after)):
            continue
        item = dict(zip(keys, key, strict=True))
        rows.append({"category": category, "item": item, "base": before, "variant": after,
                     "change": after - before, "unit": unit(item)})
    return rows


def compare_plans(base: Plan, variant: Plan) -> pd.DataFrame:
    """Every number that differs between two plans, largest relative change first.

    Columns: category (financing, purchases, capacity, served, unserved, objective),
    item (the keys: line/year, product/tier/year, ...), base, variant, change, unit,
    and `text`, a line such as "purchases gpu-node open 2027: 120 → 80 units".
    """
    units = dict(zip(base.coverage["workload"], base.coverage["unit"], strict=False))
    resource_units = dict(zip(base.capacity["resource"], base.capacity["unit"], strict=False))

    def financing(plan: Plan) -> dict[tuple, float]:
        table = plan.financing.melt(id_vars="line", var_name="year", value_name="mnok")
        return _indexed(table, ["line", "year"], "mnok")

    def purchases(plan: Plan) -> dict[tuple, float]:
        return _indexed(plan.purchases, ["product", "tier", "year"], "units")

    rows = _changes("financing", ["line", "year"], financing(base), financing(variant),
                    lambda item: "MNOK")
    rows += _changes("purchases", ["product", "tier", "year"], purchases(base),
                     purchases(variant), lambda item: "units")
    rows += _changes("capacity", ["pool", "resource", "year"],
                     _indexed(base.capacity, ["pool", "resource", "year"], "capacity"),
                     _indexed(variant.capacity, ["pool", "resource", "year"], "capacity"),
                     lambda item: resource_units.get(item["resource"], ""))
    for measure in ("served", "unserved"):
        rows += _changes(measure, ["workload", "year"],
                         _indexed(base.coverage, ["workload", "year"], measure),
                         _indexed(variant.coverage, ["workload", "year"], measure),
                         lambda item: units.get(item["workload"], ""))
    rows += _changes("objective", ["objective"], {("objective",): base.objective_mnok},
                     {("objective",): variant.objective_mnok}, lambda item: "MNOK")
    table = pd.DataFrame.from_records(
        rows, columns=["category", "item", "base", "variant", "change", "unit"])
    if table.empty:
        table["text"] = []
        return table
    scale = table[["base", "variant"]].abs().max(axis=1).clip(lower=1e-9)
    table["relative"] = table["change"].abs() / scale
    table = table.sort_values(["relative", "change"], ascending=[False, False],
                              key=lambda column: column.abs() if column.name == "change"
                              else column, kind="stable").reset_index(drop=True)
    table["text"] = [_describe(row) for row in table.itertuples()]
    return table.drop(columns="relative")


def _number(value: float) -> str:
    return f"{value:,.1f}".replace(",", " ") if abs(value) >= 10 else f"{value:.3g}"


def _describe(row) -> str:
    from planner.tables import FINANCING_LINES

    item = " ".join(FINANCING_LINES.get(value, value) if key == "line" else str(value)
                    for key, value in row.item.items())
    return f"{row.category} {item}: {_number(row.base)} → {_number(row.variant)} {row.unit}"


def whatif(base: Instance, variant: Instance, overrides: list[str],
           options: SolverOptions | None = None, priority: str = "cost") -> WhatIf:
    """Solve the base and the variant; where the overrides only change caps, shares or
    coverage, one model is built and re-solved with the variant's numbers."""
    options = options or SolverOptions()
    paths = [parse_override(text).path for text in overrides]
    if priority == "cost" and paths and is_parametric(paths):
        model = ParametricModel(base, options)
        if model.accepts_instance(variant):
            base_plan = model.solve(base)
            variant_plan = model.solve(variant)
            return WhatIf(base_plan, variant_plan, compare_plans(base_plan, variant_plan))
    settings = {"time_limit_seconds": options.time_limit_seconds, "mip_gap": options.mip_gap,
                "threads": options.threads, "priority": priority, "marginal_values": False}
    base_plan = solve(base, **settings)
    variant_plan = solve(variant, **settings)
    differences = (compare_plans(base_plan, variant_plan)
                   if base_plan.has_plan and variant_plan.has_plan else pd.DataFrame())
    return WhatIf(base_plan, variant_plan, differences)
