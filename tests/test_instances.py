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
    """The report's question: what does 2 600 MNOK buy, with 10-20 % through EuroHPC?"""
    plan = solve(load_instance(INSTANCES / "norway-2025.yaml"))
    assert plan.status == "optimal"
    bought = set(plan.purchases["product"])
    assert {"gpu-node", "cpu-node", "storage-system", "lumi-ai-share"} <= bought
    eurohpc = plan.shares[plan.shares["share"] == "eurohpc"].iloc[0]
    assert 0.10 - 1e-6 <= eurohpc["value"] <= 0.20 + 1e-6
    assert plan.financing.set_index("line").loc["sum", "total"] <= 2600 + 1e-6
    coverage = plan.coverage
    gpu_unserved = coverage[coverage["resource"] == "gpu"]["unserved"].sum()
    assert gpu_unserved > 0  # the caps leave AI demand unserved, as the report warns
    critical = coverage[coverage["workload"].str.startswith("critical")]
    assert (critical["unserved"] <= 1e-6).all()
