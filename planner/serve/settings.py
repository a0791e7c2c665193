"""A reader's setting: the `--set` changes a page or an HTTP client asks for.

`POST /api/solve` takes `{"set": {"budget.total": 2000, ...}}`. Each key is a `--set` key
path; a JSON number is taken as that number, a string as `--set` text (so `"2000"` and
`"{2026: 250}"` read as the command line would read them). Anything else is refused with
the messages `--set` gives.
"""

from __future__ import annotations

import json
from typing import Any

from planner.input.errors import InputError, Problem
from planner.input.overrides import Override, parse_override

MAX_KEYS = 200  # far above the page's own controls; keeps a request's work bounded
MAX_TEXT = 1000


def overrides_from_json(settings: Any) -> list[Override]:
    """`{"key.path": value, ...}` → the overrides `--set` would make, in key order.

    Raises `InputError` (source `--set`) naming each bad key.
    """
    if settings is None:
        return []
    if not isinstance(settings, dict):
        raise InputError("request", Problem("set", "expected a map of KEY.PATH → value"))
    if len(settings) > MAX_KEYS:
        raise InputError("request", Problem("set", f"expected at most {MAX_KEYS} keys"))
    overrides = []
    for key in sorted(settings):
        value = settings[key]
        if not isinstance(key, str) or not key or "=" in key or len(key) > MAX_TEXT:
            raise InputError("request", Problem("set", "expected KEY.PATH keys without '='"))
        if isinstance(value, bool):
            overrides.append(parse_override(f"{key}={'true' if value else 'false'}"))
        elif isinstance(value, int | float):
            if value != value or value in (float("inf"), float("-inf")):
                raise InputError(f"--set {key}", Problem(key, "expected a finite number"))
            overrides.append(Override(path=key.strip(), value=value,
                                      text=f"{key}={json.dumps(value)}"))
        elif isinstance(value, str) and len(value) <= MAX_TEXT:
            overrides.append(parse_override(f"{key}={value}"))
        else:
            raise InputError(f"--set {key}", Problem(
                key, "expected a number, or a text as --set takes it"))
    for override in overrides:
        if any(not part for part in override.parts):
            raise InputError(f"--set {override.text}", Problem(
                override.path, "expected a dotted key path without empty parts"))
    return overrides


def settings_from_query(text: str | None) -> Any:
    """The `set` query parameter of a download link: the same map, as JSON text."""
    if not text:
        return {}
    if len(text) > MAX_KEYS * MAX_TEXT:
        raise InputError("request", Problem("set", "expected a shorter setting"))
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise InputError("request", Problem("set", "expected JSON: {\"KEY.PATH\": value}")) \
            from None
