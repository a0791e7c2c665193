"""A plan's allocations per workload, read from the allocations per demand class.

The model allocates per demand class (`ModelData.demand_classes`: workloads of one
resource, tier, redundancy and list of pools), since no row but the demand balance tells
the workloads of a class apart. A plan reports a(w,p,y) per workload, so each class's
a(c,p,y) is split over its workloads here, by a fixed rule: its workloads in instance
order, each served D(w,y) − u(w,y), take from its pools in the class's order, each
workload filling up from the pool the one before it stopped at. Every workload is then
served exactly what its demand balance says, and every pool holds exactly the class's
allocation (spec §4.1, §4.2). Reservations v(c,p,y) are split in proportion to what
each workload is served, which meets each workload's N-1 row (spec §6.1) because the
class's row holds: Σ_{p≠s} v(w,p,y) = share_w·Σ_{p≠s} v(c,p,y) ≥ share_w·Σ_p a(c,p,y).

A class of one workload is its workload: its values are taken as they are.
"""

from __future__ import annotations

from planner.data.derive import ModelData
from planner.data.numerics import SOLVER_NOISE
from planner.models.variables import redundant_classes


def split_served(data: ModelData, served_by_class: dict[tuple[str, str, int], float],
                 unserved: dict[tuple[str, int], float]) -> dict[tuple[str, str, int], float]:
    """(workload, pool, year) → a(w,p,y), in the order of one allocation per workload:
    workloads in instance order, then their pools, then years. A workload alone in its
    class has every (pool, year) of its class, zeros included; a workload that shares its
    class has only the allocations the split gives it (an absent key is 0: with a
    thousand workloads of a hundred pools, the zeros would be millions)."""
    if len(data.demand_classes) == len(data.allowed_pools):
        return served_by_class  # every class is one workload, keyed in that order
    split: dict[str, list[tuple[int, int, float]]] = {}  # workload → (pool, year, a)
    for lead, members in data.demand_classes.items():
        if len(members) == 1:
            continue  # read in place below
        pools = data.allowed_pools[lead]
        for year_index, year in enumerate(data.years):
            left = [served_by_class[lead, pool, year] for pool in pools]
            at = 0
            for number, workload in enumerate(members):
                need = max(0.0, data.demand[workload, year] - unserved[workload, year])
                taken_here = split.setdefault(workload, [])
                while at < len(pools):
                    if number == len(members) - 1:
                        # The last workload takes what is left: the class's pools stay
                        # whole, and rounding noise stays in one place.
                        taken, left[at] = left[at], 0.0
                    else:
                        taken = min(need, left[at])
                        need, left[at] = need - taken, left[at] - taken
                    if abs(taken) >= SOLVER_NOISE:  # else what is left of subtracting equal amounts
                        taken_here.append((at, year_index, taken))
                    if number < len(members) - 1 and need <= 0.0:
                        break
                    at += 1
    years = data.years
    ordered: dict[tuple[str, str, int], float] = {}
    for workload, pools in data.allowed_pools.items():
        if workload in split:
            for pool_index, year_index, amount in sorted(split[workload]):
                ordered[workload, pools[pool_index], years[year_index]] = amount
        else:
            for pool in pools:
                for year in years:
                    ordered[workload, pool, year] = served_by_class[workload, pool, year]
    return ordered


def split_reserved(data: ModelData, reserved_by_class: dict[tuple[str, str, int], float],
                   served: dict[tuple[str, str, int], float]
                   ) -> dict[tuple[str, str, int], float]:
    """(workload, pool, year) → v(w,p,y), for the redundant workloads, from the class's
    v(c,p,y) in proportion to Σ_p a(w,p,y) (to D(w,y) where the class is served nothing,
    equal parts where it has no demand either)."""
    split: dict[tuple[str, str, int], float] = {}
    for lead in redundant_classes(data):
        members = data.demand_classes[lead]
        if len(members) == 1:
            continue  # read in place below
        pools = data.allowed_pools[lead]
        for year in data.plan_years:
            weights = [sum(served.get((workload, pool, year), 0.0) for pool in pools)
                       for workload in members]
            if sum(weights) <= 0.0:
                weights = [data.demand[workload, year] for workload in members]
            if sum(weights) <= 0.0:
                weights = [1.0] * len(members)
            total = sum(weights)
            for workload, weight in zip(members, weights, strict=True):
                for pool in pools:
                    split[workload, pool, year] = reserved_by_class[lead, pool, year] * (
                        weight / total)
    # Workloads in instance order, then their pools, then years; a workload alone in its
    # class has its class's value.
    keys = [(workload, pool, year) for workload in data.redundant_workloads
            for pool in data.allowed_pools[workload] for year in data.plan_years]
    return {key: split[key] if key in split else reserved_by_class[key] for key in keys}
