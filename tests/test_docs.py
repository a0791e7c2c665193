"""The user documentation names everything the code builds, reads and writes.

- docs/model.md: every component of a built model (each constraint family among them)
  and every function in `planner.models.CONSTRAINT_FAMILIES`, in backticks;
- docs/instance-format.md: every key of instance format 1;
- docs/plan-json.md: every metadata and summary key, table and column of a solved plan.
"""

from __future__ import annotations

import copy
import re

import pyomo.environ as pyo
import pytest
from support.instances import PROJECT, VALID

from planner import solve
from planner.data.derive import derive
from planner.input.loading import instance_from_data
from planner.input.schema import Instance, Item
from planner.models import CONSTRAINT_FAMILIES, build_model

DOCS = PROJECT / "docs"


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _in_backticks(text: str) -> set[str]:
    """Every word (identifier) that appears inside a `code span` of `text`."""
    return {word for span in re.findall(r"`([^`\n]+)`", text)
            for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", span)}


def _every_family_instance() -> dict:
    """The shared small instance, extended so that every constraint family has rows."""
    data = copy.deepcopy(VALID)
    data["pools"]["sigma2"]["fixed_opex"] = 2  # pool_in_use
    data["policy"]["eurohpc_share"] = {"min": 0.0, "max": 0.5}  # eurohpc_share
    data["committed"] = [{"product": "cpu-node", "year": 2025, "units": 2}]  # commitments
    data["workloads"]["research-cpu"]["min_coverage"] = 0.5  # minimum_coverage
    data["workloads"]["research-gpu"]["redundant"] = True  # redundancy_cover, _capacity
    data["pools"]["cloud"]["limit"] = {"gpu": 10}  # redundancy_cloud_limit
    return data


@pytest.fixture(scope="module")
def instance():
    return instance_from_data(_every_family_instance(), "every-family.yaml")


@pytest.fixture(scope="module")
def model(instance):
    return build_model(derive(instance))


def test_the_instance_activates_every_constraint_family(model):
    for family in CONSTRAINT_FAMILIES:
        component = model.component(family.__name__)
        assert isinstance(component, pyo.Constraint), family.__name__
        assert len(component) > 0, f"{family.__name__} has no rows in the test instance"


def test_model_md_names_every_component_of_the_built_model(model):
    text = _read("model.md")
    named = set(re.findall(r"`([^`\n]+)`", text))
    constraints = [c.name for c in model.component_objects(pyo.Constraint)]
    assert constraints, "the model has no constraints"
    missing = [name for name in constraints if name not in named]
    assert not missing, f"constraint components not in docs/model.md: {missing}"
    others = [c.name for kind in (pyo.Var, pyo.Expression, pyo.Param, pyo.Objective)
              for c in model.component_objects(kind)]
    missing = [name for name in others if name not in _in_backticks(text)]
    assert not missing, f"model components not in docs/model.md: {missing}"


def test_model_md_names_every_constraint_family_function():
    named = set(re.findall(r"`([^`\n]+)`", _read("model.md")))
    missing = [family.__name__ for family in CONSTRAINT_FAMILIES
               if family.__name__ not in named]
    assert not missing, f"constraint families not in docs/model.md: {missing}"


def test_model_md_table_has_one_row_per_constraint_family():
    rows = [line for line in _read("model.md").splitlines() if line.startswith("| ")]
    for family in CONSTRAINT_FAMILIES:
        name = f"`{family.__name__}`"
        assert any(row.split("|")[2].strip() == name for row in rows), \
            f"no constraint-table row whose component column is {name}"


def test_instance_format_md_names_every_top_level_key():
    named = set(re.findall(r"`([^`\n]+)`", _read("instance-format.md")))
    missing = [key for key in Instance.model_fields
               if key not in named]
    assert not missing, f"top-level keys not in docs/instance-format.md: {missing}"


def _item_models(base: type = Item) -> list[type]:
    models = []
    for model in base.__subclasses__():
        models += [model, *_item_models(model)]
    return models


def test_instance_format_md_names_every_nested_key():
    words = _in_backticks(_read("instance-format.md"))
    missing = sorted({f"{model.__name__}.{key}" for model in _item_models()
                      for key in model.model_fields if key not in words})
    assert not missing, f"keys not in docs/instance-format.md: {missing}"


@pytest.fixture(scope="module")
def plan(instance):
    return solve(instance)


def test_plan_json_md_names_every_metadata_summary_and_table_key(plan):
    assert plan.has_plan
    named = set(re.findall(r"`([^`\n]+)`", _read("plan-json.md")))
    document = plan.to_document()
    keys = [*document, *document["metadata"], *document["summary"], *document["tables"]]
    for table in plan.tables.values():
        keys += [str(column) for column in table.columns if not str(column).isdigit()]
    missing = sorted({key for key in keys if key not in named})
    assert not missing, f"plan.json keys not in docs/plan-json.md: {missing}"


def test_readme_command_table_lists_every_command():
    from planner.commands import COMMANDS

    table = [line for line in (PROJECT / "README.md").read_text(encoding="utf-8").splitlines()
             if line.startswith("| `planner ")]
    listed = {line.split("`")[1].split()[1] for line in table}
    assert set(COMMANDS) <= listed, set(COMMANDS) - listed
