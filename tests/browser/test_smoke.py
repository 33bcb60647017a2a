"""Smoke test: the app starts on a fresh store and its landing page renders."""

import subprocess
import sys
from pathlib import Path

import pytest

KPI = Path(sys.executable).parent / "kpi"


@pytest.fixture(scope="module")
def fresh_store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("store") / "kpi.duckdb"
    result = subprocess.run([str(KPI), "init", "--db", str(db)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (
        f"`kpi init --db {db}` exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )
    return db


@pytest.mark.browser
def test_landing_page_renders_a_heading(app_server, page, fresh_store, wait_for_app, screenshot):
    base_url = app_server(fresh_store)

    page.goto(base_url)
    wait_for_app(page)

    heading = page.locator("h1").first
    heading.wait_for(state="visible")
    assert heading.inner_text().strip(), "the landing page's level-1 heading is empty"
    assert not page.locator('[data-testid="stException"]').count(), "the landing page shows an exception"
    assert screenshot(page, "smoke-landing").stat().st_size > 0
