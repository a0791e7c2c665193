"""Reading an instance file: YAML text → plain data → validated, frozen `Instance`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.input.checks import check_instance
from planner.input.errors import InputError, Problem, brief
from planner.input.limits import numeric_problems
from planner.input.overrides import apply_overrides, parse_override
from planner.input.schema import Instance, Item
from planner.input.workbook import located, read_workbook_data
from planner.input.yaml_text import read_yaml


def key_path(location: tuple[Any, ...], data: Any,
             stored_keys: dict[int, dict] | None = None) -> str:
    """A pydantic error location as the dotted key path a user writes.

    Items of a list are named by their `name` where they have one
    (`existing.betzy.last_year`), else by their position (`committed[0].units`).
    `stored_keys` caches the keys of maps as stored (`false`, where pydantic says 0)
    across calls for one document.
    """
    parts: list[str] = []
    node = data
    for step in location:
        if isinstance(step, int) and isinstance(node, list):
            item = node[step] if step < len(node) else None
            name = item.get("name") if isinstance(item, dict) else None
            if isinstance(name, str) and name:
                parts.append(f".{_as_written(name)}")
            else:
                parts.append(f"[{step}]")
            node = item
        elif isinstance(node, dict) and step in node:
            key = step
            if step in (0, 1) and not isinstance(step, bool):  # pydantic writes `false` as 0
                if stored_keys is None:
                    stored_keys = {}
                if id(node) not in stored_keys:
                    stored_keys[id(node)] = {key: key for key in node}
                key = stored_keys[id(node)][step]
            parts.append(f".{_as_written(key)}")
            node = node[key]
        elif _is_union_branch(step):  # pydantic's name of a union's branch or a key check
            continue
        else:
            parts.append(f".{_as_written(step)}")
            node = None
    return "".join(parts).lstrip(".")


def _as_written(key: Any) -> str:
    """A key as YAML writes it (`false`, not `False`), a long one cut short."""
    if isinstance(key, str):
        return key if len(key) <= 60 else key[:60] + "…"
    return brief(key)


def _describe_error(error: dict[str, Any]) -> str:
    """A pydantic error as "expected ..., got ..." in words a planner reads."""
    kind = error["type"]
    context = error.get("ctx") or {}
    given = error.get("input")
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "literal_error":
        return f"expected one of {context.get('expected')}, got {brief(given)}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        symbol = {"greater_than_equal": "≥", "greater_than": ">",
                  "less_than_equal": "≤", "less_than": "<"}[kind]
        bound = next(iter(context.values()), "")
        return f"expected a number {symbol} {bound}, got {brief(given)}"
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        wanted = "a whole number" if kind.startswith("int") else "a number"
        return f"expected {wanted}, got {brief(given)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a map of keys, got {type(given).__name__}"
    if kind == "list_type":
        return f"expected a list, got {type(given).__name__}"
    if kind in ("string_type", "string_too_short"):
        return f"expected text, got {brief(given)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {brief(given)}"
    if kind in ("too_short", "too_long"):
        return error["msg"].replace("List", "expected a list").replace("Dictionary", "a map")
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    return error["msg"]


# Pydantic names the branch of a union in an error's location; users never wrote those.
_UNION_BRANCH_TAGS = {"one-number", "year-map", "growing-demand"} | {
    model.__name__ for model in Item.__subclasses__()
}


def _is_union_branch(step: Any) -> bool:
    return isinstance(step, str) and ("[" in step or step in _UNION_BRANCH_TAGS)


def _pydantic_problems(error: ValidationError, data: Any) -> list[Problem]:
    problems: dict[str, Problem] = {}
    stored_keys: dict[int, dict] = {}
    for detail in error.errors(include_url=False):
        path = key_path(tuple(detail["loc"]), data, stored_keys)
        problems.setdefault(path, Problem(path, _describe_error(detail)))
    # A union (a number or a map) fails once per branch; the deepest failure says most:
    # a path is dropped when another one lies under it (ancestors collected in one pass,
    # so that a file with 100 000 problems is not compared pair by pair).
    ancestors = {path[:cut] for path in problems
                 for cut, character in enumerate(path) if character in ".[" and cut}
    return [problem for path, problem in problems.items() if not path or path not in ancestors]


def instance_from_data(data: Any, source: str) -> Instance:
    """Plain data (as read from YAML or a workbook) → validated `Instance`."""
    if not isinstance(data, dict):
        kind = "an empty file" if data is None else type(data).__name__
        raise InputError(source, f"expected a map of top-level keys, got {kind}")
    try:
        instance = Instance.model_validate(data)
    except ValidationError as error:
        raise InputError(source, _pydantic_problems(error, data)) from None
    problems = check_instance(instance) + numeric_problems(instance)
    if problems:
        raise InputError(source, problems)
    return instance


def read_instance_data(path: str | Path) -> Any:
    """An instance file (YAML, or an Excel workbook by its .xlsx suffix) as plain data,
    before validation."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return read_workbook_data(path).data
    return read_yaml(path)


def load_instance(path: str | Path, overrides: Sequence[str] = ()) -> Instance:
    """Read and validate an instance file, with `--set` overrides applied first.

    Raises `InputError` naming the file (and the overrides) and the key path.
    """
    if Path(path).suffix.lower() == ".xlsx":  # errors name the sheet, row and column
        return load_workbook_instance(path, overrides)
    data = read_instance_data(path)
    source = str(path)
    if overrides:
        parsed = [parse_override(text) for text in overrides]
        data = apply_overrides(data, parsed)
        source += " with " + " ".join(f"--set {item.text}" for item in parsed)
    return instance_from_data(data, source)


def load_workbook_instance(path: str | Path, overrides: Sequence[str] = ()) -> Instance:
    """Read and validate an instance workbook, with `--set` overrides applied first,
    exactly as `load_instance` does for YAML."""
    workbook = read_workbook_data(path)
    data, source = workbook.data, str(path)
    if overrides:
        parsed = [parse_override(text) for text in overrides]
        data = apply_overrides(data, parsed)
        source += " with " + " ".join(f"--set {item.text}" for item in parsed)
    with located(workbook):
        return instance_from_data(data, source)
