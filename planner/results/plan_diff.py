"""What changed between two plans, and which inputs changed that explain it.

    diff = diff_plans(before, after)
    diff.inputs        # [InputChange(category, path, before, after)], by category
    diff.financing     # line, year, before, after, change (changed cells only)
    diff.purchases, diff.capacity, diff.coverage, diff.summary
    planner.views.diff.print_diff(diff, console)   # the terminal's view of it

Inputs are compared as validated instances, with every default filled in, `source` texts
left out, values given per year spread over the years, and commitments summed per
(product, year, tier) cell, so that two ways of writing the same thing are not a change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.data.derive import unit_capex, year_values
from planner.input.schema import Instance
from planner.results.plan import Plan

# Differences smaller than these are solver noise, not changes.
MONEY_TOLERANCE_MNOK = 1e-6
AMOUNT_TOLERANCE = 1e-6
RELATIVE_TOLERANCE = 1e-9

CATEGORIES = {
    "commitments": "commitments and history (committed, plan_from)",
    "demand": "demand (workloads)",
    "prices": "prices and running costs",
    "budget": "budget caps",
    "policy": "policy",
    "horizon": "horizon",
    "capacity": "capacity, products and sites",
    "other": "other",
}

SUMMARY_KEYS = {
    "objective_mnok": "Objective (discounted, MNOK)",
    "spending_mnok": "Spending, nominal (MNOK)",
    "national_investment_mnok": "National investment (MNOK)",
    "eurohpc_investment_mnok": "Investment through EuroHPC (MNOK)",
    "operations_mnok": "Operations (MNOK)",
    "unserved_penalty_mnok": "Unserved-demand penalty (MNOK)",
    "salvage_mnok": "Salvage credit (MNOK)",
}

_PRICE_FIELDS = {"capex", "capex_trend", "opex", "fixed_capex", "fixed_opex", "price"}


class DiffNote(str):
    """A note on a diff, in English (as diff.json holds it), with its translation key
    and values so a Norwegian page says it in Norwegian (`diff.note.<key>`)."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, text: str, **values: Any) -> DiffNote:
        note = super().__new__(cls, text)
        note.key, note.values = key, values
        return note


@dataclass(frozen=True)
class InputChange:
    """One input value that differs: its category, key path, and both values (None: absent)."""

    category: str
    path: str
    before: Any
    after: Any


@dataclass
class PlanDiff:
    before_label: str
    after_label: str
    status: tuple[str, str]
    inputs: list[InputChange]
    summary: pd.DataFrame
    financing: pd.DataFrame
    purchases: pd.DataFrame
    capacity: pd.DataFrame
    coverage: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    # Every financing cell of both plans (line, year, mnok_before, mnok_after), changed or
    # not: a chart draws both values of every cell.
    financing_cells: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def categories(self) -> list[str]:
        """The categories of changed inputs, in the order they are shown."""
        present = {change.category for change in self.inputs}
        return [category for category in CATEGORIES if category in present]

    @property
    def plan_changed(self) -> bool:
        return self.status[0] != self.status[1] or any(
            len(table) for table in (self.financing, self.purchases, self.capacity,
                                     self.coverage))

    def to_document(self) -> dict[str, Any]:
        """The diff as plain JSON data."""
        def records(table: pd.DataFrame) -> list[dict[str, Any]]:
            return [{key: _plain(value) for key, value in row.items()}
                    for row in table.astype(object).to_dict(orient="records")]

        return {
            "before": self.before_label, "after": self.after_label,
            "status": {"before": self.status[0], "after": self.status[1]},
            "inputs": [{"category": c.category, "path": c.path, "before": _plain(c.before),
                        "after": _plain(c.after)} for c in self.inputs],
            "summary": records(self.summary),
            "financing": records(self.financing),
            "purchases": records(self.purchases),
            "capacity": records(self.capacity),
            "coverage": records(self.coverage),
            "notes": [str(note) for note in self.notes],
        }


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA:
        return None
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


# -- inputs ---------------------------------------------------------------------------

def _drop_sources(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _drop_sources(item) for key, item in value.items() if key != "source"}
    if isinstance(value, list):
        return [_drop_sources(item) for item in value]
    return value


def normalised_inputs(instance: Instance) -> dict[str, Any]:
    """The instance as comparable plain data (defaults in, sources out, year values spread,
    commitments summed per cell, named list items keyed by name)."""
    years = instance.year_list
    data = _drop_sources(instance.model_dump())
    # A year without baseline opex costs 0, so 0 and absent are the same (not so for caps).
    data["baseline_opex"] = {year: amount for year, amount in
                             year_values(instance.baseline_opex, years).items() if amount}
    for key in ("yearly", "investment", "national_investment", "eurohpc_investment",
                "operations"):
        data["budget"][key] = year_values(getattr(instance.budget, key), years)
    data["tiers"] = {tier.pop("name"): tier for tier in data["tiers"]}
    data["existing"] = {system.pop("name"): system for system in data["existing"]}
    data["plan_from"] = instance.first_plan_year
    cells: dict[str, dict[str, float]] = {}
    for commitment in instance.committed:
        tier = commitment.tier or instance.lowest_tier
        price = commitment.capex
        if price is None:
            price = unit_capex(instance, commitment.product, commitment.year) * (
                1 + instance.tiers[instance.tier_index(tier)].surcharge)
        cell = cells.setdefault(f"{commitment.product}.{commitment.year}.{tier}",
                                {"units": 0.0, "paid_mnok": 0.0})
        cell["units"] += commitment.units
        cell["paid_mnok"] += commitment.units * price
    data["committed"] = {
        key: {"units": cell["units"],
              "capex": cell["paid_mnok"] / cell["units"] if cell["units"] else None}
        for key, cell in cells.items()}
    for product in data["products"].values():
        if product.get("years") is not None:
            product["years"] = sorted(product["years"])
    return data


def _flatten(value: Any, prefix: str, into: dict[str, Any]) -> None:
    # Commitment cells stay whole: units and price are one fact.
    if isinstance(value, dict) and value and not prefix.startswith("committed."):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), into)
    elif isinstance(value, dict) and not value:
        return
    else:
        into[prefix] = value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    return a == b


def _category(path: str) -> str:
    parts = path.split(".")
    top = parts[0]
    if top in ("committed", "plan_from"):
        return "commitments"
    if top == "workloads":
        return "demand"
    if top in ("budget", "policy"):
        return top
    if top in ("baseline_opex", "discount_rate"):
        return "prices"
    if top in ("years", "end_of_horizon"):
        return "horizon"
    if top in ("products", "pools", "existing"):
        return "prices" if parts[-1] in _PRICE_FIELDS or "price" in parts else "capacity"
    if top in ("resources", "tiers", "locations"):
        return "prices" if parts[-1] == "surcharge" else "capacity"
    return "other"


def input_changes(before: Instance, after: Instance) -> list[InputChange]:
    """Every input value that differs, grouped by category (CATEGORIES order)."""
    flat_before: dict[str, Any] = {}
    flat_after: dict[str, Any] = {}
    _flatten(normalised_inputs(before), "", flat_before)
    _flatten(normalised_inputs(after), "", flat_after)
    paths = list(flat_before) + [path for path in flat_after if path not in flat_before]
    changes = [
        InputChange(_category(path), path, flat_before.get(path), flat_after.get(path))
        for path in paths
        if not _same(flat_before.get(path), flat_after.get(path))
    ]
    order = list(CATEGORIES)
    return sorted(changes, key=lambda change: order.index(change.category))


# -- the plan's tables ------------------------------------------------------------------

def _changed(a: Any, b: Any, tolerance: float) -> bool:
    """A missing value (a row one plan lacks) counts as 0."""
    def number(value: Any) -> float:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return 0.0
        return float(value)

    return abs(number(a) - number(b)) > tolerance


def _joined(before: pd.DataFrame, after: pd.DataFrame, keys: list[str],
            values: list[str]) -> pd.DataFrame:
    """Outer join of two tables on `keys`, `values` suffixed _before/_after."""
    empty = pd.DataFrame(columns=keys + values)
    before = (before if len(before) else empty)[keys + values]
    after = (after if len(after) else empty)[keys + values]
    joined = before.merge(after, on=keys, how="outer", suffixes=("_before", "_after"))
    return joined.sort_values(keys, kind="stable").reset_index(drop=True)


def _keep_changed(table: pd.DataFrame, values: dict[str, float]) -> pd.DataFrame:
    if not len(table):
        return table
    mask = [any(_changed(row[f"{value}_before"], row[f"{value}_after"], tolerance)
                for value, tolerance in values.items())
            for _, row in table.iterrows()]
    return table[mask].reset_index(drop=True)


def _financing_long(plan: Plan) -> pd.DataFrame:
    table = plan.tables.get("financing")
    if table is None or not len(table):
        return pd.DataFrame(columns=["line", "year", "mnok"])
    long = table.melt(id_vars=["line"], var_name="year", value_name="mnok")
    return long


def _financing_cells(before: Plan, after: Plan) -> pd.DataFrame:
    joined = _joined(_financing_long(before), _financing_long(after), ["line", "year"],
                     ["mnok"])
    order = {line: position for position, line in
             enumerate(["national_investment", "operations", "eurohpc_investment", "sum"])}
    joined["_line"] = joined["line"].map(order)
    joined["_year"] = joined["year"].map(lambda year: 9999 if year == "total" else int(year))
    joined = joined.sort_values(["_line", "_year"]).drop(columns=["_line", "_year"])
    return joined.reset_index(drop=True)


def _financing(cells: pd.DataFrame) -> pd.DataFrame:
    changed = _keep_changed(cells, {"mnok": MONEY_TOLERANCE_MNOK})
    changed["change_mnok"] = changed["mnok_after"].fillna(0) - changed["mnok_before"].fillna(0)
    return changed


def _purchases_by_cell(plan: Plan) -> pd.DataFrame:
    table = plan.tables.get("purchases")
    columns = ["product", "year", "tier", "units", "capex_mnok", "unit_capex_mnok",
               "committed"]
    if table is None or not len(table):
        return pd.DataFrame(columns=columns)
    grouped = table.groupby(["product", "year", "tier"], as_index=False, sort=False).agg(
        units=("units", "sum"), capex_mnok=("capex_mnok", "sum"),
        unit_capex_mnok=("unit_capex_mnok", "first"), committed=("committed", "any"))
    return grouped[columns]


def _purchases(before: Plan, after: Plan) -> pd.DataFrame:
    joined = _joined(_purchases_by_cell(before), _purchases_by_cell(after),
                     ["product", "year", "tier"],
                     ["units", "capex_mnok", "unit_capex_mnok", "committed"])
    return _keep_changed(joined, {"units": AMOUNT_TOLERANCE,
                                  "capex_mnok": MONEY_TOLERANCE_MNOK})


def _table(plan: Plan, name: str, columns: list[str]) -> pd.DataFrame:
    table = plan.tables.get(name)
    if table is None or not len(table):
        return pd.DataFrame(columns=columns)
    return table[columns]


def _capacity(before: Plan, after: Plan) -> pd.DataFrame:
    columns = ["pool", "resource", "unit", "year", "capacity", "used"]
    joined = _joined(_table(before, "capacity", columns), _table(after, "capacity", columns),
                     ["pool", "resource", "unit", "year"], ["capacity", "used"])
    return _keep_changed(joined, {"capacity": AMOUNT_TOLERANCE})


def _coverage(before: Plan, after: Plan) -> pd.DataFrame:
    columns = ["workload", "unit", "year", "demand", "served", "unserved",
               "unserved_penalty_mnok"]
    joined = _joined(_table(before, "coverage", columns), _table(after, "coverage", columns),
                     ["workload", "unit", "year"],
                     ["demand", "served", "unserved", "unserved_penalty_mnok"])
    return _keep_changed(joined, {"demand": AMOUNT_TOLERANCE, "served": AMOUNT_TOLERANCE,
                                  "unserved": AMOUNT_TOLERANCE})


def _summary(before: Plan, after: Plan) -> pd.DataFrame:
    records = []
    for key in SUMMARY_KEYS:
        a, b = before.summary.get(key), after.summary.get(key)
        change = None if a is None or b is None else b - a
        records.append({"key": key, "before": a, "after": b, "change": change})
    return pd.DataFrame.from_records(records, columns=["key", "before", "after", "change"])


# Tables of a two-stage plan and how its rows are keyed, for its expectation.
_EXPECTED_TABLES = {
    "purchases": (["product", "pool", "year", "tier"], ["units", "capex_mnok"]),
    "capacity": (["pool", "resource", "unit", "year"], ["capacity", "used"]),
    "coverage": (["workload", "unit", "year"], ["demand", "served", "unserved",
                                                "unserved_penalty_mnok"]),
}


def expected_plan(plan: Plan) -> Plan:
    """A two-stage plan as one plan: every table the probability-weighted sum over its
    scenarios (a purchase a scenario does not make counts 0 there). A plan without
    scenarios is returned as it is. Its summary is already the expectation."""
    financing = plan.tables.get("financing")
    overview = plan.tables.get("scenarios")
    if financing is None or "scenario" not in financing.columns or overview is None:
        return plan
    weight = dict(zip(overview["scenario"], overview["probability"], strict=True))

    def weighted(table: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
        scaled = table.copy()
        factors = scaled["scenario"].map(weight)
        for column in values:
            scaled[column] = scaled[column].astype(float) * factors
        return scaled.groupby(keys, as_index=False, sort=False)[values].sum()

    years = [column for column in financing.columns if column not in ("scenario", "line")]
    tables = {"financing": weighted(financing, ["line"], years)}
    for name, (keys, values) in _EXPECTED_TABLES.items():
        table = plan.tables.get(name)
        if table is None or not len(table):
            continue
        expected = weighted(table, keys, values)
        if name == "purchases":
            expected["unit_capex_mnok"] = [
                capex / units if units > 0 else math.nan
                for capex, units in zip(expected["capex_mnok"], expected["units"], strict=True)]
            committed = table.groupby(["product", "year", "tier"], sort=False)["committed"].any()
            expected["committed"] = [committed[row.product, row.year, row.tier]
                                     for row in expected.itertuples()]
        tables[name] = expected
    return Plan(instance=plan.instance, metadata=plan.metadata, summary=plan.summary,
                tables=tables)


def diff_plans(before: Plan, after: Plan, before_label: str = "before",
               after_label: str = "after") -> PlanDiff:
    """What changed from `before` to `after`: inputs, summary and the plan's tables.

    A two-stage plan enters with its tables as expectations over its scenarios
    (`expected_plan`), so it can be compared with another two-stage plan or a plain one.
    """
    notes = []
    for label, plan in ((before_label, before), (after_label, after)):
        if expected_plan(plan) is not plan:
            notes.append(DiffNote(
                "two_stage", f"{label} is a two-stage plan: its purchases, capacity, "
                "coverage and financing are compared as probability-weighted expectations "
                "over its scenarios", label=label))
    before, after = expected_plan(before), expected_plan(after)
    for label, plan in ((before_label, before), (after_label, after)):
        if not plan.has_plan:
            notes.append(DiffNote(
                "no_plan", f"{label} has no plan (status {plan.status}): only its inputs "
                "are compared", label=label, status=plan.status))
    history = [year for year in after.instance.year_list
               if year < after.instance.first_plan_year]
    if history and before.instance.first_plan_year < after.instance.first_plan_year:
        years = f"{history[0]}" if len(history) == 1 else f"{history[0]}..{history[-1]}"
        notes.append(DiffNote(
            "history", f"{years} history in {after_label}: purchases there are committed, "
            "not planned", years=history, label=after_label))
    cells = _financing_cells(before, after)
    return PlanDiff(
        before_label=before_label, after_label=after_label,
        status=(before.status, after.status),
        inputs=input_changes(before.instance, after.instance),
        summary=_summary(before, after),
        financing=_financing(cells),
        purchases=_purchases(before, after),
        capacity=_capacity(before, after),
        coverage=_coverage(before, after),
        notes=notes,
        financing_cells=cells,
    )
