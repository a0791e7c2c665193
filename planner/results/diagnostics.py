"""Checks on a solved plan that a planner must hear about, reported as warnings in the plan:
unit bounds reached (`bound_warnings`) and rows or bounds the solved plan breaks by more
than a tolerance (`violation_warnings`)."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import pyomo.environ as pyo

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


# A row or bound may be off by this much, relative to max(1, |its bound|), before the plan
# says so: HiGHS's own feasibility tolerance is 1e-7 on its scaled model.
VIOLATION_TOLERANCE = 1e-6
VIOLATIONS_NAMED = 5


def violation_warnings(model: pyo.ConcreteModel,
                       tolerance: float = VIOLATION_TOLERANCE) -> list[str]:
    """Every constraint, variable bound and integrality the solved plan breaks by more
    than `tolerance` (relative to max(1, |bound|)), as one warning naming the worst.

    The solver accepts a plan within its own tolerances; on badly scaled numbers those
    can hide a real break, so the plan reports it instead of passing it on silently.
    """
    broken: list[tuple[float, str]] = []

    def check(name: str, value: float, lower: float | None, upper: float | None) -> None:
        for bound, excess in ((lower, None if lower is None else lower - value),
                              (upper, None if upper is None else value - upper)):
            if excess is not None and excess > tolerance * max(1.0, abs(bound)):
                broken.append((excess / max(1.0, abs(bound)),
                               f"{name} = {value:.10g} is beyond its bound {bound:.10g} "
                               f"by {excess:.3g}"))

    for row in model.component_data_objects(pyo.Constraint, active=True):
        value = pyo.value(row.body, exception=False)
        if value is not None:
            check(row.name, value, pyo.value(row.lower) if row.has_lb() else None,
                  pyo.value(row.upper) if row.has_ub() else None)
    for variable in model.component_data_objects(pyo.Var, active=True):
        if variable.value is None or variable.fixed:
            continue
        check(variable.name, variable.value, variable.lb, variable.ub)
        if variable.is_integer() and abs(variable.value - round(variable.value)) > tolerance:
            broken.append((abs(variable.value - round(variable.value)),
                           f"{variable.name} = {variable.value:.10g} is not a whole number"))
    if not broken:
        return []
    broken.sort(key=lambda item: -item[0])
    named = "; ".join(text for _, text in broken[:VIOLATIONS_NAMED])
    more = len(broken) - VIOLATIONS_NAMED
    return [f"the solved plan breaks {len(broken)} constraint(s) or bound(s) by more than "
            f"the tolerance of {tolerance:g} (the solver's rounding; check the numbers' "
            f"scale): {named}" + (f"; and {more} more" if more > 0 else "")]


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
