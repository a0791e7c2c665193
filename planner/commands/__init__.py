"""The `planner` commands, one module each; importing a module registers its command."""

from planner.commands import explain, solve, sweep, validate, whatif

__all__ = ["explain", "solve", "sweep", "validate", "whatif"]
