"""The optimisation formulation of spec §2–§5 (installed as `planner.models`).

`build_model(data)` turns derived data (`planner.data.derive.ModelData`) into a Pyomo model;
each constraint family is one function named as in the spec, its formula in its docstring.
"""

from planner.models.build import CONSTRAINT_FAMILIES, build_model

# The constraint families whose rows hold mutable parameters: family → (its parameter,
# where the rows hold it: only in their bounds, or in their coefficients). A re-solve
# after changing parameters reads only these rows again, and only those whose parameter
# changed (planner.solving.persistent). No other row and no named expression holds a
# mutable parameter: tests/test_persistent.py checks all three on a model of every family.
PARAMETERISED_ROWS = {
    "budget_caps": ("budget_cap_mnok", "bounds"),
    "minimum_coverage": ("min_coverage", "bounds"),
    "objective_within_slack": ("cost_bound_mnok", "bounds"),
    "eurohpc_share": ("eurohpc_share_bound", "coefficients"),
    "national_share": ("national_share_min", "coefficients"),
}

__all__ = ["CONSTRAINT_FAMILIES", "PARAMETERISED_ROWS", "build_model"]
