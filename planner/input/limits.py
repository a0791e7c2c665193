"""Numbers a solver cannot take at all: an instance whose numbers reach 1e15 — given, or
grown there by a demand `growth` or a `capex_trend` over the horizon — is an input error
(exit status 2), since the model would not say what the file says. HiGHS refuses matrix
values above 1e15 and treats bounds and costs of 1e20 or more as infinite. The ranges
the planner only warns about are checked on the derived data (`planner.data.numerics`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from planner.input.errors import Problem
from planner.input.schema import Instance

LARGEST = 1e15  # HiGHS's large_matrix_value; bounds and costs from 1e20 on are infinite


def _numbers(node: Any, path: str = "") -> Iterator[tuple[str, float]]:
    if isinstance(node, bool) or node is None:
        return
    if isinstance(node, int | float):
        yield path, float(node)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _numbers(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for position, item in enumerate(node):
            name = item.get("name") if isinstance(item, dict) else None
            yield from _numbers(item, f"{path}.{name}" if name else f"{path}[{position}]")


def _grown(value: float, rate: float, years: int) -> float:
    """|value|·(1 + rate)^years, without overflowing: inf when it would."""
    if value == 0 or years <= 0:
        return abs(value)
    exponent = math.log10(abs(value)) + years * math.log10(1 + rate)
    return math.inf if exponent > 300 else 10 ** exponent


def numeric_problems(instance: Instance) -> list[Problem]:
    """Numbers at or above 1e15, as given or as grown by the last planning year."""
    problems = [
        Problem(path, f"{value:g} is too large: numbers from {LARGEST:g} on cannot be "
                      "solved exactly (the solver refuses them or takes them as infinite)")
        for path, value in _numbers(instance.model_dump(exclude_none=True))
        if abs(value) >= LARGEST and not path.startswith("years")
    ]
    years = instance.years.last - instance.years.first
    for name, workload in instance.workloads.items():
        demand = workload.demand
        if not isinstance(demand, dict) and abs(demand.base) < LARGEST:
            last = _grown(demand.base, demand.growth, years)
            if last >= LARGEST:
                problems.append(Problem(
                    f"workloads.{name}.demand.growth",
                    f"demand {demand.base:g} growing by {demand.growth:g} a year reaches "
                    f"{last:.3g} by {instance.years.last}, too large to solve exactly "
                    f"(from {LARGEST:g} on); give the demand as a map of years"))
    for name, product in instance.products.items():
        if abs(product.capex) < LARGEST:
            last = _grown(product.capex, product.capex_trend, years)
            if last >= LARGEST:
                problems.append(Problem(
                    f"products.{name}.capex_trend",
                    f"capex {product.capex:g} changing by {product.capex_trend:g} a year "
                    f"reaches {last:.3g} by {instance.years.last}, too large to solve exactly"))
    first_per_path = {problem.path: problem for problem in reversed(problems)}
    return [problem for problem in problems if first_per_path[problem.path] is problem]
