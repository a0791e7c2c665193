"""The plan's tables (pandas DataFrames) from the derived data and a solution.

Each table is one DataFrame with plain columns (units in the names), the same in the
terminal, in the CSV files and in plan.json.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import pandas as pd

from planner.data.derive import ModelData
from planner.results.figures import budget_figures

if TYPE_CHECKING:  # a plan read back from plan.json needs its tables' labels, not Pyomo
    from planner.models.solution import Solution


def financing_table(data: ModelData, solution: Solution) -> pd.DataFrame:
    """Tabell 1's layout: a row per financing line, a column per year and a total (MNOK)."""
    rows = {
        "national_investment": solution.national_capex_mnok,
        "operations": solution.opex_mnok,
        "eurohpc_investment": solution.eurohpc_capex_mnok,
    }
    records = []
    for line, by_year in rows.items():
        record = {"line": line} | {str(year): by_year[year] for year in data.years}
        records.append(record)
    table = pd.DataFrame.from_records(records)
    years = [str(year) for year in data.years]
    total = {"line": "sum"} | {year: table[year].sum() for year in years}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    table["total"] = table[years].sum(axis=1)
    return table


def purchases_table(data: ModelData, solution: Solution) -> pd.DataFrame:
    """Every cell with units bought: product, year, tier, units and what they cost.

    A batch bought with no units (possible where `min_units` is 0, e.g. to meet a EuroHPC
    minimum share with its fixed cost) gets a row of its own with 0 units at the lowest
    tier, so that the table adds up to the financing plan's investment lines.
    """
    records = []
    batch_shown: set[tuple[str, int]] = set()
    units_per_batch: dict[tuple[str, int], float] = defaultdict(float)
    for (product, year, _), units in solution.units_bought.items():
        units_per_batch[product, year] += units
    empty_batches = {key for key, switch in solution.batch_bought.items()
                     if switch > 0.5 and units_per_batch[key] <= 0}
    for cell in data.purchase_cells:
        units = solution.units_bought[cell.product, cell.year, cell.tier]
        key = (cell.product, cell.year)
        if units <= 0 and not (key in empty_batches and key not in batch_shown):
            continue
        fixed = 0.0
        if solution.batch_bought.get(key, 0) > 0.5 and key not in batch_shown:
            fixed = data.batch_fixed_capex_mnok[cell.product] * data.price_scale(*key)
            batch_shown.add(key)
        records.append({
            "product": cell.product,
            "pool": data.product_pool[cell.product],
            "year": cell.year,
            "tier": data.tiers[cell.tier],
            "units": units,
            "unit_capex_mnok": cell.unit_capex_mnok,
            "capex_mnok": units * cell.unit_capex_mnok + fixed,
            "batch_fixed_capex_mnok": fixed,
            "committed": cell.committed_units is not None,
            "first_year_in_service": min(data.in_service_years[key], default=None),
        })
    columns = ["product", "pool", "year", "tier", "units", "unit_capex_mnok", "capex_mnok",
               "batch_fixed_capex_mnok", "committed", "first_year_in_service"]
    return pd.DataFrame.from_records(records, columns=columns)


def capacity_table(data: ModelData, solution: Solution) -> pd.DataFrame:
    """Capacity in service (all tiers) and capacity used, per pool, resource and year."""
    used: dict[tuple[str, str, int], float] = defaultdict(float)
    for (workload, pool, year), value in solution.served.items():
        # Most allocations are 0 (90 % on the big benchmark model); adding 0.0 to a sum
        # that starts at 0.0 changes no bit of it.
        if value:
            used[pool, data.workload_resource[workload], year] += value
    in_service: dict[tuple[str, str, int], float] = defaultdict(float)
    for (pool, resource, year, _), amount in data.existing_capacity.items():
        in_service[pool, resource, year] += amount
    for (product, bought, _), units in solution.units_bought.items():
        pool = data.product_pool[product]
        for resource, amount in data.product_capacity[product].items():
            for year in data.in_service_years[product, bought]:
                in_service[pool, resource, year] += units * amount
    records = []
    for pool, kind in data.pool_kind.items():
        for resource in data.resources:
            if kind == "cloud" and resource not in data.cloud_price_mnok.get(pool, {}):
                continue
            if kind != "cloud" and (pool, resource) not in data.holdable_pools:
                continue
            for year in data.years:
                key = (pool, resource, year)
                records.append({
                    "pool": pool, "kind": kind, "resource": resource,
                    "unit": data.resource_unit[resource], "year": year,
                    # cloud is rented as used
                    "capacity": used[key] if kind == "cloud" else in_service[key],
                    "used": used[key],
                })
    columns = ["pool", "kind", "resource", "unit", "year", "capacity", "used"]
    return pd.DataFrame.from_records(records, columns=columns)


def coverage_table(data: ModelData, solution: Solution) -> pd.DataFrame:
    """Demand, served and unserved per workload and year."""
    # Each (workload, year)'s allocations summed in one pass, in the order of its pools
    # (that of `solution.served`); most are 0, and adding 0.0 to a sum that starts at
    # 0.0 changes no bit of it, so they are skipped.
    served_at: dict[tuple[str, int], float] = {}
    for (workload, _pool, year), value in solution.served.items():
        if value:
            served_at[workload, year] = served_at.get((workload, year), 0.0) + value
    records = []
    for workload, resource in data.workload_resource.items():
        for year in data.years:
            demand = data.demand[workload, year]
            unserved = solution.unserved[workload, year]
            served = served_at.get((workload, year), 0.0)
            records.append({
                "workload": workload, "resource": resource,
                "unit": data.resource_unit[resource], "year": year,
                "demand": demand, "served": served, "unserved": unserved,
                "coverage": served / demand if demand > 0 else 1.0,
                "min_coverage": data.min_coverage[workload],
                "unserved_penalty_mnok": unserved * data.unmet_penalty_mnok[workload],
            })
    return pd.DataFrame.from_records(records)


def allocation_table(data: ModelData, solution: Solution) -> pd.DataFrame:
    """Where each workload is served: workload, pool, year, amount."""
    records = [
        {"workload": workload, "pool": pool, "year": year, "served": value}
        for (workload, pool, year), value in solution.served.items() if value > 0
    ]
    return pd.DataFrame.from_records(records, columns=["workload", "pool", "year", "served"])


def shares_table(data: ModelData, solution: Solution) -> pd.DataFrame:
    """The EuroHPC share over its years and the national share per resource and plan year,
    each against its bounds (bounds empty where the instance sets none)."""
    records = []
    share = data.eurohpc_share
    years = share["years"] if share else data.years
    eurohpc = sum(solution.eurohpc_capex_mnok[y] for y in years)
    of = share["of"] if share else "investment"
    base = sum(solution.national_capex_mnok[y] for y in years)
    if of in ("investment", "spending"):
        base += eurohpc
    if of == "spending":
        base += sum(solution.opex_mnok[y] for y in years)
    records.append({
        "share": "eurohpc", "of": of, "resource": None,
        "years": f"{years[0]}-{years[-1]}", "value": eurohpc / base if base > 0 else None,
        "min": share["min"] if share else None, "max": share["max"] if share else None,
        "numerator": eurohpc, "base": base,
    })
    # Grouped once, in the order of `solution.served`, so each sum adds the same numbers in
    # the same order as a scan per (resource, year) would.
    served_by: dict[tuple[str, int], list[tuple[str, float]]] = {}
    for (workload, pool, y), value in solution.served.items():
        served_by.setdefault((data.workload_resource[workload], y), []).append((pool, value))
    for resource in data.resources:
        listed = data.national_share_min is not None and resource in data.national_share_resources
        for year in data.plan_years:
            served = served_by.get((resource, year), [])
            total = sum(value for _, value in served)
            national = sum(value for pool, value in served if data.pool_is_national[pool])
            records.append({
                "share": "national", "of": "capacity served", "resource": resource,
                "years": str(year), "value": national / total if total > 0 else None,
                "min": data.national_share_min if listed else None, "max": None,
                "numerator": national, "base": total,
            })
    return pd.DataFrame.from_records(records)


def budget_table(data: ModelData, solution: Solution) -> pd.DataFrame:
    """Every budget cap the instance gives: the cap, what the plan spends, and the slack
    (exact), and whether it binds: its displayed spending equals its displayed cap, the
    one definition every view uses (planner.results.figures, docs/results.md).

    Caps given for history years (before `plan_from`) are listed too, marked `history`:
    they bind nothing (spec §5: that money was spent), so they are never `binding`, and a
    negative slack there is an overrun (`planner.results.diagnostics.history_overrun_warnings`).
    """
    def spent(key: str, year: int) -> float:
        capex = solution.national_capex_mnok[year] + solution.eurohpc_capex_mnok[year]
        return {
            "yearly": capex + solution.opex_mnok[year],
            "investment": capex,
            "national_investment": solution.national_capex_mnok[year],
            "eurohpc_investment": solution.eurohpc_capex_mnok[year],
            "operations": solution.opex_mnok[year],
        }[key]

    records = []
    if data.total_budget_mnok is not None:
        total = sum(spent("yearly", year) for year in data.years)
        records.append({"cap": "total", "year": None, "cap_mnok": data.total_budget_mnok,
                        "spent_mnok": total, "history": False})
    for key, by_year in data.yearly_caps_mnok.items():
        history = data.history_caps_mnok.get(key, {})
        for year in sorted(set(by_year) | set(history)):
            cap = by_year[year] if year in by_year else history[year]
            records.append({"cap": key, "year": year, "cap_mnok": cap,
                            "spent_mnok": spent(key, year), "history": year not in by_year})
    table = pd.DataFrame.from_records(
        records, columns=["cap", "year", "cap_mnok", "spent_mnok", "history"])
    table["year"] = table["year"].astype("Int64")
    table["history"] = table["history"].astype(bool)
    table["slack_mnok"] = table["cap_mnok"] - table["spent_mnok"]
    shown = budget_figures(table, financing_table(data, solution))
    table["binding"] = [row["binding"] for row in shown] if shown else []
    table["binding"] = table["binding"].astype(bool) & ~table["history"].astype(bool)
    return table[["cap", "year", "cap_mnok", "spent_mnok", "slack_mnok", "binding", "history"]]


def redundancy_table(data: ModelData, solution: Solution,
                     reserved: dict[tuple[str, str, int], float]) -> pd.DataFrame:
    """Where each redundant workload's backup is, per plan year and pool it may use:
    what it is served there, what is reserved there, and what the other pools hold for
    it if that pool is lost (spec §6.1)."""
    records = []
    for workload in data.redundant_workloads:
        pools = data.allowed_pools[workload]
        resource = data.workload_resource[workload]
        for year in data.plan_years:
            total = sum(solution.served.get((workload, pool, year), 0.0) for pool in pools)
            for pool in pools:
                backup = sum(reserved.get((workload, other, year), 0.0)
                             for other in pools if other != pool)
                records.append({
                    "workload": workload, "resource": resource,
                    "unit": data.resource_unit[resource], "year": year, "pool": pool,
                    "served": solution.served.get((workload, pool, year), 0.0),
                    "reserved": reserved.get((workload, pool, year), 0.0),
                    "workload_served": total,
                    "backup_if_lost": backup,
                    "covered_if_lost": backup >= total - 1e-6 * max(1.0, total),
                })
    columns = ["workload", "resource", "unit", "year", "pool", "served", "reserved",
               "workload_served", "backup_if_lost", "covered_if_lost"]
    return pd.DataFrame.from_records(records, columns=columns)


def all_tables(data: ModelData, solution: Solution) -> dict[str, pd.DataFrame]:
    return {
        "financing": financing_table(data, solution),
        "purchases": purchases_table(data, solution),
        "capacity": capacity_table(data, solution),
        "coverage": coverage_table(data, solution),
        "allocation": allocation_table(data, solution),
        "shares": shares_table(data, solution),
        "budget": budget_table(data, solution),
    }
