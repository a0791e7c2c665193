"""SIGTERM to the whole process group (as a batch scheduler sends it) while local worker
processes solve: the command ends with 143, no worker is left, nothing is written and
nothing recorded (README: "Exit statuses" and what an interrupted sweep keeps)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def _children(pid: int) -> set[int]:
    """Every live descendant of `pid` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start(tmp_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from planner.cli import main; main()", *args,
         "--store", str(tmp_path / "runs.sqlite")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
        start_new_session=True)  # its own process group, as a scheduler's job has


def _terminate_group_once_workers_run(process: subprocess.Popen, workers: int,
                                      settle_seconds: float) -> tuple[str, set[int], float]:
    try:
        first_line = process.stdout.readline()
        deadline = time.monotonic() + 300
        while len(_children(process.pid)) < workers:
            assert process.poll() is None and time.monotonic() < deadline, first_line
            time.sleep(0.05)
        time.sleep(settle_seconds)  # the workers are solving
        workers_seen = _children(process.pid)
        signalled = time.monotonic()
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=120)
        return first_line + output, workers_seen, time.monotonic() - signalled
    finally:  # a failed test leaves no process behind either
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _assert_no_worker_left(workers: set[int]) -> None:
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)]


@pytest.mark.slow
def test_sigterm_to_the_group_ends_a_parallel_sweep_with_143(tmp_path):
    out = tmp_path / "out"
    process = _start(tmp_path, "sweep", str(PROJECT / "instances" / "norway-2025.yaml"),
                     "--vary", "budget.total=2600:1600:12", "--workers", "2",
                     "--out", str(out))
    output, workers, seconds = _terminate_group_once_workers_run(process, 2, 1.0)
    print(f"sweep ended {seconds:.2f} s after SIGTERM to its process group")
    assert process.returncode == 143, output
    assert "internal error" not in output and "Traceback" not in output, output
    assert "nothing written and nothing recorded" in output
    _assert_no_worker_left(workers)
    assert not out.exists()
    assert not (tmp_path / "runs.sqlite").exists()  # README: an interrupted sweep keeps nothing


@pytest.mark.slow
def test_sigterm_to_the_group_ends_a_stochastic_run_with_143(tmp_path):
    out = tmp_path / "out"
    process = _start(tmp_path, "stochastic",
                     str(PROJECT / "instances" / "norway-2025-scenarios.yaml"),
                     "--workers", "2", "--quiet", "--mip-gap", "1e-2", "--out", str(out))
    output, workers, seconds = _terminate_group_once_workers_run(process, 1, 0.2)
    print(f"stochastic ended {seconds:.2f} s after SIGTERM to its process group")
    assert process.returncode == 143, output
    assert "internal error" not in output and "Traceback" not in output, output
    _assert_no_worker_left(workers)
    assert not out.exists()
    assert not (tmp_path / "runs.sqlite").exists()
