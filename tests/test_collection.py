"""`no_collections` (planner.solving.collection): no cycle collection inside, the
collector as it was after, and what was made inside left for a full collection."""

from __future__ import annotations

import gc

from planner.solving.collection import no_collections


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_no_collections_inside_and_the_collector_as_before_after():
    assert gc.isenabled()
    with no_collections():
        assert not gc.isenabled()
        made = [_Cycle() for _ in range(1000)]
        assert gc.get_count()[0] >= 1000
    assert gc.isenabled()
    # Nothing made inside waits for a young collection; nothing is frozen for good.
    assert gc.get_count()[0] < 1000
    assert gc.get_freeze_count() == 0
    del made
    assert gc.collect() >= 1000  # the cycles are still collected


def test_no_collections_leaves_a_disabled_collector_disabled():
    gc.disable()
    try:
        with no_collections():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
