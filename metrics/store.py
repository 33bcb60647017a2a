"""The store: where it is, how to open it safely, and how SQL files are run.

The store is an embedded DuckDB file (the default) or a PostgreSQL database that several app
replicas share, chosen by one setting: ``--db`` or ``KPI_DB`` holding a ``postgresql://`` URL
means PostgreSQL (metrics.pgstore), anything else is a DuckDB file's path.

The store is opened per operation and closed straight after, never held, so a
scheduled `kpi ingest` can write while people browse the dashboard. DuckDB lets
one process write at a time; a process that finds the file held retries for up
to ten seconds and then says plainly who holds it. On PostgreSQL every write takes
the store's write lock, with the same ten seconds' wait.

Every statement lives in ``sql/`` (one per file) and is run with bound
parameters through :func:`run`; no SQL text is ever built from values. The files
are written for DuckDB; for PostgreSQL :func:`statement` translates them once
(metrics.dialect), so there is one copy of every query.
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
import psycopg

from metrics import pgstore
from metrics.dialect import to_postgres
from metrics.errors import KpiError
from metrics.paths import DEFAULT_DB, SQL_DIR

LOCK_WAIT_SECONDS = 10.0
_PROCESS_LOCK = threading.RLock()
SCHEMA_DIR = SQL_DIR / "schema"
QUERY_DIR = SQL_DIR / "queries"
CHECK_DIR = SQL_DIR / "checks"  # the upload checks' statements, run on a scratch in-memory database
# What a failed read or write raises, on either engine (the command's exit 2 and the pages' message).
STORE_ERRORS: tuple[type[Exception], ...] = (duckdb.Error, psycopg.Error)
# Two writes that collided and were rolled back (DuckDB's conflict; PostgreSQL's serialisation failure).
CONFLICT_ERRORS: tuple[type[Exception], ...] = (
    duckdb.TransactionException,
    psycopg.errors.SerializationFailure,
    psycopg.errors.DeadlockDetected,
)
Connection = duckdb.DuckDBPyConnection | pgstore.PgConnection
Location = Path | str  # a DuckDB file's path, or a PostgreSQL URL


class StoreBusy(KpiError, RuntimeError):
    """Another process holds the store for longer than we are willing to wait."""


class StoreUnavailable(KpiError, RuntimeError):
    """The store cannot be opened or created at all (path not writable, not a DuckDB file)."""


def store_path(explicit: str | os.PathLike[str] | None = None) -> Location:
    """The store chosen by --db, else KPI_DB, else the embedded default (the rule of cli.md).

    A ``postgresql://`` URL stays text (a PostgreSQL database); anything else is a DuckDB file's path.
    """
    chosen = explicit or os.environ.get("KPI_DB")
    if pgstore.is_url(chosen):
        return str(chosen)
    return Path(chosen) if chosen else DEFAULT_DB


def is_postgres(location: str | os.PathLike[str] | None = None) -> bool:
    """Whether the store chosen (as store_path chooses it) is a PostgreSQL database."""
    return pgstore.is_url(store_path(location))


@cache
def sql_text(name: str) -> str:
    """The text of one SQL file, by its name without the extension (cached: files do not change)."""
    for folder in (QUERY_DIR, CHECK_DIR, SCHEMA_DIR):
        path = folder / f"{name}.sql"
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise KeyError(f"No SQL file named {name}.sql in {QUERY_DIR}, {CHECK_DIR} or {SCHEMA_DIR}")


def statement(con: Connection, name: str) -> str:
    """One SQL file's text as `con`'s engine runs it: as written for DuckDB, translated for PostgreSQL."""
    if isinstance(con, pgstore.PgConnection):
        return to_postgres(sql_text(name), name)
    return sql_text(name)


def run(
    con: Connection,
    name: str,
    params: Mapping[str, Any] | Sequence[Any] | None = None,
) -> Any:
    """Run one SQL file with bound parameters and return the cursor (or result) for fetching."""
    return con.execute(statement(con, name), params or {})


def arrow_table(
    con: Connection,
    name: str,
    params: Mapping[str, Any] | Sequence[Any] | None = None,
) -> Any:
    """One SQL file's rows as an Arrow table, straight from DuckDB's result (a cursor's result
    would be copied once more on the way: a million staged rows are worth the shortcut)."""
    if isinstance(con, pgstore.PgConnection):
        return run(con, name, params).arrow()
    return con.sql(sql_text(name), params=params or None).to_arrow_table()


def execute(
    con: Connection,
    name: str,
    params: Mapping[str, Any] | Sequence[Any] | None = None,
) -> None:
    """Run one SQL file that changes data, consuming its result so the connection is free again."""
    run(con, name, params).fetchall()


def scalar(
    con: Connection,
    name: str,
    params: Mapping[str, Any] | Sequence[Any] | None = None,
) -> Any:
    """The single value of a one-row, one-column SQL file."""
    rows = run(con, name, params).fetchall()
    return rows[0][0] if rows else None


def fetch_dicts(con: Connection, name: str, params: Mapping[str, Any] | None = None) -> list[dict]:
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
    if isinstance(db, str):
        with _open_postgres(db, read_only=read_only, wait=wait, create=create) as pg:
            if not create:
                _check_schema(pg, pgstore.redacted(db))
            yield pg
        return
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


@contextlib.contextmanager
def _open_postgres(url: str, *, read_only: bool, wait: float, create: bool) -> Iterator[pgstore.PgConnection]:
    """A PostgreSQL connection for one operation; `kpi init` (create) makes the database if it is missing."""
    shown = pgstore.redacted(url)
    try:
        con = pgstore.open_connection(url, read_only=read_only, lock_wait=wait)
    except psycopg.OperationalError as exc:
        if create and pgstore.missing_database(exc):
            try:
                pgstore.create_database(url)
            except psycopg.Error as created:
                raise StoreUnavailable(
                    f"There is no database at {shown} and it cannot be created: {pgstore.first_line(created)}. "
                    "Ask the database administrator to create it (docs/deploy.md), then run 'kpi init' again."
                ) from created
            con = pgstore.open_connection(url, read_only=read_only, lock_wait=wait)
        elif pgstore.missing_database(exc):
            raise StoreUnavailable(f"There is no store at {shown}. Run 'kpi init' to create it.") from exc
        else:
            raise StoreUnavailable(
                f"The store at {shown} cannot be reached: {pgstore.first_line(exc)}. Check the database "
                "server is running and the URL in --db or KPI_DB is right."
            ) from exc
    try:
        yield con
    finally:
        con.close()


def _check_schema(con: Connection, db: Path | str) -> None:
    try:
        version = schema_version(con)
    except (duckdb.CatalogException, psycopg.errors.UndefinedTable):
        version = 0
    if version == 0:
        raise StoreUnavailable(f"The store at {db} has not been set up. Run 'kpi init' to set it up.")
    if version < latest_version():
        raise StoreUnavailable(
            f"The store at {db} was made by an older version of the dashboard. Run 'kpi init' to bring it "
            "up to date (its data is kept)."
        )


@contextlib.contextmanager
def transaction(con: Connection) -> Iterator[Connection]:
    """All or nothing: any exception rolls back every statement since BEGIN.

    On PostgreSQL a write transaction first takes the store's write lock (PgConnection.begin), so
    writes from every replica run one at a time; one that waits longer than the store's wait stops
    with StoreBusy, having written nothing.
    """
    try:
        con.begin()
    except psycopg.errors.LockNotAvailable as exc:
        con.rollback()
        raise StoreBusy(
            "The store is held by the dashboard or another load. Waited "
            f"{getattr(con, 'lock_wait', LOCK_WAIT_SECONDS):.0f} seconds. Try again when the other load "
            "has finished."
        ) from exc
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


def migrate(con: Connection, now: dt.datetime, upto: int | None = None) -> list[str]:
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
            # Read again under the write lock: another `kpi init` on a shared database may have applied it.
            if version in {row[0] for row in run(con, "applied_migrations").fetchall()}:
                continue
            execute(con, stem)
            execute(con, "record_migration", {"version": version, "name": stem, "applied_at": now})
        applied.append(stem)
    return applied


def schema_version(con: Connection) -> int:
    return int(scalar(con, "schema_version") or 0)


def fingerprint(path: str | os.PathLike[str] | None = None) -> tuple:
    """A stamp of the store's files that changes whenever a write commits (to the WAL or a checkpoint).

    On PostgreSQL, the database's data version instead (sql/queries/data_version.sql): a file's
    stamp would be one replica's, not the shared store's. Pages key their caches on it: reading two file stats costs microseconds, where opening
    DuckDB costs tens of milliseconds, and it sees writes by any process (`kpi ingest` too).
    """
    db = store_path(path)
    if isinstance(db, str):  # a shared database: its own data version, so every replica agrees
        with connect(db, read_only=True) as con:
            return (pgstore.redacted(db), *run(con, "data_version").fetchall()[0])
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
