"""A built Pyomo model as the arrays HiGHS takes: columns, rows, bounds, costs.

Pyomo's persistent HiGHS interface hands a model over row by row, generating each row's
linear form and its own bookkeeping in Python; on a model of 100 000 variables that took
longer than building the model. Here every row is read once by Pyomo's linear-form
visitor (the one its LP and standard-form writers use), which reads each named
expression (`capex_mnok(y)`, ...) once however many rows refer to it, and the matrix is
handed to HiGHS in one call.

Columns are the model's variables in declaration order, each with its bounds and
whether it is integer; a fixed variable stays a column with both bounds at its value, so
fixing or freeing it later changes bounds only. Rows are the active constraints in
declaration order, each one HiGHS row `lower ≤ a·x ≤ upper` (constants of the body moved
into the bounds).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pyomo.core as pyo
from pyomo.core.expr.numvalue import native_types
from pyomo.repn.linear import LinearRepnVisitor

INFINITY = math.inf


class NotLinear(ValueError):
    """A row or objective the matrix cannot hold (the formulation is linear by design)."""


@dataclass
class Rows:
    """Rows in compressed sparse row form, with their bounds."""

    constraints: list = field(default_factory=list)
    constants: list[float] = field(default_factory=list)  # of each body, moved to the bounds
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=lambda: [0])
    columns: list[int] = field(default_factory=list)
    values: list[float] = field(default_factory=list)

    def add(self, constraint, constant: float, lower: float, upper: float,
            linear: dict[int, float]) -> None:
        self.constraints.append(constraint)
        self.constants.append(constant)
        self.lower.append(lower)
        self.upper.append(upper)
        self.columns.extend(linear)
        self.values.extend(linear.values())
        self.starts.append(len(self.columns))

    def as_arrays(self) -> tuple[np.ndarray, ...]:
        return (np.asarray(self.lower, dtype=np.float64),
                np.asarray(self.upper, dtype=np.float64),
                np.asarray(self.starts, dtype=np.int32),
                np.asarray(self.columns, dtype=np.int32),
                np.asarray(self.values, dtype=np.float64))


@dataclass
class Objective:
    component: object
    minimise: bool
    costs: dict[int, float]
    offset: float


class Compiler:
    """Reads rows and objectives of one model into column-indexed linear forms.

    `variables[j]` is the variable of column j; `column_of[id(variable)]` its column.
    Columns are added as variables first appear (all declared ones at the start).
    """

    def __init__(self, model: pyo.Block):
        self.variables: list = list(model.component_data_objects(pyo.Var, descend_into=True))
        self.column_of: dict[int, int] = {id(variable): column
                                          for column, variable in enumerate(self.variables)}
        self._cache: dict = {}
        self._visitor = LinearRepnVisitor(self._cache)

    def forget_expressions(self) -> None:
        """Read named expressions afresh next time (their mutable parameters changed)."""
        self._cache.clear()

    def _linear(self, expression, what) -> tuple[dict[int, float], float]:
        # Fixed variables must stay columns: the visitor would read them as constants.
        repn = self._visitor.walk_expression(expression)
        if repn.nonlinear is not None:
            raise NotLinear(f"{what.name} is not linear")
        multiplier = repn.multiplier
        linear = {}
        column_of = self.column_of
        for variable_id, coefficient in repn.linear.items():
            column = column_of.get(variable_id)
            if column is None:  # a variable declared outside the model's blocks
                column = column_of[variable_id] = len(self.variables)
                self.variables.append(self._visitor.var_map[variable_id])
            value = coefficient * multiplier
            if value.__class__ not in native_types:
                value = pyo.value(value)
            if value:
                linear[column] = float(value)
        constant = repn.constant * multiplier
        if constant.__class__ not in native_types:
            constant = pyo.value(constant)
        return linear, float(constant)

    def linear_form(self, expression) -> tuple[np.ndarray, np.ndarray, float]:
        """(columns, coefficients, constant) of a linear expression of the model's
        variables (a fixed variable counts as a constant)."""
        repn = self._visitor.walk_expression(expression)
        if repn.nonlinear is not None:
            raise NotLinear(f"{getattr(expression, 'name', expression)} is not linear")
        multiplier = float(pyo.value(repn.multiplier))
        columns = np.fromiter(map(self.column_of.__getitem__, repn.linear), dtype=np.int64,
                              count=len(repn.linear))
        coefficients = np.fromiter(repn.linear.values(), dtype=np.float64,
                                   count=len(repn.linear)) * multiplier
        return columns, coefficients, float(pyo.value(repn.constant)) * multiplier

    def rows(self, constraints: Iterable) -> Rows:
        """One row per constraint; a row that holds no variable is kept with its bounds
        widened to what the constant allows, so that rows and constraints stay one to one
        (an infeasible constant row is left to HiGHS, which reports the model infeasible).
        """
        rows = Rows()
        for constraint in constraints:
            lower, body, upper = constraint.to_bounded_expression()
            linear, constant = self._linear(body, constraint)
            lower, upper = row_bounds(lower, upper, constant)
            rows.add(constraint, constant, lower, upper, linear)
        return rows

    def objective(self, objective) -> Objective:
        linear, constant = self._linear(objective.expr, objective)
        return Objective(objective, objective.sense == pyo.minimize, linear, constant)

    def column_bounds(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Lower and upper bounds and integrality (1 integer, 0 continuous) of each column."""
        count = len(self.variables)
        lower = np.empty(count)
        upper = np.empty(count)
        integer = np.zeros(count, dtype=np.int32)
        for column, variable in enumerate(self.variables):
            if variable.fixed:
                lower[column] = upper[column] = float(variable.value)
            else:
                low, high = variable.bounds
                lower[column] = -INFINITY if low is None else low
                upper[column] = INFINITY if high is None else high
            if variable.is_integer():
                integer[column] = 1
        return lower, upper, integer


def row_bounds(lower, upper, constant: float) -> tuple[float, float]:
    """A row's bounds (numbers, parameters or expressions of them; None for none) less the
    constant of its body."""
    if lower is None:
        lower = -INFINITY
    else:
        lower = float(lower if lower.__class__ in native_types else pyo.value(lower)) - constant
    if upper is None:
        upper = INFINITY
    else:
        upper = float(upper if upper.__class__ in native_types else pyo.value(upper)) - constant
    return lower, upper


def active_constraints(block: pyo.Block) -> list:
    return list(block.component_data_objects(pyo.Constraint, active=True, descend_into=True))


def active_objective(block: pyo.Block):
    objectives = list(block.component_data_objects(pyo.Objective, active=True,
                                                   descend_into=True))
    if len(objectives) > 1:
        raise ValueError(f"{block.name} has {len(objectives)} active objectives")
    return objectives[0] if objectives else None
