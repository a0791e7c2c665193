"""The `planner` commands, one module each; importing a module registers its command."""

from planner.commands import solve, validate

__all__ = ["solve", "validate"]
