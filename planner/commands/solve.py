"""`planner solve FILE`: solve, print, write plan.json and the CSV tables."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.analyses.facade import solve
from planner.commands.base import (
    console,
    fail,
    interruptible,
    main,
    overrides_option,
    report_options,
    solver_options,
    store_option,
    user_errors,
)
from planner.input.errors import InputError
from planner.input.loading import load_instance, read_instance_data
from planner.input.schema import Instance
from planner.solving.collection import no_collections
from planner.solving.interrupts import check_interrupted
from planner.solving.model_file import MODEL_FILE_SUFFIXES
from planner.solving.solver import EXIT_STATUS, INFEASIBLE
from planner.solving.warmup import import_while_solving
from planner.views.text import escape

# What the command needs once it has a plan (pandas, the views, the run store): imported
# while HiGHS solves (planner.solving.warmup).
AFTER_THE_SOLVE = ("planner.analyses.unspent", "planner.views.console",
                   "planner.commands.report", "planner.commands.runs")


def _infeasible_explanation(instance: Instance) -> str:
    rules = []
    if any(getattr(instance.budget, key) is not None for key in
           ("total", "yearly", "investment", "national_investment", "eurohpc_investment",
            "operations")):
        rules.append("budget caps (budget.*)")
    if any(w.min_coverage > 0 for w in instance.workloads.values()):
        rules.append("minimum coverage (workloads.*.min_coverage)")
    if instance.policy.eurohpc_share is not None:
        rules.append("the EuroHPC share (policy.eurohpc_share)")
    if instance.policy.national_share is not None:
        rules.append("the national share (policy.national_share)")
    if any(pool.limit for pool in instance.pools.values()):
        rules.append("pool limits (pools.*.limit)")
    if instance.committed:
        rules.append("commitments (committed), whose spending counts against the caps")
    listed = "; ".join(rules) or "none found"
    return ("no plan satisfies every cap and rule together. The rules that can conflict "
            f"in this instance: {listed}. `planner explain FILE` says which relaxation, in "
            "MNOK or as a share, would restore a plan.")


@main.command(name="solve")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Directory for plan.json and the CSV tables [default: reports/<name>/].")
@overrides_option
@solver_options
@click.option("--write-model", type=click.Path(path_type=Path), metavar="FILE.mps|FILE.lp",
              help="Also write the model as MPS or LP, for other solvers.")
@click.option("--quiet", is_flag=True, help="Print only the status line.")
@report_options
@store_option
@user_errors
@interruptible
@no_collections()
def solve_command(file: Path, out_dir: Path | None, overrides: tuple[str, ...],
                  time_limit: float | None, mip_gap: float, threads: int, priority: str,
                  write_model: Path | None, quiet: bool, store: Path | None,
                  report_formats: tuple[str, ...] = (), lang: str = "en") -> None:
    """Solve an instance file and write its plan (plan.json and CSV tables)."""
    if write_model is not None and write_model.suffix.lower() not in MODEL_FILE_SUFFIXES:
        raise InputError("--write-model", f"expected a file name ending in .mps or .lp, "
                                          f"got {str(write_model)!r}")
    instance = load_instance(file, overrides)
    with import_while_solving(*AFTER_THE_SOLVE):
        plan = solve(instance, time_limit_seconds=time_limit, mip_gap=mip_gap,
                     threads=threads, priority=priority, write_model=write_model,
                     instance_file=file)
    from planner.analyses.unspent import confirm_largest
    from planner.commands.report import write_plan_and_reports
    from planner.commands.runs import record_for_cli, recording_for_cli
    from planner.views.console import print_plan

    plan.metadata |= {"overrides": list(overrides)}
    if "unspent" in plan.tables:  # money left while demand goes unserved: confirm the reason
        confirm_largest(plan, time_limit_seconds=time_limit, mip_gap=mip_gap, threads=threads)
    if quiet:
        objective = "–" if plan.objective_mnok is None else f"{plan.objective_mnok:.3f} MNOK"
        console.print(f"{escape(instance.name)}: {plan.status}, objective {objective}")
    else:
        print_plan(plan, console)
    check_interrupted()  # a signal after the solve: record and write nothing
    recorded = read_instance_data(file) if file.suffix.lower() == ".xlsx" else Path(file)
    status = EXIT_STATUS[plan.status]
    if plan.has_plan:
        # Every solve goes into the run store, once its files are written.
        write_plan_and_reports(plan, out_dir, report_formats, lang, lambda text: (
            recording_for_cli("solve", recorded, overrides, plan, store, plan_json=text)))
        if plan.status != "optimal":
            console.print("[yellow]The plan is the best found when the solver stopped; it is "
                          "not proven optimal.[/yellow]")
        sys.exit(int(status))
    record_for_cli("solve", recorded, overrides, plan, store)  # no plan, no files to write
    if plan.status == INFEASIBLE:
        fail(f"{file}: {_infeasible_explanation(instance)} Nothing written.", status)
    else:
        fail(f"{file}: {plan.status} ({plan.metadata['termination']}); nothing written.",
              status)
    sys.exit(int(status))
