"""N-1 redundancy (spec §6.1): what a redundant workload is served survives losing any one pool.

A redundant workload w holds reservations v(w,p,y) ≥ 0 (`reserved`) at every pool it may
use. Reservations sit *beside* the normal allocation, not on top of it: the capacity of a
pool must hold its normal allocation, and separately the reservations placed on it. In a
failure, non-redundant work is shed to make room for the redundant work moved there.
Rows exist in plan years only (like minimum coverage: a revision cannot change how
history years were served). The rows are per demand class of redundant workloads
(docs/model.md); a plan splits the class's reservations over its workloads.
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.data.derive import ModelData
from planner.data.numerics import SOLVER_NOISE
from planner.models.capacity import allocated_at, tier_capacity_rows
from planner.models.demand_classes import split_reserved
from planner.models.sums import sum_of
from planner.models.variables import redundant_classes


def redundancy_cover(model: pyo.ConcreteModel, data: ModelData) -> None:
    """N-1 cover, for every demand class c of redundant workloads, every pool s they may
    use (the pool lost) and every plan year y:

        Σ_{p ∈ Pools(c), p ≠ s} v(c,p,y) ≥ Σ_{p ∈ Pools(c)} a(c,p,y)

    Split over the class's workloads in proportion to what each is served, the class's
    reservations meet each workload's own row (`models.demand_classes`).
    """
    rows = [(lead, lost, year) for lead in redundant_classes(data)
            for lost in data.allowed_pools[lead] for year in data.plan_years]

    def rule(_m: pyo.ConcreteModel, lead: str, lost: str, year: int):
        pools = data.allowed_pools[lead]
        backup = pyo.quicksum(model.reserved[lead, pool, year] for pool in pools
                              if pool != lost)
        served = pyo.quicksum(model.served[lead, pool, year] for pool in pools)
        return backup >= served

    model.redundancy_cover = pyo.Constraint(rows, rule=rule)


def redundancy_capacity(model: pyo.ConcreteModel, data: ModelData) -> None:
    """Capacity for reservations, for every non-cloud pool p, resource r, plan year y and
    tier k, beside the normal allocation's `tier_capacity` row:

        Σ_{redundant c of r, tier(c) ≥ k} v(c,p,y) ≤ C(p,r,y,≥k)
    """
    rows = tier_capacity_rows(model, data, model.reserved, redundant_classes(data),
                              data.plan_years)
    model.redundancy_capacity = pyo.Constraint(
        list(rows), rule=lambda _m, *key: sum_of(rows[key][0]) <= rows[key][1])


def redundancy_cloud_limit(model: pyo.ConcreteModel, data: ModelData) -> None:
    """Cloud reservations against the pool's limit, for every cloud pool p with a limit on
    resource r and every plan year y, beside the limit on its use (`pool_limit`):

        Σ_{redundant c of r} v(c,p,y) ≤ limit_p[r]

    Reserved cloud capacity costs nothing: cloud is paid per use.
    """
    rows = {}
    for pool, limits in data.pool_limit.items():
        if data.pool_kind[pool] != "cloud":
            continue
        for resource, limit in limits.items():
            for year in data.plan_years:
                reserved = allocated_at(model.reserved, redundant_classes(data), data,
                                        pool, resource, year)
                if reserved:
                    rows[pool, resource, year] = (reserved, limit)
    model.redundancy_cloud_limit = pyo.Constraint(
        list(rows), rule=lambda _m, *key: sum_of(rows[key][0]) <= rows[key][1])


REDUNDANCY_FAMILIES = (redundancy_cover, redundancy_capacity, redundancy_cloud_limit)


def deactivate_redundancy(model: pyo.Block) -> None:
    """Drop the N-1 rules (for the objective without redundancy); reservations then
    bind nothing."""
    for family in REDUNDANCY_FAMILIES:
        model.component(family.__name__).deactivate()


def read_reservations(model: pyo.Block, data: ModelData,
                      served: dict[tuple[str, str, int], float]
                      ) -> dict[tuple[str, str, int], float]:
    """(workload, pool, year) → reserved capacity of a solved model, noise cleaned, split
    over each class's workloads by what `served` (the plan's a(w,p,y)) serves them."""
    values = {}
    for key in model.reserved:
        value = model.reserved[key].value or 0.0
        values[key] = 0.0 if abs(value) < SOLVER_NOISE else float(value)
    return split_reserved(data, values, served)
