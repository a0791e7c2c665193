"""One model, many numbers: re-solving after changing only mutable parameters.

Budget caps, the EuroHPC share's bounds, the national share's minimum and each
workload's `min_coverage` are mutable parameters of the model (see `planner.models`).
A what-if or sweep point that changes only those is solved by updating the parameters of
a model built once; only the rows that hold them are read again and their changed
bounds and coefficients sent to HiGHS. Any other change (growth, prices, demand,
pools...) rebuilds the model.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

from planner.data.derive import ModelData, derive
from planner.input.schema import Instance
from planner.models import build_model
from planner.results.plan import Plan
from planner.solving.collection import fewer_collections
from planner.solving.plan_reader import plan_from_run
from planner.solving.solver import SolverOptions, new_solver, run_highs

PARAMETRIC_PATHS = (
    re.compile(r"^budget\.total$"),
    re.compile(r"^budget\.(yearly|investment|national_investment|eurohpc_investment|operations)"
               r"(\.\d+)?$"),
    re.compile(r"^policy\.eurohpc_share\.(min|max)$"),
    re.compile(r"^policy\.national_share\.min$"),
    re.compile(r"^workloads\.[^.]+\.min_coverage$"),
)


def is_parametric(paths: Iterable[str]) -> bool:
    """Whether changing these key paths changes only mutable parameters of the model."""
    return all(any(pattern.match(path) for pattern in PARAMETRIC_PATHS) for path in paths)


def _parameter_values(data: ModelData) -> dict[str, dict]:
    caps = {(key, year): cap for key, by_year in data.yearly_caps_mnok.items()
            for year, cap in by_year.items()}
    if data.total_budget_mnok is not None:
        caps["total", 0] = data.total_budget_mnok
    share = data.eurohpc_share
    shares = {} if share is None else {
        side: share[side] for side in ("min", "max") if share[side] is not None}
    return {
        "budget_cap_mnok": caps,
        "eurohpc_share_bound": shares,
        "national_share_min": {None: data.national_share_min or 0.0},
        "min_coverage": dict(data.min_coverage),
    }


def _rows(values: dict[str, dict]) -> dict[str, tuple]:
    # Which parameters exist says which rows the model has; their values may differ.
    return {name: tuple(sorted(map(str, by_key))) for name, by_key in values.items()}


class ParametricModel:
    """A model built once, re-solved for instances that differ only in its parameters."""

    def __init__(self, instance: Instance, options: SolverOptions):
        started = time.perf_counter()
        self.options = options
        self.data = derive(instance)
        with fewer_collections():
            self.model = build_model(self.data)
        # Between solves only mutable parameters change: only the rows that hold them
        # are read again and sent (planner.solving.persistent).
        self.solver = new_solver()
        self.rows = _rows(_parameter_values(self.data))
        self.national_share_present = self.data.national_share_min is not None
        self.build_seconds = time.perf_counter() - started

    def accepts(self, data: ModelData) -> bool:
        """Whether `data` has the same rows as the built model (only numbers differ)."""
        return (_rows(_parameter_values(data)) == self.rows
                and (data.national_share_min is not None) == self.national_share_present)

    def accepts_instance(self, instance: Instance) -> bool:
        return self.accepts(derive(instance))

    def solve(self, instance: Instance, marginal_values: bool = False,
              figures_only: bool = False) -> Plan:
        """Set the parameters from `instance` and re-solve (HiGHS starts afresh). With
        `figures_only` the plan has its summary and coverage table only
        (`planner.solving.plan_reader.plan_from_run`)."""
        started = time.perf_counter()
        data = derive(instance)
        if not self.accepts(data):
            raise ValueError("the instance differs from the built model in more than "
                             "its mutable parameters; build a new model")
        for name, by_key in _parameter_values(data).items():
            parameter = getattr(self.model, name)
            for key, value in by_key.items():
                parameter[key] = value
        update_seconds = time.perf_counter() - started
        with fewer_collections():
            run = run_highs(self.model, self.options, self.solver, parameters_only=True)
            plan = plan_from_run(instance, data, self.model, run, self.options,
                                 update_seconds, marginal_values=marginal_values,
                                 figures_only=figures_only)
        plan.metadata |= {"model_reused": True}
        return plan
