"""`planner runs`: the runs in the store; and the store helpers every command shares.

`store_option` adds `--store PATH`; `record_for_cli` records a run and says where (a store
that cannot be written is a warning, not a failed solve); `load_run_or_plan` reads a plan
named by a run id (or a unique prefix) or by the path of a plan.json file.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import yaml
from rich import box
from rich.table import Table
from rich.text import Text

from planner.cli import console, errors, main, user_errors
from planner.console import mnok
from planner.errors import InputError
from planner.plan import Plan
from planner.schema import Instance
from planner.store import STORE_ENVIRONMENT_VARIABLE, StoredRun, open_store, record_run, store_path
from planner.views.terminal import print_text


def store_option(command: Callable) -> Callable:
    """--store PATH."""
    return click.option(
        "--store", "store", type=click.Path(path_type=Path), metavar="PATH",
        help=f"The run store [default: ${STORE_ENVIRONMENT_VARIABLE}, else "
             ".planner/runs.sqlite in the current directory].")(command)


def record_for_cli(kind: str, instance: str | Path | Mapping | Instance,
                   overrides: Sequence[str], plan: Plan, store: Path | None, *,
                   parent: str | None = None,
                   details: Mapping[str, Any] | None = None) -> str | None:
    """Record a run and print its id; a store that cannot be written only warns."""
    path = store_path(store)
    try:
        run_id = record_run(kind, instance, overrides, plan, path, parent, details=details)
    except (InputError, sqlite3.Error, OSError, yaml.YAMLError, ValueError, TypeError) as error:
        errors.print(f"[yellow]warning:[/yellow] the run was not recorded in {path}: {error}",
                     highlight=False, markup=True)
        return None
    console.print(f"Recorded as run [bold]{run_id}[/bold] in {path}", highlight=False)
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
    """A path to an existing plan.json file, else a run id (or prefix) in the store."""
    path = Path(reference)
    if path.is_file():
        return Loaded(Plan.from_json_file(path), f"plan {path}")
    if path.suffix == ".json" or "/" in reference:
        raise InputError(reference, "file not found (expected a plan.json file or a run id)")
    with open_store(store, create=False) as opened:
        run = opened.get(reference)
    return Loaded(run.plan(), run_label(run), run)


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
    with open_store(store, create=False) as opened:
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
