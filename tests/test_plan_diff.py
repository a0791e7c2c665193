"""`planner diff`: what changed between two plans, and the inputs that explain it.

The base plan of every test: 10 GPUs of demand in 2025 and 2026, a node of 1 GPU at 1 MNOK
living 2 years, unmet penalty 5; the optimum buys 10 nodes in 2025 (10 MNOK).
"""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner
from rich.console import Console
from support.tiny import instance, national_pool, product, solve_optimal, solve_tiny, workload

from planner.commands.base import main
from planner.input.loading import instance_from_data
from planner.results.output import write_plan
from planner.results.plan_diff import diff_plans, input_changes
from planner.views.diff import print_diff


def base_data() -> dict:
    return instance(workloads={"w": workload(10, 5)}, pools={"nat": national_pool()},
                    products={"node": product("nat", capacity=1, capex=1, lifetime=2)},
                    years=(2025, 2026))


@pytest.fixture(scope="module")
def base():
    plan = solve_optimal(base_data())
    assert plan.objective_mnok == pytest.approx(10.0)
    return plan


def changes(before: dict, after: dict) -> dict[str, tuple[str, object, object]]:
    found = input_changes(instance_from_data(before, "a.yaml"), instance_from_data(after, "b"))
    return {c.path: (c.category, c.before, c.after) for c in found}


def test_the_diff_names_each_changed_input_by_kind():
    after = base_data()
    after["workloads"]["w"]["demand"]["base"] = 12
    after["products"]["node"]["capex"] = 1.1
    after["budget"] = {"total": 50}
    after["policy"] = {"national_share": {"min": 0.5}}
    after["committed"] = [{"product": "node", "year": 2025, "units": 10}]
    after["plan_from"] = 2026
    assert changes(base_data(), after) == {
        "workloads.w.demand.base": ("demand", 10, 12),
        "products.node.capex": ("prices", 1, 1.1),
        "budget.total": ("budget", None, 50),
        "policy.national_share.min": ("policy", None, 0.5),
        "committed.node.2025.open": ("commitments", None, {"units": 10, "capex": 1.1}),
        "plan_from": ("commitments", 2025, 2026),
    }


def test_the_same_input_written_another_way_is_no_change():
    before = base_data()
    before["baseline_opex"] = 1
    before["committed"] = [{"product": "node", "year": 2025, "units": 4, "capex": 1},
                           {"product": "node", "year": 2025, "units": 6, "capex": 1}]
    after = copy.deepcopy(before)
    after["baseline_opex"] = {2025: 1, 2026: 1}
    after["committed"] = [{"product": "node", "year": 2025, "tier": "open", "units": 10,
                           "source": "one contract"}]
    after["tiers"] = [{"name": "open", "surcharge": 0}]
    after["products"]["node"]["source"] = "a new note"
    assert changes(before, after) == {}


def test_what_the_plan_changed_worked_by_hand():
    """Both plans: nodes cost 50 % less each year (1 in 2025, 0.5 in 2026).
    Before: 10 nodes in 2025 (10) serve both years; objective 10.
    After, demand in 2026 rises to 13: the 10 nodes of 2025 serve 10; 3 more are cheapest
    bought in 2026 (1.5, against 3 in 2025 or a penalty of 15). Objective 11.5; national
    investment 2026 0 → 1.5; capacity and served GPUs in 2026 10 → 13."""
    data = base_data()
    data["products"]["node"]["capex_trend"] = -0.5
    before = solve_optimal(data)
    assert before.objective_mnok == pytest.approx(10.0)
    data["workloads"]["w"]["demand"] = {2025: 10, 2026: 13}
    after = solve_optimal(data)
    assert after.objective_mnok == pytest.approx(11.5)
    diff = diff_plans(before, after, "before", "after")
    assert diff.categories == ["demand"]
    summary = diff.summary.set_index("key")
    assert summary.loc["objective_mnok", "change"] == pytest.approx(1.5)
    purchases = diff.purchases.to_dict(orient="records")
    assert len(purchases) == 1
    row = purchases[0]
    assert (row["product"], row["year"], row["tier"]) == ("node", 2026, "open")
    assert row["units_after"] == 3 and (row["units_before"] != row["units_before"])  # NaN
    financing = {(r.line, r.year): r.change_mnok for r in diff.financing.itertuples()}
    assert financing == pytest.approx({("national_investment", "2026"): 1.5,
                                       ("national_investment", "total"): 1.5,
                                       ("sum", "2026"): 1.5, ("sum", "total"): 1.5})
    capacity = diff.capacity.to_dict(orient="records")
    assert [(r["year"], r["capacity_before"], r["capacity_after"]) for r in capacity] == \
        [(2026, 10, 13)]
    coverage = diff.coverage.to_dict(orient="records")
    assert [(r["year"], r["demand_after"], r["served_after"]) for r in coverage] == \
        [(2026, 13, 13)]
    console = Console(record=True, width=100)
    print_diff(diff, console)
    text = console.export_text()
    for part in ("Inputs that changed", "workloads.w.demand.2026", "Purchases: changed cells",
                 "Demand served: changed", "+1.5"):
        assert part in text


def test_a_plan_against_itself_has_no_change(base):
    diff = diff_plans(base, base)
    assert diff.inputs == [] and not diff.plan_changed
    console = Console(record=True, width=100)
    print_diff(diff, console)
    text = console.export_text()
    assert "Inputs: no change." in text and "The plan itself did not change." in text


def test_a_side_without_a_plan_is_compared_by_its_inputs(base):
    """min_coverage 1 of 10 GPUs a year with a total budget of 5 MNOK: infeasible."""
    data = base_data()
    data["workloads"]["w"]["min_coverage"] = 1
    data["budget"] = {"total": 5}
    after = solve_tiny(data)
    assert after.status == "infeasible"
    diff = diff_plans(base, after, "base", "variant")
    assert diff.status == ("optimal", "infeasible")
    assert "variant has no plan (status infeasible)" in diff.notes[0]
    assert {c.path for c in diff.inputs} == {"workloads.w.min_coverage", "budget.total"}
    console = Console(record=True, width=100)
    print_diff(diff, console)
    assert "optimal → infeasible" in console.export_text()


def test_a_longer_horizon_shows_its_new_years(base):
    """One more year (2027), demand 10: the 2025 nodes retire after 2026, so 10 more nodes
    serve 2027 (bought in 2026 or 2027, 10 MNOK either way). Objective 20."""
    data = base_data()
    data["years"]["last"] = 2027
    after = solve_optimal(data)
    assert after.objective_mnok == pytest.approx(20.0)
    diff = diff_plans(base, after)
    assert {c.path: c.category for c in diff.inputs} == {"years.last": "horizon"}
    coverage = diff.coverage.to_dict(orient="records")
    assert [(r["year"], r["demand_after"]) for r in coverage] == [(2027, 10)]
    assert coverage[0]["demand_before"] != coverage[0]["demand_before"]  # NaN: no such year


def test_diff_command_compares_plan_files_and_prints_json(tmp_path, base):
    data = base_data()
    data["products"]["node"]["capex"] = 0.8
    after = solve_optimal(data)  # the same 10 nodes in 2025, at 0.8: objective 8
    assert after.objective_mnok == pytest.approx(8.0)
    write_plan(base, tmp_path / "a")
    write_plan(after, tmp_path / "b")
    runner = CliRunner()
    a, b = str(tmp_path / "a" / "plan.json"), str(tmp_path / "b" / "plan.json")
    result = runner.invoke(main, ["diff", a, b])
    assert result.exit_code == 0, result.output
    assert "products.node.capex" in result.output and "prices" in result.output
    result = runner.invoke(main, ["diff", a, b, "--json"])
    document = json.loads(result.output)
    assert document["inputs"] == [{"category": "prices", "path": "products.node.capex",
                                   "before": 1.0, "after": 0.8}]
    assert [row["key"] for row in document["summary"]][0] == "objective_mnok"
    assert document["summary"][0]["change"] == pytest.approx(-2.0)
    missing = runner.invoke(main, ["diff", a, str(tmp_path / "none" / "plan.json")])
    assert missing.exit_code == 2 and "file not found" in missing.output


def test_diff_command_writes_its_report_page(tmp_path, base):
    data = base_data()
    data["products"]["node"]["capex"] = 0.8
    after = solve_optimal(data)
    write_plan(base, tmp_path / "a")
    write_plan(after, tmp_path / "b")
    page = tmp_path / "diff.nb.html"
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "a" / "plan.json"),
                                       str(tmp_path / "b" / "plan.json"), "--report", "html",
                                       "--lang", "nb", "--out", str(page)])
    assert result.exit_code == 0, result.output
    text = page.read_text()
    assert text.startswith("<!DOCTYPE html>") or "<html" in text[:200]
    assert "products.node.capex" in text
