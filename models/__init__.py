"""The optimisation formulation of spec §2–§5 (installed as `planner.models`).

`build_model(data)` turns derived data (`planner.data.derive.ModelData`) into a Pyomo model;
each constraint family is one function named as in the spec, its formula in its docstring.
"""

from planner.models.build import CONSTRAINT_FAMILIES, build_model

__all__ = ["CONSTRAINT_FAMILIES", "build_model"]
