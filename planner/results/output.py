"""Writing output files whole or not at all: every file goes to a temporary name first and
is renamed into place only when all of them are written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from planner.results.plan import Plan


def _usual_permissions(path: Path) -> None:
    # mkstemp makes a file only its owner can read; an output file is for sharing, so it
    # gets the permissions a plain open() would have given it (0666 less the umask).
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


@contextlib.contextmanager
def staged_files(directory: str | Path, names: list[str]) -> Iterator[dict[str, Path]]:
    """Temporary paths in `directory` for the files `names`, renamed to those names once
    the block ends without error; if the block fails, no final file is touched and no
    temporary file is left behind. Every writer of the planner writes through this
    (docs/architecture.md)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    staged: dict[str, Path] = {}
    try:
        for name in names:
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp",
                                                 dir=directory)
            os.close(handle)
            staged[name] = Path(temporary)
        yield staged
        for name, temporary in staged.items():
            _usual_permissions(temporary)
            os.replace(temporary, directory / name)
    finally:
        for temporary in staged.values():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


def write_files_atomically(directory: str | Path,
                           contents: dict[str, str | bytes]) -> list[Path]:
    """Write `{file name: text or bytes}` into `directory`; on any failure nothing is
    left behind."""
    directory = Path(directory)
    with staged_files(directory, list(contents)) as staged:
        for name, text in contents.items():
            if isinstance(text, bytes):
                stream = open(staged[name], "wb")  # noqa: SIM115 - closed just below
            else:
                stream = open(staged[name], "w", encoding="utf-8", newline="")  # noqa: SIM115
            with stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
    return [directory / name for name in contents]


def write_file_atomically(path: str | Path, content: str | bytes) -> Path:
    """One file, whole or not at all (`write_files_atomically` with one file)."""
    path = Path(path)
    return write_files_atomically(path.parent, {path.name: content})[0]


def plan_files(plan: Plan) -> dict[str, str]:
    """plan.json and one CSV per table."""
    files = {"plan.json": plan.to_json()}
    for name, table in plan.tables.items():
        files[f"{name}.csv"] = table.to_csv(index=False, lineterminator="\n")
    return files


def write_plan(plan: Plan, directory: str | Path) -> list[Path]:
    return write_files_atomically(directory, plan_files(plan))
