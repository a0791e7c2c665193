"""Every solved plan recomputed from its plan.json with plain Python (tests/support/recheck.py):
cost, coverage and shares match what the plan reports, and every constraint holds.

Random instances from tests/support/generator.py, every bundled example and the Norway instance.
A recheck that never fails proves nothing, so the last tests break plans on purpose.
"""

from __future__ import annotations

import copy
import json

import pytest
from support.generator import small_instance
from support.instances import PROJECT
from support.recheck import recheck

from planner import load_instance, solve
from planner.input.loading import instance_from_data

INSTANCES = 100  # random instances per run (seeds 0..99); the infeasible ones are skipped
EMPTY_BATCH_NOTE = "with no units"


def _document(plan) -> dict:
    return json.loads(plan.to_json())


@pytest.mark.parametrize("seed", range(INSTANCES))
@pytest.mark.slow
def test_random_plans_recompute_exactly(seed):
    plan = solve(instance_from_data(small_instance(seed), f"random-{seed}"),
                 marginal_values=False)
    if not plan.has_plan:
        assert plan.status == "infeasible"  # test_crosscheck confirms the verdict
        return
    result = recheck(_document(plan))
    assert result.problems == []
    assert all(EMPTY_BATCH_NOTE in note for note in result.notes)


INSTANCE_FILES = [PROJECT / "instances" / "norway-2025.yaml",
                  PROJECT / "instances" / "norway-2025-extended.yaml",
                  *sorted((PROJECT / "instances" / "examples").glob("*.yaml"))]


@pytest.mark.parametrize("path", INSTANCE_FILES, ids=lambda path: path.stem)
@pytest.mark.slow
def test_bundled_instances_recompute_exactly(path):
    plan = solve(load_instance(path), mip_gap=1e-4, marginal_values=False)
    assert plan.has_plan, plan.metadata
    result = recheck(_document(plan))
    assert result.problems == []
    assert result.notes == []


@pytest.fixture(scope="module")
def solved() -> dict:
    """A plan with purchases, a commitment, a batch, a total cap and a EuroHPC share (seed 1)."""
    plan = solve(instance_from_data(small_instance(1), "random-1"), marginal_values=False)
    document = _document(plan)
    assert recheck(document).problems == []
    return document


def _broken(document: dict, change) -> list[str]:
    document = copy.deepcopy(document)
    change(document)
    return recheck(document).problems


def test_a_plan_with_one_more_unit_than_it_pays_for_is_caught(solved):
    def change(document):
        document["tables"]["purchases"][0]["units"] += 1
    assert any("financing" in problem for problem in _broken(solved, change))


def test_a_plan_serving_more_than_its_demand_is_caught(solved):
    def change(document):
        document["tables"]["allocation"][0]["served"] += 0.5
    assert any("demand balance" in problem for problem in _broken(solved, change))


def test_a_reported_objective_off_by_a_little_is_caught(solved):
    def change(document):
        document["metadata"]["objective_mnok"] *= 1 + 1e-5
    assert any("metadata objective" in problem for problem in _broken(solved, change))


def test_a_broken_cap_is_caught(solved):
    def change(document):
        document["instance"]["budget"] = {"total": 1.0}
    assert any("budget total" in problem for problem in _broken(solved, change))
