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


@pytest.mark.parametrize("seed", [1, 3])
def test_a_start_from_a_plan_the_relaxations_allow_keeps_the_optima(seed):
    """The tightest cap's plan, handed as a start to the looser caps' solves (which it
    satisfies), leaves each optimum as a solve of its own finds it."""
    instances = _instances(seed, "cost")
    tightest = solve(instances[0], mip_gap=1e-6, marginal_values=False)
    assert tightest.has_plan and tightest.column_values is not None
    started = solve_side_by_side(instances, mip_gap=1e-6, figures_only=True,
                                 start=tightest.column_values)
    for mine, instance in zip(started, instances, strict=True):
        theirs = solve(instance, mip_gap=1e-6, marginal_values=False, figures_only=True)
        assert mine.status == theirs.status == "optimal"
        assert mine.objective_mnok == pytest.approx(theirs.objective_mnok, rel=2e-6)
    # A start of another length is not handed over: the solve is as without one.
    other = solve_side_by_side(instances[:1], mip_gap=1e-6, start=tightest.column_values[:-1])
    assert other[0].objective_mnok == pytest.approx(tightest.objective_mnok, rel=2e-6)
