"""`planner serve`'s HTTP interface (docs/serve.md), driven in-process by Starlette's client.

The objectives the server answers are cross-checked against the independent route a
planner would take: `planner solve --set KEY=VALUE` at the same gap (the Python API that
command calls, with the overrides applied by the loader rather than by the server).
"""

from __future__ import annotations

import json
import threading

import pytest
import yaml
from conftest import PROJECT
from starlette.testclient import TestClient

from planner.input.loading import load_instance
from planner.serve.app import build_app
from planner.serve.session import RE_SOLVE, REBUILD, ServeSession, Superseded
from planner.serve.settings import overrides_from_json
from planner.solving.api import solve

NORWAY = PROJECT / "instances" / "norway-2025.yaml"
GAP = 1e-3


@pytest.fixture(scope="module")
def session() -> ServeSession:
    return ServeSession(NORWAY, mip_gap=GAP)


@pytest.fixture(scope="module")
def client(session) -> TestClient:
    return TestClient(build_app(session))


def _growing_workload(session: ServeSession) -> str:
    return next(name for name, workload in session.base_instance.workloads.items()
                if hasattr(workload.demand, "growth"))


def _first_plan_year_with_cap(session: ServeSession, line: str) -> int:
    caps = getattr(session.base_instance.budget, line)
    years = [y for y in session.base_instance.year_list
             if y >= session.base_instance.first_plan_year]
    return next(y for y in years if isinstance(caps, dict) and caps.get(y) or
                isinstance(caps, int | float))


def _within_gap(a: float, b: float) -> bool:
    # Each objective is within GAP of the optimum, so they are within about 2·GAP apart.
    return abs(a - b) <= 2 * GAP * max(abs(a), abs(b)) + 1e-6


def test_three_settings_match_planner_solve_with_set(client, session):
    workload = _growing_workload(session)
    growth = session.base_instance.workloads[workload].demand.growth
    year = _first_plan_year_with_cap(session, "national_investment")
    cap = session.base_instance.budget.national_investment[year]
    settings = [
        ({"budget.total": 2000}, ["budget.total=2000"], RE_SOLVE),
        ({f"budget.national_investment.{year}": cap - 50},
         [f"budget.national_investment.{year}={cap - 50}"], RE_SOLVE),
        ({f"workloads.{workload}.demand.growth": str(growth / 2)},
         [f"workloads.{workload}.demand.growth={growth / 2}"], REBUILD),
    ]
    for body, overrides, route in settings:
        response = client.post("/api/solve", json={"set": body})
        assert response.status_code == 200, response.text
        document = response.json()
        assert document["serve"]["route"] == route
        reference = solve(load_instance(NORWAY, overrides), mip_gap=GAP,
                          marginal_values=False)
        assert document["metadata"]["status"] == reference.status
        assert _within_gap(document["metadata"]["objective_mnok"], reference.objective_mnok)
        # the layout of plan.json: the same keys a plan file has
        assert {"plan_schema_version", "metadata", "summary", "tables", "instance"} \
            <= set(document)
        assert document["serve"]["set"] == overrides or route == REBUILD


def test_a_bad_key_or_value_is_422_with_the_set_message(client):
    response = client.post("/api/solve", json={"set": {"budget.totl": 2000}})
    assert response.status_code == 422
    assert any("budget.totl" in line and "unknown key" in line
               for line in response.json()["errors"])
    response = client.post("/api/solve", json={"set": {"budget.total": -5}})
    assert response.status_code == 422
    assert any("budget.total" in line for line in response.json()["errors"])
    response = client.post("/api/solve", json={"set": {"budget.total": [1, 2]}})
    assert response.status_code == 422
    response = client.post("/api/solve", content=b"not json")
    assert response.status_code == 422


def test_an_infeasible_setting_answers_with_confirmed_relaxations(client, session):
    year = _first_plan_year_with_cap(session, "operations")
    response = client.post("/api/solve", json={"set": {f"budget.operations.{year}": 1}})
    assert response.status_code == 200
    document = response.json()
    assert document["metadata"]["status"] == "infeasible"
    relaxations = document["serve"]["relaxations"]
    assert relaxations and all(answer["confirmed"] for answer in relaxations)
    applied = {change["key"]: change["value"] for change in relaxations[0]["changes"]}
    again = client.post("/api/solve", json={"set": {f"budget.operations.{year}": 1, **applied}})
    assert again.json()["metadata"]["status"] == "optimal"


def test_the_page_escapes_names_and_needs_no_network(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text
    assert "Content-Security-Policy" in page.headers
    assert client.get("/static/serve.js").status_code == 200
    norwegian = client.get("/?lang=nb")
    assert "Hva om" in norwegian.text


def test_a_foreign_host_name_is_refused(client):
    # DNS rebinding: a page elsewhere reaching this server by another name gets nothing.
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


def test_downloads_apply_the_setting(client, session):
    query = {"set": json.dumps({"budget.total": 2100})}
    response = client.get("/api/download/instance", params=query)
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert yaml.safe_load(response.text)["budget"]["total"] == 2100
    report = client.get("/api/download/report", params={**query, "lang": "nb"})
    assert report.status_code == 200 and "<html" in report.text


def test_save_records_a_whatif_run(client, tmp_path, monkeypatch):
    from planner.store import open_store

    response = client.post("/api/save", json={"set": {"budget.total": 2000}})
    assert response.status_code == 200
    run_id = response.json()["run"]
    with open_store() as store:
        runs = {run.id[: len(run_id)]: run for run in store.runs()}
    assert runs[run_id].kind == "whatif"


def test_settings_read_json_numbers_as_numbers_and_strings_as_set_text():
    parsed = overrides_from_json({"budget.total": 2000, "budget.yearly": "{2026: 500}"})
    assert [(o.path, o.value) for o in parsed] == [("budget.total", 2000),
                                                   ("budget.yearly", {2026: 500})]
    with pytest.raises(Exception, match="expected"):
        overrides_from_json({"budget.total": None})


@pytest.mark.slow
def test_a_newer_request_supersedes_a_running_solve(session):
    """Two requests at once: the older is cancelled (Superseded) or was already done;
    the newer always gets its own plan."""
    outcomes: dict[str, object] = {}
    workload = _growing_workload(session)

    def older():
        try:
            outcomes["older"] = session.answer({f"workloads.{workload}.demand.growth": 0.77})
        except Superseded:
            outcomes["older"] = "superseded"

    thread = threading.Thread(target=older)
    thread.start()
    newer = session.answer({"budget.total": 2222})
    thread.join(60)
    assert newer.plan.status == "optimal"
    assert newer.override_texts == ["budget.total=2222"]
    assert outcomes["older"] == "superseded" or outcomes["older"].plan.has_plan
