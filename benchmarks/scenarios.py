"""How the extensive form of a two-stage instance scales with the number of scenarios.

    python benchmarks/scenarios.py [instance.yaml] [--counts 3 9 27 81] [--mip-gap 1e-3]
                                   [--time-limit 900]

The scenarios are a grid over up to four uncertain numbers of the Norway instance, each at
three levels with probabilities 0.3 / 0.5 / 0.2 (the levels' probabilities multiply):

    1. GPU demand growth      0.40 / 0.50 / 0.65   (research GPU and language models)
    2. CPU demand growth      0.12 / 0.13 / 0.15
    3. GPU prices after the decide_now years (gpu-node and cloud): × 0.90 / 1.00 / 1.15
    4. storage demand         × 0.90 / 1.00 / 1.20

3 scenarios vary the first, 9 the first two, 27 three, 81 all four. For each count the
script prints the seconds to derive the data and build the Pyomo model, HiGHS's seconds
(at the stated relative MIP gap, one thread, seed 0), the status, the gap reached and the
model's size. Results go to benchmarks/results/scenarios-gap<G>.json (kept out of git);
README.md quotes them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import time
from pathlib import Path

import pyomo.environ as pyo

from planner.analyses.stochastic import scenario_datas
from planner.data.scenarios import probabilities
from planner.input.loading import instance_from_data, read_instance_data
from planner.models.extensive import build_extensive_model
from planner.solving.solver import SolverOptions, run_highs, solver_version

HERE = Path(__file__).resolve().parent
LEVELS = (0.3, 0.5, 0.2)
AXES = (
    ("gpu", [{"demand_growth": {"gpu": g}} for g in (0.40, 0.50, 0.65)]),
    ("cpu", [{"demand_growth": {"cpu": g}} for g in (0.12, 0.13, 0.15)]),
    ("price", [{"price_scale": {"gpu-node": f, "cloud": f}} for f in (0.90, 1.00, 1.15)]),
    ("storage", [{"demand_scale": {"storage": f}} for f in (0.90, 1.00, 1.20)]),
)


def grid(count: int) -> dict[str, dict]:
    """`count` (3^k) scenarios over the first k axes."""
    axes = AXES[:{3: 1, 9: 2, 27: 3, 81: 4}[count]]
    scenarios = {}
    for combination in itertools.product(range(3), repeat=len(axes)):
        name = "-".join(f"{axis}{level}" for (axis, _), level in zip(axes, combination,
                                                                      strict=True))
        item: dict = {"probability": 1.0}
        for (_, levels), level in zip(axes, combination, strict=True):
            item["probability"] *= LEVELS[level]
            for key, values in levels[level].items():
                item.setdefault(key, {}).update(values)
        scenarios[name] = item
    # Products of 0.3/0.5/0.2 add up to 1 only within rounding; give the rest to the last.
    names = list(scenarios)
    scenarios[names[-1]]["probability"] = 1 - sum(
        scenarios[name]["probability"] for name in names[:-1])
    return scenarios


def size(model: pyo.ConcreteModel) -> dict[str, int]:
    variables = list(model.component_data_objects(pyo.Var, active=True))
    return {
        "variables": len(variables),
        "integer_variables": sum(1 for v in variables if v.is_integer() or v.is_binary()),
        "constraints": sum(1 for _ in model.component_data_objects(pyo.Constraint,
                                                                   active=True)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("instance", nargs="?", default=str(
        HERE.parent / "instances" / "norway-2025-scenarios.yaml"))
    parser.add_argument("--counts", type=int, nargs="+", default=[3, 9, 27, 81],
                        choices=[3, 9, 27, 81])
    parser.add_argument("--mip-gap", type=float, default=1e-3)
    parser.add_argument("--time-limit", type=float, default=900.0)
    arguments = parser.parse_args()
    data = read_instance_data(arguments.instance)
    options = SolverOptions(mip_gap=arguments.mip_gap,
                            time_limit_seconds=arguments.time_limit)
    print(f"{arguments.instance}: extensive form, relative MIP gap {arguments.mip_gap:g}, "
          f"time limit {arguments.time_limit:g} s, HiGHS {solver_version()}, one thread")
    header = (f"{'scenarios':>9} {'build s':>8} {'solve s':>8} {'status':>18} {'gap':>9} "
              f"{'expected cost':>14} {'variables':>9} {'integer':>8} {'rows':>8}")
    print(header)
    results = []
    for count in arguments.counts:
        data["scenarios"] = grid(count)
        instance = instance_from_data(data, f"{arguments.instance} ({count} scenarios)")
        started = time.perf_counter()
        datas = scenario_datas(instance)
        model = build_extensive_model(datas, probabilities(instance),
                                      instance.decide_now_years, instance.name)
        build_seconds = time.perf_counter() - started
        run = run_highs(model, options)
        result = {"scenarios": count, "build_seconds": round(build_seconds, 2),
                  "solve_seconds": round(run.seconds, 2), "status": run.status,
                  "gap": run.gap, "objective_mnok": run.objective} | size(model)
        results.append(result)
        gap = "–" if run.gap is None else f"{run.gap:.2e}"
        cost = "–" if run.objective is None else f"{run.objective:,.1f}"
        print(f"{count:>9} {build_seconds:>8.2f} {run.seconds:>8.1f} {run.status:>18} "
              f"{gap:>9} {cost:>14} {result['variables']:>9} {result['integer_variables']:>8} "
              f"{result['constraints']:>8}", flush=True)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / f"scenarios-gap{arguments.mip_gap:g}.json").write_text(json.dumps({
        "instance": arguments.instance, "mip_gap": arguments.mip_gap,
        "time_limit_seconds": arguments.time_limit, "highs": solver_version(),
        "machine": platform.processor() or platform.machine(), "results": results,
    }, indent=2) + "\n")


if __name__ == "__main__":
    main()
