"""`planner convert SOURCE TARGET`: an instance from YAML to an Excel workbook, or back."""

from __future__ import annotations

from pathlib import Path

import click

from planner.commands.base import console, main, user_errors
from planner.input.errors import InputError
from planner.input.loading import load_instance
from planner.input.workbook import instance_yaml, workbook_bytes
from planner.results.output import write_file_atomically
from planner.views.text import escape

SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".xlsx": "xlsx"}


@main.command(name="convert")
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("target", type=click.Path(path_type=Path))
@user_errors
def convert_command(source: Path, target: Path) -> None:
    """Convert an instance between YAML and an Excel workbook (.yaml/.yml ↔ .xlsx).

    The source is validated first, exactly as `planner solve` would; nothing is written if
    it has a problem. YAML comments are not carried over; `source` texts are."""
    kind = SUFFIXES.get(target.suffix.lower())
    if kind is None:
        raise InputError(str(target), "expected a file name ending in .yaml, .yml or .xlsx")
    if source.suffix.lower() not in SUFFIXES:
        raise InputError(str(source), "expected a file name ending in .yaml, .yml or .xlsx")
    instance = load_instance(source)
    if kind == "xlsx":
        content = workbook_bytes(instance)
    else:
        content = instance_yaml(instance, f"converted from {source.name} by planner "
                                          "convert").encode("utf-8")
    write_file_atomically(target, content)
    console.print(f"Wrote {escape(target)} (instance [bold]{escape(instance.name)}[/bold])",
                  highlight=False)
