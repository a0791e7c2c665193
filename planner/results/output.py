"""Writing output files safely: whole or not at all, where they belong, readable by others,
and inert when a spreadsheet opens them.

- Every writer of the planner writes through this module (docs/architecture.md).
- Every file goes to a temporary name first (`.planner-<name>.<random>.tmp` beside it)
  and is renamed into place only when all of a command's files are written. Temporary
  files of that pattern older than an hour (left by a killed write) are removed by the
  next write into that folder.
- Files get the permissions the user's umask gives (not mkstemp's 0600).
- Any OSError becomes `WriteError` naming the path and the reason (exit status 7).
- A folder derived from a name (`reports/<instance name>/`) is a safe slug of that name
  under `OUTPUT_ROOT`: never absolute, never `..`, never nested (`default_output_dir`).
- Text that a spreadsheet would read as a formula is neutralised: `csv_text` prefixes a
  single quote (as OWASP recommends for CSV injection); `make_workbook_inert` marks such
  .xlsx cells as text with Excel's quote prefix, never as formulas.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from planner.input.cells import csv_text, formula_like
from planner.input.errors import WriteError
from planner.results.rounding import clean, clean_floats

if TYPE_CHECKING:
    import pandas as pd

OUTPUT_ROOT = Path("reports")
SLUG_MAX_CHARS = 100
TEMPORARY_PREFIX = ".planner-"
TEMPORARY_SUFFIX = ".tmp"
STALE_TEMPORARY_SECONDS = 3600.0
# `.planner-<name>.<mkstemp's 8 random characters>.tmp`
_TEMPORARY_PATTERN = re.compile(r"^\.planner-.+\.[a-z0-9_]{8}\.tmp$")


_REASONS = {
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "not a folder: a file is in the way",
    errno.EEXIST: "not a folder: a file is in the way",
    errno.EISDIR: "a folder is in the way",
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.ENAMETOOLONG: "name too long",
    errno.EFBIG: "file too large",
    errno.EIO: "input/output error",
}


# -- where ---------------------------------------------------------------------------------
def slug(name: str) -> str:
    """A single, harmless file name made of `name`: letters (any script), digits, `-`, `_`
    and `.` kept, every other run of characters (`/`, `\\`, spaces, control characters)
    one `-`; no leading dot or dash (so never `.`, `..` or hidden), at most
    SLUG_MAX_CHARS characters; `plan` if nothing is left."""
    text = re.sub(r"[^\w.-]+", "-", str(name), flags=re.UNICODE)
    text = text.lstrip(".-")[:SLUG_MAX_CHARS].rstrip(".-")
    return text or "plan"


def default_output_dir(name: str, suffix: str = "", root: str | Path = OUTPUT_ROOT) -> Path:
    """`reports/<slug of name + suffix>`: the folder a command writes to without --out."""
    return Path(root) / slug(f"{name}{suffix}")


# -- what ----------------------------------------------------------------------------------
def table_csv(table: pd.DataFrame) -> str:
    """A table as CSV text with every formula-like text cell neutralised; numbers stay
    numbers (only text and object columns are looked at), rounded to 1e-9
    (`planner.results.rounding.clean`), so a CSV holds the exact figure without float noise
    (199.488, not 199.48800000000008)."""
    import pandas as pd  # loaded with the table; this module also serves table-less writes

    columns = []
    for name in table.columns:
        values = table[name]
        if (pd.api.types.is_object_dtype(values.dtype)
                or pd.api.types.is_string_dtype(values.dtype)) and _plain_text(values):
            columns.append(values.astype(object))  # what cleaning would leave as it is
            continue
        if isinstance(values.dtype, np.dtype) and values.dtype.kind == "f":
            values = pd.Series(clean_floats(values.to_numpy()), index=values.index)
        elif pd.api.types.is_float_dtype(values):
            values = values.map(clean)
        elif values.dtype == object:
            values = values.map(lambda value: clean(value) if isinstance(value, float)
                                else value)
        if pd.api.types.is_object_dtype(values.dtype) or \
                pd.api.types.is_string_dtype(values.dtype):
            values = values.map(csv_text).astype(object)
        columns.append(values)
    # One frame made at once (setting its columns one by one re-indexes pandas' blocks
    # each time), keyed by position so that repeated names stay apart.
    safe = pd.DataFrame(dict(enumerate(columns)), index=table.index)
    safe.columns = [csv_text(str(column)) for column in table.columns]
    return safe.to_csv(index=False, lineterminator="\n")


def _plain_text(values: pd.Series) -> bool:
    """Whether a column holds text only, none of it formula-like: written as it is. Its
    few distinct names (a table of 7 500 rows names 300 workloads) are looked at once
    each, not every cell through a Python call."""
    try:
        distinct = values.unique()
    except TypeError:  # unhashable cells: looked at one by one
        return False
    return all(value.__class__ is str and not formula_like(value) for value in distinct)


def describe_os_error(error: OSError) -> str:
    reason = _REASONS.get(error.errno or -1)
    return reason or (error.strerror or str(error))


@contextlib.contextmanager
def reporting_write_errors(path: str | Path) -> Iterator[None]:
    """OSError inside → `WriteError(path, reason)`."""
    try:
        yield
    except WriteError:
        raise
    except OSError as error:
        where = error.filename if isinstance(error.filename, str) else str(path)
        raise WriteError(where, describe_os_error(error)) from error


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def make_folder(directory: Path) -> None:
    with reporting_write_errors(directory):
        if directory.exists() and not directory.is_dir():
            raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(directory))
        directory.mkdir(parents=True, exist_ok=True)


def remove_stale_temporaries(directory: Path, now: float | None = None) -> list[Path]:
    """Remove this writer's temporary files older than an hour (a killed write's)."""
    now = time.time() if now is None else now
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            if not _TEMPORARY_PATTERN.match(entry.name) or not entry.is_file(
                    follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                if now - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMPORARY_SECONDS:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def temporary_path(final: Path, suffix: str = TEMPORARY_SUFFIX) -> Path:
    """A new empty temporary file beside `final`, with the user's usual permissions."""
    handle, temporary = tempfile.mkstemp(prefix=f"{TEMPORARY_PREFIX}{final.name}.",
                                         suffix=suffix, dir=final.parent)
    os.close(handle)
    os.chmod(temporary, 0o666 & ~_umask())
    return Path(temporary)


def write_files_atomically(directory: str | Path,
                           contents: dict[str, str | bytes]) -> list[Path]:
    """Write `{file name: text or bytes}` into `directory`; on any failure nothing is
    left behind and `WriteError` names the path and the reason. The files are renamed
    into place in the order given (put plan.json last). A name may hold subfolders
    (`optimum/plan.json`)."""
    directory = Path(directory)
    with staged_files(directory, list(contents)) as staged:
        for name, text in contents.items():
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            with open(staged[name], "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
    return [directory / name for name in contents]


@contextlib.contextmanager
def staged_files(directory: str | Path, names: list[str]) -> Iterator[dict[str, Path]]:
    """Temporary paths beside the files `names` in `directory`, for a caller (or a library
    that writes to a path) to fill; renamed to those names, in order, when the block ends
    without error. On any failure none is left behind, no final file is touched, folders
    made for subfolder names are removed, and an OSError becomes `WriteError` naming the
    file and the reason."""
    directory = Path(directory)
    make_folder(directory)
    remove_stale_temporaries(directory)
    staged: dict[str, Path] = {}
    created: list[Path] = []
    current = directory
    try:
        with reporting_write_errors(directory):
            for name in names:
                final = directory / name
                current = final
                for folder in reversed(Path(name).parents[:-1]):
                    if not (directory / folder).is_dir():
                        make_folder(directory / folder)
                        created.append(directory / folder)
                staged[name] = temporary_path(final)
            yield staged
            for name, temporary in staged.items():
                current = directory / name
                os.replace(temporary, current)
    except WriteError as error:
        _discard(staged, created)
        if error.path == str(directory) and current != directory:
            raise WriteError(str(current), error.reason) from error
        raise
    except BaseException:
        _discard(staged, created)
        raise


def _discard(staged: dict[str, Path], created: list[Path]) -> None:
    for temporary in staged.values():
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()


def write_file_atomically(path: str | Path, content: str | bytes) -> Path:
    """One file, whole or not at all."""
    path = Path(path)
    return write_files_atomically(path.parent, {path.name: content})[0]


def plan_files(plan) -> dict[str, str]:
    """The CSV tables, then plan.json (renamed into place last: a folder with a new
    plan.json has the rest of that run's files too)."""
    files = {f"{name}.csv": table_csv(table) for name, table in plan.tables.items()}
    files["plan.json"] = plan.to_json()
    return files


def write_plan(plan, directory: str | Path) -> list[Path]:
    return write_files_atomically(directory, plan_files(plan))
