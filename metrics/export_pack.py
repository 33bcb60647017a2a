"""The board pack (PowerPoint and Word) and the "as presented" archive of packs.

A pack is gathered once into a plain model (`Pack`) from `metrics.dashboard`, the
same calls `kpi show` makes, so every number in it is the number the dashboard
shows; then it is written as slides or as an accessible Word document.

Every pack is built from a snapshot of the store (`AsOf`: the newest upload and
the uploads undone by then) and says so in its footer and in its document
properties, so the same pack can be built again later from the same data even
after new uploads or undos. Packs kept for a board are listed in the store's
`board_pack` table; rebuilding one reads the data as it then stood and the date
its statuses were judged at, and gives the same file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from metrics import clock
from metrics.catalogue import ACTION_STATUS_LABELS, Catalogue, Indicator, Theme, default_catalogue
from metrics.dashboard import (
    ActionView,
    AsOf,
    Db,
    Shown,
    all_progress,
    freshness,
    theme_actions,
    theme_summary,
)
from metrics.export import (
    APP_NAME,
    NO_DATA_WORD,
    STATUS_WORDS,
    as_at_text,
    chart_figure,
    pin_zip,
    render_figure,
    series_label,
    slug,
    statistics_status_text,
    status_word,
    target_text,
    timeline,
)
from metrics.progress import format_value
from metrics.series import MISSING_REASONS, Point
from metrics.store import connect, execute, fetch_dicts, scalar, transaction

PACK_FORMATS = ("pptx", "docx")
PROVENANCE_MARK = "kpi-pack/1"
AF_BLUE = "12436D"
AF_GREY = "3D3D3D"
STATUS_FILLS = {"green": "DDF0EE", "amber": "FDE3D3", "red": "F2D5E1", "none": "EEEEEE", "no_data": "EEEEEE"}
ACTION_FILLS = {
    "complete": "DDF0EE",
    "on_track": "DDF0EE",
    "at_risk": "FDE3D3",
    "off_track": "F2D5E1",
    "not_started": "EEEEEE",
}


class PackRefused(ValueError):
    """The pack cannot be built as asked; the message says what to change."""


# --- what a pack is built from ----------------------------------------------------------------------


def _ranges(ids: tuple[int, ...]) -> str:
    """1, 2, 3, 5 -> "1 to 3 and 5": upload ids as a reader can check them against 'kpi uploads'."""
    if not ids:
        return "none"
    parts, start, prev = [], ids[0], ids[0]
    for n in (*ids[1:], None):
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start} to {prev}")
        if n is not None:
            start = prev = n
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


@dataclass(frozen=True)
class Provenance:
    """Which data a pack shows and when its statuses were judged: enough to build it again."""

    as_of: AsOf
    uploads: tuple[int, ...]  # the uploads whose figures it shows
    built_at: dt.datetime
    status_date: dt.date
    theme_id: str | None

    def rebuild_command(self, fmt: str) -> str:
        parts = ["kpi export pack"]
        if self.theme_id:
            parts.append(f"--theme {self.theme_id}")
        parts.append(f"--format {fmt}")
        parts.append(f"--as-of-upload {self.as_of.upload_id}")
        if self.as_of.undone:
            parts.append(f"--undone {','.join(map(str, self.as_of.undone))}")
        parts.append(f"--status-date {self.status_date.isoformat()}")
        return " ".join(parts)

    def footer(self, fmt: str) -> str:
        """The footer every page or slide carries: the uploads it was built from, and how to rebuild it."""
        undone = (
            f"; undone upload{'s' if len(self.as_of.undone) > 1 else ''} "
            f"{_ranges(self.as_of.undone)} left out"
            if self.as_of.undone
            else ""
        )
        return (
            f"Built {clock.long_date(self.status_date)} from uploads {_ranges(self.uploads)}{undone}. "
            f"To build it again from the same data: {self.rebuild_command(fmt)}"
        )

    def reference(self) -> str:
        """One machine-readable line kept in the file's document properties."""
        return (
            f"{PROVENANCE_MARK} theme={self.theme_id or 'all'} as_of_upload={self.as_of.upload_id} "
            f"undone={','.join(map(str, self.as_of.undone))} status_date={self.status_date.isoformat()} "
            f"built_at={self.built_at.isoformat()}"
        )

    @classmethod
    def parse(cls, text: str) -> dict[str, Any] | None:
        """The fields of `reference()` read back from a pack's properties (None if it is not one)."""
        if not text or not text.startswith(PROVENANCE_MARK):
            return None
        fields = dict(part.split("=", 1) for part in text.split()[1:] if "=" in part)
        return {
            "theme_id": None if fields.get("theme") in (None, "all") else fields["theme"],
            "as_of_upload": int(fields["as_of_upload"]),
            "undone": tuple(int(x) for x in fields.get("undone", "").split(",") if x),
            "status_date": dt.date.fromisoformat(fields["status_date"]),
            "built_at": dt.datetime.fromisoformat(fields["built_at"]),
        }


def current_snapshot(db: Db = None) -> tuple[AsOf, tuple[int, ...]]:
    """The store as it is now: its newest upload, the uploads undone so far, the uploads shown."""
    with connect(db, read_only=True) as con:
        row = fetch_dicts(con, "upload_snapshot")[0]
    return AsOf(int(row["as_of_upload"]), tuple(row["undone_uploads"])), tuple(row["uploads"])


def uploads_as_of(as_of: AsOf, db: Db = None) -> list[dict[str, Any]]:
    """The uploads whose figures a pack built from this snapshot shows."""
    with connect(db, read_only=True) as con:
        return fetch_dicts(con, "uploads_as_of", as_of.params())


def headline_indicators(theme_id: str, catalogue: Catalogue | None = None) -> list[Indicator]:
    """A theme's headline indicators: those with a target, else the first two of the theme."""
    catalogue = catalogue or default_catalogue()
    inds = list(catalogue.indicators_for_theme(theme_id))
    with_target = [i for i in inds if i.target is not None]
    return with_target or inds[:2]


# --- the commentary ---------------------------------------------------------------------------------


def _year_before(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def _lower_first(text: str) -> str:
    return text if len(text) > 1 and text[1].isupper() else text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _change(ind: Indicator, now: float, then: float) -> tuple[str, float]:
    """The change between two shown values, worked out from the values as shown (rounded)."""
    d = 0 if ind.unit == "count" else ind.decimals
    delta = round(round(now, d) - round(then, d), d)
    if ind.unit == "percent":
        size = abs(delta)
        text = f"{size:,.{d}f} percentage point{'' if size == 1 else 's'}"
    else:
        text = format_value(ind, abs(delta))
    return text, delta


def commentary(shown: Shown) -> str:
    """Two sentences for a board paper, generated from the numbers: where it is and how it is doing.

    The first gives the latest value against a year earlier (or the period before,
    for yearly series); the second gives the status in words with the reason the
    progress rules found, so the paper and the dashboard say the same thing.
    """
    ind, pr = shown.indicator, shown.progress
    name = _upper_first(ind.short_name)
    place = shown.geography.name
    valued = [p for p in shown.series if p.value is not None]
    if not valued and shown.local_latest:
        return pr.reason
    if not valued:
        return (
            f"There are no figures yet for {_lower_first(ind.short_name)} in {place}. "
            "Without figures it has no status."
        )
    last = valued[-1]
    assert last.value is not None
    verb = "had reached" if ind.is_cumulative else "was"
    first = f"{name} {verb} {format_value(ind, last.value)} in {last.period}"
    earlier = [p for p in valued[:-1] if p.end == _year_before(last.end)]
    compare: Point | None = earlier[-1] if earlier else (valued[-2] if len(valued) > 1 else None)
    if compare is None:
        first += ", the first figure in the series."
    else:
        assert compare.value is not None
        size, delta = _change(ind, last.value, compare.value)
        if delta == 0:
            first += f", the same as in {compare.period}."
        else:
            direction = "up" if delta > 0 else "down"
            first += f", {direction} {size} from {format_value(ind, compare.value)} in {compare.period}."
    prefix = f"{ind.short_name} is {format_value(ind, last.value)} ({last.period})"
    reason = pr.reason
    tail = reason[len(prefix) :].lstrip(",;: ") if reason.startswith(prefix) else _lower_first(reason)
    if pr.rag == "none":
        second = _upper_first(tail)
    else:
        second = f"It is {STATUS_WORDS[pr.rag].lower()}: {tail}"
    if not second.endswith("."):
        second += "."
    return f"{first} {second}"


# --- the pack model ---------------------------------------------------------------------------------


@dataclass
class PackIndicator:
    shown: Shown
    chart_png: bytes
    alt_text: str
    commentary: str

    @property
    def status(self) -> str:
        pr = self.shown.progress
        return status_word(pr.rag, pr.latest_value is not None)

    def _notes(self, p: Point | None) -> list[str]:
        if p is None:
            return ["no figure uploaded for this period"]
        notes = []
        if p.value is None:
            why = MISSING_REASONS.get((p.missing or "").strip("[]").lower())
            notes.append(f"missing: {why}" if why else "missing")
        if p.derived:
            notes.append("worked out from the seven local authorities")
        if p.illustrative:
            notes.append("illustrative sample value")
        return notes

    def common_notes(self) -> list[str]:
        """Notes true of every value in the table, said once above it rather than on every row."""
        rows = [
            self._notes(p) for _, _, _, p in timeline(self.shown) if p is not None and p.value is not None
        ]
        return [n for n in rows[0] if all(n in r for r in rows)] if rows else []

    def table_rows(self) -> list[list[str]]:
        """The chart's data as the pack prints it: every value exactly as `format_value` shows it."""
        ind = self.shown.indicator
        common = set(self.common_notes())
        rows = []
        for label, _, _, p in timeline(self.shown):
            notes = [n for n in self._notes(p) if n not in common]
            value = format_value(ind, p.value, p.missing) if p is not None else "no figure"
            status = p.status.capitalize() if p is not None else ""
            rows.append([label, value, status, _upper_first("; ".join(notes))])
        return rows


@dataclass
class PackTheme:
    theme: Theme
    counts: dict[str, int]
    actions: list[ActionView]
    indicators: list[PackIndicator]


@dataclass
class Pack:
    title: str
    objective: str
    period: str
    data_as_at: dt.date | None
    provenance: Provenance
    themes: list[PackTheme]
    uploads: list[dict[str, Any]] = field(default_factory=list)

    @property
    def indicators(self) -> list[PackIndicator]:
        return [i for t in self.themes for i in t.indicators]

    def summary_sentence(self) -> str:
        total = {
            k: sum(t.counts[k] for t in self.themes) for k in ("green", "amber", "red", "none", "no_data")
        }
        n = sum(total.values())
        return (
            f"Of the {n} indicators in this pack, {total['green']} {'is' if total['green'] == 1 else 'are'} "
            f"on track, {total['amber']} at risk and {total['red']} off track; {total['none']} "
            f"{'has' if total['none'] == 1 else 'have'} no status (no target, or too little data to judge) "
            f"and {total['no_data']} {'has' if total['no_data'] == 1 else 'have'} no data yet."
        )


SUMMARY_COLUMNS = [
    ("green", STATUS_WORDS["green"]),
    ("amber", STATUS_WORDS["amber"]),
    ("red", STATUS_WORDS["red"]),
    ("none", STATUS_WORDS["none"]),
    ("no_data", NO_DATA_WORD),
]


def _period_text(shown: list[Shown]) -> str:
    points = [p for s in shown for p in s.series if p.value is not None]
    if not points:
        return "No figures yet"
    last = max(points, key=lambda p: (p.end, p.start))
    return f"Figures for periods up to {clock.long_date(last.end)}"


def gather(
    theme_id: str | None = None,
    *,
    db: Db = None,
    as_of: AsOf | None = None,
    status_date: dt.date | None = None,
    built_at: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
) -> Pack:
    """Everything a pack shows, read once from a snapshot of the store and drawn once."""
    catalogue = catalogue or default_catalogue()
    themes = list(catalogue.themes)
    if theme_id:
        if theme_id not in {t.id for t in themes}:
            ids = ", ".join(t.id for t in themes)
            raise PackRefused(f"There is no theme '{theme_id}'. Use one of: {ids}.")
        themes = [catalogue.theme(theme_id)]
    if as_of is None:
        as_of, uploads = current_snapshot(db)
        upload_rows = uploads_as_of(as_of, db)
    else:
        upload_rows = uploads_as_of(as_of, db)
        uploads = tuple(r["id"] for r in upload_rows)
    status_date = status_date or clock.today()
    built_at = (built_at or clock.now()).replace(microsecond=0)
    shown_all = all_progress(db=db, today=status_date, catalogue=catalogue, as_of_upload=as_of)
    as_at = freshness(db=db, as_of_upload=as_of).data_as_at
    summary = {row["theme"].id: row for row in theme_summary(shown_all, catalogue)}
    from metrics import charts

    # Chromium draws each chart while Python lays out the next one.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kpi-pack-chart") as drawing:
        drawn: dict[str, Future[bytes]] = {}
        for t in themes:
            for ind in headline_indicators(t.id, catalogue):
                fig = chart_figure(shown_all[ind.id], as_at, "full")
                drawn[ind.id] = drawing.submit(render_figure, fig, "png", "full")
        pack_themes = []
        for t in themes:
            indicators = []
            for ind in headline_indicators(t.id, catalogue):
                shown = shown_all[ind.id]
                indicators.append(
                    PackIndicator(
                        shown=shown,
                        chart_png=b"",
                        alt_text=charts.describe(shown),
                        commentary=commentary(shown),
                    )
                )
            counts = {k: summary[t.id][k] for k, _ in SUMMARY_COLUMNS}
            actions = theme_actions(t.id, db=db, catalogue=catalogue, as_of_upload=as_of)
            pack_themes.append(PackTheme(t, counts, actions, indicators))
        try:
            for item in (i for t in pack_themes for i in t.indicators):
                item.chart_png = drawn[item.shown.indicator.id].result()
        except BaseException:
            for f in drawn.values():
                f.cancel()
            raise
    in_pack = [shown_all[i.id] for t in themes for i in catalogue.indicators_for_theme(t.id)]
    title = (
        f"{themes[0].name}: board pack"
        if theme_id
        else "Equity and Inclusion Scheme 2022-24, Objective 2: board pack"
    )
    return Pack(
        title=title,
        objective=catalogue.objective_name,
        period=_period_text(in_pack),
        data_as_at=as_at,
        provenance=Provenance(as_of, tuple(uploads), built_at, status_date, theme_id),
        themes=pack_themes,
        uploads=upload_rows,
    )


def _action_status(a: ActionView) -> str:
    if a.status is None:
        return "No status reported"
    word = ACTION_STATUS_LABELS.get(a.status, a.status)
    return f"{word} ({a.period})" if a.period else word


def _cover_lines(pack: Pack) -> list[str]:
    return [
        pack.objective,
        pack.period,
        as_at_text(pack.data_as_at),
        f"Statuses judged at {clock.long_date(pack.provenance.status_date)}",
    ]


# --- PowerPoint -------------------------------------------------------------------------------------

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
CHART_INCHES = 5.4  # a chart's height on its slide, between the title and the footer
ACTION_TABLE_INCHES = 5.3  # between the title and the footer
ACTION_CHARS_PER_LINE = 95  # in the 8.3-inch text column at 12 pt
ACTION_LINE_INCHES = 0.2
ACTION_ROW_INCHES = 0.12  # a row's cell margins


def _rgb(hex_text: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_text)


def _action_pages(actions: list[ActionView]) -> list[list[ActionView]]:
    """Actions split over slides so the plan's text is shown whole, never cut to fit."""
    head = ACTION_ROW_INCHES + ACTION_LINE_INCHES

    def height(a: ActionView) -> float:
        return ACTION_ROW_INCHES + ACTION_LINE_INCHES * math.ceil(len(a.text) / ACTION_CHARS_PER_LINE)

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


def slide_titles(pack: Pack) -> list[str]:
    """The title of every slide the PowerPoint pack has, in order (the tests check the file against it)."""
    titles = [pack.title, "Summary: indicator status by theme"]
    for t in pack.themes:
        pages = _action_pages(t.actions)
        for n, _ in enumerate(pages, start=1):
            titles.append(f"{t.theme.name}: actions" + (f" ({n} of {len(pages)})" if len(pages) > 1 else ""))
        for i in t.indicators:
            titles.append(i.shown.indicator.name)
    return titles


def _text(frame, lines: list[str], size: int, *, bold_first: bool = False, color: str = "0B0C0C") -> None:
    from pptx.util import Pt

    frame.word_wrap = True
    for n, line in enumerate(lines):
        para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.color.rgb = _rgb(color)
        run.font.bold = bold_first and n == 0
        para.space_after = Pt(6)


def _place_title(slide, text: str, top: float = 0.35, height: float = 0.9, size: int = 28) -> None:
    from pptx.util import Inches, Pt

    title = slide.shapes.title
    title.left, title.top = Inches(0.5), Inches(top)
    title.width, title.height = Inches(SLIDE_W_IN - 1.0), Inches(height)
    title.text = text
    tf = title.text_frame
    tf.word_wrap = True
    for para in tf.paragraphs:
        para.alignment = 1  # left
        for run in para.runs:
            run.font.size = Pt(size)
            run.font.bold = True
            run.font.color.rgb = _rgb(AF_BLUE)


def _footer(slide, text: str, number: int, total: int) -> None:
    from pptx.util import Inches

    box = slide.shapes.add_textbox(Inches(0.5), Inches(6.85), Inches(SLIDE_W_IN - 2.0), Inches(0.5))
    box.name = "Footer"
    _text(box.text_frame, [text], 9, color=AF_GREY)
    num = slide.shapes.add_textbox(Inches(SLIDE_W_IN - 1.4), Inches(6.85), Inches(0.9), Inches(0.4))
    num.name = "Slide number"
    _text(num.text_frame, [f"{number} of {total}"], 9, color=AF_GREY)
    num.text_frame.paragraphs[0].alignment = 3  # right


def _table(slide, header: list[str], rows: list[list[str]], widths: list[float], top: float, size: int = 12):
    from pptx.util import Inches, Pt

    shape = slide.shapes.add_table(
        len(rows) + 1,
        len(header),
        Inches(0.5),
        Inches(top),
        Inches(sum(widths)),
        Inches(0.4 * (len(rows) + 1)),
    )
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    for j, text in enumerate(header):
        cell = table.cell(0, j)
        cell.text = text
        for para in cell.text_frame.paragraphs:
            for run in para.runs:
                run.font.size = Pt(size)
                run.font.bold = True
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
                    run.font.size = Pt(size)
                    run.font.color.rgb = _rgb("0B0C0C")
    return table


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
    _text(sub.text_frame, _cover_lines(pack), 20, color=AF_GREY)
    for para in sub.text_frame.paragraphs:
        para.alignment = 1
    _footer(slide, footer, number, total)

    # Summary
    slide = new_slide(title_only)
    _place_title(slide, titles[1])
    box = slide.shapes.add_textbox(Inches(0.5), Inches(1.3), Inches(SLIDE_W_IN - 1.0), Inches(0.8))
    _text(box.text_frame, [pack.summary_sentence()], 16)
    rows = [
        [t.theme.name, *(str(t.counts[k]) for k, _ in SUMMARY_COLUMNS), str(sum(t.counts.values()))]
        for t in pack.themes
    ]
    _table(
        slide,
        ["Theme", *(w for _, w in SUMMARY_COLUMNS), "Total"],
        rows,
        [4.3, 1.35, 1.35, 1.35, 1.35, 1.35, 1.25],
        2.3,
        size=14,
    )
    _footer(slide, footer, number, total)

    index = 2
    for t in pack.themes:
        pages = _action_pages(t.actions)
        for page in pages:
            slide = new_slide(title_only)
            _place_title(slide, titles[index])
            index += 1
            table = _table(
                slide,
                ["Action", "What the plan says", "Status"],
                [[a.id + (" (milestone)" if a.milestone else ""), a.text, _action_status(a)] for a in page],
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
            box = slide.shapes.add_textbox(
                Inches(left), Inches(1.45), Inches(SLIDE_W_IN - 0.5 - left), Inches(CHART_INCHES - 0.2)
            )
            box.name = "Commentary"
            pr = item.shown.progress
            _text(
                box.text_frame,
                [
                    f"Status: {item.status}",
                    item.commentary,
                    f"Target: {target_text(item.shown.indicator)}",
                    f"Place: {series_label(item.shown)}",
                    statistics_status_text(item.shown.indicator, item.shown.illustrative),
                ],
                14,
                bold_first=True,
            )
            status_para = box.text_frame.paragraphs[0]
            status_para.runs[0].font.color.rgb = _rgb(AF_BLUE)
            box.fill.solid()
            box.fill.fore_color.rgb = _rgb(
                STATUS_FILLS.get(pr.rag if pr.latest_value is not None else "no_data")
            )
            _footer(slide, footer, number, total)

    props = prs.core_properties
    _core_props(props, pack)
    buf = io.BytesIO()
    prs.save(buf)
    return pin_zip(buf.getvalue(), pack.provenance.built_at)


def _core_props(props, pack: Pack) -> None:
    when = pack.provenance.built_at
    props.title = pack.title
    props.subject = pack.objective
    props.author = APP_NAME
    props.last_modified_by = APP_NAME
    props.comments = pack.provenance.reference()
    props.keywords = "board pack; Equity and Inclusion; WMCA"
    props.category = "Board paper"
    props.language = "en-GB"
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when


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
    out = [(0, pack.title), (1, "Summary")]
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

    def heading() -> None:
        level, text = next(headings)
        doc.add_heading(text, level=level)

    heading()
    for line in _cover_lines(pack):
        doc.add_paragraph(line)

    heading()  # Summary
    doc.add_paragraph(pack.summary_sentence())
    _docx_table(
        doc,
        ["Theme", *(w for _, w in SUMMARY_COLUMNS), "Total"],
        [
            [t.theme.name, *(str(t.counts[k]) for k, _ in SUMMARY_COLUMNS), str(sum(t.counts.values()))]
            for t in pack.themes
        ],
        [5.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0],
    )

    for t in pack.themes:
        heading()  # theme
        doc.add_paragraph(f"Outcome: {t.theme.outcome}")
        heading()  # Actions
        _docx_table(
            doc,
            ["Action", "What the plan says", "Status"],
            [[a.id + (" (milestone)" if a.milestone else ""), a.text, _action_status(a)] for a in t.actions],
            [2.0, 11.0, 4.0],
        )
        for item in t.indicators:
            heading()  # indicator
            ind = item.shown.indicator
            status = doc.add_paragraph()
            status.add_run("Status: ").bold = True
            status.add_run(item.status)
            doc.add_paragraph(item.commentary)
            doc.add_paragraph(f"Target: {target_text(ind)}. Place: {series_label(item.shown)}.")
            doc.add_picture(io.BytesIO(item.chart_png), width=Cm(17.0))
            pic = doc.inline_shapes[-1]
            doc_pr = pic._inline.docPr  # noqa: SLF001 - alt text lives on the drawing's docPr
            doc_pr.set("descr", item.alt_text)
            doc_pr.set("title", ind.name)
            common = item.common_notes()
            phrases = {
                "worked out from the seven local authorities": "is worked out from the seven local authorities",
                "illustrative sample value": "is an illustrative sample value",
            }
            said = f" Every value {_join([phrases.get(n, n) for n in common])}." if common else ""
            caption = doc.add_paragraph(f"Data for the chart: {ind.name}, {series_label(item.shown)}.{said}")
            caption.style = doc.styles["Caption"]
            _docx_table(
                doc,
                ["Period", f"Value ({ind.unit_label})", "Status of the figure", "Notes"],
                item.table_rows(),
                [3.2, 3.4, 3.4, 7.0],
            )
            note = doc.add_paragraph(
                f"Source: {ind.source_publication} from {ind.source_publisher}. "
                f"{statistics_status_text(ind, item.shown.illustrative)}."
            )
            note.runs[0].font.color.rgb = RGBColor.from_string(AF_GREY)

    heading()  # About this pack
    doc.add_paragraph(footer)
    doc.add_paragraph(
        "Statuses are in words: on track, at risk, off track, or no status where an indicator has no target "
        "or too little data. Missing figures are shown as missing with their reason, never as zero."
    )
    _docx_table(
        doc,
        ["Upload", "File", "Loaded by", "Loaded on"],
        [
            [str(u["id"]), u["file_name"], u["user_name"], clock.long_date(u["uploaded_at"].date())]
            for u in pack.uploads
        ],
        [1.6, 8.4, 4.0, 3.0],
    )
    _core_props(doc.core_properties, pack)
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


def keep(
    pack: PackFile,
    *,
    board: str,
    presented_on: dt.date,
    user: str = "local analyst",
    db: Db = None,
) -> int:
    """Keep a pack in the "as presented" archive: for which board, on which date, built from what."""
    board = board.strip()
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


def read_reference(data: bytes, fmt: str) -> dict[str, Any] | None:
    """What a pack file says it was built from (its document properties), for building it again."""
    if fmt == "pptx":
        from pptx import Presentation

        comments = Presentation(io.BytesIO(data)).core_properties.comments
    else:
        from docx import Document

        comments = Document(io.BytesIO(data)).core_properties.comments
    return Provenance.parse(comments or "")


def pack_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in PACK_FORMATS else ""
