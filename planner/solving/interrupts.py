"""Stopping cleanly on Ctrl-C (SIGINT) and SIGTERM, also in the middle of a HiGHS solve.

HiGHS's solve call does not return to Python while it runs, so a Python signal handler
would wait for it. `planner.solving.solver.run_highs` therefore runs each solve in a worker thread
and waits for it; every solve in progress is registered here, and a signal cancels them
through HiGHS's own cancel call (highspy's `Highs.cancelSolve()`, which its interrupt
callbacks check several times a second).

Usage, for any command that solves (a sweep, a what-if):

    from planner.solving.interrupts import Interrupted, cancel_on_signals, check_interrupted

    finished = []
    try:
        with cancel_on_signals():
            for point in points:
                check_interrupted()          # a signal between two solves stops here
                plan = solve(instance)       # a signal during a solve cancels HiGHS, and
                finished.append(point)       # solve raises Interrupted once it has returned
    except Interrupted as stop:
        report(finished)                     # what finished; write nothing half-done
        sys.exit(stop.exit_status)           # 130 for SIGINT, 143 for SIGTERM

Inside `cancel_on_signals()` a signal never raises at an arbitrary point: it cancels the
running solves and sets a flag, and `Interrupted` is raised by `run_highs` when the
cancelled solve returns, or by `check_interrupted()`. Code between those points (writing
files, the run store) therefore runs to its end. A second signal of the same kind while a
solve is being cancelled raises `Interrupted` at once, without waiting for HiGHS.
Outside the context manager (the Python API, a notebook), Ctrl-C raises
`KeyboardInterrupt` as usual, after cancelling the solve in progress.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(Exception):
    """A signal asked the planner to stop; nothing half-done was kept."""

    def __init__(self, signal_number: int):
        self.signal_number = signal_number
        self.signal_name = signal.Signals(signal_number).name
        super().__init__(f"interrupted by {self.signal_name}")

    @property
    def exit_status(self) -> int:
        """The shell's convention for a process ended by a signal: 128 + its number."""
        return 128 + self.signal_number


class Terminated(KeyboardInterrupt):
    """SIGTERM outside `cancel_on_signals()`, raised like Ctrl-C's KeyboardInterrupt so that
    the same clean-up runs (a solve in progress is cancelled, nothing half-written)."""

    def __init__(self, signal_number: int = signal.SIGTERM):
        self.signal_number = int(signal_number)
        super().__init__(f"interrupted by {signal.Signals(signal_number).name}")


def _raise_terminated(signal_number: int, _frame) -> None:
    raise Terminated(signal_number)


@contextlib.contextmanager
def terminate_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM raises `Terminated` (a KeyboardInterrupt) instead of
    killing the process outright, where SIGTERM still has its default action."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0  # nesting of cancel_on_signals
        self.received: int | None = None
        self.running: list = []  # Pyomo HiGHS solvers solving now
        self.cancelled: set[int] = set()  # ids of solvers whose solve was cancelled


_state = _State()


def _cancel_all() -> None:
    with _state.lock:
        running = list(_state.running)
    for solver in running:
        cancel_solve(solver)


def cancel_running() -> None:
    """Cancel every solve in progress in this process (a server's newer request does)."""
    _cancel_all()


def cancel_solve(solver) -> None:
    """Ask the HiGHS solve of a solver (`planner.solving.persistent.HighsSolver`) to stop
    at its next interrupt check."""
    if getattr(solver, "highs", None) is not None:
        solver.cancel()
        with _state.lock:
            _state.cancelled.add(id(solver))


def _forget_cancelled_model(solver) -> None:
    # HiGHS 1.16 keeps a cancelled solve's interrupt in its own state: every later solve
    # of that HiGHS object stops at once. So a cancelled object is not reused: the next
    # solve of this solver passes the model to a fresh one.
    with _state.lock:
        cancelled = id(solver) in _state.cancelled
        _state.cancelled.discard(id(solver))
    if cancelled:
        solver.forget()


def _handler(signal_number: int, _frame) -> None:
    with _state.lock:
        repeated = _state.received == signal_number
        _state.received = signal_number
        solving = bool(_state.running)
    _cancel_all()
    if repeated and solving:
        # The user asked twice: do not wait for HiGHS to notice.
        raise Interrupted(signal_number)


@contextlib.contextmanager
def cancel_on_signals(signals: tuple[int, ...] = HANDLED_SIGNALS) -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM cancel the running solve and raise
    `Interrupted` at the next safe point (the end of the solve, or `check_interrupted()`).

    Installs the handlers only in the main thread (Python allows no other); nested uses
    share one set of handlers. On leaving, the previous handlers come back.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with _state.lock:
        outermost = _state.depth == 0
        _state.depth += 1
        if outermost:
            _state.received = None
    previous = {}
    try:
        if outermost:
            for number in signals:
                previous[number] = signal.signal(number, _handler)
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        with _state.lock:
            _state.depth -= 1
            if outermost:  # a signal counts only inside the block it came in
                _state.received = None


def received() -> int | None:
    """The signal received inside the current `cancel_on_signals()`, if any."""
    return _state.received


def check_interrupted() -> None:
    """Raise `Interrupted` if a signal arrived inside the current `cancel_on_signals()`."""
    if _state.received is not None:
        raise Interrupted(_state.received)


@contextlib.contextmanager
def registered(solver) -> Iterator[None]:
    """Mark a Pyomo HiGHS solver as solving, so that a signal cancels its solve."""
    with _state.lock:
        _state.running.append(solver)
    try:
        yield
    finally:
        with _state.lock:
            _state.running.remove(solver)
        _forget_cancelled_model(solver)
