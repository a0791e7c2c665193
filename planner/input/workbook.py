"""Instances as Excel workbooks: `write_workbook` (instance → .xlsx) and
`read_workbook_data` (.xlsx → plain data, validated like YAML by `instance_from_data`).

The layout (docs/reports.md, "Instances as workbooks"):

- `settings`: one row per single value (`key`, `value`, `unit`): format, name, years.first,
  years.last, discount_rate, end_of_horizon, plan_from, budget.total, budget.source, the
  policy keys (`policy.eurohpc_share.min`, ...), decide_now and priority.
- `resources`, `tiers`, `locations`, `pools`, `products`, `existing`, `workloads`,
  `committed`: one row per item, one column per key; nested keys as dotted columns
  (`capacity.gpu`, `batch.min_units`, `demand.base`, `demand.2026`); lists as
  comma-separated text (`2026, 2027`).
- `year_values`: `baseline_opex` and the yearly budget caps, one row each: a column
  `every year` for one number for every year, or one column per year for a map.

Every header is the key, followed by its unit in parentheses: `capex (MNOK per unit)`. An
empty cell is a key not given. Errors name the sheet, the row and the column.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.input.cells import make_workbook_inert
from planner.input.errors import InputError, Problem, brief
from planner.input.schema import Instance
from planner.input.yaml_text import dump_yaml

SETTINGS = "settings"
YEAR_VALUES = "year_values"
EVERY_YEAR = "every year"

# Sheets of items: name → (list or map, key column, columns in order with their units).
# `{unit}` is the resource's unit in a per-resource column.
ITEM_SHEETS: dict[str, tuple[str, str | None, list[tuple[str, str]]]] = {
    "resources": ("map", "name", [("unit", ""), ("source", "")]),
    "tiers": ("list", "name", [("surcharge", "fraction: 0.2 = +20 %"), ("source", "")]),
    "locations": ("map", "name", [("national", "true/false"), ("allied", "true/false"),
                                  ("source", "")]),
    "pools": ("map", "name", [
        ("kind", "national, eurohpc or cloud"), ("location", ""), ("max_tier", ""),
        ("fixed_opex", "MNOK per year"), ("limit.*", "{unit}"),
        ("price.*", "MNOK per {unit} per year"), ("source", "")]),
    "products": ("map", "name", [
        ("pool", ""), ("capacity.*", "{unit} per unit"), ("capex", "MNOK per unit"),
        ("capex_trend", "fraction per year"), ("opex", "MNOK per unit per year"),
        ("lifetime", "years"), ("lead_time", "years"), ("years", "years, comma-separated"),
        ("integer", "true/false"), ("batch.fixed_capex", "MNOK"),
        ("batch.fixed_opex", "MNOK per year"), ("batch.min_units", "units"),
        ("batch.max_units", "units"), ("source", "")]),
    "existing": ("list", "name", [
        ("pool", ""), ("capacity.*", "{unit}"), ("tier", ""), ("last_year", "year"),
        ("opex", "MNOK per year"), ("source", "")]),
    "workloads": ("map", "name", [
        ("resource", ""), ("demand.base", "resource units"),
        ("demand.growth", "fraction per year"), ("demand.*", "resource units"), ("tier", ""),
        ("placement", "national, allied or any"), ("unmet_penalty", "MNOK per unit per year"),
        ("min_coverage", "fraction"), ("redundant", "true/false"), ("source", "")]),
    "scenarios": ("map", "name", [
        ("probability", "fraction"), ("demand_scale.*", "factor"),
        ("demand_growth.*", "fraction per year"), ("price_scale.*", "factor"), ("source", "")]),
    "committed": ("list", None, [
        ("product", ""), ("year", "year"), ("tier", ""), ("units", "units"),
        ("capex", "MNOK per unit"), ("source", "")]),
}

SETTING_KEYS: list[tuple[str, str]] = [
    ("format", ""), ("name", ""), ("years.first", "year"), ("years.last", "year"),
    ("discount_rate", "fraction per year"), ("end_of_horizon", "salvage or none"),
    ("plan_from", "year"), ("budget.total", "MNOK"), ("budget.source", ""),
    ("policy.eurohpc_share.min", "fraction"), ("policy.eurohpc_share.max", "fraction"),
    ("policy.eurohpc_share.of", "investment, national_investment or spending"),
    ("policy.eurohpc_share.years", "from, to"), ("policy.eurohpc_share.source", ""),
    ("policy.national_share.min", "fraction"),
    ("policy.national_share.resources", "comma-separated"),
    ("policy.national_share.source", ""),
    ("decide_now", "years, comma-separated"),
    ("priority", "cost or coverage"),
]
YEAR_VALUE_KEYS = ("baseline_opex", "budget.yearly", "budget.investment",
                   "budget.national_investment", "budget.eurohpc_investment",
                   "budget.operations")
LIST_KEYS = {"years", "policy.eurohpc_share.years", "policy.national_share.resources",
             "decide_now"}
FLAG_KEYS = {"national", "allied", "integer", "redundant"}
SHEET_ORDER = [SETTINGS, "resources", "tiers", "locations", "pools", "products", "existing",
               "workloads", YEAR_VALUES, "committed", "scenarios"]
# Dotted columns written for every resource (or planning year), filled or not.
EVERY_RESOURCE = ("capacity.", "limit.", "price.")


# --- writing ------------------------------------------------------------------------


def _flatten(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in item.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= _flatten(value, f"{path}.")
        else:
            flat[path] = value
    return flat


def _cell_value(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _columns(sheet: str, instance: Instance, rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The sheet's columns (key, unit), dynamic ones expanded (one per resource or year)."""
    _, _, spec = ITEM_SHEETS[sheet]
    columns: list[tuple[str, str]] = []
    seen = {key for row in rows for key in row}
    for key, unit in spec:
        if key.endswith(".*"):
            prefix = key[:-1]
            if prefix == "demand.":
                names = [str(year) for year in instance.year_list]
            elif prefix in EVERY_RESOURCE:
                names = list(instance.resources)
            else:
                names = []
            names += sorted({row_key[len(prefix):] for row_key in seen
                             if row_key.startswith(prefix) and row_key[len(prefix):] not in names
                             and row_key not in ("demand.base", "demand.growth")})
            for name in names:
                resource = instance.resources.get(name)
                columns.append((prefix + name,
                                unit.format(unit=resource.unit if resource else "units")))
        else:
            columns.append((key, unit))
    known = {key for key, _ in columns}
    columns += [(key, "") for key in sorted(seen - known)]
    return columns


def _header(key: str, unit: str) -> str:
    return f"{key} ({unit})" if unit else key


def workbook_bytes(instance: Instance) -> bytes:
    """The instance as an .xlsx workbook (only the keys the instance gives are filled)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    data = instance.model_dump(mode="python", exclude_unset=True)
    book = Workbook()
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DCE6F1")

    def header_row(sheet, headers: list[str]) -> None:
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
        sheet.freeze_panes = "B2"

    settings = book.active
    settings.title = SETTINGS
    header_row(settings, ["key", "value", "unit"])
    sheets = set(ITEM_SHEETS) | {"baseline_opex"}
    for key, value in data.items():
        if key not in sheets and isinstance(value, list) and any(
                isinstance(item, dict) for item in value):
            raise ValueError(f"{key}: a list of maps has no place in a workbook yet")
    flat = _flatten({key: value for key, value in data.items() if key not in sheets})
    for key, unit in SETTING_KEYS:
        if key in flat:
            settings.append([key, _cell_value(flat[key]), unit])
    for key in sorted(set(flat) - {key for key, _ in SETTING_KEYS}
                      - {f"{key}.{year}" for key in YEAR_VALUE_KEYS for year in
                         instance.year_list}):
        if not any(key == k or key.startswith(f"{k}.") for k in YEAR_VALUE_KEYS):
            settings.append([key, _cell_value(flat[key]), ""])

    for name in SHEET_ORDER:
        if name == SETTINGS:
            continue
        sheet = book.create_sheet(name)
        if name == YEAR_VALUES:
            years = instance.year_list
            header_row(sheet, ["key", _header(EVERY_YEAR, "MNOK")]
                       + [_header(str(year), "MNOK") for year in years])
            for key in YEAR_VALUE_KEYS:
                section, _, leaf = key.partition(".")
                value = data.get(section) if not leaf else data.get(section, {}).get(leaf)
                if value is None:
                    continue
                if isinstance(value, dict):
                    sheet.append([key, None, *(_cell_value(value.get(year)) for year in years)])
                else:
                    sheet.append([key, _cell_value(value)])
            continue
        container, key_column, _ = ITEM_SHEETS[name]
        items = data.get(name, {} if container == "map" else [])
        if container == "map":
            rows = [{"name": item_name} | _flatten(item) for item_name, item in items.items()]
        else:
            rows = [_flatten(item) for item in items]
        columns = _columns(name, instance, [{k: v for k, v in row.items() if k != "name"}
                                            for row in rows])
        if key_column is not None:
            columns = [(key_column, "")] + [column for column in columns
                                            if column[0] != key_column]
        header_row(sheet, [_header(key, unit) for key, unit in columns])
        for row in rows:
            sheet.append([_cell_value(row.get(key)) for key, _ in columns])
    for sheet in book.worksheets:
        for column in sheet.columns:
            header = str(column[0].value or "")
            width = max([len(header)] + [len(str(cell.value)) for cell in column[1:]
                                         if cell.value is not None])
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
            if header == "source" or header.startswith("value"):
                for cell in column[1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    make_workbook_inert(book)  # texts that look like formulas stay text, read back the same
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_workbook(instance: Instance, path: str | Path) -> None:
    """The instance as a workbook file (tests and the Python API; `planner convert`
    writes through the safe-write helper)."""
    Path(path).write_bytes(workbook_bytes(instance))


# --- reading ------------------------------------------------------------------------

_UNIT = re.compile(r"^(?P<key>.*?) \((?P<unit>.*)\)$")


def header_key(header: Any) -> str:
    """`capex (MNOK per unit)` → `capex`: drops one trailing, balanced `(unit)`."""
    text = str(header).strip()
    if not text.endswith(")"):
        return text
    depth = 0
    for position in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[position], 0)
        if depth == 0:
            if position > 0 and text[position - 1] == " ":
                return text[:position - 1].rstrip()
            return text
    return text


@dataclass
class Where:
    """Where a key path came from: the sheet, the row and (for a value) the column."""

    sheet: str
    row: int | None = None
    column: str | None = None  # letter
    header: str | None = None

    def __str__(self) -> str:
        text = f"sheet {self.sheet!r}"
        if self.row is not None:
            text += f", row {self.row}"
        if self.column is not None:
            text += f", column {self.column} ({self.header})"
        return text


@dataclass
class WorkbookData:
    """Plain instance data read from a workbook, and where each key path came from."""

    data: dict[str, Any]
    places: dict[str, Where] = field(default_factory=dict)
    # per sheet: header key → (column letter, header text)
    headers: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)

    def locate(self, path: str) -> str:
        """A key path (`products.gpu-node.capex`) as the cell the user can find."""
        if path in self.places:
            return str(self.places[path])
        probe = path
        while probe:
            cut = max(probe.rfind("."), probe.rfind("["))
            if cut <= 0:
                break
            probe = probe[:cut]
            if probe in self.places:
                where = self.places[probe]
                rest = path[len(probe):].lstrip(".")
                columns = self.headers.get(where.sheet, {})
                for key, (letter, header) in columns.items():
                    if where.row is not None and (key == rest or key.startswith(f"{rest}.")):
                        return str(Where(where.sheet, where.row, letter, header)) + (
                            "" if key == rest else f" [{rest}]")
                return f"{where}: {rest}"
        section = path.split(".")[0].split("[")[0]
        sheet = SETTINGS if section not in ITEM_SHEETS and section not in (
            "baseline_opex",) else section
        return f"sheet {sheet!r}: {path}" if path else f"sheet {sheet!r}"


def _text_or_value(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value if value else None
    return value


def _convert(key: str, value: Any) -> Any:
    leaf = key.rsplit(".", 1)[-1]
    if key in LIST_KEYS or leaf in LIST_KEYS:
        parts = [part.strip() for part in str(value).split(",")] if isinstance(value, str) \
            else [value]
        return [_number_text(part) for part in parts if part != ""]
    if leaf in FLAG_KEYS and isinstance(value, str):
        lowered = value.lower()
        if lowered in ("true", "yes"):
            return True
        if lowered in ("false", "no"):
            return False
    return value


def _number_text(text: Any) -> Any:
    if isinstance(text, str) and re.fullmatch(r"-?\d+", text):
        return int(text)
    if isinstance(text, float) and text.is_integer():
        return int(text)
    return text


def _key_part(part: str) -> Any:
    return int(part) if re.fullmatch(r"\d{4}", part) else part


def _set(target: dict, dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = target
    for part in parts[:-1]:
        node = node.setdefault(_key_part(part), {})
        if not isinstance(node, dict):
            raise ValueError(dotted)
    node[_key_part(parts[-1])] = value


MAX_WORKBOOK_BYTES = 16 * 2**20
"""A workbook may unpack to at most 16 MiB of XML (the Norway instance: 0.06 MiB)."""
MAX_WORKBOOK_CELLS = 250_000
"""A workbook may hold at most 250 000 cells (the Norway instance: 315)."""
MAX_WORKBOOK_PARTS = 1000
"""A workbook may hold at most 1000 files in its zip (the Norway instance: 19)."""
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def _check_zip(path: Path, source: str) -> None:
    """Refuse a workbook by its zip directory (sizes, parts) and its cell count, before
    openpyxl parses any of it: a zip bomb of 1 MB may unpack to gigabytes of XML."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_WORKBOOK_PARTS:
                raise InputError(source, f"the workbook holds more than {MAX_WORKBOOK_PARTS} "
                                         "files (the limit)")
            unpacked = sum(part.file_size for part in parts)
            if unpacked > MAX_WORKBOOK_BYTES:
                raise InputError(source, f"the workbook unpacks to {unpacked / 2**20:.0f} MiB, "
                                         f"more than the limit of {MAX_WORKBOOK_BYTES // 2**20} "
                                         "MiB")
            cells = 0
            for part in parts:
                content = _read_part(archive, part)
                if part.filename.startswith("xl/worksheets/") and \
                        part.filename.endswith(".xml"):
                    cells += len(_CELL_TAG.findall(content))
            if cells > MAX_WORKBOOK_CELLS:
                raise InputError(source, f"the workbook holds {cells} cells, more than the "
                                         f"limit of {MAX_WORKBOOK_CELLS}")
    except FileNotFoundError:
        raise InputError(source, "file not found") from None
    except IsADirectoryError:
        raise InputError(source, "expected a file, found a directory") from None
    except RuntimeError:  # zipfile's word for a part that needs a password
        raise InputError(source, "not a readable Excel workbook (.xlsx): a part of it is "
                                 "encrypted; save it without a password") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as error:
        raise InputError(source, "not a readable Excel workbook (.xlsx): "
                                 f"{_cut(error)}") from None


def _read_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bytes:
    """A part unpacked 1 MiB at a time, so that no more than its declared size is ever
    unpacked: a part whose directory entry understates its size (to pass the check above)
    fails its CRC here, before openpyxl would unpack it whole in one call."""
    chunks = []
    with archive.open(part) as stream:
        while chunk := stream.read(2**20):
            chunks.append(chunk)
    return b"".join(chunks)


def _sheet_rows(sheet, problems: list[Problem]) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a sheet as values; a formula is refused (its value is what we need,
    and a cached result may be stale or missing)."""
    from openpyxl.cell.read_only import EmptyCell

    positions = 0
    for number, row in enumerate(sheet.iter_rows(), start=1):
        positions += max(len(row), 1)
        if positions > MAX_WORKBOOK_CELLS:  # rows or columns far apart count as cells
            raise InputError("", Problem(f"sheet {brief(sheet.title)}", "more than "
                                         f"{MAX_WORKBOOK_CELLS} cells, counting the empty "
                                         "ones between (the limit)"))
        values = []
        for cell in row:
            if isinstance(cell, EmptyCell):
                values.append(None)
                continue
            if cell.data_type == "f":
                problems.append(Problem(
                    f"sheet {brief(sheet.title)}, cell {cell.coordinate}",
                    "holds a formula; enter its value instead"))
                values.append(None)
                continue
            values.append(_text_or_value(cell.value))
        yield number, values


def read_workbook_data(path: str | Path) -> WorkbookData:
    """The workbook's sheets as plain instance data (not yet validated).

    The zip directory and the cell count are checked first; openpyxl then parses the XML
    through defusedxml (no entities, no DTDs), which it uses whenever it is installed."""
    from openpyxl import load_workbook

    path = Path(path)
    source = str(path)
    _check_zip(path, source)
    try:
        return _read_workbook(load_workbook(path, read_only=True, data_only=False), source)
    except InputError as error:
        if error.source:
            raise
        raise InputError(source, error.problems) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, SyntaxError,
            OSError) as error:  # SyntaxError: XML that does not parse
        cause = error.__cause__ or error.__context__ or error
        if type(cause).__module__.startswith("defusedxml"):
            raise InputError(source, "not a readable Excel workbook (.xlsx): its XML declares "
                                     "entities or a DTD, which are refused") from None
        raise InputError(source, "not a readable Excel workbook (.xlsx): "
                                 f"{_cut(error)}") from None


def _cut(error: Exception, limit: int = 150) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= limit else text[:limit] + "…"


def _read_workbook(book, source: str) -> WorkbookData:
    from openpyxl.utils import get_column_letter

    result = WorkbookData({})
    problems: list[Problem] = []
    try:
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # the sheet's own claim of its size is not trusted
            name = sheet.title
            if name not in SHEET_ORDER:
                problems.append(Problem(f"sheet {brief(name)}", "unknown sheet (expected: "
                                                           f"{', '.join(SHEET_ORDER)})"))
                continue
            rows = list(_sheet_rows(sheet, problems))
            if not rows:
                continue
            headers: dict[int, str] = {}
            columns: dict[str, tuple[str, str]] = {}
            for index, header in enumerate(rows[0][1]):
                if header is None:
                    continue
                key = header_key(header)
                letter = get_column_letter(index + 1)
                if key in columns:
                    problems.append(Problem(str(Where(name, 1, letter, str(header))),
                                            f"column {key!r} is given twice"))
                    continue
                headers[index] = key
                columns[key] = (letter, str(header))
            result.headers[name] = columns
            result.places[name] = Where(name)
            body = [(number, row) for number, row in rows[1:]
                    if any(value is not None for value in row)]
            for number, row in body:
                for index, value in enumerate(row):
                    if value is not None and index not in headers:
                        problems.append(Problem(
                            str(Where(name, number, get_column_letter(index + 1), "")),
                            "a value in a column without a header"))
            if name == SETTINGS:
                _read_settings(result, body, headers, problems)
            elif name == YEAR_VALUES:
                _read_year_values(result, body, headers, problems)
            else:
                _read_items(result, name, body, headers, problems)
    finally:
        book.close()
    if problems:
        raise InputError(source, problems)
    return result


def _cell_place(sheet: str, number: int, index: int, header: str) -> Where:
    from openpyxl.utils import get_column_letter

    return Where(sheet, number, get_column_letter(index + 1), header)


def _read_settings(result: WorkbookData, body, headers: dict[int, str],
                   problems: list[Problem]) -> None:
    index_of = {key: index for index, key in headers.items()}
    if "key" not in index_of or "value" not in index_of:
        problems.append(Problem(f"sheet {SETTINGS!r}, row 1", "expected columns key and value"))
        return
    seen: set[str] = set()
    for number, row in body:
        key = row[index_of["key"]] if index_of["key"] < len(row) else None
        value = row[index_of["value"]] if index_of["value"] < len(row) else None
        if key is None:
            if value is not None:
                problems.append(Problem(str(_cell_place(SETTINGS, number, index_of["key"],
                                                        "key")), "a key is required"))
            continue
        key = str(key)
        if key in seen:
            problems.append(Problem(str(_cell_place(SETTINGS, number, index_of["key"], "key")),
                                    f"key {key!r} is given twice"))
            continue
        seen.add(key)
        if value is None:
            continue
        try:
            _set(result.data, key, _convert(key, value))
        except ValueError:
            problems.append(Problem(str(_cell_place(SETTINGS, number, index_of["key"], "key")),
                                    f"key {key!r} conflicts with another key"))
            continue
        result.places[key] = _cell_place(SETTINGS, number, index_of["value"], "value")


def _read_year_values(result: WorkbookData, body, headers: dict[int, str],
                      problems: list[Problem]) -> None:
    index_of = {key: index for index, key in headers.items()}
    if "key" not in index_of:
        problems.append(Problem(f"sheet {YEAR_VALUES!r}, row 1", "expected a column key"))
        return
    for number, row in body:
        key = row[index_of["key"]]
        if key is None:
            problems.append(Problem(str(_cell_place(YEAR_VALUES, number, index_of["key"],
                                                    "key")), "a key is required"))
            continue
        key = str(key)
        result.places[key] = Where(YEAR_VALUES, number)
        every = index_of.get(EVERY_YEAR)
        every_value = row[every] if every is not None and every < len(row) else None
        by_year: dict[Any, Any] = {}
        for index, header in headers.items():
            if header in ("key", EVERY_YEAR) or index >= len(row) or row[index] is None:
                continue
            year = _key_part(header)
            by_year[year] = row[index]
            result.places[f"{key}.{year}"] = _cell_place(YEAR_VALUES, number, index,
                                                         result.headers[YEAR_VALUES][header][1])
        if every_value is not None and by_year:
            problems.append(Problem(str(Where(YEAR_VALUES, number)),
                                    f"{key}: give either '{EVERY_YEAR}' or single years, "
                                    "not both"))
            continue
        if every_value is None and not by_year:
            continue
        if every_value is not None:
            result.places[key] = _cell_place(YEAR_VALUES, number, every,
                                             result.headers[YEAR_VALUES][EVERY_YEAR][1])
        try:
            _set(result.data, key, every_value if every_value is not None else by_year)
        except ValueError:
            problems.append(Problem(str(Where(YEAR_VALUES, number)),
                                    f"key {key!r} conflicts with another key"))


def _read_items(result: WorkbookData, sheet: str, body, headers: dict[int, str],
                problems: list[Problem]) -> None:
    container, key_column, _ = ITEM_SHEETS[sheet]
    key_index = next((index for index, key in headers.items() if key == key_column), None)
    if key_column is not None and key_index is None:
        problems.append(Problem(f"sheet {sheet!r}, row 1", f"expected a column {key_column!r}"))
        return
    items: dict[str, Any] | list[Any] = {} if container == "map" else []
    for position, (number, row) in enumerate(body):
        item: dict[str, Any] = {}
        name = None
        if key_column is not None:
            name = row[key_index] if key_index < len(row) else None
            if name is None:
                problems.append(Problem(str(_cell_place(sheet, number, key_index, key_column)),
                                        "a name is required"))
                continue
            name = str(_number_text(name))
            if container == "map" and name in items or container == "list" and any(
                    entry.get("name") == name for entry in items):
                problems.append(Problem(str(_cell_place(sheet, number, key_index, key_column)),
                                        f"name {name!r} is given twice"))
                continue
        prefix = f"{sheet}.{name}" if name is not None else f"{sheet}[{position}]"
        result.places[prefix] = Where(sheet, number)
        for index, key in headers.items():
            if index >= len(row) or row[index] is None:
                continue
            value = row[index]
            if key == key_column:
                if container == "map":
                    continue
                value = name
            try:
                _set(item, key, _convert(key, value))
            except ValueError:
                problems.append(Problem(str(_cell_place(sheet, number, index, key)),
                                        f"column {key!r} conflicts with another column"))
                continue
            result.places[f"{prefix}.{key}"] = _cell_place(sheet, number, index,
                                                           result.headers[sheet][key][1])
        if container == "map":
            items[name] = item
        else:
            items.append(item)
    if items:  # a sheet without items gives no key: the default (or a "required" error)
        result.data[sheet] = items


@contextmanager
def located(workbook: WorkbookData) -> Iterator[None]:
    """Rewrite the key paths of an `InputError` raised inside as the workbook's cells."""
    try:
        yield
    except InputError as error:
        problems = [Problem(workbook.locate(problem.path), problem.message)
                    if problem.path else problem for problem in error.problems]
        raise InputError(error.source, problems) from None


# --- YAML out -----------------------------------------------------------------------


def _tidy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _tidy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_tidy(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def instance_yaml(instance: Instance, comment: str | None = None) -> str:
    """The instance as YAML text (only the keys it gives), loadable by `load_instance`."""
    data = _tidy(instance.model_dump(mode="python", exclude_unset=True))
    text = dump_yaml(data)
    if comment:
        text = "".join(f"# {line}\n" for line in comment.splitlines()) + text
    return text
