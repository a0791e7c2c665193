"""How fast the planner starts: `planner --help`, `planner validate`, `import planner`.

    python benchmarks/startup.py [--runs N] [--instance instances/norway-2025.yaml]

Each case runs N times in a fresh interpreter, the cases taking turns (subprocess wall
time; the median taken and the spread shown), and reports which heavy libraries the case
imported. A bare
`python -c pass` is measured in the same run, so each case can be read as a multiple of
the interpreter's own start on this machine, whatever its load. Results go to
benchmarks/results/startup.json (kept out of git).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
HEAVY = ("pyomo", "highspy", "pandas", "numpy", "matplotlib", "openpyxl", "dask", "pydantic",
         "yaml", "rich", "click")

# Which heavy libraries a case loads: the same work in one interpreter, then a look at
# sys.modules (printed as the last line on stderr; the command's own output is dropped).
PROBE = """
import json, os, sys
heavy = set(json.loads(os.environ["HEAVY"]))
try:
    {work}
except SystemExit:
    pass
finally:
    loaded = sorted({{name.split(".")[0] for name in sys.modules}} & heavy)
    sys.stderr.write("\\n" + json.dumps(loaded) + "\\n")
"""


def _probe(work: str) -> list[str]:
    environment = dict(os.environ, HEAVY=json.dumps(HEAVY))
    finished = subprocess.run([sys.executable, "-c", PROBE.format(work=work)], cwd=PROJECT,
                              env=environment, capture_output=True, text=True, check=False)
    return json.loads(finished.stderr.strip().splitlines()[-1])


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT, capture_output=True, check=False)
    return time.perf_counter() - started


def _measure(cases: list[tuple[str, list[str], str | None]], runs: int) -> list[dict]:
    """Every case `runs` times, taken in turns (so a change in the machine's load falls on
    all cases alike), after one warm-up run each that must succeed."""
    for _, command, _ in cases:
        subprocess.run(command, cwd=PROJECT, capture_output=True, check=True)
    times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    for _ in range(runs):
        for name, command, _ in cases:
            times[name].append(_seconds(command))
    return [{"case": name, "median_seconds": statistics.median(times[name]),
             "min_seconds": min(times[name]), "max_seconds": max(times[name]), "runs": runs,
             "heavy_modules": _probe(work) if work else []}
            for name, _, work in cases]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--instance", default="instances/norway-2025.yaml")
    arguments = parser.parse_args()
    python = sys.executable
    script = Path(python).with_name("planner")  # the installed console script
    planner = [str(script)] if script.exists() else [
        python, "-c", "import sys; from planner.cli import main; sys.exit(main())"]
    cli = "from planner.cli import main; main({}, prog_name='planner')"
    cases = [
        ("python -c pass", [python, "-c", "pass"], None),
        ("import planner", [python, "-c", "import planner"], "import planner"),
        ("planner --help", [*planner, "--help"], cli.format(["--help"])),
        (f"planner validate {arguments.instance}", [*planner, "validate", arguments.instance],
         cli.format(["validate", arguments.instance])),
    ]
    results = _measure(cases, arguments.runs)
    bare = results[0]["median_seconds"]
    for result in results:
        result["times_bare_python"] = result["median_seconds"] / bare
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} ({platform.machine()}, {os.cpu_count()} cores, "
                   f"Python {platform.python_version()})",
        "load_average": list(os.getloadavg()),
        "results": results,
    }
    print(f"{record['date']}  {record['machine']}  load {record['load_average']}")
    print(f"{'case':52} {'median s':>9} {'min':>6} {'max':>6} {'× python':>9}  heavy modules")
    for result in results:
        heavy = ", ".join(result["heavy_modules"] or []) or "-"
        print(f"{result['case']:52} {result['median_seconds']:9.3f} "
              f"{result['min_seconds']:6.3f} {result['max_seconds']:6.3f} "
              f"{result['times_bare_python']:9.1f}  {heavy}")
    out = HERE / "results" / "startup.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {out.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
