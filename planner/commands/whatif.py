"""`planner whatif FILE --set ...`: the base plan and a variant side by side."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pandas as pd
from rich.table import Table
from rich.text import Text

from planner.analyses.whatif import whatif
from planner.commands.base import (
    console,
    main,
    overrides_option,
    solver_options,
    store_option,
    user_errors,
)
from planner.commands.runs import record_for_cli
from planner.input.errors import ExitStatus, InputError
from planner.input.loading import load_instance
from planner.results.figures import FINANCING_PARTS, financing_figures
from planner.results.plan import Plan
from planner.results.plan_diff import expected_plan
from planner.results.translations import Translator
from planner.solving.solver import EXIT_STATUS, SolverOptions
from planner.views.console import amount, mnok
from planner.views.text import escape

ARROW = " → "
ENGLISH = Translator("en")


def _pair(before: float, after: float, money: bool = False) -> Text:
    """`before → after` (money as displayed: two figures shown the same are no change)."""
    show = mnok if money else amount
    if show(before) == show(after):
        return Text(show(before))
    return Text(f"{show(before)}{ARROW}").append(show(after), style="bold")


def _signed_mnok(value: float) -> str:
    shown = mnok(abs(value))
    return shown if shown == mnok(0.0) else ("+" if value > 0 else "−") + shown


def _financing(base: Plan, variant: Plan) -> Table:
    """Tabell 1 of both plans as every view shows it, cell by cell."""
    before, after = (financing_figures(plan.financing) for plan in (base, variant))
    view = Table(title="Financing plan, base → variant (MNOK)")
    view.add_column("Line")
    for year in before.years:
        view.add_column(year, justify="right", no_wrap=True)
    view.add_column("Total", justify="right", no_wrap=True)
    for line in (*FINANCING_PARTS, "sum"):
        view.add_row(ENGLISH(f"line.{line}"),
                     *(_pair(before.cell[line][year], after.cell[line].get(year, 0.0), True)
                       for year in before.years),
                     _pair(before.total[line], after.total[line], True))
    return view


def _by_year(title: str, keys: list[str], value: str, base: pd.DataFrame,
             variant: pd.DataFrame) -> Table:
    years = sorted(set(base["year"]) | set(variant["year"]))
    merged = base.merge(variant, on=[*keys, "year"], how="outer", suffixes=("_base", "_variant"))
    merged = merged.fillna({f"{value}_base": 0.0, f"{value}_variant": 0.0})
    view = Table(title=title)
    for key in keys:
        view.add_column(key.capitalize())
    for year in years:
        view.add_column(str(year), justify="right", no_wrap=True)
    for key_values, rows in merged.groupby(keys, sort=False):
        cells = {row["year"]: _pair(row[f"{value}_base"], row[f"{value}_variant"])
                 for _, row in rows.iterrows()}
        key_values = key_values if isinstance(key_values, tuple) else (key_values,)
        view.add_row(*(Text(str(value)) for value in key_values),
                     *(cells.get(year, "") for year in years))
    return view


@main.command(name="whatif")
@click.argument("file", type=click.Path(path_type=Path))
@overrides_option
@solver_options
@click.option("--top", type=click.IntRange(min=1), default=25, show_default=True,
              help="How many differences to list.")
@store_option
@user_errors
def whatif_command(file: Path, overrides: tuple[str, ...], time_limit: float | None,
                   mip_gap: float, threads: int, priority: str, top: int,
                   store: Path | None) -> None:
    """Solve the base instance and the variant given by --set, side by side."""
    if not overrides:
        raise InputError("--set", "a what-if needs at least one --set KEY.PATH=VALUE")
    base = load_instance(file)
    variant = load_instance(file, overrides)
    options = SolverOptions(time_limit_seconds=time_limit, mip_gap=mip_gap, threads=threads)
    result = whatif(base, variant, list(overrides), options, priority)
    base_id = record_for_cli("whatif", file, [], result.base, store,
                             details={"role": "base"})
    record_for_cli("whatif", file, list(overrides), result.variant, store, parent=base_id,
                   details={"role": "variant"})
    console.rule(f"[bold]{escape(base.name)}[/bold]: base vs "
                 + escape(" ".join(f"--set {o}" for o in overrides)))
    console.print(Text(f"Base: {result.base.status}; variant: {result.variant.status}"))
    if not (result.base.has_plan and result.variant.has_plan):
        console.print("[red]No comparison: one of the two has no plan.[/red] "
                      "`planner explain` says what would make it feasible.")
        worst = max(EXIT_STATUS[result.base.status], EXIT_STATUS[result.variant.status])
        sys.exit(int(worst))
    base_plan, variant_plan = expected_plan(result.base), expected_plan(result.variant)
    if base_plan is not result.base:
        console.print("Two-stage plans: the tables below are probability-weighted "
                      "expectations over the scenarios; the objective is the expected cost.")
    console.print(f"Objective: {_pair(base_plan.objective_mnok, variant_plan.objective_mnok, True)}"
                  " MNOK")
    console.print(_financing(base_plan, variant_plan))
    purchases = [base_plan.purchases, variant_plan.purchases]
    console.print(_by_year("Purchases (units), base → variant", ["product", "tier"], "units",
                           *purchases))
    console.print(_by_year("Capacity in service, base → variant", ["pool", "resource"],
                           "capacity", base_plan.capacity, variant_plan.capacity))
    console.print(_by_year("Demand served, base → variant", ["workload"], "served",
                           base_plan.coverage, variant_plan.coverage))
    differences = result.differences
    console.print(f"[bold]What changed, largest in MNOK first[/bold] ({len(differences)} "
                  "numbers; unserved demand by its penalty):")
    for row in differences.head(top).itertuples() if len(differences) else []:
        weight = ""
        if row.category in ("purchases", "unserved") and not pd.isna(row.change_mnok):
            what = "penalty " if row.category == "unserved" else ""
            weight = f" ({what}{_signed_mnok(row.change_mnok)} MNOK)"
        console.print(Text(f"  {row.text}{weight}"))
    if len(differences) > top:
        console.print(f"  … and {len(differences) - top} more (--top N shows more)")
    sys.exit(int(ExitStatus.OPTIMAL))
