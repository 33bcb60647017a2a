"""Open a test store of either engine and run a test's own SQL on it, written once in DuckDB's dialect.

Tests that look inside a store (a flag, a row count) write that SQL once, as the project's SQL files
are written; on PostgreSQL it goes through the same translation (metrics.dialect) as the files do.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from metrics import pgstore
from metrics.dialect import to_postgres
from metrics.store import LOCK_WAIT_SECONDS, Connection


@contextmanager
def open_store(location: Path | str, *, read_only: bool = False) -> Iterator[Connection]:
    """A raw connection to a test store (no schema check, no waiting), closed afterwards."""
    if pgstore.is_url(location):
        con = pgstore.open_connection(str(location), read_only=read_only, lock_wait=LOCK_WAIT_SECONDS)
    else:
        con = duckdb.connect(str(location), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def query(con: Connection, text: str, params: Mapping[str, Any] | Sequence[Any] | None = None) -> list[tuple]:
    """A test's own statement ($name or ? parameters, DuckDB's dialect) on either engine; its rows."""
    if isinstance(con, pgstore.PgConnection):
        text = to_postgres(text)
    return con.execute(text, params or {}).fetchall()
