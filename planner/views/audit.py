"""The audit of a financing plan (`planner.analyses.audit`) in the terminal and as a report
(HTML page, workbook or Markdown), in English or Norwegian.

Every view shows the same `Table`s (`audit_tables`), built once from the `Audit`.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from planner.analyses.audit import LINES, Audit, plan_shares
from planner.results.figures import financing_figures
from planner.results.translations import Translator
from planner.views.reports.content import Cell, Column, Table, unspent_section
from planner.views.terminal import print_table


def word(key: str, lang: str, **values: object) -> str:
    """The audit's own words (`audit.*` of the translations table)."""
    return Translator(lang)(f"audit.{key}", **values)


def _plans(result: Audit, lang: str) -> list[tuple[str, object]]:
    return [(word(f"plan.{entry.key}", lang), entry.plan) for entry in result.plans]


def lines_table(result: Audit, tr: Translator) -> Table:
    lang, lines = tr.lang, result.lines
    columns = [Column(word("col.line", lang))] + [Column(str(y), "mnok") for y in lines.years]
    columns.append(Column(word("col.total", lang), "mnok"))
    rows = [[word(f"line.{line}", lang), *(lines.lines[line][y] for y in lines.years),
             lines.total(line)] for line in LINES]
    sums = [lines.recomputed_sum(y) for y in lines.years]
    rows.append([word("col.recomputed", lang), *sums, sum(sums)])
    bold = {len(rows) - 1}
    if lines.printed_sums is not None:
        printed = [lines.printed_sums[y] for y in lines.years]
        rows.append([word("col.printed", lang), *printed, sum(printed)])
    return Table("audit-lines", word("lines.title", lang), columns, rows, bold)


def sums_table(result: Audit, tr: Translator) -> Table | None:
    if not result.sums:
        return None
    lang = tr.lang
    columns = [Column(word("col.year", lang), "year"), Column(word("col.printed", lang), "mnok"),
               Column(word("col.recomputed", lang), "mnok"),
               Column(word("col.difference", lang), "mnok")]
    rows = [[check.year, check.printed_mnok, check.recomputed_mnok, check.difference_mnok]
            for check in result.sums]
    return Table("audit-sums", word("sums.title", lang), columns, rows)


def sums_lines(result: Audit, tr: Translator) -> list[str]:
    lang = tr.lang
    if not result.sums:
        return [word("sums.none", lang)]
    off = [check for check in result.sums if check.off]
    if not off:
        return [word("sums.ok", lang)]
    lines = [word("sums.off", lang, year=check.year, printed=tr.mnok(check.printed_mnok),
                  recomputed=tr.mnok(check.recomputed_mnok),
                  difference=tr.mnok(abs(check.difference_mnok)),
                  direction=word("sums.high" if check.difference_mnok > 0 else "sums.low",
                                 lang))
             for check in off]
    lines.append(word("sums.totals", lang,
                      printed=tr.mnok(sum(c.printed_mnok for c in result.sums)),
                      recomputed=tr.mnok(sum(c.recomputed_mnok for c in result.sums))))
    return lines


def shares_table(result: Audit, tr: Translator) -> Table:
    lang = tr.lang
    columns = [Column(word("col.statement", lang)), Column(word("col.section", lang)),
               Column(word("col.base", lang)), Column(word("col.eurohpc_mnok", lang), "mnok"),
               Column(word("col.base_mnok", lang), "mnok"),
               Column(word("col.share", lang), "percent"), Column(word("col.met", lang), "flag")]
    rows = [[word(f"statement.{reading.statement.key}", lang), reading.statement.section,
             word(f"base.{reading.statement.base}", lang), reading.eurohpc_mnok,
             reading.base_mnok, reading.share, reading.met] for reading in result.shares]
    return Table("audit-shares", word("shares.title", lang), columns, rows)


def timing_line(result: Audit, tr: Translator) -> str:
    from planner.analyses.audit import EUROHPC_YEARS_SECTION

    if not result.eurohpc_outside_years:
        return word("timing.ok", tr.lang, section=EUROHPC_YEARS_SECTION)
    years = ", ".join(f"{year}: {tr.mnok(value)} MNOK"
                      for year, value in sorted(result.eurohpc_outside_years.items()))
    return word("timing.off", tr.lang, section=EUROHPC_YEARS_SECTION, years=years)


def plans_intro(result: Audit, tr: Translator) -> str:
    lang = tr.lang
    instance = word("plans.instance" if any(p.key == "instance" for p in result.plans)
                    else "plans.same", lang)
    return word("plans.intro", lang, instance=instance,
                priority=tr.term("priority", result.priority))


def no_plan_lines(result: Audit, tr: Translator) -> list[str]:
    return [word("no_plan", tr.lang, plan=name, status=tr.term("status", plan.status))
            for name, plan in _plans(result, tr.lang) if not plan.has_plan]


def spending_table(result: Audit, tr: Translator) -> Table:
    lang = tr.lang
    plans = [(name, plan) for name, plan in _plans(result, lang) if plan.has_plan]
    # Each plan's spending as Tabell 1 shows it everywhere (planner.results.figures): cells
    # to 0.1 MNOK, each total the sum of the cells shown.
    shown = [financing_figures(plan.tables["financing"]) for _, plan in plans]
    columns = [Column(word("col.line", lang)), Column(word("col.year", lang)),
               Column(word("col.plan_line", lang), "mnok")]
    columns += [Column(name, "mnok") for name, _ in plans]
    rows, bold = [], set()
    years = result.lines.years
    for line in LINES:
        for year in years:
            rows.append([word(f"line.{line}", lang), str(year), result.lines.lines[line][year],
                         *(figures.cell[line].get(str(year), 0.0) for figures in shown)])
        bold.add(len(rows))
        rows.append([word(f"line.{line}", lang), word("col.total", lang),
                     result.lines.total(line), *(figures.total[line] for figures in shown)])
    bold.add(len(rows))
    rows.append([word("row.sum", lang), word("col.total", lang),
                 sum(result.lines.total(line) for line in LINES),
                 *(figures.grand_total for figures in shown)])
    return Table("audit-spending", word("spending.title", lang), columns, rows, bold)


def demand_table(result: Audit, tr: Translator) -> Table:
    lang = tr.lang
    plans = [(name, plan) for name, plan in _plans(result, lang) if plan.has_plan]
    columns = [Column(word("col.workload", lang)), Column(word("col.year", lang), "year"),
               Column(word("col.demand", lang), "amount")]
    for name, _ in plans:
        columns += [Column(word("col.served", lang, plan=name), "amount"),
                    Column(word("col.unserved", lang, plan=name), "amount")]
    if not plans:
        return Table("audit-demand", word("demand.title", lang), columns, [])
    coverages = [plan.tables["coverage"].set_index(["workload", "year"]) for _, plan in plans]
    rows = []
    for (workload, year), row in coverages[0].iterrows():
        cells = [f"{workload} ({row['unit']})", year, row["demand"]]
        for coverage in coverages:
            cells += [coverage.loc[(workload, year), "served"],
                      coverage.loc[(workload, year), "unserved"]]
        rows.append(cells)
    return Table("audit-demand", word("demand.title", lang), columns, rows)


def cost_table(result: Audit, tr: Translator) -> Table:
    lang = tr.lang
    plans = _plans(result, lang)
    columns = [Column(word("col.measure", lang))] + [Column(name) for name, _ in plans]
    rows = [[word("row.status", lang), *(tr.term("status", plan.status) for _, plan in plans)]]
    for key in ("objective_mnok", "spending_mnok", "unserved_penalty_mnok", "salvage_mnok"):
        rows.append([word(f"row.{key}", lang), *(
            _mnok_cell(plan.summary.get(key) if plan.has_plan else None) for _, plan in plans)])
    shares = [plan_shares(plan) if plan.has_plan else {} for _, plan in plans]
    for reading in result.shares:
        key = reading.statement.key
        label = word("row.share", lang, statement=word(f"statement.{key}", lang))
        rows.append([label, *(_percent_cell(values.get(key)) for values in shares)])
    return Table("audit-cost", word("cost.title", lang), columns, rows)


def _mnok_cell(value: float | None) -> Cell:
    return Cell(value, "mnok")


def _percent_cell(value: float | None) -> Cell:
    return Cell(value, "percent")


def unspent_of_lines(result: Audit, tr: Translator) -> tuple[list[str], Table] | None:
    """Why plan (c) leaves money under the lines unspent (planner.analyses.unspent)."""
    plan = result.plans[0].plan if result.plans else None
    if plan is None or not plan.has_plan:
        return None
    section = unspent_section(plan, tr)
    if section is None:
        return None
    lines, table = section
    table.title = f"{word('plan.yearly_lines', tr.lang)}: {tr('section.unspent')}"
    table.key = "audit-unspent"
    return lines, table


def audit_tables(result: Audit, tr: Translator) -> dict[str, Table | None]:
    """The audit's tables, in the order every view shows them."""
    return {"lines": lines_table(result, tr), "sums": sums_table(result, tr),
            "shares": shares_table(result, tr), "spending": spending_table(result, tr),
            "demand": demand_table(result, tr), "cost": cost_table(result, tr)}


# --- the terminal ----------------------------------------------------------------------


def print_audit(result: Audit, console: Console, lang: str = "en") -> None:
    tr = Translator(lang)
    tables = audit_tables(result, tr)
    console.rule(Text(f"{word('title', lang)}: {result.lines.source}"))
    print_table(console, tables["lines"], tr)
    if tables["sums"] is not None:
        print_table(console, tables["sums"], tr)
    for line in sums_lines(result, tr):
        console.print(Text(line))
    print_table(console, tables["shares"], tr)
    console.print(Text(timing_line(result, tr)))
    console.rule(Text(word("plans.title", lang)))
    console.print(Text(plans_intro(result, tr)))
    for line in no_plan_lines(result, tr):
        console.print(Text(line, style="red"))
    for key in ("spending", "demand", "cost"):
        print_table(console, tables[key], tr)
    unspent = unspent_of_lines(result, tr)
    if unspent is not None:
        for line in unspent[0]:
            console.print(Text(f"{word('plan.yearly_lines', lang)}: {line}"))
        print_table(console, unspent[1], tr)


# --- the report ------------------------------------------------------------------------


def render_audit(result: Audit, fmt: str, lang: str = "en") -> bytes:
    """The audit as an HTML page, a workbook or Markdown."""
    tr = Translator(lang)
    tables = audit_tables(result, tr)
    title = word("title", lang)
    subtitle = word("subtitle", lang, file=result.lines.source, name=result.instance.name)
    first_plan = next((entry.plan for entry in result.plans), None)
    texts = {"sums": sums_lines(result, tr), "shares": [timing_line(result, tr)],
             "plans": [plans_intro(result, tr), *no_plan_lines(result, tr)]}
    if fmt == "html":
        return _html(result, tables, texts, tr, title, subtitle, first_plan).encode("utf-8")
    if fmt == "md":
        return _markdown(tables, texts, tr, title, subtitle,
                         unspent_of_lines(result, tr)).encode("utf-8")
    if fmt == "xlsx":
        return _xlsx(tables, texts, tr, unspent_of_lines(result, tr))
    raise ValueError(f"unknown report format {fmt!r}")


def _html(result, tables, texts, tr, title, subtitle, first_plan) -> str:
    from planner.views.reports.html import Section, _list, made_line, page, render_table

    lang = tr.lang
    made = made_line(first_plan.metadata, tr) if first_plan is not None else ""
    sections = [
        Section("lines", word("lines.title", lang), render_table(tables["lines"], tr, False)),
        Section("sums", word("sums.title", lang),
                (render_table(tables["sums"], tr, False) if tables["sums"] else "")
                + _list(texts["sums"])),
        Section("shares", word("shares.title", lang),
                render_table(tables["shares"], tr, False) + _list(texts["shares"])),
        Section("plans", word("plans.title", lang), _list(texts["plans"]) + "".join(
            render_table(tables[key], tr) for key in ("spending", "demand", "cost"))),
    ]
    unspent = unspent_of_lines(result, tr)
    if unspent is not None:
        sections.append(Section("unspent", unspent[1].title,
                                _list(unspent[0]) + render_table(unspent[1], tr, False)))
    return page(tr, title, subtitle, made, sections)


def _markdown(tables, texts, tr, title, subtitle, unspent) -> str:
    from planner.views.reports.markdown import markdown_table

    lang = tr.lang
    parts = [f"# {title}", subtitle, f"## {word('lines.title', lang)}",
             markdown_table(tables["lines"], tr), f"## {word('sums.title', lang)}"]
    if tables["sums"] is not None:
        parts.append(markdown_table(tables["sums"], tr))
    parts += [f"- {line}" for line in texts["sums"]]
    parts += [f"## {word('shares.title', lang)}", markdown_table(tables["shares"], tr)]
    parts += [f"- {line}" for line in texts["shares"]]
    parts.append(f"## {word('plans.title', lang)}")
    parts += [f"- {line}" for line in texts["plans"]]
    for key in ("spending", "demand", "cost"):
        parts += [f"### {tables[key].title}", markdown_table(tables[key], tr)]
    if unspent is not None:
        parts.append(f"### {unspent[1].title}")
        parts += [f"- {line}" for line in unspent[0]]
        parts.append(markdown_table(unspent[1], tr))
    return "\n\n".join(parts) + "\n"


def _xlsx(tables, texts, tr, unspent) -> bytes:
    from openpyxl import Workbook

    from planner.views.reports.xlsx import _widths, write_table

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "audit"
    row = 1
    for key in ("lines", "sums", "shares"):
        if tables[key] is not None:
            row = write_table(sheet, tables[key], tr, row=row, title=True)
        for line in texts.get(key, []):
            sheet.cell(row=row, column=1, value=line)
            row += 1
        row += 1
    _widths(sheet)
    plans = workbook.create_sheet("plans")
    row = 1
    for line in texts["plans"]:
        plans.cell(row=row, column=1, value=line)
        row += 1
    for key in ("spending", "demand", "cost"):
        row = write_table(plans, tables[key], tr, row=row + 1, title=True)
    if unspent is not None:
        for line in unspent[0]:
            plans.cell(row=row + 1, column=1, value=line)
            row += 1
        row = write_table(plans, unspent[1], tr, row=row + 1, title=True)
    _widths(plans)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


__all__ = ["audit_tables", "print_audit", "render_audit"]
