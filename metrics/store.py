"""The DuckDB store: where it is, how to open it safely, and how SQL files are run.

The store is opened per operation and closed straight after, never held, so a
scheduled `kpi ingest` can write while people browse the dashboard. DuckDB lets
one process write at a time; a process that finds the file held retries for up
to ten seconds and then says plainly who holds it.

Every statement lives in ``sql/`` (one per file) and is run with bound
parameters through :func:`run`; no SQL text is ever built from values.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from metrics.errors import KpiError
from metrics.paths import DEFAULT_DB, SQL_DIR

LOCK_WAIT_SECONDS = 10.0
_PROCESS_LOCK = threading.RLock()
SCHEMA_DIR = SQL_DIR / "schema"
QUERY_DIR = SQL_DIR / "queries"
CHECK_DIR = SQL_DIR / "checks"  # the upload checks' statements, run on a scratch in-memory database


class StoreBusy(KpiError, RuntimeError):
    """Another process holds the store for longer than we are willing to wait."""


class StoreUnavailable(KpiError, RuntimeError):
    """The store cannot be opened or created at all (path not writable, not a DuckDB file)."""


def store_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The store chosen by --db, else KPI_DB, else the embedded default (the rule of cli.md)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KPI_DB")
    return Path(env) if env else DEFAULT_DB


@cache
def sql_text(name: str) -> str:
    """The text of one SQL file, by its name without the extension (cached: files do not change)."""
    for folder in (QUERY_DIR, CHECK_DIR, SCHEMA_DIR):
        path = folder / f"{name}.sql"
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise KeyError(f"No SQL file named {name}.sql in {QUERY_DIR}, {CHECK_DIR} or {SCHEMA_DIR}")


def run(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: Mapping[str, Any] | Sequence[Any] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Run one SQL file with bound parameters and return the cursor for fetching."""
    return con.execute(sql_text(name), params or {})


def arrow_table(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: Mapping[str, Any] | Sequence[Any] | None = None,
) -> Any:
    """One SQL file's rows as an Arrow table, straight from DuckDB's result (a cursor's result
    would be copied once more on the way: a million staged rows are worth the shortcut)."""
    return con.sql(sql_text(name), params=params or None).to_arrow_table()


def execute(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: Mapping[str, Any] | Sequence[Any] | None = None,
) -> None:
    """Run one SQL file that changes data, consuming its result so the connection is free again."""
    con.execute(sql_text(name), params or {}).fetchall()


def scalar(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: Mapping[str, Any] | Sequence[Any] | None = None,
) -> Any:
    """The single value of a one-row, one-column SQL file."""
    rows = con.execute(sql_text(name), params or {}).fetchall()
    return rows[0][0] if rows else None


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> list[dict]:
    cur = run(con, name, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    # "different configuration": in one process (the dashboard's server, one thread per session)
    # DuckDB shares one database per file and refuses a read-only connection while a read-write one
    # is open, and the reverse. That is the same "held for a moment" case as another process's lock.
    return (
        "lock" in text
        or "conflicting" in text
        or "being used by another process" in text
        or "different configuration" in text
    )


@contextlib.contextmanager
def connect(
    path: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    wait: float = LOCK_WAIT_SECONDS,
    create: bool = False,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the store for one operation, waiting up to `wait` seconds if another process holds it.

    Only `kpi init` creates a store (`create=True`); anything else finding no store, or a store
    without the current schema, stops with a message saying to run `kpi init`, rather than
    leaving an empty file behind or failing half-way on a missing table.
    """
    db = store_path(path)
    if not create and not db.exists():
        raise StoreUnavailable(f"There is no store at {db}. Run 'kpi init' to create it.")
    if create:
        try:
            db.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:
            raise StoreUnavailable(
                f"The store cannot be created at {db}: part of that path is a file, not a folder. Choose "
                "another path with --db or KPI_DB."
            ) from exc
        except OSError as exc:
            raise StoreUnavailable(
                f"The store cannot be created at {db}: {exc.strerror}. Choose a folder you can write to "
                "with --db or KPI_DB."
            ) from exc
    # One operation at a time within this process (threads of the dashboard's server): DuckDB
    # shares one database instance between a process's connections, and two threads opening,
    # writing and closing it at once have been seen to fail inside DuckDB. Other processes are
    # kept apart by DuckDB's own file lock, below.
    if not _PROCESS_LOCK.acquire(timeout=wait):
        raise StoreBusy(
            f"The store at {db} is held by the dashboard or another load. Waited {wait:.0f} seconds. "
            "Try again when the other load has finished."
        )
    try:
        with _open(db, read_only=read_only, wait=wait) as con:
            if not create:
                _check_schema(con, db)
            yield con
    finally:
        _PROCESS_LOCK.release()


@contextlib.contextmanager
def _open(db: Path, *, read_only: bool, wait: float) -> Iterator[duckdb.DuckDBPyConnection]:
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(db), read_only=read_only)
            break
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _is_lock_error(exc):
                raise StoreUnavailable(
                    f"The store at {db} cannot be opened: {exc}. Check the path is a DuckDB file you can "
                    "write to, or choose another with --db or KPI_DB."
                ) from exc
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    f"The store at {db} is held by the dashboard or another load. Waited {wait:.0f} "
                    "seconds. Try again when the other load has finished."
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        except duckdb.Error as exc:
            raise StoreUnavailable(
                f"The store at {db} cannot be opened: {exc}. Check the path, or choose another with "
                "--db or KPI_DB."
            ) from exc
    try:
        yield con
    finally:
        con.close()


def _check_schema(con: duckdb.DuckDBPyConnection, db: Path) -> None:
    try:
        version = schema_version(con)
    except duckdb.CatalogException:
        version = 0
    if version == 0:
        raise StoreUnavailable(f"The store at {db} has not been set up. Run 'kpi init' to set it up.")
    if version < latest_version():
        raise StoreUnavailable(
            f"The store at {db} was made by an older version of the dashboard. Run 'kpi init' to bring it "
            "up to date (its data is kept)."
        )


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: any exception rolls back every statement since BEGIN."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


@cache
def migrations() -> list[tuple[int, str]]:
    """The schema migrations in order: (version, file stem). The version is the file's number."""
    out = []
    for path in sorted(SCHEMA_DIR.glob("*.sql")):
        out.append((int(path.stem.split("_", 1)[0]), path.stem))
    return out


def latest_version() -> int:
    return migrations()[-1][0]


def migrate(con: duckdb.DuckDBPyConnection, now: dt.datetime, upto: int | None = None) -> list[str]:
    """Apply the migrations a store has not had yet, each in its own transaction.

    A store made by an older version keeps its data: only the missing steps run.
    `upto` stops early (tests use it to build an "older" store).
    """
    steps = migrations()
    execute(con, steps[0][1])  # the migration table itself; idempotent
    done = {row[0] for row in run(con, "applied_migrations").fetchall()}
    applied = []
    for version, stem in steps:
        if upto is not None and version > upto:
            break
        if version in done:
            continue
        with transaction(con):
            execute(con, stem)
            execute(con, "record_migration", {"version": version, "name": stem, "applied_at": now})
        applied.append(stem)
    return applied


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    return int(scalar(con, "schema_version") or 0)


def fingerprint(path: str | os.PathLike[str] | None = None) -> tuple:
    """A stamp of the store's files that changes whenever a write commits (to the WAL or a checkpoint).

    Pages key their caches on it: reading two file stats costs microseconds, where opening
    DuckDB costs tens of milliseconds, and it sees writes by any process (`kpi ingest` too).
    """
    db = store_path(path)
    if not db.exists():
        raise StoreUnavailable(f"There is no store at {db}. Run 'kpi init' to create it.")
    stamp: list[Any] = [str(db.resolve())]
    for p in (db, Path(f"{db}.wal")):
        try:
            st = p.stat()
        except FileNotFoundError:
            stamp += [0, 0]
        else:
            stamp += [st.st_mtime_ns, st.st_size]
    return tuple(stamp)
