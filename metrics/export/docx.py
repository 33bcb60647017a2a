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

from metrics.clock import long_date
from metrics.export.files import pin_zip
from metrics.export.measure import column_widths
from metrics.export.method import METHOD_HEADER, METHOD_TITLE, method_points, method_rows
from metrics.export.pack import Pack, PackIndicator, PackTheme
from metrics.export.style import (
    ABOUT_TITLE,
    ACTION_HEADER,
    AF_BLUE,
    AF_GREY,
    MONO,
    REBUILD_LEAD,
    UPLOAD_HEADER,
    about,
    action_rows,
    cover_lines,
    footer_text,
    set_core_properties,
    upload_rows,
    verdict_lead,
)
from metrics.words import statistics_status_text, target_text

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


TEXT_WIDTH_IN = 17.0 / 2.54  # A4 less 2 cm margins each side
TABLE_SIZES = (11, 10, 9)  # a table's font steps down to fit; below 9 pt a printed table is hard to read


def _table_fit(header: list[str], rows: list[list[str]], one_line: bool) -> tuple[float, list[float]]:
    """The font size and column widths of a table: every column at least as wide as its longest word.

    Word and LibreOffice do not hyphenate table cells: a column narrower than a word breaks it
    ("mileston e", "Uploa d"). A table a board reads keeps the body's 11 pt and wraps long text
    between words (headers too), stepping down only if its words cannot fit; a reference list
    (`one_line`: the uploads) steps down to 9 pt first, to keep each row on one line.
    """
    tries = [(False, size) for size in TABLE_SIZES] if one_line else []
    for wrap, size in tries + [(True, size) for size in TABLE_SIZES]:
        widths = column_widths(header, rows, TEXT_WIDTH_IN, size, wrap=wrap)
        if widths is not None:
            return size, widths
    size = TABLE_SIZES[-1]  # no table in a pack is this wide; if one were, share the width out
    least = column_widths(header, rows, 100.0, size, fill=False) or [1.0] * len(header)
    return size, [w * TEXT_WIDTH_IN / sum(least) for w in least]


def _docx_table(doc: Any, header: list[str], rows: list[list[str]], *, one_line: bool = False) -> Any:
    """A table with a real header row (repeated on each page), so screen readers announce the columns,
    its columns as wide as their words need, so no word is broken across lines."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt

    size, widths = _table_fit(header, rows, one_line)
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
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # noqa: SLF001 - a row is read whole
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    table.autofit = False  # Word reads the cell widths, LibreOffice the grid: set both
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = Inches(w)
            if size != 11:
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(size)
    return table


def _field(paragraph: Any, code: str, size: Any) -> None:
    """A field Word and LibreOffice fill in when the page is laid out (PAGE, NUMPAGES), at `size`.

    Each part is a run of its own, with a placeholder result, as Word writes them: the number
    takes the result run's size rather than the paragraph's.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run("1" if kind == "result" else "")
        run.font.size = size
        if kind == "result":
            continue
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {code} "
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)  # noqa: SLF001


def _docx_footer(section: Any, text: str) -> None:
    """The footer on every page: where the pack is from, its date and reference; then "Page 2 of 23" on its own
    line at the right, so the number can never run into the text."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    size = Pt(8)
    para = section.footer.paragraphs[0]
    para.text = ""
    run = para.add_run(text)
    run.font.size = size
    run.font.color.rgb = RGBColor.from_string(AF_GREY)
    page = section.footer.add_paragraph(style=para.style)
    page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page.paragraph_format.space_before = Pt(2)
    page.add_run("Page ").font.size = size
    _field(page, "PAGE", size)
    page.add_run(" of ").font.size = size
    _field(page, "NUMPAGES", size)


def docx_headings(pack: Pack) -> list[tuple[int, str]]:
    """Every heading the Word pack has, (level, text) in order; level 0 is the title."""
    out = [(0, pack.title), (1, "Summary"), (1, METHOD_TITLE)]
    for t in pack.themes:
        out += [(1, t.theme.name), (2, "Actions")]
        out += [(2, i.shown.indicator.name) for i in t.indicators]
    out.append((1, ABOUT_TITLE))
    return out


class _Document:
    """The Word document being written: A4, Arial, house-blue headings, the footer on every page, headings in order."""

    def __init__(self, pack: Pack) -> None:
        from docx import Document
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt, RGBColor

        doc = Document()
        _docx_lang(doc)
        section = doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin"):
            setattr(section, side, Cm(2.0))
        # The footer's three lines (source and date, the pack's reference, the page) sit 1 cm from the
        # edge, clear of the text above them.
        section.bottom_margin, section.footer_distance = Cm(2.8), Cm(1.0)
        for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption"):
            style = doc.styles[name]
            style.font.name = "Arial"  # as the charts: Liberation Sans where Arial is not installed
            fonts = style.element.rPr.find(qn("w:rFonts"))
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(theme), None)  # a theme font would win over the name
            if name != "Normal":
                # The template's own blues (Heading 2 and Caption's #4F81BD is 4.03:1 on white, under
                # the 4.5:1 text needs) give way to the house blue, 10.25:1.
                style.font.color.rgb = RGBColor.from_string(AF_BLUE)
        doc.styles["Normal"].font.size = Pt(11)
        doc.styles["Footer"].font.size = Pt(8)  # the page numbers' fields take the style's size, not a run's
        self.doc = doc
        _docx_footer(section, footer_text(pack))
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
    _docx_table(doc, pack.summary_header(), pack.summary_rows())
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
        _docx_table(doc, METHOD_HEADER, rows)


def _chart_data(doc: Any, item: PackIndicator) -> None:
    """The chart's figures as a captioned table: the seven authorities' where the chart is of them."""
    caption = doc.add_paragraph(item.data_caption())
    caption.style = doc.styles["Caption"]
    caption.paragraph_format.keep_with_next = True  # never apart from its table
    _docx_table(doc, item.data_header(), item.data_rows())


def _owner_commentary(doc: Any, item: PackIndicator) -> None:
    """The owner's approved commentary beside the figure, and any figure revised since a board saw it."""
    for flag in item.revised:
        doc.add_paragraph(flag).runs[0].bold = True
    c = item.owner_commentary
    if c is None:
        return
    head = doc.add_paragraph()
    head.add_run(f"Owner's commentary, {c.quarter}").bold = True
    head.add_run(f" (approved by {c.approved_by} on {long_date(c.approved_on)})")
    if c.revised_note:
        doc.add_paragraph(c.revised_note).runs[0].bold = True
    for label, text in (("What happened", c.happened), ("Why", c.why), ("What happens next", c.next_steps)):
        if text:
            para = doc.add_paragraph()
            para.add_run(f"{label}: ").bold = True
            para.add_run(text)


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
        _docx_table(doc, ["Scheme", "Share"], rows)
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
    # After the chart and its data, so the verdict, the schemes and the chart keep to one page.
    _owner_commentary(doc, item)


def _theme_section(w: _Document, t: PackTheme) -> None:
    w.heading()  # theme
    w.doc.add_paragraph(f"Outcome: {t.theme.outcome}")
    w.heading()  # Actions
    _docx_table(w.doc, ACTION_HEADER, action_rows(t.actions))
    for item in t.indicators:
        _indicator_section(w, item)


COMMAND_SIZE = 9  # points: the rebuild command in a fixed-width font, over as few lines as the page allows


def _about_section(w: _Document, pack: Pack) -> None:
    """How the pack was built, said once: its uploads, the command that builds it again, how verdicts are said."""
    from docx.shared import Pt

    w.heading()  # About this pack
    text = about(pack, "docx")
    w.doc.add_paragraph(text.built)
    w.doc.add_paragraph(REBUILD_LEAD).paragraph_format.keep_with_next = True
    command = w.doc.add_paragraph()
    command.paragraph_format.left_indent = Pt(12)
    for n, line in enumerate(text.command_lines(COMMAND_SIZE, TEXT_WIDTH_IN - 12 / 72)):
        run = command.add_run()
        if n:
            run.add_break()  # a line break within the one paragraph: the lines are one command
        run.add_text(line)
        run.font.name, run.font.size = MONO, Pt(COMMAND_SIZE)
    w.doc.add_paragraph(text.note)
    _docx_table(w.doc, UPLOAD_HEADER, upload_rows(pack), one_line=True)


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
