"""The HTML report: one self-contained file (inline CSS and SVG charts, no scripts, nothing
fetched when it is opened), readable on screen and in print.

`render_plan_html(plan, lang)` is the plan's report; the sweep and diff pages, in the
same look, build on this module (planner/views/reports/pages.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from planner.results.display import NUMERIC_KINDS
from planner.results.plan import Plan
from planner.results.translations import Translator
from planner.views.reports import revision_year
from planner.views.reports.charts import Chart, plan_charts
from planner.views.reports.content import (
    Cell,
    Table,
    assumption_tables,
    first_stage_table,
    format_value,
    metadata_table,
    plan_tables,
    plan_wide_warnings,
    scenario_parts,
    scenarios_table,
    summary,
    unspent_section,
)

CSS = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #c8c8c8; --band: #f3f5f8; --accent: #0b4f8a;
        --good: #1b6e3a; --warn: #8a5a00; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1120px; padding: 24px 32px 64px; line-height: 1.45;
       font-size: 14px; background: white; }
h1 { font-size: 26px; margin: 0 0 4px; color: var(--accent); }
h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px;
     border-bottom: 2px solid var(--accent); color: var(--accent); }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.subtitle { font-size: 16px; margin: 0 0 4px; }
p.made { color: var(--muted); font-size: 12px; margin: 0; }
nav { margin: 16px 0; font-size: 13px; }
nav ol { columns: 3; margin: 4px 0; padding-left: 20px; }
.status { padding: 10px 14px; border-left: 6px solid var(--good); background: #eef6f0;
          margin: 12px 0; }
.status.warn { border-color: var(--warn); background: #fbf3e4; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
           gap: 10px; margin: 10px 0; }
.figure-box { border: 1px solid var(--rule); padding: 8px 12px; border-radius: 4px; }
.figure-box .label { font-size: 12px; color: var(--muted); }
.figure-box .value { font-size: 20px; font-weight: bold; }
.figure-box.main { border-color: var(--accent); border-width: 2px; }
ul.plain { margin: 4px 0 8px; padding-left: 20px; }
table { border-collapse: collapse; margin: 6px 0 4px; font-size: 12.5px; width: auto;
        max-width: 100%; }
caption { text-align: left; font-weight: bold; padding: 4px 0; font-size: 13.5px; }
th, td { border-bottom: 1px solid var(--rule); padding: 3px 8px; vertical-align: top; }
th { background: var(--band); text-align: left; font-weight: bold; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
th { min-width: 60px; }
td.source { font-size: 11px; color: var(--muted); min-width: 260px; max-width: 460px; }
tr.with-source td { border-bottom: none; }
tr.source-row td.source { max-width: none; padding-bottom: 6px; padding-left: 16px; }
tr.bold td { font-weight: bold; border-top: 2px solid var(--ink); }
p.note { font-size: 12px; color: var(--muted); margin: 2px 0 12px; }
figure { margin: 16px 0 24px; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; max-width: 860px; display: block; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; max-width: 860px; }
.scroll { overflow-x: auto; }
footer { margin-top: 40px; font-size: 11px; color: var(--muted); border-top: 1px solid var(--rule);
         padding-top: 8px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  h2 { break-before: auto; break-after: avoid; }
  table, figure, .figures { break-inside: avoid; page-break-inside: avoid; }
  .scroll { overflow: visible; }
  td.source { max-width: none; }
}
@page { size: A4; margin: 16mm 14mm; }
"""


@dataclass
class Section:
    anchor: str
    title: str
    body: str


def text(value: object) -> str:
    return escape(str(value), quote=True)


# A table with more columns than this shows each row's source on a line of its own below it.
SOURCE_BELOW_COLUMNS = 6


def render_table(table: Table, tr: Translator, caption: bool = True) -> str:
    source_at = next((index for index, column in enumerate(table.columns)
                      if column.kind == "source"), None)
    below = source_at is not None and len(table.columns) > SOURCE_BELOW_COLUMNS
    columns = [column for index, column in enumerate(table.columns)
               if not (below and index == source_at)]
    head = "".join(
        f'<th class="num">{text(column.header)}</th>' if column.kind in NUMERIC_KINDS
        else f"<th>{text(column.header)}</th>" for column in columns)
    body = []
    for index, row in enumerate(table.rows):
        cells = []
        source = None
        if below:
            source = row[source_at]
            row = [value for position, value in enumerate(row) if position != source_at]
        for column, value in zip(columns, row, strict=True):
            kind = value.kind if isinstance(value, Cell) else column.kind
            shown = text(format_value(value, column.kind, tr))
            if kind in NUMERIC_KINDS:
                cells.append(f'<td class="num">{shown}</td>')
            elif kind == "source":
                cells.append(f'<td class="source">{shown}</td>')
            else:
                cells.append(f"<td>{shown}</td>")
        bold = ' class="bold"' if index in table.bold_rows else ""
        if below and source:
            body.append(f'<tr class="with-source"{bold[0:0]}>{"".join(cells)}</tr>')
            body.append(f'<tr class="source-row"><td colspan="{len(columns)}" class="source">'
                        f"{text(table.columns[source_at].header)}: {text(source)}</td></tr>")
        else:
            body.append(f"<tr{bold}>{''.join(cells)}</tr>")
    title = f"<caption>{text(table.title)}</caption>" if caption and table.title else ""
    note = f'<p class="note">{text(table.note)}</p>' if table.note else ""
    return (f'<div class="scroll"><table class="{text(table.key)}">{title}<thead><tr>'
            f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>{note}")


def render_chart(chart: Chart) -> str:
    return (f'<figure id="chart-{text(chart.key)}">{chart.svg}'
            f"<figcaption>{text(chart.caption)}</figcaption></figure>")


def page(tr: Translator, title: str, subtitle: str, made: str,
         sections: list[Section]) -> str:
    """The page every report shares: heading, contents, sections."""
    contents = "".join(f'<li><a href="#{text(section.anchor)}">{text(section.title)}</a></li>'
                       for section in sections)
    body = "".join(f'<section id="{text(section.anchor)}"><h2>{text(section.title)}</h2>'
                   f"{section.body}</section>" for section in sections)
    return (
        f'<!DOCTYPE html>\n<html lang="{tr.lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{text(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{text(title)}</h1><p class=\"subtitle\">{text(subtitle)}</p>"
        f'<p class="made">{text(made)}</p></header>\n'
        f"<nav><strong>{text(tr('report.contents'))}</strong><ol>{contents}</ol></nav>\n"
        f"{body}\n</body>\n</html>\n")


def made_line(metadata: dict, tr: Translator) -> str:
    timestamp = str(metadata.get("timestamp", "")).replace("T", " ").replace("+00:00", "")
    return tr("report.made_by", tool=metadata.get("tool", "hpc-planner"),
              version=metadata.get("tool_version", ""), timestamp=timestamp)


def _key_figures(plan: Plan, tr: Translator) -> str:
    facts = summary(plan, tr)
    first, last = plan.instance.years.first, plan.instance.years.last
    boxes = []
    for index, (label, value) in enumerate(facts.key_figures):
        if index == 0:
            label = tr("summary.spending", first=first, last=last)
            extra = ""
            if facts.total_cap is not None:
                of_budget = tr("summary.of_budget", cap=tr.mnok(facts.total_cap))
                extra = f'<div class="label">{text(of_budget)}</div>'
            boxes.append(f'<div class="figure-box main"><div class="label">{text(label)}</div>'
                         f'<div class="value">{text(tr.mnok(value))} MNOK</div>{extra}</div>')
        else:
            boxes.append(f'<div class="figure-box"><div class="label">{text(label)}</div>'
                         f'<div class="value">{text(tr.mnok(value))} MNOK</div></div>')
    return (f"<h3>{text(tr('summary.key_figures'))}</h3>"
            f'<div class="figures">{"".join(boxes)}</div>'
            f'<p class="note">{text(facts.objective_note)}</p>')


def _status(plan: Plan, tr: Translator) -> str:
    facts = summary(plan, tr)
    optimal = plan.metadata["status"] == "optimal"
    return f'<div class="status{"" if optimal else " warn"}">{text(facts.status)}</div>'


def _summary_section(plan: Plan, tr: Translator, figures: bool = True) -> str:
    facts = summary(plan, tr)
    parts = [_status(plan, tr), _key_figures(plan, tr)] if figures else []
    parts.append(f"<h3>{text(tr('summary.what_is_bought'))}</h3>")
    if facts.bought.rows:
        parts.append(render_table(facts.bought, tr, caption=False))
    else:
        parts.append(f"<p>{text(tr('summary.nothing_bought'))}</p>")
    parts.append(f"<h3>{text(tr('summary.what_stays_unserved'))}</h3>")
    parts.append(_list(facts.unserved))
    parts.append(f"<h3>{text(tr('summary.which_rules_bind'))}</h3>")
    parts.append(_list(facts.binding))
    parts.append(f'<p class="note">{text(tr("summary.binding_note"))}</p>')
    if facts.warnings:
        parts.append(f"<h3>{text(tr('summary.warnings'))}</h3>")
        parts.append(_list(facts.warnings))
    return "".join(parts)


def _plan_tables(plan: Plan, tr: Translator) -> list[Table]:
    return plan_tables(plan, tr)


def _list(lines: list[str]) -> str:
    return '<ul class="plain">' + "".join(f"<li>{text(line)}</li>" for line in lines) + "</ul>"


def render_plan_html(plan: Plan, lang: str = "en") -> str:
    """The plan's report as one self-contained HTML page."""
    tr = Translator(lang)
    instance = plan.instance
    title = f"{tr('report.title')}: {instance.name}"
    subtitle = tr("report.subtitle", first=instance.years.first, last=instance.years.last)
    made = made_line(plan.metadata, tr)
    year = revision_year(plan)
    if year is not None:
        title = f"{tr('report.revised_title')}: {instance.name}"
        subtitle += f". {tr('report.revision', year=year)}"
    if not plan.has_plan:
        status = tr.term("status", plan.metadata["status"])
        body = f'<div class="status warn">{text(tr("report.no_plan", status=status))}</div>'
        sections = [Section("summary", tr("section.summary"), body),
                    Section("metadata", tr("section.metadata"),
                            render_table(metadata_table(plan.metadata, tr), tr, caption=False))]
        return page(tr, title, subtitle, made, sections)
    parts = scenario_parts(plan)
    if parts is None:
        sections = [
            Section("summary", tr("section.summary"), _summary_section(plan, tr)),
            Section("charts", tr("section.charts"),
                    "".join(render_chart(chart) for chart in plan_charts(plan, tr))),
        ]
        unspent = unspent_section(plan, tr)
        if unspent is not None:
            lines, table = unspent
            sections.insert(1, Section("unspent", tr("section.unspent"),
                                       _list(lines) + render_table(table, tr)))
        for table in _plan_tables(plan, tr):
            sections.append(Section(table.key, tr(f"section.{table.key}"),
                                    render_table(table, tr)))
    else:
        years = tr.year_list(getattr(instance, "decide_now", None)
                             or [instance.first_plan_year])
        overview = (_status(plan, tr) + f"<p>{text(tr('scenario.intro', years=years))}</p>"
                    + _key_figures(plan, tr))
        warnings = plan_wide_warnings(plan, tr)
        if warnings:
            overview += f"<h3>{text(tr('summary.warnings'))}</h3>" + _list(warnings)
        overview += (render_table(scenarios_table(plan, tr), tr)
                    + render_table(first_stage_table(plan, tr), tr))
        sections = [Section("summary", tr("section.summary"), overview)]
        for index, part in enumerate(parts):
            body = _summary_section(part.plan, tr, figures=False)
            body += "".join(render_chart(chart)
                            for chart in plan_charts(part.plan, tr, f"s{index}-"))
            body += "".join(f"<h3>{text(tr('section.' + table.key))}</h3>"
                            + render_table(table, tr) for table in _plan_tables(part.plan, tr))
            sections.append(Section(f"scenario-{index}", tr(
                "scenario.title", name=part.name, probability=tr.percent(part.probability)),
                body))
    assumptions = "".join(
        f"<h3>{text(table.title)}</h3>{render_table(table, tr, caption=False)}"
        for table in assumption_tables(instance, tr))
    sections.append(Section("assumptions", tr("section.assumptions"), assumptions))
    sections.append(Section("metadata", tr("section.metadata"),
                            render_table(metadata_table(plan.metadata, tr), tr, caption=False)))
    return page(tr, title, subtitle, made, sections)
