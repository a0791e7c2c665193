"""Decision variables (spec §3)."""

from __future__ import annotations

from collections.abc import Iterator

import pyomo.core as pyo

from planner.data.derive import ModelData


def indexed(component: pyo.Component) -> Iterator[tuple]:
    """(index, data) pairs of an indexed component, as its `items()` gives them, in the
    same order: Pyomo's `items()` looks every index up again, four times slower on the
    90 000 allocations of a big model."""
    keys = list(component.keys())
    return zip(keys, data_of(component, keys), strict=True)


def data_of(component: pyo.Component, keys: list) -> list:
    """The data of `component` at `keys`, as its `values()` gives them. Pyomo's `values()`
    calls a Python function per index (that falls back on indexing for a missing one);
    the data a `Var` holds are read from its own map in one pass, five times faster."""
    try:
        return list(map(component._data.__getitem__, keys))
    except KeyError:  # an index without data of its own (a Param's default)
        return list(component.values())


def redundant_classes(data: ModelData) -> list[str]:
    """The demand classes (their leads) of redundant workloads: a class is all redundant or
    none."""
    redundant = set(data.redundant_workloads)
    return [lead for lead in data.demand_classes if lead in redundant]


def add_variables(model: pyo.ConcreteModel, data: ModelData) -> None:
    """x, z, a, u, g of spec §3.

    - `units_bought[i,b,k]` = x(i,b,k) ≥ 0: units of product i bought in year b at tier k.
      Only cells that can be bought exist: plan years in the product's `years` and tiers
      up to its pool's `max_tier`, plus committed cells (history years hold nothing else).
    - `batch_bought[i,b]` = z(i,b) ∈ {0,1}, for products with a `batch`.
    - `served[c,p,y]` = a(c,p,y) ≥ 0, for each demand class c (named by its lead workload,
      `ModelData.demand_classes`) and the pools its workloads may use: the sum of a(w,p,y)
      over its workloads. A plan's a(w,p,y) are read back from it (`models.solution`).
    - `unserved[w,y]` = u(w,y) ≥ 0, at most D(w,y) (implied by a(w,p,y) ≥ 0 when the
      workload's class is itself; a bound otherwise).
    - `pool_used[p,y]` = g(p,y) ∈ {0,1}, for pools with `fixed_opex` > 0.
    - `reserved[c,p,y]` = v(c,p,y) ≥ 0: capacity held at pool p for the redundant workloads
      of class c in plan year y, to serve them if another pool is lost (spec §6.1), for the
      pools they may use.
    """
    cells = [(cell.product, cell.year, cell.tier) for cell in data.purchase_cells]

    def purchase_domain(_model: pyo.ConcreteModel, product: str, _year: int, _tier: int):
        return pyo.NonNegativeIntegers if data.product_integer[product] else pyo.NonNegativeReals

    model.units_bought = pyo.Var(cells, domain=purchase_domain)
    model.batch_bought = pyo.Var(
        sorted({(product, year) for product, year, _ in cells
                if product in data.batch_products}),
        domain=pyo.Binary,
    )
    model.served = pyo.Var(
        [(lead, pool, year)
         for lead in data.demand_classes
         for pool in data.allowed_pools[lead] for year in data.years],
        domain=pyo.NonNegativeReals,
    )
    shared = {workload for members in data.demand_classes.values() if len(members) > 1
              for workload in members}

    def unserved_bounds(_model: pyo.ConcreteModel, workload: str, year: int):
        return (0.0, data.demand[workload, year] if workload in shared else None)

    model.unserved = pyo.Var(
        [(workload, year) for workload in data.workload_resource for year in data.years],
        domain=pyo.NonNegativeReals, bounds=unserved_bounds,
    )
    model.reserved = pyo.Var(
        [(lead, pool, year)
         for lead in redundant_classes(data)
         for pool in data.allowed_pools[lead] for year in data.plan_years],
        domain=pyo.NonNegativeReals,
    )
    model.pool_used = pyo.Var(
        [(pool, year) for pool, cost in data.pool_fixed_opex_mnok.items() if cost > 0
         for year in data.years],
        domain=pyo.Binary,
    )
