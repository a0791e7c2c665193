"""docs/assumptions.md lists every number of the Norway instances, so that table and files
cannot drift apart: each number of each file has its row (same key path, same value), no
row is stale, every row has a kind, and the counts the page states are the table's."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

PROJECT = Path(__file__).resolve().parent.parent
PAGE = PROJECT / "docs" / "assumptions.md"
KINDS = ("report", "public", "assumption")
# Each file's numbers: the main table, plus the section for what the file adds.
SECTIONS = {
    "norway-2025.yaml": ["norway-2025.yaml"],
    "norway-2025-extended.yaml": ["norway-2025.yaml", "Added in norway-2025-extended.yaml"],
    "norway-2025-scenarios.yaml": ["norway-2025.yaml", "Added in norway-2025-scenarios.yaml"],
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(value: float) -> str:
    return f"{value:g}"


def numbers(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(key path, value) of every number in an instance: a map of years, or a list of
    numbers, is one value (its numbers in order, ` / ` and `, ` apart); list items with a
    `name` are addressed by it, as `--set` does. `format` is the file format, not data."""
    if isinstance(node, dict):
        if node and all(isinstance(key, int) for key in node) and all(
                _is_number(value) for value in node.values()):
            yield path, " / ".join(_text(node[year]) for year in sorted(node))
            return
        for key, value in node.items():
            if path == "" and key == "format":
                continue
            yield from numbers(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        if node and all(_is_number(value) for value in node):
            yield path, ", ".join(_text(value) for value in node)
            return
        for position, item in enumerate(node):
            key = item.get("name", position) if isinstance(item, dict) else position
            yield from numbers(item, f"{path}.{key}")
    elif _is_number(node):
        yield path, _text(node)


def table_rows() -> dict[str, dict[str, tuple[str, str]]]:
    """Per `###` section of "## Every number": key → (value, kind)."""
    text = PAGE.read_text(encoding="utf-8")
    part = text.split("\n## Every number\n", 1)[1].split("\n## ", 1)[0]
    sections: dict[str, dict[str, tuple[str, str]]] = {}
    current = None
    for line in part.splitlines():
        if line.startswith("### "):
            current = sections.setdefault(line[4:].strip(), {})
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if current is None or len(cells) < 4 or cells[0] in ("key", "---"):
            continue
        assert cells[0] not in current, f"{cells[0]} listed twice"
        assert cells[3], f"{cells[0]}: no source or reason"
        current[cells[0]] = (cells[1], cells[2])
    return sections


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_every_number_of_the_file_has_its_row(name):
    sections = table_rows()
    rows: dict[str, tuple[str, str]] = {}
    for section in SECTIONS[name]:
        rows |= sections[section]
    found = dict(numbers(yaml.safe_load((PROJECT / "instances" / name).read_text("utf-8"))))
    missing = sorted(set(found) - set(rows))
    assert not missing, f"{name}: numbers without a row in docs/assumptions.md: {missing}"
    wrong = {key: (value, rows[key][0]) for key, value in found.items()
             if rows[key][0] != value}
    assert not wrong, f"{name}: file value vs table value: {wrong}"
    stale = sorted(set(rows) - set(found))
    assert not stale, f"{name}: rows for numbers the file does not have: {stale}"
    assert {kind for _, kind in rows.values()} <= set(KINDS)


def test_the_stated_counts_are_the_tables():
    sections = table_rows()
    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    main = Counter(kind for _, kind in sections["norway-2025.yaml"].values())
    assert (f"`norway-2025.yaml` has **{sum(main.values())}** numbers: **{main['report']}** "
            f"from the report, **{main['public']}** from public sources, "
            f"**{main['assumption']}** assumptions.") in text
    for file, label in (("extended", "the extended file"), ("scenarios", "the scenario file")):
        added = Counter(kind for _, kind in
                        sections[f"Added in norway-2025-{file}.yaml"].values())
        parts = ", ".join(f"{added[kind]} {word}" for kind, word in
                          (("report", "report"), ("public", "public"),
                           ("assumption", "assumptions")) if added[kind])
        assert re.search(rf"{label} adds {sum(added.values())} \({parts}\)", text,
                         re.IGNORECASE), label


def test_the_default_instance_leaves_out_what_the_report_funds_elsewhere():
    """Language models and classified work are outside the 2 600 MNOK (Totalkostnad i en
    femårsperiode): not in the default instance; the extended one has both."""
    from planner import load_instance

    default = load_instance(PROJECT / "instances" / "norway-2025.yaml")
    assert "language-models" not in default.workloads
    assert all(workload.tier in (None, "open") for workload in default.workloads.values())
    assert default.pools["sigma2"].max_tier == "open"
    extended = load_instance(PROJECT / "instances" / "norway-2025-extended.yaml")
    assert extended.workloads["language-models"].resource == "gpu"
    assert extended.workloads["defence-restricted"].tier == "restricted"
    assert extended.budget == default.budget
    olivia = next(system for system in default.existing if system.name == "olivia")
    assert olivia.capacity["gpu"] == 304 and "sigma2.no/a2" in olivia.source


def test_the_scenarios_weight_to_the_main_instances_growth():
    """The scenario instance's probability-weighted growth of research GPU and research CPU
    need is the main instance's (0.35 x 0.30 + 0.30 x 0.40 + 0.30 x 0.50 + 0.05 x 1.50 =
    0.45 for GPU; 0.35 x 0.13 + 0.30 x 0.12 + 0.30 x 0.14 + 0.05 x 0.13 = 0.13 for CPU),
    and its spread covers the report's 40-50 %/yr."""
    from planner import load_instance

    main = load_instance(PROJECT / "instances" / "norway-2025.yaml")
    scenarios = load_instance(PROJECT / "instances" / "norway-2025-scenarios.yaml")
    for workload, resource in (("research-gpu", "gpu"), ("research-cpu", "cpu")):
        base = main.workloads[workload].demand.growth
        rates = {name: scenario.demand_growth.get(workload,
                                                  scenario.demand_growth.get(resource, base))
                 for name, scenario in scenarios.scenarios.items()}
        weighted = sum(scenarios.scenarios[name].probability * rate
                       for name, rate in rates.items())
        assert weighted == pytest.approx(base, abs=1e-12), workload
        if resource == "gpu":
            assert min(rates.values()) <= 0.40 and max(rates.values()) >= 0.50
            assert len({rate for rate in rates.values()}) == len(rates)
        else:
            assert len(set(rates.values())) > 1  # a scenario varies CPU demand
