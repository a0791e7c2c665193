"""The extensive form of a two-stage instance (spec §6.2): every scenario in one model.

One block per scenario, `scenario[s]`, holds the whole formulation of §3-§5 (and §6.1)
built from that scenario's data by the same functions as a one-forecast model
(`add_formulation`), its own objective deactivated. Non-anticipativity rows tie the
purchases of the `decide_now` years in every block to one shared decision:

    first_stage_units[s,i,b,k]:  x_s(i,b,k) = x̄(i,b,k)      b ∈ decide_now
    first_stage_batch[s,i,b]:    z_s(i,b)   = z̄(i,b)        b ∈ decide_now

and `expected_cost` minimises Σ_s probability_s · cost_s, cost_s being the scenario
block's `total_discounted_cost` expression.
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.data.derive import ModelData
from planner.models.build import add_formulation


def first_stage_cells(data: ModelData, decide_now: list[int]) -> list[tuple[str, int, int]]:
    """The purchase cells (i,b,k) decided now: b in decide_now."""
    return [(cell.product, cell.year, cell.tier) for cell in data.purchase_cells
            if cell.year in decide_now]


def first_stage_batches(data: ModelData, decide_now: list[int]) -> list[tuple[str, int]]:
    """The batch switches (i,b) decided now."""
    return sorted({(product, year) for product, year, _ in first_stage_cells(data, decide_now)
                   if product in data.batch_products})


def build_extensive_model(datas: dict[str, ModelData], probability: dict[str, float],
                          decide_now: list[int], name: str) -> pyo.ConcreteModel:
    """One block per scenario, shared first-stage purchases, the expected cost.

    Every scenario's data must have the same purchase cells (`derive` gives them: only
    demand and prices differ between scenarios).
    """
    model = pyo.ConcreteModel(name=name)
    scenarios = list(datas)
    model.scenario = pyo.Block(scenarios)
    for scenario in scenarios:
        block = model.scenario[scenario]
        add_formulation(block, datas[scenario])
        block.total_discounted_cost.deactivate()

    first = datas[scenarios[0]]
    cells = first_stage_cells(first, decide_now)
    batches = first_stage_batches(first, decide_now)

    def purchase_domain(_model: pyo.ConcreteModel, product: str, _year: int, _tier: int):
        return pyo.NonNegativeIntegers if first.product_integer[product] else pyo.NonNegativeReals

    model.shared_units_bought = pyo.Var(cells, domain=purchase_domain)
    model.shared_batch_bought = pyo.Var(batches, domain=pyo.Binary)
    model.first_stage_units = pyo.Constraint(
        [(scenario, *cell) for scenario in scenarios for cell in cells],
        rule=lambda _m, scenario, *cell: model.scenario[scenario].units_bought[cell]
        == model.shared_units_bought[cell])
    model.first_stage_batch = pyo.Constraint(
        [(scenario, *key) for scenario in scenarios for key in batches],
        rule=lambda _m, scenario, *key: model.scenario[scenario].batch_bought[key]
        == model.shared_batch_bought[key])
    model.expected_cost = pyo.Objective(
        expr=pyo.quicksum(probability[scenario] * model.scenario[scenario]
                          .total_discounted_cost.expr for scenario in scenarios),
        sense=pyo.minimize)
    return model


def fix_first_stage(model: pyo.Block, units: dict[tuple[str, int, int], float],
                    batches: dict[tuple[str, int], float]) -> None:
    """Fix the purchases decided now of a one-forecast model (the EEV subproblems)."""
    for cell, value in units.items():
        model.units_bought[cell].fix(value)
    for key, value in batches.items():
        model.batch_bought[key].fix(round(value))
