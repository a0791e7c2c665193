"""Independent cross-checks of two-stage plans (spec §6.2) and N−1 redundancy (spec §6.1)
on random small instances (`tests/support/generator.py`: `small_instance` plus `add_scenarios`
and `add_redundancy`), with fixed seeds so any failure can be replayed.

- **A second solver.** The extensive form (and the model with redundancy rows) is
  exported with `write_model` and solved by CBC, as in `test_crosscheck.py` (its MPS
  reader, its row check of CBC's plan, its constant term): same verdict, same objective
  within the MIP gaps. Every plan is also recomputed by `tests/support/recheck.py`.
- **Scenario data by another route.** A one-scenario instance must have the optimum of
  the plain instance to which this file applies the scenario's factors by hand; a price
  factor must show in the purchases table and add up in the financing plan.
- **Value of information.** WS ≤ RP ≤ EEV, per scenario too; a scenario reported
  infeasible with the EV plan's purchases (unbounded VSS) must be infeasible when those
  purchases are fixed by hand as commitments, and a feasible one must cost EEV's figure.
- **N−1 in plain Python.** From plan.json's tables: losing any one pool leaves enough
  reserved at the others, and reservations fit the capacity of every tier they need.

Instances with one tier and with up to three are both drawn; the capacity check is
tier-aware (capacity at tier k or above, worked out from the purchases table).
"""

from __future__ import annotations

import copy
import json
import random
from collections import defaultdict

import pandas as pd
import pytest
from click.testing import CliRunner
from support import tiny
from support.generator import (
    add_redundancy,
    add_scenarios,
    plan_years,
    small_instance,
    usable_pools,
)
from support.instances import write_yaml
from support.recheck import recheck
from test_crosscheck import MIP_GAP, assert_second_solver_agrees

from planner import InputError, Plan, solve
from planner.analyses.stochastic import value_of_information
from planner.cli import main
from planner.input.loading import instance_from_data
from planner.solving.solver import OPTIMAL, SolverOptions

# Slow: batteries of random instances, checked by a second solver or by hand.
pytestmark = pytest.mark.slow

SCENARIO_SEEDS = range(24)  # part 1: scenarios against CBC
DEMAND_SEEDS = [*range(16), 24, 33, 35, 48]  # part 2: demand factors by hand; the last
# four give a workload and its resource different growths that matter (a guard checks)
PRICE_SEEDS = 20  # part 2: price factors by hand (seeds with two plan years or more)
VALUE_SEEDS = range(14)  # part 3: WS ≤ RP ≤ EEV
REDUNDANT_SEEDS = range(24)  # part 4: redundancy against CBC and by hand
UNBOUNDED_VSS_SEEDS = [29]  # part 3: seeds whose EV purchases leave a scenario infeasible
# (seeds 0-299 searched: 29, 123, 153 and 295 do; see the test)

ORDER_TOLERANCE = 1e-6  # relative, for WS ≤ RP ≤ EEV


def same_optimum(a: float, b: float) -> bool:
    """Two optima within the MIP gaps they were solved to."""
    return abs(a - b) <= MIP_GAP * (abs(a) + abs(b)) + 1e-6


def at_most(a: float, b: float) -> bool:
    """a ≤ b up to ORDER_TOLERANCE relative."""
    return a <= b + ORDER_TOLERANCE * max(1.0, abs(a), abs(b))


def solve_data(data: dict, name: str, path=None) -> Plan:
    return solve(instance_from_data(data, f"{name}.yaml"), mip_gap=MIP_GAP,
                 marginal_values=False, write_model=path)


def assert_rechecks(plan: Plan) -> None:
    """tests/support/recheck.py: every number and row of plan.json recomputed in plain Python."""
    assert recheck(json.loads(plan.to_json())).problems == []


# --- 1. scenario instances against a second solver ---------------------------------------


@pytest.mark.parametrize("seed", SCENARIO_SEEDS)
def test_two_stage_plans_agree_with_a_second_solver(seed, tmp_path):
    """The extensive form HiGHS solves, exported and solved by CBC: same verdict and
    optimum. Catches a wrong verdict or optimum from HiGHS, and an export or solver
    interface that loses rows, bounds, integrality or scenario blocks. recheck.py then
    prices the plan's tables scenario by scenario from the instance alone, which catches
    a wrong expected cost (probabilities), price factors in the wrong years or on the
    wrong prices, and purchases decided now that differ between scenarios."""
    data = add_scenarios(small_instance(seed), seed)
    path = tmp_path / "model.mps"
    plan = solve_data(data, f"scenarios-{seed}", path)
    # The extensive form's constant term is Σ_s probability_s · constant = the constant:
    # probabilities add up to 1, and baseline and existing opex take no price factor.
    assert_second_solver_agrees(data, plan, path)
    if plan.status == "optimal":
        assert set(plan.tables["scenarios"]["scenario"]) == set(data["scenarios"])
        assert_rechecks(plan)


# --- 2. scenario data by another route ----------------------------------------------------


def demand_by_hand(data: dict, scenario: dict) -> dict:
    """The instance as one forecast: the scenario's demand_scale (the workload's entry,
    else its resource's) multiplied into base or year map, its demand_growth (likewise)
    replacing the growth; no scenarios, no decide_now."""
    plain = copy.deepcopy(data)
    del plain["scenarios"]
    plain.pop("decide_now", None)
    scale = scenario.get("demand_scale", {})
    growth = scenario.get("demand_growth", {})
    for name, item in plain["workloads"].items():
        factor = scale.get(name, scale.get(item["resource"], 1))
        demand = item["demand"]
        if "base" in demand:
            item["demand"] = {"base": demand["base"] * factor,
                              "growth": growth.get(name, growth.get(item["resource"],
                                                                    demand["growth"]))}
        else:
            item["demand"] = {year: amount * factor for year, amount in demand.items()}
    return plain


def merged_demand(data: dict) -> dict:
    """Every scenario's demand_scale and demand_growth entries in one scenario (a later
    scenario's entry wins), so that workloads and their resources often both have one."""
    merged: dict = {}
    for item in data["scenarios"].values():
        for key in ("demand_scale", "demand_growth"):
            merged.setdefault(key, {}).update(item.get(key, {}))
    return {key: value for key, value in merged.items() if value}


def one_scenario(data: dict, scenario: dict) -> dict:
    single = copy.deepcopy(data)
    single["scenarios"] = {"only": {**scenario, "probability": 1}}
    return single


@pytest.mark.parametrize("seed", DEMAND_SEEDS)
def test_one_demand_scenario_is_the_instance_with_its_demand(seed):
    """A one-scenario instance (probability 1) with demand_scale/demand_growth and no
    price_scale has exactly the optimum of the plain instance whose demand this test
    scales by hand; its coverage table shows the hand-scaled demand. Catches a factor
    taken from the wrong entry (resource over workload), growth added to rather than
    replacing the old one, a scale applied to growth or twice, or unit bounds of the
    extensive form that cut off the optimum."""
    data = add_scenarios(small_instance(seed), seed, prices=False)
    scenario = merged_demand(data)
    plain = demand_by_hand(data, scenario)
    two_stage = solve_data(one_scenario(data, scenario), f"demand-{seed}")
    reference = solve_data(plain, f"demand-plain-{seed}")
    assert two_stage.status == reference.status
    if reference.status != "optimal":
        return
    assert same_optimum(two_stage.objective_mnok, reference.objective_mnok), (
        two_stage.objective_mnok, reference.objective_mnok, scenario)
    first = data["years"]["first"]
    for row in two_stage.tables["coverage"].itertuples():
        demand = plain["workloads"][row.workload]["demand"]
        expected = (demand["base"] * (1 + demand["growth"]) ** (row.year - first)
                    if "base" in demand else demand[row.year])
        assert row.demand == pytest.approx(expected, rel=1e-9, abs=1e-9), (row, scenario)


def test_the_demand_seeds_do_scale_demand():
    """Guard for the test above: most of its instances have a scenario that changes
    demand, and some give a workload and its resource different factors, or (over two
    years or more, demand not scaled to 0) different growths, so which entry wins shows."""
    changed = 0
    both = {"demand_scale": 0, "demand_growth": 0}
    for seed in DEMAND_SEEDS:
        data = add_scenarios(small_instance(seed), seed, prices=False)
        scenario = merged_demand(data)
        changed += demand_by_hand(data, scenario)["workloads"] != data["workloads"]
        scale = scenario.get("demand_scale", {})
        for key in both:
            given = scenario.get(key, {})
            both[key] += any(
                name in given and item["resource"] in given
                and given[name] != given[item["resource"]]
                and scale.get(name, scale.get(item["resource"], 1)) != 0
                and (key == "demand_scale" or data["years"]["last"] > data["years"]["first"])
                for name, item in data["workloads"].items())
    assert changed >= len(DEMAND_SEEDS) // 2 and min(both.values()) >= 4, (changed, both)


def price_instance(seed: int) -> tuple[dict, dict, dict] | None:
    """(two-stage instance, its plain twin by hand, price factors) for a seed with two or
    more plan years, else None.

    decide_now is the first plan year. One or two products without commitments are
    scaled; each may then be bought only after the first plan year (the same `years` in
    both instances), so every price of theirs the scenario scales (capex, opex, batch
    costs) falls after decide_now: the plain twin multiplies them all by the factor.
    Cloud prices are not scaled: a cloud price before and after decide_now cannot be
    written in one instance (recheck.py checks cloud factors in part 1).
    """
    data = small_instance(seed)
    years = plan_years(data)
    committed = {item["product"] for item in data.get("committed", [])}
    products = sorted(set(data["products"]) - committed)
    if len(years) < 2 or not products:
        return None
    rng = random.Random(f"prices-{seed}")
    factors = {name: rng.choice([0.5, 0.8, 1.25, 2])
               for name in rng.sample(products, min(len(products), rng.choice([1, 2])))}
    data["decide_now"] = years[:1]
    plain = copy.deepcopy(data)
    del plain["decide_now"]
    for name, factor in factors.items():
        for target in (data, plain):
            product = target["products"][name]
            later = sorted(set(product.get("years", years)) & set(years[1:])) or years[1:]
            product["years"] = later
        product = plain["products"][name]
        product["capex"] *= factor
        if "opex" in product:
            product["opex"] *= factor
        for key in ("fixed_capex", "fixed_opex"):
            if key in product.get("batch", {}):
                product["batch"][key] *= factor
    data["scenarios"] = {"only": {"probability": 1, "price_scale": factors}}
    return data, plain, factors


PRICE_CASES = [seed for seed in range(200) if price_instance(seed) is not None][:PRICE_SEEDS]


@pytest.mark.parametrize("seed", PRICE_CASES)
def test_a_price_factor_after_decide_now_is_the_instance_with_that_price(seed):
    """With decide_now the first plan year, a product bought only later at price factor f
    has the optimum of the plain instance whose capex, opex and batch costs this test
    multiplies by f; the purchases table shows f × capex × (1+trend)^n × (1+surcharge)
    for every unit, and the financing plan's investment lines add up to the purchases
    table and its sum line to its three lines. Catches a factor missed in capex, opex,
    a batch cost or salvage, or charged in the decide_now year."""
    data, plain, factors = price_instance(seed)
    two_stage = solve_data(data, f"prices-{seed}")
    reference = solve_data(plain, f"prices-plain-{seed}")
    assert two_stage.status == reference.status
    if reference.status != "optimal":
        return
    assert same_optimum(two_stage.objective_mnok, reference.objective_mnok), (
        two_stage.objective_mnok, reference.objective_mnok, factors)
    assert_price_rows(data, two_stage, factors)
    assert_financing_adds_up(data, two_stage)


def assert_price_rows(data: dict, plan: Plan, factors: dict[str, float]) -> None:
    first = data["years"]["first"]
    surcharge = {tier["name"]: tier["surcharge"] for tier in data["tiers"]}
    for row in plan.tables["purchases"].itertuples():
        product = data["products"][row.product]
        if row.product not in factors:
            continue
        assert row.year > data["decide_now"][0] and not row.first_stage
        expected = (factors[row.product] * product["capex"]
                    * (1 + product.get("capex_trend", 0)) ** (row.year - first)
                    * (1 + surcharge[row.tier]))
        assert row.unit_capex_mnok == pytest.approx(expected, rel=1e-9), row
        batch = product.get("batch", {}).get("fixed_capex", 0) * factors[row.product]
        assert row.batch_fixed_capex_mnok in (pytest.approx(0, abs=1e-12),
                                              pytest.approx(batch, rel=1e-9)), row
        assert row.capex_mnok == pytest.approx(
            row.units * expected + row.batch_fixed_capex_mnok, rel=1e-9, abs=1e-9), row


def assert_financing_adds_up(data: dict, plan: Plan) -> None:
    """Per year: each investment line = Σ capex_mnok of the purchases table in pools of
    that kind; sum = the three lines; total = Σ years."""
    kind = {name: pool["kind"] for name, pool in data["pools"].items()}
    financing = plan.tables["financing"].set_index("line")
    purchases = plan.tables["purchases"]
    years = [str(year) for year in range(data["years"]["first"], data["years"]["last"] + 1)]
    for year in years:
        bought = purchases[purchases["year"] == int(year)]
        for line, pool_kind in (("national_investment", "national"),
                                ("eurohpc_investment", "eurohpc")):
            spent = bought[bought["pool"].map(kind) == pool_kind]["capex_mnok"].sum()
            assert financing.loc[line, year] == pytest.approx(spent, rel=1e-9, abs=1e-7), \
                (line, year)
        parts = sum(financing.loc[line, year] for line in
                    ("national_investment", "operations", "eurohpc_investment"))
        assert financing.loc["sum", year] == pytest.approx(parts, rel=1e-12, abs=1e-9)
    for line in financing.index:
        assert financing.loc[line, "total"] == pytest.approx(
            sum(financing.loc[line, year] for year in years), rel=1e-12, abs=1e-9)


def test_the_price_seeds_do_buy_scaled_products():
    """Guard for the test above: enough of its plans buy a scaled product, so the price
    rows are checked, not skipped."""
    buying = 0
    for seed in PRICE_CASES:
        data, _, factors = price_instance(seed)
        plan = solve_data(data, f"prices-{seed}")
        if plan.status == "optimal":
            buying += bool(plan.tables["purchases"]["product"].isin(list(factors)).any())
    assert buying >= 4


def test_a_large_price_factor_after_decide_now_keeps_the_first_stage_bound_valid():
    """A hand-built case of the random price test above, with a factor beyond its 0.5-2.
    National nodes (1 GPU, capex 1) can be bought only in 2026; a EuroHPC share
    (divisible, capex 1, batch fixed_capex 0.1) only in 2025, decided now. Ten GPUs must
    be served at home in 2026 (min_coverage 1), and the EuroHPC share of investment must
    be at least 0.5. The one scenario scales the node's price by 31 after 2025: 310 MNOK
    at home, so at least 309.9 units of the share in 2025.
    The plain twin (node capex 31) is optimal at 620 MNOK; so must the two-stage plan be.

    It was reported infeasible: the batch bound of the share bought in 2025 is 10·10 + the
    share allowance 10·10·(dearest node capex 1, unscaled)·2 years = 300 units, and
    `derive._apply_price_factors` widened the bounds of purchases after the last
    decide_now year only, so a bound that depends on later prices through the EuroHPC
    share was not a bound any more (found by this file's random price test; factor 29,
    290 units needed, still solved)."""
    data = tiny.instance(
        years=(2025, 2026),
        pools={"nat": tiny.national_pool(), "euro": tiny.eurohpc_pool()},
        products={"node": tiny.product("nat", capacity=1, capex=1, years=[2026]),
                  "share": tiny.product("euro", capacity=1, capex=1, years=[2025], lifetime=2,
                                        integer=False, batch={"fixed_capex": 0.1})},
        workloads={"w": tiny.workload({2025: 0, 2026: 10}, penalty=1000,
                                      placement="national", min_coverage=1.0)},
        policy={"eurohpc_share": {"min": 0.5}},
        decide_now=[2025],
        scenarios={"dear": {"probability": 1, "price_scale": {"node": 31}}})
    plain = copy.deepcopy(data)
    del plain["scenarios"], plain["decide_now"]
    plain["products"]["node"]["capex"] = 31
    reference = solve_data(plain, "bound-plain")
    assert reference.status == "optimal"
    assert reference.objective_mnok == pytest.approx(620.0, rel=1e-6)
    two_stage = solve_data(data, "bound")
    assert two_stage.status == "optimal", two_stage.status
    assert same_optimum(two_stage.objective_mnok, reference.objective_mnok)


@pytest.mark.parametrize("seed", range(8))
def test_price_factors_do_nothing_when_every_plan_year_is_decided_now(seed):
    """decide_now = every plan year: prices change only after its last year, i.e. never,
    so the optimum is the plain instance's whatever the price factors (on every product
    and cloud pool). Catches factors applied from the first decide_now year, or to every
    year."""
    data = small_instance(seed)
    plain = copy.deepcopy(data)
    data["decide_now"] = plan_years(data)
    priced = [*data["products"], *(name for name, pool in data["pools"].items()
                                   if pool["kind"] == "cloud")]
    data["scenarios"] = {"only": {"probability": 1,
                                  "price_scale": {name: 2 for name in priced}}}
    two_stage, reference = solve_data(data, "all-now"), solve_data(plain, "all-now-plain")
    assert two_stage.status == reference.status
    if reference.status == "optimal":
        assert same_optimum(two_stage.objective_mnok, reference.objective_mnok)


# --- 3. value of information ----------------------------------------------------------


def ev_purchases_committed(data: dict, scenario: str, report) -> dict:
    """Scenario `scenario` alone (probability 1), with every purchase the EV plan decides
    now written into the instance as a commitment (0 units included): the cells already
    committed keep their commitment, whose units the EV plan has too. Divisible units
    are rounded to 9 decimals, as commitments are checked against batch sizes exactly."""
    alone = copy.deepcopy(data)
    alone["scenarios"] = {scenario: {**data["scenarios"][scenario], "probability": 1}}
    tiers = [tier["name"] for tier in data["tiers"]]
    already = {(item["product"], item["year"], item.get("tier", tiers[0]))
               for item in data.get("committed", [])}
    added = []
    for (product, year, tier), units in sorted(report.expected_value.first_stage_units.items()):
        if (product, year, tiers[tier]) in already:
            continue
        if data["products"][product].get("integer", True):
            assert units == round(units), (product, year, units)
            units = round(units)
        else:  # solver noise such as 2.9999999997 would break a batch's min_units of 3
            units = round(units, 9)
        added.append({"product": product, "year": year, "tier": tiers[tier], "units": units})
    alone["committed"] = [*data.get("committed", []), *added]
    return alone


def expected_value_by_hand(data: dict) -> dict:
    """The EV problem's scenario (spec §6.2), averaged here: per workload, the
    probability-weighted mean of the factor and (for {base, growth} demand) the growth
    that apply to it in each scenario; per product and cloud pool, of the price factor."""
    scenarios = data["scenarios"].values()
    scale, growth, price = {}, {}, {}
    for name, item in data["workloads"].items():
        resource = item["resource"]
        scale[name] = sum(s["probability"] * s.get("demand_scale", {}).get(
            name, s.get("demand_scale", {}).get(resource, 1)) for s in scenarios)
        if "base" in item["demand"]:
            growth[name] = sum(s["probability"] * s.get("demand_growth", {}).get(
                name, s.get("demand_growth", {}).get(resource, item["demand"]["growth"]))
                for s in scenarios)
    for name in [*data["products"], *(pool for pool, item in data["pools"].items()
                                      if item["kind"] == "cloud")]:
        price[name] = sum(s["probability"] * s.get("price_scale", {}).get(name, 1)
                          for s in scenarios)
    return {"demand_scale": scale, "demand_growth": growth, "price_scale": price}


def value_instance(seed: int) -> dict:
    """Scenarios on a small instance; every third seed also has redundant workloads."""
    data = small_instance(seed)
    return add_scenarios(add_redundancy(data, seed) if seed % 3 == 1 else data, seed)


def check_value_of_information(seed: int) -> list[str]:
    """Solve RP, WS, EV and EEV of the seed's instance and check them; returns the
    scenarios whose EEV subproblem was infeasible."""
    data = value_instance(seed)
    report = value_of_information(instance_from_data(data, f"voi-{seed}.yaml"),
                                  SolverOptions(mip_gap=MIP_GAP))
    plan = report.plan
    assert plan.status in ("optimal", "infeasible"), plan.metadata
    if plan.status != "optimal":
        return []
    weights = {name: item["probability"] for name, item in data["scenarios"].items()}
    # Each scenario's part of the two-stage plan is a plan of that scenario alone.
    assert {name: result.status for name, result in report.wait_and_see.items()} == \
        dict.fromkeys(weights, OPTIMAL)
    rp_cost = plan.tables["scenarios"].set_index("scenario")["objective_mnok"]
    for name, result in report.wait_and_see.items():
        assert at_most(result.objective_mnok, rp_cost[name]), (name, result, rp_cost[name])
    assert at_most(report.ws_mnok, report.rp_mnok), (report.ws_mnok, report.rp_mnok)
    assert report.evpi_mnok == pytest.approx(report.rp_mnok - report.ws_mnok, abs=1e-9)

    ev = report.expected_value
    assert ev is not None and ev.status in ("optimal", "infeasible")
    by_hand = solve_data(one_scenario(data, expected_value_by_hand(data)), f"ev-{seed}")
    assert by_hand.status == ev.status, (ev.status, by_hand.status)
    if ev.status != "optimal":
        assert report.eev_mnok is None and report.vss_unbounded_in == []
        return []
    assert same_optimum(by_hand.objective_mnok, ev.objective_mnok), (
        by_hand.objective_mnok, ev.objective_mnok)
    assert set(report.ev_plan_fixed) == set(weights)
    share_policy = "eurohpc_share" in data.get("policy", {})
    for name, result in report.ev_plan_fixed.items():
        assert result.status in ("optimal", "infeasible"), result
        by_hand = solve_data(ev_purchases_committed(data, name, report), f"eev-{seed}-{name}")
        assert by_hand.status == result.status, (name, result.status, by_hand.status)
        if result.status != "optimal":
            continue
        assert at_most(report.wait_and_see[name].objective_mnok, result.objective_mnok)
        # The commitments fix units, not the batch switch of a cell with 0 units: only a
        # EuroHPC share can make a batch without units worth its fixed cost.
        if share_policy:
            assert at_most(by_hand.objective_mnok, result.objective_mnok)
        else:
            assert same_optimum(by_hand.objective_mnok, result.objective_mnok), (
                name, by_hand.objective_mnok, result.objective_mnok)
    infeasible = sorted(name for name, result in report.ev_plan_fixed.items()
                        if result.status == "infeasible")
    assert sorted(report.vss_unbounded_in) == infeasible
    if infeasible:
        assert report.vss_mnok is None
        assert any(name in text for text in plan.metadata["warnings"] for name in infeasible)
    else:
        assert at_most(report.rp_mnok, report.eev_mnok), (report.rp_mnok, report.eev_mnok)
        assert report.vss_mnok == pytest.approx(report.eev_mnok - report.rp_mnok, abs=1e-9)
    return infeasible


@pytest.mark.parametrize("seed", VALUE_SEEDS)
def test_wait_and_see_two_stage_and_ev_plan_are_ordered(seed):
    """WS ≤ RP ≤ EEV (RP ≥ each scenario alone, per scenario too; EEV_s ≥ WS_s), with
    EEV_s confirmed by solving scenario s with the EV purchases fixed as commitments, and
    an infeasible EEV subproblem (unbounded VSS) confirmed the same way; the EV optimum
    confirmed by a one-scenario instance whose factors this file averages. Catches
    non-anticipativity rows that tie too much or too little, an EV problem that averages
    the wrong factors, EV purchases fixed wrongly (or not at all) in EEV, and a VSS
    reported unbounded for a scenario that has a plan (or the reverse)."""
    check_value_of_information(seed)


@pytest.mark.parametrize("seed", UNBOUNDED_VSS_SEEDS)
def test_an_unbounded_vss_is_a_scenario_really_left_without_a_plan(seed):
    """As above, on a seed where the EV plan's purchases leave some scenario infeasible
    (found by searching; the assertion that it still does keeps the case from going
    stale when the generator changes)."""
    assert check_value_of_information(seed), "this seed no longer gives an unbounded VSS"


# --- 4. N-1 redundancy ------------------------------------------------------------------


def capacity_by_tier(data: dict, purchases, first_year: int) -> dict:
    """(pool, resource, year, tier k) → capacity in service at tier k or above, from the
    purchases table (units, tier, first year in service; lifetime from the instance) and
    the existing systems."""
    tiers = [tier["name"] for tier in data["tiers"]]
    last = data["years"]["last"]
    capacity: dict = defaultdict(float)

    def add(pool: str, amounts: dict, tier: int, years) -> None:
        for year in years:
            for resource, amount in amounts.items():
                for k in range(tier + 1):
                    capacity[pool, resource, year, k] += amount

    for system in data.get("existing", []):
        add(system["pool"], system["capacity"], tiers.index(system.get("tier", tiers[0])),
            range(first_year, system["last_year"] + 1))
    for row in purchases.itertuples():
        if row.first_year_in_service is None or row.first_year_in_service != \
                row.first_year_in_service:  # null: in service after the last year
            continue
        product = data["products"][row.product]
        start = int(row.first_year_in_service)
        years = range(start, min(start + product["lifetime"] - 1, last) + 1)
        add(product["pool"], {r: row.units * amount for r, amount in
                              product["capacity"].items()}, tiers.index(row.tier), years)
    return capacity


def assert_n_minus_1(data: dict, plan: Plan) -> int:
    """The N−1 rules from plan.json's tables alone, per scenario where there are
    scenarios; returns how many (workload, year, lost pool) cases were checked."""
    document = json.loads(plan.to_json())
    tables = document["tables"]
    redundant = [name for name, item in data["workloads"].items() if item.get("redundant")]
    years = plan_years(data)
    tiers = [tier["name"] for tier in data["tiers"]]
    scenarios = list(data.get("scenarios") or [None])
    checked = 0
    for scenario in scenarios:
        def rows(table: str, scenario=scenario) -> list[dict]:
            return [row for row in tables[table] if row.get("scenario") == scenario]

        redundancy = rows("redundancy")
        served = defaultdict(float)
        for row in rows("allocation"):
            served[row["workload"], row["pool"], row["year"]] += row["served"]
        reserved = {(row["workload"], row["pool"], row["year"]): row["reserved"]
                    for row in redundancy}
        assert len(reserved) == len(redundancy)  # one row per workload, pool, year
        # A row for every redundant workload, plan year and pool it may use; no others.
        assert set(reserved) == {(w, p, y) for w in redundant for p in usable_pools(data, w)
                                 for y in years}
        for row in redundancy:
            w, p, y = row["workload"], row["pool"], row["year"]
            assert row["served"] == pytest.approx(served[w, p, y], abs=1e-9)
            assert row["reserved"] >= -1e-9
        for w in redundant:
            pools = usable_pools(data, w)
            for y in years:
                total = sum(served[w, p, y] for p in pools)
                for lost in pools:
                    backup = sum(reserved[w, p, y] for p in pools if p != lost)
                    assert backup >= total - 1e-6 * max(1.0, total), (scenario, w, y, lost)
                    (row,) = [r for r in redundancy if (r["workload"], r["pool"], r["year"])
                              == (w, lost, y)]
                    assert row["backup_if_lost"] == pytest.approx(backup, abs=1e-9)
                    assert row["workload_served"] == pytest.approx(total, abs=1e-9)
                    assert row["covered_if_lost"] is True
                    checked += 1

        purchases = pd.DataFrame(rows("purchases"), columns=[
            "product", "year", "tier", "units", "first_year_in_service"])
        capacity = capacity_by_tier(data, purchases, data["years"]["first"])
        for row in rows("capacity"):  # my capacity at the lowest tier is the plan's
            if row["kind"] != "cloud":
                key = (row["pool"], row["resource"], row["year"], 0)
                # plan.json holds each figure to 1e-9 (docs/results.md), so units × capacity
                # per unit, summed over purchases, may differ from the capacity written by a
                # few 1e-9
                assert capacity[key] == pytest.approx(row["capacity"], rel=1e-9, abs=1e-8)
        for pool_name, pool in data["pools"].items():
            max_tier = tiers.index(pool.get("max_tier", tiers[0]))
            for resource in data["resources"]:
                for y in years:
                    held = [(data["workloads"][w], reserved.get((w, pool_name, y), 0.0))
                            for w in redundant if data["workloads"][w]["resource"] == resource]
                    if pool["kind"] == "cloud":
                        limit = (pool.get("limit") or {}).get(resource)
                        if limit is not None:
                            amount = sum(value for _, value in held)
                            assert amount <= limit + 1e-6 * max(1.0, limit)
                        continue
                    for k in range(max_tier + 1):
                        amount = sum(value for item, value in held
                                     if tiers.index(item.get("tier", tiers[0])) >= k)
                        room = capacity[pool_name, resource, y, k]
                        assert amount <= room + 1e-6 * max(1.0, room), (
                            scenario, pool_name, resource, y, tiers[k], amount, room)
    return checked


def redundant_instance(seed: int) -> dict:
    """Redundancy on a small instance; every third seed also has scenarios."""
    data = add_redundancy(small_instance(seed), seed)
    return add_scenarios(data, seed) if seed % 3 == 2 else data


@pytest.mark.parametrize("seed", REDUNDANT_SEEDS)
def test_redundant_plans_agree_with_a_second_solver_and_survive_losing_a_pool(seed,
                                                                               tmp_path):
    """The model with N−1 rows against CBC (as in part 1), then the plan's tables checked
    in plain Python: for every redundant workload, plan year and pool lost, the
    reservations at the other pools hold all it is served; reservations at a national or
    EuroHPC pool fit the capacity at every tier they need, cloud ones the cloud limit.
    The objective without redundancy the plan reports must be the optimum of the
    instance with no `redundant` key, and at most the plan's. Catches cover rows that
    skip the lost pool, reservations stacked at the pool they back up, capacity rows that
    ignore tiers, a redundancy table that misreports, and N−1 rows left active (or other
    rows dropped) in the solve without redundancy."""
    data = redundant_instance(seed)
    path = tmp_path / "model.mps"
    plan = solve_data(data, f"redundant-{seed}", path)
    assert_second_solver_agrees(data, plan, path)
    if plan.status == "optimal":
        assert assert_n_minus_1(data, plan) > 0
        assert_rechecks(plan)
        # What redundancy costs, by another route: the instance without `redundant`.
        plain = copy.deepcopy(data)
        for item in plain["workloads"].values():
            item.pop("redundant", None)
        without = solve_data(plain, f"not-redundant-{seed}")
        assert without.status == "optimal"
        assert same_optimum(plan.summary["objective_without_redundancy_mnok"],
                            without.objective_mnok)
        assert at_most(without.objective_mnok, plan.objective_mnok)


def test_the_redundancy_check_catches_a_pool_that_backs_itself_up():
    """Guard for the test above: move one workload's reservation at another pool onto
    the pool it backs up, and the plain-Python check fails."""
    for seed in REDUNDANT_SEEDS:
        data = redundant_instance(seed)
        if data.get("scenarios"):
            continue
        plan = solve_data(data, f"redundant-{seed}")
        if plan.status != "optimal":
            continue
        table = plan.tables["redundancy"]
        busy = table[(table["workload_served"] > 1e-3) & (table["reserved"] > 1e-3)]
        if busy.empty:
            continue
        target = busy.index[0]
        row = table.loc[target]
        others = table[(table["workload"] == row["workload"]) & (table["year"] == row["year"])
                       & (table.index != target)]
        table.loc[others.index, "reserved"] = 0.0
        table.loc[target, "reserved"] = float(others["reserved"].sum() + row["reserved"])
        with pytest.raises(AssertionError):
            assert_n_minus_1(data, plan)
        return
    pytest.fail("no seed with a redundant workload served and reserved")


def test_redundant_seeds_cover_tiers_scenarios_and_clouds():
    """Guard: the committed redundancy seeds include instances with several tiers, with a
    redundant workload above the lowest tier, with scenarios, and with a cloud pool a
    redundant workload may use."""
    kinds = defaultdict(int)
    for seed in REDUNDANT_SEEDS:
        data = redundant_instance(seed)
        tiers = [tier["name"] for tier in data["tiers"]]
        kinds["tiers"] += len(tiers) > 1
        kinds["higher tier"] += any(item.get("redundant") and item.get("tier", tiers[0])
                                    != tiers[0] for item in data["workloads"].values())
        kinds["scenarios"] += bool(data.get("scenarios"))
        kinds["cloud"] += any(data["pools"][pool]["kind"] == "cloud"
                              for name, item in data["workloads"].items()
                              if item.get("redundant") for pool in usable_pools(data, name))
    assert min(kinds.values()) >= 2 and len(kinds) == 4, dict(kinds)


def test_a_redundant_workload_with_fewer_than_two_pools_is_refused(tmp_path):
    """For every workload of seeds 0-59 made redundant alone: the planner refuses it
    (InputError naming workloads.<name>.redundant) exactly when this file's own count of
    the pools it may use is below two. Once on the command line: exit status 2, nothing
    written. Catches a check that counts pools the workload may not use (placement, tier,
    an unpriced cloud, a pool with nothing of its resource) or refuses a valid one."""
    refused = accepted = 0
    example = None
    for seed in range(60):
        base = small_instance(seed)
        for name in base["workloads"]:
            data = copy.deepcopy(base)
            data["workloads"][name]["redundant"] = True
            if len(usable_pools(data, name)) >= 2:
                instance_from_data(data, "redundant.yaml")  # no error
                accepted += 1
                continue
            with pytest.raises(InputError) as error:
                instance_from_data(data, "redundant.yaml")
            assert any(problem.path == f"workloads.{name}.redundant"
                       for problem in error.value.problems), error.value.problems
            refused += 1
            example = example or data
    assert refused >= 5 and accepted >= 5, (refused, accepted)
    path = write_yaml(tmp_path / "one-pool.yaml", example)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(path), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert ".redundant" in result.output and not out.exists()
