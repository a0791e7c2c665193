"""The matrix reader's own arithmetic (planner.solving.matrix) gives Pyomo's figures, bit
for bit: row bounds of parameters, and a row's repeated columns summed."""

from __future__ import annotations

import pyomo.core as pyo

from planner.solving.matrix import _number, _summed


def test_bounds_of_parameters_evaluate_as_pyomo_does():
    model = pyo.ConcreteModel()
    model.p = pyo.Param(initialize=0.15, mutable=True)
    model.q = pyo.Param([1], initialize={1: 3.3}, mutable=True)
    for bound in ((1 - model.p) * 7.42, -model.p, model.p * model.q[1],
                  1.1 - model.p + model.q[1] * 0.7, model.p / 3, model.q[1], 2.5, 4):
        assert _number(bound) == pyo.value(bound)
        assert type(_number(bound)) is type(pyo.value(bound))


def test_repeated_columns_summed_in_order_of_first_appearance():
    columns = [5, 2, 5, 9, 2, 5]
    values = [0.1, -0.0, 0.2, 1.0, 3.0, 0.3]
    summed: dict[int, float] = {}
    for column, value in zip(columns, values, strict=True):
        summed[column] = summed.get(column, 0.0) + value
    assert _summed(columns, values) == (list(summed), list(summed.values()))
