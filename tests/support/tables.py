"""Comparing two plans' tables value by value (a round trip must keep every value, not only
the number of rows)."""

from __future__ import annotations

import pandas as pd


def assert_same_tables(got: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame]) -> None:
    """The same tables, columns, row order and values (a missing value as None or NaN alike;
    integers read back as floats compare equal). plan.json keeps a table as its rows, so a
    table without rows comes back without its columns: only its emptiness is compared."""
    assert list(got) == list(expected)
    for name, table in expected.items():
        if table.empty:
            assert got[name].empty, f"table {name}"
            continue
        pd.testing.assert_frame_equal(got[name].reset_index(drop=True),
                                      table.reset_index(drop=True), check_dtype=False,
                                      check_exact=True, obj=f"table {name}")
