"""The board pack as a plain model (`Pack`), gathered once from a snapshot of the store.

`gather` reads everything a pack shows with the same calls `kpi show` and the pages make
(`metrics.dashboard`), so every number in a pack is the number the dashboard shows, and
draws each chart once. The PowerPoint and Word writers (`metrics.export.pptx`,
`metrics.export.docx`) then only lay the model out; they read nothing from the store.
The model's methods give the rows and sentences both writers print, so slides and
document say the same thing.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from metrics import clock
from metrics.catalogue import Catalogue, Indicator, Theme, default_catalogue
from metrics.context import with_references
from metrics.dashboard import (
    ActionView,
    AsOf,
    Db,
    Shown,
    all_progress,
    freshness,
    place_comparison,
    theme_actions,
    theme_summary,
)
from metrics.errors import KpiError
from metrics.export.commentary import commentary
from metrics.export.images import chart_description, chart_figure, places_figure, render_figure
from metrics.export.labels import series_label
from metrics.export.provenance import Provenance, current_snapshot, uploads_as_of
from metrics.export.tables import timeline, value_notes
from metrics.series import Point
from metrics.verdicts import Progress
from metrics.words import (
    VERDICT_COUNTED,
    VERDICT_ORDER,
    format_value,
    goal_text,
    interval_range,
    join_names,
    long_date,
    lower_first,
    upper_first,
    verdict_word,
)

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go


class PackRefused(KpiError, ValueError):
    """The pack cannot be built as asked; the message says what to change."""


def headline_indicators(theme_id: str, catalogue: Catalogue | None = None) -> list[Indicator]:
    """A theme's headline indicators: those with a target, else the first two of the theme."""
    catalogue = catalogue or default_catalogue()
    inds = list(catalogue.indicators_for_theme(theme_id))
    with_target = [i for i in inds if i.target is not None]
    return with_target or inds[:2]


# --- the pack model ---------------------------------------------------------------------------------


@dataclass
class PackIndicator:
    """One headline indicator as the pack shows it: its series, chart, alt text and commentary."""

    shown: Shown
    chart_png: bytes
    alt_text: str
    commentary: str
    # The seven authorities' latest figures (dashboard.place_comparison), where the verdict rests on them.
    places_frame: Any = None
    # The owner's approved commentary for the quarter reported (as it stood when the pack was built), and
    # the figures revised since an earlier pack presented them ("revised since presented ... on ...").
    owner_commentary: Any = None
    revised: tuple[str, ...] = ()

    @property
    def progress(self) -> Progress:
        return self.shown.progress

    def commentary_points(self) -> list[tuple[str, str]]:
        """The owner's approved commentary and the revised-since-presented flags, led by their words."""
        points = [("Revised", flag) for flag in self.revised]
        c = self.owner_commentary
        if c is not None:
            points.append(("Approved", f"by {c.approved_by} on {long_date(c.approved_on)}, for {c.quarter}"))
            if c.revised_note:
                points.append(("Revised", c.revised_note))
            for label, text in (
                ("What happened", c.happened),
                ("Why", c.why),
                ("What happens next", c.next_steps),
            ):
                if text:
                    points.append((label, text))
        return points

    @property
    def status(self) -> str:
        """The verdict in words, as `metrics.words` names it for every screen and export."""
        return verdict_word(self.shown.progress.verdict)

    @property
    def sentence(self) -> str:
        """The verdict and its reason, word for word what `kpi show` and the pages say."""
        return self.shown.progress.sentence

    @property
    def shows_places(self) -> bool:
        """The chart is of the seven authorities: the combined authority has no figure to draw."""
        return self.shown.progress.places is not None and not any(
            p.value is not None for p in self.shown.series
        )

    def _notes(self, p: Point | None) -> list[str]:
        if p is None:
            return ["no figure uploaded for this period"]
        return [lower_first(n) for n in value_notes(p.value is None, p.missing, p.derived, p.illustrative)]

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
        refs = [{(p.start, p.end): p for p in r.series} for r in self.shown.references]
        rows = []
        for label, start, end, p in timeline(self.shown):
            notes = [n for n in self._notes(p) if n not in common]
            value = format_value(ind, p.value, p.missing) if p is not None else "no figure"
            if p is not None and p.interval is not None:
                value += f" ({interval_range(ind, p)})"
            status = p.status.capitalize() if p is not None else ""
            theirs = [
                format_value(ind, q.value, q.missing) if (q := by.get((start, end))) else "no figure"
                for by in refs
            ]
            rows.append([label, value, status, upper_first("; ".join(notes)), *theirs])
        return rows

    def _has_notes(self) -> bool:
        return any(r[3] for r in self.table_rows())

    def data_header(self) -> list[str]:
        """The header of the chart's data table: the seven authorities', or the series' (Notes if any row has
        one), then England's and the region's where the chart draws them."""
        if self.shows_places:
            return PLACE_HEADER
        value = f"Value ({self.shown.indicator.unit_label})"
        if any(p.interval is not None for p in self.shown.series):
            value += " (confidence interval)"
        header = ["Period", value, "Status of the figure", *(["Notes"] if self._has_notes() else [])]
        return header + [f"{r.place.name} (for comparison)" for r in self.shown.references]

    def data_rows(self) -> list[list[str]]:
        """The chart's data, row by row, as both writers print it under the header `data_header` gives."""
        if self.shows_places:
            return self.place_rows()
        notes = self._has_notes()
        return [r if notes else r[:3] + r[4:] for r in self.table_rows()]

    def data_context(self) -> str:
        """What the chart's data table holds, after the indicator's name: the place, and what every value is."""
        if self.shows_places:
            return (
                "each local authority's latest figure and its own verdict. The combined authority has no "
                "figure of its own."
            )
        phrases = {
            "worked out from the seven local authorities": "is worked out from the seven local authorities",
            "illustrative sample value": "is an illustrative sample value",
        }
        common = self.common_notes()
        said = f" Every value {join_names([phrases.get(n, n) for n in common])}." if common else ""
        return f"{series_label(self.shown)}.{said}"

    def data_caption(self) -> str:
        """ "Data for the chart: NAME, PLACE. Every value is ...": the caption over the chart's data table."""
        return f"Data for the chart: {self.shown.indicator.name}, {self.data_context()}"

    def place_text(self) -> str:
        """The place the verdict is about, and what it rests on where that is the seven authorities."""
        text = series_label(self.shown)
        return text + ", judged on its seven local authorities" if self.shows_places else text

    def breaking_heading(self) -> str | None:
        """ "Schemes below the 20% minimum in 2026-27 Q2 (3 of 14)", where some schemes break a floor."""
        pr = self.shown.progress
        if pr.projects_total is None or not pr.breaking:
            return None
        ind = self.shown.indicator
        assert ind.target is not None
        floor = ind.target.kind == "minimum" or (ind.target.kind != "maximum" and ind.direction == "higher")
        side, kind = ("below", "minimum") if floor else ("above", "maximum")
        return (
            f"Schemes {side} the {goal_text(ind)} {kind} in {pr.latest_period} "
            f"({len(pr.breaking)} of {pr.projects_total})"
        )

    def breaking_rows(self, most: int | None = None) -> tuple[list[list[str]], int]:
        """Every scheme that breaks the floor or ceiling, worst first, and how many more are not listed."""
        pr = self.shown.progress
        if pr.projects_total is None:
            return [], 0
        rows = [[name, format_value(self.shown.indicator, value)] for name, value in pr.breaking]
        if most is None or len(rows) <= most:
            return rows, 0
        return rows[:most], len(rows) - most

    def place_rows(self) -> list[list[str]]:
        """Each authority's latest figure, its period and its own verdict; an illustrative value says so."""
        pr = self.shown.progress
        if pr.places is None:
            return []
        ind = self.shown.indicator
        illustrative = {g.code: p.illustrative for g, p in self.shown.local_latest}
        missing: dict[str, str | None] = {}
        frame = self.places_frame
        if frame is not None:
            for r in frame.to_dict("records"):
                missing[r["code"]] = r.get("missing")
                if "illustrative" in r and r["code"] not in illustrative:
                    illustrative[r["code"]] = bool(r["illustrative"])
        rows = []
        for pv in pr.places:
            if pv.latest_value is None:
                value = format_value(ind, None, missing.get(pv.code)) if missing.get(pv.code) else "no data"
            else:
                value = format_value(ind, pv.latest_value)
                if illustrative.get(pv.code):
                    value += " (illustrative)"
            rows.append([pv.name, value, pv.latest_period or "", verdict_word(pv.verdict)])
        return rows


PLACE_HEADER = ["Local authority", "Latest figure", "Period", "Verdict"]


@dataclass
class PackTheme:
    """One theme: its count of indicators by verdict, its actions, its headline indicators."""

    theme: Theme
    counts: dict[str, int]  # verdict -> how many of the theme's indicators have it
    actions: list[ActionView]
    indicators: list[PackIndicator]


@dataclass
class Pack:
    """Everything a board pack shows, read once: what both writers lay out."""

    title: str
    objective: str
    period: str
    data_as_at: dt.date | None
    provenance: Provenance
    themes: list[PackTheme]
    uploads: list[dict[str, Any]] = field(default_factory=list)
    # Short names of the indicators with a target whose verdict is judged on the seven authorities.
    judged_on_places: list[str] = field(default_factory=list)
    # verdict -> short names of the indicators with a target that have it, in the themes' order
    named: dict[str, list[str]] = field(default_factory=dict)

    @property
    def indicators(self) -> list[PackIndicator]:
        return [i for t in self.themes for i in t.indicators]

    def totals(self) -> dict[str, int]:
        return {v: sum(t.counts.get(v, 0) for t in self.themes) for v in VERDICT_ORDER}

    def summary_verdicts(self) -> list[str]:
        """The verdicts any indicator in the pack's themes has, most in need of action first."""
        totals = self.totals()
        return [v for v in VERDICT_ORDER if totals[v]]

    def summary_sentence(self) -> str:
        """ "Of the 27 indicators in the themes this pack covers: 2 off track, 1 at risk, ..."."""
        totals = self.totals()
        n = sum(totals.values())
        if not n:
            return "The themes this pack covers have no indicators."
        parts = [f"{totals[v]} {VERDICT_COUNTED[v]}" for v in self.summary_verdicts()]
        scope = "the theme this pack covers" if len(self.themes) == 1 else "the themes this pack covers"
        text = (
            f"Of the {n} indicator{'s' if n != 1 else ''} in {scope}: {join_names(parts)}. Each is counted once, "
            "under the verdict the dashboard gives it"
        )
        if self.judged_on_places:
            names = self.judged_on_places
            verb = "is" if len(names) == 1 else "are"
            text += f"; {join_names(names)} {verb} judged on the seven local authorities' own figures"
        return text + "."

    def named_lines(self) -> list[tuple[str, str]]:
        """("Off track", "Affordable share of homes in SCF schemes; NEET 16 to 17"): which indicators, by verdict."""
        return [(verdict_word(v), "; ".join(self.named[v])) for v in VERDICT_ORDER if self.named.get(v)]

    def summary_header(self) -> list[str]:
        return ["Theme", *(verdict_word(v) for v in self.summary_verdicts()), "Total"]

    def summary_rows(self) -> list[list[str]]:
        verdicts = self.summary_verdicts()
        return [
            [t.theme.name, *(str(t.counts.get(v, 0)) for v in verdicts), str(sum(t.counts.values()))]
            for t in self.themes
        ]


def _period_text(shown: list[Shown]) -> str:
    points = [p for s in shown for p in s.series if p.value is not None]
    if not points:
        return "No figures yet"
    last = max(points, key=lambda p: (p.end, p.start))
    return f"Figures for periods up to {long_date(last.end)}"


def _pack_chart(item: PackIndicator, as_at: dt.date | None) -> tuple[go.Figure, str]:
    """The slide's chart and its alt text: the indicator's own, or the seven authorities' where it has none.

    A combined authority with no figure of its own (NEET's rate) would otherwise be an empty
    chart; its verdict rests on the seven authorities, so they are what the board sees.
    """
    shown = item.shown
    if not item.shows_places or item.places_frame is None:
        return chart_figure(shown, as_at, "full"), chart_description(shown)
    return places_figure(shown, item.places_frame, as_at, "full")


def _themes(catalogue: Catalogue, theme_id: str | None) -> list[Theme]:
    """The themes a pack covers: one, or the whole objective's."""
    themes = list(catalogue.themes)
    if theme_id:
        if theme_id not in {t.id for t in themes}:
            ids = ", ".join(t.id for t in themes)
            raise PackRefused(f"There is no theme '{theme_id}'. Use one of: {ids}.")
        themes = [catalogue.theme(theme_id)]
    return themes


def _snapshot(as_of: AsOf | None, db: Db) -> tuple[AsOf, tuple[int, ...], list[dict[str, Any]]]:
    """The snapshot a pack is built from (the store as it is now, unless given), its uploads and their rows."""
    if as_of is None:
        as_of, uploads = current_snapshot(db)
        upload_rows = uploads_as_of(as_of, db)
    else:
        upload_rows = uploads_as_of(as_of, db)
        uploads = tuple(r["id"] for r in upload_rows)
    return as_of, uploads, upload_rows


def _start_item(
    shown: Shown, frame: pd.DataFrame | None, as_at: dt.date | None, drawing: ThreadPoolExecutor
) -> tuple[PackIndicator, Future[bytes]]:
    """One headline indicator with its chart sent to be drawn; its commentary is written meanwhile."""
    item = PackIndicator(shown=shown, chart_png=b"", alt_text="", commentary="", places_frame=frame)
    fig, item.alt_text = _pack_chart(item, as_at)
    future = drawing.submit(render_figure, fig, "png", "full", item.alt_text)  # the alt text inside it too
    item.commentary = commentary(item.shown)
    return item, future


def _add_cycle(
    pack_themes: list,
    *,
    db: Db,
    catalogue: Catalogue,
    status_date: dt.date,
    as_of: AsOf,
    built_at: dt.datetime,
) -> None:
    """Each headline indicator's approved commentary and its revised-since-presented flags (metrics.cycle)."""
    from metrics.cycle import commentary as notes
    from metrics.cycle.locks import revised_since_presented
    from metrics.cycle.rules import cycle_rules

    quarter = cycle_rules().quarter(status_date)
    for t in pack_themes:
        for item in t.indicators:
            ind = item.shown.indicator
            item.owner_commentary = notes.shown("indicator", ind.id, quarter, db=db, as_at=built_at)
            item.revised = tuple(
                r.sentence(ind)
                for r in revised_since_presented(
                    ind, db=db, catalogue=catalogue, today=status_date, as_of=as_of, before=built_at
                )
            )


def _collect(drawn: list[tuple[PackIndicator, Future[bytes]]]) -> None:
    """Each drawn chart into its item; if one cannot be drawn, those not yet started are not drawn."""
    try:
        for item, future in drawn:
            item.chart_png = future.result()
    except BaseException:
        for _, future in drawn:
            future.cancel()
        raise


def headlines_of(themes: list[Theme], catalogue: Catalogue) -> dict[str, list[Indicator]]:
    """Each theme's headline indicators: the ones the pack charts."""
    return {t.id: headline_indicators(t.id, catalogue) for t in themes}


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
    themes = _themes(catalogue, theme_id)
    as_of, uploads, upload_rows = _snapshot(as_of, db)
    status_date = status_date or clock.today()
    built_at = (built_at or clock.now()).replace(microsecond=0)
    shown_all = all_progress(db=db, today=status_date, catalogue=catalogue, as_of_upload=as_of)
    for inds in headlines_of(themes, catalogue).values():  # England and the region beside the pack's charts
        for ind in inds:
            shown_all[ind.id] = with_references(
                shown_all[ind.id], db=db, catalogue=catalogue, as_of_upload=as_of
            )
    as_at = freshness(db=db, as_of_upload=as_of).data_as_at
    summary = {row["theme"].id: row for row in theme_summary(shown_all, catalogue)}
    headlines = headlines_of(themes, catalogue)
    # Where the combined authority's verdict rests on the seven authorities, their latest figures
    # (the same call the Indicator page makes), for the chart of the seven and its table.
    frames = {
        ind.id: place_comparison(ind, db=db, catalogue=catalogue, today=status_date, as_of_upload=as_of)
        for inds in headlines.values()
        for ind in inds
        if shown_all[ind.id].progress.places is not None
    }

    # Chromium draws each chart while Python lays out the next one.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kpi-pack-chart") as drawing:
        pack_themes = []
        drawn: list[tuple[PackIndicator, Future[bytes]]] = []
        for t in themes:
            indicators = []
            for ind in headlines[t.id]:
                item, future = _start_item(shown_all[ind.id], frames.get(ind.id), as_at, drawing)
                drawn.append((item, future))
                indicators.append(item)
            counts = dict(summary[t.id]["verdicts"])
            actions = theme_actions(t.id, db=db, catalogue=catalogue, as_of_upload=as_of)
            pack_themes.append(PackTheme(t, counts, actions, indicators))
        _collect(drawn)
    _add_cycle(
        pack_themes, db=db, catalogue=catalogue, status_date=status_date, as_of=as_of, built_at=built_at
    )
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
        judged_on_places=[
            s.indicator.short_name for s in in_pack if s.progress.places is not None and s.indicator.target
        ],
        named={
            v: [s.indicator.short_name for s in in_pack if s.indicator.target and s.progress.verdict == v]
            for v in VERDICT_ORDER
        },
    )
