"""Spending of each year (spec §4.6): shared expressions read by caps, policy, objective, reports.

Defined once here, as GenX does with its cost accumulators, so the objective, the budget
caps, the EuroHPC share and the reported financing plan can never disagree.
"""

from __future__ import annotations

from collections import defaultdict

import pyomo.core as pyo

from planner.data.derive import ModelData
from planner.models.variables import indexed


def add_spending(model: pyo.ConcreteModel, data: ModelData) -> None:
    """Expressions, all in MNOK:

    - `national_capex_mnok[y]`, `eurohpc_capex_mnok[y]`:
        Σ_{i,k} c(i,y)(1+σ_k)·x(i,y,k) + Σ_i fixed_capex_i·z(i,y), split by the pool kind
    - `opex_mnok[y]` = baseline_opex(y) + Σ existing in service opex_e + Σ_p fixed_opex_p·g(p,y)
        + Σ_{i,b,k} S(i,b,y)·opex_i(1+σ_k)·x(i,b,k) + Σ_{i,b} S(i,b,y)·fixed_opex_i·z(i,b)
        + Σ_{cloud p, c} price_p[r_c]·a(c,p,y)
    - `unserved_penalty_mnok[y]` = Σ_w unmet_penalty_w·u(w,y)
    - `salvage_mnok` = Σ δ(last)/(1+ρ)·(m/lifetime)·(capex as paid)·x, batches likewise

    In a scenario (spec §6.2) the price factor f(i,y) of a product or cloud pool multiplies
    its opex, batch costs and cloud prices in each year after the last decide_now year;
    capex as paid already carries it (`ModelData.price_scale`, 1 elsewhere).
    """
    capex_terms: dict[tuple[str, int], list] = defaultdict(list)
    opex_terms: dict[int, list] = defaultdict(list)
    salvage_terms: list = []
    for cell in data.purchase_cells:
        key = (cell.product, cell.year, cell.tier)
        units = model.units_bought[key]
        kind = data.pool_kind[data.product_pool[cell.product]]
        capex_terms[kind, cell.year].append(cell.unit_capex_mnok * units)
        opex = data.product_opex_mnok[cell.product] * (1 + data.surcharge[cell.tier])
        if opex:
            for year in data.in_service_years[cell.product, cell.year]:
                opex_terms[year].append(opex * data.price_scale(cell.product, year) * units)
        factor = data.salvage_factor[cell.product, cell.year]
        if factor and cell.unit_capex_mnok:
            salvage_terms.append(factor * cell.unit_capex_mnok * units)
    for product, year in model.batch_bought:
        switch = model.batch_bought[product, year]
        kind = data.pool_kind[data.product_pool[product]]
        fixed_capex = data.batch_fixed_capex_mnok[product] * data.price_scale(product, year)
        if fixed_capex:
            capex_terms[kind, year].append(fixed_capex * switch)
            factor = data.salvage_factor[product, year]
            if factor:
                salvage_terms.append(factor * fixed_capex * switch)
        fixed_opex = data.batch_fixed_opex_mnok[product]
        if fixed_opex:
            for in_service in data.in_service_years[product, year]:
                opex_terms[in_service].append(
                    fixed_opex * data.price_scale(product, in_service) * switch)
    for pool, year in model.pool_used:
        opex_terms[year].append(data.pool_fixed_opex_mnok[pool] * model.pool_used[pool, year])
    for (workload, pool, year), served in indexed(model.served):
        if data.pool_kind[pool] == "cloud":
            price = data.cloud_price_mnok[pool][data.workload_resource[workload]] * (
                data.price_scale(pool, year))
            if price:
                opex_terms[year].append(price * served)

    def fixed_opex(year: int) -> float:
        return data.baseline_opex_mnok[year] + data.existing_opex_mnok[year]

    years = data.years
    model.national_capex_mnok = pyo.Expression(
        years, rule=lambda _m, y: pyo.quicksum(capex_terms[("national", y)], start=0.0))
    model.eurohpc_capex_mnok = pyo.Expression(
        years, rule=lambda _m, y: pyo.quicksum(capex_terms[("eurohpc", y)], start=0.0))
    model.opex_mnok = pyo.Expression(
        years, rule=lambda _m, y: pyo.quicksum(opex_terms[y], start=fixed_opex(y)))
    model.unserved_penalty_mnok = pyo.Expression(
        years,
        rule=lambda _m, y: pyo.quicksum(
            (data.unmet_penalty_mnok[w] * model.unserved[w, y]
             for w in data.workload_resource if data.unmet_penalty_mnok[w]), start=0.0),
    )
    model.salvage_mnok = pyo.Expression(expr=pyo.quicksum(salvage_terms, start=0.0))


def capex_mnok(model: pyo.ConcreteModel, year: int):
    """capex(y): national and EuroHPC investment of a year."""
    return model.national_capex_mnok[year] + model.eurohpc_capex_mnok[year]


def spending_mnok(model: pyo.ConcreteModel, year: int):
    """capex(y) + opex(y)."""
    return capex_mnok(model, year) + model.opex_mnok[year]
