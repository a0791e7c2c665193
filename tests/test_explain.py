"""`planner explain`: the least relaxation per group of rules, confirmed by a re-solve."""

from __future__ import annotations

import copy

import pytest
from click.testing import CliRunner
from support.instances import write_yaml

from planner.analyses.explain import explain
from planner.cli import main
from planner.input.loading import instance_from_data

BASE = {
    "format": 1, "name": "explain", "years": {"first": 2025, "last": 2025},
    "end_of_horizon": "none",
    "resources": {"gpu": {"unit": "GPUs"}},
    "locations": {"norway": {"national": True}},
    "pools": {"sigma2": {"kind": "national", "location": "norway"}},
    "products": {"node": {"pool": "sigma2", "capacity": {"gpu": 1}, "capex": 1, "lifetime": 1}},
    "workloads": {"ai": {"resource": "gpu", "demand": {2025: 10}, "unmet_penalty": 3,
                         "min_coverage": 0.5}},
    "budget": {"total": 4},
}


def _instance(**changes):
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return instance_from_data(data, "explain.yaml")


def _changes(answer):
    return {change.path: change.proposed for change in answer.relaxations}


def test_budget_or_coverage_alone_restores_feasibility():
    """5 of 10 GPUs must be served (min_coverage 0.5) at 1 MNOK a node, but only 4 MNOK may
    be spent. Budget alone: raise the total by 1 MNOK to 5. Coverage alone: 4 nodes serve
    4 of 10, so min_coverage 0.5 → 0.4. Both relaxations solve when applied."""
    explanation = explain(_instance())
    assert not explanation.feasible_as_is
    answers = {answer.groups[0]: answer for answer in explanation.single_groups}
    assert set(answers) == {"budget", "coverage"}
    assert _changes(answers["budget"]) == {"budget.total": pytest.approx(5)}
    assert _changes(answers["coverage"]) == {"workloads.ai.min_coverage": pytest.approx(0.4)}
    assert answers["budget"].confirmed and answers["coverage"].confirmed
    assert explanation.combination is None


def test_a_pool_limit_stops_the_budget_from_helping():
    """As above with at most 3 GPUs at sigma2: more money alone cannot serve 5, and a higher
    limit alone cannot pay for 5 nodes. Coverage alone: 3 of 10 → min_coverage 0.3."""
    explanation = explain(_instance(pools__sigma2__limit={"gpu": 3}))
    answers = {answer.groups[0]: answer for answer in explanation.single_groups}
    assert not answers["budget"].restores and not answers["pool_limits"].restores
    assert _changes(answers["coverage"]) == {"workloads.ai.min_coverage": pytest.approx(0.3)}


def test_when_no_group_alone_suffices_the_least_combination_is_given():
    """A signed contract for 5 nodes at 1 MNOK (5 MNOK) against a 4 MNOK total and a limit
    of 3 GPUs, and no coverage rule: neither the budget alone nor the limit alone helps;
    together, total 4 → 5 MNOK and the limit 3 → 5 GPUs."""
    instance = _instance(pools__sigma2__limit={"gpu": 3},
                         committed=[{"product": "node", "year": 2025, "units": 5}],
                         workloads__ai__min_coverage=0)
    explanation = explain(instance)
    assert [answer.restores for answer in explanation.single_groups] == [False, False]
    combination = explanation.combination
    assert combination.restores and combination.confirmed
    assert _changes(combination) == {"budget.total": pytest.approx(5),
                                     "pools.sigma2.limit.gpu": pytest.approx(5)}


def test_explain_command_prints_relaxations_in_mnok(tmp_path):
    path = write_yaml(tmp_path / "x.yaml", BASE)
    result = CliRunner().invoke(main, ["explain", str(path)])
    assert result.exit_code == 3, result.output
    assert "raise budget.total by 1.00 MNOK" in result.output
    assert "lower workloads.ai.min_coverage from 0.5 to 0.4" in result.output
    solved = CliRunner().invoke(main, ["solve", str(path), "--out", str(tmp_path / "o")])
    assert solved.exit_code == 3 and "planner explain" in solved.output


def test_explain_on_a_feasible_instance_says_so(tmp_path):
    path = write_yaml(tmp_path / "x.yaml", BASE)
    result = CliRunner().invoke(main, ["explain", str(path), "--set", "budget.total=10"])
    assert result.exit_code == 0
    assert "nothing needs relaxing" in result.output
