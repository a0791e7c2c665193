"""The plan's display tables: what every view shows, computed once from the plan.

The terminal (planner.views.console), the HTML page, the Markdown memo and the Excel workbook
(planner.views.reports) render these `Table`s; none of them builds a table of its own or
rounds a figure of its own. Money is rounded here, once, by planner.results.rounding:
a displayed total is the sum of its displayed parts, and a figure shown in two places
(Tabell 1's totals, the budget table's spending, the key figures, the cost summary) is
the same number. A cap is binding by one definition (planner.results.figures).

A new table of the plan is added here (a function returning a `Table`, listed in
`plan_tables`); docs/results.md says how.

Values stay numbers here, with a `kind` saying how to show them (the workbook writes
numbers): text, mnok (0.1), price (0.001), amount (capacity: whole from 100 up, else 3
significant digits), units (units of a divisible product: up to 3 decimals), percent,
year, int, flag (yes/no), number, sci (a gap), source (provenance text, shown small).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.results.figures import FINANCING_PARTS, budget_figures, financing_figures
from planner.results.plan import EMPTY_COLUMNS, Plan
from planner.results.rounding import add_shown, largest_remainder, money
from planner.results.translations import Translator

# A share within this of its bound is at the bound.
SHARE_TOLERANCE = 1e-4


@dataclass(frozen=True)
class Cell:
    """A value with its own kind, where a column mixes kinds (a percentage among amounts)."""

    value: Any
    kind: str


# The kinds of value shown right-aligned, as numbers, in every view.
NUMERIC_KINDS = frozenset({"mnok", "price", "amount", "units", "percent", "year", "int",
                           "number", "sci"})


@dataclass
class Column:
    header: str
    kind: str = "text"
    year: bool = False  # a column per year: a narrow view may split or turn them


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    bold_rows: set[int] = field(default_factory=set)
    note: str | None = None


def missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_value(value: Any, kind: str, tr: Translator) -> str:
    """A cell as text in the report's language."""
    if isinstance(value, Cell):
        return format_value(value.value, value.kind, tr)
    if missing(value):
        return "–" if kind not in ("text", "source") else ""
    if kind == "mnok":
        return tr.mnok(value)
    if kind == "price":
        return tr.price(value)
    if kind == "amount":
        return tr.amount(value)
    if kind == "units":
        return tr.units(value)
    if kind == "percent":
        return tr.percent(value)
    if kind == "number":
        return tr.number(value, 2 if float(value) != int(float(value)) else 0)
    if kind == "sci":
        return f"{float(value):.3g}"
    if kind in ("year", "int"):
        return str(int(value))
    if kind == "flag":
        return tr.flag(value)
    return str(value)


def plan_years(plan: Plan) -> list[str]:
    return [str(column) for column in plan.tables["financing"].columns
            if column not in ("line", "total", "scenario")]


# --- the plan's tables --------------------------------------------------------------


def financing_table(plan: Plan, tr: Translator) -> Table:
    """Tabell 1: a row per line and the sum, a column per year and the total."""
    figures = financing_figures(plan.tables["financing"])
    columns = [Column(tr("financing.line"))]
    columns += [Column(year, "mnok", year=True) for year in figures.years]
    columns.append(Column(tr("col.total"), "mnok"))
    rows = [[tr(f"line.{line}"), *(figures.cell[line][year] for year in figures.years),
             figures.total[line]] for line in (*FINANCING_PARTS, "sum")]
    return Table("financing", tr("financing.title"), columns, rows, {len(rows) - 1})


def _units_kind(plan: Plan, product: str) -> str:
    item = plan.instance.products.get(product)
    return "amount" if item is None or item.integer else "units"


def purchases_by_product(plan: Plan, tr: Translator) -> Table:
    table = plan.tables["purchases"]
    rows = []
    for product, group in table.groupby("product", sort=False):
        rows.append([product, group["pool"].iloc[0], tr.year_list(group["year"].tolist()),
                     Cell(group["units"].sum(), _units_kind(plan, product)),
                     add_shown(money(value) for value in group["capex_mnok"])])
    columns = [Column(tr("col.product")), Column(tr("col.pool")), Column(tr("col.years_bought")),
               Column(tr("col.units"), "amount"), Column(tr("col.capex_mnok"), "mnok")]
    return Table("purchases_by_product", tr("purchases.by_product"), columns, rows)


def purchases_table(plan: Plan, tr: Translator, key: str = "purchases") -> Table:
    table = plan.tables[key]
    columns = [Column(tr("col.product")), Column(tr("col.pool")), Column(tr("col.year"), "year"),
               Column(tr("col.tier")), Column(tr("col.units"), "amount"),
               Column(tr("col.unit_capex_mnok"), "price"), Column(tr("col.capex_mnok"), "mnok"),
               Column(tr("col.first_year_in_service"), "year"),
               Column(tr("col.committed"), "flag")]
    rows = [[row["product"], row["pool"], row["year"], row["tier"],
             Cell(row["units"], _units_kind(plan, row["product"])),
             row["unit_capex_mnok"], money(row["capex_mnok"]), row["first_year_in_service"],
             bool(row["committed"])]
            for _, row in table.iterrows()]
    return Table("purchases", tr("purchases.title"), columns, rows)


def capacity_table(plan: Plan, tr: Translator) -> Table:
    table = plan.tables["capacity"]
    years = sorted(int(year) for year in table["year"].unique())
    columns = [Column(tr("col.pool")), Column(tr("col.resource")), Column(tr("col.measure"))]
    columns += [Column(str(year), "amount", year=True) for year in years]
    rows = []
    for (pool, resource, unit), group in table.groupby(["pool", "resource", "unit"],
                                                       sort=False):
        by_year = {int(row["year"]): row for _, row in group.iterrows()}
        for measure in ("capacity", "used"):
            rows.append([pool, f"{resource} ({unit})", tr(f"col.{measure}"),
                         *(by_year[year][measure] if year in by_year else None
                           for year in years)])
    return Table("capacity", tr("capacity.title"), columns, rows)


def coverage_table(plan: Plan, tr: Translator) -> Table:
    table = plan.tables["coverage"]
    years = sorted(int(year) for year in table["year"].unique())
    columns = [Column(tr("col.workload")), Column(tr("col.measure"))]
    columns += [Column(str(year), "amount", year=True) for year in years]
    rows = []
    for (workload, unit), group in table.groupby(["workload", "unit"], sort=False):
        by_year = {int(row["year"]): row for _, row in group.iterrows()}
        for measure in ("demand", "served", "unserved", "coverage"):
            kind = "percent" if measure == "coverage" else "amount"
            label = tr(f"col.{measure}") + ("" if measure == "coverage" else f" ({unit})")
            rows.append([workload, label, *(Cell(by_year[year][measure], kind)
                                            for year in years)])
    return Table("coverage", tr("coverage.title"), columns, rows)


def shares_table(plan: Plan, tr: Translator) -> Table:
    table = plan.tables["shares"]
    columns = [Column(tr("col.share")), Column(tr("col.of")), Column(tr("col.resource")),
               Column(tr("col.years")), Column(tr("col.value"), "percent"),
               Column(tr("col.min"), "percent"), Column(tr("col.max"), "percent"),
               Column(tr("col.bounds_met"))]
    rows = []
    for _, row in table.iterrows():
        rows.append([tr(f"share.{row['share']}"), tr.term("of", row["of"]),
                     "" if missing(row["resource"]) else row["resource"],
                     tr.year_span(row["years"]), row["value"], row["min"], row["max"],
                     _bounds_met(row, tr)])
    return Table("shares", tr("shares.title"), columns, rows)


def _bounds_met(row: pd.Series, tr: Translator) -> str:
    low, high, value = row["min"], row["max"], row["value"]
    if missing(low) and missing(high):
        return "–"
    if missing(value):
        return tr("yes")
    ok = (missing(low) or value >= low - 1e-6) and (missing(high) or value <= high + 1e-6)
    return tr.flag(ok)


def cap_label(cap: str, tr: Translator) -> str:
    return tr.term("cap", cap)


MARGINAL = "marginal_value_mnok_per_mnok"


def has_caps(plan: Plan) -> bool:
    """Whether the plan has a budget table with rows (a two-stage plan of an instance
    without caps has none at all)."""
    budget = plan.tables.get("budget")
    return budget is not None and len(budget) > 0


def _budget(plan: Plan) -> pd.DataFrame:
    budget = plan.tables.get("budget")
    return budget if budget is not None else pd.DataFrame(columns=EMPTY_COLUMNS["budget"])


def budget_rows(plan: Plan) -> list[dict]:
    """The budget table as displayed (figures.budget_figures) with its marginal values."""
    budget = _budget(plan)
    rows = budget_figures(budget, plan.tables["financing"])
    marginal = budget[MARGINAL] if MARGINAL in budget.columns else [None] * len(rows)
    for row, value in zip(rows, marginal, strict=True):
        row[MARGINAL] = None if missing(value) else float(value)
    return rows


def budget_table(plan: Plan, tr: Translator) -> Table:
    """Each cap: the cap, what is spent and left (as displayed), whether it binds, and
    beside it, a separate fact, its marginal value where one was computed."""
    has_marginal = MARGINAL in _budget(plan).columns
    columns = [Column(tr("col.cap")), Column(tr("col.year"), "year"),
               Column(tr("col.cap_mnok"), "mnok"), Column(tr("col.spent_mnok"), "mnok"),
               Column(tr("col.slack_mnok"), "mnok"), Column(tr("col.binding"), "flag")]
    if has_marginal:
        columns.append(Column(tr("col.marginal_value"), "price"))
    rows = []
    for row in budget_rows(plan):
        year = Cell(tr("cap.all_years"), "text") if row["year"] is None else row["year"]
        if row["history"]:
            year = Cell(tr("cap.history_year", year=row["year"]), "text")
        cells = [cap_label(row["cap"], tr), year, row["cap_mnok"], row["spent_mnok"],
                 row["slack_mnok"], row["binding"]]
        if has_marginal:
            cells.append(row[MARGINAL])
        rows.append(cells)
    note = tr("budget.binding_note")
    if has_marginal:
        note += " " + tr("budget.marginal_note")
    if any(row["history"] for row in budget_rows(plan)):
        note += " " + tr("budget.history_note")
    return Table("budget", tr("budget.title"), columns, rows, note=note)


def redundancy_table(plan: Plan, tr: Translator) -> Table | None:
    """N−1: what each redundant workload is served from, and the reserve kept for it."""
    table = plan.tables.get("redundancy")
    if table is None or not len(table):
        return None
    columns = [Column(tr("col.workload")), Column(tr("col.year"), "year"),
               Column(tr("col.pool")), Column(tr("col.served"), "amount"),
               Column(tr("col.reserved"), "amount"), Column(tr("col.backup_if_lost"), "amount"),
               Column(tr("col.covered_if_lost"), "flag")]
    rows = [[f"{row['workload']} ({row['unit']})", row["year"], row["pool"], row["served"],
             row["reserved"], row["backup_if_lost"], bool(row["covered_if_lost"])]
            for _, row in table.iterrows()]
    return Table("redundancy", tr("redundancy.title"), columns, rows)


def plan_tables(plan: Plan, tr: Translator) -> list[Table]:
    """The plan's tables in the order every view shows them (a budget table only where
    the instance has caps; the redundancy table only where it has redundant workloads)."""
    tables = [financing_table(plan, tr), purchases_table(plan, tr), capacity_table(plan, tr),
              coverage_table(plan, tr), shares_table(plan, tr)]
    if has_caps(plan):
        tables.append(budget_table(plan, tr))
    redundancy = redundancy_table(plan, tr)
    if redundancy is not None:
        tables.append(redundancy)
    return tables


# --- the workbook's sheets: a row per item and year, for pivoting ---------------------


def pivot_tables(plan: Plan, tr: Translator) -> dict[str, Table]:
    """The plan's tables one row per item and year (as plan.json has them), for pivoting."""
    def header(key: str, unit: str | None = None) -> str:
        return f"{tr(key)} ({unit})" if unit else tr(key)

    resource_unit = tr("unit.resource")
    purchases = plan.tables["purchases"]
    unit_kinds = {name: "amount" if product.integer else "units"
                  for name, product in plan.instance.products.items()}
    tables = {
        "purchases": Table("purchases", tr("purchases.title"), [
            Column(header("col.product")), Column(header("col.pool")),
            Column(header("col.year"), "year"), Column(header("col.tier")),
            Column(header("col.units"), "amount"),
            Column(tr("col.unit_capex_mnok"), "price"), Column(tr("col.capex_mnok"), "mnok"),
            Column(tr("col.batch_fixed_capex_mnok"), "mnok"),
            Column(header("col.committed")), Column(tr("col.first_year_in_service"), "year"),
        ], [[row["product"], row["pool"], row["year"], row["tier"],
             Cell(row["units"], unit_kinds.get(row["product"], "amount")),
             row["unit_capex_mnok"], money(row["capex_mnok"]),
             money(row["batch_fixed_capex_mnok"]),
             tr.flag(row["committed"]), row["first_year_in_service"]]
            for _, row in purchases.iterrows()]),
    }
    capacity = plan.tables["capacity"]
    tables["capacity"] = Table("capacity", tr("capacity.title"), [
        Column(tr("col.pool")), Column(tr("col.kind")), Column(tr("col.resource")),
        Column(tr("col.unit")), Column(tr("col.year"), "year"),
        Column(header("col.capacity", resource_unit), "amount"),
        Column(header("col.used", resource_unit), "amount"),
    ], [[row["pool"], tr.term("kind", row["kind"]), row["resource"], row["unit"], row["year"],
         row["capacity"], row["used"]] for _, row in capacity.iterrows()])
    coverage = plan.tables["coverage"]
    tables["coverage"] = Table("coverage", tr("coverage.title"), [
        Column(tr("col.workload")), Column(tr("col.resource")), Column(tr("col.unit")),
        Column(tr("col.year"), "year"), Column(header("col.demand", resource_unit), "amount"),
        Column(header("col.served", resource_unit), "amount"),
        Column(header("col.unserved", resource_unit), "amount"),
        Column(header("col.coverage", "%"), "percent"),
        Column(header("col.min_coverage", "%"), "percent"),
        Column(tr("col.unserved_penalty_mnok"), "mnok"),
    ], [[row["workload"], row["resource"], row["unit"], row["year"], row["demand"],
         row["served"], row["unserved"], row["coverage"], row["min_coverage"],
         money(row["unserved_penalty_mnok"])] for _, row in coverage.iterrows()])
    shares = plan.tables["shares"]
    tables["shares"] = Table("shares", tr("shares.title"), [
        Column(tr("col.share")), Column(tr("col.of")), Column(tr("col.resource")),
        Column(tr("col.years")), Column(header("col.value", "%"), "percent"),
        Column(header("col.min", "%"), "percent"), Column(header("col.max", "%"), "percent"),
        Column(header("col.numerator", tr("unit.share_parts")), "number"),
        Column(header("col.base", tr("unit.share_parts")), "number"),
    ], [[tr(f"share.{row['share']}"), tr.term("of", row["of"]),
         None if missing(row["resource"]) else row["resource"], row["years"], row["value"],
         row["min"], row["max"], row["numerator"], row["base"]]
        for _, row in shares.iterrows()])
    tables["budget"] = budget_sheet_table(plan, tr)
    redundancy = plan.tables.get("redundancy")
    if redundancy is not None and len(redundancy):
        tables["redundancy"] = Table("redundancy", tr("redundancy.title"), [
            Column(tr("col.workload")), Column(tr("col.resource")), Column(tr("col.unit")),
            Column(tr("col.year"), "year"), Column(tr("col.pool")),
            Column(header("col.served", resource_unit), "amount"),
            Column(header("col.reserved", resource_unit), "amount"),
            Column(header("col.backup_if_lost", resource_unit), "amount"),
            Column(tr("col.covered_if_lost")),
        ], [[row["workload"], row["resource"], row["unit"], row["year"], row["pool"],
             row["served"], row["reserved"], row["backup_if_lost"],
             tr.flag(row["covered_if_lost"])] for _, row in redundancy.iterrows()])
    for key, table in tables.items():  # two-stage plans: a row per scenario as well
        if key == "budget":
            continue  # built per scenario already
        frame = plan.tables[key]
        if "scenario" in frame.columns:
            table.columns.insert(0, Column(tr("col.scenario")))
            table.rows = [[scenario, *row] for scenario, row
                          in zip(frame["scenario"], table.rows, strict=True)]
    return tables


def per_scenario(plan: Plan, tr: Translator, build) -> Table:
    """A display table of the plan; of a two-stage plan, its rows for every scenario in
    turn, with the scenario in a first column."""
    parts = scenario_parts(plan)
    if parts is None:
        return build(plan, tr)
    tables = [build(part.plan, tr) for part in parts]
    table = tables[0]
    rows, bold = [], set()
    for part, each in zip(parts, tables, strict=True):
        bold |= {len(rows) + index for index in each.bold_rows}
        rows += [[part.name, *row] for row in each.rows]
    return Table(table.key, table.title, [Column(tr("col.scenario")), *table.columns], rows,
                 bold, table.note)


def budget_sheet_table(plan: Plan, tr: Translator) -> Table:
    """The budget caps as every view shows them (planner.results.display)."""
    table = per_scenario(plan, tr, budget_table)
    table.rows = [[None if isinstance(value, Cell) and value.kind == "text" else value
                   for value in row] for row in table.rows]  # "all years": an empty year
    return table


# --- the cost figures -----------------------------------------------------------------

# The objective's parts, shown so that they add up to it (largest remainder).
OBJECTIVE_PARTS = ("discounted_spending_mnok", "discounted_unserved_penalty_mnok",
                   "salvage_mnok")


def cost_figures(plan: Plan) -> dict[str, float | None]:
    """Every money figure of the summary as displayed, by its summary key.

    Spending and its three lines are Tabell 1's displayed totals; the objective is its
    own figure rounded, its parts (discounted spending and penalty, less salvage) are
    rounded by largest remainder so they add up to it; any other figure is rounded.
    """
    summary = plan.summary
    shown: dict[str, float | None] = {key: money(value) for key, value in summary.items()
                                      if isinstance(value, int | float)
                                      and not isinstance(value, bool)}
    financing = plan.tables.get("financing")
    if financing is not None and len(financing) and "scenario" not in financing.columns:
        figures = financing_figures(financing)
        shown["spending_mnok"] = figures.grand_total
        for line in FINANCING_PARTS:
            key = "operations_mnok" if line == "operations" else f"{line}_mnok"
            shown[key] = figures.total[line]
    if all(summary.get(key) is not None for key in OBJECTIVE_PARTS) \
            and summary.get("objective_mnok") is not None \
            and abs(summary["discounted_spending_mnok"]
                    + summary["discounted_unserved_penalty_mnok"] - summary["salvage_mnok"]
                    - summary["objective_mnok"]) <= 1e-6 * max(1.0, abs(summary["objective_mnok"])):
        parts = largest_remainder([summary["discounted_spending_mnok"],
                                   summary["discounted_unserved_penalty_mnok"],
                                   -summary["salvage_mnok"]])
        shown["discounted_spending_mnok"], shown["discounted_unserved_penalty_mnok"] = parts[:2]
        shown["salvage_mnok"] = -parts[2] or 0.0
        shown["objective_mnok"] = add_shown(parts)
    # The cost of redundancy, EVPI = RP − WS and VSS = EEV − RP: the differences of the
    # figures shown beside them.
    without = shown.get("objective_without_redundancy_mnok")
    if shown.get("redundancy_cost_mnok") is not None and without is not None:
        shown["redundancy_cost_mnok"] = add_shown([shown["objective_mnok"], -without])
    if shown.get("evpi_mnok") is not None and shown.get("wait_and_see_mnok") is not None:
        shown["evpi_mnok"] = add_shown([shown["objective_mnok"], -shown["wait_and_see_mnok"]])
    if shown.get("vss_mnok") is not None and shown.get("eev_mnok") is not None:
        shown["vss_mnok"] = add_shown([shown["eev_mnok"], -shown["objective_mnok"]])
    return shown


def cost_table(plan: Plan, tr: Translator) -> Table:
    """The cost summary: nominal spending and penalty, then the objective as the sum of
    its displayed parts."""
    shown = cost_figures(plan)
    rows = [[tr("cost.spending_mnok"), shown.get("spending_mnok")],
            [tr("cost.unserved_penalty_mnok"), shown.get("unserved_penalty_mnok")],
            [tr("cost.discounted_spending_mnok"), shown.get("discounted_spending_mnok")],
            [tr("cost.discounted_unserved_penalty_mnok"),
             shown.get("discounted_unserved_penalty_mnok")],
            [tr("cost.salvage_mnok"), None if shown.get("salvage_mnok") is None
             else add_shown([-shown["salvage_mnok"]])],
            [tr("cost.objective_mnok"), shown.get("objective_mnok")]]
    return Table("cost", tr("cost.title"), [Column(tr("col.figure")), Column("MNOK", "mnok")],
                 rows, {len(rows) - 1}, note=tr("cost.note"))


# --- scenarios (two-stage plans) -----------------------------------------------------


@dataclass
class ScenarioPart:
    name: str
    probability: float
    plan: Plan


def scenario_parts(plan: Plan) -> list[ScenarioPart] | None:
    """A two-stage plan taken apart into one plan per scenario; None for a plain plan."""
    financing = plan.tables.get("financing")
    if financing is None or "scenario" not in financing.columns:
        return None
    overview = plan.tables.get("scenarios")
    parts = []
    for name in dict.fromkeys(financing["scenario"]):
        tables = {key: table[table["scenario"] == name].drop(columns=["scenario"])
                  .reset_index(drop=True)
                  for key, table in plan.tables.items() if "scenario" in table.columns
                  and key != "scenarios"}
        summary = dict(plan.summary)
        probability = float("nan")
        if overview is not None:
            row = overview[overview["scenario"] == name].iloc[0]
            summary = {key: row[key] for key in row.index if key.endswith("_mnok")}
            probability = float(row["probability"])
        prefix = f"scenario {name}: "
        metadata = dict(plan.metadata, warnings=[
            text[len(prefix):] for text in plan.metadata.get("warnings", [])
            if text.startswith(prefix)])
        parts.append(ScenarioPart(name, probability, Plan(plan.instance, metadata, summary,
                                                          tables)))
    return parts


def plan_wide_warnings(plan: Plan, tr: Translator) -> list[str]:
    """A two-stage plan's warnings that belong to no one scenario (such as an unbounded
    VSS); the scenarios' own appear in their sections."""
    prefixes = tuple(f"scenario {name}: " for name in plan.metadata.get("scenarios", []))
    return [tr.warning(text) for text in plan.metadata.get("warnings", [])
            if not text.startswith(prefixes)]


def scenarios_table(plan: Plan, tr: Translator) -> Table:
    table = plan.tables["scenarios"]
    columns = [Column(tr("col.scenario")), Column(tr("col.probability"), "percent"),
               Column(tr("col.objective_mnok"), "mnok"), Column(tr("col.spending_mnok"), "mnok"),
               Column(tr("cost.unserved_penalty_mnok"), "mnok"),
               Column(tr("cost.salvage_mnok"), "mnok"), Column(tr("col.source"), "source")]
    rows = [[row["scenario"], row["probability"], money(row["objective_mnok"]),
             money(row["spending_mnok"]), money(row["unserved_penalty_mnok"]),
             money(row.get("salvage_mnok")), row.get("source")] for _, row in table.iterrows()]
    return Table("scenarios", tr("scenario.overview"), columns, rows)


VALUE_OF_INFORMATION_KEYS = ("objective_mnok", "wait_and_see_mnok", "evpi_mnok", "eev_mnok",
                             "vss_mnok")


def value_of_information_table(plan: Plan, tr: Translator) -> Table | None:
    """RP, WS, EVPI, EEV and VSS of a plan from `planner stochastic`; None for others."""
    if "evpi_mnok" not in plan.summary:
        return None
    shown = cost_figures(plan)
    rows = [[tr(f"cost.{key}"), shown.get(key)] for key in VALUE_OF_INFORMATION_KEYS]
    return Table("value_of_information", tr("scenario.value_of_information"),
                 [Column(tr("col.figure")), Column("MNOK", "mnok")], rows)


def first_stage_table(plan: Plan, tr: Translator) -> Table:
    table = purchases_table(plan, tr, "first_stage")
    table.key, table.title = "first_stage", tr("scenario.decided_now")
    return table


# --- summary ------------------------------------------------------------------------


@dataclass
class Summary:
    status: str
    key_figures: list[tuple[str, float]]
    total_cap: float | None
    bought: Table
    unserved: list[str]
    binding: list[str]
    warnings: list[str]
    objective_note: str


KEY_FIGURES = ("spending_mnok", "national_investment_mnok", "eurohpc_investment_mnok",
               "operations_mnok", "unserved_penalty_mnok", "salvage_mnok", "objective_mnok",
               "redundancy_cost_mnok", "wait_and_see_mnok", "evpi_mnok", "eev_mnok",
               "vss_mnok")


def summary(plan: Plan, tr: Translator) -> Summary:
    instance = plan.instance
    meta = plan.metadata
    gap = tr.percent(meta.get("gap") or 0.0, 4)
    status = tr("summary.status.optimal", gap=gap) if meta["status"] == "optimal" \
        else tr("summary.status.stopped", gap=gap)
    shown = cost_figures(plan)
    figures = [(tr(f"cost.{key}"), shown.get(key)) for key in KEY_FIGURES
               if key in plan.summary]
    return Summary(
        status=status,
        key_figures=figures,
        total_cap=money(instance.budget.total),
        bought=purchases_by_product(plan, tr),
        unserved=unserved_lines(plan, tr),
        binding=binding_lines(plan, tr),
        warnings=[tr.warning(text) for text in meta.get("warnings", [])],
        objective_note=tr("summary.objective_explained",
                          rate=tr.percent(instance.discount_rate),
                          last=instance.years.last),
    )


def unserved_lines(plan: Plan, tr: Translator) -> list[str]:
    table = plan.tables["coverage"]
    lines = []
    for workload, group in table.groupby("workload", sort=False):
        total = group["unserved"].sum()
        if total <= 1e-6:
            continue
        worst = group.loc[group["unserved"].idxmax()]
        share = worst["unserved"] / worst["demand"] if worst["demand"] > 0 else None
        shown = tr.percent(share) if share is None or share >= 0.001 \
            else tr("summary.under", value=tr.percent(0.001))
        lines.append(tr("summary.unserved_line", workload=workload, total=tr.amount(total),
                        unit=worst["unit"], year=int(worst["year"]),
                        amount=tr.amount(worst["unserved"]), share=shown))
    if not lines:
        return [tr("summary.all_served")]
    if len(lines) < table["workload"].nunique():
        lines.append(tr("summary.others_served"))
    return lines


def binding_lines(plan: Plan, tr: Translator) -> list[str]:
    """Caps reached (by the one definition), shares at a bound, minimum coverage reached,
    pool limits reached."""
    lines = []
    zero_caps: dict[str, list[int]] = {}
    for row in budget_rows(plan) if has_caps(plan) else []:
        if not row["binding"]:
            continue
        if row["cap_mnok"] <= 0 and row["year"] is not None:
            zero_caps.setdefault(row["cap"], []).append(row["year"])
            continue
        year = "" if row["year"] is None else str(row["year"])
        text = tr("summary.cap_reached", cap=cap_label(row["cap"], tr), year=year,
                  spent=tr.mnok(row["spent_mnok"]), limit=tr.mnok(row["cap_mnok"]))
        value = row[MARGINAL]
        if value is not None and abs(value) >= 0.0005:
            text += "; " + tr("summary.marginal", value=tr.number(value, 3))
        lines.append(text.replace("  ", " "))
    for _, row in plan.tables["shares"].iterrows():
        value = row["value"]
        if missing(value):
            continue
        if row["share"] == "eurohpc":
            for bound in ("min", "max"):
                limit = row[bound]
                if not missing(limit) and abs(value - limit) <= SHARE_TOLERANCE and limit > 0:
                    lines.append(tr("summary.share_at_bound", years=tr.year_span(row["years"]),
                                    value=tr.percent(value), bound=tr(f"summary.bound.{bound}"),
                                    limit=tr.percent(limit)))
        elif not missing(row["min"]) and row["min"] > 0 \
                and abs(value - row["min"]) <= SHARE_TOLERANCE:
            lines.append(tr("summary.national_at_bound", resource=row["resource"],
                            year=row["years"], value=tr.percent(value),
                            limit=tr.percent(row["min"])))
    coverage = plan.tables["coverage"]
    first_plan_year = plan.instance.first_plan_year
    for workload, group in coverage.groupby("workload", sort=False):
        low = group["min_coverage"].iloc[0]
        if low <= 0:
            continue
        years = [int(row["year"]) for _, row in group.iterrows()
                 if row["year"] >= first_plan_year and row["demand"] > 0
                 and row["coverage"] <= low + 1e-6 and row["unserved"] > 1e-6]
        if years:
            lines.append(tr("summary.coverage_at_bound", workload=workload,
                            limit=tr.percent(low), years=tr.year_list(years)))
    lines += _limits_reached(plan, tr)
    for cap, years in zero_caps.items():
        lines.append(tr("summary.zero_caps", cap=cap_label(cap, tr), years=tr.year_list(years)))
    return lines or [tr("summary.no_rule_binds")]


def _limits_reached(plan: Plan, tr: Translator) -> list[str]:
    lines = []
    capacity = plan.tables["capacity"]
    for name, pool in plan.instance.pools.items():
        for resource, limit in (pool.limit or {}).items():
            rows = capacity[(capacity["pool"] == name) & (capacity["resource"] == resource)]
            years = [int(row["year"]) for _, row in rows.iterrows()
                     if row["capacity"] >= limit - 1e-6 and limit > 0]
            if years:
                unit = plan.instance.resources[resource].unit
                lines.append(tr("summary.limit_reached", pool=name, resource=resource,
                                limit=tr.amount(limit), unit=unit, years=tr.year_list(years)))
    return lines
