"""Where the time of a solve goes, against HiGHS's own time on the same model.

    python benchmarks/overhead.py [--points 6] [--repeat 5] [--generated-repeat 3]
                                  [--skip-generated] [--throughput-rounds 3]

For Norway (`instances/norway-2025.yaml`, the default gap 1e-6) and a generated instance of
at least 100 000 variables (benchmarks/generate.py, gap 1 %):

1. HiGHS alone: the model exactly as the planner hands it to HiGHS (the same arrays,
   written by HiGHS as MPS) read by highspy in a fresh process and solved with the same
   options (one thread, seed 0, the same gap).
2. A first solve, `planner solve FILE --quiet` in a fresh process, timed from process
   start to exit and taken apart: the interpreter's start (from the parent starting it
   to this probe's first line), imports, loading, derived data, building, handing the
   model to HiGHS, HiGHS itself, the wait after it for the imports begun beside it,
   reading the solution, tables, checks, marginal values, confirming the reason money
   stays unspent (its relaxed instances and re-solves), writing, recording, the exit
   (from the last exit handler to the parent seeing the process end); "other" is what
   none of them covers. Our time is the process's wall time less HiGHS's own run time
   inside it (every solve the process makes); its ratio to HiGHS alone is printed.
   The timing wrappers, the import hook and this script's own imports cost time a real
   run does not spend, so Norway's whole-process time is that of the `planner` command
   itself (the script pip installs), run uninstrumented between the instrumented runs;
   the phases are the instrumented run's.
3. Sweep points: a budget sweep (`budget.total`, else `budget.yearly`, from its value
   down by 30 % over `--points` values; a parametric sweep: one model, re-solved) in one
   process; per point after the first, our time (the point's wall time less HiGHS's run
   time) over HiGHS's run time.
4. Sweep throughput with 1, 2 and 4 worker processes (Norway): points per second, from
   the median of `--throughput-rounds` runs of each, the numbers of workers in turns.

Norway's runs are the median of `--repeat`, the generated instance's of
`--generated-repeat` (HiGHS alone and the whole process alternated). Results are printed and
written to benchmarks/results/overhead.json (kept out of git). The machine may be shared:
compare ratios within one run. A pure-Python probe (a fixed loop, best of 3) is timed at
the start and the end: on a shared virtual machine the speed of Python code drifts by a
third within an hour, HiGHS's less, so absolute figures are read beside it.
"""

from __future__ import annotations

import atexit
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NORWAY = ROOT / "instances" / "norway-2025.yaml"
# At least 100 000 variables with demand classes (docs/model.md): the variables grow
# with pools × products × years and workloads × years, no longer with workloads × pools
# (the instance of 25 years, 24 pools and 300 workloads used before has 10 623).
GENERATED = {"seed": 0, "years": 40, "pools": 150, "products": 3, "workloads": 1000,
             "yearly_cap_mnok": 60000.0}
PHASES = ("interpreter start", "start and imports", "loading", "derived data", "building",
          "hand-off to HiGHS", "HiGHS", "waiting for the imports begun beside HiGHS",
          "reading the solution", "tables", "checks", "marginal values",
          "confirming the unspent reason", "printing", "writing", "recording", "exit",
          "other")
# Set by the parent to the wall-clock time (time.time()) it starts a child at.
SPAWNED = "OVERHEAD_BENCHMARK_SPAWNED"


# --- run in a child process ---------------------------------------------------------------

def _child_first(instance: str, gap: float, out_dir: str, store: str, report: str) -> None:
    """`planner solve` with every phase timed by wrappers around the functions it calls.

    The modules a solve imports while HiGHS runs (planner.solving.warmup) are wrapped
    when they are imported, so that this probe imports nothing earlier than the command
    would."""
    started = time.perf_counter()
    launched = time.time() - float(os.environ.get(SPAWNED, time.time()))
    # planner.cli first, as the `planner` script imports it (it sets up the process
    # before numpy loads: one BLAS thread).
    import planner.cli as cli
    import planner.commands.solve as command
    import planner.solving.api as api
    import planner.solving.persistent as persistent
    import planner.solving.solver as solver_module
    spent: dict[str, float] = dict.fromkeys(PHASES, 0.0)
    spent["interpreter start"] = launched
    spent["start and imports"] = time.perf_counter() - started

    def timed(owner, name: str, phase: str) -> None:
        function = getattr(owner, name)

        def wrapper(*args, **kwargs):
            begun = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[phase] += time.perf_counter() - begun
        setattr(owner, name, wrapper)

    def reader(module) -> None:
        module.plan_from_run = _arrived(module.plan_from_run, entered, spent)
        timed(module, "read_solution", "reading the solution")
        for name in ("all_tables", "cost_summary", "unspent_table"):
            timed(module, name, "tables")
        for name in ("bound_warnings", "violation_warnings", "range_warnings"):
            timed(module, name, "checks")
        timed(module, "budget_marginal_values", "marginal values")

    def confirming(module) -> None:
        module.confirm_largest = _confirming(module.confirm_largest, spent)

    def reporting(module) -> None:
        timed(module, "write_plan_and_reports", "writing")

    def recording(module) -> None:
        timed(module, "record_for_cli", "recording")

    def console(module) -> None:
        timed(module, "print_plan", "printing")

    _when_imported({"planner.solving.plan_reader": reader,
                    "planner.analyses.unspent": confirming,
                    "planner.commands.report": reporting,
                    "planner.commands.runs": recording,
                    "planner.views.console": console})
    # From a solve's end to its plan being read: the wait for what was imported beside HiGHS.
    entered: list[float] = []
    finish = api._finish

    def finish_entered(*args, **kwargs):
        entered.append(time.perf_counter())
        return finish(*args, **kwargs)
    api._finish = finish_entered
    timed(command, "load_instance", "loading")
    timed(api, "derive", "derived data")
    timed(api, "build_model", "building")
    timed(persistent.HighsSolver, "load", "hand-off to HiGHS")
    timed(persistent.HighsSolver, "load_values", "reading the solution")
    run_highs = solver_module.run_highs

    # HiGHS's run time, counted once where two solves run side by side (the confirming
    # re-solves): the union of the intervals in which HiGHS ran.
    intervals: list[tuple[float, float]] = []

    def run_and_count(*args, **kwargs):
        run = run_highs(*args, **kwargs)
        ended = time.perf_counter()
        intervals.append((ended - run.highs_seconds, ended))
        spent["HiGHS"] = _union(intervals)
        return run
    api.run_highs = run_and_count

    # Run as the `planner` command runs (planner.cli.run: it ends the process without
    # tearing it down once its exit handlers have run); the phases are written by one.
    # The time it ends at (time.time()) too, for the parent to measure the exit.
    atexit.register(lambda: Path(report).write_text(json.dumps(spent | {"ended": time.time()})))
    sys.argv = ["planner", *_solve_arguments(instance, gap, out_dir, store)]
    cli.run()


def _solve_arguments(instance: str, gap: float, out_dir: str, store: str) -> list[str]:
    """`planner solve`'s arguments, the same for the instrumented child and the command."""
    return ["solve", instance, "--quiet", "--mip-gap", repr(gap), "--out", out_dir,
            "--store", store]


def _child(kind: str, *rest: str) -> None:
    if kind == "first":
        _child_first(rest[0], float(rest[1]), rest[2], rest[3], rest[4])
    elif kind == "export":
        _child_export(*rest)
    elif kind == "highs":
        _child_highs(rest[0], float(rest[1]), rest[2])
    elif kind == "sweep":
        _child_sweep(rest[0], float(rest[1]), int(rest[2]), rest[3])


def _union(intervals: list[tuple[float, float]]) -> float:
    covered, reach = 0.0, float("-inf")
    for begin, end in sorted(intervals):
        if end > reach:
            covered += end - max(begin, reach)
            reach = end
    return covered


def _when_imported(patches: dict) -> None:
    """Call `patches[name](module)` once module `name` has been imported, by whichever
    thread imports it."""
    import importlib.abc
    import importlib.machinery

    class Patching(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name not in patches:
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None:
                return None
            execute = spec.loader.exec_module

            def exec_module(module):
                execute(module)
                patches[name](module)
            spec.loader.exec_module = exec_module
            return spec
    sys.meta_path.insert(0, Patching())


def _arrived(plan_from_run, entered: list[float], spent: dict[str, float]):
    """`plan_from_run`, counting the time since `api._finish` began (the import of the plan
    reader, waited for while the thread that imports beside HiGHS finishes it)."""
    def wrapper(*args, **kwargs):
        if entered:
            spent["waiting for the imports begun beside HiGHS"] += \
                time.perf_counter() - entered.pop()
        return plan_from_run(*args, **kwargs)
    return wrapper


def _confirming(solve, spent: dict[str, float]):
    """Confirming the unspent reason (`confirm_largest`: the relaxed instances, the
    re-solves, what the command does meanwhile): the phases of its re-solves are counted
    where they fall (HiGHS, building, ...); what is left of it is this phase."""
    def wrapper(*args, **kwargs):
        before = sum(spent.values())
        begun = time.perf_counter()
        try:
            return solve(*args, **kwargs)
        finally:
            inside = sum(spent.values()) - before
            spent["confirming the unspent reason"] += time.perf_counter() - begun - inside
    return wrapper


def _child_export(instance: str, path: str) -> None:
    """The model exactly as `planner solve` hands it to HiGHS (rows and columns in the
    same order, so that HiGHS alone takes the same path), written by HiGHS."""
    from planner.data.derive import derive
    from planner.input.loading import load_instance
    from planner.models import build_model
    from planner.solving.persistent import HighsSolver
    solver = HighsSolver()
    solver.load(build_model(derive(load_instance(instance))))
    solver.highs.writeModel(path)


def _child_highs(path: str, gap: float, report: str) -> None:
    import highspy
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    for name, value in (("threads", 1), ("random_seed", 0), ("mip_rel_gap", gap)):
        highs.setOptionValue(name, value)
    highs.readModel(path)
    highs.run()
    Path(report).write_text(json.dumps({
        "seconds": highs.getRunTime(),
        "status": highs.modelStatusToString(highs.getModelStatus()),
        "objective": highs.getInfo().objective_function_value}))


def _child_sweep(instance: str, gap: float, points: int, report: str) -> None:
    """Points of a parametric budget sweep in this process, each timed whole and for HiGHS."""
    import planner.analyses.sweep as sweep
    from planner.input.loading import read_instance_data
    from planner.solving.solver import SolverOptions

    data = read_instance_data(instance)
    options = SolverOptions(mip_gap=gap)
    key, base = _swept(data)
    results = []
    for index, value in enumerate(_sweep_values(base, points)):
        begun = time.perf_counter()
        highs_before = _highs_seconds(sweep)
        result = sweep.solve_point(index, data, {key: value}, options, "cost",
                                   instance)
        wall = time.perf_counter() - begun
        highs = _highs_seconds(sweep) - highs_before
        results.append({"point": index, "value": value, "status": result.status,
                        "wall_seconds": wall, "highs_seconds": highs})
    Path(report).write_text(json.dumps(results))


def _highs_seconds(sweep) -> float:
    """HiGHS's own run time so far in this process's parametric sweep model."""
    model = next(iter(sweep._MODELS.values()), None)
    if model is None or model.solver.highs is None:
        return 0.0
    return model.solver.highs.getRunTime()


def _swept(data: dict) -> tuple[str, float]:
    """The budget key a sweep varies (`budget.total`, else `budget.yearly`) and its value."""
    budget = data["budget"]
    key = "total" if "total" in budget else "yearly"
    return f"budget.{key}", float(budget[key])


def _sweep_values(base: float, points: int) -> list[float]:
    return [round(base * (1 - 0.3 * index / max(points - 1, 1)), 3) for index in range(points)]


# --- the parent ---------------------------------------------------------------------------

def _timed(command: list[str], what: str,
           env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess]:
    """Wall seconds of a process from starting it to its end, and what it returned; the
    benchmark stops, showing its errors, if it failed."""
    import subprocess

    begun = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - begun
    if done.returncode != 0:
        sys.exit(f"{what} failed:\n{done.stderr[-3000:]}")
    return wall, done


def _python(*arguments: str) -> tuple[float, subprocess.CompletedProcess]:
    return _timed([sys.executable, str(Path(__file__)), "--child", *arguments],
                  f"child {arguments[0]}", env=os.environ | {SPAWNED: repr(time.time())})


def planner_command() -> list[str]:
    """The `planner` command as a user runs it: the script pip installed beside this
    interpreter, else the same entry point through the interpreter."""
    script = Path(sys.executable).with_name("planner")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from planner.cli import run; run()"]


def measure_command(instance: Path, gap: float, work: Path) -> float:
    """Wall seconds of one `planner solve` process, uninstrumented: from starting it to
    its end, with the arguments of the instrumented child."""
    wall, _ = _timed([*planner_command(), *_solve_arguments(
        str(instance), gap, str(work / "out"), str(work / "runs.sqlite"))], "planner solve")
    return wall


def measure_first_solve(instance: Path, gap: float, work: Path, repeat: int,
                        command: bool = False) -> dict:
    """`repeat` runs of HiGHS alone and of the instrumented process (and, with `command`,
    of the `planner` command itself), alternated so that a change of load touches each;
    medians.

    The instrumented child times every phase, but its wrappers, its import hook and this
    script's own imports cost time a real run does not spend. So where `command` is set,
    the whole-process figure is the uninstrumented command's, and the phases are those of
    the median instrumented run, adding up to that run's own wall time."""
    import statistics

    model_file = work / f"{instance.stem}.mps"
    _python("export", str(instance), str(model_file))
    alone, runs, commands = [], [], []
    for index in range(repeat):
        report = work / f"highs-{index}.json"
        _python("highs", str(model_file), repr(gap), str(report))
        alone.append(json.loads(report.read_text()))
        if command:
            commands.append(measure_command(instance, gap, work))
        report = work / f"first-{index}.json"
        wall, _ = _python("first", str(instance), repr(gap), str(work / "out"),
                          str(work / "runs.sqlite"), str(report))
        ended = time.time()
        spent = json.loads(report.read_text())
        spent["exit"] = max(0.0, ended - spent.pop("ended"))
        spent["other"] = max(0.0, wall - sum(spent.values()))
        runs.append({"wall_seconds": wall, "phases": spent})
    middle = sorted(runs, key=lambda run: run["wall_seconds"])[len(runs) // 2]
    highs_alone = statistics.median(run["seconds"] for run in alone)
    ours = statistics.median(run["wall_seconds"] - run["phases"]["HiGHS"] for run in runs)
    instrumented = [run["wall_seconds"] for run in runs]
    wholes = commands or instrumented
    whole = statistics.median(wholes)
    return {
        "instance": str(instance.relative_to(ROOT)) if instance.is_relative_to(ROOT)
        else str(instance),
        "mip_gap": gap,
        "highs_alone_seconds": round(highs_alone, 3),
        "highs_alone_runs": [round(run["seconds"], 3) for run in alone],
        "highs_alone_status": alone[0]["status"],
        "whole_process_measured": "the planner command" if commands else "instrumented",
        "whole_process_seconds": [round(seconds, 3) for seconds in wholes],
        "whole_process_median_seconds": round(whole, 3),
        "instrumented_wall_seconds": [round(seconds, 3) for seconds in instrumented],
        "instrumented_median_wall_seconds": round(middle["wall_seconds"], 3),
        "whole_minus_highs_alone_seconds": round(whole - highs_alone, 3),
        "highs_in_process_median_seconds": round(statistics.median(
            run["phases"]["HiGHS"] for run in runs), 3),
        "phases_of_median_run": {key: round(value, 3)
                                 for key, value in middle["phases"].items()},
        "ours_seconds": round(ours, 3),
        "ours_over_highs": round(ours / highs_alone, 3),
    }


def measure_sweep_points(instance: Path, gap: float, points: int, work: Path) -> dict:
    report = work / "sweep.json"
    _python("sweep", str(instance), repr(gap), str(points), str(report))
    results = json.loads(report.read_text())
    later = results[1:]
    ours = [point["wall_seconds"] - point["highs_seconds"] for point in later]
    highs = [point["highs_seconds"] for point in later]
    return {
        "points": points,
        "first_point_wall_seconds": round(results[0]["wall_seconds"], 3),
        "later_points": [{key: round(value, 3) if isinstance(value, float) else value
                          for key, value in point.items()} for point in later],
        "ours_over_highs_per_point_max": round(max(
            o / h for o, h in zip(ours, highs, strict=True)), 3),
        "ours_over_highs_per_point_total": round(sum(ours) / sum(highs), 3),
    }


def measure_throughput(instance: Path, gap: float, points: int,
                       workers: tuple[int, ...], rounds: int) -> dict:
    """The sweep run `rounds` times with each number of workers, the numbers taken in turns
    within a round (the machine's speed drifts: one run each made the ratio move by a
    tenth between runs); the median wall time of each number counts."""
    import statistics

    from planner.analyses.sweep import run_sweep
    from planner.input.loading import read_instance_data
    from planner.solving.solver import SolverOptions

    data = read_instance_data(instance)
    key, base = _swept(data)
    sweep_points = [{key: value} for value in _sweep_values(base, points)]
    walls: dict[int, list[float]] = {count: [] for count in workers}
    objectives: dict[int, list] = {}
    for _ in range(rounds):
        for count in workers:
            begun = time.perf_counter()
            results = run_sweep(data, sweep_points, SolverOptions(mip_gap=gap),
                                workers=count, source=str(instance))
            walls[count].append(round(time.perf_counter() - begun, 3))
            found = [result.objective_mnok for result in results]
            if objectives.setdefault(count, found) != found:
                objectives[count] = None  # not the same plans from one round to the next
    figures = {}
    for count in workers:
        wall = statistics.median(walls[count])
        figures[count] = {"wall_seconds": round(wall, 3), "runs": walls[count],
                          "points_per_second": round(points / wall, 4),
                          "objectives": objectives[count]}
    one = figures[workers[0]]["points_per_second"]
    for count in workers:
        figures[count]["speedup_over_1"] = round(figures[count]["points_per_second"] / one, 3)
    # Plans that changed between rounds (None) count as not the same.
    same = all(figures[count]["objectives"] is not None
               and figures[count]["objectives"] == figures[workers[0]]["objectives"]
               for count in workers)
    return {"points": points, "mip_gap": gap, "by_workers": figures,
            "same_plans_whatever_the_workers": same}


def _print_first(label: str, result: dict) -> None:
    print(f"\n{label}: first solve ({result['instance']}, gap {result['mip_gap']:g})")
    print(f"  HiGHS alone on the exported model, median of {len(result['highs_alone_runs'])}: "
          f"{result['highs_alone_seconds']:.2f} s ({result['highs_alone_status']})")
    print(f"  whole process ({result['whole_process_measured']}), median of "
          f"{len(result['whole_process_seconds'])}: "
          f"{result['whole_process_median_seconds']:.2f} s  (runs: "
          f"{', '.join(f'{s:.2f}' for s in result['whole_process_seconds'])})")
    print(f"  where the time goes: the instrumented run of median wall time, "
          f"{result['instrumented_median_wall_seconds']:.2f} s (runs: "
          f"{', '.join(f'{s:.2f}' for s in result['instrumented_wall_seconds'])})")
    for phase, seconds in result["phases_of_median_run"].items():
        print(f"    {phase:<24} {seconds:8.3f} s")
    print(f"  HiGHS inside the process (every solve it makes), median: "
          f"{result['highs_in_process_median_seconds']:.2f} s")
    print(f"  whole process − HiGHS alone: {result['whole_minus_highs_alone_seconds']:.2f} s")
    print(f"  ours (outside HiGHS), median: {result['ours_seconds']:.2f} s = "
          f"{result['ours_over_highs']:.2f} × HiGHS alone")


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        _child(*sys.argv[2:])
        return
    # The children import only what `planner solve` does: the modules below are the
    # parent's (argparse and statistics alone take 20 ms to import).
    import argparse
    import platform
    import subprocess
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=5, help="Norway whole-process runs")
    parser.add_argument("--generated-repeat", type=int, default=3)
    parser.add_argument("--skip-generated", action="store_true")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--throughput-rounds", type=int, default=3)
    arguments = parser.parse_args()

    # As an installed package has it (pip compiles it on install): the planner's modules
    # compiled to bytecode once, so that no run pays for it. (This machine's environment
    # sets PYTHONDONTWRITEBYTECODE, under which nothing would ever be compiled ahead.)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "planner"),
                    str(ROOT / "models")], check=True, capture_output=True)
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate, write_instance
    from planner.solving.solver import DEFAULT_MIP_GAP, solver_version

    probe_before = cpu_probe()
    results: dict = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                     "machine": f"{platform.node()}, {os.cpu_count()} cores, "
                                f"load average {os.getloadavg()[0]:.2f} at start",
                     "highs": solver_version()}
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        norway = measure_first_solve(NORWAY, DEFAULT_MIP_GAP, work, arguments.repeat,
                                     command=True)
        results["norway_first_solve"] = norway
        _print_first("Norway", norway)
        sweep = measure_sweep_points(NORWAY, DEFAULT_MIP_GAP, arguments.points, work)
        results["norway_sweep_points"] = sweep
        print(f"  sweep points after the first: ours / HiGHS at most "
              f"{sweep['ours_over_highs_per_point_max']:.3f}, over all "
              f"{sweep['ours_over_highs_per_point_total']:.3f}")
        if not arguments.skip_generated:
            data = generate(GENERATED["seed"], GENERATED["years"], GENERATED["pools"],
                            GENERATED["products"], GENERATED["workloads"],
                            GENERATED["yearly_cap_mnok"])
            path = work / f"{data['name']}.yaml"
            write_instance(data, path, " ".join(f"--{key.replace('_mnok', '').replace('_', '-')}"
                                                f" {value:g}" for key, value in
                                                GENERATED.items()))
            generated = measure_first_solve(path, 0.01, work, arguments.generated_repeat)
            generated["instance"] = data["name"]
            generated["settings"] = GENERATED
            results["generated_first_solve"] = generated
            _print_first("Generated", generated)
            sweep = measure_sweep_points(path, 0.01, 3, work)
            results["generated_sweep_points"] = sweep
            print(f"  sweep points after the first: ours / HiGHS at most "
                  f"{sweep['ours_over_highs_per_point_max']:.3f}, over all "
                  f"{sweep['ours_over_highs_per_point_total']:.3f}")
        throughput = measure_throughput(NORWAY, DEFAULT_MIP_GAP, 8,
                                        tuple(arguments.workers), arguments.throughput_rounds)
        results["norway_sweep_throughput"] = throughput
        print(f"\nNorway sweep of {throughput['points']} points, throughput by worker "
              f"processes (median of {arguments.throughput_rounds}, in turns):")
        for count, figure in throughput["by_workers"].items():
            print(f"  {count} worker(s): {figure['wall_seconds']:.2f} s, "
                  f"{figure['points_per_second']:.3f} points/s, "
                  f"{figure['speedup_over_1']:.2f} × one worker")
        print(f"  same plans whatever the workers: {throughput['same_plans_whatever_the_workers']}")
    results["python_probe_seconds"] = [probe_before, cpu_probe()]
    print(f"\nPure-Python probe (the machine's speed): {probe_before:.3f} s at the start, "
          f"{results['python_probe_seconds'][1]:.3f} s at the end")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "overhead.json").write_text(json.dumps(results, indent=2) + "\n")


def cpu_probe() -> float:
    """Seconds for a fixed pure-Python loop, the best of 3: this shared machine's speed
    drifts by a third over an hour, and Python work (imports, building) with it more than
    HiGHS does, so a run's figures are read beside it."""
    best = math.inf
    for _ in range(3):
        begun = time.perf_counter()
        sum(number * number for number in range(3_000_000))
        best = min(best, time.perf_counter() - begun)
    return round(best, 3)


if __name__ == "__main__":
    main()
