"""The optimisation formulation (installed as `planner.models`)."""
