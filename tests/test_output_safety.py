"""Output that stays where it belongs, spreadsheets that stay inert, honest exits when the
machine says no, and plan.json files that say when they were edited (issue 16).

CI runs as root, which writes into folders whatever their mode, so read-only and full
disks are simulated by injecting the OSError the system would raise (EROFS, ENOSPC).
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_yaml
from support.tiny import FIRST, instance, national_pool, product, workload

import planner.results.output
from planner.commands.base import main
from planner.results.output import (
    STALE_TEMPORARY_SECONDS,
    default_output_dir,
    slug,
    write_files_atomically,
)
from planner.store import open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"

FORMULA = '=HYPERLINK("http://example.com","click")'
COMMAND = "=cmd|' /C calc'!A0"
AT = "@SUM(1+1)"
PLUS = "+pool"
MINUS = "-gpu-node"


def tiny_data(name: str = "tiny", years: tuple[int, int] = (FIRST, FIRST)) -> dict:
    """One national pool, one product of 1 GPU per unit at 1 MNOK, 4 GPUs of demand at a
    penalty of 10 MNOK per GPU: the plan buys 4 units (4 MNOK a year < 40 MNOK unserved)."""
    return instance(name=name, years=years,
                    workloads={FORMULA: workload(4, 10), AT: workload(1, 10, resource="cpu")},
                    pools={PLUS: national_pool()},
                    products={MINUS: product(PLUS, capacity=1, capex=1),
                              COMMAND: product(PLUS, capacity=1, capex=1, resource="cpu")})


def run(*args: str):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


def stored_runs(tmp_path: Path) -> list:
    path = tmp_path / "runs.sqlite"  # conftest points PLANNER_STORE here
    if not path.exists():
        return []
    with open_store(path, create=False, read_only=True) as store:
        return store.runs()


# -- 1. output stays under the output root -------------------------------------------------

@pytest.mark.parametrize("name, expected", [("/abs", "abs"), ("../x", "x"), ("..", "plan"),
                                            ("a/b", "a-b"), (".hidden", "hidden"),
                                            ("a\\..\\b", "a-..-b"), ("norge 2025", "norge-2025")])
def test_a_slug_is_one_harmless_file_name(name, expected):
    assert slug(name) == expected
    assert default_output_dir(name) == Path("reports") / expected


@pytest.mark.parametrize("kind", ["absolute", "../x", "..", "a/b"])
def test_names_write_only_under_the_output_root(tmp_path, monkeypatch, kind):
    """solve, report (the name inside plan.json), revise and sweep derive their folders
    from the instance's name: whatever the name, every file lands in one folder directly
    under ./reports, and nothing is written beside or above the working folder."""
    base = tmp_path / "a" / "b"
    work = base / "work"
    work.mkdir(parents=True)
    escape = tmp_path / "abs"
    name = {"absolute": str(escape), "../x": "../x", "..": "..", "a/b": "a/b"}[kind]
    monkeypatch.chdir(work)
    source = write_yaml(work / "tiny.yaml", tiny_data(name, years=(FIRST, FIRST + 1)))
    assert run("solve", source, "--quiet").exit_code == 0
    given = work / "given"
    assert run("solve", source, "--quiet", "--out", given).exit_code == 0
    result = run("report", given / "plan.json", "--format", "md")
    assert result.exit_code == 0, result.output
    result = run("revise", given / "plan.json", "--year", FIRST + 1, "--quiet")
    assert result.exit_code == 0, result.output
    result = run("sweep", source, "--vary", "budget.total=100", "--workers", "1")
    assert result.exit_code == 0, result.output
    folders = {path.relative_to(work / "reports").parts[0]
               for path in files_under(work / "reports")}
    for path in files_under(work / "reports"):
        assert len(path.relative_to(work / "reports").parts) == 2  # reports/<one folder>/file
    assert folders == {slug(name), slug(f"{name}-revised-{FIRST + 1}"), slug(f"{name}-sweep")}
    assert not escape.exists()
    outside = files_under(tmp_path) - files_under(work)
    assert {path.name for path in outside} <= {"runs.sqlite", "runs.sqlite-wal",
                                                "runs.sqlite-shm"}


# -- 1. inert spreadsheets, escaped Markdown ------------------------------------------------

def _sheet_xml(workbook: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return [archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.startswith("xl/worksheets/sheet")]


def assert_inert_workbook(content: bytes, names: list[str]) -> None:
    """No formula anywhere; every formula-like text is a text cell with the quote prefix."""
    from openpyxl import load_workbook

    assert all("<f>" not in xml and "<f " not in xml for xml in _sheet_xml(content))
    book = load_workbook(io.BytesIO(content))
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
                    assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell)
                    seen.add(cell.value)
    assert set(names) <= seen  # the names are there, as text


def test_reports_and_csv_keep_formula_like_names_inert(tmp_path):
    source = write_yaml(tmp_path / "tiny.yaml", tiny_data())
    out = tmp_path / "out"
    result = run("solve", source, "--out", out, "--quiet", "--report", "xlsx")
    assert result.exit_code == 0, result.output
    assert_inert_workbook((out / "report.xlsx").read_bytes(), [FORMULA, AT, PLUS, MINUS])
    found = set()
    for path in out.glob("*.csv"):
        for row in csv.reader(path.read_text(encoding="utf-8").splitlines()):
            for field in row:
                if field[:1] in ("=", "@", "\t", "\r"):
                    raise AssertionError(f"{path.name}: active cell {field!r}")
                if field[:1] in ("+", "-"):
                    float(field)  # a number stays a number; text is quote-prefixed
                if field.startswith("'"):
                    found.add(field[1:])
    assert {FORMULA, AT, PLUS, MINUS, COMMAND} <= found
    purchases = (out / "purchases.csv").read_text(encoding="utf-8")
    assert re.search(r"^'-gpu-node,'\+pool,2025,", purchases, re.MULTILINE), purchases


def test_a_converted_workbook_keeps_formula_like_names_inert_and_reads_back(tmp_path):
    source = write_yaml(tmp_path / "tiny.yaml", tiny_data())
    target = tmp_path / "tiny.xlsx"
    assert run("convert", source, target).exit_code == 0
    assert_inert_workbook(target.read_bytes(), [FORMULA, AT, PLUS, MINUS, COMMAND])
    back = tmp_path / "back.yaml"
    assert run("convert", target, back).exit_code == 0
    from planner.input.loading import load_instance

    again = load_instance(back)
    assert set(again.workloads) == {FORMULA, AT} and set(again.pools) == {PLUS}
    assert set(again.products) == {MINUS, COMMAND}


def test_the_markdown_report_escapes_html_in_names(tmp_path):
    data = tiny_data("<script>alert(1)</script>")
    data["workloads"]["<img src=x onerror=alert(2)>"] = workload(1, 10)
    source = write_yaml(tmp_path / "tiny.yaml", data)
    out = tmp_path / "out"
    assert run("solve", source, "--out", out, "--quiet", "--report", "md").exit_code == 0
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(2)&gt;" in text


# -- 2. exit 7, nothing recorded ------------------------------------------------------------

def _failing(function, number: int):
    def fail(*args, **kwargs):
        raise OSError(number, os.strerror(number))
    return fail


def test_a_read_only_out_is_exit_7_with_nothing_recorded(tmp_path, monkeypatch):
    source = write_yaml(tmp_path / "tiny.yaml", tiny_data())
    monkeypatch.setattr(planner.results.output.tempfile, "mkstemp",
                        _failing(planner.results.output.tempfile.mkstemp, errno.EROFS))
    result = run("solve", source, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 7, result.output
    assert "read-only file system" in result.output and str(tmp_path / "out") in result.output
    assert "Traceback" not in result.output
    assert stored_runs(tmp_path) == []
    assert list((tmp_path / "out").iterdir()) == []


def test_a_full_disk_is_exit_7_with_nothing_written_or_recorded(tmp_path, monkeypatch):
    source = write_yaml(tmp_path / "tiny.yaml", tiny_data())
    real_fsync = os.fsync
    calls = []

    def fsync(descriptor):  # the disk fills up at the third file
        calls.append(descriptor)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(descriptor)

    monkeypatch.setattr(planner.results.output.os, "fsync", fsync)
    result = run("solve", source, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 7, result.output
    assert "disk full" in result.output and str(tmp_path / "out") in result.output
    assert stored_runs(tmp_path) == []
    assert list((tmp_path / "out").iterdir()) == []


def test_a_file_in_the_way_is_exit_7_for_every_writing_command(tmp_path):
    source = write_yaml(tmp_path / "tiny.yaml", tiny_data(years=(FIRST, FIRST + 1)))
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    result = run("solve", source, "--out", blocker, "--quiet")
    assert result.exit_code == 7, result.output
    assert "not a folder" in result.output and str(blocker) in result.output
    assert stored_runs(tmp_path) == []
    assert blocker.read_text() == "not a folder"
    good = tmp_path / "good"
    assert run("solve", source, "--out", good, "--quiet").exit_code == 0
    assert len(stored_runs(tmp_path)) == 1
    for args in (["report", good / "plan.json", "--out", blocker / "report.html"],
                 ["convert", source, blocker / "x.xlsx"],
                 ["show", good / "plan.json", "--out", blocker],
                 ["diff", good / "plan.json", good / "plan.json", "--report", "html",
                  "--out", blocker / "diff.html"],
                 ["revise", good / "plan.json", "--year", FIRST + 1, "--out", blocker],
                 ["stochastic", source, "--out", blocker],
                 ["sweep", source, "--vary", "budget.total=100", "--workers", "1",
                  "--out", blocker]):
        result = run(*args)
        if args[0] == "stochastic":  # no scenarios in this instance: input error first
            assert result.exit_code == 2
            continue
        assert result.exit_code == 7, (args, result.output)
        assert "not a folder" in result.output, result.output
    assert len(stored_runs(tmp_path)) == 1  # neither revise nor sweep recorded anything


def test_a_name_too_long_is_exit_7(tmp_path):
    source = write_yaml(tmp_path / "tiny.yaml", tiny_data())
    result = run("solve", source, "--out", tmp_path / ("x" * 300), "--quiet")
    assert result.exit_code == 7 and "name too long" in result.output, result.output


def test_a_read_only_store_lists_and_shows_its_runs(tmp_path, monkeypatch):
    """Every connection that could write is refused, as SQLite refuses them on read-only
    media; runs, show, report and diff read the store all the same."""
    source = write_yaml(tmp_path / "tiny.yaml", tiny_data())
    assert run("solve", source, "--out", tmp_path / "out", "--quiet").exit_code == 0
    [stored] = stored_runs(tmp_path)
    real_connect = sqlite3.connect

    def read_only_connect(database, *args, **kwargs):
        if not (kwargs.get("uri") and "mode=ro" in str(database)):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only_connect)
    result = run("runs")
    assert result.exit_code == 0 and stored.id in result.output, result.output
    assert run("show", stored.id).exit_code == 0
    assert run("report", stored.id, "--format", "md", "--out",
               tmp_path / "r.md").exit_code == 0
    assert run("diff", stored.id, stored.id).exit_code == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes whatever the mode")
def test_a_store_in_a_read_only_folder_lists_its_runs(tmp_path):
    source = write_yaml(tmp_path / "tiny.yaml", tiny_data())
    folder = tmp_path / "store"
    folder.mkdir()
    store = folder / "runs.sqlite"
    assert run("solve", source, "--out", tmp_path / "out", "--store", store,
               "--quiet").exit_code == 0
    store.chmod(0o444)
    folder.chmod(0o555)
    try:
        result = run("runs", "--store", store)
        assert result.exit_code == 0 and "tiny" in result.output, result.output
    finally:
        folder.chmod(0o755)


# -- umask and temporary files --------------------------------------------------------------

@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_files_get_the_users_umask(tmp_path, mask, mode):
    previous = os.umask(mask)
    try:
        written = write_files_atomically(tmp_path / "out", {"plan.json": "{}\n",
                                                            "a.csv": b"x\n"})
    finally:
        os.umask(previous)
    assert [path.stat().st_mode & 0o777 for path in written] == [mode, mode]


def test_a_killed_writes_old_temporary_files_are_removed_by_the_next_write(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    old = out / ".planner-plan.json.abcd1234.tmp"
    fresh = out / ".planner-plan.json.efgh5678.tmp"
    foreign = out / ".notes.abcd1234.tmp"
    for path in (old, fresh, foreign):
        path.write_text("half")
    hours_ago = time.time() - STALE_TEMPORARY_SECONDS - 60
    os.utime(old, (hours_ago, hours_ago))
    os.utime(foreign, (hours_ago, hours_ago))
    write_files_atomically(out, {"plan.json": "{}\n"})
    assert not old.exists()
    assert fresh.exists() and foreign.exists()  # a write in progress; not ours
    assert (out / "plan.json").read_text() == "{}\n"


# -- 4. plan.json: digest, shape, version 1 -------------------------------------------------

@pytest.fixture
def solved(tmp_path) -> Path:
    source = write_yaml(tmp_path / "tiny.yaml", tiny_data(years=(FIRST, FIRST + 1)))
    out = tmp_path / "solved"
    result = run("solve", source, "--out", out, "--quiet")
    assert result.exit_code == 0, result.output
    return out / "plan.json"


MODIFIED = "modified after it was solved"


def test_an_intact_plan_raises_no_warning(solved):
    result = run("show", solved)
    assert result.exit_code == 0 and MODIFIED not in result.output


@pytest.mark.parametrize("edit", ["objective", "purchases", "instance", "metadata"])
def test_an_edited_plan_is_reported_as_modified_by_every_reader(solved, tmp_path, edit):
    document = json.loads(solved.read_text())
    if edit == "objective":
        document["summary"]["objective_mnok"] -= 1.0
    elif edit == "purchases":
        document["tables"]["purchases"][0]["units"] += 1
    elif edit == "instance":
        document["instance"]["name"] = "other"
    else:
        document["metadata"]["status"] = "optimal"
        document["metadata"]["gap"] = 0.0
        document["metadata"]["solver"] = "someone else"
    solved.write_text(json.dumps(document, indent=2))
    commands = [["show", solved], ["report", solved, "--format", "md", "--out",
                                   tmp_path / "r.md"],
                ["diff", solved, solved], ["revise", solved, "--year", FIRST + 1, "--quiet",
                                           "--out", tmp_path / "revised"]]
    for args in commands:
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert MODIFIED in result.output, (args, result.output)


def test_only_the_timestamp_may_change(solved):
    document = json.loads(solved.read_text())
    document["metadata"]["timestamp"] = "2000-01-01T00:00:00+00:00"
    solved.write_text(json.dumps(document))  # another layout, same content
    result = run("show", solved)
    assert result.exit_code == 0 and MODIFIED not in result.output


@pytest.mark.parametrize("edit, path", [
    (lambda d: d["summary"].__setitem__("objective_mnok", "12"), "summary.objective_mnok"),
    (lambda d: d.__setitem__("tables", []), "tables"),
    (lambda d: d["tables"]["purchases"][0].__setitem__("units", {"a": 1}),
     "tables.purchases.0.units"),
    (lambda d: d["tables"]["coverage"][0].pop("served"), "tables.coverage"),
    (lambda d: d["metadata"].__setitem__("status", 3), "metadata.status"),
    (lambda d: d.pop("metadata"), "metadata"),
    (lambda d: d["instance"].__setitem__("years", "2025"), "instance.years"),
    (lambda d: d.__setitem__("plan_schema_version", 9), "plan_schema_version"),
])
def test_a_wrong_shaped_plan_is_exit_2_naming_the_key_path(solved, edit, path):
    document = json.loads(solved.read_text())
    edit(document)
    solved.write_text(json.dumps(document))
    for args in (["show", solved], ["report", solved, "--format", "md"],
                 ["diff", solved, solved]):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert f"{path}:" in result.output and "Traceback" not in result.output, result.output


def test_a_version_1_plan_still_reads_and_says_it_cannot_be_checked(tmp_path):
    """tests/fixtures/plan-v1.json: a plan.json of schema version 1 (no digest), the tiny
    instance's plan as the planner wrote it before version 2."""
    fixture = FIXTURES / "plan-v1.json"
    assert json.loads(fixture.read_text())["plan_schema_version"] == 1
    for args in (["show", fixture], ["report", fixture, "--format", "md", "--out",
                                     tmp_path / "r.md"], ["diff", fixture, fixture]):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "no digest, cannot check" in result.output
        assert MODIFIED not in result.output
    # Written again (show --out), it becomes a version-2 plan with its digest.
    assert run("show", fixture, "--out", tmp_path / "again").exit_code == 0
    again = json.loads((tmp_path / "again" / "plan.json").read_text())
    assert again["plan_schema_version"] == 2 and len(again["content_sha256"]) == 64
    assert "no digest" not in run("show", tmp_path / "again" / "plan.json").output
