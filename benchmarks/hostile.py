"""How long the planner takes to refuse each hostile input (issue 15), against validating
the valid instance they are made from.

    python benchmarks/hostile.py [--repeat N]

Writes the corpus of `tests/hostile.py` to a temporary folder, runs each case's command
line in this process N times (the best time counts: the machine may be shared) and prints
its exit status, wall-clock and CPU milliseconds, the ratio (wall-clock) to `validate` of
the valid instance, and the length of what it printed. Results go to
benchmarks/results/hostile.json (kept out of git). Nothing is asserted: a test checks the
outcomes, this only measures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from click.testing import CliRunner  # noqa: E402
from hostile import corpus  # noqa: E402

from planner.commands.base import main  # noqa: E402


def best_seconds(args: list[str], repeat: int) -> tuple[float, float, int, int]:
    """(best wall-clock seconds and best CPU seconds of `repeat` runs, exit status,
    characters printed). CPU time says more on a shared machine."""
    best, best_cpu, status, printed = float("inf"), float("inf"), 0, 0
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = CliRunner().invoke(main, args)
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - started_cpu)
        status, printed = result.exit_code, len(result.output)
    return best, best_cpu, status, printed


def main_() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        written = time.perf_counter()
        cases = corpus(Path(directory))
        written = time.perf_counter() - written
        baseline = next(case for case in cases if case.name == "name-100-ok")
        base_seconds, _, _, _ = best_seconds(baseline.args, arguments.repeat)
        print(f"corpus written in {written:.1f} s; validate of the valid instance: "
              f"{base_seconds * 1000:.1f} ms (ratio 1)")
        print(f"{'case':26} {'exit':>4} {'ms':>9} {'cpu ms':>9} {'ratio':>7} {'printed':>8}")
        for case in cases:
            seconds, cpu, status, printed = best_seconds(case.args, arguments.repeat)
            rows.append({"case": case.name, "exit": status, "seconds": seconds,
                         "cpu_seconds": cpu, "ratio": seconds / base_seconds,
                         "printed_characters": printed})
            print(f"{case.name:26} {status:>4} {seconds * 1000:>9.1f} {cpu * 1000:>9.1f} "
                  f"{seconds / base_seconds:>7.2f} {printed:>8}")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "hostile.json").write_text(json.dumps(
        {"baseline_seconds": base_seconds, "cases": rows}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main_()
