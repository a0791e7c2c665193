"""Reading a solved model back into plain numbers: the only place reports touch Pyomo."""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.core as pyo

from planner.data.derive import ModelData

# Solver values this close to zero (or to a whole number, for integer units) are noise.
CLEAN_TOLERANCE = 1e-7


def _clean(value: float | None, whole: bool = False) -> float:
    value = 0.0 if value is None else float(value)
    if whole and abs(value - round(value)) < 1e-5:
        value = float(round(value))
    return 0.0 if abs(value) < CLEAN_TOLERANCE else value


@dataclass(frozen=True)
class Solution:
    """The values of one solved model, keyed as in `ModelData`."""

    units_bought: dict[tuple[str, int, int], float]
    batch_bought: dict[tuple[str, int], float]
    served: dict[tuple[str, str, int], float]
    unserved: dict[tuple[str, int], float]
    pool_used: dict[tuple[str, int], float]
    national_capex_mnok: dict[int, float]
    eurohpc_capex_mnok: dict[int, float]
    opex_mnok: dict[int, float]
    unserved_penalty_mnok: dict[int, float]
    salvage_mnok: float
    objective_mnok: float


def read_solution(model: pyo.ConcreteModel, data: ModelData) -> Solution:
    def values(component: pyo.Component, whole=lambda key: False) -> dict:
        return {key: _clean(component[key].value, whole(key)) for key in component}

    def expression(component: pyo.Component) -> dict[int, float]:
        return {year: _clean(pyo.value(component[year])) for year in data.years}

    return Solution(
        units_bought=values(model.units_bought, lambda key: data.product_integer[key[0]]),
        batch_bought=values(model.batch_bought, lambda key: True),
        served=values(model.served),
        unserved=values(model.unserved),
        pool_used=values(model.pool_used, lambda key: True),
        national_capex_mnok=expression(model.national_capex_mnok),
        eurohpc_capex_mnok=expression(model.eurohpc_capex_mnok),
        opex_mnok=expression(model.opex_mnok),
        unserved_penalty_mnok=expression(model.unserved_penalty_mnok),
        salvage_mnok=_clean(pyo.value(model.salvage_mnok)),
        objective_mnok=float(pyo.value(model.total_discounted_cost)),
    )
