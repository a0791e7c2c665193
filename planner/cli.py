"""The `planner` command line. Each command is a thin layer over the Python API.

The group `main`, the consoles and the shared options live in `planner.commands.base`;
each command lives in its own module of `planner.commands` and registers itself on `main`
when imported, which this module does (the entry point `planner = planner.cli:main`).
"""

from planner import commands  # noqa: F401  (registers every command on `main`)
from planner.commands.base import console, errors, main

__all__ = ["console", "errors", "main"]
