"""Marginal values of budget caps: what one more MNOK under a binding cap is worth.

A MILP has no duals. As GenX and PyPSA do, the integer decisions are fixed at their
optimum, the rest is re-solved as an LP, and the duals of the caps are read from it. The
numbers say how the objective moves per extra MNOK *with the purchases of whole units
held as they are*; they are labelled so wherever they are shown.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.solving.solver import OPTIMAL, SolverOptions, run_highs


def budget_marginal_values(model: pyo.ConcreteModel, binding: list[tuple[str, int]],
                           options: SolverOptions) -> dict[tuple[str, int], float] | None:
    """(cap key, year) → objective change per extra MNOK, for the binding caps given
    (year 0 for `total`). None when the fixed LP could not be solved."""
    if not binding:
        return {}
    linear = model.clone()
    for variable in linear.component_data_objects(pyo.Var, descend_into=True):
        if variable.is_integer() or variable.is_binary():
            value = round(variable.value or 0.0)
            variable.domain = pyo.Reals
            variable.fix(value)
    run = run_highs(linear, options)
    if run.status != OPTIMAL:
        return None
    rows = [linear.budget_caps[key] for key in binding]
    duals = run.solution_loader.get_duals(rows)
    return {key: float(duals[row]) for key, row in zip(binding, rows, strict=True)}
