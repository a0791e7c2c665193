"""The `planner` commands, one module each; importing a module registers its command."""

from planner.commands import (
    audit,
    convert,
    diff,
    explain,
    report,
    revise,
    runs,
    show,
    solve,
    stochastic,
    sweep,
    validate,
    whatif,
)

__all__ = ["audit", "convert", "diff", "explain", "report", "revise", "runs", "show", "solve",
           "stochastic", "sweep", "validate", "whatif"]
