"""What a report says, independent of its format: the summary and the tables, in one language.

Every format (HTML, Excel, Markdown) renders the same `Table`s; numbers stay numbers here
(with a `kind` saying how to show them) so that the workbook can write them as numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.input.schema import Instance
from planner.results.plan import Plan
from planner.views.reports.translations import Translator

# A cap with less than this left (MNOK) is reported as reached: it shows as 0.0 MNOK left.
REACHED_MNOK = 0.05
# A share within this of its bound is at the bound.
SHARE_TOLERANCE = 1e-4

# How a value is shown: text, mnok (1 decimal), price (3 decimals), amount (capacity: whole
# from 100 up, else 3 significant digits), percent, year, int, flag (yes/no), number,
# sci (a gap: 3 significant digits), source (provenance text, shown small).


@dataclass(frozen=True)
class Cell:
    """A value with its own kind, where a column mixes kinds (a percentage among amounts)."""

    value: Any
    kind: str


@dataclass
class Column:
    header: str
    kind: str = "text"


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
    return [column for column in plan.tables["financing"].columns
            if column not in ("line", "total")]


# --- the plan's tables --------------------------------------------------------------


def financing_table(plan: Plan, tr: Translator) -> Table:
    table = plan.tables["financing"]
    years = plan_years(plan)
    columns = [Column(tr("financing.line"))] + [Column(year, "mnok") for year in years]
    columns.append(Column(tr("col.total"), "mnok"))
    rows = [[tr(f"line.{row['line']}"), *(row[year] for year in years), row["total"]]
            for _, row in table.iterrows()]
    bold = {index for index, (_, row) in enumerate(table.iterrows()) if row["line"] == "sum"}
    return Table("financing", tr("financing.title"), columns, rows, bold)


def purchases_by_product(plan: Plan, tr: Translator) -> Table:
    table = plan.tables["purchases"]
    rows = []
    for product, group in table.groupby("product", sort=False):
        rows.append([product, group["pool"].iloc[0], tr.year_list(group["year"].tolist()),
                     group["units"].sum(), group["capex_mnok"].sum()])
    columns = [Column(tr("col.product")), Column(tr("col.pool")), Column(tr("col.years_bought")),
               Column(tr("col.units"), "amount"), Column(tr("col.capex_mnok"), "mnok")]
    return Table("purchases_by_product", tr("purchases.by_product"), columns, rows)


def purchases_table(plan: Plan, tr: Translator) -> Table:
    table = plan.tables["purchases"]
    columns = [Column(tr("col.product")), Column(tr("col.pool")), Column(tr("col.year"), "year"),
               Column(tr("col.tier")), Column(tr("col.units"), "amount"),
               Column(tr("col.unit_capex_mnok"), "price"), Column(tr("col.capex_mnok"), "mnok"),
               Column(tr("col.first_year_in_service"), "year"),
               Column(tr("col.committed"), "flag")]
    rows = [[row["product"], row["pool"], row["year"], row["tier"], row["units"],
             row["unit_capex_mnok"], row["capex_mnok"], row["first_year_in_service"],
             bool(row["committed"])]
            for _, row in table.iterrows()]
    return Table("purchases", tr("purchases.title"), columns, rows)


def capacity_table(plan: Plan, tr: Translator) -> Table:
    table = plan.tables["capacity"]
    years = sorted(int(year) for year in table["year"].unique())
    columns = [Column(tr("col.pool")), Column(tr("col.resource")), Column(tr("col.measure"))]
    columns += [Column(str(year), "amount") for year in years]
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
    columns += [Column(str(year), "amount") for year in years]
    rows = []
    for (workload, unit), group in table.groupby(["workload", "unit"], sort=False):
        by_year = {int(row["year"]): row for _, row in group.iterrows()}
        for measure in ("demand", "served", "unserved", "coverage"):
            kind = "percent" if measure == "coverage" else "amount"
            label = tr(f"col.{measure}") + ("" if measure == "coverage" else f" ({unit})")
            rows.append([workload, label, *(Cell(by_year[year][measure], kind)
                                            for year in years)])
    return Table("coverage", tr("coverage.title"), columns, rows)


def share_label(row: pd.Series, tr: Translator) -> str:
    return tr(f"share.{row['share']}")


def shares_table(plan: Plan, tr: Translator) -> Table:
    table = plan.tables["shares"]
    columns = [Column(tr("col.share")), Column(tr("col.of")), Column(tr("col.resource")),
               Column(tr("col.years")), Column(tr("col.value"), "percent"),
               Column(tr("col.min"), "percent"), Column(tr("col.max"), "percent"),
               Column(tr("col.bounds_met"))]
    rows = []
    for _, row in table.iterrows():
        rows.append([share_label(row, tr), tr.term("of", row["of"]),
                     "" if missing(row["resource"]) else row["resource"], row["years"],
                     row["value"], row["min"], row["max"], _bounds_met(row, tr)])
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


def budget_table(plan: Plan, tr: Translator) -> Table:
    table = plan.tables["budget"]
    marginal = "marginal_value_mnok_per_mnok"
    columns = [Column(tr("col.cap")), Column(tr("col.year")), Column(tr("col.cap_mnok"), "mnok"),
               Column(tr("col.spent_mnok"), "mnok"), Column(tr("col.slack_mnok"), "mnok"),
               Column(tr("col.binding"), "flag")]
    has_marginal = marginal in table.columns
    if has_marginal:
        columns.append(Column(tr("col.marginal_value"), "price"))
    rows = []
    for _, row in table.iterrows():
        year = tr("cap.all_years") if missing(row["year"]) else str(int(row["year"]))
        if bool(row.get("history", False)):
            year = tr("cap.history_year", year=year)
        cells = [cap_label(row["cap"], tr), year, row["cap_mnok"], row["spent_mnok"],
                 row["slack_mnok"], bool(row["binding"])]
        if has_marginal:
            cells.append(row[marginal])
        rows.append(cells)
    notes = [tr("budget.marginal_note")] if has_marginal else []
    if "history" in table.columns and table["history"].any():
        notes.append(tr("budget.history_note"))
    return Table("budget", tr("budget.title"), columns, rows, note=" ".join(notes) or None)


def plan_tables(plan: Plan, tr: Translator) -> list[Table]:
    """The plan's tables in the order a report shows them."""
    return [financing_table(plan, tr), purchases_table(plan, tr), capacity_table(plan, tr),
            coverage_table(plan, tr), shares_table(plan, tr), budget_table(plan, tr)]


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


# --- why money stays unspent ----------------------------------------------------------


def unspent_reason(row: pd.Series, tr: Translator) -> str:
    """One row of the plan's `unspent` table (planner.analyses.unspent) in words."""
    values = {
        "rule": "" if missing(row["rule"]) else str(row["rule"]),
        "year": int(row["year"] if missing(row["rule_year"]) else row["rule_year"]),
        "slack": "–" if missing(row["slack"]) else tr.mnok(max(0.0, float(row["slack"]))),
        "needed": "–" if missing(row["needed"]) else tr.price(row["needed"]),
        "way": "" if missing(row["way"]) else str(row["way"]),
        "way_year": "" if missing(row["way_year"]) else int(row["way_year"]),
        "cost": "–" if missing(row["way_cost_mnok_per_unit_year"])
        else tr.price(row["way_cost_mnok_per_unit_year"]),
        "penalty": tr.price(row["unmet_penalty_mnok"]),
    }
    if row["reason"] == "cap":
        values["rule"] = cap_label(values["rule"], tr)
    text = tr(f"unspent.reason.{row['reason']}", **values)
    also = row["costs_more_than_penalty"]
    if row["reason"] not in ("cost", "unexplained", "lead_time") and not missing(also) \
            and bool(also):
        text += tr("unspent.also_cost", cost=values["cost"])
    return text


def unspent_section(plan: Plan, tr: Translator) -> tuple[list[str], Table] | None:
    """Why money stays unspent while demand goes unserved: the money left under each cap,
    then a row per unserved workload and year with its reason. None when the plan has no
    `unspent` table (all served, or no money left)."""
    table = plan.tables.get("unspent")
    if table is None or not len(table):
        return None
    budget = plan.tables["budget"]
    history = budget["history"].astype(bool) if "history" in budget.columns else False
    left = budget[(budget["slack_mnok"] > REACHED_MNOK) & ~history]
    caps = "; ".join(tr("unspent.cap_left", cap=cap_label(row["cap"], tr),
                        year="" if missing(row["year"]) else int(row["year"]),
                        slack=tr.mnok(row["slack_mnok"])).replace("  ", " ")
                     for _, row in left.iterrows())
    columns = [Column(tr("col.workload")), Column(tr("col.year"), "year"),
               Column(tr("col.unserved"), "amount"),
               Column(tr("unspent.col.penalty"), "price"),
               Column(tr("unspent.col.reason")), Column(tr("unspent.col.confirmed"))]
    rows = []
    for _, row in table.iterrows():
        confirmed = "" if missing(row["confirmed"]) else tr(
            "unspent.confirmed" if bool(row["confirmed"]) else "unspent.not_confirmed",
            relaxation=row["relaxation"], after=tr.amount(row["served_after"]),
            demand=tr.amount(row["demand"]), before=tr.amount(row["served_before"]))
        factor = row.get("room_factor")
        if confirmed and not missing(factor) and int(factor) > 1:
            confirmed += tr("unspent.room_factor", factor=int(factor))
        rows.append([f"{row['workload']} ({row['unit']})", row["year"], row["unserved"],
                     row["unmet_penalty_mnok"], unspent_reason(row, tr), confirmed])
    return ([tr("unspent.left", caps=caps)],
            Table("unspent", tr("unspent.title"), columns, rows, note=tr("unspent.note")))


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
               Column(tr("cost.unserved_penalty_mnok"), "mnok"), Column(tr("col.source"),
                                                                       "source")]
    rows = [[row["scenario"], row["probability"], row["objective_mnok"], row["spending_mnok"],
             row["unserved_penalty_mnok"], row.get("source")] for _, row in table.iterrows()]
    return Table("scenarios", tr("scenario.overview"), columns, rows)


VALUE_OF_INFORMATION_KEYS = ("objective_mnok", "wait_and_see_mnok", "evpi_mnok", "eev_mnok",
                             "vss_mnok")


def value_of_information_table(plan: Plan, tr: Translator) -> Table | None:
    """RP, WS, EVPI, EEV and VSS of a plan from `planner stochastic`; None for others."""
    if "evpi_mnok" not in plan.summary:
        return None
    rows = [[tr(f"cost.{key}"), plan.summary.get(key)] for key in VALUE_OF_INFORMATION_KEYS]
    return Table("value_of_information", tr("scenario.value_of_information"),
                 [Column(tr("col.figure")), Column("MNOK", "mnok")], rows)


def first_stage_table(plan: Plan, tr: Translator) -> Table:
    shared = Plan(plan.instance, plan.metadata, plan.summary,
                  {"purchases": plan.tables["first_stage"]})
    table = purchases_table(shared, tr)
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


def summary(plan: Plan, tr: Translator) -> Summary:
    instance = plan.instance
    meta = plan.metadata
    gap = tr.percent(meta.get("gap") or 0.0, 4)
    status = tr("summary.status.optimal", gap=gap) if meta["status"] == "optimal" \
        else tr("summary.status.stopped", gap=gap)
    keys = ["spending_mnok", "national_investment_mnok", "eurohpc_investment_mnok",
            "operations_mnok", "unserved_penalty_mnok", "salvage_mnok", "objective_mnok"]
    if "redundancy_cost_mnok" in plan.summary:
        keys.append("redundancy_cost_mnok")
    # A two-stage plan from `planner stochastic` carries what planning for scenarios is worth.
    keys += ["wait_and_see_mnok", "evpi_mnok", "eev_mnok", "vss_mnok"]
    figures = [(tr(f"cost.{key}"), plan.summary[key]) for key in keys if key in plan.summary]
    return Summary(
        status=status,
        key_figures=figures,
        total_cap=instance.budget.total,
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
    """Caps reached, shares at a bound, minimum coverage reached, pool limits reached."""
    lines = []
    budget = plan.tables["budget"]
    marginal = "marginal_value_mnok_per_mnok"
    zero_caps: dict[str, list[int]] = {}
    for _, row in budget.iterrows():
        if row["slack_mnok"] > REACHED_MNOK or bool(row.get("history", False)):
            continue  # a history year's cap binds nothing; an overrun there is a warning
        if row["cap_mnok"] <= 0 and not missing(row["year"]):
            zero_caps.setdefault(row["cap"], []).append(int(row["year"]))
            continue
        year = "" if missing(row["year"]) else str(int(row["year"]))
        text = tr("summary.cap_reached", cap=cap_label(row["cap"], tr), year=year,
                  spent=tr.mnok(row["spent_mnok"]), limit=tr.mnok(row["cap_mnok"]))
        value = row.get(marginal)
        if not missing(value) and abs(value) > 1e-6:
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
                    lines.append(tr("summary.share_at_bound", years=row["years"],
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


# --- assumptions --------------------------------------------------------------------


def _map_text(values: dict[str, float] | None, instance: Instance, tr: Translator,
              kind: str = "amount") -> str:
    if not values:
        return ""
    parts = []
    for resource, value in values.items():
        unit = instance.resources[resource].unit if resource in instance.resources else ""
        number = tr.price(value) if kind == "price" else tr.amount(value)
        parts.append(f"{resource}: {number} {unit}".rstrip())
    return "; ".join(parts)


def _year_values_cells(value: Any, years: list[int]) -> list[Any]:
    if value is None:
        return [None] * len(years)
    if isinstance(value, dict):
        return [value.get(year) for year in years]
    return [value] * len(years)


def assumption_tables(instance: Instance, tr: Translator) -> list[Table]:
    """The instance's assumptions, a table per section, each number beside its source."""
    first = instance.years.first
    years = instance.year_list
    tables = []
    source = Column(tr("col.source"), "source")

    general = [
        [tr("assume.planning_years"), f"{instance.years.first}–{instance.years.last}"],
        [tr("assume.plan_from"), str(instance.first_plan_year)],
        [tr("assume.discount_rate"), Cell(instance.discount_rate, "percent")],
        [tr("assume.end_of_horizon"), tr("assume.salvage")
         if instance.end_of_horizon == "salvage" else tr("assume.no_salvage")],
    ]
    if getattr(instance, "scenarios", None):
        decide_now = getattr(instance, "decide_now", None) or [instance.first_plan_year]
        general.append([tr("assume.decide_now"), tr.year_list(decide_now)])
    tables.append(Table("general", tr("assume.general"),
                        [Column(tr("col.item")), Column(tr("col.value"))], general))

    tables.append(Table("resources", tr("assume.resources"),
                        [Column(tr("col.name")), Column(tr("col.unit")), source],
                        [[name, item.unit, item.source]
                         for name, item in instance.resources.items()]))
    tables.append(Table("tiers", tr("assume.tiers"),
                        [Column(tr("col.name")), Column(tr("assume.surcharge"), "percent"),
                         source],
                        [[tier.name, tier.surcharge, tier.source] for tier in instance.tiers]))
    tables.append(Table("locations", tr("assume.locations"),
                        [Column(tr("col.name")), Column(tr("assume.national"), "flag"),
                         Column(tr("assume.allied"), "flag"), source],
                        [[name, item.national, item.is_allied, item.source]
                         for name, item in instance.locations.items()]))
    tables.append(Table(
        "pools", tr("assume.pools"),
        [Column(tr("col.name")), Column(tr("col.kind")), Column(tr("assume.location")),
         Column(tr("assume.max_tier")), Column(tr("assume.fixed_opex"), "mnok"),
         Column(tr("assume.limit")), Column(tr("assume.price")), source],
        [[name, tr.term("kind", pool.kind), pool.location,
          pool.max_tier or instance.lowest_tier, pool.fixed_opex,
          _map_text(pool.limit, instance, tr), _map_text(pool.price, instance, tr, "price"),
          pool.source] for name, pool in instance.pools.items()]))
    products = []
    for name, product in instance.products.items():
        batch = ""
        if product.batch is not None:
            high = product.batch.max_units
            batch = tr("assume.batch_text", fixed_capex=tr.mnok(product.batch.fixed_capex),
                       fixed_opex=tr.mnok(product.batch.fixed_opex),
                       min_units=tr.amount(product.batch.min_units),
                       max_units="∞" if high is None else tr.amount(high))
        bought = tr.year_list(product.years) if product.years else tr("every_year")
        products.append([name, product.pool, _map_text(product.capacity, instance, tr),
                         product.capex, product.capex_trend, product.opex, product.lifetime,
                         product.lead_time, bought, product.integer, batch, product.source])
    tables.append(Table(
        "products", tr("assume.products"),
        [Column(tr("col.name")), Column(tr("col.pool")), Column(tr("assume.capacity_per_unit")),
         Column(tr("assume.capex", first=first), "price"),
         Column(tr("assume.capex_trend"), "percent"), Column(tr("assume.opex"), "price"),
         Column(tr("assume.lifetime"), "int"), Column(tr("assume.lead_time"), "int"),
         Column(tr("col.years_bought")), Column(tr("assume.whole_units"), "flag"),
         Column(tr("assume.batch")), source], products))
    if instance.existing:
        tables.append(Table(
            "existing", tr("assume.existing"),
            [Column(tr("col.name")), Column(tr("col.pool")), Column(tr("col.capacity")),
             Column(tr("col.tier")), Column(tr("assume.last_year"), "year"),
             Column(tr("assume.opex_existing"), "mnok"), source],
            [[item.name, item.pool, _map_text(item.capacity, instance, tr),
              item.tier or instance.lowest_tier, item.last_year, item.opex, item.source]
             for item in instance.existing]))
    workloads = []
    for name, workload in instance.workloads.items():
        unit = instance.resources[workload.resource].unit \
            if workload.resource in instance.resources else ""
        demand = workload.demand
        if isinstance(demand, dict):
            base = demand.get(first)
            growth: Any = Cell(tr("assume.demand_by_year"), "text")
        else:
            base, growth = demand.base, Cell(demand.growth, "percent")
        workloads.append([name, f"{workload.resource} ({unit})", Cell(base, "amount"), growth,
                          workload.tier or instance.lowest_tier,
                          tr.term("placement", workload.placement), workload.unmet_penalty,
                          workload.min_coverage, workload.redundant, workload.source])
    columns = [Column(tr("col.name")), Column(tr("col.resource")),
               Column(tr("assume.demand_first", first=first), "amount"),
               Column(tr("assume.growth"), "percent"), Column(tr("col.tier")),
               Column(tr("assume.placement")), Column(tr("assume.penalty"), "price"),
               Column(tr("col.min_coverage"), "percent"), Column(tr("assume.redundant"), "flag"),
               source]
    if not any(workload.redundant for workload in instance.workloads.values()):
        columns.pop(-2)
        workloads = [row[:-2] + row[-1:] for row in workloads]
    tables.append(Table("workloads", tr("assume.workloads"), columns, workloads))
    demand_rows = [[name, *[workload.demand.get(year) for year in years]]
                   for name, workload in instance.workloads.items()
                   if isinstance(workload.demand, dict)]
    if demand_rows:
        tables.append(Table(
            "demand_by_year", f"{tr('col.demand')} ({tr('assume.demand_by_year')})",
            [Column(tr("col.workload"))] + [Column(str(year), "amount") for year in years],
            demand_rows))
    year_columns = [Column(str(year), "mnok") for year in years]
    year_columns.append(Column(f"{tr('col.total')} ({tr('cap.all_years')})", "mnok"))
    money = [[tr("assume.baseline_opex"), *_year_values_cells(instance.baseline_opex, years),
              None]]
    budget = instance.budget
    for key in ("yearly", "investment", "national_investment", "eurohpc_investment",
                "operations"):
        value = getattr(budget, key)
        if value is not None:
            money.append([cap_label(key, tr), *_year_values_cells(value, years), None])
    if budget.total is not None:
        money.append([cap_label("total", tr), *([None] * len(years)), budget.total])
    tables.append(Table("budget", tr("assume.budget"),
                        [Column(tr("col.item"))] + year_columns, money,
                        note=f"{tr('col.source')}: {budget.source}" if budget.source else None))
    policy = []
    share = instance.policy.eurohpc_share
    if share is not None:
        span = f"{share.years[0]}–{share.years[1]}" if share.years \
            else f"{instance.years.first}–{instance.years.last}"
        policy.append([tr("share.eurohpc"), tr(
            "assume.eurohpc_rule", min=tr.percent(share.min),
            max="–" if share.max is None else tr.percent(share.max),
            of=tr.term("of", share.of), years=span), share.source])
    national = instance.policy.national_share
    if national is not None:
        resources = ", ".join(national.resources) if national.resources \
            else tr("assume.all_resources")
        policy.append([tr("share.national"), tr("assume.national_rule",
                                                min=tr.percent(national.min),
                                                resources=resources), national.source])
    if policy:
        tables.append(Table("policy", tr("assume.policy"),
                            [Column(tr("col.item")), Column(tr("assume.rule")), source], policy))
    scenarios = getattr(instance, "scenarios", None)
    if scenarios:
        def factors(values: dict[str, float], kind: str) -> str:
            show = tr.percent if kind == "percent" else (lambda value: tr.number(value, 2))
            return "; ".join(f"{key}: {show(value)}" for key, value in values.items())

        tables.append(Table(
            "scenarios", tr("assume.scenarios"),
            [Column(tr("col.name")), Column(tr("col.probability"), "percent"),
             Column(tr("assume.demand_scale")), Column(tr("assume.demand_growth")),
             Column(tr("assume.price_scale")), source],
            [[name, item.probability, factors(item.demand_scale, "number"),
              factors(item.demand_growth, "percent"), factors(item.price_scale, "number"),
              item.source] for name, item in scenarios.items()]))
    if instance.committed:
        tables.append(Table(
            "committed", tr("assume.committed"),
            [Column(tr("col.product")), Column(tr("col.year"), "year"), Column(tr("col.tier")),
             Column(tr("col.units"), "amount"), Column(tr("col.unit_capex_mnok"), "price"),
             source],
            [[item.product, item.year, item.tier or instance.lowest_tier, item.units,
              item.capex if item.capex is not None else tr("assume.forecast_price"),
              item.source] for item in instance.committed]))
    return tables


# --- metadata -----------------------------------------------------------------------

METADATA_KEYS = ("instance_name", "instance_file", "instance_sha256", "status",
                 "proven_optimal", "termination", "objective_mnok", "bound_mnok", "gap",
                 "mip_gap_requested", "time_limit_seconds", "priority",
                 "least_weighted_unserved_mnok", "threads", "random_seed", "build_seconds",
                 "solve_seconds", "solver", "tool", "format_version", "plan_schema_version",
                 "timestamp", "overrides")


def metadata_table(metadata: dict[str, Any], tr: Translator) -> Table:
    rows = []
    for key in METADATA_KEYS:
        if key not in metadata:
            continue
        value = metadata[key]
        if key == "status":
            value = tr.term("status", value)
        elif key == "proven_optimal":
            value = tr.flag(value)
        elif key == "priority":
            value = tr.term("priority", value)
        elif key == "solver":
            value = f"{value} {metadata.get('solver_version', '')}".strip()
        elif key == "tool":
            value = f"{value} {metadata.get('tool_version', '')}".strip()
        elif key == "overrides":
            if not value:
                continue
            value = " ".join(f"--set {text}" for text in value)
        elif key in ("objective_mnok", "bound_mnok", "least_weighted_unserved_mnok"):
            value = Cell(value, "price")
        elif key in ("gap", "mip_gap_requested"):
            value = Cell(value, "text") if value is None else f"{value:.3g}"
        elif key in ("build_seconds", "solve_seconds"):
            value = Cell(value, "number")
        elif value is None:
            value = "–"
        rows.append([tr(f"meta.{key}"), value])
    return Table("metadata", tr("section.metadata"),
                 [Column(tr("col.key")), Column(tr("col.value"))], rows)
