"""Instance format 1 as pydantic models (docs/instance-format.md describes it for users).

These models check the shape of an instance: keys, types, ranges. Checks that relate one
part of an instance to another (a pool's location must exist, a demand map must cover
every year, ...) live in `planner.input.checks`, so that each can name its own key path.
Every model forbids unknown keys and is frozen once loaded.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    Tag,
)

FORMAT_VERSION = 1

# Probabilities of the scenarios must add up to 1 within this.
PROBABILITY_SUM_TOLERANCE = 1e-9


class Item(BaseModel):
    """Base of every part of an instance: unknown keys are an error, values are frozen."""

    # defer_build: a model's validator is built when it first validates, not when its
    # class is defined. An instance file is validated through `Instance` alone (its parts
    # within it), so the other 17 validators were built at import and never used: 0.02 s
    # of every command that reads an instance.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False,
                              defer_build=True)


def _reject_bool(value: Any) -> Any:
    # YAML reads `true`/`false` as booleans; pydantic would take them as 1 and 0.
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {str(value).lower()}")
    return value


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("expected a finite number")
    return value


Number = Annotated[float, BeforeValidator(_reject_bool), AfterValidator(_finite)]
NonNegative = Annotated[Number, Field(ge=0)]
Fraction = Annotated[Number, Field(ge=0, le=1)]
Growth = Annotated[Number, Field(gt=-1)]
Year = Annotated[int, BeforeValidator(_reject_bool), Field(ge=1900, le=2500)]
MAX_NAME_CHARACTERS = 100


def _name(value: str) -> str:
    # Names reach terminals, file names and spreadsheets: printable text of a sane length.
    if not value.strip():
        raise ValueError("expected a name, got blank text")
    if len(value) > MAX_NAME_CHARACTERS:
        raise ValueError(f"a name may have at most {MAX_NAME_CHARACTERS} characters; "
                         f"this one has {len(value)}")
    for position, character in enumerate(value):
        if not character.isprintable():
            raise ValueError(f"a name must be printable text; character {position + 1} is "
                             f"{character!r} (a control or format character)")
    return value


Name = Annotated[str, AfterValidator(_name)]
"""A name or a reference to one: printable text (Python's `str.isprintable`: no control,
format or line-break characters), not blank, at most 100 characters."""
Source = Annotated[str | None, Field(default=None)]


def _number_or_map(value: Any) -> str:
    # Picks the branch of a union up front, so that an error names only the branch meant.
    return "year-map" if isinstance(value, dict) else "one-number"


YearValues = Annotated[
    Annotated[NonNegative, Tag("one-number")] | Annotated[dict[Year, NonNegative], Tag("year-map")],
    Discriminator(_number_or_map),
]
"""One non-negative number for every year, or a map year → number (other years: none)."""


class Years(Item):
    first: Year
    last: Year


class Resource(Item):
    unit: Name
    source: Source = None


class Tier(Item):
    name: Name
    surcharge: NonNegative = 0.0
    source: Source = None


class Location(Item):
    national: StrictBool
    allied: StrictBool | None = None
    source: Source = None

    @property
    def is_allied(self) -> bool:
        """A national location is allied too."""
        return self.national or bool(self.allied)


class Pool(Item):
    kind: Literal["national", "eurohpc", "cloud"]
    location: Name
    max_tier: Name | None = None
    fixed_opex: NonNegative = 0.0
    limit: dict[Name, NonNegative] | None = None
    price: dict[Name, NonNegative] | None = None
    source: Source = None


class Batch(Item):
    fixed_capex: NonNegative = 0.0
    fixed_opex: NonNegative = 0.0
    min_units: NonNegative = 0.0
    max_units: NonNegative | None = None


class Product(Item):
    pool: Name
    capacity: Annotated[dict[Name, Annotated[Number, Field(gt=0)]], Field(min_length=1)]
    capex: NonNegative
    capex_trend: Growth = 0.0
    opex: NonNegative = 0.0
    lifetime: Annotated[int, BeforeValidator(_reject_bool), Field(ge=1)]
    lead_time: Annotated[int, BeforeValidator(_reject_bool), Field(ge=0)] = 0
    years: Annotated[list[Year], Field(min_length=1)] | None = None
    integer: StrictBool = True
    batch: Batch | None = None
    source: Source = None


class Existing(Item):
    name: Name
    pool: Name
    capacity: dict[Name, NonNegative]
    tier: Name | None = None
    last_year: Year
    opex: NonNegative = 0.0
    source: Source = None


class GrowingDemand(Item):
    base: NonNegative
    growth: Growth


def _growth_or_map(value: Any) -> str:
    if isinstance(value, GrowingDemand) or (
            isinstance(value, dict) and ({"base", "growth"} & set(value))):
        return "growing-demand"
    return "year-map"


class Workload(Item):
    resource: Name
    demand: Annotated[
        Annotated[GrowingDemand, Tag("growing-demand")]
        | Annotated[dict[Year, NonNegative], Field(min_length=1), Tag("year-map")],
        Discriminator(_growth_or_map),
    ]
    tier: Name | None = None
    placement: Literal["national", "allied", "any"] = "any"
    unmet_penalty: NonNegative
    min_coverage: Fraction = 0.0
    redundant: StrictBool = False
    source: Source = None


class Budget(Item):
    total: NonNegative | None = None
    yearly: YearValues | None = None
    investment: YearValues | None = None
    national_investment: YearValues | None = None
    eurohpc_investment: YearValues | None = None
    operations: YearValues | None = None
    source: Source = None


class EurohpcShare(Item):
    # Not capped at 1: against `of: national_investment` the EuroHPC part may exceed it.
    min: NonNegative = 0.0
    max: NonNegative | None = None
    of: Literal["investment", "national_investment", "spending"] = "investment"
    years: Annotated[list[Year], Field(min_length=2, max_length=2)] | None = None
    source: Source = None


class NationalShare(Item):
    min: Fraction
    resources: list[Name] | None = None
    source: Source = None


class Policy(Item):
    eurohpc_share: EurohpcShare | None = None
    national_share: NationalShare | None = None


class Commitment(Item):
    product: Name
    year: Year
    tier: Name | None = None
    units: NonNegative
    capex: NonNegative | None = None
    source: Source = None


class Scenario(Item):
    """One demand and price outlook of a two-stage instance (docs/scenarios.md)."""

    probability: Annotated[Number, Field(gt=0, le=1)]
    demand_scale: dict[Name, NonNegative] = Field(default_factory=dict)
    demand_growth: dict[Name, Growth] = Field(default_factory=dict)
    price_scale: dict[Name, Annotated[Number, Field(gt=0)]] = Field(default_factory=dict)
    source: Source = None


def _default_tiers() -> list[Tier]:
    return [Tier(name="open", surcharge=0.0)]


class Instance(Item):
    """A whole instance file, format 1."""

    format: Literal[1]
    name: Name
    years: Years
    discount_rate: NonNegative = 0.0
    end_of_horizon: Literal["salvage", "none"] = "salvage"
    resources: Annotated[dict[Name, Resource], Field(min_length=1)]
    tiers: Annotated[list[Tier], Field(min_length=1)] = Field(default_factory=_default_tiers)
    locations: Annotated[dict[Name, Location], Field(min_length=1)]
    pools: Annotated[dict[Name, Pool], Field(min_length=1)]
    products: dict[Name, Product] = Field(default_factory=dict)
    existing: list[Existing] = Field(default_factory=list)
    workloads: Annotated[dict[Name, Workload], Field(min_length=1)]
    baseline_opex: YearValues = 0.0
    budget: Budget = Field(default_factory=Budget)
    policy: Policy = Field(default_factory=Policy)
    committed: list[Commitment] = Field(default_factory=list)
    plan_from: Year | None = None
    scenarios: Annotated[dict[Name, Scenario], Field(min_length=1)] | None = None
    decide_now: Annotated[list[Year], Field(min_length=1)] | None = None
    # What the plan optimises first (spec §4.1); a command's --priority overrides it.
    priority: Literal["cost", "coverage"] | None = None

    # Derived conveniences used by every later layer; none of them changes the data.
    @property
    def year_list(self) -> list[int]:
        return list(range(self.years.first, self.years.last + 1))

    @property
    def first_plan_year(self) -> int:
        return self.plan_from if self.plan_from is not None else self.years.first

    @property
    def decide_now_years(self) -> list[int]:
        """Years whose purchases every scenario shares: `decide_now`, else `[plan_from]`."""
        if self.decide_now is not None:
            return sorted(set(self.decide_now))
        return [self.first_plan_year]

    @property
    def tier_names(self) -> list[str]:
        return [tier.name for tier in self.tiers]

    @property
    def lowest_tier(self) -> str:
        return self.tiers[0].name

    def tier_index(self, name: str | None) -> int:
        """Position of a tier, lowest first; `None` means the lowest tier."""
        return 0 if name is None else self.tier_names.index(name)
