"""`planner diff RUN_A RUN_B`: what changed between two plans, and the inputs that explain it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from planner.cli import console, main, user_errors
from planner.commands.runs import load_run_or_plan, store_option
from planner.plan_diff import diff_plans, print_diff


@main.command(name="diff")
@click.argument("run_a")
@click.argument("run_b")
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
@user_errors
def diff_command(run_a: str, run_b: str, store: Path | None, as_json: bool) -> None:
    """Compare two plans: each a run id (or its first digits) or a plan.json file.

    Shows the inputs that changed (demand, prices, budget, policy, commitments, ...) and
    what changed in the plan: cost summary, financing lines, purchases, capacity in
    service and demand served."""
    before = load_run_or_plan(run_a, store)
    after = load_run_or_plan(run_b, store)
    diff = diff_plans(before.plan, after.plan, before.label, after.label)
    if as_json:
        console.print_json(json.dumps(diff.to_document(), allow_nan=False))
    else:
        print_diff(diff, console)
