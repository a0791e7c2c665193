"""Reading a solved model back into plain numbers: the only place reports touch Pyomo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyomo.core as pyo

from planner.data.derive import ModelData
from planner.data.numerics import SOLVER_NOISE
from planner.models.demand_classes import split_served
from planner.models.variables import data_of


def _clean(value: float | None, whole: bool = False) -> float:
    value = 0.0 if value is None else float(value)
    if whole and abs(value - round(value)) < 1e-5:
        value = float(round(value))
    return 0.0 if abs(value) < SOLVER_NOISE else value


@dataclass(frozen=True)
class Solution:
    """The values of one solved model, keyed as in `ModelData`."""

    units_bought: dict[tuple[str, int, int], float]
    batch_bought: dict[tuple[str, int], float]
    # a(w,p,y); a key may be absent where it is 0 (workloads sharing a demand class,
    # `models.demand_classes`)
    served: dict[tuple[str, str, int], float]
    unserved: dict[tuple[str, int], float]
    pool_used: dict[tuple[str, int], float]
    national_capex_mnok: dict[int, float]
    eurohpc_capex_mnok: dict[int, float]
    opex_mnok: dict[int, float]
    unserved_penalty_mnok: dict[int, float]
    salvage_mnok: float
    objective_mnok: float


def read_solution(model: pyo.ConcreteModel, data: ModelData,
                  evaluate: Callable[[object], float] = pyo.value) -> Solution:
    """The model's values, cleaned of solver noise. `evaluate` gives an expression's value
    at the plan (Pyomo's evaluation; the solve stage passes a faster one that reads the
    expression's linear form once, `planner.solving.persistent.HighsSolver.evaluate`)."""

    def values(component: pyo.Component, whole: Callable[[tuple], bool] | None = None
               ) -> dict:
        keys = list(component.keys())
        # A variable without a value (None) is read as NaN, then as 0.
        cleaned = np.array([variable.value for variable in data_of(component, keys)],
                           dtype=float)
        cleaned[np.isnan(cleaned)] = 0.0
        if whole is not None:
            rounded = np.round(cleaned)
            near = np.abs(cleaned - rounded) < 1e-5
            near &= np.array([whole(key) for key in keys], dtype=bool)
            cleaned = np.where(near, rounded, cleaned)
        cleaned[np.abs(cleaned) < SOLVER_NOISE] = 0.0
        return dict(zip(keys, cleaned.tolist(), strict=True))

    def expression(component: pyo.Component) -> dict[int, float]:
        return {year: _clean(evaluate(component[year])) for year in data.years}

    unserved = values(model.unserved)
    return Solution(
        units_bought=values(model.units_bought, lambda key: data.product_integer[key[0]]),
        batch_bought=values(model.batch_bought, lambda key: True),
        served=split_served(data, values(model.served), unserved),
        unserved=unserved,
        pool_used=values(model.pool_used, lambda key: True),
        national_capex_mnok=expression(model.national_capex_mnok),
        eurohpc_capex_mnok=expression(model.eurohpc_capex_mnok),
        opex_mnok=expression(model.opex_mnok),
        unserved_penalty_mnok=expression(model.unserved_penalty_mnok),
        salvage_mnok=_clean(evaluate(model.salvage_mnok)),
        objective_mnok=float(evaluate(model.total_discounted_cost)),
    )
