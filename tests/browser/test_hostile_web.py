"""Hostile files and text through the web, in a real browser, and the read-only deployment.

- the Upload page refuses an unclosed quote and a superscript digit with the line named, no
  traceback, and nothing written;
- a file named like a formula is listed in the upload history with no Streamlit "Download as CSV"
  on the table, and the page's own download keeps the name as text (metrics.export.safe_text);
- a scheme named ``<a href="https://example.com/x">Click</a>`` is drawn as text in the Indicator
  page's scheme chart (Plotly's SVG), never as a link;
- served beyond this machine without sign-in, the sidebar says the dashboard is read-only.

Each page is opened once and every check on it made in that visit. Screenshots, at 1280 and 390 px
wide: screenshots/hostile-*.png and readonly-*.png.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from metrics.setup import init_store
from metrics.upload import VALUE_COLUMNS, ingest_bytes

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
KPI = Path(sys.executable).parent / "kpi"
TODAY = "2026-11-26"
PHONE = {"width": 390, "height": 844}
# (Chromium sends a double quote in a file name as %22, so the formula has none.)
FORMULA_NAME = "=cmd|' /C calc'!A0 return.csv"
LINK_NAME = '<a href="https://example.com/x">Click</a>'
AFFORDABLE = "affordable_housing_share_scf"
BIRMINGHAM = "E08000025"

pytestmark = pytest.mark.browser


def _store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("hostile") / "kpi.duckdb"
    init_store(db, sample=False)
    for name in ("baseline.csv", "baseline-status.csv"):
        data = (FIXTURES / "upload" / name).read_bytes()
        report = ingest_bytes(data, name, db=db, user="fixture loader", now=dt.datetime(2026, 11, 2, 9))
        assert report.status == "committed", report.as_json()
    return db


@pytest.fixture(scope="module")
def server(app_server, tmp_path_factory) -> tuple[str, Path]:
    db = _store(tmp_path_factory)
    return app_server(db, env={"KPI_TODAY": TODAY}), db


def kpi(*args: str) -> dict:
    result = subprocess.run(
        [str(KPI), *args, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KPI_TODAY": TODAY},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def choose_file(page, after_rerun, name: str, data: bytes) -> None:
    after_rerun(
        page,
        lambda: page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
        ),
    )


def cells(page, key: str) -> list[str]:
    page.locator(f".st-key-{key} [role=gridcell]").first.wait_for(state="attached")
    return page.locator(f".st-key-{key} [role=gridcell]").all_text_contents()


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")


def no_traceback(page) -> None:
    assert not page.locator('[data-testid="stException"]').count(), "the page shows an exception"
    text = main_text(page)
    for leak in ("Traceback", 'File "/', ".venv", "site-packages"):
        assert leak not in text, leak


def phone_shot(page, screenshot, name: str) -> None:
    """The same page at a phone's width, once the menu has slid away and the layout has settled."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    page.wait_for_function(
        """() => { const m = document.querySelector('[data-testid="stSidebar"]');
                   return !m || m.getBoundingClientRect().right <= 0; }"""
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], "wider than a phone"
    screenshot(page, name)
    page.set_viewport_size(size)


def links_to(page, address: str) -> int:
    """Links (HTML or SVG, href or xlink:href) anywhere in the page that point at `address`."""
    return page.evaluate(
        """address => Array.from(document.querySelectorAll('a')).filter(a =>
              [a.getAttribute('href'), a.getAttribute('xlink:href'),
               a.getAttributeNS('http://www.w3.org/1999/xlink', 'href')]
                  .some(h => (h || '').includes(address))).length""",
        address,
    )


def test_hostile_files_are_refused_with_their_line_no_traceback_and_nothing_written(
    page, server, wait_for_app, after_rerun, screenshot
):
    base_url, db = server
    uploads_before = kpi("uploads", "--db", str(db))["uploads"]
    page.goto(f"{base_url}/Upload")
    wait_for_app(page)
    assert "Working as the local analyst" in page.locator('[data-testid="stSidebar"]').inner_text()

    # An unclosed quote: refused at the line where it opens, not swallowed into one note.
    choose_file(
        page, after_rerun, "unclosed_quote.csv", (FIXTURES / "bad" / "unclosed_quote.csv").read_bytes()
    )
    summary = page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    assert "There is 1 problem with this file" in summary and "Nothing was written" in summary
    assert "Line 2: The double quote that opens on line 2 is not closed" in summary
    assert cells(page, "upload_errors")[0] == "2"
    no_traceback(page)
    screenshot(page, "hostile-1-unclosed-quote")
    phone_shot(page, screenshot, "hostile-1-unclosed-quote-390")

    # A superscript digit: refused at its line, the value quoted as written.
    choose_file(
        page, after_rerun, "superscript_digit.csv", (FIXTURES / "bad" / "superscript_digit.csv").read_bytes()
    )
    summary = page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    assert "Line 3, value: Write '3²' with the digits 0 to 9 only" in summary
    assert cells(page, "upload_errors")[:3] == ["3", "value", "3²"]
    no_traceback(page)
    assert not page.get_by_role("button", name="Confirm").count()
    screenshot(page, "hostile-2-superscript-digit")
    phone_shot(page, screenshot, "hostile-2-superscript-digit-390")

    # Nothing written: each attempt is in the upload log as rejected, and no value came in.
    after = kpi("uploads", "--db", str(db))["uploads"]
    new = [u for u in after if u["id"] not in {b["id"] for b in uploads_before}]
    assert sorted((u["file_name"], u["outcome"]) for u in new) == [
        ("superscript_digit.csv", "rejected"),
        ("unclosed_quote.csv", "rejected"),
    ]
    series = kpi("show", "jobs_created_wmca_investment", "--geography", "Birmingham", "--db", str(db))[
        "series"
    ]
    assert not [p for p in series if p["period"].startswith("2023-24")], "a value from a refused file"


def test_the_history_offers_no_streamlit_csv_and_its_own_files_keep_a_formula_as_text(
    page, server, wait_for_app, after_rerun, screenshot
):
    base_url, _ = server
    page.goto(f"{base_url}/Upload")
    wait_for_app(page)
    bad = b"indicator_id,period,geography,value\njobs_created_wmca_investment,2026-27 Q2,Brum,5\n"
    choose_file(page, after_rerun, FORMULA_NAME, bad)  # rejected, so listed in the history by its name
    assert (
        "There is 1 problem with this file"
        in page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    )

    page.goto(f"{base_url}/Upload_history")
    wait_for_app(page)
    assert FORMULA_NAME in cells(page, "history_table")
    # Streamlit's table toolbar (shown on hover) has its search and full screen, but no CSV download.
    table = page.locator(".st-key-history_table [data-testid='stDataFrame']")
    table.hover()
    toolbar = page.locator(".st-key-history_table [data-testid='stElementToolbar']")
    toolbar.get_by_role("button", name="Search").wait_for(state="visible")
    labels = toolbar.locator("button").evaluate_all(
        "bs => bs.map(b => b.getAttribute('aria-label') || b.innerText)"
    )
    assert "Search" in labels and not [x for x in labels if "Download" in x or "CSV" in x], labels
    assert not page.get_by_role("button", name="Download as CSV").count()
    no_traceback(page)
    screenshot(page, "hostile-3-history")

    # The page's own files: the name stays text (a leading quote in CSV, a text cell in Excel).
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Download the upload history as CSV").click()
    assert csv_download.value.suggested_filename == "upload-history.csv"
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    names = [cell for row in rows for cell in row if "cmd|" in cell]
    assert names == ["'" + FORMULA_NAME], names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="Download the upload history as Excel").click()
    assert xlsx_download.value.suggested_filename == "upload-history.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).worksheets[0]
    found = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "cmd|" in c.value]
    assert len(found) == 1 and found[0].value == FORMULA_NAME
    assert found[0].data_type == "s" and found[0].quotePrefix, "stored as text, shown as text"


def test_a_scheme_named_with_a_link_is_drawn_as_text_in_the_scheme_chart(
    page, server, wait_for_app, wait_for_charts, after_rerun, screenshot
):
    base_url, db = server
    upload = io.StringIO()
    writer = csv.writer(upload, lineterminator="\n")
    writer.writerow(VALUE_COLUMNS)  # the upload template's columns
    writer.writerow([AFFORDABLE, "2026-27 Q2", "Birmingham", "", "120", "500", "project", LINK_NAME, "", ""])
    writer.writerow([AFFORDABLE, "2026-27 Q2", "Birmingham", "", "50", "400", "project", "Digbeth", "", ""])
    page.goto(f"{base_url}/Upload")
    wait_for_app(page)
    choose_file(page, after_rerun, "schemes.csv", upload.getvalue().encode("utf-8"))
    assert f"project: {LINK_NAME}" in cells(page, "upload_preview_inserted")
    page.get_by_role("button", name="Confirm and write 2 values").click()
    wait_for_app(page)
    assert "schemes.csv" in page.locator('[data-testid="stAlertContentSuccess"]').first.inner_text()

    page.goto(f"{base_url}/Indicator?indicator={AFFORDABLE}&geography={BIRMINGHAM}")
    wait_for_app(page, timeout_ms=90_000)
    wait_for_charts(page, 1, timeout_ms=60_000)
    chart = page.locator(".st-key-wide_schemes .js-plotly-plot")  # the laptop layout (1280 px)
    chart.locator("svg.main-svg").first.wait_for()
    drawn = chart.evaluate("c => Array.from(c.querySelectorAll('text')).map(t => t.textContent).join('\\n')")
    assert LINK_NAME in drawn, drawn  # the name as typed, tags and all, as the label's text
    assert chart.locator("a").count() == 0, "a link inside the chart's SVG"
    assert links_to(page, "example.com/x") == 0
    assert LINK_NAME in main_text(page)  # the chart's description names it as text too
    no_traceback(page)
    chart.scroll_into_view_if_needed()
    screenshot(page, "hostile-4-scheme-chart")


def test_served_beyond_this_machine_without_sign_in_the_sidebar_says_read_only(
    page, app_server, tmp_path_factory, wait_for_app, screenshot
):
    db = _store(tmp_path_factory)
    base_url = app_server(db, env={"KPI_TODAY": TODAY}, address="0.0.0.0")
    page.goto(f"{base_url}/Upload")
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    said = sidebar.inner_text()
    assert "Read-only: no sign-in is set up and the dashboard is served beyond this machine" in said
    assert "local analyst" not in said
    links = sidebar.locator('[data-testid="stPageLink"]').all_inner_texts()
    assert [x.strip() for x in links] == ["Overview", "Themes", "Indicators", "About the data", "Export"]
    assert "This dashboard is read-only" in main_text(page)
    assert not page.locator('[data-testid="stFileUploader"]').count()
    no_traceback(page)
    screenshot(page, "readonly-1-upload")

    # On a phone the menu is folded away: open it to see the same line.
    page.set_viewport_size(PHONE)
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.wait_for_function(
        """() => { const m = document.querySelector('[data-testid="stSidebar"]');
                   return m && m.getBoundingClientRect().left >= 0 && m.getBoundingClientRect().right > 0; }"""
    )
    assert sidebar.locator(".st-key-read_only_notice").is_visible()
    screenshot(page, "readonly-2-sidebar-390")
