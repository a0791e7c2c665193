"""The model as HiGHS gets it (planner.solving.matrix) and re-solves that send only what
changed (planner.solving.persistent), each checked by an independent route: Pyomo's own
evaluation of every row, and a fresh model solved by a fresh solver."""

from __future__ import annotations

import random

import numpy as np
import pyomo.core as pyo
import pytest
from pyomo.core.expr.visitor import identify_mutable_parameters
from support.generator import small_instance

from planner.data.derive import derive
from planner.input.loading import instance_from_data
from planner.models import PARAMETERISED_ROWS, build_model
from planner.models.alternatives import objective_within_slack
from planner.models.objective import weighted_unserved_demand
from planner.solving.solver import OPTIMAL, SolverOptions, new_solver, run_highs

OPTIONS = SolverOptions()


def _model(data: dict) -> pyo.ConcreteModel:
    return build_model(derive(instance_from_data(data, "test")))


def _with_every_parameter(seed: int) -> dict:
    """A small instance with caps (total and yearly), both shares and a coverage floor."""
    data = small_instance(seed)
    years = range(data["years"]["first"], data["years"]["last"] + 1)
    data["budget"] = {"total": 500.0, "yearly": {year: 300.0 for year in years}}
    data["policy"] = {"eurohpc_share": {"min": 0.0, "max": 0.9, "of": "investment"},
                      "national_share": {"min": 0.1}}
    first = next(iter(data["workloads"]))
    data["workloads"][first]["min_coverage"] = 0.2
    return data


def _parameters(expression) -> set[str]:
    return {parameter.parent_component().local_name
            for parameter in identify_mutable_parameters(expression)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_only_the_declared_rows_hold_parameters(seed):
    """PARAMETERISED_ROWS is what a re-solve trusts: a row of any other family, or a named
    expression, holding a mutable parameter would keep a stale value in HiGHS."""
    model = _model(_with_every_parameter(seed))
    objective_within_slack(model, 100.0, 0.05)
    families = set()
    for constraint in model.component_data_objects(pyo.Constraint, active=True):
        family = constraint.parent_component().local_name
        lower, body, upper = constraint.to_bounded_expression()
        in_bounds = set().union(*(_parameters(bound) for bound in (lower, upper)
                                  if bound is not None))
        in_body = _parameters(body)
        declared = PARAMETERISED_ROWS.get(family)
        if declared is None:
            assert not in_bounds | in_body, constraint.name
            continue
        families.add(family)
        parameter, where = declared
        assert in_bounds | in_body <= {parameter}, constraint.name
        if where == "bounds":
            assert not in_body, constraint.name
    assert families == set(PARAMETERISED_ROWS)  # every declaration was exercised
    for expression in model.component_data_objects(pyo.Expression):
        assert not _parameters(expression.expr), expression.name


@pytest.mark.parametrize("seed", range(8))
def test_the_matrix_in_highs_is_the_model(seed):
    """Every row and the objective, evaluated at random values from the matrix HiGHS
    holds, equal Pyomo's own evaluation of the model (the constant of a row's body is
    in its bounds); a fixed variable stays a column held by its bounds."""
    model = _model(small_instance(seed))
    rng = random.Random(seed)
    variables = list(model.component_data_objects(pyo.Var))
    for variable in variables:
        variable.set_value(round(rng.uniform(0, 5), 3), skip_validation=True)
    fixed = variables[rng.randrange(len(variables))]
    fixed.fix(2.5)
    solver = new_solver()
    solver.load(model)
    lp = solver.highs.getLp()
    values = np.array([variable.value for variable in solver.variables])
    matrix = lp.a_matrix_
    by_column = np.diff(np.asarray(matrix.start_))
    activity = np.bincount(np.asarray(matrix.index_), np.asarray(matrix.value_)
                           * np.repeat(values, by_column), minlength=lp.num_row_)
    for row, constraint in enumerate(solver.constraints):
        constant = pyo.value(constraint.body) - activity[row]
        if constraint.has_ub():
            assert pyo.value(constraint.upper) - lp.row_upper_[row] == pytest.approx(
                constant, abs=1e-9), constraint.name
        if constraint.has_lb():
            assert pyo.value(constraint.lower) - lp.row_lower_[row] == pytest.approx(
                constant, abs=1e-9), constraint.name
    assert float(np.dot(lp.col_cost_, values)) + lp.offset_ == pytest.approx(
        pyo.value(model.total_discounted_cost), abs=1e-9)
    column = solver.column_of[id(fixed)]
    assert lp.col_lower_[column] == lp.col_upper_[column] == 2.5
    assert fixed.fixed
    assert [int(kind) != 0 for kind in lp.integrality_] == [
        variable.is_integer() for variable in solver.variables]


def _outcome(run) -> float | str:
    return run.objective if run.status == OPTIMAL else run.status


def _fresh(model_change, data: dict) -> float | str:
    model = _model(data)
    model_change(model)
    return _outcome(run_highs(model, OPTIONS))


@pytest.mark.parametrize("seed", [2, 9, 18, 25])
def test_a_re_solve_after_changes_equals_a_fresh_solve(seed):
    """One model and one solver through parameter changes (caps, both shares, coverage),
    an added row, a fixed variable and another objective: each re-solve gives what a
    fresh model solved by a fresh solver gives."""
    data = _with_every_parameter(seed)
    model = _model(data)
    solver = new_solver()
    first = run_highs(model, OPTIONS, solver)
    assert first.status == OPTIMAL
    assert first.objective == pytest.approx(_fresh(lambda _m: None, data), rel=1e-6)

    def parameters(target):
        target.budget_cap_mnok["total", 0] = 400.0
        target.eurohpc_share_bound["max"] = 0.5
        target.national_share_min = 0.6
        for key in target.min_coverage:
            target.min_coverage[key] = 0.4

    steps = [
        (parameters, True),
        (lambda target: setattr(target, "national_share_min", 0.0), True),
        (lambda target: target.add_component("extra_cap", pyo.Constraint(
            expr=pyo.quicksum(target.unserved.values()) <= 1e6)), False),
        (lambda target: target.units_bought[next(iter(target.units_bought))].fix(0), False),
        (lambda target: weighted_unserved_demand(target, derive(instance_from_data(
            data, "test"))), False),
    ]
    done, outcomes = [], []
    for change, parameters_only in steps:
        change(model)
        done.append(change)
        run = run_highs(model, OPTIONS, solver, parameters_only=parameters_only)
        expected = _fresh(lambda target: [step(target) for step in done], data)
        got = _outcome(run)
        outcomes.append(got)
        if isinstance(expected, str):
            assert got == expected
        else:
            assert got == pytest.approx(expected, rel=1e-6, abs=1e-6)
    assert len({str(outcome) for outcome in [_outcome(first), *outcomes]}) >= 3  # it moved


@pytest.mark.parametrize("seed", range(6))
def test_rows_are_read_as_pyomos_own_visitor_reads_them(seed):
    """The compiler's own reader of sums (planner.solving.matrix) against Pyomo's linear
    visitor, on every row and the objective of random models (with N−1 workloads in
    half of them, all four parameter families in play): the same coefficients by
    column and the same constant."""
    from pyomo.repn.linear import LinearRepnVisitor
    from support.generator import add_redundancy

    from planner.solving.matrix import Compiler

    data = _with_every_parameter(seed)
    if seed % 2:
        data = add_redundancy(data, seed)
    model = _model(data)
    compiler = Compiler(model)
    visitor = LinearRepnVisitor({})
    bodies = [constraint.body for constraint in model.component_data_objects(
        pyo.Constraint, active=True)] + [model.total_discounted_cost.expr]
    for body in bodies:
        columns, values, constant = compiler.linear_form(body)
        repn = visitor.walk_expression(body)
        expected = {compiler.column_of[key]: coefficient * repn.multiplier
                    for key, coefficient in repn.linear.items() if coefficient}
        got = {int(column): float(value) for column, value in zip(columns, values,
                                                                  strict=True) if value}
        assert got.keys() == expected.keys(), body
        for column, value in expected.items():
            assert got[column] == pytest.approx(value, rel=1e-12, abs=1e-12)
        assert constant == pytest.approx(repn.constant * repn.multiplier, rel=1e-12,
                                         abs=1e-12)
