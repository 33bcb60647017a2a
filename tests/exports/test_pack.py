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
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from metrics import charts, dashboard, export
from metrics.catalogue import default_catalogue
from metrics.export.build import build_pack
from metrics.export.docx import docx_headings, write_docx
from metrics.export.method import method_points
from metrics.export.pack import PackRefused, gather, headline_indicators
from metrics.export.pptx import slide_titles, write_pptx
from metrics.export.provenance import Provenance
from metrics.words import VERDICT_ORDER, format_value, verdict_word

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
        return gather(db=pack_store)


@pytest.fixture(scope="module")
def pptx_bytes(pack):
    with pytest.MonkeyPatch.context() as mp:
        pin(mp)
        return write_pptx(pack)


@pytest.fixture(scope="module")
def pptx(pptx_bytes):
    return Presentation(io.BytesIO(pptx_bytes))


@pytest.fixture(scope="module")
def docx_bytes(pack):
    with pytest.MonkeyPatch.context() as mp:
        pin(mp)
        return write_docx(pack)


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


def shape_text(slide, name: str) -> str:
    return next(sh.text_frame.text for sh in slide.shapes if sh.name == name)


def test_headline_indicators_follow_the_rule():
    for t in CATALOGUE.themes:
        assert [i.id for i in headline_indicators(t.id)] == expected_headlines(t.id)


# The one headline chart of the seven authorities (no combined-authority figure): its data is beside it.
OF_THE_SEVEN = {"neet_16_17"}


def test_slide_count_and_titles(pack, pptx):
    """Cover, summary, method; each theme's actions, each chart then its data; what the pack was built from."""
    slides = list(pptx.slides)
    titles = [s.shapes.title.text for s in slides]
    expected = [pack.title, "Summary: indicator verdicts by theme", "How the verdicts are worked out"]
    for t in CATALOGUE.themes:
        action_titles = [x for x in titles if x.startswith(f"{t.name}: actions")]
        assert action_titles, f"no actions slide for {t.name}"
        expected += action_titles
        for iid in expected_headlines(t.id):
            expected.append(CATALOGUE.indicator(iid).name)
            if iid not in OF_THE_SEVEN:  # every series of the sample fits one slide, in two tables
                expected.append(f"Data for the chart: {CATALOGUE.indicator(iid).name}")
    expected += ["About this pack (1 of 2)", "About this pack (2 of 2)"]  # 21 uploads listed
    assert titles == expected
    assert (
        len(slides)
        == 3
        + len([x for x in titles if ": actions" in x])
        + sum(2 * len(expected_headlines(t.id)) for t in CATALOGUE.themes)
        - len(OF_THE_SEVEN)
        + 2
    )
    assert titles == slide_titles(pack)


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


def test_summary_slide_counts_indicators_by_verdict_as_the_dashboard_does(pptx, pack_store):
    summary = dashboard.theme_summary(dashboard.all_progress(db=pack_store))
    present = [v for v in VERDICT_ORDER if any(s["verdicts"][v] for s in summary)]
    slide = list(pptx.slides)[1]
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Theme", *(verdict_word(v) for v in present), "Total"]
    for row, s in zip(rows[1:], summary, strict=True):
        counts = [s["verdicts"][v] for v in present]
        total = len(CATALOGUE.indicators_for_theme(s["theme"].id))
        assert sum(counts) == total  # every indicator counted once, the seven authorities' verdicts too
        assert row == [s["theme"].name, *map(str, counts), str(total)]
    text = slide_text(slide)
    # the sample's verdicts, typed here: the two floors broken, the four targets met late, the Academy met
    assert "2 off track, 1 at risk, 4 met late, 1 met and 19 with no target" in text
    assert "NEET 16 to 17 is judged on the seven local authorities' own figures" in text
    assert "Off track: Affordable share of homes in SCF schemes; NEET 16 to 17" in text
    assert "Target met: Jobs and Skills Academy" in text


def test_every_picture_has_alt_text_from_its_data(pack, pptx):
    pictures = [sh for s in pptx.slides for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == len(pack.indicators)
    for pic, item in zip(pictures, pack.indicators, strict=True):
        descr = pic._element.nvPicPr.cNvPr.get("descr")
        if item.shows_places:
            assert descr == charts.describe_place(item.shown.indicator, item.places_frame)
        else:
            assert descr and descr == charts.describe(item.shown)
        assert Image.open(io.BytesIO(pic.image.blob)).width >= 1200


def _indicator_slides(pack, pptx) -> dict:
    slides = [s for s in pptx.slides if any(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for sh in s.shapes)]
    return {item.shown.indicator.id: s for item, s in zip(pack.indicators, slides, strict=True)}


def test_every_slide_states_the_verdict_and_reason_of_kpi_show(pack, pptx, shown_json):
    for iid, slide in _indicator_slides(pack, pptx).items():
        ind = CATALOGUE.indicator(iid)
        progress = shown_json[iid]["progress"]
        text = slide_text(slide)
        assert f"{verdict_word(progress['verdict'])}: {progress['reason']}" in text  # word for word
        if progress["latest_value"] is not None:
            assert f"{format_value(ind, progress['latest_value'])} in {progress['latest_period']}" in text


def _table_rows(slide, name: str) -> list[list[str]]:
    table = next(sh.table for sh in slide.shapes if sh.has_table and sh.name == name)
    return [[c.text for c in r.cells] for r in table.rows]


SEVEN = ["Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"]
NEET_VERDICTS = ["Off track", "Off track", "Target met", "Target met", "Off track", "Off track", "Target met"]


def test_the_verdicts_a_board_acts_on_in_powerpoint(pack, pptx):
    """The sample's verdicts, typed here rather than read from the code that works them out."""
    slides = _indicator_slides(pack, pptx)
    affordable = slides["affordable_housing_share_scf"]
    assert shape_text(affordable, "Commentary").startswith(
        "Off track: 3 of 14 schemes are below the 20% minimum"
    )
    schemes = _table_rows(affordable, "Table")
    assert schemes[0] == ["Scheme", "Share"]
    assert [r[0] for r in schemes[1:]] == [
        "Sandwell scheme 2 (illustrative)",
        "Wolverhampton scheme 3 (illustrative)",
        "Birmingham scheme 2 (illustrative)",
    ]
    assert "Schemes below the 20% minimum" in slide_text(affordable)

    neet = slides["neet_16_17"]
    assert shape_text(neet, "Commentary").startswith(
        "Off track: 4 of 7 authorities are above the 3% maximum in 2025: Solihull (4.2%)"
    )
    places = _table_rows(neet, "Table")
    assert places[0] == ["Local authority", "Latest figure", "Period", "Verdict"]
    assert [r[0] for r in places[1:]] == SEVEN
    assert [r[3] for r in places[1:]] == NEET_VERDICTS
    assert all(r[2] == "2025" and r[1].endswith("%") for r in places[1:])
    assert "judged on its seven local authorities" in slide_text(neet)

    jobs = shape_text(slides["jobs_created_wmca_investment"], "Commentary")
    assert jobs.startswith("Met late: Reached 4,000 in 2025-26 Q2")
    academy = shape_text(slides["jobs_skills_academy_people_supported"], "Commentary")
    assert academy.startswith("Target met: Reached 6,000 by the 30 September 2022 date: 7,570 in 2022-23 Q2")
    assert shape_text(slides["internet_non_users"], "Commentary").startswith("At risk:")


def test_every_powerpoint_chart_has_its_data_table(pack, pptx, shown_json):
    """As in the Word pack: the seven authorities' figures beside their chart, a series' on the slides
    after it; every number the one `kpi show` gives, as the page formats it."""
    slides = list(pptx.slides)
    charts_at = [
        n for n, s in enumerate(slides) if any(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for sh in s.shapes)
    ]
    for at, item in zip(charts_at, pack.indicators, strict=True):
        ind = item.shown.indicator
        if item.shows_places:
            assert "Data for the chart: each local authority's latest figure" in slide_text(slides[at])
            assert _table_rows(slides[at], "Table")[0] == [
                "Local authority",
                "Latest figure",
                "Period",
                "Verdict",
            ]
            continue
        after = [
            s for s in slides[at + 1 :] if s.shapes.title.text.startswith(f"Data for the chart: {ind.name}")
        ]
        assert after and after[0] is slides[at + 1]  # straight after the chart
        assert f"{item.shown.geography.name}." in shape_text(after[0], "Table heading")
        tables = [sh.table for s in after for sh in s.shapes if sh.has_table]
        assert all(
            [c.text for c in t.rows[0].cells][:2] == ["Period", f"Value ({ind.unit_label})"] for t in tables
        )
        body = {r.cells[0].text: r.cells[1].text for t in tables for r in list(t.rows)[1:]}
        series = shown_json[ind.id]["series"]
        assert list(body) == [p["period"] for p in series]  # every period, in order, once
        for p in series:
            assert body[p["period"]] == format_value(ind, p["value"], p["missing"])


def test_no_empty_chart_where_the_combined_authority_has_no_figure(pack, pptx):
    """NEET has no combined-authority figure: the chart is of the seven authorities, never an empty axis."""
    [neet] = [i for i in pack.indicators if i.shown.indicator.id == "neet_16_17"]
    assert neet.shows_places and not [p for p in neet.shown.series if p.value is not None]
    assert neet.alt_text.startswith("Horizontal bar chart") and "It is empty" not in neet.alt_text
    for name in SEVEN:
        assert name in neet.alt_text
    for item in pack.indicators:
        assert "It is empty" not in item.alt_text
    # the bars are drawn: the chart is far from blank white
    img = Image.open(io.BytesIO(neet.chart_png)).convert("L")
    dark = sum(img.histogram()[:128]) / (img.width * img.height)
    assert dark > 0.03


def test_method_slide_says_how_the_verdicts_are_worked_out(pack, pptx):
    slide = next(s for s in pptx.slides if s.shapes.title.text == "How the verdicts are worked out")
    text = slide_text(slide)
    for words in (
        "Floors and ceilings:",
        "any one of them breaking it makes the indicator Off track",
        "judged on the figure for the period that covers the date",
        "Target met if it was reached by then, Met late if only afterwards, Missed if not, and Awaiting data",
        "straight line from the indicator's base period",
        "the period holding 1 April 2022",
        "Jobs and Skills Academy from 2020-21 Q3",
        "Adapted from Open SDG's progress method",
        "at least 95% of the pace needed, At risk when it is at least 50%",
        "the weakest of the seven authorities' own verdicts",
        "80% range",
        "simulated futures",
    ):
        assert words in text, words
    assert all(f"{lead}: {body}" in text for lead, body in method_points(pack))


def test_commentary_leads_with_the_verdict_and_never_contradicts_it(pack):
    for item in pack.indicators:
        text = item.commentary
        pr = item.shown.progress
        assert text.startswith(pr.sentence)
        others = [verdict_word(v) for v in VERDICT_ORDER if v != pr.verdict]
        rest = text[len(pr.sentence) :]
        assert not any(f"{w}:" in rest or f"is {w.lower()}" in rest for w in others), text
        if pr.latest_value is not None:
            assert format_value(item.shown.indicator, pr.latest_value) in text


@pytest.fixture(scope="module")
def sample_uploads(pack_store) -> int:
    """How many uploads the sample store holds (the sample data's files, loaded one by one)."""
    ids = sorted(u["id"] for u in dashboard.uploads(db=pack_store))
    assert ids == list(range(1, len(ids) + 1))
    return len(ids)


FOOTER = (
    "Source: WMCA Equity and Inclusion dashboard. Data as at 31 October 2026. "
    "Pack reference: as at upload {n}, judged 26 November 2026."
)


def test_footer_on_every_slide_says_source_date_and_reference_and_the_command_comes_once(
    pack, pptx, sample_uploads
):
    """A board reader's footer: where it is from, the data's date, which pack. The rebuild command is for
    analysts: once, on the last slides, whole and in a fixed-width font, never cut at a hyphen."""
    n_up = sample_uploads
    for n, slide in enumerate(pptx.slides, start=1):
        footer = next(sh for sh in slide.shapes if sh.name == "Footer").text_frame.text
        assert footer == FOOTER.format(n=n_up)
        number = next(sh for sh in slide.shapes if sh.name == "Slide number").text_frame.text
        assert number == f"{n} of {len(pptx.slides)}"
    everything = [slide_text(s) for s in pptx.slides]
    assert [n for n, text in enumerate(everything, start=1) if "kpi export pack" in text] == [
        len(everything) - 1
    ]
    about = list(pptx.slides)[-2]
    assert f"Built 26 November 2026 from uploads 1 to {n_up}. Data as at 31 October 2026." in slide_text(
        about
    )
    assert "To build it again from the same data, run this command:" in slide_text(about)
    command = next(sh for sh in about.shapes if sh.name == "Command").text_frame
    assert command.text == f"kpi export pack --format pptx --as-of-upload {n_up} --status-date 2026-11-26"
    assert {r.font.name for p in command.paragraphs for r in p.runs} == {"Courier New"}
    uploads = [r[0] for s in list(pptx.slides)[-2:] for r in _table_rows(s, "Table")[1:]]
    assert uploads == [str(n) for n in range(1, n_up + 1)]
    ref = Provenance.parse(pptx.core_properties.comments)
    assert ref == {
        "theme_id": None,
        "as_of_upload": n_up,
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
    assert headings == docx_headings(pack)
    levels = [lvl for lvl, _ in headings]
    assert levels[0] == 0 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))  # no skips
    assert [t for lvl, t in headings if lvl == 1] == [
        "Summary",
        "How the verdicts are worked out",
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
        assert shape._inline.docPr.get("descr") == item.alt_text
        kind, caption = blocks[at + 1]
        assert (
            kind == "p" and caption.style.name == "Caption" and caption.text.startswith("Data for the chart")
        )
        kind, table = blocks[at + 2]
        assert kind == "t"
        trpr = table.rows[0]._tr.trPr
        assert trpr is not None and trpr.find(qn("w:tblHeader")) is not None  # repeated on each page
        header = [c.text for c in table.rows[0].cells]
        ind = item.shown.indicator
        if item.shows_places:  # the chart of the seven: each authority's figure and verdict, as kpi show
            assert header == ["Local authority", "Latest figure", "Period", "Verdict"]
            places = {p["geography"]: p for p in shown_json[ind.id]["progress"]["places"]}
            rows = [[c.text for c in r.cells] for r in table.rows[1:]]
            for row, g in zip(rows, CATALOGUE.local_authorities, strict=True):
                assert row[0] == g.name
                assert row[1].startswith(format_value(ind, places[g.code]["latest_value"]))
                assert row[3] == verdict_word(places[g.code]["verdict"])
            continue
        assert header[0] == "Period" and header[1].startswith("Value")
        # every number in the table is the number kpi show gives, as the page formats it
        series = shown_json[ind.id]["series"]
        body = {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
        for p in series:
            assert body[p["period"]] == format_value(ind, p["value"], p["missing"])


def _word_sections(docx_bytes) -> dict[str, str]:
    """Each Heading 2's text in the Word pack: its paragraphs and tables' cells, in order."""
    doc = Document(io.BytesIO(docx_bytes))
    out: dict[str, list[str]] = {}
    current = None
    for kind, block in _blocks(doc):
        if kind == "p" and block.style.name.startswith("Heading"):
            current = block.text if block.style.name == "Heading 2" else None
            continue
        if current is None:
            continue
        if kind == "p":
            out.setdefault(current, []).append(block.text)
        else:
            out.setdefault(current, []).extend(" | ".join(c.text for c in r.cells) for r in block.rows)
    return {k: "\n".join(v) for k, v in out.items()}


def test_the_verdicts_a_board_acts_on_in_word(docx_bytes):
    """The same verdicts as the slides, typed here, in the Word pack's sections."""
    sections = _word_sections(docx_bytes)
    name = CATALOGUE.indicator

    affordable = sections[name("affordable_housing_share_scf").name]
    assert affordable.startswith("Off track: 3 of 14 schemes are below the 20% minimum")
    assert "Schemes below the 20% minimum in 2026-27 Q2 (3 of 14), lowest first:" in affordable
    assert "Sandwell scheme 2 (illustrative) | 15.8%" in affordable

    neet = sections[name("neet_16_17").name]
    assert neet.startswith("Off track: 4 of 7 authorities are above the 3% maximum in 2025: Solihull (4.2%)")
    for place, verdict in zip(SEVEN, NEET_VERDICTS, strict=True):
        assert re.search(rf"^{place} \| \d\.\d% \| 2025 \| {verdict}$", neet, re.M), place
    assert "Period | Value" not in neet  # no empty table of the combined authority's (absent) series

    assert sections[name("jobs_created_wmca_investment").name].startswith("Met late: Reached 4,000")
    assert sections[name("jobs_skills_academy_people_supported").name].startswith(
        "Target met: Reached 6,000 by the 30 September 2022 date: 7,570 in 2022-23 Q2"
    )
    academy = sections[name("jobs_skills_academy_people_supported").name]
    assert "2022-23 Q2 | 7,570 | " in academy and "Illustrative" not in academy.split("2022-23 Q2 | 7,570")[1]


def test_word_says_how_the_verdicts_are_worked_out(pack, docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    text = "\n".join(p.text for p in doc.paragraphs)
    method = text.split("How the verdicts are worked out", 1)[1].split("Affordable housing provision", 1)[0]
    for lead, body in method_points(pack):
        assert f"{lead}: {body}" in method
    assert "Adapted from Open SDG's progress method" in method
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Indicator")
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["Jobs and Skills Academy"][2] == "2020-21 Q3"
    assert rows["Jobs from housing and land investment"][2:] == [
        "2022-23 Q1",
        "95% of the pace needed",
        "50%",
    ]


def test_word_says_the_verdicts_and_has_the_footer(pack, docx_bytes, sample_uploads):
    doc = Document(io.BytesIO(docx_bytes))
    text = "\n".join(p.text for p in doc.paragraphs)
    for item in pack.indicators:
        assert item.commentary in text and item.commentary.startswith(item.shown.progress.sentence)
    footer, page = doc.sections[0].footer.paragraphs
    assert footer.text == FOOTER.format(n=sample_uploads)
    # "Page 2 of 23" is a paragraph of its own, at the right: it cannot run into the footer's text
    assert page.text == "Page 1 of 1"  # the fields' placeholders: Word and LibreOffice fill them in
    assert page.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert [i.text.strip() for i in page._p.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    about = text.split("About this pack", 1)[1]
    assert f"Built 26 November 2026 from uploads 1 to {sample_uploads}. Data as at 31 October 2026." in about
    assert text.count("kpi export pack") == 1 and "kpi export pack" in about  # said once, at the end
    command = next(p for p in doc.paragraphs if p.text.startswith("kpi export pack"))
    assert command.text.replace(" \\\n", "") == (
        f"kpi export pack --format docx --as-of-upload {sample_uploads} --status-date 2026-11-26"
    )
    assert {r.font.name for r in command.runs} == {"Courier New"}
    uploads_table = doc.tables[-1]
    assert [c.text for c in uploads_table.rows[0].cells] == ["Upload", "File", "Loaded by", "Loaded on"]
    assert [r.cells[0].text for r in uploads_table.rows[1:]] == [str(n) for n in range(1, sample_uploads + 1)]


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
    name = CATALOGUE.indicator("accessible_homes_share_funded").name
    assert titles == [
        "Accessible Housing: board pack",
        "Summary: indicator verdicts by theme",
        "How the verdicts are worked out",
        "Accessible Housing: actions",
        name,
        f"Data for the chart: {name}",
        "About this pack (1 of 2)",
        "About this pack (2 of 2)",
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
        assert write_pptx(pack) == pptx_bytes
        assert write_docx(pack) == docx_bytes


def test_pack_format_is_checked(pack_store):
    with pytest.raises(PackRefused, match="pptx or docx"):
        build_pack(None, "pdf", db=pack_store)


def test_png_dimensions_in_the_pack(pack):
    for item in pack.indicators:
        assert Image.open(io.BytesIO(item.chart_png)).size == export.CHART_SIZES["full"].pixels


def test_control_characters_in_an_uploaded_name_or_note_never_reach_the_word_pack(chromium, sample_store):
    """A file name with a bell and an escape code once broke the Word pack for everyone."""
    from metrics.upload import ingest_bytes

    text = 'action_id,period,status,note\nAC3,2026-27 Q2,on_track,"Checked\x07 by \x1b[31mthe team\u202e"\n'
    report = ingest_bytes(text.encode(), "q2\x07\x1b[31mstatus\u202e.csv", db=sample_store)
    assert report.status == "committed", report.as_json()
    assert report.file_name == "q2[31mstatus.csv"
    built = build_pack("accessible_housing", "docx", db=sample_store)
    doc = Document(io.BytesIO(built.data))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert "q2[31mstatus.csv" in text  # the upload it was built from, named without the control codes
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\u202e]", text)


def test_the_pack_carries_the_comparators_its_chart_shows(chromium, empty_store):
    """Internet non-users: the combined authority's figures with England's beside them, on the chart and
    as a column of the chart's data table in both packs."""
    from metrics.upload import ingest_bytes

    rows = "".join(
        f"internet_non_users,{year},{place},{value}\n"
        for year, place, value in ((2022, "West Midlands CA", 22), (2023, "West Midlands CA", 20),
                                   (2022, "England", 15), (2023, "England", 14))
    )  # fmt: skip
    text = "indicator_id,period,geography,value\n" + rows
    assert ingest_bytes(text.encode(), "context.csv", db=empty_store).status == "committed"
    from metrics.export.pack import gather

    pack = gather("public_service_reform", db=empty_store)
    item = next(i for t in pack.themes for i in t.indicators if i.shown.indicator.id == "internet_non_users")
    assert item.data_header()[-1] == "England (for comparison)"
    assert [r[-1] for r in item.data_rows()] == ["15.0%", "14.0%"]
    assert "England" in item.alt_text
    built = build_pack("public_service_reform", "docx", db=empty_store)
    doc = Document(io.BytesIO(built.data))
    cells = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    assert ["2022", "22.0%", "Provisional", "15.0%"] in [
        r[:2] + r[2:3] + r[-1:] for r in cells if r and r[0] == "2022"
    ]
