"""Marginal values of budget caps: what one more MNOK under a binding cap is worth.

A MILP has no duals. As GenX and PyPSA do, the integer decisions are fixed at their
optimum, the rest is re-solved as an LP, and the duals of the caps are read from it. The
numbers say how the objective moves per extra MNOK *with the purchases of whole units
held as they are*; they are labelled so wherever they are shown.

The LP is a copy of the model HiGHS already holds (no second Pyomo model is built or
handed over): its integer columns are made continuous and fixed at the plan's values.
"""

from __future__ import annotations

import math

import pyomo.core as pyo

from planner.solving.solver import SolverOptions, highs_model


def budget_marginal_values(model: pyo.ConcreteModel, binding: list[tuple[str, int]],
                           options: SolverOptions, solver: object
                           ) -> dict[tuple[str, int], float] | None:
    """(cap key, year) → objective change per extra MNOK, for the binding caps given
    (year 0 for `total`). None when the fixed LP could not be solved.

    `solver` is the persistent solver that solved `model`: the LP is solved on a copy of
    the model it holds in HiGHS."""
    if not binding:
        return {}
    found = highs_model(solver)
    if found is None:
        return None
    return _on_highs_copy(model, binding, options, *found)


def _on_highs_copy(model: pyo.ConcreteModel, binding: list[tuple[str, int]],
                   options: SolverOptions, highs, columns: dict, rows: dict
                   ) -> dict[tuple[str, int], float] | None:
    import highspy

    lp = highs.getLp()
    integrality = list(lp.integrality_)
    lower, upper = list(lp.col_lower_), list(lp.col_upper_)
    continuous = highspy.HighsVarType.kContinuous
    for variable in model.component_data_objects(pyo.Var, active=True):
        column = columns.get(id(variable))
        if column is None or not integrality or integrality[column] == continuous:
            continue
        value = float(round(variable.value or 0.0))
        lower[column] = upper[column] = value
    lp.col_lower_, lp.col_upper_ = lower, upper
    lp.integrality_ = []
    linear = highspy.Highs()
    linear.setOptionValue("output_flag", False)
    linear.setOptionValue("threads", options.threads)
    linear.setOptionValue("random_seed", options.random_seed)
    linear.setOptionValue("time_limit", options.time_limit_seconds or math.inf)
    linear.passModel(lp)
    linear.run()
    if linear.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    duals = linear.getSolution().row_dual
    return {key: float(duals[rows[model.budget_caps[key]]]) for key in binding}
