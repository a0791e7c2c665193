"""The Excel report: the financing plan in Tabell 1's layout first, then purchases, capacity,
coverage, shares, budget caps, assumptions and metadata. Numbers are written as numbers
(percentages as fractions shown with a % format), units in the headers."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.input.cells import make_workbook_inert
from planner.results.display import per_scenario, pivot_tables
from planner.results.plan import Plan
from planner.results.translations import Translator
from planner.views.reports.content import (
    Cell,
    Column,
    Table,
    assumption_tables,
    financing_table,
    first_stage_table,
    metadata_table,
    missing,
    scenarios_table,
    value_of_information_table,
)

NUMBER_FORMATS = {
    "mnok": "#,##0.0",
    "price": "#,##0.000",
    "amount": "#,##0.###",
    "units": "#,##0.###",
    "percent": "0.0%",
    "year": "0",
    "int": "0",
    "number": "#,##0.####",
    "sci": "0.00E+00",
}
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
BOLD = Font(bold=True)


def _plain(value: Any) -> Any:
    """A value openpyxl can write: numpy scalars as Python numbers, missing values empty."""
    if isinstance(value, Cell):
        value = value.value
    if missing(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def write_table(sheet: Worksheet, table: Table, tr: Translator, row: int = 1,
                title: bool = False) -> int:
    """Write `table` from `row` down; returns the next free row."""
    if title:
        sheet.cell(row=row, column=1, value=table.title).font = Font(bold=True, size=12)
        row += 1
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=row, column=index, value=column.header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for offset, values in enumerate(table.rows, start=1):
        for index, (column, value) in enumerate(zip(table.columns, values, strict=True),
                                                start=1):
            kind = value.kind if isinstance(value, Cell) else column.kind
            plain = _plain(value)
            if kind == "flag" and plain is not None:
                plain = tr.flag(plain)
            cell = sheet.cell(row=row + offset, column=index, value=plain)
            if kind in NUMBER_FORMATS and isinstance(plain, int | float):
                cell.number_format = NUMBER_FORMATS[kind]
            if kind == "source":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if offset - 1 in table.bold_rows:
                cell.font = BOLD
    next_row = row + len(table.rows) + 1
    if table.note:
        sheet.cell(row=next_row, column=1, value=table.note).font = Font(italic=True)
        next_row += 1
    return next_row


def _widths(sheet: Worksheet, source_width: int = 70) -> None:
    for column in sheet.columns:
        letter = get_column_letter(column[0].column)
        longest = max((len(str(cell.value)) for cell in column if cell.value is not None),
                      default=8)
        sheet.column_dimensions[letter].width = min(max(10, longest + 2), source_width)


def financing_sheet_table(plan: Plan, tr: Translator) -> Table:
    """Tabell 1 as every view shows it: the line, a column per year, the total; the
    figures rounded to 0.1 MNOK and the sums the sums of what is shown."""
    table = per_scenario(plan, tr, financing_table)
    table.columns = [Column(f"{tr('col.line')} ({tr('financing.line')})")
                     if column.header == tr("financing.line") else column
                     for column in table.columns]
    return table


def render_plan_xlsx(plan: Plan, lang: str = "en") -> bytes:
    """The workbook's bytes."""
    tr = Translator(lang)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = tr("sheet.financing")
    if plan.has_plan:
        financing = financing_sheet_table(plan, tr)
        # Year headers as numbers, so the sheet reads back with its years as years.
        financing.columns = [type(column)(int(column.header), column.kind)
                             if column.header.isdigit() else column
                             for column in financing.columns]
        write_table(sheet, financing, tr)
        _widths(sheet)
        sheet.freeze_panes = "B2"
        for key, table in pivot_tables(plan, tr).items():
            page = workbook.create_sheet(tr(f"sheet.{key}"))
            write_table(page, table, tr)
            page.freeze_panes = "A2"
            _widths(page)
        from planner.views.reports.content import unspent_section

        unspent = unspent_section(plan, tr)
        if unspent is not None:
            page = workbook.create_sheet(tr("sheet.unspent"))
            lines, table = unspent
            for row, line in enumerate(lines, start=1):
                page.cell(row=row, column=1, value=line)
            write_table(page, table, tr, row=len(lines) + 2)
            _widths(page)
        if "scenarios" in plan.tables:
            page = workbook.create_sheet(tr("sheet.scenarios"))
            row = write_table(page, scenarios_table(plan, tr), tr, title=True) + 1
            row = write_table(page, first_stage_table(plan, tr), tr, row=row, title=True) + 1
            worth = value_of_information_table(plan, tr)
            if worth is not None:
                write_table(page, worth, tr, row=row, title=True)
            _widths(page)
        page = workbook.create_sheet(tr("sheet.assumptions"))
        row = 1
        for table in assumption_tables(plan.instance, tr):
            row = write_table(page, table, tr, row=row, title=True) + 1
        _widths(page)
    else:
        sheet.cell(row=1, column=1, value=tr("report.no_plan",
                                             status=tr.term("status", plan.status)))
    page = workbook.create_sheet(tr("sheet.metadata"))
    write_table(page, _raw_metadata(plan, tr), tr)
    _widths(page)
    make_workbook_inert(workbook)  # names that look like formulas stay text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _raw_metadata(plan: Plan, tr: Translator) -> Table:
    """The metadata table with numbers kept as numbers."""
    table = metadata_table(plan.metadata, tr)
    numbers = {"gap", "mip_gap_requested"}
    rows = []
    for label, value in table.rows:
        for key in numbers:
            if label == tr(f"meta.{key}") and plan.metadata.get(key) is not None:
                value = Cell(plan.metadata[key], "sci")
        rows.append([label, value])
    table.rows = rows
    return table
