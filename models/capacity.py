"""Capacity in service, tier-aware capacity, pool limits and pools in use (spec §4.2, 4.3, 4.5)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyomo.core as pyo
from pyomo.core.expr.numeric_expr import MonomialTermExpression

from planner.data.derive import ModelData
from planner.models.sums import sum_of
from planner.models.variables import indexed


def cells_in_service(data: ModelData) -> dict[tuple[str, int], list[tuple[str, int, int]]]:
    """(pool, year) → purchase cells (i,b,k) at that pool whose units are in service then."""
    in_service: dict[tuple[str, int], list[tuple[str, int, int]]] = defaultdict(list)
    for cell in data.purchase_cells:
        pool = data.product_pool[cell.product]
        for year in data.in_service_years[cell.product, cell.year]:
            in_service[pool, year].append((cell.product, cell.year, cell.tier))
    return in_service


def capacity_in_service(model: pyo.ConcreteModel, data: ModelData, pool: str, resource: str,
                        year: int, tier: int, in_service: dict) -> pyo.Expression | float:
    """C(p,r,y,≥k): existing capacity at tier ≥ k plus bought units in service at tier ≥ k."""
    existing = sum(
        data.existing_capacity.get((pool, resource, year, level), 0.0)
        for level in range(tier, len(data.tiers))
    )
    # The terms made directly, as `amount * units` makes them (the variable itself for
    # an amount of 1): on a big model this is half a million products.
    bought = [
        _times(data.product_capacity[product][resource],
               model.units_bought[product, bought_in, level])
        for product, bought_in, level in in_service.get((pool, year), [])
        if level >= tier and resource in data.product_capacity[product]
    ]
    if not bought:
        return existing
    return existing + pyo.quicksum(bought)


def _times(amount: float, units: pyo.Var):
    return units if amount == 1 else MonomialTermExpression((amount, units))


def allocated_at(variable: pyo.Var, workloads: Iterable[str], data: ModelData, pool: str,
                 resource: str, year: int, min_tier: int = 0) -> list:
    """`variable[w, pool, year]` of the `workloads` of `resource` with tier ≥ `min_tier`
    that may use `pool` (a(c,p,y) for `served`, v(c,p,y) for `reserved`, with demand
    classes c named by their lead workloads)."""
    return [
        variable[workload, pool, year]
        for workload in workloads
        if pool in data.allowed_pools[workload] and data.workload_resource[workload] == resource
        and data.workload_tier[workload] >= min_tier
    ]


def tier_capacity_rows(model: pyo.ConcreteModel, data: ModelData, variable: pyo.Var,
                       workloads: Iterable[str], years: Iterable[int]) -> dict:
    """(p, r, y, k) → (terms, C(p,r,y,≥k)) for every non-cloud pool, resource, year in
    `years` and tier up to the pool's, where `allocated_at` finds terms: the rows of
    constraint 2 (and of §6.1's reservations) before they are summed."""
    in_service = cells_in_service(data)
    # The workloads of each (pool, resource) with their tiers, found once: each row takes
    # those of its tier or above (as `allocated_at` would, without a scan per row).
    using: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for workload in workloads:
        for pool in data.allowed_pools[workload]:
            using[pool, data.workload_resource[workload]].append(
                (data.workload_tier[workload], workload))
    cells = dict(variable.items())  # a dictionary lookup per term, not Pyomo's indexing
    rows = {}
    for pool, kind in data.pool_kind.items():
        if kind == "cloud":
            continue
        for resource in data.resources:
            group = using.get((pool, resource), [])
            for year in years:
                allocated = [(tier, cells[workload, pool, year]) for tier, workload in group]
                for tier in range(data.pool_max_tier[pool] + 1):
                    terms = [term for level, term in allocated if level >= tier]
                    if terms:
                        rows[pool, resource, year, tier] = (terms, capacity_in_service(
                            model, data, pool, resource, year, tier, in_service))
    return rows


def tier_capacity(model: pyo.ConcreteModel, data: ModelData) -> None:
    """Tier-aware capacity, for every non-cloud pool p, resource r, year y and tier k:

        Σ_{c of r, tier(c) ≥ k} a(c,p,y) ≤ C(p,r,y,≥k)      (c: demand classes)

    Higher-tier capacity may serve lower-tier work, never the reverse.
    """
    rows = tier_capacity_rows(model, data, model.served, data.demand_classes, data.years)
    model.tier_capacity = pyo.Constraint(
        list(rows), rule=lambda _m, *key: sum_of(rows[key][0]) <= rows[key][1])


def pool_limit(model: pyo.ConcreteModel, data: ModelData) -> None:
    """Pool limits, for every pool p with a limit on resource r, every year y:

        non-cloud: C(p,r,y,≥lowest) ≤ limit_p[r]
        cloud:     Σ_{c of r} a(c,p,y) ≤ limit_p[r]
    """
    in_service = cells_in_service(data)
    rows = {}
    for pool, limits in data.pool_limit.items():
        for resource, limit in limits.items():
            for year in data.years:
                if data.pool_kind[pool] == "cloud":
                    used = allocated_at(model.served, data.demand_classes, data, pool,
                                        resource, year)
                    if used:
                        rows[pool, resource, year] = (sum_of(used), limit)
                else:
                    capacity = capacity_in_service(model, data, pool, resource, year, 0,
                                                   in_service)
                    # Existing capacity alone is checked against the limit on input.
                    if not isinstance(capacity, float):
                        rows[pool, resource, year] = (capacity, limit)
    model.pool_limit = pyo.Constraint(
        list(rows), rule=lambda _m, *key: rows[key][0] <= rows[key][1])


def pool_in_use(model: pyo.ConcreteModel, data: ModelData) -> None:
    """Pool in use, for every national pool p with fixed_opex > 0 and every year y:

        g(p,y) = 1                                  if existing capacity at p is in service
    otherwise, for every purchase (i,b) at p in service in y (S(i,b,y) = 1),
        Σ_k x(i,b,k) ≤ M(i,b)·g(p,y)
    and for every resource r,
        Σ_{c of r} a(c,p,y) ≤ D(p,r,y)·g(p,y)

    with M(i,b) as in `batch_size` and D(p,r,y) the demand of r in y of the workloads that
    may use p. A row per purchase (not one over their sum) and the served row tighten the
    LP relaxation; the integer solutions are the same (docs/model.md).
    """
    in_service = cells_in_service(data)
    served_at: dict[tuple[str, int, str], list] = defaultdict(list)
    demand_at: dict[tuple[str, int, str], float] = defaultdict(float)
    class_demand = {(lead, year): sum(data.demand[workload, year] for workload in members)
                    for lead, members in data.demand_classes.items() for year in data.years}
    for (lead, pool, year), served in indexed(model.served):
        if (pool, year) in model.pool_used:
            resource = data.workload_resource[lead]
            served_at[pool, year, resource].append(served)
            demand_at[pool, year, resource] += class_demand[lead, year]
    rows: dict[tuple[str, int, str, str, int], tuple] = {}
    for pool, year in model.pool_used:
        switch = model.pool_used[pool, year]
        if (pool, year) in data.existing_pools_in_service:
            rows[pool, year, "existing", "", 0] = (1, switch, 1)
            continue
        units: dict[tuple[str, int], list] = defaultdict(list)
        for product, bought, tier in in_service.get((pool, year), []):
            units[product, bought].append(model.units_bought[product, bought, tier])
        for (product, bought), cells in sorted(units.items()):
            rows[pool, year, "units", product, bought] = (
                sum_of(cells) - data.big_m(product, bought) * switch, None, 0)
        if not units:
            continue  # nothing can be in service: g(p,y) only costs
        for resource in data.resources:
            served = served_at.get((pool, year, resource))
            if served:
                rows[pool, year, "served", resource, 0] = (
                    sum_of(served) - demand_at[pool, year, resource] * switch, None, 0)
    model.pool_in_use = pyo.Constraint(list(rows), rule=lambda _m, *key: rows[key])
