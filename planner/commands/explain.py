"""`planner explain FILE`: what would make an infeasible instance feasible."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.analyses.explain import GROUP_TITLES, NO_SCENARIOS, GroupAnswer, explain
from planner.commands.base import console, main, overrides_option, solver_options, user_errors
from planner.input.errors import ExitStatus, InputError
from planner.input.loading import load_instance
from planner.solving.solver import SolverOptions
from planner.views.text import escape


def _print_answer(answer: GroupAnswer, title: str) -> None:
    if not answer.restores:
        console.print(f"- {title}: relaxing these alone does [bold]not[/bold] restore "
                      f"feasibility ({answer.status})")
        return
    confirmed = ("confirmed: the relaxed instance solves" if answer.confirmed
                 else f"[red]NOT confirmed: the relaxed instance is {answer.confirmed_status}"
                      "[/red]")
    console.print(f"- {title}: restores feasibility with the least relaxation ({confirmed}):")
    for change in answer.relaxations:
        console.print(f"    {escape(change.describe())}")


@main.command(name="explain")
@click.argument("file", type=click.Path(path_type=Path))
@overrides_option
@solver_options
@user_errors
def explain_command(file: Path, overrides: tuple[str, ...], time_limit: float | None,
                    mip_gap: float, threads: int, priority: str) -> None:
    """Say what would make an infeasible instance feasible, in MNOK and fractions."""
    instance = load_instance(file, overrides)
    options = SolverOptions(time_limit_seconds=time_limit, mip_gap=mip_gap, threads=threads)
    if instance.scenarios:
        raise InputError(str(file), NO_SCENARIOS)
    explanation = explain(instance, options)
    if explanation.feasible_as_is:
        console.print(f"{escape(file)}: the instance is not infeasible "
                      f"({explanation.status_as_is}); nothing needs relaxing.")
        sys.exit(int(ExitStatus.OPTIMAL))
    console.print(f"{escape(file)}: infeasible. What relaxing each group of rules alone "
                  "would take:")
    for answer in explanation.single_groups:
        _print_answer(answer, GROUP_TITLES[answer.groups[0]])
    if explanation.combination is not None:
        console.print("No single group suffices. The least combination (weighted: caps and "
                      "limits in percent of their value, shares and coverage in percentage "
                      "points):")
        _print_answer(explanation.combination, " + ".join(
            GROUP_TITLES[group] for group in explanation.combination.groups))
        if not explanation.combination.restores:
            console.print("Relaxing every cap, share, coverage and pool limit together does not "
                          "restore feasibility: look at the commitments (committed) and the "
                          "history years (plan_from).")
    sys.exit(int(ExitStatus.INFEASIBLE))
