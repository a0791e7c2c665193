"""Limits and interrupts, with real signals on an instance whose solve takes long.

The generated big instance (tests/support/generator.py) has HiGHS working well over a minute
before it proves optimality at the default gap, so a signal always lands mid-solve.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from support.generator import big_instance, small_instance

from planner import solve
from planner.cli import main
from planner.data.derive import derive
from planner.input.loading import instance_from_data
from planner.models import build_model
from planner.solving.interrupts import Interrupted, cancel_on_signals, check_interrupted
from planner.solving.solver import OPTIMAL, SolverOptions, new_solver, run_highs

# How long HiGHS may take to notice a cancel (its interrupt checks run many times a second).
STOP_SECONDS = 5.0

# Slow: signals and cancelled solves, some in real processes.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")]


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text(yaml.safe_dump(big_instance(0), sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def medium(tmp_path_factory) -> Path:
    """Smaller: HiGHS finds a first plan within a second, and no proof for long after."""
    path = tmp_path_factory.mktemp("medium") / "medium.yaml"
    path.write_text(yaml.safe_dump(big_instance(0, n_years=8, n_pools=6, n_workloads=12),
                                   sort_keys=False), encoding="utf-8")
    return path


def _signal_soon(number: int, delay: float) -> threading.Timer:
    timer = threading.Timer(delay, os.kill, (os.getpid(), number))
    timer.start()
    return timer


def _big_model():
    data = derive(instance_from_data(big_instance(0), "big.yaml"))
    return build_model(data)


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_cancels_the_running_solve(number):
    """In-process: the handler cancels HiGHS, which returns within a second or so, and
    run_highs raises Interrupted; the handlers are restored on leaving."""
    model = _big_model()
    before = signal.getsignal(number)
    started = time.perf_counter()
    timer = _signal_soon(number, 1.0)
    with pytest.raises(Interrupted) as raised, cancel_on_signals():
        run_highs(model, SolverOptions(time_limit_seconds=60))
    timer.join()
    assert time.perf_counter() - started < 1.0 + STOP_SECONDS
    assert raised.value.signal_number == number
    assert raised.value.exit_status == 128 + number
    assert signal.getsignal(number) is before


def test_a_persistent_solver_solves_again_after_a_cancel():
    """HiGHS keeps a cancel in its own state; the next solve must still run (to its
    time limit here), on a fresh HiGHS object."""
    model = _big_model()
    solver = new_solver()
    timer = _signal_soon(signal.SIGINT, 1.0)
    with pytest.raises(Interrupted), cancel_on_signals():
        run_highs(model, SolverOptions(time_limit_seconds=60), solver)
    timer.join()
    started = time.perf_counter()
    run = run_highs(model, SolverOptions(time_limit_seconds=2), solver)
    assert run.termination == "maxTimeLimit" and time.perf_counter() - started >= 1.5


def test_ctrl_c_outside_the_context_cancels_and_raises_keyboard_interrupt():
    model = _big_model()
    started = time.perf_counter()
    timer = _signal_soon(signal.SIGINT, 1.0)
    output = sys.stdout
    with pytest.raises(KeyboardInterrupt):
        run_highs(model, SolverOptions(time_limit_seconds=60))
    timer.join()
    assert time.perf_counter() - started < 1.0 + STOP_SECONDS
    # The solve has ended, not only been asked to: a KeyboardInterrupt inside
    # `Thread.join` left the thread running with Pyomo's output redirection in place,
    # which broke the next test's solve (and aborted the interpreter at exit).
    assert not [thread for thread in threading.enumerate() if thread.name == "highs-solve"]
    assert sys.stdout is output


def test_a_signal_between_solves_stops_at_the_next_check():
    """What a sweep does: check between points; the signal raises nothing by itself."""
    done = []
    with pytest.raises(Interrupted), cancel_on_signals():
        for seed in range(3):
            if seed == 1:
                os.kill(os.getpid(), signal.SIGTERM)
                done.append("after the signal")  # code between checks runs to its end
            check_interrupted()
            solve(instance_from_data(small_instance(seed), "small.yaml"),
                  marginal_values=False)
            done.append(seed)
    assert done == [0, "after the signal"]


def _start_solve(path: Path, out: Path, tmp_path: Path, *extra: str) -> subprocess.Popen:
    environment = os.environ | {"PLANNER_STORE": str(tmp_path / "runs.sqlite")}
    environment.pop("PLANNER_DEBUG", None)
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "planner"), "solve", str(path), "--out", str(out),
         "--quiet", "--write-model", str(tmp_path / "model.mps"), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)


def _store_state(path: Path) -> tuple[int, str] | None:
    if not path.exists():
        return None
    from planner.store import open_store

    with open_store(path, create=False) as store:
        return store.count(), store.integrity()


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM])
def test_planner_solve_stops_cleanly_on_a_real_signal(big, tmp_path, number):
    """A separate process, as a user's Ctrl-C or a scheduler's SIGTERM would reach it:
    exit 128 + the signal's number within seconds, one line on stderr, no traceback, no
    plan files (not even temporary ones), and the run store as it was."""
    store = tmp_path / "runs.sqlite"
    small = tmp_path / "small.yaml"
    small.write_text(yaml.safe_dump(small_instance(1)), encoding="utf-8")
    first = CliRunner(env={"PLANNER_STORE": str(store)}).invoke(
        main, ["solve", str(small), "--out", str(tmp_path / "small-out"), "--quiet"])
    assert first.exit_code == 0, first.output
    before = _store_state(store)

    out = tmp_path / "out"
    process = _start_solve(big, out, tmp_path, "--time-limit", "120")
    deadline = time.monotonic() + 60
    while not (tmp_path / "model.mps").exists():  # written just before HiGHS starts
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1.0)
    sent = time.monotonic()
    process.send_signal(number)
    stdout, stderr = process.communicate(timeout=60)
    assert time.monotonic() - sent < STOP_SECONDS, stderr
    assert process.returncode == 128 + number, stderr
    assert f"interrupted by {signal.Signals(number).name}" in stderr
    assert "nothing written" in stderr and "Traceback" not in stderr + stdout
    assert not out.exists()
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []
    assert _store_state(store) == before


def test_time_limit_returns_the_best_plan_with_its_gap(medium, tmp_path):
    out = tmp_path / "out"
    result = CliRunner(env={"PLANNER_STORE": str(tmp_path / "runs.sqlite")}).invoke(
        main, ["solve", str(medium), "--out", str(out), "--time-limit", "3"])
    assert result.exit_code == 5, result.output
    assert "not proven optimal" in result.output
    metadata = json.loads((out / "plan.json").read_text())["metadata"]
    assert metadata["status"] == "stopped_with_plan"
    assert metadata["proven_optimal"] is False
    assert metadata["termination"] == "maxTimeLimit"
    assert metadata["gap"] > metadata["mip_gap_requested"]
    assert metadata["bound_mnok"] < metadata["objective_mnok"]


def test_the_big_instance_is_big_enough():
    """The tests above rely on HiGHS not finishing the big instance within seconds."""
    run = run_highs(_big_model(), SolverOptions(time_limit_seconds=3))
    assert run.status != OPTIMAL
