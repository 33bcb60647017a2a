"""The board pack (PowerPoint and Word) and the "as presented" archive of packs.

A pack is gathered once into a plain model (`Pack`) from `metrics.dashboard`, the
same calls `kpi show` makes, so every number in it is the number the dashboard
shows; then it is written as slides or as an accessible Word document.

Every pack is built from a snapshot of the store (`AsOf`: the newest upload and
the uploads undone by then) and says so in its footer and in its document
properties, so the same pack can be built again later from the same data even
after new uploads or undos. Packs kept for a board are listed in the store's
`board_pack` table; rebuilding one reads the data as it then stood and the date
its verdicts were judged at, and gives the same file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from metrics import clock
from metrics.catalogue import (
    Catalogue,
)
from metrics.dashboard import (
    ActionView,
    AsOf,
    Db,
)
from metrics.export.files import pin_zip
from metrics.export.labels import series_label, slug
from metrics.export.method import METHOD_HEADER, METHOD_TITLE, method_points, method_rows
from metrics.export.pack import PLACE_HEADER, Pack, PackIndicator, PackRefused, gather
from metrics.export.provenance import Provenance
from metrics.export.style import (
    ACTION_HEADER,
    AF_BLUE,
    AF_GREY,
    action_rows,
    cover_lines,
    set_core_properties,
    verdict_lead,
)
from metrics.store import connect, execute, fetch_dicts, scalar, transaction
from metrics.words import (
    clean_text,
    join_names,
    statistics_status_text,
    target_text,
)

PACK_FORMATS = ("pptx", "docx")
# A verdict's box is tinted by its colour; the verdict itself is always in words beside it.
RAG_FILLS = {"green": "DDF0EE", "amber": "FDE3D3", "red": "F2D5E1", "none": "EEEEEE"}
ACTION_FILLS = {
    "complete": "DDF0EE",
    "on_track": "DDF0EE",
    "at_risk": "FDE3D3",
    "off_track": "F2D5E1",
    "not_started": "EEEEEE",
}


WORD_SCHEMES_AT_MOST = 40  # schemes listed by name in the Word pack; the rest are counted


# --- PowerPoint -------------------------------------------------------------------------------------

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
CHART_INCHES = 5.4  # a chart's height on its slide, between the title and the footer
ACTION_TABLE_INCHES = 5.3  # between the title and the footer
ACTION_TEXT_INCHES = 8.3  # the plan's text column
ACTION_LINE_INCHES = 0.2
ACTION_ROW_INCHES = 0.12  # a row's cell margins
FONT = "Arial"  # as the charts and the Word pack; Liberation Sans has the same widths where Arial is missing
CHAR_EM = 0.53  # an average character's width in ems, where no font file can be found to measure with
_FONT_FILES = {
    False: ("Arial.ttf", "arial.ttf", "LiberationSans-Regular.ttf"),
    True: ("Arial Bold.ttf", "arialbd.ttf", "LiberationSans-Bold.ttf"),
}
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")


def _rgb(hex_text: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_text)


@lru_cache(maxsize=2)
def _measuring_font(bold: bool):
    """Arial, or Liberation Sans (metric-compatible), at 100 pt for measuring text; None if neither is here."""
    from PIL import ImageFont

    for folder in _FONT_DIRS:
        root = Path(folder)
        if not root.is_dir():
            continue
        for name in _FONT_FILES[bold]:
            for path in sorted(root.rglob(name)):
                return ImageFont.truetype(str(path), 100)
    return None


def _line_count(text: str, size: float, width: float, bold: bool = False) -> int:
    """How many lines `text` takes at `size` points in a column `width` inches wide, wrapped at spaces.

    python-pptx cannot measure text, and nothing on a slide may be cut off or run into the
    footer, so text is measured with the font's own widths (Arial's, which the slides use).
    """
    room = width * 72 * 0.97  # a little spare for kerning and the renderer's own rounding
    font = _measuring_font(bold)
    if font is None:
        per_line = max(1, int(room / (size * CHAR_EM)))
        return max(1, math.ceil(len(text) / per_line))
    scale = size / 100
    space = font.getlength(" ") * scale
    lines, used = 1, 0.0
    for word in text.split():
        w = font.getlength(word) * scale
        if used and used + space + w > room:
            lines, used = lines + 1, w
        else:
            used += (space if used else 0.0) + w
    return lines


def _action_pages(actions: list[ActionView]) -> list[list[ActionView]]:
    """Actions split over slides so the plan's text is shown whole, never cut to fit."""
    head = ACTION_ROW_INCHES + ACTION_LINE_INCHES

    def height(a: ActionView) -> float:
        return ACTION_ROW_INCHES + ACTION_LINE_INCHES * _line_count(a.text, 12, ACTION_TEXT_INCHES - 0.2)

    def split(limit: float) -> list[list[ActionView]]:
        pages: list[list[ActionView]] = [[]]
        used = head
        for a in actions:
            if pages[-1] and used + height(a) > limit:
                pages.append([])
                used = head
            pages[-1].append(a)
            used += height(a)
        return pages

    pages = split(ACTION_TABLE_INCHES)
    if len(pages) > 1:  # as many slides as needed, but the rows shared out evenly between them
        total = sum(height(a) for a in actions)
        limit = head + total / len(pages) + max(height(a) for a in actions)
        while limit > head and len(split(limit - 0.05)) == len(pages):
            limit -= 0.05
        pages = split(limit)
    return pages


SUMMARY_TITLE = "Summary: indicator verdicts by theme"


def slide_titles(pack: Pack) -> list[str]:
    """The title of every slide the PowerPoint pack has, in order (the tests check the file against it)."""
    titles = [pack.title, SUMMARY_TITLE, METHOD_TITLE]
    for t in pack.themes:
        pages = _action_pages(t.actions)
        for n, _ in enumerate(pages, start=1):
            titles.append(f"{t.theme.name}: actions" + (f" ({n} of {len(pages)})" if len(pages) > 1 else ""))
        for i in t.indicators:
            titles.append(i.shown.indicator.name)
    return titles


def _font(run, size: float, *, bold: bool = False, color: str = "0B0C0C") -> None:
    from pptx.util import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(color)


def _text(frame, lines: list[str], size: float, *, bold_first: bool = False, color: str = "0B0C0C") -> None:
    from pptx.util import Pt

    frame.word_wrap = True
    for n, line in enumerate(lines):
        para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = line
        _font(run, size, bold=bold_first and n == 0, color=color)
        para.space_after = Pt(6)


def _bold_lead(para, lead: str, rest: str, size: float, color: str = "0B0C0C") -> None:
    """One paragraph: its lead words in bold ("Off track:"), the rest plain."""
    from pptx.util import Pt

    for part, bold in ((lead, True), (rest, False)):
        if part:
            run = para.add_run()
            run.text = part
            _font(run, size, bold=bold, color=color)
    para.space_after = Pt(6)


def _text_inches(lines: list[str], size: float, width: float, *, space_after: float = 6) -> float:
    """How tall these paragraphs are in a text box `width` inches wide (with its 0.1-inch insets)."""
    n = sum(_line_count(line, size, width - 0.2) for line in lines)
    return n * size * 1.2 / 72 + len(lines) * space_after / 72 + 0.1


def _cell_inches(texts: list[str], widths: list[float], size: float) -> float:
    """A table row's height: its tallest cell, with the cell's 0.05-inch top and bottom margins."""
    n = max(_line_count(t, size, w - 0.2) for t, w in zip(texts, widths, strict=True))
    return n * size * 1.2 / 72 + 0.1


def _place_title(slide, text: str, top: float = 0.35, height: float = 0.9, size: int = 28) -> None:
    from pptx.util import Inches

    title = slide.shapes.title
    title.left, title.top = Inches(0.5), Inches(top)
    title.width, title.height = Inches(SLIDE_W_IN - 1.0), Inches(height)
    title.text = text
    tf = title.text_frame
    tf.word_wrap = True
    for para in tf.paragraphs:
        para.alignment = 1  # left
        for run in para.runs:
            _font(run, size, bold=True, color=AF_BLUE)


def _footer(slide, text: str, number: int, total: int) -> None:
    from pptx.util import Inches

    box = slide.shapes.add_textbox(Inches(0.5), Inches(6.85), Inches(SLIDE_W_IN - 2.0), Inches(0.5))
    box.name = "Footer"
    _text(box.text_frame, [text], 9, color=AF_GREY)
    num = slide.shapes.add_textbox(Inches(SLIDE_W_IN - 1.4), Inches(6.85), Inches(0.9), Inches(0.4))
    num.name = "Slide number"
    _text(num.text_frame, [f"{number} of {total}"], 9, color=AF_GREY)
    num.text_frame.paragraphs[0].alignment = 3  # right


def _table(
    slide,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    top: float,
    size: float = 12,
    *,
    left: float = 0.5,
    min_row: float = 0.4,
    name: str | None = None,
):
    """A table whose rows are as tall as their text (measured), so whatever follows is placed below it."""
    from pptx.util import Inches

    heights = [max(min_row, _cell_inches(r, widths, size)) for r in [header, *rows]]
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Inches(left), Inches(top), Inches(sum(widths)), Inches(sum(heights))
    )
    if name:
        shape.name = name
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    for row, h in zip(table.rows, heights, strict=True):
        row.height = Inches(h)
    for j, text in enumerate(header):
        cell = table.cell(0, j)
        cell.text = text
        for para in cell.text_frame.paragraphs:
            for run in para.runs:
                _font(run, size, bold=True, color="FFFFFF")
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(AF_BLUE)
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.text = text
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb("FFFFFF")
            for para in cell.text_frame.paragraphs:
                for run in para.runs:
                    _font(run, size)
    return table


def _table_inches(header: list[str], rows: list[list[str]], widths: list[float], size: float) -> float:
    return sum(_cell_inches(r, widths, size) for r in [header, *rows])


def _indicator_panel(
    slide, item: PackIndicator, left: float, top: float, width: float, bottom: float
) -> None:
    """Beside the chart: the verdict and its reason, the schemes or authorities behind it, the details.

    Nothing is cut to fit: the text is measured and the font steps down until it all fits, and a
    long list of schemes is shortened to the worst ones, with the rest counted.
    """
    from pptx.util import Inches, Pt

    ind = item.shown.indicator
    pr = item.progress
    details = [
        f"Target: {target_text(ind)}",
        f"Place: {item.place_text()}",
        statistics_status_text(ind.statistics_status, item.shown.illustrative),
    ]
    heading = None
    header: list[str] = []
    widths: list[float] = []
    if item.shows_places:
        heading = "Each local authority's latest figure and its own verdict"
        header, widths = PLACE_HEADER, [1.9, 1.5, 0.8, width - 4.2]
    elif item.breaking_heading():
        heading = item.breaking_heading()
        header, widths = ["Scheme", "Share"], [width - 1.3, 1.3]
    gap = 0.12
    for size in (14, 13, 12, 11, 10):
        small = max(size - 2, 9)
        text_h = _text_inches([item.commentary], size, width)
        details_h = _text_inches(details, small, width, space_after=3)
        room = bottom - top - text_h - details_h - gap
        rows: list[list[str]] = []
        more = 0
        table_h = 0.0
        if heading:
            room -= gap
            heading_h = _text_inches([heading], small, width)
            if item.shows_places:
                rows = item.place_rows()
            else:
                rows, _ = item.breaking_rows()
                while len(rows) > 1 and heading_h + _table_inches(header, rows, widths, small) + 0.35 > room:
                    rows = rows[:-1]
                more = len(pr.breaking) - len(rows)
            table_h = heading_h + _table_inches(header, rows, widths, small) + (0.35 if more else 0)
        if table_h <= room or size == 10:
            break
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(text_h))
    box.name = "Commentary"
    box.text_frame.word_wrap = True
    _bold_lead(box.text_frame.paragraphs[0], *verdict_lead(item.commentary, pr.verdict), size)
    box.fill.solid()
    box.fill.fore_color.rgb = _rgb(RAG_FILLS.get(pr.rag, RAG_FILLS["none"]))
    y = top + text_h + gap
    if heading:
        cap = slide.shapes.add_textbox(Inches(left), Inches(y), Inches(width), Inches(heading_h))
        cap.name = "Table heading"
        _text(cap.text_frame, [heading], small, bold_first=True, color=AF_BLUE)
        y += heading_h
        table = _table(slide, header, rows, widths, y, small, left=left, min_row=0, name="Table")
        if item.shows_places:
            for i, p in enumerate(pr.places or (), start=1):
                table.cell(i, len(header) - 1).fill.fore_color.rgb = _rgb(RAG_FILLS.get(p.rag, "FFFFFF"))
        y += _table_inches(header, rows, widths, small)  # the rows' heights as _table set them
        if more:
            note = slide.shapes.add_textbox(Inches(left), Inches(y), Inches(width), Inches(0.35))
            note.name = "Table note"
            _text(note.text_frame, [f"And {more} more: the Indicator page lists every scheme."], small)
            y += 0.35
        y += gap
    info = slide.shapes.add_textbox(Inches(left), Inches(y), Inches(width), Inches(details_h))
    info.name = "Details"
    _text(info.text_frame, details, small, color=AF_GREY)
    for para in info.text_frame.paragraphs:
        para.space_after = Pt(3)


def write_pptx(pack: Pack) -> bytes:
    """Slides: cover, summary, then per theme its actions and a slide per headline indicator."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    title_layout, title_only = prs.slide_layouts[0], prs.slide_layouts[5]
    titles = slide_titles(pack)
    total = len(titles)
    footer = pack.provenance.footer("pptx")
    number = 0

    def new_slide(layout):
        nonlocal number
        number += 1
        return prs.slides.add_slide(layout)

    # Cover
    slide = new_slide(title_layout)
    _place_title(slide, pack.title, top=1.6, height=1.6, size=36)
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = Inches(0.5), Inches(3.4), Inches(SLIDE_W_IN - 1.0), Inches(2.6)
    sub.text_frame.clear()
    _text(sub.text_frame, cover_lines(pack), 20, color=AF_GREY)
    for para in sub.text_frame.paragraphs:
        para.alignment = 1
    _footer(slide, footer, number, total)

    # Summary
    slide = new_slide(title_only)
    _place_title(slide, titles[1])
    box = slide.shapes.add_textbox(Inches(0.5), Inches(1.3), Inches(SLIDE_W_IN - 1.0), Inches(0.9))
    box.name = "Summary"
    _text(box.text_frame, [pack.summary_sentence()], 16)
    header = pack.summary_header()
    numbers = len(header) - 1
    widths = [4.3] + [(SLIDE_W_IN - 1.0 - 4.3) / numbers] * numbers
    _table(slide, header, pack.summary_rows(), widths, 2.4, size=14, name="Summary table")
    named = pack.named_lines()
    if named:
        y = 2.4 + sum(max(0.4, _cell_inches(r, widths, 14)) for r in [header, *pack.summary_rows()]) + 0.2
        width = SLIDE_W_IN - 1.0
        lines = [f"{lead}: {names}" for lead, names in named]
        size = next(z for z in (14, 13, 12, 11, 10) if _text_inches(lines, z, width) <= 6.75 - y or z == 10)
        box = slide.shapes.add_textbox(Inches(0.5), Inches(y), Inches(width), Inches(6.75 - y))
        box.name = "Indicators by verdict"
        box.text_frame.word_wrap = True
        for n, (lead, names) in enumerate(named):
            para = box.text_frame.paragraphs[0] if n == 0 else box.text_frame.add_paragraph()
            _bold_lead(para, f"{lead}: ", names, size)
    _footer(slide, footer, number, total)

    # How the verdicts are worked out
    slide = new_slide(title_only)
    _place_title(slide, titles[2])
    points = method_points(pack)
    width = SLIDE_W_IN - 1.0
    lines = [f"{lead}: {text}" for lead, text in points]
    size = next(z for z in (16, 15, 14, 13, 12, 11) if _text_inches(lines, z, width) <= 5.35 or z == 11)
    box = slide.shapes.add_textbox(Inches(0.5), Inches(1.3), Inches(width), Inches(5.4))
    box.name = "Method"
    box.text_frame.word_wrap = True
    for n, (lead, text) in enumerate(points):
        para = box.text_frame.paragraphs[0] if n == 0 else box.text_frame.add_paragraph()
        _bold_lead(para, f"{lead}: ", text, size)
    _footer(slide, footer, number, total)

    index = 3
    for t in pack.themes:
        pages = _action_pages(t.actions)
        for page in pages:
            slide = new_slide(title_only)
            _place_title(slide, titles[index])
            index += 1
            table = _table(
                slide,
                ACTION_HEADER,
                action_rows(page),
                [1.3, 8.3, 2.7],
                1.35,
                size=12,
            )
            for i, a in enumerate(page, start=1):
                cell = table.cell(i, 2)
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(ACTION_FILLS.get(a.status or "", "EEEEEE"))
            _footer(slide, footer, number, total)
        for item in t.indicators:
            slide = new_slide(title_only)
            _place_title(slide, titles[index], size=24)
            index += 1
            pic = slide.shapes.add_picture(
                io.BytesIO(item.chart_png), Inches(0.5), Inches(1.35), height=Inches(CHART_INCHES)
            )
            pic.name = f"Chart: {item.shown.indicator.short_name}"
            pic._element.nvPicPr.cNvPr.set("descr", item.alt_text)  # noqa: SLF001 - alt text
            pic._element.nvPicPr.cNvPr.set("title", item.shown.indicator.name)  # noqa: SLF001
            left = 0.5 + pic.width / 914400 + 0.3
            _indicator_panel(slide, item, left, 1.35, SLIDE_W_IN - 0.5 - left, 6.75)
            _footer(slide, footer, number, total)

    props = prs.core_properties
    set_core_properties(props, pack)
    buf = io.BytesIO()
    prs.save(buf)
    return pin_zip(buf.getvalue(), pack.provenance.built_at)


# --- Word -------------------------------------------------------------------------------------------


def _docx_lang(doc) -> None:
    """British English for the whole document, so screen readers and spell checkers use it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")


def _docx_table(doc, header: list[str], rows: list[list[str]], widths_cm: list[float] | None = None):
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


def _docx_footer(section, text: str) -> None:
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


def write_docx(pack: Pack) -> bytes:
    """An accessible Word document: real headings, alt text on every chart, a data table after each."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

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
    footer = pack.provenance.footer("docx")
    _docx_footer(section, footer)
    headings = iter(docx_headings(pack))

    def heading(new_page: bool = False) -> None:
        level, text = next(headings)
        doc.add_heading(text, level=level).paragraph_format.page_break_before = new_page

    heading()
    for line in cover_lines(pack):
        doc.add_paragraph(line)

    heading()  # Summary
    doc.add_paragraph(pack.summary_sentence())
    header = pack.summary_header()
    numbers = len(header) - 1
    _docx_table(doc, header, pack.summary_rows(), [5.0] + [12.0 / numbers] * numbers)
    named = pack.named_lines()
    if named:
        doc.add_paragraph("The indicators with a target, by verdict:").paragraph_format.space_before = Pt(8)
        for lead, names in named:
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(f"{lead}: ").bold = True
            para.add_run(names)

    heading()  # How the verdicts are worked out
    for lead, text in method_points(pack):
        para = doc.add_paragraph(style="List Bullet")
        para.add_run(f"{lead}: ").bold = True
        para.add_run(text)
    rows = method_rows(pack)
    if rows:
        doc.add_paragraph(
            "The targets with a date in this pack, and what decides their pace:"
        ).paragraph_format.space_before = Pt(6)
        _docx_table(doc, METHOD_HEADER, rows, [4.4, 4.2, 3.0, 3.0, 2.4])

    for t in pack.themes:
        heading()  # theme
        doc.add_paragraph(f"Outcome: {t.theme.outcome}")
        heading()  # Actions
        _docx_table(
            doc,
            ACTION_HEADER,
            action_rows(t.actions),
            [2.0, 11.0, 4.0],
        )
        for item in t.indicators:
            heading(
                new_page=True
            )  # indicator: its verdict, its schemes or authorities and its chart on one page
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
            if item.shows_places:
                caption = doc.add_paragraph(
                    f"Data for the chart: {ind.name}, each local authority's latest figure and its own "
                    "verdict. The combined authority has no figure of its own."
                )
                caption.style = doc.styles["Caption"]
                caption.paragraph_format.keep_with_next = True  # never apart from its table
                _docx_table(doc, PLACE_HEADER, item.place_rows(), [4.6, 3.8, 3.0, 5.6])
            else:
                common = item.common_notes()
                phrases = {
                    "worked out from the seven local authorities": "is worked out from the seven local authorities",
                    "illustrative sample value": "is an illustrative sample value",
                }
                said = f" Every value {join_names([phrases.get(n, n) for n in common])}." if common else ""
                caption = doc.add_paragraph(
                    f"Data for the chart: {ind.name}, {series_label(item.shown)}.{said}"
                )
                caption.style = doc.styles["Caption"]
                caption.paragraph_format.keep_with_next = True  # never apart from its table
                _docx_table(
                    doc,
                    ["Period", f"Value ({ind.unit_label})", "Status of the figure", "Notes"],
                    item.table_rows(),
                    [3.2, 3.4, 3.4, 7.0],
                )
            note = doc.add_paragraph(
                f"Source: {ind.source_publication} from {ind.source_publisher}. "
                f"{statistics_status_text(ind.statistics_status, item.shown.illustrative)}."
            )
            note.runs[0].font.color.rgb = RGBColor.from_string(AF_GREY)
            note.paragraph_format.space_before = Pt(6)

    heading()  # About this pack
    doc.add_paragraph(footer)
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
                clock.long_date(u["uploaded_at"].date()),
            ]
            for u in pack.uploads
        ],
        [2.0, 8.0, 4.0, 3.0],
    )
    set_core_properties(doc.core_properties, pack)
    buf = io.BytesIO()
    doc.save(buf)
    return pin_zip(buf.getvalue(), pack.provenance.built_at)


# --- building, keeping and rebuilding ---------------------------------------------------------------


@dataclass(frozen=True)
class PackFile:
    data: bytes
    fmt: str
    title: str
    provenance: Provenance

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def file_name(self) -> str:
        theme = self.provenance.theme_id or "objective-2"
        return f"board-pack-{slug(theme)}-{self.provenance.status_date.isoformat()}.{self.fmt}"


def build_pack(
    theme_id: str | None = None,
    fmt: str = "pptx",
    *,
    db: Db = None,
    as_of: AsOf | None = None,
    status_date: dt.date | None = None,
    built_at: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
) -> PackFile:
    """A board pack for one theme or the whole objective, as PowerPoint or Word."""
    if fmt not in PACK_FORMATS:
        raise PackRefused(f"A board pack can be pptx or docx, not '{fmt}'.")
    pack = gather(
        theme_id, db=db, as_of=as_of, status_date=status_date, built_at=built_at, catalogue=catalogue
    )
    data = write_pptx(pack) if fmt == "pptx" else write_docx(pack)
    return PackFile(data, fmt, pack.title, pack.provenance)


def keep_as(user, pack: PackFile, *, board: str, presented_on: dt.date, db: Db = None) -> int:
    """Keep a pack as `user`: keeping writes to the store, so it takes a role that may write
    (analysts and admins); a viewer, or anyone on a read-only deployment, is refused and the
    refusal is kept in the audit log, as for uploads."""
    from metrics.auth import NotAllowed, require
    from metrics.uploads import record_refusal

    try:
        require(user, "upload")
    except NotAllowed:
        record_refusal(user, "keep pack", db=db, detail=pack.file_name)
        raise
    return keep(pack, board=board, presented_on=presented_on, user=user.id, db=db)


def keep(
    pack: PackFile,
    *,
    board: str,
    presented_on: dt.date,
    user: str = "local analyst",
    db: Db = None,
) -> int:
    """Keep a pack in the "as presented" archive: for which board, on which date, built from what."""
    board = clean_text(board).strip()
    if not board:
        raise PackRefused("Enter the name of the board or meeting the pack is for, for example 'WMCA Board'.")
    p = pack.provenance
    with connect(db) as con, transaction(con):
        new_id = int(scalar(con, "next_board_pack_id"))
        execute(
            con,
            "insert_board_pack",
            {
                "id": new_id,
                "title": pack.title,
                "board": board,
                "presented_on": presented_on,
                "theme_id": p.theme_id,
                "format": pack.fmt,
                "built_at": p.built_at,
                "built_by": user,
                "status_date": p.status_date,
                "as_of_upload": p.as_of.upload_id,
                "undone_uploads": list(p.as_of.undone),
                "uploads": list(p.uploads),
                "file_name": pack.file_name,
                "sha256": pack.sha256,
                "size_bytes": len(pack.data),
            },
        )
    return new_id


def archive(db: Db = None) -> list[dict[str, Any]]:
    """The packs kept as presented, newest presentation first."""
    with connect(db, read_only=True) as con:
        return fetch_dicts(con, "list_board_packs")


def archived(pack_id: int, db: Db = None) -> dict[str, Any]:
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(con, "get_board_pack", {"id": pack_id})
    if not rows:
        raise PackRefused(f"There is no kept pack {pack_id}. 'kpi export archive' lists them.")
    return rows[0]


def rebuild(
    pack_id: int, db: Db = None, catalogue: Catalogue | None = None
) -> tuple[PackFile, dict[str, Any]]:
    """A kept pack built again from the data as it stood, judged at the same date: the same file."""
    rec = archived(pack_id, db)
    pack = build_pack(
        rec["theme_id"],
        rec["format"],
        db=db,
        as_of=AsOf(int(rec["as_of_upload"]), tuple(rec["undone_uploads"])),
        status_date=rec["status_date"],
        built_at=rec["built_at"],
        catalogue=catalogue,
    )
    return pack, rec


def pack_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in PACK_FORMATS else ""
