"""`planner report PLAN_OR_RUN --format html|xlsx|md [--lang en|nb] [--out FILE]`."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli import console, main, user_errors
from planner.errors import InputError
from planner.plan import Plan
from planner.reports import FORMATS, report_name, write_report
from planner.reports.translations import LANGUAGES


def load_plan(reference: str, store: Path | None = None) -> Plan:
    """A plan.json file, a directory holding one (as `planner solve --out` writes), or a
    run id (or its first digits) in the run store."""
    path = Path(reference)
    if path.is_dir() and (path / "plan.json").is_file():
        return Plan.from_json_file(path / "plan.json")
    if path.is_file():
        return Plan.from_json_file(path)
    try:
        from planner.commands.runs import load_run_or_plan
    except ImportError:  # a planner without a run store
        raise InputError(reference, "file not found (expected a plan.json file or a "
                                    "directory holding one)") from None
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


def report_options(command):
    """--report (repeatable) and --lang, for commands that write reports as they go."""
    command = click.option("--lang", type=click.Choice(LANGUAGES), default="en",
                           show_default=True,
                           help="Language of the report: English or Norwegian (bokmål).")(command)
    return click.option("--report", "report_formats", type=click.Choice(FORMATS),
                        multiple=True,
                        help="Also write a report in this format (repeatable).")(command)


def write_plan_and_reports(plan: Plan, out_dir: Path | None,
                           report_formats: tuple[str, ...], lang: str) -> Path:
    """Write plan.json and the CSV tables into `out_dir` (default reports/<name>/), then
    each requested report beside them; say what was written. Returns the directory."""
    from planner.output import write_plan
    from planner.reports import default_report_folder

    target = out_dir if out_dir is not None else default_report_folder(plan)
    written = write_plan(plan, target)
    console.print(f"Wrote {len(written)} files to {target}/ (plan.json and CSV tables)")
    for fmt in dict.fromkeys(report_formats):
        path = write_report(plan, fmt, lang, target / report_name(fmt, lang))
        console.print(f"Wrote {path}", highlight=False)
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
    console.print(f"Wrote {written}", highlight=False)
