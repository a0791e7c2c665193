"""--priority coverage and the marginal values of binding budget caps."""

from __future__ import annotations

import copy

import pytest

from planner import solve
from planner.input.loading import instance_from_data

ONE_YEAR = {
    "format": 1, "name": "one-year", "years": {"first": 2025, "last": 2025},
    "end_of_horizon": "none",
    "resources": {"gpu": {"unit": "GPUs"}},
    "locations": {"norway": {"national": True}},
    "pools": {"sigma2": {"kind": "national", "location": "norway"}},
    "products": {"node": {"pool": "sigma2", "capacity": {"gpu": 1}, "capex": 1, "lifetime": 1}},
    "workloads": {"ai": {"resource": "gpu", "demand": {2025: 10}, "unmet_penalty": 3}},
    "budget": {"total": 8},
}


def _instance(**workload_or_product):
    data = copy.deepcopy(ONE_YEAR)
    for key, value in workload_or_product.items():
        section, field = key.split("__")
        target = data["workloads"]["ai"] if section == "ai" else data["products"]["node"]
        target[field] = value
    return instance_from_data(data, "one-year.yaml")


def test_coverage_priority_serves_what_the_cost_priority_leaves_unserved():
    """A GPU costs 1 MNOK to serve but only 0.5 MNOK of penalty to leave unserved.
    priority cost: buy nothing, objective 10 · 0.5 = 5.
    priority coverage: first serve all the 8 MNOK cap allows (8 GPUs, weighted unserved
    2 · 0.5 = 1), then the cheapest such plan: 8 nodes, objective 8 + 1 = 9."""
    instance = _instance(ai__unmet_penalty=0.5)
    by_cost = solve(instance)
    assert by_cost.objective_mnok == pytest.approx(5)
    assert by_cost.coverage["served"].sum() == pytest.approx(0)
    by_coverage = solve(instance, priority="coverage")
    assert by_coverage.status == "optimal"
    assert by_coverage.metadata["priority"] == "coverage"
    assert by_coverage.metadata["least_weighted_unserved_mnok"] == pytest.approx(1)
    assert by_coverage.coverage["served"].sum() == pytest.approx(8)
    assert by_coverage.objective_mnok == pytest.approx(9)


def test_the_instance_states_its_priority_and_the_flag_overrides_it(tmp_path):
    """The instance of the test above with `priority: coverage`: solved with no priority
    given, it serves 8 GPUs (objective 9, as by --priority coverage); `priority="cost"`
    (the command-line flag) overrides it: nothing served, objective 5. From the command
    line likewise; and `priority: coverage` with scenarios is bad input (exit 2)."""
    import yaml
    from click.testing import CliRunner

    from planner.commands.base import main

    data = copy.deepcopy(ONE_YEAR)
    data["workloads"]["ai"]["unmet_penalty"] = 0.5
    data["priority"] = "coverage"
    instance = instance_from_data(data, "one-year.yaml")
    stated = solve(instance)
    assert stated.metadata["priority"] == "coverage"
    assert stated.objective_mnok == pytest.approx(9)
    overridden = solve(instance, priority="cost")
    assert overridden.metadata["priority"] == "cost"
    assert overridden.objective_mnok == pytest.approx(5)
    path = tmp_path / "one-year.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    runner = CliRunner()
    by_file = runner.invoke(main, ["solve", str(path), "--out", str(tmp_path / "a")])
    assert by_file.exit_code == 0 and "priority: coverage" in by_file.output
    by_flag = runner.invoke(main, ["solve", str(path), "--priority", "cost", "--out",
                                   str(tmp_path / "b")])
    assert by_flag.exit_code == 0 and "priority: cost" in by_flag.output
    data["scenarios"] = {"only": {"probability": 1}}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    refused = runner.invoke(main, ["solve", str(path), "--out", str(tmp_path / "c")])
    assert refused.exit_code == 2 and "priority: coverage is not defined" in refused.output
    assert not (tmp_path / "c").exists()


def test_marginal_value_of_a_binding_cap_with_divisible_purchases():
    """Divisible nodes (integer: false): the 8 MNOK total binds with 2 GPUs unserved.
    One more MNOK buys one more GPU (cost 1) and saves 3 of penalty: the objective
    falls by 2 per MNOK, so the marginal value is −2."""
    plan = solve(_instance(node__integer=False))
    total = plan.budget.set_index("cap").loc["total"]
    assert bool(total["binding"])
    assert total["marginal_value_mnok_per_mnok"] == pytest.approx(-2)


def test_marginal_value_holds_whole_units_fixed():
    """With whole nodes fixed at their optimum (8), one more MNOK cannot buy a node in
    the fixed LP, so the cap's marginal value there is 0 — which is what the label says."""
    plan = solve(_instance())
    total = plan.budget.set_index("cap").loc["total"]
    assert bool(total["binding"])
    assert total["marginal_value_mnok_per_mnok"] == pytest.approx(0, abs=1e-9)
