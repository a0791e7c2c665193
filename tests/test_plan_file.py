"""plan.json: complete, readable back, written whole or not at all."""

from __future__ import annotations

import json
import os

import pytest
from support.tables import assert_same_tables

from planner import Plan, solve
from planner.input.errors import WriteError
from planner.input.loading import instance_from_data
from planner.results.output import plan_files, write_plan
from planner.results.plan import PLAN_SCHEMA_VERSION, TABLE_NAMES


@pytest.fixture
def plan(valid_instance) -> Plan:
    return solve(instance_from_data(valid_instance, "small.yaml"))


def test_plan_json_round_trips(plan):
    document = json.loads(plan.to_json())
    assert document["plan_schema_version"] == PLAN_SCHEMA_VERSION
    again = Plan.from_document(document)
    assert again.instance == plan.instance
    assert again.metadata == plan.metadata
    for name in TABLE_NAMES:
        assert list(again.tables[name].columns) == list(plan.tables[name].columns)
        assert len(again.tables[name]) == len(plan.tables[name])
    assert_same_tables(again.tables, plan.tables)
    assert again.summary == plan.summary


def test_financing_sum_row_adds_the_lines_and_total_adds_the_years(plan):
    financing = plan.financing.set_index("line")
    years = [column for column in financing.columns if column != "total"]
    lines = financing.loc[["national_investment", "operations", "eurohpc_investment"]]
    assert financing.loc["sum", years].tolist() == pytest.approx(lines[years].sum().tolist())
    assert financing["total"].tolist() == pytest.approx(financing[years].sum(axis=1).tolist())
    assert financing.loc["sum", "total"] == pytest.approx(plan.summary["spending_mnok"])


def test_metadata_names_solver_status_and_fingerprint(plan):
    meta = plan.metadata
    for key in ("instance_name", "instance_sha256", "format_version", "tool_version", "solver",
                "solver_version", "status", "objective_mnok", "gap", "solve_seconds",
                "timestamp"):
        assert meta[key] is not None, key
    assert meta["status"] == "optimal" and meta["proven_optimal"] is True


def test_a_failed_write_leaves_no_file_behind(plan, tmp_path, monkeypatch):
    calls = {"count": 0}
    real_fsync = os.fsync

    def failing_fsync(descriptor):
        calls["count"] += 1
        if calls["count"] == 3:
            raise OSError(28, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    from planner.input.errors import WriteError

    with pytest.raises(WriteError, match="could not write .disk full.") as raised:
        write_plan(plan, tmp_path / "out")
    assert raised.value.path.startswith(str(tmp_path / "out"))
    assert list((tmp_path / "out").iterdir()) == []


def test_every_table_has_its_csv(plan, tmp_path):
    written = write_plan(plan, tmp_path)
    assert sorted(path.name for path in written) == sorted(plan_files(plan))
    assert {f"{name}.csv" for name in TABLE_NAMES} <= {path.name for path in written}


def test_a_foreign_json_file_is_bad_input(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text('{"hello": 1}')
    from planner.input.errors import InputError
    with pytest.raises(InputError, match="plan_schema_version"):
        Plan.from_json_file(path)


def test_a_plan_without_a_solution_still_has_a_document(valid_instance):
    """An infeasible solve has no tables and may carry an infinite bound: its document
    (for the run store) must still be valid JSON."""
    valid_instance["workloads"]["research-cpu"]["min_coverage"] = 1.0
    valid_instance["budget"]["yearly"] = {2025: 0}
    plan = solve(instance_from_data(valid_instance, "small.yaml"))
    assert plan.status == "infeasible" and not plan.has_plan
    document = json.loads(plan.to_json())
    assert document["tables"] == {} and document["metadata"]["status"] == "infeasible"


def test_a_batch_bought_without_units_is_listed_with_its_fixed_cost():
    """GPU demand 10 (penalty 100) on national nodes at 1 MNOK each, or on EuroHPC units
    at 2 each, which need a batch with fixed capex 4 (`min_units` 0). Policy: EuroHPC capex
    ≥ 20 % of all capex: E ≥ 0.2·(10 + E) → E ≥ 2.5.

    Optimum: 10 national nodes and the batch alone (E = 4): 14 MNOK. Each EuroHPC unit
    instead of a national node would add 1. The purchases table must carry the batch as
    a row of 0 units costing 4, so that it adds up to the financing plan's 14.
    """
    from support.tiny import eurohpc_pool, instance, national_pool, product, solve_optimal, workload

    plan = solve_optimal(instance(
        pools={"nat": national_pool(), "lumi": eurohpc_pool()},
        products={"node": product("nat", capacity=1, capex=1),
                  "lumi-share": product("lumi", capacity=1, capex=2,
                                        batch={"min_units": 0, "fixed_capex": 4})},
        workloads={"ai": workload(10, penalty=100)},
        policy={"eurohpc_share": {"min": 0.2}}))
    assert plan.objective_mnok == pytest.approx(14.0)
    purchases = plan.tables["purchases"].set_index("product")
    assert purchases.loc["node", "units"] == pytest.approx(10.0)
    assert purchases.loc["lumi-share", "units"] == 0
    assert purchases.loc["lumi-share", "capex_mnok"] == pytest.approx(4.0)
    assert purchases.loc["lumi-share", "batch_fixed_capex_mnok"] == pytest.approx(4.0)
    financing = plan.tables["financing"].set_index("line")
    investment = financing.loc[["national_investment", "eurohpc_investment"], "total"].sum()
    assert purchases["capex_mnok"].sum() == pytest.approx(investment)


def test_files_in_subfolders_are_written_whole_or_not_at_all(tmp_path, monkeypatch):
    from planner.results.output import write_files_atomically

    contents = {"top.json": "{}", "a/plan.json": "1", "a/b/plan.json": "2", "c/plan.json": "3"}
    written = write_files_atomically(tmp_path / "ok", contents)
    assert [path.relative_to(tmp_path / "ok").as_posix() for path in written] == list(contents)
    assert (tmp_path / "ok" / "a" / "b" / "plan.json").read_text() == "2"

    calls = {"count": 0}
    real_fsync = os.fsync

    def failing_fsync(descriptor):
        calls["count"] += 1
        if calls["count"] == 4:  # the last file: every folder is made by then
            raise OSError(28, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(WriteError, match="c/plan.json: could not write \\(disk full\\)"):
        write_files_atomically(tmp_path / "out", contents)
    assert list((tmp_path / "out").iterdir()) == []  # no file and no folder left
