"""Rows, bounds and integrality the solved plan breaks by more than a tolerance, checked on
the matrix HiGHS holds (one sparse product) or, without a solver, row by row through Pyomo.
It lives in the solve stage because it reads the solver's arrays."""

from __future__ import annotations

import numpy as np
import pyomo.core as pyo

from planner.solving.solver import highs_model

# A row or bound may be off by this much, relative to max(1, |its bound|), before the plan
# says so: HiGHS's own feasibility tolerance is 1e-7 on its scaled model.
VIOLATION_TOLERANCE = 1e-6
VIOLATIONS_NAMED = 5


def violation_warnings(model: pyo.ConcreteModel, tolerance: float = VIOLATION_TOLERANCE,
                       solver: object = None) -> list[str]:
    """Every constraint, variable bound and integrality the solved plan breaks by more
    than `tolerance` (relative to max(1, |bound|)), as one warning naming the worst.

    The solver accepts a plan within its own tolerances; on badly scaled numbers those
    can hide a real break, so the plan reports it instead of passing it on silently.

    Given the persistent `solver` that holds the model, the rows are read once as arrays
    (the matrix and row bounds handed to HiGHS) and checked against the values in the
    model in one sparse product; otherwise row by row through Pyomo.
    """
    held = solver is not None and highs_model(solver) is not None \
        and getattr(solver, "model", None) is model
    broken = _as_arrays(solver, tolerance) if held else _row_by_row(model, tolerance)
    return _warning(broken, tolerance)


def _warning(broken: list[tuple[float, str]], tolerance: float) -> list[str]:
    if not broken:
        return []
    broken.sort(key=lambda item: -item[0])
    named = "; ".join(text for _, text in broken[:VIOLATIONS_NAMED])
    more = len(broken) - VIOLATIONS_NAMED
    return [f"the solved plan breaks {len(broken)} constraint(s) or bound(s) by more than "
            f"the tolerance of {tolerance:g} (the solver's rounding; check the numbers' "
            f"scale): {named}" + (f"; and {more} more" if more > 0 else "")]


def _beyond(values: np.ndarray, lower: np.ndarray, upper: np.ndarray, tolerance: float,
            names, what: str = "") -> list[tuple[float, str]]:
    """(relative excess, text) of every value outside [lower, upper] by more than the
    tolerance; bounds of ±1e30 or beyond are none (HiGHS's infinity)."""
    found = []
    for bounds, excess in ((lower, lower - values), (upper, values - upper)):
        finite = np.abs(bounds) < 1e30
        scale = np.maximum(1.0, np.abs(np.where(finite, bounds, 0.0)))
        relative = np.where(finite, excess, -np.inf) / scale
        for index in np.flatnonzero(relative > tolerance):
            found.append((float(relative[index]),
                          f"{names(index)}{what} = {values[index]:.10g} is beyond its bound "
                          f"{bounds[index]:.10g} by {excess[index]:.3g}"))
    return found


def _as_arrays(solver, tolerance: float) -> list[tuple[float, str]]:
    # The values checked are those the model holds (what the plan reports), by column;
    # numpy reads a variable without a value (None) as NaN.
    variables = solver.variables
    values = np.array([variable.value for variable in variables], dtype=np.float64)
    lp = solver.highs.getLp()
    known = ~np.isnan(values)
    held = solver.row_matrix()
    if held is not None:  # as passed, row-wise
        start, index, weights = held
        row_wise = True
    else:
        matrix = lp.a_matrix_
        start = np.asarray(matrix.start_)
        index = np.asarray(matrix.index_)
        weights = np.asarray(matrix.value_)
        row_wise = int(matrix.format_) != 1  # 1: column-wise
    counts = np.diff(start)
    # A row with a variable that has no value is not checked (as Pyomo's value() would
    # give None for it).
    if not row_wise:
        activity = np.bincount(index, weights * np.repeat(np.nan_to_num(values), counts),
                               minlength=lp.num_row_)
        unknown = np.bincount(index, np.repeat(~known, counts).astype(float),
                              minlength=lp.num_row_) > 0
    else:
        row_of = np.repeat(np.arange(lp.num_row_), counts)
        activity = np.bincount(row_of, weights * np.nan_to_num(values)[index],
                               minlength=lp.num_row_)
        unknown = np.bincount(row_of, (~known)[index].astype(float),
                              minlength=lp.num_row_) > 0
    checked = np.flatnonzero(~unknown)
    broken = _beyond(activity[checked], np.asarray(lp.row_lower_)[checked],
                     np.asarray(lp.row_upper_)[checked], tolerance,
                     lambda at: solver.constraints[int(checked[at])].name)
    # The column bounds and integrality as handed to HiGHS; a fixed variable's bounds
    # are its value.
    lower, upper, integral = solver.column_state()
    free = np.flatnonzero(known)
    broken += _beyond(values[free], lower[free], upper[free], tolerance,
                      lambda at: variables[int(free[at])].name)
    if integral.size:
        whole = free[integral[free] != 0]
        distance = np.abs(values[whole] - np.round(values[whole]))
        for at in np.flatnonzero(distance > tolerance):
            variable = variables[int(whole[at])]
            broken.append((float(distance[at]),
                           f"{variable.name} = {variable.value:.10g} is not a whole number"))
    return broken


def _row_by_row(model: pyo.ConcreteModel, tolerance: float) -> list[tuple[float, str]]:
    broken: list[tuple[float, str]] = []

    def check(name: str, value: float, lower: float | None, upper: float | None) -> None:
        for bound, excess in ((lower, None if lower is None else lower - value),
                              (upper, None if upper is None else value - upper)):
            if excess is not None and excess > tolerance * max(1.0, abs(bound)):
                broken.append((excess / max(1.0, abs(bound)),
                               f"{name} = {value:.10g} is beyond its bound {bound:.10g} "
                               f"by {excess:.3g}"))

    for row in model.component_data_objects(pyo.Constraint, active=True):
        value = pyo.value(row.body, exception=False)
        if value is not None:
            check(row.name, value, pyo.value(row.lower) if row.has_lb() else None,
                  pyo.value(row.upper) if row.has_ub() else None)
    broken += _variables_one_by_one(
        model.component_data_objects(pyo.Var, active=True), tolerance)
    return broken


def _variables_one_by_one(variables, tolerance: float) -> list[tuple[float, str]]:
    broken: list[tuple[float, str]] = []
    for variable in variables:
        if variable.value is None or variable.fixed:
            continue
        for bound, excess in ((variable.lb, None if variable.lb is None
                               else variable.lb - variable.value),
                              (variable.ub, None if variable.ub is None
                               else variable.value - variable.ub)):
            if excess is not None and excess > tolerance * max(1.0, abs(bound)):
                broken.append((excess / max(1.0, abs(bound)),
                               f"{variable.name} = {variable.value:.10g} is beyond its bound "
                               f"{bound:.10g} by {excess:.3g}"))
        if variable.is_integer() and abs(variable.value - round(variable.value)) > tolerance:
            broken.append((abs(variable.value - round(variable.value)),
                           f"{variable.name} = {variable.value:.10g} is not a whole number"))
    return broken
