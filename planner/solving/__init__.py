"""Solve stage: HiGHS through Pyomo, stopping on signals, and the one-stage `solve`."""
