"""EuroHPC share and national share (spec §4.8, 4.9)."""

from __future__ import annotations

import pyomo.core as pyo

from planner.data.derive import ModelData
from planner.models.spending import capex_mnok, spending_mnok
from planner.models.sums import sum_of
from planner.models.variables import indexed


def eurohpc_share_base(model: pyo.ConcreteModel, of: str, years: list[int]):
    """The base of the EuroHPC share over `years`: all capex, national capex, or spending."""
    if of == "investment":
        return pyo.quicksum(capex_mnok(model, y) for y in years)
    if of == "national_investment":
        return pyo.quicksum(model.national_capex_mnok[y] for y in years)
    return pyo.quicksum(spending_mnok(model, y) for y in years)


def eurohpc_share(model: pyo.ConcreteModel, data: ModelData) -> None:
    """EuroHPC share over the share's years Y_s (history years included):

        min·base ≤ Σ_{y ∈ Y_s} eurohpc capex(y) ≤ max·base

    base = Σ_{y ∈ Y_s} capex(y) (`of: investment`), national capex (`national_investment`)
    or capex + opex (`spending`). Both bounds are mutable parameters (`max` only where
    the instance gives one), so what-ifs change them without a rebuild.
    """
    share = data.eurohpc_share
    bounds = {} if share is None else {
        side: share[side] for side in ("min", "max") if share[side] is not None
    }
    model.eurohpc_share_bound = pyo.Param(list(bounds), initialize=bounds, mutable=True)

    def rule(_m: pyo.ConcreteModel, side: str):
        years = share["years"]
        eurohpc = pyo.quicksum(model.eurohpc_capex_mnok[y] for y in years)
        base = eurohpc_share_base(model, share["of"], years)
        if side == "min":
            return eurohpc >= model.eurohpc_share_bound["min"] * base
        return eurohpc <= model.eurohpc_share_bound["max"] * base

    model.eurohpc_share = pyo.Constraint(list(bounds), rule=rule)


def national_share(model: pyo.ConcreteModel, data: ModelData) -> None:
    """National share, for every listed resource r and plan year y:

        Σ_{p at a national location} Σ_{c of r} a(c,p,y) ≥ min·Σ_p Σ_{c of r} a(c,p,y)

    A pool counts as national by its location, whatever its kind. `min` is a mutable
    parameter; the rows exist whenever the instance has a national share.
    """
    minimum = data.national_share_min
    model.national_share_min = pyo.Param(initialize=minimum or 0.0, mutable=True)
    rows = [] if minimum is None else [
        (resource, year) for resource in data.national_share_resources
        for year in data.plan_years
    ]

    served_by: dict[tuple[str, int], list] = {}
    for (workload, pool, year), served in indexed(model.served):
        key = (data.workload_resource[workload], year)
        served_by.setdefault(key, []).append((pool, served))

    def rule(_m: pyo.ConcreteModel, resource: str, year: int):
        served = served_by.get((resource, year), [])
        if not served:
            return pyo.Constraint.Skip
        national = sum_of([a for pool, a in served if data.pool_is_national[pool]])
        everywhere = sum_of([a for _, a in served])
        return national >= model.national_share_min * everywhere

    model.national_share = pyo.Constraint(rows, rule=rule)
