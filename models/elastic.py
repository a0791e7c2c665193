"""The elastic model behind `planner explain`: every rule a planner can change gets a slack.

Each relaxable row of the built model gains a slack variable ≥ 0 in the row's own unit,
in the direction that loosens it:

- `budget_caps[key, y]`:       spent − s ≤ cap                     (s in MNOK)
- `minimum_coverage[w, y]`:    u(w,y) − s_w·D(w,y) ≤ (1 − min_coverage_w)·D(w,y)
                               (s_w: a fraction of demand, one per workload)
- `eurohpc_share[side]`:       the share's row loosened by s MNOK of EuroHPC capex
- `national_share[r, y]`:      national + s ≥ min·all     (s in the resource's unit)
- `pool_limit[p, r, y]`:       C(p,r,y) − s_{p,r} ≤ limit (one s per pool and resource)

`elastic_objective` minimises the weighted sum of the slacks of the groups allowed to
move; the slacks of the other groups are fixed at 0.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyomo.core as pyo

from planner.data.derive import ModelData

GROUPS = ("budget", "coverage", "shares", "pool_limits")


def _loosen(row: pyo.Constraint, slack) -> None:
    """Loosen one row by `slack`, whichever side bounds it."""
    if row.has_ub() and not row.has_lb():
        row.set_value((None, row.body - slack, row.upper))
    elif row.has_lb() and not row.has_ub():
        row.set_value((row.lower, row.body + slack, None))
    else:
        raise ValueError(f"cannot loosen the equality row {row.name}")


def add_elastic_slacks(model: pyo.ConcreteModel, data: ModelData) -> dict[str, list]:
    """Slack variables on every relaxable row; returns group → [(slack, weight)].

    Weights make slacks of different units comparable in a combination: MNOK of a cap
    as a percentage of the cap, coverage and shares in percentage points, pool limits as
    a percentage of the limit.
    """
    groups: dict[str, list] = {group: [] for group in GROUPS}

    model.budget_slack_mnok = pyo.Var(list(model.budget_caps), domain=pyo.NonNegativeReals)
    for key in model.budget_caps:
        _loosen(model.budget_caps[key], model.budget_slack_mnok[key])
        cap = pyo.value(model.budget_cap_mnok[key])
        groups["budget"].append((model.budget_slack_mnok[key], 100 / max(cap, 1.0)))

    workloads = sorted({workload for workload, _ in model.minimum_coverage})
    model.coverage_slack = pyo.Var(workloads, bounds=(0, 1))
    for workload, year in model.minimum_coverage:
        _loosen(model.minimum_coverage[workload, year],
                data.demand[workload, year] * model.coverage_slack[workload])
    groups["coverage"] += [(model.coverage_slack[w], 100.0) for w in workloads]

    model.eurohpc_share_slack_mnok = pyo.Var(list(model.eurohpc_share),
                                             domain=pyo.NonNegativeReals)
    scale = max(data.total_budget_mnok or 0.0, 1000.0)
    for side in model.eurohpc_share:
        _loosen(model.eurohpc_share[side], model.eurohpc_share_slack_mnok[side])
        groups["shares"].append((model.eurohpc_share_slack_mnok[side], 100 / scale))

    model.national_share_slack = pyo.Var(list(model.national_share),
                                         domain=pyo.NonNegativeReals)
    for resource, year in model.national_share:
        _loosen(model.national_share[resource, year],
                model.national_share_slack[resource, year])
        peak = max(sum(data.demand[w, y] for w, r in data.workload_resource.items()
                       if r == resource) for y in data.years)
        groups["shares"].append((model.national_share_slack[resource, year],
                                 100 / max(peak, 1.0)))

    limits = sorted({(pool, resource) for pool, resource, _ in model.pool_limit})
    model.pool_limit_slack = pyo.Var(limits, domain=pyo.NonNegativeReals)
    for pool, resource, year in model.pool_limit:
        _loosen(model.pool_limit[pool, resource, year], model.pool_limit_slack[pool, resource])
    groups["pool_limits"] += [
        (model.pool_limit_slack[key], 100 / max(data.pool_limit[key[0]][key[1]], 1.0))
        for key in limits]
    return groups


def elastic_objective(model: pyo.ConcreteModel, groups: dict[str, list],
                      allowed: Iterable[str], natural_units: bool) -> None:
    """Minimise the slacks of the allowed groups; fix the others' at 0.

    With `natural_units` (one group alone whose slacks share a unit: budget in MNOK,
    coverage in fractions) the slacks are summed as they are; otherwise weighted.
    """
    allowed = set(allowed)
    terms = []
    for group, slacks in groups.items():
        for slack, weight in slacks:
            if group in allowed:
                slack.unfix()
                terms.append(slack if natural_units else weight * slack)
            else:
                slack.fix(0)
    model.total_discounted_cost.deactivate()
    if hasattr(model, "least_relaxation"):
        model.del_component(model.least_relaxation)
    model.least_relaxation = pyo.Objective(expr=pyo.quicksum(terms, start=0.0),
                                           sense=pyo.minimize)
