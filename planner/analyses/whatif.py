"""What-if: the base plan and a variant side by side, and what changed, largest first."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planner.analyses.facade import solve
from planner.input.overrides import parse_override
from planner.input.schema import Instance
from planner.results.plan import Plan
from planner.results.plan_diff import PlanDiff, diff_plans
from planner.results.translations import Translator
from planner.solving.parametric import ParametricModel, is_parametric
from planner.solving.solver import SolverOptions

ENGLISH = Translator("en")


@dataclass
class WhatIf:
    base: Plan
    variant: Plan
    differences: pd.DataFrame  # see `ranked_changes`


def _rows(table: pd.DataFrame, category: str, keys: list[str], value: str, unit,
          money: str | None = None) -> list[dict]:
    """Changed cells of a diff table; `money` names the column whose change is the row's
    weight in MNOK (the value itself where that is money)."""
    return [
        {"category": category, "item": {key: row[key] for key in keys},
         "base": _zero(row[f"{value}_before"]), "variant": _zero(row[f"{value}_after"]),
         "unit": unit(row),
         "change_mnok": None if money is None else
         _zero(row.get(f"{money}_after")) - _zero(row.get(f"{money}_before"))}
        for _, row in table.iterrows()
    ]


def _zero(value) -> float:
    # A cell absent from one plan (nothing bought there) counts as 0.
    return 0.0 if value is None or pd.isna(value) else float(value)


def ranked_changes(diff: PlanDiff) -> pd.DataFrame:
    """The plan's changed numbers from `planner.results.plan_diff`, the largest in money first.

    A change has a weight in MNOK: a financing cell and the objective by their own change,
    a purchase by its change in investment, unserved demand by the change of its penalty
    (units × the workload's penalty per unit, MNOK). These come first, the largest weight
    first; changes without a money value (capacity, demand served) follow, the largest
    relative change first.

    Columns: category (financing, purchases, capacity, served, unserved, objective),
    item (its keys), base, variant, change, unit, change_mnok (the weight; empty for
    capacity and served) and `text`, a line such as "purchases gpu-node open 2027: 120 →
    80 units".
    """
    rows = _rows(diff.financing, "financing", ["line", "year"], "mnok", lambda row: "MNOK",
                 money="mnok")
    rows += _rows(diff.purchases, "purchases", ["product", "tier", "year"], "units",
                  lambda row: "units", money="capex_mnok")
    rows += _rows(diff.capacity, "capacity", ["pool", "resource", "year"], "capacity",
                  lambda row: row["unit"])
    rows += _rows(diff.coverage, "served", ["workload", "year"], "served",
                  lambda row: row["unit"])
    rows += _rows(diff.coverage, "unserved", ["workload", "year"], "unserved",
                  lambda row: row["unit"], money="unserved_penalty_mnok")
    objective = diff.summary.set_index("key").loc["objective_mnok"]
    rows.append({"category": "objective", "item": {"objective": ""},
                 "base": _zero(objective["before"]), "variant": _zero(objective["after"]),
                 "unit": "MNOK",
                 "change_mnok": _zero(objective["after"]) - _zero(objective["before"])})
    table = pd.DataFrame.from_records(rows, columns=["category", "item", "base", "variant",
                                                     "unit", "change_mnok"])
    table["change"] = table["variant"] - table["base"]
    scale = table[["base", "variant"]].abs().max(axis=1)
    table = table[table["change"].abs() > 1e-6 * scale.clip(lower=1.0)].copy()
    if table.empty:  # nothing changed (pandas would broadcast into the empty frame)
        return pd.DataFrame(columns=["category", "item", "base", "variant", "change", "unit",
                                     "change_mnok", "text"])
    table["has_money"] = table["change_mnok"].notna()
    table["weight"] = table["change_mnok"].abs().fillna(0.0)
    table["relative"] = table["change"].abs() / scale.clip(lower=1e-9)
    table = table.sort_values(["has_money", "weight", "relative"], ascending=False,
                              kind="stable")
    table = table.reset_index(drop=True)
    table["text"] = [_describe(row) for row in table.itertuples()]
    return table[["category", "item", "base", "variant", "change", "unit", "change_mnok",
                  "text"]]


def _number(value: float) -> str:
    text = ENGLISH.number(value, 1) if abs(value) >= 10 else f"{value:.3g}"
    return "0" if text in ("-0", "−0") else text.replace("-", "−")


def _describe(row) -> str:
    item = " ".join(ENGLISH(f"line.{value}") if key == "line" and ENGLISH.has(f"line.{value}")
                    else str(value) for key, value in row.item.items() if value != "")
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
