"""What-if: the base plan and a variant side by side, and what changed, largest first."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planner.analyses.facade import solve
from planner.input.overrides import parse_override
from planner.input.schema import Instance
from planner.results.plan import Plan
from planner.results.plan_diff import PlanDiff, diff_plans
from planner.results.tables import FINANCING_LINES
from planner.solving.parametric import ParametricModel, is_parametric
from planner.solving.solver import SolverOptions


@dataclass
class WhatIf:
    base: Plan
    variant: Plan
    differences: pd.DataFrame  # see `ranked_changes`


def _rows(table: pd.DataFrame, category: str, keys: list[str], value: str, unit) -> list[dict]:
    return [
        {"category": category, "item": {key: row[key] for key in keys},
         "base": _zero(row[f"{value}_before"]), "variant": _zero(row[f"{value}_after"]),
         "unit": unit(row)}
        for _, row in table.iterrows()
    ]


def _zero(value) -> float:
    # A cell absent from one plan (nothing bought there) counts as 0.
    return 0.0 if value is None or pd.isna(value) else float(value)


def ranked_changes(diff: PlanDiff) -> pd.DataFrame:
    """The plan's changed numbers from `planner.results.plan_diff`, largest relative change first.

    Columns: category (financing, purchases, capacity, served, unserved, objective),
    item (its keys), base, variant, change, unit, and `text`, a line such as
    "purchases gpu-node open 2027: 120 → 80 units".
    """
    rows = _rows(diff.financing, "financing", ["line", "year"], "mnok", lambda row: "MNOK")
    rows += _rows(diff.purchases, "purchases", ["product", "tier", "year"], "units",
                  lambda row: "units")
    rows += _rows(diff.capacity, "capacity", ["pool", "resource", "year"], "capacity",
                  lambda row: row["unit"])
    for measure in ("served", "unserved"):
        rows += _rows(diff.coverage, measure, ["workload", "year"], measure,
                      lambda row: row["unit"])
    objective = diff.summary.set_index("key").loc["objective_mnok"]
    rows.append({"category": "objective", "item": {"objective": ""},
                 "base": _zero(objective["before"]), "variant": _zero(objective["after"]),
                 "unit": "MNOK"})
    table = pd.DataFrame.from_records(rows, columns=["category", "item", "base", "variant",
                                                     "unit"])
    table["change"] = table["variant"] - table["base"]
    scale = table[["base", "variant"]].abs().max(axis=1)
    table = table[table["change"].abs() > 1e-6 * scale.clip(lower=1.0)].copy()
    columns = ["category", "item", "base", "variant", "change", "unit", "text"]
    if table.empty:  # nothing changed (pandas would broadcast into the empty frame)
        return pd.DataFrame(columns=columns)
    table["relative"] = table["change"].abs() / scale.clip(lower=1e-9)
    table["size"] = table["change"].abs()
    table = table.sort_values(["relative", "size"], ascending=False, kind="stable")
    table = table.drop(columns=["relative", "size"]).reset_index(drop=True)
    table["text"] = [_describe(row) for row in table.itertuples()]
    return table[["category", "item", "base", "variant", "change", "unit", "text"]]


def _number(value: float) -> str:
    return f"{value:,.1f}".replace(",", " ") if abs(value) >= 10 else f"{value:.3g}"


def _describe(row) -> str:
    item = " ".join(FINANCING_LINES.get(value, value) if key == "line" else str(value)
                    for key, value in row.item.items() if value != "")
    return f"{row.category} {item}: {_number(row.base)} → {_number(row.variant)} {row.unit}"


def whatif(base: Instance, variant: Instance, overrides: list[str],
           options: SolverOptions | None = None, priority: str | None = None) -> WhatIf:
    """Solve the base and the variant; where the overrides only change caps, shares or
    coverage, one model is built and re-solved with the variant's numbers."""
    options = options or SolverOptions()
    priority = priority or base.priority or "cost"  # the flag, else the instance's own
    paths = [parse_override(text).path for text in overrides]
    # A two-stage instance is solved whole each time (its extensive form has no
    # parametric twin); the comparison takes its expectation (`plan_diff.expected_plan`).
    if priority == "cost" and paths and is_parametric(paths) and not base.scenarios:
        model = ParametricModel(base, options)
        if model.accepts_instance(variant):
            base_plan = model.solve(base)
            variant_plan = model.solve(variant)
            return _whatif(base_plan, variant_plan)
    settings = {"time_limit_seconds": options.time_limit_seconds, "mip_gap": options.mip_gap,
                "threads": options.threads, "priority": priority, "marginal_values": False}
    return _whatif(solve(base, **settings), solve(variant, **settings))


def _whatif(base: Plan, variant: Plan) -> WhatIf:
    if not (base.has_plan and variant.has_plan):
        return WhatIf(base, variant, pd.DataFrame())
    return WhatIf(base, variant, ranked_changes(diff_plans(base, variant, "base", "variant")))
