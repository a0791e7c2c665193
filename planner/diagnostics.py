"""Checks on a solved plan that a planner must hear about, reported as warnings in the plan."""

from __future__ import annotations

from collections import defaultdict

from planner.derive import ModelData
from planner.models.solution import Solution


def bound_warnings(data: ModelData, solution: Solution) -> list[str]:
    """Purchases that reach the unit bound chosen for a batch or a pool-in-use switch.

    Those bounds are only assumed never to bind (docs/model.md); a plan that reaches one
    may not be optimal, and the planner should add a cap or a batch `max_units`.
    """
    units: dict[tuple[str, int], float] = defaultdict(float)
    for (product, year, _), value in solution.units_bought.items():
        units[product, year] += value
    warnings = []
    for (product, year), bought in sorted(units.items()):
        bound = data.unit_bound[product, year]
        if bought >= bound - 1e-6 and bought > 0:
            warnings.append(
                f"{bought:g} units of {product!r} in {year} reach the planner's bound of "
                f"{bound:g} units; give the product a batch max_units or a budget cap, "
                "or the plan may not be optimal")
    return warnings
