"""Budget sweeps: solve one instance at many values of one or more keys.

Points are independent: each is solved from scratch by HiGHS (no warm start carries
over), so results do not depend on the number of workers or the order of points. A
point that changes only mutable parameters re-uses a model built once per worker process
(`planner.solving.parametric`); any other point is built afresh. Points run on local processes
or on a Dask cluster.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from planner.analyses.facade import solve
from planner.analyses.jobs import run_jobs
from planner.input.errors import InputError, Problem
from planner.input.loading import instance_from_data
from planner.input.overrides import Override, apply_overrides
from planner.input.yaml_text import parse_yaml
from planner.results.plan_diff import expected_plan
from planner.solving.parametric import ParametricModel, is_parametric
from planner.solving.solver import SolverOptions


@dataclass(frozen=True)
class Axis:
    """One varied key and its values, in the order given."""

    path: str
    values: tuple[Any, ...]


def parse_vary(text: str) -> Axis:
    """`key.path=START:STOP:COUNT` (COUNT evenly spaced values, both ends included) or
    `key.path=V1,V2,...`."""
    source = f"--vary {text}"
    path, equals, spec = text.partition("=")
    path, spec = path.strip(), spec.strip()
    if not equals or not path or not spec:
        raise InputError(source, "expected KEY.PATH=START:STOP:COUNT or KEY.PATH=V1,V2,...")
    if ":" in spec:
        parts = spec.split(":")
        if len(parts) != 3:
            raise InputError(source, Problem(path, "expected START:STOP:COUNT"))
        try:
            start, stop, count = float(parts[0]), float(parts[1]), int(parts[2])
        except ValueError:
            raise InputError(source, Problem(path, "expected numbers START:STOP and a whole "
                                                   "COUNT, e.g. 2600:1600:21")) from None
        if count < 1 or not (math.isfinite(start) and math.isfinite(stop)):
            raise InputError(source, Problem(path, "expected a COUNT ≥ 1 and finite ends"))
        if count == 1:
            return Axis(path, (_tidy(start),))
        step = (stop - start) / (count - 1)
        return Axis(path, tuple(_tidy(start + index * step) for index in range(count)))
    values = tuple(parse_yaml(item, source) for item in spec.split(",") if item.strip())
    if not values:
        raise InputError(source, Problem(path, "expected at least one value"))
    return Axis(path, values)


def _tidy(value: float) -> float | int:
    rounded = round(value, 9)
    return int(rounded) if rounded == int(rounded) else rounded


def grid(axes: list[Axis]) -> list[dict[str, Any]]:
    """Every combination of the axes' values, the first axis varying slowest."""
    return [dict(zip([axis.path for axis in axes], combination, strict=True))
            for combination in itertools.product(*(axis.values for axis in axes))]


@dataclass
class PointResult:
    """What a sweep reports for one point."""

    index: int
    values: dict[str, Any]
    status: str
    objective_mnok: float | None = None
    spending_mnok: float | None = None
    national_investment_mnok: float | None = None
    eurohpc_investment_mnok: float | None = None
    operations_mnok: float | None = None
    unserved_penalty_mnok: float | None = None
    unserved: dict[str, float] = field(default_factory=dict)  # workload → total over years
    gap: float | None = None
    seconds: float = 0.0
    model_reused: bool = False
    plan_document: dict | None = None


def _point_overrides(point: dict[str, Any]) -> list[Override]:
    return [Override(path=path, value=value, text=f"{path}={value}")
            for path, value in point.items()]


def point_instance(base_data: dict, point: dict[str, Any], source: str):
    """The validated instance of one point (raises `InputError` naming the point)."""
    changes = " ".join(f"--vary {path}={value}" for path, value in point.items())
    return instance_from_data(apply_overrides(base_data, _point_overrides(point)),
                              f"{source} with {changes}")


# One parametric model per worker process and sweep, built at its first point.
_MODELS: dict[str, ParametricModel] = {}


def _model_key(base_data: dict, paths: Iterable[str], options: SolverOptions) -> str:
    text = json.dumps([base_data, sorted(paths), asdict(options)], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def solve_point(index: int, base_data: dict, point: dict[str, Any], options: SolverOptions,
                priority: str | None, source: str, keep_plan: bool = False) -> PointResult:
    """Solve one point; safe to run in another process."""
    instance = point_instance(base_data, point, source)
    priority = priority or instance.priority or "cost"
    reused = False
    # A two-stage instance is solved whole at every point (its extensive form has no
    # parametric twin), and its point reports expected figures.
    if priority == "cost" and is_parametric(point) and not instance.scenarios:
        key = _model_key(base_data, point, options)
        model = _MODELS.get(key)
        if model is None:
            model = _MODELS[key] = ParametricModel(instance, options)
        # A point keeps its figures (summary, unserved demand); only a plan kept whole
        # needs every table.
        plan = model.solve(instance, figures_only=not keep_plan)
        reused = True
    else:
        plan = solve(instance, time_limit_seconds=options.time_limit_seconds,
                     mip_gap=options.mip_gap, threads=options.threads, priority=priority,
                     marginal_values=False)
    result = PointResult(index=index, values=dict(point), status=plan.status,
                         gap=plan.metadata["gap"], seconds=plan.metadata["solve_seconds"],
                         model_reused=reused)
    if plan.has_plan:
        summary = plan.summary
        result.objective_mnok = summary["objective_mnok"]
        result.spending_mnok = summary["spending_mnok"]
        result.national_investment_mnok = summary["national_investment_mnok"]
        result.eurohpc_investment_mnok = summary["eurohpc_investment_mnok"]
        result.operations_mnok = summary["operations_mnok"]
        result.unserved_penalty_mnok = summary["unserved_penalty_mnok"]
        coverage = expected_plan(plan).coverage
        result.unserved = coverage.groupby("workload", sort=False)["unserved"].sum().to_dict()
    if keep_plan:
        result.plan_document = plan.to_document()
    return result


def run_sweep(base_data: dict, points: list[dict[str, Any]], options: SolverOptions,
              priority: str | None = None, source: str = "instance", workers: int = 1,
              scheduler: str | None = None, keep_plans: bool = False,
              on_result: Callable[[PointResult], None] | None = None) -> list[PointResult]:
    """Solve every point; results come back in the order of `points`.

    `workers` local processes (1: in this process), or the Dask scheduler at `scheduler`.
    `on_result` is called as each point finishes (for progress bars and run stores).
    """
    for point in points:  # every point is checked before any is solved
        point_instance(base_data, point, source)
    jobs = [(index, base_data, point, options, priority, source, keep_plans)
            for index, point in enumerate(points)]
    return run_jobs(solve_point, jobs, on_result, workers=workers, scheduler=scheduler)


def results_table(results: list[PointResult], workloads: list[str]) -> pd.DataFrame:
    """One row per point: the varied values, status, objective, spending, unserved demand."""
    records = []
    for result in results:
        record: dict[str, Any] = {"point": result.index} | result.values
        record |= {
            "status": result.status,
            "objective_mnok": result.objective_mnok,
            "spending_mnok": result.spending_mnok,
            "national_investment_mnok": result.national_investment_mnok,
            "eurohpc_investment_mnok": result.eurohpc_investment_mnok,
            "operations_mnok": result.operations_mnok,
            "unserved_penalty_mnok": result.unserved_penalty_mnok,
        }
        for workload in workloads:
            record[f"unserved_{workload}"] = result.unserved.get(workload)
        record["gap"] = result.gap
        records.append(record)
    return pd.DataFrame.from_records(records)
