"""Tiny instances for hand-worked model tests, and readers of a solved plan.

Every tiny instance has the same three locations (Norway national, Finland allied, USA
neither), the resources `gpu` and `cpu`, and `end_of_horizon: none` unless a test says
otherwise, so that a docstring's arithmetic needs no salvage term it does not mention.
"""

from __future__ import annotations

from typing import Any

from planner import Plan, solve
from planner.input.loading import instance_from_data

FIRST = 2025

LOCATIONS = {
    "norway": {"national": True},
    "finland": {"national": False, "allied": True},
    "usa": {"national": False, "allied": False},
}

RESTRICTED_TIERS = [{"name": "open", "surcharge": 0.0},
                    {"name": "restricted", "surcharge": 0.5}]


def instance(*, workloads: dict, pools: dict, products: dict | None = None,
             years: tuple[int, int] = (FIRST, FIRST), **keys: Any) -> dict:
    """A plain instance dict; `keys` adds or replaces any top-level key."""
    data: dict[str, Any] = {
        "format": 1,
        "name": "tiny",
        "years": {"first": years[0], "last": years[1]},
        "end_of_horizon": "none",
        "resources": {"gpu": {"unit": "GPUs"}, "cpu": {"unit": "kcores"}},
        "locations": LOCATIONS,
        "pools": pools,
        "products": products or {},
        "workloads": workloads,
    }
    data.update(keys)
    return data


def national_pool(location: str = "norway", **keys: Any) -> dict:
    return {"kind": "national", "location": location, **keys}


def eurohpc_pool(location: str = "finland", **keys: Any) -> dict:
    return {"kind": "eurohpc", "location": location, **keys}


def cloud_pool(price: dict[str, float], location: str = "finland", **keys: Any) -> dict:
    return {"kind": "cloud", "location": location, "price": price, **keys}


def product(pool: str, *, capacity: float, capex: float, lifetime: int = 1,
            resource: str = "gpu", **keys: Any) -> dict:
    """A product giving `capacity` of one resource per unit."""
    return {"pool": pool, "capacity": {resource: capacity}, "capex": capex,
            "lifetime": lifetime, **keys}


def workload(demand: Any, penalty: float, resource: str = "gpu", **keys: Any) -> dict:
    """`demand` is a number (every year: growth 0), a {base, growth} map or a year map."""
    if isinstance(demand, int | float):
        demand = {"base": demand, "growth": 0}
    return {"resource": resource, "demand": demand, "unmet_penalty": penalty, **keys}


def solve_tiny(data: dict) -> Plan:
    return solve(instance_from_data(data, "tiny.yaml"), marginal_values=False)


def solve_optimal(data: dict) -> Plan:
    """Solve and insist on a proven optimum."""
    plan = solve_tiny(data)
    assert plan.metadata["status"] == "optimal", plan.metadata
    return plan


def _total(table, column: str, **where: Any) -> float:
    for key, value in where.items():
        if value is not None:
            table = table[table[key] == value]
    return float(table[column].sum())


def bought(plan: Plan, product: str | None = None, year: int | None = None,
           tier: str | None = None) -> float:
    """Units bought (committed included), summed over what is not named."""
    return _total(plan.tables["purchases"], "units", product=product, year=year, tier=tier)


def unserved(plan: Plan, workload: str | None = None, year: int | None = None) -> float:
    return _total(plan.tables["coverage"], "unserved", workload=workload, year=year)


def served(plan: Plan, workload: str | None = None, pool: str | None = None,
           year: int | None = None) -> float:
    return _total(plan.tables["allocation"], "served", workload=workload, pool=pool, year=year)


def financing(plan: Plan, line: str, year: int | str) -> float:
    """One cell of the financing table (`year` a year or "total")."""
    table = plan.tables["financing"].set_index("line")
    return float(table.loc[line, str(year)])
