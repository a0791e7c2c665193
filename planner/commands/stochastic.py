"""`planner stochastic FILE`: the two-stage plan, and what planning for scenarios is worth."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.table import Table

from planner.analyses.jobs import default_workers
from planner.analyses.stochastic import ValueOfInformation, value_of_information
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
from planner.commands.report import write_plan_and_reports
from planner.commands.runs import recording_for_cli
from planner.input.errors import InputError, Problem
from planner.input.loading import load_instance, read_instance_data
from planner.results.plan import Plan
from planner.results.rounding import add_shown, money
from planner.solving.interrupts import check_interrupted
from planner.solving.solver import EXIT_STATUS, OPTIMAL, SolverOptions
from planner.views.console import amount, mnok, percent, print_plan
from planner.views.text import escape


@main.command(name="stochastic")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Directory for plan.json and the CSV tables [default: reports/<name>/].")
@overrides_option
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Local processes solving the scenario subproblems [default: the number "
                   "of cores].")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Solve the scenario subproblems on this Dask scheduler instead.")
@solver_options
@click.option("--quiet", is_flag=True, help="Print only the value of information, not the plan.")
@report_options
@store_option
@user_errors
@interruptible
def stochastic_command(file: Path, out_dir: Path | None, overrides: tuple[str, ...],
                       workers: int | None, scheduler: str | None, time_limit: float | None,
                       mip_gap: float, threads: int, priority: str, quiet: bool,
                       store: Path | None, report_formats: tuple[str, ...] = (),
                       lang: str = "en") -> None:
    """Two-stage plan of an instance with scenarios, with its EVPI and VSS in MNOK."""
    instance = load_instance(file, overrides)
    if not instance.scenarios:
        raise InputError(str(file), Problem("scenarios", "this instance has no scenarios; "
                                                         "`planner stochastic` needs them"))
    if priority not in (None, "cost"):
        raise InputError("--priority", "only priority 'cost' is available for an instance "
                                       "with scenarios (its objective is the expected cost)")
    options = SolverOptions(time_limit_seconds=time_limit, mip_gap=mip_gap, threads=threads)
    workers = workers or default_workers()
    count = len(instance.scenarios)
    where = f"Dask at {escape(scheduler)}" if scheduler else \
        f"{min(workers, count + 1)} process(es)"
    console.print(f"Solving the two-stage plan of {count} scenarios (extensive form), then "
                  f"each scenario alone, the expected-value problem and each scenario with its "
                  f"purchases decided now, on {where}")
    report = value_of_information(instance, options, workers=workers, scheduler=scheduler,
                                  instance_file=file)
    plan = report.plan
    if not quiet or not plan.has_plan:
        print_plan(plan, console)
    status = EXIT_STATUS[plan.status]
    if not plan.has_plan:
        fail(f"{file}: the two-stage problem is {plan.status} "
             f"({plan.metadata['termination']}); nothing written.", status)
    print_value_of_information(report)
    check_interrupted()  # a signal after the solves: record and write nothing
    plan.metadata |= {"overrides": list(overrides)}
    recorded = read_instance_data(file) if file.suffix.lower() == ".xlsx" else Path(file)
    details = {key: plan.summary.get(key) for key in ("evpi_mnok", "vss_mnok", "eev_mnok",
                                                      "wait_and_see_mnok")}
    write_plan_and_reports(plan, out_dir, report_formats, lang, lambda text: (
        recording_for_cli("stochastic", recorded, overrides, plan, store, details=details,
                          plan_json=text)))
    sys.exit(int(status))


def _decided(plan: Plan) -> str:
    return ", ".join(str(year) for year in plan.metadata["decide_now"])


def print_value_of_information(report: ValueOfInformation) -> None:
    plan = report.plan
    console.rule("[bold]What planning for the scenarios is worth[/bold]")
    view = Table(title="Expected cost per scenario (MNOK)", caption=(
        "Two-stage: this plan. Alone: the scenario's own optimum, as if it were known "
        "beforehand (wait-and-see). EV first stage: the scenario re-optimised with the "
        "purchases decided now fixed at the expected-value plan's."))
    for column in ("Scenario", "Probability", "Two-stage", "Alone", "EV first stage"):
        view.add_column(column, justify="left" if column == "Scenario" else "right")
    for _, row in report.table().iterrows():
        fixed = mnok(row["ev_first_stage_mnok"]) if row["ev_first_stage_status"] == OPTIMAL \
            else f"[red]{row['ev_first_stage_status']}[/red]"
        alone = mnok(row["alone_mnok"]) if row["alone_status"] == OPTIMAL \
            else f"[red]{row['alone_status']}[/red]"
        view.add_row(escape(row["scenario"]), percent(row["probability"]),
                     mnok(row["two_stage_mnok"]), alone, fixed)
    view.add_row("expected (RP, WS, EEV)", "100.0 %", mnok(report.rp_mnok),
                 mnok(report.ws_mnok), mnok(report.eev_mnok), style="bold")
    console.print(view)
    for line in value_sentences(report):
        console.print(line)
    ev = report.expected_value
    if ev is not None and ev.status == OPTIMAL:
        table = Table(
            title=f"The expected-value plan's purchases decided now ({_decided(plan)}), "
                  "used for EEV",
            caption=f"EV problem: every demand factor, growth and price factor at its "
                    f"probability-weighted mean; optimum {mnok(ev.objective_mnok)} MNOK. "
                    "Where it has several optimal plans, EEV depends on the one taken: "
                    "this one.")
        for column in ("Product", "Year", "Tier", "Units", "Batch"):
            table.add_column(column, justify="right" if column == "Units" else "left")
        for _, row in report.ev_purchases().iterrows():
            table.add_row(escape(row["product"]), str(row["year"]), escape(row["tier"]),
                          amount(row["units"]),
                          "yes" if row["batch"] else "")
        if not table.row_count:
            table.add_row("nothing bought", "", "", "", "")
        console.print(table)


def value_sentences(report: ValueOfInformation) -> list[str]:
    """EVPI and VSS in MNOK, each with what it means for the planner."""
    plan = report.plan
    decided = _decided(plan)
    gap = plan.metadata["mip_gap_requested"]
    tolerance = gap * abs(report.rp_mnok or 0.0)
    lines = []
    # RP, WS and EEV as every view shows them; EVPI and VSS the differences of those.
    rp, ws, eev = (money(value) for value in (report.rp_mnok, report.ws_mnok,
                                              report.eev_mnok))
    if report.evpi_mnok is None:
        lines.append("EVPI: not available (some scenario alone was not solved to optimality, "
                     "or the two-stage plan is not proven optimal).")
    else:
        evpi = add_shown([rp, -ws]) if rp is not None and ws is not None else report.evpi_mnok
        lines.append(
            f"[bold]EVPI = RP − WS = {mnok(rp)} − {mnok(ws)} = {mnok(evpi)} MNOK.[/bold] "
            "Knowing which scenario comes before deciding the "
            f"{decided} purchases would lower the expected cost by {mnok(evpi)} MNOK: the most "
            "that better forecasts of demand and prices, or waiting for them, are worth.")
    unbounded = report.vss_unbounded_in
    ev = report.expected_value
    if unbounded:
        lines.append(
            f"[bold red]VSS is unbounded:[/bold red] with the expected-value plan's purchases "
            f"decided now, scenario(s) {escape(', '.join(unbounded))} have no feasible plan "
            "(a cap, rule or commitment cannot be met). Deciding from the average forecast could "
            "leave the planner unable to keep the rules there; the two-stage plan avoids it.")
    elif ev is None or ev.status != OPTIMAL:
        status = "not solved" if ev is None else ev.status
        lines.append(f"VSS: not defined; the expected-value problem has no optimal plan "
                     f"({status}).")
    elif report.vss_mnok is None:
        lines.append("VSS: not available (some scenario with the EV purchases was not solved "
                     "to optimality).")
    else:
        vss = add_shown([eev, -rp]) if rp is not None and eev is not None else report.vss_mnok
        lines.append(
            f"[bold]VSS = EEV − RP = {mnok(eev)} − {mnok(rp)} = {mnok(vss)} MNOK.[/bold] "
            f"Deciding the {decided} purchases from the average "
            f"forecast and adapting afterwards would cost {mnok(vss)} MNOK more in expectation "
            "than this two-stage plan: what planning for the spread of outcomes, not their "
            "average, is worth."
            + (" Here the average forecast's purchases do as well, within the MIP gap."
               if abs(vss) <= tolerance else ""))
    if tolerance >= 0.05:
        lines.append(f"Each optimum is within the MIP gap ({gap:g}, about {mnok(tolerance)} "
                     "MNOK here), and so are EVPI and VSS.")
    return lines
