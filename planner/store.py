"""The run store: every solve, what-if point, revision and sweep point, in one SQLite file.

    from planner.store import record_run, open_store
    run_id = record_run("whatif", "instances/norway-2025.yaml", ["budget.total=3000"], plan)
    open_store().get(run_id).plan()        # the Plan back

Where the store is: an explicit path, else the `PLANNER_STORE` environment variable, else
`.planner/runs.sqlite` in the current directory (`store_path`). Each run is one row,
written in one transaction: a process killed at any moment leaves the store as it was
before or after that run, never in between. The schema carries a version
(`PRAGMA user_version`) and upgrades itself on open, in one transaction too.
docs/revision.md describes the store for users.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.input.errors import InputError
from planner.input.schema import Instance
from planner.input.yaml_text import dump_yaml

if TYPE_CHECKING:
    from planner.results.plan import Plan

STORE_ENVIRONMENT_VARIABLE = "PLANNER_STORE"
DEFAULT_STORE = Path(".planner") / "runs.sqlite"

# "HPCp" in the SQLite header's application_id: marks a file as a planner run store.
APPLICATION_ID = 0x48504370
SCHEMA_VERSION = 1

# MIGRATIONS[v] takes a store from schema version v - 1 to v. Version 0 is an empty file.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """
        CREATE TABLE runs (
            id              TEXT PRIMARY KEY,
            created         TEXT NOT NULL,   -- UTC, 2026-11-25T13:35:17.123456Z
            kind            TEXT NOT NULL,   -- solve, whatif, revise, sweep
            instance_name   TEXT NOT NULL,
            instance_file   TEXT,            -- as given on the command line, if any
            instance_sha256 TEXT NOT NULL,   -- of instance_text
            instance_text   TEXT NOT NULL,   -- the instance as solved, before overrides
            overrides       TEXT NOT NULL,   -- JSON list of KEY.PATH=VALUE
            status          TEXT NOT NULL,
            objective_mnok  REAL,
            parent          TEXT,            -- the run this one was made from
            details         TEXT NOT NULL,   -- JSON object, what the kind of run adds
            plan_json       TEXT NOT NULL    -- plan.json's text
        )
        """,
        "CREATE INDEX runs_by_created ON runs (created)",
        "CREATE INDEX runs_by_instance ON runs (instance_name, created)",
    ),
}

# The short id of a run: this many hex digits, more only if a run already has them.
SHORT_ID_DIGITS = 8
# A run can be named by a unique prefix of its id at least this long.
MIN_PREFIX = 4
BUSY_TIMEOUT_SECONDS = 60.0


def store_path(explicit: str | Path | None = None) -> Path:
    """An explicit path, else $PLANNER_STORE, else .planner/runs.sqlite here."""
    if explicit is not None and str(explicit) != "":
        return Path(explicit)
    from_environment = os.environ.get(STORE_ENVIRONMENT_VARIABLE)
    if from_environment:
        return Path(from_environment)
    return DEFAULT_STORE


@dataclass(frozen=True)
class StoredRun:
    """One row of the store; `plan()` reads the plan back."""

    id: str
    created: str
    kind: str
    instance_name: str
    instance_file: str | None
    instance_sha256: str
    instance_text: str
    overrides: list[str]
    status: str
    objective_mnok: float | None
    parent: str | None
    details: dict[str, Any] = field(default_factory=dict)
    plan_json: str = ""

    def plan(self) -> Plan:
        from planner.results.plan import Plan  # pandas: only when a plan is read back

        return Plan.from_document(json.loads(self.plan_json), f"run {self.id}")

    @property
    def created_text(self) -> str:
        """`2026-11-25 13:35:17 UTC`."""
        return self.created[:19].replace("T", " ") + " UTC"


_COLUMNS = ("id", "created", "kind", "instance_name", "instance_file", "instance_sha256",
            "instance_text", "overrides", "status", "objective_mnok", "parent", "details",
            "plan_json")
_LIST_COLUMNS = tuple(column for column in _COLUMNS
                      if column not in ("instance_text", "plan_json"))


def _row_to_run(row: sqlite3.Row) -> StoredRun:
    values = dict(row)
    values["overrides"] = json.loads(values["overrides"])
    values["details"] = json.loads(values["details"])
    values.setdefault("instance_text", "")
    values.setdefault("plan_json", "")
    return StoredRun(**values)


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def instance_text(instance: str | Path | Mapping | Instance) -> str:
    """The text to keep of an instance: a file's text, or YAML of data or an `Instance`."""
    if isinstance(instance, Path):
        return instance.read_text(encoding="utf-8")
    if isinstance(instance, str):
        return instance
    if isinstance(instance, Instance):
        instance = instance.model_dump(exclude_unset=True)
    return dump_yaml(dict(instance))


def _run_row(kind: str, instance: str | Path | Mapping | Instance, overrides: Sequence[str],
             plan: Plan, parent: str | None,
             details: Mapping[str, Any] | None, plan_json: str | None = None) -> dict[str, Any]:
    if not kind or not kind.replace("-", "").isalnum():
        raise ValueError(f"a run kind is a word such as 'solve' or 'sweep', got {kind!r}")
    text = instance_text(instance)
    instance_file = str(instance) if isinstance(instance, Path) else \
        plan.metadata.get("instance_file")
    if plan_json is None:
        plan_json = plan.to_json()
    created = _utc_now()
    row = {
        "created": created,
        "kind": kind,
        "instance_name": plan.instance.name,
        "instance_file": instance_file,
        "instance_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "instance_text": text,
        "overrides": json.dumps(list(overrides), ensure_ascii=False),
        "status": plan.status,
        "objective_mnok": plan.objective_mnok,
        "parent": parent,
        "details": json.dumps(dict(details or {}), ensure_ascii=False, default=str),
        "plan_json": plan_json,
    }
    row["digest"] = hashlib.sha256(
        "\0".join([created, kind, str(os.getpid()), row["instance_sha256"],
                   row["overrides"], plan_json]).encode("utf-8")).hexdigest()
    return row


class RunStore:
    """An open run store. Use `open_store(path)` (or `with open_store(...) as store:`)."""

    def __init__(self, path: Path, connection: sqlite3.Connection, read_only: bool = False):
        self.path = path
        self._connection = connection
        self.read_only = read_only

    # -- context manager --------------------------------------------------------------
    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._connection.close()

    # -- writing ----------------------------------------------------------------------
    def record(self, kind: str, instance: str | Path | Mapping | Instance,
               overrides: Sequence[str], plan: Plan, *, parent: str | None = None,
               details: Mapping[str, Any] | None = None) -> str:
        """Record one run; returns its short id. One transaction: all of it or nothing."""
        with self.recording(kind, instance, overrides, plan, parent=parent,
                            details=details) as run_id:
            pass
        return run_id

    @contextlib.contextmanager
    def recording(self, kind: str, instance: str | Path | Mapping | Instance,
                  overrides: Sequence[str], plan: Plan, *, parent: str | None = None,
                  details: Mapping[str, Any] | None = None,
                  plan_json: str | None = None) -> Iterator[str]:
        """Record one run in a transaction that is committed only when the block ends
        without an exception (write the run's files inside it): the run's id is known
        inside, and a run whose files could not be written is never recorded.
        `plan_json` is the plan's plan.json text where the caller has it already."""
        row = _run_row(kind, instance, overrides, plan, parent, details, plan_json)
        with self._transaction():
            run_id = self._insert(row)
            yield run_id

    def record_many(self, entries: Sequence[Mapping[str, Any]]) -> list[str]:
        """Record several runs (each the keyword arguments of `record`) in one
        transaction: all of them or none."""
        rows = [_run_row(entry["kind"], entry["instance"], entry.get("overrides", ()),
                         entry["plan"], entry.get("parent"), entry.get("details"))
                for entry in entries]
        with self._transaction():
            return [self._insert(row) for row in rows]

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        if self.read_only:
            raise InputError(str(self.path), "the run store is open read-only")
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def _insert(self, row: dict[str, Any]) -> str:
        connection = self._connection
        digits = SHORT_ID_DIGITS
        while connection.execute("SELECT 1 FROM runs WHERE id = ?",
                                 (row["digest"][:digits],)).fetchone():
            digits += 2
        values = {column: row[column] for column in _COLUMNS if column != "id"}
        values["id"] = row["digest"][:digits]
        connection.execute(
            f"INSERT INTO runs ({', '.join(_COLUMNS)}) "
            f"VALUES ({', '.join(':' + column for column in _COLUMNS)})", values)
        return values["id"]

    # -- reading ----------------------------------------------------------------------
    def runs(self, *, instance: str | None = None, kind: str | None = None,
             since: str | None = None, until: str | None = None,
             limit: int | None = None) -> list[StoredRun]:
        """Runs oldest first (without their instance text and plan), filtered:
        `instance` is a name or a glob (`norway*`); `since`/`until` are UTC timestamps
        compared as text (`2026-11-25`, `2026-11-25T13:00`); `limit` keeps the newest."""
        where, values = [], []
        if instance:
            where.append("instance_name GLOB ?")
            values.append(instance)
        if kind:
            where.append("kind = ?")
            values.append(kind)
        if since:
            where.append("created >= ?")
            values.append(since)
        if until:
            where.append("created < ?")
            values.append(until)
        sql = f"SELECT {', '.join(_LIST_COLUMNS)} FROM runs"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created DESC, rowid DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self._connection.execute(sql, values).fetchall()
        return [_row_to_run(row) for row in reversed(rows)]

    def resolve(self, reference: str) -> str:
        """The full id of the run `reference` names: its id or a unique prefix of it."""
        reference = reference.strip().lower()
        exact = self._connection.execute("SELECT id FROM runs WHERE id = ?",
                                         (reference,)).fetchone()
        if exact:
            return exact["id"]
        if len(reference) < MIN_PREFIX or not all(c in "0123456789abcdef" for c in reference):
            raise InputError(str(self.path), f"no run {reference!r} (a run is named by its id "
                                             f"or at least {MIN_PREFIX} of its first digits; "
                                             "`planner runs` lists them)")
        matches = [row["id"] for row in self._connection.execute(
            "SELECT id FROM runs WHERE id GLOB ? ORDER BY created", (reference + "*",))]
        if not matches:
            raise InputError(str(self.path), f"no run {reference!r}; `planner runs` lists them")
        if len(matches) > 1:
            raise InputError(str(self.path), f"{reference!r} names {len(matches)} runs "
                                             f"({', '.join(matches)}); give more digits")
        return matches[0]

    def get(self, reference: str) -> StoredRun:
        """The whole run (instance text and plan included) named by an id or prefix."""
        run_id = self.resolve(reference)
        row = self._connection.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM runs WHERE id = ?", (run_id,)).fetchone()
        return _row_to_run(row)

    def count(self) -> int:
        return self._connection.execute("SELECT count(*) FROM runs").fetchone()[0]

    def integrity(self) -> str:
        """SQLite's own check of the file: 'ok' when sound."""
        return self._connection.execute("PRAGMA integrity_check").fetchone()[0]


def _not_a_store(path: Path, why: str) -> InputError:
    return InputError(str(path), f"not a planner run store ({why}); give another --store "
                                 f"or ${STORE_ENVIRONMENT_VARIABLE}")


def _upgrade(path: Path, connection: sqlite3.Connection) -> None:
    """Bring the schema to SCHEMA_VERSION, in one transaction, refusing unknown files."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        tables = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if application not in (0, APPLICATION_ID) or (application == 0 and tables > 0):
            raise _not_a_store(path, "an SQLite file of another program")
        if version > SCHEMA_VERSION:
            raise InputError(str(path), f"the run store has schema version {version}, newer "
                                        f"than this planner's {SCHEMA_VERSION}; upgrade the "
                                        "planner to read it")
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[step]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {int(step)}")
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def open_store(path: str | Path | None = None, *, create: bool = True,
               read_only: bool = False) -> RunStore:
    """Open (and, with `create`, make) the store at `store_path(path)`, upgrading its schema.

    With `read_only` (and not `create`) the store is opened for reading only (`runs`,
    `show`, `report`, `diff`): it is never changed, and a store on read-only media or in a
    folder this user cannot write still reads. Raises `InputError` (exit 2 on the
    command line) for a missing store when not creating, a file that is not a run store,
    or a store newer than this planner.
    """
    path = store_path(path)
    if path.is_dir():
        raise InputError(str(path), "expected a run store file, found a directory")
    if not path.exists():
        if not create:
            raise InputError(str(path), "no run store here yet: runs are recorded by "
                                        "`planner solve` and `planner revise`")
        from planner.results.output import make_folder

        make_folder(path.parent)
    if read_only and not create:
        return _open_read_only(path)
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as error:
        raise InputError(str(path), f"cannot open the run store: {error}") from None
    connection.row_factory = sqlite3.Row
    try:
        # Write-ahead logging: readers never block the writer, and a killed writer leaves
        # its unfinished transaction out. FULL: a committed run survives a power cut too.
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        needs = connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION \
            or connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID
        if needs:
            _upgrade(path, connection)
    except sqlite3.DatabaseError as error:
        connection.close()
        if _is_write_failure(error):
            raise InputError(str(path), f"the run store cannot be written ({error})") from None
        raise _not_a_store(path, str(error)) from None
    except BaseException:
        connection.close()
        raise
    return RunStore(path, connection)


def _is_write_failure(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return any(words in text for words in ("readonly", "read-only", "unable to open",
                                           "disk is full", "disk i/o"))


def _open_read_only(path: Path) -> RunStore:
    """The store opened for reading only (SQLite's `mode=ro`; `immutable=1` where even
    the write-ahead log's shared-memory file cannot be made, as on read-only media)."""
    uri = path.resolve().as_uri()
    last: sqlite3.Error | None = None
    for query in ("mode=ro", "mode=ro&immutable=1"):
        connection = None
        try:
            connection = sqlite3.connect(f"{uri}?{query}", uri=True,
                                         timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
            connection.row_factory = sqlite3.Row
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            application = connection.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.DatabaseError as error:
            if connection is not None:
                connection.close()
            last = error
            if "not a database" in str(error).lower() or "malformed" in str(error).lower():
                break
            continue
        if application != APPLICATION_ID:
            connection.close()
            if application == 0 and version == 0:
                raise InputError(str(path), "no runs recorded in this store yet")
            raise _not_a_store(path, "an SQLite file of another program")
        if version > SCHEMA_VERSION:
            connection.close()
            raise InputError(str(path), f"the run store has schema version {version}, newer "
                                        f"than this planner's {SCHEMA_VERSION}; upgrade the "
                                        "planner to read it")
        if version < SCHEMA_VERSION:
            connection.close()
            raise InputError(str(path), f"the run store has the older schema version "
                                        f"{version}; record one run with this planner to "
                                        "upgrade it, then read it")
        return RunStore(path, connection, read_only=True)
    raise _not_a_store(path, str(last))


def record_run(kind: str, instance: str | Path | Mapping | Instance,
               overrides: Sequence[str], plan: Plan, store_path: str | Path | None = None,
               parent: str | None = None, *, details: Mapping[str, Any] | None = None) -> str:
    """Record one run in the store and return its short id.

    `kind`: `solve`, `whatif`, `revise` or `sweep` (any one word is accepted).
    `instance`: the instance as solved before `overrides` — a file `Path` (its text is
    kept), YAML text, plain data or an `Instance`. `overrides`: the `--set` texts applied.
    `parent`: the id of the run this one was made from (a what-if's base solve, ...).
    `details`: JSON-able facts of this kind of run (a sweep point's values, ...).
    The store is `store_path` if given, else $PLANNER_STORE, else .planner/runs.sqlite.
    """
    with open_store(store_path) as store:
        return store.record(kind, instance, overrides, plan, parent=parent, details=details)
