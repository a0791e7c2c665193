"""The `planner` command line (the entry point `planner = planner.cli:main`). Each command
is a thin layer over the Python API, in its own module of `planner.commands`.

The group `main`, the consoles and the shared options live in `planner.commands.base`;
`main` imports a command's module only when that command runs, so `planner --help` and
`planner validate` start without loading Pyomo or pandas (docs/architecture.md).
"""

from planner.commands.base import console, errors, main

__all__ = ["console", "errors", "main"]
