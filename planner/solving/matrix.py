"""A built Pyomo model as the arrays HiGHS takes: columns, rows, bounds, costs.

Pyomo's persistent HiGHS interface hands a model over row by row, generating each row's
linear form and its own bookkeeping in Python; on a model of 100 000 variables that took
longer than building the model. Here every row is read once, by a reader of the sums
this formulation is made of (`Compiler._plain`: named expressions such as
`capex_mnok(y)` read once however many rows refer to them) or, for anything else, by
Pyomo's linear-form visitor (the one its LP and standard-form writers use), and the
matrix is handed to HiGHS in one call.

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
from pyomo.core.base.var import VarData
from pyomo.core.expr.numeric_expr import (
    LinearExpression,
    MonomialTermExpression,
    NegationExpression,
    NPV_NegationExpression,
    NPV_ProductExpression,
    NPV_SumExpression,
    ProductExpression,
    SumExpression,
)
from pyomo.core.expr.numvalue import native_types
from pyomo.repn.linear import LinearRepnVisitor

from planner.solving.columns import column_bounds

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
            columns: list[int], values: list[float]) -> None:
        self.constraints.append(constraint)
        self.constants.append(constant)
        self.lower.append(lower)
        self.upper.append(upper)
        self.columns += columns
        self.values += values
        self.starts.append(len(self.columns))

    def linear(self, at: int) -> dict[int, float]:
        """Row `at`'s coefficients by column."""
        start, end = self.starts[at], self.starts[at + 1]
        return dict(zip(self.columns[start:end], self.values[start:end], strict=True))

    def as_arrays(self) -> tuple[np.ndarray, ...]:
        """Bounds, starts, columns and values (zero coefficients dropped) as HiGHS takes
        them."""
        values = _floats(self.values)
        columns = np.asarray(self.columns, dtype=np.int32)
        starts = np.asarray(self.starts, dtype=np.int64)
        kept = values != 0
        if not kept.all():
            dropped = np.concatenate(([0], np.cumsum(~kept)))
            starts = starts - dropped[starts]
            values, columns = values[kept], columns[kept]
        return (np.asarray(self.lower, dtype=np.float64),
                np.asarray(self.upper, dtype=np.float64),
                starts.astype(np.int32), columns, values)


def _floats(values: list) -> np.ndarray:
    try:
        return np.asarray(values, dtype=np.float64)
    except TypeError:  # a coefficient still an expression of fixed parameters
        return np.asarray([pyo.value(value) for value in values], dtype=np.float64)


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
        self._named: dict[int, tuple[list[int], list[float], float]] = {}
        self._visitor = LinearRepnVisitor(self._cache, var_recorder=_MetVariables())

    def _linear(self, expression, what) -> tuple[list[int], list[float], float]:
        """(columns, coefficients, constant) of a linear expression; coefficients that are
        zero are kept (dropped when the matrix is made)."""
        plain = self._plain(expression)
        if plain is not None:
            return plain
        repn = self._visitor.walk_expression(expression)
        if repn.nonlinear is not None:
            raise NotLinear(f"{what.name} is not linear")
        try:
            columns = list(map(self.column_of.__getitem__, repn.linear))
        except KeyError:  # a variable declared outside the model's blocks
            columns = [self._column(variable_id) for variable_id in repn.linear]
        values = list(repn.linear.values())
        constant, multiplier = repn.constant, repn.multiplier
        if multiplier.__class__ not in native_types or multiplier != 1:
            multiplier = pyo.value(multiplier)
            values = [value * multiplier for value in values]
            constant = constant * multiplier
        if constant.__class__ not in native_types:
            constant = pyo.value(constant)
        return columns, values, float(constant)

    def _plain(self, expression) -> tuple[list[int], list[float], float] | None:
        """The rows of this formulation are sums of variables times numbers, parameters,
        named expressions and such sums (`quicksum`, `capex_mnok(y)`, `min·Σ a`): those
        are read here, a term costing a fraction of what Pyomo's visitor spends on it,
        with the same result (every variable a column, a fixed one too; parameters at
        their values; a named expression read once and kept). None for anything else
        (a product of two variable parts, a function): the visitor reads those, and
        says what is not linear. tests/test_persistent.py checks both agree on every row."""
        column = self.column_of.__getitem__
        # The two shapes most rows have, read without the walk below: a variable alone
        # (minimum coverage), a sum of distinct variables alone (demand balance).
        kind = expression.__class__
        try:
            if kind is VarData:
                return [column(id(expression))], [1.0], 0.0
            if kind is LinearExpression:
                found = list(map(column, map(id, expression.args)))
                if len(set(found)) == len(found):
                    return found, [1.0] * len(found), 0.0
        except KeyError:  # a term that is no column (a monomial, a number): the walk
            pass
        named = self._named
        columns: list[int] = []  # a column may come more than once: summed at the end
        values: list[float] = []
        add_column, add_value = columns.append, values.append  # a million calls: bound once
        constant = 0.0
        stack = [(expression, 1.0)]
        try:
            while stack:
                node, scale = stack.pop()
                kind = node.__class__
                if kind in native_types:
                    constant += scale * node
                elif isinstance(node, (LinearExpression, SumExpression)):
                    # Its terms are mostly variables and monomials: read in place.
                    for term in node.args:
                        term_kind = term.__class__
                        if term_kind is VarData:
                            add_column(column(id(term)))
                            add_value(scale)
                        elif term_kind is MonomialTermExpression:
                            coefficient, variable = term.args
                            if coefficient.__class__ not in native_types:
                                coefficient = pyo.value(coefficient)
                            add_column(column(id(variable)))
                            add_value(scale * coefficient)
                        elif term_kind in native_types:
                            constant += scale * term
                        elif term.is_variable_type():
                            add_column(column(id(term)))
                            add_value(scale)
                        else:
                            stack.append((term, scale))
                elif kind is MonomialTermExpression:
                    stack.append((LinearExpression([node]), scale))
                elif node.is_variable_type():
                    add_column(column(id(node)))
                    add_value(scale)
                elif kind is NegationExpression:
                    stack.append((node.args[0], -scale))
                elif kind is ProductExpression:
                    left, right = node.args
                    if not _potentially_variable(left):
                        stack.append((right, scale * pyo.value(left)))
                    elif not _potentially_variable(right):
                        stack.append((left, scale * pyo.value(right)))
                    else:
                        return None
                elif node.is_named_expression_type():
                    key = id(node)
                    if key not in named:
                        read = self._plain(node.expr)
                        if read is None:
                            return None
                        named[key] = read
                    read_columns, read_values, offset = named[key]
                    columns += read_columns
                    values += [scale * value for value in read_values]
                    constant += scale * offset
                elif not node.is_potentially_variable():  # parameters, their expressions
                    constant += scale * pyo.value(node)
                else:
                    return None
        except KeyError:  # a variable that is no column: the visitor adds it
            return None
        if len(set(columns)) != len(columns):
            columns, values = _summed(columns, values)
        return columns, values, float(constant)

    def _column(self, variable_id: int) -> int:
        column = self.column_of.get(variable_id)
        if column is None:
            column = self.column_of[variable_id] = len(self.variables)
            self.variables.append(self._visitor.var_map[variable_id])
        return column

    def linear_form(self, expression) -> tuple[np.ndarray, np.ndarray, float]:
        """(columns, coefficients, constant) of a linear expression of the model's
        variables (a fixed one a column too, as in the rows). A variable that is no
        column raises KeyError: nothing is added to the columns HiGHS holds."""
        plain = self._plain(expression)
        if plain is not None:
            columns, values, constant = plain
            return (np.asarray(columns, dtype=np.int64), _floats(values), constant)
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
        """One row per constraint, its body's constant moved into its bounds. A row that
        holds no variable is kept, so that rows and constraints stay one to one (one its
        constant breaks is left to HiGHS, which reports the model infeasible)."""
        rows = Rows()
        for constraint in constraints:
            lower, body, upper = constraint.to_bounded_expression()
            columns, values, constant = self._linear(body, constraint)
            lower, upper = row_bounds(lower, upper, constant)
            rows.add(constraint, constant, lower, upper, columns, values)
        return rows

    def objective(self, objective) -> Objective:
        columns, values, constant = self._linear(objective.expr, objective)
        costs: dict[int, float] = {}
        for column, value in zip(columns, values, strict=True):
            costs[column] = costs.get(column, 0.0) + float(value)
        return Objective(objective, objective.sense == pyo.minimize, costs, constant)

    def column_bounds(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Lower and upper bounds and integrality (1 integer, 0 continuous) of each column."""
        return column_bounds(self.variables)


def _summed(columns: list[int], values: list[float]) -> tuple[list[int], list[float]]:
    """Each column once, in the order of its first appearance, with its values summed in
    the order they come (a national-share row holds each of its thousands of allocations
    twice: a loop in Python over them took a tenth of the hand-off)."""
    unique, first, inverse = np.unique(np.asarray(columns), return_index=True,
                                       return_inverse=True)
    # bincount adds each value in turn to 0.0, as a loop would: the same sums, bit for bit.
    sums = np.bincount(inverse, weights=np.asarray(values, dtype=np.float64),
                       minlength=len(unique))
    order = np.argsort(first)
    return unique[order].tolist(), sums[order].tolist()


def _number(node):
    """The value of a row bound: a number, a parameter or an expression of them. The
    products and sums of this formulation's bounds (`(1 − min_coverage)·D`, 7 500 rows of
    the big benchmark model) are worked out here as Pyomo's evaluation does (same
    operations, same order), at a tenth of its cost; anything else is left to Pyomo."""
    kind = node.__class__
    if kind in native_types:
        return node
    if kind is NPV_ProductExpression:
        left, right = node.args
        return _number(left) * _number(right)
    if kind is NPV_SumExpression:
        terms = [_number(term) for term in node.args]
        return sum(terms[1:], terms[0]) if terms else 0
    if kind is NPV_NegationExpression:
        return -_number(node.args[0])
    return pyo.value(node)


def _potentially_variable(node) -> bool:
    return node.__class__ not in native_types and node.is_potentially_variable()


class _MetVariables:
    """The visitor's record of the variables it has met. Pyomo's own records every index of
    a variable's component at its first sight (for writers that number columns), 100 000
    dictionary entries here that the columns (`Compiler.column_of`) make unneeded. A
    variable met is a column from then on, fixed or not, as in Pyomo's."""

    def __init__(self) -> None:
        self.var_map: dict[int, object] = {}

    def add(self, variable) -> None:
        self.var_map[id(variable)] = variable


def row_bounds(lower, upper, constant: float) -> tuple[float, float]:
    """A row's bounds (numbers, parameters or expressions of them; None for none) less the
    constant of its body."""
    lower = -INFINITY if lower is None else float(_number(lower)) - constant
    upper = INFINITY if upper is None else float(_number(upper)) - constant
    return lower, upper


def active_constraints(block: pyo.Block) -> list:
    return list(block.component_data_objects(pyo.Constraint, active=True, descend_into=True))


def active_objective(block: pyo.Block):
    objectives = list(block.component_data_objects(pyo.Objective, active=True,
                                                   descend_into=True))
    if len(objectives) > 1:
        raise ValueError(f"{block.name} has {len(objectives)} active objectives")
    return objectives[0] if objectives else None
