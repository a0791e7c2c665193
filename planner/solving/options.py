"""What a solve is asked (`SolverOptions`) and what it answers (`SolverRun`, one of six
outcomes a planner must tell apart, README.md "Exit statuses"), apart from the solver
itself so that the command line reads them without loading Pyomo or HiGHS."""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.input.errors import ExitStatus

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
    # HiGHS's RINS and RENS: sub-MIPs around the relaxation's solution and the best plan,
    # to find good plans early. Off where the solve starts from a plan that is already
    # good (the confirming re-solves of `planner.analyses.unspent`): there they cost more
    # than the rest of a small model's solve.
    sub_mip_heuristics: bool = True


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
    # HiGHS's own run time within `seconds` (the rest is ours: passing the model, reading
    # the plan back); not part of the record.
    highs_seconds: float = field(default=0.0, repr=False, compare=False)
    # The persistent solver that holds the model in HiGHS (`highs_model`); not recorded.
    persistent: object = field(default=None, repr=False, compare=False)
