"""A plan's metadata and cost summary: typed, frozen, read by attribute.

    plan.metadata.status            # "optimal"
    plan.summary.spending_mnok      # 2235.76 (exact; views show cost_figures)
    plan.metadata = plan.metadata.replace(overrides=["budget.total=2200"])

Each is an immutable mapping as well (`plan.metadata["status"]`, `.get`, `dict(...)`), so
that plan.json keeps exactly its keys, in their order: a key the plan does not have is
absent from it, not null (docs/plan-json.md). Floats are kept to 1e-9 (no float noise).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import FrozenInstanceError
from types import MappingProxyType
from typing import Any, ClassVar

from planner.results.rounding import clean


def _cleaned(value: Any) -> Any:
    if isinstance(value, float):
        return clean(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value


class _Record(Mapping[str, Any]):
    """Named fields over an ordered, read-only mapping; a field the record lacks reads as
    None by attribute (KeyError by key, as a dict)."""

    FIELDS: ClassVar[tuple[str, ...]] = ()
    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any] | None = None, **more: Any) -> None:
        merged = {str(key): _cleaned(value) for key, value in {**(values or {}), **more}.items()}
        object.__setattr__(self, "_values", MappingProxyType(merged))

    def __getattr__(self, name: str) -> Any:
        if name in type(self).FIELDS:
            return self._values.get(name)
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"{type(self).__name__} is frozen: use .replace({name}=...)")

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self._values)!r})"

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(type(self).FIELDS))

    def __reduce__(self):  # picklable (worker processes return plans)
        return (type(self), (dict(self._values),))

    def replace(self, **changes: Any):
        """A copy with `changes` (a new key goes last, as plan.json lists it)."""
        return type(self)(self._values, **changes)

    def __or__(self, other: Mapping[str, Any]):
        """`record | {...}`: a copy with those keys set (`plan.summary |= {...}` works)."""
        return type(self)(self._values, **other)

    def __ror__(self, other: Mapping[str, Any]) -> dict[str, Any]:
        """`{...} | record`: a plain dict, as with two dicts."""
        return {**other, **self._values}

    def to_dict(self) -> dict[str, Any]:
        return dict(self._values)


class PlanMetadata(_Record):
    """How the plan was computed (docs/plan-json.md, "metadata")."""

    instance_name: str
    instance_file: str | None
    instance_sha256: str
    format_version: int
    plan_schema_version: int
    tool: str
    tool_version: str
    solver: str
    solver_version: str
    status: str
    proven_optimal: bool
    termination: str
    objective_mnok: float | None
    bound_mnok: float | None
    gap: float | None
    mip_gap_requested: float
    time_limit_seconds: float | None
    threads: int
    random_seed: int | None
    build_seconds: float
    solve_seconds: float
    timestamp: str
    priority: str | None
    least_weighted_unserved_mnok: float | None
    warnings: list[str] | None
    overrides: list[str] | None
    model_reused: bool | None
    scenarios: list[str] | None
    decide_now: list[int] | None
    vss_unbounded_scenarios: list[str] | None

    FIELDS = (
        "instance_name", "instance_file", "instance_sha256", "format_version",
        "plan_schema_version", "tool", "tool_version", "solver", "solver_version", "status",
        "proven_optimal", "termination", "objective_mnok", "bound_mnok", "gap",
        "mip_gap_requested", "time_limit_seconds", "threads", "random_seed", "build_seconds",
        "solve_seconds", "timestamp", "priority", "least_weighted_unserved_mnok", "warnings",
        "overrides", "model_reused", "scenarios", "decide_now", "vss_unbounded_scenarios")
    __slots__ = ()


class PlanSummary(_Record):
    """The objective taken apart, exact (MNOK); views show `cost_figures` of it."""

    objective_mnok: float | None
    spending_mnok: float | None
    national_investment_mnok: float | None
    eurohpc_investment_mnok: float | None
    operations_mnok: float | None
    unserved_penalty_mnok: float | None
    discounted_spending_mnok: float | None
    discounted_unserved_penalty_mnok: float | None
    salvage_mnok: float | None
    objective_without_redundancy_mnok: float | None
    redundancy_cost_mnok: float | None
    redundancy_cost_bounds_mnok: list[float] | None
    wait_and_see_mnok: float | None
    evpi_mnok: float | None
    eev_mnok: float | None
    vss_mnok: float | None

    FIELDS = (
        "objective_mnok", "spending_mnok", "national_investment_mnok",
        "eurohpc_investment_mnok", "operations_mnok", "unserved_penalty_mnok",
        "discounted_spending_mnok", "discounted_unserved_penalty_mnok", "salvage_mnok",
        "objective_without_redundancy_mnok", "redundancy_cost_mnok",
        "redundancy_cost_bounds_mnok", "wait_and_see_mnok", "evpi_mnok", "eev_mnok",
        "vss_mnok")
    __slots__ = ()
