"""`planner report PLAN_OR_RUN --format html|xlsx|md [--lang en|nb] [--out FILE]`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import click

from planner.commands.base import console, main, user_errors
from planner.commands.runs import load_run_or_plan, warn_if_modified
from planner.results.output import plan_files, write_files_atomically
from planner.results.plan import Plan
from planner.results.translations import LANGUAGES
from planner.views.reports import (
    FORMATS,
    default_report_folder,
    render_report,
    report_name,
    write_report,
)
from planner.views.text import escape


def load_plan(reference: str, store: Path | None = None) -> Plan:
    """A plan.json file, a directory holding one (as `planner solve --out` writes), or a
    run id (or its first digits) in the run store."""
    path = Path(reference)
    if path.is_dir() and (path / "plan.json").is_file():
        plan = Plan.from_json_file(path / "plan.json")
        warn_if_modified(plan, str(path / "plan.json"))
        return plan
    return load_run_or_plan(reference, store).plan


def _beside(reference: str) -> Path | None:
    """The folder of the plan.json a reference names (a directory holding one, or the
    file), where its report belongs; None for a run id."""
    path = Path(reference)
    if path.is_dir() and (path / "plan.json").is_file():
        return path
    if path.is_file():
        return path.parent
    return None


def write_plan_and_reports(plan: Plan, out_dir: Path | None,
                           report_formats: tuple[str, ...], lang: str,
                           recording: Callable[[str], contextlib.AbstractContextManager]
                           | None = None) -> Path:
    """Write plan.json, the CSV tables and each requested report into `out_dir` (default
    reports/<slug of the name>/), all or none; say what was written. `recording(text)`
    (a `recording_for_cli(..., plan_json=text)`, given plan.json's text so that the plan
    is written out once) records the run only once the files are written. Returns the
    directory."""
    target = out_dir if out_dir is not None else default_report_folder(plan)
    reports = {report_name(fmt, lang): render_report(plan, fmt, lang)
               for fmt in dict.fromkeys(report_formats)}
    files = plan_files(plan)
    plan_json = files.pop("plan.json")
    files |= reports
    files["plan.json"] = plan_json  # renamed into place last
    with recording(plan_json) if recording is not None else contextlib.nullcontext():
        write_files_atomically(target, files)
    console.print(f"Wrote {len(files) - len(reports)} files to {escape(target)}/ (plan.json and "
                  "CSV tables)", highlight=False)
    for name in reports:
        console.print(f"Wrote {escape(target / name)}", highlight=False)
    return target


@main.command(name="report")
@click.argument("plan_or_run", metavar="PLAN_OR_RUN")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True,
              help="html: one self-contained page with charts; xlsx: an Excel workbook; "
                   "md: Markdown for a memo.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="Language of the report: English or Norwegian (bokmål).")
@click.option("--out", type=click.Path(path_type=Path), metavar="FILE",
              help="File to write [default: report.<format> (report.nb.<format> in "
                   "Norwegian) beside the plan.json read, or for a run id in "
                   "reports/<name>/ (reports/<name>-revised-<year>/ for a revised plan)].")
@click.option("--store", type=click.Path(path_type=Path), metavar="FILE",
              help="Run store to look a run id up in [default: the planner's own].")
@user_errors
def report_command(plan_or_run: str, fmt: str, lang: str, out: Path | None,
                   store: Path | None) -> None:
    """Write a report of a plan: PLAN_OR_RUN is a plan.json, a directory holding one, or a
    run id of the run store."""
    plan = load_plan(plan_or_run, store)
    if out is None:
        out = _beside(plan_or_run)
        out = out / report_name(fmt, lang) if out is not None else None
    written = write_report(plan, fmt, lang, out)
    console.print(f"Wrote {escape(written)}", highlight=False)
