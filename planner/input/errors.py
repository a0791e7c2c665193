"""Errors a user can cause, and the exit statuses the command line gives for each outcome."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

# An error message names a value in at most this many characters, and lists at most this
# many problems: a hostile file must not turn into megabytes on stderr.
BRIEF_CHARACTERS = 60
MAX_PROBLEMS_SHOWN = 30
MAX_LINE_CHARACTERS = 400
MAX_SOURCE_CHARACTERS = 160  # a file name with its --set options

_brief = reprlib.Repr()
_brief.maxstring = BRIEF_CHARACTERS
_brief.maxother = BRIEF_CHARACTERS
_brief.maxlevel = 2
_brief.maxlist = _brief.maxtuple = _brief.maxdict = _brief.maxset = 4


def brief(value: Any) -> str:
    """`repr` of a value, cut to a few dozen characters (a huge string or an expanded list
    is named, never printed whole). `true`/`false`/`null` as YAML writes them."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    text = _brief.repr(value)
    return text if len(text) <= 2 * BRIEF_CHARACTERS else text[:2 * BRIEF_CHARACTERS] + "…"


def _cut(line: str) -> str:
    return line if len(line) <= MAX_LINE_CHARACTERS else line[:MAX_LINE_CHARACTERS] + "…"


class ExitStatus(IntEnum):
    """Exit statuses of `planner` commands (documented in README.md)."""

    OPTIMAL = 0
    ERROR = 1
    BAD_INPUT = 2
    INFEASIBLE = 3
    UNBOUNDED = 4
    STOPPED_WITH_PLAN = 5
    STOPPED_WITHOUT_PLAN = 6
    COULD_NOT_WRITE = 7


class WriteError(Exception):
    """An output file or folder could not be written (read-only, not a folder, disk full,
    name too long). The command line prints it and exits with status 7."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: could not write ({reason})")

    def __reduce__(self):
        return (WriteError, (self.path, self.reason))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (a dotted key path) and what was expected."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(Exception):
    """A mistake in a user's input. The command line prints it and exits with status 2."""

    def __init__(self, source: str, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.source = source
        self.problems = list(problems)
        super().__init__(self.describe())

    def __reduce__(self):
        # Rebuilt from its own fields, so an error raised in a sweep's worker process
        # reaches the parent as the same user error (the default pickling would call
        # __init__ with the message alone and break the process pool).
        return (InputError, (self.source, self.problems))

    def lines(self) -> list[str]:
        """The source and its problems, one line each (a line may hold a user's line
        break: print each through the escape of `planner.views.text`), each cut to a few
        hundred characters and at most `MAX_PROBLEMS_SHOWN` problems listed."""
        source = self.source if len(self.source) <= MAX_SOURCE_CHARACTERS \
            else self.source[:MAX_SOURCE_CHARACTERS] + "…"
        if len(self.problems) == 1:
            return [_cut(f"{source}: {self.problems[0]}")]
        lines = [_cut(f"{source}: {len(self.problems)} problems")]
        lines += [_cut(f"  - {problem}") for problem in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"  … and {len(self.problems) - MAX_PROBLEMS_SHOWN} more problems")
        return lines

    def describe(self) -> str:
        return "\n".join(self.lines())
