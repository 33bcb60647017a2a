"""A throwaway PostgreSQL server for the test session: initdb and pg_ctl into a temporary folder.

The store tests run on both engines; this gives them a real server without touching any other:
its own data folder, a free port on 127.0.0.1, trust authentication for the local test role, and
fsync off (the data is thrown away). PostgreSQL refuses to run as root, so as root the server runs
as the `postgres` user Debian's package creates (via runuser). Set KPI_TEST_POSTGRES to a server URL
(`postgresql://user@host:port`) to use a server of your own instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql

ROLE = "kpi"
START_TIMEOUT_S = 60


class NoPostgres(RuntimeError):
    """PostgreSQL's server programs are not installed here."""


def bin_dir() -> Path:
    """The newest server programs Debian's packages installed (/usr/lib/postgresql/N/bin), else PATH's."""
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if installed:
        return installed[-1].parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise NoPostgres(
        "PostgreSQL's server is not installed, so the store tests cannot run on PostgreSQL. Install it "
        "with 'apt-get install postgresql' (bash scripts/setup does this when run as root)."
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running server: `url(name)` for one database, `create(name, template=None)`, `drop(name)`."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.url("postgres"), autocommit=True)

    def create(self, name: str | None = None, template: str | None = None) -> str:
        """A new empty database (or a copy of `template`, which nobody may be connected to); its URL."""
        name = name or f"kpi_test_{uuid.uuid4().hex[:12]}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        with self.admin() as con:
            con.execute(statement)
        return self.url(name)

    def drop(self, name: str) -> None:
        with self.admin() as con:
            con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


@contextlib.contextmanager
def throwaway_server() -> Iterator[Server]:
    """Start a server for this session (or use KPI_TEST_POSTGRES), and stop and remove it afterwards."""
    given = os.environ.get("KPI_TEST_POSTGRES")
    if given:
        yield Server(given)
        return
    binaries = bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="kpi-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True, "timeout": START_TIMEOUT_S}
    subprocess.run(
        _as_server_user(
            [str(binaries / "initdb"), "-D", str(data), "-U", ROLE, "-A", "trust", "-E", "UTF8", "--no-sync"]
        ),
        **run,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    options += " -c synchronous_commit=off -c max_connections=200"
    subprocess.run(
        _as_server_user(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(folder / "log"),
                "-w",
                "start",
            ]
        ),
        **run,
    )
    try:
        yield Server(f"postgresql://{ROLE}@127.0.0.1:{port}")
    finally:
        subprocess.run(
            _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=START_TIMEOUT_S,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
