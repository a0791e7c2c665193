"""The shape of a plan.json file, checked before a plan is read back from it.

A plan.json is untrusted input like an instance: edited by hand, cut short, or made by
another tool. `check_plan_document` checks the layout docs/plan-json.md describes (the
keys every command reads, their types, rectangular tables with their key columns) and
raises `InputError` naming the key path of each problem, so the command line says what is
wrong with exit status 2 instead of failing later with a Python error. The instance
inside is checked by the instance schema itself (`planner.input.schema.Instance`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from planner.input.errors import InputError, Problem

MAX_PROBLEMS = 10

Number = int | float
Value = str | int | float | bool | None

STATUSES = ("optimal", "stopped_with_plan", "stopped_without_plan", "infeasible",
            "unbounded", "error")

# The columns every command relies on in each table the planner writes (when it has rows).
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "financing": ("line", "total"),
    "purchases": ("product", "pool", "year", "units"),
    "capacity": ("pool", "resource", "year", "capacity"),
    "coverage": ("workload", "year", "demand", "served", "unserved"),
    "allocation": ("workload", "pool", "year", "served"),
    "budget": ("cap", "year", "cap_mnok", "spent_mnok"),
}


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, allow_inf_nan=False, extra="allow")


class PlanMetadata(_Strict):
    """The metadata keys commands read; others are kept as they are."""

    instance_name: str
    status: Literal[STATUSES]  # type: ignore[valid-type]
    objective_mnok: Number | None = None
    bound_mnok: Number | None = None
    gap: Number | None = None
    proven_optimal: bool | None = None
    timestamp: str | None = None
    instance_file: str | None = None
    instance_sha256: str | None = None
    plan_schema_version: int | None = None
    warnings: list[str] = []
    overrides: list[str] = []


class PlanFile(_Strict):
    """plan.json's top level (schema versions 1 and 2)."""

    model_config = ConfigDict(strict=True, allow_inf_nan=False, extra="forbid")

    plan_schema_version: Literal[1, 2]
    metadata: PlanMetadata
    summary: dict[str, Number | None | list[Number | None]]
    tables: dict[str, list[dict[str, Value]]]
    instance: dict[str, Any]
    content_sha256: str | None = None


def check_plan_document(document: Any, source: str) -> None:
    """Raise `InputError` naming every key path (up to MAX_PROBLEMS) where `document` is
    not a plan.json of the layout docs/plan-json.md describes."""
    if not isinstance(document, dict):
        raise InputError(source, f"expected a JSON object (a plan.json), got "
                                 f"{type(document).__name__}")
    try:
        PlanFile.model_validate(document)
    except ValidationError as error:
        by_path: dict[str, list[dict]] = {}
        for item in error.errors(include_url=False):
            by_path.setdefault(_key_path(item["loc"]), []).append(item)
        problems = [Problem(path, _message(items)) for path, items in by_path.items()]
        raise InputError(source, _bounded(problems)) from None
    problems = []
    for name, rows in document["tables"].items():
        if not rows:
            continue
        columns = list(rows[0])
        for number, row in enumerate(rows):
            if list(row) != columns:
                problems.append(Problem(f"tables.{name}.{number}", (
                    f"expected the columns of the table's first row ({', '.join(columns)}), "
                    f"got {', '.join(map(str, row)) or 'none'}")))
                break
        missing = [column for column in KEY_COLUMNS.get(name, ()) if column not in columns]
        if missing:
            problems.append(Problem(f"tables.{name}", f"missing column(s) {', '.join(missing)}"))
    if problems:
        raise InputError(source, _bounded(problems))


def _key_path(location: tuple) -> str:
    # Pydantic adds the union member it tried ("int", "list[...]") to the location.
    parts = [str(part) for part in location
             if not (isinstance(part, str) and ("[" in part or part in (
                 "int", "float", "str", "bool", "none", "literal[1,2]")))]
    return ".".join(parts)


def _message(items: list[dict]) -> str:
    """One message for a key path, the alternatives of a union joined by "or"."""
    first = items[0]
    if first["type"] == "missing":
        return "missing"
    if first["type"] == "extra_forbidden":
        return "unknown key (plan.json has plan_schema_version, metadata, summary, tables, " \
               "instance and content_sha256)"
    shown = repr(first.get("input"))
    if len(shown) > 40:
        shown = shown[:37] + "..."
    expected = [item["msg"].removeprefix("Input should be ").lower() for item in items]
    return f"expected {' or '.join(dict.fromkeys(expected))}, got {shown}"


def _bounded(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    if len(unique) <= MAX_PROBLEMS:
        return unique
    return unique[:MAX_PROBLEMS] + [Problem("", f"and {len(unique) - MAX_PROBLEMS} more")]
