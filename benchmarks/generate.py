"""Big random instances for the benchmarks, from a seed and a size.

    python benchmarks/generate.py --seed 0 --years 30 --pools 60 --products 3 \
        --workloads 100 [--out benchmarks/instances/NAME.yaml]

Every feature of format 1 is in play: three security tiers, national sites with fixed
site costs and pool limits, EuroHPC pools with divisible shares, cloud pools with prices
and limits, products with batches (fixed costs, minimum and maximum units), lead times,
price trends and purchase windows, existing systems, workloads with tiers, placements and
minimum coverage, yearly and investment budget caps, a EuroHPC share and a national
share, and one commitment. The instance is feasible by construction: every workload with
a minimum coverage may use the cloud, which has no limit on its resource, and the caps
leave room for that. The same seed and size always give the same instance.

The instance file starts with a comment giving the command that made it (its settings);
its `name` says the seed and size too. `tests/support/generator.py` draws the small instances of
the cross-checks; this module takes its tiers, locations and rounding from there.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.support.generator import LOCATIONS, TIERS, _money  # noqa: E402

FIRST = 2025
RESOURCES = ("gpu", "cpu")


def size_name(seed: int, years: int, pools: int, products: int, workloads: int) -> str:
    return f"gen-s{seed}-y{years}-p{pools}-i{products}-w{workloads}"


def generate(seed: int, years: int, pools: int, products: int, workloads: int,
             yearly_cap_mnok: float | None = None) -> dict[str, Any]:
    """An instance (a plain dict in format 1) of `years` years, `pools` pools (about 70 %
    national sites, 15 % EuroHPC, 15 % cloud; at least one of each), `products` products
    per national or EuroHPC pool and `workloads` workloads. The yearly budget cap is
    `yearly_cap_mnok`, by default 25 MNOK a pool and 2 a workload (it binds: a hard
    instance); the investment caps are 80 % of it in about a third of the years."""
    rng = random.Random(f"benchmark-{seed}")
    year_list = list(range(FIRST, FIRST + years))
    tier_names = [tier["name"] for tier in TIERS]
    n_cloud = max(1, round(0.15 * pools))
    n_euro = max(1, round(0.15 * pools))
    n_national = max(1, pools - n_cloud - n_euro)

    pool_items: dict[str, dict] = {}
    product_items: dict[str, dict] = {}
    for index in range(n_national):
        name = f"site{index}"
        pool: dict[str, Any] = {"kind": "national", "location": "norway",
                                "max_tier": rng.choice(tier_names)}
        if rng.random() < 0.7:
            pool["fixed_opex"] = _money(rng, 0.5, 4)
        if rng.random() < 0.3:
            pool["limit"] = {r: rng.choice([200, 400, 800]) for r in RESOURCES}
        pool_items[name] = pool
        for number in range(products):
            product_items[f"{name}-n{number}"] = _product(rng, name, year_list, euro=False)
    for index in range(n_euro):
        name = f"euro{index}"
        pool_items[name] = {"kind": "eurohpc", "location": "finland"}
        for number in range(products):
            product_items[f"{name}-n{number}"] = _product(rng, name, year_list, euro=True)
    for index in range(n_cloud):
        name = f"cloud{index}"
        pool = {"kind": "cloud", "location": rng.choice(["finland", "usa"]),
                "price": {r: _money(rng, 1.5, 4) for r in RESOURCES}}
        if index > 0 and rng.random() < 0.5:  # cloud0 stays unlimited: the feasibility route
            pool["limit"] = {r: rng.choice([20, 50, 100]) for r in RESOURCES}
        pool_items[name] = pool
    pool_items["cloud0"]["location"] = "usa"

    existing = []
    for index in range(min(3, n_national)):
        existing.append({
            "name": f"old{index}", "pool": f"site{index}",
            "capacity": {r: rng.choice([10, 20, 40]) for r in RESOURCES},
            "last_year": rng.choice(year_list[:max(1, years // 3)]),
            "opex": _money(rng, 0.5, 2), "tier": pool_items[f"site{index}"]["max_tier"],
        })

    workload_items: dict[str, dict] = {}
    for index in range(workloads):
        item: dict[str, Any] = {
            "resource": rng.choice(RESOURCES),
            "demand": {"base": _money(rng, 5, 60), "growth": rng.choice([0.02, 0.05, 0.1])},
            "unmet_penalty": _money(rng, 4, 10),
        }
        draw = rng.random()
        if draw < 0.2:
            item["tier"] = "restricted"
        elif draw < 0.25:
            item["tier"] = "secret"
        # Tiered work stays at home; open work may go anywhere (the cloud among others).
        item["placement"] = "national" if "tier" in item else rng.choice(
            ["any", "any", "allied"])
        if item["placement"] == "any" and rng.random() < 0.3:
            item["min_coverage"] = rng.choice([0.2, 0.5])
        workload_items[f"w{index}"] = item

    yearly = round(yearly_cap_mnok or 25 * pools + 2 * workloads, 2)
    data: dict[str, Any] = {
        "format": 1, "name": size_name(seed, years, pools, products, workloads),
        "years": {"first": FIRST, "last": FIRST + years - 1},
        "discount_rate": 0.04,
        "end_of_horizon": "salvage",
        "resources": {"gpu": {"unit": "GPUs"}, "cpu": {"unit": "kcores"}},
        "tiers": TIERS,
        "locations": LOCATIONS,
        "pools": pool_items,
        "products": product_items,
        "existing": existing,
        "workloads": workload_items,
        "baseline_opex": _money(rng, 1, 5),
        "budget": {"yearly": yearly,
                   "investment": {year: round(0.8 * yearly, 2) for year in year_list
                                  if rng.random() < 0.3}},
        "policy": {"eurohpc_share": {"min": 0.05, "of": "investment"},
                   "national_share": {"min": 0.3}},
    }
    first_product = next(name for name in product_items if name.startswith("site0-"))
    data["committed"] = [{"product": first_product, "year": FIRST,
                          "units": max(1, product_items[first_product].get("batch", {})
                                       .get("min_units", 1)),
                          "tier": pool_items["site0"]["max_tier"]}]
    return data


def _product(rng: random.Random, pool: str, years: list[int], euro: bool) -> dict[str, Any]:
    resources = [rng.choice(RESOURCES)] if rng.random() < 0.8 else list(RESOURCES)
    item: dict[str, Any] = {
        "pool": pool, "capacity": {r: rng.choice([2, 4, 5, 8]) for r in resources},
        "capex": _money(rng, 3, 12), "capex_trend": rng.choice([-0.05, -0.03, 0]),
        "opex": _money(rng, 0.1, 0.8), "lifetime": rng.randint(4, 7),
    }
    if euro:
        item["integer"] = False
        return item
    if rng.random() < 0.3:
        item["lead_time"] = 1
    if rng.random() < 0.2 and len(years) > 4:
        start = rng.randrange(len(years) // 2)
        item["years"] = years[start:start + max(2, len(years) // 2)]
    if rng.random() < 0.6:
        batch: dict[str, Any] = {"fixed_capex": _money(rng, 1, 6)}
        if rng.random() < 0.5:
            batch["fixed_opex"] = _money(rng, 0.1, 1)
        if rng.random() < 0.5:
            batch["min_units"] = rng.randint(1, 3)
        if rng.random() < 0.3:
            batch["max_units"] = rng.randint(20, 60)
        item["batch"] = batch
    return item


def write_instance(data: dict[str, Any], path: Path, settings: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"# Generated by: python benchmarks/generate.py {settings}\n" + yaml.safe_dump(
        data, sort_keys=False, default_flow_style=None, width=100)
    path.write_text(text)


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--pools", type=int, default=60)
    parser.add_argument("--products", type=int, default=3)
    parser.add_argument("--workloads", type=int, default=100)
    parser.add_argument("--yearly-cap", type=float, default=None,
                        help="yearly budget cap in MNOK [default: 25 a pool + 2 a workload]")
    parser.add_argument("--out", type=Path, default=None)
    arguments = parser.parse_args(argv)
    settings = (f"--seed {arguments.seed} --years {arguments.years} --pools {arguments.pools} "
                f"--products {arguments.products} --workloads {arguments.workloads}")
    if arguments.yearly_cap is not None:
        settings += f" --yearly-cap {arguments.yearly_cap:g}"
    data = generate(arguments.seed, arguments.years, arguments.pools, arguments.products,
                    arguments.workloads, arguments.yearly_cap)
    path = arguments.out or HERE / "results" / "instances" / f"{data['name']}.yaml"
    write_instance(data, path, settings)
    print(path)
    return path


if __name__ == "__main__":
    main()
