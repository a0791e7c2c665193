"""Near-optimal alternatives: how much room the optimum's cost leaves (MGA).

First the optimum; then, with the cost held within `(1 + slack)` × the optimum's
(`planner.models.alternatives.objective_within_slack`), the least and the greatest value
of each quantity asked for, each a solve of its own on the worker pool sweeps use
(`planner.analyses.jobs.run_jobs`: local processes or Dask); then up to `count` plans that differ
as much as possible from those found so far (hop-skip-jump: each minimises the use of the
purchases and cloud allocations that earlier plans used, one after another).

Every solve starts from the optimum's plan (feasible for every bound) and is otherwise
independent of the others, so the results do not depend on the number of workers or on
the order in which they finish. docs/alternatives.md explains how to read them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyomo.core as pyo

from planner.analyses.jobs import run_jobs
from planner.data.derive import ModelData, derive
from planner.data.numerics import SOLVER_NOISE
from planner.input.errors import InputError, Problem
from planner.input.schema import Instance
from planner.models import build_model
from planner.models.alternatives import (
    KINDS,
    MNOK_KINDS,
    Quantity,
    hop_skip_jump_objective,
    objective_within_slack,
    quantity_at_end,
    quantity_expression,
    spread_objective,
)
from planner.solving.interrupts import check_interrupted
from planner.solving.plan_reader import plan_from_run
from planner.solving.solver import OPTIMAL, SolverOptions, new_solver, run_highs, set_mip_start

DEFAULT_SLACK = 0.05
DEFAULT_COUNT = 0
# Values this close to zero are solver noise; a variable above it counts as used.
USED_TOLERANCE = 1e-6
# Two plans whose used variables differ by no more than this (relative) are the same plan.
SAME_PLAN_TOLERANCE = 1e-6

EXPECTED_NAMES = (
    "eurohpc_investment, national_investment, operations, cloud_spending, units:PRODUCT, "
    "capacity:WHERE:RESOURCE:YEAR (WHERE a pool or national, eurohpc, cloud) or "
    "unserved:WORKLOAD")


# --- the quantities -------------------------------------------------------------------


def _choices(names) -> str:
    return ", ".join(sorted(names)) or "none in this instance"


def parse_quantity(name: str, instance: Instance, data: ModelData) -> Quantity:
    """One `--spread` name checked against the instance (`InputError` naming what is
    expected otherwise)."""
    def bad(message: str) -> InputError:
        return InputError("--spread", Problem(name, message))

    head, _, rest = name.partition(":")
    if head in MNOK_KINDS:
        if rest:
            raise bad(f"{head} takes no further part; expected one of {EXPECTED_NAMES}")
        return Quantity(name, head)
    if head not in KINDS:
        raise bad(f"unknown quantity; expected one of {EXPECTED_NAMES}")
    parts = rest.split(":") if rest else []
    if head == "units":
        if len(parts) != 1 or parts[0] not in instance.products:
            raise bad(f"expected units:PRODUCT with a product of the instance "
                      f"({_choices(instance.products)})")
        return Quantity(name, head, (parts[0],))
    if head == "unserved":
        if len(parts) != 1 or parts[0] not in instance.workloads:
            raise bad(f"expected unserved:WORKLOAD with a workload of the instance "
                      f"({_choices(instance.workloads)})")
        return Quantity(name, head, (parts[0],))
    # capacity:WHERE:RESOURCE:YEAR
    if len(parts) != 3:
        raise bad("expected capacity:WHERE:RESOURCE:YEAR, e.g. capacity:national:gpu:2029")
    where, resource, year_text = parts
    kinds = {"national", "eurohpc", "cloud"}
    if where not in instance.pools and where not in kinds:
        raise bad(f"WHERE: expected a pool ({_choices(instance.pools)}) or one of "
                  "national, eurohpc, cloud")
    if resource not in instance.resources:
        raise bad(f"RESOURCE: expected one of {_choices(instance.resources)}")
    if not re.fullmatch(r"\d{4}", year_text) or int(year_text) not in data.years:
        raise bad(f"YEAR: expected a year from {data.years[0]} to {data.years[-1]}")
    return Quantity(name, head, (where, resource, int(year_text)))


def default_spread(instance: Instance) -> list[str]:
    """EuroHPC and national investment, national GPU capacity in the last year (where the
    instance has GPUs and national pools), cloud spending (where it has a cloud pool), and
    each workload's unserved demand."""
    kinds = {pool.kind for pool in instance.pools.values()}
    names = ["eurohpc_investment", "national_investment"]
    if "gpu" in instance.resources and "national" in kinds:
        names.append(f"capacity:national:gpu:{instance.years.last}")
    if "cloud" in kinds:
        names.append("cloud_spending")
    names += [f"unserved:{workload}" for workload in instance.workloads]
    return names


def parse_spread(names: list[str] | tuple[str, ...], instance: Instance) -> list[Quantity]:
    """The quantities named (the default set when none are), each once, in the order given."""
    data = derive(instance)
    names = list(dict.fromkeys(names or default_spread(instance)))
    return [parse_quantity(name, instance, data) for name in names]


def quantity_unit(quantity: Quantity, instance: Instance) -> str:
    """MNOK, units, or the resource's unit."""
    if quantity.kind in MNOK_KINDS:
        return "MNOK"
    if quantity.kind == "units":
        return "units"
    if quantity.kind == "capacity":
        return instance.resources[quantity.args[1]].unit
    return instance.resources[instance.workloads[quantity.args[0]].resource].unit


def not_offered(instance: Instance, priority: str | None) -> Problem | None:
    """Why alternatives are not offered for this run yet, or None. `priority` is the
    command's --priority; None takes the instance's own (default cost), as `planner solve`."""
    if (priority or instance.priority or "cost") != "cost":
        return Problem("--priority" if priority else "priority",
                       "alternatives are offered for priority 'cost' only (the cost bound is "
                       "on the cost objective); priority 'coverage' is not offered yet")
    if instance.scenarios:
        return Problem("scenarios", "alternatives of a two-stage instance are not offered "
                                    "yet; remove `scenarios` to explore one forecast")
    return None


# --- one solve ------------------------------------------------------------------------


@dataclass
class Solved:
    """One plan of the alternatives: the optimum, one end of a range, or a plan that
    differs from the earlier ones (`role`: optimum, min, max, different)."""

    index: int
    role: str
    quantity: str | None
    status: str
    value: float | None = None  # the solve's own objective at the plan found
    bound: float | None = None  # HiGHS's bound on it
    values: dict[str, float] = field(default_factory=dict)  # every quantity in this plan
    objective_mnok: float | None = None  # the plan's cost (the model's objective)
    spending_mnok: float | None = None
    seconds: float = 0.0
    plan_document: dict | None = None
    # (component, index) → value of every purchase and cloud allocation above zero
    used: dict[tuple[str, tuple], float] = field(default_factory=dict)
    start: dict[str, float] = field(default_factory=dict)  # the optimum's variable values

    @property
    def has_plan(self) -> bool:
        return self.plan_document is not None

    @property
    def proven(self) -> bool:
        return self.status == OPTIMAL


def _clean(value: float) -> float:
    return 0.0 if abs(value) < SOLVER_NOISE else float(value)


def _used(model: pyo.ConcreteModel, data: ModelData) -> dict[tuple[str, tuple], float]:
    used = {}
    for index in model.units_bought:
        value = model.units_bought[index].value or 0.0
        if value > USED_TOLERANCE:
            used["units_bought", index] = float(value)
    for index in model.served:
        if data.pool_kind[index[1]] == "cloud":
            value = model.served[index].value or 0.0
            if value > USED_TOLERANCE:
                used["served", index] = float(value)
    return used


def _variable_values(model: pyo.ConcreteModel) -> dict[str, float]:
    return {variable.name: float(variable.value)
            for variable in model.component_data_objects(pyo.Var)
            if variable.value is not None}


def _set_start(model: pyo.ConcreteModel, start: dict[str, float]) -> None:
    for variable in model.component_data_objects(pyo.Var):
        if variable.name in start:
            variable.set_value(start[variable.name], skip_validation=True)


def solve_alternative(index: int, instance: Instance, quantities: list[Quantity],
                      target: tuple, optimum_mnok: float | None, slack: float,
                      start: dict[str, float], options: SolverOptions) -> Solved:
    """One solve; safe to run in another process.

    `target` is ("optimum",), ("min", quantity), ("max", quantity) or ("different",
    weights) for `hop_skip_jump_objective`. Every target but the optimum holds the cost
    within `slack` of `optimum_mnok` and starts from `start` (the optimum's values).
    """
    started = time.perf_counter()
    data = derive(instance)
    model = build_model(data)
    role = target[0]
    quantity = None
    if role != "optimum":
        objective_within_slack(model, optimum_mnok, slack)
        if role == "different":
            hop_skip_jump_objective(model, target[1])
        else:
            quantity = target[1]
            spread_objective(model, data, quantity, role)
    build_seconds = time.perf_counter() - started
    solver = new_solver()
    keep_start = bool(start)
    if keep_start:
        _set_start(model, start)
        set_mip_start(solver, model)
    run = run_highs(model, options, solver, keep_start=keep_start)
    cheapest = None
    if quantity is not None and run.has_plan:
        # Second stage: the cheapest plan at the end reached, so that the cost shown at
        # each end says what reaching it costs (not merely a plan within the bound).
        quantity_at_end(model, data, quantity, role,
                        pyo.value(quantity_expression(model, data, quantity)))
        solver = new_solver()
        set_mip_start(solver, model)
        cheapest = run_highs(model, options, solver, keep_start=True)
    # Without a plan from the second stage, the model still holds the first stage's.
    final = cheapest if cheapest is not None and cheapest.has_plan else run
    plan = plan_from_run(instance, data, model, final, options, build_seconds,
                         extra={"priority": "cost"})
    solved = Solved(index=index, role=role, quantity=None if quantity is None else quantity.name,
                    status=run.status, seconds=run.seconds + (cheapest.seconds if cheapest
                                                              else 0.0))
    details: dict[str, Any] = {"role": role, "quantity": solved.quantity, "slack": slack}
    if role != "optimum":
        details |= {"optimum_mnok": optimum_mnok,
                    "cost_bound_mnok": pyo.value(model.cost_bound_mnok),
                    "value": run.objective, "bound": run.bound, "gap": run.gap,
                    "proven": run.status == OPTIMAL, "seconds": round(run.seconds, 4)}
        # The plan's objective is its cost; the solve's own objective is the alternative's.
        plan.metadata |= {"objective_mnok": plan.summary.get("objective_mnok"),
                          "bound_mnok": None, "gap": None}
    if cheapest is not None:
        details |= {"cheapest_status": cheapest.status, "cheapest_gap": cheapest.gap,
                    "cheapest_seconds": round(cheapest.seconds, 4)}
    plan.metadata |= {"alternative": details}
    if plan.has_plan:
        solved.value = run.objective  # the end reached (first stage)
        solved.bound = run.bound
        solved.values = {q.name: _clean(pyo.value(quantity_expression(model, data, q)))
                         for q in quantities}
        solved.objective_mnok = plan.summary["objective_mnok"]
        solved.spending_mnok = plan.summary["spending_mnok"]
        solved.plan_document = plan.to_document()
        solved.used = _used(model, data)
        if role == "optimum":
            solved.start = _variable_values(model)
    return solved


# --- the whole analysis ---------------------------------------------------------------


@dataclass
class Alternatives:
    """The optimum, the two ends of each quantity's range, and the different plans."""

    instance: Instance
    slack: float
    quantities: list[Quantity]
    optimum: Solved
    ends: list[Solved] = field(default_factory=list)  # min, max of each quantity in order
    different: list[Solved] = field(default_factory=list)
    different_asked: int = 0

    @property
    def cost_bound_mnok(self) -> float | None:
        optimum = self.optimum.objective_mnok
        return None if optimum is None else optimum + self.slack * abs(optimum)

    def end(self, quantity: Quantity, sense: str) -> Solved:
        return next(solved for solved in self.ends
                    if solved.quantity == quantity.name and solved.role == sense)

    def plans(self) -> list[tuple[str, Solved]]:
        """(directory name, solve) of every plan, the optimum first."""
        named = [("optimum", self.optimum)]
        for position, quantity in enumerate(self.quantities, start=1):
            slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", quantity.name).strip("-")
            for sense in ("min", "max"):
                named.append((f"{position:02d}-{sense}-{slug}", self.end(quantity, sense)))
        named += [(f"different-{number}", solved)
                  for number, solved in enumerate(self.different, start=1)]
        return [(name, solved) for name, solved in named if solved.has_plan]

    def ranges(self) -> list[dict[str, Any]]:
        """Each quantity's range: the plan at each end, with its cost and spending."""
        directories = {id(solved): name for name, solved in self.plans()}
        ranges = []
        for quantity in self.quantities:
            entry: dict[str, Any] = {
                "name": quantity.name, "kind": quantity.kind, "args": list(quantity.args),
                "unit": quantity_unit(quantity, self.instance),
                "optimum": self.optimum.values.get(quantity.name)}
            for sense in ("min", "max"):
                solved = self.end(quantity, sense)
                entry |= {
                    sense: solved.values.get(quantity.name),
                    f"{sense}_status": solved.status,
                    f"{sense}_proven": solved.proven,
                    # a stopped solve: the true end lies between the value and this bound
                    f"{sense}_bound": solved.bound,
                    f"objective_at_{sense}_mnok": solved.objective_mnok,
                    f"spending_at_{sense}_mnok": solved.spending_mnok,
                    f"plan_at_{sense}": (f"{directories[id(solved)]}/plan.json"
                                         if id(solved) in directories else None)}
            ranges.append(entry)
        return ranges

    def document(self) -> dict[str, Any]:
        """alternatives.json (docs/alternatives.md)."""
        directories = {id(solved): name for name, solved in self.plans()}

        def plan_entry(solved: Solved) -> dict[str, Any]:
            return {"plan": (f"{directories[id(solved)]}/plan.json"
                             if id(solved) in directories else None),
                    "status": solved.status, "objective_mnok": solved.objective_mnok,
                    "spending_mnok": solved.spending_mnok, "values": solved.values}

        return {
            "instance_name": self.instance.name,
            "slack": self.slack,
            "optimum_objective_mnok": self.optimum.objective_mnok,
            "optimum_status": self.optimum.status,
            "cost_bound_mnok": self.cost_bound_mnok,
            "quantities": self.ranges(),
            "optimum": plan_entry(self.optimum),
            "different": [plan_entry(solved) for solved in self.different],
            "different_asked": self.different_asked,
        }


def hop_skip_jump_weights(earlier: list[Solved]) -> dict[tuple[str, tuple], float]:
    """1 / the largest value of each purchase and cloud allocation used in an earlier plan."""
    largest: dict[tuple[str, tuple], float] = {}
    for solved in earlier:
        for key, value in solved.used.items():
            largest[key] = max(largest.get(key, 0.0), value)
    return {key: 1.0 / value for key, value in sorted(largest.items(), key=repr)}


def same_plan(first: Solved, second: Solved) -> bool:
    """Whether two plans buy and rent the same (their used variables agree)."""
    keys = set(first.used) | set(second.used)
    return all(abs(first.used.get(key, 0.0) - second.used.get(key, 0.0))
               <= SAME_PLAN_TOLERANCE * max(1.0, abs(first.used.get(key, 0.0)))
               for key in keys)


def run_alternatives(instance: Instance, quantities: list[Quantity], slack: float,
                     options: SolverOptions, count: int = DEFAULT_COUNT, workers: int = 1,
                     scheduler: str | None = None,
                     on_result: Callable[[Solved], None] | None = None) -> Alternatives:
    """The optimum, each quantity's range within `slack`, then up to `count` plans that
    differ from the earlier ones. `on_result` is called as each solve finishes."""
    problem = not_offered(instance, "cost")
    if problem is not None:
        raise InputError(instance.name, problem)
    if slack < 0:
        raise InputError("--slack", f"expected a slack ≥ 0, got {slack}")
    optimum = solve_alternative(0, instance, quantities, ("optimum",), None, slack, {},
                                options)
    result = Alternatives(instance, slack, quantities, optimum, different_asked=count)
    if on_result is not None:
        on_result(optimum)
    if not optimum.has_plan:
        return result
    targets = [(sense, quantity) for quantity in quantities for sense in ("min", "max")]
    jobs = [(index, instance, quantities, target, optimum.objective_mnok, slack,
             optimum.start, options) for index, target in enumerate(targets, start=1)]
    result.ends = run_jobs(solve_alternative, jobs, on_result, workers=workers,
                           scheduler=scheduler)
    earlier = [optimum, *(solved for solved in result.ends if solved.has_plan)]
    for number in range(count):
        check_interrupted()
        weights = hop_skip_jump_weights(earlier)
        if not weights:
            break  # nothing is bought or rented in any plan: nothing to move away from
        solved = solve_alternative(len(targets) + 1 + number, instance, quantities,
                                   ("different", weights), optimum.objective_mnok, slack,
                                   optimum.start, options)
        if on_result is not None:
            on_result(solved)
        if not solved.has_plan or any(same_plan(solved, plan) for plan in earlier):
            break  # no plan found, or none different from those found so far
        result.different.append(solved)
        earlier.append(solved)
    return result
