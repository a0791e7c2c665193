"""The `planner` commands, one module each; importing a module registers its command."""

from planner.commands import convert, explain, report, solve, sweep, validate, whatif

__all__ = ["convert", "explain", "report", "solve", "sweep", "validate", "whatif"]
