"""Sweeps: hand-worked points, re-use of one model, independence from workers and order."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from support.instances import write_yaml

from planner.analyses.sweep import grid, parse_vary, results_table, run_sweep
from planner.commands.base import main
from planner.input.errors import InputError
from planner.solving.solver import SolverOptions

ONE_YEAR = {
    "format": 1, "name": "one-year", "years": {"first": 2025, "last": 2025},
    "end_of_horizon": "none",
    "resources": {"gpu": {"unit": "GPUs"}},
    "locations": {"norway": {"national": True}},
    "pools": {"sigma2": {"kind": "national", "location": "norway"}},
    "products": {"node": {"pool": "sigma2", "capacity": {"gpu": 1}, "capex": 1, "lifetime": 1}},
    "workloads": {"ai": {"resource": "gpu", "demand": {2025: 10}, "unmet_penalty": 3,
                         "min_coverage": 0.5}},
    "budget": {"total": 12},
}


def test_vary_ranges_and_lists():
    axis = parse_vary("budget.total=2600:1600:21")
    assert axis.values[0] == 2600 and axis.values[-1] == 1600 and len(axis.values) == 21
    assert axis.values[1] == 2550
    assert parse_vary("policy.eurohpc_share.min=0.1,0.15").values == (0.1, 0.15)
    assert len(grid([parse_vary("a=1,2"), parse_vary("b=3:5:3")])) == 6
    for bad in ("budget.total", "budget.total=1:2", "budget.total=a:b:3", "budget.total=1:2:0"):
        with pytest.raises(InputError):
            parse_vary(bad)


def test_budget_sweep_points_are_worked_out_by_hand():
    """One node (1 MNOK) serves one GPU; unserved GPUs cost 3 MNOK; at least 5 of the 10
    must be served. With total budget B the plan buys min(B, 10) nodes:
    B = 12: 10 nodes, objective 10. B = 8: 8 nodes + 2·3 = 14. B = 5: 5 + 5·3 = 20.
    B = 4: only 4 nodes, below min_coverage → infeasible, and the sweep goes on."""
    points = grid([parse_vary("budget.total=12,8,5,4")])
    results = run_sweep(ONE_YEAR, points, SolverOptions())
    table = results_table(results, ["ai"])
    assert table["status"].tolist() == ["optimal", "optimal", "optimal", "infeasible"]
    assert table["objective_mnok"].tolist()[:3] == pytest.approx([10, 14, 20])
    assert table["unserved_ai"].tolist()[:3] == pytest.approx([0, 2, 5])
    assert pd.isna(table["objective_mnok"].iloc[3])
    assert all(result.model_reused for result in results)


def test_reused_model_agrees_with_rebuilding_every_point(valid_instance):
    """Independent route: --priority coverage is not parametric, so it rebuilds; here the
    re-used model's points are checked against fresh `solve` calls instead."""
    from planner import solve
    from planner.input.loading import instance_from_data
    from planner.input.overrides import Override, apply_overrides

    points = grid([parse_vary("budget.total=100:20:5"),
                   parse_vary("policy.national_share.min=0.5,0.9")])
    results = run_sweep(valid_instance, points, SolverOptions())
    for point, result in zip(points, results, strict=True):
        changed = apply_overrides(valid_instance, [Override(p, v, f"{p}={v}")
                                                   for p, v in point.items()])
        fresh = solve(instance_from_data(changed, "fresh"), marginal_values=False)
        assert result.status == fresh.status
        if fresh.has_plan:
            assert result.objective_mnok == pytest.approx(fresh.objective_mnok, rel=1e-6)


@pytest.mark.slow
def test_results_do_not_depend_on_workers_or_order(valid_instance):
    points = grid([parse_vary("budget.total=100:20:6")])
    serial = results_table(run_sweep(valid_instance, points, SolverOptions()), ["research-gpu"])
    parallel = results_table(run_sweep(valid_instance, points, SolverOptions(), workers=2),
                             ["research-gpu"])
    backwards = run_sweep(valid_instance, points[::-1], SolverOptions(), workers=2)
    backwards_table = results_table(backwards, ["research-gpu"]).iloc[::-1].reset_index(drop=True)
    columns = ["status", "objective_mnok", "spending_mnok", "unserved_research-gpu"]
    pd.testing.assert_frame_equal(serial[columns], parallel[columns])
    pd.testing.assert_frame_equal(serial[columns], backwards_table[columns])


@pytest.mark.slow
def test_sweep_on_a_dask_local_cluster_gives_the_same_points():
    distributed = pytest.importorskip("dask.distributed")
    points = grid([parse_vary("budget.total=12,8,4")])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        results = run_sweep(ONE_YEAR, points, SolverOptions(), scheduler=cluster.scheduler_address)
    assert [r.status for r in results] == ["optimal", "optimal", "infeasible"]
    assert [r.objective_mnok for r in results[:2]] == pytest.approx([10, 14])


@pytest.mark.slow
def test_sweep_command_writes_table_and_chart(tmp_path):
    path = write_yaml(tmp_path / "one.yaml", ONE_YEAR)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["sweep", str(path), "--vary", "budget.total=12:4:3",
                                       "--workers", "1", "--out", str(out), "--report", "html"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "sweep.csv")
    assert table["budget.total"].tolist() == [12, 8, 4]
    assert table["status"].tolist() == ["optimal", "optimal", "infeasible"]
    assert (out / "sweep.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "1 point(s) without a plan" in result.output
    page = (out / "sweep.html").read_text()
    assert "<svg" in page and "budget.total" in page
    from planner.store import open_store, store_path
    with open_store(store_path()) as store:
        runs = store.runs(kind="sweep")
        assert sorted(run.status for run in runs) == ["infeasible", "optimal", "optimal"]
        assert sorted(json.loads(run.overrides) if isinstance(run.overrides, str)
                      else run.overrides for run in runs) == [
            ["budget.total=12"], ["budget.total=4"], ["budget.total=8"]]


def test_a_bad_sweep_value_is_bad_input_before_anything_is_solved(tmp_path):
    path = write_yaml(tmp_path / "one.yaml", ONE_YEAR)
    result = CliRunner().invoke(main, ["sweep", str(path), "--vary", "budget.total=12,-1",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "budget.total" in result.output and "≥ 0" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
@pytest.mark.slow
def test_a_signal_stops_a_parallel_sweep_cleanly(tmp_path, signal_name):
    """A real signal during a sweep of the Norway instance (seconds per point): the sweep
    stops, says which points finished, exits 128 + the signal's number, writes nothing and
    records nothing (README: an interrupted sweep keeps nothing)."""
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    norway = Path(__file__).resolve().parent.parent / "instances" / "norway-2025.yaml"
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-c", "from planner.cli import main; main()", "sweep", str(norway),
         "--vary", "budget.total=2600:1600:80", "--workers", "2", "--out", str(out),
         "--store", str(tmp_path / "runs.sqlite")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # Signal once the sweep has started (its first line), not while Python still imports;
    # 80 points keep it busy for several seconds even on an idle machine.
    first_line = process.stdout.readline()
    assert "Sweeping 80 points" in first_line, first_line
    time.sleep(1)
    number = getattr(signal, signal_name)
    process.send_signal(number)
    output, _ = process.communicate(timeout=120)
    output = first_line + output
    assert process.returncode == 128 + number, output
    # The signal lands while points solve ("Interrupted. ... nothing written and nothing
    # recorded") or, on a fast machine, after the last one ("interrupted by SIGINT; nothing
    # written"): either way the sweep keeps nothing.
    assert "interrupted" in output.lower() and "nothing written" in output
    assert not out.exists()
    assert not (tmp_path / "runs.sqlite").exists()


def test_a_reused_model_solves_each_point_as_a_fresh_build_does():
    """The reused model skips Pyomo's scan for changes other than parameters (planner.
    parametric): every point, changing the national share's minimum and a workload's
    min_coverage in turn, solved on it equals the same point built afresh (an independent
    route: a new model per point). National-share example: national nodes cost 1 per kcore,
    abroad 0.5 per kcore; a higher minimum sends more of the 10 kcores home."""
    from pathlib import Path

    from planner import solve
    from planner.input.loading import instance_from_data, read_instance_data
    from planner.solving.parametric import ParametricModel

    path = Path(__file__).parent.parent / "instances" / "examples" / "national-share.yaml"
    data = read_instance_data(path)
    reused = ParametricModel(instance_from_data(data, "base"), SolverOptions())
    for share, coverage in ((0.6, 0.0), (0.9, 0.0), (0.2, 0.5), (0.6, 1.0)):
        point = json.loads(json.dumps(data))
        point["policy"]["national_share"]["min"] = share
        point["workloads"]["research"]["min_coverage"] = coverage
        instance = instance_from_data(point, "point")
        assert reused.solve(instance).objective_mnok == pytest.approx(
            solve(instance).objective_mnok, abs=1e-6)
