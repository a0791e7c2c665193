"""Writing output files whole or not at all: every file goes to a temporary name first and
is renamed into place only when all of them are written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from planner.plan import Plan


def write_files_atomically(directory: str | Path,
                           contents: dict[str, str | bytes]) -> list[Path]:
    """Write `{file name: text or bytes}` into `directory`; on any failure nothing is
    left behind. A name may hold subfolders (`optimum/plan.json`)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    created: list[Path] = []
    try:
        for name, text in contents.items():
            final = directory / name
            for folder in reversed(final.relative_to(directory).parents[:-1]):
                if not (directory / folder).is_dir():
                    (directory / folder).mkdir()
                    created.append(directory / folder)
            handle, temporary = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp",
                                                 dir=final.parent)
            staged.append((temporary, final))
            if isinstance(text, bytes):
                stream = os.fdopen(handle, "wb")
            else:
                stream = os.fdopen(handle, "w", encoding="utf-8", newline="")
            with stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
        for temporary, final in staged:
            os.replace(temporary, final)
    except BaseException:
        for temporary, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return [final for _, final in staged]


def plan_files(plan: Plan) -> dict[str, str]:
    """plan.json and one CSV per table."""
    files = {"plan.json": plan.to_json()}
    for name, table in plan.tables.items():
        files[f"{name}.csv"] = table.to_csv(index=False, lineterminator="\n")
    return files


def write_plan(plan: Plan, directory: str | Path) -> list[Path]:
    return write_files_atomically(directory, plan_files(plan))
