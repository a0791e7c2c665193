"""Demand balance and minimum coverage (spec §4.1)."""

from __future__ import annotations

from collections import defaultdict

import pyomo.core as pyo

from planner.data.derive import ModelData
from planner.models.sums import sum_of
from planner.models.variables import indexed


def demand_balance(model: pyo.ConcreteModel, data: ModelData) -> None:
    """Demand balance, for every demand class c and year y (history years included):

        Σ_p a(c,p,y) + Σ_{w ∈ c} u(w,y) = Σ_{w ∈ c} D(w,y)

    A class of one workload gives spec §4.1's row Σ_p a(w,p,y) + u(w,y) = D(w,y). For a
    larger class, with 0 ≤ u(w,y) ≤ D(w,y), every split of its allocation over its
    workloads serves each D(w,y) − u(w,y) (they may use the same pools), so the rows allow
    exactly the plans spec §4.1's rows allow (docs/model.md). The row is named by the
    class's lead workload.
    """

    # a(c,·,y) grouped once, in the order of each class's allowed pools.
    served_by: dict[tuple[str, int], list] = defaultdict(list)
    for (lead, _pool, year), served in indexed(model.served):
        served_by[lead, year].append(served)

    def rule(_m: pyo.ConcreteModel, lead: str, year: int):
        members = data.demand_classes[lead]
        # One workload: sum_of gives u(w,y) itself and the sum D(w,y) itself.
        return sum_of(served_by.get((lead, year), [])) + sum_of(
            [model.unserved[workload, year] for workload in members]) == sum(
            data.demand[workload, year] for workload in members)

    model.demand_balance = pyo.Constraint(
        [(lead, year) for lead in data.demand_classes for year in data.years], rule=rule)


def minimum_coverage(model: pyo.ConcreteModel, data: ModelData) -> None:
    """Minimum coverage, for every workload w and plan year y:

        u(w,y) ≤ (1 − min_coverage_w)·D(w,y)

    Rows exist for every workload, with min_coverage 0 too, and min_coverage is a mutable
    parameter, so a what-if or sweep changes it without rebuilding the model.
    """
    model.min_coverage = pyo.Param(
        list(data.min_coverage), initialize=data.min_coverage, mutable=True)
    rows = [(workload, year) for workload in data.min_coverage for year in data.plan_years]
    model.minimum_coverage = pyo.Constraint(
        rows,
        rule=lambda _m, workload, year: model.unserved[workload, year]
        <= (1 - model.min_coverage[workload]) * data.demand[workload, year],
    )
