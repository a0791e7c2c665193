"""Re-solving one model vs rebuilding it, and our build vs HiGHS's own solve time.

    python benchmarks/resolve.py [instance.yaml] [--points N]

Prints ratios measured in one run on one machine (so they compare like with like):
- build / solve: seconds to derive the data and build the Pyomo model, over HiGHS's solve
  seconds, for the base instance;
- rebuild / re-solve: a sweep of N values of budget.total solved by building a model per
  point, over the same sweep re-solving one model whose cap is a mutable parameter.
Results go to benchmarks/results/resolve.json (kept out of git).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from planner import solve
from planner.data.derive import derive
from planner.input.loading import instance_from_data, read_instance_data
from planner.input.overrides import Override, apply_overrides
from planner.models import build_model
from planner.solving.parametric import ParametricModel
from planner.solving.solver import SolverOptions, run_highs

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("instance", nargs="?", default=str(HERE.parent / "instances" /
                                                          "norway-2025.yaml"))
    parser.add_argument("--points", type=int, default=8)
    parser.add_argument("--mip-gap", type=float, default=1e-4)
    arguments = parser.parse_args()
    data = read_instance_data(arguments.instance)
    instance = instance_from_data(data, arguments.instance)
    options = SolverOptions(mip_gap=arguments.mip_gap)

    started = time.perf_counter()
    model = build_model(derive(instance))
    build_seconds = time.perf_counter() - started
    run = run_highs(model, options)

    total = instance.budget.total or 2600.0
    values = [round(total * (1 - 0.35 * index / max(arguments.points - 1, 1)), 3)
              for index in range(arguments.points)]
    points = [instance_from_data(apply_overrides(data, [Override("budget.total", value, "")]),
                                 "point") for value in values]

    started = time.perf_counter()
    rebuilt = [solve(point, mip_gap=arguments.mip_gap, marginal_values=False).objective_mnok
               for point in points]
    rebuild_seconds = time.perf_counter() - started

    started = time.perf_counter()
    reusable = ParametricModel(points[0], options)
    resolved = [reusable.solve(point).objective_mnok for point in points]
    resolve_seconds = time.perf_counter() - started

    agree = all(abs(a - b) <= 1e-6 * max(1, abs(a)) + arguments.mip_gap * abs(a)
                for a, b in zip(rebuilt, resolved, strict=True))
    result = {
        "instance": instance.name,
        "mip_gap": arguments.mip_gap,
        "build_seconds": round(build_seconds, 4),
        "highs_solve_seconds": round(run.seconds, 4),
        "build_over_solve": round(build_seconds / run.seconds, 3),
        "sweep_points": arguments.points,
        "rebuild_seconds": round(rebuild_seconds, 3),
        "resolve_seconds": round(resolve_seconds, 3),
        "rebuild_over_resolve": round(rebuild_seconds / resolve_seconds, 3),
        "objectives_agree": agree,
    }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "resolve.json").write_text(json.dumps(result, indent=2) + "\n")
    for key, value in result.items():
        print(f"{key:>22}: {value}")


if __name__ == "__main__":
    main()
