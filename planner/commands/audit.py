"""`planner audit FILE --financing lines.csv`: a hand-made financing plan against the optimum."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.analyses.audit import audit, read_financing
from planner.commands.base import (
    console,
    interruptible,
    main,
    overrides_option,
    report_options,
    solver_options,
    user_errors,
)
from planner.input.errors import ExitStatus
from planner.input.loading import load_instance
from planner.results.output import default_output_dir, write_file_atomically
from planner.solving.interrupts import check_interrupted
from planner.solving.solver import SolverOptions
from planner.views.audit import print_audit, render_audit
from planner.views.text import escape


@main.command(name="audit")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--financing", "financing", type=click.Path(path_type=Path), required=True,
              help="CSV: a `line` column and one column per year; rows national_investment, "
                   "operations, eurohpc_investment and optionally sum_printed (MNOK).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Directory for the report [default: reports/<instance name>/].")
@overrides_option
@solver_options
@report_options
@user_errors
@interruptible
def audit_command(file: Path, financing: Path, out_dir: Path | None,
                  overrides: tuple[str, ...], time_limit: float | None, mip_gap: float,
                  threads: int, priority: str | None, report_formats: tuple[str, ...] = (),
                  lang: str = "en") -> None:
    """Check a financing plan (the report's Tabell 1) and set it beside the optimal plans."""
    instance = load_instance(file, overrides)
    lines = read_financing(financing, instance)  # bad input: exit 2 before any solve
    options = SolverOptions(time_limit_seconds=time_limit, mip_gap=mip_gap, threads=threads)
    result = audit(instance, lines, options, priority)
    print_audit(result, console, lang)
    check_interrupted()  # a signal after the solves: write nothing
    directory = out_dir if out_dir is not None else default_output_dir(instance.name)
    suffix = "" if lang == "en" else f".{lang}"
    for fmt in report_formats:
        written = write_file_atomically(directory / f"audit{suffix}.{fmt}",
                                        render_audit(result, fmt, lang))
        console.print(f"Wrote {escape(written)}", highlight=False)
    worst = max((plan.plan for plan in result.plans), key=lambda p: 0 if p.has_plan else 1)
    sys.exit(int(ExitStatus.OPTIMAL if worst.has_plan else ExitStatus.INFEASIBLE))
