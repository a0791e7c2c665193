"""Demand classes: one allocation per class of workloads the model cannot tell apart
(`ModelData.demand_classes`, docs/model.md), split back over the workloads of a plan.

The split is worked by hand on small cases. The aggregation is checked against spec §4's
literal rows, one allocation per workload, which the same model functions build when
every class is made one workload: on random instances (with and without N-1
redundancy) both give the same optimum, and the plan read from the class model, split
over its workloads, meets every row and bound of the per-workload model at that optimum.
"""

from __future__ import annotations

import dataclasses

import pyomo.core as pyo
import pytest
from support.generator import add_redundancy, small_instance

from planner.data.derive import derive
from planner.input.loading import instance_from_data
from planner.models import build_model
from planner.models.demand_classes import split_reserved, split_served
from planner.models.redundancy import read_reservations
from planner.models.solution import read_solution
from planner.solving.solver import SolverOptions, run_highs

GAP = 1e-7


def _data(workloads: dict, redundant: tuple = ()) -> object:
    """Two pools, any number of open gpu workloads (all one class), one year."""
    instance = instance_from_data({
        "format": 1, "name": "classes", "years": {"first": 2025, "last": 2025},
        "resources": {"gpu": {"unit": "GPUs"}},
        "locations": {"home": {"national": True, "allied": True}},
        "pools": {"a": {"kind": "national", "location": "home"},
                  "b": {"kind": "national", "location": "home"}},
        "products": {"na": {"pool": "a", "capacity": {"gpu": 1}, "capex": 1,
                            "lifetime": 1},
                     "nb": {"pool": "b", "capacity": {"gpu": 1}, "capex": 1,
                            "lifetime": 1}},
        "workloads": {name: {"resource": "gpu", "demand": {2025: demand},
                             "unmet_penalty": 5, "redundant": name in redundant}
                      for name, demand in workloads.items()},
    }, "classes.yaml")
    return derive(instance)


def test_workloads_alike_share_a_class_and_others_do_not():
    data = _data({"w1": 6.0, "w2": 2.0, "w3": 1.0}, redundant=("w3",))
    assert data.demand_classes == {"w1": ["w1", "w2"], "w3": ["w3"]}


def test_the_split_fills_each_workload_in_order_from_the_pools_in_order():
    # Class allocation a(c,a) = 5, a(c,b) = 3; w1 is served 6 − 0 = 6, w2 is served
    # 2 − 0 = 2. By hand: w1 takes all 5 of a, then 1 of b; w2 takes the 2 left of b.
    data = _data({"w1": 6.0, "w2": 2.0})
    served = split_served(data, {("w1", "a", 2025): 5.0, ("w1", "b", 2025): 3.0},
                          {("w1", 2025): 0.0, ("w2", 2025): 0.0})
    # Allocations of 0 are left out (a key absent is 0).
    assert served == {("w1", "a", 2025): 5.0, ("w1", "b", 2025): 1.0,
                      ("w2", "b", 2025): 2.0}
    assert list(served) == [("w1", "a", 2025), ("w1", "b", 2025), ("w2", "b", 2025)]


def test_the_split_serves_each_workload_its_demand_less_what_stays_unserved():
    # Demand 6 and 2, unserved 1.5 and 0.5: served 4.5 and 1.5, class total 6 (4 at a,
    # 2 at b). By hand: w1 takes 4 of a and 0.5 of b; w2 the 1.5 left of b.
    data = _data({"w1": 6.0, "w2": 2.0})
    served = split_served(data, {("w1", "a", 2025): 4.0, ("w1", "b", 2025): 2.0},
                          {("w1", 2025): 1.5, ("w2", 2025): 0.5})
    assert served == {("w1", "a", 2025): 4.0, ("w1", "b", 2025): 0.5,
                      ("w2", "b", 2025): 1.5}


def test_reservations_are_split_by_what_each_workload_is_served():
    # Served 4.5 (w1) and 1.5 (w2): shares 3/4 and 1/4 of reservations a: 2, b: 6.
    data = _data({"w1": 6.0, "w2": 2.0}, redundant=("w1", "w2"))
    served = {("w1", "a", 2025): 4.0, ("w1", "b", 2025): 0.5, ("w2", "b", 2025): 1.5}
    reserved = split_reserved(data, {("w1", "a", 2025): 2.0, ("w1", "b", 2025): 6.0},
                              served)
    assert reserved == {("w1", "a", 2025): 1.5, ("w1", "b", 2025): 4.5,
                        ("w2", "a", 2025): 0.5, ("w2", "b", 2025): 1.5}
    # The class's N-1 row with pool a lost holds (6 ≥ 4 + 2), and so does each
    # workload's: 4.5 ≥ 4.5 (w1) and 1.5 ≥ 1.5 (w2).
    assert reserved[("w1", "b", 2025)] >= 4.5 and reserved[("w2", "b", 2025)] >= 1.5


def test_a_class_served_nothing_splits_reservations_by_demand():
    data = _data({"w1": 6.0, "w2": 2.0}, redundant=("w1", "w2"))
    reserved = split_reserved(data, {("w1", "a", 2025): 4.0, ("w1", "b", 2025): 0.0}, {})
    assert reserved[("w1", "a", 2025)] == 3.0 and reserved[("w2", "a", 2025)] == 1.0


def _one_per_workload(data):
    """The same data with every workload its own class: spec §4's rows as written."""
    return dataclasses.replace(data, demand_classes={w: [w] for w in data.workload_resource})


def _seeds_with_shared_classes(count: int, redundancy: bool) -> list[int]:
    seeds = []
    for seed in range(200):
        data = small_instance(seed)
        if redundancy:
            data = add_redundancy(data, seed)
        derived = derive(instance_from_data(data, f"seed{seed}"))
        if any(len(members) > 1 for members in derived.demand_classes.values()):
            seeds.append(seed)
        if len(seeds) == count:
            return seeds
    return seeds


def _solve(data):
    model = build_model(data)
    run = run_highs(model, SolverOptions(mip_gap=GAP))
    return model, run


def _assign(model, solution, reserved):
    """The plan's values on the per-workload model's variables."""
    for component, values in ((model.units_bought, solution.units_bought),
                              (model.batch_bought, solution.batch_bought),
                              (model.served, solution.served),
                              (model.unserved, solution.unserved),
                              (model.pool_used, solution.pool_used),
                              (model.reserved, reserved)):
        assert set(values) <= set(component.keys())
        for key in component:
            component[key].set_value(values.get(key, 0.0), skip_validation=True)


def _broken_rows(model, tolerance=1e-6):
    broken = []
    for row in model.component_data_objects(pyo.Constraint, active=True):
        body = pyo.value(row.body)
        scale = max(1.0, abs(body))
        if row.has_lb() and body < pyo.value(row.lower) - tolerance * scale:
            broken.append((row.name, body, pyo.value(row.lower)))
        if row.has_ub() and body > pyo.value(row.upper) + tolerance * scale:
            broken.append((row.name, body, pyo.value(row.upper)))
    for variable in model.component_data_objects(pyo.Var):
        value = variable.value or 0.0
        if variable.lb is not None and value < variable.lb - tolerance:
            broken.append((variable.name, value, variable.lb))
        if variable.ub is not None and value > variable.ub + tolerance:
            broken.append((variable.name, value, variable.ub))
    return broken


@pytest.mark.slow
@pytest.mark.parametrize("redundancy", [False, True], ids=["plain", "redundant"])
def test_the_class_model_has_the_per_workload_optimum_and_its_split_plan_meets_every_row(
        redundancy):
    seeds = _seeds_with_shared_classes(8, redundancy)
    assert len(seeds) == 8
    for seed in seeds:
        data = small_instance(seed)
        if redundancy:
            data = add_redundancy(data, seed)
        derived = derive(instance_from_data(data, f"seed{seed}"))
        model, run = _solve(derived)
        per_workload = _one_per_workload(derived)
        literal, literal_run = _solve(per_workload)
        assert run.status == literal_run.status, seed
        if run.objective is None:
            continue
        assert run.objective == pytest.approx(literal_run.objective, rel=1e-6, abs=1e-6), seed
        # Fewer columns: one allocation per class.
        assert model.served.__len__() < literal.served.__len__(), seed
        solution = read_solution(model, derived)
        reserved = read_reservations(model, derived, solution.served)
        _assign(literal, solution, reserved)
        assert _broken_rows(literal) == [], seed
        assert pyo.value(literal.total_discounted_cost) == pytest.approx(
            run.objective, rel=1e-9, abs=1e-6), seed
