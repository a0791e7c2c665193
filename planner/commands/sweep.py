"""`planner sweep FILE --vary KEY=START:STOP:COUNT`: the plan at many values of some keys."""

from __future__ import annotations

import signal
import sqlite3
import sys
from pathlib import Path

import click
import pandas as pd
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from planner.analyses.jobs import default_workers
from planner.analyses.sweep import grid, parse_vary, results_table, run_sweep
from planner.commands.base import console, errors, main, solver_options, store_option, user_errors
from planner.input.errors import ExitStatus, InputError
from planner.input.loading import instance_from_data, read_instance_data
from planner.results.output import default_output_dir, table_csv, write_files_atomically
from planner.results.plan import Plan
from planner.solving.interrupts import Interrupted, cancel_on_signals, received
from planner.solving.solver import SolverOptions
from planner.store import open_store, store_path
from planner.views.console import amount, mnok
from planner.views.sweep_chart import sweep_chart_png
from planner.views.text import escape


@main.command(name="sweep")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--vary", "varies", multiple=True, required=True,
              metavar="KEY.PATH=START:STOP:COUNT|V1,V2,...",
              help="A key and its values; repeat for a grid of every combination.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Directory for sweep.csv and sweep.png [default: reports/<name>-sweep/].")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Local processes solving points [default: the number of cores].")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Solve the points on this Dask scheduler instead of local processes.")
@click.option("--report", "report_format", type=click.Choice(["html"]),
              help="Also write the sweep's report page (sweep.html) beside the CSV.")
@click.option("--lang", type=click.Choice(["en", "nb"]), default="en", show_default=True,
              help="Language of the report page.")
@solver_options
@store_option
@user_errors
def sweep_command(file: Path, varies: tuple[str, ...], out_dir: Path | None,
                  workers: int | None, scheduler: str | None, report_format: str | None,
                  lang: str, time_limit: float | None, mip_gap: float, threads: int,
                  priority: str, store: Path | None) -> None:
    """Solve the instance at every value (or combination of values) of the varied keys."""
    axes = [parse_vary(text) for text in varies]
    paths = [axis.path for axis in axes]
    if len(set(paths)) != len(paths):
        raise InputError("--vary", "each key may be varied only once")
    base_data = read_instance_data(file)
    base = instance_from_data(base_data, str(file))
    points = grid(axes)
    options = SolverOptions(time_limit_seconds=time_limit, mip_gap=mip_gap, threads=threads)
    workers = workers or default_workers()
    finished: list = []
    where = f"Dask at {escape(scheduler)}" if scheduler else \
        f"{min(workers, len(points))} process(es)"
    console.print(f"Sweeping {len(points)} points of {escape(', '.join(paths))} on {where}")
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                  transient=True) as progress:
        task = progress.add_task("solving", total=len(points))

        def advance(result) -> None:
            finished.append(result)
            progress.advance(task)

        try:
            with cancel_on_signals():
                results = run_sweep(base_data, points, options, priority=priority,
                                    source=str(file), workers=workers, scheduler=scheduler,
                                    keep_plans=True, on_result=advance)
        except (Interrupted, KeyboardInterrupt) as stop:
            # All or nothing: an interrupted sweep writes no file and records no point.
            done = sorted(result.index for result in finished)
            console.print(f"[yellow]Interrupted.[/yellow] {len(done)} of {len(points)} points "
                          f"had finished ({done}); nothing written and nothing recorded.")
            sys.exit(stop.exit_status if isinstance(stop, Interrupted)
                     else getattr(stop, "signal_number", 2) + 128)

    workloads = list(base.workloads)
    table = results_table(results, workloads)
    units = {name: base.resources[workload.resource].unit
             for name, workload in base.workloads.items()}
    _print_table(table, paths, workloads, units)
    target = out_dir if out_dir is not None else default_output_dir(base.name, "-sweep")
    files = {
        "sweep.csv": table_csv(table),
        "sweep.png": sweep_chart_png(table, paths, workloads, units),
    }
    if report_format == "html":
        from planner.views.reports.pages import render_sweep_html

        meta = {"instance_name": base.name, "varied": paths, "units": units}
        files["sweep.html" if lang == "en" else f"sweep.{lang}.html"] = render_sweep_html(
            table, meta, lang)
    with cancel_on_signals():  # a signal now lets the files and the record finish
        write_files_atomically(target, files)
        # Every point is recorded once the files are written, in one transaction.
        _record_points(file, results, store)
        late = received()
    if late is not None:
        errors.print(f"interrupted by {signal.Signals(late).name} after the output was "
                     "complete", highlight=False)
        sys.exit(128 + late)
    reused = sum(result.model_reused for result in results)
    console.print(f"Wrote {', '.join(files)} to {escape(target)}/ ({reused} of {len(results)} "
                  "points re-solved a model built once per worker); every point is recorded "
                  f"in the run store {escape(store_path(store))}")
    no_plan = [result.index for result in results if result.objective_mnok is None]
    if no_plan:
        console.print(f"[yellow]{len(no_plan)} point(s) without a plan: "
                      f"{escape(no_plan)}[/yellow]")
    sys.exit(int(ExitStatus.OPTIMAL))


def _record_points(file: Path, results: list, store: Path | None) -> None:
    entries = [{"kind": "sweep", "instance": file,
                "overrides": [f"{path}={value}" for path, value in result.values.items()],
                "plan": Plan.from_document(result.plan_document),
                "details": {"point": result.index, "values": result.values}}
               for result in results]
    path = store_path(store)
    try:
        with open_store(path) as runs:
            runs.record_many(entries)
    except (InputError, sqlite3.Error, OSError) as error:
        errors.print(f"[yellow]warning:[/yellow] the sweep's points were not recorded in "
                     f"{path}: {escape(str(error))}", highlight=False, markup=True)


def _print_table(table, paths: list[str], workloads: list[str],
                 units: dict[str, str] | None = None) -> None:
    """Every point; at a narrow console (or a pipe, 80 columns) the columns get short keys
    (p1, u1, ...) explained in a legend below, so no header shrinks to "budg…"."""
    units = units or {}
    long = [*paths, "status", "objective (MNOK)", "spending (MNOK)"] + [
        f"unserved {w} ({units[w]})" if w in units else f"unserved {w}" for w in workloads]
    short = [f"p{index}" for index, _ in enumerate(paths, 1)] + ["status", "objective",
                                                                 "spending"]
    short += [f"u{index}" for index, _ in enumerate(workloads, 1)]
    rows = []
    for _, row in table.iterrows():
        cells = [str(row[path]) for path in paths] + [
            row["status"], mnok(row["objective_mnok"]), mnok(row["spending_mnok"])]
        cells += [amount(row[f"unserved_{w}"]) for w in workloads]
        rows.append((row, cells))
    widths = [max(len(header), *(len(cells[index]) for _, cells in rows))
              for index, header in enumerate(long)] if rows else [len(h) for h in long]
    narrow = sum(widths) + 3 * len(widths) + 1 > console.width
    headers = short if narrow else long
    view = Table(title="Sweep (MNOK; unserved demand summed over the years, in its unit)",
                 title_justify="left")
    for header in headers:
        view.add_column(Text(header), justify="left" if header == "status" else "right",
                        no_wrap=True)
    for row, cells in rows:
        solved = not pd.isna(row["objective_mnok"])
        style = "" if row["status"] == "optimal" else "yellow" if solved else "red"
        view.add_row(*(Text(cell, style=style) for cell in cells))
    console.print(view)
    if narrow:
        legend = [f"{key} = {name}" for key, name in zip(short, long, strict=True)
                  if key != name and not name.startswith(key)]
        console.print(Text("; ".join(legend)), highlight=False)
