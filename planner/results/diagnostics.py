"""Checks on a solved plan that a planner must hear about, reported as warnings in the plan:
unit bounds reached (`bound_warnings`) and budget lines of history years overrun
(`history_overrun_warnings`). Rows or bounds the solved plan breaks are checked on the
solver's own arrays, in `planner.solving.violations`."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from planner.data.derive import ModelData
from planner.models.solution import Solution


def bound_warnings(data: ModelData, solution: Solution) -> list[str]:
    """Purchases that reach an assumed unit bound of a batch or a pool-in-use switch.

    Where neither a budget cap nor `max_units` implies the bound, it is only assumed
    never to bind (docs/model.md); a plan that reaches one may not be optimal, and the
    planner should add a cap or a batch `max_units`. Bounds a cap implies bind no plan
    that the cap allows, so reaching them says nothing.
    """
    units: dict[tuple[str, int], float] = defaultdict(float)
    for (product, year, _), value in solution.units_bought.items():
        units[product, year] += value
    warnings = []
    for (product, year), bought in sorted(units.items()):
        if (product, year) not in data.assumed_unit_bounds:
            continue
        bound = data.unit_bound[product, year]
        if bought >= bound - 1e-6 and bought > 0:
            warnings.append(
                f"{bought:g} units of {product!r} in {year} reach the planner's bound of "
                f"{bound:g} units; give the product a batch max_units or a budget cap, "
                "or the plan may not be optimal")
    return warnings


# An overrun of a history year's cap smaller than this (MNOK) is rounding, not news.
OVERRUN_TOLERANCE_MNOK = 0.05


def history_overrun_warnings(budget: pd.DataFrame) -> list[str]:
    """Budget lines of history years (before `plan_from`) that the money spent overran.

    Such a cap binds nothing (spec §5: a revision cannot change what was spent), so the
    plan is still feasible; but a line overrun in a year already closed is what a
    revision must report (`budget` table rows with `history` true and a negative slack).
    """
    if "history" not in budget.columns:
        return []
    warnings = []
    for row in budget[budget["history"]].itertuples():
        overrun = row.spent_mnok - row.cap_mnok
        if overrun > OVERRUN_TOLERANCE_MNOK:
            warnings.append(
                f"budget line {row.cap} {int(row.year)} (a history year) was overrun: "
                f"{row.spent_mnok:.1f} MNOK spent against a cap of {row.cap_mnok:.1f} MNOK "
                f"({overrun:.1f} MNOK over)")
    return warnings
