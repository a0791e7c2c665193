"""The `planner` commands, one module each; importing a module registers its command."""

from planner.commands import diff, explain, revise, runs, show, solve, sweep, validate, whatif

__all__ = ["diff", "explain", "revise", "runs", "show", "solve", "sweep", "validate",
           "whatif"]
