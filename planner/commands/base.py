"""What every command shares: the click group `main`, the consoles, the error handling
and the options several commands share. The command modules register themselves on
`main` when imported; `main` imports one when it is asked for it (`LazyGroup`), so this
module imports no command."""

from __future__ import annotations

import functools
import importlib
import os
import signal
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path

import click
from rich.console import Console

from planner.commands import COMMANDS
from planner.input.errors import ExitStatus, InputError, WriteError, brief
from planner.solving.collection import no_collections
from planner.solving.interrupts import (
    Interrupted,
    Terminated,
    cancel_on_signals,
    received,
    terminate_on_sigterm,
)
from planner.solving.options import DEFAULT_MIP_GAP
from planner.views.text import escape

# No emoji codes: a name like `gpu:fire:` is printed as written (user text is escaped for
# markup by planner.views.text, and rich has no escape for emoji codes).
console = Console(soft_wrap=True, emoji=False)
errors = Console(stderr=True, soft_wrap=True, emoji=False)


def fail(message: str, status: ExitStatus) -> None:
    """Print an error (user text in it is escaped here) and exit with `status`."""
    errors.print(f"[bold red]error:[/bold red] {escape(message)}", highlight=False,
                 markup=True)
    sys.exit(int(status))


def user_errors(command: Callable) -> Callable:
    """Input mistakes → one message and exit 2; a file that could not be written → exit 7
    naming it and why; Ctrl-C or SIGTERM → exit 130 or 143; anything else → a short message
    and exit 1 (set PLANNER_DEBUG=1 for the traceback)."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            with terminate_on_sigterm():
                return command(*args, **kwargs)
        except InputError as error:
            # The message quotes what the user typed: shown as text, never as markup, each
            # line escaped on its own (a name's line break shows as \n).
            text = "\n".join(escape(line) for line in error.lines())
            errors.print(f"[bold red]error:[/bold red] {text}", highlight=False, markup=True,
                         soft_wrap=True)
            sys.exit(int(ExitStatus.BAD_INPUT))
        except WriteError as error:
            errors.print(f"[bold red]error:[/bold red] {escape(str(error))}; nothing "
                         "written, no run recorded", highlight=False, markup=True,
                         soft_wrap=True)
            sys.exit(int(ExitStatus.COULD_NOT_WRITE))
        except KeyboardInterrupt as stop:
            signal_number = stop.signal_number if isinstance(stop, Terminated) else 2
            errors.print(f"interrupted by {'SIGTERM' if signal_number == 15 else 'SIGINT'}; "
                         "nothing written", highlight=False)
            sys.exit(128 + signal_number)
        except Exception as error:  # a defect of ours, not the user's: say so plainly
            if os.environ.get("PLANNER_DEBUG"):
                raise
            fail(f"internal error ({type(error).__name__}: {brief(str(error))}); "
                  "run with PLANNER_DEBUG=1 for details and report it", ExitStatus.ERROR)

    return wrapper


class LazyGroup(click.Group):
    """A click group that imports a command's module only when the command is asked for
    (to run it, or for its own --help). Its list of commands and their one-line help come
    from `planner.commands.COMMANDS`, so `planner --help` imports no command."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            # The command's module brings Pyomo, pydantic, numpy: hundreds of thousands of
            # objects that live as long as the process. The collector would walk them
            # again and again while they load (about 0.03 s of the 0.9 s of processor time
            # that `planner solve`'s imports take, over raised thresholds alone).
            with no_collections():
                importlib.import_module(COMMANDS[name][0])  # registers itself on `main`
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's own listing, with each command not yet imported standing in as a bare
        # command whose help is its first sentence (click shortens both the same way).
        stand_ins = {name: click.Command(name, help=COMMANDS[name][1])
                     for name in COMMANDS if name not in self.commands}
        self.commands.update(stand_ins)
        try:
            super().format_commands(ctx, formatter)
        finally:
            for name in stand_ins:
                del self.commands[name]


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hpc-planner")
def main() -> None:
    """Plan national HPC investment: what to buy, when, and what it leaves unserved."""


def solver_options(command: Callable) -> Callable:
    """--time-limit, --mip-gap, --threads and --priority, shared by every solving command."""
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


def report_options(command: Callable) -> Callable:
    """--report (repeatable) and --lang, for commands that write reports as they go."""
    # Imported when a command module is, not with this module (`planner --help`).
    from planner.results.translations import LANGUAGES
    from planner.views.reports import FORMATS

    command = click.option("--lang", type=click.Choice(LANGUAGES), default="en",
                           show_default=True,
                           help="Language of the report: English or Norwegian (bokmål).")(command)
    return click.option("--report", "report_formats", type=click.Choice(FORMATS),
                        multiple=True,
                        help="Also write a report in this format (repeatable).")(command)


def store_option(command: Callable) -> Callable:
    """--store PATH."""
    from planner.store import STORE_ENVIRONMENT_VARIABLE  # as in report_options

    return click.option(
        "--store", "store", type=click.Path(path_type=Path), metavar="PATH",
        help=f"The run store [default: ${STORE_ENVIRONMENT_VARIABLE}, else "
             ".planner/runs.sqlite in the current directory].")(command)


def overrides_option(command: Callable) -> Callable:
    """--set KEY.PATH=VALUE, repeatable."""
    return click.option(
        "--set", "overrides", multiple=True, metavar="KEY.PATH=VALUE",
        help="Change one value of the instance, e.g. --set budget.yearly.2026=500 "
             "(repeatable; list items by name: existing.betzy.last_year=2027).")(command)


def _exit_if_signalled() -> None:
    # A signal that came while the output was being written: the command finished its
    # files and its record (they are whole), and ends as interrupted.
    late = received()
    if late is not None:
        errors.print(f"[bold red]error:[/bold red] interrupted by {signal.Signals(late).name} "
                     "after the output was complete", highlight=False, markup=True)
        sys.exit(128 + late)


def interruptible(command: Callable) -> Callable:
    """A command-line command run inside `cancel_on_signals()`: a signal ends it with one
    line on stderr and exit status 128 + the signal's number (130 for Ctrl-C, 143 for
    SIGTERM). The command itself writes nothing after `Interrupted` is raised."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            with cancel_on_signals():
                try:
                    result = command(*args, **kwargs)
                except SystemExit:
                    _exit_if_signalled()
                    raise
                _exit_if_signalled()
                return result
        except Interrupted as stop:
            errors.print(f"[bold red]error:[/bold red] {stop}; stopped cleanly, nothing "
                         "written", highlight=False, markup=True)
            sys.exit(stop.exit_status)

    return wrapper
