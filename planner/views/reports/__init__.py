"""Reports a reader understands without the terminal: HTML with charts, Excel, Markdown,
in English or Norwegian (docs/reports.md).

    from planner.views.reports import write_report
    write_report(plan, "html", "nb")      # reports/<instance name>/report.nb.html
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from planner.results.output import default_output_dir, write_file_atomically

if TYPE_CHECKING:
    from planner.results.plan import Plan

__all__ = ["FORMATS", "default_report_path", "render_report", "report_name",
           "write_report"]

FORMATS = ("html", "xlsx", "md")
SUFFIXES = {"html": ".html", "xlsx": ".xlsx", "md": ".md"}


def render_report(plan: Plan, fmt: str, lang: str = "en") -> bytes:
    """The report's bytes in one format and language."""
    if fmt == "html":
        from planner.views.reports.html import render_plan_html

        return render_plan_html(plan, lang).encode("utf-8")
    if fmt == "xlsx":
        from planner.views.reports.xlsx import render_plan_xlsx

        return render_plan_xlsx(plan, lang)
    if fmt == "md":
        from planner.views.reports.markdown import render_plan_markdown

        return render_plan_markdown(plan, lang).encode("utf-8")
    raise ValueError(f"report format must be one of {FORMATS}, got {fmt!r}")


def report_name(fmt: str, lang: str = "en") -> str:
    """`report.html` in English, `report.nb.html` in Norwegian."""
    return f"report{'' if lang == 'en' else '.' + lang}{SUFFIXES[fmt]}"


def revision_year(plan: Plan) -> int | None:
    """The revision year of a plan with history years (`plan_from` after the first year,
    as `planner revise` makes it), else None."""
    instance = plan.instance
    year = instance.first_plan_year
    return year if year > instance.years.first else None


def default_report_folder(plan: Plan) -> Path:
    """reports/<name>/, or for a revised plan reports/<name>-revised-<year>/, the folder
    `planner revise` writes it to (never beside the original plan)."""
    year = revision_year(plan)
    suffix = "" if year is None else f"-revised-{year}"
    return default_output_dir(plan.instance.name, suffix)


def default_report_path(plan: Plan, fmt: str, lang: str = "en") -> Path:
    return default_report_folder(plan) / report_name(fmt, lang)


def write_report(plan: Plan, fmt: str, lang: str = "en", out: str | Path | None = None) -> Path:
    """Render and write a report; returns the file written."""
    target = Path(out) if out is not None else default_report_path(plan, fmt, lang)
    return write_file_atomically(target, render_report(plan, fmt, lang))
