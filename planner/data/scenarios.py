"""Scenarios of a two-stage instance (spec §6.2), as plain data: no Pyomo here.

A scenario changes three things of the instance it belongs to:

- `demand_scale`: a workload's demand in every year is multiplied by the factor that
  applies to it (its own entry, else its resource's entry, else 1);
- `demand_growth`: replaces the growth of a workload whose demand is `{base, growth}`
  (its own entry, else its resource's);
- `price_scale`: multiplies a product's capex and opex (batch costs included) or a cloud
  pool's prices, in the years after the last `decide_now` year only.

`derive(instance, scenario=...)` (planner.data.derive) turns an instance and one scenario into
the model's data; the functions here say what applies to what. The expected-value (EV)
scenario, whose factors and growths are the probability-weighted means of the scenarios',
is `expected_value_scenario(instance)`.
"""

from __future__ import annotations

from planner.input.schema import GrowingDemand, Instance, Scenario

EXPECTED_VALUE = "expected value"
"""The name the EV problem's data carries (never a key of `scenarios`: it is not looked up)."""


def scenario_names(instance: Instance) -> list[str]:
    return list(instance.scenarios or {})


def probabilities(instance: Instance) -> dict[str, float]:
    return {name: item.probability for name, item in (instance.scenarios or {}).items()}


def demand_factor(instance: Instance, scenario: Scenario, workload: str) -> float:
    """The factor on a workload's demand: its own entry, else its resource's, else 1."""
    scale = scenario.demand_scale
    if workload in scale:
        return scale[workload]
    return scale.get(instance.workloads[workload].resource, 1.0)


def growth(instance: Instance, scenario: Scenario, workload: str) -> float | None:
    """The growth that applies to a `{base, growth}` workload; None for a demand map."""
    demand = instance.workloads[workload].demand
    if not isinstance(demand, GrowingDemand):
        return None
    given = scenario.demand_growth
    if workload in given:
        return given[workload]
    return given.get(instance.workloads[workload].resource, demand.growth)


def price_factor(scenario: Scenario, name: str) -> float:
    """The factor on a product's or cloud pool's prices after the last decide_now year."""
    return scenario.price_scale.get(name, 1.0)


def priced_names(instance: Instance) -> list[str]:
    """Every name a `price_scale` may give: products and cloud pools."""
    return [*instance.products] + [
        name for name, pool in instance.pools.items() if pool.kind == "cloud"]


def expected_value_scenario(instance: Instance) -> Scenario:
    """The EV problem's scenario (spec §6.2): every factor and growth that applies to a
    workload, product or cloud pool, averaged over the scenarios with their probabilities.
    Each workload gets its own entry, so no resource entry is needed."""
    scenarios = list((instance.scenarios or {}).values())
    scale, grow, price = {}, {}, {}
    for workload in instance.workloads:
        scale[workload] = sum(item.probability * demand_factor(instance, item, workload)
                              for item in scenarios)
        if growth(instance, scenarios[0], workload) is not None:
            grow[workload] = sum(item.probability * growth(instance, item, workload)
                                 for item in scenarios)
    for name in priced_names(instance):
        price[name] = sum(item.probability * price_factor(item, name) for item in scenarios)
    return Scenario(probability=1.0, demand_scale=scale, demand_growth=grow,
                    price_scale=price, source="probability-weighted mean of the scenarios")


def scenario_instance(instance: Instance, scenario: Scenario) -> Instance:
    """The instance with the scenario's demand in place and no scenarios left: one forecast.

    Prices are not changed here: they change only after the last decide_now year, which
    an instance cannot say; `price_factors` gives them to `derive`.
    """
    workloads = {}
    for name, workload in instance.workloads.items():
        factor = demand_factor(instance, scenario, name)
        demand = workload.demand
        if isinstance(demand, GrowingDemand):
            demand = GrowingDemand(base=demand.base * factor,
                                   growth=growth(instance, scenario, name))
        else:
            demand = {year: amount * factor for year, amount in demand.items()}
        workloads[name] = workload.model_copy(update={"demand": demand})
    return instance.model_copy(update={"workloads": workloads, "scenarios": None})


def price_factors(instance: Instance, scenario: Scenario) -> dict[tuple[str, int], float]:
    """(product or cloud pool, year) → price factor, for the years after the last
    decide_now year and factors other than 1 (a missing key means 1)."""
    last_decided = max(instance.decide_now_years)
    factors = {}
    for name in priced_names(instance):
        factor = price_factor(scenario, name)
        if factor != 1.0:
            for year in instance.year_list:
                if year > last_decided:
                    factors[name, year] = factor
    return factors
