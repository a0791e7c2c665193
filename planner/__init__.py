"""Optimal multi-year investment plans for national HPC capacity.

    from planner import load_instance, solve
    plan = solve(load_instance("instances/norway-2025.yaml"))
"""

__version__ = "0.1.0"

from planner.api import solve  # noqa: E402
from planner.errors import InputError  # noqa: E402
from planner.loading import load_instance  # noqa: E402
from planner.plan import Plan  # noqa: E402

__all__ = ["InputError", "Plan", "load_instance", "solve", "__version__"]
