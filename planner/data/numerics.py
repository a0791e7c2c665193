"""Numbers a solver cannot take exactly: limits checked on input, ranges warned about.

HiGHS works in double precision with absolute tolerances (about 1e-7 for feasibility, a
relative MIP gap of 1e-6 by default). It treats bounds and costs of 1e20 or more as
infinite, refuses matrix values above 1e15 and drops those below 1e-9. So:

- an instance whose numbers reach 1e15 — given, or grown there by a demand `growth` or a
  `capex_trend` over the horizon — is an input error (`planner.input.limits`, exit
  status 2), since the model would not say what the file says;
- an instance whose money values (MNOK), or one resource's quantities, span more than
  eight orders of magnitude is solved, and the plan warns, naming the smallest and the
  largest value and where each comes from (`range_warnings`): differences near the
  small end can be lost in the solver's rounding.

The planner does not rescale units itself. The only rescaling that keeps a plan exact is
by powers of two, per row and per column, and HiGHS applies exactly that to every model
it solves; a second one here would change nothing HiGHS sees. A span across money and
capacity cannot be rescaled away either: one MNOK is one MNOK in the objective, the caps
and the shares alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from planner.data.derive import ModelData

WIDEST_SPAN = 1e8  # orders of magnitude HiGHS's tolerances resolve in one model
# A solver value this close to zero is noise (the feasibility tolerance above): read as 0
# wherever a solution is read, so that every reader cleans it alike.
SOLVER_NOISE = 1e-7


def _money(data: ModelData) -> Iterator[tuple[float, str]]:
    tiers = data.tiers
    for cell in data.purchase_cells:
        yield cell.unit_capex_mnok, (f"products.{cell.product}.capex as paid in {cell.year} "
                                     f"at tier {tiers[cell.tier]}")
    for product, value in data.product_opex_mnok.items():
        yield value, f"products.{product}.opex"
    for product, value in data.batch_fixed_capex_mnok.items():
        yield value, f"products.{product}.batch.fixed_capex"
    for product, value in data.batch_fixed_opex_mnok.items():
        yield value, f"products.{product}.batch.fixed_opex"
    for pool, value in data.pool_fixed_opex_mnok.items():
        yield value, f"pools.{pool}.fixed_opex"
    for pool, prices in data.cloud_price_mnok.items():
        for resource, value in prices.items():
            yield value, f"pools.{pool}.price.{resource}"
    for year, value in data.baseline_opex_mnok.items():
        yield value, f"baseline_opex in {year}"
    for year, value in data.existing_opex_mnok.items():
        yield value, f"opex of the existing systems in {year}"
    for workload, value in data.unmet_penalty_mnok.items():
        yield value, f"workloads.{workload}.unmet_penalty"
    if data.total_budget_mnok is not None:
        yield data.total_budget_mnok, "budget.total"
    for key, caps in data.yearly_caps_mnok.items():
        for year, value in caps.items():
            yield value, f"budget.{key}.{year}"


def _quantities(data: ModelData, resource: str) -> Iterator[tuple[float, str]]:
    for (workload, year), value in data.demand.items():
        if data.workload_resource[workload] == resource:
            yield value, f"workloads.{workload}.demand in {year}"
    for product, capacity in data.product_capacity.items():
        if resource in capacity:
            yield capacity[resource], f"products.{product}.capacity.{resource}"
    for (pool, held, year, _), value in data.existing_capacity.items():
        if held == resource:
            yield value, f"existing capacity of {resource} at pool {pool} in {year}"
    for pool, limits in data.pool_limit.items():
        if resource in limits:
            yield limits[resource], f"pools.{pool}.limit.{resource}"


def _span_warning(values: Iterator[tuple[float, str]], what: str, advice: str) -> str | None:
    nonzero = [(abs(value), label) for value, label in values if value]
    if not nonzero:
        return None
    small, small_label = min(nonzero)
    large, large_label = max(nonzero)
    if large / small <= WIDEST_SPAN:
        return None
    orders = math.log10(large / small)
    return (f"{what} span {orders:.0f} orders of magnitude, from {small:g} ({small_label}) "
            f"to {large:g} ({large_label}); the solver's tolerances resolve about "
            f"{math.log10(WIDEST_SPAN):.0f}, so differences near the small end may be lost "
            f"in rounding. {advice}")


def range_warnings(data: ModelData) -> list[str]:
    """Warnings for money values, and for each resource's quantities, spanning more
    than eight orders of magnitude; each names its smallest and largest value."""
    warnings = []
    money = _span_warning(_money(data), "MNOK values",
                          "Check the units, or leave out costs too small to matter.")
    if money:
        warnings.append(money)
    for resource in data.resources:
        unit = data.resource_unit[resource]
        quantities = _span_warning(
            _quantities(data, resource), f"Quantities of {resource} ({unit})",
            f"Check the demand's growth, or count {resource} in a larger unit.")
        if quantities:
            warnings.append(quantities)
    return warnings
