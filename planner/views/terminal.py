"""The terminal renderer: a display table (planner.results.display) as rich tables that fit
the console's width.

Cells are `rich.text.Text`, never markup, so a name from an instance is printed as written.
Numbers never break: numeric columns do not wrap, and a table whose year columns are too
wide for the console is split into blocks of years (the row labels repeated in each), so
an 80-column terminal or a pipe gets every figure whole.
"""

from __future__ import annotations

import textwrap

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from planner.results.display import NUMERIC_KINDS, Cell, Table, format_value
from planner.results.translations import Translator

# A console narrower than this gets the compact layout (no outer box, less padding).
WIDE = 120


def _kind(value: object, column_kind: str) -> str:
    return value.kind if isinstance(value, Cell) else column_kind


def _width(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def _header_width(header: str) -> int:
    # Headers wrap at ASCII spaces (textwrap), so their longest word is what they need.
    return max((len(word) for word in str(header).split(" ")), default=0)


def render_table(table: Table, tr: Translator, width: int) -> list[RenderableType]:
    """`table` as one or more rich tables no wider than `width` where the numbers allow."""
    if not table.rows:
        return [Text(f"{table.title}: {tr('none')}", style="italic")]
    texts = [[format_value(value, column.kind, tr) for column, value
              in zip(table.columns, row, strict=True)] for row in table.rows]
    numeric = [column.kind in NUMERIC_KINDS or any(
        _kind(row[index], column.kind) in NUMERIC_KINDS for row in table.rows)
        for index, column in enumerate(table.columns)]
    needed = [max(_header_width(column.header),
                  *(_width(row[index]) for row in texts))
              for index, column in enumerate(table.columns)]
    full = [max(len(str(column.header)), *(_width(row[index]) for row in texts))
            for index, column in enumerate(table.columns)]
    if sum(full) + 3 * len(full) + 1 <= width:
        needed = full  # room for every header on one line
    compact = width < WIDE
    gap = 3  # a padding space either side and a divider
    years = [index for index, column in enumerate(table.columns) if column.year]
    least = [needed[index] if numeric[index] else min(needed[index], 12)
             for index in range(len(needed))]
    blocks = [list(range(len(table.columns)))]
    if years and sum(needed) + gap * len(needed) + 1 > width:
        blocks = _year_blocks(table, needed, years, gap, width)
    elif sum(least) + gap * len(least) + 1 > width:
        blocks = _column_blocks(table, least, numeric, gap, width)
    views: list[RenderableType] = []
    for position, block in enumerate(blocks):
        title = table.title
        shown_years = [table.columns[index].header for index in block if index in years]
        if len(blocks) > 1 and not years:
            title = f"{title} ({position + 1}/{len(blocks)})"
        elif len(blocks) > 1:
            span = (shown_years[0] if len(shown_years) == 1 else
                    f"{shown_years[0]}–{shown_years[-1]}") if shown_years else tr("col.total")
            title = f"{title} ({position + 1}/{len(blocks)}: {span})"
        view = RichTable(title=Text(title, style="bold"), title_justify="left",
                         box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
                         pad_edge=not compact, padding=(0, 1), show_edge=not compact)
        for index in block:
            column = table.columns[index]
            # Headers wrap to the column's figures (at ASCII spaces only), never the figures.
            header = "\n".join(textwrap.wrap(str(column.header), max(needed[index], 1),
                                              break_long_words=False,
                                              break_on_hyphens=False)) or str(column.header)
            view.add_column(Text(header), justify="right" if numeric[index] else "left",
                            no_wrap=numeric[index], min_width=needed[index]
                            if numeric[index] else min(needed[index], 12),
                            overflow="fold")
        for row_index, row in enumerate(texts):
            style = "bold" if row_index in table.bold_rows else ""
            view.add_row(*(Text(row[index], style=style) for index in block))
        views.append(view)
    if table.note:
        views.append(Text(table.note, style="dim"))
    return views


def _year_blocks(table: Table, needed: list[int], years: list[int], gap: int,
                 width: int) -> list[list[int]]:
    """The row labels, then as many year columns as fit, block after block; the columns
    after the years (a total) in the last block."""
    keys = list(range(years[0]))
    tail = list(range(years[-1] + 1, len(table.columns)))
    fixed = sum(needed[index] + gap for index in keys)
    per_block = max(1, (width - fixed - 1) // (max(needed[i] for i in years) + gap))
    chunks = [years[start:start + per_block] for start in range(0, len(years), per_block)]
    if tail and fixed + sum(needed[i] + gap for i in chunks[-1] + tail) + 1 > width:
        chunks.append([])
    return [keys + chunk + (tail if position == len(chunks) - 1 else [])
            for position, chunk in enumerate(chunks)]


def _column_blocks(table: Table, least: list[int], numeric: list[bool], gap: int,
                   width: int) -> list[list[int]]:
    """The leading label columns (up to the first figure that is not a year), then as many
    other columns as fit, block after block."""
    keys = []
    for index, column in enumerate(table.columns):
        if numeric[index] and column.kind != "year":
            break
        keys.append(index)
    rest = [index for index in range(len(table.columns)) if index not in keys]
    fixed = sum(least[index] + gap for index in keys) + 1
    blocks: list[list[int]] = [[]]
    used = fixed
    for index in rest:
        if blocks[-1] and used + least[index] + gap > width:
            blocks.append([])
            used = fixed
        blocks[-1].append(index)
        used += least[index] + gap
    return [keys + block for block in blocks]


def print_table(console: Console, table: Table, tr: Translator) -> None:
    for view in render_table(table, tr, console.width):
        console.print(view)


def print_text(console: Console, text: str, style: str = "") -> None:
    """A paragraph wrapped at ASCII spaces only, so a number ("1\u202f493.9") never breaks
    across lines (rich would break at its no-break space)."""
    for line in textwrap.wrap(text, max(20, console.width), break_long_words=False,
                              break_on_hyphens=False) or [""]:
        console.print(Text(line, style=style), no_wrap=True, overflow="ignore", crop=False)
