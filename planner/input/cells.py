"""Spreadsheet cell text that stays text: what a spreadsheet would take for a formula, and
how the planner keeps such text inert when it writes a workbook or a CSV file.

Names travel in instance files, so any of them may start with `=` or `@`. Excel, LibreOffice
and Google Sheets read a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
as a formula (OWASP, "CSV Injection"). This module sits at the bottom of the stages because
both the instance workbooks (`planner convert`) and the reports write such cells.
"""

from __future__ import annotations

from typing import Any

# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    """A text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value: Any) -> Any:
    """A CSV cell's value, with formula-like text prefixed by a single quote (OWASP);
    numbers and other text unchanged."""
    return "'" + value if formula_like(value) else value


def make_workbook_inert(workbook) -> None:
    """Every text cell of an openpyxl workbook that starts like a formula is stored as
    text (data type `s`, never a formula `<f>`) with Excel's quote prefix, so editing the
    cell in Excel does not turn it into one either. Numbers are untouched."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                inert_cell(cell)


def inert_cell(cell) -> None:
    """One openpyxl cell made inert (see `make_workbook_inert`)."""
    if formula_like(cell.value):
        cell.data_type = "s"  # openpyxl marked text starting with "=" as a formula
        cell.quotePrefix = True
