"""Fixtures for the export tests: a small store of known figures, and board packs built once per module.

Fixtures
    golden_store    a fresh store holding only tests/exports/fixtures/golden-upload.csv (known values,
                    a suppressed value, a gap, project names that look like spreadsheet formulas)
    pack_store      a private copy of the sample store (tests/conftest.py's template) for pack tests
    chromium        fails (never skips) when Debian's Chromium is missing: the chart tests need it
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from metrics.export import renderer
from metrics.setup import init_store
from metrics.upload import ingest_bytes

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
TODAY = "2026-11-26"
NOW = "2026-11-26T09:00:00"


def pin(mp: pytest.MonkeyPatch) -> None:
    mp.setenv("KPI_TODAY", TODAY)
    mp.setenv("KPI_NOW", NOW)
    mp.delenv("KPI_DB", raising=False)


@pytest.fixture(scope="session")
def golden_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("golden-template") / "kpi.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        pin(mp)
        init_store(path, sample=False)
        data = (FIXTURES / "golden-upload.csv").read_bytes()
        report = ingest_bytes(data, "golden-upload.csv", db=path, user="export tests")
    assert report.status == "committed", report.as_json()
    return path


@pytest.fixture
def golden_store(golden_template: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "golden" / "kpi.duckdb"
    dest.parent.mkdir(parents=True)
    shutil.copyfile(golden_template, dest)
    return dest


@pytest.fixture(scope="module")
def pack_store(sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the sample store per module: the pack tests only read it (the archive tests copy again)."""
    dest = tmp_path_factory.mktemp("pack-store") / "kpi.duckdb"
    shutil.copyfile(sample_template, dest)
    return dest


@pytest.fixture(scope="session")
def chromium() -> Iterator[Path]:
    path = renderer.chromium_path()
    if path is None:
        pytest.fail(
            "Chromium is not installed, so charts cannot be drawn. Run `bash scripts/setup` as root "
            "(it installs Debian's chromium), or set BROWSER_PATH.",
            pytrace=False,
        )
    yield path
