"""YAML text → plain Python data, strictly (a key given twice is an error), and the text
of an input file; every problem becomes an `InputError`. Used for instance files, `--set`
values and actuals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from planner.input.errors import InputError


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
