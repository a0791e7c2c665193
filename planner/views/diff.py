"""The terminal's view of a diff (planner.results.plan_diff computes it): inputs first (the
reasons), then what the plan changed. Money as every view shows it (0.1 MNOK, a change
the difference of the two figures shown); names and values from the instances as plain
text, never markup."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner.results.plan_diff import (
    AMOUNT_TOLERANCE,
    CATEGORIES,
    MONEY_TOLERANCE_MNOK,
    SUMMARY_KEYS,
    PlanDiff,
    _changed,
)
from planner.results.rounding import add_shown, money
from planner.results.translations import Translator
from planner.views.terminal import print_text

ENGLISH = Translator("en")


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _number(value: Any) -> str:
    if _missing(value):
        return "–"
    value = float(value)
    if value == round(value):
        return ENGLISH.number(value, 0)
    if abs(value) >= 100:
        return ENGLISH.number(value, 1)
    return ENGLISH.number(float(f"{value:.4g}"), 4).rstrip("0").rstrip(".")


def _money(value: Any) -> str:
    return "–" if _missing(value) else ENGLISH.mnok(money(float(value)))


def _change(before: Any, after: Any) -> str:
    """The change of two money figures as shown: shown after − shown before."""
    if _missing(before) and _missing(after):
        return ""
    shown = add_shown([money(0.0 if _missing(after) else float(after)),
                       -(money(0.0 if _missing(before) else float(before)) or 0.0)])
    if shown == 0:
        return "±0"
    return ("+" if shown > 0 else "−") + ENGLISH.mnok(abs(shown))


def describe_value(value: Any) -> str:
    """An input value as a planner reads it; None is "–" (absent); years as years."""
    if value is None:
        return "–"
    if isinstance(value, dict) and set(value) == {"units", "capex"}:
        price = "" if value["capex"] is None else f" at {ENGLISH.price(value['capex'])} MNOK"
        return f"{_number(value['units'])} units{price}"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(describe_value(item) for item in value) + "]"
    return str(value)


def _arrow(before: Any, after: Any, is_money: bool = False) -> Text:
    """`before → after`, or the one value where both are the same."""
    show = _money if is_money else _number
    if not _changed(before, after, MONEY_TOLERANCE_MNOK if is_money else AMOUNT_TOLERANCE) \
            or show(before) == show(after):
        return Text(show(after if not _missing(after) else before))
    return Text(f"{show(before)} → ").append(show(after), style="bold")


def _table(title: str, columns: list[str], right: set[str]) -> Table:
    view = Table(title=Text(title, style="bold"), title_justify="left")
    for column in columns:
        view.add_column(Text(column), justify="right" if column in right else "left",
                        no_wrap=column in right)
    return view


def print_diff(diff: PlanDiff, console: Console) -> None:
    """The diff in the terminal: inputs first (the reasons), then what the plan changed."""
    console.rule(Text("Diff: ", style="bold").append(f"{diff.before_label} → "
                                                     f"{diff.after_label}", style=""))
    if diff.status[0] != diff.status[1]:
        print_text(console, f"Status: {diff.status[0]} → {diff.status[1]}")
    for note in diff.notes:
        print_text(console, f"note: {note}", "yellow")
    if diff.inputs:
        print_text(console, "Inputs that changed (the reasons), by kind:", "bold")
        view = Table(show_header=True)
        for column in ("Key", "Before", "After"):
            view.add_column(column, overflow="fold")
        shown = None
        for change in diff.inputs:
            if change.category != shown:
                view.add_row(Text(CATEGORIES[change.category], style="italic"), "", "")
                shown = change.category
            view.add_row(Text(f"  {change.path}"), Text(describe_value(change.before)),
                         Text(describe_value(change.after)))
        console.print(view)
    else:
        console.print("Inputs: no change.")

    view = _table("Cost summary (MNOK)", ["", "Before", "After", "Change"],
                  {"Before", "After", "Change"})
    for row in diff.summary.itertuples():
        view.add_row(SUMMARY_KEYS[row.key].replace(" (MNOK)", ""), _money(row.before),
                     _money(row.after), _change(row.before, row.after))
    console.print(view)
    if not diff.plan_changed:
        console.print("The plan itself did not change.")
        return

    if len(diff.financing):
        view = _table("Financing (MNOK, nominal): changed cells",
                      ["Line", "Year", "Before", "After", "Change"], {"Before", "After", "Change"})
        for row in diff.financing.itertuples():
            view.add_row(ENGLISH(f"line.{row.line}"), "Total" if row.year == "total"
                         else str(row.year), _money(row.mnok_before), _money(row.mnok_after),
                         _change(row.mnok_before, row.mnok_after))
        console.print(view)
    if len(diff.purchases):
        view = _table("Purchases: changed cells",
                      ["Product", "Year", "Tier", "Units", "MNOK", "Committed"],
                      {"Units", "MNOK"})
        committed = {(True, True): "both", (False, True): "now", (True, False): "before"}
        for row in diff.purchases.itertuples():
            flag = committed.get((row.committed_before is True, row.committed_after is True), "")
            view.add_row(Text(str(row.product)), str(row.year), Text(str(row.tier)),
                         _arrow(row.units_before, row.units_after),
                         _arrow(row.capex_mnok_before, row.capex_mnok_after, is_money=True), flag)
        console.print(view)
    if len(diff.capacity):
        view = _table("Capacity in service: changed", ["Pool", "Resource", "Year", "Capacity"],
                      {"Capacity"})
        for row in diff.capacity.itertuples():
            view.add_row(Text(str(row.pool)), Text(f"{row.resource} ({row.unit})"),
                         str(row.year), _arrow(row.capacity_before, row.capacity_after))
        console.print(view)
    if len(diff.coverage):
        view = _table("Demand served: changed",
                      ["Workload", "Year", "Demand", "Served", "Unserved"],
                      {"Demand", "Served", "Unserved"})
        for row in diff.coverage.itertuples():
            view.add_row(Text(f"{row.workload} ({row.unit})"), str(row.year),
                         _arrow(row.demand_before, row.demand_after),
                         _arrow(row.served_before, row.served_after),
                         _arrow(row.unserved_before, row.unserved_after))
        console.print(view)
