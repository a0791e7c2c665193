"""`--set key.path=value`: changing an instance from the command line before validation.

Paths are dotted keys into the instance file. Items of a list are found by their `name`
(`existing.betzy.last_year`, `tiers.restricted.surcharge`) or, for lists without names,
by position (`committed.0.units`). Setting one year of a value given as one number for
every year (`budget.yearly.2026=500` where `yearly: 600`) turns it into a map that keeps
the number in every other year. The changed data is then validated exactly like a file.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from planner.input.errors import InputError, Problem, brief
from planner.input.yaml_text import parse_yaml


@dataclass(frozen=True)
class Override:
    path: str
    value: Any
    text: str  # as the user wrote it, for messages and the run record

    @property
    def parts(self) -> list[str]:
        return self.path.split(".")


def parse_override(text: str) -> Override:
    """`key.path=value` → Override; the value is read as YAML (numbers, true/false, maps)."""
    source = f"--set {text}"
    path, equals, value_text = text.partition("=")
    path = path.strip()
    if not equals or not path:
        raise InputError(source, "expected KEY.PATH=VALUE, e.g. budget.yearly.2026=500")
    if not value_text.strip():
        raise InputError(source, Problem(path, "expected a value after '='"))
    if any(not part for part in path.split(".")):
        raise InputError(source, Problem(path, "expected a dotted key path without empty parts"))
    return Override(path=path, value=parse_yaml(value_text, source), text=text)


def _as_key(node: dict, part: str) -> Any:
    # Year maps are keyed by numbers in YAML; `2026` on the command line means that year.
    if part.lstrip("-").isdigit() and (int(part) in node or part not in node):
        return int(part)
    return part


def _years(data: dict) -> list[int]:
    years = data.get("years")
    if isinstance(years, dict) and isinstance(years.get("first"), int) \
            and isinstance(years.get("last"), int):
        return list(range(years["first"], years["last"] + 1))
    return []


def _spread_over_years(value: Any, data: dict) -> dict[int, Any]:
    return dict.fromkeys(_years(data), value)


def apply_override(data: dict, override: Override) -> None:
    """Apply one override to plain instance data, in place."""
    source = f"--set {override.text}"
    node: Any = data
    parts = override.parts
    walked: list[str] = []
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        here = ".".join(walked) or "the instance"
        if isinstance(node, list):
            index = _list_index(node, part)
            if index is None:
                names = [item.get("name") for item in node if isinstance(item, dict)]
                known = ", ".join(str(name) for name in names[:20] if name) \
                    or "items by position"
                raise InputError(source, Problem(
                    ".".join([*walked, part]), f"no item {brief(part)} in {here} (expected one "
                                               f"of: {known})"))
            if last:
                node[index] = copy.deepcopy(override.value)
                return
            node = node[index]
        elif isinstance(node, dict):
            key = _as_key(node, part)
            if last:
                node[key] = copy.deepcopy(override.value)
                return
            child = node.get(key)
            following = parts[position + 1]
            if isinstance(child, int | float) and not isinstance(child, bool) \
                    and following.isdigit():
                child = node[key] = _spread_over_years(child, data)
            elif child is None:
                child = node[key] = {}
            node = child
        else:
            raise InputError(source, Problem(
                ".".join(walked), f"is {brief(node)}, which has no key {brief(part)}"))
        walked.append(part)


def _list_index(items: list, part: str) -> int | None:
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("name") == part:
            return index
    if part.isdigit() and int(part) < len(items):
        return int(part)
    return None


def apply_overrides(data: dict, overrides: list[Override]) -> dict:
    """A copy of `data` with every override applied in order."""
    changed = copy.deepcopy(data)
    if not isinstance(changed, dict):
        return changed
    for override in overrides:
        apply_override(changed, override)
    return changed
