"""The `planner` commands, one module each; importing a module registers its command."""

from planner.commands import solve, sweep, validate

__all__ = ["solve", "sweep", "validate"]
