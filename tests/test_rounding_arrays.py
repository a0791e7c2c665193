"""`clean_floats` (a float column cleaned as one array) is `clean` of each element, to the bit."""

from __future__ import annotations

import math

import numpy as np

from planner.results.rounding import clean, clean_floats


def _same(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def test_clean_floats_is_clean_of_every_element():
    rng = np.random.default_rng(17)
    noisy = rng.normal(0, 1000, 50_000)
    values = np.concatenate([
        noisy,
        np.round(noisy, 9) + rng.normal(0, 1e-10, noisy.size),  # near the 1e-9 grid
        rng.normal(0, 1e6, 5_000),  # beyond the vector limit: one by one
        np.arange(-4096, 4096) / 1024,  # x·1e9 exactly on a half: ties to even
        np.array([0.0, -0.0, -1e-12, 1e-12, 199.48800000000008, 0.1 + 0.2, 5e5, -5e5,
                  4.999999999e5, 1e300, -1e300, np.nan, np.inf, -np.inf]),
    ])
    cleaned = clean_floats(values)
    expected = [clean(float(value)) for value in values]
    assert all(_same(float(got), want) for got, want in zip(cleaned, expected, strict=True))
    assert clean_floats(np.array([-1e-12]))[0] == 0.0
    assert math.copysign(1.0, clean_floats(np.array([-1e-12]))[0]) == 1.0  # no -0.0
