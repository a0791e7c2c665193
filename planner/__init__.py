"""Optimal multi-year investment plans for national HPC capacity.

    from planner import load_instance, solve
    plan = solve(load_instance("instances/norway-2025.yaml"))

The public names are loaded on first use (module `__getattr__`), so that `import planner`
stays light: Pyomo, HiGHS and pandas load only when something is solved or tabled
(docs/architecture.md). `solve` takes any instance, one- or two-stage.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name → the module that defines it
_PUBLIC = {
    "InputError": "planner.input.errors",
    "Plan": "planner.results.plan",
    "load_instance": "planner.input.loading",
    "solve": "planner.analyses.facade",
}

__all__ = ["InputError", "Plan", "load_instance", "solve", "__version__"]

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ loads them
    from planner.analyses.facade import solve
    from planner.input.errors import InputError
    from planner.input.loading import load_instance
    from planner.results.plan import Plan


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value  # loaded once; later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
