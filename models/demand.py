"""Demand balance and minimum coverage (spec §4.1)."""

from __future__ import annotations

from collections import defaultdict

import pyomo.core as pyo

from planner.data.derive import ModelData
from planner.models.sums import sum_of
from planner.models.variables import indexed


def demand_balance(model: pyo.ConcreteModel, data: ModelData) -> None:
    """Demand balance, for every workload w and year y (history years included):

        Σ_p a(w,p,y) + u(w,y) = D(w,y)
    """

    # a(w,·,y) grouped once, in the order of each workload's allowed pools.
    served_by: dict[tuple[str, int], list] = defaultdict(list)
    for (workload, _pool, year), served in indexed(model.served):
        served_by[workload, year].append(served)

    def rule(_m: pyo.ConcreteModel, workload: str, year: int):
        return sum_of(served_by.get((workload, year), [])) + model.unserved[
            workload, year] == data.demand[workload, year]

    model.demand_balance = pyo.Constraint(list(model.unserved.index_set()), rule=rule)


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
