"""How fast HiGHS proves a plan optimal with the planner's formulation, at two gaps.

    python benchmarks/formulation.py [--time-limit 300] [--only NAME ...]
                                     [--baseline COMMIT]

For each generated instance below (benchmarks/generate.py) the model is built as
`planner solve` builds it and solved by HiGHS (one thread, seed 0) twice: to a proven
relative gap of 0.1 % and of 0.01 %, each with the time limit. Printed and written to
benchmarks/results/formulation.json (kept out of git) beside the figures of the
formulation before issue 17 (`BEFORE`, measured with this script on the commit before the
formulation was tightened; that code is not kept in the tree): seconds to each gap, the
objective and bound HiGHS ends with, and the ratio before / now.

Timings are only comparable within one machine and load; the ratio is what counts.
`BEFORE` was measured under another load than any later run, so `--baseline 232fac2`
measures that commit again in the same run: its code is taken from git (`git archive`,
into a temporary directory, never the work tree), and for each instance its own copy of
this script solves the instance to both gaps just before the current code does. The
columns `s base` and `base/now` are then the fair comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import generate  # noqa: E402
from planner.data.derive import derive  # noqa: E402
from planner.input.loading import instance_from_data  # noqa: E402
from planner.models import build_model  # noqa: E402
from planner.solving.solver import SolverOptions, run_highs, solver_version  # noqa: E402

# (seed, years, pools, products per pool, workloads): instances that took 30-120 s to
# prove a 0.01 % gap with the formulation before issue 17 at a load of 6-9 (4-12 s at a
# load of 1.5-2).
#
# At a load of 1-2 those four take 4-18 s, under the 30-120 s. Of twelve larger
# candidates screened on 2026-12-01 (seeds 0-3 of 8 years × 10 pools × 20 workloads,
# 9 × 10 × 20 and 8 × 12 × 20; docs/formulation-experiments.md), the code of 232fac2
# took 30-120 s on one only, the fifth below (114 s); ten took 4-23 s, and one was
# proven by neither code within 150 s.
SIZES = [
    (4, 8, 10, 1, 15),
    (5, 8, 10, 1, 15),
    (6, 8, 10, 1, 15),
    (7, 9, 10, 1, 18),
    (0, 9, 10, 1, 20),
]
GAPS = (1e-3, 1e-4)

# Seconds to each gap (None: not proven within the time limit) before the formulation was
# tightened: this script's output on commit 232fac2 (the spec's pool-in-use row over the
# sum of the purchases, M(i,b) from caps or 10 × peak demand), 2026-12-01 02:00-02:20 UTC,
# on the shared 2-core machine (load average 6-9), time limit 150 s. That load made them
# about five times what the same commit takes at a load of 1.5-2 (`--baseline 232fac2`,
# README "How tight the formulation is"): compare with `s base`, not with these.
BEFORE: dict[str, dict[str, float | None]] = {
    "gen-s4-y8-p10-i1-w15": {"0.001": 10.7, "0.0001": 44.0},
    "gen-s5-y8-p10-i1-w15": {"0.001": 27.1, "0.0001": 52.1},
    "gen-s6-y8-p10-i1-w15": {"0.001": 25.9, "0.0001": 63.8},
    "gen-s7-y9-p10-i1-w18": {"0.001": 30.8, "0.0001": 27.4},
}


def solve_to(data: dict, gap: float, time_limit: float) -> dict:
    instance = instance_from_data(data, data["name"])
    started = time.perf_counter()
    model = build_model(derive(instance))
    build_seconds = time.perf_counter() - started
    run = run_highs(model, SolverOptions(mip_gap=gap, time_limit_seconds=time_limit))
    return {"status": run.status, "seconds": round(run.seconds, 2),
            "gap": run.gap, "objective": run.objective, "bound": run.bound,
            "build_seconds": round(build_seconds, 2)}


def checkout(commit: str, into: Path) -> Path:
    """The tree of `commit` unpacked into `into` (from git's object store: the work tree
    and the branch stay as they are)."""
    archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", commit],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    models = into / "planner" / "models"
    if (into / "models").is_dir() and not models.exists():
        # Installed as planner.models (pyproject.toml); the copy is run from its source tree.
        models.symlink_to("../models")
    return into


def baseline_solve(tree: Path, size: tuple, time_limit: float) -> dict:
    """Both gaps of one instance solved by the copy of this script in `tree`."""
    subprocess.run([sys.executable, str(tree / "benchmarks" / "formulation.py"),
                    "--time-limit", str(time_limit), "--out", "baseline.json",
                    "--sizes", ",".join(str(part) for part in size)],
                   check=True, cwd=tree, stdout=subprocess.DEVNULL)
    results = json.loads((tree / "benchmarks" / "results" / "baseline.json").read_text())
    return next(iter(results["instances"].values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--sizes", nargs="*", default=None,
                        help="other instances: SEED,YEARS,POOLS,PRODUCTS,WORKLOADS each")
    parser.add_argument("--out", default="formulation.json")
    parser.add_argument("--baseline", default=None, metavar="COMMIT",
                        help="also solve each instance with the code of COMMIT, same run")
    arguments = parser.parse_args()
    sizes = SIZES if arguments.sizes is None else [
        tuple(int(part) for part in text.split(",")) for text in arguments.sizes]
    results = {"machine": f"{platform.node()} ({platform.processor() or platform.machine()})",
               "highs": solver_version(), "time_limit_seconds": arguments.time_limit,
               "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "load_average": _load(), "baseline": arguments.baseline, "instances": {}}
    print(f"{'instance':<26} {'gap':>7} {'status':>18} {'s now':>8} {'s before':>9} "
          f"{'before/now':>10}" + (f" {'s base':>8} {'base/now':>8}"
                                   if arguments.baseline else ""))
    with tempfile.TemporaryDirectory(prefix="formulation-baseline-") as scratch:
        tree = checkout(arguments.baseline, Path(scratch)) if arguments.baseline else None
        for size in sizes:
            run_instance(size, arguments, results, tree)
    results["load_average_after"] = _load()
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / arguments.out).write_text(json.dumps(results, indent=2) + "\n")


def _load() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def run_instance(size: tuple, arguments, results: dict, tree: Path | None) -> None:
    data = generate(*size)
    name = data["name"]
    if arguments.only and name not in arguments.only:
        return
    entry = results["instances"][name] = {}
    base = baseline_solve(tree, size, arguments.time_limit) if tree is not None else {}
    for gap in GAPS:
        now = solve_to(data, gap, arguments.time_limit)
        key = f"{gap:g}"
        before = BEFORE.get(name, {}).get(key)
        now["seconds_before"] = before
        proven = now["status"] == "optimal"
        now["before_over_now"] = (round(before / now["seconds"], 2)
                                  if before and proven else None)
        line = (f"{name:<26} {key:>7} {now['status']:>18} {now['seconds']:>8.1f} "
                f"{before if before is not None else '-':>9} "
                f"{now['before_over_now'] if now['before_over_now'] else '-':>10}")
        if tree is not None:
            old = base[key]
            now["seconds_baseline"] = old["seconds"]
            now["status_baseline"] = old["status"]
            now["objective_baseline"] = old["objective"]
            now["baseline_over_now"] = (round(old["seconds"] / now["seconds"], 2)
                                        if proven and old["status"] == "optimal" else None)
            line += (f" {old['seconds']:>8.1f} "
                     f"{now['baseline_over_now'] if now['baseline_over_now'] else '-':>8}")
        entry[key] = now
        print(line, flush=True)

if __name__ == "__main__":
    main()
