"""`planner validate FILE`."""

from __future__ import annotations

from pathlib import Path

import click

from planner.commands.base import console, main, user_errors
from planner.input.loading import load_instance
from planner.views.text import escape


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@user_errors
def validate(file: Path) -> None:
    """Check an instance file; exit 0 if it is valid, 2 with the problems if not."""
    instance = load_instance(file)
    console.print(f"{escape(file)}: valid instance [bold]{escape(instance.name)}[/bold] "
                  f"({instance.years.first}–{instance.years.last}, "
                  f"{len(instance.workloads)} workloads, {len(instance.products)} products)")
