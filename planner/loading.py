"""Reading an instance file: YAML text → plain data → validated, frozen `Instance`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from planner.checks import check_instance
from planner.errors import InputError, Problem
from planner.numerics import numeric_problems
from planner.schema import Instance, Item


class _StrictLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one map."""


def _construct_map(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    result: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a map key must be a name or a number", key_node.start_mark
            ) from None
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is given twice", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=deep)
    return result


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map
)


def parse_yaml(text: str, source: str) -> Any:
    """YAML text → plain Python data; any syntax problem becomes an `InputError`."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown place"
        problem = error.problem or error.context or "invalid YAML"
        raise InputError(source, f"not valid YAML at {where}: {problem}") from None
    except yaml.YAMLError as error:
        raise InputError(source, f"not valid YAML: {error}") from None


def read_text(path: Path) -> str:
    """The text of an input file, with unreadable or non-UTF-8 files as input errors."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except IsADirectoryError:
        raise InputError(str(path), "expected a file, found a directory") from None
    except OSError as error:
        raise InputError(str(path), f"cannot read the file: {error.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            str(path), f"expected UTF-8 text; byte {error.start} is not valid UTF-8"
        ) from None


def key_path(location: tuple[Any, ...], data: Any) -> str:
    """A pydantic error location as the dotted key path a user writes.

    Items of a list are named by their `name` where they have one
    (`existing.betzy.last_year`), else by their position (`committed[0].units`).
    """
    parts: list[str] = []
    node = data
    for step in location:
        if isinstance(step, int) and isinstance(node, list):
            item = node[step] if step < len(node) else None
            name = item.get("name") if isinstance(item, dict) else None
            if isinstance(name, str) and name:
                parts.append(f".{name}")
            else:
                parts.append(f"[{step}]")
            node = item
        else:
            parts.append(f".{step}")
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts).lstrip(".")


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
        return f"expected one of {context.get('expected')}, got {given!r}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        symbol = {"greater_than_equal": "≥", "greater_than": ">",
                  "less_than_equal": "≤", "less_than": "<"}[kind]
        bound = next(iter(context.values()), "")
        return f"expected a number {symbol} {bound}, got {given!r}"
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        wanted = "a whole number" if kind.startswith("int") else "a number"
        return f"expected {wanted}, got {given!r}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a map of keys, got {type(given).__name__}"
    if kind == "list_type":
        return f"expected a list, got {type(given).__name__}"
    if kind in ("string_type", "string_too_short"):
        return f"expected a non-empty text, got {given!r}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {given!r}"
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
    for detail in error.errors(include_url=False):
        location = tuple(step for step in detail["loc"] if not _is_union_branch(step))
        path = key_path(location, data)
        problems.setdefault(path, Problem(path, _describe_error(detail)))
    # A union (a number or a map) fails once per branch; the deepest failure says most.
    paths = list(problems)
    return [
        problem for path, problem in problems.items()
        if not any(other.startswith((f"{path}.", f"{path}[")) for other in paths if path)
    ]


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
        from planner.workbook import read_workbook_data

        return read_workbook_data(path).data
    return parse_yaml(read_text(path), str(path))


def load_instance(path: str | Path, overrides: Sequence[str] = ()) -> Instance:
    """Read and validate an instance file, with `--set` overrides applied first.

    Raises `InputError` naming the file (and the overrides) and the key path.
    """
    from planner.overrides import apply_overrides, parse_override

    if Path(path).suffix.lower() == ".xlsx":  # errors name the sheet, row and column
        from planner.workbook import load_workbook_instance

        return load_workbook_instance(path, overrides)
    data = read_instance_data(path)
    source = str(path)
    if overrides:
        parsed = [parse_override(text) for text in overrides]
        data = apply_overrides(data, parsed)
        source += " with " + " ".join(f"--set {item.text}" for item in parsed)
    return instance_from_data(data, source)
