"""`planner revise RUN_OR_PLAN --year Y`: the annual revision, with the past fixed.

Builds the revised instance (docs/revision.md: which key comes from where), solves it,
records the run, prints the revised plan and what changed against the previous one, and
writes the revised instance, plan.json, the CSV tables and diff.json into one directory.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import click

from planner.analyses.facade import solve
from planner.analyses.revise import revise_instance
from planner.analyses.unspent import confirm_largest
from planner.commands.base import (
    console,
    fail,
    interruptible,
    main,
    solver_options,
    store_option,
    user_errors,
)
from planner.commands.runs import load_run_or_plan, recording_for_cli
from planner.input.actuals import load_actuals
from planner.input.loading import load_instance
from planner.results.output import default_output_dir, plan_files, write_files_atomically
from planner.results.plan_diff import diff_plans
from planner.solving.interrupts import check_interrupted
from planner.solving.solver import EXIT_STATUS
from planner.views.console import print_plan
from planner.views.diff import print_diff
from planner.views.text import escape

REVISED_INSTANCE_FILE = "instance.yaml"


def _command_text(previous: str, year: int, actuals: tuple[Path, ...], updated: Path | None,
                  extend: int) -> str:
    words = ["planner", "revise", previous, "--year", str(year)]
    for path in actuals:
        words += ["--actuals", str(path)]
    if updated is not None:
        words += ["--instance", str(updated)]
    if extend:
        words += ["--extend", str(extend)]
    return " ".join(words)


@main.command(name="revise")
@click.argument("previous", metavar="RUN_OR_PLAN")
@click.option("--year", type=click.IntRange(1900, 2500), required=True,
              help="The revision year: it becomes plan_from; earlier years are history.")
@click.option("--actuals", "actuals_files", multiple=True, type=click.Path(path_type=Path),
              metavar="FILE", help="What was bought and spent in a history year "
                                   "(repeatable, one file per year).")
@click.option("--instance", "updated_file", type=click.Path(path_type=Path), metavar="FILE",
              help="An updated instance: forecasts, prices, caps and policy come from it.")
@click.option("--extend", type=click.IntRange(min=0), default=0, show_default=True,
              metavar="N", help="Roll the horizon N years further.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Directory for the revised instance, plan.json, CSV tables and diff.json "
                   "[default: reports/<name>-revised-<year>/].")
@store_option
@solver_options
@click.option("--quiet", is_flag=True, help="Print the status line and the diff only.")
@user_errors
@interruptible
def revise_command(previous: str, year: int, actuals_files: tuple[Path, ...],
                   updated_file: Path | None, extend: int, out_dir: Path | None,
                   store: Path | None, time_limit: float | None, mip_gap: float, threads: int,
                   priority: str, quiet: bool) -> None:
    """Revise a plan (a run id or a plan.json file) with the years before --year fixed."""
    loaded = load_run_or_plan(previous, store)
    actuals = [load_actuals(path) for path in actuals_files]
    updated = load_instance(updated_file) if updated_file is not None else None
    name = (updated or loaded.plan.instance).name
    out = out_dir if out_dir is not None else default_output_dir(name, f"-revised-{year}")
    target = out / REVISED_INSTANCE_FILE
    revision = revise_instance(
        loaded.plan, year, actuals=actuals, updated=updated,
        updated_source=str(updated_file) if updated_file is not None else None,
        extend=extend, target=str(target), origin=loaded.label,
        command=_command_text(loaded.run.id if loaded.run is not None else previous, year,
                              actuals_files, updated_file, extend))
    console.print(f"Revision {year} of {escape(loaded.label)}:", highlight=False)
    for note in revision.notes:
        console.print(f"  {escape(note)}", highlight=False)

    plan = solve(revision.instance, time_limit_seconds=time_limit, mip_gap=mip_gap,
                 threads=threads, priority=priority)
    # The plan names the revised file it was solved from, as `planner solve` would.
    plan.metadata |= {
        "instance_file": str(target),
        "instance_sha256": hashlib.sha256(revision.text.encode("utf-8")).hexdigest(),
        "overrides": []}
    if "unspent" in plan.tables:  # money left while demand goes unserved: confirm why
        confirm_largest(plan, time_limit_seconds=time_limit, mip_gap=mip_gap, threads=threads)
    check_interrupted()
    if quiet:
        objective = "–" if plan.objective_mnok is None else f"{plan.objective_mnok:.3f} MNOK"
        console.print(f"{escape(name)} revised {year}: {plan.status}, objective {objective}")
    else:
        print_plan(plan, console)
    details = {"year": year, "actuals": [str(path) for path in actuals_files],
               "instance": str(updated_file) if updated_file is not None else None,
               "extend": extend, "previous": loaded.label}
    status = EXIT_STATUS[plan.status]
    check_interrupted()
    # The run is recorded in a transaction committed once the files are written: its id
    # names the revised plan in the diff, and a failed write records nothing.
    with recording_for_cli("revise", revision.text, [], plan, store,
                           parent=loaded.run.id if loaded.run is not None else None,
                           details=details) as run_id:
        after_label = f"run {run_id} (revise {year})" if run_id else f"revised plan ({year})"
        diff = diff_plans(loaded.plan, plan, loaded.label, after_label)
        files = {REVISED_INSTANCE_FILE: revision.text}
        if plan.has_plan:
            # plan.json is renamed into place last: a directory with a new plan.json has
            # the rest of that run's files too, even if the process was killed while writing.
            tables = plan_files(plan)
            plan_json = tables.pop("plan.json")
            files |= tables
            files["diff.json"] = json.dumps(diff.to_document(), indent=2, ensure_ascii=False,
                                            allow_nan=False) + "\n"
            files["plan.json"] = plan_json
        written = write_files_atomically(out, files)
    print_diff(diff, console)
    if plan.has_plan:
        console.print(f"Wrote {len(written)} files to {escape(out)}/ (the revised instance, "
                      "plan.json, CSV tables and diff.json)")
        if plan.status != "optimal":
            console.print("[yellow]The plan is the best found when the solver stopped; it is "
                          "not proven optimal.[/yellow]")
    else:
        fail(f"{target}: the revised instance has no plan ({plan.status}); it is written "
             f"for inspection (try `planner explain {target}`), nothing else.", status)
    sys.exit(int(status))
