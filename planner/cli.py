"""The `planner` command line. Each command is a thin layer over the Python API."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps

import click
from rich.console import Console

from planner.errors import ExitStatus, InputError

console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)


def fail(message: str, status: ExitStatus) -> None:
    errors.print(f"[bold red]error:[/bold red] {message}", highlight=False, markup=True)
    sys.exit(int(status))


def user_errors(command: Callable) -> Callable:
    """Input mistakes → one message and exit 2; anything else → a short message and exit 1
    (set PLANNER_DEBUG=1 for the traceback)."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as error:
            errors.print(f"[bold red]error:[/bold red] {error.describe()}", highlight=False,
                         markup=True, soft_wrap=True)
            sys.exit(int(ExitStatus.BAD_INPUT))
        except KeyboardInterrupt:
            errors.print("interrupted; nothing written")
            sys.exit(130)
        except Exception as error:  # a defect of ours, not the user's: say so plainly
            if os.environ.get("PLANNER_DEBUG"):
                raise
            fail(f"internal error ({type(error).__name__}: {error}); "
                  "run with PLANNER_DEBUG=1 for details and report it", ExitStatus.ERROR)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hpc-planner")
def main() -> None:
    """Plan national HPC investment: what to buy, when, and what it leaves unserved."""



# Each command lives in its own module of planner.commands and registers itself on `main`.
from planner import commands  # noqa: E402,F401
