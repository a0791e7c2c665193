"""What near-optimal alternatives cost beside the optimum, as ratios measured in one run.

    python benchmarks/alternatives.py [instance.yaml] [--slack 0.02] [--spread NAME ...]
                                      [--mip-gap G]

Prints, for the quantities given (default: national GPU capacity in the last year and
research GPU unserved demand, two quick ones of Norway's default set):
- ends / optimum: HiGHS seconds of every range end (both stages) over the optimum's;
- cheapest / end: seconds of the second stage (the cheapest plan at the end) over the
  first (reaching the end);
- one worker / two workers: wall seconds of the whole run on 1 and on 2 processes (only
  meaningful on an otherwise idle machine with two free cores).
Results go to benchmarks/results/alternatives.json (kept out of git).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from planner.analyses.alternatives import parse_spread, run_alternatives
from planner.input.loading import load_instance
from planner.solving.solver import SolverOptions

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("instance", nargs="?", default=str(HERE.parent / "instances" /
                                                          "norway-2025.yaml"))
    parser.add_argument("--slack", type=float, default=0.02)
    parser.add_argument("--spread", nargs="*", default=None)
    parser.add_argument("--mip-gap", type=float, default=1e-6)
    arguments = parser.parse_args()
    instance = load_instance(arguments.instance)
    names = arguments.spread or [f"capacity:national:gpu:{instance.years.last}",
                                 "unserved:research-gpu"]
    quantities = parse_spread(names, instance)
    options = SolverOptions(mip_gap=arguments.mip_gap)
    walls = {}
    for workers in (1, 2):
        started = time.perf_counter()
        result = run_alternatives(instance, quantities, arguments.slack, options,
                                  workers=workers)
        walls[workers] = time.perf_counter() - started
    details = [solved.plan_document["metadata"]["alternative"] for solved in result.ends]
    first = sum(detail["seconds"] for detail in details)
    second = sum(detail.get("cheapest_seconds") or 0.0 for detail in details)
    optimum = result.optimum.plan_document["metadata"]["solve_seconds"]
    summary = {
        "instance": instance.name,
        "quantities": names,
        "slack": arguments.slack,
        "mip_gap": arguments.mip_gap,
        "optimum_seconds": round(optimum, 3),
        "ends_seconds": round(first + second, 3),
        "ends_over_optimum": round((first + second) / optimum, 3),
        "cheapest_over_end": round(second / first, 3),
        "one_worker_over_two": round(walls[1] / walls[2], 3),
    }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "alternatives.json").write_text(json.dumps(summary, indent=2) + "\n")
    for key, value in summary.items():
        print(f"{key:>20}: {value}")


if __name__ == "__main__":
    main()
