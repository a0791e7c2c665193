"""The run store: runs recorded and read back, found by id prefix and filters, the schema
versioned and upgraded, and a writer killed mid-write leaving a sound store."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.instances import write_yaml
from support.tables import assert_same_tables
from support.tiny import instance, national_pool, product, solve_optimal, workload

import planner.store as store_module
from planner import InputError, Plan
from planner.cli import main
from planner.store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    open_store,
    record_run,
    store_path,
)

PROJECT = Path(__file__).resolve().parent.parent


def tiny_data() -> dict:
    """10 GPUs a year in 2025-2026, a 1-GPU node at 1 MNOK living 2 years, unmet penalty 5:
    buy 10 nodes in 2025, objective 10 MNOK."""
    return instance(workloads={"w": workload(10, 5)}, pools={"nat": national_pool()},
                    products={"node": product("nat", capacity=1, capex=1, lifetime=2)},
                    years=(2025, 2026))


@pytest.fixture(scope="module")
def plan() -> Plan:
    solved = solve_optimal(tiny_data())
    assert solved.objective_mnok == pytest.approx(10.0)
    return solved


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_a_recorded_run_reads_back_whole(tmp_path, plan):
    path = tmp_path / "runs.sqlite"
    run_id = record_run("whatif", tiny_data(), ["budget.total=5"], plan, path, parent="abcd1234",
                        details={"point": 3})
    assert len(run_id) == 8
    with open_store(path, create=False) as store:
        listed = store.runs()
        stored = store.get(run_id[:4])
    assert [r.id for r in listed] == [run_id]
    assert stored.kind == "whatif" and stored.instance_name == "tiny"
    assert stored.overrides == ["budget.total=5"] and stored.parent == "abcd1234"
    assert stored.details == {"point": 3} and stored.status == "optimal"
    assert stored.objective_mnok == pytest.approx(10.0)
    assert "name: tiny" in stored.instance_text
    again = stored.plan()
    assert again.instance == plan.instance and again.metadata == plan.metadata
    assert again.tables["purchases"]["units"].tolist() == [10.0]
    assert_same_tables(again.tables, plan.tables)
    assert again.summary == plan.summary


def test_an_instance_file_is_kept_as_its_text(tmp_path, plan):
    text = "# my comment\n" + json.dumps(tiny_data())
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    run_id = record_run("solve", path, [], plan, tmp_path / "runs.sqlite")
    with open_store(tmp_path / "runs.sqlite") as store:
        stored = store.get(run_id)
    assert stored.instance_text == text and stored.instance_file == str(path)


def test_store_location_explicit_then_environment_then_default(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANNER_STORE", raising=False)
    assert store_path() == Path(".planner") / "runs.sqlite"
    monkeypatch.setenv("PLANNER_STORE", str(tmp_path / "env.sqlite"))
    assert store_path() == tmp_path / "env.sqlite"
    assert store_path(tmp_path / "explicit.sqlite") == tmp_path / "explicit.sqlite"


def test_default_store_is_in_the_current_directory(tmp_path, monkeypatch, plan):
    monkeypatch.delenv("PLANNER_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    record_run("solve", tiny_data(), [], plan)
    assert (tmp_path / ".planner" / "runs.sqlite").is_file()


def test_ids_are_unique_and_prefixes_resolve(tmp_path, plan):
    path = tmp_path / "runs.sqlite"
    ids = [record_run("sweep", tiny_data(), [f"budget.total={i}"], plan, path)
           for i in range(20)]
    assert len(set(ids)) == 20
    with open_store(path) as store:
        for run_id in ids:
            assert store.resolve(run_id[:6]) == run_id
        with pytest.raises(InputError, match="no run 'ffffffffff'"):
            store.resolve("ffffffffff")
        with pytest.raises(InputError, match="at least 4"):
            store.resolve("ab")
        # Two ids sharing a prefix: the prefix names both and is refused.
        store._connection.execute("UPDATE runs SET id = 'beef0001' WHERE id = ?", (ids[0],))
        store._connection.execute("UPDATE runs SET id = 'beef0002' WHERE id = ?", (ids[1],))
        with pytest.raises(InputError, match="names 2 runs"):
            store.resolve("beef")


def test_filters_by_instance_kind_date_and_limit(tmp_path, plan):
    path = tmp_path / "runs.sqlite"
    first = record_run("solve", tiny_data(), [], plan, path)
    data = tiny_data() | {"name": "norway-test"}
    other = solve_optimal(data)
    second = record_run("whatif", data, [], other, path)
    with open_store(path) as store:
        assert [r.id for r in store.runs(instance="norway*")] == [second]
        assert [r.id for r in store.runs(kind="solve")] == [first]
        assert [r.id for r in store.runs(limit=1)] == [second]
        assert store.runs(since="2999-01-01") == []
        assert store.runs(until="2000-01-01") == []
        assert len(store.runs(since="2000-01-01")) == 2


def test_runs_command_lists_and_filters(tmp_path, plan):
    path = tmp_path / "runs.sqlite"
    run_id = record_run("solve", tiny_data(), ["budget.total=5"], plan, path)
    result = run("runs", "--store", str(path))
    assert result.exit_code == 0, result.output
    assert run_id in result.output and "tiny" in result.output and "optimal" in result.output
    result = run("runs", "--store", str(path), "--json")
    assert json.loads(result.output)[0]["overrides"] == ["budget.total=5"]
    assert run_id not in run("runs", "--store", str(path), "--until", "2000-01-01").output
    assert run_id not in run("runs", "--store", str(path), "--instance", "norway*").output
    assert run_id in run("runs", "--store", str(path), "--since", "2000-01-01").output
    result = run("runs", "--store", str(path), "--since", "yesterday")
    assert result.exit_code == 2 and "--since" in result.output


def test_reading_a_missing_store_is_bad_input_and_creates_nothing(tmp_path):
    path = tmp_path / "none.sqlite"
    for args in (["runs"], ["show", "abcd1234"], ["diff", "abcd1234", "abcd5678"]):
        result = run(*args, "--store", str(path))
        assert result.exit_code == 2, result.output
        assert f"{path}: no run store here yet" in result.output
    assert not path.exists()


def test_an_unknown_run_is_bad_input(tmp_path, plan):
    path = tmp_path / "runs.sqlite"
    record_run("solve", tiny_data(), [], plan, path)
    result = run("show", "0000ffff", "--store", str(path))
    assert result.exit_code == 2
    assert "no run '0000ffff'" in result.output


def test_solve_records_and_show_prints_the_stored_plan(tmp_path, plan):
    store = tmp_path / "runs.sqlite"
    path = write_yaml(tmp_path / "tiny.yaml", tiny_data())
    result = run("solve", str(path), "--out", str(tmp_path / "out"), "--store", str(store),
                 "--set", "workloads.w.unmet_penalty=6")
    assert result.exit_code == 0, result.output
    with open_store(store) as opened:
        (stored,) = opened.runs()
        full = opened.get(stored.id)
    assert stored.kind == "solve" and stored.overrides == ["workloads.w.unmet_penalty=6"]
    assert full.instance_text == path.read_text() and stored.instance_file == str(path)
    assert f"Recorded as run {stored.id}" in result.output
    shown = run("show", stored.id, "--store", str(store), "--out", str(tmp_path / "shown"))
    assert shown.exit_code == 0, shown.output
    for heading in ("Financing plan", "Purchases", "Capacity in service", "Demand served",
                    "optimal", f"run {stored.id}", "workloads.w.unmet_penalty=6"):
        assert heading in shown.output
    assert (tmp_path / "shown" / "instance.yaml").read_text() == path.read_text()
    assert json.loads((tmp_path / "shown" / "plan.json").read_text()) == \
        json.loads((tmp_path / "out" / "plan.json").read_text())


def test_a_store_that_cannot_be_written_only_warns(tmp_path):
    path = write_yaml(tmp_path / "tiny.yaml", tiny_data())
    result = run("solve", str(path), "--out", str(tmp_path / "out"), "--store", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "not recorded" in result.output
    assert (tmp_path / "out" / "plan.json").exists()


def test_a_new_store_has_the_current_schema_version(tmp_path, plan):
    path = tmp_path / "runs.sqlite"
    record_run("solve", tiny_data(), [], plan, path)
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    connection.close()


def test_a_newer_store_or_another_file_is_refused(tmp_path, plan):
    path = tmp_path / "runs.sqlite"
    record_run("solve", tiny_data(), [], plan, path)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    with pytest.raises(InputError, match="newer than this planner"):
        open_store(path)
    other = tmp_path / "other.sqlite"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    with pytest.raises(InputError, match="not a planner run store"):
        open_store(other)
    text = tmp_path / "text.sqlite"
    text.write_text("not a database at all, just some text " * 100)
    with pytest.raises(InputError, match="not a planner run store"):
        open_store(text)
    result = run("runs", "--store", str(text))
    assert result.exit_code == 2 and "not a planner run store" in result.output


def test_the_schema_upgrades_itself_and_keeps_the_runs(tmp_path, plan, monkeypatch):
    """A store of version 1 opened by a planner whose schema is version 2 is upgraded in one
    transaction; its runs still load."""
    path = tmp_path / "runs.sqlite"
    run_id = record_run("solve", tiny_data(), [], plan, path)
    migrations = dict(store_module.MIGRATIONS)
    migrations[2] = ("ALTER TABLE runs ADD COLUMN label TEXT",)
    monkeypatch.setattr(store_module, "MIGRATIONS", migrations)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 2)
    with open_store(path) as store:
        assert store._connection.execute("PRAGMA user_version").fetchone()[0] == 2
        assert store.get(run_id).plan().objective_mnok == pytest.approx(10.0)
        columns = [row[1] for row in store._connection.execute("PRAGMA table_info(runs)")]
        assert "label" in columns


def test_a_failed_upgrade_leaves_the_store_as_it_was(tmp_path, plan, monkeypatch):
    path = tmp_path / "runs.sqlite"
    run_id = record_run("solve", tiny_data(), [], plan, path)
    migrations = dict(store_module.MIGRATIONS)
    migrations[2] = ("ALTER TABLE runs ADD COLUMN label TEXT", "THIS IS NOT SQL")
    monkeypatch.setattr(store_module, "MIGRATIONS", migrations)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 2)
    with pytest.raises(InputError):
        open_store(path)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 1)
    with open_store(path) as store:
        assert store._connection.execute("PRAGMA user_version").fetchone()[0] == 1
        columns = [row[1] for row in store._connection.execute("PRAGMA table_info(runs)")]
        assert "label" not in columns
        assert store.get(run_id).plan().objective_mnok == pytest.approx(10.0)


WRITER = """
import sys
from planner import Plan
from planner.store import open_store
plan = Plan.from_json_file(sys.argv[2])
# A large instance text makes each run span many database pages, so a kill lands mid-write.
padding = "# " + "x" * 200 + "\\n"
with open_store(sys.argv[1]) as store:
    point = 0
    while True:
        store.record("sweep", padding * 2000, [f"budget.total={point}"], plan,
                     details={"point": point, "writer": sys.argv[3]})
        point += 1
"""


def _writers(path: Path, plan_file: Path, count: int) -> list[subprocess.Popen]:
    environment = os.environ | {"PYTHONPATH": str(PROJECT)}
    return [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(plan_file), str(n)],
                             env=environment, stderr=subprocess.PIPE)
            for n in range(count)]


def _wait_for_runs(path: Path, at_least: int, writers: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for writer in writers:
            assert writer.poll() is None, writer.stderr.read().decode()
        if path.exists():
            try:
                with open_store(path, create=False) as store:
                    if store.count() >= at_least:
                        return
            except (InputError, sqlite3.Error):
                pass
        time.sleep(0.02)
    raise AssertionError(f"the writers did not record {at_least} runs in time")


@pytest.mark.parametrize("runs_before_kill", [1, 5, 12])
@pytest.mark.slow
def test_a_writer_killed_mid_write_leaves_a_sound_store(tmp_path, plan, runs_before_kill):
    """Two processes record runs as fast as they can into one store; both are killed with
    SIGKILL (no clean-up of any kind). The store passes SQLite's integrity check, every run
    it lists loads whole, and a new run can still be recorded."""
    path = tmp_path / "runs.sqlite"
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(plan.to_json())
    writers = _writers(path, plan_file, 2)
    try:
        _wait_for_runs(path, runs_before_kill, writers)
        time.sleep(0.013 * runs_before_kill)  # land the kill at different moments
    finally:
        for writer in writers:
            writer.send_signal(signal.SIGKILL)
            writer.wait()
            writer.stderr.close()
    with open_store(path, create=False) as store:
        assert store.integrity() == "ok"
        listed = store.runs()
        assert len(listed) >= runs_before_kill
        for stored in listed:
            whole = store.get(stored.id)
            assert whole.plan().objective_mnok == pytest.approx(10.0)
            assert whole.instance_text.count("\n") == 2000
        points = {(r.details["writer"], r.details["point"]) for r in listed}
        assert len(points) == len(listed)
        store.record("solve", tiny_data(), [], plan)
        assert store.count() == len(listed) + 1
