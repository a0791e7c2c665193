"""Batches and commitments (spec §4.4 and §5)."""

from __future__ import annotations

from collections import defaultdict

import pyomo.core as pyo

from planner.data.derive import ModelData
from planner.models.sums import sum_of


def batch_size(model: pyo.ConcreteModel, data: ModelData) -> None:
    """Batches, for every product i with a batch and year b it can be bought:

        min_units_i·z(i,b) ≤ Σ_k x(i,b,k) ≤ M(i,b)·z(i,b)

    M(i,b) is the smaller of the unit bound (`max_units` where given, else a bound no
    optimal plan reaches) and the units demand can use (`ModelData.big_m`); never below
    a commitment (docs/model.md says how both are found).
    """
    units: dict[tuple[str, int], list] = defaultdict(list)
    for product, year, tier in model.units_bought:
        units[product, year].append(model.units_bought[product, year, tier])
    rows = [(product, year, side) for product, year in model.batch_bought
            for side in ("min", "max")]

    def rule(_m: pyo.ConcreteModel, product: str, year: int, side: str):
        bought = sum_of(units[product, year])
        switch = model.batch_bought[product, year]
        if side == "min":
            minimum = data.batch_min_units[product]
            return pyo.Constraint.Skip if minimum == 0 else minimum * switch <= bought
        return bought <= data.big_m(product, year) * switch

    model.batch_size = pyo.Constraint(rows, rule=rule)


def commitments(model: pyo.ConcreteModel, data: ModelData) -> None:
    """Commitments, for every committed cell (i,b,k):

        x(i,b,k) = Σ units committed to (i,b,k)

    A commitment is a signed contract, not a minimum: its cell gets exactly those units.
    """
    committed = {(cell.product, cell.year, cell.tier): cell.committed_units
                 for cell in data.purchase_cells if cell.committed_units is not None}
    model.commitments = pyo.Constraint(
        list(committed), rule=lambda _m, *cell: model.units_bought[cell] == committed[cell])
