"""How fast `planner serve` answers: re-solved settings against rebuilt ones.

    python benchmarks/serve.py [INSTANCE] [--repeat N] [--mip-gap G]

Drives the HTTP interface in-process (Starlette's test client) on the instance (default:
the bundled Norway instance) and prints, per kind of change, the median time from request
to answer and HiGHS's own share of it. Results go to benchmarks/results/serve.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from starlette.testclient import TestClient

from planner.serve.app import build_app
from planner.serve.session import ServeSession

ROOT = Path(__file__).resolve().parent.parent


def _settings(session: ServeSession, repeat: int) -> dict[str, list[dict]]:
    instance = session.base_instance
    total = instance.budget.total or 2600.0
    growing = next(name for name, w in instance.workloads.items()
                   if hasattr(w.demand, "growth"))
    growth = instance.workloads[growing].demand.growth
    product = next(iter(instance.products))
    # Distinct values each time: the server remembers settings it has answered.
    return {
        "re-solve: budget.total": [{"budget.total": total * (0.90 + 0.02 * i)}
                                   for i in range(repeat)],
        "rebuild: workload growth": [
            {f"workloads.{growing}.demand.growth": growth * (0.8 + 0.01 * i)}
            for i in range(repeat)],
        "rebuild: product price trend": [
            {f"products.{product}.capex_trend": -0.01 * (i + 1)} for i in range(repeat)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", nargs="?", default=str(ROOT / "instances/norway-2025.yaml"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--mip-gap", type=float, default=1e-3)
    args = parser.parse_args()
    started = time.perf_counter()
    session = ServeSession(args.instance, mip_gap=args.mip_gap)
    start_seconds = time.perf_counter() - started
    client = TestClient(build_app(session))
    results = {"instance": args.instance, "mip_gap": args.mip_gap,
               "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, "
                          f"python {platform.python_version()}",
               "date": datetime.now(UTC).isoformat(timespec="seconds"),
               "start_seconds": round(start_seconds, 3), "kinds": {}}
    print(f"{args.instance}: server ready in {start_seconds:.2f} s (base plan solved)")
    for kind, settings in _settings(session, args.repeat).items():
        answered, highs = [], []
        for setting in settings:
            began = time.perf_counter()
            response = client.post("/api/solve", json={"set": setting})
            answered.append(time.perf_counter() - began)
            document = response.json()
            highs.append(document["metadata"]["solve_seconds"])
        row = {"median_answer_seconds": round(statistics.median(answered), 3),
               "median_highs_seconds": round(statistics.median(highs), 3),
               "route": document["serve"]["route"]}
        results["kinds"][kind] = row
        print(f"  {kind:32} answer {row['median_answer_seconds']:.2f} s "
              f"(HiGHS {row['median_highs_seconds']:.2f} s), {row['route']}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "serve.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out / 'serve.json'}", file=sys.stderr)


if __name__ == "__main__":
    main()
