"""Column bounds read per domain (planner.solving.columns) equal Pyomo's per variable."""

from __future__ import annotations

import math

import numpy as np
import pyomo.core as pyo

from planner.solving.columns import column_bounds


def _one_by_one(variables: list) -> tuple[list, list, list]:
    lower, upper, integer = [], [], []
    for variable in variables:
        if variable.fixed:
            low = high = float(variable.value)
        else:
            low, high = variable.bounds
        lower.append(-math.inf if low is None else low)
        upper.append(math.inf if high is None else high)
        integer.append(1 if variable.is_integer() else 0)
    return lower, upper, integer


def test_domains_own_bounds_and_fixed_variables_read_as_pyomo_reads_them():
    model = pyo.ConcreteModel()
    model.cap = pyo.Param(initialize=7.5, mutable=True)
    model.x = pyo.Var(range(4), domain=pyo.NonNegativeReals)
    model.n = pyo.Var(range(3), domain=pyo.NonNegativeIntegers)
    model.b = pyo.Var(range(3), domain=pyo.Binary)
    model.free = pyo.Var()
    model.bounded = pyo.Var(bounds=(-2, model.cap), domain=pyo.Reals)
    model.x[1].setub(3.0)
    model.n[2].setlb(-1)  # looser than the domain's 0: the domain's holds
    model.b[1].fix(1)
    model.x[3].fix(2.5)
    variables = list(model.component_data_objects(pyo.Var))

    lower, upper, integer = column_bounds(variables)

    expected = _one_by_one(variables)
    assert lower.tolist() == expected[0]
    assert upper.tolist() == expected[1]
    assert integer.tolist() == expected[2]
    assert integer.dtype == np.int32


def test_no_variables():
    lower, upper, integer = column_bounds([])
    assert lower.size == upper.size == integer.size == 0
