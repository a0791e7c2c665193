"""The sweep and diff report pages, in the plan report's look (planner/views/reports/html.py).

`sweep_page(results, meta, tr)` takes the sweep's table, one row per point, as
`planner.analyses.sweep.results_table` makes it: a column per varied key (named by its key path),
`status`, `objective_mnok`, `spending_mnok` (and optionally `national_investment_mnok`,
`eurohpc_investment_mnok`, `operations_mnok`, `unserved_penalty_mnok`, `gap`, `point`),
and `unserved_<workload>` (summed over the years, the workload's resource unit); empty
values where a point has no plan. `meta` may give `instance_name`, `varied` (the key paths,
else every column that is none of the above), `units` (workload → unit) and any of a
plan's metadata keys (`timestamp`, `tool_version`, ...).

`diff_page(diff, tr)` takes a `planner.results.plan_diff.PlanDiff`.

`render_sweep_html(results, meta, lang)` and `render_diff_html(diff, lang)` give each page
as text in a language. The pages build on the plan report's parts (`html`), never the
other way round.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import matplotlib
import numpy as np
import pandas as pd

from planner import __version__
from planner.results.rounding import add_shown, money
from planner.results.translations import Translator
from planner.views.reports.charts import LINE_STYLES, MARKERS, RC, Chart, colour, new_figure, to_svg
from planner.views.reports.content import Cell, Column, Table, metadata_table, missing
from planner.views.reports.html import Section, made_line, page, render_chart, render_table, text

SWEEP_COLUMNS = {"point", "status", "objective_mnok", "spending_mnok",
                 "national_investment_mnok", "eurohpc_investment_mnok", "operations_mnok",
                 "unserved_penalty_mnok", "gap"}


def varied_keys(results: pd.DataFrame, meta: dict[str, Any]) -> list[str]:
    if meta.get("varied"):
        return list(meta["varied"])
    return [column for column in results.columns
            if column not in SWEEP_COLUMNS and not str(column).startswith("unserved_")]


def _made(meta: dict[str, Any], tr: Translator) -> str:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return made_line({"tool": meta.get("tool", "hpc-planner"),
                      "tool_version": meta.get("tool_version", __version__),
                      "timestamp": meta.get("timestamp") or now}, tr)


def _sweep_charts(results: pd.DataFrame, varied: list[str], workloads: list[str],
                  units: dict[str, str], tr: Translator) -> list[Chart]:
    x_key = varied[0]
    groups = [(None, results)] if len(varied) == 1 \
        else list(results.groupby(varied[1], sort=False))
    charts = []
    for key, title in (("cost", tr("sweep.chart_cost")),
                       ("unserved", tr("sweep.chart_unserved"))):
        with matplotlib.rc_context(RC):
            figure = new_figure(7.5, 3.6)
            axes = figure.add_subplot()
            series = 0
            for group_index, (group_value, rows) in enumerate(groups):
                rows = rows.sort_values(x_key)
                solved = rows[rows["objective_mnok"].notna()]
                suffix = "" if group_value is None else f" ({varied[1]} = {group_value})"
                style = LINE_STYLES[group_index % len(LINE_STYLES)]
                if key == "cost":
                    lines = [("objective_mnok", tr("sweep.objective")),
                             ("spending_mnok", tr("sweep.spending"))]
                else:
                    lines = [(f"unserved_{workload}",
                              f"{workload} ({units.get(workload, '')})".replace(" ()", ""))
                             for workload in workloads]
                for index, (column, label) in enumerate(lines):
                    if column not in solved:
                        continue
                    axes.plot(solved[x_key].astype(float), solved[column].astype(float),
                              linestyle=style, marker=MARKERS[index % len(MARKERS)],
                              color=colour(index), label=label + suffix, markersize=4)
                    series += 1
                failed = rows[rows["objective_mnok"].isna()]
                if len(failed):
                    axes.plot(failed[x_key].astype(float), np.zeros(len(failed)), "x",
                              color="black", markersize=8, clip_on=False,
                              label=tr("sweep.no_plan") if group_index == 0 else None)
            axes.set_xlabel(x_key)
            axes.set_ylabel("MNOK" if key == "cost" else tr("sweep.unserved_units"))
            axes.grid(alpha=0.3)
            axes.set_axisbelow(True)
            if series:
                axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False,
                            fontsize=8)
            axes.set_title(title, loc="left")
        charts.append(Chart(f"sweep-{key}", title, tr("sweep.caption"),
                            to_svg(figure, f"sweep-{key}")))
    return charts


def sweep_page(results: pd.DataFrame, meta: dict[str, Any], tr: Translator) -> str:
    meta = dict(meta or {})
    varied = varied_keys(results, meta)
    workloads = [str(column)[len("unserved_"):] for column in results.columns
                 if str(column).startswith("unserved_") and column != "unserved_penalty_mnok"]
    units = meta.get("units", {})
    name = meta.get("instance_name", "")
    title = f"{tr('sweep.title')}: {name}" if name else tr("sweep.title")
    subtitle = tr("sweep.subtitle", count=len(results), name=name, varied=", ".join(varied))
    solved = results[results["objective_mnok"].notna()] if len(results) else results
    summary = tr("sweep.summary", solved=len(solved), count=len(results),
                 low=tr.mnok(solved["spending_mnok"].min() if len(solved) else None),
                 high=tr.mnok(solved["spending_mnok"].max() if len(solved) else None))
    columns = [Column(key, "number") for key in varied]
    columns += [Column(tr("meta.status")), Column(tr("sweep.objective"), "mnok"),
                Column(tr("sweep.spending"), "mnok")]
    columns += [Column(tr("sweep.unserved_of", workload=workload)
                       + (f" ({units[workload]})" if workload in units else ""), "amount")
                for workload in workloads]
    rows = []
    for _, row in results.iterrows():
        cells: list[Any] = [row[key] if isinstance(row[key], int | float | np.number)
                            else Cell(row[key], "text") for key in varied]
        cells += [tr.term("status", row["status"]), row["objective_mnok"], row["spending_mnok"]]
        cells += [row[f"unserved_{workload}"] for workload in workloads]
        rows.append(cells)
    table = Table("sweep", tr("sweep.table"), columns, rows)
    sections = [Section("summary", tr("section.summary"), f"<p>{text(summary)}</p>")]
    if varied and len(solved):
        charts = _sweep_charts(results, varied, workloads, units, tr)
        sections.append(Section("charts", tr("section.charts"),
                                "".join(render_chart(chart) for chart in charts)))
    sections.append(Section("points", tr("sweep.points"), render_table(table, tr)))
    metadata = {key: value for key, value in meta.items()
                if key not in ("varied", "units", "instance_name")}
    if metadata:
        sections.append(Section("metadata", tr("section.metadata"),
                                render_table(metadata_table(metadata, tr), tr, caption=False)))
    return page(tr, title, subtitle, _made(meta, tr), sections)


# --- diffs --------------------------------------------------------------------------


# Input keys whose whole numbers are years, never shown with a thousands separator.
YEAR_KEYS = {"first", "last", "plan_from", "year", "years", "last_year", "decide_now"}


def _value_text(value: Any, tr: Translator, path: str = "") -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return tr.flag(value)
    if isinstance(value, int | float) and path.split(".")[-1] in YEAR_KEYS \
            and value == int(value):
        return str(int(value))
    if isinstance(value, int | float):
        return tr.number(value, 3).rstrip("0").rstrip(",.") if value != int(value) \
            else tr.number(value, 0)
    if isinstance(value, dict):
        if set(value) == {"units", "capex"}:  # a commitment cell
            price = "" if value["capex"] is None else \
                f" {tr('diff.at')} {tr.price(value['capex'])} MNOK"
            return f"{_value_text(value['units'], tr)} {tr('diff.units')}{price}"
        return "; ".join(f"{key}: {_value_text(item, tr, str(key))}"
                         for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(_value_text(item, tr, path) for item in value)
    return str(value)


def _note_text(note: Any, tr: Translator) -> str:
    """A diff's note in the page's language (planner.results.plan_diff.DiffNote)."""
    key = getattr(note, "key", None)
    if key is None or not tr.has(f"diff.note.{key}"):
        return str(note)
    values = dict(note.values)
    if "status" in values:
        values["status"] = tr.term("status", values["status"])
    if "years" in values:
        values["years"] = tr.year_list(values["years"])
    return tr(f"diff.note.{key}", **values)


def _diff_chart(diff: Any, tr: Translator) -> Chart | None:
    """Both values of every cell of the financing lines, changed or not (the cells of a
    line a plan does not have count 0)."""
    if not len(diff.financing):
        return None
    financing = diff.financing_cells
    rows = financing[(financing["line"] != "sum") & (financing["year"] != "total")]
    if not len(rows):
        return None
    years = sorted({str(year) for year in rows["year"]})
    lines = [line for line in ("national_investment", "eurohpc_investment", "operations")
             if line in set(rows["line"])]
    with matplotlib.rc_context(RC):
        figure = new_figure(7.5, 3.6)
        axes = figure.add_subplot()
        positions = np.arange(len(years))
        width = 0.8 / max(1, 2 * len(lines))
        bar = 0
        for index, line in enumerate(lines):
            by_year = rows[rows["line"] == line].set_index("year")
            for phase, column, hatch in (("before", "mnok_before", "//"),
                                         ("after", "mnok_after", "")):
                values = [float(by_year.loc[year, column]) if year in by_year.index
                          and not missing(by_year.loc[year, column]) else 0.0
                          for year in years]
                axes.bar(positions - 0.4 + (bar + 0.5) * width, values, width,
                         color=colour(index), hatch=hatch, edgecolor="#333333", linewidth=0.5,
                         alpha=0.55 if phase == "before" else 1.0,
                         label=f"{tr('line.' + line)}: {tr('diff.' + phase)}")
                bar += 1
        axes.set_xticks(positions)
        axes.set_xticklabels(years)
        axes.set_xlabel(tr("chart.year"))
        axes.set_ylabel("MNOK")
        axes.grid(axis="y", alpha=0.3)
        axes.set_axisbelow(True)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
        title = tr("diff.chart")
        axes.set_title(title, loc="left")
    return Chart("diff-financing", title, "", to_svg(figure, "diff-financing"))


def _before_after(table: pd.DataFrame, keys: list[tuple[str, str, str]],
                  values: list[tuple[str, str, str]], title: str, tr: Translator,
                  key: str) -> Table:
    """Rows of a joined table: key columns, then before / after / change per value."""
    columns = [Column(header, kind) for _, header, kind in keys]
    for _, header, kind in values:
        columns += [Column(f"{header}: {tr('diff.before')}", kind),
                    Column(f"{header}: {tr('diff.after')}", kind),
                    Column(f"{header}: {tr('diff.change')}", kind)]
    rows = []
    for _, row in table.iterrows():
        cells: list[Any] = [row[name] for name, _, _ in keys]
        for name, _, kind in values:
            before, after = row.get(f"{name}_before"), row.get(f"{name}_after")
            if kind == "mnok":  # money as shown; its change the change of the figures shown
                before = None if missing(before) else money(float(before))
                after = None if missing(after) else money(float(after))
            change = None if missing(before) and missing(after) else \
                (0.0 if missing(after) else float(after)) - \
                (0.0 if missing(before) else float(before))
            if kind == "mnok" and change is not None:
                change = add_shown([change])
            cells += [before, after, change]
        rows.append(cells)
    return Table(key, title, columns, rows)


def diff_page(diff: Any, tr: Translator) -> str:
    title = tr("diff.title")
    subtitle = f"{diff.before_label} → {diff.after_label}"
    sections = []
    status = [f"{tr('meta.status')}: {tr.term('status', diff.status[0])} → "
              f"{tr.term('status', diff.status[1])}"]
    notes = "".join(f"<li>{text(_note_text(note, tr))}</li>" for note in diff.notes)
    summary_rows = []
    for _, row in diff.summary.iterrows():
        before, after = money(row["before"]), money(row["after"])
        change = None if before is None or after is None else add_shown([after, -before])
        summary_rows.append([tr(f"cost.{row['key']}") if tr.has(f"cost.{row['key']}")
                             else row["key"], before, after, change])
    summary = Table("diff-summary", tr("summary.key_figures"),
                    [Column(tr("col.item")), Column(tr("diff.before"), "mnok"),
                     Column(tr("diff.after"), "mnok"), Column(tr("diff.change"), "mnok")],
                    summary_rows)
    body = f"<p>{text(status[0])}</p>"
    if notes:
        body += f'<ul class="plain">{notes}</ul>'
    sections.append(Section("summary", tr("section.summary"),
                            body + render_table(summary, tr)))
    if diff.inputs:
        rows = [[tr.term("diff.category", change.category), change.path,
                 _value_text(change.before, tr, change.path),
                 _value_text(change.after, tr, change.path)]
                for change in diff.inputs]
        inputs = Table("diff-inputs", tr("diff.inputs"),
                       [Column(tr("diff.kind")), Column(tr("col.key")),
                        Column(tr("diff.before")), Column(tr("diff.after"))], rows)
        sections.append(Section("inputs", tr("diff.inputs"), render_table(inputs, tr)))
    chart = _diff_chart(diff, tr)
    if chart is not None:
        sections.append(Section("charts", tr("section.charts"), render_chart(chart)))
    tables = []
    if len(diff.financing):
        financing = diff.financing.copy()
        financing["line"] = [tr(f"line.{line}") for line in financing["line"]]
        financing["year"] = [tr("col.total") if year == "total" else year
                             for year in financing["year"]]
        tables.append(_before_after(financing, [("line", tr("col.line"), "text"),
                                                ("year", tr("col.year"), "text")],
                                    [("mnok", "MNOK", "mnok")], tr("section.financing"), tr,
                                    "diff-financing"))
    if len(diff.purchases):
        tables.append(_before_after(
            diff.purchases, [("product", tr("col.product"), "text"),
                             ("year", tr("col.year"), "year"), ("tier", tr("col.tier"), "text")],
            [("units", tr("col.units"), "amount"), ("capex_mnok", "MNOK", "mnok")],
            tr("section.purchases"), tr, "diff-purchases"))
    if len(diff.capacity):
        capacity = diff.capacity.copy()
        capacity["resource"] = [f"{resource} ({unit})" for resource, unit
                                in zip(capacity["resource"], capacity["unit"], strict=True)]
        tables.append(_before_after(
            capacity, [("pool", tr("col.pool"), "text"),
                       ("resource", tr("col.resource"), "text"), ("year", tr("col.year"), "year")],
            [("capacity", tr("col.capacity"), "amount")], tr("section.capacity"), tr,
            "diff-capacity"))
    if len(diff.coverage):
        coverage = diff.coverage.copy()
        coverage["workload"] = [f"{workload} ({unit})" for workload, unit
                                in zip(coverage["workload"], coverage["unit"], strict=True)]
        tables.append(_before_after(
            coverage, [("workload", tr("col.workload"), "text"),
                       ("year", tr("col.year"), "year")],
            [("demand", tr("col.demand"), "amount"), ("unserved", tr("col.unserved"), "amount")],
            tr("section.coverage"), tr, "diff-coverage"))
    if tables:
        sections.append(Section("changes", tr("diff.changes"),
                                "".join(render_table(table, tr) for table in tables)))
    else:
        sections.append(Section("changes", tr("diff.changes"),
                                f"<p>{text(tr('diff.no_changes'))}</p>"))
    return page(tr, title, subtitle, _made({}, tr), sections)


def render_sweep_html(results_df: pd.DataFrame, meta: dict, lang: str = "en") -> str:
    """The sweep's page (`sweep_page`) in a language."""
    return sweep_page(results_df, meta, Translator(lang))


def render_diff_html(diff, lang: str = "en") -> str:
    """The diff's page (`diff_page`) in a language."""
    return diff_page(diff, Translator(lang))
