"""Independent cross-check: random instances solved by HiGHS (through the planner) and by
a second solver (CBC, the binary PuLP ships) from the model file the planner exports.

For every instance the two must give the same verdict (a plan, or infeasible) and, with a
plan, the same optimal objective within the MIP gaps. CBC's own plan is checked against
every row and bound of the exported model (read here by a small MPS reader of our own)
before a disagreement is called a mismatch: CBC 2.10 has returned "optimal" with a plan
that broke a row, so such an answer is retried without CBC's preprocessing, then with
SCIP (pyscipopt) where it is installed. A second solver that times out or keeps breaking
rows leaves the instance "not checked"; the test allows none of them.

The exported model keeps the objective's constant terms (baseline opex, opex of
existing systems) as a column ONE_VAR_CONSTANT fixed at 1 by a row of its own (Pyomo's
writer); the test recomputes that constant by hand and checks it, and adds it to the
second solver's objective if a writer ever drops it.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from support.generator import small_instance

from planner import solve
from planner.input.loading import instance_from_data

pulp = pytest.importorskip("pulp", reason="the cross-check needs PuLP's CBC (pip install "
                                          "-e '.[test]')")

INSTANCES = 100  # random instances per run (seeds 0..99)
MIP_GAP = 1e-7
SECOND_SOLVER_SECONDS = 60
ROW_TOLERANCE = 1e-6
CONSTANT = "ONE_VAR_CONSTANT"


# --- a small reader of the MPS files the planner writes --------------------------------


@dataclass
class MpsModel:
    objective_name: str = ""
    senses: dict[str, str] = field(default_factory=dict)  # row → N, L, G, E
    columns: dict[str, dict[str, float]] = field(default_factory=dict)  # column → row → coef
    rhs: dict[str, float] = field(default_factory=dict)
    ranges: dict[str, float] = field(default_factory=dict)
    lower: dict[str, float] = field(default_factory=dict)
    upper: dict[str, float] = field(default_factory=dict)
    integer: set[str] = field(default_factory=set)

    def rows(self) -> dict[str, dict[str, float]]:
        """row → column → coefficient."""
        rows: dict[str, dict[str, float]] = defaultdict(dict)
        for column, entries in self.columns.items():
            for row, coefficient in entries.items():
                rows[row][column] = coefficient
        return rows

    def objective(self, values: dict[str, float]) -> float:
        return sum(entries.get(self.objective_name, 0.0) * values.get(column, 0.0)
                   for column, entries in self.columns.items())

    def broken(self, values: dict[str, float]) -> list[str]:
        """Rows, bounds and integrality a plan breaks by more than the tolerance."""
        problems = []
        for row, entries in self.rows().items():
            sense = self.senses[row]
            if sense == "N":
                continue
            activity = sum(coefficient * values.get(column, 0.0)
                           for column, coefficient in entries.items())
            scale = max(1.0, abs(self.rhs.get(row, 0.0)), sum(
                abs(coefficient * values.get(column, 0.0)) for column, coefficient in
                entries.items()))
            low, high = self._row_bounds(row)
            if activity < low - ROW_TOLERANCE * scale or activity > high + ROW_TOLERANCE * scale:
                problems.append(f"row {row}: {activity!r} not in [{low}, {high}]")
        for column in self.columns:
            value = values.get(column, 0.0)
            low, high = self.lower.get(column, 0.0), self.upper.get(column, math.inf)
            if value < low - ROW_TOLERANCE or value > high + ROW_TOLERANCE:
                problems.append(f"bound {column}: {value!r} not in [{low}, {high}]")
            if column in self.integer and abs(value - round(value)) > 1e-6:
                problems.append(f"integrality {column}: {value!r}")
        return problems

    def _row_bounds(self, row: str) -> tuple[float, float]:
        sense, rhs = self.senses[row], self.rhs.get(row, 0.0)
        width = self.ranges.get(row)
        if sense == "E":
            if width is None:
                return rhs, rhs
            return (rhs, rhs + width) if width > 0 else (rhs + width, rhs)
        if sense == "L":
            return (-math.inf if width is None else rhs - abs(width)), rhs
        return rhs, (math.inf if width is None else rhs + abs(width))


def read_mps(path: Path) -> MpsModel:
    model = MpsModel()
    section = ""
    in_integer_block = False
    for raw in path.read_text().splitlines():
        if not raw.strip() or raw.startswith("*"):
            continue
        if not raw[0].isspace():
            section = raw.split()[0]
            continue
        words = raw.split()
        if section == "ROWS":
            sense, name = words
            model.senses[name] = sense
            if sense == "N" and not model.objective_name:
                model.objective_name = name
        elif section == "COLUMNS":
            if len(words) >= 3 and words[1] == "'MARKER'":
                in_integer_block = words[2] == "'INTORG'"
                continue
            column = words[0]
            entries = model.columns.setdefault(column, {})
            for row, value in zip(words[1::2], words[2::2], strict=True):
                entries[row] = float(value)
            if in_integer_block:
                model.integer.add(column)
        elif section in ("RHS", "RANGES"):
            target = model.rhs if section == "RHS" else model.ranges
            for row, value in zip(words[1::2], words[2::2], strict=True):
                target[row] = float(value)
        elif section == "BOUNDS":
            kind, column = words[0], words[2]
            value = float(words[3]) if len(words) > 3 else 0.0
            if kind in ("LO", "LI"):
                model.lower[column] = value
            elif kind in ("UP", "UI"):
                model.upper[column] = value
            elif kind == "FX":
                model.lower[column] = model.upper[column] = value
            elif kind == "FR":
                model.lower[column], model.upper[column] = -math.inf, math.inf
            elif kind == "MI":
                model.lower[column] = -math.inf
            elif kind == "PL":
                model.upper[column] = math.inf
            elif kind == "BV":
                model.lower[column], model.upper[column] = 0.0, 1.0
            if kind in ("LI", "UI", "BV"):
                model.integer.add(column)
    return model


# --- second solvers ---------------------------------------------------------------------


@dataclass
class Answer:
    solver: str
    verdict: str  # "plan", "infeasible", "timeout" or "error"
    objective: float | None = None
    values: dict[str, float] = field(default_factory=dict)


def cbc_binary() -> str:
    """The CBC binary inside PuLP 2.x/3.x (PuLP 4 ships none; the test extra pins < 4)."""
    return pulp.apis.coin_api.pulp_cbc_path


def solve_with_cbc(path: Path, preprocess: bool = True) -> Answer:
    name = "cbc" if preprocess else "cbc without preprocessing"
    solution = path.with_suffix(".cbc.txt")
    command = [cbc_binary(), str(path), "-threads", "1", "-ratioGap", str(MIP_GAP),
               "-sec", str(SECOND_SOLVER_SECONDS)]
    if not preprocess:
        command += ["-preprocess", "off"]
    command += ["-solve", "-solution", str(solution)]
    finished = subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=SECOND_SOLVER_SECONDS + 30)
    if finished.returncode != 0 or not solution.exists():
        return Answer(name, "error")
    lines = solution.read_text().splitlines()
    status = lines[0].lower()
    if "infeasible" in status:
        return Answer(name, "infeasible")
    if not status.startswith("optimal"):
        return Answer(name, "timeout" if "stopped" in status else "error")
    values = {}
    for line in lines[1:]:
        words = line.split()
        if words and words[0] == "**":  # CBC marks values outside a bound
            words = words[1:]
        if len(words) >= 3:
            values[words[1]] = float(words[2])
    objective = float(status.rsplit(" ", 1)[-1])
    return Answer(name, "plan", objective, values)


def solve_with_scip(path: Path) -> Answer | None:
    try:
        import pyscipopt
    except ImportError:
        return None
    model = pyscipopt.Model()
    model.hideOutput()
    model.readProblem(str(path))
    model.setParam("limits/gap", MIP_GAP)
    model.setParam("limits/time", SECOND_SOLVER_SECONDS)
    model.optimize()
    status = model.getStatus()
    if status == "infeasible":
        return Answer("scip", "infeasible")
    if status != "optimal":
        return Answer("scip", "timeout" if status == "timelimit" else "error")
    values = {variable.name: model.getVal(variable) for variable in model.getVars()}
    return Answer("scip", "plan", model.getObjVal(), values)


def second_opinion(path: Path, mps: MpsModel) -> tuple[Answer, list[str]]:
    """The first second-solver answer whose plan breaks no row of the model (or that finds
    none), and a log of the answers that were set aside."""
    set_aside = []
    for attempt in (lambda: solve_with_cbc(path), lambda: solve_with_cbc(path, False),
                    lambda: solve_with_scip(path)):
        answer = attempt()
        if answer is None:
            continue
        if answer.verdict == "plan":
            broken = mps.broken(answer.values)
            if broken:
                set_aside.append(f"{answer.solver}: plan breaks {broken[:3]}")
                continue
        if answer.verdict in ("plan", "infeasible"):
            return answer, set_aside
        set_aside.append(f"{answer.solver}: {answer.verdict}")
    return Answer("none", "not checked"), set_aside


# --- the objective's constant, by hand ----------------------------------------------------


def constant_cost(data: dict) -> float:
    """Σ_y δ(y)·(baseline_opex(y) + opex of existing systems in service in y)."""
    first, last = data["years"]["first"], data["years"]["last"]
    rate = data.get("discount_rate", 0)
    total = 0.0
    for year in range(first, last + 1):
        baseline = data.get("baseline_opex", 0)
        amount = baseline.get(year, 0) if isinstance(baseline, dict) else baseline
        amount += sum(system.get("opex", 0) for system in data.get("existing", [])
                      if year <= system["last_year"])
        total += (1 + rate) ** -(year - first) * amount
    return total


def assert_second_solver_agrees(data: dict, plan, path: Path) -> None:
    """For a plan solved with `write_model=path`: the second solver on that file gives the
    same verdict and the same objective within the MIP gaps, its plan first checked
    against every row of the file, the constant term checked by hand (`constant_cost`)."""
    assert plan.status in ("optimal", "infeasible"), plan.metadata
    mps = read_mps(path)

    offset = 0.0
    written_constant = mps.columns.get(CONSTANT, {}).get(mps.objective_name, 0.0)
    if CONSTANT in mps.columns:
        assert written_constant == pytest.approx(constant_cost(data), rel=1e-12, abs=1e-12)
    else:
        offset = constant_cost(data)  # a writer that drops the constant

    answer, set_aside = second_opinion(path, mps)
    assert answer.verdict != "not checked", set_aside
    if plan.status == "infeasible":
        assert answer.verdict == "infeasible", (
            f"HiGHS: infeasible; {answer.solver}: a plan of {answer.objective} that breaks "
            f"no row ({set_aside})")
        return
    assert answer.verdict == "plan", f"HiGHS: optimal; {answer.solver}: {answer.verdict}"
    highs = plan.objective_mnok
    second = answer.objective + offset
    assert abs(highs - second) <= MIP_GAP * (abs(highs) + abs(second)) + 1e-6, (
        f"HiGHS {highs!r} vs {answer.solver} {second!r} ({set_aside})")
    # The second solver's plan, priced by the exported objective, gives its objective.
    assert mps.objective(answer.values) + offset == pytest.approx(second, rel=1e-6, abs=1e-5)


# --- the test ---------------------------------------------------------------------------


def test_cbc_binary_is_there():
    assert shutil.which(cbc_binary()) or os.access(cbc_binary(), os.X_OK)


@pytest.mark.parametrize("seed", range(INSTANCES))
@pytest.mark.slow
def test_highs_and_a_second_solver_agree(seed, tmp_path):
    data = small_instance(seed)
    path = tmp_path / "model.mps"
    plan = solve(instance_from_data(data, f"random-{seed}"), mip_gap=MIP_GAP,
                 marginal_values=False, write_model=path)
    assert_second_solver_agrees(data, plan, path)


@pytest.mark.slow
def test_a_second_solver_plan_that_breaks_a_row_is_set_aside(tmp_path, monkeypatch):
    """As CBC 2.10 once did: "optimal" with a plan that breaks a row. The cross-check must
    not take that answer; it asks again without preprocessing."""
    data = small_instance(1)
    path = tmp_path / "model.mps"
    solve(instance_from_data(data, "random-1"), marginal_values=False, write_model=path)
    mps = read_mps(path)
    honest = solve_with_cbc(path)
    assert honest.verdict == "plan" and not mps.broken(honest.values)
    row = next(name for name, sense in mps.senses.items() if name.startswith("c_e_demand"))
    column = next(iter(mps.rows()[row]))
    wrong = Answer("cbc", "plan", honest.objective - 1,
                   honest.values | {column: honest.values.get(column, 0.0) + 1})
    assert any(row in problem for problem in mps.broken(wrong.values))
    calls = []

    def cbc(path, preprocess=True):
        calls.append(preprocess)
        return wrong if preprocess else honest

    monkeypatch.setattr(sys.modules[__name__], "solve_with_cbc", cbc)
    answer, set_aside = second_opinion(path, mps)
    assert calls == [True, False]
    assert answer is honest and "breaks" in set_aside[0]
