"""Errors a user can cause, and the exit statuses the command line gives for each outcome."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


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

    def describe(self) -> str:
        if len(self.problems) == 1:
            return f"{self.source}: {self.problems[0]}"
        lines = [f"{self.source}: {len(self.problems)} problems"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)
