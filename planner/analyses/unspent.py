"""Confirming why money stays unspent: the reason given for the largest unserved amount
(`planner.results.unspent`) is removed in a re-solve, and the demand served then is
recorded beside it (docs/unspent.md)."""

from __future__ import annotations

from planner.input.schema import Instance
from planner.results.unspent import UNSERVED_FRACTION, largest, relaxed_instance
from planner.solving.api import solve


def confirm_largest(plan, **solve_settings) -> None:
    """Confirm the reason given for the plan's largest unserved amount (`confirm_row`)."""
    index = largest(plan.tables.get("unspent"))
    if index is not None:
        confirm_row(plan, index, **solve_settings)


def confirm_row(plan, index: int, **solve_settings) -> None:
    """Re-solve the plan's instance without the reason given on row `index` of its
    `unspent` table and record on that row what was changed and the demand served before
    and after; `confirmed` is whether more of it is served then. Settings not given
    (priority, MIP gap) are the plan's own."""
    table = plan.tables["unspent"]
    for column in ("confirmed", "served_before", "served_after", "relaxation"):
        table[column] = table[column].astype(object)
    row = table.loc[index]
    relaxed = relaxed_instance(plan.instance, row, plan.tables)
    if relaxed is None:
        return
    instance, change = relaxed
    if (row["reason"] not in ("cost", "lead_time") and bool(row["costs_more_than_penalty"])
            and plan.metadata.get("priority", "cost") == "cost"):
        # Stopped by a rule, and the way it stops would not pay either: both go.
        data = instance.model_dump(mode="json", exclude_unset=True)
        raised = float(row["way_cost_mnok_per_unit_year"]) * 1.05 + 1e-3
        data["workloads"][row["workload"]]["unmet_penalty"] = raised
        instance = Instance.model_validate(data)
        change += f"; workloads.{row['workload']}.unmet_penalty = {raised:.4g} (above the cost)"
    settings = {"priority": plan.metadata.get("priority"), "marginal_values": False,
                "mip_gap": plan.metadata.get("mip_gap_requested") or 1e-6} | {
                    key: value for key, value in solve_settings.items() if value is not None}
    after = solve(instance, **settings)
    served_before = float(row["demand"] - row["unserved"])
    table.at[index, "served_before"] = served_before
    table.at[index, "relaxation"] = change
    if not after.has_plan:
        table.at[index, "confirmed"] = False
        return
    coverage = after.tables["coverage"]
    match = coverage[(coverage["workload"] == row["workload"])
                     & (coverage["year"] == row["year"])].iloc[0]
    table.at[index, "served_after"] = float(match["served"])
    table.at[index, "confirmed"] = bool(
        match["served"] > served_before + UNSERVED_FRACTION * max(1.0, float(row["demand"])))
