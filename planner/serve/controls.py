"""The numbers a reader may move on the page, read from the instance.

Each control is one `--set` key with its value in the instance. Shares, coverage, growth
and price trends are fractions in the instance and percentages on the page (`scale` 100);
the page sends the fraction back, so the API and `--set` see the instance's own units.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.input.schema import Instance
from planner.serve.labels import text

BUDGET_LINES = ("yearly", "investment", "national_investment", "eurohpc_investment",
                "operations")


@dataclass(frozen=True)
class Control:
    key: str  # the --set key path
    label: str
    value: float | None  # in the instance's units; None: not set (e.g. no cap that year)
    scale: float = 1.0  # page value = value × scale
    minimum: float | None = 0.0
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) for a choice


@dataclass(frozen=True)
class ControlGroup:
    title: str
    controls: tuple[Control, ...]


def _year_value(value, year: int) -> float | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get(year)
    return float(value)


def budget_controls(instance: Instance, lang: str) -> ControlGroup:
    """The total, then each budget line the instance has, per plan year."""
    budget = instance.budget
    controls = [Control("budget.total", text("budget.total", lang), budget.total)]
    years = [y for y in instance.year_list if y >= instance.first_plan_year]
    for line in BUDGET_LINES:
        value = getattr(budget, line)
        if value is None:
            continue
        name = text(f"budget.{line}", lang)
        controls += [Control(f"budget.{line}.{year}", f"{name} {year}", _year_value(value, year))
                     for year in years]
    return ControlGroup(text("group.budget", lang), tuple(controls))


def policy_controls(instance: Instance, lang: str) -> ControlGroup | None:
    controls = []
    share = instance.policy.eurohpc_share
    if share is not None:
        controls.append(Control("policy.eurohpc_share.min", text("eurohpc.min", lang),
                                share.min, scale=100))
        controls.append(Control("policy.eurohpc_share.max", text("eurohpc.max", lang),
                                share.max, scale=100))
        bases = ("investment", "national_investment", "spending")
        controls.append(Control("policy.eurohpc_share.of", text("eurohpc.of", lang), None,
                                choices=tuple((base, text(f"of.{base}", lang))
                                              for base in bases)))
    national = instance.policy.national_share
    if national is not None:
        controls.append(Control("policy.national_share.min", text("national.min", lang),
                                national.min, scale=100))
    if not controls:
        return None
    return ControlGroup(text("group.policy", lang), tuple(controls))


def workload_controls(instance: Instance, lang: str) -> ControlGroup:
    controls = []
    for name, workload in instance.workloads.items():
        growth = getattr(workload.demand, "growth", None)
        if growth is not None:
            controls.append(Control(f"workloads.{name}.demand.growth",
                                    text("growth", lang, name=name), growth, scale=100,
                                    minimum=-99.0))
        controls.append(Control(f"workloads.{name}.min_coverage",
                                text("coverage", lang, name=name), workload.min_coverage,
                                scale=100))
    return ControlGroup(text("group.workloads", lang), tuple(controls))


def product_controls(instance: Instance, lang: str) -> ControlGroup | None:
    controls = tuple(
        Control(f"products.{name}.capex_trend", text("trend", lang, name=name),
                product.capex_trend, scale=100, minimum=-99.0)
        for name, product in instance.products.items())
    return ControlGroup(text("group.products", lang), controls) if controls else None


def control_groups(instance: Instance, lang: str) -> list[ControlGroup]:
    groups = [budget_controls(instance, lang), policy_controls(instance, lang),
              workload_controls(instance, lang), product_controls(instance, lang)]
    return [group for group in groups if group is not None and group.controls]


def share_base(instance: Instance) -> str | None:
    share = instance.policy.eurohpc_share
    return None if share is None else share.of
