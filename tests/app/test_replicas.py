"""Replicas that agree: pages served by one process show what another process wrote, on their next run.

Each app replica is its own process with its own caches (st.cache_data); they agree because the
caches are keyed on the store's data version, which on PostgreSQL the database itself holds
(metrics.store.fingerprint), and on DuckDB the file's stamp. Here the AppTest session is one replica
and `kpi ingest` / `kpi undo` in another process is the other; every page also runs on PostgreSQL.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import postgres_copy

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ["app.py", "pages/1_Theme.py", "pages/2_Indicator.py", "pages/3_About_the_data.py",
         "pages/4_Upload.py", "pages/5_Upload_history.py", "pages/6_Export.py"]  # fmt: skip
JOBS = "jobs_created_wmca_investment"

pytestmark = pytest.mark.both_engines


@pytest.fixture
def store(engine, request, tmp_path, monkeypatch) -> Path | str:
    """A private copy of the sample store on the engine under test, chosen by KPI_DB as the app does."""
    db = postgres_copy(request, "sample") if engine == "postgres" else request.getfixturevalue("sample_store")
    monkeypatch.setenv("KPI_DB", str(db))
    monkeypatch.setenv("KPI_TODAY", "2026-11-26")
    return db


def _open(page: str = "app.py", **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if page != "app.py":
        at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [h.value for h in at.title]
    parts += [str(v) for t in at.table for column in t.value.columns for v in t.value[column]]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts)).replace("\u2060", "")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_store(store, page):
    at = _open(page)
    assert not at.exception, [e.value for e in at.exception]
    assert "Data as at 31 October 2026 · Latest upload 2 November 2026" in _text(at)


def test_an_upload_and_an_undo_by_another_process_show_on_this_replicas_next_run(store, kpi, write_csv):
    at = _open("pages/2_Indicator.py", indicator=JOBS, geography="E08000030")
    assert not at.exception and "Latest upload 2 November 2026" in _text(at)
    assert "987,654" not in _text(at)

    f = write_csv(f"indicator_id,period,geography,value\n{JOBS},2026-27 Q3,Walsall,987654\n")
    code, out, err = kpi("ingest", f, "--db", store, "--user", "the other replica")
    assert code == 0, out + err
    at.run()  # the same session, its caches filled: the data version moved, so they miss
    text = _text(at)
    assert "Latest upload 26 November 2026" in text and "987,654" in text and "22, committed" in text

    upload_id = re.search(r"Committed upload (\d+)", out).group(1)
    code, out, err = kpi("undo", upload_id, "--db", store, "--user", "the other replica")
    assert code == 0, out + err
    at.run()
    assert "22, undone" in _text(at)  # the revisions table: the value kept in the history, its upload undone
