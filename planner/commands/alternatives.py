"""`planner alternatives FILE`: the plans that cost almost the same as the optimum."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from planner.analyses.alternatives import (
    DEFAULT_COUNT,
    DEFAULT_SLACK,
    Alternatives,
    not_offered,
    parse_spread,
    run_alternatives,
)
from planner.analyses.jobs import default_workers
from planner.commands.base import (
    console,
    fail,
    interruptible,
    main,
    solver_options,
    store_option,
    user_errors,
)
from planner.input.errors import InputError
from planner.input.loading import load_instance, read_instance_data
from planner.results.output import plan_files, write_files_atomically
from planner.results.plan import Plan
from planner.results.translations import LANGUAGES, Translator
from planner.solving.interrupts import check_interrupted
from planner.solving.solver import EXIT_STATUS, OPTIMAL, SolverOptions
from planner.store import open_store, store_path
from planner.views.alternatives import (
    alternatives_page,
    end_text,
    figure,
    page_name,
    quantity_label,
    range_sentence,
    unit_text,
)


@main.command(name="alternatives")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--slack", type=click.FloatRange(min=0), default=DEFAULT_SLACK,
              show_default=True,
              help="How much more than the optimum's cost (the objective) a plan may cost, "
                   "as a fraction: 0.05 is 5 %.")
@click.option("--spread", "spread", multiple=True, metavar="NAME",
              help="A quantity whose least and greatest value to find (repeatable): "
                   "eurohpc_investment, national_investment, operations, cloud_spending, "
                   "units:PRODUCT, capacity:WHERE:RESOURCE:YEAR, unserved:WORKLOAD "
                   "[default: EuroHPC and national investment, national GPU capacity in "
                   "the last year, cloud spending, each workload's unserved demand].")
@click.option("--count", type=click.IntRange(min=0), default=DEFAULT_COUNT,
              show_default=True,
              help="Then up to this many plans as different as possible from those found.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Directory for alternatives.json and a folder per plan "
                   "[default: reports/<name>-alternatives/].")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Local processes solving the ranges' ends [default: the number of cores].")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Solve the ranges' ends on this Dask scheduler instead of local processes.")
@click.option("--report", "report_format", type=click.Choice(["html"]),
              help="Also write the report page (alternatives.html) beside alternatives.json.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="Language of the report page.")
@solver_options
@store_option
@user_errors
@interruptible
def alternatives_command(file: Path, slack: float, spread: tuple[str, ...], count: int,
                         out_dir: Path | None, workers: int | None, scheduler: str | None,
                         report_format: str | None, lang: str, time_limit: float | None,
                         mip_gap: float, threads: int, priority: str,
                         store: Path | None) -> None:
    """The least and greatest value of each quantity among the plans that cost at most
    (1 + slack) × the optimum's cost, and plans different in kind (docs/alternatives.md)."""
    instance = load_instance(file)
    problem = not_offered(instance, priority)
    if problem is not None:
        if problem.path in ("scenarios", "priority"):  # in the file, not on the command line
            raise InputError(str(file), problem)
        raise InputError(problem.path, problem.message)
    quantities = parse_spread(spread, instance)
    options = SolverOptions(time_limit_seconds=time_limit, mip_gap=mip_gap, threads=threads)
    workers = workers or default_workers()
    solves = 2 * len(quantities)
    where = f"Dask at {scheduler}" if scheduler else f"{min(workers, solves)} process(es)"
    console.print(f"The optimum, then the least and greatest value of {len(quantities)} "
                  f"quantities within {100 * slack:g} % of its cost ({solves} ends, each the "
                  f"end then the cheapest plan there, on {where})"
                  + (f", then up to {count} different plan(s)" if count else ""),
                  highlight=False)
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                  transient=True) as progress:
        task = progress.add_task("solving", total=1 + solves + count)
        result = run_alternatives(instance, quantities, slack, options, count=count,
                                  workers=workers, scheduler=scheduler,
                                  on_result=lambda _solved: progress.advance(task))
    optimum = result.optimum
    if not optimum.has_plan:
        fail(f"{file}: the optimum has no plan ({optimum.status}); nothing written.",
             EXIT_STATUS[optimum.status])
    document = result.document()
    print_ranges(document)
    check_interrupted()  # a signal after the solves: write and record nothing
    target = out_dir if out_dir is not None else Path("reports") / f"{instance.name}-alternatives"
    files = alternatives_files(result, document, report_format, lang)
    write_files_atomically(target, files)
    console.print(f"Wrote alternatives.json and {len(result.plans())} plans (plan.json and "
                  f"CSV tables each) to {target}/", highlight=False)
    recorded = read_instance_data(file) if file.suffix.lower() == ".xlsx" else Path(file)
    path = store_path(store)
    with open_store(path) as runs:
        parent = None
        for name, solved in result.plans():
            plan = Plan.from_document(solved.plan_document)
            run_id = runs.record("alternative", recorded, [], plan, parent=parent, details={
                "role": solved.role, "quantity": solved.quantity, "slack": slack,
                "directory": name, "value": solved.values.get(solved.quantity)})
            parent = parent or run_id  # every alternative is made from the optimum
    console.print(f"Every plan is recorded in the run store {path} (kind alternative)",
                  highlight=False)
    stopped = [entry["name"] for entry in document["quantities"]
               if not (entry["min_proven"] and entry["max_proven"])]
    if optimum.status != OPTIMAL or stopped:
        console.print("[yellow]Some solves stopped before proving optimality; their ends are "
                      "bounds (at least / at most).[/yellow]")
        sys.exit(int(EXIT_STATUS["stopped_with_plan"]))
    sys.exit(0)


def alternatives_files(result: Alternatives, document: dict, report_format: str | None,
                       lang: str) -> dict[str, str]:
    """alternatives.json, each plan's folder, and the report page if asked for."""
    files = {"alternatives.json": json.dumps(document, indent=2, ensure_ascii=False,
                                             allow_nan=False) + "\n"}
    for name, solved in result.plans():
        plan = Plan.from_document(solved.plan_document)
        files |= {f"{name}/{file}": text for file, text in plan_files(plan).items()}
    if report_format == "html":
        metadata = result.optimum.plan_document["metadata"]
        files[page_name(lang)] = alternatives_page(document, metadata, Translator(lang))
    return files


def print_ranges(document: dict) -> None:
    tr = Translator("en")
    slack = document["slack"]
    view = Table(title=f"Ranges within {tr.percent(slack)} of the optimum's cost "
                       f"({tr.mnok(document['optimum_objective_mnok'])} MNOK; at most "
                       f"{tr.mnok(document['cost_bound_mnok'])} MNOK)",
                 caption="Each end is the cheapest plan reaching it; objective and spending "
                         "in MNOK.")
    # Two rows per quantity (its least and its greatest end) keep the table narrow enough
    # for an 80-column terminal; a figure is never split or cut, the quantity's words wrap.
    for column in ("Quantity", "Optimum", "End", "Value", "Objective", "Spending"):
        if column == "Quantity":
            view.add_column(column, min_width=12)
        else:
            view.add_column(column, justify="left" if column == "End" else "right",
                            no_wrap=True)
    for entry in document["quantities"]:
        style = None if entry["min_proven"] and entry["max_proven"] else "yellow"
        for sense, word in (("min", "least"), ("max", "greatest")):
            first = sense == "min"
            view.add_row(
                escape(f"{quantity_label(entry, tr)} ({unit_text(entry, tr)})") if first
                else "", figure(entry["optimum"], entry, tr) if first else "", word,
                end_text(entry, sense, tr), tr.mnok(entry[f"objective_at_{sense}_mnok"]),
                tr.mnok(entry[f"spending_at_{sense}_mnok"]), style=style,
                end_section=not first)
    console.print(view)
    for entry in document["quantities"]:
        console.print(escape(range_sentence(entry, slack, tr)), highlight=False)
    for number, plan in enumerate(document["different"], start=1):
        console.print(f"Different plan {number}: objective {tr.mnok(plan['objective_mnok'])} "
                      f"MNOK, spending {tr.mnok(plan['spending_mnok'])} MNOK "
                      f"({escape(plan['plan'] or '–')})", highlight=False)
    if document["different_asked"] and len(document["different"]) < document["different_asked"]:
        console.print(f"{len(document['different'])} of {document['different_asked']} "
                      "different plans asked for were found; the next was no different from "
                      "those before it.", highlight=False)
