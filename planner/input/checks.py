"""Checks that relate one part of an instance to another (names, years, tiers, batches).

`planner.input.schema` has already checked each value's type and range; here every rule of
the spec that spans keys is checked, and each problem names its own key path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from planner.input.errors import Problem, brief
from planner.input.placement import allowed_pools, pools_that_can_hold
from planner.input.schema import PROBABILITY_SUM_TOLERANCE, Instance, YearValues


def _unknown(kind: str, name: object, known: Iterable[str], shown: int = 20) -> str:
    known = sorted(known)
    names = ", ".join(known[:shown]) or "none are defined"
    if len(known) > shown:
        names += f", … ({len(known) - shown} more)"
    return f"unknown {kind} {brief(name)} (expected one of: {names})"


def _duplicates(names: list[str]) -> list[str]:
    seen: set[str] = set()
    return [name for name in names if name in seen or seen.add(name)]


def _year_map_problems(path: str, value: YearValues | None, years: list[int]) -> list[Problem]:
    if not isinstance(value, dict):
        return []
    return [
        Problem(f"{path}.{year}", f"year {year} is outside the planning years "
                                  f"{years[0]}..{years[-1]}")
        for year in value if year not in years
    ]


def _existing_over_limit(instance: Instance) -> list[Problem]:
    """Existing capacity alone above its pool's limit can never be planned around."""
    problems = []
    for name, pool in instance.pools.items():
        for resource, limit in (pool.limit or {}).items():
            for year in instance.year_list:
                standing = sum(system.capacity.get(resource, 0.0) for system in instance.existing
                               if system.pool == name and year <= system.last_year)
                if standing > limit + 1e-9:
                    problems.append(Problem(
                        f"pools.{name}.limit.{resource}",
                        f"existing systems already have {standing:g} in {year}, above the "
                        f"limit of {limit:g}"))
                    break
    return problems


def check_instance(instance: Instance) -> list[Problem]:
    """Every cross-key problem of an instance; an empty list means it is valid."""
    problems: list[Problem] = []
    add = problems.append
    years = instance.year_list
    first, last = instance.years.first, instance.years.last
    if last < first:
        add(Problem("years.last", f"expected a year ≥ years.first ({first}), got {last}"))
        return problems  # every later check needs a horizon

    tier_names = instance.tier_names
    for name in _duplicates(tier_names):
        add(Problem(f"tiers.{name}", "tier name given twice"))
    for name in _duplicates([system.name for system in instance.existing]):
        add(Problem(f"existing.{name}", "existing system name given twice"))

    for name, location in instance.locations.items():
        if location.national and location.allied is False:
            add(Problem(f"locations.{name}.allied",
                        "a national location is allied too; expected true or no key"))

    def tier_position(path: str, tier: str | None) -> int | None:
        if tier is None:
            return 0
        if tier not in tier_names:
            add(Problem(path, _unknown("tier", tier, tier_names)))
            return None
        return tier_names.index(tier)

    pool_max_tier: dict[str, int] = {}
    for name, pool in instance.pools.items():
        path = f"pools.{name}"
        if pool.location not in instance.locations:
            add(Problem(f"{path}.location",
                        _unknown("location", pool.location, instance.locations)))
        position = tier_position(f"{path}.max_tier", pool.max_tier)
        pool_max_tier[name] = position or 0
        if pool.kind != "national":
            if position:
                add(Problem(f"{path}.max_tier", f"a {pool.kind} pool may only have the "
                                                f"lowest tier ({tier_names[0]!r})"))
            if pool.fixed_opex > 0:
                add(Problem(f"{path}.fixed_opex", "only national pools have a fixed_opex"))
        if pool.price is not None and pool.kind != "cloud":
            add(Problem(f"{path}.price", "only cloud pools have a price; "
                                         "national and eurohpc capacity is bought as products"))
        for key in ("limit", "price"):
            for resource in getattr(pool, key) or {}:
                if resource not in instance.resources:
                    add(Problem(f"{path}.{key}.{resource}",
                                _unknown("resource", resource, instance.resources)))

    for name, product in instance.products.items():
        path = f"products.{name}"
        pool = instance.pools.get(product.pool)
        if pool is None:
            add(Problem(f"{path}.pool", _unknown("pool", product.pool, instance.pools)))
        elif pool.kind == "cloud":
            add(Problem(f"{path}.pool", f"pool {product.pool!r} is a cloud pool; cloud is "
                                        "paid per use through the pool's price, not bought"))
        for resource in product.capacity:
            if resource not in instance.resources:
                add(Problem(f"{path}.capacity.{resource}",
                            _unknown("resource", resource, instance.resources)))
        for year in product.years or []:
            if year not in years:
                add(Problem(f"{path}.years", f"year {year} is outside the planning years "
                                             f"{first}..{last}"))
        batch = product.batch
        if batch is not None and batch.max_units is not None:
            if batch.min_units > batch.max_units:
                add(Problem(f"{path}.batch.min_units",
                            f"expected min_units ≤ max_units ({batch.max_units:g}), "
                            f"got {batch.min_units:g}"))
            if batch.max_units == 0:
                add(Problem(f"{path}.batch.max_units", "expected a number > 0"))

    for system in instance.existing:
        path = f"existing.{system.name}"
        pool = instance.pools.get(system.pool)
        if pool is None:
            add(Problem(f"{path}.pool", _unknown("pool", system.pool, instance.pools)))
        elif pool.kind == "cloud":
            add(Problem(f"{path}.pool", "a cloud pool holds no capacity of its own"))
        position = tier_position(f"{path}.tier", system.tier)
        if pool is not None and position is not None and position > pool_max_tier[system.pool]:
            add(Problem(f"{path}.tier", f"tier {system.tier!r} is above pool "
                                        f"{system.pool!r}'s max_tier"))
        for resource in system.capacity:
            if resource not in instance.resources:
                add(Problem(f"{path}.capacity.{resource}",
                            _unknown("resource", resource, instance.resources)))

    problems += _existing_over_limit(instance)

    for name, workload in instance.workloads.items():
        path = f"workloads.{name}"
        if workload.resource not in instance.resources:
            add(Problem(f"{path}.resource",
                        _unknown("resource", workload.resource, instance.resources)))
        tier_position(f"{path}.tier", workload.tier)
        if isinstance(workload.demand, dict):
            missing = [year for year in years if year not in workload.demand]
            if missing:
                add(Problem(f"{path}.demand", "a demand map must give every planning year; "
                                              f"missing {', '.join(map(str, missing))}"))
            for year in workload.demand:
                if year not in years:
                    add(Problem(f"{path}.demand.{year}", f"year {year} is outside the "
                                                         f"planning years {first}..{last}"))

    problems += _year_map_problems("baseline_opex", instance.baseline_opex, years)
    for key in ("yearly", "investment", "national_investment", "eurohpc_investment",
                "operations"):
        problems += _year_map_problems(f"budget.{key}", getattr(instance.budget, key), years)

    share = instance.policy.eurohpc_share
    if share is not None:
        if share.max is not None and share.min > share.max:
            add(Problem("policy.eurohpc_share.min",
                        f"expected min ≤ max ({share.max:g}), got {share.min:g}"))
        if share.years is not None:
            start, end = share.years
            if start > end:
                add(Problem("policy.eurohpc_share.years",
                            f"expected [from, to] with from ≤ to, got [{start}, {end}]"))
            for year in share.years:
                if year not in years:
                    add(Problem("policy.eurohpc_share.years", f"year {year} is outside the "
                                                              f"planning years {first}..{last}"))
    national = instance.policy.national_share
    if national is not None:
        for resource in national.resources or []:
            if resource not in instance.resources:
                add(Problem("policy.national_share.resources",
                            _unknown("resource", resource, instance.resources)))

    if instance.plan_from is not None and not first <= instance.plan_from <= last:
        add(Problem("plan_from", f"expected a year in {first}..{last}, "
                                 f"got {instance.plan_from}"))

    units_per_cell: dict[tuple[str, int], float] = defaultdict(float)
    for position, commitment in enumerate(instance.committed):
        path = f"committed[{position}]"
        product = instance.products.get(commitment.product)
        if product is None:
            add(Problem(f"{path}.product",
                        _unknown("product", commitment.product, instance.products)))
            continue
        if commitment.year not in years:
            add(Problem(f"{path}.year", f"year {commitment.year} is outside the planning "
                                        f"years {first}..{last}"))
        tier = tier_position(f"{path}.tier", commitment.tier)
        pool_tier = pool_max_tier.get(product.pool, 0)
        if tier is not None and tier > pool_tier:
            add(Problem(f"{path}.tier", f"tier {commitment.tier!r} is above the max_tier of "
                                        f"pool {product.pool!r}"))
        if product.integer and commitment.units != int(commitment.units):
            add(Problem(f"{path}.units", f"product {commitment.product!r} is bought in whole "
                                         f"units; got {commitment.units:g}"))
        units_per_cell[(commitment.product, commitment.year)] += commitment.units

    for (product_name, year), units in units_per_cell.items():
        batch = instance.products[product_name].batch
        if batch is None or units == 0:
            continue
        if units < batch.min_units or (batch.max_units is not None and units > batch.max_units):
            upper = "no maximum" if batch.max_units is None else f"at most {batch.max_units:g}"
            add(Problem("committed", f"{units:g} units of {product_name!r} committed in {year} "
                                     f"break its batch (at least {batch.min_units:g}, {upper})"))

    problems += _scenario_problems(instance)
    if not problems:  # the pools a workload may use are known only in a consistent instance
        problems += _redundancy_problems(instance)
    return problems


def _redundancy_problems(instance: Instance) -> list[Problem]:
    """A redundant workload must be able to use at least two pools (spec §6.1)."""
    problems = []
    holdable = pools_that_can_hold(instance)
    for name, workload in instance.workloads.items():
        if not workload.redundant:
            continue
        pools = allowed_pools(instance, name, holdable)
        if len(pools) < 2:
            usable = f"only pool {pools[0]!r}" if pools else "no pool at all"
            problems.append(Problem(
                f"workloads.{name}.redundant",
                f"a redundant workload must be able to use at least two pools, so that it "
                f"survives the loss of one; this one may use {usable} (its placement, tier "
                f"and resource decide which pools it may use)"))
    return problems


def _scenario_problems(instance: Instance) -> list[Problem]:
    """Scenario names refer to workloads, resources, products and cloud pools; the
    probabilities add up to 1; `decide_now` names plan years (spec §6.2)."""
    problems: list[Problem] = []
    add = problems.append
    plan_years = [year for year in instance.year_list if year >= instance.first_plan_year]
    if instance.decide_now is not None:
        for year in _duplicates([str(year) for year in instance.decide_now]):
            add(Problem("decide_now", f"year {year} is given twice"))
        for year in instance.decide_now:
            if year not in plan_years:
                add(Problem("decide_now", f"expected plan years ({plan_years[0]}.."
                                          f"{plan_years[-1]}), got {year}"))
    if instance.scenarios is None:
        return problems
    if instance.priority == "coverage":
        add(Problem("priority", "coverage is not defined for an instance with scenarios "
                                "(its objective is the expected cost); expected cost"))
    total = sum(scenario.probability for scenario in instance.scenarios.values())
    if abs(total - 1) > PROBABILITY_SUM_TOLERANCE:
        given = ", ".join(f"{name} {scenario.probability:g}"
                          for name, scenario in instance.scenarios.items())
        add(Problem("scenarios", f"the probabilities must add up to 1; they add up to "
                                 f"{total:.12g} ({given})"))
    demand_names = sorted({*instance.workloads, *instance.resources})
    price_names = sorted({*instance.products} | {
        name for name, pool in instance.pools.items() if pool.kind == "cloud"})
    for name, scenario in instance.scenarios.items():
        path = f"scenarios.{name}"
        for key in ("demand_scale", "demand_growth"):
            for target in getattr(scenario, key):
                if target not in demand_names:
                    add(Problem(f"{path}.{key}.{target}",
                                _unknown("workload or resource", target, demand_names)))
        for target in scenario.price_scale:
            if target not in price_names:
                add(Problem(f"{path}.price_scale.{target}",
                            _unknown("product or cloud pool", target, price_names)))
        for target in scenario.demand_growth:
            fixed = [workload for workload, item in instance.workloads.items()
                     if isinstance(item.demand, dict) and (
                         workload == target
                         or (item.resource == target and workload not in scenario.demand_growth))]
            if fixed:
                add(Problem(f"{path}.demand_growth.{target}",
                            f"would replace the growth of {', '.join(map(repr, fixed))}, whose "
                            "demand is a map of years with no growth; give those workloads "
                            "a demand_scale instead, or name the workloads to grow"))
    return problems
