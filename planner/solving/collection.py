"""Fewer garbage collections while a model is built, solved and tabled.

Building a model makes millions of small objects, none of them garbage, and Python's
cycle collector walks the growing heap again and again while it does: half of the
building time of a 100 000-variable model, and a good part of reading a plan back. Inside
`fewer_collections()` the collector runs a hundred times less often; reference counting
still frees everything at once, and cycles are collected later.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# (objects allocated between young collections, young collections per middle one,
# middle collections per full one); Python's defaults are (700, 10, 10).
COLLECTION_THRESHOLDS = (100_000, 50, 1_000)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    previous = gc.get_threshold()
    gc.set_threshold(*COLLECTION_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@contextlib.contextmanager
def no_collections() -> Iterator[None]:
    """No cycle collections at all inside: for a command that solves once and ends
    (`planner solve`). Its model lives until the plan is read, so each collection only
    walks it again (a tenth of a second in all on the big benchmark model, 600 000
    objects); what becomes garbage (the model, once read) is left to a later full
    collection, or to the end of the process moments after the command
    (`planner.cli.run`). Usable as a decorator.

    On the way out, what was made inside joins the oldest generation without being
    scanned (`gc.freeze()` then `gc.unfreeze()`: the planner freezes nothing else);
    re-enabling the collector as it was would have the next young collection walk all of
    it, and free the dead model, for a third of a second."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()
