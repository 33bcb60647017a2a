"""The board pack as an accessible Word document: real headings, alt text on every chart, each chart's data.

Only layout, as the PowerPoint writer: the words and rows come from the pack model
(`metrics.export.pack`), the method (`metrics.export.method`) and what both writers share
(`metrics.export.style`). A screen reader can move by heading (`docx_headings` lists them),
hears every chart described, and finds the chart's figures in a table after it whose
header row is announced. The zip entries are dated from the pack's provenance, so the same
pack gives the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

from metrics.export.files import pin_zip
from metrics.export.labels import series_label
from metrics.export.method import METHOD_HEADER, METHOD_TITLE, method_points, method_rows
from metrics.export.pack import PLACE_HEADER, Pack, PackIndicator, PackTheme
from metrics.export.style import (
    ACTION_HEADER,
    AF_GREY,
    action_rows,
    cover_lines,
    set_core_properties,
    verdict_lead,
)
from metrics.words import clean_text, join_names, long_date, statistics_status_text, target_text

WORD_SCHEMES_AT_MOST = 40  # schemes listed by name in the Word pack; the rest are counted


def _docx_lang(doc: Any) -> None:
    """British English for the whole document, so screen readers and spell checkers use it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")


def _docx_table(
    doc: Any, header: list[str], rows: list[list[str]], widths_cm: list[float] | None = None
) -> Any:
    """A table with a real header row (repeated on each page), so screen readers announce the columns."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    head = table.rows[0]
    trpr = head._tr.get_or_add_trPr()  # noqa: SLF001
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)
    for cell, text in zip(head.cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    if widths_cm:  # Word reads the cell widths, LibreOffice the grid: set both
        table.autofit = False
        for j, w in enumerate(widths_cm):
            table.columns[j].width = Cm(w)
        for row in table.rows:
            for cell, w in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(w)
    return table


def _docx_footer(section: Any, text: str) -> None:
    """The footer on every page: the pack's provenance, then the page number (a PAGE field)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    para = section.footer.paragraphs[0]
    para.text = ""
    run = para.add_run(text + " Page ")
    run.font.size = Pt(8)
    field_run = para.add_run()
    field_run.font.size = Pt(8)
    for kind, value in (("begin", None), ("instr", " PAGE "), ("separate", None), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = value
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        field_run._r.append(el)  # noqa: SLF001


def docx_headings(pack: Pack) -> list[tuple[int, str]]:
    """Every heading the Word pack has, (level, text) in order; level 0 is the title."""
    out = [(0, pack.title), (1, "Summary"), (1, METHOD_TITLE)]
    for t in pack.themes:
        out += [(1, t.theme.name), (2, "Actions")]
        out += [(2, i.shown.indicator.name) for i in t.indicators]
    out.append((1, "About this pack"))
    return out


class _Document:
    """The Word document being written: A4, Arial, the footer on every page, headings taken in order."""

    def __init__(self, pack: Pack) -> None:
        from docx import Document
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        doc = Document()
        _docx_lang(doc)
        section = doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.0))
        for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption"):
            style = doc.styles[name]
            style.font.name = "Arial"  # as the charts: Liberation Sans where Arial is not installed
            fonts = style.element.rPr.find(qn("w:rFonts"))
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(theme), None)  # a theme font would win over the name
        doc.styles["Normal"].font.size = Pt(11)
        self.doc = doc
        self.footer = pack.provenance.footer("docx")
        _docx_footer(section, self.footer)
        self._headings = iter(docx_headings(pack))

    def heading(self, new_page: bool = False) -> None:
        """The next heading docx_headings lists, on a new page if asked."""
        level, text = next(self._headings)
        self.doc.add_heading(text, level=level).paragraph_format.page_break_before = new_page

    def bullets(self, points: list[tuple[str, str]]) -> None:
        """A bulleted list, each point's lead words in bold."""
        for lead, text in points:
            para = self.doc.add_paragraph(style="List Bullet")
            para.add_run(f"{lead}: ").bold = True
            para.add_run(text)


def _summary_section(w: _Document, pack: Pack) -> None:
    from docx.shared import Pt

    doc = w.doc
    w.heading()  # Summary
    doc.add_paragraph(pack.summary_sentence())
    header = pack.summary_header()
    numbers = len(header) - 1
    _docx_table(doc, header, pack.summary_rows(), [5.0] + [12.0 / numbers] * numbers)
    named = pack.named_lines()
    if named:
        doc.add_paragraph("The indicators with a target, by verdict:").paragraph_format.space_before = Pt(8)
        w.bullets(named)


def _method_section(w: _Document, pack: Pack) -> None:
    from docx.shared import Pt

    doc = w.doc
    w.heading()  # How the verdicts are worked out
    w.bullets(method_points(pack))
    rows = method_rows(pack)
    if rows:
        doc.add_paragraph(
            "The targets with a date in this pack, and what decides their pace:"
        ).paragraph_format.space_before = Pt(6)
        _docx_table(doc, METHOD_HEADER, rows, [4.4, 4.2, 3.0, 3.0, 2.4])


def _chart_data(doc: Any, item: PackIndicator) -> None:
    """The chart's figures as a captioned table: the seven authorities' where the chart is of them."""
    ind = item.shown.indicator
    if item.shows_places:
        caption = doc.add_paragraph(
            f"Data for the chart: {ind.name}, each local authority's latest figure and its own "
            "verdict. The combined authority has no figure of its own."
        )
        caption.style = doc.styles["Caption"]
        caption.paragraph_format.keep_with_next = True  # never apart from its table
        _docx_table(doc, PLACE_HEADER, item.place_rows(), [4.6, 3.8, 3.0, 5.6])
        return
    common = item.common_notes()
    phrases = {
        "worked out from the seven local authorities": "is worked out from the seven local authorities",
        "illustrative sample value": "is an illustrative sample value",
    }
    said = f" Every value {join_names([phrases.get(n, n) for n in common])}." if common else ""
    caption = doc.add_paragraph(f"Data for the chart: {ind.name}, {series_label(item.shown)}.{said}")
    caption.style = doc.styles["Caption"]
    caption.paragraph_format.keep_with_next = True  # never apart from its table
    _docx_table(
        doc,
        ["Period", f"Value ({ind.unit_label})", "Status of the figure", "Notes"],
        item.table_rows(),
        [3.2, 3.4, 3.4, 7.0],
    )


def _indicator_section(w: _Document, item: PackIndicator) -> None:
    """A headline indicator on its own page: verdict, target, schemes breaking it, chart, data, source."""
    from docx.shared import Cm, Pt, RGBColor

    doc = w.doc
    w.heading(new_page=True)  # indicator: its verdict, its schemes or authorities and its chart on one page
    ind = item.shown.indicator
    para = doc.add_paragraph()
    lead, rest = verdict_lead(item.commentary, item.progress.verdict)
    if lead:
        para.add_run(lead).bold = True
    para.add_run(rest)
    doc.add_paragraph(f"Target: {target_text(ind)}. Place: {item.place_text()}.")
    breaking = item.breaking_heading()
    if breaking:
        rows, more = item.breaking_rows(WORD_SCHEMES_AT_MOST)
        doc.add_paragraph(f"{breaking}, lowest first:")
        _docx_table(doc, ["Scheme", "Share"], rows, [13.0, 4.0])
        if more:
            doc.add_paragraph(
                f"And {more} more: the Indicator page lists every scheme."
            ).paragraph_format.space_before = Pt(4)
    doc.add_picture(io.BytesIO(item.chart_png), width=Cm(17.0))
    doc.paragraphs[-1].paragraph_format.space_before = Pt(8)
    pic = doc.inline_shapes[-1]
    doc_pr = pic._inline.docPr  # noqa: SLF001 - alt text lives on the drawing's docPr
    doc_pr.set("descr", item.alt_text)
    doc_pr.set("title", ind.name)
    _chart_data(doc, item)
    note = doc.add_paragraph(
        f"Source: {ind.source_publication} from {ind.source_publisher}. "
        f"{statistics_status_text(ind.statistics_status, item.shown.illustrative)}."
    )
    note.runs[0].font.color.rgb = RGBColor.from_string(AF_GREY)
    note.paragraph_format.space_before = Pt(6)


def _theme_section(w: _Document, t: PackTheme) -> None:
    w.heading()  # theme
    w.doc.add_paragraph(f"Outcome: {t.theme.outcome}")
    w.heading()  # Actions
    _docx_table(
        w.doc,
        ACTION_HEADER,
        action_rows(t.actions),
        [2.0, 11.0, 4.0],
    )
    for item in t.indicators:
        _indicator_section(w, item)


def _about_section(w: _Document, pack: Pack) -> None:
    """How the pack was built: its provenance, how its verdicts are said, and the uploads it shows."""
    doc = w.doc
    w.heading()  # About this pack
    doc.add_paragraph(w.footer)
    doc.add_paragraph(
        "Every verdict is stated in words with the reason for it, as the dashboard and the kpi command state "
        f"it; '{METHOD_TITLE}' explains the rules. Missing figures are shown as missing with their reason, "
        "never as zero, and an illustrative sample value is marked as such wherever values are listed."
    )
    _docx_table(
        doc,
        ["Upload", "File", "Loaded by", "Loaded on"],
        [
            [
                str(u["id"]),
                clean_text(u["file_name"]),
                clean_text(u["user_name"]),
                long_date(u["uploaded_at"].date()),
            ]
            for u in pack.uploads
        ],
        [2.0, 8.0, 4.0, 3.0],
    )


def write_docx(pack: Pack) -> bytes:
    """An accessible Word document: real headings, alt text on every chart, a data table after each."""
    w = _Document(pack)
    w.heading()
    for line in cover_lines(pack):
        w.doc.add_paragraph(line)
    _summary_section(w, pack)
    _method_section(w, pack)
    for t in pack.themes:
        _theme_section(w, t)
    _about_section(w, pack)
    set_core_properties(w.doc.core_properties, pack)
    buf = io.BytesIO()
    w.doc.save(buf)
    return pin_zip(buf.getvalue(), pack.provenance.built_at)
