"""Every bundled instance is valid and solves; the examples to their hand-worked optimum."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import load_instance, solve

INSTANCES = Path(__file__).resolve().parent.parent / "instances"

# Each example's header comment works its optimum out by hand (MNOK).
EXAMPLE_OPTIMA = {
    "tiers.yaml": 12.0,
    "batches.yaml": 24.0,
    "cloud.yaml": 7.5,
    "eurohpc-share.yaml": 10.0,
    "national-share.yaml": 8.0,
    "commitments.yaml": 12.1,
    "salvage-discount.yaml": 10 + 1 + 1 / 1.1 - 5 / 1.1**2,
    "budget-caps.yaml": 29.0,
    "scenarios.yaml": 40.0,  # the expected cost of the two-stage plan
    "redundancy.yaml": 30.0,
}


@pytest.mark.parametrize("name", sorted(EXAMPLE_OPTIMA))
def test_example_solves_to_its_hand_worked_optimum(name):
    plan = solve(load_instance(INSTANCES / "examples" / name))
    assert plan.status == "optimal"
    assert plan.objective_mnok == pytest.approx(EXAMPLE_OPTIMA[name], rel=1e-6)


def test_every_example_is_covered():
    assert {path.name for path in (INSTANCES / "examples").glob("*.yaml")} == set(EXAMPLE_OPTIMA)


@pytest.mark.slow  # the full Norway instance
def test_norway_plan_is_optimal_and_answers_the_report():
    """The report's question: what does 2 600 MNOK buy, with 10-20 % through EuroHPC?

    By hand, 2025: research GPU need 600; in service Olivia 304 + Betzy 16 + Saga 48 +
    LUMI 200 = 568 GPUs, 32 short. A 4-GPU node costs 1.52 + 0.03 a year and serves five
    years, while each GPU-year unserved costs 0.3 (4 GPUs x 0.3 = 1.2 MNOK a year).
    Buying a node in 2026 instead of 2025 saves at most a year's discount on its price
    (1.52 x 0.04 / 1.04 = 0.06), a year's power (0.03) and a fifth of its price in salvage
    (0.30 x 0.85 = 0.26): about 0.35 < 1.2, so the plan buys exactly 32 / 4 = 8 GPU nodes
    in 2025 (a ninth would stand idle in 2025; prices are flat, so 2026's need is bought
    in 2026) and leaves no GPU unserved then. Nothing else can serve it in 2025: LUMI's
    new share starts in 2027 and the cloud (0.63) is dearer than the penalty. The 2025
    lines leave room (8 x 1.52 well under 200; operations 87 + 8 + power under 100).
    The critical services must be fully served (min_coverage 1)."""
    plan = solve(load_instance(INSTANCES / "norway-2025.yaml"))
    assert plan.status == "optimal"
    bought = set(plan.purchases["product"])
    assert {"gpu-node", "cpu-node", "storage-system", "lumi-ai-share"} <= bought
    purchases = plan.purchases
    gpu_2025 = purchases[(purchases["product"] == "gpu-node") & (purchases["year"] == 2025)]
    assert gpu_2025["units"].sum() == 8
    eurohpc = plan.shares[plan.shares["share"] == "eurohpc"].iloc[0]
    assert 0.10 - 1e-6 <= eurohpc["value"] <= 0.20 + 1e-6
    assert plan.financing.set_index("line").loc["sum", "total"] <= 2600 + 1e-6
    coverage = plan.coverage.set_index(["workload", "year"])
    assert coverage.loc[("research-gpu", 2025), "unserved"] == pytest.approx(0, abs=1e-6)
    critical = plan.coverage[plan.coverage["workload"] == "critical-services"]
    assert (critical["unserved"] <= 1e-6).all()


@pytest.mark.slow
def test_the_extended_norway_instance_solves_and_costs_at_least_the_default():
    """The extended instance is the default plus two workloads under the same caps. Any
    extended plan, its two workloads dropped, is a default plan of no greater cost (their
    allocation and penalty go, nothing else changes), so the default optimum is at most
    the extended one (both at gap 1e-6)."""
    default = solve(load_instance(INSTANCES / "norway-2025.yaml"))
    extended = solve(load_instance(INSTANCES / "norway-2025-extended.yaml"))
    assert extended.status == "optimal"
    assert {"language-models", "defence-restricted"} <= set(extended.coverage["workload"])
    assert default.objective_mnok <= extended.objective_mnok * (1 + 2e-6)
