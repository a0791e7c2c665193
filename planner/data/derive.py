"""Derived data (spec §2): the numbers the model needs, worked out from a validated instance.

Everything here is plain Python (dicts, tuples, floats) so the model layer reads numbers,
never the instance, and so reports and independent checks can reuse the same arithmetic.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass, field

from planner.data.scenarios import EXPECTED_VALUE, price_factors, scenario_instance
from planner.input.errors import InputError, Problem
from planner.input.placement import all_allowed_pools, pools_that_can_hold
from planner.input.schema import Instance, Scenario, YearValues

BUDGET_CAP_KEYS = ("yearly", "investment", "national_investment", "eurohpc_investment",
                   "operations")

# Without a budget cap bounding a product's spending, a batch or pool-in-use switch needs
# some upper bound on units (spec §4.4); we take this many times the units that would
# serve the peak demand of every resource the product provides (docs/model.md).
UNBOUNDED_PRODUCT_DEMAND_FACTOR = 10


def year_values(value: YearValues | None, years: list[int]) -> dict[int, float]:
    """A "float or map year → float" value as a map over the years it gives."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {year: float(amount) for year, amount in value.items() if year in years}
    return dict.fromkeys(years, float(value))


@dataclass(frozen=True)
class PurchaseCell:
    """Units of one product bought in one year at one tier: the decision x(i,b,k)."""

    product: str
    year: int
    tier: int
    unit_capex_mnok: float  # as paid: c(i,b)(1+σ_k), or the commitments' own price
    committed_units: float | None  # fixed units when the cell is committed, else None


@dataclass
class ModelData:
    """Everything the formulation needs, keyed by names and years."""

    instance_name: str
    years: list[int]
    plan_years: list[int]
    discount: dict[int, float]
    tiers: list[str]
    surcharge: dict[int, float]

    resources: list[str]
    resource_unit: dict[str, str]

    # pools
    pool_kind: dict[str, str]
    pool_is_national: dict[str, bool]
    pool_max_tier: dict[str, int]
    pool_fixed_opex_mnok: dict[str, float]
    pool_limit: dict[str, dict[str, float]]
    cloud_price_mnok: dict[str, dict[str, float]]

    # products
    product_pool: dict[str, str]
    product_capacity: dict[str, dict[str, float]]
    product_opex_mnok: dict[str, float]
    product_integer: dict[str, bool]
    product_lifetime_years: dict[str, int]
    batch_fixed_capex_mnok: dict[str, float]
    batch_fixed_opex_mnok: dict[str, float]
    batch_min_units: dict[str, float]
    purchase_cells: list[PurchaseCell]
    in_service_years: dict[tuple[str, int], list[int]]  # (product, bought) → years S=1
    salvage_factor: dict[tuple[str, int], float]  # (product, bought) → credit per MNOK paid
    unit_bound: dict[tuple[str, int], float]  # (product, bought) → most units in a plan

    # existing capacity at (pool, resource, year, tier) and what it costs
    existing_capacity: dict[tuple[str, str, int, int], float]
    existing_pools_in_service: set[tuple[str, int]]
    existing_opex_mnok: dict[int, float]
    baseline_opex_mnok: dict[int, float]

    # workloads
    workload_resource: dict[str, str]
    workload_tier: dict[str, int]
    demand: dict[tuple[str, int], float]
    unmet_penalty_mnok: dict[str, float]
    min_coverage: dict[str, float]
    allowed_pools: dict[str, list[str]]
    # (pool, resource) of every non-cloud pool that can ever hold capacity of the resource
    holdable_pools: set[tuple[str, str]]

    # budget caps and policy
    total_budget_mnok: float | None
    yearly_caps_mnok: dict[str, dict[int, float]]  # cap key → plan year → cap
    eurohpc_share: dict | None
    national_share_min: float | None
    national_share_resources: list[str]

    batch_products: list[str] = field(default_factory=list)
    # Unit bounds that neither a cap nor `max_units` implies: reaching one earns a warning.
    assumed_unit_bounds: set[tuple[str, int]] = field(default_factory=set)

    # Caps given for history years (before `plan_from`): not rules (spec §5), but shown in
    # the budget table, and an overrun there is a warning (`planner.results.tables.budget_table`).
    history_caps_mnok: dict[str, dict[int, float]] = field(default_factory=dict)
    # (product, bought) → units beyond which a purchase serves no demand it could reach,
    # where no EuroHPC share can make a plan buy more (`units_needed`); none in scenarios.
    units_needed: dict[tuple[str, int], float] = field(default_factory=dict)

    # N-1 redundancy (spec §6.1): workloads whose service must survive losing one pool
    redundant_workloads: list[str] = field(default_factory=list)

    # Demand classes (docs/model.md): workloads the model cannot tell apart in any row but
    # their own demand balance (same resource, tier, pools and redundancy) are allocated
    # together. Lead workload (the first of the class in the instance) → its workloads.
    demand_classes: dict[str, list[str]] = field(default_factory=dict)

    # Scenarios (spec §6.2): which scenario these data are (None: the instance as given),
    # and (product or cloud pool, year) → factor on its opex, batch costs and cloud prices
    # in that year (capex factors are already in the purchase cells' unit_capex_mnok).
    scenario: str | None = None
    price_factor: dict[tuple[str, int], float] = field(default_factory=dict)

    def big_m(self, product: str, year: int) -> float:
        """M(i,b) of the batch and pool-in-use rows: the unit bound, or the units that
        demand can use where that is smaller (docs/model.md)."""
        bound = self.unit_bound[product, year]
        return min(bound, self.units_needed.get((product, year), bound))

    def price_scale(self, name: str, year: int) -> float:
        """The scenario's factor on the prices of a product or cloud pool in a year (1 if none)."""
        return self.price_factor.get((name, year), 1.0)


def demand_by_year(instance: Instance) -> dict[tuple[str, int], float]:
    """D(w,y): base·(1+growth)^(y−first), or the map's value."""
    first = instance.years.first
    demand: dict[tuple[str, int], float] = {}
    for name, workload in instance.workloads.items():
        for year in instance.year_list:
            if isinstance(workload.demand, dict):
                demand[name, year] = float(workload.demand[year])
            else:
                demand[name, year] = workload.demand.base * (
                    1 + workload.demand.growth) ** (year - first)
    return demand


def unit_capex(instance: Instance, product: str, year: int) -> float:
    """c(i,b) = capex_i·(1+capex_trend_i)^n(b), before any tier surcharge."""
    item = instance.products[product]
    return item.capex * (1 + item.capex_trend) ** (year - instance.years.first)


def _purchase_cells(instance: Instance, plan_years: list[int]) -> list[PurchaseCell]:
    committed_units: dict[tuple[str, int, int], float] = defaultdict(float)
    committed_paid: dict[tuple[str, int, int], float] = defaultdict(float)
    for commitment in instance.committed:
        tier = instance.tier_index(commitment.tier)
        key = (commitment.product, commitment.year, tier)
        forecast = unit_capex(instance, commitment.product, commitment.year) * (
            1 + instance.tiers[tier].surcharge)
        price = forecast if commitment.capex is None else commitment.capex
        committed_units[key] += commitment.units
        committed_paid[key] += commitment.units * price

    cells = []
    for name, product in instance.products.items():
        max_tier = instance.tier_index(instance.pools[product.pool].max_tier)
        buyable = set(product.years or instance.year_list) & set(plan_years)
        years = sorted(buyable | {year for (item, year, _) in committed_units if item == name})
        for year in years:
            for tier in range(max_tier + 1):
                key = (name, year, tier)
                forecast = unit_capex(instance, name, year) * (
                    1 + instance.tiers[tier].surcharge)
                if key in committed_units:
                    units = committed_units[key]
                    price = committed_paid[key] / units if units > 0 else forecast
                    cells.append(PurchaseCell(name, year, tier, price, units))
                elif year in buyable:
                    cells.append(PurchaseCell(name, year, tier, forecast, None))
    return cells


def _peak_demand(instance: Instance, demand: dict[tuple[str, int], float]) -> dict[str, float]:
    peak: dict[str, float] = {}
    for resource in instance.resources:
        peak[resource] = max(
            sum(demand[name, year] for name, workload in instance.workloads.items()
                if workload.resource == resource)
            for year in instance.year_list
        )
    return peak


def _caps_on(instance: Instance, product_name: str, year: int,
             plan_years: list[int]) -> list[float]:
    """The budget caps (MNOK) that bound spending on a product bought in a year."""
    budget = instance.budget
    kind = instance.pools[instance.products[product_name].pool].kind
    caps: list[float] = [] if budget.total is None else [budget.total]
    if year in plan_years:
        scoped = ("yearly", "investment",
                  "national_investment" if kind == "national" else "eurohpc_investment")
        for key in scoped:
            cap = year_values(getattr(budget, key), instance.year_list).get(year)
            if cap is not None:
                caps.append(cap)
    return caps


def _cheapest_unit_capex(instance: Instance, product_name: str, year: int) -> float:
    return unit_capex(instance, product_name, year) * (
        1 + min(tier.surcharge for tier in instance.tiers))


def _bound_is_assumed(instance: Instance, product_name: str, year: int,
                      plan_years: list[int]) -> bool:
    """Whether `_unit_bound` had to assume its bound: no `max_units` and no cap implies it."""
    batch = instance.products[product_name].batch
    if batch is not None and batch.max_units is not None:
        return False
    return not (_caps_on(instance, product_name, year, plan_years)
                and _cheapest_unit_capex(instance, product_name, year) > 0)


def _unit_bound(instance: Instance, product_name: str, year: int, plan_years: list[int],
                peak: dict[str, float], committed: float) -> float:
    """A number of units of one product bought in one year that no optimal plan exceeds.

    `max_units` where the batch gives one. Else, where a budget cap bounds the product's
    spending in that year, the committed units plus what the cap buys at the cheapest
    forecast price (committed units are paid at their own price). Else ten times the
    units that serve the peak demand of the resources it provides, plus what a EuroHPC
    share could force on top (docs/model.md); the plan reports when a bound is reached.
    """
    product = instance.products[product_name]
    if product.batch is not None and product.batch.max_units is not None:
        return max(product.batch.max_units, committed)
    caps = _caps_on(instance, product_name, year, plan_years)
    cheapest = _cheapest_unit_capex(instance, product_name, year)
    if caps and cheapest > 0:
        affordable = min(caps) / cheapest
        # Whole units round down; a divisible product may buy the fraction too.
        bound = committed + (math.floor(affordable + 1e-9) if product.integer
                             else affordable)
    else:
        needed = sum(math.ceil(peak[resource] / amount)
                     for resource, amount in product.capacity.items())
        bound = UNBOUNDED_PRODUCT_DEMAND_FACTOR * max(needed, 1) + committed
        bound += _share_allowance(instance, product_name, year, peak)
    minimum = product.batch.min_units if product.batch is not None else 0.0
    return float(max(bound, minimum, committed, 1))


def _share_allowance(instance: Instance, product_name: str, year: int,
                     peak: dict[str, float]) -> int:
    """Units a EuroHPC share's bounds could make a plan buy beyond what demand needs.

    A minimum share makes EuroHPC spending follow national spending; a maximum makes
    national spending follow EuroHPC spending. The spending on the other side is bounded
    by its own demand bound at its dearest price.
    """
    share = instance.policy.eurohpc_share
    if share is None:
        return 0
    product = instance.products[product_name]
    kind = instance.pools[product.pool].kind
    price = unit_capex(instance, product_name, year) * (
        1 + min(tier.surcharge for tier in instance.tiers))
    if price <= 0:
        return 0
    other_side = "national" if kind == "eurohpc" else "eurohpc"
    ratio = 0.0
    if kind == "eurohpc" and share.min > 0:
        ratio = share.min / max(1 - share.min, 1e-6)
    elif kind == "national" and share.max:
        ratio = 1 / share.max
    if ratio == 0:
        return 0
    other_spending = 0.0
    for name, other in instance.products.items():
        if instance.pools[other.pool].kind != other_side:
            continue
        needed = sum(math.ceil(peak[resource] / amount)
                     for resource, amount in other.capacity.items())
        dearest = max(unit_capex(instance, name, y) for y in instance.year_list) * (
            1 + max(tier.surcharge for tier in instance.tiers))
        other_spending += UNBOUNDED_PRODUCT_DEMAND_FACTOR * max(needed, 1) * dearest * len(
            instance.year_list)
    return math.ceil(ratio * other_spending / price)


def units_needed(instance: Instance, demand: dict[tuple[str, int], float],
                 allowed: dict[str, list[str]], in_service: dict[tuple[str, int], list[int]],
                 committed: dict[tuple[str, int], float]) -> dict[tuple[str, int], float]:
    """(product i, year b) → the units of i bought in b that an optimal plan needs at most:

        max(⌈max_{y: S(i,b,y)=1} D(p,r,y) / capacity_i[r]⌉ over r, min_units_i) + committed

    with D(p,r,y) the demand of resource r in year y of every workload that may use i's
    pool p. A unit beyond that serves nothing in any year (served and reserved capacity at
    p never exceed that demand), so dropping it (from its lowest tier) keeps every row
    and costs no more. Not where a EuroHPC share can make a plan buy beyond demand: a
    share of EuroHPC products (a `min` can need them), or a `max` for any other product
    (its spending is the base the share allows EuroHPC spending against).
    """
    share = instance.policy.eurohpc_share
    # Summed per (resource, pools) first: many workloads share their pools.
    grouped: dict[tuple[str, tuple[str, ...]], list[float]] = {}
    years_listed = instance.year_list
    for name, workload in instance.workloads.items():
        sums = grouped.setdefault((workload.resource, tuple(allowed[name])),
                                  [0.0] * len(years_listed))
        for index, year in enumerate(years_listed):
            sums[index] += demand[name, year]
    pool_demand: dict[tuple[str, str, int], float] = defaultdict(float)
    for (resource, pools), sums in grouped.items():
        for pool in pools:
            for year, amount in zip(years_listed, sums, strict=True):
                pool_demand[pool, resource, year] += amount
    needed = {}
    for (name, year), years in in_service.items():
        product = instance.products[name]
        kind = instance.pools[product.pool].kind
        if share is not None and (kind == "eurohpc" or share.max is not None):
            continue
        units = 0.0
        for resource, amount in product.capacity.items():
            peak = max((pool_demand.get((product.pool, resource, y), 0.0) for y in years),
                       default=0.0)
            units = max(units, math.ceil(peak / amount - 1e-9) if product.integer
                        else peak / amount)
        minimum = product.batch.min_units if product.batch is not None else 0.0
        needed[name, year] = float(max(units, minimum) + committed.get((name, year), 0.0))
    return needed


def derive(instance: Instance, scenario: str | Scenario | None = None) -> ModelData:
    """The validated instance → `ModelData` (spec §2).

    For an instance with `scenarios`, `scenario` names the scenario (or is a `Scenario`,
    such as the expected-value scenario of `planner.data.scenarios`): its demand and prices
    apply (spec §6.2). An instance with scenarios has no data of its own.
    """
    if scenario is None:
        if instance.scenarios:
            raise InputError(instance.name, Problem(
                "scenarios", "this command plans for one forecast and takes no scenarios; "
                             "solve the instance with `planner solve` or `planner stochastic`, "
                             "or remove `scenarios` to plan for the instance's own forecast"))
        return _derive(instance)
    if isinstance(scenario, str):
        name, item = scenario, (instance.scenarios or {})[scenario]
    else:
        name, item = EXPECTED_VALUE, scenario
    data = _derive(scenario_instance(instance, item))
    factors = price_factors(instance, item)
    if factors:
        _apply_price_factors(instance, data, factors)
    data.scenario = name
    data.price_factor = factors
    # A purchase decided now serves every scenario, and a fixed one (EEV) may exceed one
    # scenario's demand: the demand bound of one scenario is no bound here.
    data.units_needed = {}
    return data


def _apply_price_factors(instance: Instance, data: ModelData,
                         factors: dict[tuple[str, int], float]) -> None:
    """Scale the capex of purchases in scaled years (commitments keep their own price) and
    widen unit bounds so they stay bounds at the scaled prices.

    A bound comes from a cap divided by a price, or from demand plus what a EuroHPC share
    could force (a ratio of prices): multiplying it by max factor / min factor (each
    counted with 1) keeps it a bound whatever the prices did. That holds for purchases
    decided now too: their prices are known, but what a EuroHPC share forces them to buy
    depends on the later, scaled prices of other products.
    """
    data.purchase_cells = [
        dataclasses.replace(cell, unit_capex_mnok=cell.unit_capex_mnok * factors[
            cell.product, cell.year])
        if cell.committed_units is None and (cell.product, cell.year) in factors else cell
        for cell in data.purchase_cells
    ]
    low = min(1.0, *factors.values())
    high = max(1.0, *factors.values())
    for (product, year), bound in data.unit_bound.items():
        batch = instance.products[product].batch
        if batch is None or batch.max_units is None:
            data.unit_bound[product, year] = float(math.ceil(bound * high / low - 1e-9))


def _derive(instance: Instance) -> ModelData:
    """`derive` of one forecast: the instance as given."""
    years = instance.year_list
    first, last = instance.years.first, instance.years.last
    plan_years = [year for year in years if year >= instance.first_plan_year]
    rate = instance.discount_rate
    discount = {year: (1 + rate) ** -(year - first) for year in years}
    demand = demand_by_year(instance)

    cells = _purchase_cells(instance, plan_years)
    bought = sorted({(cell.product, cell.year) for cell in cells})
    in_service: dict[tuple[str, int], list[int]] = {}
    salvage: dict[tuple[str, int], float] = {}
    for name, year in bought:
        product = instance.products[name]
        start = year + product.lead_time
        end = start + product.lifetime - 1
        in_service[name, year] = [y for y in years if start <= y <= end]
        if instance.end_of_horizon == "salvage" and end > last:
            years_left = min(product.lifetime, end - last)
            salvage[name, year] = (discount[last] / (1 + rate)
                                   * years_left / product.lifetime)
        else:
            salvage[name, year] = 0.0

    committed_per_cell: dict[tuple[str, int], float] = defaultdict(float)
    for commitment in instance.committed:
        committed_per_cell[commitment.product, commitment.year] += commitment.units
    peak = _peak_demand(instance, demand)
    unit_bound = {
        key: _unit_bound(instance, key[0], key[1], plan_years, peak,
                         committed_per_cell.get(key, 0.0))
        for key in bought
    }
    assumed_bounds = {key for key in bought
                      if _bound_is_assumed(instance, key[0], key[1], plan_years)}
    holdable = pools_that_can_hold(instance)
    allowed = all_allowed_pools(instance, holdable)
    needed = units_needed(instance, demand, allowed, in_service, committed_per_cell)

    existing_capacity: dict[tuple[str, str, int, int], float] = defaultdict(float)
    existing_in_service: set[tuple[str, int]] = set()
    existing_opex: dict[int, float] = dict.fromkeys(years, 0.0)
    for system in instance.existing:
        tier = instance.tier_index(system.tier)
        for year in years:
            if year > system.last_year:
                continue
            existing_opex[year] += system.opex
            for resource, amount in system.capacity.items():
                existing_capacity[system.pool, resource, year, tier] += amount
            if any(amount > 0 for amount in system.capacity.values()):
                existing_in_service.add((system.pool, year))

    pools = instance.pools
    products = instance.products
    batches = {name: product.batch for name, product in products.items() if product.batch}
    share = instance.policy.eurohpc_share
    national = instance.policy.national_share
    return ModelData(
        instance_name=instance.name,
        years=years,
        plan_years=plan_years,
        discount=discount,
        tiers=instance.tier_names,
        surcharge={index: tier.surcharge for index, tier in enumerate(instance.tiers)},
        resources=list(instance.resources),
        resource_unit={name: item.unit for name, item in instance.resources.items()},
        pool_kind={name: pool.kind for name, pool in pools.items()},
        pool_is_national={name: instance.locations[pool.location].national
                          for name, pool in pools.items()},
        pool_max_tier={name: instance.tier_index(pool.max_tier) for name, pool in pools.items()},
        pool_fixed_opex_mnok={name: pool.fixed_opex for name, pool in pools.items()},
        pool_limit={name: dict(pool.limit or {}) for name, pool in pools.items()},
        cloud_price_mnok={name: dict(pool.price or {}) for name, pool in pools.items()
                          if pool.kind == "cloud"},
        product_pool={name: product.pool for name, product in products.items()},
        product_capacity={name: dict(product.capacity) for name, product in products.items()},
        product_opex_mnok={name: product.opex for name, product in products.items()},
        product_integer={name: product.integer for name, product in products.items()},
        product_lifetime_years={name: product.lifetime for name, product in products.items()},
        batch_fixed_capex_mnok={name: batch.fixed_capex for name, batch in batches.items()},
        batch_fixed_opex_mnok={name: batch.fixed_opex for name, batch in batches.items()},
        batch_min_units={name: batch.min_units for name, batch in batches.items()},
        purchase_cells=cells,
        in_service_years=in_service,
        salvage_factor=salvage,
        unit_bound=unit_bound,
        assumed_unit_bounds=assumed_bounds,
        units_needed=needed,
        existing_capacity=dict(existing_capacity),
        existing_pools_in_service=existing_in_service,
        existing_opex_mnok=existing_opex,
        baseline_opex_mnok={year: year_values(instance.baseline_opex, years).get(year, 0.0)
                            for year in years},
        workload_resource={name: w.resource for name, w in instance.workloads.items()},
        workload_tier={name: instance.tier_index(w.tier) for name, w in instance.workloads.items()},
        demand=demand,
        unmet_penalty_mnok={name: w.unmet_penalty for name, w in instance.workloads.items()},
        min_coverage={name: w.min_coverage for name, w in instance.workloads.items()},
        allowed_pools=allowed,
        holdable_pools=holdable,
        total_budget_mnok=instance.budget.total,
        yearly_caps_mnok={
            key: {year: cap for year, cap in
                  year_values(getattr(instance.budget, key), years).items()
                  if year in plan_years}
            for key in BUDGET_CAP_KEYS
        },
        history_caps_mnok={
            key: {year: cap for year, cap in
                  year_values(getattr(instance.budget, key), years).items()
                  if year not in plan_years}
            for key in BUDGET_CAP_KEYS
        },
        eurohpc_share=None if share is None else {
            "min": share.min, "max": share.max, "of": share.of,
            "years": [y for y in years
                      if share.years is None or share.years[0] <= y <= share.years[1]],
        },
        national_share_min=None if national is None else national.min,
        national_share_resources=list(national.resources or instance.resources)
        if national is not None else [],
        batch_products=sorted(batches),
        redundant_workloads=[name for name, w in instance.workloads.items() if w.redundant],
        demand_classes=demand_classes(instance, allowed),
    )


def demand_classes(instance: Instance, allowed: dict[str, list[str]]) -> dict[str, list[str]]:
    """Lead workload → the workloads of its class, in instance order. A class holds the
    workloads of one resource, tier, redundancy and list of pools they may use: every row
    but the demand balance sees them only through the sum of their allocations, so one
    allocation per class gives the same optimum as one per workload, with fewer columns
    and none of the symmetry of swapping equal work between pools (docs/model.md)."""
    classes: dict[tuple, list[str]] = {}
    for name, workload in instance.workloads.items():
        key = (workload.resource, instance.tier_index(workload.tier), workload.redundant,
               tuple(allowed[name]))
        classes.setdefault(key, []).append(name)
    return {members[0]: members for members in classes.values()}
