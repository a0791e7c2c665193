"""The placement rule: which pools a workload may use. Validation (`planner.input.checks`)
needs it to say a workload has nowhere to run; the derived data (`planner.data.derive`)
creates allocation variables only for these pools."""

from __future__ import annotations

from planner.input.schema import Instance


def allowed_pools(instance: Instance, workload_name: str) -> list[str]:
    """Pools a workload may use: placement, tier, and (cloud) a price for its resource."""
    workload = instance.workloads[workload_name]
    tier = instance.tier_index(workload.tier)
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
        elif not _pool_can_hold(instance, name, workload.resource):
            continue
        pools.append(name)
    return pools


def _pool_can_hold(instance: Instance, pool: str, resource: str) -> bool:
    # A pool that can never have capacity of a resource needs no allocation variables.
    return any(
        system.pool == pool and system.capacity.get(resource, 0) > 0
        for system in instance.existing
    ) or any(
        product.pool == pool and resource in product.capacity
        for product in instance.products.values()
    )
