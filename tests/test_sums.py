"""`sum_of` (planner.models.sums) makes the expression `pyo.quicksum` makes."""

from __future__ import annotations

import pyomo.core as pyo
import pytest

from planner.models.sums import sum_of


def test_sum_of_variables_is_quicksums_expression():
    model = pyo.ConcreteModel()
    model.x = pyo.Var(range(4))
    variables = list(model.x.values())
    for count in range(5):
        made, expected = sum_of(variables[:count]), pyo.quicksum(variables[:count])
        assert type(made) is type(expected)
        if count > 1:
            assert made.nargs() == expected.nargs()
            assert all(a is b for a, b in zip(made.args, expected.args, strict=True))
        else:
            assert made is expected or made == expected == 0
    # The list handed over is not the expression's own.
    listed = variables[:3]
    expression = sum_of(listed)
    listed.append(variables[3])
    assert expression.nargs() == 3


def test_sum_of_refuses_anything_but_variables():
    model = pyo.ConcreteModel()
    model.x = pyo.Var(range(2))
    with pytest.raises(TypeError):
        sum_of([model.x[0], 2 * model.x[1]])
