"""The board pack for the whole objective, as PowerPoint and as Word, checked against `kpi show`.

The pack is gathered once from the sample store (every chart drawn once) and
written in both formats; the files are then read back with python-pptx and
python-docx, as anyone opening them would see them.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from metrics import charts, dashboard, export, export_pack
from metrics.catalogue import default_catalogue
from metrics.progress import format_value

CATALOGUE = default_catalogue()
KPI = Path(sys.executable).parent / "kpi"


def pin(mp: pytest.MonkeyPatch) -> None:
    mp.setenv("KPI_TODAY", "2026-11-26")
    mp.setenv("KPI_NOW", "2026-11-26T09:00:00")
    mp.delenv("KPI_DB", raising=False)


def expected_headlines(theme_id: str) -> list[str]:
    """The rule, written out again: the theme's indicators with a target, else its first two."""
    inds = [i for i in CATALOGUE.indicators if i.theme == theme_id]
    with_target = [i.id for i in inds if i.target is not None]
    return with_target or [i.id for i in inds[:2]]


@pytest.fixture(scope="module")
def pack(pack_store, chromium):
    with pytest.MonkeyPatch.context() as mp:
        pin(mp)
        return export_pack.gather(db=pack_store)


@pytest.fixture(scope="module")
def pptx_bytes(pack):
    with pytest.MonkeyPatch.context() as mp:
        pin(mp)
        return export_pack.write_pptx(pack)


@pytest.fixture(scope="module")
def pptx(pptx_bytes):
    return Presentation(io.BytesIO(pptx_bytes))


@pytest.fixture(scope="module")
def docx_bytes(pack):
    with pytest.MonkeyPatch.context() as mp:
        pin(mp)
        return export_pack.write_docx(pack)


@pytest.fixture(scope="module")
def shown_json(pack_store, pack):
    """What `kpi show INDICATOR --json` prints for every headline indicator in the pack."""
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        pin(mp)
        for item in pack.indicators:
            iid = item.shown.indicator.id
            done = subprocess.run(
                [str(KPI), "show", iid, "--json", "--db", str(pack_store)],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert done.returncode == 0, done.stderr
            out[iid] = json.loads(done.stdout)
    return out


def slide_text(slide) -> str:
    return " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def test_headline_indicators_follow_the_rule():
    for t in CATALOGUE.themes:
        assert [i.id for i in export_pack.headline_indicators(t.id)] == expected_headlines(t.id)


def test_slide_count_and_titles(pack, pptx):
    slides = list(pptx.slides)
    titles = [s.shapes.title.text for s in slides]
    expected = [pack.title, "Summary: indicator status by theme"]
    for t in CATALOGUE.themes:
        action_titles = [x for x in titles if x.startswith(f"{t.name}: actions")]
        assert action_titles, f"no actions slide for {t.name}"
        expected += action_titles
        expected += [CATALOGUE.indicator(i).name for i in expected_headlines(t.id)]
    assert titles == expected
    assert len(slides) == 2 + len([x for x in titles if ": actions" in x]) + sum(
        len(expected_headlines(t.id)) for t in CATALOGUE.themes
    )
    assert titles == export_pack.slide_titles(pack)


def test_every_action_is_on_its_theme_slides_with_its_status_in_words(pack, pptx, pack_store):
    plan = {t["id"]: t for t in dashboard.plan(db=pack_store)}
    by_title = {}
    for s in pptx.slides:
        by_title.setdefault(s.shapes.title.text.split(": actions")[0], []).append(s)
    for t in CATALOGUE.themes:
        rows = []
        for s in by_title[t.name]:
            for sh in s.shapes:
                if sh.has_table:
                    rows += [[c.text for c in r.cells] for r in list(sh.table.rows)[1:]]
        assert [r[0].split(" ")[0] for r in rows] == [a.id for a in t.actions]
        for row, action in zip(rows, plan[t.id]["actions"], strict=True):
            assert row[1] == action["text"]  # as written in the plan, never cut
            words = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track"}
            words |= {"complete": "Complete", "not_started": "Not started", None: "No status reported"}
            assert row[2].startswith(words[action["status"]])


def test_summary_slide_counts_equal_the_dashboard(pptx, pack_store):
    summary = dashboard.theme_summary(dashboard.all_progress(db=pack_store))
    slide = list(pptx.slides)[1]
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Theme", "On track", "At risk", "Off track", "No status", "No data", "Total"]
    for row, s in zip(rows[1:], summary, strict=True):
        counts = [s["green"], s["amber"], s["red"], s["none"], s["no_data"]]
        assert row == [s["theme"].name, *map(str, counts), str(sum(counts))]


def test_every_picture_has_alt_text_from_its_data(pack, pptx):
    pictures = [sh for s in pptx.slides for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == len(pack.indicators)
    for pic, item in zip(pictures, pack.indicators, strict=True):
        descr = pic._element.nvPicPr.cNvPr.get("descr")
        assert descr and descr == charts.describe(item.shown)
        assert Image.open(io.BytesIO(pic.image.blob)).width >= 1200


def test_numbers_in_the_slides_equal_kpi_show(pack, pptx, shown_json):
    slides = [s for s in pptx.slides if any(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for sh in s.shapes)]
    for slide, item in zip(slides, pack.indicators, strict=True):
        ind = item.shown.indicator
        progress = shown_json[ind.id]["progress"]
        text = slide_text(slide)
        status = {"green": "On track", "amber": "At risk", "red": "Off track", "none": "No status"}
        if progress["latest_value"] is None:
            assert "Status: No data" in text
            continue
        assert f"Status: {status[progress['rag']]}" in text
        assert f"{format_value(ind, progress['latest_value'])} in {progress['latest_period']}" in text


def test_commentary_is_two_sentences_from_the_numbers(pack):
    for item in pack.indicators:
        text = item.commentary
        # sentence ends: a full stop followed by a space and a capital, or the end of the text
        ends = re.findall(r"\.(?=\s+[A-Z]|$)", text)
        assert len(ends) == 2, text
        pr = item.shown.progress
        if pr.latest_value is not None:
            assert format_value(item.shown.indicator, pr.latest_value) in text


def test_footer_on_every_slide_says_which_uploads(pack, pptx):
    for n, slide in enumerate(pptx.slides, start=1):
        footer = next(sh for sh in slide.shapes if sh.name == "Footer").text_frame.text
        assert footer == pack.provenance.footer("pptx")
        assert "from uploads 1 to 20" in footer and "--as-of-upload 20" in footer
        number = next(sh for sh in slide.shapes if sh.name == "Slide number").text_frame.text
        assert number == f"{n} of {len(pptx.slides)}"
    ref = export_pack.Provenance.parse(pptx.core_properties.comments)
    assert ref == {
        "theme_id": None,
        "as_of_upload": 20,
        "undone": (),
        "status_date": pack.provenance.status_date,
        "built_at": pack.provenance.built_at,
    }


# --- Word -------------------------------------------------------------------------------------------


def _blocks(doc):
    """The body's paragraphs and tables in order, as ("p", paragraph) or ("t", table)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield "p", Paragraph(child, doc)
        elif child.tag == qn("w:tbl"):
            yield "t", Table(child, doc)


def test_word_has_real_headings_in_order(pack, docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    headings = []
    for p in doc.paragraphs:
        name = p.style.name
        if name == "Title":
            headings.append((0, p.text))
        elif name.startswith("Heading "):
            headings.append((int(name.split()[1]), p.text))
    assert headings == export_pack.docx_headings(pack)
    levels = [lvl for lvl, _ in headings]
    assert levels[0] == 0 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))  # no skips
    assert [t for lvl, t in headings if lvl == 1] == [
        "Summary",
        *(t.name for t in CATALOGUE.themes),
        "About this pack",
    ]
    lang = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang is not None and lang.get(qn("w:val")) == "en-GB"
    assert doc.core_properties.title == pack.title


def test_every_word_chart_has_alt_text_and_is_followed_by_its_data(pack, docx_bytes, shown_json):
    doc = Document(io.BytesIO(docx_bytes))
    blocks = list(_blocks(doc))
    pictures = [i for i, (kind, b) in enumerate(blocks) if kind == "p" and b._p.xpath(".//w:drawing")]
    assert len(pictures) == len(pack.indicators) == len(doc.inline_shapes)
    for at, item, shape in zip(pictures, pack.indicators, doc.inline_shapes, strict=True):
        assert shape._inline.docPr.get("descr") == charts.describe(item.shown)
        kind, caption = blocks[at + 1]
        assert (
            kind == "p" and caption.style.name == "Caption" and caption.text.startswith("Data for the chart")
        )
        kind, table = blocks[at + 2]
        assert kind == "t"
        header = [c.text for c in table.rows[0].cells]
        assert header[0] == "Period" and header[1].startswith("Value")
        trpr = table.rows[0]._tr.trPr
        assert trpr is not None and trpr.find(qn("w:tblHeader")) is not None  # repeated on each page
        # every number in the table is the number kpi show gives, as the page formats it
        ind = item.shown.indicator
        series = shown_json[ind.id]["series"]
        body = {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
        for p in series:
            assert body[p["period"]] == format_value(ind, p["value"], p["missing"])


def test_word_says_status_in_words_and_has_the_footer(pack, docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    text = "\n".join(p.text for p in doc.paragraphs)
    for item in pack.indicators:
        assert f"Status: {item.status}" in text
        assert item.commentary in text
    footer = doc.sections[0].footer.paragraphs[0].text
    assert footer.startswith(pack.provenance.footer("docx"))
    about = text.split("About this pack", 1)[1]
    assert "from uploads 1 to 20" in about
    uploads_table = doc.tables[-1]
    assert [c.text for c in uploads_table.rows[0].cells] == ["Upload", "File", "Loaded by", "Loaded on"]
    assert [r.cells[0].text for r in uploads_table.rows[1:]] == [str(n) for n in range(1, 21)]


def test_word_and_powerpoint_show_the_same_commentary(pack, pptx, docx_bytes):
    doc_text = "\n".join(p.text for p in Document(io.BytesIO(docx_bytes)).paragraphs)
    slide_texts = " ".join(slide_text(s) for s in pptx.slides)
    for item in pack.indicators:
        assert item.commentary in doc_text and item.commentary in slide_texts


def test_pack_for_one_theme_from_kpi(kpi, chromium, pack_store, tmp_path):
    out = tmp_path / "pack.pptx"
    code, stdout, stderr = kpi(
        "export",
        "pack",
        "--theme",
        "accessible_housing",
        "--format",
        "pptx",
        "--out",
        out,
        "--db",
        pack_store,
    )
    assert code == 0, stderr
    prs = Presentation(out)
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles == [
        "Accessible Housing: board pack",
        "Summary: indicator status by theme",
        "Accessible Housing: actions",
        CATALOGUE.indicator("accessible_homes_share_funded").name,
    ]
    assert "To build it again from the same data: kpi export pack --theme accessible_housing" in stdout
    code, _, stderr = kpi(
        "export", "pack", "--theme", "nope", "--out", tmp_path / "x.pptx", "--db", pack_store
    )
    assert code == 1 and "There is no theme 'nope'" in stderr
    assert not (tmp_path / "x.pptx").exists()


def test_same_data_same_pack_bytes(pack, pptx_bytes, docx_bytes):
    """Zip entry times and document properties come from the build time, so a pack is reproducible."""
    with pytest.MonkeyPatch.context() as mp:
        pin(mp)
        mp.setenv("KPI_NOW", "2027-03-01T12:00:00")  # the wall clock moves on; the pack does not
        assert export_pack.write_pptx(pack) == pptx_bytes
        assert export_pack.write_docx(pack) == docx_bytes


def test_pack_format_is_checked(pack_store):
    with pytest.raises(export_pack.PackRefused, match="pptx or docx"):
        export_pack.build_pack(None, "pdf", db=pack_store)


def test_png_dimensions_in_the_pack(pack):
    for item in pack.indicators:
        assert Image.open(io.BytesIO(item.chart_png)).size == export.CHART_SIZES["full"].pixels
