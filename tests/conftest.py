"""Shared fixtures for the core's tests: a pinned clock, stores to test against, a store dump, the real `kpi`.

Fixtures
    pinned_clock (autouse)  KPI_TODAY=2026-11-26 and KPI_NOW=2026-11-26T09:00:00 for this process and every
                            `kpi` it starts, so statuses, "future period" checks and upload times repeat
    engine                  "duckdb", or "postgres" too in a module marked `both_engines` (its store tests
                            then run on each: the stores below are then a PostgreSQL URL, a str)
    postgres                the session's throwaway PostgreSQL server (tests/pgserver.py)
    empty_store             a fresh store with the plan and catalogue but no sample data (a Path, or a URL)
    sample_store            a private copy of a store built once per session by `init_store` with the sample
    sample_dump             dump_store(sample_store) before any change, computed once per session
    dump_store              dump_store(path) -> {table: sorted rows} for every table in the store
    kpi                     kpi(*args, env=None) -> (exit code, stdout, stderr), running the installed console
                            script in a subprocess, exactly as an outside test would
    cli                     cli(*args) -> (exit code, stdout, stderr) from `metrics.cli.main` in this process:
                            the same command without a second of start-up, for tests that run it many times
    fixtures_dir            tests/fixtures
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import psycopg
import pytest

from metrics import pgstore
from tests.pgserver import Server, throwaway_server

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
KPI = Path(sys.executable).parent / "kpi"
TODAY = "2026-11-26"
NOW = "2026-11-26T09:00:00"
KPI_TIMEOUT_S = 60

Dump = dict[str, list[tuple]]


def _pin(mp: pytest.MonkeyPatch) -> None:
    mp.setenv("KPI_TODAY", TODAY)
    mp.setenv("KPI_NOW", NOW)
    mp.delenv("KPI_DB", raising=False)
    mp.delenv("KPI_MAX_UPLOAD_MB", raising=False)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    _pin(monkeypatch)


def dump(path: Path | str) -> Dump:
    """Every row of every table, sorted, so two dumps compare equal exactly when the data is the same.

    Read through DuckDB's relation API (no SQL text); rows are sorted by their repr because
    they mix None with values. A PostgreSQL store is read table by table with composed identifiers.
    """
    if isinstance(path, str):
        return dump_postgres(path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = sorted(row[0] for row in con.sql("SHOW TABLES").fetchall())
        return {name: sorted(con.table(name).fetchall(), key=repr) for name in names}
    finally:
        con.close()


def dump_postgres(url: str) -> Dump:
    from psycopg import sql
    from psycopg.types.string import TextLoader

    with psycopg.connect(url) as con:
        con.adapters.register_loader("json", TextLoader)
        names = sorted(
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            ).fetchall()
        )
        return {
            name: sorted(
                con.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(name))).fetchall(), key=repr
            )
            for name in names
        }


@pytest.fixture
def dump_store() -> Callable[[Path | str], Dump]:
    return dump


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests in a module marked `both_engines` that use a store run once on DuckDB and once on PostgreSQL."""
    if "engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_engines"):
        metafunc.parametrize("engine", ["duckdb", "postgres"], indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "duckdb")


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    with throwaway_server() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_templates(postgres: Server) -> dict[str, str]:
    """The sample and empty stores built once on the server, as template databases to copy per test."""
    from metrics.setup import init_store

    names = {"sample": "kpi_sample_template", "empty": "kpi_empty_template"}
    with pytest.MonkeyPatch.context() as mp:
        _pin(mp)
        for kind, name in names.items():
            postgres.drop(name)
            init_store(postgres.url(name), sample=kind == "sample")
    pgstore.close_idle()  # a template cannot be copied while this process holds connections to it
    return names


def postgres_copy(request: pytest.FixtureRequest, kind: str) -> str:
    server: Server = request.getfixturevalue("postgres")
    template = request.getfixturevalue("postgres_templates")[kind]
    url = server.create(template=template)
    request.addfinalizer(lambda: server.drop(url.rsplit("/", 1)[1]))
    return url


def copy_store(src: Path, dest_dir: Path) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / src.name
    shutil.copyfile(src, dest)
    return dest


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample store, built once: `kpi init` takes seconds, copying it takes milliseconds."""
    from metrics.setup import init_store

    path = tmp_path_factory.mktemp("template") / "kpi.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        _pin(mp)
        init_store(path, sample=True)
    assert not path.with_name(path.name + ".wal").exists()
    return path


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from metrics.setup import init_store

    path = tmp_path_factory.mktemp("empty-template") / "kpi.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        _pin(mp)
        init_store(path, sample=False)
    return path


@pytest.fixture(scope="session")
def sample_dump(sample_template: Path) -> Dump:
    """The dump of every fresh `sample_store` (each is a byte copy of the template): read it, never change it."""
    return dump(sample_template)


@pytest.fixture
def sample_store(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    if engine == "postgres":
        return postgres_copy(request, "sample")
    return copy_store(request.getfixturevalue("sample_template"), tmp_path / "sample")


@pytest.fixture
def empty_store(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    if engine == "postgres":
        return postgres_copy(request, "empty")
    return copy_store(request.getfixturevalue("empty_template"), tmp_path / "empty")


def run_kpi(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run the installed `kpi` console script; the environment is this process's (pinned clock) plus `env`."""
    full_env = {**os.environ, **(env or {})}
    done = subprocess.run(
        [str(KPI), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        timeout=KPI_TIMEOUT_S,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def kpi() -> Callable[..., tuple[int, str, str]]:
    assert KPI.exists(), f"the kpi console script is not installed at {KPI}"
    return run_kpi


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    from metrics.cli import main

    def run(*args: str | os.PathLike[str]) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def write_csv(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """write_csv(text, name="upload.csv", encoding="utf-8") -> Path of a file holding exactly that text."""

    def write(text: str | bytes, name: str = "upload.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
        return path

    yield write
