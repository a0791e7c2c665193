"""`build_model(data)`: the whole formulation, one call per family, in the spec's order."""

from __future__ import annotations

import pyomo.core as pyo

from planner.data.derive import ModelData
from planner.models.budget import budget_caps
from planner.models.capacity import pool_in_use, pool_limit, tier_capacity
from planner.models.demand import demand_balance, minimum_coverage
from planner.models.objective import total_discounted_cost
from planner.models.policy import eurohpc_share, national_share
from planner.models.purchases import batch_size, commitments
from planner.models.redundancy import (
    redundancy_capacity,
    redundancy_cloud_limit,
    redundancy_cover,
)
from planner.models.spending import add_spending
from planner.models.variables import add_variables

# Every constraint family, in the order of spec §4, §5 and §6.1; docs/model.md has a row
# for each.
CONSTRAINT_FAMILIES = (
    demand_balance,
    minimum_coverage,
    tier_capacity,
    pool_limit,
    batch_size,
    pool_in_use,
    budget_caps,
    eurohpc_share,
    national_share,
    commitments,
    redundancy_cover,
    redundancy_capacity,
    redundancy_cloud_limit,
)


def build_model(data: ModelData) -> pyo.ConcreteModel:
    """Variables, shared spending expressions, every constraint family, then the objective."""
    model = pyo.ConcreteModel(name=data.instance_name)
    add_formulation(model, data)
    return model


def add_formulation(block: pyo.Block, data: ModelData) -> None:
    """The whole formulation of one forecast into `block` (a model, or one scenario's
    block of the extensive form in `planner.models.extensive`)."""
    add_variables(block, data)
    add_spending(block, data)
    for add_family in CONSTRAINT_FAMILIES:
        add_family(block, data)
    total_discounted_cost(block, data)
