"""The near-optimal alternatives as sentences, a table and a report page.

Everything here reads alternatives.json's document (`Alternatives.document()`), so the
terminal, the page and the file show the same figures. Numbers and words come from the
reports' translations table, in English or Norwegian.
"""

from __future__ import annotations

from typing import Any

import matplotlib
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from planner.results.translations import Translator
from planner.views.reports.charts import RC, Chart, colour, new_figure, to_svg
from planner.views.reports.content import Cell, Column, Table
from planner.views.reports.html import Section, made_line, page, render_chart, render_table, text


def quantity_label(entry: dict[str, Any], tr: Translator) -> str:
    """A quantity of alternatives.json in words."""
    kind, args = entry["kind"], entry["args"]
    if kind in ("eurohpc_investment", "national_investment", "operations"):
        return tr(f"line.{kind}")
    if kind == "cloud_spending":
        return tr("quantity.cloud_spending")
    if kind == "units":
        return tr("quantity.units", product=args[0])
    if kind == "capacity":
        where = tr.term("quantity.where", args[0])
        return tr("quantity.capacity", where=where, resource=args[1], year=args[2])
    return tr("quantity.unserved", workload=args[0])


def unit_text(entry: dict[str, Any], tr: Translator) -> str:
    return tr("quantity.unit.units") if entry["unit"] == "units" else entry["unit"]


def figure(value: float | None, entry: dict[str, Any], tr: Translator) -> str:
    """A value in its quantity's unit: MNOK to one decimal, amounts as capacity."""
    return tr.mnok(value) if entry["unit"] == "MNOK" else tr.amount(value)


def end_text(entry: dict[str, Any], sense: str, tr: Translator) -> str:
    """One end of a range; an end whose solve was stopped is a bound ("at least 380")."""
    shown = figure(entry[sense], entry, tr)
    if entry[sense] is None or entry[f"{sense}_proven"]:
        return shown
    # A stopped minimisation found a plan this low: the least value is at most this.
    return tr("alternatives.at_most" if sense == "min" else "alternatives.at_least",
              value=shown)


def range_sentence(entry: dict[str, Any], slack: float, tr: Translator) -> str:
    """"Investment through EuroHPC: 200.0–400.0 MNOK within 5.0 % of the optimum's cost;
    334.0 in the optimum"."""
    return tr("alternatives.range", label=quantity_label(entry, tr),
              low=end_text(entry, "min", tr), high=end_text(entry, "max", tr),
              unit=unit_text(entry, tr), slack=tr.percent(slack),
              optimum=figure(entry["optimum"], entry, tr))


def ranges_table(document: dict[str, Any], tr: Translator) -> Table:
    columns = [Column(tr("alternatives.quantity")), Column(tr("alternatives.unit")),
               Column(tr("alternatives.min"), "number"),
               Column(tr("alternatives.optimum"), "number"),
               Column(tr("alternatives.max"), "number"),
               Column(tr("alternatives.objective_at_min"), "mnok"),
               Column(tr("alternatives.objective_at_max"), "mnok"),
               Column(tr("alternatives.spending_at_min"), "mnok"),
               Column(tr("alternatives.spending_at_max"), "mnok")]
    rows = []
    for entry in document["quantities"]:
        rows.append([
            quantity_label(entry, tr), unit_text(entry, tr),
            Cell(end_text(entry, "min", tr), "text"),
            Cell(figure(entry["optimum"], entry, tr), "text"),
            Cell(end_text(entry, "max", tr), "text"),
            entry["objective_at_min_mnok"], entry["objective_at_max_mnok"],
            entry["spending_at_min_mnok"], entry["spending_at_max_mnok"]])
    note = tr("alternatives.bound_note") if any(
        not entry[f"{sense}_proven"] for entry in document["quantities"]
        for sense in ("min", "max")) else None
    return Table("alternatives", tr("alternatives.ranges"), columns, rows, note=note)


def different_table(document: dict[str, Any], tr: Translator) -> Table:
    """The hop-skip-jump plans beside the optimum, with every quantity's value."""
    quantities = document["quantities"]
    columns = [Column(tr("alternatives.plan")), Column(tr("alternatives.objective"), "mnok"),
               Column(tr("alternatives.spending"), "mnok")]
    columns += [Column(f"{quantity_label(entry, tr)} ({unit_text(entry, tr)})", "number")
                for entry in quantities]
    rows = []
    for plan in [document["optimum"], *document["different"]]:
        rows.append([plan["plan"] or "–", plan["objective_mnok"], plan["spending_mnok"]]
                    + [Cell(figure(plan["values"].get(entry["name"]), entry, tr), "text")
                       for entry in quantities])
    note = tr("alternatives.different_note", found=len(document["different"]),
              asked=document["different_asked"])
    return Table("different", tr("alternatives.different"), columns, rows, note=note)


def range_chart(document: dict[str, Any], tr: Translator) -> Chart | None:
    """One row per quantity, each on its own scale: a bar from the least to the greatest
    value, a diamond at the optimum."""
    entries = [entry for entry in document["quantities"]
               if entry["min"] is not None and entry["max"] is not None]
    if not entries:
        return None
    with matplotlib.rc_context(RC):
        chart = new_figure(7.5, 0.55 * len(entries) + 0.9)
        axes_list = chart.subplots(len(entries), 1, squeeze=False)[:, 0]
        for row, (axes, entry) in enumerate(zip(axes_list, entries, strict=True)):
            low, high, optimum = entry["min"], entry["max"], entry["optimum"]
            stopped = not (entry["min_proven"] and entry["max_proven"])
            ends = [low, high] + ([] if optimum is None else [optimum])
            span = max(ends) - min(ends)
            single = span <= 1e-9 * max(1.0, abs(high))
            if single:
                # One value: a mark, on a scale around it.
                axes.plot([low], [0], "|", color=colour(row), markersize=14, mew=3)
                margin = max(1.0, 0.1 * abs(low))
            else:
                axes.barh([0], [high - low], left=[low], height=0.6, color=colour(row),
                          hatch="//" if stopped else "", edgecolor="#333333", linewidth=0.5)
                margin = 0.08 * span
            if optimum is not None:
                axes.plot([optimum], [0], "D", color="black", markersize=6)
            axes.set_xlim(min(ends) - margin, max(ends) + margin)
            axes.set_ylim(-0.6, 0.6)
            axes.set_yticks([0])
            axes.set_yticklabels([f"{quantity_label(entry, tr)} ({unit_text(entry, tr)})"])
            axes.tick_params(axis="x", labelsize=7)
            # A single value gets one tick, its own: the scale around it is only room, and
            # ticks there would show values no plan takes (−0.8 unserved kcores).
            axes.xaxis.set_major_locator(FixedLocator([low]) if single else MaxNLocator(5))
            axes.xaxis.set_major_formatter(FuncFormatter(
                lambda value, _position: tr.number(value, 0 if abs(value) >= 10 else 1)))
            axes.spines["left"].set_visible(False)
            axes.grid(axis="x", alpha=0.3)
            axes.set_axisbelow(True)
        title = tr("alternatives.chart")
        axes_list[0].set_title(title, loc="left")
        chart.tight_layout()
    return Chart("alternatives-ranges", title, tr("alternatives.chart_caption"),
                 to_svg(chart, "alternatives-ranges"))


def alternatives_page(document: dict[str, Any], metadata: dict[str, Any],
                      tr: Translator) -> str:
    """The report page: the ranges as sentences, a chart and a table; the different plans."""
    slack = document["slack"]
    name = document["instance_name"]
    summary = tr("alternatives.summary", optimum=tr.mnok(document["optimum_objective_mnok"]),
                 bound=tr.mnok(document["cost_bound_mnok"]), slack=tr.percent(slack))
    sentences = "".join(f"<li>{text(range_sentence(entry, slack, tr))}</li>"
                        for entry in document["quantities"])
    sections = [Section("summary", tr("section.summary"),
                        f"<p>{text(summary)}</p><ul>{sentences}</ul>")]
    chart = range_chart(document, tr)
    if chart is not None:
        sections.append(Section("charts", tr("section.charts"), render_chart(chart)))
    sections.append(Section("ranges", tr("alternatives.ranges"),
                            render_table(ranges_table(document, tr), tr)))
    if document["different_asked"]:
        sections.append(Section("different", tr("alternatives.different"),
                                render_table(different_table(document, tr), tr)))
    title = f"{tr('alternatives.title')}: {name}"
    subtitle = tr("alternatives.subtitle", name=name, slack=tr.percent(slack))
    return page(tr, title, subtitle, made_line(metadata, tr), sections)


def page_name(lang: str) -> str:
    return "alternatives.html" if lang == "en" else f"alternatives.{lang}.html"
