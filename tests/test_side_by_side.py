"""`planner.solving.api.solve_side_by_side`: HiGHS solves several models at once, and each
plan is the one a solve of its own gives (checked against those solves)."""

from __future__ import annotations

import copy

import pytest
from support.generator import small_instance

from planner.input.loading import instance_from_data
from planner.solving.api import solve, solve_side_by_side


def _instances(seed: int, priority: str) -> list:
    base = small_instance(seed)
    base["priority"] = priority
    spent = solve(instance_from_data(copy.deepcopy(base), "uncapped"), mip_gap=1e-6,
                  marginal_values=False).summary["spending_mnok"]
    instances = []
    for share in (0.8, 0.95, 2.0):  # total caps, tight to loose: different plans
        data = copy.deepcopy(base)
        data["budget"] = {"total": share * spent}
        instances.append(instance_from_data(data, f"cap-{share:g}"))
    return instances


@pytest.mark.parametrize(("seed", "priority"), [(1, "cost"), (3, "cost"), (2, "coverage")])
def test_side_by_side_plans_are_the_plans_of_single_solves(seed, priority):
    instances = _instances(seed, priority)
    together = solve_side_by_side(instances, mip_gap=1e-6, figures_only=True)
    alone = [solve(instance, mip_gap=1e-6, marginal_values=False, figures_only=True)
             for instance in instances]
    assert len(together) == len(instances)
    objectives = set()
    for mine, theirs, instance in zip(together, alone, instances, strict=True):
        assert mine.instance is instance  # in the instances' order
        assert mine.status == theirs.status
        if theirs.has_plan:
            assert mine.objective_mnok == pytest.approx(theirs.objective_mnok, rel=1e-9)
            assert mine.tables["coverage"].equals(theirs.tables["coverage"])
            objectives.add(round(theirs.objective_mnok, 6))
    assert len(objectives) > 1  # the caps made a difference: the plans were told apart
