"""Printing a plan in the terminal with rich: the financing plan in Tabell 1's layout first."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner.results.plan import Plan
from planner.results.tables import FINANCING_LINES
from planner.views.reports.content import Table as ContentTable
from planner.views.reports.content import format_value, scenario_parts, unspent_section
from planner.views.reports.translations import Translator
from planner.views.text import escape

STATUS_WORDS = {
    "optimal": "[green]optimal[/green] (proven within the MIP gap)",
    "stopped_with_plan": "[yellow]stopped at a limit with a plan — NOT proven optimal[/yellow]",
    "stopped_without_plan": "[red]stopped at a limit before any plan was found[/red]",
    "infeasible": "[red]infeasible: no plan satisfies every cap and rule[/red]",
    "unbounded": "[red]unbounded[/red]",
    "error": "[red]solver error[/red]",
}


def mnok(value: float | None) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{value:,.1f}".replace(",", " ")


def unit_price(value: float) -> str:
    return f"{value:,.3f}".replace(",", " ")


def amount(value: float) -> str:
    if pd.isna(value):
        return "–"
    return f"{value:,.0f}".replace(",", " ") if abs(value) >= 100 else f"{value:.3g}"


def percent(value: float | None) -> str:
    return "–" if value is None or pd.isna(value) else f"{100 * value:.1f} %"


def print_header(console: Console, plan: Plan) -> None:
    meta = plan.metadata
    console.rule(f"[bold]{escape(meta['instance_name'])}[/bold]")
    console.print(f"Status: {STATUS_WORDS.get(meta['status'], escape(meta['status']))}")
    if meta["objective_mnok"] is not None:
        gap = "–" if meta["gap"] is None else f"{100 * meta['gap']:.4f} %"
        console.print(f"Objective (discounted cost incl. unserved-demand penalties, less "
                      f"salvage): [bold]{mnok(meta['objective_mnok'])} MNOK[/bold]; "
                      f"gap {gap}")
    console.print(f"Solver: {escape(meta['solver'])} {escape(meta['solver_version'])}, "
                  f"build {meta['build_seconds']:.2f} s, solve {meta['solve_seconds']:.2f} s; "
                  f"priority: {escape(meta.get('priority', 'cost'))}")
    for warning in meta.get("warnings", []):
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}")


def financing(plan: Plan) -> Table:
    table = plan.tables["financing"]
    years = [column for column in table.columns if column not in ("line", "total")]
    view = Table(title="Financing plan (MNOK, nominal) — layout of the report's Tabell 1")
    view.add_column("Line")
    for year in years:
        view.add_column(year, justify="right")
    view.add_column("Total", justify="right", style="bold")
    for _, row in table.iterrows():
        style = "bold" if row["line"] == "sum" else None
        view.add_row(FINANCING_LINES[row["line"]], *(mnok(row[y]) for y in years),
                     mnok(row["total"]), style=style)
    return view


def purchases(plan: Plan) -> Table:
    view = Table(title="Purchases")
    for column in ("Product", "Pool", "Year", "Tier", "Units", "MNOK per unit", "MNOK",
                   "In service from"):
        view.add_column(column, justify="right" if column[0] in "UMI" else "left")
    for _, row in plan.tables["purchases"].iterrows():
        product = escape(row["product"]) + (" (committed)" if row["committed"] else "")
        view.add_row(product, escape(row["pool"]), str(row["year"]), escape(row["tier"]),
                     amount(row["units"]),
                     unit_price(row["unit_capex_mnok"]), mnok(row["capex_mnok"]),
                     str(row["first_year_in_service"]))
    if not len(plan.tables["purchases"]):
        view.add_row("nothing bought", *[""] * 7)
    return view


def capacity(plan: Plan) -> Table:
    table = plan.tables["capacity"]
    years = sorted(table["year"].unique())
    view = Table(title="Capacity in service (used) by pool and resource")
    view.add_column("Pool")
    view.add_column("Resource")
    for year in years:
        view.add_column(str(year), justify="right")
    for (pool, resource, unit), rows in table.groupby(["pool", "resource", "unit"], sort=False):
        cells = {row["year"]: f"{amount(row['capacity'])} ({amount(row['used'])})"
                 for _, row in rows.iterrows()}
        view.add_row(escape(pool), escape(f"{resource} [{unit}]"),
                     *(cells.get(year, "") for year in years))
    return view


def coverage(plan: Plan) -> Table:
    table = plan.tables["coverage"]
    years = sorted(table["year"].unique())
    view = Table(title="Demand served / unserved per workload")
    view.add_column("Workload", no_wrap=True)
    for year in years:
        view.add_column(str(year), justify="right")
    for (workload, unit), rows in table.groupby(["workload", "unit"], sort=False):
        cells = {}
        for _, row in rows.iterrows():
            text = f"{amount(row['served'])} / {amount(row['demand'])}"
            if row["unserved"] > 0:
                text += f"\n[red]unserved {amount(row['unserved'])}[/red]"
            cells[row["year"]] = text
        view.add_row(escape(f"{workload} [{unit}]"), *(cells[year] for year in years))
    return view


def shares(plan: Plan) -> Table:
    view = Table(title="Policy shares against their bounds")
    for column in ("Share", "Resource", "Years", "Value", "Min", "Max", "Bounds met"):
        view.add_column(column)
    for _, row in plan.tables["shares"].iterrows():
        value, low, high = row["value"], row["min"], row["max"]
        met = "–"
        if low is not None and not pd.isna(low) or high is not None and not pd.isna(high):
            ok = value is None or pd.isna(value) or (
                (pd.isna(low) or value >= low - 1e-6) and (pd.isna(high) or value <= high + 1e-6))
            met = "yes" if ok else "[red]no[/red]"
        label = "EuroHPC (of " + row["of"] + ")" if row["share"] == "eurohpc" else "national"
        view.add_row(label, escape(row["resource"]) if isinstance(row["resource"], str) else "",
                     row["years"], percent(value),
                     percent(low), percent(high), met)
    return view


def budget(plan: Plan) -> Table | None:
    table = plan.tables["budget"]
    if not len(table):
        return None
    view = Table(title="Budget caps (MNOK)",
                 caption="Marginal value: change of the objective per extra MNOK of a binding "
                         "cap, from the LP with whole-unit purchases fixed at the optimum.")
    marginal = "marginal_value_mnok_per_mnok"
    for column in ("Budget line", "Year", "Cap", "Spent", "Slack", "Binding", "Marginal value"):
        view.add_column(column, justify="left" if column in ("Budget line", "Year", "Binding")
                        else "right")
    for _, row in table.iterrows():
        year = "all" if pd.isna(row["year"]) else str(int(row["year"]))
        if bool(row.get("history", False)):
            year += " (history)"  # spent before the plan: binds nothing, shown for overruns
        value = row.get(marginal)
        view.add_row(row["cap"], year, mnok(row["cap_mnok"]), mnok(row["spent_mnok"]),
                     mnok(row["slack_mnok"]), "[bold]yes[/bold]" if row["binding"] else "",
                     "" if value is None or pd.isna(value) else f"{value:+.3f}")
    return view


def summary(plan: Plan) -> Table:
    view = Table(title="Cost summary (MNOK)", show_header=False)
    labels = {
        "spending_mnok": "Spending over the horizon (nominal)",
        "unserved_penalty_mnok": "Penalty for unserved demand (nominal)",
        "discounted_spending_mnok": "Spending, discounted",
        "discounted_unserved_penalty_mnok": "Penalty, discounted",
        "salvage_mnok": "Salvage credit for life left after the horizon",
        "objective_mnok": "Objective",
    }
    for key, label in labels.items():
        view.add_row(label, mnok(plan.summary[key]))
    return view


def redundancy_cost_precision(plan: Plan) -> str:
    """How precisely the MIP gap lets us know the cost of redundancy, when it matters.

    Both solves stop within the MIP gap, so the true cost lies between the bounds; they
    are shown when they are wider than the rounding of the figure.
    """
    bounds = plan.summary.get("redundancy_cost_bounds_mnok")
    if not bounds or bounds[1] - bounds[0] < 0.1:
        return ""
    return (f"; within the MIP gap the true cost lies between {mnok(bounds[0])} and "
            f"{mnok(bounds[1])} MNOK: a smaller --mip-gap narrows it")


def redundancy(plan: Plan) -> Table | None:
    """Where each redundant workload's backup stands, and what N-1 costs."""
    table = plan.tables.get("redundancy")
    if table is None or not len(table):
        return None
    years = sorted(table["year"].unique())
    cost = plan.summary.get("redundancy_cost_mnok")
    caption = ("Each cell: reserved at the pool (served there). Losing any one pool, the "
               "reservations at the others hold all the workload is served; a reservation "
               "shares the pool with other work, which a failure sheds.")
    if "redundancy_cost_mnok" in plan.summary:
        caption += (f" Redundancy costs {mnok(cost)} MNOK: objective "
                    f"{mnok(plan.summary['objective_mnok'])} with it, "
                    f"{mnok(plan.summary['objective_without_redundancy_mnok'])} without"
                    f"{redundancy_cost_precision(plan)}.")
    view = Table(title="N-1 redundancy: backup capacity per redundant workload", caption=caption)
    view.add_column("Workload")
    view.add_column("Pool")
    for year in years:
        view.add_column(str(year), justify="right")
    for (workload, pool, unit), rows in table.groupby(["workload", "pool", "unit"], sort=False):
        cells = {}
        for _, row in rows.iterrows():
            text = f"{amount(row['reserved'])} ({amount(row['served'])})"
            if not row["covered_if_lost"]:
                text += "\n[red]not covered if lost[/red]"
            cells[row["year"]] = text
        view.add_row(escape(f"{workload} [{unit}]"), escape(pool),
                     *(cells.get(year, "") for year in years))
    return view


def print_plan(plan: Plan, console: Console | None = None) -> None:
    console = console or Console(emoji=False)
    if plan.metadata.get("scenarios"):
        print_scenario_plan(plan, console)
        return
    print_header(console, plan)
    if not plan.has_plan:
        return
    for view in (financing(plan), purchases(plan), capacity(plan), coverage(plan),
                 shares(plan), budget(plan), redundancy(plan), summary(plan)):
        if view is not None:
            console.print(view)
    print_unspent(plan, console)


def rich_table(table: ContentTable, tr: Translator) -> Table:
    """A report `Table` (planner.views.reports.content) as a rich table; every cell is plain
    text, never markup (names come from the user's files)."""
    numeric = {"mnok", "price", "amount", "percent", "year", "int", "number"}
    view = Table(title=table.title, caption=table.note)
    for column in table.columns:
        view.add_column(column.header, justify="right" if column.kind in numeric else "left")
    for index, row in enumerate(table.rows):
        view.add_row(*(Text(format_value(value, column.kind, tr))
                       for column, value in zip(table.columns, row, strict=True)),
                     style="bold" if index in table.bold_rows else None)
    return view


def print_unspent(plan: Plan, console: Console) -> None:
    """Why money stays unspent while demand goes unserved (planner.analyses.unspent)."""
    tr = Translator("en")
    section = unspent_section(plan, tr)
    if section is None:
        return
    lines, table = section
    console.print(Text(tr("section.unspent"), style="bold"))
    for line in lines:
        console.print(Text(line))
    console.print(rich_table(table, tr))


# --- Plans of instances with scenarios (two-stage) -------------------------------------


def unserved(plan: Plan) -> Table:
    """Unserved demand per workload and year (workloads with some unserved only)."""
    table = plan.tables["coverage"]
    years = sorted(table["year"].unique())
    view = Table(title="Unserved demand")
    view.add_column("Workload", no_wrap=True)
    for year in years:
        view.add_column(str(year), justify="right")
    for (workload, unit), rows in table.groupby(["workload", "unit"], sort=False):
        if rows["unserved"].sum() <= 0:
            continue
        cells = {row["year"]: f"{amount(row['unserved'])} of {amount(row['demand'])}"
                 for _, row in rows.iterrows()}
        view.add_row(escape(f"{workload} [{unit}]"), *(cells[year] for year in years))
    if not view.row_count:
        view.add_row("all demand served", *[""] * len(years))
    return view


def expected_cost(plan: Plan) -> Table:
    view = Table(title="Expected cost (MNOK; objective = Σ probability × scenario cost)")
    for column in ("Scenario", "Probability", "Cost", "Spending", "Unserved penalty",
                   "Salvage"):
        view.add_column(column, justify="left" if column == "Scenario" else "right")
    for _, row in plan.tables["scenarios"].iterrows():
        view.add_row(escape(row["scenario"]), percent(row["probability"]),
                     mnok(row["objective_mnok"]),
                     mnok(row["spending_mnok"]), mnok(row["unserved_penalty_mnok"]),
                     mnok(row["salvage_mnok"]))
    view.add_row("expected", "100.0 %", mnok(plan.summary["objective_mnok"]),
                 mnok(plan.summary["spending_mnok"]),
                 mnok(plan.summary["unserved_penalty_mnok"]),
                 mnok(plan.summary["salvage_mnok"]), style="bold")
    return view


def print_scenario_plan(plan: Plan, console: Console) -> None:
    """First the purchases decided now (shared), then each scenario's financing lines,
    own purchases and unserved demand, then the expected cost."""
    print_header(console, plan)
    if not plan.has_plan:
        return
    meta = plan.metadata
    decided = ", ".join(str(year) for year in meta["decide_now"])
    console.print(f"Two-stage plan over {len(meta['scenarios'])} scenarios; the objective is "
                  "the expected cost.")
    first = Plan(instance=plan.instance, metadata=meta, summary={},
                 tables={"purchases": plan.tables["first_stage"]})
    view = purchases(first)
    view.title = f"First stage: purchases decided now ({decided}), the same in every scenario"
    console.print(view)
    for scenario in scenario_parts(plan):
        part = scenario.plan
        console.rule(f"[bold]Scenario {escape(scenario.name)}[/bold] (probability "
                     f"{percent(scenario.probability)}; cost "
                     f"{mnok(part.summary['objective_mnok'])} MNOK)")
        console.print(financing(part))
        own = part.tables["purchases"]
        own = own[~own["first_stage"]].drop(columns="first_stage")
        view = purchases(Plan(instance=plan.instance, metadata=meta, summary={},
                              tables={"purchases": own.reset_index(drop=True)}))
        view.title = f"Purchases after {meta['decide_now'][-1]} in this scenario"
        console.print(view)
        console.print(unserved(part))
        if "redundancy" in part.tables:
            console.print(redundancy(part))
    console.rule("[bold]Expected cost[/bold]")
    console.print(expected_cost(plan))
    if "redundancy_cost_mnok" in plan.summary:
        console.print(f"N-1 redundancy costs {mnok(plan.summary['redundancy_cost_mnok'])} MNOK "
                      f"in expectation (expected cost without it: "
                      f"{mnok(plan.summary['objective_without_redundancy_mnok'])} MNOK"
                      f"{redundancy_cost_precision(plan)}).")
    console.print(f"Expected cost: [bold]{mnok(plan.summary['objective_mnok'])} MNOK[/bold]")
