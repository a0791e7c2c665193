"""Near-optimal alternatives (modelling to generate alternatives, MGA): the cost bound, the
quantities whose range is explored, and the objectives that explore them.

A built model (`build_model`) becomes an alternatives model by holding its own cost within
a slack of the optimum (`objective_within_slack`) and taking another objective: the least
or greatest value of one quantity (`spread_objective`), or the least use of what earlier
alternatives used (`hop_skip_jump_objective`); the cheapest plan at the end a spread
reached holds the quantity there (`quantity_at_end`). docs/model.md lists each with its
formula.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.core as pyo
from pyomo.core.expr.numvalue import is_constant

from planner.data.derive import ModelData
from planner.models.capacity import allocated_at, capacity_in_service, cells_in_service

# Kinds of quantity, as named on the command line (`planner alternatives --spread`).
MNOK_KINDS = ("eurohpc_investment", "national_investment", "operations", "cloud_spending")
KINDS = (*MNOK_KINDS, "units", "capacity", "unserved")


@dataclass(frozen=True)
class Quantity:
    """One quantity of a plan, parsed and checked against the instance.

    `kind` is one of `KINDS`; `args` are (product,) for `units`, (where, resource, year)
    for `capacity` (where: a pool, or `national`, `eurohpc`, `cloud`), (workload,) for
    `unserved`, () otherwise. `name` is the text the user gave.
    """

    name: str
    kind: str
    args: tuple = ()


def objective_within_slack(model: pyo.ConcreteModel, optimum_mnok: float,
                           slack: float) -> None:
    """Cost within the slack of the optimum, on the objective's own expression:

        Σ_y δ(y)·[capex(y) + opex(y) + penalty(y)] − salvage ≤ optimum + slack·|optimum|

    that is ≤ (1 + slack)·optimum for an optimum ≥ 0; a slack of 0 allows the optimum's
    cost and no more. The bound is the mutable parameter `cost_bound_mnok`; the cost
    objective `total_discounted_cost` is deactivated (its expression stays the row's body).
    """
    model.cost_bound_mnok = pyo.Param(initialize=optimum_mnok + slack * abs(optimum_mnok),
                                      mutable=True)
    model.objective_within_slack = pyo.Constraint(
        expr=model.total_discounted_cost.expr <= model.cost_bound_mnok)
    model.total_discounted_cost.deactivate()


def quantity_expression(model: pyo.ConcreteModel, data: ModelData, quantity: Quantity):
    """The quantity as an expression of the model's variables:

    - `eurohpc_investment`, `national_investment`: Σ_{y ∈ P} capex_eu(y), capex_nat(y) (MNOK)
    - `operations`: Σ_{y ∈ P} opex(y) (MNOK)
    - `cloud_spending`: Σ_{y ∈ P} Σ_{cloud p, w} price_p[r_w]·f(p,y)·a(w,p,y) (MNOK)
    - `units:i`: Σ_{b,k} x(i,b,k), every year of the horizon (units)
    - `capacity:p:r:y`: C(p,r,y,≥0) of a non-cloud pool p, Σ_{w of r} a(w,p,y) of a
      cloud pool (cloud is rented as used); `national`, `eurohpc`, `cloud`: summed over
      the pools of that kind (the resource's unit)
    - `unserved:w`: Σ_{y ∈ Y} u(w,y) (the resource's unit)
    """
    kind, args = quantity.kind, quantity.args
    plan_years = data.plan_years
    if kind == "eurohpc_investment":
        return pyo.quicksum((model.eurohpc_capex_mnok[y] for y in plan_years), start=0.0)
    if kind == "national_investment":
        return pyo.quicksum((model.national_capex_mnok[y] for y in plan_years), start=0.0)
    if kind == "operations":
        return pyo.quicksum((model.opex_mnok[y] for y in plan_years), start=0.0)
    if kind == "cloud_spending":
        terms = [
            data.cloud_price_mnok[pool][data.workload_resource[workload]]
            * data.price_scale(pool, year) * model.served[workload, pool, year]
            for workload, pool, year in model.served
            if data.pool_kind[pool] == "cloud" and year in plan_years
            and data.cloud_price_mnok[pool].get(data.workload_resource[workload])]
        return pyo.quicksum(terms, start=0.0)
    if kind == "units":
        return pyo.quicksum((model.units_bought[cell] for cell in model.units_bought
                             if cell[0] == args[0]), start=0.0)
    if kind == "capacity":
        where, resource, year = args
        pools = [pool for pool, pool_kind in data.pool_kind.items()
                 if pool == where or pool_kind == where]
        in_service = cells_in_service(data)
        terms = []
        for pool in pools:
            if data.pool_kind[pool] == "cloud":
                terms += allocated_at(model.served, data.demand_classes, data, pool, resource,
                                      year)
            else:
                terms.append(capacity_in_service(model, data, pool, resource, year, 0,
                                                 in_service))
        return pyo.quicksum(terms, start=0.0)
    if kind == "unserved":
        return pyo.quicksum(model.unserved[args[0], y] for y in data.years)
    raise ValueError(f"unknown quantity kind {kind!r}")


def spread_objective(model: pyo.ConcreteModel, data: ModelData, quantity: Quantity,
                     sense: str) -> None:
    """The least (`sense="min"`) or greatest (`"max"`) value of one quantity,

        minimise / maximise q(x, a, u)      subject to the model and `objective_within_slack`
    """
    model.spread_objective = pyo.Objective(
        expr=quantity_expression(model, data, quantity),
        sense=pyo.minimize if sense == "min" else pyo.maximize)


def quantity_at_end(model: pyo.ConcreteModel, data: ModelData, quantity: Quantity,
                    sense: str, reached: float) -> None:
    """The quantity held at the end a spread solve reached, for the cheapest plan there:

        q(x, a, u) ≤ reached + ε   (sense "min")      q(x, a, u) ≥ reached − ε   ("max")

    with ε = 1e-9·max(1, |reached|) (a cushion for rounding; HiGHS's own feasibility
    tolerance is larger); the spread objective is deactivated and the cost
    objective `total_discounted_cost` active again (the cost bound stays).
    """
    tolerance = 1e-9 * max(1.0, abs(reached))
    expression = quantity_expression(model, data, quantity)

    def rule(_m: pyo.ConcreteModel):
        if is_constant(expression):  # e.g. cloud spending without a cloud pool
            return pyo.Constraint.Skip
        if sense == "min":
            return expression <= reached + tolerance
        return expression >= reached - tolerance

    model.quantity_at_end = pyo.Constraint(rule=rule)
    model.spread_objective.deactivate()
    model.total_discounted_cost.activate()


def hop_skip_jump_objective(model: pyo.ConcreteModel,
                            weights: dict[tuple[str, tuple], float]) -> None:
    """Hop-skip-jump: the least use of what earlier alternatives used,

        minimise Σ_{v used before} v / v_max

    over the purchase variables x(i,b,k) and cloud allocations a(w,p,y) nonzero in some
    earlier plan, each divided by the largest value it took there (`weights` maps
    (component name, index) → 1/v_max), so each counts as 1 at the most it was used.
    """
    terms = [weight * model.component(name)[index]
             for (name, index), weight in sorted(weights.items(), key=repr)]
    model.hop_skip_jump_objective = pyo.Objective(expr=pyo.quicksum(terms, start=0.0),
                                                  sense=pyo.minimize)
