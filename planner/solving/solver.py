"""Running HiGHS on a built model (`planner.solving.persistent` holds it in HiGHS).

The outcome is one of six a planner must tell apart (README.md, "Exit statuses"); the
solution is loaded into the model only when HiGHS has one.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator

import pyomo.core as pyo

from planner.solving import interrupts, warmup
from planner.solving.options import (  # noqa: F401  (EXIT_STATUS, DEFAULT_MIP_GAP: here too)
    DEFAULT_MIP_GAP,
    ERROR,
    EXIT_STATUS,
    INFEASIBLE,
    OPTIMAL,
    STOPPED_WITH_PLAN,
    STOPPED_WITHOUT_PLAN,
    UNBOUNDED,
    SolverOptions,
    SolverRun,
)
from planner.solving.persistent import HighsSolver, highs_version

_STATUS_OF_TERMINATION = {
    "convergenceCriteriaSatisfied": OPTIMAL,
    "provenInfeasible": INFEASIBLE,
    "unbounded": UNBOUNDED,
    "infeasibleOrUnbounded": UNBOUNDED,
}
_STOPPED = ("maxTimeLimit", "iterationLimit", "interrupted", "objectiveLimit")


def solver_version() -> str:
    return highs_version()


def _gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(abs(objective), 1e-10)


def new_solver() -> HighsSolver:
    """A persistent HiGHS solver: it keeps the model between solves and sends only changes."""
    return HighsSolver()


def set_mip_start(solver: HighsSolver, model: pyo.ConcreteModel) -> None:
    """Hand the model's current variable values to HiGHS as a starting plan.

    Used where the previous solve's plan is known to be feasible for the next one (the
    second stage of `--priority coverage`), so HiGHS starts from it instead of searching.
    """
    solver.set_start(model)


def run_highs(model: pyo.ConcreteModel, options: SolverOptions,
              solver: HighsSolver | None = None, keep_start: bool = False,
              parameters_only: bool = False) -> SolverRun:
    """Solve `model` with HiGHS; load the plan into it when there is one.

    Pass the same `solver` (from `new_solver()`) to re-solve a model that changed: only
    the changes are sent to HiGHS (`parameters_only`: only mutable parameters changed).
    Each solve starts afresh unless `keep_start` (after `set_mip_start`).
    """
    solver = solver if solver is not None else new_solver()
    interrupts.check_interrupted()
    started = time.perf_counter()
    solver.refresh(model, parameters_only=parameters_only)
    outcome = _solve(options, solver, presolve=True, keep_start=keep_start)
    if outcome.termination == "infeasibleOrUnbounded":
        interrupts.check_interrupted()
        # HiGHS's presolve may not tell which; without it the simplex does.
        outcome = _solve(options, solver, presolve=False)
    # A signal cancelled the solve (planner.solving.interrupts): what HiGHS returned is not kept.
    interrupts.check_interrupted()
    seconds = time.perf_counter() - started
    termination = outcome.termination
    has_plan = outcome.has_plan
    if termination in _STATUS_OF_TERMINATION:
        status = _STATUS_OF_TERMINATION[termination]
    elif termination in _STOPPED:
        status = STOPPED_WITH_PLAN if has_plan else STOPPED_WITHOUT_PLAN
    else:
        status = ERROR
    if has_plan and status in (OPTIMAL, STOPPED_WITH_PLAN):
        solver.load_values()
    objective = outcome.objective if has_plan else None
    return SolverRun(
        status=status,
        termination=termination,
        objective=objective,
        bound=outcome.bound,
        gap=_gap(objective, outcome.bound) if has_plan else None,
        seconds=seconds,
        solver="highs",
        solver_version=highs_version(),
        has_plan=has_plan,
        highs_seconds=outcome.highs_seconds,
        persistent=solver,
    )


def highs_model(solver: HighsSolver | None):
    """The `highspy.Highs` object holding the model a persistent solver last solved, with
    its maps from Pyomo variables (by id) and constraints to HiGHS columns and rows; None
    when there is none."""
    if solver is None or getattr(solver, "highs", None) is None:
        return None
    return solver.highs, solver.column_of, solver.row_of


def _solve(options: SolverOptions, solver: HighsSolver, presolve: bool,
           keep_start: bool = False):
    # Every option is set on every solve: a HiGHS object keeps the last value given.
    return _cancellable(solver, lambda: solver.run(
        threads=options.threads, random_seed=options.random_seed, mip_gap=options.mip_gap,
        presolve=presolve, time_limit_seconds=options.time_limit_seconds,
        keep_start=keep_start, sub_mip_heuristics=options.sub_mip_heuristics))


# Python's switch interval while HiGHS solves. Once a cancel has turned on HiGHS's
# interrupt callbacks (`HighsSolver.cancel`), HiGHS asks Python whether to stop many times
# a second, each time waiting for Python's lock; another thread running Python (the
# imports of planner.solving.warmup, a solve side by side reading its plan) holds it for
# up to the interval, 5 ms by default. With the callbacks on throughout, Norway's first
# solve took 1.0 s instead of 0.23 beside a busy thread, 0.29 s with this.
SOLVING_SWITCH_INTERVAL_SECONDS = 1e-4
_switching = {"solves": 0, "interval": None}
_switching_lock = threading.Lock()


@contextlib.contextmanager
def _quick_handover() -> Iterator[None]:
    """The short switch interval while at least one solve runs, then the one before."""
    with _switching_lock:
        if _switching["solves"] == 0:
            _switching["interval"] = sys.getswitchinterval()
            sys.setswitchinterval(SOLVING_SWITCH_INTERVAL_SECONDS)
        _switching["solves"] += 1
    try:
        yield
    finally:
        with _switching_lock:
            _switching["solves"] -= 1
            if _switching["solves"] == 0:
                sys.setswitchinterval(_switching["interval"])


def _cancellable(solver, call):
    """`_cancellable_call`, with the short switch interval while HiGHS solves."""
    with _quick_handover():
        return _cancellable_call(solver, call)


def _cancellable_call(solver, call):
    """Run `call` (a HiGHS solve) so that a signal can cancel it.

    HiGHS does not return to Python while it solves, so a signal handler in the same
    thread would wait for the whole solve. From the main thread the solve runs in a
    worker thread while this thread waits; a signal then cancels HiGHS through
    `planner.solving.interrupts`. Outside `cancel_on_signals()`, Ctrl-C cancels the solve and
    raises KeyboardInterrupt once HiGHS has stopped.
    """
    if threading.current_thread() is not threading.main_thread():
        with interrupts.registered(solver):  # the main thread's handler cancels it
            return call()
    outcome: dict = {}
    # The worker says it is done through an Event, not `Thread.join`: a KeyboardInterrupt
    # that lands inside `join` (CPython 3.11) leaves the thread marked as stopped while it
    # still runs, so a second `join` returned at once and the solve outlived the call.
    finished = threading.Event()

    def work() -> None:
        try:
            outcome["result"] = call()
        except BaseException as error:  # handed to the waiting thread
            outcome["error"] = error
        finally:
            finished.set()

    worker = threading.Thread(target=work, name="highs-solve", daemon=True)
    with interrupts.registered(solver):
        worker.start()
        # HiGHS leaves Python's lock free while it solves: what the plan's tables and
        # views will import loads beside it (planner.solving.warmup).
        warmup.start()
        try:
            while not finished.wait(0.05):
                if interrupts.received() is not None:
                    # Also reaches a HiGHS object Pyomo created after the signal came.
                    interrupts.cancel_solve(solver)
        except BaseException:
            # KeyboardInterrupt, or Interrupted from a repeated signal: the solve is
            # cancelled and waited for before going on, since Pyomo redirects the
            # process's output while HiGHS runs and restores it only when the solve ends.
            # A cancel can land before HiGHS has started (Pyomo still building its model),
            # so it is repeated until the solve ends.
            for _ in range(600):
                interrupts.cancel_solve(solver)
                if finished.wait(0.05):
                    break
            raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
