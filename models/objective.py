"""The objective (spec §4)."""

from __future__ import annotations

import pyomo.core as pyo

from planner.data.derive import ModelData
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


def weighted_unserved_demand(model: pyo.ConcreteModel, data: ModelData) -> None:
    """First stage of `--priority coverage`: serve as much demand as the caps allow,

        minimise Σ_y Σ_w unmet_penalty_w·u(w,y)      (undiscounted)

    The cost objective is deactivated while this one is active.
    """
    model.total_discounted_cost.deactivate()
    model.weighted_unserved_demand = pyo.Objective(
        expr=pyo.quicksum(model.unserved_penalty_mnok[y] for y in data.years),
        sense=pyo.minimize,
    )


def coverage_floor(model: pyo.ConcreteModel, data: ModelData, most_unserved: float) -> None:
    """Second stage of `--priority coverage`: the cheapest plan that serves that much,

        Σ_y Σ_w unmet_penalty_w·u(w,y) ≤ most_unserved

    then minimise the plan's cost again.
    """
    model.weighted_unserved_demand.deactivate()
    model.coverage_floor = pyo.Constraint(
        expr=pyo.quicksum(model.unserved_penalty_mnok[y] for y in data.years)
        <= most_unserved + 1e-6)
    model.total_discounted_cost.activate()
