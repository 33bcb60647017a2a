"""The PostgreSQL store: a connection that behaves, as far as the core asks, like DuckDB's.

Chosen by a ``postgresql://`` URL in ``--db`` or ``KPI_DB`` (metrics.store decides). Several app
replicas and ``kpi`` commands share one database: each operation opens its own connection and
closes it, as with the DuckDB file, and every write transaction first takes one advisory lock, so
two uploads at once run one after the other and neither is lost or interleaved with the other. A
writer that cannot have the lock within the wait (ten seconds, cli.md) stops with StoreBusy.

The core calls a handful of DuckDB connection methods (execute, register, begin, commit, ...);
:class:`PgConnection` gives them the same meaning here: ``register`` makes a temporary table filled
with COPY (DuckDB reads a pandas or Arrow object in place), ``execute`` returns a result with
``description``, ``fetchall`` and ``df``. SQL text arrives already translated (metrics.dialect).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import psycopg
import pyarrow as pa
from psycopg import sql as pgsql
from psycopg.types.numeric import FloatLoader
from psycopg.types.string import TextLoader

WRITE_LOCK_KEY = 7_320_245_013  # pg_advisory_xact_lock's key for "a write to this store": any fixed number
CONNECT_TIMEOUT_S = 5

# Result columns by type oid (pg_type), as Arrow types: what DuckDB's Arrow result would hold.
_ARROW_BY_OID: dict[int, pa.DataType] = {
    16: pa.bool_(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    25: pa.string(),
    1043: pa.string(),
    114: pa.string(),
    3802: pa.string(),
    700: pa.float32(),
    701: pa.float64(),
    1700: pa.float64(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
    1007: pa.list_(pa.int32()),
    1016: pa.list_(pa.int64()),
    1009: pa.list_(pa.string()),
    1015: pa.list_(pa.string()),
    1182: pa.list_(pa.date32()),
}
_URL_PASSWORD = re.compile(r"(://[^:/@]+):[^@]*@")


def redacted(url: str) -> str:
    """The URL with any password taken out, for messages and logs."""
    return _URL_PASSWORD.sub(r"\1:***@", url)


def is_url(location: object) -> bool:
    """Whether --db or KPI_DB names a PostgreSQL database rather than a DuckDB file."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


class PgResult:
    """One statement's rows, fetched at once, with DuckDB's result methods the core uses."""

    def __init__(self, cursor: psycopg.Cursor) -> None:
        if cursor.description is None:  # INSERT, UPDATE: DuckDB answers with one "Count" row
            self.description = [("Count", 20)]
            self._rows: list[tuple] = [(max(cursor.rowcount, 0),)]
            self._types = [pa.int64()]
            return
        self.description = [(d.name, d.type_code) for d in cursor.description]
        self._rows = cursor.fetchall()
        self._types = [_ARROW_BY_OID.get(d.type_code, pa.string()) for d in cursor.description]

    def fetchall(self) -> list[tuple]:
        return self._rows

    def fetchone(self) -> tuple | None:
        return self._rows[0] if self._rows else None

    def arrow(self) -> pa.Table:
        """The rows as an Arrow table typed from the result's columns (empty results keep their types)."""
        names = [d[0] for d in self.description]
        columns = list(zip(*self._rows, strict=True)) if self._rows else [[] for _ in names]
        arrays = [pa.array(list(col), type=t) for col, t in zip(columns, self._types, strict=True)]
        return pa.Table.from_arrays(arrays, names=names)

    def df(self) -> pd.DataFrame:
        return self.arrow().to_pandas()

    def to_arrow_table(self) -> pa.Table:
        return self.arrow()


class PgConnection:
    """A PostgreSQL connection with the DuckDB connection methods the core uses (see the module)."""

    def __init__(self, raw: psycopg.Connection, *, read_only: bool, lock_wait: float) -> None:
        self.raw = raw
        self.read_only = read_only
        self.lock_wait = lock_wait
        self._column_types: dict[str, str] | None = None
        self._registered = False

    def execute(self, text: str, params: Mapping[str, Any] | Sequence[Any] | None = None) -> PgResult:
        with self.raw.cursor() as cur:
            cur.execute(text, params or None)
            return PgResult(cur)

    def begin(self) -> None:
        """BEGIN, and for a write the store's write lock, waiting at most lock_wait (then LockNotAvailable)."""
        self.raw.execute("BEGIN")
        if not self.read_only:
            self.raw.execute(
                pgsql.SQL("SET LOCAL lock_timeout = {}").format(f"{int(self.lock_wait * 1000)}ms")
            )
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK_KEY])

    def commit(self) -> None:
        self.raw.execute("COMMIT")

    def rollback(self) -> None:
        self.raw.execute("ROLLBACK")

    def close(self) -> None:
        """Hand the connection back to this process's idle ones (its temporary tables dropped), or close it."""
        _release(self.raw, self._registered)

    def register(self, name: str, data: pd.DataFrame | pa.Table) -> None:
        """DuckDB's register: the rows as a temporary table of that name, for this connection only."""
        table = data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
        columns = [
            pgsql.SQL("{} {}").format(pgsql.Identifier(f.name), pgsql.SQL(self._pg_type(f)))
            for f in table.schema
        ]
        self.unregister(name)
        self._registered = True
        self.raw.execute(
            pgsql.SQL("CREATE TEMPORARY TABLE {} ({})").format(
                pgsql.Identifier(name), pgsql.SQL(", ").join(columns)
            )
        )
        copy = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
            pgsql.Identifier(name), pgsql.SQL(", ").join(pgsql.Identifier(n) for n in table.column_names)
        )
        values = [table.column(i).to_pylist() for i in range(table.num_columns)]
        with self.raw.cursor() as cur, cur.copy(copy) as out:
            for row in zip(*values, strict=True):
                out.write_row(row)

    def unregister(self, name: str) -> None:
        self.raw.execute(pgsql.SQL("DROP TABLE IF EXISTS pg_temp.{}").format(pgsql.Identifier(name)))

    def _pg_type(self, field: pa.Field) -> str:
        """The column type for one Arrow field; a column of nothing but NULLs takes the stored column's."""
        t = field.type
        if pa.types.is_dictionary(t):
            t = t.value_type
        if pa.types.is_null(t):
            return self._stored_column_types().get(field.name, "TEXT")
        if pa.types.is_boolean(t):
            return "BOOLEAN"
        if pa.types.is_integer(t):
            return "BIGINT"
        if pa.types.is_floating(t) or pa.types.is_decimal(t):
            return "DOUBLE PRECISION"
        if pa.types.is_date(t):
            return "DATE"
        if pa.types.is_timestamp(t):
            return "TIMESTAMP"
        return "TEXT"

    def _stored_column_types(self) -> dict[str, str]:
        if self._column_types is None:
            rows = self.raw.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name IN ('observation', 'action_status')"
            ).fetchall()
            self._column_types = {name: kind.upper() for name, kind in rows}
        return self._column_types


def open_connection(url: str, *, read_only: bool, lock_wait: float) -> PgConnection:
    """A connection in autocommit mode (transactions are explicit, as with DuckDB's begin).

    One per operation, like the DuckDB file; but a new connection costs several milliseconds (the
    server starts a backend for it), so the process keeps a few idle ones (IDLE_CONNECTIONS) and
    hands one out again when it is still open and outside any transaction.
    """
    while True:
        with _IDLE_LOCK:
            idle = _IDLE.get((os.getpid(), url))
            if not idle:
                break
            raw, since = idle.pop()
        if _alive(raw, since):
            return PgConnection(raw, read_only=read_only, lock_wait=lock_wait)
    raw = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, application_name="kpi")
    raw.adapters.register_loader("json", TextLoader)  # JSON columns come back as text, as DuckDB's do
    raw.adapters.register_loader("jsonb", TextLoader)
    raw.adapters.register_loader("numeric", FloatLoader)  # sums and averages as floats, as DuckDB's doubles
    _URLS[id(raw)] = url
    return PgConnection(raw, read_only=read_only, lock_wait=lock_wait)


IDLE_CONNECTIONS = 4  # kept per process and database: a page's reads run one after another
PING_AFTER_S = 5.0  # a connection idle longer is checked first: the server may have been restarted
# (pid, url) -> [(connection, idle since)]; by pid too, so a forked process never shares one
_IDLE: dict[tuple[int, str], list[tuple[psycopg.Connection, float]]] = {}
_URLS: dict[int, str] = {}  # which idle list a connection goes back to
_IDLE_LOCK = threading.Lock()


def _alive(raw: psycopg.Connection, since: float) -> bool:
    """Whether an idle connection can be handed out (closed, in a transaction or gone: closed for good)."""
    try:
        if raw.closed or raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            raise psycopg.InterfaceError("not reusable")
        if time.monotonic() - since > PING_AFTER_S:
            raw.execute("SELECT 1")
        return True
    except psycopg.Error:
        _URLS.pop(id(raw), None)
        raw.close()
        return False


def close_idle() -> None:
    """Close this process's idle connections (a database cannot be copied or dropped while they are open)."""
    with _IDLE_LOCK:
        kept = [raw for idle in _IDLE.values() for raw, _ in idle]
        _IDLE.clear()
    for raw in kept:
        _URLS.pop(id(raw), None)
        raw.close()


def _release(raw: psycopg.Connection, registered: bool, since: float | None = None) -> None:
    """Keep a healthy connection for the next operation; close one in a transaction, broken, or extra."""
    url = _URLS.get(id(raw), "")
    try:
        if raw.closed or raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            raise psycopg.InterfaceError("not reusable")
        if registered:
            raw.execute("DISCARD TEMP")  # an upload's staged rows are not the next operation's
    except psycopg.Error:
        _URLS.pop(id(raw), None)
        raw.close()
        return
    with _IDLE_LOCK:
        idle = _IDLE.setdefault((os.getpid(), url), [])
        if len(idle) < IDLE_CONNECTIONS:
            idle.append((raw, time.monotonic() if since is None else since))
            return
    _URLS.pop(id(raw), None)
    raw.close()


def first_line(exc: Exception) -> str:
    """The first line of a driver's message, without its trailing full stop (our sentence goes on)."""
    return str(exc).strip().splitlines()[0].rstrip(".") if str(exc).strip() else type(exc).__name__


def missing_database(exc: psycopg.OperationalError) -> bool:
    """Whether connecting failed because the database itself does not exist (yet)."""
    return "does not exist" in str(exc) and "database" in str(exc)


def create_database(url: str) -> None:
    """`kpi init` on a server without the database: create it, connected to the server's own database.

    A role that may not create databases gets PostgreSQL's refusal; docs/deploy.md has the
    administrator create the database once instead.
    """
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.get("dbname")
    maintenance = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S) as admin:
        admin.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(str(name))))
