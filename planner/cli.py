"""The `planner` command line (the entry point `planner = planner.cli:run`). Each command
is a thin layer over the Python API, in its own module of `planner.commands`.

The group `main`, the consoles and the shared options live in `planner.commands.base`;
`main` imports a command's module only when that command runs, so `planner --help` and
`planner validate` start without loading Pyomo or pandas (docs/architecture.md).
"""

from __future__ import annotations

import os

# One BLAS thread, set before anything imports numpy. The planner's own work is one
# thread (HiGHS solves with `--threads`, the rest is Python), and its only BLAS call is a
# dot product of one expression's coefficients; but OpenBLAS starts a worker thread per
# core when numpy is imported, which made `import numpy` take 0.13-0.15 s instead of
# 0.07 on this 2-core machine and spent another 0.05 s of processor time spinning. A
# value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# No pydantic plugins: the instance schema is the planner's own, and looking for plugins
# reads the metadata of every installed distribution when the first model is defined
# (0.02-0.03 s with this machine's packages). A value the user set is kept.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import atexit  # noqa: E402
import contextlib  # noqa: E402
import gc  # noqa: E402
import importlib.abc  # noqa: E402
import importlib.machinery  # noqa: E402
import importlib.util  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402


class _RunOnFirstUse(importlib.abc.MetaPathFinder):
    """Imports the modules `names` lazily (`importlib.util.LazyLoader`): `import` makes
    the module, and its code runs when a name of it is first used."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, name: str, path, target=None):
        if name not in self.names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


# Pyomo imports numpy.testing as soon as numpy is there (for scipy under pytest, its
# comment says), with unittest behind it: 0.03 s. pydantic 2.13's plugin loader imports
# importlib.metadata (with the email package) though PYDANTIC_DISABLE_PLUGINS means it
# never reads it: 0.02 s (2.14 imports a name of it, which runs it). No command uses
# either.
sys.meta_path.insert(0, _RunOnFirstUse({"numpy.testing", "importlib.metadata"}))

from planner.commands.base import console, errors, main  # noqa: E402
from planner.solving.collection import COLLECTION_THRESHOLDS  # noqa: E402

__all__ = ["console", "errors", "main", "run"]


def run() -> None:
    """`planner`: run the command, then end the process without tearing it down.

    Once a command has returned, its files are written and closed and its run is
    committed; freeing every object of a solved model one by one and unloading each
    module would only add up to seconds before the shell gets its prompt back. So the
    exit handlers run, the streams are flushed, and the process ends there, unless a
    thread that is not a daemon still runs (then Python's own shutdown waits for it).
    """
    # For the whole process: a command builds, solves and tables models throughout.
    gc.set_threshold(*COLLECTION_THRESHOLDS)
    try:
        main.main(prog_name="planner")
        status: object = 0
    except SystemExit as done:
        status = done.code
    if any(thread.is_alive() and not thread.daemon and thread is not threading.main_thread()
           for thread in threading.enumerate()):
        sys.exit(status)
    if status is None:
        status = 0
    elif not isinstance(status, int):
        print(status, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe: nothing more can be said there.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)
