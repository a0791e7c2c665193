"""`planner validate FILE`."""

from __future__ import annotations

from pathlib import Path

import click
from rich.text import Text

from planner.commands.base import console, main, user_errors
from planner.input.loading import load_instance


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@user_errors
def validate(file: Path) -> None:
    """Check an instance file; exit 0 if it is valid, 2 with the problems if not."""
    instance = load_instance(file)
    console.print(Text(f"{file}: valid instance ").append(instance.name, style="bold").append(
        f" ({instance.years.first}–{instance.years.last}, "
        f"{_count(len(instance.workloads), 'workload')}, "
        f"{_count(len(instance.products), 'product')})"))


def _count(number: int, noun: str) -> str:
    """"1 workload", "2 workloads"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
