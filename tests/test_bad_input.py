"""Every kind of user mistake: one clear message naming the file and key path, exit 2,
no traceback, nothing written."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner
from support.instances import write_yaml

from planner.cli import main


def _set(path: str, value) -> Callable[[dict], None]:
    """A mutation that sets a dotted path (list items by position) to a value."""
    def mutate(data: dict) -> None:
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return mutate


def _delete(path: str) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[part]
        del node[last]
    return mutate


# (mutation, key path the message must name, words the message must contain)
MISTAKES = {
    "unknown top-level key": (_set("colour", "blue"), "colour", "unknown key"),
    "unknown nested key": (_set("products.gpu-node.lifespan", 5), "products.gpu-node.lifespan",
                           "unknown key"),
    "wrong type": (_set("products.gpu-node.capex", "cheap"), "products.gpu-node.capex",
                   "expected a number"),
    "boolean for a number": (_set("baseline_opex", True), "baseline_opex", "expected a number"),
    "missing required key": (_delete("workloads.research-gpu.unmet_penalty"),
                             "workloads.research-gpu.unmet_penalty", "required"),
    "format other than 1": (_set("format", 2), "format", "expected one of"),
    "unknown pool": (_set("products.cpu-node.pool", "saga"), "products.cpu-node.pool",
                     "unknown pool 'saga'"),
    "unknown resource": (_set("workloads.research-cpu.resource", "quantum"),
                         "workloads.research-cpu.resource", "unknown resource 'quantum'"),
    "unknown tier": (_set("workloads.research-cpu.tier", "secret"),
                     "workloads.research-cpu.tier", "unknown tier 'secret'"),
    "unknown location": (_set("pools.lumi.location", "mars"), "pools.lumi.location",
                         "unknown location"),
    "demand map missing a year": (_set("workloads.research-cpu.demand", {2025: 2}),
                                  "workloads.research-cpu.demand", "missing 2026"),
    "demand map with a year outside": (_set("workloads.research-cpu.demand",
                                            {2025: 2, 2026: 3, 2031: 4}),
                                       "workloads.research-cpu.demand.2031", "outside"),
    "growth of -100 %": (_set("workloads.research-gpu.demand", {"base": 1, "growth": -1}),
                         "workloads.research-gpu.demand.growth", "> -1"),
    "batch min above max": (_set("products.gpu-node.batch", {"min_units": 5, "max_units": 2}),
                            "products.gpu-node.batch.min_units", "min_units ≤ max_units"),
    "share min above max": (_set("policy.eurohpc_share", {"min": 0.3, "max": 0.2}),
                            "policy.eurohpc_share.min", "min ≤ max"),
    "lifetime of 0": (_set("products.cpu-node.lifetime", 0), "products.cpu-node.lifetime",
                      "≥ 1"),
    "negative capex": (_set("products.cpu-node.capex", -1), "products.cpu-node.capex", "≥ 0"),
    "coverage above 1": (_set("workloads.research-cpu.min_coverage", 1.5),
                         "workloads.research-cpu.min_coverage", "≤ 1"),
    "product in a cloud pool": (_set("products.cpu-node.pool", "cloud"),
                                "products.cpu-node.pool", "cloud pool"),
    "price on a national pool": (_set("pools.sigma2.price", {"gpu": 1}), "pools.sigma2.price",
                                 "only cloud pools"),
    "eurohpc pool above lowest tier": (_set("pools.lumi.max_tier", "restricted"),
                                       "pools.lumi.max_tier", "lowest tier"),
    "last year before first": (_set("years", {"first": 2026, "last": 2025}), "years.last",
                               "≥ years.first"),
    "plan_from outside": (_set("plan_from", 2030), "plan_from", "expected a year in"),
    "existing system in unknown pool": (_set("existing.0.pool", "fram"), "existing.betzy.pool",
                                        "unknown pool"),
    "existing above pool limit": (_set("existing.0.capacity", {"gpu": 500}),
                                  "pools.sigma2.limit.gpu", "above the limit"),
    "budget map year outside": (_set("budget.yearly", {2040: 5}), "budget.yearly.2040",
                                "outside"),
    "commitment of half a node": (_set("committed", [{"product": "cpu-node", "year": 2025,
                                                      "units": 0.5}]),
                                  "committed[0].units", "whole units"),
    "commitment of unknown product": (_set("committed", [{"product": "x", "year": 2025,
                                                          "units": 1}]),
                                      "committed[0].product", "unknown product"),
    "scenario probabilities not adding up to 1": (
        _set("scenarios", {"low": {"probability": 0.5}, "high": {"probability": 0.4}}),
        "scenarios", "must add up to 1; they add up to 0.9"),
    "scenario probability of 0": (_set("scenarios", {"only": {"probability": 0}}),
                                  "scenarios.only.probability", "> 0"),
    "scenario scaling an unknown workload": (
        _set("scenarios", {"only": {"probability": 1, "demand_scale": {"climate": 2}}}),
        "scenarios.only.demand_scale.climate", "unknown workload or resource 'climate'"),
    "scenario pricing a national pool": (
        _set("scenarios", {"only": {"probability": 1, "price_scale": {"sigma2": 2}}}),
        "scenarios.only.price_scale.sigma2", "unknown product or cloud pool"),
    "scenario growth for a demand map": (
        _set("scenarios", {"only": {"probability": 1, "demand_growth": {"research-cpu": 0.1}}}),
        "scenarios.only.demand_growth.research-cpu", "demand is a map of years"),
    "decide_now outside the plan years": (_set("decide_now", [2024]), "decide_now",
                                          "expected plan years"),
    "redundant workload with one pool": (_set("workloads.research-cpu.redundant", True),
                                         "workloads.research-cpu.redundant",
                                         "at least two pools"),
    "not a number at all": (_set("discount_rate", float("nan")), "discount_rate", "finite"),
}


@pytest.mark.parametrize("mistake", list(MISTAKES), ids=list(MISTAKES))
def test_each_mistake_names_file_and_key_and_exits_2(tmp_path, valid_instance, mistake):
    mutate, key_path, words = MISTAKES[mistake]
    mutate(valid_instance)
    path = write_yaml(tmp_path / "instance.yaml", valid_instance)
    out = tmp_path / "out"
    for command in (["validate", str(path)], ["solve", str(path), "--out", str(out)]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2, result.output
        assert str(path) in result.output
        assert f"{key_path}:" in result.output, result.output
        assert words in result.output, result.output
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not out.exists()


RAW_FILES = {
    "not YAML": (b"format: 1\nname: [unclosed\n", "not valid YAML at line"),
    "a key twice": (b"format: 1\nformat: 1\n", "given twice"),
    "empty file": (b"", "empty file"),
    "a list, not a map": (b"- 1\n- 2\n", "expected a map of top-level keys"),
    "not UTF-8": (b"name: \xff\xfe\n", "not valid UTF-8"),
}


@pytest.mark.parametrize("case", list(RAW_FILES), ids=list(RAW_FILES))
def test_unreadable_files_exit_2(tmp_path, case):
    content, words = RAW_FILES[case]
    path = tmp_path / "broken.yaml"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["solve", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert words in result.output and str(path) in result.output
    assert not (tmp_path / "out").exists()


def test_missing_file_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nowhere.yaml")])
    assert result.exit_code == 2
    assert "file not found" in result.output


def test_all_problems_are_listed_at_once(tmp_path, valid_instance):
    valid_instance["products"]["cpu-node"]["lifetime"] = 0
    valid_instance["products"]["gpu-node"]["capex"] = "x"
    path = write_yaml(tmp_path / "two.yaml", valid_instance)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "2 problems" in result.output
    assert "products.cpu-node.lifetime:" in result.output
    assert "products.gpu-node.capex:" in result.output
