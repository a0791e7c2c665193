"""The plan: what a solve returns, what plan.json holds, and how it is read back.

plan.json's layout is documented in docs/plan-json.md; `PLAN_SCHEMA_VERSION` changes
whenever that layout does.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.errors import InputError
from planner.results.records import PlanMetadata, PlanSummary
from planner.results.rounding import clean
from planner.schema import Instance

PLAN_SCHEMA_VERSION = 1

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
        """The plan as plan.json's document (plain JSON types only)."""
        return {
            "plan_schema_version": PLAN_SCHEMA_VERSION,
            "metadata": _plain(self.metadata),
            "summary": _plain(self.summary),
            "tables": {name: _records(table) for name, table in self.tables.items()},
            "instance": self.instance.model_dump(mode="json", exclude_unset=True),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_document(), indent=2, ensure_ascii=False,
                          allow_nan=False) + "\n"

    @classmethod
    def from_document(cls, document: dict[str, Any], source: str = "plan.json") -> Plan:
        version = document.get("plan_schema_version") if isinstance(document, dict) else None
        if version != PLAN_SCHEMA_VERSION:
            raise InputError(source, f"plan_schema_version: expected {PLAN_SCHEMA_VERSION}, "
                                     f"got {version!r}; is this a plan.json of this tool?")
        try:
            instance = Instance.model_validate(document["instance"])
            tables = {name: pd.DataFrame.from_records(records, columns=EMPTY_COLUMNS.get(name))
                      if not records else pd.DataFrame.from_records(records)
                      for name, records in document["tables"].items()}
            return cls(instance, document["metadata"], document["summary"], tables)
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(source, f"not a valid plan file: {error}") from None

    @classmethod
    def from_json_file(cls, path: str | Path) -> Plan:
        path = Path(path)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(str(path), "file not found") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InputError(str(path), f"not a readable JSON plan file: {error}") from None
        return cls.from_document(document, str(path))


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


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(column): _json_value(value) for column, value in row.items()}
        for row in table.astype(object).to_dict(orient="records")
    ]
