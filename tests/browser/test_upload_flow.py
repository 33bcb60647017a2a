"""The quarterly upload in a real browser: a file with errors, the error table and the analyst's own file
back, fixed and chosen again, the preview, confirm, the new value on the Indicator page, then undo.

Screenshots of each step go to screenshots/upload-*.png.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from metrics.setup import init_store
from metrics.upload import ingest_bytes

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "upload"
KPI = Path(sys.executable).parent / "kpi"
INDICATOR = "households_temporary_accommodation"
BIRMINGHAM = "E08000025"
BAD = (
    b"indicator_id,period,geography,value,note\n"
    b"households_temporary_accommodation,Q2 2026,Birmingham,6400,Revised after audit\n"
    b"households_temporary_accommodation,2026-27 Q2,Brum,1850,\n"
    b"jobs_created_wmca_investment,2026-27 Q2,Coventry,lots,\n"
)

pytestmark = pytest.mark.browser


def _store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("upload-flow") / "kpi.duckdb"
    init_store(db, sample=False)
    for name in ("baseline.csv", "baseline-status.csv"):
        report = ingest_bytes(
            (FIXTURES / name).read_bytes(),
            name,
            db=db,
            user="fixture loader",
            now=dt.datetime(2026, 11, 2, 9),
        )
        assert report.status == "committed", report.as_json()
    return db


@pytest.fixture(scope="module")
def server(app_server, tmp_path_factory) -> tuple[str, Path]:
    db = _store(tmp_path_factory)
    secrets = tmp_path_factory.mktemp("no-auth") / "secrets.toml"
    secrets.write_text("# no [auth]: the app runs as the local analyst\n", encoding="utf-8")
    # Our own secrets file, so a developer's .streamlit/secrets.toml cannot turn sign-in on here.
    env = {"KPI_TODAY": "2026-11-26", "STREAMLIT_SECRETS_FILES": str(secrets)}
    return app_server(db, env=env), db


def kpi_show(db: Path, indicator: str, place: str) -> dict[str, float | None]:
    result = subprocess.run(
        [str(KPI), "show", indicator, "--geography", place, "--json", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KPI_TODAY": "2026-11-26"},
    )
    assert result.returncode == 0, result.stderr
    return {p["period"]: p["value"] for p in json.loads(result.stdout)["series"]}


def choose_file(page, after_rerun, name: str, data: bytes) -> None:
    """Choose a file and wait for the page's run that checks it (a condition, not a pause)."""
    after_rerun(
        page,
        lambda: page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
        ),
    )


def cells(page, key: str) -> list[str]:
    """The text of every cell of the table in the container with this key: a data grid's accessible cells,
    or the body cells of a plain HTML table (the problem tables, ui.widgets.problem_table)."""
    found = page.locator(f".st-key-{key} :is([role=gridcell], tbody td)")
    found.first.wait_for(state="attached")
    return found.all_text_contents()


SMALL = {"width": 320, "height": 700}
_TABLE_AT_WIDTH_JS = """k => {
  const area = document.querySelector('.st-key-' + k + ' .kpi-table-scroll');
  const cells = Array.from(area.querySelectorAll('th, td'));
  return {
    cut: cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText),
    outside: cells.filter(c => c.getBoundingClientRect().right > window.innerWidth + 1).map(c => c.innerText),
    scrolls: area.scrollWidth > area.clientWidth + 1,
    tabindex: area.getAttribute('tabindex'),
    label: document.getElementById(area.getAttribute('aria-labelledby')).textContent,
    role: area.getAttribute('role'),
    page: document.documentElement.scrollWidth,
  };
}"""


def table_at_320(page, key: str, screenshot, name: str) -> dict:
    """The problem table in the container `key` laid out on a 320 by 700 px screen (a screenshot `name`
    taken), then the size put back."""
    size = page.viewport_size
    page.set_viewport_size(SMALL)
    try:
        page.wait_for_function(
            """() => { const m = document.querySelector('[data-testid="stSidebar"]');
                       return !m || m.getBoundingClientRect().right <= 0; }"""
        )
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        found = page.evaluate(_TABLE_AT_WIDTH_JS, key)
        screenshot(page, name)
        return found
    finally:
        page.set_viewport_size(size)


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_upload_fix_confirm_see_and_undo(page, server, wait_for_app, after_rerun, screenshot):
    base_url, db = server
    page.goto(f"{base_url}/Upload")
    wait_for_app(page)
    assert page.get_by_role("heading", name="Upload quarterly figures").is_visible()
    assert "Working as the local analyst" in page.locator('[data-testid="stSidebar"]').inner_text()
    screenshot(page, "upload-1-page")

    # 1. A file with errors: the summary at the top, the table, and the analyst's own file back.
    choose_file(page, after_rerun, "q2-return.csv", BAD)
    summary = page.locator('[data-testid="stAlertContentError"]').first
    assert "There are 3 problems with this file" in summary.inner_text()
    assert "Line 3, geography: 'Brum' is not one of the eight places" in summary.inner_text()
    table = cells(page, "upload_errors")
    assert table[:3] == ["2", "period", "Q2 2026"] and table[4:7] == ["3", "geography", "Brum"]
    assert page.get_by_text("q2-return.csv").first.is_visible(), "the chosen file stays chosen"
    screenshot(page, "upload-2-errors")
    # On a 320 px phone every message wraps and is read in full: no cell cut off or off the screen, and
    # the table fits, so its region (named by the caption) needs no Tab stop of its own.
    small = table_at_320(page, "upload_errors", screenshot, "upload-2-errors-320")
    assert small["cut"] == [] and small["outside"] == [] and small["page"] <= SMALL["width"], small
    assert (small["role"], small["label"]) == ("region", "Problems to fix (3)")
    assert not small["scrolls"] and small["tabindex"] is None, small

    with page.expect_download() as download:
        page.get_by_role("button", name="Download your file with an error column").click()
    assert download.value.suggested_filename == "q2-return-with-errors.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["indicator_id", "period", "geography", "value", "note", "error"]
    assert rows[1][5].startswith("period: Write the period as 2026-27 Q")

    # 2. Fixed "in Excel": the rows corrected, the error column deleted, chosen again.
    fixed = io.StringIO()
    writer = csv.writer(fixed, lineterminator="\n")
    for r in rows:
        r = r[:5]
        r[1] = "2026-27 Q2" if r[1] == "Q2 2026" else r[1]
        r[2] = "Dudley" if r[2] == "Brum" else r[2]
        r[3] = "41" if r[3] == "lots" else r[3]
        writer.writerow(r)
    choose_file(page, after_rerun, "q2-return-fixed.csv", fixed.getvalue().encode("utf-8"))
    assert not page.locator('[data-testid="stAlertContentError"]').count()
    text = main_text(page)
    assert "The file has 3 rows: 1 to add, 2 to revise and 0 unchanged. Nothing has been written yet." in text
    assert "1 thing to check before you confirm" in text  # a final value changes (jobs 37 to 41 is no jump)
    assert "Dudley" in cells(page, "upload_preview_inserted")
    page.get_by_role("tab", name="To revise (2)").click()
    revised = cells(page, "upload_preview_revised")
    assert ["6,243", "6,400", "Yes"] == revised[5:8]  # old value, new value, the old one was final
    assert kpi_show(db, INDICATOR, BIRMINGHAM)["2026-27 Q2"] == 6243, "nothing written before confirming"
    screenshot(page, "upload-3-preview")

    # 3. Confirm: one write, a confirmation naming the upload and its counts.
    page.get_by_role("button", name="Confirm and write 3 values").click()
    wait_for_app(page)
    success = page.locator('[data-testid="stAlertContentSuccess"]').first.inner_text()
    assert "is in: q2-return-fixed.csv, 3 rows. 1 added, 2 revised, 0 unchanged." in success
    upload_id = int(success.split("Upload ", 1)[1].split(" ", 1)[0])
    assert kpi_show(db, INDICATOR, BIRMINGHAM)["2026-27 Q2"] == 6400
    screenshot(page, "upload-4-confirmed")

    # 4. The Indicator page shows the new figure at once.
    page.goto(f"{base_url}/Indicator?indicator={INDICATOR}&geography={BIRMINGHAM}")
    wait_for_app(page)
    assert "6,400 (2026-27 Q2)" in main_text(page)
    screenshot(page, "upload-5-indicator")

    # 5. Undo from the history, with a confirmation that says what goes back to what.
    page.goto(f"{base_url}/Upload_history?upload={upload_id}")
    wait_for_app(page)
    listed = cells(page, "history_table")
    assert "q2-return-fixed.csv" in listed and "q2-return.csv" in listed and "Rejected" in listed
    page.get_by_role("button", name=f"Undo upload {upload_id}").click()
    wait_for_app(page)
    assert f"Undo upload {upload_id}?" in main_text(page)
    changes = cells(page, "undo_changes")
    assert "No value (this upload brought the only one)" in changes  # Dudley's new value
    assert any(c.startswith("6,243 (from upload") for c in changes)  # Birmingham goes back
    screenshot(page, "upload-6-undo-confirm")
    page.get_by_role("button", name=f"Yes, undo upload {upload_id}").click()
    wait_for_app(page)
    assert "is undone" in page.locator('[data-testid="stAlertContentSuccess"]').first.inner_text()
    # The history table is redrawn by the rerun the undo causes; wait for its cells, not a fixed time.
    deadline = time.monotonic() + 15
    while "Undone" not in cells(page, "history_table") and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert "Undone" in cells(page, "history_table")
    screenshot(page, "upload-7-undone")
    assert kpi_show(db, INDICATOR, BIRMINGHAM)["2026-27 Q2"] == 6243

    page.goto(f"{base_url}/Indicator?indicator={INDICATOR}&geography={BIRMINGHAM}")
    wait_for_app(page)
    assert "6,243 (2026-27 Q2)" in main_text(page)


def test_a_file_name_and_note_with_markup_show_as_text(page, server, wait_for_app, after_rerun, screenshot):
    base_url, db = server
    page.goto(f"{base_url}/Upload")
    wait_for_app(page)
    name = "[click](https://example.com) ![x](https://example.com/x.png) www.example.com a@example.com :smile:.csv"
    data = (
        b"indicator_id,period,geography,value,note\n"
        b"jobs_created_wmca_investment,2026-27 Q2,Walsall,12,<img src=x onerror=alert(1)> **bold** [a](https://example.com)\n"
    )
    choose_file(page, after_rerun, name, data)
    assert "<img src=x onerror=alert(1)> **bold** [a](https://example.com)" in cells(
        page, "upload_preview_inserted"
    )
    page.get_by_role("button", name="Confirm and write 1 value").click()
    wait_for_app(page)
    success = page.locator('[data-testid="stAlertContentSuccess"]').first
    assert name in success.inner_text().replace("\u2060", "")  # as written (word joiners are invisible)
    main = page.locator('[data-testid="stMain"]')
    assert main.locator('a[href*="example.com"]').count() == 0
    assert main.locator('img[src*="example.com"]').count() == 0
    assert main.locator("img[src=x]").count() == 0
    screenshot(page, "upload-8-markup-as-text")


def test_a_file_over_the_size_setting_gets_a_clear_message(
    page, app_server, tmp_path_factory, wait_for_app, after_rerun, screenshot
):
    db = _store(tmp_path_factory)
    secrets = tmp_path_factory.mktemp("no-auth-small") / "secrets.toml"
    secrets.write_text("", encoding="utf-8")
    base_url = app_server(
        db, env={"KPI_TODAY": "2026-11-26", "STREAMLIT_SECRETS_FILES": str(secrets), "KPI_MAX_UPLOAD_MB": "1"}
    )
    page.goto(f"{base_url}/Upload")
    wait_for_app(page)
    assert "The largest file accepted is 1 MB" in main_text(page)
    big = b"indicator_id,period,geography,value\n" + b"x" * (1024 * 1024 + 10)
    choose_file(page, after_rerun, "too-big.csv", big)
    summary = page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    assert "There is 1 problem with this file" in summary
    assert "The selected file must be smaller than 1 MB. Split it into smaller files" in summary
    screenshot(page, "upload-9-too-large")
