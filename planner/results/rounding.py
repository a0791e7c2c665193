"""One rounding rule for every view (docs/results.md).

Money is shown to 0.1 MNOK, rounded half away from zero on the value first cleaned to
1e-9 MNOK (so 0.05 in binary is 0.1, as a reader expects). A displayed total is the sum
of the displayed parts it totals ("round the parts, then add"), never the rounded exact
total; where a total is a figure of its own that is shown elsewhere too (the objective),
its parts are rounded by the largest-remainder method so that they add up to it.

A cap is binding when its displayed spending equals its displayed cap (`is_binding`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

MONEY_DECIMALS = 1
# Exact values in plan.json and the CSVs: rounded to this, then written as the shortest
# repr that reads back the same (no 199.48800000000008).
EXACT_DECIMALS = 9


def clean(value: float) -> float:
    """`value` rounded to 1e-9, without a negative zero: what plan.json and CSVs hold."""
    if not math.isfinite(value):
        return value
    cleaned = round(float(value), EXACT_DECIMALS)
    return 0.0 if cleaned == 0 else cleaned


# Below this magnitude x·1e9 is under 2^49, so numpy's product is within 1/16 of the exact
# one, and where it is more than 1/16 from a half the two round alike (`clean_floats`).
_VECTOR_LIMIT = 5e5
_HALF_MARGIN = 1 / 16


def clean_floats(values: np.ndarray) -> np.ndarray:
    """`clean` of every element of a float array, the same to the last bit, at numpy's
    speed (a table of 100 000 figures is written in milliseconds, not a fifth of a second).

    `round(x, 9)` rounds the exact decimal value of x; numpy rounds x·1e9 as computed.
    Both give the double nearest to N/1e9 for the same whole N, except where the computed
    product may have crossed a half: those elements (and any of magnitude 5e5 or more) are
    cleaned one by one. NaN and infinities stay as they are.
    """
    values = np.asarray(values, dtype=float)
    with np.errstate(all="ignore"):  # infinities and huge values are cleaned one by one
        scaled = values * 10.0**EXACT_DECIMALS
        # -0.0 + 0.0 is 0.0: no negative zero.
        cleaned = np.rint(scaled) / 10.0**EXACT_DECIMALS + 0.0
        exact = (np.abs(values) < _VECTOR_LIMIT) & (
            np.abs(scaled - np.floor(scaled) - 0.5) > _HALF_MARGIN)
    cleaned = np.where(np.isfinite(values), cleaned, values)
    for index in np.flatnonzero(~exact & np.isfinite(values)):
        cleaned[index] = clean(float(values[index]))
    return cleaned


def round_half_up(value: float, decimals: int = MONEY_DECIMALS) -> float:
    """`value` to `decimals` decimals, halves away from zero, as displayed."""
    if not math.isfinite(value):
        return value
    exact = Decimal(repr(clean(value)))
    shown = float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    return 0.0 if shown == 0 else shown


def money(value: float | None) -> float | None:
    """A money figure as displayed (0.1 MNOK); None stays None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round_half_up(float(value), MONEY_DECIMALS)


def add_shown(values: Iterable[float | None], decimals: int = MONEY_DECIMALS) -> float:
    """The sum of displayed parts (already rounded), without float noise."""
    total = sum(value for value in values if value is not None)
    shown = round(total, decimals)
    return 0.0 if shown == 0 else shown


def largest_remainder(values: Sequence[float], decimals: int = MONEY_DECIMALS) -> list[float]:
    """`values` rounded so that they add up to their own total rounded: each is first cut
    toward minus infinity, then the steps left go to the largest remainders."""
    step = Decimal(1).scaleb(-decimals)
    exact = [Decimal(repr(clean(value))) for value in values]
    target = Decimal(repr(clean(sum(float(value) for value in exact)))).quantize(
        step, rounding=ROUND_HALF_UP)
    floors = [value.quantize(step, rounding="ROUND_FLOOR") for value in exact]
    left = int((target - sum(floors, Decimal(0))) / step)
    order = sorted(range(len(values)), key=lambda index: (-(exact[index] - floors[index]),
                                                          index))
    for index in order[:max(0, left)]:
        floors[index] += step
    return [0.0 if value == 0 else float(value) for value in floors]


def is_binding(spent_shown: float, cap_shown: float) -> bool:
    """A cap is binding (reached) when its displayed spending equals its displayed cap.

    Both are displayed figures (0.1 MNOK); a plan never spends above a cap, so a spending
    shown at or above the cap is at it.
    """
    return spent_shown >= cap_shown
