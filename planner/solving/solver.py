"""Running HiGHS on a built model through Pyomo's persistent HiGHS interface.

The outcome is one of six a planner must tell apart (README.md, "Exit statuses"); the
solution is loaded into the model only when HiGHS has one.
"""

from __future__ import annotations

import logging
import math
import threading
import time

import pyomo.environ as pyo
from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.results import TerminationCondition

from planner.solving import interrupts
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


def _highs():
    return SolverFactory("highs")


def solver_version() -> str:
    return ".".join(str(part) for part in _highs().version())


def _gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(abs(objective), 1e-10)


def new_solver():
    """A persistent HiGHS solver: it keeps the model between solves and sends only changes."""
    return _highs()


def _quiet_between_solves(solver) -> None:
    # Pyomo turns HiGHS's console log on inside each solve, where it captures the output,
    # and leaves it on. Its `update()` before the next solve runs uncaptured and re-sends
    # every mutable coefficient (the share rules' `min`), and HiGHS warns on stdout for
    # each one that is 0 ("|Value| of 0 supplied to Highs::changeCoeff"): noise for a user.
    highs = getattr(solver, "_solver_model", None)
    if highs is not None:
        highs.setOptionValue("log_to_console", False)


def set_mip_start(solver, model: pyo.ConcreteModel) -> None:
    """Hand the model's current variable values to HiGHS as a starting plan.

    Used where the previous solve's plan is known to be feasible for the next one (the
    second stage of `--priority coverage`), so HiGHS starts from it instead of searching.
    """
    import highspy

    _quiet_between_solves(solver)
    solver.update()
    highs = solver._solver_model  # the persistent interface offers no start of its own
    columns = solver._pyomo_var_to_solver_var_map
    values = [0.0] * highs.getNumCol()
    for variable in model.component_data_objects(pyo.Var, active=True):
        column = columns.get(id(variable))
        if column is not None and variable.value is not None:
            values[column] = float(variable.value)
    start = highspy.HighsSolution()
    start.col_value = values
    start.value_valid = True
    highs.setSolution(start)


def run_highs(model: pyo.ConcreteModel, options: SolverOptions, solver=None,
              keep_start: bool = False) -> SolverRun:
    """Solve `model` with HiGHS; load the plan into it when there is one.

    Pass the same `solver` (from `new_solver()`) to re-solve a model whose mutable
    parameters changed: only the changed bounds are sent to HiGHS. Each solve starts
    afresh unless `keep_start` (after `set_mip_start`).
    """
    solver = solver if solver is not None else _highs()
    interrupts.check_interrupted()
    started = time.perf_counter()
    result, termination = _solve(model, options, solver, presolve=True, keep_start=keep_start)
    if termination == TerminationCondition.infeasibleOrUnbounded:
        interrupts.check_interrupted()
        # HiGHS's presolve may not tell which; without it the simplex does.
        result, termination = _solve(model, options, solver, presolve=False)
    # A signal cancelled the solve (planner.solving.interrupts): what HiGHS returned is not kept.
    interrupts.check_interrupted()
    seconds = time.perf_counter() - started
    has_plan = result.incumbent_objective is not None
    if termination == TerminationCondition.convergenceCriteriaSatisfied:
        status = OPTIMAL
    elif termination in (TerminationCondition.provenInfeasible,
                         TerminationCondition.locallyInfeasible):
        status = INFEASIBLE
    elif termination in (TerminationCondition.unbounded,
                         TerminationCondition.infeasibleOrUnbounded):
        status = UNBOUNDED
    elif termination in (TerminationCondition.maxTimeLimit,
                         TerminationCondition.iterationLimit,
                         TerminationCondition.interrupted,
                         TerminationCondition.objectiveLimit):
        status = STOPPED_WITH_PLAN if has_plan else STOPPED_WITHOUT_PLAN
    else:
        status = ERROR
    if has_plan and status in (OPTIMAL, STOPPED_WITH_PLAN):
        result.solution_loader.load_vars()
    objective = result.incumbent_objective if has_plan else None
    bound = result.objective_bound
    return SolverRun(
        status=status,
        termination=termination.name,
        objective=objective,
        bound=bound,
        gap=_gap(objective, bound) if has_plan else None,
        seconds=seconds,
        solver="highs",
        solver_version=".".join(str(part) for part in result.solver_version),
        has_plan=has_plan,
        solution_loader=result.solution_loader,
        persistent=solver,
    )


def highs_model(solver):
    """The `highspy.Highs` object holding the model a persistent solver last solved, with
    its maps from Pyomo variables (by id) and constraints to HiGHS columns and rows; None
    when there is none."""
    highs = getattr(solver, "_solver_model", None)
    columns = getattr(solver, "_pyomo_var_to_solver_var_map", None)
    rows = getattr(solver, "_pyomo_con_to_solver_con_map", None)
    if highs is None or columns is None or rows is None:
        return None
    return highs, columns, rows


def _forget_previous_solve(solver) -> None:
    # A re-solve must not depend on what was solved before (a warm basis can pick another
    # of several optimal plans), so HiGHS's solution and basis are dropped first.
    highs = getattr(solver, "_solver_model", None)
    if highs is not None:
        highs.clearSolver()


def _solve(model: pyo.ConcreteModel, options: SolverOptions, solver, presolve: bool,
           keep_start: bool = False):
    if not keep_start:
        _forget_previous_solve(solver)
    _quiet_between_solves(solver)
    # Every option is set on every solve: a persistent HiGHS keeps the last value given.
    solver_options = {"random_seed": options.random_seed, "mip_rel_gap": options.mip_gap,
                      "presolve": "choose" if presolve else "off",
                      "time_limit": options.time_limit_seconds or math.inf}
    result = _cancellable(solver, lambda: solver.solve(
        model,
        load_solutions=False,
        raise_exception_on_nonoptimal_result=False,
        threads=options.threads,
        solver_options=solver_options,
    ))
    return result, result.termination_condition


class _QuietAboutInterrupts(logging.Filter):
    # Pyomo does not know HiGHS's "interrupted" status and warns about it; a cancelled
    # solve is ours, and its result is dropped (run_highs raises Interrupted).
    def filter(self, record: logging.LogRecord) -> bool:
        return "kInterrupt" not in record.getMessage()


logging.getLogger("pyomo.contrib.solver.solvers.highs").addFilter(_QuietAboutInterrupts())


def _cancellable(solver, call):
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
