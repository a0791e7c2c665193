"""The objective (spec §4)."""

from __future__ import annotations

import pyomo.environ as pyo

from planner.derive import ModelData
from planner.models.spending import spending_mnok


def total_discounted_cost(model: pyo.ConcreteModel, data: ModelData) -> None:
    """Minimise the plan's whole discounted cost, history years included:

        Σ_y δ(y)·[capex(y) + opex(y) + Σ_w unmet_penalty_w·u(w,y)] − salvage
    """
    model.total_discounted_cost = pyo.Objective(
        expr=pyo.quicksum(
            data.discount[y] * (spending_mnok(model, y) + model.unserved_penalty_mnok[y])
            for y in data.years
        ) - model.salvage_mnok,
        sense=pyo.minimize,
    )
