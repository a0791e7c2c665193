"""What-if runs and --set overrides."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from support.instances import write_yaml

from planner.analyses.whatif import whatif
from planner.cli import main
from planner.input.errors import InputError
from planner.input.loading import instance_from_data, load_instance
from planner.input.overrides import apply_overrides, parse_override

ONE_YEAR = {
    "format": 1, "name": "one-year", "years": {"first": 2025, "last": 2025},
    "end_of_horizon": "none",
    "resources": {"gpu": {"unit": "GPUs"}},
    "locations": {"norway": {"national": True}},
    "pools": {"sigma2": {"kind": "national", "location": "norway"}},
    "products": {"node": {"pool": "sigma2", "capacity": {"gpu": 1}, "capex": 1, "lifetime": 1}},
    "workloads": {"ai": {"resource": "gpu", "demand": {2025: 10}, "unmet_penalty": 3}},
    "budget": {"total": 12},
}


def test_whatif_compares_base_and_variant_largest_change_first():
    """Base: 10 nodes at 1 MNOK serve all 10 GPUs, objective 10. With --set
    budget.total=8 only 8 nodes: 8 + 2 unserved · 3 = 14. Changes, by relative size:
    unserved 0 → 2 (100 %), objective 10 → 14 (29 %), then purchases, capacity, served
    and national investment 10 → 8 (20 %)."""
    base = instance_from_data(ONE_YEAR, "base")
    changed = apply_overrides(ONE_YEAR, [parse_override("budget.total=8")])
    result = whatif(base, instance_from_data(changed, "variant"), ["budget.total=8"])
    assert result.base.objective_mnok == pytest.approx(10)
    assert result.variant.objective_mnok == pytest.approx(14)
    assert result.base.metadata.get("model_reused") is True  # caps only: one model
    differences = result.differences
    assert differences["category"].tolist()[:2] == ["unserved", "objective"]
    assert differences["text"].iloc[0] == "unserved ai 2025: 0 → 2 GPUs"
    purchases = differences[differences["category"] == "purchases"].iloc[0]
    assert (purchases["base"], purchases["variant"]) == (10, 8)


def test_whatif_command_prints_side_by_side(tmp_path):
    path = write_yaml(tmp_path / "x.yaml", ONE_YEAR)
    result = CliRunner().invoke(main, ["whatif", str(path), "--set", "budget.total=8"])
    assert result.exit_code == 0, result.output
    assert "10 → 8" in result.output and "unserved ai 2025: 0 → 2 GPUs" in result.output
    from planner.store import open_store, store_path
    with open_store(store_path()) as store:
        base, variant = sorted(store.runs(kind="whatif"), key=lambda run: run.parent or "")
        assert variant.parent == base.id
        assert variant.objective_mnok == pytest.approx(14)
    assert CliRunner().invoke(main, ["whatif", str(path)]).exit_code == 2


def test_setting_one_year_of_a_single_number_keeps_the_other_years(tmp_path, valid_instance):
    valid_instance["budget"]["yearly"] = 50
    path = write_yaml(tmp_path / "x.yaml", valid_instance)
    instance = load_instance(path, ["budget.yearly.2026=20"])
    assert instance.budget.yearly == {2025: 50, 2026: 20}


def test_overrides_find_list_items_by_name_and_position(tmp_path, valid_instance):
    valid_instance["committed"] = [{"product": "cpu-node", "year": 2025, "units": 1}]
    path = write_yaml(tmp_path / "x.yaml", valid_instance)
    instance = load_instance(path, ["existing.betzy.last_year=2026",
                                    "tiers.restricted.surcharge=0.4",
                                    "committed.0.units=2",
                                    "workloads.research-gpu.demand.growth=0.4"])
    assert instance.existing[0].last_year == 2026
    assert instance.tiers[1].surcharge == 0.4
    assert instance.committed[0].units == 2
    assert instance.workloads["research-gpu"].demand.growth == 0.4


@pytest.mark.parametrize(("override", "words"), [
    ("budget.yerly.2026=5", "budget.yerly: unknown key"),
    ("existing.nobody.last_year=2027", "no item 'nobody'"),
    ("budget.total=abc", "budget.total: expected a number"),
    ("budget.total", "expected KEY.PATH=VALUE"),
    ("products.gpu-node.lifetime=0", "products.gpu-node.lifetime: expected a number ≥ 1"),
])
def test_a_bad_override_names_its_path(tmp_path, valid_instance, override, words):
    path = write_yaml(tmp_path / "x.yaml", valid_instance)
    with pytest.raises(InputError) as caught:
        load_instance(path, [override])
    assert words in caught.value.describe()
    result = CliRunner().invoke(main, ["solve", str(path), "--set", override,
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and words in result.output
    assert not (tmp_path / "out").exists()
