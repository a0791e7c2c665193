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


def add_variables(model: pyo.ConcreteModel, data: ModelData) -> None:
    """x, z, a, u, g of spec §3.

    - `units_bought[i,b,k]` = x(i,b,k) ≥ 0: units of product i bought in year b at tier k.
      Only cells that can be bought exist: plan years in the product's `years` and tiers
      up to its pool's `max_tier`, plus committed cells (history years hold nothing else).
    - `batch_bought[i,b]` = z(i,b) ∈ {0,1}, for products with a `batch`.
    - `served[w,p,y]` = a(w,p,y) ≥ 0, for the pools a workload may use.
    - `unserved[w,y]` = u(w,y) ≥ 0.
    - `pool_used[p,y]` = g(p,y) ∈ {0,1}, for pools with `fixed_opex` > 0.
    - `reserved[w,p,y]` = v(w,p,y) ≥ 0: capacity held at pool p for redundant workload w in
      plan year y, to serve it if another pool is lost (spec §6.1), for the pools it may use.
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
        [(workload, pool, year)
         for workload, pools in data.allowed_pools.items()
         for pool in pools for year in data.years],
        domain=pyo.NonNegativeReals,
    )
    model.unserved = pyo.Var(
        [(workload, year) for workload in data.workload_resource for year in data.years],
        domain=pyo.NonNegativeReals,
    )
    model.reserved = pyo.Var(
        [(workload, pool, year)
         for workload in data.redundant_workloads
         for pool in data.allowed_pools[workload] for year in data.plan_years],
        domain=pyo.NonNegativeReals,
    )
    model.pool_used = pyo.Var(
        [(pool, year) for pool, cost in data.pool_fixed_opex_mnok.items() if cost > 0
         for year in data.years],
        domain=pyo.Binary,
    )
