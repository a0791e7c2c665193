"""Two-stage plans (spec §6.2): the extensive form, and what planning for scenarios is worth.

- `solve_scenarios(instance)` solves the recourse problem RP exactly (within the MIP gap):
  one block per scenario, the `decide_now` purchases shared (`planner.models.extensive`).
  `planner.solve` (`planner.analyses.facade`) calls it for every instance with `scenarios`.
- `value_of_information(instance)` adds, on the same instance, the wait-and-see optimum
  WS (each scenario solved alone), EVPI = RP − WS, the expected-value (EV) problem, EEV
  (each scenario re-optimised with the `decide_now` purchases fixed at the EV plan's) and
  VSS = EEV − RP. The WS and EEV subproblems are independent: they run on the same local
  processes or Dask cluster as sweeps (`planner.analyses.jobs.run_jobs`).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planner.analyses.jobs import run_jobs
from planner.data.derive import ModelData, derive
from planner.data.scenarios import (
    EXPECTED_VALUE,
    expected_value_scenario,
    probabilities,
    scenario_names,
)
from planner.input.errors import InputError
from planner.input.schema import Instance
from planner.models import build_model
from planner.models.extensive import (
    build_extensive_model,
    first_stage_batches,
    first_stage_cells,
    fix_first_stage,
)
from planner.models.redundancy import read_reservations
from planner.models.solution import read_solution
from planner.results.diagnostics import bound_warnings, history_overrun_warnings
from planner.results.plan import Plan
from planner.results.tables import all_tables, redundancy_table
from planner.solving.model_file import write_model_file
from planner.solving.shared import add_redundancy_cost, cost_summary, run_metadata
from planner.solving.solver import (
    DEFAULT_MIP_GAP,
    INFEASIBLE,
    OPTIMAL,
    STOPPED_WITH_PLAN,
    SolverOptions,
    run_highs,
)

# Tables of a scenario plan that have a row set per scenario (a `scenario` column first).
SCENARIO_TABLES = ("financing", "purchases", "capacity", "coverage", "allocation", "shares",
                   "budget", "redundancy")


def scenario_datas(instance: Instance) -> dict[str, ModelData]:
    """Each scenario's data, with one unit bound per first-stage purchase for all of them.

    The bounds of a purchase decided now must hold whatever scenario comes, so each is
    the largest of the scenarios' bounds (they differ where demand does).
    """
    datas = {name: derive(instance, name) for name in scenario_names(instance)}
    decide_now = instance.decide_now_years
    keys = {key for data in datas.values() for key in data.unit_bound if key[1] in decide_now}
    for key in keys:
        widest = max(data.unit_bound[key] for data in datas.values())
        for data in datas.values():
            data.unit_bound[key] = widest
    return datas


def solve_scenarios(instance: Instance, *, time_limit_seconds: float | None = None,
                    mip_gap: float = DEFAULT_MIP_GAP, threads: int = 1, priority: str = "cost",
                    write_model: str | Path | None = None,
                    instance_file: str | Path | None = None) -> Plan:
    """The two-stage plan of an instance with scenarios: its extensive form solved exactly.

    The plan's objective is the expected cost Σ_s probability_s·cost_s; its tables have a
    `scenario` column, `purchases` a `first_stage` column, and two tables are added:
    `first_stage` (the shared purchases) and `scenarios` (each scenario's probability
    and cost). See docs/scenarios.md.
    """
    if priority != "cost":
        raise InputError("--priority", "only priority 'cost' is available for an instance "
                                       "with scenarios (its objective is the expected cost)")
    started = time.perf_counter()
    datas = scenario_datas(instance)
    model = build_extensive_model(datas, probabilities(instance), instance.decide_now_years,
                                  instance.name)
    build_seconds = time.perf_counter() - started
    if write_model is not None:
        write_model_file(model, write_model)
    options = SolverOptions(time_limit_seconds=time_limit_seconds, mip_gap=mip_gap,
                            threads=threads)
    run = run_highs(model, options)
    plan = _scenario_plan(instance, datas, model, run, options, build_seconds, instance_file)
    if plan.has_plan and any(data.redundant_workloads for data in datas.values()):
        add_redundancy_cost(plan, model, options)  # the expected cost without N-1
    return plan


def _scenario_plan(instance: Instance, datas: dict[str, ModelData], model, run,
                   options: SolverOptions, build_seconds: float,
                   instance_file: str | Path | None) -> Plan:
    """The plan of a solved extensive form (tables per scenario, expected summary)."""
    names = list(datas)
    decide_now = instance.decide_now_years
    metadata = run_metadata(instance, run, options, build_seconds) | {"priority": "cost"}
    if instance_file is not None:
        metadata["instance_file"] = str(instance_file)
        metadata["instance_sha256"] = hashlib.sha256(Path(instance_file).read_bytes()).hexdigest()
    metadata["scenarios"] = names
    metadata["decide_now"] = decide_now
    if run.status not in (OPTIMAL, STOPPED_WITH_PLAN):
        metadata["warnings"] = []
        return Plan(instance=instance, metadata=metadata, summary={}, tables={})

    per_scenario: dict[str, dict[str, pd.DataFrame]] = {}
    summaries: dict[str, dict[str, float]] = {}
    warnings: list[str] = []
    for name in names:
        data, block = datas[name], model.scenario[name]
        solution = read_solution(block, data)
        tables = all_tables(data, solution)
        if data.redundant_workloads:
            tables["redundancy"] = redundancy_table(
                data, solution, read_reservations(block, data, solution.served))
        per_scenario[name] = tables
        summaries[name] = cost_summary(data, solution)
        warnings += [f"scenario {name}: {text}" for text in
                     bound_warnings(data, solution) + history_overrun_warnings(tables["budget"])]

    tables: dict[str, pd.DataFrame] = {}
    for table in SCENARIO_TABLES:
        parts = [per_scenario[name][table].assign(scenario=name) for name in names
                 if table in per_scenario[name]]
        if not parts:
            continue
        combined = pd.concat(parts, ignore_index=True)
        tables[table] = combined[["scenario", *[c for c in combined.columns if c != "scenario"]]]
    purchases = tables["purchases"]
    purchases["first_stage"] = purchases["year"].isin(decide_now)
    first = purchases[(purchases["scenario"] == names[0]) & purchases["first_stage"]]
    tables["first_stage"] = first.drop(columns=["scenario", "first_stage"]).reset_index(drop=True)

    weights = probabilities(instance)
    records = []
    for name in names:
        source = instance.scenarios[name].source
        records.append({"scenario": name, "probability": weights[name]}
                       | summaries[name] | {"source": source})
    tables["scenarios"] = pd.DataFrame.from_records(records)
    summary = {key: sum(weights[name] * summaries[name][key] for name in names)
               for key in summaries[names[0]]}
    metadata["warnings"] = warnings
    return Plan(instance=instance, metadata=metadata, summary=summary, tables=tables)


# --- Value of the stochastic solution and of perfect information ----------------------


@dataclass
class Subproblem:
    """One scenario (or the EV problem) solved alone; what the workers send back."""

    kind: str  # "ws" (scenario alone), "ev" (expected-value problem), "eev" (EV purchases fixed)
    scenario: str
    status: str
    objective_mnok: float | None
    gap: float | None
    seconds: float
    first_stage_units: dict = field(default_factory=dict)  # (i,b,k) → units, "ev" only
    first_stage_batches: dict = field(default_factory=dict)  # (i,b) → 0/1, "ev" only


def solve_subproblem(kind: str, instance: Instance, scenario: str | None,
                     fixed_units: dict | None, fixed_batches: dict | None,
                     options: SolverOptions) -> Subproblem:
    """Solve one scenario alone ("ws"), the EV problem ("ev", scenario None), or one
    scenario with the purchases decided now fixed ("eev"). Safe to run in another process."""
    if kind == "ev":
        data = derive(instance, expected_value_scenario(instance))
    else:
        data = derive(instance, scenario)
    if fixed_units:
        # A fixed purchase must fit its unit bound, whatever this scenario's demand says.
        for (product, year, _), units in fixed_units.items():
            data.unit_bound[product, year] = max(data.unit_bound[product, year], units)
    model = build_model(data)
    if fixed_units is not None:
        fix_first_stage(model, fixed_units, fixed_batches or {})
    run = run_highs(model, options)
    result = Subproblem(kind=kind, scenario=scenario or EXPECTED_VALUE, status=run.status,
                        objective_mnok=run.objective, gap=run.gap, seconds=run.seconds)
    if kind == "ev" and run.has_plan:
        decide_now = instance.decide_now_years
        solution = read_solution(model, data)
        result.first_stage_units = {cell: solution.units_bought[cell]
                                    for cell in first_stage_cells(data, decide_now)}
        result.first_stage_batches = {key: solution.batch_bought[key]
                                      for key in first_stage_batches(data, decide_now)}
    return result


@dataclass
class ValueOfInformation:
    """RP, WS, EVPI, EV, EEV and VSS of an instance with scenarios (MNOK, expected)."""

    plan: Plan  # the recourse problem's plan
    wait_and_see: dict[str, Subproblem] = field(default_factory=dict)
    expected_value: Subproblem | None = None
    ev_plan_fixed: dict[str, Subproblem] = field(default_factory=dict)

    @property
    def rp_mnok(self) -> float | None:
        return self.plan.objective_mnok if self.plan.status == OPTIMAL else None

    def _expected(self, results: dict[str, Subproblem]) -> float | None:
        weights = probabilities(self.plan.instance)
        if len(results) != len(weights) or any(
                result.status != OPTIMAL for result in results.values()):
            return None
        return sum(weights[name] * results[name].objective_mnok for name in weights)

    @property
    def ws_mnok(self) -> float | None:
        return self._expected(self.wait_and_see)

    @property
    def evpi_mnok(self) -> float | None:
        if self.rp_mnok is None or self.ws_mnok is None:
            return None
        return self.rp_mnok - self.ws_mnok

    @property
    def eev_mnok(self) -> float | None:
        return self._expected(self.ev_plan_fixed)

    @property
    def vss_unbounded_in(self) -> list[str]:
        """Scenarios left without any feasible plan by the EV plan's purchases."""
        return [name for name, result in self.ev_plan_fixed.items()
                if result.status == INFEASIBLE]

    @property
    def vss_mnok(self) -> float | None:
        if self.rp_mnok is None or self.eev_mnok is None:
            return None
        return self.eev_mnok - self.rp_mnok

    def table(self) -> pd.DataFrame:
        """One row per scenario: probability, cost in the two-stage plan, alone, with the
        EV plan's first stage."""
        plan_costs = self.plan.tables["scenarios"].set_index("scenario")["objective_mnok"] \
            if self.plan.has_plan else {}
        records = []
        for name, probability in probabilities(self.plan.instance).items():
            alone = self.wait_and_see.get(name)
            fixed = self.ev_plan_fixed.get(name)
            records.append({
                "scenario": name, "probability": probability,
                "two_stage_mnok": plan_costs.get(name) if len(plan_costs) else None,
                "alone_mnok": alone.objective_mnok if alone else None,
                "alone_status": alone.status if alone else None,
                "ev_first_stage_mnok": fixed.objective_mnok if fixed else None,
                "ev_first_stage_status": fixed.status if fixed else "not solved",
            })
        return pd.DataFrame.from_records(records, columns=[
            "scenario", "probability", "two_stage_mnok", "alone_mnok", "alone_status",
            "ev_first_stage_mnok", "ev_first_stage_status"])

    def ev_purchases(self) -> pd.DataFrame:
        """The EV plan's purchases decided now: the first stage EEV is measured with."""
        columns = ["product", "year", "tier", "units", "batch"]
        if self.expected_value is None:
            return pd.DataFrame(columns=columns)
        tiers = self.plan.instance.tier_names
        batches = self.expected_value.first_stage_batches
        records = [{"product": product, "year": year, "tier": tiers[tier], "units": units,
                    "batch": bool(batches.get((product, year), 0) > 0.5)}
                   for (product, year, tier), units in
                   sorted(self.expected_value.first_stage_units.items()) if units > 0]
        return pd.DataFrame.from_records(records, columns=columns)

    def add_to_plan(self) -> None:
        """Put the numbers into the plan: summary keys and two tables (docs/plan-json.md)."""
        plan = self.plan
        plan.summary |= {
            "wait_and_see_mnok": self.ws_mnok,
            "evpi_mnok": self.evpi_mnok,
            "expected_value_problem_mnok": (
                self.expected_value.objective_mnok
                if self.expected_value and self.expected_value.status == OPTIMAL else None),
            "eev_mnok": self.eev_mnok,
            "vss_mnok": self.vss_mnok,
        }
        plan.metadata |= {"vss_unbounded_scenarios": self.vss_unbounded_in}
        if self.vss_unbounded_in:
            plan.metadata |= {"warnings": [*plan.metadata.get("warnings", []), (
                "VSS is unbounded: with the expected-value plan's purchases decided now, "
                f"scenario(s) {', '.join(self.vss_unbounded_in)} have no feasible plan")]}
        plan.tables["value_of_information"] = self.table()
        plan.tables["ev_first_stage"] = self.ev_purchases()


def value_of_information(instance: Instance, options: SolverOptions, workers: int = 1,
                         scheduler: str | None = None, instance_file: str | Path | None = None,
                         on_result=None) -> ValueOfInformation:
    """RP by the extensive form, then WS, EV and EEV as independent subproblems.

    `workers` local processes (1: this process) or the Dask scheduler at `scheduler`, as
    for sweeps; `on_result(subproblem)` is called as each finishes (progress bars).
    """
    plan = solve_scenarios(instance, time_limit_seconds=options.time_limit_seconds,
                           mip_gap=options.mip_gap, threads=options.threads,
                           instance_file=instance_file)
    report = ValueOfInformation(plan=plan)
    if not plan.has_plan:
        return report

    def collect(result: Subproblem) -> None:
        if result.kind == "ws":
            report.wait_and_see[result.scenario] = result
        elif result.kind == "ev":
            report.expected_value = result
        else:
            report.ev_plan_fixed[result.scenario] = result
        if on_result is not None:
            on_result(result)

    names = scenario_names(instance)
    first = [("ev", instance, None, None, None, options)]
    first += [("ws", instance, name, None, None, options) for name in names]
    run_jobs(solve_subproblem, first, collect, workers=workers, scheduler=scheduler)
    ev = report.expected_value
    if ev is not None and ev.status == OPTIMAL:
        second = [("eev", instance, name, ev.first_stage_units, ev.first_stage_batches, options)
                  for name in names]
        run_jobs(solve_subproblem, second, collect, workers=workers, scheduler=scheduler)
    report.add_to_plan()
    return report
