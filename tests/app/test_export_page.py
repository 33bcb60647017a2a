"""AppTest of the Export page: a board pack built, kept and built again; one chart's files; no Chromium.

Runs against a private copy of the sample store, as the local analyst (no sign-in).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from metrics.export import renderer
from metrics.export.archive import archive

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/6_Export.py"
BUILD = "FormSubmitter:pack_form-Build the board pack"


@pytest.fixture
def store(sample_template, tmp_path, monkeypatch) -> Path:
    db = tmp_path / "kpi.duckdb"
    shutil.copyfile(sample_template, db)
    monkeypatch.setenv("KPI_DB", str(db))
    monkeypatch.delenv("KPI_ROLES", raising=False)
    return db


@pytest.fixture
def downloads(monkeypatch) -> dict[str, tuple[str | None, bytes]]:
    """Every file a download button offers, by the id in its URL: (file name, bytes)."""
    seen: dict[str, tuple[str | None, bytes]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        seen[file_id] = (filename, path_or_data)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return seen


def open_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, key: str):
    return next(b for b in at.get("download_button") if b.key == key)


def downloaded(at: AppTest, seen: dict, key: str) -> tuple[str | None, bytes]:
    file_id = button(at, key).proto.url.rsplit("/", 1)[-1].split(".", 1)[0]
    return seen[file_id]


def text(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "success", "info", "warning", "error", "caption")
        for e in at.get(kind)
    ]
    # ui.text.plain escapes Markdown with backslashes and puts a word joiner after a colon
    return " ".join(str(p).replace("\\", "").replace("\u2060", "") for p in parts)


def test_page_offers_pack_archive_and_one_indicators_files(store, downloads):
    at = open_page()
    assert [t.value for t in at.title] == ["Export for board papers"]
    assert [h.value for h in at.header] == [
        "Board pack",
        "Packs as presented",
        "One indicator's chart and data",
    ]
    assert "No packs have been kept yet" in text(at)
    assert at.get("form")[0].proto is not None
    for key in ("png_full", "png_half", "svg", "csv", "xlsx"):
        assert not button(at, f"indicator_export_{key}").proto.disabled
    first = at.selectbox(key="export_indicator").value
    assert first == "affordable_housing_share_scf"  # the first indicator of the catalogue
    name, data = downloaded(at, downloads, "indicator_export_csv")
    assert name == "affordable-housing-share-scf-e47000007.csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0].startswith(
        "Affordable homes in schemes supported through the Single Commissioning Framework"
    )
    head = {r[0]: r[1] for r in rows[1:] if len(r) == 2}
    assert head["Target"] == "At least 20% in every scheme"
    assert head["Progress"].startswith("Off track: 3 of 14 schemes are below the 20% minimum in 2026-27 Q2")
    body = rows[rows.index([]) + 2 :]
    # The numbers, worked out here from the store: the seven authorities' numerators over denominators.
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        pooled = con.execute(
            "SELECT period, sum(numerator) / sum(denominator) * 100 FROM (SELECT o.* FROM observation o "
            "JOIN upload u ON u.id = o.upload_id WHERE u.outcome = 'committed' AND o.indicator_id = ? "
            "AND o.breakdown_dimension = '' AND o.geography_code <> 'E47000007' QUALIFY row_number() OVER "
            "(PARTITION BY o.geography_code, o.period_start ORDER BY o.upload_id DESC) = 1) GROUP BY period, "
            "period_start HAVING count(*) = 7 ORDER BY period_start",
            [first],
        ).fetchall()
    finally:
        con.close()
    assert [(r[0], r[3]) for r in body] == [(period, f"{share:.1f}") for period, share in pooled]
    name, data = downloaded(at, downloads, "indicator_export_xlsx")
    assert name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert any(r and r[0] == pooled[-1][0] and r[3] == round(pooled[-1][1], 1) for r in values)
    assert button(at, "indicator_export_png_full").proto.help.startswith("1,600 by")


def test_build_keep_and_rebuild_a_pack(store, downloads, chromium_present):
    at = open_page()
    at.selectbox(key="pack_theme").set_value("accessible_housing")
    at.radio(key="pack_format").set_value("docx")
    at.checkbox(key="pack_keep").check()
    at.text_input(key="pack_board").input("WMCA Board")
    at.button(key=BUILD).click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "The board pack 'Accessible Housing: board pack' is ready." in text(at)
    assert "kept in the archive as presented to WMCA Board on 26 November 2026" in text(at)
    name, data = downloaded(at, downloads, "pack_download")
    assert name == "board-pack-accessible-housing-2026-11-26.docx"
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[0].text == "Accessible Housing: board pack"
    assert all(s._inline.docPr.get("descr") for s in doc.inline_shapes)

    [kept] = archive(db=store)
    assert kept["board"] == "WMCA Board" and kept["built_by"] == "local analyst" and kept["sha256"]
    rows = at.main.get_by_key("archive_table").dataframe[0].value
    assert list(rows["Board or meeting"]) == ["WMCA Board"]
    assert list(rows["Presented on"]) == ["26 November 2026"]

    at.button(key="rebuild").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Pack 1 is built again: it is identical to the file kept on the day." in text(at)
    _, again = downloaded(at, downloads, "rebuild_download")
    assert again == data


def test_keeping_without_a_board_says_what_to_do(store):
    at = open_page()
    at.checkbox(key="pack_keep").check()
    at.button(key=BUILD).click()
    at.run()
    assert [e.value for e in at.error] == [
        "Enter the board or meeting the pack is presented to, or untick 'Keep it in the archive'."
    ]
    assert archive(db=store) == []


def test_without_chromium_the_buttons_say_so_and_data_still_downloads(store, downloads, monkeypatch):
    monkeypatch.setattr(renderer, "chromium_path", lambda: None)
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    at = open_page()
    words = text(at)
    assert "The board pack cannot be built on this computer because Chromium is not installed" in words
    assert "apt-get install chromium" in words and "BROWSER_PATH" in words
    assert at.button(key=BUILD).disabled
    for key in ("png_full", "png_half", "svg"):
        assert button(at, f"indicator_export_{key}").proto.disabled
    for key in ("csv", "xlsx"):
        assert not button(at, f"indicator_export_{key}").proto.disabled
        _, data = downloaded(at, downloads, f"indicator_export_{key}")
        assert len(data) > 500
    assert "The data downloads (CSV and Excel) still work" in words


@pytest.fixture
def chromium_present() -> None:
    if renderer.chromium_path() is None:
        pytest.fail("Chromium is not installed; building a pack needs it (bash scripts/setup as root).")


def test_drawing_the_pages_never_starts_chromium(store, chromium_present):
    """Chromium with its children holds about 1 GB in every replica: a page with chart buttons does not
    start it; only pressing a chart button (an export) does."""
    renderer.stop_renderer()
    at = open_page()
    assert not button(at, "indicator_export_png_full").proto.disabled  # the chart buttons are there, live
    at.switch_page("pages/2_Indicator.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not renderer.renderer_running()


def test_a_long_tables_files_are_written_when_the_button_is_pressed(monkeypatch):
    """A short table's files are made with the page; a long one's (25,000 schemes) only when its button
    is pressed, so the page does not spend seconds writing an Excel file nobody asked for. Either way
    the bytes are what `kpi export data` writes."""
    from metrics import export
    from ui import exports

    offered: dict[str, object] = {}
    monkeypatch.setattr(
        exports.st, "download_button", lambda label, data, **kw: offered.__setitem__(kw["key"], data)
    )

    def table(n: int):
        rows = [[f"Scheme {i}", float(i)] for i in range(n)]
        return export.DataTable(
            "Schemes", [("Source", "test")], [export.Column("Scheme"), export.Column("Share", 1)], rows
        )

    short, long = table(10), table(exports.EAGER_ROWS + 1)
    exports.data_buttons(short, key="short")
    exports.data_buttons(long, key="long")
    assert offered["short_csv"] == export.to_csv(short) and offered["short_xlsx"] == export.to_xlsx(short)
    assert callable(offered["long_csv"]) and callable(offered["long_xlsx"])
    assert offered["long_csv"]() == export.to_csv(long) and offered["long_xlsx"]() == export.to_xlsx(long)
