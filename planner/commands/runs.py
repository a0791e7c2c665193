"""`planner runs`: the runs in the store; and the store helpers every command shares.

`record_for_cli` records a run and says where (a store that cannot be written is a
warning, not a failed solve); `load_run_or_plan` reads a plan named by a run id (or a
unique prefix) or by the path of a plan.json file. `--store PATH` itself is
`planner.commands.base.store_option`.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import yaml
from rich import box
from rich.table import Table
from rich.text import Text

from planner.commands.base import console, errors, main, store_option, user_errors
from planner.input.errors import InputError
from planner.input.schema import Instance
from planner.results.plan import MODIFIED, NO_DIGEST, Plan
from planner.store import StoredRun, open_store, record_run, store_path
from planner.views.console import mnok
from planner.views.terminal import print_text
from planner.views.text import escape

_STORE_ERRORS = (InputError, sqlite3.Error, OSError, yaml.YAMLError, ValueError, TypeError)


@contextlib.contextmanager
def recording_for_cli(kind: str, instance: str | Path | Mapping | Instance,
                      overrides: Sequence[str], plan: Plan, store: Path | None, *,
                      parent: str | None = None,
                      details: Mapping[str, Any] | None = None,
                      plan_json: str | None = None) -> Iterator[str | None]:
    """Record a run in a transaction committed when the block (which writes the run's
    files) ends without an exception, then print its id; yields the id (None when the
    store cannot be written: a warning, not a failed command). A write that fails inside
    the block leaves nothing recorded. `plan_json`: the plan.json text, if already made."""
    path = store_path(store)
    stack = contextlib.ExitStack()
    try:
        opened = stack.enter_context(open_store(path))
        run_id = stack.enter_context(opened.recording(kind, instance, overrides, plan,
                                                      parent=parent, details=details,
                                                      plan_json=plan_json))
    except _STORE_ERRORS as error:
        stack.close()
        _not_recorded(path, error)
        yield None
        return
    finished = False
    try:
        with stack:
            yield run_id
            finished = True
    except _STORE_ERRORS as error:
        if not finished:
            raise
        _not_recorded(path, error)
        return
    console.print(f"Recorded as run [bold]{run_id}[/bold] in {path}", highlight=False)


def _not_recorded(path: Path, error: Exception) -> None:
    errors.print(f"[yellow]warning:[/yellow] the run was not recorded in {path}: "
                 f"{escape(str(error))}", highlight=False, markup=True)


def record_for_cli(kind: str, instance: str | Path | Mapping | Instance,
                   overrides: Sequence[str], plan: Plan, store: Path | None, *,
                   parent: str | None = None,
                   details: Mapping[str, Any] | None = None) -> str | None:
    """Record a run and print its id; a store that cannot be written only warns."""
    path = store_path(store)
    try:
        run_id = record_run(kind, instance, overrides, plan, path, parent, details=details)
    except _STORE_ERRORS as error:
        _not_recorded(path, error)
        return None
    console.print(f"Recorded as run [bold]{run_id}[/bold] in {escape(path)}", highlight=False)
    return run_id


@dataclass(frozen=True)
class Loaded:
    """A plan read back for show, diff or revise: from the store or from a plan.json."""

    plan: Plan
    label: str
    run: StoredRun | None = None


def run_label(run: StoredRun) -> str:
    return f"run {run.id} ({run.kind}, {run.created_text[:16]} UTC)"


def load_run_or_plan(reference: str, store: Path | None) -> Loaded:
    """A path to an existing plan.json file, else a run id (or prefix) in the store; warns
    when the plan was modified after it was solved (`warn_if_modified`)."""
    path = Path(reference)
    if path.is_file():
        plan = Plan.from_json_file(path)
        warn_if_modified(plan, str(path))
        return Loaded(plan, f"plan {path}")
    if path.suffix == ".json" or "/" in reference:
        raise InputError(reference, "file not found (expected a plan.json file or a run id)")
    with open_store(store, create=False, read_only=True) as opened:
        run = opened.get(reference)
    plan = run.plan()
    warn_if_modified(plan, f"run {run.id}")
    return Loaded(plan, run_label(run), run)


def warn_if_modified(plan: Plan, where: str) -> None:
    """Say plainly on stderr when a plan read back does not match its digest, or has none."""
    if plan.integrity == MODIFIED:
        errors.print(f"[bold yellow]warning:[/bold yellow] {escape(where)}: modified after it "
                     "was solved (its content no longer matches its digest); what follows "
                     "shows the file as it is now, not the plan the solver found",
                     highlight=False, markup=True)
    elif plan.integrity == NO_DIGEST:
        errors.print(f"[yellow]note:[/yellow] {escape(where)}: a version-1 plan.json has no "
                     "digest, cannot check whether it was edited since it was solved",
                     highlight=False, markup=True)


def _bound(text: str | None, option: str, end: bool) -> str | None:
    """A --since/--until value as a UTC timestamp to compare with; a date alone means
    the whole day (so --until 2026-11-25 includes that day)."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(option, f"expected a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM "
                                 f"(UTC), got {text!r}") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    if end and len(text) == 10:
        moment += timedelta(days=1)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def detail_lines(run: StoredRun) -> list[str]:
    """A run's details as `key: value` lines, empty values and the parent left out."""
    lines = []
    for key, value in run.details.items():
        if value in (None, "", [], {}, 0, False) or (key == "previous" and run.parent):
            continue
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        elif isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        lines.append(f"{key}: {value}")
    return lines


def _notes(run: StoredRun) -> str:
    parts = [f"from {run.parent}"] if run.parent else []
    parts += [f"--set {text}" for text in run.overrides]
    return "; ".join(parts + detail_lines(run))


# Below this console width, notes go under the table.
NOTES_COLUMN_WIDTH = 120


@main.command(name="runs")
@store_option
@click.option("--instance", "instance", metavar="NAME",
              help="Only runs of this instance name (a glob: 'norway*').")
@click.option("--kind", metavar="KIND",
              help="Only runs of this kind: solve, whatif, revise or sweep.")
@click.option("--since", metavar="DATE", help="Only runs recorded on or after (UTC).")
@click.option("--until", metavar="DATE", help="Only runs recorded on or before (UTC).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N",
              help="Only the newest N runs.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@user_errors
def runs_command(store: Path | None, instance: str | None, kind: str | None,
                 since: str | None, until: str | None, limit: int | None,
                 as_json: bool) -> None:
    """List the runs recorded in the store, oldest first."""
    with open_store(store, create=False, read_only=True) as opened:
        found = opened.runs(instance=instance, kind=kind, since=_bound(since, "--since", False),
                            until=_bound(until, "--until", True), limit=limit)
        path = opened.path
    if as_json:
        fields = ("id", "created", "kind", "instance_name", "instance_file", "status",
                  "objective_mnok", "parent", "overrides", "details")
        console.print_json(json.dumps([{key: getattr(run, key) for key in fields}
                                       for run in found]))
        return
    # At a narrow console (or a pipe) notes are listed under the table, each by its run,
    # rather than in a column a few characters wide.
    notes_below = console.width < NOTES_COLUMN_WIDTH
    view = Table(title=Text(f"Runs in {path}"), box=box.SIMPLE_HEAD, pad_edge=False,
                 collapse_padding=True)
    columns = ["Run", "Recorded (UTC)", "Kind", "Instance", "Status", "MNOK"]
    for column in columns if notes_below else [*columns, "Notes"]:
        view.add_column(column, justify="right" if column == "MNOK" else "left",
                        no_wrap=column != "Notes", overflow="fold")
    below = []
    for run in found:
        cells = [run.id, run.created_text[:16], run.kind, run.instance_name, run.status,
                 mnok(run.objective_mnok)]
        if notes_below:
            view.add_row(*(Text(cell) for cell in cells))
            if _notes(run):
                below.append(f"{run.id}: {_notes(run)}")
        else:
            view.add_row(*(Text(cell) for cell in [*cells, _notes(run)]))
    console.print(view)
    if below:
        console.print(Text("Notes", style="bold"))
        for line in below:
            print_text(console, line)
    if not found:
        console.print("No runs match.")
