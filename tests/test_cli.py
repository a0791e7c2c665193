"""The command line end to end, in-process through click's runner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from support.instances import write_yaml

from planner.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_validate_accepts_a_valid_instance(tmp_path, valid_instance):
    path = write_yaml(tmp_path / "ok.yaml", valid_instance)
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    assert "valid instance" in result.output


def test_solve_prints_the_plan_and_writes_every_file(tmp_path, valid_instance):
    path = write_yaml(tmp_path / "ok.yaml", valid_instance)
    out = tmp_path / "out"
    result = run("solve", str(path), "--out", str(out))
    assert result.exit_code == 0, result.output
    for heading in ("Financing plan", "National investment", "Operations",
                    "Investment through EuroHPC", "Purchases", "Capacity in service",
                    "Demand served", "Policy shares", "optimal"):
        assert heading in result.output
    names = sorted(path.name for path in out.iterdir())
    assert names == sorted(["plan.json", "financing.csv", "purchases.csv", "capacity.csv",
                            "coverage.csv", "allocation.csv", "shares.csv", "budget.csv"])
    document = json.loads((out / "plan.json").read_text())
    assert document["metadata"]["status"] == "optimal"
    assert document["metadata"]["instance_file"] == str(path)
    assert len(document["metadata"]["instance_sha256"]) == 64
    assert document["instance"]["name"] == "small"


def test_solve_writes_the_model_for_other_solvers(tmp_path, valid_instance):
    path = write_yaml(tmp_path / "ok.yaml", valid_instance)
    for name in ("model.mps", "model.lp"):
        result = run("solve", str(path), "--out", str(tmp_path / "out"), "--quiet",
                     "--write-model", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert "demand_balance" in (tmp_path / name).read_text()


def test_a_model_file_of_another_kind_is_bad_input(tmp_path, valid_instance):
    path = write_yaml(tmp_path / "ok.yaml", valid_instance)
    result = run("solve", str(path), "--out", str(tmp_path / "out"),
                 "--write-model", str(tmp_path / "model.txt"))
    assert result.exit_code == 2
    assert "--write-model" in result.output
    assert not (tmp_path / "out").exists()


def test_infeasible_instance_exits_3_and_writes_nothing(tmp_path, valid_instance):
    """min_coverage 1 of 8 GPUs in 2025 needs at least a node (1.5 + 1 batch MNOK) but the
    2025 yearly cap of 1 MNOK is spent on baseline operations alone."""
    valid_instance["workloads"]["research-gpu"]["min_coverage"] = 1.0
    valid_instance["workloads"]["research-gpu"]["placement"] = "national"
    valid_instance["budget"]["yearly"] = {2025: 1}
    path = write_yaml(tmp_path / "bad.yaml", valid_instance)
    result = run("solve", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 3, result.output
    assert "infeasible" in result.output
    assert "budget caps" in result.output and "minimum coverage" in result.output
    assert not (tmp_path / "out").exists()


def test_time_limit_option_is_passed_and_reported(tmp_path, valid_instance):
    path = write_yaml(tmp_path / "ok.yaml", valid_instance)
    result = run("solve", str(path), "--out", str(tmp_path / "out"), "--time-limit", "30",
                 "--mip-gap", "0.01", "--quiet")
    assert result.exit_code == 0, result.output
    metadata = json.loads((tmp_path / "out" / "plan.json").read_text())["metadata"]
    assert metadata["time_limit_seconds"] == 30
    assert metadata["mip_gap_requested"] == 0.01


def test_bad_option_values_are_usage_errors(tmp_path, valid_instance):
    path = write_yaml(tmp_path / "ok.yaml", valid_instance)
    for option, value in (("--mip-gap", "2"), ("--time-limit", "-1"), ("--threads", "0")):
        result = run("solve", str(path), "--out", str(tmp_path / "out"), option, value)
        assert result.exit_code == 2, (option, result.output)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("status", "exit_status", "writes"),
    [("stopped_with_plan", 5, True), ("stopped_without_plan", 6, False),
     ("unbounded", 4, False), ("error", 1, False)],
)
def test_each_solver_outcome_has_its_exit_status(tmp_path, valid_instance, monkeypatch, status,
                                                 exit_status, writes):
    """The solver's outcome is replaced after a real solve, as a time limit would leave it."""
    import dataclasses

    import planner.solving.api
    real_run = planner.solving.api.run_highs

    def stopped(model, options, *args, **kwargs):
        run = real_run(model, options, *args, **kwargs)
        has_plan = status == "stopped_with_plan"
        return dataclasses.replace(run, status=status, has_plan=has_plan,
                                   gap=0.05 if has_plan else None,
                                   objective=run.objective if has_plan else None)

    monkeypatch.setattr(planner.solving.api, "run_highs", stopped)
    path = write_yaml(tmp_path / "ok.yaml", valid_instance)
    out = tmp_path / "out"
    result = run("solve", str(path), "--out", str(out))
    assert result.exit_code == exit_status, result.output
    assert (out / "plan.json").exists() == writes
    if writes:
        metadata = json.loads((out / "plan.json").read_text())["metadata"]
        assert metadata["proven_optimal"] is False and metadata["gap"] == 0.05
        assert "not proven optimal" in result.output
