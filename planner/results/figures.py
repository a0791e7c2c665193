"""Displayed figures that more than one table shows: the financing plan's cells and
totals, and what a budget cap's spending is shown as. Every view, and the `binding`
column of plan.json's budget table, reads them from here (docs/results.md)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planner.results.rounding import add_shown, is_binding, money

FINANCING_PARTS = ("national_investment", "operations", "eurohpc_investment")


@dataclass(frozen=True)
class FinancingFigures:
    """Tabell 1 as displayed: each part rounded to 0.1 MNOK, each total the sum of the
    displayed parts (`cell[line][year]`, `total[line]`; line "sum" is the column sums)."""

    years: list[str]
    cell: dict[str, dict[str, float]]
    total: dict[str, float]

    @property
    def grand_total(self) -> float:
        return self.total["sum"]


def financing_figures(financing: pd.DataFrame) -> FinancingFigures:
    """From an exact financing table (a row per line, a column per year, as tables.py
    makes it; its own sum row and total column are not read)."""
    years = [str(column) for column in financing.columns
             if str(column) not in ("line", "total", "scenario")]
    cell: dict[str, dict[str, float]] = {}
    for _, row in financing.iterrows():
        if row["line"] in FINANCING_PARTS:
            cell[row["line"]] = {year: money(float(row[year])) or 0.0 for year in years}
    for line in FINANCING_PARTS:
        cell.setdefault(line, dict.fromkeys(years, 0.0))
    cell["sum"] = {year: add_shown(cell[line][year] for line in FINANCING_PARTS)
                   for year in years}
    total = {line: add_shown(values.values()) for line, values in cell.items()}
    return FinancingFigures(years, cell, total)


def spent_shown(figures: FinancingFigures, cap: str, year: int | None) -> float:
    """What a cap's spending is displayed as: built from the financing plan's displayed
    cells, so the budget table and Tabell 1 show one figure the same."""
    if year is None:  # the total budget: everything spent over the horizon
        return figures.grand_total
    key = str(int(year))
    cells = figures.cell
    if cap == "yearly":
        return cells["sum"][key]
    if cap == "investment":
        return add_shown([cells["national_investment"][key], cells["eurohpc_investment"][key]])
    return cells[cap][key]


def budget_figures(budget: pd.DataFrame, financing: pd.DataFrame) -> list[dict]:
    """Each budget row as displayed: cap, spent and left (cap − spent, both as shown) and
    `binding` (spent shown equals cap shown)."""
    figures = financing_figures(financing)
    rows = []
    for _, row in budget.iterrows():
        year = None if pd.isna(row["year"]) else int(row["year"])
        cap = money(float(row["cap_mnok"])) or 0.0
        spent = spent_shown(figures, row["cap"], year)
        # A history year's cap binds nothing (spec §5): it is shown for its overrun.
        history = bool(row["history"]) if "history" in budget.columns else False
        rows.append({"cap": row["cap"], "year": year, "cap_mnok": cap, "spent_mnok": spent,
                     "slack_mnok": add_shown([cap, -spent]),
                     "binding": is_binding(spent, cap) and not history, "history": history})
    return rows
