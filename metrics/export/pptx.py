"""The board pack as PowerPoint slides: cover, summary, method, each theme's actions and charts with their data.

Only layout: the words and rows come from the pack model (`metrics.export.pack`), the
method (`metrics.export.method`) and what both writers share (`metrics.export.style`).
Nothing on a slide is cut to fit: text is measured (`metrics.export.measure`) and a font
steps down, or a table goes over more slides (`metrics.export.paging`), until everything
fits above the footer. Every chart has its data as the Word pack has it: the seven
authorities' table beside their chart, a series' table on the slide after it. Footers say
where the pack is from, its date and its reference; what it was built from and the command
that builds it again are said once, on the last slides ("About this pack"). The file's zip
entries are dated from the pack's provenance, so the same pack gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from metrics.dashboard import ActionView
from metrics.export.files import pin_zip
from metrics.export.measure import cell_inches, line_count, table_inches, text_inches
from metrics.export.method import METHOD_TITLE, method_points
from metrics.export.pack import PLACE_HEADER, Pack, PackIndicator, PackTheme
from metrics.export.paging import TableLayout, pages, table_layout
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

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
CHART_INCHES = 5.4  # a chart's height on its slide, between the title and the footer
ACTION_TABLE_INCHES = 5.3  # between the title and the footer
ACTION_TEXT_INCHES = 8.3  # the plan's text column
ACTION_LINE_INCHES = 0.2
ACTION_ROW_INCHES = 0.12  # a row's cell margins
FONT = "Arial"  # as the charts and the Word pack; Liberation Sans has the same widths where Arial is missing
# A verdict's box is tinted by its colour; the verdict itself is always in words beside it.
RAG_FILLS = {"green": "DDF0EE", "amber": "FDE3D3", "red": "F2D5E1", "none": "EEEEEE"}
ACTION_FILLS = {
    "complete": "DDF0EE",
    "on_track": "DDF0EE",
    "at_risk": "FDE3D3",
    "off_track": "F2D5E1",
    "not_started": "EEEEEE",
}


def _rgb(hex_text: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_text)


def _action_pages(actions: list[ActionView]) -> list[list[ActionView]]:
    """Actions split over slides so the plan's text is shown whole, never cut to fit."""
    heights = [
        ACTION_ROW_INCHES + ACTION_LINE_INCHES * line_count(a.text, 12, ACTION_TEXT_INCHES - 0.2)
        for a in actions
    ]
    head = ACTION_ROW_INCHES + ACTION_LINE_INCHES
    return [[actions[i] for i in page] for page in pages(heights, head, ACTION_TABLE_INCHES)]


CONTENT_W = SLIDE_W_IN - 1.0  # between the slide's side margins
CONTENT_TOP, CONTENT_BOTTOM = 1.35, 6.75  # under the title, above the footer
INTRO_SIZE = 14  # the line over a table slide's table


@dataclass(frozen=True)
class _Block:
    """Lines over a table slide's table: paragraphs, or a command in a fixed-width font."""

    lines: list[str]
    size: float = INTRO_SIZE
    mono: bool = False

    @property
    def height(self) -> float:
        if self.mono:  # each line was made to fit (About.command_lines): one line each
            return len(self.lines) * self.size * 1.2 / 72 + 0.1
        return text_inches(self.lines, self.size, CONTENT_W)


TABLE_ROOM = CONTENT_BOTTOM - CONTENT_TOP  # a table slide's room, with no lines over the table


def _room(blocks: list[_Block]) -> float:
    """The height left for a table under these blocks, above the footer."""
    return TABLE_ROOM - sum(b.height + 0.1 for b in blocks)


def _data_blocks(item: PackIndicator) -> list[_Block]:
    return [_Block([item.data_context()])]


def _data_layout(item: PackIndicator) -> TableLayout:
    """The chart's data on slides after the chart: what they hold first, then the table, as long as it needs."""
    return table_layout(
        item.data_header(), item.data_rows(), CONTENT_W, TABLE_ROOM, first=_room(_data_blocks(item))
    )


def _about_blocks(pack: Pack) -> list[_Block]:
    """What the pack was built from, the command that builds it again (to be copied as it is), the note."""
    text = about(pack, "pptx")
    size = next(
        z for z in (14, 13, 12, 11, 10) if len(text.command_lines(z, CONTENT_W - 0.2)) <= 2 or z == 10
    )
    command = _Block(text.command_lines(size, CONTENT_W - 0.2), size, mono=True)
    return [_Block([text.built, REBUILD_LEAD]), command, _Block([text.note])]


def _about_layout(pack: Pack) -> TableLayout:
    """The pack's provenance on the last slides, then the uploads it shows."""
    return table_layout(
        UPLOAD_HEADER,
        upload_rows(pack),
        CONTENT_W,
        TABLE_ROOM,
        first=_room(_about_blocks(pack)),
        sizes=(11, 10),
    )


def _numbered(title: str, n: int, total: int) -> str:
    return title + (f" ({n} of {total})" if total > 1 else "")


def data_title(item: PackIndicator) -> str:
    """The title of the slide holding a chart's data."""
    return f"Data for the chart: {item.shown.indicator.name}"


SUMMARY_TITLE = "Summary: indicator verdicts by theme"


def slide_titles(pack: Pack) -> list[str]:
    """The title of every slide the PowerPoint pack has, in order (the tests check the file against it)."""
    titles = [pack.title, SUMMARY_TITLE, METHOD_TITLE]
    for t in pack.themes:
        action_pages = _action_pages(t.actions)
        titles += [
            _numbered(f"{t.theme.name}: actions", n, len(action_pages))
            for n in range(1, len(action_pages) + 1)
        ]
        for i in t.indicators:
            titles.append(i.shown.indicator.name)
            if i.commentary_points():
                titles.append(f"Owner's commentary: {i.shown.indicator.name}")
            if not i.shows_places:  # the seven authorities' data is the table beside their chart
                n_data = len(_data_layout(i).slides)
                titles += [_numbered(data_title(i), n, n_data) for n in range(1, n_data + 1)]
    n_about = len(_about_layout(pack).slides)
    return titles + [_numbered(ABOUT_TITLE, n, n_about) for n in range(1, n_about + 1)]


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
    from pptx.util import Inches, Pt

    heights = [max(min_row, cell_inches(r, widths, size)) for r in [header, *rows]]
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
                para.font.size = Pt(size)  # an empty cell's line is this tall too, not the default 18 pt
                for run in para.runs:
                    _font(run, size)
    return table


def _panel_table(item: PackIndicator, width: float) -> tuple[str | None, list[str], list[float]]:
    """The table beside the chart, if any: its heading, header and column widths.

    The seven authorities where the verdict rests on them, else the schemes breaking a floor.
    """
    if item.shows_places:  # the chart's data, as the Word pack gives it under the chart
        heading = "Data for the chart: each local authority's latest figure and its own verdict"
        return heading, PLACE_HEADER, [1.9, 1.5, 0.8, width - 4.2]
    if item.breaking_heading():
        return item.breaking_heading(), ["Scheme", "Share"], [width - 1.3, 1.3]
    return None, [], []


@dataclass
class _PanelFit:
    """The sizes at which a panel fits: its fonts, its boxes' heights, and the table rows shown."""

    size: float
    small: float
    text_h: float
    details_h: float
    heading_h: float
    rows: list[list[str]]
    more: int  # schemes not listed


def _fit_panel(
    item: PackIndicator,
    details: list[str],
    table: tuple[str | None, list[str], list[float]],
    width: float,
    top: float,
    bottom: float,
) -> _PanelFit:
    """The largest font (14 pt down to 10) at which the panel fits, with the schemes cut to the worst ones."""
    heading, header, widths = table
    gap = 0.12
    heading_h = 0.0
    for size in (14, 13, 12, 11, 10):
        small = max(size - 2, 9)
        text_h = text_inches([item.commentary], size, width)
        details_h = text_inches(details, small, width, space_after=3)
        room = bottom - top - text_h - details_h - gap
        rows: list[list[str]] = []
        more = 0
        table_h = 0.0
        if heading:
            room -= gap
            heading_h = text_inches([heading], small, width)
            if item.shows_places:
                rows = item.place_rows()
            else:
                rows, _ = item.breaking_rows()
                while len(rows) > 1 and heading_h + table_inches(header, rows, widths, small) + 0.35 > room:
                    rows = rows[:-1]
                more = len(item.progress.breaking) - len(rows)
            table_h = heading_h + table_inches(header, rows, widths, small) + (0.35 if more else 0)
        if table_h <= room or size == 10:
            break
    return _PanelFit(size, small, text_h, details_h, heading_h, rows, more)


def _panel_table_shapes(
    slide: Any,
    item: PackIndicator,
    fit: _PanelFit,
    table: tuple[str | None, list[str], list[float]],
    left: float,
    y: float,
    width: float,
) -> float:
    """The panel's table under its heading (and the count of schemes not listed); where the next box goes."""
    from pptx.util import Inches

    heading, header, widths = table
    cap = slide.shapes.add_textbox(Inches(left), Inches(y), Inches(width), Inches(fit.heading_h))
    cap.name = "Table heading"
    _text(cap.text_frame, [heading or ""], fit.small, bold_first=True, color=AF_BLUE)
    y += fit.heading_h
    shape = _table(slide, header, fit.rows, widths, y, fit.small, left=left, min_row=0, name="Table")
    if item.shows_places:
        for i, p in enumerate(item.progress.places or (), start=1):
            shape.cell(i, len(header) - 1).fill.fore_color.rgb = _rgb(RAG_FILLS.get(p.rag, "FFFFFF"))
    y += table_inches(header, fit.rows, widths, fit.small)  # the rows' heights as _table set them
    if fit.more:
        note = slide.shapes.add_textbox(Inches(left), Inches(y), Inches(width), Inches(0.35))
        note.name = "Table note"
        _text(note.text_frame, [f"And {fit.more} more: the Indicator page lists every scheme."], fit.small)
        y += 0.35
    return y


def _indicator_panel(
    slide: Any, item: PackIndicator, left: float, top: float, width: float, bottom: float
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
    table = _panel_table(item, width)
    gap = 0.12
    fit = _fit_panel(item, details, table, width, top, bottom)
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(fit.text_h))
    box.name = "Commentary"
    box.text_frame.word_wrap = True
    _bold_lead(box.text_frame.paragraphs[0], *verdict_lead(item.commentary, pr.verdict), fit.size)
    box.fill.solid()
    box.fill.fore_color.rgb = _rgb(RAG_FILLS.get(pr.rag, RAG_FILLS["none"]))
    y = top + fit.text_h + gap
    if table[0]:
        y = _panel_table_shapes(slide, item, fit, table, left, y, width) + gap
    info = slide.shapes.add_textbox(Inches(left), Inches(y), Inches(width), Inches(fit.details_h))
    info.name = "Details"
    _text(info.text_frame, details, fit.small, color=AF_GREY)
    for para in info.text_frame.paragraphs:
        para.space_after = Pt(3)


class _Deck:
    """The presentation being written: slides are numbered as they are added, each with the footer."""

    def __init__(self, pack: Pack) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
        self.title_layout, self.title_only = self.prs.slide_layouts[0], self.prs.slide_layouts[5]
        self.titles = slide_titles(pack)
        self.footer = footer_text(pack)
        self.number = 0

    def new_slide(self, layout: Any = None) -> Any:
        self.number += 1
        return self.prs.slides.add_slide(self.title_only if layout is None else layout)

    @property
    def title(self) -> str:
        """The title of the slide last added (slide_titles lists them in order)."""
        return self.titles[self.number - 1]

    def finish(self, slide: Any) -> None:
        _footer(slide, self.footer, self.number, len(self.titles))


def _cover_slide(deck: _Deck, pack: Pack) -> None:
    from pptx.util import Inches

    slide = deck.new_slide(deck.title_layout)
    _place_title(slide, pack.title, top=1.6, height=1.6, size=36)
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = Inches(0.5), Inches(3.4), Inches(SLIDE_W_IN - 1.0), Inches(2.6)
    sub.text_frame.clear()
    _text(sub.text_frame, cover_lines(pack), 20, color=AF_GREY)
    for para in sub.text_frame.paragraphs:
        para.alignment = 1
    deck.finish(slide)


def _summary_slide(deck: _Deck, pack: Pack) -> None:
    """Every theme's count of indicators by verdict, then the indicators with a target named by verdict."""
    from pptx.util import Inches

    slide = deck.new_slide()
    _place_title(slide, deck.title)
    box = slide.shapes.add_textbox(Inches(0.5), Inches(1.3), Inches(SLIDE_W_IN - 1.0), Inches(0.9))
    box.name = "Summary"
    _text(box.text_frame, [pack.summary_sentence()], 16)
    header = pack.summary_header()
    numbers = len(header) - 1
    widths = [4.3] + [(SLIDE_W_IN - 1.0 - 4.3) / numbers] * numbers
    _table(slide, header, pack.summary_rows(), widths, 2.4, size=14, name="Summary table")
    named = pack.named_lines()
    if named:
        y = 2.4 + sum(max(0.4, cell_inches(r, widths, 14)) for r in [header, *pack.summary_rows()]) + 0.2
        _lead_box(slide, "Indicators by verdict", named, y, 6.75 - y, (14, 13, 12, 11, 10), 6.75 - y)
    deck.finish(slide)


def _method_slide(deck: _Deck, pack: Pack) -> None:
    slide = deck.new_slide()
    _place_title(slide, deck.title)
    _lead_box(slide, "Method", method_points(pack), 1.3, 5.4, (16, 15, 14, 13, 12, 11), 5.35)
    deck.finish(slide)


def _lead_box(
    slide: Any,
    name: str,
    points: list[tuple[str, str]],
    top: float,
    height: float,
    sizes: tuple[int, ...],
    room: float,
) -> None:
    """A slide-wide box of paragraphs, each led by its words in bold ("Off track: ..."), at the largest of
    `sizes` whose text fits in `room` inches (else the smallest)."""
    from pptx.util import Inches

    width = SLIDE_W_IN - 1.0
    lines = [f"{lead}: {text}" for lead, text in points]
    size = next(z for z in sizes if text_inches(lines, z, width) <= room or z == sizes[-1])
    box = slide.shapes.add_textbox(Inches(0.5), Inches(top), Inches(width), Inches(height))
    box.name = name
    box.text_frame.word_wrap = True
    for n, (lead, text) in enumerate(points):
        para = box.text_frame.paragraphs[0] if n == 0 else box.text_frame.add_paragraph()
        _bold_lead(para, f"{lead}: ", text, size)


def _action_slides(deck: _Deck, theme: PackTheme) -> None:
    """A theme's actions, over as many slides as the plan's text needs, each status tinted by its colour."""
    for page in _action_pages(theme.actions):
        slide = deck.new_slide()
        _place_title(slide, deck.title)
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
        deck.finish(slide)


def _indicator_slide(deck: _Deck, item: PackIndicator) -> None:
    """A headline indicator: its chart (with alt text) on the left, the panel beside it."""
    from pptx.util import Inches

    slide = deck.new_slide()
    _place_title(slide, deck.title, size=24)
    pic = slide.shapes.add_picture(
        io.BytesIO(item.chart_png), Inches(0.5), Inches(1.35), height=Inches(CHART_INCHES)
    )
    pic.name = f"Chart: {item.shown.indicator.short_name}"
    pic._element.nvPicPr.cNvPr.set("descr", item.alt_text)  # noqa: SLF001 - alt text
    pic._element.nvPicPr.cNvPr.set("title", item.shown.indicator.name)  # noqa: SLF001
    left = 0.5 + pic.width / 914400 + 0.3
    _indicator_panel(slide, item, left, 1.35, SLIDE_W_IN - 0.5 - left, 6.75)
    deck.finish(slide)


def _commentary_slide(deck: _Deck, item: PackIndicator) -> None:
    """After a chart: what its owner says (approved), and any figure revised since a board saw it."""
    slide = deck.new_slide()
    _place_title(slide, deck.title, size=24)
    _lead_box(
        slide, "Owner's commentary", item.commentary_points(), 1.35, 5.4, (16, 15, 14, 13, 12, 11, 10), 5.35
    )
    deck.finish(slide)


def _table_slides(deck: _Deck, layout: TableLayout, header: list[str], blocks: list[_Block]) -> None:
    """A long table over the slides `layout` gives, side by side where two fit, under `blocks` on the first."""
    from pptx.util import Inches

    for n, tables in enumerate(layout.slides):
        slide = deck.new_slide()
        _place_title(slide, deck.title, size=24)
        top = CONTENT_TOP
        for block in blocks if n == 0 else []:
            box = slide.shapes.add_textbox(Inches(0.5), Inches(top), Inches(CONTENT_W), Inches(block.height))
            box.name = "Command" if block.mono else "Table heading"
            _text(box.text_frame, block.lines, block.size)
            if block.mono:
                for para in box.text_frame.paragraphs:
                    para.space_after = 0
                    for run in para.runs:
                        run.font.name = MONO
            top += block.height + 0.1
        for k, rows in enumerate(tables):
            left = 0.5 + k * (layout.table_width + 0.3)
            _table(slide, header, rows, layout.widths, top, layout.size, left=left, min_row=0, name="Table")
        deck.finish(slide)


def _data_slides(deck: _Deck, item: PackIndicator) -> None:
    """After a chart, its data: every value exactly as the Word pack and the dashboard give it."""
    _table_slides(deck, _data_layout(item), item.data_header(), _data_blocks(item))


def _about_slides(deck: _Deck, pack: Pack) -> None:
    """The pack's provenance, once: the uploads it shows and how to build it again (not in every footer)."""
    _table_slides(deck, _about_layout(pack), UPLOAD_HEADER, _about_blocks(pack))


def write_pptx(pack: Pack) -> bytes:
    """Slides: cover, summary, method, then per theme its actions and each headline indicator's chart and
    data; last, what the pack was built from."""
    deck = _Deck(pack)
    _cover_slide(deck, pack)
    _summary_slide(deck, pack)
    _method_slide(deck, pack)
    for t in pack.themes:
        _action_slides(deck, t)
        for item in t.indicators:
            _indicator_slide(deck, item)
            if item.commentary_points():
                _commentary_slide(deck, item)
            if not item.shows_places:
                _data_slides(deck, item)
    _about_slides(deck, pack)
    set_core_properties(deck.prs.core_properties, pack)
    buf = io.BytesIO()
    deck.prs.save(buf)
    return pin_zip(buf.getvalue(), pack.provenance.built_at)
