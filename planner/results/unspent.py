"""Why money stays unspent: for a plan that leaves money under a cap while demand goes
unserved, the reason per unserved workload and plan year (docs/unspent.md).

`unspent_table(data, tables)` reads the solved plan's tables only (no solve): for each
unserved (workload, year) it lists every way to serve one more unit — idle capacity in a
pool the workload may use, cloud use, or one more unit of a product bought in a year that
puts it in service then — with what that way costs and which rule, if any, stops it:

- a budget cap in a year whose slack is below what the way needs there (`cap`: the
  investment lines, `investment`, `yearly`; `operations`: the operations line),
- the `total` budget,
- the EuroHPC share at its maximum (or, for national purchases, at its minimum),
- the national share at its minimum (for capacity abroad),
- a pool limit.

If some way is not stopped, the demand stays unserved because serving it costs more than
its penalty (`cost`; the cheapest such way's cost per unit and year against the penalty).
If every way is stopped, the reason is the rule that stops the cheapest way. If there is
no way at all (no product can be in service that year: lead times, the years a product
can be bought), the reason is `lead_time`.

`planner.analyses.unspent.confirm_largest(plan)` then re-solves to confirm the reason given
for the largest unserved amount (largest by its penalty, MNOK, so that resources compare):
the rule relaxed by the amount needed (doubled while the re-solve spends that room on
other uses the rule holds back), or the penalty raised above the stated cost, and records
whether that demand is then served.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd

from planner.data.derive import ModelData, derive
from planner.input.schema import Instance

# Money left under a cap below this (MNOK) is not "unspent" (as reports.content.REACHED_MNOK).
UNSPENT_MNOK = 0.05
# Slack below this (MNOK, or capacity units) is none: the rule binds.
BINDING = 1e-4
# Demand left unserved below this fraction of its demand is rounding.
UNSERVED_FRACTION = 1e-6

REASONS = ("cap", "operations", "total", "eurohpc_share", "national_share", "pool_limit",
           "batch_limit", "lead_time", "cost", "unexplained")

COLUMNS = ["workload", "resource", "unit", "year", "demand", "unserved",
           "unmet_penalty_mnok", "reason", "rule", "rule_year", "slack", "needed", "way",
           "way_year", "way_cost_mnok_per_unit_year", "way_step", "costs_more_than_penalty",
           "confirmed",
           "served_before", "served_after", "relaxation", "room_factor"]


@dataclass
class Stop:
    """A rule that stops a way: which, in which year, how much room it has and needs."""

    reason: str
    rule: str  # cap key, pool name, resource, `max`/`min` of the EuroHPC share
    year: int | None
    slack: float  # MNOK for caps and shares, capacity units for limits and shares
    needed: float


@dataclass
class Way:
    kind: str  # idle, cloud, buy
    name: str  # pool or product
    year: int  # purchase year (buy) or the year served
    cost_mnok_per_unit_year: float
    units_needed: float  # of the product (buy) or capacity (idle, cloud) to serve it all
    unit_capex_mnok: float = 0.0
    step: float = 1.0  # capacity the money a stop `needs` buys (one purchase; cloud: 1)
    stops: list[Stop] = field(default_factory=list)


def _columns(table: pd.DataFrame, *names: str) -> Iterator[tuple]:
    """The rows of `table`'s columns `names` as tuples (a column read whole: iterating a
    big table's rows reads every text cell through pandas, ten times slower)."""
    return zip(*(table[name].tolist() for name in names), strict=True)


class _Plan:
    """The solved plan's figures the analysis needs, indexed once."""

    def __init__(self, data: ModelData, tables: dict[str, pd.DataFrame],
                 max_units: dict[str, float] | None = None):
        self.data = data
        self.max_units = max_units or {}  # product → its batch's max_units, where given
        coverage = tables["coverage"]
        self.unserved = {(workload, int(year)): float(unserved) for workload, year, unserved
                         in _columns(coverage, "workload", "year", "unserved")}
        self.slack: dict[tuple[str, int | None], float] = {}
        for row in tables["budget"].itertuples():
            if bool(getattr(row, "history", False)):
                continue
            year = None if pd.isna(row.year) else int(row.year)
            self.slack[row.cap, year] = float(row.slack_mnok)
        self.used: dict[tuple[str, int, str], float] = defaultdict(float)  # (pool, y, w)
        for pool, year, workload, served in _columns(tables["allocation"], "pool", "year",
                                                     "workload", "served"):
            self.used[pool, int(year), workload] += float(served)
        self.bought: dict[tuple[str, int, int], float] = defaultdict(float)
        tier_index = {name: index for index, name in enumerate(data.tiers)}
        for row in tables["purchases"].itertuples():
            self.bought[row.product, int(row.year), tier_index[row.tier]] += float(row.units)
        self.shares = tables["shares"]
        # N-1 reserves sit beside the allocation in the same capacity (spec §6.1).
        self.reserved: dict[tuple[str, int, str], float] = defaultdict(float)
        redundancy = tables.get("redundancy")
        if redundancy is not None:
            for row in redundancy.itertuples():
                self.reserved[row.pool, int(row.year), row.workload] += float(row.reserved)
        self._index()

    def _index(self) -> None:
        # The questions below are asked for every workload, year and way: the figures are
        # grouped once by what they are asked by, and each answer kept.
        data = self.data
        self._existing: dict[tuple[str, str, int], list] = defaultdict(list)
        for (pool, resource, year, tier), amount in data.existing_capacity.items():
            self._existing[pool, resource, year].append((tier, amount))
        self._bought_at: dict[str, list] = defaultdict(list)
        self.bought_units: dict[tuple[str, int], float] = defaultdict(float)
        for (product, bought, tier), units in self.bought.items():
            self._bought_at[data.product_pool[product]].append((product, bought, tier, units))
            self.bought_units[product, bought] += units
        self._used_at: dict[tuple[str, int], list] = defaultdict(list)
        self._served_in: dict[tuple[str, int], list] = defaultdict(list)
        for (pool, year, workload), value in self.used.items():
            self._used_at[pool, year].append((workload, value))
            self._served_in[data.workload_resource[workload], year].append((pool, value))
        self._reserved_at: dict[tuple[str, int], list] = defaultdict(list)
        for (pool, year, workload), value in self.reserved.items():
            self._reserved_at[pool, year].append((workload, value))
        self._capacity: dict[tuple, float] = {}
        self._in_service: dict[tuple[str, int], bool] = {}
        self._eurohpc_room: tuple[float, float] | None = None
        # The purchase cells of each pool, with their place among all of them.
        self._cells_at: dict[str, list] = defaultdict(list)
        for index, cell in enumerate(data.purchase_cells):
            self._cells_at[data.product_pool[cell.product]].append((index, cell))
        self._cells_for: dict[str, list] = {}

    def cells_for(self, workload: str) -> list:
        """The purchase cells of the pools `workload` may use, in the order of all cells."""
        if workload not in self._cells_for:  # asked for every year the workload goes unserved
            entries = sorted((entry for pool in self.data.allowed_pools[workload]
                              for entry in self._cells_at.get(pool, ())),
                             key=lambda entry: entry[0])
            self._cells_for[workload] = [cell for _, cell in entries]
        return self._cells_for[workload]

    def capacity(self, pool: str, resource: str, year: int, tier: int = 0) -> float:
        """C(p,r,y,≥k): capacity in service at tier k or above."""
        key = (pool, resource, year, tier)
        if key not in self._capacity:
            data = self.data
            total = sum(amount for k, amount in self._existing.get((pool, resource, year), ())
                        if k >= tier)
            for product, bought, k, units in self._bought_at.get(pool, ()):
                if k >= tier and year in data.in_service_years.get((product, bought), []):
                    total += units * data.product_capacity[product].get(resource, 0.0)
            self._capacity[key] = total
        return self._capacity[key]

    def _of(self, entries, resource: str, tier: int) -> float:
        data = self.data
        return sum(value for workload, value in entries
                   if data.workload_resource[workload] == resource
                   and data.workload_tier[workload] >= tier)

    def use(self, pool: str, resource: str, year: int, tier: int = 0) -> float:
        return self._of(self._used_at.get((pool, year), ()), resource, tier)

    def in_service(self, pool: str, year: int) -> bool:
        """Whether the pool has any capacity in service that year (its fixed opex is paid)."""
        key = (pool, year)
        if key not in self._in_service:  # asked for every way and year of its service
            self._in_service[key] = any(self.capacity(pool, resource, year) > 0
                                        for resource in self.data.resources)
        return self._in_service[key]

    def idle(self, pool: str, resource: str, year: int, tier: int) -> float:
        """Capacity a workload at `tier` could still use: the least room over the tier
        rows it enters (spec §4.2: every tier k ≤ its own), reserves included."""
        reserved = self._reserved_at.get((pool, year), ())
        return min(self.capacity(pool, resource, year, k) - self.use(pool, resource, year, k)
                   - self._of(reserved, resource, k) for k in range(tier + 1))

    def national_room(self, resource: str, year: int) -> float | None:
        """How much more may be served abroad before the national share's minimum binds."""
        data = self.data
        if data.national_share_min is None or resource not in data.national_share_resources:
            return None
        served = self._served_in.get((resource, year), ())
        national = sum(value for pool, value in served if data.pool_is_national[pool])
        total = sum(value for _, value in served)
        low = data.national_share_min
        return math.inf if low <= 0 else national / low - total

    def eurohpc_room(self) -> tuple[float, float]:
        """(more EuroHPC capex the maximum allows, more national capex the minimum allows)."""
        if self._eurohpc_room is None:  # asked for every unserved workload and year
            self._eurohpc_room = self._eurohpc_room_now()
        return self._eurohpc_room

    def _eurohpc_room_now(self) -> tuple[float, float]:
        share = self.data.eurohpc_share
        if share is None:
            return math.inf, math.inf
        row = self.shares[self.shares["share"] == "eurohpc"].iloc[0]
        eurohpc, base = float(row["numerator"]), float(row["base"])
        more_eurohpc = math.inf
        if share["max"] is not None:
            if share["of"] == "national_investment":
                more_eurohpc = share["max"] * base - eurohpc
            elif share["max"] < 1:
                more_eurohpc = (share["max"] * base - eurohpc) / (1 - share["max"])
        more_national = math.inf
        if share["min"] > 0:
            more_national = eurohpc / share["min"] - base
        return more_eurohpc, more_national


def _cap_stops(plan: _Plan, keys: tuple[str, ...], year: int, needed: float,
               continuous: bool, reason: str = "cap") -> list[Stop]:
    stops = []
    for key in keys:
        slack = plan.slack.get((key, year))
        if slack is None:
            continue
        if slack < (BINDING if continuous else needed - BINDING):
            stops.append(Stop("operations" if key == "operations" else reason, key, year,
                              slack, needed))
    return stops


def _buy_ways(plan: _Plan, workload: str, year: int) -> list[Way]:
    data = plan.data
    resource, tier = data.workload_resource[workload], data.workload_tier[workload]
    unserved = plan.unserved[workload, year]
    more_eurohpc, more_national = plan.eurohpc_room()
    share_years = data.eurohpc_share["years"] if data.eurohpc_share else []
    ways = []
    for cell in plan.cells_for(workload):
        pool = data.product_pool[cell.product]
        if (cell.tier < tier or cell.committed_units is not None
                or cell.tier > data.pool_max_tier[pool]):
            continue
        capacity = data.product_capacity[cell.product].get(resource, 0.0)
        service = data.in_service_years.get((cell.product, cell.year), [])
        if capacity <= 0 or year not in service:
            continue
        continuous = not data.product_integer[cell.product]
        capex = cell.unit_capex_mnok
        bought = plan.bought_units.get((cell.product, cell.year), 0.0)
        opex = data.product_opex_mnok[cell.product] * (1 + data.surcharge[cell.tier]) \
            * data.price_scale(cell.product, cell.year)
        # One more unit; where its batch is not bought that year, the batch's minimum and
        # fixed costs come with it (a continuous product: as much as serves it all).
        count = 1.0
        fixed, fixed_opex = 0.0, 0.0
        if cell.product in data.batch_products and bought <= 0:
            count = max(data.batch_min_units[cell.product],
                        unserved / capacity if continuous else 1.0)
            scale = data.price_scale(cell.product, cell.year)
            fixed = data.batch_fixed_capex_mnok[cell.product] * scale
            fixed_opex = data.batch_fixed_opex_mnok[cell.product] * scale
        served_years = [t for t in service if t in data.plan_years
                        and plan.unserved.get((workload, t), 0.0) > 0]
        gained = sum(data.discount[t] * min(count * capacity, plan.unserved[workload, t])
                     for t in served_years)
        horizon = [t for t in service if t in data.discount]
        # A pool with nothing in service that year starts paying its fixed opex.
        pool_opex = {t: 0.0 if plan.in_service(pool, t) else data.pool_fixed_opex_mnok.get(
            pool, 0.0) for t in horizon}
        net = (data.discount[cell.year] * (count * capex + fixed)
               - data.salvage_factor.get((cell.product, cell.year), 0.0) * count * capex
               + sum(data.discount[t] * (count * opex + fixed_opex + pool_opex[t])
                     for t in horizon))
        units = unserved / capacity if continuous else math.ceil(unserved / capacity - 1e-9)
        way = Way("buy", cell.product, cell.year, net / gained if gained > 0 else math.inf,
                  units, capex, count * capacity)
        opex = count * opex + fixed_opex
        # A batch not yet bought comes whole (its minimum and fixed cost): no longer divisible.
        continuous = continuous and not (cell.product in data.batch_products and bought <= 0)
        line = "eurohpc_investment" if data.pool_kind[pool] == "eurohpc" \
            else "national_investment"
        one = count * capex + fixed
        way.stops += _cap_stops(plan, (line, "investment", "yearly"), cell.year, one,
                                continuous)
        for t in horizon:
            running = opex + pool_opex[t]
            if t in data.plan_years and running > 0:
                way.stops += _cap_stops(plan, ("operations",), t, running,
                                        continuous and pool_opex[t] == 0)
        whole = one + sum(opex + pool_opex[t] for t in horizon)
        total = plan.slack.get(("total", None))
        if total is not None and total < (BINDING if continuous else whole - BINDING):
            way.stops.append(Stop("total", "total", None, total, whole))
        if cell.year in share_years:
            if data.pool_kind[pool] == "eurohpc" and more_eurohpc < (
                    BINDING if continuous else one - BINDING):
                way.stops.append(Stop("eurohpc_share", "max", None, more_eurohpc, one))
            if data.pool_kind[pool] == "national" and more_national < (
                    BINDING if continuous else one - BINDING):
                way.stops.append(Stop("eurohpc_share", "min", None, more_national, one))
        for limited, limit in data.pool_limit.get(pool, {}).items():
            adds = data.product_capacity[cell.product].get(limited, 0.0)
            for t in service:
                if t in data.plan_years and adds > 0 and plan.capacity(pool, limited, t) + (
                        BINDING if continuous else adds) > limit + BINDING:
                    way.stops.append(Stop("pool_limit", pool, t,
                                          limit - plan.capacity(pool, limited, t), adds))
                    break
        if not data.pool_is_national[pool]:
            room = plan.national_room(resource, year)
            if room is not None and room < BINDING:
                way.stops.append(Stop("national_share", resource, year, room,
                                      min(capacity, unserved)))
        bound = plan.max_units.get(cell.product)  # a bound the caps imply is no rule
        if bound is not None and bought + (BINDING if continuous else count) > bound + BINDING:
            way.stops.append(Stop("batch_limit", cell.product, cell.year, bound - bought,
                                  count))
        ways.append(way)
    return ways


def _other_ways(plan: _Plan, workload: str, year: int) -> list[Way]:
    """Idle capacity in a pool the workload may use, and cloud use."""
    data = plan.data
    resource, tier = data.workload_resource[workload], data.workload_tier[workload]
    unserved = plan.unserved[workload, year]
    ways = []
    for pool in data.allowed_pools[workload]:
        stops = []
        if not data.pool_is_national[pool]:
            room = plan.national_room(resource, year)
            if room is not None and room < BINDING:
                stops.append(Stop("national_share", resource, year, room, unserved))
        if data.pool_kind[pool] == "cloud":
            price = data.cloud_price_mnok[pool][resource] * data.price_scale(pool, year)
            way = Way("cloud", pool, year, price, unserved, price, stops=stops)
            way.stops += _cap_stops(plan, ("operations", "yearly"), year, price, True)
            total = plan.slack.get(("total", None))
            if total is not None and total < BINDING:
                way.stops.append(Stop("total", "total", None, total, price))
            limit = data.pool_limit.get(pool, {}).get(resource)
            if limit is not None and plan.use(pool, resource, year) > limit - BINDING:
                way.stops.append(Stop("pool_limit", pool, year,
                                      limit - plan.use(pool, resource, year), unserved))
            ways.append(way)
            continue
        idle = plan.idle(pool, resource, year, tier)
        if idle > BINDING:
            ways.append(Way("idle", pool, year, 0.0, min(idle, unserved), 0.0, stops=stops))
    return ways


def _explain(plan: _Plan, workload: str, year: int, priority: str) -> dict:
    """The reason for one unserved (workload, year), from the ways to serve one more unit.

    With priority cost: if the cheapest way costs less than the penalty, it would pay, so
    the rule that stops it is the reason; otherwise the cheapest way no rule stops costs
    more than the penalty (`cost`). With priority coverage (penalties only weigh), the
    reason is the rule that stops the cheapest way. If every way is stopped, it is the
    rule that stops the cheapest; `costs_more_than_penalty` says whether that way would
    not pay either. No way at all: `lead_time`.
    """
    data = plan.data
    ways = _other_ways(plan, workload, year) + _buy_ways(plan, workload, year)
    if workload in data.redundant_workloads:
        # N-1 (spec §6.1): a unit served needs a unit of backup in another pool as well;
        # the backup is taken to cost as much as the way itself (docs/unspent.md).
        for way in ways:
            way.cost_mnok_per_unit_year *= 2
    ways.sort(key=lambda way: (way.cost_mnok_per_unit_year, way.kind, way.name, way.year))
    penalty = data.unmet_penalty_mnok[workload]
    row = {"reason": "lead_time", "rule": None, "rule_year": None, "slack": None,
           "needed": None, "way": None, "way_year": None, "way_cost_mnok_per_unit_year": None,
           "way_step": None, "costs_more_than_penalty": None}
    if not ways:
        return row  # nothing can be in service that year: lead times, product years

    def pays(way: Way) -> bool:
        return way.cost_mnok_per_unit_year < penalty - 1e-6 * max(1.0, penalty)

    def described(way: Way, reason: str, stop: Stop | None = None) -> dict:
        return row | {"reason": reason, "way": way.name, "way_year": way.year,
                      "way_cost_mnok_per_unit_year": way.cost_mnok_per_unit_year,
                      "way_step": way.step,
                      # under coverage the penalties only weigh: "would not pay" is moot
                      "costs_more_than_penalty": None if priority == "coverage"
                      else not pays(way)} | ({} if stop is None else {
                          "rule": stop.rule, "rule_year": stop.year, "slack": stop.slack,
                          "needed": stop.needed})

    cheapest = ways[0]
    free = [way for way in ways if not way.stops]
    if cheapest.stops and (priority == "coverage" or pays(cheapest) or not free):
        stop = cheapest.stops[0]
        return described(cheapest, stop.reason, stop)
    if priority == "coverage":
        return described(free[0], "unexplained")
    way = free[0]
    return described(way, "unexplained" if pays(way) else "cost")


def money_unspent(budget: pd.DataFrame) -> pd.DataFrame:
    """The caps of plan years (and the total) with money left under them."""
    if not len(budget):
        return budget
    history = budget["history"] if "history" in budget.columns else False
    return budget[(budget["slack_mnok"] > UNSPENT_MNOK) & ~pd.Series(history, index=budget.index)
                  .astype(bool)]


def batch_max_units(instance: Instance) -> dict[str, float]:
    """product → its batch's `max_units`, for the products that give one."""
    return {name: product.batch.max_units for name, product in instance.products.items()
            if product.batch is not None and product.batch.max_units is not None}


def unspent_table(data: ModelData, tables: dict[str, pd.DataFrame],
                  priority: str = "cost",
                  max_units: dict[str, float] | None = None) -> pd.DataFrame:
    """A row per unserved (workload, plan year) with its reason, when the plan leaves money
    under a cap unspent; empty when it does not (or serves everything)."""
    empty = pd.DataFrame(columns=COLUMNS)
    if not len(money_unspent(tables["budget"])):
        return empty
    plan = _Plan(data, tables, max_units)
    records = []
    for workload, resource, unit, year, demand, unserved in _columns(
            tables["coverage"], "workload", "resource", "unit", "year", "demand", "unserved"):
        year = int(year)
        if year not in data.plan_years or unserved <= UNSERVED_FRACTION * max(1.0, demand):
            continue
        records.append({
            "workload": workload, "resource": resource, "unit": unit,
            "year": year, "demand": float(demand), "unserved": float(unserved),
            "unmet_penalty_mnok": data.unmet_penalty_mnok[workload],
            **_explain(plan, workload, year, priority),
            "confirmed": None, "served_before": None, "served_after": None,
            "relaxation": None, "room_factor": None})
    if not records:
        return empty
    return pd.DataFrame.from_records(records, columns=COLUMNS)


# --- the confirming re-solve -------------------------------------------------------------


def largest(table: pd.DataFrame) -> int | None:
    """Index of the row whose unserved demand weighs most (unserved × penalty, MNOK);
    ties go to the first row (workload order, then year)."""
    if table is None or not len(table):
        return None
    weight = table["unserved"] * table["unmet_penalty_mnok"]
    weight = weight.where(weight > 0, table["unserved"] * 1e-12)
    return int(weight.idxmax())


def relaxed_instance(instance: Instance, row: pd.Series,
                     tables: dict[str, pd.DataFrame],
                     factor: float = 1.0) -> tuple[Instance, str] | None:
    """The instance with the row's reason removed by the amount needed to serve all of the
    row's unserved demand, and what was changed (key path text).

    Where the way the reason is about is stopped by more than one rule (a yearly cap and
    the EuroHPC line, say), every one of them is relaxed: the reason is all of them.
    `factor` multiplies the room a rule is given (money, capacity, units): the room the
    way alone needs can go to other uses the same rule holds back (docs/unspent.md), and
    the confirming re-solve then tries more. It does not apply to `cost` or `lead_time`.
    """
    data = instance.model_dump(mode="json", exclude_unset=True)
    changes = []
    for stop_row in _stop_rows(instance, row, tables):
        change = _relax(data, instance, stop_row, tables, factor)
        if change is None:
            return None
        if change not in changes:
            changes.append(change)
    return Instance.model_validate(data), "; ".join(changes)


def _stop_rows(instance: Instance, row: pd.Series,
               tables: dict[str, pd.DataFrame]) -> list[pd.Series]:
    """The row itself, then one copy per further rule that stops the same way."""
    rows = [row]
    if row["reason"] in ("cost", "lead_time", "unexplained") or row["way"] is None:
        return rows
    plan = _Plan(derive(instance), tables, batch_max_units(instance))
    workload, year = row["workload"], int(row["year"])
    ways = _other_ways(plan, workload, year) + _buy_ways(plan, workload, year)
    for way in ways:
        if way.name != row["way"] or way.year != int(row["way_year"]):
            continue
        for stop in way.stops[1:]:
            rows.append(row.copy())
            rows[-1]["reason"], rows[-1]["rule"] = stop.reason, stop.rule
            rows[-1]["rule_year"], rows[-1]["slack"] = stop.year, stop.slack
            rows[-1]["needed"] = stop.needed
        break
    return rows


def _relax(data: dict, instance: Instance, row: pd.Series,
           tables: dict[str, pd.DataFrame], factor: float = 1.0) -> str | None:
    """Relax the row's rule in the instance data `data`; returns what was changed."""
    reason = row["reason"]
    workload = row["workload"]
    year = int(row["year"])
    # The change is written as key paths and numbers, as `--set` would take them, so that
    # a report in any language shows it as it is.
    if reason == "cost":
        raised = float(row["way_cost_mnok_per_unit_year"]) * 1.05 + 1e-3
        data["workloads"][workload]["unmet_penalty"] = raised
        change = f"workloads.{workload}.unmet_penalty = {raised:.4g}"
    elif reason in ("cap", "operations", "total"):
        more = _money_needed(instance, row) * factor
        budget = data.setdefault("budget", {})
        key = row["rule"]
        if key == "total":
            budget["total"] = budget["total"] + more
            change = f"budget.total + {more:.4g} MNOK"
        else:
            value = budget.get(key)
            rule_year = int(row["rule_year"])
            by_year = dict(value) if isinstance(value, dict) else {
                y: value for y in instance.year_list}
            by_year = {int(y): v for y, v in by_year.items()}
            by_year[rule_year] = by_year[rule_year] + more
            budget[key] = by_year
            change = f"budget.{key}.{rule_year} + {more:.4g} MNOK"
        if budget.get("total") is not None and key != "total":
            budget["total"] = budget["total"] + more  # the money must exist overall too
            change += f"; budget.total + {more:.4g} MNOK"
    elif reason == "eurohpc_share":
        share = data["policy"]["eurohpc_share"]
        row_e = tables["shares"][tables["shares"]["share"] == "eurohpc"].iloc[0]
        eurohpc, base = float(row_e["numerator"]), float(row_e["base"])
        more = _money_needed(instance, row) * factor
        if row["rule"] == "max":
            grows = 0.0 if share.get("of") == "national_investment" else more
            bound = (eurohpc + more) / (base + grows) + 1e-9
            share["max"] = bound
            change = f"policy.eurohpc_share.max = {bound:.4g}"
        else:
            bound = max(0.0, eurohpc / (base + more) - 1e-9)
            share["min"] = bound
            change = f"policy.eurohpc_share.min = {bound:.4g}"
    elif reason == "national_share":
        national = data["policy"]["national_share"]
        shares = tables["shares"]
        match = shares[(shares["share"] == "national") & (shares["resource"] == row["resource"])
                       & (shares["years"] == str(year))].iloc[0]
        bound = max(0.0, float(match["numerator"]) / (
            float(match["base"]) + float(row["unserved"]) * factor) - 1e-9)
        national["min"] = bound
        change = f"policy.national_share.min = {bound:.4g}"
    elif reason == "pool_limit":
        pool = row["rule"]
        limits = data["pools"][pool]["limit"]
        resource = row["resource"] if row["resource"] in limits else next(iter(limits))
        more = (float(row["unserved"]) + max(0.0, -float(row["slack"] or 0.0)) + float(
            row["needed"] or 0.0)) * factor
        limits[resource] = float(limits[resource]) + more
        change = f"pools.{pool}.limit.{resource} + {more:.4g}"
    elif reason == "batch_limit":
        product = data["products"][row["rule"]]
        if (product.get("batch") or {}).get("max_units") is None:
            return None  # a bound the caps imply: the cap is the rule to relax
        more = math.ceil((math.ceil(float(row["unserved"]) / instance.products[
            row["rule"]].capacity.get(row["resource"], 1.0)) + 1) * factor)
        product["batch"]["max_units"] = float(product["batch"]["max_units"]) + more
        change = f"products.{row['rule']}.batch.max_units + {more}"
    elif reason == "lead_time":
        first = instance.first_plan_year
        changed = []
        for name, product in data.get("products", {}).items():
            pool = product["pool"]
            if pool in _allowed(instance, workload) and row["resource"] in product["capacity"]:
                product["lead_time"] = max(0, min(int(product.get("lead_time", 0)),
                                                  year - first))
                product.pop("years", None)
                changed.append(name)
        if not changed:
            return None
        change = "products " + ", ".join(changed) + f": lead_time ≤ {year - first}, every year"
    else:
        return None
    return change


def _allowed(instance: Instance, workload: str) -> list[str]:
    from planner.input.placement import allowed_pools

    return allowed_pools(instance, workload)


def _money_needed(instance: Instance, row: pd.Series) -> float:
    """What serving all of the row's unserved demand the stopped way needs beyond the
    slack: `needed` buys `way_step` of capacity; whole steps for whole-unit products."""
    step = float(row["way_step"]) if not pd.isna(row["way_step"]) else 1.0
    steps = float(row["unserved"]) / step
    product = instance.products.get(row["way"]) if row["way"] is not None else None
    if product is not None and product.integer:
        steps = math.ceil(steps - 1e-9)
    per_step = float(row["needed"] or 0.0)
    return max(per_step * steps - max(0.0, float(row["slack"] or 0.0)), 0.0) + 1e-3


def explain_unspent(instance: Instance, tables: dict[str, pd.DataFrame],
                    priority: str = "cost") -> pd.DataFrame:
    """`unspent_table` from an instance (derived here) and a plan's tables."""
    return unspent_table(derive(instance), tables, priority, batch_max_units(instance))
