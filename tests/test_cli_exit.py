"""The `planner` entry point (`planner.cli.run`) ends the process without tearing it down:
its output must still arrive whole, its exit status be the command's, and its exit
handlers run."""

from __future__ import annotations

import subprocess
import sys

from conftest import PROJECT

NORWAY = PROJECT / "instances" / "norway-2025.yaml"


def _planner(*arguments: str, prelude: str = "") -> subprocess.CompletedProcess:
    code = f"{prelude}\nfrom planner.cli import run\nrun()"
    return subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True,
                          text=True, cwd=PROJECT, timeout=120)


def test_the_output_arrives_whole_through_a_pipe():
    done = _planner("validate", str(NORWAY))
    assert done.returncode == 0, done.stderr
    assert "norway-2025" in done.stdout and done.stdout.endswith("\n")


def test_bad_input_keeps_its_exit_status_and_message():
    done = _planner("validate", "no-such-file.yaml")
    assert done.returncode == 2
    assert "no-such-file.yaml" in done.stderr and "Traceback" not in done.stderr


def test_exit_handlers_run_before_the_process_ends(tmp_path):
    marker = tmp_path / "ran"
    prelude = (f"import atexit, pathlib\n"
               f"atexit.register(lambda: pathlib.Path({str(marker)!r}).write_text('yes'))")
    done = _planner("--version", prelude=prelude)
    assert done.returncode == 0 and "version" in done.stdout
    assert marker.read_text() == "yes"


def test_a_text_exit_is_printed_and_exits_1():
    prelude = ("import planner.commands.base as base\n"
               "base.main.main = lambda **_: (_ for _ in ()).throw(SystemExit('stopped'))")
    done = _planner(prelude=prelude)
    assert done.returncode == 1 and "stopped" in done.stderr
