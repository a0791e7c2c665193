"""Printing a plan in the terminal: a renderer of the plan's display tables like the
reports (planner.results.display, planner.views.terminal), the financing plan in Tabell
1's layout first. Nothing here builds a table or rounds a figure of its own."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from planner.results.display import (
    cost_figures,
    cost_table,
    first_stage_table,
    plan_tables,
    purchases_table,
    redundancy_table,
    scenario_parts,
    scenarios_table,
    unserved_lines,
    value_of_information_table,
)
from planner.results.plan import Plan
from planner.results.rounding import money
from planner.results.translations import Translator
from planner.views.reports import revision_year
from planner.views.reports.content import unspent_section
from planner.views.terminal import print_table, print_text

ENGLISH = Translator("en")

STATUS_WORDS = {
    "optimal": ("optimal (proven within the MIP gap)", "green"),
    "stopped_with_plan": ("stopped at a limit with a plan — NOT proven optimal", "yellow"),
    "stopped_without_plan": ("stopped at a limit before any plan was found", "red"),
    "infeasible": ("infeasible: no plan satisfies every cap and rule", "red"),
    "unbounded": ("unbounded", "red"),
    "error": ("solver error", "red"),
}


# The figures other commands print beside a plan, in the plan's own formats.
def mnok(value: float | None) -> str:
    return ENGLISH.mnok(money(value))


def amount(value: float | None) -> str:
    return ENGLISH.amount(value)


def percent(value: float | None) -> str:
    return ENGLISH.percent(value)


def print_header(console: Console, plan: Plan, tr: Translator = ENGLISH) -> None:
    meta = plan.metadata
    console.rule(Text(str(meta["instance_name"]), style="bold"))
    words, style = STATUS_WORDS.get(meta["status"], (str(meta["status"]), ""))
    termination = f" (solver: {tr.termination(meta['termination'])})" \
        if meta.get("termination") else ""
    print_text(console, f"Status: {words}{termination}", style)
    year = revision_year(plan)
    if year is not None:
        print_text(console, tr("report.revision", year=year) + ".")
    if meta["objective_mnok"] is not None:
        gap = "–" if meta["gap"] is None else tr.percent(meta["gap"], 4)
        objective = cost_figures(plan).get("objective_mnok", money(meta["objective_mnok"]))
        print_text(console, "Objective (discounted cost incl. unserved-demand penalties, "
                            f"less salvage): {tr.mnok(objective)} MNOK; gap {gap}", "bold")
    print_text(console, f"Solver: {meta['solver']} {meta['solver_version']}, "
                        f"build {meta['build_seconds']:.2f} s, solve "
                        f"{meta['solve_seconds']:.2f} s; priority: {meta.get('priority', 'cost')}")
    for warning in meta.get("warnings", []):
        print_text(console, f"warning: {tr.warning(warning)}", "yellow")


def redundancy_cost_precision(plan: Plan, tr: Translator = ENGLISH) -> str:
    """How precisely the MIP gap lets us know the cost of redundancy, when it matters.

    Both solves stop within the MIP gap, so the true cost lies between the bounds; they
    are shown when they are wider than the rounding of the figure.
    """
    bounds = plan.summary.get("redundancy_cost_bounds_mnok")
    if not bounds or bounds[1] - bounds[0] < 0.1:
        return ""
    return (f"; within the MIP gap the true cost lies between {tr.mnok(money(bounds[0]))} "
            f"and {tr.mnok(money(bounds[1]))} MNOK: a smaller --mip-gap narrows it")


def _redundancy_line(plan: Plan, tr: Translator, expected: bool = False) -> str | None:
    if "redundancy_cost_mnok" not in plan.summary:
        return None
    shown = cost_figures(plan)
    cost = shown.get("redundancy_cost_mnok")
    without = shown.get("objective_without_redundancy_mnok")
    what = "in expectation " if expected else ""
    return (f"N-1 redundancy: Redundancy costs {tr.mnok(cost)} MNOK {what}(objective "
            f"{tr.mnok(shown.get('objective_mnok'))} MNOK with it, {tr.mnok(without)} "
            f"without{redundancy_cost_precision(plan, tr)}).")


def print_plan(plan: Plan, console: Console | None = None, lang: str = "en") -> None:
    console = console or Console()
    tr = Translator(lang)
    if plan.metadata.get("scenarios"):
        print_scenario_plan(plan, console, tr)
        return
    print_header(console, plan, tr)
    if not plan.has_plan:
        return
    for table in (*plan_tables(plan, tr), cost_table(plan, tr)):
        print_table(console, table, tr)
    line = _redundancy_line(plan, tr)
    if line is not None:
        print_text(console, line)
    unspent = unspent_section(plan, tr)
    if unspent is not None:  # money left while demand goes unserved: why
        lines, table = unspent
        print_text(console, tr("section.unspent"), style="bold")
        for line in lines:
            print_text(console, line)
        print_table(console, table, tr)


# --- Plans of instances with scenarios (two-stage) -------------------------------------


def print_scenario_plan(plan: Plan, console: Console, tr: Translator = ENGLISH) -> None:
    """First the purchases decided now (shared), then each scenario's financing lines,
    own purchases, unserved demand and redundancy, then the expected cost."""
    print_header(console, plan, tr)
    if not plan.has_plan:
        return
    meta = plan.metadata
    decided = ", ".join(str(year) for year in meta["decide_now"])
    print_text(console, f"Two-stage plan over {len(meta['scenarios'])} scenarios; the "
                        "objective is the expected cost.")
    table = first_stage_table(plan, tr)
    table.title = f"First stage: purchases decided now ({decided}), the same in every scenario"
    print_table(console, table, tr)
    for scenario in scenario_parts(plan) or []:
        part = scenario.plan
        console.rule(Text(f"Scenario {scenario.name} (probability "
                          f"{tr.percent(scenario.probability)}; cost "
                          f"{tr.mnok(money(part.summary['objective_mnok']))} MNOK)"))
        tables = plan_tables(part, tr)
        print_table(console, tables[0], tr)  # financing
        own = part.tables["purchases"]
        own = own[~own["first_stage"].astype(bool)].drop(columns="first_stage")
        later = Plan(instance=plan.instance, metadata=meta, summary={},
                     tables={"purchases": own.reset_index(drop=True)})
        table = purchases_table(later, tr)
        table.title = f"Purchases after {meta['decide_now'][-1]} in this scenario"
        print_table(console, table, tr)
        print_text(console, "Unserved demand", "bold")
        for line in unserved_lines(part, tr):
            print_text(console, f"  {line}")
        redundancy = redundancy_table(part, tr)
        if redundancy is not None:
            print_table(console, redundancy, tr)
    console.rule(Text("Expected cost", style="bold"))
    print_table(console, scenarios_table(plan, tr), tr)
    worth = value_of_information_table(plan, tr)
    if worth is not None:
        print_table(console, worth, tr)
    line = _redundancy_line(plan, tr, expected=True)
    if line is not None:
        print_text(console, line)
    print_text(console, f"Expected cost: {tr.mnok(cost_figures(plan).get('objective_mnok'))} "
                        "MNOK", "bold")
