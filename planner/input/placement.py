"""The placement rule: which pools a workload may use. Validation (`planner.input.checks`)
needs it to say a workload has nowhere to run; the derived data (`planner.data.derive`)
creates allocation variables only for these pools."""

from __future__ import annotations

from planner.input.schema import Instance


def allowed_pools(instance: Instance, workload_name: str,
                  holdable: set[tuple[str, str]] | None = None) -> list[str]:
    """Pools a workload may use: placement, tier, and (cloud) a price for its resource.
    `holdable` is `pools_that_can_hold(instance)`, found once by callers that ask for
    many workloads."""
    workload = instance.workloads[workload_name]
    tier = instance.tier_index(workload.tier)
    if holdable is None:
        holdable = pools_that_can_hold(instance)
    pools = []
    for name, pool in instance.pools.items():
        location = instance.locations[pool.location]
        if workload.placement == "national" and not location.national:
            continue
        if workload.placement == "allied" and not location.is_allied:
            continue
        if instance.tier_index(pool.max_tier) < tier:
            continue
        if pool.kind == "cloud":
            if workload.resource not in (pool.price or {}):
                continue
        elif (name, workload.resource) not in holdable:
            continue
        pools.append(name)
    return pools


def all_allowed_pools(instance: Instance, holdable: set[tuple[str, str]] | None = None
                      ) -> dict[str, list[str]]:
    """Workload → the pools it may use, for every workload (as `allowed_pools`)."""
    if holdable is None:
        holdable = pools_that_can_hold(instance)
    return {name: allowed_pools(instance, name, holdable) for name in instance.workloads}


def pools_that_can_hold(instance: Instance) -> set[tuple[str, str]]:
    """(pool, resource) of every non-cloud pool that can ever have capacity of the
    resource: a pool that never can needs no allocation variables."""
    holdable = {(system.pool, resource) for system in instance.existing
                for resource, amount in system.capacity.items() if amount > 0}
    holdable |= {(product.pool, resource) for product in instance.products.values()
                 for resource in product.capacity}
    return holdable
