"""The report's charts, drawn with matplotlib and returned as inline SVG.

Colours are the Okabe–Ito palette, which stays distinguishable with the common forms of
colour blindness; every bar series also has its own hatching so that a chart printed in
black and white still reads. Text stays text in the SVG (the browser draws it), so the
charts are small, sharp in print and searchable.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no screen: must come before anything draws

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from planner.results.plan import Plan  # noqa: E402
from planner.results.translations import Translator  # noqa: E402

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#999999"]
HATCHES = ["", "//", "..", "xx", "\\\\", "++", "--", "oo"]
LINE_STYLES = ["-", "--", "-.", ":"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

RC = {
    "svg.fonttype": "none",
    "font.family": ["DejaVu Sans"],  # shipped with matplotlib; text is drawn by the browser
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.6,
    "hatch.color": "#333333",
    "figure.facecolor": "white",
}


@dataclass
class Chart:
    key: str
    title: str
    caption: str
    svg: str


def colour(index: int) -> str:
    return OKABE_ITO[index % len(OKABE_ITO)]


def hatch(index: int) -> str:
    return HATCHES[index % len(HATCHES)]


def to_svg(figure: Figure, key: str) -> str:
    """The figure as an <svg> element, ids made unique by `key` so several can share a page."""
    buffer = io.StringIO()
    with matplotlib.rc_context({**RC, "svg.hashsalt": key}):
        figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    # matplotlib names some elements the same in every figure ("figure_1", "patch_1");
    # prefix every id, and every reference to one, with the chart's key.
    text = re.sub(r'id="([^"]+)"', rf'id="{key}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{key}-\1)", text)
    text = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{key}-\1"', text)
    # Scale with the page: drop the fixed size, keep the viewBox.
    text = re.sub(r'(<svg[^>]*?) width="[^"]+" height="[^"]+"', r"\1", text, count=1)
    return text.replace("<svg ", f'<svg role="img" aria-label="{key}" ', 1)


def new_figure(width: float = 7.5, height: float = 3.6) -> Figure:
    with matplotlib.rc_context(RC):
        return Figure(figsize=(width, height))


def _years_axis(axes, years: list[int], tr: Translator) -> None:
    axes.set_xticks(range(len(years)))
    axes.set_xticklabels([str(year) for year in years])
    axes.set_xlabel(tr("chart.year"))


def _grid_legend_title(axes, title: str) -> None:
    """What every chart of a plan ends with: a light grid behind, the legend to the
    right, the title at the left."""
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    axes.set_title(title, loc="left")


def _number_axis(axes, tr: Translator, axis: str = "y", percent: bool = False) -> None:
    from matplotlib.ticker import FuncFormatter

    def label(value: float, _position: int) -> str:
        if percent:
            return tr.number(100 * value, 0) + "\u00a0%"
        return tr.number(value, 0 if abs(value) >= 10 or value == int(value) else 1)

    getattr(axes, f"{axis}axis").set_major_formatter(FuncFormatter(label))


def capacity_charts(plan: Plan, tr: Translator) -> list[Chart]:
    """Per resource: capacity in service per pool (stacked bars) against demand (line)."""
    charts = []
    capacity = plan.tables["capacity"]
    coverage = plan.tables["coverage"]
    years = sorted(int(year) for year in coverage["year"].unique())
    for index, (resource, rows) in enumerate(capacity.groupby("resource", sort=False)):
        unit = rows["unit"].iloc[0]
        with matplotlib.rc_context(RC):
            figure = new_figure()
            axes = figure.add_subplot()
            bottom = np.zeros(len(years))
            pools = [pool for pool, group in rows.groupby("pool", sort=False)
                     if group["capacity"].max() > 1e-9]
            for series, pool in enumerate(pools):
                by_year = rows[rows["pool"] == pool].set_index("year")["capacity"]
                heights = np.array([float(by_year.get(year, 0.0)) for year in years])
                axes.bar(range(len(years)), heights, 0.62, bottom=bottom, label=pool,
                         color=colour(series), hatch=hatch(series), edgecolor="#333333",
                         linewidth=0.5)
                bottom += heights
            needs = coverage[coverage["resource"] == resource].groupby("year")
            demand = needs["demand"].sum()
            served = needs["served"].sum()
            axes.plot(range(len(years)), [demand.get(year, 0.0) for year in years],
                      color="black", marker="o", linewidth=2, label=tr("chart.demand"))
            axes.plot(range(len(years)), [served.get(year, 0.0) for year in years],
                      color="#555555", marker="x", linestyle="--", linewidth=1.4,
                      label=tr("chart.served"))
            _years_axis(axes, years, tr)
            axes.set_ylabel(unit)
            _number_axis(axes, tr)
            title = tr("chart.capacity", resource=f"{resource} ({unit})")
            _grid_legend_title(axes, title)
        charts.append(Chart(f"capacity-{index}", title,
                            tr("chart.capacity_caption", resource=resource),
                            to_svg(figure, f"capacity-{index}")))
    return charts


SPENDING_LINES = ("national_investment", "eurohpc_investment", "operations")


def spending_chart(plan: Plan, tr: Translator) -> Chart:
    """Spending per financing line and year (grouped bars), with each line's yearly caps."""
    financing = plan.tables["financing"].set_index("line")
    years = [column for column in financing.columns if column != "total"]
    budget = plan.tables.get("budget")
    if budget is None or not len(budget):  # no caps (a two-stage plan may lack the table)
        budget = pd.DataFrame(columns=["cap", "year", "cap_mnok"])
    width = 0.26
    with matplotlib.rc_context(RC):
        figure = new_figure(7.5, 3.8)
        axes = figure.add_subplot()
        positions = np.arange(len(years))
        cap_shown = False
        for series, line in enumerate(SPENDING_LINES):
            offset = (series - 1) * width
            values = [float(financing.loc[line, year]) for year in years]
            axes.bar(positions + offset, values, width, label=tr(f"line.{line}"),
                     color=colour(series), hatch=hatch(series), edgecolor="#333333",
                     linewidth=0.5)
            caps = budget[budget["cap"] == line]
            if len(caps):
                by_year = {str(int(row["year"])): row["cap_mnok"] for _, row in caps.iterrows()}
                xs = [positions[i] + offset for i, year in enumerate(years) if year in by_year]
                ys = [by_year[year] for year in years if year in by_year]
                axes.scatter(xs, ys, marker="_", s=220, linewidths=2.2, color="black",
                             zorder=3, label=None if cap_shown else tr("chart.cap"))
                cap_shown = True
                axes.scatter(xs, ys, marker=MARKERS[series], s=16, color=colour(series),
                             edgecolors="black", linewidths=0.6, zorder=4)
        axes.set_xticks(positions)
        axes.set_xticklabels(years)
        axes.set_xlabel(tr("chart.year"))
        axes.set_ylabel("MNOK")
        _number_axis(axes, tr)
        title = tr("chart.spending")
        _grid_legend_title(axes, title)
    return Chart("spending", title, tr("chart.spending_caption"), to_svg(figure, "spending"))


def shares_chart(plan: Plan, tr: Translator) -> Chart:
    """The EuroHPC share in its allowed range, and the national share per resource and year."""
    shares = plan.tables["shares"]
    eurohpc = shares[shares["share"] == "eurohpc"].iloc[0]
    national = shares[shares["share"] == "national"]
    with matplotlib.rc_context(RC):
        figure = new_figure(7.5, 3.2)
        left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.6]})
        low = 0.0 if pd.isna(eurohpc["min"]) else float(eurohpc["min"])
        high = None if pd.isna(eurohpc["max"]) else float(eurohpc["max"])
        value = 0.0 if pd.isna(eurohpc["value"]) else float(eurohpc["value"])
        top = max(value, high or low, 0.05) * 1.35
        left.axvspan(low, high if high is not None else top, color=colour(2), alpha=0.18,
                     hatch="..", label=tr("chart.allowed_range"))
        left.barh([0], [value], 0.5, color=colour(0), edgecolor="#333333")
        left.text(value / 2 if value > 0 else 0, 0, tr.percent(value), va="center",
                  ha="center" if value > 0 else "left", fontsize=9, fontweight="bold",
                  color="white" if value > 0 else "black",
                  bbox={"facecolor": colour(0), "edgecolor": "none", "pad": 1.5})
        for bound in (low, high):
            if bound is not None and bound > 0:
                left.axvline(bound, color="black", linestyle="--", linewidth=1)
        left.set_xlim(0, top)
        left.set_yticks([0])
        left.set_yticklabels([tr("share.eurohpc")])
        left.set_ylim(-0.8, 0.8)
        _number_axis(left, tr, axis="x", percent=True)
        left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False, fontsize=8)
        left.set_title(tr("share.eurohpc"), loc="left")
        minimum = None
        for series, (resource, rows) in enumerate(national.groupby("resource", sort=False)):
            years = [int(year) for year in rows["years"]]
            right.plot(years, rows["value"].astype(float), color=colour(series),
                       marker=MARKERS[series], linestyle=LINE_STYLES[series % 4],
                       label=resource)
            if rows["min"].notna().any():
                minimum = float(rows["min"].dropna().iloc[0])
        if minimum is not None:
            right.axhline(minimum, color="black", linestyle="--", linewidth=1,
                          label=tr("chart.minimum"))
        right.set_ylim(0, 1.05)
        right.set_xticks(sorted({int(year) for year in national["years"]}))
        right.set_xlabel(tr("chart.year"))
        _number_axis(right, tr, percent=True)
        right.grid(axis="y", alpha=0.3)
        right.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
        right.set_title(tr("share.national"), loc="left")
        figure.tight_layout()
    caption = tr("chart.shares_caption", of=tr.term("of", eurohpc["of"]),
                 years=eurohpc["years"].replace("-", "–"))
    return Chart("shares", tr("chart.shares"), caption, to_svg(figure, "shares"))


def unserved_chart(plan: Plan, tr: Translator) -> Chart | None:
    """Share of demand left unserved per workload and year; None when all is served."""
    coverage = plan.tables["coverage"]
    years = sorted(int(year) for year in coverage["year"].unique())
    workloads = [name for name, rows in coverage.groupby("workload", sort=False)
                 if rows["unserved"].sum() > 1e-6]
    if not workloads:
        return None
    width = 0.8 / len(workloads)
    with matplotlib.rc_context(RC):
        figure = new_figure(7.5, 3.4)
        axes = figure.add_subplot()
        positions = np.arange(len(years))
        for series, workload in enumerate(workloads):
            rows = coverage[coverage["workload"] == workload].set_index("year")
            values = [float(rows.loc[year, "unserved"] / rows.loc[year, "demand"])
                      if rows.loc[year, "demand"] > 0 else 0.0 for year in years]
            offset = (series - (len(workloads) - 1) / 2) * width
            axes.bar(positions + offset, values, width, label=workload, color=colour(series),
                     hatch=hatch(series), edgecolor="#333333", linewidth=0.5)
        _years_axis(axes, years, tr)
        axes.set_ylabel(tr("chart.percent"))
        _number_axis(axes, tr, percent=True)
        title = tr("chart.unserved")
        _grid_legend_title(axes, title)
    return Chart("unserved", title, tr("chart.unserved_caption"), to_svg(figure, "unserved"))


def plan_charts(plan: Plan, tr: Translator, prefix: str = "") -> list[Chart]:
    """Every chart of a plan; `prefix` keeps the ids of several plans' charts apart."""
    charts = [*capacity_charts(plan, tr), spending_chart(plan, tr), shares_chart(plan, tr)]
    unserved = unserved_chart(plan, tr)
    if unserved is not None:
        charts.append(unserved)
    if prefix:
        for chart in charts:
            old = chart.key
            chart.key = prefix + old
            chart.svg = chart.svg.replace(f'id="{old}-', f'id="{chart.key}-').replace(
                f"url(#{old}-", f"url(#{chart.key}-").replace(
                f'xlink:href="#{old}-', f'xlink:href="#{chart.key}-').replace(
                f'aria-label="{old}"', f'aria-label="{chart.key}"')
    return charts
