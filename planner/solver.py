"""Running HiGHS on a built model through Pyomo's persistent HiGHS interface.

The outcome is one of six a planner must tell apart (README.md, "Exit statuses"); the
solution is loaded into the model only when HiGHS has one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.results import TerminationCondition

from planner.errors import ExitStatus

OPTIMAL = "optimal"
STOPPED_WITH_PLAN = "stopped_with_plan"
STOPPED_WITHOUT_PLAN = "stopped_without_plan"
INFEASIBLE = "infeasible"
UNBOUNDED = "unbounded"
ERROR = "error"

EXIT_STATUS = {
    OPTIMAL: ExitStatus.OPTIMAL,
    STOPPED_WITH_PLAN: ExitStatus.STOPPED_WITH_PLAN,
    STOPPED_WITHOUT_PLAN: ExitStatus.STOPPED_WITHOUT_PLAN,
    INFEASIBLE: ExitStatus.INFEASIBLE,
    UNBOUNDED: ExitStatus.UNBOUNDED,
    ERROR: ExitStatus.ERROR,
}

DEFAULT_MIP_GAP = 1e-6


@dataclass(frozen=True)
class SolverOptions:
    """What a user may set about the solve. One thread and a fixed seed keep plans
    reproducible; sweeps get their speed from several processes instead."""

    time_limit_seconds: float | None = None
    mip_gap: float = DEFAULT_MIP_GAP
    threads: int = 1
    random_seed: int = 0


@dataclass(frozen=True)
class SolverRun:
    status: str
    termination: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    solver: str
    solver_version: str
    has_plan: bool


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


def run_highs(model: pyo.ConcreteModel, options: SolverOptions) -> SolverRun:
    """Solve `model` with HiGHS; load the plan into it when there is one."""
    started = time.perf_counter()
    result, termination = _solve(model, options, presolve=True)
    if termination == TerminationCondition.infeasibleOrUnbounded:
        # HiGHS's presolve may not tell which; without it the simplex does.
        result, termination = _solve(model, options, presolve=False)
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
    )


def _solve(model: pyo.ConcreteModel, options: SolverOptions, presolve: bool):
    solver = _highs()
    solver_options = {"random_seed": options.random_seed, "mip_rel_gap": options.mip_gap}
    if not presolve:
        solver_options["presolve"] = "off"
    result = solver.solve(
        model,
        load_solutions=False,
        raise_exception_on_nonoptimal_result=False,
        time_limit=options.time_limit_seconds,
        threads=options.threads,
        solver_options=solver_options,
    )
    return result, result.termination_condition
