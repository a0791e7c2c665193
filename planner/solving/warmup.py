"""Modules imported while HiGHS solves, on the core HiGHS leaves free.

HiGHS releases Python's lock while it solves (with one thread it uses one core), so
modules that are needed only once there is a solution (pandas and the results stage,
the views) can be imported beside it instead of before it: a first solve then takes as
long as the longer of the two, not their sum. Code that will need a module after a
solve names it:

    with import_while_solving("planner.solving.plan_reader"):
        run = run_highs(model, options)
    from planner.solving.plan_reader import plan_from_run   # already there, or waited for

`planner.solving.solver` starts the imports when a solve from the main thread begins
(`start`). An import that is still under way when the solve ends is waited for by the
next `import` of the same module (Python's import lock), and one that fails is simply
attempted again by that `import`, which then raises as it would have. Nothing else
changes: the modules are the same and are imported once.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import threading
from collections.abc import Iterator
from contextvars import ContextVar

_WANTED: ContextVar[tuple[str, ...]] = ContextVar("import_while_solving", default=())


@contextlib.contextmanager
def import_while_solving(*modules: str) -> Iterator[None]:
    """Solves started inside this block import `modules` while HiGHS runs.

    The modules of the innermost block come first: the code nearest the solve reads its
    result first (the plan reader before the command's views). What is not imported when
    HiGHS ends goes on being imported beside what follows, in that order."""
    token = _WANTED.set(modules + _WANTED.get())
    try:
        yield
    finally:
        _WANTED.reset(token)


def wanted() -> tuple[str, ...]:
    """The modules the current solve should import while it runs and that are not yet
    imported."""
    return tuple(name for name in dict.fromkeys(_WANTED.get()) if name not in sys.modules)


def start() -> threading.Thread | None:
    """Import the wanted modules in a thread of their own (None when there are none)."""
    modules = wanted()
    if not modules:
        return None
    thread = threading.Thread(target=_import_all, args=(modules,), name="import-while-solving",
                              daemon=True)
    thread.start()
    return thread


def _import_all(modules: tuple[str, ...]) -> None:
    for name in modules:
        # A failure here is repeated, and raised, by the import that needs the module.
        with contextlib.suppress(Exception):
            importlib.import_module(name)
