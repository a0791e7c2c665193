"""Budget caps (spec §4.7)."""

from __future__ import annotations

import pyomo.core as pyo

from planner.data.derive import ModelData
from planner.models.spending import capex_mnok, spending_mnok


def _capped_quantity(model: pyo.ConcreteModel, key: str, year: int):
    if key == "yearly":
        return spending_mnok(model, year)
    if key == "investment":
        return capex_mnok(model, year)
    if key == "national_investment":
        return model.national_capex_mnok[year]
    if key == "eurohpc_investment":
        return model.eurohpc_capex_mnok[year]
    if key == "operations":
        return model.opex_mnok[year]
    raise ValueError(f"unknown budget cap {key!r}")


def budget_caps(model: pyo.ConcreteModel, data: ModelData) -> None:
    """Budget caps, each given cap bounding its quantity (MNOK):

        total:               Σ_y capex(y) + opex(y) ≤ total        (history years included)
        yearly[y]:           capex(y) + opex(y) ≤ cap(y)            (plan years)
        investment[y]:       capex(y) ≤ cap(y)
        national_investment: national capex(y) ≤ cap(y)
        eurohpc_investment:  eurohpc capex(y) ≤ cap(y)
        operations[y]:       opex(y) ≤ cap(y)

    The caps are mutable parameters `budget_cap_mnok[key, year]` (year 0 for `total`), so
    a what-if can change them without rebuilding the model.
    """
    caps = {(key, year): cap for key, by_year in data.yearly_caps_mnok.items()
            for year, cap in by_year.items()}
    if data.total_budget_mnok is not None:
        caps["total", 0] = data.total_budget_mnok
    model.budget_cap_mnok = pyo.Param(list(caps), initialize=caps, mutable=True)

    def rule(_m: pyo.ConcreteModel, key: str, year: int):
        if key == "total":
            spent = pyo.quicksum(spending_mnok(model, y) for y in data.years)
        else:
            spent = _capped_quantity(model, key, year)
        return spent <= model.budget_cap_mnok[key, year]

    model.budget_caps = pyo.Constraint(list(caps), rule=rule)
