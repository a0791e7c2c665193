"""Two-stage scenarios (spec §6.2): the stochastic plan, EVPI and VSS, worked out by hand.

Money in MNOK; discount rate 0 and `end_of_horizon: none` unless a test says otherwise.
"""

from __future__ import annotations

import copy
import json
import re

import pyomo.environ as pyo
import pytest
from click.testing import CliRunner
from support.instances import PROJECT, write_yaml
from support.tiny import cloud_pool, instance, national_pool, product, workload

from planner import InputError, Plan, solve
from planner.analyses.stochastic import scenario_datas, value_of_information
from planner.commands.base import main
from planner.data.derive import derive
from planner.data.scenarios import expected_value_scenario, probabilities
from planner.input.loading import instance_from_data, load_instance
from planner.models.extensive import build_extensive_model
from planner.solving.solver import SolverOptions


def approx(value: float):
    return pytest.approx(value, rel=1e-6, abs=1e-7)


def booms(**scenarios: dict) -> dict:
    """GPU and CPU nodes: 1 MNOK bought in 2025 (decided now, serve 2025-2026) or 2.5 bought
    in 2026 (serve 2026); demand 10 GPUs and 10 kcores in 2026 only; unserved 3 per unit."""
    def products(resource: str) -> dict:
        return {f"{resource}-early": product("nat", capacity=1, capex=1, resource=resource,
                                             years=[2025], lifetime=2),
                f"{resource}-late": product("nat", capacity=1, capex=2.5, resource=resource,
                                            years=[2026])}
    return instance(
        years=(2025, 2026),
        pools={"nat": national_pool()},
        products=products("gpu") | products("cpu"),
        workloads={"ai": workload({2025: 0, 2026: 10}, penalty=3),
                   "simulation": workload({2025: 0, 2026: 10}, penalty=3, resource="cpu")},
        decide_now=[2025],
        scenarios=scenarios or {"gpu-boom": {"probability": 0.5, "demand_scale": {"gpu": 2}},
                                "cpu-boom": {"probability": 0.5, "demand_scale": {"cpu": 2}}},
    )


def first_stage(plan: Plan) -> dict[str, float]:
    table = plan.tables["first_stage"]
    return dict(zip(table["product"], table["units"], strict=True))


def test_the_stochastic_plan_differs_from_both_single_scenario_plans():
    """gpu-boom doubles GPU demand (20 GPUs, 10 kcores), cpu-boom CPU demand (10, 20); 50 %
    each. A shortfall in 2026 is bought late at 2.5 (below the penalty 3).

    Each scenario alone buys its own demand early: gpu-boom 20 GPU + 10 CPU nodes, cpu-boom
    10 + 20; 30 MNOK each, so WS = 30.
    Stochastic: an early unit between 10 and 20 saves a late one (2.5) with probability
    0.5, 1.25 > its price 1, so 20 GPU and 20 CPU nodes are bought now in both scenarios:
    RP = 40 MNOK, and nothing is bought late. EVPI = RP − WS = 10 MNOK.
    EV problem: demand factors at their means (1.5 and 1.5): 15 + 15 nodes early, 30 MNOK.
    With those fixed, each scenario buys 5 late for its boom: 30 + 12.5 = 42.5 in both;
    EEV = 42.5, VSS = EEV − RP = 2.5 MNOK.
    A model that let each scenario buy its own 2025 nodes would give RP = WS = 30.
    """
    data = booms()
    plan = solve(instance_from_data(data, "booms.yaml"))
    assert plan.status == "optimal"
    assert plan.objective_mnok == approx(40.0)
    assert first_stage(plan) == {"gpu-early": 20, "cpu-early": 20}
    purchases = plan.tables["purchases"]
    assert set(purchases["product"]) == {"gpu-early", "cpu-early"}  # nothing late
    assert plan.tables["scenarios"]["objective_mnok"].tolist() == [approx(40), approx(40)]

    alone = {}
    for name in ("gpu-boom", "cpu-boom"):
        single = copy.deepcopy(data)
        single["scenarios"] = {name: {**data["scenarios"][name], "probability": 1}}
        alone[name] = solve(instance_from_data(single, f"{name}.yaml"))
        assert alone[name].objective_mnok == approx(30.0)
    assert first_stage(alone["gpu-boom"]) == {"gpu-early": 20, "cpu-early": 10}
    assert first_stage(alone["cpu-boom"]) == {"gpu-early": 10, "cpu-early": 20}

    report = value_of_information(instance_from_data(data, "booms.yaml"), SolverOptions())
    assert report.rp_mnok == approx(40.0)
    assert report.ws_mnok == approx(30.0)
    assert report.evpi_mnok == approx(10.0)
    assert report.expected_value.objective_mnok == approx(30.0)
    assert report.ev_purchases()[["product", "units"]].values.tolist() == [
        ["cpu-early", 15], ["gpu-early", 15]]
    assert report.eev_mnok == approx(42.5)
    assert report.vss_mnok == approx(2.5)
    assert report.vss_unbounded_in == []


@pytest.mark.slow
def test_subproblems_on_local_processes_give_the_same_numbers():
    report = value_of_information(instance_from_data(booms(), "booms.yaml"), SolverOptions(),
                                  workers=2)
    assert (report.ws_mnok, report.eev_mnok, report.vss_mnok) == (
        approx(30.0), approx(42.5), approx(2.5))


@pytest.mark.slow
def test_subproblems_on_a_dask_cluster_give_the_same_numbers():
    """The route sweeps take beyond one machine (here a local cluster of two processes)."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        report = value_of_information(instance_from_data(booms(), "booms.yaml"),
                                      SolverOptions(), scheduler=cluster.scheduler_address)
    assert (report.evpi_mnok, report.vss_mnok) == (approx(10.0), approx(2.5))
    assert sorted(report.ev_plan_fixed) == ["cpu-boom", "gpu-boom"]


def test_vss_is_unbounded_when_the_ev_purchases_leave_a_scenario_without_a_plan(tmp_path):
    """Nodes can be bought only in 2025 (1 MNOK, serve 2025-2026); demand 10 or 20 in 2026
    (low, high: 50 % each) must be fully served (min_coverage 1).

    RP must serve 20 in both: 20 nodes, 20 MNOK. WS = (10 + 20)/2 = 15, EVPI = 5.
    EV problem: demand 15, 15 nodes. With 15 fixed, high cannot serve 20: infeasible, so
    VSS is unbounded, naming high.
    """
    data = instance(
        years=(2025, 2026), pools={"nat": national_pool()},
        products={"node": product("nat", capacity=1, capex=1, years=[2025], lifetime=2)},
        workloads={"w": workload({2025: 0, 2026: 10}, penalty=3, min_coverage=1.0)},
        decide_now=[2025],
        scenarios={"low": {"probability": 0.5},
                   "high": {"probability": 0.5, "demand_scale": {"w": 2}}})
    report = value_of_information(instance_from_data(data, "ev.yaml"), SolverOptions())
    assert report.rp_mnok == approx(20.0)
    assert report.evpi_mnok == approx(5.0)
    assert report.ev_plan_fixed["high"].status == "infeasible"
    assert report.ev_plan_fixed["low"].status == "optimal"
    assert report.vss_unbounded_in == ["high"]
    assert report.vss_mnok is None

    path = write_yaml(tmp_path / "ev.yaml", data)
    store = tmp_path / "runs.sqlite"
    result = CliRunner().invoke(main, ["stochastic", str(path), "--out", str(tmp_path / "out"),
                                       "--workers", "1", "--quiet", "--report", "md",
                                       "--report", "xlsx",
                                       "--store", str(store)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "VSS is unbounded" in text and "scenario(s) high have no feasible plan" in text
    assert "EVPI = RP − WS = 20.0 − 15.0 = 5.0 MNOK" in text
    document = json.loads((tmp_path / "out" / "plan.json").read_text())
    assert document["metadata"]["vss_unbounded_scenarios"] == ["high"]
    assert document["summary"]["vss_mnok"] is None

    # The report carries the same figures, and the unbounded VSS as a warning.
    report = " ".join((tmp_path / "out" / "report.md").read_text().split())
    assert "Expected value of perfect information (EVPI = objective − WS): **5.0 MNOK**" \
        in report
    assert "Value of the stochastic solution (VSS = EEV − objective): **– MNOK**" in report
    assert "scenario(s) high have no feasible plan" in report
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")["Scenarios"]
    figures = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert figures["Expected value of perfect information (EVPI = objective − WS)"] == \
        approx(5.0)
    assert figures["Value of the stochastic solution (VSS = EEV − objective)"] is None
    from planner.store import open_store

    with open_store(store, create=False) as runs:
        (listed,) = runs.runs()
        recorded = runs.get(listed.id)
    assert recorded.kind == "stochastic" and recorded.details["evpi_mnok"] == approx(5.0)
    assert recorded.plan().summary["evpi_mnok"] == approx(5.0)


def test_prices_scale_only_after_the_last_decide_now_year():
    """One node (1 kcore for one year) costs capex 1 and opex 0.5, a batch of them fixed
    capex 3 and fixed opex 1; cloud GPUs cost 1 each. Demand: 10 kcores and 4 GPUs a year,
    2025-2026; penalties high. decide_now [2025]; one scenario doubles the node's and the
    cloud's prices.

    2025 (prices known): 10·1 + 3 + 10·0.5 + 1 + 4·1 = 23.
    2026 (doubled):      10·2 + 6 + 10·1 + 2 + 4·2 = 46.     Objective 69.
    Scaling every year would give 92; scaling none 46.
    """
    plan = solve(instance_from_data(dear_prices(), "prices.yaml"))
    assert plan.objective_mnok == approx(69.0)
    financing = plan.tables["financing"].set_index("line")
    assert financing.loc["sum", "2025"] == approx(23.0)
    assert financing.loc["sum", "2026"] == approx(46.0)
    purchases = plan.tables["purchases"].set_index("year")
    assert purchases.loc[2026, "unit_capex_mnok"] == approx(2.0)
    assert purchases.loc[2026, "capex_mnok"] == approx(26.0)
    assert purchases.loc[2025, "first_stage"] and not purchases.loc[2026, "first_stage"]


def test_a_workloads_own_entry_wins_and_the_ev_scenario_averages_what_applies():
    """Demand {base 4, growth 0.5} for `ai` (GPU) and {base 2, growth 0.1} for `hpc` (CPU).
    a (25 %): GPU demand ×2, ai's own growth 0.1. b (75 %): ai ×4, GPU growth 0.3.
    In a, ai's demand in 2026 is 4·2·1.1 = 8.8; in b, 4·4·1.3 = 20.8 (own scale wins, the
    resource's growth applies); hpc is 2.2 in both.
    EV: ai's factor 0.25·2 + 0.75·4 = 3.5 and growth 0.25·0.1 + 0.75·0.3 = 0.25:
    4·3.5·1.25 = 17.5 in 2026; hpc keeps factor 1 and growth 0.1.
    """
    data = instance(
        years=(2025, 2026),
        pools={"nat": national_pool()},
        products={"node": product("nat", capacity=1, capex=1)},
        workloads={"ai": workload({"base": 4, "growth": 0.5}, penalty=1),
                   "hpc": workload({"base": 2, "growth": 0.1}, penalty=1, resource="cpu")},
        scenarios={
            "a": {"probability": 0.25, "demand_scale": {"gpu": 2},
                  "demand_growth": {"ai": 0.1}},
            "b": {"probability": 0.75, "demand_scale": {"ai": 4, "gpu": 3},
                  "demand_growth": {"gpu": 0.3}},
        })
    loaded = instance_from_data(data, "resolution.yaml")
    assert derive(loaded, "a").demand["ai", 2026] == approx(8.8)
    assert derive(loaded, "b").demand["ai", 2026] == approx(20.8)
    assert derive(loaded, "b").demand["hpc", 2026] == approx(2.2)
    mean = expected_value_scenario(loaded)
    assert mean.demand_scale["ai"] == approx(3.5)
    assert mean.demand_growth["ai"] == approx(0.25)
    assert derive(loaded, mean).demand["ai", 2026] == approx(17.5)
    assert derive(loaded, mean).demand["hpc", 2026] == approx(2.2)


def test_a_scenario_without_demand_does_not_cap_what_is_bought_now_for_the_others():
    """A batch product has a unit bound of ten times what serves peak demand (no caps):
    10 units in a scenario with no demand. none (50 %): demand ×0; lots (50 %): 30 GPUs
    in 2026, which only 2025 purchases can serve (1 each, penalty 3). RP buys 30 now
    (30 < 0.5·30·3 = 45): 30 MNOK. With each scenario's own bound, none's 10 would cap the
    shared purchase: 10 + 0.5·20·3 = 40.
    """
    data = instance(
        years=(2025, 2026), pools={"nat": national_pool()},
        products={"node": product("nat", capacity=1, capex=1, years=[2025], lifetime=2,
                                  batch={"min_units": 0})},
        workloads={"w": workload({2025: 0, 2026: 30}, penalty=3)},
        decide_now=[2025],
        scenarios={"none": {"probability": 0.5, "demand_scale": {"w": 0}},
                   "lots": {"probability": 0.5}})
    plan = solve(instance_from_data(data, "bounds.yaml"))
    assert plan.objective_mnok == approx(30.0)
    assert first_stage(plan) == {"node": 30}


def test_probabilities_that_do_not_add_up_to_one_exit_2(tmp_path):
    data = booms()
    data["scenarios"]["cpu-boom"]["probability"] = 0.6
    path = write_yaml(tmp_path / "bad.yaml", data)
    for command in (["validate", str(path)], ["solve", str(path), "--out", str(tmp_path / "o")],
                    ["stochastic", str(path), "--out", str(tmp_path / "o")]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2, result.output
        assert "scenarios: the probabilities must add up to 1; they add up to 1.1" in \
            " ".join(result.output.split())
        assert "gpu-boom 0.5, cpu-boom 0.6" in result.output
    assert not (tmp_path / "o").exists()


def test_commands_that_plan_one_forecast_refuse_scenarios_clearly(tmp_path):
    loaded = instance_from_data(booms(), "booms.yaml")
    with pytest.raises(InputError, match="takes no scenarios"):
        derive(loaded)
    path = write_yaml(tmp_path / "booms.yaml", booms())
    result = CliRunner().invoke(main, ["solve", str(path), "--priority", "coverage",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "only priority 'cost'" in result.output
    plain = booms()
    del plain["scenarios"]
    result = CliRunner().invoke(main, ["stochastic", str(write_yaml(tmp_path / "p.yaml", plain))])
    assert result.exit_code == 2 and "this instance has no scenarios" in result.output


def test_solve_prints_the_first_stage_each_scenario_and_the_expected_cost(tmp_path):
    path = write_yaml(tmp_path / "booms.yaml", booms())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = result.output
    first = text.index("First stage: purchases decided now (2025)")
    assert first < text.index("Scenario gpu-boom") < text.index("Scenario cpu-boom") \
        < text.index("Expected cost: 40.0 MNOK")
    assert text.count("Financing plan") == 2 and text.count("Unserved demand") == 2
    plan = Plan.from_json_file(out / "plan.json")
    assert plan.objective_mnok == approx(40.0)
    assert plan.metadata["scenarios"] == ["gpu-boom", "cpu-boom"]
    assert set(plan.tables["financing"]["scenario"]) == {"gpu-boom", "cpu-boom"}
    assert plan.instance.scenarios["gpu-boom"].demand_scale == {"gpu": 2}


def test_plan_json_md_names_every_key_of_a_scenario_plan(tmp_path):
    data = booms()
    data["pools"]["second"] = national_pool()
    data["products"]["gpu-second"] = product("second", capacity=1, capex=1, years=[2025],
                                             lifetime=2)
    data["workloads"]["ai"]["redundant"] = True
    report = value_of_information(instance_from_data(data, "keys.yaml"), SolverOptions())
    document = report.plan.to_document()
    assert "redundancy" in document["tables"] and "redundancy_cost_mnok" in document["summary"]
    named = set(re.findall(r"`([^`\n]+)`", (PROJECT / "docs" / "plan-json.md").read_text()))
    keys = [*document["metadata"], *document["summary"], *document["tables"]]
    for table in report.plan.tables.values():
        keys += [str(column) for column in table.columns if not str(column).isdigit()]
    missing = sorted({key for key in keys if key not in named})
    assert not missing, f"plan.json keys not in docs/plan-json.md: {missing}"


def test_model_md_names_every_component_of_the_extensive_form():
    loaded = instance_from_data(booms(), "booms.yaml")
    model = build_extensive_model(scenario_datas(loaded), probabilities(loaded),
                                  loaded.decide_now_years, loaded.name)
    text = (PROJECT / "docs" / "model.md").read_text()
    named = set(re.findall(r"`([^`\n]+)`", text))
    top = [component.name for component in model.component_objects(descend_into=False)]
    assert {"scenario", "first_stage_units", "expected_cost"} <= set(top)
    missing = [name for name in top if name not in named]
    assert not missing, f"extensive-form components not in docs/model.md: {missing}"
    assert isinstance(model.first_stage_units, pyo.Constraint) and len(model.first_stage_units)


@pytest.mark.slow
def test_norway_scenarios_print_a_first_stage_plans_evpi_and_vss(tmp_path):
    """The sibling Norway instance at a 1e-3 gap (about 1.7 MNOK on its expected cost):
    the two-stage plan, each scenario's plan, EVPI and VSS in MNOK, and the redundant
    critical services' backup at both national sites."""
    path = PROJECT / "instances" / "norway-2025-scenarios.yaml"
    assert load_instance(path).decide_now == [2025, 2026]
    result = CliRunner().invoke(main, ["stochastic", str(path), "--mip-gap", "1e-3",
                                       "--workers", "2", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "First stage: purchases decided now (2025, 2026)" in text
    for name in ("level-out", "gpu-40", "gpu-50", "ai-100x"):
        assert f"Scenario {name}" in text
    figure = r"[\d\u202f]+\.\d"  # a no-break space between thousands
    assert re.search(rf"EVPI = RP − WS = {figure} − {figure} = {figure} MNOK", text)
    assert re.search(rf"VSS = EEV − RP = {figure} − {figure} = [-−]?{figure} MNOK", text)
    assert "N-1 redundancy" in text
    plan = Plan.from_json_file(tmp_path / "out" / "plan.json")
    redundancy = plan.tables["redundancy"]
    assert set(redundancy["pool"]) == {"sigma2", "sigma2-trondheim"}
    assert redundancy["covered_if_lost"].all()
    assert plan.summary["evpi_mnok"] >= -1e-3 * plan.objective_mnok


def dear_prices() -> dict:
    return instance(
        years=(2025, 2026),
        pools={"nat": national_pool(), "cloud": cloud_pool({"gpu": 1})},
        products={"node": product("nat", capacity=1, capex=1, resource="cpu", opex=0.5,
                                  batch={"fixed_capex": 3, "fixed_opex": 1})},
        workloads={"cpu-work": workload(10, penalty=100, resource="cpu"),
                   "gpu-work": workload(4, penalty=100)},
        decide_now=[2025],
        scenarios={"dear": {"probability": 1, "price_scale": {"node": 2, "cloud": 2}}})


def test_scenario_plans_recompute_with_plain_python():
    """tests/support/recheck.py recomputes each scenario's part (its demand and scaled prices) and
    the expected cost; a price left unscaled, diverging first stages or a wrong expected
    cost are caught."""
    from support.recheck import recheck

    for data in (booms(), dear_prices()):
        plan = solve(instance_from_data(data, "recheck.yaml"))
        document = json.loads(plan.to_json())
        assert recheck(document).problems == []

    def tampered(data: dict, change) -> list[str]:
        document = json.loads(solve(instance_from_data(data, "recheck.yaml")).to_json())
        change(document)
        return recheck(document).problems

    def unscaled(doc):
        row = next(row for row in doc["tables"]["purchases"] if row["year"] == 2026)
        row["unit_capex_mnok"] = 1.0
    assert any("unit capex" in problem for problem in tampered(dear_prices(), unscaled))

    def first_stage_apart(doc):
        row = next(row for row in doc["tables"]["purchases"]
                   if row["scenario"] == "cpu-boom" and row["first_stage"])
        row["units"] += 1
    assert any("decided now differ" in problem for problem in tampered(booms(),
                                                                        first_stage_apart))

    def expected_cost(doc):
        doc["metadata"]["objective_mnok"] += 1
    assert any("expected cost" in problem for problem in tampered(booms(), expected_cost))


def test_revising_a_two_stage_plan_commits_its_first_stage_once(tmp_path):
    """The booms plan (above) bought 20 GPU and 20 CPU nodes early in 2025, the same in
    both scenarios. Revised for 2026 with no actuals, 2025 is history: those purchases
    become commitments once each (not once per scenario), `decide_now: [2025]` is
    history and is dropped (the default, [2026], remains), and the revised plan keeps
    the same expected cost, 40 MNOK: the committed 40 serve either boom in 2026."""
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(solve(instance_from_data(booms(), "booms.yaml")).to_json())
    out = tmp_path / "revised"
    result = CliRunner().invoke(main, ["revise", str(plan_file), "--year", "2026",
                                       "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    revised = load_instance(out / "instance.yaml")
    assert sorted((c.product, c.year, c.units) for c in revised.committed) == [
        ("cpu-early", 2025, 20), ("gpu-early", 2025, 20)]
    assert revised.decide_now is None and revised.plan_from == 2026
    assert Plan.from_json_file(out / "plan.json").objective_mnok == approx(40.0)
    assert "two-stage plan" in " ".join(result.output.split())


def test_revising_past_the_shared_years_needs_actuals(tmp_path):
    """With `decide_now: [2026]` the 2025 purchases are each scenario's own: which were
    made depends on the scenario that came, so revising for 2026 without actuals for 2025
    is bad input (exit 2, nothing written)."""
    data = booms()
    data["decide_now"] = [2026]
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(solve(instance_from_data(data, "booms.yaml")).to_json())
    result = CliRunner().invoke(main, ["revise", str(plan_file), "--year", "2026",
                                       "--out", str(tmp_path / "revised")])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "two-stage plan whose purchases in 2025 differ per scenario" in text
    assert "give an actuals file for 2025" in text
    assert not (tmp_path / "revised").exists()


def low_high() -> dict:
    """Nodes of 1 MNOK serving only their year; 2026 demand 10 (low, 25 %) or 20 (high,
    75 %), unserved 3 per unit; 2025 (no demand) is decided now."""
    return instance(
        years=(2025, 2026), pools={"nat": national_pool()},
        products={"node": product("nat", capacity=1, capex=1)},
        workloads={"w": workload({2025: 0, 2026: 10}, penalty=3)},
        decide_now=[2025],
        scenarios={"low": {"probability": 0.25},
                   "high": {"probability": 0.75, "demand_scale": {"w": 2}}})


def test_whatif_on_a_two_stage_instance_compares_expected_plans(tmp_path):
    """low_high: base buys 10 (low) or 20 (high), expected 17.5 MNOK. With a total budget
    of 15 in every scenario, high buys 15 and leaves 5 unserved (penalty 15):
    0.25·10 + 0.75·(15 + 15) = 25 MNOK; expected nodes 0.25·10 + 0.75·15 = 13.75."""
    path = write_yaml(tmp_path / "low-high.yaml", low_high())
    result = CliRunner().invoke(main, ["whatif", str(path), "--set", "budget.total=15"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Objective: 17.5 → 25.0 MNOK" in text
    assert "probability-weighted expectations" in text
    assert "purchases node open 2026: 17.5 → 13.8 units" in text


def test_a_two_stage_plan_is_compared_by_its_expectation():
    """Nodes of 1 MNOK serving only their year; 2026 demand 10 (low, 25 %) or 20 (high,
    75 %); nothing is worth buying in 2025, the year decided now. low buys 10, high 20:
    expected units 0.25·10 + 0.75·20 = 17.5 at 1 MNOK, financing 17.5 in 2026, expected
    demand 17.5. Against the plain instance (demand 10: 10 nodes) the diff shows
    10 → 17.5 nodes and 10 → 17.5 MNOK."""
    from planner.results.plan_diff import diff_plans, expected_plan

    data = low_high()
    two_stage = solve(instance_from_data(data, "two-stage.yaml"))
    expected = expected_plan(two_stage)
    purchases = expected.tables["purchases"].set_index("year")
    assert purchases.loc[2026, "units"] == approx(17.5)
    assert purchases.loc[2026, "unit_capex_mnok"] == approx(1.0)
    assert expected.tables["financing"].set_index("line").loc["sum", "2026"] == approx(17.5)
    coverage = expected.tables["coverage"].set_index("year")
    assert coverage.loc[2026, "demand"] == approx(17.5)

    plain = copy.deepcopy(data)
    del plain["scenarios"], plain["decide_now"]
    diff = diff_plans(solve(instance_from_data(plain, "plain.yaml")), two_stage)
    row = diff.purchases.set_index("year").loc[2026]
    assert (row["units_before"], row["units_after"]) == (approx(10.0), approx(17.5))
    assert any("two-stage plan" in note for note in diff.notes)


def test_a_sweep_of_a_two_stage_instance_reports_expected_figures():
    """low_high under total budgets 15 and 100 (worked out above): 25 and 17.5 MNOK; at 15
    the high scenario leaves 5 unserved: expected 0.75·5 = 3.75. Solved on two worker
    processes, each point's extensive form whole."""
    from planner.analyses.sweep import run_sweep

    results = run_sweep(low_high(), [{"budget.total": 15}, {"budget.total": 100}],
                        SolverOptions(), source="low-high.yaml", workers=2)
    assert [result.objective_mnok for result in results] == [approx(25.0), approx(17.5)]
    assert results[0].unserved["w"] == approx(3.75)
    assert not any(result.model_reused for result in results)


def test_explain_refuses_a_two_stage_instance_before_solving(tmp_path):
    path = write_yaml(tmp_path / "low-high.yaml", low_high())
    result = CliRunner().invoke(main, ["explain", str(path)])
    assert result.exit_code == 2, result.output
    assert "`planner explain` plans for one forecast" in " ".join(result.output.split())


def test_an_input_error_crosses_process_boundaries_whole():
    """Errors raised in sweep or scenario workers are pickled back to the parent; the
    default pickling of an exception with two arguments broke the process pool."""
    import pickle

    from planner.input.errors import Problem

    error = InputError("a.yaml", [Problem("budget.total", "expected a number ≥ 0")])
    copy_of = pickle.loads(pickle.dumps(error))
    assert (copy_of.source, copy_of.problems, str(copy_of)) == (
        error.source, error.problems, str(error))
