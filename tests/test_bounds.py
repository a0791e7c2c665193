"""The unit bounds behind batches and pools in use never cut off an optimal plan."""

from __future__ import annotations

import pytest

from planner import solve
from planner.data.derive import derive
from planner.input.loading import instance_from_data
from planner.models.solution import Solution
from planner.results.diagnostics import bound_warnings

BASE = {
    "format": 1, "name": "bound", "years": {"first": 2025, "last": 2025},
    "end_of_horizon": "none",
    "resources": {"gpu": {"unit": "GPUs"}},
    "tiers": [{"name": "open"}, {"name": "restricted", "surcharge": 0}],
    "locations": {"norway": {"national": True}},
    "pools": {"sigma2": {"kind": "national", "location": "norway", "max_tier": "restricted"}},
    "products": {"node": {"pool": "sigma2", "capacity": {"gpu": 1}, "capex": 10,
                          "lifetime": 1, "batch": {"min_units": 0}}},
    "workloads": {"research": {"resource": "gpu", "demand": {2025: 10}, "unmet_penalty": 100}},
    "budget": {"total": 50},
    "committed": [{"product": "node", "year": 2025, "tier": "open", "units": 8, "capex": 1}],
}


def test_cheap_commitments_leave_room_for_more_units_than_the_cap_buys_at_forecast_price():
    """8 nodes committed at 1 MNOK each (8 MNOK) serve 8 of the 10 GPUs. The open-tier cell
    is fixed at 8, so the other 2 come from the restricted cell at 10 MNOK each (surcharge
    0): spending 8 + 20 = 28 ≤ 50, nothing unserved, objective 28.

    A bound of total/forecast price = 50/10 = 5 units (or max(5, 8) = 8) on the batch would
    forbid the 9th and 10th node and give 8 + 2·100 = 208 instead."""
    plan = solve(instance_from_data(BASE, "bound.yaml"))
    assert plan.status == "optimal"
    assert plan.objective_mnok == pytest.approx(28)
    assert plan.coverage["unserved"].sum() == pytest.approx(0)
    assert plan.metadata["warnings"] == []


def test_a_plan_that_reaches_an_assumed_unit_bound_says_so():
    """Without the total cap the bound of 'node' is assumed (10 × the 10 GPUs of peak
    demand + 8 committed = 108 units); a plan reaching it is flagged. With the cap, the
    bound is implied by it and reaching it is no cause for a warning."""
    capped = derive(instance_from_data(BASE, "bound.yaml"))
    assert ("node", 2025) not in capped.assumed_unit_bounds
    uncapped = dict(BASE, budget={})
    data = derive(instance_from_data(uncapped, "bound.yaml"))
    assert ("node", 2025) in data.assumed_unit_bounds
    bound = data.unit_bound["node", 2025]
    assert bound == 108
    reached = Solution(
        units_bought={("node", 2025, 0): 8.0, ("node", 2025, 1): bound - 8.0},
        batch_bought={("node", 2025): 1.0}, served={}, unserved={}, pool_used={},
        national_capex_mnok={}, eurohpc_capex_mnok={}, opex_mnok={},
        unserved_penalty_mnok={}, salvage_mnok=0.0, objective_mnok=0.0)
    (warning,) = bound_warnings(data, reached)
    assert "'node' in 2025" in warning and "max_units" in warning


def test_a_divisible_product_may_spend_the_whole_cap():
    """A divisible product (integer: false) with a batch, 3 MNOK per GPU, a 10 MNOK total
    and 10 GPUs wanted at 100 MNOK each unserved: buy 10/3 units, serve 3.333 GPUs,
    objective 10 + (10 − 10/3)·100 = 676.67. A unit bound rounded down to 3 would give
    9 + 7·100 = 709."""
    data = {
        "format": 1, "name": "divisible", "years": {"first": 2025, "last": 2025},
        "end_of_horizon": "none",
        "resources": {"gpu": {"unit": "GPUs"}},
        "locations": {"norway": {"national": True}},
        "pools": {"sigma2": {"kind": "national", "location": "norway"}},
        "products": {"share": {"pool": "sigma2", "capacity": {"gpu": 1}, "capex": 3,
                               "lifetime": 1, "integer": False, "batch": {"min_units": 0}}},
        "workloads": {"ai": {"resource": "gpu", "demand": {2025: 10}, "unmet_penalty": 100}},
        "budget": {"total": 10},
    }
    plan = solve(instance_from_data(data, "divisible.yaml"))
    assert plan.objective_mnok == pytest.approx(10 + (10 - 10 / 3) * 100)
