"""Writing output files whole or not at all: every file goes to a temporary name first and
is renamed into place only when all of them are written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pandas as pd

from planner.plan import Plan
from planner.results.rounding import clean


def write_files_atomically(directory: str | Path,
                           contents: dict[str, str | bytes]) -> list[Path]:
    """Write `{file name: text or bytes}` into `directory`; on any failure nothing is
    left behind."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, text in contents.items():
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp",
                                                 dir=directory)
            staged.append((temporary, directory / name))
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
        raise
    return [final for _, final in staged]


def clean_table(table: pd.DataFrame) -> pd.DataFrame:
    """Float columns rounded to 1e-9 (planner.results.rounding.clean), so a CSV holds the
    exact figure without float noise (199.488, not 199.48800000000008)."""
    cleaned = table.copy()
    for column in cleaned.columns:
        if pd.api.types.is_float_dtype(cleaned[column]):
            cleaned[column] = cleaned[column].map(clean)
        elif cleaned[column].dtype == object:
            cleaned[column] = cleaned[column].map(
                lambda value: clean(value) if isinstance(value, float) else value)
    return cleaned


def plan_files(plan: Plan) -> dict[str, str]:
    """plan.json and one CSV per table."""
    files = {"plan.json": plan.to_json()}
    for name, table in plan.tables.items():
        files[f"{name}.csv"] = clean_table(table).to_csv(index=False, lineterminator="\n")
    return files


def write_plan(plan: Plan, directory: str | Path) -> list[Path]:
    return write_files_atomically(directory, plan_files(plan))
