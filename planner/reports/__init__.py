"""Reports a reader understands without the terminal: HTML with charts, Excel, Markdown,
in English or Norwegian (docs/reports.md).

    from planner.reports import write_report
    write_report(plan, "html", "nb")      # reports/<instance name>/report.nb.html
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from planner.plan import Plan

FORMATS = ("html", "xlsx", "md")
SUFFIXES = {"html": ".html", "xlsx": ".xlsx", "md": ".md"}


def render_report(plan: Plan, fmt: str, lang: str = "en") -> bytes:
    """The report's bytes in one format and language."""
    if fmt == "html":
        from planner.reports.html import render_plan_html

        return render_plan_html(plan, lang).encode("utf-8")
    if fmt == "xlsx":
        from planner.reports.xlsx import render_plan_xlsx

        return render_plan_xlsx(plan, lang)
    if fmt == "md":
        from planner.reports.markdown import render_plan_markdown

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
    name = plan.instance.name if year is None else f"{plan.instance.name}-revised-{year}"
    return Path("reports") / name


def default_report_path(plan: Plan, fmt: str, lang: str = "en") -> Path:
    return default_report_folder(plan) / report_name(fmt, lang)


def write_bytes_atomically(path: str | Path, content: bytes) -> Path:
    """Write a file whole or not at all (a temporary file beside it, then renamed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # a report is for sharing: the usual permissions
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return path


def write_report(plan: Plan, fmt: str, lang: str = "en", out: str | Path | None = None) -> Path:
    """Render and write a report; returns the file written."""
    target = Path(out) if out is not None else default_report_path(plan, fmt, lang)
    return write_bytes_atomically(target, render_report(plan, fmt, lang))
