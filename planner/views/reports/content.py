"""What a report says besides the plan's tables: the assumptions and the metadata, in one
language. The plan's own tables and summary are built once, for every view, in
planner.results.display (re-exported here under their old names).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from planner.input.schema import Instance
from planner.results.display import (  # noqa: F401  (the report's names for them)
    KEY_FIGURES,
    VALUE_OF_INFORMATION_KEYS,
    Cell,
    Column,
    ScenarioPart,
    Summary,
    Table,
    binding_lines,
    budget_rows,
    budget_table,
    cap_label,
    capacity_table,
    cost_table,
    coverage_table,
    financing_table,
    first_stage_table,
    format_value,
    missing,
    plan_tables,
    plan_wide_warnings,
    plan_years,
    purchases_by_product,
    purchases_table,
    redundancy_table,
    scenario_parts,
    scenarios_table,
    shares_table,
    summary,
    unserved_lines,
    value_of_information_table,
)
from planner.results.plan import Plan
from planner.results.translations import Translator

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
    # Money left as the budget table shows it (cap − spent, both as displayed), so the two
    # agree; one line per cap, so that no line breaks between a cap's year and its amount.
    caps = [tr("unspent.cap_left", cap=cap_label(row["cap"], tr),
               year="" if row["year"] is None else row["year"],
               slack=tr.mnok(row["slack_mnok"])).replace(" :", ":")
            for row in budget_rows(plan) if row["slack_mnok"] > 0 and not row["history"]]
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
    return ([tr("unspent.left"), *caps],
            Table("unspent", tr("unspent.title"), columns, rows, note=tr("unspent.note")))


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
        elif key == "termination":
            value = tr.termination(value)
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
