"""Instances as Excel workbooks: the round trip YAML → xlsx → YAML keeps every instance,
a workbook is validated like YAML, and its errors name the sheet, the row and the column."""

from __future__ import annotations

import copy

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from support.instances import PROJECT, VALID, write_yaml

from planner import InputError, load_instance, solve
from planner.commands.base import main
from planner.input.loading import read_instance_data
from planner.input.workbook import header_key, instance_yaml, write_workbook


def _bundled_instances() -> list:
    """Every instance file in instances/ and instances/examples/ (files of other kinds,
    such as actuals, have no `resources` and are left out)."""
    files = sorted([*PROJECT.glob("instances/*.yaml"), *PROJECT.glob("instances/examples/*.yaml")])
    instances = [path for path in files
                 if "resources" in (yaml.safe_load(path.read_text(encoding="utf-8")) or {})]
    assert len(instances) >= 9
    return instances


@pytest.mark.parametrize("path", _bundled_instances(), ids=lambda path: path.name)
def test_round_trip_yaml_xlsx_yaml_keeps_the_instance(tmp_path, path):
    original = load_instance(path)
    workbook = tmp_path / "instance.xlsx"
    write_workbook(original, workbook)
    from_workbook = load_instance(workbook)
    back = tmp_path / "instance.yaml"
    back.write_text(instance_yaml(from_workbook), encoding="utf-8")
    again = load_instance(back)
    assert from_workbook == original and again == original
    # The same keys given, not only the same values with defaults filled in.
    given = original.model_dump(exclude_unset=True)
    assert from_workbook.model_dump(exclude_unset=True) == given
    assert again.model_dump(exclude_unset=True) == given


def test_the_workbook_has_a_sheet_per_section_and_units_in_the_headers(tmp_path):
    instance = load_instance(PROJECT / "instances" / "norway-2025.yaml")
    path = tmp_path / "norway.xlsx"
    write_workbook(instance, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["settings", "resources", "tiers", "locations", "pools",
                               "products", "existing", "workloads", "year_values", "committed",
                               "scenarios"]
    products = [cell.value for cell in book["products"][1]]
    assert "capex (MNOK per unit)" in products and "capacity.gpu (GPUs per unit)" in products
    rows = list(book["products"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == list(instance.products)  # one row per item
    gpu_node = dict(zip(products, rows[1], strict=True))
    assert gpu_node["capex (MNOK per unit)"] == 1.52  # a number, not text
    assert gpu_node["source"] == instance.products["gpu-node"].source  # text kept whole
    year_values = {row[0]: row for row in book["year_values"].iter_rows(values_only=True)}
    assert year_values["budget.national_investment"][2:] == (200, 300, 300, 400, 400)


def test_solve_accepts_the_workbook_directly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # anything a command keeps by default stays in tmp_path
    data = copy.deepcopy(VALID)
    yaml_path = write_yaml(tmp_path / "small.yaml", data)
    xlsx_path = tmp_path / "small.xlsx"
    write_workbook(load_instance(yaml_path), xlsx_path)
    assert read_instance_data(xlsx_path)["name"] == "small"
    from_yaml = solve(load_instance(yaml_path))
    from_xlsx = solve(load_instance(xlsx_path))
    assert from_xlsx.objective_mnok == pytest.approx(from_yaml.objective_mnok, abs=1e-9)
    # --set works on a workbook as on YAML.
    changed = load_instance(xlsx_path, ["budget.total=50"])
    assert changed.budget.total == 50
    result = CliRunner().invoke(main, ["solve", str(xlsx_path), "--quiet", "--out",
                                       str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "plan.json").exists()


def _edited(tmp_path, edit) -> str:
    """The problems `load_instance` reports for the small instance's workbook, edited."""
    path = tmp_path / "small.xlsx"
    write_workbook(load_instance(write_yaml(tmp_path / "small.yaml", copy.deepcopy(VALID))),
                   path)
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)
    with pytest.raises(InputError) as caught:
        load_instance(path)
    return str(caught.value)


def _column(sheet, key: str) -> str:
    for cell in sheet[1]:
        if cell.value is not None and header_key(cell.value) == key:
            return cell.column_letter
    raise KeyError(key)


def test_errors_name_the_sheet_row_and_column(tmp_path):
    def edit(book):
        products = book["products"]
        products[f"{_column(products, 'capex')}3"] = -1        # cpu-node, row 3
        products[f"{_column(products, 'lifetime')}2"] = None   # gpu-node, row 2
        workloads = book["workloads"]
        workloads[f"{_column(workloads, 'placement')}2"] = "everywhere"
        book["year_values"]["C3"] = "abc"                      # budget.yearly, 2025

    message = _edited(tmp_path, edit)
    assert "small.xlsx: 4 problems" in message
    assert "sheet 'products', row 3, column E (capex (MNOK per unit)): expected a number ≥ 0, " \
           "got -1" in message
    assert "sheet 'products', row 2, column H (lifetime (years)): required key is missing" \
        in message
    assert "sheet 'workloads', row 2, column" in message and "everywhere" in message
    assert "sheet 'year_values', row 3, column C (2025 (MNOK)): expected a number" in message


def test_consistency_errors_name_the_cell_too(tmp_path):
    def edit(book):
        pools = book["pools"]
        pools[f"{_column(pools, 'location')}2"] = "oslo"

    message = _edited(tmp_path, edit)
    assert "sheet 'pools', row 2, column C (location): unknown location 'oslo'" in message


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda book: book.create_sheet("notes"), "sheet 'notes': unknown sheet"),
    (lambda book: book["resources"].append(["cpu", "cores"]),
     "sheet 'resources', row 4, column A (name): name 'cpu' is given twice"),
    (lambda book: book["resources"].append([None, "cores"]),
     "sheet 'resources', row 4, column A (name): a name is required"),
    (lambda book: book["year_values"].__setitem__("B2", 3),
     "sheet 'year_values', row 2: baseline_opex: give either 'every year' or single years"),
    (lambda book: book["settings"].append(["bogus", 1]),
     "sheet 'settings', row"),
])
def test_reading_problems(tmp_path, edit, expected):
    def with_year_map(book):
        edit(book)

    message = _edited(tmp_path, with_year_map) if "year_values" not in expected else None
    if message is None:
        def edit_map(book):
            sheet = book["year_values"]
            sheet["B2"], sheet["C2"] = None, 1  # baseline_opex as a map ...
            edit(book)                          # ... and every year as well
        message = _edited(tmp_path, edit_map)
    assert expected in message


def test_header_units_are_dropped_balanced():
    assert header_key("capex (MNOK per unit)") == "capex"
    assert header_key("limit.gpu (a100) (GPUs (A100))") == "limit.gpu (a100)"
    assert header_key("source") == "source"
    assert header_key("name(x)") == "name(x)"


def test_convert_command_both_ways(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    source = PROJECT / "instances" / "examples" / "batches.yaml"
    result = runner.invoke(main, ["convert", str(source), str(tmp_path / "b.xlsx")],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["convert", str(tmp_path / "b.xlsx"), str(tmp_path / "b.yaml")],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert load_instance(tmp_path / "b.yaml") == load_instance(source)
    result = runner.invoke(main, ["convert", str(source), str(tmp_path / "b.csv")])
    assert result.exit_code == 2 and ".xlsx" in result.output
    (tmp_path / "broken.xlsx").write_text("not a workbook")
    result = runner.invoke(main, ["validate", str(tmp_path / "broken.xlsx")])
    assert result.exit_code == 2 and "not a readable Excel workbook" in result.output


def test_round_trip_keeps_the_instance_priority(tmp_path):
    """`priority` (spec §4.1) is a settings row of the workbook and comes back as given."""
    data = yaml.safe_load((PROJECT / "instances" / "norway-2025.yaml").read_text("utf-8"))
    data["priority"] = "coverage"
    path = write_yaml(tmp_path / "with-priority.yaml", data)
    original = load_instance(path)
    workbook = tmp_path / "instance.xlsx"
    write_workbook(original, workbook)
    from_workbook = load_instance(workbook)
    assert from_workbook.priority == "coverage" and from_workbook == original
