"""N-1 redundancy (spec §6.1) on tiny instances whose optimum is worked out by hand.

Money in MNOK; discount rate 0, `end_of_horizon: none`, lifetime 1, one year unless a test
says otherwise. Each docstring says which wrong formulation it catches.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from support.instances import write_yaml
from support.tiny import (
    RESTRICTED_TIERS,
    bought,
    cloud_pool,
    instance,
    national_pool,
    product,
    served,
    solve_optimal,
    unserved,
    workload,
)

from planner.cli import main


def approx(value: float):
    return pytest.approx(value, rel=1e-6, abs=1e-7)


def two_sites(**critical: object) -> dict:
    return instance(
        resources={"cpu": {"unit": "kcores"}},
        pools={"main": national_pool(), "second": national_pool()},
        products={"node-main": product("main", capacity=1, capex=1, resource="cpu"),
                  "node-second": product("second", capacity=1, capex=2, resource="cpu")},
        workloads={
            "forecasting": workload(10, penalty=100, resource="cpu", placement="national",
                                    redundant=True, **critical),
            "research": workload(5, penalty=100, resource="cpu"),
        },
    )


def capacity(plan, pool: str) -> float:
    table = plan.tables["capacity"]
    return float(table[table["pool"] == pool]["capacity"].sum())


def test_losing_either_of_two_pools_leaves_enough_capacity():
    """Forecasting (10 kcores, redundant) and research (5) on two national sites; a node
    of 1 kcore costs 1 at the main site and 2 at the second.

    Without redundancy: 15 nodes at the main site, 15 MNOK.
    With it: losing the main site, the second must hold all forecasting is served (10);
    losing the second, the main site must (10). Research runs beside the reservations on
    the second site's nodes in normal operation: 10·1 + 10·2 = 30 MNOK, redundancy 15.
    Reservations stacked on top of the allocation (a + v ≤ C) would need 25 or more nodes:
    at least 35 MNOK. Cover rows that forgot the lost pool (Σ_p v ≥ Σ_p a) would need only
    10 reserved anywhere: 15 MNOK.
    """
    plan = solve_optimal(two_sites())
    assert plan.objective_mnok == approx(30.0)
    assert plan.summary["objective_without_redundancy_mnok"] == approx(15.0)
    assert plan.summary["redundancy_cost_mnok"] == approx(15.0)
    low, high = plan.summary["redundancy_cost_bounds_mnok"]
    assert low <= 15.0 + 1e-6 <= high + 2e-6 and high - low <= 15.0 * 1e-5
    assert bought(plan, "node-main") == 10 and bought(plan, "node-second") == 10
    assert served(plan, "research", "second") == approx(5.0)
    assert unserved(plan) == approx(0.0)

    table = plan.tables["redundancy"].set_index("pool")
    forecast = served(plan, "forecasting")
    assert forecast == approx(10.0)
    for lost, other in (("main", "second"), ("second", "main")):
        # What stays if `lost` goes: the reservations elsewhere, which that pool holds.
        assert table.loc[lost, "backup_if_lost"] == approx(table.loc[other, "reserved"])
        assert table.loc[other, "reserved"] >= forecast - 1e-6
        assert table.loc[other, "reserved"] <= capacity(plan, other) + 1e-6
        assert bool(table.loc[lost, "covered_if_lost"])


def test_cloud_reservations_count_against_the_cloud_limit():
    """A redundant workload (10 GPUs, penalty 5) may use a national pool (1 per GPU) and a
    cloud pool (price 1, limit 6).

    Losing the national pool, the cloud must hold all it is served, and its reservation
    is at most the limit 6: at most 6 can be served. Losing the cloud, the national pool
    holds the 6. Serving 6 from 6 national GPUs (6) and 4 unserved (20): 26 MNOK. The
    cloud reservation costs nothing (cloud is paid per use).
    Without the limit on reservations, 10 national GPUs would do: 10 MNOK.
    """
    plan = solve_optimal(instance(
        pools={"nat": national_pool(), "cloud": cloud_pool({"gpu": 1}, limit={"gpu": 6})},
        products={"node": product("nat", capacity=1, capex=1)},
        workloads={"w": workload(10, penalty=5, redundant=True)},
    ))
    assert plan.objective_mnok == approx(26.0)
    assert unserved(plan, "w") == approx(4.0)
    reserved = plan.tables["redundancy"].set_index("pool")["reserved"]
    assert reserved["cloud"] <= 6 + 1e-6
    assert plan.summary["redundancy_cost_mnok"] == approx(16.0)


def test_reservations_need_capacity_of_the_workload_tier():
    """Secure work (tier restricted, 4 GPUs, redundant) and open work (4 GPUs) on two
    national pools that hold restricted capacity; a unit of 1 GPU costs 1, 1.5 restricted.

    Without redundancy: 4 restricted units (6) and 4 open units (4): 10 MNOK.
    With it: each pool must reserve 4 restricted GPUs for the secure work, so 4 restricted
    units at each pool: 8·1.5 = 12, and the open work runs beside the reservations on the
    pool the secure work does not use. 12 MNOK.
    Reservation rows that ignored tiers would take 4 restricted + 4 open units: 10 MNOK.
    """
    plan = solve_optimal(instance(
        tiers=RESTRICTED_TIERS,
        pools={"a": national_pool(max_tier="restricted"),
               "b": national_pool(max_tier="restricted")},
        products={"node-a": product("a", capacity=1, capex=1),
                  "node-b": product("b", capacity=1, capex=1)},
        workloads={"secure": workload(4, penalty=100, tier="restricted", redundant=True),
                   "open": workload(4, penalty=100)},
    ))
    assert plan.objective_mnok == approx(12.0)
    assert bought(plan, tier="restricted") == 8
    assert plan.summary["redundancy_cost_mnok"] == approx(2.0)


def test_reservations_bind_plan_years_only():
    """Years 2025-2026 with plan_from 2026: in the history year 2025 the existing 10 kcores
    at the main site serve forecasting without backup (like minimum coverage, N-1 is a rule
    of the plan); in 2026 both sites must hold 10: 10·1 + 10·2 = 30, research again beside.
    2025: research (penalty 50 here) is left unserved, 5·50 = 250 — with N-1 binding in
    2025 instead, forecasting could not be served at all then (no second site), 1 000.
    The redundancy table has 2026 rows only.
    """
    data = two_sites()
    data["workloads"]["research"]["unmet_penalty"] = 50
    data["years"] = {"first": 2025, "last": 2026}
    data["plan_from"] = 2026
    data["existing"] = [{"name": "old", "pool": "main", "capacity": {"cpu": 10},
                         "last_year": 2025}]
    plan = solve_optimal(data)
    assert set(plan.tables["redundancy"]["year"]) == {2026}
    assert served(plan, "forecasting", year=2025) == approx(10.0)
    assert unserved(plan, "research", 2025) == approx(5.0)
    assert plan.objective_mnok == approx(250 + 30)


def test_a_redundant_workload_with_one_pool_is_an_input_error(tmp_path):
    data = two_sites()
    data["pools"]["second"]["location"] = "finland"  # forecasting is placement national
    path = write_yaml(tmp_path / "one-pool.yaml", data)
    for command in ("validate", "solve"):
        result = CliRunner().invoke(main, [command, str(path), "--out", str(tmp_path / "out")]
                                    if command == "solve" else [command, str(path)])
        assert result.exit_code == 2, result.output
        assert "workloads.forecasting.redundant:" in result.output
        assert "only pool 'main'" in result.output
    assert not (tmp_path / "out").exists()


def test_solve_prints_the_backup_and_what_redundancy_costs(tmp_path):
    path = write_yaml(tmp_path / "two-sites.yaml", two_sites())
    result = CliRunner().invoke(main, ["solve", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "N-1 redundancy" in result.output
    assert "Redundancy costs 15.0 MNOK" in result.output
    assert "true cost lies between" not in result.output  # gap 1e-6: the bounds are tight
    assert (tmp_path / "out" / "redundancy.csv").exists()


def test_a_loose_gap_shows_how_precisely_redundancy_cost_is_known():
    """Bounds [max(0, bound with − objective without), objective with − bound without]
    must hold the cost the exact solves give (15, above) at any gap."""
    from planner.input.loading import instance_from_data
    from planner.solving.api import solve

    plan = solve(instance_from_data(two_sites(), "two-sites.yaml"), mip_gap=0.5)
    low, high = plan.summary["redundancy_cost_bounds_mnok"]
    assert 0.0 <= low <= 15.0 + 1e-6 <= high + 1e-6


def test_the_solve_without_redundancy_prints_nothing_of_highs(capfd):
    """The re-solve without the N-1 rows updates the persistent HiGHS model outside Pyomo's
    output capture; a national share with min 0 gives the pool abroad a mutable coefficient
    of 0, for which HiGHS warned on stdout ("|Value| of 0 supplied to Highs::changeCoeff")."""
    from planner.input.loading import instance_from_data
    from planner.solving.api import solve

    data = two_sites()
    data["pools"]["abroad"] = cloud_pool({"cpu": 100}, location="usa")  # dear: never used
    data["policy"] = {"national_share": {"min": 0}}
    plan = solve(instance_from_data(data, "two-sites.yaml"))
    assert plan.summary["redundancy_cost_mnok"] == approx(15.0)
    captured = capfd.readouterr()
    assert "changeCoeff" not in captured.out + captured.err
