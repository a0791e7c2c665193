"""The optimisation formulation of spec §2–§5 (installed as `planner.models`).

`build_model(data)` turns derived data (`planner.data.derive.ModelData`) into a Pyomo model;
each constraint family is one function named as in the spec, its formula in its docstring.
"""

from planner.models.build import CONSTRAINT_FAMILIES, build_model

# The constraint families whose rows hold mutable parameters (a cap, a share's bound, a
# coverage floor, the cost bound of near-optimal alternatives): the only rows a re-solve
# after changing parameters reads again (planner.solving.persistent). No named
# expression holds one. tests/test_persistent.py checks both on a model with every family.
PARAMETERISED_ROWS = frozenset({"budget_caps", "eurohpc_share", "national_share",
                                "minimum_coverage", "objective_within_slack"})

__all__ = ["CONSTRAINT_FAMILIES", "PARAMETERISED_ROWS", "build_model"]
