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




def solver_options(command: Callable) -> Callable:
    """--time-limit, --mip-gap, --threads and --priority, shared by every solving command."""
    from planner.solver import DEFAULT_MIP_GAP

    options = [
        click.option("--time-limit", type=click.FloatRange(min=0, min_open=True),
                     metavar="SECONDS",
                     help="Stop the solver after this many seconds and keep the best plan found."),
        click.option("--mip-gap", type=click.FloatRange(0, 1, max_open=True),
                     default=DEFAULT_MIP_GAP, show_default=True,
                     help="Relative MIP gap at which a plan counts as optimal."),
        click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True,
                     help="HiGHS threads per solve."),
        click.option("--priority", type=click.Choice(["cost", "coverage"]), default=None,
                     help="cost: cheapest plan, unserved demand at its penalty. coverage: "
                          "first serve all the caps allow, then the cheapest such plan. "
                          "[default: the instance's `priority`, else cost]"),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def overrides_option(command: Callable) -> Callable:
    """--set KEY.PATH=VALUE, repeatable."""
    return click.option(
        "--set", "overrides", multiple=True, metavar="KEY.PATH=VALUE",
        help="Change one value of the instance, e.g. --set budget.yearly.2026=500 "
             "(repeatable; list items by name: existing.betzy.last_year=2027).")(command)


# Each command lives in its own module of planner.commands and registers itself on `main`.
from planner import commands  # noqa: E402,F401
