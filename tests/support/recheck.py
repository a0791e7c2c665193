"""A plan recomputed from plan.json alone, with plain Python, from the spec's formulas.

`recheck(document)` takes the parsed plan.json of a solved plan and returns a list of
problems (empty when all is well). It reads only the document: the instance it holds and
the plan's tables. It imports nothing of the planner, so it shares no arithmetic with
the model: demand, prices, capacity in service, spending, shares and the objective are
worked out again here from the specification of instance format 1, and

- every number the plan reports (financing lines, unit prices, coverage, shares, budget
  slack, summary, objective) must match the recomputed one, and
- every constraint of the model must hold for the plan's purchases and allocation.

What the tables do not show is inferred the only way an optimal plan can have it: a
batch is bought (z = 1) exactly when units of it are, and a pool is in use (g = 1)
exactly when something is in service there. A plan that paid for an unused pool would
show up here as a spending mismatch. A batch bought with no units (allowed by the spec's
batch rows when `min_units` is 0, and chosen where a EuroHPC share's minimum makes it
the cheapest way to spend) is inferred from the financing plan and reported in `notes`.

A plan of an instance with `scenarios` (spec §6.2) is checked scenario by scenario: each
scenario's rows, with its demand and prices worked out here from the scenario's factors,
as a plan of its own; then the purchases decided now must be the same in every scenario
and the objective must be the probability-weighted sum of the scenarios' costs. The N-1
reservations of redundant workloads (spec §6.1) are checked against capacity and limits.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

# A constraint may be broken by this much, relative to the size of its terms: the
# solver's feasibility tolerance plus the rounding of values in the plan's tables.
FEASIBILITY = 1e-6
# Reported numbers may differ from recomputed ones by this much, relative.
AGREEMENT = 1e-6


def _per_year(value: Any, years: list[int]) -> dict[int, float]:
    """A "float or map year → float" value: one number for every year, or a partial map."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {int(year): float(amount) for year, amount in value.items()}
    return dict.fromkeys(years, float(value))


class _Check:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def holds(self, name: str, lhs: float, sense: str, rhs: float, scale: float) -> None:
        tolerance = FEASIBILITY * max(1.0, abs(scale), abs(rhs))
        broken = {"<=": lhs > rhs + tolerance, ">=": lhs < rhs - tolerance,
                  "==": abs(lhs - rhs) > tolerance}[sense]
        if broken:
            self.problems.append(f"{name}: {lhs!r} {sense} {rhs!r} is broken "
                                 f"by {abs(lhs - rhs):.3g}")

    def same(self, name: str, reported: Any, recomputed: float) -> None:
        if reported is None:
            reported = math.nan
        tolerance = AGREEMENT * max(1.0, abs(recomputed))
        if not abs(float(reported) - recomputed) <= tolerance:
            self.problems.append(f"{name}: the plan reports {reported!r}, recomputed "
                                 f"{recomputed!r}")


@dataclass
class Recheck:
    problems: list[str]  # numbers that disagree, constraints that are broken
    notes: list[str]  # what had to be inferred (batches bought with no units)


def recheck(document: dict, price_factor: dict[tuple[str, int], float] | None = None
            ) -> Recheck:
    """A solved plan's numbers and constraints checked; see the module docstring.

    `price_factor` ((product or cloud pool, year) → factor on its prices then) is given
    only for one scenario's part of a scenario plan.
    """
    if document["metadata"].get("scenarios") and price_factor is None:
        return _recheck_scenarios(document)
    factor = price_factor or {}

    def scaled(name: str, year: int) -> float:
        return factor.get((name, year), 1.0)

    check = _Check()
    notes: list[str] = []
    inst = document["instance"]
    tables = document["tables"]
    first, last = int(inst["years"]["first"]), int(inst["years"]["last"])
    years = list(range(first, last + 1))
    plan_from = int(inst.get("plan_from") or first)
    plan_years = [y for y in years if y >= plan_from]
    rho = float(inst.get("discount_rate", 0.0))
    delta = {y: (1 + rho) ** -(y - first) for y in years}

    tiers = inst.get("tiers") or [{"name": "open", "surcharge": 0.0}]
    tier_index = {tier["name"]: k for k, tier in enumerate(tiers)}
    surcharge = [float(tier.get("surcharge", 0.0)) for tier in tiers]

    def tier_of(name: str | None) -> int:
        return 0 if name is None else tier_index[name]

    locations = inst["locations"]
    pools = inst["pools"]
    kind = {p: pool["kind"] for p, pool in pools.items()}
    national = {p: bool(locations[pool["location"]]["national"]) for p, pool in pools.items()}
    allied = {p: national[p] or bool(locations[pool["location"]].get("allied"))
              for p, pool in pools.items()}
    max_tier = {p: tier_of(pool.get("max_tier")) for p, pool in pools.items()}
    limit = {p: pool.get("limit") or {} for p, pool in pools.items()}
    price = {p: pool.get("price") or {} for p, pool in pools.items()}
    products = inst.get("products") or {}
    workloads = inst["workloads"]
    resource_of = {w: item["resource"] for w, item in workloads.items()}

    # --- demand and coverage (spec §4.1) ---------------------------------------------
    demand: dict[tuple[str, int], float] = {}
    for w, item in workloads.items():
        given = item["demand"]
        for y in years:
            if "base" in given:
                demand[w, y] = float(given["base"]) * (1 + float(given["growth"])) ** (y - first)
            else:
                demand[w, y] = float(given[str(y)] if str(y) in given else given[y])

    served: dict[tuple[str, str, int], float] = defaultdict(float)
    for row in tables["allocation"]:
        served[row["workload"], row["pool"], int(row["year"])] += float(row["served"])
        check.holds(f"allocation {row['workload']}@{row['pool']} {row['year']} ≥ 0",
                    float(row["served"]), ">=", 0.0, 1.0)

    for (w, p, y), amount in served.items():
        item = workloads[w]
        placement = item.get("placement", "any")
        allowed = ((placement != "national" or national[p])
                   and (placement != "allied" or allied[p])
                   and max_tier[p] >= tier_of(item.get("tier"))
                   and (kind[p] != "cloud" or resource_of[w] in price[p]))
        if not allowed and amount > 0:
            check.problems.append(f"{w} is served from pool {p} in {y}, which it may not use")

    coverage_rows = {(row["workload"], int(row["year"])): row for row in tables["coverage"]}
    unserved: dict[tuple[str, int], float] = {}
    for w in workloads:
        for y in years:
            row = coverage_rows.get((w, y))
            if row is None:
                check.problems.append(f"coverage has no row for {w} in {y}")
                continue
            total = sum(amount for (ww, _, yy), amount in served.items() if ww == w and yy == y)
            unserved[w, y] = float(row["unserved"])
            check.same(f"coverage {w} {y} demand", row["demand"], demand[w, y])
            check.same(f"coverage {w} {y} served", row["served"], total)
            check.holds(f"demand balance {w} {y}", total + unserved[w, y], "==",
                        demand[w, y], demand[w, y])
            check.holds(f"unserved {w} {y} ≥ 0", unserved[w, y], ">=", 0.0, 1.0)
            if y in plan_years:
                floor = float(workloads[w].get("min_coverage", 0.0))
                check.holds(f"minimum coverage {w} {y}", unserved[w, y], "<=",
                            (1 - floor) * demand[w, y], demand[w, y])
            penalty = float(workloads[w]["unmet_penalty"]) * unserved[w, y]
            check.same(f"coverage {w} {y} unserved penalty", row["unserved_penalty_mnok"],
                       penalty)

    # --- purchases, prices, commitments, batches (spec §2, §3, §4.4, §5) -------------
    committed_units: dict[tuple[str, int, int], float] = defaultdict(float)
    committed_paid: dict[tuple[str, int, int], float] = defaultdict(float)
    for c in inst.get("committed") or []:
        name, year, k = c["product"], int(c["year"]), tier_of(c.get("tier"))
        forecast = _unit_capex(products[name], year, first) * (1 + surcharge[k])
        paid = forecast if c.get("capex") is None else float(c["capex"])
        committed_units[name, year, k] += float(c["units"])
        committed_paid[name, year, k] += float(c["units"]) * paid

    units: dict[tuple[str, int, int], float] = defaultdict(float)
    paid_price: dict[tuple[str, int, int], float] = {}
    for row in tables["purchases"]:
        name, year, k = row["product"], int(row["year"]), tier_of(row["tier"])
        key = (name, year, k)
        units[key] += float(row["units"])
        product = products[name]
        if key in committed_units and committed_units[key] > 0:
            expected = committed_paid[key] / committed_units[key]
        else:
            expected = _unit_capex(product, year, first) * (1 + surcharge[k]) * scaled(name,
                                                                                        year)
        paid_price[key] = expected
        check.same(f"purchase {key} unit capex", row["unit_capex_mnok"], expected)
        if row["pool"] != product["pool"]:
            check.problems.append(f"purchase {key} reported in pool {row['pool']}")
        if key not in committed_units:
            buyable = product.get("years") or years
            if year not in plan_years or year not in [int(b) for b in buyable]:
                check.problems.append(f"{units[key]:g} units of {name} bought in {year}, "
                                      "a year it cannot be bought")
        if k > max_tier[product["pool"]]:
            check.problems.append(f"{name} bought at tier {row['tier']} above its pool's")
        if product.get("integer", True):
            check.holds(f"whole units of {key}", units[key], "==", round(units[key]), 1.0)
        check.holds(f"units of {key} ≥ 0", units[key], ">=", 0.0, 1.0)
    for key, amount in committed_units.items():
        check.holds(f"commitment {key}", units.get(key, 0.0), "==", amount, amount)

    bought_per_year: dict[tuple[str, int], float] = defaultdict(float)
    for (name, year, _), amount in units.items():
        bought_per_year[name, year] += amount
    batch_on = {key: 1.0 for key, amount in bought_per_year.items()
                if amount > 0 and products[key[0]].get("batch") is not None}
    for (name, year) in batch_on:
        batch = products[name]["batch"]
        amount = bought_per_year[name, year]
        check.holds(f"batch min {name} {year}", amount, ">=",
                    float(batch.get("min_units", 0.0)), amount)
        if batch.get("max_units") is not None:
            check.holds(f"batch max {name} {year}", amount, "<=", float(batch["max_units"]),
                        amount)

    def service_years(name: str, bought: int) -> range:
        product = products[name]
        start = bought + int(product.get("lead_time", 0))
        return range(start, start + int(product["lifetime"]))

    # --- capacity in service, tiers, limits, pools in use (spec §4.2, 4.3, 4.5) ------
    capacity: dict[tuple[str, str, int, int], float] = defaultdict(float)  # at tier k exactly
    in_use: set[tuple[str, int]] = set()
    existing_opex = dict.fromkeys(years, 0.0)
    for e in inst.get("existing") or []:
        k = tier_of(e.get("tier"))
        for y in years:
            if y <= int(e["last_year"]):
                existing_opex[y] += float(e.get("opex", 0.0))
                for r, amount in e["capacity"].items():
                    capacity[e["pool"], r, y, k] += float(amount)
                if any(float(amount) > 0 for amount in e["capacity"].values()):
                    in_use.add((e["pool"], y))
    for (name, bought, k), amount in units.items():
        pool = products[name]["pool"]
        for y in service_years(name, bought):
            if y in years and amount > 0:
                in_use.add((pool, y))
                for r, per_unit in products[name]["capacity"].items():
                    capacity[pool, r, y, k] += float(per_unit) * amount

    def at_or_above(p: str, r: str, y: int, k: int) -> float:
        return sum(capacity.get((p, r, y, level), 0.0) for level in range(k, len(tiers)))

    resources = list(inst["resources"])
    for p in pools:
        for r in resources:
            for y in years:
                use = {w: served.get((w, p, y), 0.0) for w in workloads if resource_of[w] == r}
                if kind[p] != "cloud":
                    for k in range(max_tier[p] + 1):
                        work = sum(amount for w, amount in use.items()
                                   if tier_of(workloads[w].get("tier")) >= k)
                        check.holds(f"tier capacity {p} {r} {y} tier {k}", work, "<=",
                                    at_or_above(p, r, y, k), work)
                    if r in limit[p]:
                        standing = at_or_above(p, r, y, 0)
                        check.holds(f"pool limit {p} {r} {y}", standing, "<=",
                                    float(limit[p][r]), standing)
                elif r in limit[p]:
                    check.holds(f"cloud limit {p} {r} {y}", sum(use.values()), "<=",
                                float(limit[p][r]), sum(use.values()))

    # --- spending (spec §4.6) -------------------------------------------------------
    capex = {("national", y): 0.0 for y in years} | {("eurohpc", y): 0.0 for y in years}
    opex = dict.fromkeys(years, 0.0)
    baseline = _per_year(inst.get("baseline_opex", 0.0), years)
    salvage = 0.0
    for y in years:
        opex[y] += baseline.get(y, 0.0) + existing_opex[y]
        for p, pool in pools.items():
            if (p, y) in in_use and kind[p] == "national":
                opex[y] += float(pool.get("fixed_opex", 0.0))
    for (name, bought, k), amount in units.items():
        product = products[name]
        pool_kind = kind[product["pool"]]
        capex[pool_kind, bought] += paid_price[name, bought, k] * amount
        for y in service_years(name, bought):
            if y in years:
                opex[y] += float(product.get("opex", 0.0)) * (1 + surcharge[k]) * amount \
                    * scaled(name, y)
        salvage += _salvage_factor(product, bought, last, rho, delta, inst) \
            * paid_price[name, bought, k] * amount
    financing = {row["line"]: row for row in tables["financing"]}
    for (name, bought) in _empty_batches(financing, capex, batch_on, products, kind, years,
                                         plan_years, committed_units):
        batch_on[name, bought] = 1.0
        notes.append(f"a batch of {name} is bought in {bought} with no units (its fixed "
                     "capex counts; plan.json's purchases do not show it)")
    for (name, bought) in batch_on:
        product = products[name]
        batch = product["batch"]
        fixed_capex = float(batch.get("fixed_capex", 0.0)) * scaled(name, bought)
        capex[kind[product["pool"]], bought] += fixed_capex
        for y in service_years(name, bought):
            if y in years:
                opex[y] += float(batch.get("fixed_opex", 0.0)) * scaled(name, y)
        salvage += _salvage_factor(product, bought, last, rho, delta, inst) * fixed_capex
    for (w, p, y), amount in served.items():
        if kind[p] == "cloud":
            opex[y] += float(price[p].get(resource_of[w], 0.0)) * amount * scaled(p, y)
    penalty = {y: sum(float(workloads[w]["unmet_penalty"]) * unserved.get((w, y), 0.0)
                      for w in workloads) for y in years}

    lines = {"national_investment": {y: capex["national", y] for y in years},
             "eurohpc_investment": {y: capex["eurohpc", y] for y in years},
             "operations": opex}
    lines["sum"] = {y: sum(lines[line][y] for line in list(lines)) for y in years}
    for line, by_year in lines.items():
        for y in years:
            check.same(f"financing {line} {y}", financing[line][str(y)], by_year[y])
        check.same(f"financing {line} total", financing[line]["total"], sum(by_year.values()))

    # --- caps and policy (spec §4.7-4.9) --------------------------------------------
    def investment(y: int) -> float:
        return capex["national", y] + capex["eurohpc", y]

    quantity = {"yearly": lambda y: investment(y) + opex[y], "investment": investment,
                "national_investment": lambda y: capex["national", y],
                "eurohpc_investment": lambda y: capex["eurohpc", y],
                "operations": lambda y: opex[y]}
    budget = inst.get("budget") or {}
    spent_total = sum(quantity["yearly"](y) for y in years)
    if budget.get("total") is not None:
        check.holds("budget total", spent_total, "<=", float(budget["total"]), spent_total)
    for key, spent in quantity.items():
        for y, cap in _per_year(budget.get(key), years).items():
            if y in plan_years:
                check.holds(f"budget {key} {y}", spent(y), "<=", cap, spent(y))
    for row in tables["budget"]:
        key, y = row["cap"], row["year"]
        recomputed = spent_total if key == "total" else quantity[key](int(y))
        check.same(f"budget table {key} {y} spent", row["spent_mnok"], recomputed)

    policy = inst.get("policy") or {}
    share = policy.get("eurohpc_share")
    share_years = years
    if share is not None and share.get("years") is not None:
        share_years = [y for y in years if share["years"][0] <= y <= share["years"][1]]
    of = (share or {}).get("of", "investment")
    eurohpc = sum(capex["eurohpc", y] for y in share_years)
    base = {"investment": sum(investment(y) for y in share_years),
            "national_investment": sum(capex["national", y] for y in share_years),
            "spending": sum(investment(y) + opex[y] for y in share_years)}[of]
    if share is not None:
        check.holds("eurohpc share min", eurohpc, ">=", float(share.get("min", 0.0)) * base,
                    base)
        if share.get("max") is not None:
            check.holds("eurohpc share max", eurohpc, "<=", float(share["max"]) * base, base)
    shares = tables["shares"]
    eurohpc_row = next(row for row in shares if row["share"] == "eurohpc")
    check.same("shares eurohpc numerator", eurohpc_row["numerator"], eurohpc)
    check.same("shares eurohpc base", eurohpc_row["base"], base)

    national_share = policy.get("national_share")
    listed = set((national_share or {}).get("resources") or resources)
    for row in shares:
        if row["share"] != "national":
            continue
        r, y = row["resource"], int(row["years"])
        here = {(w, p): amount for (w, p, yy), amount in served.items()
                if yy == y and resource_of[w] == r}
        total = sum(here.values())
        home = sum(amount for (_, p), amount in here.items() if national[p])
        check.same(f"shares national {r} {y} numerator", row["numerator"], home)
        check.same(f"shares national {r} {y} base", row["base"], total)
        if national_share is not None and r in listed:
            check.holds(f"national share {r} {y}", home, ">=",
                        float(national_share["min"]) * total, total)

    # --- N-1 reservations (spec §6.1) ---------------------------------------------------
    reserved: dict[tuple[str, str, int], float] = defaultdict(float)
    for row in tables.get("redundancy") or []:
        w, p, y = row["workload"], row["pool"], int(row["year"])
        reserved[w, p, y] += float(row["reserved"])
        check.holds(f"reservation {w}@{p} {y} ≥ 0", float(row["reserved"]), ">=", 0.0, 1.0)
    for w, item in workloads.items():
        if not item.get("redundant"):
            continue
        for y in plan_years:
            total = sum(amount for (ww, _, yy), amount in served.items() if ww == w and yy == y)
            pools_of_w = {p for (ww, p, yy) in reserved if ww == w and yy == y}
            if total > 0 and len(pools_of_w) < 2:
                check.problems.append(f"redundant {w} in {y} has reservations at "
                                      f"{sorted(pools_of_w)} only")
            for lost in pools_of_w:
                backup = sum(reserved[w, p, y] for p in pools_of_w if p != lost)
                check.holds(f"N-1 cover {w} {y} losing {lost}", backup, ">=", total, total)
    for p in pools:
        for r in resources:
            for y in plan_years:
                held = {w: reserved.get((w, p, y), 0.0) for w in workloads
                        if resource_of[w] == r and workloads[w].get("redundant")}
                if kind[p] != "cloud":
                    for k in range(max_tier[p] + 1):
                        amount = sum(value for w, value in held.items()
                                     if tier_of(workloads[w].get("tier")) >= k)
                        check.holds(f"reservation capacity {p} {r} {y} tier {k}", amount,
                                    "<=", at_or_above(p, r, y, k), amount)
                elif r in limit[p]:
                    check.holds(f"cloud reservation limit {p} {r} {y}", sum(held.values()),
                                "<=", float(limit[p][r]), sum(held.values()))

    # --- objective (spec §4) ----------------------------------------------------------
    if inst.get("end_of_horizon", "salvage") != "salvage":
        salvage = 0.0
    objective = sum(delta[y] * (investment(y) + opex[y] + penalty[y]) for y in years) - salvage
    summary = document["summary"]
    check.same("metadata objective", document["metadata"]["objective_mnok"], objective)
    check.same("summary objective", summary["objective_mnok"], objective)
    check.same("summary salvage", summary["salvage_mnok"], salvage)
    check.same("summary spending", summary["spending_mnok"], spent_total)
    check.same("summary operations", summary["operations_mnok"], sum(opex.values()))
    check.same("summary unserved penalty", summary["unserved_penalty_mnok"],
               sum(penalty.values()))
    return Recheck(check.problems, notes)


def _empty_batches(financing: dict, capex: dict, batch_on: dict, products: dict, kind: dict,
                   years: list[int], plan_years: list[int],
                   committed: dict) -> list[tuple[str, int]]:
    """Batches bought with no units: the spec's batch rows allow z = 1 with no units when
    `min_units` is 0, and a EuroHPC share's minimum can make that the cheapest way to
    spend. plan.json lists no such batch, so it is inferred from the financing plan: the
    subset of possible empty batches whose fixed capex makes up the capex not explained
    by the units bought (each line and year has at most a few candidates)."""
    line = {"national": "national_investment", "eurohpc": "eurohpc_investment"}
    found = []
    for (pool_kind, year), explained in capex.items():
        candidates = []
        for name, product in products.items():
            batch = product.get("batch")
            buyable = [int(b) for b in product.get("years") or years]
            cell_exists = (year in plan_years and year in buyable) or any(
                key[:2] == (name, year) for key in committed)
            if (batch is not None and kind[product["pool"]] == pool_kind and cell_exists
                    and (name, year) not in batch_on and float(batch.get("fixed_capex", 0))):
                candidates.append((name, float(batch["fixed_capex"])))
        missing = float(financing[line[pool_kind]][str(year)]) - explained - sum(
            float(products[name]["batch"].get("fixed_capex", 0.0))
            for (name, bought) in batch_on
            if bought == year and kind[products[name]["pool"]] == pool_kind)
        if missing <= AGREEMENT * max(1.0, explained) or not candidates:
            continue
        for size in range(1, len(candidates) + 1):
            match = next((subset for subset in itertools.combinations(candidates, size)
                          if abs(sum(cost for _, cost in subset) - missing)
                          <= AGREEMENT * max(1.0, missing)), None)
            if match is not None:
                found += [(name, year) for name, _ in match]
                break
    return found


def _unit_capex(product: dict, year: int, first: int) -> float:
    """c(i,b) = capex·(1 + capex_trend)^(b − first)."""
    return float(product["capex"]) * (1 + float(product.get("capex_trend", 0.0))) ** (
        year - first)


def _salvage_factor(product: dict, bought: int, last: int, rho: float,
                    delta: dict[int, float], inst: dict) -> float:
    """δ(last)/(1+ρ)·m/lifetime for a purchase still in service after `last`, else 0."""
    if inst.get("end_of_horizon", "salvage") != "salvage":
        return 0.0
    lifetime = int(product["lifetime"])
    end = bought + int(product.get("lead_time", 0)) + lifetime - 1
    if end <= last:
        return 0.0
    return delta[last] / (1 + rho) * min(lifetime, end - last) / lifetime


def _recheck_scenarios(document: dict) -> Recheck:
    """A scenario plan: each scenario rechecked as a plan of its own, with its demand and
    prices; the purchases decided now the same in all; the objective their expectation."""
    inst = document["instance"]
    tables = document["tables"]
    scenarios = inst["scenarios"]
    first, last = int(inst["years"]["first"]), int(inst["years"]["last"])
    years = list(range(first, last + 1))
    decide_now = [int(y) for y in inst.get("decide_now") or [inst.get("plan_from") or first]]
    problems: list[str] = []
    notes: list[str] = []
    expected = 0.0
    shared: dict[str, list] = {}
    rows_by_scenario = {row["scenario"]: row for row in tables["scenarios"]}
    for name, scenario in scenarios.items():
        part = {
            "metadata": {"objective_mnok": rows_by_scenario[name]["objective_mnok"]},
            "summary": rows_by_scenario[name],
            "instance": _scenario_instance(inst, scenario),
            "tables": {table: [{key: value for key, value in row.items()
                                if key not in ("scenario", "first_stage")}
                               for row in rows if row.get("scenario") == name]
                       for table, rows in tables.items()
                       if table not in ("scenarios", "first_stage", "value_of_information",
                                        "ev_first_stage")},
        }
        factors = {}
        for priced, value in (scenario.get("price_scale") or {}).items():
            for y in years:
                if y > max(decide_now):
                    factors[priced, y] = float(value)
        result = recheck(part, price_factor=factors)
        problems += [f"scenario {name}: {problem}" for problem in result.problems]
        notes += [f"scenario {name}: {note}" for note in result.notes]
        expected += float(scenario["probability"]) * float(rows_by_scenario[name][
            "objective_mnok"])
        shared[name] = sorted((row["product"], int(row["year"]), row["tier"], row["units"])
                              for row in part["tables"]["purchases"]
                              if int(row["year"]) in decide_now)
    reference = next(iter(shared.values()))
    for name, purchases in shared.items():
        if purchases != reference:
            problems.append(f"scenario {name}: the purchases decided now differ from the "
                            f"first scenario's: {purchases} vs {reference}")
    check = _Check()
    check.same("metadata objective (expected cost)", document["metadata"]["objective_mnok"],
               expected)
    check.same("summary objective (expected cost)", document["summary"]["objective_mnok"],
               expected)
    return Recheck(problems + check.problems, notes)


def _scenario_instance(inst: dict, scenario: dict) -> dict:
    """The instance with a scenario's demand: a workload's own demand_scale/demand_growth
    entry, else its resource's; growth replaces the growth of {base, growth} demand."""
    scale = scenario.get("demand_scale") or {}
    growth = scenario.get("demand_growth") or {}
    workloads = {}
    for w, item in inst["workloads"].items():
        factor = float(scale.get(w, scale.get(item["resource"], 1.0)))
        given = item["demand"]
        if "base" in given:
            demand = {"base": float(given["base"]) * factor,
                      "growth": float(growth.get(w, growth.get(item["resource"],
                                                               given["growth"])))}
        else:
            demand = {year: float(amount) * factor for year, amount in given.items()}
        workloads[w] = {**item, "demand": demand}
    return {key: value for key, value in inst.items() if key != "scenarios"} | {
        "workloads": workloads}
