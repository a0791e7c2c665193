"""The annual revision: the previous plan's past becomes history, the rest is planned again.

`revise_instance(previous, year, ...)` builds the revised instance from the previous plan
(its instance, or an updated instance file), the actuals of the years gone by, and an
optional extension of the horizon. The merge rules, which key comes from where, are in
docs/revision.md; in short:

- every key comes from the updated instance if one is given, else from the previous
  plan's instance; `years.first` stays (an updated instance must keep it);
- `plan_from` is the revision year; the years before it are history;
- each history year's commitments are what its actuals file says was bought, else the
  previous plan's purchases in that year (at the planned price); commitments the base
  instance lists for history years are replaced, those for later years kept;
- units an actuals file lists as ordered but not delivered become commitments of their
  delivery year, on a copy of their product that holds only that order (a commitment
  fixes its cell, and the plan may still buy more of the product that year);
- each history year's `baseline_opex` is its actuals' `spent.operations` where given;
- `extend` adds years at the end; values given per year carry on (docs/revision.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from planner.input.actuals import Actuals, check_actuals, check_distinct_years
from planner.input.errors import InputError, Problem
from planner.input.loading import instance_from_data
from planner.input.schema import Instance
from planner.input.yaml_text import SafeDumper, parse_yaml
from planner.input.yaml_text import dump_yaml as _dump
from planner.results.plan import Plan

# Budget caps given per year; `total` spans the horizon and is not extended.
YEARLY_BUDGET_KEYS = ("yearly", "investment", "national_investment", "eurohpc_investment",
                      "operations")
# Committed prices and continuous units are kept to this many decimals in the file.
DECIMALS = 9


@dataclass(frozen=True)
class Revision:
    """A revised instance: validated, as plain data and as the YAML text written."""

    instance: Instance
    data: dict[str, Any]
    text: str
    year: int
    history_years: list[int]
    notes: list[str] = field(default_factory=list)


def _plain(instance: Instance) -> dict[str, Any]:
    return instance.model_dump(exclude_unset=True)


def _per_year_map(value: Any, years: list[int]) -> dict[int, float]:
    """A year value (one number for every year, or a map) as a map, for editing one year."""
    if isinstance(value, dict):
        return dict(value)
    return dict.fromkeys(years, value if value is not None else 0.0)


def _extend_year_map(value: Any, old_last: int, new_years: list[int], path: str,
                     notes: list[str]) -> Any:
    """A year map that gives the old last year: its value carries on into the new years."""
    if not isinstance(value, dict) or old_last not in value:
        return value
    extended = dict(value)
    for year in new_years:
        extended[year] = value[old_last]
    notes.append(f"{path}: {value[old_last]:g} in {old_last} carried on to "
                 f"{new_years[0]}..{new_years[-1]}")
    return extended


def extend_horizon(data: dict[str, Any], years: int) -> list[str]:
    """Roll the horizon `years` further, in place; returns what was carried on, in words.

    - `years.last` grows by `years`;
    - a map of years (`baseline_opex`, a per-year budget cap) that gives the old last year
      gives each new year that value; a single number already means every year;
    - a demand map continues at the growth of its last two years (flat if the earlier is 0);
    - a product whose `years` include the old last year can be bought in the new years;
    - `policy.eurohpc_share.years` ending at the old last year ends at the new one;
    - `budget.total` is unchanged: it now has to cover the longer horizon.
    """
    notes: list[str] = []
    old_last = data["years"]["last"]
    new_years = list(range(old_last + 1, old_last + years + 1))
    data["years"] = {**data["years"], "last": old_last + years}
    data["baseline_opex"] = _extend_year_map(data.get("baseline_opex"), old_last, new_years,
                                             "baseline_opex", notes)
    if data.get("baseline_opex") is None:
        data.pop("baseline_opex")
    budget = data.get("budget") or {}
    for key in YEARLY_BUDGET_KEYS:
        if key in budget:
            budget[key] = _extend_year_map(budget[key], old_last, new_years,
                                           f"budget.{key}", notes)
    if budget.get("total") is not None:
        notes.append(f"budget.total: {budget['total']:g} unchanged, now for "
                     f"{data['years']['first']}..{old_last + years}")
    for name, workload in (data.get("workloads") or {}).items():
        demand = workload.get("demand")
        if isinstance(demand, dict) and old_last in demand:
            last = demand[old_last]
            before = demand.get(old_last - 1)
            growth = last / before - 1 if before else 0.0
            extended = dict(demand)
            for step, year in enumerate(new_years, start=1):
                extended[year] = round(last * (1 + growth) ** step, DECIMALS)
            workload["demand"] = extended
            notes.append(f"workloads.{name}.demand: continues at {100 * growth:.1f} % a year "
                         f"from {last:g} in {old_last}")
    for name, product in (data.get("products") or {}).items():
        listed = product.get("years")
        if listed and old_last in listed:
            product["years"] = sorted({*listed, *new_years})
            notes.append(f"products.{name}.years: also {new_years[0]}..{new_years[-1]}")
    share = (data.get("policy") or {}).get("eurohpc_share") or {}
    if share.get("years") and share["years"][1] == old_last:
        share["years"] = [share["years"][0], old_last + years]
        notes.append(f"policy.eurohpc_share.years: now {share['years'][0]}..{old_last + years}")
    return notes


def _planned_purchases(previous: Plan, year: int, origin: str) -> list[dict[str, Any]]:
    """The previous plan's purchases in `year`, as commitments at the planned price.

    Of a two-stage plan only the purchases decided now are one plan: they are the same in
    every scenario, so the first scenario's rows are taken. Later purchases depend on the
    scenario that came, which the plan cannot know: those years need actuals.
    """
    table = previous.tables["purchases"]
    if "scenario" in table.columns:
        decided = previous.metadata.get("decide_now") or []
        if year not in decided:
            raise InputError("--actuals", Problem(
                str(year), f"{origin} is a two-stage plan whose purchases in {year} differ "
                           f"per scenario (only {', '.join(map(str, decided))} were decided "
                           f"for all); give an actuals file for {year} saying what was bought"))
        table = table[table["scenario"] == table["scenario"].iloc[0]] if len(table) else table
    commitments = []
    for row in table[table["year"] == year].itertuples():
        integer = previous.instance.products[row.product].integer
        units = float(round(row.units)) if integer else round(float(row.units), DECIMALS)
        commitments.append({
            "product": str(row.product), "year": int(year), "tier": str(row.tier),
            "units": units, "capex": round(float(row.unit_capex_mnok), DECIMALS),
            "source": f"planned in {origin}",
        })
    return commitments


def _actual_purchases(actuals: Actuals) -> list[dict[str, Any]]:
    commitments = []
    for item in actuals.data.bought:
        commitment: dict[str, Any] = {"product": item.product, "year": actuals.year}
        if item.tier is not None:
            commitment["tier"] = item.tier
        commitment |= {"units": item.units, "capex": item.capex,
                       "source": item.source or f"actuals {actuals.source}"}
        commitments.append(commitment)
    return commitments


def ordered_product_name(product: str, order_year: int) -> str:
    """The product that holds the units of `product` ordered in `order_year` and delivered
    later: a copy of it, bought in no plan year, committed in the delivery years."""
    return f"{product}-ordered-{order_year}"


def _orders(data: dict[str, Any], actuals: Sequence[Actuals], year: int,
            notes: list[str]) -> list[dict[str, Any]]:
    """Orders of history years not delivered before `year`: their products are added to
    `data` (in place) and their commitments returned.

    The copy of product P ordered in year O is `P-ordered-O`: P's capacity, opex, lifetime
    and integrality, no batch (the price paid per unit carries any fixed part), lead time 0
    (the delivery year is the first in service), and `years: [O]`, a history year, so it
    can never be bought again. Its units are committed in the delivery year at the price
    agreed. An order delivered in a history year is already among that year's purchases
    (its actuals, or the previous plan's), so it is only noted.
    """
    commitments: list[dict[str, Any]] = []
    products = data.setdefault("products", {})
    for item in actuals:
        for order in item.data.ordered:
            delivery = item.delivery(order)
            if delivery < year:
                notes.append(f"{item.year}: {order.units:g} units of {order.product} ordered "
                             f"for {delivery}, a history year: counted in {delivery}'s "
                             "purchases")
                continue
            name = ordered_product_name(order.product, item.year)
            if name in products and products[name].get("years") != [item.year]:
                raise InputError(item.source, Problem(
                    f"ordered[{item.data.ordered.index(order)}].product",
                    f"the order's copy of {order.product!r} would be named {name!r}, but the "
                    "instance has a product of that name that is not such a copy; rename it"))
            if name not in products:
                copy = {key: value for key, value in products[order.product].items()
                        if key not in ("batch", "years", "capex_trend", "source")}
                copy |= {"lead_time": 0, "years": [item.year],
                         "source": f"{order.product} ordered in {item.year}, delivered later "
                                   f"(actuals {item.source}); only that order"}
                products[name] = copy
            commitment: dict[str, Any] = {"product": name, "year": delivery}
            if order.tier is not None:
                commitment["tier"] = order.tier
            commitment |= {"units": order.units, "capex": order.capex,
                           "source": order.source or f"ordered in {item.year}, actuals "
                                                     f"{item.source}"}
            commitments.append(commitment)
            notes.append(f"{item.year}: {order.units:g} units of {order.product} ordered, "
                         f"delivered in {delivery}: committed as {name}")
    return commitments


def revise_instance(previous: Plan, year: int, *, actuals: Sequence[Actuals] = (),
                    updated: Instance | None = None, updated_source: str | None = None,
                    extend: int = 0, target: str = "instance.yaml",
                    origin: str = "the previous plan", command: str = "") -> Revision:
    """The revised instance of `previous` for revision year `year` (docs/revision.md).

    `updated` (read from `updated_source`) replaces the previous instance as the source of
    forecasts, prices, caps and policy; `actuals` give what happened in history years;
    `extend` adds years at the end. `target` names the revised file in messages;
    `origin` names the previous plan in the file's comments and commitment sources.
    Raises `InputError` naming the file and key path on any conflict; writes nothing.
    """
    if not previous.has_plan:
        raise InputError(origin, f"the previous run has no plan (status "
                                 f"{previous.status}); revise a run that found one")
    if extend < 0:
        raise InputError("--extend", f"expected a whole number ≥ 0, got {extend}")
    old = previous.instance
    base = updated if updated is not None else old
    base_source = updated_source or origin
    if base.years.first != old.years.first:
        raise InputError(base_source, Problem(
            "years.first", f"a revision keeps years.first ({old.years.first}, the previous "
                           f"plan's), so growth and price trends keep their base year; got "
                           f"{base.years.first}"))
    data = _plain(base)
    notes: list[str] = []
    if previous.status != "optimal":
        notes.append(f"{origin} is not proven optimal ({previous.status}); its purchases "
                     "are used as they are")
    if extend:
        notes += extend_horizon(data, extend)
    first, last = data["years"]["first"], data["years"]["last"]
    if not first <= year <= last:
        raise InputError("--year", f"expected a year in the revised horizon {first}..{last}, "
                                   f"got {year}")
    history = list(range(first, year))
    check_distinct_years(list(actuals))
    for item in actuals:
        check_actuals(item, base, year, last)
    by_year = {item.year: item for item in actuals}
    missing = [h for h in history if h not in by_year and h > old.years.last]
    if missing:
        raise InputError("--year", f"the previous plan ends in {old.years.last}; what was "
                                   f"bought in {', '.join(map(str, missing))} is unknown: give "
                                   "an actuals file for each such year")

    # Commitments: later years from the base instance, history years from actuals or plan,
    # orders not yet delivered in their delivery year.
    ordered_names = {ordered_product_name(order.product, item.year)
                     for item in actuals for order in item.data.ordered
                     if item.delivery(order) >= year}
    committed = [c for c in data.get("committed", [])
                 if c["year"] >= year and c["product"] not in ordered_names]
    replaced = [c for c in data.get("committed", []) if c["year"] < year]
    history_commitments: list[dict[str, Any]] = []
    for h in history:
        if h in by_year:
            history_commitments += _actual_purchases(by_year[h])
            notes.append(f"{h}: purchases from actuals {by_year[h].source}")
        else:
            planned = _planned_purchases(previous, h, origin)
            _carry_past_only_products(data, old, {c["product"] for c in planned}, year, notes)
            unknown = sorted({c["product"] for c in planned} - set(data["products"]))
            if unknown:
                raise InputError(base_source, Problem(
                    "products", f"the previous plan bought {', '.join(unknown)} in {h}, which "
                                "this instance does not define; keep the product (with "
                                "`years` limited) or give actuals for that year"))
            history_commitments += planned
            notes.append(f"{h}: purchases as planned in {origin}")
    if replaced and updated is not None:
        notes.append(f"{len(replaced)} commitment(s) of {base_source} in history years "
                     "replaced by the purchases above")
    data["committed"] = history_commitments + _orders(data, actuals, year, notes) + committed
    if not data["committed"]:
        data.pop("committed")

    # Operations spending of history years becomes their baseline_opex.
    spent = {h: by_year[h].data.spent.operations for h in history
             if h in by_year and by_year[h].data.spent.operations is not None}
    if spent:
        baseline = _per_year_map(data.get("baseline_opex", 0.0), list(range(first, last + 1)))
        for h, amount in spent.items():
            baseline[h] = amount
            notes.append(f"{h}: baseline_opex {amount:g} spent on operations (actuals)")
        data["baseline_opex"] = baseline
    data["plan_from"] = year
    if "decide_now" in data:
        # Years before the revision year are history; what is left is still decided now.
        kept = [y for y in data["decide_now"] if y >= year]
        if kept != data["decide_now"]:
            notes.append(f"decide_now: {kept or f'removed (default: [{year}])'}, "
                         f"history years dropped")
        if kept:
            data["decide_now"] = kept
        else:
            data.pop("decide_now")

    data = _tidy(_ordered(data))
    text = _header(previous, year, history, actuals, updated_source, extend, origin,
                   command) + dump_yaml(data)
    instance = instance_from_data(parse_yaml(text, target), target)
    return Revision(instance=instance, data=data, text=text, year=year,
                    history_years=history, notes=notes)


def _carry_past_only_products(data: dict[str, Any], old: Instance, needed: set[str],
                              year: int, notes: list[str]) -> None:
    """Products the previous plan bought in history years that an updated instance lacks,
    but that exist in the previous instance only for the past (all their `years` before the
    revision year, as an order's copy): carried over, in place, so their purchases stay."""
    products = data.setdefault("products", {})
    for name in sorted(needed - set(products)):
        product = old.products.get(name)
        if product is not None and product.years and max(product.years) < year:
            products[name] = product.model_dump(exclude_unset=True)
            notes.append(f"products.{name}: carried over from the previous plan's instance "
                         "(bought in history years only)")


class _Dumper(SafeDumper):
    """Small maps and lists of plain values on one line (`{first: 2025, last: 2029}`),
    everything else as blocks, as an instance file is written by hand."""


def _short(value: Any) -> bool:
    return not isinstance(value, dict | list) and len(str(value)) <= 30


def _represent_map(dumper: yaml.SafeDumper, data: dict) -> yaml.Node:
    flow = len(data) <= 6 and all(_short(value) for value in data.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(_short(value) for value in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(dict, _represent_map)
_Dumper.add_representer(list, _represent_list)


def dump_yaml(data: dict[str, Any]) -> str:
    """Plain instance data as YAML text, keys in the order given."""
    return _dump(data, _Dumper)


def _tidy(value: Any) -> Any:
    """Whole numbers written as `80`, not `80.0` (every number key accepts both)."""
    if isinstance(value, dict):
        return {key: _tidy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_tidy(item) for item in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """Top-level keys in the order of the instance format, `plan_from` and `committed` last."""
    order = list(Instance.model_fields)
    order.remove("plan_from")
    order.remove("committed")
    order += ["plan_from", "committed"]
    return {key: data[key] for key in order if key in data}


def _header(previous: Plan, year: int, history: list[int], actuals: Sequence[Actuals],
            updated_source: str | None, extend: int, origin: str, command: str) -> str:
    lines = [
        f"Revised instance {previous.instance.name!r}, revision year {year} "
        f"(plan_from: {year}), written by `planner revise`.",
    ]
    if command:
        lines.append(f"Command: {command}")
    lines.append(f"Previous plan: {origin} (instance sha256 "
                 f"{previous.metadata.get('instance_sha256', '?')[:16]}…)")
    lines.append("Forecasts, prices, caps and policy: "
                 + (f"{updated_source}" if updated_source else "the previous plan's instance"))
    for item in actuals:
        lines.append(f"Actuals {item.year}: {item.source} (sha256 {item.sha256[:16]}…)")
    if history:
        years = f"year {history[0]}" if len(history) == 1 else \
            f"years {history[0]}..{history[-1]}"
        lines.append(f"History {years}: purchases are `committed` below")
    if extend:
        lines.append(f"Horizon extended by {extend} year(s)")
    lines.append("Merge rules: docs/revision.md")
    return "".join(f"# {line}\n" for line in lines) + "\n"
