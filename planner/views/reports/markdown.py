"""The Markdown report: the summary and the tables, for pasting into a memo."""

from __future__ import annotations

import html
import re

from planner.results.display import NUMERIC_KINDS
from planner.results.plan import Plan
from planner.results.translations import Translator
from planner.views.reports import revision_year
from planner.views.reports.content import (
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
from planner.views.reports.html import made_line


def _text(text: object) -> str:
    """Text from the plan (names, notes, file paths) as Markdown shows it: HTML in it is
    escaped, so a name like `<script>` is shown, never run, where Markdown becomes HTML."""
    return html.escape(str(text), quote=False)


def _cell(text: str) -> str:
    # ASCII whitespace only: the no-break spaces inside numbers stay.
    return re.sub(r"[ \t\r\n]+", " ", _text(text).replace("|", "\\|")).strip()


def markdown_table(table: Table, tr: Translator) -> str:
    header = "| " + " | ".join(_cell(column.header) for column in table.columns) + " |"
    rule = "|" + "|".join("---:" if column.kind in NUMERIC_KINDS else "---"
                          for column in table.columns) + "|"
    lines = [header, rule]
    for index, row in enumerate(table.rows):
        cells = [_cell(format_value(value, column.kind, tr))
                 for column, value in zip(table.columns, row, strict=True)]
        if index in table.bold_rows:
            cells = [f"**{cell}**" if cell else cell for cell in cells]
        lines.append("| " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    if table.note:
        text += f"\n\n*{_text(table.note)}*"
    return text


def _plan_parts(plan: Plan, tr: Translator, level: str) -> list[str]:
    """What is bought, unserved, binding, warnings, then the tables, at heading `level`."""
    facts = summary(plan, tr)
    parts = []
    bought = markdown_table(facts.bought, tr) if facts.bought.rows \
        else tr("summary.nothing_bought")
    parts.append(f"{level}# {tr('summary.what_is_bought')}\n\n{bought}")
    for heading, lines in (("summary.what_stays_unserved", facts.unserved),
                           ("summary.which_rules_bind", facts.binding),
                           ("summary.warnings", facts.warnings)):
        if lines:
            parts.append(f"{level}# {tr(heading)}\n\n"
                         + "\n".join(f"- {_text(line)}" for line in lines))
    unspent = unspent_section(plan, tr)
    if unspent is not None:
        lines, table = unspent
        parts.append(f"{level}# {tr('section.unspent')}\n\n"
                     + "\n".join(f"- {_text(line)}" for line in lines) + "\n\n"
                     + markdown_table(table, tr))
    for table in plan_tables(plan, tr):
        parts.append(f"{level} {tr('section.' + table.key)}\n\n**{_text(table.title)}**\n\n"
                     + markdown_table(table, tr))
    return parts


def render_plan_markdown(plan: Plan, lang: str = "en") -> str:
    tr = Translator(lang)
    instance = plan.instance
    parts = [f"# {tr('report.title')}: {_text(instance.name)}",
             tr("report.subtitle", first=instance.years.first, last=instance.years.last),
             f"*{_text(made_line(plan.metadata, tr))}*"]
    year = revision_year(plan)
    if year is not None:
        parts[0] = f"# {tr('report.revised_title')}: {_text(instance.name)}"
        parts[1] += f". {tr('report.revision', year=year)}"
    if not plan.has_plan:
        status = tr.term("status", plan.metadata["status"])
        parts.append(tr("report.no_plan", status=status))
        return "\n\n".join(parts) + "\n"
    scenarios = scenario_parts(plan)
    parts.append(f"## {tr('section.summary')}")
    facts = summary(plan, tr)
    parts.append(_text(facts.status))
    if scenarios is not None:
        years = tr.year_list(getattr(instance, "decide_now", None) or [instance.first_plan_year])
        parts.append(tr("scenario.intro", years=years))
    figures = [f"- {label}: **{tr.mnok(value)} MNOK**" for label, value in facts.key_figures]
    if facts.total_cap is not None:
        of_budget = tr("summary.of_budget", cap=tr.mnok(facts.total_cap))
        figures[0] = figures[0][:-2] + f" ({of_budget})**"
    parts.append(f"### {tr('summary.key_figures')}\n\n" + "\n".join(figures))
    parts.append(_text(facts.objective_note))
    if scenarios is None:
        parts += _plan_parts(plan, tr, "##")
    else:
        warnings = plan_wide_warnings(plan, tr)
        if warnings:
            parts.append(f"### {tr('summary.warnings')}\n\n"
                         + "\n".join(f"- {_text(line)}" for line in warnings))
        for table in (scenarios_table(plan, tr), first_stage_table(plan, tr)):
            parts.append(f"**{_text(table.title)}**\n\n" + markdown_table(table, tr))
        for part in scenarios:
            parts.append("## " + tr("scenario.title", name=_text(part.name),
                                    probability=tr.percent(part.probability)))
            parts += _plan_parts(part.plan, tr, "###")
    parts.append(f"## {tr('section.assumptions')}")
    for table in assumption_tables(instance, tr):
        parts.append(f"### {_text(table.title)}\n\n{markdown_table(table, tr)}")
    parts.append(f"## {tr('section.metadata')}\n\n"
                 + markdown_table(metadata_table(plan.metadata, tr), tr))
    return "\n\n".join(parts) + "\n"
