"""Numerically hostile input: numbers the solver cannot take are input errors naming their
key path; valid numbers spanning too many orders of magnitude give a warning naming the
extreme values; a plan that breaks a row after solving says so."""

from __future__ import annotations

import copy

import pytest
from support.instances import VALID
from support.tiny import instance, national_pool, product, workload

from planner import InputError, solve
from planner.data.derive import derive
from planner.data.numerics import range_warnings
from planner.input.loading import instance_from_data
from planner.models import build_model
from planner.solving.api import plan_from_run
from planner.solving.solver import OPTIMAL, SolverOptions, run_highs
from planner.solving.violations import violation_warnings


def _hostile_money() -> dict:
    """MNOK values from 1e-6 (a product's opex) to 1e6 (the total budget) in one instance."""
    return instance(
        years=(2025, 2026),
        pools={"nat": national_pool()},
        products={"node": product("nat", capacity=2, capex=1.5, lifetime=2, opex=1e-6)},
        workloads={"w": workload(4, penalty=1)},
        budget={"total": 1e6},
    )


def test_money_spanning_twelve_orders_of_magnitude_is_warned_about_by_name():
    plan = solve(instance_from_data(_hostile_money(), "hostile.yaml"), marginal_values=False)
    assert plan.status == "optimal"
    money = [text for text in plan.metadata["warnings"] if text.startswith("MNOK values")]
    assert len(money) == 1
    assert "12 orders of magnitude" in money[0]
    assert "1e-06 (products.node.opex)" in money[0]
    assert "1e+06 (budget.total)" in money[0]


def test_demand_growing_over_thirty_years_is_warned_about_by_name():
    """Demand 10·1.9^29 ≈ 1.2e9 GPUs in 2054 against nodes of 1 GPU: 9 orders of magnitude
    between the first year's demand (10) and the last's."""
    data = instance(
        years=(2025, 2054),
        pools={"nat": national_pool()},
        products={"node": product("nat", capacity=1, capex=1)},
        workloads={"w": workload({"base": 10, "growth": 0.9}, penalty=2)},
    )
    warnings = range_warnings(derive(instance_from_data(data, "growth.yaml")))
    assert len(warnings) == 1
    assert warnings[0].startswith("Quantities of gpu (GPUs) span 9 orders of magnitude")
    assert "(products.node.capacity.gpu)" in warnings[0]
    assert "(workloads.w.demand in 2054)" in warnings[0]


def test_ordinary_instances_get_no_range_warning():
    plan = solve(instance_from_data(copy.deepcopy(VALID), "valid.yaml"), marginal_values=False)
    assert not [text for text in plan.metadata["warnings"] if "orders of magnitude" in text]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["workloads"]["research-gpu"].update(demand={"base": 8, "growth": 1e30}),
         "workloads.research-gpu.demand.growth"),
        (lambda d: d["products"]["gpu-node"].update(capex_trend=1e6),
         "products.gpu-node.capex_trend"),
        (lambda d: d.update(baseline_opex=1e300), "baseline_opex"),
        (lambda d: d["products"]["cpu-node"].update(capacity={"cpu": 2e15}),
         "products.cpu-node.capacity.cpu"),
    ],
)
def test_numbers_the_solver_cannot_take_are_input_errors(change, path):
    data = copy.deepcopy(VALID)
    data["years"]["last"] = 2030
    data["workloads"]["research-cpu"]["demand"] = {"base": 2, "growth": 0.1}
    change(data)
    with pytest.raises(InputError) as raised:
        instance_from_data(data, "huge.yaml")
    assert [problem.path for problem in raised.value.problems] == [path]
    assert "too large" in raised.value.problems[0].message


def _solved_model():
    data = derive(instance_from_data(copy.deepcopy(VALID), "valid.yaml"))
    model = build_model(data)
    run = run_highs(model, SolverOptions())
    assert run.status == OPTIMAL
    return data, model, run


def test_an_optimal_plan_breaks_nothing():
    _, model, _ = _solved_model()
    assert violation_warnings(model) == []


def test_a_plan_that_breaks_a_row_beyond_the_tolerance_says_so():
    """As a solver's rounding on badly scaled numbers would leave it: one allocation
    1e-4 above what the demand balance allows (8 GPUs: 1.25e-5 relative)."""
    data, model, run = _solved_model()
    key = next(iter(model.served))
    model.served[key].value += 1e-4
    warnings = violation_warnings(model)
    assert len(warnings) == 1 and "demand_balance" in warnings[0]
    plan = plan_from_run(instance_from_data(copy.deepcopy(VALID), "valid.yaml"), data,
                         model, run, SolverOptions(), 0.0)
    assert any("demand_balance" in text for text in plan.metadata["warnings"])
    model.served[key].value -= 1e-4 - 5e-7  # within the tolerance: nothing to say
    assert violation_warnings(model) == []


def test_a_fractional_integer_is_reported():
    _, model, _ = _solved_model()
    variable = next(v for v in model.units_bought.values() if v.is_integer())
    variable.value = (variable.value or 0) + 0.01
    assert any("not a whole number" in text for text in violation_warnings(model))


def test_the_check_on_highs_arrays_finds_what_the_row_by_row_check_finds():
    """The same broken plan (an allocation 1e-4 too high, a unit 0.01 off a whole number)
    checked through HiGHS's matrix and through Pyomo row by row: the same breaks."""
    _, model, run = _solved_model()
    key = next(iter(model.served))
    model.served[key].value += 1e-4
    variable = next(v for v in model.units_bought.values() if v.is_integer())
    variable.value = (variable.value or 0) + 0.01
    by_rows = violation_warnings(model)
    by_arrays = violation_warnings(model, solver=run.persistent)
    assert len(by_rows) == len(by_arrays) == 1
    count = by_rows[0].split(" constraint")[0]
    assert by_arrays[0].startswith(count)
    assert "not a whole number" in by_arrays[0] and "demand_balance" in by_arrays[0]
