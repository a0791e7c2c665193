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
from planner.cli import main
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
    (80 of 100 GPU nodes at 1.68, CPU nodes as planned, operations 89). Checked by hand:
    - 2025 purchases are exactly the actuals: national investment 80 × 1.68 + 134 × 0.32 +
      12 × 0.384 = 134.4 + 42.88 + 4.608 = 181.888 MNOK;
    - 2025 operations = 89 (actuals) + 8 (existing systems: betzy 3.5, fram 1.5, saga 1.0,
      nird 2.0, lumi 0) + 80 × 0.03 (GPU nodes) + 134 × 0.008 + 12 × 0.008 × 1.2 (CPU nodes)
      + cloud use in 2025 at its price = 100.5872 + cloud;
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
    for text in ("committed.gpu-node.2025.open", "80 units at 1.680 MNOK",
                 "baseline_opex.2025", "gpu-node", "100 → 80"):
        assert text in result.output, text
    plan = Plan.from_json_file(out / "plan.json")
    assert plan.status == "optimal"
    purchases = plan.tables["purchases"]
    history = purchases[purchases["year"] == 2025]
    cells = {(r.product, r.tier): (r.units, r.unit_capex_mnok, r.committed)
             for r in history.itertuples()}
    assert cells == {("gpu-node", "open"): (80, pytest.approx(1.68), True),
                     ("cpu-node", "open"): (134, pytest.approx(0.32), True),
                     ("cpu-node", "restricted"): (12, pytest.approx(0.384), True)}
    assert financing(plan, "national_investment", 2025) == pytest.approx(181.888)
    allocation = plan.tables["allocation"]
    cloud = allocation[(allocation["pool"] == "cloud") & (allocation["year"] == 2025)]
    prices = {"research-cpu": 1.8, "critical-services": 1.8, "defence-restricted": 1.8}
    cloud_cost = sum(row.served * prices.get(row.workload, 0.63) for row in cloud.itertuples())
    assert financing(plan, "operations", 2025) == pytest.approx(100.5872 + cloud_cost)
    yearly = [financing(plan, "sum", year) for year in range(2025, 2030)]
    assert plan.summary["spending_mnok"] == pytest.approx(sum(yearly))
    budget = plan.tables["budget"]
    total = budget[budget["cap"] == "total"].iloc[0]
    assert total["spent_mnok"] == pytest.approx(sum(yearly))
    assert total["spent_mnok"] <= 2600 + 1e-6
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
    the store holds the run, sound."""
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
        assert [r.kind for r in opened.runs()] == ["solve", "revise"]
