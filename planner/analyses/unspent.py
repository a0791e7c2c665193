"""Confirming why money stays unspent: the reason given for the largest unserved amount
(`planner.results.unspent`) is removed in a re-solve, and the demand served then is
recorded beside it (docs/unspent.md)."""

from __future__ import annotations

import os

from planner.data.derive import derive
from planner.input.schema import Instance
from planner.models.variables import redundant_classes
from planner.results.unspent import UNSERVED_FRACTION, largest, relaxed_instance
from planner.solving.api import solve_side_by_side

# How often the room given to a rule is doubled when the re-solve spends it elsewhere.
ESCALATIONS = 5

# A confirmation costs up to 1 + ESCALATIONS solves of the whole model: done as part of
# a solve only for models up to this many variables (Norway has 82), so that a
# large model's solve does not take several times as long for it. A count of the model,
# not a time, decides, so that the same instance always gives the same plan file. With
# demand classes (docs/model.md) a model of 300 workloads, 24 pools and 25 years has
# 10 623 variables and takes about 5 s a solve; confirming made its first solve take
# 45 s instead of 8, so the limit is below it.
CONFIRM_UP_TO_VARIABLES = 5_000

# Rounds re-solved at a time (`planner.solving.api.solve_side_by_side`): two where the
# process has two cores (Norway needs its second round; the pair takes as long as its
# longer solve), else one. The rounds are read in order, so the figures are the same.
def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


SIDE_BY_SIDE = 2 if _cores() >= 2 else 1


def model_variables(data) -> int:
    """How many variables the model of `data` (`ModelData`) has, counted from its index
    sets as `planner.models.variables` declares them."""
    years = len(data.years)
    served = sum(len(data.allowed_pools[lead]) for lead in data.demand_classes) * years
    unserved = len(data.workload_resource) * years
    batches = len({(cell.product, cell.year) for cell in data.purchase_cells
                   if cell.product in data.batch_products})
    reserved = sum(len(data.allowed_pools[lead]) for lead in redundant_classes(data)
                   ) * len(data.plan_years)
    pools_used = sum(1 for cost in data.pool_fixed_opex_mnok.values() if cost > 0) * years
    return len(data.purchase_cells) + batches + served + unserved + reserved + pools_used


def _grouped(count: int) -> str:
    return f"{count:,}".replace(",", " ")


def confirm_largest(plan, up_to_variables: int = CONFIRM_UP_TO_VARIABLES,
                    **solve_settings) -> None:
    """Confirm the reason given for the plan's largest unserved amount (`confirm_row`),
    if its model has at most `up_to_variables` variables; otherwise say so in the plan's
    warnings."""
    index = largest(plan.tables.get("unspent"))
    if index is None:
        return
    size = plan.model_variables if plan.model_variables is not None \
        else model_variables(derive(plan.instance))
    if size > up_to_variables:
        plan.metadata |= {"warnings": [*plan.metadata.get("warnings", []), (
            f"the reason given for the largest unserved amount is not confirmed by a "
            f"re-solve: the model has {_grouped(size)} variables, more than the "
            f"{_grouped(up_to_variables)} up to which a solve re-solves to confirm it "
            f"(docs/unspent.md)")]}
        return
    confirm_row(plan, index, **solve_settings)


def confirm_row(plan, index: int, **solve_settings) -> None:
    """Re-solve the plan's instance without the reason given on row `index` of its
    `unspent` table and record on that row what was changed and the demand served before
    and after; `confirmed` is whether more of it is served then. Settings not given
    (priority, MIP gap) are the plan's own.

    A rule is first relaxed by the room the stopped way alone needs. The re-solve may
    spend that room on something else the same rule holds back and pays more per MNOK
    (Norway: CPU nodes bought in 2029 instead of 2026); then the room is doubled, up to
    `ESCALATIONS` times; `room_factor` records the multiple that served it, or the last
    tried (docs/unspent.md)."""
    table = plan.tables["unspent"]
    for column in ("confirmed", "served_before", "served_after", "relaxation", "room_factor"):
        table[column] = table[column].astype(object)
    row = table.loc[index]
    served_before = float(row["demand"] - row["unserved"])
    rounds = 1 if row["reason"] in ("cost", "lead_time") else 1 + ESCALATIONS
    factors = [2 ** round_ for round_ in range(rounds)]
    # Rounds are re-solved SIDE_BY_SIDE at a time and read in order, the first that
    # confirms ending it: what is recorded is what one round after the other gives.
    for first in range(0, rounds, SIDE_BY_SIDE):
        batch = factors[first:first + SIDE_BY_SIDE]
        tries = []
        for factor in batch:
            relaxed = relaxed_instance(plan.instance, row, plan.tables, factor=factor)
            if relaxed is None:
                break
            instance, change = relaxed
            if (row["reason"] not in ("cost", "lead_time")
                    and bool(row["costs_more_than_penalty"])
                    and plan.metadata.get("priority", "cost") == "cost"):
                # Stopped by a rule, and the way it stops would not pay either: both go.
                instance, raised = _penalty_above_cost(instance, row)
                change += f"; {raised}"
            tries.append((factor, instance, change))
        served = _served_after(plan, row, [instance for _, instance, _ in tries],
                               solve_settings)
        for (factor, _, change), served_after in zip(tries, served, strict=True):
            table.at[index, "served_before"] = served_before
            table.at[index, "served_after"] = served_after
            table.at[index, "relaxation"] = change
            # A cost (penalty raised) or lead time has no room to multiply.
            table.at[index, "room_factor"] = None if rounds == 1 else factor
            confirmed = served_after is not None and served_after > served_before + \
                UNSERVED_FRACTION * max(1.0, float(row["demand"]))
            table.at[index, "confirmed"] = confirmed
            if confirmed:
                return
        if len(tries) < len(batch):
            return  # no further relaxation


def _penalty_above_cost(instance: Instance, row) -> tuple[Instance, str]:
    """The instance with the row's workload's penalty raised above the way's cost."""
    data = instance.model_dump(mode="json", exclude_unset=True)
    raised = float(row["way_cost_mnok_per_unit_year"]) * 1.05 + 1e-3
    data["workloads"][row["workload"]]["unmet_penalty"] = raised
    return (Instance.model_validate(data),
            f"workloads.{row['workload']}.unmet_penalty = {raised:.4g}")


def _served_after(plan, row, instances: list[Instance], solve_settings: dict
                  ) -> list[float | None]:
    """Demand of the row's workload and year served by the re-solve of each instance (None
    where it has no plan), the re-solves side by side (`solve_side_by_side`)."""
    settings = {"priority": plan.metadata.get("priority"), "figures_only": True,
                "mip_gap": plan.metadata.get("mip_gap_requested") or 1e-6} | {
                    key: value for key, value in solve_settings.items() if value is not None}
    served = []
    # Each relaxation still allows the plan: HiGHS starts from it, and so without the
    # sub-MIP heuristics that look for good plans (the same plans came out on Norway and
    # six generated instances, each confirmation 10-45 % quicker; docs/unspent.md).
    for after in solve_side_by_side(instances, start=plan.column_values,
                                    sub_mip_heuristics=False, **settings):
        if not after.has_plan:
            served.append(None)
            continue
        coverage = after.tables["coverage"]
        match = coverage[(coverage["workload"] == row["workload"])
                         & (coverage["year"] == row["year"])].iloc[0]
        served.append(float(match["served"]))
    return served
