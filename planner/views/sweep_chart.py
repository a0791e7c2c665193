"""The sweep's chart: unserved demand and cost against the varied value (PNG)."""

from __future__ import annotations

import io

import pandas as pd


def sweep_chart_png(table: pd.DataFrame, varied: list[str], workloads: list[str],
                    units: dict[str, str]) -> bytes:
    """Two panels sharing the x axis (the first varied key): unserved demand per workload,
    and objective and spending in MNOK. With a second varied key, one line per its value.
    Infeasible points are left out of the lines and marked on the x axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x_key = varied[0]
    groups = [(None, table)] if len(varied) == 1 else list(table.groupby(varied[1], sort=False))
    palette = plt.get_cmap("tab10")  # distinguishable in the common colour-blind palettes
    figure, (upper, lower) = plt.subplots(2, 1, figsize=(9, 7.5), sharex=True)
    for group_index, (group_value, rows) in enumerate(groups):
        solved = rows[rows["objective_mnok"].notna()]
        suffix = "" if group_value is None else f" ({varied[1]}={group_value})"
        style = ["-", "--", ":", "-."][group_index % 4]
        for workload_index, workload in enumerate(workloads):
            column = f"unserved_{workload}"
            upper.plot(solved[x_key], solved[column], style, marker="o", markersize=3,
                       color=palette(workload_index % 10),
                       label=f"{workload} [{units.get(workload, '')}]{suffix}")
        lower.plot(solved[x_key], solved["objective_mnok"], style, marker="o", markersize=3,
                   color=palette(0), label=f"objective{suffix}")
        lower.plot(solved[x_key], solved["spending_mnok"], style, marker="s", markersize=3,
                   color=palette(1), label=f"spending{suffix}")
        failed = rows[rows["objective_mnok"].isna()]
        if len(failed):
            lower.plot(failed[x_key], [0] * len(failed), "x", color="black",
                       label="no plan (infeasible or stopped)" if group_index == 0 else None)
    upper.set_ylabel("Unserved demand over the horizon\n(resource units)")
    upper.legend(fontsize=7, ncol=2)
    upper.grid(alpha=0.3)
    lower.set_ylabel("MNOK")
    lower.set_xlabel(x_key)
    lower.legend(fontsize=7)
    lower.grid(alpha=0.3)
    figure.suptitle(f"Sweep of {x_key}")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return buffer.getvalue()
