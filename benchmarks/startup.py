"""How fast the planner starts: `import planner`, `planner --help`, `planner validate`.

    python benchmarks/startup.py [--runs N] [--instance instances/norway-2025.yaml]
                                 [--baseline DIR]

Each case runs N times in a fresh interpreter, the cases taking turns so that a change in
the machine's load falls on all of them alike (subprocess wall time; the median is taken
and the spread shown), and the benchmark says which heavy libraries each case imported.
A bare `python -c pass` runs in the same turns, so each case also reads as a multiple of
the interpreter's own start on this machine.

`--baseline DIR` runs every case a second time against another checkout of the planner,
its folder put first on PYTHONPATH, in the same turns, and prints the ratio now /
baseline. For a commit from before the stage packages (whose `planner/models` link did
not exist yet):

    mkdir /tmp/before && git archive COMMIT | tar -x -C /tmp/before
    ln -s ../models /tmp/before/planner/models

Results go to benchmarks/results/startup.json (kept out of git).
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
HEAVY = ("pyomo", "highspy", "pandas", "numpy", "matplotlib", "openpyxl", "dask", "pydantic",
         "yaml", "rich", "click")

# Which heavy libraries a case loads: the same work in one interpreter, then a look at
# sys.modules (printed as the last line on stderr; the command's own output is dropped).
PROBE = """
import json, sys
try:
    {work}
except SystemExit:
    pass
finally:
    loaded = sorted({{name.split(".")[0] for name in sys.modules}} & set({heavy!r}))
    sys.stderr.write("\\n" + json.dumps(loaded) + "\\n")
"""


@dataclass
class Case:
    name: str
    command: list[str]
    work: str | None  # the same work in Python, to see what it imports
    environment: dict[str, str] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)

    def run(self) -> float:
        started = time.perf_counter()
        subprocess.run(self.command, cwd=PROJECT, env=os.environ | self.environment,
                       capture_output=True, check=False)
        return time.perf_counter() - started

    def heavy_modules(self) -> list[str]:
        if self.work is None:
            return []
        done = subprocess.run([sys.executable, "-c", PROBE.format(work=self.work, heavy=HEAVY)],
                              cwd=PROJECT, env=os.environ | self.environment,
                              capture_output=True, text=True, check=False)
        return json.loads(done.stderr.strip().splitlines()[-1])

    def result(self) -> dict:
        return {"case": self.name, "median_seconds": statistics.median(self.times),
                "min_seconds": min(self.times), "max_seconds": max(self.times),
                "runs": len(self.times), "heavy_modules": self.heavy_modules()}


def cases(instance: str, environment: dict[str, str], suffix: str = "") -> list[Case]:
    python = sys.executable
    script = Path(python).with_name("planner")  # the installed console script
    planner = [str(script)] if script.exists() else [
        python, "-c", "import sys; from planner.cli import main; sys.exit(main())"]
    cli = "from planner.cli import main; main({}, prog_name='planner')"
    return [
        Case(f"import planner{suffix}", [python, "-c", "import planner"], "import planner",
             environment),
        Case(f"planner --help{suffix}", [*planner, "--help"], cli.format(["--help"]),
             environment),
        Case(f"planner validate {instance}{suffix}", [*planner, "validate", instance],
             cli.format(["validate", instance]), environment),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--instance", default="instances/norway-2025.yaml")
    parser.add_argument("--baseline", type=Path,
                        help="another checkout of the planner to compare with")
    arguments = parser.parse_args()
    bare = Case("python -c pass", [sys.executable, "-c", "pass"], None)
    now = cases(arguments.instance, {})
    before = [] if arguments.baseline is None else cases(
        arguments.instance, {"PYTHONPATH": str(arguments.baseline.resolve()),
                             "PYTHONSAFEPATH": "1"}, " (baseline)")  # not this folder
    every = [bare, *now, *before]
    for case in every:  # once to warm the file cache (not counted), and it must work
        subprocess.run(case.command, cwd=PROJECT, env=os.environ | case.environment,
                       capture_output=True, check=True)
    for _ in range(arguments.runs):
        for case in every:
            case.times.append(case.run())
    results = [case.result() for case in every]
    python_seconds = results[0]["median_seconds"]
    for result in results:
        result["times_bare_python"] = result["median_seconds"] / python_seconds
    if before:
        for current, baseline in zip(results[1:1 + len(now)], results[1 + len(now):],
                                     strict=True):
            current["ratio_to_baseline"] = (current["median_seconds"]
                                            / baseline["median_seconds"])
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} ({platform.machine()}, {os.cpu_count()} cores, "
                   f"Python {platform.python_version()})",
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "baseline": str(arguments.baseline) if arguments.baseline else None,
        "results": results,
    }
    print(f"{record['date']}  {record['machine']}  load average {record['load_average']}")
    print(f"{'case':58} {'median s':>8} {'min':>6} {'max':>6} {'×python':>7} {'÷base':>6}"
          "  heavy modules")
    for result in results:
        ratio = result.get("ratio_to_baseline")
        print(f"{result['case']:58} {result['median_seconds']:8.3f} "
              f"{result['min_seconds']:6.3f} {result['max_seconds']:6.3f} "
              f"{result['times_bare_python']:7.1f} {'' if ratio is None else f'{ratio:.2f}':>6}"
              f"  {', '.join(result['heavy_modules']) or '-'}")
    out = HERE / "results" / "startup.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {out.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
