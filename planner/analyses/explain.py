"""What would make an infeasible instance feasible, in the planner's own units.

For each group of rules a planner can change — budget caps (MNOK), policy shares,
minimum coverage, pool limits — the elastic model (`planner.models.elastic`) is solved
with only that group allowed to move: whether relaxing it alone restores feasibility,
and the least total relaxation within it. Where no single group suffices, every group
moves together (weighted, docs/model.md). Each reported relaxation is written into the
instance, rounded outwards, and solved again to confirm it works.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import pyomo.core as pyo

from planner.data.derive import ModelData, derive
from planner.input.errors import InputError, Problem
from planner.input.loading import instance_from_data
from planner.input.overrides import Override, apply_overrides
from planner.input.schema import Instance
from planner.models import build_model
from planner.models.elastic import GROUPS, add_elastic_slacks, elastic_objective
from planner.models.policy import eurohpc_share_base
from planner.solving.api import solve
from planner.solving.solver import INFEASIBLE, OPTIMAL, STOPPED_WITH_PLAN, SolverOptions, run_highs

GROUP_TITLES = {
    "budget": "budget caps (MNOK)",
    "coverage": "minimum coverage",
    "shares": "policy shares",
    "pool_limits": "pool limits",
}
NATURAL_UNITS = {"budget", "coverage"}
SLACK_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Relaxation:
    """One change to the instance: the key path, its value now and the value proposed."""

    path: str
    current: float
    proposed: float
    unit: str

    def describe(self) -> str:
        verb = "raise" if self.proposed > self.current else "lower"
        change = abs(self.proposed - self.current)
        if self.unit == "MNOK":
            return f"{verb} {self.path} by {change:,.2f} MNOK (from {self.current:,.2f} to " \
                   f"{self.proposed:,.2f})".replace(",", " ")
        return f"{verb} {self.path} from {self.current:g} to {self.proposed:g} ({self.unit})"


@dataclass
class GroupAnswer:
    groups: tuple[str, ...]
    restores: bool
    status: str
    relaxations: list[Relaxation] = field(default_factory=list)
    confirmed: bool | None = None  # the relaxed instance solved again
    confirmed_status: str | None = None


@dataclass
class Explanation:
    feasible_as_is: bool
    status_as_is: str
    single_groups: list[GroupAnswer] = field(default_factory=list)
    combination: GroupAnswer | None = None


def _groups_present(model: pyo.ConcreteModel) -> list[str]:
    present = {
        "budget": len(model.budget_caps) > 0,
        "coverage": any(pyo.value(model.min_coverage[w]) > 0 for w in model.min_coverage),
        "shares": len(model.eurohpc_share) + len(model.national_share) > 0,
        "pool_limits": len(model.pool_limit) > 0,
    }
    return [group for group in GROUPS if present[group]]


def _relaxations(model: pyo.ConcreteModel, data: ModelData,
                 instance: Instance) -> list[Relaxation]:
    """Read the slacks of a solved elastic model as changes to instance keys."""
    changes: list[Relaxation] = []
    for (key, year), slack in model.budget_slack_mnok.items():
        amount = slack.value or 0.0
        if amount > SLACK_TOLERANCE:
            cap = pyo.value(model.budget_cap_mnok[key, year])
            path = "budget.total" if key == "total" else f"budget.{key}.{year}"
            proposed = math.ceil((cap + amount) * 100 - 1e-6) / 100
            changes.append(Relaxation(path, cap, proposed, "MNOK"))
    for workload, slack in model.coverage_slack.items():
        amount = slack.value or 0.0
        if amount > SLACK_TOLERANCE:
            current = pyo.value(model.min_coverage[workload])
            proposed = max(0.0, math.floor((current - amount) * 1e4 + 1e-6) / 1e4)
            changes.append(Relaxation(f"workloads.{workload}.min_coverage", current, proposed,
                                      "fraction of demand"))
    share = instance.policy.eurohpc_share
    for side, slack in model.eurohpc_share_slack_mnok.items():
        if (slack.value or 0.0) > SLACK_TOLERANCE:
            achieved = _eurohpc_share_achieved(model, share.of, share.years)
            current = share.min if side == "min" else share.max
            proposed = (math.floor(achieved * 1e4) / 1e4 if side == "min"
                        else math.ceil(achieved * 1e4) / 1e4)
            changes.append(Relaxation(f"policy.eurohpc_share.{side}", current, proposed,
                                      f"fraction of {share.of}"))
    short = [(resource, year) for (resource, year), slack in model.national_share_slack.items()
             if (slack.value or 0.0) > SLACK_TOLERANCE]
    if short:
        ratios = []
        for resource, year in short:
            served = [(pool, model.served[w, pool, y].value or 0.0)
                      for w, pool, y in model.served
                      if y == year and data.workload_resource[w] == resource]
            total = sum(value for _, value in served)
            national = sum(value for pool, value in served if data.pool_is_national[pool])
            ratios.append(national / total if total > 0 else 0.0)
        current = instance.policy.national_share.min
        proposed = math.floor(min(ratios) * 1e4) / 1e4
        changes.append(Relaxation("policy.national_share.min", current, proposed,
                                  "fraction of capacity served"))
    for (pool, resource), slack in model.pool_limit_slack.items():
        amount = slack.value or 0.0
        if amount > SLACK_TOLERANCE:
            limit = instance.pools[pool].limit[resource]
            proposed = math.ceil((limit + amount) * 1000 - 1e-6) / 1000
            unit = instance.resources[resource].unit
            changes.append(Relaxation(f"pools.{pool}.limit.{resource}", limit, proposed, unit))
    return changes


def _eurohpc_share_achieved(model: pyo.ConcreteModel, of: str, years: list[int] | None) -> float:
    span = [y for y in model.national_capex_mnok
            if years is None or years[0] <= y <= years[1]]
    eurohpc = sum(pyo.value(model.eurohpc_capex_mnok[y]) for y in span)
    base = pyo.value(eurohpc_share_base(model, of, span))
    return eurohpc / base if base > 0 else 0.0


def _instance_data(instance: Instance) -> dict:
    return instance.model_dump(exclude_unset=True)


def _apply(instance: Instance, relaxations: list[Relaxation]) -> Instance:
    overrides = [Override(change.path, change.proposed, f"{change.path}={change.proposed}")
                 for change in relaxations]
    return instance_from_data(apply_overrides(_instance_data(instance), overrides),
                              "relaxed instance")


def _solve_elastic(instance: Instance, groups: tuple[str, ...],
                   options: SolverOptions) -> GroupAnswer:
    data = derive(instance)
    model = build_model(data)
    slacks = add_elastic_slacks(model, data)
    natural = len(groups) == 1 and groups[0] in NATURAL_UNITS
    elastic_objective(model, slacks, groups, natural_units=natural)
    run = run_highs(model, options)
    if run.status not in (OPTIMAL, STOPPED_WITH_PLAN):
        return GroupAnswer(groups, restores=False, status=run.status)
    answer = GroupAnswer(groups, restores=True, status=run.status,
                         relaxations=_relaxations(model, data, instance))
    relaxed = solve(_apply(instance, answer.relaxations), time_limit_seconds=
                    options.time_limit_seconds, mip_gap=options.mip_gap,
                    threads=options.threads, marginal_values=False)
    answer.confirmed_status = relaxed.status
    answer.confirmed = relaxed.status in (OPTIMAL, STOPPED_WITH_PLAN)
    return answer


NO_SCENARIOS = Problem(
    "scenarios", "`planner explain` plans for one forecast and takes no scenarios; to see "
                 "what one scenario's forecast needs, keep only that scenario (with "
                 "probability 1) or remove `scenarios`")


def explain(instance: Instance, options: SolverOptions | None = None) -> Explanation:
    """Solve `instance`; if it is infeasible, find the least relaxations that restore it."""
    if instance.scenarios:
        # The elastic model is built for one forecast; a two-stage instance would first
        # solve its whole extensive form only to be refused afterwards.
        raise InputError(instance.name, NO_SCENARIOS)
    options = options or SolverOptions()
    as_is = solve(instance, time_limit_seconds=options.time_limit_seconds,
                  mip_gap=options.mip_gap, threads=options.threads, marginal_values=False)
    explanation = Explanation(feasible_as_is=as_is.status != INFEASIBLE,
                              status_as_is=as_is.status)
    if as_is.status != INFEASIBLE:
        return explanation
    present = _groups_present(build_model(derive(instance)))
    for group in present:
        explanation.single_groups.append(_solve_elastic(instance, (group,), options))
    if not any(answer.restores for answer in explanation.single_groups) and len(present) > 1:
        explanation.combination = _solve_elastic(instance, tuple(present), options)
    return explanation


def relaxations_by_group(answer: GroupAnswer) -> dict[str, list[Relaxation]]:
    grouped: dict[str, list[Relaxation]] = defaultdict(list)
    for change in answer.relaxations:
        head = change.path.split(".")[0]
        group = {"budget": "budget", "workloads": "coverage", "policy": "shares",
                 "pools": "pool_limits"}[head]
        grouped[group].append(change)
    return grouped
