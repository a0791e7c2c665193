"""A model held in HiGHS between solves, handed over as arrays (`planner.solving.matrix`).

`HighsSolver.refresh(model)`, called before each solve (`planner.solving.solver.run_highs`),
passes the whole model the first time. Later it sends only what changed:

- with `parameters_only` (a sweep or what-if that changes only mutable parameters,
  `planner.solving.parametric`): of the families whose rows hold mutable parameters
  (`planner.models.PARAMETERISED_ROWS`), those whose parameter changed have their rows'
  bounds (or, where the parameter is in the coefficients, the whole rows) read again and
  the changes sent; nothing else is looked at;
- otherwise: the same, and constraints added since are appended as rows, a new active
  objective replaces the costs, and every column's bounds (fixed or freed variables) are
  re-read. A constraint deactivated or removed since causes the whole model to be passed
  again.

Re-reading a family's rows reuses the linear forms of the named expressions read before:
no named expression holds a mutable parameter (tests/test_persistent.py checks it).
"""

from __future__ import annotations

import functools
import math
import os
import sys
import threading
from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.core as pyo

from planner.models import PARAMETERISED_ROWS
from planner.solving.matrix import (
    Compiler,
    Rows,
    active_constraints,
    active_objective,
    row_bounds,
)

# What HiGHS's model status says, in the words of Pyomo's TerminationCondition (the words
# plan.json has always recorded as `termination`).
_STATUS = highspy.HighsModelStatus
TERMINATIONS = {
    _STATUS.kOptimal: "convergenceCriteriaSatisfied",
    _STATUS.kInfeasible: "provenInfeasible",
    _STATUS.kUnboundedOrInfeasible: "infeasibleOrUnbounded",
    _STATUS.kUnbounded: "unbounded",
    _STATUS.kObjectiveBound: "objectiveLimit",
    _STATUS.kObjectiveTarget: "objectiveLimit",
    _STATUS.kTimeLimit: "maxTimeLimit",
    _STATUS.kIterationLimit: "iterationLimit",
    _STATUS.kSolutionLimit: "iterationLimit",
    _STATUS.kInterrupt: "interrupted",
    _STATUS.kLoadError: "error",
    _STATUS.kModelError: "error",
    _STATUS.kPresolveError: "error",
    _STATUS.kSolveError: "error",
    _STATUS.kPostsolveError: "error",
}
_FEASIBLE = 2  # HiGHS's primal_solution_status for "a feasible plan is known"


@functools.cache
def highs_version() -> str:
    return _new_highs().version()


@dataclass(frozen=True)
class Outcome:
    """What one HiGHS run answered."""

    termination: str
    has_plan: bool
    objective: float | None
    bound: float | None
    highs_seconds: float


@dataclass
class _Family:
    """The rows of one constraint family that holds a mutable parameter."""

    parameter: object  # the Param component
    in_coefficients: bool
    rows: list[int]
    values: tuple  # the parameter's values when the rows were last read
    # row → (constant of its body, its coefficients) as last sent; the coefficients only
    # where the parameter is in them (a family whose parameter is in the bounds never
    # looks at them: 7 500 minimum-coverage rows of the big benchmark model)
    read: dict[int, tuple[float, dict[int, float] | None]]


def _parameter_values(parameter) -> tuple:
    return tuple(entry.value for entry in parameter.values())


class HighsSolver:
    """One Pyomo model held in one HiGHS object; see the module's docstring."""

    def __init__(self) -> None:
        self.highs: highspy.Highs | None = None
        self.model: pyo.Block | None = None
        self.compiler: Compiler | None = None
        self.constraints: list = []
        self.row_of: dict = {}
        self.objective = None
        self._values = np.zeros(0)
        self._fixed = _fixed_as_columns([])
        self._families: dict[object, _Family] = {}  # by constraint component
        self._row_matrix: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._spent = False  # cancelled: the next solve passes the model to a fresh object

    # --- the model in HiGHS -------------------------------------------------------------

    @property
    def variables(self) -> list:
        return [] if self.compiler is None else self.compiler.variables

    @property
    def column_of(self) -> dict[int, int]:
        return {} if self.compiler is None else self.compiler.column_of

    def load(self, model: pyo.Block) -> None:
        """Pass the whole model to a new HiGHS object."""
        compiler = Compiler(model)
        constraints = active_constraints(model)
        with _fixed_as_columns(compiler.variables):
            rows = compiler.rows(constraints)
            objective = active_objective(model)
            costs = None if objective is None else compiler.objective(objective)
        lower, upper, integer = compiler.column_bounds()
        count = len(compiler.variables)
        cost, offset, minimise = _costs(costs, count)
        row_lower, row_upper, starts, columns, values = rows.as_arrays()
        highs = _new_highs()
        status = highs.passModel(
            count, len(constraints), len(values), 2,  # 2: the matrix is given row-wise
            1 if minimise else -1, offset, cost, lower, upper, row_lower, row_upper,
            starts, columns, values, integer)
        if status == highspy.HighsStatus.kError:
            raise RuntimeError(f"HiGHS refused the model of {model.name}")
        self.highs, self.model, self.compiler = highs, model, compiler
        self._spent = False
        self.constraints = constraints
        self.row_of = {constraint: row for row, constraint in enumerate(constraints)}
        self.objective = objective
        self._column_state = (lower, upper, integer)
        self._row_matrix = (starts, columns, values)
        self._families = {}
        self._track_families(rows, first_row=0)

    def row_matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The matrix HiGHS holds, row by row (starts, columns, values), as it was passed;
        None once rows or coefficients have changed since (then HiGHS's own copy is the
        one to read, `highs.getLp()`, whose lists take a tenth of a second to make on a
        big model)."""
        return self._row_matrix

    def column_state(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each column's lower and upper bound and integrality (1: integer) as HiGHS holds
        them."""
        return self._column_state

    def forget(self) -> None:
        """Mark the HiGHS object as spent (a cancelled one stops every later solve at
        once): the next solve passes the model to a fresh one. It is kept until then, so
        the plan of a solve that a cancel reached only as it ended can still be read."""
        self._spent = True

    def refresh(self, model: pyo.Block, parameters_only: bool = False) -> None:
        """Send HiGHS what changed in `model` since it was passed (module docstring)."""
        if self.highs is None or model is not self.model or self._spent:
            self.load(model)
            return
        self._refresh_parameterised_rows()
        if parameters_only:
            return
        constraints = active_constraints(model)
        known = [constraint for constraint in constraints if constraint in self.row_of]
        if len(known) != len(self.constraints):
            self.load(model)  # a row went away: pass the whole model again
            return
        added = [constraint for constraint in constraints if constraint not in self.row_of]
        with _fixed_as_columns(self.compiler.variables):
            rows = self.compiler.rows(added) if added else None
            objective = active_objective(model)
            costs = (self.compiler.objective(objective)
                     if objective is not None and objective is not self.objective else None)
        self._add_new_columns()
        if rows is not None:
            self._add_rows(rows)
        if costs is not None:
            self._set_costs(costs)
        elif objective is None and self.objective is not None:
            self._set_costs(None)
        self.objective = objective
        self._refresh_columns()

    def _track_families(self, rows: Rows, first_row: int) -> None:
        for at, constraint in enumerate(rows.constraints):
            component = constraint.parent_component()
            declared = PARAMETERISED_ROWS.get(component.local_name)
            if declared is None:
                continue
            family = self._families.get(component)
            if family is None:
                parameter = component.parent_block().component(declared[0])
                family = self._families[component] = _Family(
                    parameter, declared[1] == "coefficients", [],
                    _parameter_values(parameter), {})
            family.rows.append(first_row + at)
            family.read[first_row + at] = (
                rows.constants[at], rows.linear(at) if family.in_coefficients else None)

    def _refresh_parameterised_rows(self) -> None:
        changed_rows, lower, upper = [], [], []
        for family in self._families.values():
            values = _parameter_values(family.parameter)
            if values == family.values:
                continue
            family.values = values
            constraints = [self.constraints[row] for row in family.rows]
            if family.in_coefficients:
                with _fixed_as_columns(self.compiler.variables):
                    rows = self.compiler.rows(constraints)
                for at, row in enumerate(family.rows):
                    linear = rows.linear(at)
                    old = family.read[row][1]
                    for column in old.keys() | linear.keys():
                        value = linear.get(column, 0.0)
                        if old.get(column, 0.0) != value:
                            self.highs.changeCoeff(row, column, value)
                            self._row_matrix = None
                    family.read[row] = (rows.constants[at], linear)
                    lower.append(rows.lower[at])
                    upper.append(rows.upper[at])
            else:
                for row, constraint in zip(family.rows, constraints, strict=True):
                    low, _body, high = constraint.to_bounded_expression()
                    bounds = row_bounds(low, high, family.read[row][0])
                    lower.append(bounds[0])
                    upper.append(bounds[1])
            changed_rows += family.rows
        if changed_rows:
            self.highs.changeRowsBounds(len(changed_rows),
                                        np.asarray(changed_rows, dtype=np.int32),
                                        np.asarray(lower), np.asarray(upper))

    def _add_new_columns(self) -> None:
        count = len(self.compiler.variables) - self.highs.getNumCol()
        if count <= 0:
            return
        lower, upper, integer = self.compiler.column_bounds()
        first = self.highs.getNumCol()
        self.highs.addVars(count, lower[first:], upper[first:])
        indices = np.arange(first, first + count, dtype=np.int32)
        self.highs.changeColsIntegrality(count, indices, integer[first:])
        self._column_state = (lower, upper, integer)

    def _add_rows(self, rows: Rows) -> None:
        first = len(self.constraints)
        row_lower, row_upper, starts, columns, values = rows.as_arrays()
        self.highs.addRows(len(rows.constraints), row_lower, row_upper, len(values),
                           starts[:-1], columns, values)
        self._row_matrix = None
        for offset, constraint in enumerate(rows.constraints):
            self.constraints.append(constraint)
            self.row_of[constraint] = first + offset
        self._track_families(rows, first_row=first)

    def _set_costs(self, costs) -> None:
        count = self.highs.getNumCol()
        cost, offset, minimise = _costs(costs, count)
        self.highs.changeColsCost(count, np.arange(count, dtype=np.int32), cost)
        self.highs.changeObjectiveOffset(offset)
        self.highs.changeObjectiveSense(highspy.ObjSense.kMinimize if minimise
                                        else highspy.ObjSense.kMaximize)

    def _refresh_columns(self) -> None:
        lower, upper, integer = self.compiler.column_bounds()
        old_lower, old_upper, old_integer = self._column_state
        changed = np.flatnonzero((lower != old_lower) | (upper != old_upper))
        if changed.size:
            self.highs.changeColsBounds(changed.size, changed.astype(np.int32),
                                        lower[changed], upper[changed])
        changed = np.flatnonzero(integer != old_integer)
        if changed.size:
            self.highs.changeColsIntegrality(changed.size, changed.astype(np.int32),
                                             integer[changed])
        self._column_state = (lower, upper, integer)

    # --- solving ------------------------------------------------------------------------

    def run(self, *, threads: int, random_seed: int, mip_gap: float, presolve: bool,
            time_limit_seconds: float | None, keep_start: bool,
            sub_mip_heuristics: bool) -> Outcome:
        """Run HiGHS on the model it holds. Unless `keep_start`, what an earlier solve
        found (solution, basis) is dropped first, so that a re-solve does not depend on it."""
        highs = self.highs
        if not keep_start:
            highs.clearSolver()
        for name, value in (("threads", threads), ("random_seed", random_seed),
                            ("mip_rel_gap", mip_gap),
                            ("presolve", "choose" if presolve else "off"),
                            ("time_limit", time_limit_seconds or math.inf),
                            ("mip_heuristic_run_rins", sub_mip_heuristics),
                            ("mip_heuristic_run_rens", sub_mip_heuristics)):
            highs.setOptionValue(name, value)
        before = highs.getRunTime()
        highs.run()
        info = highs.getInfo()
        has_plan = info.primal_solution_status == _FEASIBLE
        termination = TERMINATIONS.get(highs.getModelStatus(), "unknown")
        objective = info.objective_function_value if has_plan else None
        if info.mip_node_count == -1:  # an LP: its bound is its optimum
            bound = objective if termination == "convergenceCriteriaSatisfied" else None
        else:
            bound = info.mip_dual_bound
        return Outcome(termination=termination, has_plan=has_plan, objective=objective,
                       bound=bound, highs_seconds=highs.getRunTime() - before)

    def load_values(self) -> None:
        """Set every variable of the model to its value in HiGHS's plan."""
        values = self.highs.getSolution().col_value
        for variable, value in zip(self.compiler.variables, values, strict=False):
            variable.set_value(value, skip_validation=True)
        self._values = np.asarray(values, dtype=np.float64)
        self._fixed = _fixed_as_columns(self.compiler.variables)

    def evaluate(self, expression) -> float:
        """The value of a linear expression of the model at the plan last loaded, from its
        linear form (a named expression the rows refer to is read only once).

        Fixed variables are read as columns here as when the rows were read: the linear
        forms of named expressions are kept and shared with later rows."""
        try:
            with self._fixed:
                columns, coefficients, constant = self.compiler.linear_form(expression)
        except KeyError:  # a variable HiGHS does not hold
            return float(pyo.value(expression))
        return constant + float(np.dot(coefficients, self._values[columns]))

    def column_values(self) -> np.ndarray:
        """The value of every column at the plan last loaded."""
        return self._values.copy()

    def start_from(self, values: np.ndarray) -> bool:
        """Hand HiGHS `values` (one per column, as `column_values` gives them) as a
        starting plan; False, and nothing handed, where the count is not the model's."""
        if len(values) != self.highs.getNumCol():
            return False
        start = highspy.HighsSolution()
        start.col_value = np.asarray(values, dtype=np.float64)
        start.value_valid = True
        self.highs.setSolution(start)
        return True

    def set_start(self, model: pyo.Block) -> None:
        """Hand the variables' current values to HiGHS as a starting plan (0 where a
        variable has none)."""
        self.refresh(model)
        self.start_from([0.0 if variable.value is None else float(variable.value)
                         for variable in self.compiler.variables])

    def cancel(self) -> None:
        if self.highs is not None:
            # HiGHS hears `cancelSolve()` only through its interrupt callbacks, which are
            # turned on here, not when the object is made (`_new_highs`).
            self.highs.HandleUserInterrupt = True
            self.highs.cancelSolve()


_banner_shown = threading.Event()


def _costs(objective, count: int) -> tuple[np.ndarray, float, bool]:
    """Each column's cost, the offset and whether to minimise (no objective: all zero)."""
    cost = np.zeros(count)
    if objective is None:
        return cost, 0.0, True
    cost[list(objective.costs)] = list(objective.costs.values())
    return cost, objective.offset, objective.minimise


def _new_highs() -> highspy.Highs:
    """A silent HiGHS object. HiGHS prints its banner on standard output when the first
    object of a process is made, before any option can be set; that one is made with
    the process's standard output pointed at /dev/null for the moment."""
    if _banner_shown.is_set():
        highs = highspy.Highs()
    else:
        with _BANNER_LOCK:
            highs = _without_standard_output(highspy.Highs)
            _banner_shown.set()
    highs.setOptionValue("output_flag", False)
    # `cancelSolve()` (planner.solving.interrupts) is heard only through HiGHS's interrupt
    # callbacks. They are turned on by `HighsSolver.cancel`, only when a solve is to stop:
    # HiGHS checks them between its steps (a flag it reads, also while it solves) and each
    # check waits for Python's lock. Kept on from the start, Norway's first solve took
    # 0.32-0.35 s instead of 0.25-0.27 beside the imports of planner.solving.warmup
    # (C code such as an extension module's set-up holds the lock for milliseconds at a
    # time). A cancelled solve stops as soon as with the callbacks on from the start
    # (measured on 2026-12-01: the generated 100 000-variable model, LP and MIP).
    return highs


_BANNER_LOCK = threading.Lock()


def _without_standard_output(make):
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no standard output to protect
        return make()
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        return make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


class _fixed_as_columns:
    """Free the fixed variables while rows are read, so that they are read as columns
    (their bounds hold them at their values), and fix them again after."""

    def __init__(self, variables: list) -> None:
        self.fixed = [variable for variable in variables if variable.fixed]

    def __enter__(self) -> None:
        for variable in self.fixed:
            variable.unfix()

    def __exit__(self, *_exc) -> None:
        for variable in self.fixed:
            variable.fix()
