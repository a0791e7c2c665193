"""Actuals: what was really bought, at what price, and spent on operations in one year.

An actuals file (format 1, docs/revision.md) is read and checked like an instance: every
problem names the file, the key path and what was expected. `planner revise` turns its
purchases into commitments of the history year and its operations spending into that
year's `baseline_opex`.

    format: 1
    year: 2025
    bought:
      - {product: gpu-node, units: 80, capex: 1.65}
    spent: {operations: 88.5}
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from planner.errors import InputError, Problem
from planner.input.yaml import parse_yaml, read_text
from planner.loading import _pydantic_problems
from planner.schema import Instance, Name, NonNegative, Source, Year

ACTUALS_FORMAT_VERSION = 1


class ActualsItem(BaseModel):
    """Base of the actuals models: unknown keys are an error, values are frozen (as an
    instance's; kept apart from `planner.schema.Item`, which is the instance format)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Bought(ActualsItem):
    """Units of one product bought in the year, at the price paid."""

    product: Name
    units: NonNegative
    capex: NonNegative  # MNOK per unit paid, tier surcharge included
    tier: Name | None = None
    source: Source = None


class Spent(ActualsItem):
    operations: NonNegative | None = None  # becomes the year's baseline_opex
    source: Source = None


class ActualsFile(ActualsItem):
    format: Literal[1]
    year: Year
    instance: Name | None = None  # the instance name these actuals belong to, if given
    bought: list[Bought] = []
    spent: Spent = Spent()
    source: Source = None


@dataclass(frozen=True)
class Actuals:
    """One actuals file, validated: `data` its content, `source` its path, `sha256`."""

    data: ActualsFile
    source: str
    sha256: str

    @property
    def year(self) -> int:
        return self.data.year


def load_actuals(path: str | Path) -> Actuals:
    """Read and check the shape of an actuals file (not yet against an instance)."""
    path = Path(path)
    text = read_text(path)
    data = parse_yaml(text, str(path))
    if not isinstance(data, dict):
        kind = "an empty file" if data is None else type(data).__name__
        raise InputError(str(path), f"expected a map of top-level keys, got {kind}")
    try:
        actuals = ActualsFile.model_validate(data)
    except ValidationError as error:
        raise InputError(str(path), _pydantic_problems(error, data)) from None
    return Actuals(actuals, str(path), hashlib.sha256(text.encode("utf-8")).hexdigest())


def check_actuals(actuals: Actuals, instance: Instance, revise_year: int) -> None:
    """The rules that relate an actuals file to the instance it revises; raises
    `InputError` naming the actuals file and key path."""
    problems: list[Problem] = []
    add = problems.append
    data = actuals.data
    first = instance.years.first
    if data.instance is not None and data.instance != instance.name:
        add(Problem("instance", f"these actuals are for instance {data.instance!r}, but the "
                                f"plan revised is {instance.name!r}"))
    if not first <= data.year < revise_year:
        add(Problem("year", f"expected a history year of the revision, {first}.."
                            f"{revise_year - 1} (before --year {revise_year}), "
                            f"got {data.year}"))
    tiers = instance.tier_names
    units_per_product: dict[str, float] = defaultdict(float)
    for position, item in enumerate(data.bought):
        path = f"bought[{position}]"
        product = instance.products.get(item.product)
        if product is None:
            known = ", ".join(sorted(instance.products)) or "none are defined"
            add(Problem(f"{path}.product", f"unknown product {item.product!r} (expected one "
                                           f"of: {known})"))
            continue
        units_per_product[item.product] += item.units
        if product.integer and item.units != int(item.units):
            add(Problem(f"{path}.units", f"product {item.product!r} is bought in whole units, "
                                         f"got {item.units:g}"))
        if item.tier is not None:
            pool_tier = instance.tier_index(instance.pools[product.pool].max_tier)
            if item.tier not in tiers:
                add(Problem(f"{path}.tier", f"unknown tier {item.tier!r} (expected one of: "
                                            f"{', '.join(tiers)})"))
            elif tiers.index(item.tier) > pool_tier:
                add(Problem(f"{path}.tier", f"tier {item.tier!r} is above pool "
                                            f"{product.pool!r}'s max_tier "
                                            f"({tiers[pool_tier]!r})"))
    for name, units in units_per_product.items():
        batch = instance.products[name].batch
        if batch is None or units == 0:
            continue
        if units < batch.min_units:
            add(Problem("bought", f"{units:g} units of {name!r} bought in {data.year}, fewer "
                                  f"than its batch's min_units ({batch.min_units:g})"))
        if batch.max_units is not None and units > batch.max_units:
            add(Problem("bought", f"{units:g} units of {name!r} bought in {data.year}, more "
                                  f"than its batch's max_units ({batch.max_units:g})"))
    if problems:
        raise InputError(actuals.source, problems)


def check_distinct_years(actuals: list[Actuals]) -> None:
    seen: dict[int, str] = {}
    for item in actuals:
        if item.year in seen:
            raise InputError(item.source, Problem(
                "year", f"{item.year} is also the year of {seen[item.year]}; give one actuals "
                        "file per year"))
        seen[item.year] = item.source
