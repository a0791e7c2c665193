"""The matrix a persistent solver keeps as it passed it (`HighsSolver.row_matrix`), which
the violation check reads instead of HiGHS's own copy: the same matrix, and dropped as
soon as a re-solve changes a coefficient or adds a row."""

from __future__ import annotations

import re

import numpy as np
import pytest
from support.generator import small_instance

from planner.data.derive import derive
from planner.input.loading import instance_from_data
from planner.models import build_model
from planner.solving.solver import OPTIMAL, SolverOptions, new_solver, run_highs
from planner.solving.violations import violation_warnings


def _dense_from_highs(highs) -> np.ndarray:
    lp = highs.getLp()
    matrix = lp.a_matrix_
    start, index, value = (np.asarray(matrix.start_), np.asarray(matrix.index_),
                           np.asarray(matrix.value_))
    dense = np.zeros((lp.num_row_, lp.num_col_))
    outer = np.repeat(np.arange(len(start) - 1), np.diff(start))
    if int(matrix.format_) == 1:  # column-wise
        dense[index, outer] = value
    else:
        dense[outer, index] = value
    return dense


def _dense_held(solver, shape) -> np.ndarray:
    start, index, value = solver.row_matrix()
    dense = np.zeros(shape)
    dense[np.repeat(np.arange(len(start) - 1), np.diff(start)), index] = value
    return dense


def _broken(warnings: list[str]) -> set[str]:
    """The rows and variables a warning names (the values differ: the array route moves a
    row's constant into its bounds)."""
    return set(re.findall(r"(\w+\[[^\]]*\]) = ", " ".join(warnings)))


@pytest.mark.parametrize("seed", [0, 3, 5])
def test_the_held_matrix_is_highs_own_until_it_changes(seed):
    data = small_instance(seed)
    data["policy"] = {"national_share": {"min": 0.2}}  # its minimum is in coefficients
    model = build_model(derive(instance_from_data(data, "test")))
    solver = new_solver()
    run = run_highs(model, SolverOptions(), solver)
    assert run.status == OPTIMAL
    in_highs = _dense_from_highs(solver.highs)
    assert np.array_equal(_dense_held(solver, in_highs.shape), in_highs)
    # Breaks found through the held matrix are those found row by row through Pyomo.
    key = next(iter(model.served))
    model.served[key].value += 1e-3
    assert _broken(violation_warnings(model, solver=solver)) == \
        _broken(violation_warnings(model)) != set()
    model.served[key].value -= 1e-3
    # A coefficient that changes: the held copy is dropped, HiGHS's own is read.
    model.national_share_min.value = 0.3
    rerun = run_highs(model, SolverOptions(), solver, parameters_only=True)
    assert solver.row_matrix() is None
    assert rerun.status in (OPTIMAL, "infeasible")
    if rerun.status == OPTIMAL:
        assert violation_warnings(model, solver=solver) == violation_warnings(model) == []
