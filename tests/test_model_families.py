"""Every constraint family of spec §4 and §5 on a tiny instance solved by hand.

Each test's docstring works out the optimum from the spec (model.md) with the arithmetic
shown, and says which wrong formulations it catches: each of them gives another optimum.
No number asserted here was copied from a solver run. Money in MNOK; unless a test says
otherwise: discount rate 0, `end_of_horizon: none`, one tier (open), lifetime 1.
"""

from __future__ import annotations

import pytest
from support.tiny import (
    RESTRICTED_TIERS,
    cloud_pool,
    eurohpc_pool,
    financing,
    instance,
    national_pool,
    product,
    solve_optimal,
    solve_tiny,
    unserved,
    workload,
)
from support.tiny import bought as units
from support.tiny import served as served_from

REL = 1e-6


def approx(value: float):
    return pytest.approx(value, rel=REL, abs=1e-7)


# --- 1. Demand balance and minimum coverage -------------------------------------------


def test_demand_with_growth_is_served_where_cheaper_than_its_penalty():
    """Demand balance with demand {base 4, growth 0.5} over 2025-2026.

    D(2025) = 4·1.5^0 = 4, D(2026) = 4·1.5^1 = 6. A node gives 2 GPUs for 1.5 MNOK in its
    one year; unserved costs 1/GPU, so a node (1.5) beats 2 GPUs unserved (2):
      2025: 2 nodes (3.0) serve 4;          (1 node + 2 unserved = 3.5; none = 4)
      2026: 3 nodes (4.5) serve 6;          (2 nodes + 2 unserved = 5.0)
      objective = 3.0 + 4.5 = 7.5, nothing unserved.
    Wrong growth exponent (y − first + 1: 6 and 9) would give 4.5 + 6.75 = 11.25.
    """
    plan = solve_optimal(instance(
        years=(2025, 2026),
        pools={"nat": national_pool()},
        products={"node": product("nat", capacity=2, capex=1.5)},
        workloads={"w": workload({"base": 4, "growth": 0.5}, penalty=1)},
    ))
    assert plan.objective_mnok == approx(7.5)
    assert units(plan, "node", 2025) == 2
    assert units(plan, "node", 2026) == 3
    assert unserved(plan) == approx(0)


@pytest.mark.parametrize(
    ("min_coverage", "objective", "nodes", "left_unserved"),
    [(0.0, 10.0, 0, 10.0), (0.7, 14.0, 2, 2.0)],
)
def test_min_coverage_forces_purchases_the_penalty_does_not_pay_for(
        min_coverage, objective, nodes, left_unserved):
    """Demand 10 GPUs, penalty 1/GPU; a node gives 4 GPUs for 6 MNOK (6 > 4·1: never worth
    it on the penalty alone).

    min_coverage 0:   buy nothing, objective = 10·1 = 10.
    min_coverage 0.7: u ≤ (1 − 0.7)·10 = 3, so serve ≥ 7 → 2 nodes (8 GPUs, 12 MNOK),
                      serve 8, u = 2: objective = 12 + 2 = 14   (3 nodes: 18).
    Reversed (u ≤ 0.7·D = 7): 1 node, u = 6: 6 + 6 = 12.
    """
    plan = solve_optimal(instance(
        pools={"nat": national_pool()},
        products={"node": product("nat", capacity=4, capex=6)},
        workloads={"w": workload(10, penalty=1, min_coverage=min_coverage)},
    ))
    assert plan.objective_mnok == approx(objective)
    assert units(plan, "node") == nodes
    assert unserved(plan, "w", 2025) == approx(left_unserved)


# --- 2. Tier-aware capacity -------------------------------------------------------------


def test_restricted_work_needs_restricted_capacity_which_costs_the_surcharge():
    """Tiers open (0) and restricted (surcharge 0.5); pool `nat` up to restricted. Workloads
    `open` 4 GPUs and `secret` 4 GPUs (restricted), penalty 100/GPU. A node: 4 GPUs, capex
    10; at restricted 10·1.5 = 15.

    `secret` needs a restricted node (15); `open` may use an open node (10):
      objective = 10 + 15 = 25, x(open) = 1, x(restricted) = 1   (2 restricted: 30).
    Reversed tier rule (open capacity serving restricted work), or no surcharge: 2 open
    nodes = 20.
    """
    plan = solve_optimal(instance(
        tiers=RESTRICTED_TIERS,
        pools={"nat": national_pool(max_tier="restricted")},
        products={"node": product("nat", capacity=4, capex=10)},
        workloads={"open": workload(4, penalty=100),
                   "secret": workload(4, penalty=100, tier="restricted")},
    ))
    assert plan.objective_mnok == approx(25)
    assert units(plan, "node", tier="open") == 1
    assert units(plan, "node", tier="restricted") == 1
    assert unserved(plan) == approx(0)


def test_higher_tier_capacity_serves_lower_tier_work():
    """An existing restricted system (4 GPUs, 2025) and open work of 4 GPUs, penalty 100.

    Row k = open: a(open) ≤ C(≥open) = 4 (restricted capacity counts): nothing to buy,
    objective 0. A rule that only lets a tier use its own tier's capacity would buy an
    open node: 10.
    """
    plan = solve_optimal(instance(
        tiers=RESTRICTED_TIERS,
        pools={"nat": national_pool(max_tier="restricted")},
        products={"node": product("nat", capacity=4, capex=10)},
        existing=[{"name": "vault", "pool": "nat", "capacity": {"gpu": 4},
                   "tier": "restricted", "last_year": 2025}],
        workloads={"open": workload(4, penalty=100)},
    ))
    assert plan.objective_mnok == approx(0)
    assert units(plan) == 0
    assert served_from(plan, "open", "nat") == approx(4)


# --- 3. Pool limits ---------------------------------------------------------------------


def test_pool_limit_counts_existing_capacity_and_cloud_limit_caps_use():
    """Demand 10 GPUs, penalty 5/GPU. Pool `nat` has limit 8 GPUs and an existing 2 GPUs;
    a node: 4 GPUs for 10 MNOK (2.5/GPU). Cloud: 3/GPU, limit 2.

    nat: 2 + 4·k ≤ 8 → k ≤ 1: one node (10) serves 4, existing serves 2;
    cloud 2 GPUs (6; cheaper than penalty 5/GPU); unserved 10 − 2 − 4 − 2 = 2 (10).
      objective = 10 + 6 + 10 = 26.
    Limit without existing capacity: 2 nodes, 20. Cloud limit ignored: 10 + 4·3 = 22.
    """
    plan = solve_optimal(instance(
        pools={"nat": national_pool(limit={"gpu": 8}),
               "cloud": cloud_pool({"gpu": 3}, limit={"gpu": 2})},
        products={"node": product("nat", capacity=4, capex=10)},
        existing=[{"name": "old", "pool": "nat", "capacity": {"gpu": 2}, "last_year": 2025}],
        workloads={"w": workload(10, penalty=5)},
    ))
    assert plan.objective_mnok == approx(26)
    assert units(plan, "node") == 1
    assert served_from(plan, "w", "cloud") == approx(2)
    assert unserved(plan, "w") == approx(2)


# --- 4. Batches -------------------------------------------------------------------------


def test_batch_min_max_units_and_fixed_costs():
    """Product `node`: 1 GPU per unit, capex 1, batch fixed_capex 5, fixed_opex 1,
    min_units 3, max_units 6. Demand 10 (2025) and 2 (2026), penalty 5/GPU.

    2025: n = 0 → 50; n ∈ [3, 6] → 5 + n + 1 + 5·(10 − n) = 56 − 4n, best n = 6: 32.
    2026: n = 0 → 2·5 = 10; n ∈ [3, 6] → 5 + n + 1, best n = 3 (serves 2): 9.
      objective = 32 + 9 = 41, units 6 and 3.
    No max_units: 2025 n = 10 → 16 (total 25). No min_units: 2026 n = 2 → 8 (40).
    No batch fixed_opex: 39.
    """
    plan = solve_optimal(instance(
        years=(2025, 2026),
        pools={"nat": national_pool()},
        products={"node": product("nat", capacity=1, capex=1, batch={
            "fixed_capex": 5, "fixed_opex": 1, "min_units": 3, "max_units": 6})},
        workloads={"w": workload({2025: 10, 2026: 2}, penalty=5)},
    ))
    assert plan.objective_mnok == approx(41)
    assert units(plan, "node", 2025) == 6
    assert units(plan, "node", 2026) == 3
    assert unserved(plan, "w", 2025) == approx(4)
    assert unserved(plan, "w", 2026) == approx(0)


# --- 5. Pool in use (fixed_opex) --------------------------------------------------------


def test_pool_fixed_opex_is_charged_every_year_capacity_stands():
    """Pool `nat` has fixed_opex 10/year. A node: 4 GPUs, capex 4, lifetime 2. Demand 4
    GPUs in 2025 and 2026, penalty 2.5/GPU.

    Buy one node in 2025: 4 + 10·2 (in service both years) = 24; in 2026 only: 4 + 10 +
    2025 unserved 10 = 24; buy nothing: 8·2.5 = 20.
      objective = 20, no node.
    Fixed opex charged once per purchase: 4 + 10 = 14 → buys. Ignored: 4.
    """
    plan = solve_optimal(instance(
        years=(2025, 2026),
        pools={"nat": national_pool(fixed_opex=10)},
        products={"node": product("nat", capacity=4, capex=4, lifetime=2)},
        workloads={"w": workload(4, penalty=2.5)},
    ))
    assert plan.objective_mnok == approx(20)
    assert units(plan) == 0
    assert unserved(plan) == approx(8)


def test_pool_fixed_opex_is_charged_while_existing_capacity_stands_and_not_after():
    """Pool `nat` (fixed_opex 10/year) holds an existing 4 GPUs through 2025. A node: 4
    GPUs, capex 4. Demand 4 GPUs per year, penalty 3/GPU.

    2025: existing serves all; g = 1: 10.
    2026: a node costs 4 + 10 = 14 > 4·3 = 12 unserved → buy nothing: 12.
      objective = 10 + 12 = 22.
    g not forced by existing capacity: 0 + 12 = 12. g = 1 in every year: 10 + 10 + 4 = 24.
    """
    plan = solve_optimal(instance(
        years=(2025, 2026),
        pools={"nat": national_pool(fixed_opex=10)},
        products={"node": product("nat", capacity=4, capex=4)},
        existing=[{"name": "old", "pool": "nat", "capacity": {"gpu": 4}, "last_year": 2025}],
        workloads={"w": workload(4, penalty=3)},
    ))
    assert plan.objective_mnok == approx(22)
    assert units(plan) == 0
    assert unserved(plan, "w", 2026) == approx(4)
    assert financing(plan, "operations", 2025) == approx(10)
    assert financing(plan, "operations", 2026) == approx(0)


# --- 6. Spending: capex trend, surcharge, opex, cloud price -----------------------------


def test_capex_trend_makes_the_last_year_cheapest():
    """A node (4 GPUs, capex 10, capex_trend −0.3, lifetime 3) over 2025-2027; demand only
    in 2027 (4 GPUs, penalty 10/GPU). Any purchase year covers 2027.

    c(2025) = 10, c(2026) = 10·0.7 = 7, c(2027) = 10·0.7² = 4.9.
      objective = 4.9, bought in 2027.
    No trend: 10. Linear trend 10·(1 − 0.3·2) = 4.
    """
    plan = solve_optimal(instance(
        years=(2025, 2027),
        pools={"nat": national_pool()},
        products={"node": product("nat", capacity=4, capex=10, capex_trend=-0.3,
                                  lifetime=3)},
        workloads={"w": workload({2025: 0, 2026: 0, 2027: 4}, penalty=10)},
    ))
    assert plan.objective_mnok == approx(4.9)
    assert units(plan, "node", 2027) == 1
    assert units(plan) == 1


def test_surcharge_applies_to_capex_and_opex():
    """Restricted work (4 GPUs in 2025 and 2026, penalty 100); tier restricted has
    surcharge 0.5. A node: 4 GPUs, capex 10, opex 2/year, lifetime 2.

    One restricted node in 2025: capex 10·1.5 = 15, opex 2·1.5 = 3 in each of 2 years.
      objective = 15 + 3 + 3 = 21.
    Opex without surcharge: 19. No surcharge at all: 14.
    """
    plan = solve_optimal(instance(
        years=(2025, 2026),
        tiers=RESTRICTED_TIERS,
        pools={"nat": national_pool(max_tier="restricted")},
        products={"node": product("nat", capacity=4, capex=10, opex=2, lifetime=2)},
        workloads={"secret": workload(4, penalty=100, tier="restricted")},
    ))
    assert plan.objective_mnok == approx(21)
    assert units(plan, "node", 2025, "restricted") == 1
    assert units(plan) == 1
    assert financing(plan, "operations", 2026) == approx(3)


def test_opex_per_year_in_service_baseline_and_existing_opex():
    """2025-2026, demand 4 GPUs per year, penalty 10. A node: 4 GPUs, capex 2, opex 3/year,
    lifetime 2. Cloud at 1.25/GPU (5 a year). baseline_opex {2025: 1} (2026: none), an
    existing system with opex 0.5 in service through 2025.

    Node in 2025: 2 + 3 + 3 = 8; cloud both years: 10; cloud 2025 + node 2026: 5 + 2 + 3 =
    10. → node in 2025. Constants: baseline 1 (2025 only) + existing 0.5 (2025 only).
      objective = 8 + 1 + 0.5 = 9.5; operations 2025 = 3 + 1 + 0.5 = 4.5, 2026 = 3.
    Opex once per purchase: 6.5. Baseline in every year: 10.5. Existing opex after its
    last year: 10.
    """
    plan = solve_optimal(instance(
        years=(2025, 2026),
        pools={"nat": national_pool(), "cloud": cloud_pool({"gpu": 1.25})},
        products={"node": product("nat", capacity=4, capex=2, opex=3, lifetime=2)},
        existing=[{"name": "old", "pool": "nat", "capacity": {"gpu": 0}, "last_year": 2025,
                   "opex": 0.5}],
        baseline_opex={2025: 1},
        workloads={"w": workload(4, penalty=10)},
    ))
    assert plan.objective_mnok == approx(9.5)
    assert units(plan, "node", 2025) == 1
    assert units(plan) == 1
    assert served_from(plan, "w", "cloud") == approx(0)
    assert financing(plan, "operations", 2025) == approx(4.5)
    assert financing(plan, "operations", 2026) == approx(3)
    assert financing(plan, "national_investment", 2025) == approx(2)


def test_cloud_price_per_pool_placement_and_unpriced_resource():
    """Clouds: `us` (USA, neither national nor allied) at 1/GPU, `eu` (Finland, allied) at
    2/GPU; neither prices cpu. Penalty 5 per unit for every workload.

    any-placement 3 GPUs → us: 3·1 = 3
    allied 2 GPUs        → eu: 2·2 = 4   (us not allied)
    national 1 GPU       → no pool: 1·5 = 5
    cpu 3 kcores         → no price for cpu anywhere: 3·5 = 15
      objective = 3 + 4 + 5 + 15 = 27.
    Allied work allowed in the USA: 25. Unpriced cpu served free: 12.
    """
    plan = solve_optimal(instance(
        pools={"us": cloud_pool({"gpu": 1}, location="usa"),
               "eu": cloud_pool({"gpu": 2}, location="finland")},
        workloads={"anywhere": workload(3, penalty=5),
                   "allied": workload(2, penalty=5, placement="allied"),
                   "home": workload(1, penalty=5, placement="national"),
                   "cpu": workload(3, penalty=5, resource="cpu")},
    ))
    assert plan.objective_mnok == approx(27)
    assert served_from(plan, "anywhere", "us") == approx(3)
    assert served_from(plan, "allied", "eu") == approx(2)
    assert unserved(plan, "home") == approx(1)
    assert unserved(plan, "cpu") == approx(3)
    assert financing(plan, "operations", 2025) == approx(7)


# --- 7. Budget caps -----------------------------------------------------------------------


def _caps_instance(budget: dict) -> dict:
    return instance(
        pools={"nat": national_pool(), "lumi": eurohpc_pool(),
               "cloud": cloud_pool({"gpu": 2})},
        products={"node": product("nat", capacity=4, capex=4),
                  "share": product("lumi", capacity=0.8, capex=1, integer=False)},
        workloads={"w": workload(8, penalty=3)},
        budget=budget,
    )


@pytest.mark.parametrize(
    ("budget", "objective", "nodes", "shares", "cloud", "left_unserved"),
    [
        ({}, 8.0, 2, 0.0, 0.0, 0.0),
        ({"national_investment": 4}, 9.0, 1, 5.0, 0.0, 0.0),
        ({"national_investment": 4, "eurohpc_investment": 2.5}, 10.5, 1, 2.5, 2.0, 0.0),
        ({"national_investment": 4, "eurohpc_investment": 2.5, "operations": 2},
         11.5, 1, 2.5, 1.0, 1.0),
        ({"investment": 6}, 10.8, 1, 2.0, 2.4, 0.0),
        ({"yearly": 7}, 11.8, 1, 3.0, 0.0, 1.6),
    ],
    ids=["no-caps", "national", "national+eurohpc", "national+eurohpc+operations",
         "investment", "yearly"],
)
def test_budget_caps_of_one_year(budget, objective, nodes, shares, cloud, left_unserved):
    """One year, demand 8 GPUs, penalty 3/GPU. Per GPU: node 1 (4 GPUs for capex 4, whole
    nodes, national), EuroHPC share 1.25 (0.8 GPU per MNOK, continuous), cloud 2 (opex).

    no caps: 2 nodes = 8.
    national_investment 4: 1 node (4 GPUs); 4 GPUs by shares, 5 MNOK (< cloud 8): 9.
    + eurohpc_investment 2.5: shares 2.5 MNOK = 2 GPUs; cloud 2 GPUs = 4: 4+2.5+4 = 10.5.
      (cap ignored: 9; cap read as national capex: the node is out, 4 > 2.5.)
    + operations 2: cloud 1 GPU (2), 1 unserved (3): 4 + 2.5 + 2 + 3 = 11.5.
      (operations without cloud: 10.5.)
    investment 6 (all capex): k ≤ 1 nodes, shares s ≤ 6 − 4k, rest cloud (2 < 3):
      cost = 4k + s + 2·(8 − 4k − 0.8s) = 16 − 4k − 0.6s; k = 1, s = 2 → 10.8,
      k = 0, s = 6 → 12.4. → 10.8 with cloud 8 − 4 − 1.6 = 2.4.
      (national capex only: 1 node + 5 shares = 9; EuroHPC capex only: 2 nodes = 8.)
    yearly 7 (capex + opex): k = 1 leaves 3 MNOK for 4 GPUs; each MNOK in shares avoids
      0.8·3 − 1 = 1.4 net, in cloud 0.5·3 − 1 = 0.5 → s = 3 (2.4 GPUs), 1.6 unserved:
      4 + 3 + 4.8 = 11.8 (k = 0: 7 + 2.4·3 = 14.2).
      (capex only: 4 + 3 + 1.6·2 = 10.2; opex only: 8.)
    """
    plan = solve_optimal(_caps_instance(budget))
    assert plan.objective_mnok == approx(objective)
    assert units(plan, "node") == nodes
    assert units(plan, "share") == approx(shares)
    assert served_from(plan, "w", "cloud") == approx(cloud)
    assert unserved(plan, "w") == approx(left_unserved)


def test_total_budget_counts_capex_and_opex_of_all_years():
    """2025-2026, demand 4 GPUs per year, penalty 3/GPU. A node: 4 GPUs, capex 6,
    lifetime 2 (covers both years). Cloud 2/GPU. budget.total 5.

    Without the cap: one node, 6. With it the node (6 > 5) is out; cloud spending over both
    years ≤ 5 → 2.5 GPUs served, 8 − 2.5 = 5.5 unserved:
      objective = 5 + 5.5·3 = 21.5.
    Total without capex: 6. Total as a cap per year: 2·(5 + 1.5·3) = 19. Without opex: 16.
    """
    plan = solve_optimal(instance(
        years=(2025, 2026),
        pools={"nat": national_pool(), "cloud": cloud_pool({"gpu": 2})},
        products={"node": product("nat", capacity=4, capex=6, lifetime=2)},
        workloads={"w": workload(4, penalty=3)},
        budget={"total": 5},
    ))
    assert plan.objective_mnok == approx(21.5)
    assert units(plan) == 0
    assert served_from(plan, "w", "cloud") == approx(2.5)
    assert unserved(plan, "w") == approx(5.5)


def test_yearly_cap_given_for_one_year_binds_that_year_only():
    """2025-2026, demand 4 GPUs per year, penalty 3/GPU. A node: 4 GPUs, capex 5. Cloud
    2/GPU. budget.yearly {2025: 4}.

    2025: node 5 > 4 is out; cloud 2 GPUs (4), 2 unserved (6): 10.
    2026 (no cap): node 5.
      objective = 15.
    Map applied to every year: 20. Yearly as capex only (cloud free of it): 8 + 5 = 13.
    Yearly as opex only: 10.
    """
    plan = solve_optimal(instance(
        years=(2025, 2026),
        pools={"nat": national_pool(), "cloud": cloud_pool({"gpu": 2})},
        products={"node": product("nat", capacity=4, capex=5)},
        workloads={"w": workload(4, penalty=3)},
        budget={"yearly": {2025: 4}},
    ))
    assert plan.objective_mnok == approx(15)
    assert units(plan, "node", 2025) == 0
    assert units(plan, "node", 2026) == 1
    assert served_from(plan, "w", "cloud", 2025) == approx(2)
    assert unserved(plan, "w", 2025) == approx(2)


def test_cap_that_makes_min_coverage_impossible_is_infeasible():
    """Demand 4 GPUs with min_coverage 1; the only capacity is a node of 4 GPUs at capex
    10. investment cap 5 < 10: no plan serves 100 %, so the status is infeasible. Without
    the cap the plan buys the node: objective 10."""
    data = instance(
        pools={"nat": national_pool()},
        products={"node": product("nat", capacity=4, capex=10)},
        workloads={"w": workload(4, penalty=1, min_coverage=1)},
    )
    assert solve_optimal(data).objective_mnok == approx(10)
    data["budget"] = {"investment": 5}
    plan = solve_tiny(data)
    assert plan.metadata["status"] == "infeasible"


# --- 8. EuroHPC share -----------------------------------------------------------------------


def _share_instance(policy: dict, share_capacity: float) -> dict:
    return instance(
        years=(2025, 2026),
        pools={"nat": national_pool(), "lumi": eurohpc_pool()},
        products={"node": product("nat", capacity=4, capex=4, opex=1),
                  "share": product("lumi", capacity=share_capacity, capex=1,
                                   integer=False)},
        workloads={"w": workload(4, penalty=10)},
        policy=policy,
    )


@pytest.mark.parametrize(
    ("share", "objective", "shares", "shares_2026"),
    [
        (None, 10.0, 0.0, 0.0),
        ({"min": 0.3}, 94 / 7, 24 / 7, None),
        ({"min": 0.3, "of": "national_investment"}, 12.4, 2.4, None),
        ({"min": 0.3, "of": "spending"}, 100 / 7, 30 / 7, None),
        ({"min": 0.3, "years": [2026, 2026]}, 82 / 7, 12 / 7, 12 / 7),
    ],
    ids=["none", "of-investment", "of-national-investment", "of-spending", "years"],
)
def test_eurohpc_share_min(share, objective, shares, shares_2026):
    """2025-2026, demand 4 GPUs per year, penalty 10. A node: 4 GPUs, capex 4, opex 1
    (5 a year: 1.25/GPU). A EuroHPC share: 0.4 GPU per MNOK (2.5/GPU). n = nodes bought
    (one per year covers the demand), E = MNOK of shares (may stand unused).

    none: a node each year, 10.
    min 0.3 of investment: E ≥ 0.3·(4n + E) ⇔ E ≥ 12n/7. n = 2: E = 24/7, objective
      10 + 24/7 = 94/7 ≈ 13.43; n = 1 (other year by 10 MNOK of shares): 5 + 10 = 15.
    of national_investment: E ≥ 0.3·4n = 2.4 for n = 2: 12.4 (n = 1: 15).
    of spending (capex + opex = 5n + E): 0.7E ≥ 1.5n → n = 2: E = 30/7, 100/7 ≈ 14.29
      (n = 1: 15, where E = 10 ≥ 0.3·15).
    years [2026, 2026]: only 2026 counts: E(2026) ≥ 12/7 for its node: 10 + 12/7 = 82/7.
      (years ignored: 94/7; every `of` read as investment: 94/7.)
    """
    plan = solve_optimal(_share_instance(
        {} if share is None else {"eurohpc_share": share}, share_capacity=0.4))
    assert plan.objective_mnok == approx(objective)
    assert units(plan, "node", 2025) == 1
    assert units(plan, "node", 2026) == 1
    assert units(plan, "share") == approx(shares)
    if shares_2026 is not None:
        assert units(plan, "share", 2026) == approx(shares_2026)
    assert unserved(plan) == approx(0)


def test_eurohpc_share_max():
    """As above but the share gives 1 GPU per MNOK (1/GPU, cheaper than the node's 1.25).
    Unbounded: 4 MNOK of shares each year, 8. With max 0.5 of investment:
    E ≤ 0.5·(4n + E) ⇔ E ≤ 4n. n = 0: E = 0, all unserved 80; n = 1: E ≤ 4 covers the
    other year: 5 + 4 = 9; n = 2: 10.
      objective = 9, one node, 4 MNOK of shares.
    """
    plan = solve_optimal(_share_instance(
        {"eurohpc_share": {"max": 0.5}}, share_capacity=1))
    assert plan.objective_mnok == approx(9)
    assert units(plan, "node") == 1
    assert units(plan, "share") == approx(4)
    assert unserved(plan) == approx(0)


# --- 9. National share ------------------------------------------------------------------------


def test_national_share_counts_pools_by_location_and_only_listed_resources():
    """One year. GPU work 10 (penalty 2.5), CPU work 5 kcores (penalty 3). GPU sources per
    GPU: national node 2 (whole), LUMI share in Finland 1, a EuroHPC share hosted in Norway
    1.2. CPU: cloud in the USA at 0.5. national_share {min 0.6, resources [gpu]}.

    GPU: national ≥ 0.6·served; cheapest national source is the Norwegian EuroHPC share:
      6·1.2 + 4·1 = 11.2 (per served GPU 1.12 < 2.5: serve all).
    CPU is not listed: cloud 5·0.5 = 2.5.
      objective = 13.7.
    EuroHPC pools never national: 6 nodes = 12 + 4 = 16 → 18.5. CPU listed too: no
    national CPU, so none served: 11.2 + 15 = 26.2. No policy: 10 + 2.5 = 12.5.
    """
    plan = solve_optimal(instance(
        pools={"nat": national_pool(), "lumi": eurohpc_pool(),
               "lumi-no": eurohpc_pool(location="norway"),
               "us": cloud_pool({"cpu": 0.5}, location="usa")},
        products={"node": product("nat", capacity=1, capex=2),
                  "share": product("lumi", capacity=1, capex=1, integer=False),
                  "share-no": product("lumi-no", capacity=1, capex=1.2, integer=False)},
        workloads={"g": workload(10, penalty=2.5), "c": workload(5, penalty=3, resource="cpu")},
        policy={"national_share": {"min": 0.6, "resources": ["gpu"]}},
    ))
    assert plan.objective_mnok == approx(13.7)
    assert units(plan, "share-no") == approx(6)
    assert units(plan, "share") == approx(4)
    assert units(plan, "node") == 0
    assert served_from(plan, "c", "us") == approx(5)


def test_national_share_is_a_share_of_what_is_served_not_of_demand():
    """One year, GPU work 10, penalty 1.5. National node 2/GPU (whole), LUMI share 1/GPU.
    national_share min 0.6.

    n node GPUs, f share GPUs with n ≥ 0.6(n + f) ⇔ f ≤ 2n/3:
      cost = 2n + f + 1.5(10 − n − f) = 15 + 0.5n − 0.5f ≥ 15 + n/6 ≥ 15.
      objective = 15, nothing served.
    Share of demand (n ≥ 6): 12 + 4 = 16. No policy: 10 shares, 10.
    """
    plan = solve_optimal(instance(
        pools={"nat": national_pool(), "lumi": eurohpc_pool()},
        products={"node": product("nat", capacity=1, capex=2),
                  "share": product("lumi", capacity=1, capex=1, integer=False)},
        workloads={"g": workload(10, penalty=1.5)},
        policy={"national_share": {"min": 0.6}},
    ))
    assert plan.objective_mnok == approx(15)
    assert units(plan) == approx(0)
    assert unserved(plan) == approx(10)


# --- Objective: discounting, salvage, lead time ----------------------------------------------


def test_discounting_of_opex_baseline_and_penalties():
    """discount_rate 0.25 over 2025-2027: δ = 1, 0.8, 0.64 (sum 2.44). Each year: cloud
    5 GPUs at 1 (5), baseline_opex 1, national-only work of 1 GPU with no pool at penalty 2.
      objective = (5 + 1 + 2)·2.44 = 19.52.
    No discounting: 24. δ counted from first + 1: 8·(0.8 + 0.64 + 0.512) = 15.616.
    """
    plan = solve_optimal(instance(
        years=(2025, 2027),
        discount_rate=0.25,
        pools={"cloud": cloud_pool({"gpu": 1})},
        baseline_opex=1,
        workloads={"w": workload(5, penalty=10),
                   "home": workload(1, penalty=2, placement="national")},
    ))
    assert plan.objective_mnok == approx(19.52)
    assert served_from(plan, "w", "cloud") == approx(15)
    assert unserved(plan, "home") == approx(3)


def _salvage_instance(end_of_horizon: str, lead_time: int = 0) -> dict:
    return instance(
        years=(2025, 2026),
        discount_rate=0.1,
        end_of_horizon=end_of_horizon,
        pools={"nat": national_pool(), "cloud": cloud_pool({"gpu": 2})},
        products={"node": product("nat", capacity=4, capex=10, lifetime=3,
                                  lead_time=lead_time)},
        workloads={"w": workload({2025: 0, 2026: 4}, penalty=100)},
    )


@pytest.mark.parametrize(
    ("end_of_horizon", "objective", "nodes_2026"),
    [("none", 80 / 11, 0), ("salvage", 1300 / 363, 1)],
)
def test_salvage_credit_changes_the_decision(end_of_horizon, objective, nodes_2026):
    """2025-2026, ρ = 0.1 (δ(2025) = 1, δ(2026) = 1/1.1). Demand 4 GPUs in 2026 only,
    penalty 100. Cloud 2/GPU; a node: 4 GPUs, capex 10, lifetime 3.

    cloud in 2026: 8/1.1 = 80/11 ≈ 7.273.
    node in 2026 (service 2026-2028): cost 10/1.1 = 100/11 ≈ 9.091;
      salvage m = min(3, 2028 − 2026) = 2: δ(2026)/1.1 · 2/3 · 10 = 20/3/1.21 = 2000/363.
    node in 2025 (service 2025-2027): cost 10; salvage m = 1: 1000/363.
    none:    min(80/11, 100/11, 10) = 80/11 (cloud).
    salvage: node 2026: 100/11 − 2000/363 = (3300 − 2000)/363 = 1300/363 ≈ 3.581
             (node 2025: 10 − 1000/363 ≈ 7.245; cloud 7.273).
    Credit with δ(last) instead of δ(last)/(1+ρ): 100/11 − 200/33 ≈ 3.030. With
    m = end − last + 1 (= 3): ≈ 0.826.
    """
    plan = solve_optimal(_salvage_instance(end_of_horizon))
    assert plan.objective_mnok == approx(objective)
    assert units(plan, "node", 2026) == nodes_2026
    assert units(plan, "node", 2025) == 0
    assert served_from(plan, "w", "cloud", 2026) == approx(4 * (1 - nodes_2026))


def test_lead_time_delays_service_and_shifts_salvage():
    """As above with salvage and lead_time 1: a node bought in b serves b+1 … b+3.

    node in 2025 (service 2026-2028): cost 10, m = min(3, 2028 − 2026) = 2, credit
      2000/363: 10 − 2000/363 = 1630/363 ≈ 4.490 < cloud 80/11 ≈ 7.273.
    node in 2026 serves from 2027 only: 100/11 − 1/1.21·10 (m = 3) ≈ 0.826 > 0, not bought.
      objective = 1630/363, one node bought in 2025, nothing from the cloud.
    Lead time ignored: the 2026 node of the test above, 1300/363.
    """
    plan = solve_optimal(_salvage_instance("salvage", lead_time=1))
    assert plan.objective_mnok == approx(1630 / 363)
    assert units(plan, "node", 2025) == 1
    assert units(plan, "node", 2026) == 0
    assert served_from(plan, "w", "cloud") == approx(0)


def test_salvage_credits_the_price_as_paid_with_surcharge_and_batch_fixed_capex():
    """One year (ρ = 0, salvage). Restricted work 4 GPUs, penalty 100. A node: 4 GPUs,
    capex 10, lifetime 2, batch fixed_capex 4; restricted surcharge 0.5.

    Paid: 10·1.5 + 4 = 19. m = min(2, 2026 − 2025) = 1: credit 1/2 · 19 = 9.5.
      objective = 19 − 9.5 = 9.5.
    Salvage on the capex before surcharge: 19 − 7 = 12. Without the batch: 11.5.
    """
    plan = solve_optimal(instance(
        end_of_horizon="salvage",
        tiers=RESTRICTED_TIERS,
        pools={"nat": national_pool(max_tier="restricted")},
        products={"node": product("nat", capacity=4, capex=10, lifetime=2,
                                  batch={"fixed_capex": 4})},
        workloads={"secret": workload(4, penalty=100, tier="restricted")},
    ))
    assert plan.objective_mnok == approx(9.5)
    assert units(plan, "node", 2025, "restricted") == 1
    assert plan.summary["salvage_mnok"] == approx(9.5)


# --- §5. Commitments and history years ----------------------------------------------------------


def test_commitment_at_its_own_capex_fixes_its_cell():
    """2025-2026, demand 8 GPUs per year, penalty 3/GPU. A node: 4 GPUs, capex 10,
    lifetime 2. Committed: 1 node in 2025 at capex 6.

    The committed node serves 4 in both years (6). Cell (node, 2025, open) gets no more
    units, so 2025's other 4 GPUs go unserved (12); in 2026 a node (10) beats 12 unserved.
      objective = 6 + 12 + 10 = 28.
    Commitment as a minimum: 2 nodes in 2025, 6 + 10 = 16. Forecast capex: 32.
    """
    plan = solve_optimal(instance(
        years=(2025, 2026),
        pools={"nat": national_pool()},
        products={"node": product("nat", capacity=4, capex=10, lifetime=2)},
        committed=[{"product": "node", "year": 2025, "units": 1, "capex": 6}],
        workloads={"w": workload(8, penalty=3)},
    ))
    assert plan.objective_mnok == approx(28)
    assert units(plan, "node", 2025) == 1
    assert units(plan, "node", 2026) == 1
    assert unserved(plan, "w", 2025) == approx(4)
    assert unserved(plan, "w", 2026) == approx(0)
    assert financing(plan, "national_investment", 2025) == approx(6)


def test_commitments_to_one_cell_add_up_and_are_salvaged_as_paid():
    """One year, ρ = 0, salvage. Demand 4 GPUs. A node: 4 GPUs, capex 10, lifetime 2.
    Committed to (node, 2025): 1 unit at 6 and 2 units at 9.

    3 units, paid 6 + 2·9 = 24; m = min(2, 1) = 1: credit 1/2 · 24 = 12.
      objective = 24 − 12 = 12.
    Only the last commitment: 18 − 9 = 9; only the first: 3. Salvage at the forecast
    price: 24 − 15 = 9. Forecast price throughout: 30 − 15 = 15.
    """
    plan = solve_optimal(instance(
        end_of_horizon="salvage",
        pools={"nat": national_pool()},
        products={"node": product("nat", capacity=4, capex=10, lifetime=2)},
        committed=[{"product": "node", "year": 2025, "units": 1, "capex": 6},
                   {"product": "node", "year": 2025, "units": 2, "capex": 9}],
        workloads={"w": workload(4, penalty=100)},
    ))
    assert plan.objective_mnok == approx(12)
    assert units(plan, "node", 2025) == 3
    assert plan.summary["salvage_mnok"] == approx(12)
    assert financing(plan, "national_investment", 2025) == approx(24)


def _history_instance(**keys) -> dict:
    return instance(
        years=(2025, 2027),
        plan_from=2026,
        pools={"nat": national_pool(), "us": cloud_pool({"gpu": 1}, location="usa",
                                                         limit={"gpu": 2})},
        products={"node": product("nat", capacity=4, capex=10),
                  "old": product("nat", capacity=4, capex=11, years=[2027])},
        committed=[{"product": "old", "year": 2025, "units": 1, "capex": 12}],
        **keys,
    )


def test_history_years_take_no_purchases_and_plan_year_rules_skip_them():
    """2025-2027 with plan_from 2026. Demand 8 GPUs in 2025, 4 in 2026 and 2027, penalty
    5/GPU, min_coverage 0.9. Products: `node` (4 GPUs, capex 10), `old` (4 GPUs, capex 11,
    buyable in 2027 only); committed: 1 `old` in 2025 at 12 (a year outside its `years`).
    Cloud in the USA: 1/GPU, limit 2. budget.yearly 11; national_share min 1.

    2025 (history): only the commitment (12), serving 4; cloud 2 (2: national share does
      not bind history); 2 unserved (10, coverage 6/8 < 0.9 allowed in history); spending
      12 + 2 = 14 > 11 allowed in history: 24.
    2026: national share 1 → no cloud; a node, 10. 2027: a node (10 < `old` 11), 10.
      objective = 24 + 10 + 10 = 44.
    Purchases allowed in history: a 2025 node instead of cloud + unserved, 42. National
    share in history: 12 + 20 + 20 = 52. min_coverage or the yearly cap in history:
    infeasible.
    """
    plan = solve_optimal(_history_instance(
        workloads={"w": workload({2025: 8, 2026: 4, 2027: 4}, penalty=5, min_coverage=0.9)},
        budget={"yearly": 11},
        policy={"national_share": {"min": 1}},
    ))
    assert plan.objective_mnok == approx(44)
    assert units(plan, year=2025) == 1
    assert units(plan, "old", 2025) == 1
    assert units(plan, "node", 2026) == 1
    assert units(plan, "node", 2027) == 1
    assert units(plan, "old", 2027) == 0
    assert served_from(plan, "w", "us", 2025) == approx(2)
    assert served_from(plan, "w", "us") == approx(2)
    assert unserved(plan, "w", 2025) == approx(2)
    assert financing(plan, "national_investment", 2025) == approx(12)


def test_total_budget_counts_history_spending():
    """The instance above (plan_from 2026, commitment of 12 in 2025, cloud 1/GPU limit 2)
    with penalty 5, no min_coverage, yearly cap or national share, and budget.total 31.

    2025 (history): the commitment (12) serves 4; cloud 2 (2; 1 < 5); 2 unserved (10): 24.
    2026-2027: a node in both years would bring spending to 12 + 20 = 32 > 31 even with no
      cloud in 2025, so one node (10) in one year; the other year cloud 2 (2) and 2
      unserved (10): 22 (no node: 2·(2 + 10) = 24). Spent 12 + 2 + 10 + 2 = 26 ≤ 31.
      objective = 24 + 22 = 46.
    Total over plan years only: both nodes (20 ≤ 31), 24 + 20 = 44.
    """
    plan = solve_optimal(_history_instance(
        workloads={"w": workload({2025: 8, 2026: 4, 2027: 4}, penalty=5)},
        budget={"total": 31},
    ))
    assert plan.objective_mnok == approx(46)
    assert units(plan, "node") == 1
    assert units(plan, "old") == 1
    assert served_from(plan, "w", "us") == approx(4)
    assert unserved(plan) == approx(4)
