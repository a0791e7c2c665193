"""`planner diff RUN_A RUN_B`: what changed between two plans, and the inputs that explain it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from planner.commands.base import console, main, store_option, user_errors
from planner.commands.runs import load_run_or_plan
from planner.results.output import OUTPUT_ROOT, slug, write_file_atomically
from planner.results.plan_diff import diff_plans
from planner.views.diff import print_diff
from planner.views.text import escape


@main.command(name="diff")
@click.argument("run_a")
@click.argument("run_b")
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
@click.option("--report", "report_format", type=click.Choice(["html"]),
              help="Also write the diff's report page.")
@click.option("--lang", type=click.Choice(["en", "nb"]), default="en", show_default=True,
              help="Language of the report page.")
@click.option("--out", "out_file", type=click.Path(path_type=Path),
              help="The report page's file [default: reports/diff-<A>-<B>.html].")
@user_errors
def diff_command(run_a: str, run_b: str, store: Path | None, as_json: bool,
                 report_format: str | None, lang: str, out_file: Path | None) -> None:
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
    if report_format == "html":
        # Lazy: the report pages load matplotlib, which a terminal diff does not need.
        from planner.views.reports.pages import render_diff_html

        suffix = "" if lang == "en" else f".{lang}"
        target = out_file or OUTPUT_ROOT / slug(
            f"diff-{_file_part(run_a)}-{_file_part(run_b)}{suffix}.html")
        write_file_atomically(target, render_diff_html(diff, lang).encode("utf-8"))
        console.print(f"Wrote {escape(target)}")


def _file_part(reference: str) -> str:
    """A run id as it is, a plan.json path as its directory's name."""
    path = Path(reference)
    if path.suffix == ".json":
        path = path.parent
    return "".join(character for character in path.name if character.isalnum() or
                   character in "-_") or "plan"
