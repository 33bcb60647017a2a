"""Shared fixtures for the core's tests: a pinned clock, stores to test against, a store dump, the real `kpi`.

Fixtures
    pinned_clock (autouse)  KPI_TODAY=2026-11-26 and KPI_NOW=2026-11-26T09:00:00 for this process and every
                            `kpi` it starts, so statuses, "future period" checks and upload times repeat
    empty_store             a fresh store with the plan and catalogue but no sample data (a Path)
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
import pytest

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


def dump(path: Path) -> Dump:
    """Every row of every table, sorted, so two dumps compare equal exactly when the data is the same.

    Read through DuckDB's relation API (no SQL text); rows are sorted by their repr because
    they mix None with values.
    """
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = sorted(row[0] for row in con.sql("SHOW TABLES").fetchall())
        return {name: sorted(con.table(name).fetchall(), key=repr) for name in names}
    finally:
        con.close()


@pytest.fixture
def dump_store() -> Callable[[Path], Dump]:
    return dump


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
def sample_store(sample_template: Path, tmp_path: Path) -> Path:
    return copy_store(sample_template, tmp_path / "sample")


@pytest.fixture
def empty_store(empty_template: Path, tmp_path: Path) -> Path:
    return copy_store(empty_template, tmp_path / "empty")


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
