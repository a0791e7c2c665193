"""Random valid instances (plain dicts in instance format 1) for the independent checks.

`small_instance(seed)` draws a small instance that uses every feature of format 1 the
planner supports: up to 4 years, 2 resources, 3 tiers, 3 pools (national, eurohpc,
cloud), 4 products (batches, lead times, trends, fractional units), existing systems,
4 workloads (placements, tiers, min_coverage), budget caps, both shares, commitments and
`plan_from`. The same seed always gives the same instance. Numbers are short decimals so
that two solvers read exactly the same model. About one instance in eight is made
infeasible on purpose (a coverage floor a cap cannot pay for), so verdicts are checked too.

`add_scenarios(data, seed)` and `add_redundancy(data, seed)` add two-stage scenarios
(spec §6.2) or `redundant: true` workloads (spec §6.1) to a copy of such an instance, for
tests/test_crosscheck_scenarios.py; `usable_pools` works out by hand which pools a
workload may use.

`big_instance(seed)` is a larger instance whose proof of optimality takes HiGHS many
seconds, for tests of time limits and interrupts.
"""

from __future__ import annotations

import copy
import random
from typing import Any

FIRST = 2025

LOCATIONS = {
    "norway": {"national": True},
    "finland": {"national": False, "allied": True},
    "usa": {"national": False, "allied": False},
}

TIERS = [{"name": "open", "surcharge": 0.0}, {"name": "restricted", "surcharge": 0.25},
         {"name": "secret", "surcharge": 0.5}]


def _money(rng: random.Random, low: float, high: float) -> float:
    return round(rng.uniform(low, high), 2)


def small_instance(seed: int) -> dict[str, Any]:
    """A random valid small instance; see the module docstring."""
    rng = random.Random(seed)
    n_years = rng.randint(1, 4)
    last = FIRST + n_years - 1
    years = list(range(FIRST, last + 1))
    resources = ["gpu", "cpu"][:rng.randint(1, 2)]
    tiers = TIERS[:rng.randint(1, 3)]
    tier_names = [tier["name"] for tier in tiers]

    pools: dict[str, dict] = {"nat": {"kind": "national", "location": "norway",
                                      "max_tier": rng.choice(tier_names)}}
    if rng.random() < 0.4:
        pools["nat"]["fixed_opex"] = _money(rng, 0.5, 3)
    if rng.random() < 0.3:
        pools["nat"]["limit"] = {r: rng.choice([20, 40, 80]) for r in resources}
    if rng.random() < 0.7:
        pools["euro"] = {"kind": "eurohpc", "location": rng.choice(["finland", "norway"])}
    if rng.random() < 0.6:
        pools["cloud"] = {"kind": "cloud", "location": rng.choice(["finland", "usa"]),
                          "price": {r: _money(rng, 0.5, 3) for r in resources
                                    if rng.random() < 0.8}}
        if rng.random() < 0.4:
            pools["cloud"]["limit"] = {r: rng.choice([5, 10, 30]) for r in resources}
    buyable = [name for name, pool in pools.items() if pool["kind"] != "cloud"]

    products: dict[str, dict] = {}
    for index in range(rng.randint(1, 4)):
        pool = rng.choice(buyable)
        capacity = {r: rng.choice([1, 2, 4, 8]) for r in resources if rng.random() < 0.7}
        if not capacity:
            capacity = {rng.choice(resources): rng.choice([1, 2, 4])}
        item: dict[str, Any] = {
            "pool": pool, "capacity": capacity, "capex": _money(rng, 1, 10),
            "lifetime": rng.randint(1, 5),
        }
        if rng.random() < 0.3:
            item["capex_trend"] = rng.choice([-0.1, -0.05, 0.05])
        if rng.random() < 0.5:
            item["opex"] = _money(rng, 0.1, 1)
        if rng.random() < 0.3:
            item["lead_time"] = rng.randint(1, 2)
        if pools[pool]["kind"] == "eurohpc" or rng.random() < 0.15:
            item["integer"] = False
        if rng.random() < 0.3 and n_years > 1:
            item["years"] = sorted(rng.sample(years, rng.randint(1, n_years)))
        if rng.random() < 0.4:
            batch: dict[str, Any] = {"fixed_capex": _money(rng, 0.5, 5)}
            if rng.random() < 0.5:
                batch["fixed_opex"] = _money(rng, 0.1, 1)
            if rng.random() < 0.5:
                batch["min_units"] = rng.randint(1, 3)
            if rng.random() < 0.5:
                batch["max_units"] = rng.randint(batch.get("min_units", 1) + 1, 12)
            item["batch"] = batch
        products[f"p{index}"] = item

    existing = []
    if rng.random() < 0.5:
        system: dict[str, Any] = {
            "name": "old", "pool": "nat",
            "capacity": {r: rng.choice([1, 3, 5]) for r in resources},
            "last_year": rng.choice(years), "opex": _money(rng, 0, 2),
        }
        if rng.random() < 0.3:
            system["tier"] = pools["nat"]["max_tier"]
        existing.append(system)

    workloads: dict[str, dict] = {}
    for index in range(rng.randint(1, 4)):
        if rng.random() < 0.7:
            demand: Any = {"base": _money(rng, 2, 30), "growth": rng.choice([0, 0.1, 0.3])}
        else:
            demand = {year: _money(rng, 0, 30) for year in years}
        item = {"resource": rng.choice(resources), "demand": demand,
                "unmet_penalty": _money(rng, 0.5, 8)}
        if rng.random() < 0.3:
            item["tier"] = rng.choice(tier_names)
        if rng.random() < 0.4:
            item["placement"] = rng.choice(["national", "allied", "any"])
        if rng.random() < 0.15:
            item["min_coverage"] = rng.choice([0.2, 0.5])
        workloads[f"w{index}"] = item

    data: dict[str, Any] = {
        "format": 1, "name": f"random-{seed}",
        "years": {"first": FIRST, "last": last},
        "discount_rate": rng.choice([0, 0, 0.04]),
        "end_of_horizon": rng.choice(["salvage", "none"]),
        "resources": {"gpu": {"unit": "GPUs"}, "cpu": {"unit": "kcores"}},
        "tiers": tiers,
        "locations": LOCATIONS,
        "pools": pools,
        "products": products,
        "existing": existing,
        "workloads": workloads,
    }
    data["resources"] = {r: data["resources"][r] for r in resources}
    if rng.random() < 0.5:
        data["baseline_opex"] = rng.choice([_money(rng, 1, 5),
                                            {year: _money(rng, 1, 5) for year in years}])
    budget: dict[str, Any] = {}
    if rng.random() < 0.3:
        budget["total"] = _money(rng, 20, 150)
    for key in ("yearly", "investment", "national_investment", "eurohpc_investment",
                "operations"):
        if rng.random() < 0.2:
            budget[key] = rng.choice([_money(rng, 5, 60),
                                      {rng.choice(years): _money(rng, 5, 60)}])
    if budget:
        data["budget"] = budget
    policy: dict[str, Any] = {}
    if "euro" in pools and rng.random() < 0.4:
        share: dict[str, Any] = {"min": rng.choice([0, 0.1, 0.2])}
        if rng.random() < 0.5:
            share["max"] = rng.choice([0.3, 0.5])
        share["of"] = rng.choice(["investment", "national_investment", "spending"])
        if n_years > 1 and rng.random() < 0.5:
            share["years"] = [FIRST, rng.choice(years[1:])]
        policy["eurohpc_share"] = share
    if rng.random() < 0.3:
        policy["national_share"] = {"min": rng.choice([0.3, 0.6])}
        if rng.random() < 0.3:
            policy["national_share"]["resources"] = [rng.choice(resources)]
    if policy:
        data["policy"] = policy
    _add_commitments(rng, data, years)
    if rng.random() < 1 / 8:
        _make_infeasible(rng, data, years)
    return data


def _add_commitments(rng: random.Random, data: dict, years: list[int]) -> None:
    if rng.random() > 0.3:
        return
    name = rng.choice(sorted(data["products"]))
    product = data["products"][name]
    batch = product.get("batch", {})
    units = max(batch.get("min_units", 1), 1)
    commitment: dict[str, Any] = {"product": name, "year": years[0], "units": units}
    if rng.random() < 0.5:
        commitment["capex"] = round(product["capex"] * rng.choice([0.8, 1.1]), 2)
    data["committed"] = [commitment]
    if len(years) > 1 and rng.random() < 0.5:
        data["plan_from"] = years[1]


def _make_infeasible(rng: random.Random, data: dict, years: list[int]) -> None:
    """Full coverage of every workload at home with next to no money (usually infeasible:
    the verdict, whichever it is, must be the same from both solvers)."""
    for workload in data["workloads"].values():
        workload["min_coverage"] = 1.0
        workload["placement"] = "national"
    data["budget"] = {"yearly": round(rng.uniform(0.1, 2), 2)}


def big_instance(seed: int = 0, n_years: int = 12, n_pools: int = 12,
                 n_workloads: int = 20) -> dict[str, Any]:
    """A larger instance: many national sites with integer nodes, batches, fixed site
    costs and tiers. HiGHS finds plans quickly but takes far longer than a test may wait
    to prove one optimal at a tight gap."""
    rng = random.Random(seed)
    years = list(range(FIRST, FIRST + n_years))
    pools: dict[str, dict] = {}
    products: dict[str, dict] = {}
    for index in range(n_pools):
        name = f"site{index}"
        pools[name] = {"kind": "national", "location": "norway", "max_tier": "restricted",
                       "fixed_opex": _money(rng, 1, 4)}
        for kind in ("gpu", "cpu"):
            products[f"{kind}-node-{index}"] = {
                "pool": name, "capacity": {kind: rng.choice([3, 4, 5, 7])},
                "capex": _money(rng, 2, 6), "capex_trend": -0.03,
                "opex": _money(rng, 0.1, 0.6), "lifetime": rng.randint(3, 6),
                "batch": {"fixed_capex": _money(rng, 1, 4), "max_units": 40},
            }
    workloads = {
        f"w{index}": {
            "resource": rng.choice(["gpu", "cpu"]),
            "demand": {"base": _money(rng, 10, 60), "growth": rng.choice([0.05, 0.1, 0.2])},
            "tier": rng.choice(["open", "open", "restricted"]),
            "unmet_penalty": _money(rng, 2, 6),
            "min_coverage": rng.choice([0, 0.5]),
        }
        for index in range(n_workloads)
    }
    return {
        "format": 1, "name": f"big-{seed}",
        "years": {"first": years[0], "last": years[-1]},
        "discount_rate": 0.04,
        "resources": {"gpu": {"unit": "GPUs"}, "cpu": {"unit": "kcores"}},
        "tiers": TIERS[:2],
        "locations": LOCATIONS,
        "pools": pools,
        "products": products,
        "workloads": workloads,
        "budget": {"yearly": round(60 * n_pools / 4, 2)},
    }


# --- scenarios and N-1 redundancy on top of a small instance -------------------------------

# Probabilities that are exact in binary or add up to exactly 1 in floating point.
SCENARIO_PROBABILITIES = [(0.5, 0.5), (0.25, 0.75), (0.2, 0.3, 0.5), (0.25, 0.25, 0.5),
                          (0.125, 0.875)]


def plan_years(data: dict[str, Any]) -> list[int]:
    """The years from `plan_from` (default the first year) to the last."""
    first, last = data["years"]["first"], data["years"]["last"]
    return list(range(data.get("plan_from", first), last + 1))


def add_scenarios(data: dict[str, Any], seed: int, *, prices: bool = True) -> dict[str, Any]:
    """A copy of `data` with 2 or 3 scenarios and `decide_now` (the first plan year, the
    first two, or now and then any plan years), drawn from `seed` (independently of
    `small_instance`'s draw).

    Each scenario may scale demand of workloads and resources (factors 0 to 2), replace
    the growth of `{base, growth}` workloads (by workload, or by resource where no workload
    of that resource has a demand map, as spec §6.2 requires) and, with `prices`, scale
    the prices of products and cloud pools.
    """
    rng = random.Random(f"scenarios-{seed}")
    data = copy.deepcopy(data)
    years = plan_years(data)
    draw = rng.random()
    if len(years) > 1 and draw < 0.15:  # any plan years (spec §6.2), not only the first
        data["decide_now"] = sorted(rng.sample(years, rng.randint(1, len(years))))
    else:
        data["decide_now"] = years[:2] if len(years) > 1 and draw < 0.4 else years[:1]
    workloads = data["workloads"]
    growing = [name for name, item in workloads.items() if "base" in item["demand"]]
    resources = sorted(data["resources"])
    growable_resources = [r for r in resources if all(
        "base" in item["demand"] for item in workloads.values() if item["resource"] == r)]
    priced = sorted(data["products"]) + [name for name, pool in data["pools"].items()
                                         if pool["kind"] == "cloud"]
    scenarios = {}
    for index, probability in enumerate(rng.choice(SCENARIO_PROBABILITIES)):
        item: dict[str, Any] = {"probability": probability}
        scale = {name: rng.choice([0, 0.5, 0.75, 1.5, 2]) for name in [*workloads, *resources]
                 if rng.random() < 0.35}
        growth = {name: rng.choice([-0.2, 0, 0.2, 0.5])
                  for name in [*growing, *growable_resources] if rng.random() < 0.35}
        price = {name: rng.choice([0.5, 0.8, 1.25, 2]) for name in priced
                 if prices and rng.random() < 0.35}
        for key, value in (("demand_scale", scale), ("demand_growth", growth),
                           ("price_scale", price)):
            if value:
                item[key] = value
        scenarios[f"s{index}"] = item
    data["scenarios"] = scenarios
    return data


def usable_pools(data: dict[str, Any], workload: str) -> list[str]:
    """The pools a workload may use (spec §3, a(w,p,y)), worked out here from the dict:
    its placement allows the pool's location, the pool's max_tier is at least the
    workload's tier, and the pool can hold its resource (a cloud pool prices it; another
    pool has a product or an existing system providing it)."""
    item = data["workloads"][workload]
    tiers = [tier["name"] for tier in data.get("tiers") or [{"name": "open"}]]
    tier = tiers.index(item.get("tier", tiers[0]))
    resource = item["resource"]
    placement = item.get("placement", "any")
    pools = []
    for name, pool in data["pools"].items():
        location = data["locations"][pool["location"]]
        national = bool(location.get("national"))
        if placement == "national" and not national:
            continue
        if placement == "allied" and not (national or location.get("allied")):
            continue
        if tiers.index(pool.get("max_tier", tiers[0])) < tier:
            continue
        if pool["kind"] == "cloud":
            holds = resource in (pool.get("price") or {})
        else:
            holds = any(product["pool"] == name and resource in product["capacity"]
                        for product in data["products"].values()) or any(
                system["pool"] == name and system["capacity"].get(resource, 0) > 0
                for system in data.get("existing", []))
        if holds:
            pools.append(name)
    return pools


def add_redundancy(data: dict[str, Any], seed: int) -> dict[str, Any]:
    """A copy of `data` with one or two workloads `redundant: true`, each able to use at
    least two pools (`usable_pools`). A second national site `site2` (products for every
    resource at the highest tier) is added with probability 0.6, and wherever no workload
    could use two pools without it; a third, `site3`, if even that is not enough. Where
    the instance has several tiers, a redundant workload's tier is raised half the time
    (adding the sites it then needs), so that reservations need higher-tier capacity."""
    rng = random.Random(f"redundancy-{seed}")
    data = copy.deepcopy(data)
    tiers = [tier["name"] for tier in data.get("tiers") or [{"name": "open"}]]

    def add_site(name: str) -> None:
        data["pools"][name] = {"kind": "national", "location": "norway",
                               "max_tier": tiers[-1]}
        if rng.random() < 0.3:
            data["pools"][name]["fixed_opex"] = _money(rng, 0.5, 2)
        for resource in sorted(data["resources"]):
            item: dict[str, Any] = {"pool": name,
                                    "capacity": {resource: rng.choice([1, 2, 4])},
                                    "capex": _money(rng, 1, 10), "lifetime": rng.randint(1, 4)}
            if rng.random() < 0.4:
                item["opex"] = _money(rng, 0.1, 1)
            if rng.random() < 0.2:
                item["integer"] = False
            data["products"][f"{name}-{resource}"] = item

    def eligible() -> list[str]:
        return [name for name in data["workloads"] if len(usable_pools(data, name)) >= 2]

    if rng.random() < 0.6 or not eligible():
        add_site("site2")
    if not eligible():  # site2 and site3 together serve every workload
        add_site("site3")
    candidates = eligible()
    for name in rng.sample(candidates, min(len(candidates), rng.choice([1, 1, 2]))):
        data["workloads"][name]["redundant"] = True
        item = data["workloads"][name]
        if len(tiers) > 1 and rng.random() < 0.5:  # reservations that need a higher tier
            item["tier"] = rng.choice(tiers[1:])
            for site in ("site2", "site3"):  # both at the highest tier: two pools at least
                if len(usable_pools(data, name)) < 2 and site not in data["pools"]:
                    add_site(site)
    return data
