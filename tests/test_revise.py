"""`planner revise`: history years fixed to what was bought, the rest planned again.

Tiny cases (no discounting, no salvage) are worked out by hand in each docstring. The
previous plan of all of them is `previous`: 10 GPUs of demand in 2025 and 2026, a node of
1 GPU at 1 MNOK living 2 years, unmet penalty 5 MNOK per GPU-year; the optimum buys 10
nodes in 2025 (10 MNOK), which serve both years.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from support.instances import write_yaml
from support.tiny import (
    bought,
    financing,
    instance,
    national_pool,
    product,
    solve_optimal,
    solve_tiny,
    unserved,
)
from support.tiny import workload as tiny_workload

from planner import InputError, Plan, load_instance
from planner.analyses.revise import extend_horizon, revise_instance
from planner.commands.base import main
from planner.input.actuals import load_actuals
from planner.input.loading import instance_from_data
from planner.store import open_store

PROJECT = Path(__file__).resolve().parent.parent
INSTANCES = PROJECT / "instances"


def previous_data() -> dict:
    return instance(workloads={"w": tiny_workload(10, 5)}, pools={"nat": national_pool()},
                    products={"node": product("nat", capacity=1, capex=1, lifetime=2)},
                    years=(2025, 2026))


@pytest.fixture(scope="module")
def previous() -> Plan:
    plan = solve_optimal(previous_data())
    assert plan.objective_mnok == pytest.approx(10.0)
    assert bought(plan, "node", 2025) == 10 and bought(plan, "node", 2026) == 0
    return plan


def write_actuals(path: Path, bought_items: list[dict], operations: float | None = None,
                  year: int = 2025, **keys) -> Path:
    data: dict = {"format": 1, "year": year, "bought": bought_items, **keys}
    if operations is not None:
        data["spent"] = {"operations": operations}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def solve_revision(previous: Plan, year: int, **keys) -> Plan:
    revision = revise_instance(previous, year, **keys)
    return solve_optimal(yaml.safe_load(revision.text))


def test_actuals_become_commitments_and_history_spending_counts(tmp_path, previous):
    """Actuals 2025: only 6 nodes came, at 1.5 MNOK; operations cost 2 MNOK.
    2025 (history): capex 6 × 1.5 = 9, baseline opex 2, 4 GPUs unserved × 5 = 20.
    2026: the 6 nodes still serve; buying 4 more at 1 (< penalty 5) costs 4.
    Objective 9 + 2 + 20 + 4 = 35; spending 9 + 2 + 4 = 15, history year included."""
    actuals = load_actuals(write_actuals(tmp_path / "a.yaml",
                                         [{"product": "node", "units": 6, "capex": 1.5}], 2))
    plan = solve_revision(previous, 2026, actuals=[actuals])
    assert plan.objective_mnok == pytest.approx(35.0)
    assert bought(plan, "node", 2025) == 6 and bought(plan, "node", 2026) == 4
    purchases = plan.tables["purchases"].set_index("year")
    assert purchases.loc[2025, "committed"] and purchases.loc[2025, "unit_capex_mnok"] == 1.5
    assert unserved(plan, "w", 2025) == pytest.approx(4.0)
    assert financing(plan, "national_investment", 2025) == pytest.approx(9.0)
    assert financing(plan, "operations", 2025) == pytest.approx(2.0)
    assert plan.summary["spending_mnok"] == pytest.approx(15.0)
    assert financing(plan, "sum", "total") == pytest.approx(15.0)


def test_a_history_year_overrun_is_shown_and_warned(tmp_path):
    """The previous plan of `previous_data` with a budget: operations 1 MNOK a year
    (baseline opex 0 planned, so the plan keeps within it). The actuals say 2025's
    operations cost 3 MNOK: 2 over the 2025 line. After revising in 2026, 2025 is history:
    its cap binds nothing (the plan stays feasible), but the budget table lists it with
    cap 1, spent 3, slack −2, not binding, marked history, and the plan, the console and
    the reports warn of the 2 MNOK overrun. 2026's line (plan year) is still a cap."""
    data = previous_data() | {"budget": {"operations": 1}}
    previous = solve_optimal(data)
    actuals = load_actuals(write_actuals(tmp_path / "a.yaml",
                                         [{"product": "node", "units": 10, "capex": 1}], 3))
    plan = solve_revision(previous, 2026, actuals=[actuals])
    budget = plan.tables["budget"].set_index(["cap", "year"])
    row = budget.loc[("operations", 2025)]
    assert (row["cap_mnok"], row["spent_mnok"]) == (pytest.approx(1.0), pytest.approx(3.0))
    assert row["slack_mnok"] == pytest.approx(-2.0)
    assert bool(row["history"]) and not bool(row["binding"])
    assert not bool(budget.loc[("operations", 2026), "history"])
    (warning,) = [w for w in plan.metadata["warnings"] if "overrun" in w]
    assert "operations 2025" in warning and "2.0 MNOK over" in warning
    from rich.console import Console

    from planner.views.console import print_plan
    from planner.views.reports import render_report

    console = Console(record=True, width=200)
    print_plan(plan, console)
    shown = console.export_text()
    assert "2025 (history)" in shown and "2.0 MNOK over" in shown
    page = render_report(plan, "html").decode()
    assert "2025 (history)" in page and "2.0 MNOK over" in page
    markdown = render_report(plan, "md").decode()
    assert "2.0 MNOK over" in markdown


def test_without_actuals_the_planned_purchases_are_committed(previous):
    """No actuals: 2025's 10 planned nodes at the planned 1 MNOK are committed; they serve
    2026 too, so nothing more is bought. Objective 10, as planned."""
    revision = revise_instance(previous, 2026)
    assert revision.data["plan_from"] == 2026
    assert revision.data["committed"] == [{
        "product": "node", "year": 2025, "tier": "open", "units": 10, "capex": 1,
        "source": "planned in the previous plan"}]
    plan = solve_optimal(yaml.safe_load(revision.text))
    assert plan.objective_mnok == pytest.approx(10.0)
    assert bought(plan, "node", 2026) == 0


def test_history_years_cannot_get_new_purchases(tmp_path, previous):
    """Actuals 2025: nothing was bought. Buying 10 nodes in 2025 would cost 10 and save 50
    of penalty, but 2025 is history: all 10 GPUs go unserved (50). 2026 buys 10 (10).
    Objective 60."""
    actuals = load_actuals(write_actuals(tmp_path / "a.yaml", []))
    plan = solve_revision(previous, 2026, actuals=[actuals])
    assert plan.objective_mnok == pytest.approx(60.0)
    assert bought(plan, year=2025) == 0 and unserved(plan, "w", 2025) == pytest.approx(10.0)
    assert bought(plan, "node", 2026) == 10


def test_committed_units_appear_exactly(tmp_path, previous):
    """Actuals 2025: 14 nodes at 0.5 (a bargain, 4 more than needed). A commitment is exact:
    all 14 appear in 2025, none is dropped though 4 are idle. 2026 needs nothing.
    Objective 14 × 0.5 = 7."""
    actuals = load_actuals(write_actuals(tmp_path / "a.yaml",
                                         [{"product": "node", "units": 14, "capex": 0.5}]))
    plan = solve_revision(previous, 2026, actuals=[actuals])
    assert bought(plan, "node", 2025) == 14 and bought(plan, "node", 2026) == 0
    assert plan.objective_mnok == pytest.approx(7.0)


def test_units_ordered_but_not_delivered_are_committed_in_their_delivery_year(tmp_path,
                                                                            previous):
    """Actuals 2025: 6 nodes delivered at 1.5; 4 more ordered at 1.5, delivered in 2026;
    operations 2. 2025 (history): capex 6 × 1.5 = 9, baseline opex 2, 4 GPUs unserved × 5 =
    20. 2026: the 4 ordered nodes are committed at 1.5 (6) on `node-ordered-2025`; with the
    6 of 2025 they serve all 10, so nothing new is bought. Objective 9 + 2 + 20 + 6 = 37.
    Without the order the plan would buy 4 at the forecast 1 (objective 35): the order is
    a contract at its own price. An updated instance with demand 12 in 2026 shows the cell
    is not closed: 2 more `node`s at 1 (2), objective 39."""
    path = write_actuals(tmp_path / "a.yaml", [{"product": "node", "units": 6, "capex": 1.5}],
                         2, ordered=[{"product": "node", "units": 4, "capex": 1.5,
                                      "delivery": 2026, "source": "order 17"}])
    actuals = load_actuals(path)
    revision = revise_instance(previous, 2026, actuals=[actuals])
    assert revision.data["products"]["node-ordered-2025"] == {
        "pool": "nat", "capacity": {"gpu": 1}, "capex": 1, "lifetime": 2, "lead_time": 0,
        "years": [2025], "source": f"node ordered in 2025, delivered later (actuals {path}); "
                                   "only that order"}
    assert {"product": "node-ordered-2025", "year": 2026, "units": 4, "capex": 1.5,
            "source": "order 17"} in revision.data["committed"]
    plan = solve_optimal(yaml.safe_load(revision.text))
    assert plan.objective_mnok == pytest.approx(37.0)
    assert bought(plan, "node", 2025) == 6 and bought(plan, "node", 2026) == 0
    assert bought(plan, "node-ordered-2025", 2026) == 4
    assert financing(plan, "national_investment", 2026) == pytest.approx(6.0)
    assert unserved(plan, "w", 2026) == pytest.approx(0.0)

    updated = previous_data()
    updated["workloads"]["w"]["demand"] = {2025: 10, 2026: 12}
    plan = solve_revision(previous, 2026, actuals=[actuals],
                          updated=instance_from_data(updated, "upd.yaml"),
                          updated_source="upd.yaml")
    assert plan.objective_mnok == pytest.approx(39.0)
    assert bought(plan, "node", 2026) == 2 and bought(plan, "node-ordered-2025", 2026) == 4


def test_an_order_may_be_delivered_in_a_year_the_extension_adds(tmp_path, previous):
    """Revising in 2026 one year further (`extend=1`, horizon to 2027): 4 nodes ordered in
    2025 for delivery in 2027 are committed in 2027, a year only the extension brings. A
    product of the copy's name that is not a copy is refused, naming the order."""
    path = write_actuals(tmp_path / "a.yaml", [], ordered=[
        {"product": "node", "units": 4, "capex": 1.5, "delivery": 2027}])
    revision = revise_instance(previous, 2026, actuals=[load_actuals(path)], extend=1)
    assert [(c["product"], c["year"], c["units"]) for c in revision.data["committed"]
            if c["product"] != "node"] == [("node-ordered-2025", 2027, 4)]
    clash = previous_data()
    clash["products"]["node-ordered-2025"] = clash["products"]["node"]
    with pytest.raises(InputError, match=r"ordered\[0\].product: the order's copy"):
        revise_instance(previous, 2026, actuals=[load_actuals(path)], extend=1,
                        updated=instance_from_data(clash, "upd.yaml"), updated_source="upd.yaml")


def test_a_later_revision_keeps_a_delivered_order(tmp_path, previous):
    """Revising the 2026 revision (above: 6 nodes in 2025, 4 ordered for 2026) again in
    2027, one year further (`extend=1`), with an updated instance that does not know the
    order's product: 2026 is history, its purchases are the previous plan's (the 4 ordered
    nodes at 1.5), so the order's product is carried over; the order itself is only noted
    (delivered in a history year). 2025: 9 + 2 + 20 = 31; 2026: 6; 2027: the 4 nodes of
    2026 still serve (lifetime 2), 6 new at 1 (6). Objective 43."""
    path = write_actuals(tmp_path / "a.yaml", [{"product": "node", "units": 6, "capex": 1.5}],
                         2, ordered=[{"product": "node", "units": 4, "capex": 1.5}])
    actuals = load_actuals(path)
    first = solve_revision(previous, 2026, actuals=[actuals])
    revision = revise_instance(first, 2027, actuals=[actuals], extend=1,
                               updated=previous.instance, updated_source="prev.yaml")
    assert "node-ordered-2025" in revision.data["products"]
    assert any("a history year" in note for note in revision.notes)
    plan = solve_optimal(yaml.safe_load(revision.text))
    assert bought(plan, "node-ordered-2025", 2026) == 4 and bought(plan, "node", 2027) == 6
    assert plan.objective_mnok == pytest.approx(43.0)


def test_an_updated_instance_gives_forecasts_and_prices(tmp_path, previous):
    """Updated instance: demand 14 in 2026 (a map), node capex 1.2. 2025's 10 nodes stay
    committed at the planned 1 MNOK (10); 2026 buys 4 at 1.2 (4.8). Objective 14.8."""
    updated = previous_data()
    updated["workloads"]["w"]["demand"] = {2025: 10, 2026: 14}
    updated["products"]["node"]["capex"] = 1.2
    plan = solve_revision(previous, 2026, updated=instance_from_data(updated, "upd.yaml"),
                          updated_source="upd.yaml")
    assert plan.objective_mnok == pytest.approx(14.8)
    assert bought(plan, "node", 2026) == 4


def test_extend_rolls_the_horizon(previous):
    """--extend 1: 2027 is added with demand 10 (growth 0). 2025's nodes retire after 2026,
    so 2027 buys 10 (10). Objective 10 + 10 = 20."""
    revision = revise_instance(previous, 2026, extend=1)
    assert revision.data["years"] == {"first": 2025, "last": 2027}
    plan = solve_optimal(yaml.safe_load(revision.text))
    assert plan.objective_mnok == pytest.approx(20.0)
    assert bought(plan, "node", 2027) == 10


def test_extension_carries_values_given_per_year():
    data = {
        "years": {"first": 2025, "last": 2026},
        "baseline_opex": {2025: 1, 2026: 2},
        "budget": {"total": 100, "yearly": {2025: 5, 2026: 6}, "investment": 7,
                   "operations": {2025: 3}},
        "workloads": {"a": {"demand": {2025: 10, 2026: 12}},
                      "b": {"demand": {"base": 1, "growth": 0.1}},
                      "c": {"demand": {2025: 0, 2026: 4}}},
        "products": {"p": {"years": [2026]}, "q": {"years": [2025]}, "r": {}},
        "policy": {"eurohpc_share": {"years": [2025, 2026]}},
    }
    notes = extend_horizon(data, 2)
    assert data["years"]["last"] == 2028
    assert data["baseline_opex"] == {2025: 1, 2026: 2, 2027: 2, 2028: 2}
    assert data["budget"]["yearly"] == {2025: 5, 2026: 6, 2027: 6, 2028: 6}
    assert data["budget"]["investment"] == 7  # one number already means every year
    assert data["budget"]["operations"] == {2025: 3}  # no value in the old last year: none
    assert data["budget"]["total"] == 100
    assert data["workloads"]["a"]["demand"][2027] == pytest.approx(14.4)  # +20 % a year
    assert data["workloads"]["a"]["demand"][2028] == pytest.approx(17.28)
    assert data["workloads"]["b"]["demand"] == {"base": 1, "growth": 0.1}
    assert data["workloads"]["c"]["demand"][2028] == 4  # from 0: flat
    assert data["products"]["p"]["years"] == [2026, 2027, 2028]
    assert data["products"]["q"]["years"] == [2025]
    assert data["policy"]["eurohpc_share"]["years"] == [2025, 2028]
    assert any(note.startswith("budget.total: 100 unchanged") for note in notes)


def test_the_revised_file_reads_back_as_the_revised_instance(tmp_path, previous):
    actuals = load_actuals(write_actuals(tmp_path / "a.yaml",
                                         [{"product": "node", "units": 6, "capex": 1.5}], 2))
    revision = revise_instance(previous, 2026, actuals=[actuals], origin="run abcd1234")
    path = tmp_path / "revised.yaml"
    path.write_text(revision.text, encoding="utf-8")
    assert load_instance(path) == revision.instance
    assert revision.text.startswith("# Revised instance 'tiny', revision year 2026")
    assert f"Actuals 2025: {tmp_path / 'a.yaml'}" in revision.text


@pytest.mark.parametrize(("content", "expected"), [
    ({"format": 1, "year": 2025, "bought": [{"product": "nod", "units": 1, "capex": 1}]},
     "a.yaml: bought[0].product: unknown product 'nod' (expected one of: node)"),
    ({"format": 1, "year": 2025, "bought": [{"product": "node", "units": 1}]},
     "a.yaml: bought[0].capex: required key is missing"),
    ({"format": 1, "year": 2025, "bought": [{"product": "node", "units": 1.5, "capex": 1}]},
     "a.yaml: bought[0].units: product 'node' is bought in whole units, got 1.5"),
    ({"format": 1, "year": 2026, "bought": []},
     "a.yaml: year: expected a history year of the revision, 2025..2025 (before --year 2026)"),
    ({"format": 1, "year": 2025, "spent": {"operation": 3}},
     "a.yaml: spent.operation: unknown key"),
    ({"format": 1, "year": 2025, "bought": [{"product": "node", "units": -1, "capex": 1}]},
     "a.yaml: bought[0].units: expected a number ≥ 0, got -1"),
    ({"format": 1, "year": 2025, "instance": "other"},
     "a.yaml: instance: these actuals are for instance 'other'"),
    ({"format": 2, "year": 2025}, "a.yaml: format: expected one of 1, got 2"),
    ({"format": 1, "year": 2025, "ordered": [{"product": "node", "units": 1, "capex": 1,
                                              "delivery": 2025}]},
     "a.yaml: ordered[0].delivery: expected a year after the order (2025) and within the "
     "horizon (to 2026), got 2025"),
    ({"format": 1, "year": 2025, "ordered": [{"product": "node", "units": 1}]},
     "a.yaml: ordered[0].capex: required key is missing"),
])
def test_bad_actuals_name_file_and_key_path_and_write_nothing(tmp_path, content, expected):
    store = tmp_path / "runs.sqlite"
    source = write_yaml(tmp_path / "prev.yaml", previous_data())
    solved = CliRunner().invoke(main, ["solve", str(source), "--out", str(tmp_path / "prev"),
                                       "--store", str(store), "--quiet"])
    assert solved.exit_code == 0, solved.output
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(content), encoding="utf-8")
    out = tmp_path / "revised"
    result = CliRunner().invoke(main, [
        "revise", str(tmp_path / "prev" / "plan.json"), "--year", "2026", "--actuals",
        str(tmp_path / "a.yaml"), "--out", str(out), "--store", str(store)])
    assert result.exit_code == 2, result.output
    assert expected.replace("a.yaml", str(tmp_path / "a.yaml")) in result.output
    assert not out.exists()
    with open_store(store) as opened:
        assert opened.count() == 1


def test_conflicting_inputs_are_bad_input(tmp_path, previous):
    first = write_actuals(tmp_path / "a.yaml", [])
    second = write_actuals(tmp_path / "b.yaml", [])
    with pytest.raises(InputError, match="also the year of"):
        revise_instance(previous, 2026, actuals=[load_actuals(first), load_actuals(second)])
    with pytest.raises(InputError, match="--year: expected a year in the revised horizon"):
        revise_instance(previous, 2027)
    with pytest.raises(InputError, match="what was bought in 2027 is unknown"):
        revise_instance(previous, 2028, extend=2)
    moved = previous_data() | {"years": {"first": 2026, "last": 2027}}
    with pytest.raises(InputError, match="years.first: a revision keeps years.first"):
        revise_instance(previous, 2026, updated=instance_from_data(moved, "upd.yaml"),
                        updated_source="upd.yaml")
    infeasible = previous_data()
    infeasible["workloads"]["w"]["min_coverage"] = 1
    infeasible["budget"] = {"total": 1}
    no_plan = solve_tiny(infeasible)
    with pytest.raises(InputError, match="has no plan .status infeasible"):
        revise_instance(no_plan, 2026)
    renamed = previous_data()
    renamed["products"] = {"box": renamed["products"]["node"]}
    with pytest.raises(InputError, match="bought node in 2025, which this instance does not"):
        revise_instance(previous, 2026, updated=instance_from_data(renamed, "upd.yaml"),
                        updated_source="upd.yaml")


def test_revise_command_writes_solves_records_and_diffs(tmp_path):
    """The tiny revision with 6 nodes at 1.5 and 2 MNOK operations (objective 35, above)."""
    store = tmp_path / "runs.sqlite"
    source = write_yaml(tmp_path / "prev.yaml", previous_data())
    runner = CliRunner()
    solved = runner.invoke(main, ["solve", str(source), "--out", str(tmp_path / "prev"),
                                  "--store", str(store), "--quiet"])
    assert solved.exit_code == 0, solved.output
    with open_store(store) as opened:
        (first,) = opened.runs()
    actuals = write_actuals(tmp_path / "a.yaml",
                            [{"product": "node", "units": 6, "capex": 1.5}], 2)
    out = tmp_path / "revised"
    result = runner.invoke(main, ["revise", first.id[:5], "--year", "2026", "--actuals",
                                  str(actuals), "--out", str(out), "--store", str(store)])
    assert result.exit_code == 0, result.output
    for text in ("optimal", "Inputs that changed", "committed.node.2025.open",
                 "6 units at 1.500 MNOK", "baseline_opex.2025", "plan_from",
                 "Purchases: changed cells"):
        assert text in result.output, text
    assert sorted(p.name for p in out.iterdir()) == sorted([
        "instance.yaml", "plan.json", "diff.json", "financing.csv", "purchases.csv",
        "capacity.csv", "coverage.csv", "allocation.csv", "shares.csv", "budget.csv"])
    document = json.loads((out / "plan.json").read_text())
    assert document["summary"]["objective_mnok"] == pytest.approx(35.0)
    text = (out / "instance.yaml").read_text()
    assert document["metadata"]["instance_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert f"planner revise {first.id} --year 2026" in text
    # The written instance solves by hand to the same plan.
    again = runner.invoke(main, ["solve", str(out / "instance.yaml"), "--out",
                                 str(tmp_path / "again"), "--store", str(store), "--quiet"])
    assert again.exit_code == 0 and "objective 35.000 MNOK" in again.output
    with open_store(store) as opened:
        runs = opened.runs()
    assert [r.kind for r in runs] == ["solve", "revise", "solve"]
    revised = runs[1]
    assert revised.parent == first.id and revised.details["year"] == 2026
    assert revised.details["actuals"] == [str(actuals)]
    # `planner diff` reproduces the comparison later, from the store.
    diff = runner.invoke(main, ["diff", first.id, revised.id, "--store", str(store)])
    assert diff.exit_code == 0, diff.output
    tail = result.output[result.output.index("Inputs that changed"):]
    tail = tail[:tail.index("Wrote ")]
    assert tail in diff.output
    diff_json = json.loads((out / "diff.json").read_text())
    assert {c["path"] for c in diff_json["inputs"]} == {
        "plan_from", "committed.node.2025.open", "baseline_opex.2025"}


def test_an_infeasible_revision_writes_only_the_revised_instance(tmp_path):
    """min_coverage 1 needs all 10 GPUs in 2026, but the 2026 investment cap of 1 MNOK buys
    at most 1 node, and actuals say none came in 2025: no plan. Exit 3."""
    data = previous_data()
    source = write_yaml(tmp_path / "prev.yaml", data)
    runner = CliRunner()
    store = tmp_path / "runs.sqlite"
    assert runner.invoke(main, ["solve", str(source), "--out", str(tmp_path / "prev"),
                                "--store", str(store), "--quiet"]).exit_code == 0
    data["workloads"]["w"]["min_coverage"] = 1
    data["budget"] = {"investment": {2026: 1}}
    updated = write_yaml(tmp_path / "upd.yaml", data)
    out = tmp_path / "revised"
    result = runner.invoke(main, [
        "revise", str(tmp_path / "prev" / "plan.json"), "--year", "2026", "--instance",
        str(updated), "--actuals", str(write_actuals(tmp_path / "a.yaml", [])), "--out",
        str(out), "--store", str(store)])
    assert result.exit_code == 3, result.output
    assert [p.name for p in out.iterdir()] == ["instance.yaml"]


@pytest.mark.slow
def test_revising_the_norway_plan_with_the_example_actuals(tmp_path):
    """Norway 2025-2029 solved, then revised in 2026 with instances/norway-2026-actuals.yaml
    (of 8 GPU nodes ordered at 1.68, 5 delivered in 2025 and 3 in 2026; 16 PB of storage as
    planned; operations 89). Checked by hand:
    - 2025 purchases are exactly the actuals: national investment 5 × 1.68 + 16 × 1.2 + 15
      (the storage procurement's fixed capex) = 8.4 + 19.2 + 15 = 42.6 MNOK;
    - 2025 operations = 89 (actuals) + 8 (existing systems: olivia 3.0, betzy 2.5, fram 0.8,
      saga 0.7, nird 1.0, lumi 0) + 5 × 0.03 (GPU nodes) + 16 × 0.04 (storage) + cloud use
      in 2025 at its price = 97.79 + cloud;
    - the 3 GPU nodes ordered in 2025 are committed in 2026 at 1.68 (5.04 MNOK) as
      gpu-node-ordered-2025, in service from 2026;
    - the revised spending is the sum of every year's, 2025 included."""
    store = tmp_path / "runs.sqlite"
    runner = CliRunner()
    solved = runner.invoke(main, ["solve", str(INSTANCES / "norway-2025.yaml"), "--out",
                                  str(tmp_path / "plan"), "--store", str(store), "--quiet"])
    assert solved.exit_code == 0, solved.output
    with open_store(store) as opened:
        (first,) = opened.runs()
    out = tmp_path / "revised"
    result = runner.invoke(main, ["revise", first.id, "--year", "2026", "--actuals",
                                  str(INSTANCES / "norway-2026-actuals.yaml"), "--out", str(out),
                                  "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "Status: optimal" in result.output
    for text in ("committed.gpu-node.2025.open", "5 units at 1.680 MNOK",
                 "3 units of gpu-node ordered, delivered in 2026: committed as "
                 "gpu-node-ordered-2025",
                 "3 units at 1.680 MNOK",
                 "baseline_opex.2025", "gpu-node", "8 → 5"):
        assert text in result.output, text
    plan = Plan.from_json_file(out / "plan.json")
    assert plan.status == "optimal"
    purchases = plan.tables["purchases"]
    history = purchases[purchases["year"] == 2025]
    cells = {(r.product, r.tier): (r.units, r.unit_capex_mnok, r.committed)
             for r in history.itertuples()}
    assert cells == {("gpu-node", "open"): (5, pytest.approx(1.68), True),
                     ("storage-system", "open"): (16, pytest.approx(1.2), True)}
    assert financing(plan, "national_investment", 2025) == pytest.approx(42.6)
    ordered = purchases[purchases["product"] == "gpu-node-ordered-2025"]
    assert [(r.year, r.units, r.capex_mnok, r.committed, r.first_year_in_service)
            for r in ordered.itertuples()] == [(2026, 3, pytest.approx(5.04), True, 2026)]
    allocation = plan.tables["allocation"]
    cloud = allocation[(allocation["pool"] == "cloud") & (allocation["year"] == 2025)]
    prices = {"research-cpu": 1.41, "critical-services": 1.41}
    cloud_cost = sum(row.served * prices.get(row.workload, 0.63) for row in cloud.itertuples())
    assert financing(plan, "operations", 2025) == pytest.approx(97.79 + cloud_cost)
    yearly = [financing(plan, "sum", year) for year in range(2025, 2030)]
    assert plan.summary["spending_mnok"] == pytest.approx(sum(yearly))
    budget = plan.tables["budget"]
    total = budget[budget["cap"] == "total"].iloc[0]
    assert total["spent_mnok"] == pytest.approx(sum(yearly))
    assert total["spent_mnok"] <= 2600 + 1e-6
    # The 2025 lines (history now) are listed with their caps; each overrun is warned.
    history = budget[budget["history"]]
    assert sorted(set(history["year"])) == [2025]
    for row in history.itertuples():
        overrun = row.spent_mnok - row.cap_mnok
        warned = [w for w in plan.metadata["warnings"] if f"{row.cap} 2025" in w]
        assert bool(warned) == (overrun > 0.05), (row, warned)
        if overrun > 0.05:
            assert f"{overrun:.1f} MNOK over" in result.output
    listed = runner.invoke(main, ["runs", "--store", str(store)])
    with open_store(store) as opened:
        ids = [r.id for r in opened.runs()]
    assert len(ids) == 2 and all(run_id in listed.output for run_id in ids)
    diff = runner.invoke(main, ["diff", ids[0], ids[1], "--store", str(store)])
    assert diff.exit_code == 0 and "committed.gpu-node.2025.open" in diff.output


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so no handler of ours catches it."""


@pytest.mark.parametrize("renames_before_kill", [0, 1, 5, 9])
def test_a_revise_stopped_while_writing_leaves_no_partial_plan(tmp_path, monkeypatch,
                                                               renames_before_kill):
    """The revision dies after `renames_before_kill` of its 10 files were put in place
    (each file is written to a temporary name and renamed). Every file present is whole,
    plan.json (renamed last) is absent, so no directory looks like a finished revision, and
    the store, sound, does not hold the revision (a run is recorded only once its files
    are written)."""
    source = write_yaml(tmp_path / "prev.yaml", previous_data())
    store = tmp_path / "runs.sqlite"
    runner = CliRunner()
    assert runner.invoke(main, ["solve", str(source), "--out", str(tmp_path / "prev"),
                                "--store", str(store), "--quiet"]).exit_code == 0
    real_replace = os.replace
    calls = []

    def dying_replace(source_path, target_path):
        if len(calls) == renames_before_kill:
            raise Killed
        calls.append(target_path)
        real_replace(source_path, target_path)

    monkeypatch.setattr(os, "replace", dying_replace)
    out = tmp_path / "revised"
    with pytest.raises(Killed):
        runner.invoke(main, ["revise", str(tmp_path / "prev" / "plan.json"), "--year", "2026",
                             "--out", str(out), "--store", str(store), "--quiet"],
                      catch_exceptions=False)
    monkeypatch.setattr(os, "replace", real_replace)
    present = sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) \
        if out.exists() else []
    assert present == sorted(Path(path).name for path in calls)
    assert "plan.json" not in present
    if "instance.yaml" in present:
        assert load_instance(out / "instance.yaml").first_plan_year == 2026
    for name in present:
        if name.endswith(".csv"):
            assert (out / name).read_text().endswith("\n")
        if name == "diff.json":
            json.loads((out / name).read_text())
    with open_store(store, create=False) as opened:
        assert opened.integrity() == "ok"
        assert [r.kind for r in opened.runs()] == ["solve"]
