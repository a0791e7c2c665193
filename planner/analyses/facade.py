"""`planner.solve`: any instance, one- or two-stage.

The one-stage solve (`planner.solving.api.solve`) sits in the solve stage; the two-stage
solve (`planner.analyses.stochastic.solve_scenarios`) builds on it. This module, above
both, picks one by the instance, so that the solve stage never reaches up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from planner.input.schema import Instance
from planner.solving import api
from planner.solving.solver import DEFAULT_MIP_GAP

if TYPE_CHECKING:
    from planner.results.plan import Plan


def solve(
    instance: Instance,
    *,
    time_limit_seconds: float | None = None,
    mip_gap: float = DEFAULT_MIP_GAP,
    threads: int = 1,
    priority: str | None = None,
    marginal_values: bool = True,
    write_model: str | Path | None = None,
    instance_file: str | Path | None = None,
    extra_rules: Callable | None = None,
) -> Plan:
    """Build the model of `instance`, solve it with HiGHS and return the plan.

    The options are those of `planner.solving.api.solve` (priorities, MIP gap, time
    limit, model file). An instance with `scenarios` is solved as one two-stage problem
    (its extensive form, `planner.analyses.stochastic.solve_scenarios`): the plan's
    objective is the expected cost and its tables have a `scenario` column
    (docs/scenarios.md); marginal values are not computed for it. `priority=None` takes
    the instance's own `priority` (default cost); `extra_rules` is for one-stage
    instances only (`planner.solving.api.solve`).
    """
    priority = priority or instance.priority or "cost"
    if instance.scenarios:
        # Imported here: it loads pandas, which a one-stage solve loads while HiGHS runs.
        from planner.analyses.stochastic import solve_scenarios

        if priority not in api.PRIORITIES:
            raise ValueError(f"priority must be one of {api.PRIORITIES}, got {priority!r}")
        return solve_scenarios(instance, time_limit_seconds=time_limit_seconds,
                               mip_gap=mip_gap, threads=threads, priority=priority,
                               write_model=write_model, instance_file=instance_file)
    return api.solve(instance, time_limit_seconds=time_limit_seconds, mip_gap=mip_gap,
                     threads=threads, priority=priority, marginal_values=marginal_values,
                     write_model=write_model, instance_file=instance_file,
                     extra_rules=extra_rules)
