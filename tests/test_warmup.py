"""Modules a solve needs afterwards are imported while HiGHS solves (planner.solving.warmup)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from planner.solving import warmup

PROJECT = Path(__file__).resolve().parents[1]


def test_a_solve_command_loads_pandas_and_the_views_while_highs_solves(tmp_path):
    """Importing `planner solve` loads no pandas; the solve's first HiGHS run imports the
    plan reader and the views in a thread of their own, and the plan is the same."""
    probe = f"""
import sys, threading
import planner.commands.solve
assert 'pandas' not in sys.modules, 'pandas before the solve'
import planner.solving.warmup as warmup
seen = []
real = warmup._import_all
def spy(modules):
    seen.append((threading.current_thread().name, modules))
    real(modules)
warmup._import_all = spy
from planner.cli import main
try:
    main(['solve', 'instances/norway-2025.yaml', '--quiet', '--out', {str(tmp_path / 'out')!r},
          '--store', {str(tmp_path / 'runs.sqlite')!r}])
except SystemExit as end:
    assert end.code == 0, end.code
print(seen)
"""
    done = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    assert len(seen) == 1  # the first solve; later ones find everything imported
    thread, modules = seen[0]
    assert thread == "import-while-solving"
    assert {"planner.solving.plan_reader", "planner.views.console",
            "planner.commands.report", "planner.commands.runs"} <= set(modules)
    assert "optimal, objective 1112.178 MNOK" in done.stdout  # the plan is the same


def test_wanted_modules_nest_and_skip_what_is_imported():
    assert warmup.wanted() == ()
    with warmup.import_while_solving("json", "planner_no_such_module"):
        with warmup.import_while_solving("planner_no_such_module", "another_missing"):
            # json is imported already; a name given twice is asked for once
            assert warmup.wanted() == ("planner_no_such_module", "another_missing")
        assert warmup.wanted() == ("planner_no_such_module",)
    assert warmup.wanted() == ()


def test_an_import_that_fails_in_the_thread_fails_where_the_module_is_needed():
    with warmup.import_while_solving("planner_no_such_module"):
        thread = warmup.start()
    thread.join(timeout=60)
    assert not thread.is_alive()  # the failure did not escape the thread
    with pytest.raises(ModuleNotFoundError):
        import planner_no_such_module  # noqa: F401
    with warmup.import_while_solving():
        assert warmup.start() is None  # nothing wanted, no thread


def test_the_switch_interval_is_short_while_a_solve_runs_and_restored_after():
    """HiGHS's interrupt callbacks wait for Python's lock: while any solve runs, the
    interval at which a busy thread hands it over is short; after the last, as before."""
    import sys
    import threading

    from planner.solving import solver

    before = sys.getswitchinterval()
    inside = []
    release = threading.Event()

    def hold():
        with solver._quick_handover():
            inside.append(sys.getswitchinterval())
            release.wait(timeout=60)

    first = threading.Thread(target=hold)
    first.start()
    with solver._quick_handover():  # a second solve beside the first
        assert sys.getswitchinterval() == pytest.approx(solver.SOLVING_SWITCH_INTERVAL_SECONDS)
    # the first is still solving: still short (Python keeps it in microseconds)
    assert sys.getswitchinterval() == pytest.approx(solver.SOLVING_SWITCH_INTERVAL_SECONDS)
    release.set()
    first.join(timeout=60)
    assert inside == [pytest.approx(solver.SOLVING_SWITCH_INTERVAL_SECONDS)]
    assert sys.getswitchinterval() == before
