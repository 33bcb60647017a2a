"""The board pack as it is laid out: columns that do not break words, readable colours, the screens' words,
and the files as LibreOffice draws them.

Widths are checked against the font's own glyph widths, measured here with Pillow (not with
`metrics.export.measure`, which sizes the columns); the LibreOffice test converts both files to
PDF and reads the text back, as a reader would see it.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import ImageFont
from pptx import Presentation

from metrics.export.docx import write_docx
from metrics.export.pack import gather
from metrics.export.pptx import write_pptx

EMU_PER_INCH = 914400
TWIPS_PER_INCH = 1440
FONTS = {
    False: Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    True: Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
}


def pin(mp: pytest.MonkeyPatch) -> None:
    mp.setenv("KPI_TODAY", "2026-11-26")
    mp.setenv("KPI_NOW", "2026-11-26T09:00:00")
    mp.delenv("KPI_DB", raising=False)


@pytest.fixture(scope="module")
def pack(pack_store, chromium):
    with pytest.MonkeyPatch.context() as mp:
        pin(mp)
        return gather(db=pack_store)


@pytest.fixture(scope="module")
def docx_bytes(pack) -> bytes:
    return write_docx(pack)


@pytest.fixture(scope="module")
def pptx_bytes(pack) -> bytes:
    return write_pptx(pack)


def _inches(text: str, points: float, bold: bool) -> float:
    """How wide `text` is in Arial (Liberation Sans has the same widths) at `points`, in inches."""
    if not FONTS[bold].exists():
        pytest.fail(f"{FONTS[bold]} is missing: install Debian's fonts-liberation", pytrace=False)
    return ImageFont.truetype(str(FONTS[bold]), 1000).getlength(text) * points / 1000 / 72


def _word_tables(docx_bytes: bytes):
    """Every table of the Word pack: its column widths (inches) and cells as (text, points, bold)."""
    doc = Document(io.BytesIO(docx_bytes))
    for table in doc.tables:
        grid = [int(c.get(qn("w:w"))) / TWIPS_PER_INCH for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        rows = []
        for row in table.rows:
            cells = []
            for cell in row.cells:
                runs = [r for p in cell.paragraphs for r in p.runs]
                points = runs[0].font.size.pt if runs and runs[0].font.size else 11.0
                cells.append((cell.text, points, bool(runs and runs[0].bold)))
            rows.append(cells)
        yield grid, rows


def test_no_word_table_column_is_narrower_than_its_longest_word(docx_bytes):
    """Word and LibreOffice break a word that does not fit its column ("mileston e", "Uploa d")."""
    margins = 2 * 0.075  # a cell's left and right margins in Word's "Table Grid"
    checked = 0
    for grid, rows in _word_tables(docx_bytes):
        for row in rows:
            for width, (text, points, bold) in zip(grid, row, strict=True):
                for word in text.split():
                    assert _inches(word, points, bold) + margins <= width, (word, points, width)
                    checked += 1
    assert checked > 1000
    first_cells = [rows[1][0][0] for _, rows in _word_tables(docx_bytes) if len(rows) > 1]
    assert "AH1 (milestone)" in first_cells  # the action that broke as "mileston e"


def test_word_tables_keep_the_body_size_but_the_upload_list_fits_its_rows_on_one_line(docx_bytes):
    sizes = {
        rows[0][0][0]: {points for row in rows for _, points, _ in row}
        for _, rows in _word_tables(docx_bytes)
    }
    assert sizes["Theme"] == sizes["Action"] == sizes["Period"] == {11.0}
    assert sizes["Upload"] == {9.0}
    for grid, _ in _word_tables(docx_bytes):
        assert sum(grid) == pytest.approx(17 / 2.54, abs=0.01)  # the text width of A4 with 2 cm margins


def test_the_footer_reference_names_the_pack_as_the_archive_lists_it():
    import datetime as dt

    from metrics.dashboard import AsOf
    from metrics.export.provenance import Provenance

    def ref(upload: int, undone: tuple[int, ...]) -> str:
        built = dt.datetime(2026, 11, 26, 9)
        return Provenance(AsOf(upload, undone), (1, 2), built, built.date(), None).short_reference()

    assert ref(21, ()) == "as at upload 21, judged 26 November 2026"
    assert ref(21, (7,)) == "as at upload 21 (upload 7 undone), judged 26 November 2026"
    assert ref(21, (7, 8, 9, 12)) == "as at upload 21 (uploads 7 to 9 and 12 undone), judged 26 November 2026"


def _contrast(hex_colour: str) -> float:
    """WCAG 2 contrast of a text colour on white."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


def test_word_heading_and_caption_colours_are_readable_on_white(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    used = {p.style.name for p in doc.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Caption"} <= used
    for name in ("Title", "Heading 1", "Heading 2", "Caption"):
        colour = str(doc.styles[name].font.color.rgb)
        assert colour == "12436D", name  # the house blue, not the template's #4F81BD (4.03:1)
        assert _contrast(colour) >= 4.5
    assert round(_contrast("4F81BD"), 2) == 4.03 and round(_contrast("12436D"), 2) == 10.25


def _all_text(docx_bytes: bytes, pptx_bytes: bytes) -> str:
    doc = Document(io.BytesIO(docx_bytes))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    parts += [p.text for p in doc.sections[0].footer.paragraphs]
    for slide in Presentation(io.BytesIO(pptx_bytes)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [c.text for r in shape.table.rows for c in r.cells]
            descr = shape._element.xpath("./*/p:cNvPr/@descr")
            parts += list(descr)
    return "\n".join(parts)


def test_the_pack_says_scheme_as_the_screens_do(pack, docx_bytes, pptx_bytes):
    """ "Project" is only in the plan's own words, quoted as written; the pack's own words say "scheme"."""
    plan = [a.text for t in pack.themes for a in t.actions]
    text = _all_text(docx_bytes, pptx_bytes)
    for quoted in plan:
        text = text.replace(quoted, "")
    assert not re.findall(r"\bprojects?\b", text, flags=re.IGNORECASE)
    assert "3 of 14 schemes are below the 20% minimum" in text and "Scheme" in text


# --- as LibreOffice draws them ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(docx_bytes, pptx_bytes, tmp_path_factory) -> dict[str, list[str]]:
    """Both files converted to PDF by LibreOffice, and each page's text as pdftotext lays it out."""
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        missing = "LibreOffice or pdftotext is not installed (apt-get install libreoffice poppler-utils)"
        if os.environ.get("CI"):  # scripts/setup installs both in CI: a skip there would pass unseen
            pytest.fail(missing)
        pytest.skip(missing)
    work = tmp_path_factory.mktemp("rendered")
    (work / "word.docx").write_bytes(docx_bytes)
    (work / "slides.pptx").write_bytes(pptx_bytes)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(work), str(work / "word.docx"), str(work / "slides.pptx")],
        capture_output=True, timeout=300, check=True,
    )  # fmt: skip
    pages = {}
    for name in ("word", "slides"):
        done = subprocess.run(
            [pdftotext, "-layout", str(work / f"{name}.pdf"), "-"], capture_output=True, text=True, check=True
        )
        pages[name] = done.stdout.split("\f")[:-1]  # a form feed ends each page
    return pages


def _cell_words(tables) -> set[str]:
    return {w for rows in tables for row in rows for text in row for w in text.split()}


def _tokens(pages: list[str]) -> set[str]:
    return {t for page in pages for t in page.split()}


def _broken(words: set[str], tokens: set[str]) -> list[str]:
    """The words not drawn whole. A compound may end a line at its own hyphen ("long-" "term"), as
    type does; a word cut anywhere else ("mileston" "e", "(2026-" "27") is broken."""

    def whole(word: str) -> bool:
        pieces = re.split(r"(?<=[A-Za-z]-)(?=[A-Za-z])", word)
        return word in tokens or (len(pieces) > 1 and all(p in tokens for p in pieces))

    return sorted(w for w in words if not whole(w))


def test_libreoffice_draws_every_word_of_every_word_table_whole(rendered, docx_bytes):
    words = _cell_words([[[t for t, _, _ in row] for row in rows] for _, rows in _word_tables(docx_bytes)])
    assert not _broken(words, _tokens(rendered["word"]))  # a word cut over two lines reads as two pieces
    assert {
        "(milestone)",
        "Upload",
        "(2026-27",
        "sample-real-households_temporary_accommodation.csv",
    } <= words


def test_libreoffice_puts_the_page_number_on_a_line_of_its_own(rendered, sample_footer):
    pages = rendered["word"]
    assert len(pages) > 10
    for n, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert f"Page {n} of {len(pages)}" in lines, lines[-4:]  # never run into the footer's text
        assert " ".join(lines[-3:-1]) == sample_footer  # the footer's two lines, then the number
        assert ("kpi export pack" in page) == (n == len(pages))  # the command once, in "About this pack"


def test_libreoffice_draws_every_slide_table_word_whole_and_every_footer(rendered, pptx_bytes, sample_footer):
    slides = Presentation(io.BytesIO(pptx_bytes)).slides
    tables = [
        [[c.text for c in r.cells] for r in sh.table.rows] for s in slides for sh in s.shapes if sh.has_table
    ]
    assert not _broken(_cell_words(tables), _tokens(rendered["slides"]))
    assert len(rendered["slides"]) == len(slides)
    for n, page in enumerate(rendered["slides"], start=1):
        last = [line.strip() for line in page.splitlines() if line.strip()][-1]
        assert re.fullmatch(rf"{re.escape(sample_footer)}\s+{n} of {len(slides)}", last), last


@pytest.fixture(scope="module")
def sample_footer(pack) -> str:
    """The footer the sample store's pack carries, typed out."""
    n = len(pack.uploads)
    return (
        "Source: WMCA Equity and Inclusion dashboard. Data as at 31 October 2026. "
        f"Pack reference: as at upload {n}, judged 26 November 2026."
    )
