"""The `planner` commands, one module each; importing a module registers its command."""

from planner.commands import (
    convert,
    diff,
    explain,
    report,
    revise,
    runs,
    serve,
    show,
    solve,
    stochastic,
    sweep,
    validate,
    whatif,
)

__all__ = ["convert", "diff", "explain", "report", "revise", "runs", "serve", "show", "solve",
           "stochastic", "sweep", "validate", "whatif"]
