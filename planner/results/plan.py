"""The plan: what a solve returns, what plan.json holds, and how it is read back.

plan.json's layout is documented in docs/plan-json.md; `PLAN_SCHEMA_VERSION` changes
whenever that layout does. Version 2 adds `content_sha256`, a digest of everything a
command shows from the file, so that a plan.json edited after it was solved is noticed;
version 1 files (no digest) still read.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from planner.input.errors import InputError, Problem
from planner.input.schema import Instance
from planner.results.records import PlanMetadata, PlanSummary
from planner.results.rounding import clean, clean_floats

PLAN_SCHEMA_VERSION = 2
READABLE_PLAN_SCHEMA_VERSIONS = (1, 2)
DIGEST_KEY = "content_sha256"

# What `Plan.integrity` says of a plan read back.
INTACT = "intact"  # its digest matches its content
MODIFIED = "modified"  # changed after it was solved
NO_DIGEST = "no digest"  # a version-1 plan.json: cannot be checked

# The columns of each table (planner.results.tables) when it has no rows.
EMPTY_TABLE_COLUMNS = {
    "purchases": ["product", "pool", "year", "tier", "units", "unit_capex_mnok", "capex_mnok",
                  "batch_fixed_capex_mnok", "committed", "first_year_in_service"],
    "capacity": ["pool", "kind", "resource", "unit", "year", "capacity", "used"],
    "coverage": ["workload", "resource", "unit", "year", "demand", "served", "unserved",
                 "coverage", "min_coverage", "unserved_penalty_mnok"],
    "allocation": ["workload", "pool", "year", "served"],
    "shares": ["share", "of", "resource", "years", "value", "min", "max", "numerator", "base"],
    "budget": ["cap", "year", "cap_mnok", "spent_mnok", "slack_mnok", "binding"],
    "redundancy": ["workload", "resource", "unit", "year", "pool", "served", "reserved",
                   "workload_served", "backup_if_lost", "covered_if_lost"],
}

# The columns of a table plan.json may hold with no rows (an instance without caps, a plan
# that buys nothing), so that it reads back with its columns.
EMPTY_COLUMNS = {
    "purchases": ["product", "pool", "year", "tier", "units", "unit_capex_mnok", "capex_mnok",
                  "batch_fixed_capex_mnok", "committed", "first_year_in_service"],
    "allocation": ["workload", "pool", "year", "served"],
    "budget": ["cap", "year", "cap_mnok", "spent_mnok", "slack_mnok", "binding"],
}

TABLE_NAMES = ("financing", "purchases", "capacity", "coverage", "allocation", "shares",
               "budget")


@dataclass
class Plan:
    """A solved (or failed) instance: metadata, a cost summary and the plan's tables.

    `metadata` and `summary` are typed and frozen (planner.results.records; read them by
    attribute, `plan.metadata.status`, or by key; change them with `.replace(...)`).
    `tables` is empty when the solver found no plan (infeasible, unbounded, stopped
    without a plan, error); `metadata.status` says which. Each table is an attribute too
    (`plan.financing`), listed by `dir(plan)`.
    """

    instance: Instance
    metadata: PlanMetadata
    summary: PlanSummary
    tables: dict[str, pd.DataFrame]
    # For a plan read back from plan.json (or the run store): INTACT, MODIFIED or
    # NO_DIGEST; None for a plan made in this process.
    integrity: str | None = None
    # How many variables the model solved had (a plan made in this process; not in
    # plan.json): what decides whether a solve re-solves it to confirm an unspent reason.
    model_variables: int | None = None
    # The solved value of every column, in the order the model was handed to HiGHS (a plan
    # made in this process; not in plan.json): a re-solve of the same model with other
    # caps or penalties may start from it (`planner.solving.api.solve_side_by_side`).
    column_values: np.ndarray | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.metadata, PlanMetadata):
            self.metadata = PlanMetadata(self.metadata)
        if not isinstance(self.summary, PlanSummary):
            self.summary = PlanSummary(self.summary)

    def __setattr__(self, name: str, value: Any) -> None:
        # plan.metadata = {...} (a dict) is typed as well.
        if name == "metadata" and not isinstance(value, PlanMetadata):
            value = PlanMetadata(value)
        elif name == "summary" and not isinstance(value, PlanSummary):
            value = PlanSummary(value)
        super().__setattr__(name, value)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self.__dict__.get("tables", {})))

    @property
    def status(self) -> str:
        return self.metadata["status"]

    @property
    def has_plan(self) -> bool:
        return bool(self.tables)

    @property
    def objective_mnok(self) -> float | None:
        return self.metadata["objective_mnok"]

    def __getattr__(self, name: str) -> pd.DataFrame:
        # plan.financing, plan.purchases, ... for notebooks (listed by dir(plan)).
        if name in self.__dict__.get("tables", {}):
            return self.tables[name]
        raise AttributeError(name)

    def to_document(self) -> dict[str, Any]:
        """The plan as plan.json's document (plain JSON types only), with its digest."""
        document = {
            "plan_schema_version": PLAN_SCHEMA_VERSION,
            "metadata": _plain(self.metadata) | {"plan_schema_version": PLAN_SCHEMA_VERSION},
            "summary": _plain(self.summary),
            "tables": {name: _records(table) for name, table in self.tables.items()},
            "instance": self.instance.model_dump(mode="json", exclude_unset=True),
        }
        document[DIGEST_KEY] = content_digest(document)
        return document

    def to_json(self) -> str:
        return plan_json_text(self.to_document())

    @classmethod
    def from_document(cls, document: dict[str, Any], source: str = "plan.json") -> Plan:
        """A plan read back from plan.json's document: its shape is checked (a wrong one
        is an `InputError` naming the key path), and its digest (`integrity`)."""
        from planner.results.plan_file import check_plan_document

        version = document.get("plan_schema_version") if isinstance(document, dict) else None
        if version not in READABLE_PLAN_SCHEMA_VERSIONS or isinstance(version, bool):
            raise InputError(source, Problem("plan_schema_version", (
                f"expected one of {', '.join(map(str, READABLE_PLAN_SCHEMA_VERSIONS))}, got "
                f"{_shown(version)}; is this a plan.json of this tool?")))
        check_plan_document(document, source)
        try:
            instance = Instance.model_validate(document["instance"])
        except ValidationError as error:
            from planner.input.loading import _pydantic_problems

            problems = _pydantic_problems(error, document["instance"])
            raise InputError(source, [
                Problem(f"instance.{problem.path}" if problem.path else "instance",
                        problem.message) for problem in problems[:10]]) from None
        # An empty table has no rows to carry its columns in plan.json: it gets the
        # columns the planner writes it with, so readers can filter it like a full one.
        tables = {name: pd.DataFrame.from_records(
                      records, columns=None if records else EMPTY_TABLE_COLUMNS.get(name))
                  for name, records in document["tables"].items()}
        if version == 1:
            integrity = NO_DIGEST
        else:
            integrity = INTACT if document.get(DIGEST_KEY) == content_digest(document) \
                else MODIFIED
        return cls(instance, document["metadata"], document["summary"], tables, integrity)

    @classmethod
    def from_json_file(cls, path: str | Path) -> Plan:
        path = Path(path)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(str(path), "file not found") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InputError(str(path), f"not a readable JSON plan file: {error}") from None
        except RecursionError:  # hostile input: arrays nested thousands deep
            raise InputError(str(path), "not a plan file: it nests too deep") from None
        return cls.from_document(document, str(path))


def plan_json_text(document: dict[str, Any]) -> str:
    """plan.json's text: indented JSON, each table row on a line of its own (a table of
    thousands of rows reads and diffs row by row, and is written by the json module's C
    encoder, which indented output would not use)."""

    def dumped(value: Any) -> str:  # indented one level deeper (JSON strings hold no newline)
        return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False).replace(
            "\n", "\n  ")

    # One encoder for every row: json.dumps with options makes a new one per call.
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode

    def table(rows: list) -> str:
        if not rows:
            return "[]"
        lines = _rows_text(rows, encode)
        if lines is None:
            lines = ",\n".join("      " + encode(row) for row in rows)
        return f"[\n{lines}\n    ]"

    parts = []
    for key, value in document.items():
        if key == "tables" and isinstance(value, dict) and value:
            text = "{\n" + ",\n".join(f"    {json.dumps(name, ensure_ascii=False)}: "
                                       f"{table(rows)}" for name, rows in value.items()) + "\n  }"
        else:
            text = dumped(value)
        parts.append(f"  {json.dumps(key, ensure_ascii=False)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _rows_text(rows: list[dict], encode) -> str | None:
    """The rows of a table as `plan_json_text` writes them (each `encode(row)` on a line
    of its own), made column by column: numbers written by their `repr` (as the json
    module writes them), the few distinct names of a column encoded once each, then each
    row joined from its cells; 16 000 rows in half the time of encoding them one by one.
    None where the rows do not all have the same keys in the same order."""
    keys = tuple(rows[0])
    if not keys or not all(map(keys.__eq__, map(tuple, rows))):
        return None
    columns = []
    for at, key in enumerate(keys):
        start = ("      {" if at == 0 else "") + encode(key) + ": "
        end = "}" if at == len(keys) - 1 else ""
        cells = _cells_text(list(map(itemgetter(key), rows)), encode)
        columns.append([start + text + end for text in cells])
    return ",\n".join(map(", ".join, zip(*columns, strict=True)))


def _cells_text(cells: list, encode) -> list[str]:
    """Each cell of a column as `encode` writes it."""
    kinds = set(map(type, cells))
    if kinds == {str}:
        encoded = {text: encode(text) for text in dict.fromkeys(cells)}
        return list(map(encoded.__getitem__, cells))
    if kinds == {int}:
        return list(map(int.__repr__, cells))
    if kinds <= {float, type(None)} and all(cell is None or math.isfinite(cell)
                                            for cell in cells):
        return ["null" if cell is None else float.__repr__(cell) for cell in cells]
    return [encode(cell) for cell in cells]  # anything else (bools, lists) one by one


def content_digest(document: dict[str, Any]) -> str:
    """SHA-256 of everything a command shows from a plan document: the document in a
    canonical JSON form (sorted keys, no spaces), without the digest itself and without
    `metadata.timestamp`."""
    content = {key: value for key, value in document.items() if key != DIGEST_KEY}
    metadata = content.get("metadata")
    if isinstance(metadata, dict):
        content["metadata"] = {key: value for key, value in metadata.items()
                               if key != "timestamp"}
    # NaN is allowed here only so that a file edited to hold one is reported as modified
    # (the planner never writes NaN), not refused by the digest.
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _plain(value: Any) -> Any:
    """Nested dicts and lists with JSON's values only (an infinite bound becomes null)."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return _json_value(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, float):
        return clean(value)  # 199.488, not 199.48800000000008
    if value is pd.NA or value is None:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _json_value(value.item())
    return value


def _json_column(column: pd.Series) -> list[Any]:
    """`_json_value` of every cell of a column; a float column cleaned as one array."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind == "f":
        values = column.to_numpy()
        cleaned = clean_floats(values).tolist()
        if np.isfinite(values).all():
            return cleaned
        return [value if math.isfinite(value) else None for value in cleaned]
    values = column.tolist()
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "biu":
        return values  # Python's bools and ints already
    if all(value.__class__ is str for value in values):
        return values  # names: a table of 7 500 rows has a few such columns
    return [_json_value(value) for value in values]


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    # Column by column (each read once as Python values), then one dict per row.
    columns = [str(column) for column in table.columns]
    cells = [_json_column(table[column]) for column in table.columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*cells, strict=True)]
