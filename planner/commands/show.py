"""`planner show RUN`: a stored plan, printed as `planner solve` prints it."""

from __future__ import annotations

from pathlib import Path

import click

from planner.commands.base import console, main, store_option, user_errors
from planner.commands.runs import detail_lines, load_run_or_plan
from planner.results.output import plan_files, write_files_atomically
from planner.views.console import print_plan
from planner.views.text import escape


@main.command(name="show")
@click.argument("run")
@store_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Also write the run's plan.json, CSV tables and instance.yaml here.")
@user_errors
def show_command(run: str, store: Path | None, out_dir: Path | None) -> None:
    """Print a stored plan: RUN is a run id (or its first digits) or a plan.json file."""
    loaded = load_run_or_plan(run, store)
    stored = loaded.run
    console.print(f"[bold]{escape(loaded.label)}[/bold]", highlight=False)
    if stored is not None:
        lines = [f"instance {stored.instance_name}"
                 + (f" from {stored.instance_file}" if stored.instance_file else ""),
                 f"instance text sha256 {stored.instance_sha256[:16]}…"]
        if stored.overrides:
            lines.append("overrides: " + " ".join(f"--set {o}" for o in stored.overrides))
        if stored.parent:
            lines.append(f"made from run {stored.parent}")
        lines += detail_lines(stored)
        for line in lines:
            console.print(f"  {escape(line)}", highlight=False)
    print_plan(loaded.plan, console)
    if out_dir is not None:
        files = {}
        if stored is not None:
            files["instance.yaml"] = stored.instance_text
        files |= plan_files(loaded.plan) if loaded.plan.has_plan else {}
        written = write_files_atomically(out_dir, files)
        console.print(f"Wrote {len(written)} files to {escape(out_dir)}/")
