"""Every view a page shows, as files for a board paper: the chart (PNG or SVG) with its alt text, and its data.

Staff build papers from what they are looking at, so each chart on the Indicator page (the trend, the
seven authorities compared, the tile map, a breakdown by group, the SCF schemes) can be taken away for
any place and breakdown, from the page, the Export page or `kpi export chart|data --by VIEW`. All three
call the functions here, so a file from a page is the file the command writes.

A `ChartFile` says what to draw, never draws it: a page offers many charts and must not start Chromium
or lay out a figure until someone presses a button (the figure is made, at the paper size asked for,
inside `image`). Its `description` is the alt text the page shows beside the button and the file
carries inside it.

Two layers: the builders (`series_chart`, `places_chart`, ...) take the frames a page has already read
through its cached reads; `view_files` reads them from the store itself, for the command and the Export
page, and pairs each chart with the data file behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NamedTuple

from metrics import charts, context, dashboard
from metrics.asof import Db
from metrics.catalogue import Catalogue, Geography, Indicator, default_catalogue
from metrics.dashboard import Shown
from metrics.export.images import chart_description, chart_figure, paper_figure, places_figure, render_figure
from metrics.export.labels import base_header, dimension_slug, file_stem, slug
from metrics.export.tables import DataTable, breakdown_table, frame_table, places_table, series_table
from metrics.schemes import SchemeView, project_shares, scheme_view

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

# The views of one indicator, by the id the command's --by and the Export page use. A breakdown by
# group is the dimension's own id (sex, ethnicity, disability, age_band).
TREND, PLACES, TILES, SCHEMES, SIMILAR = "trend", "places", "tiles", "schemes", "similar"


@dataclass(frozen=True)
class ChartFile:
    """A chart ready to be drawn as a board-paper file at either width, with its alt text and file name.

    `draw(size)` lays the figure out at that paper size ("full" or "half"); nothing is drawn until
    `image` is called, so a page can offer the file for free.
    """

    stem: str
    description: str
    draw: Callable[[str], go.Figure] = field(compare=False, repr=False)

    def image(self, fmt: str = "png", size: str = "full") -> bytes:
        """The chart as PNG or SVG bytes, its title and description inside the file."""
        return render_figure(self.draw(size), fmt, size, self.description)

    def file_name(self, fmt: str, size: str = "full") -> str:
        """The file's name: its stem, "-half" at half width, and the format."""
        return f"{self.stem}{'-half' if size == 'half' else ''}.{fmt}"


def _range_stem(stem: str, first: str | None, last: str | None) -> str:
    """A stem naming the periods chosen, so two ranges of one series never share a file name."""
    return slug(stem, first or "", "to" if first or last else "", last or "") if first or last else stem


def _has_no_figure(shown: Shown) -> bool:
    """No figure of its own (a rate for the combined authority): the seven authorities are its chart."""
    return bool(shown.local_latest) and not any(p.value is not None for p in shown.series)


def series_chart(
    shown: Shown,
    as_at: dt.date | None,
    *,
    places: pd.DataFrame | None = None,
    first: str | None = None,
    last: str | None = None,
) -> ChartFile:
    """The trend chart, for the periods `first` to `last` when given (the page's "From" and "To").

    Where the series has no figure and the seven authorities decide its verdict (NEET's rate), `places`
    (dashboard.place_comparison) is drawn instead of an empty axis, as `kpi export chart` always has.
    """
    if places is not None and _has_no_figure(shown):
        return ChartFile(
            file_stem(shown),
            charts.describe_place(shown.indicator, places),
            lambda size: places_figure(shown, places, as_at, size)[0],
        )
    part = charts.restrict(shown, first, last) if first or last else shown
    return ChartFile(
        _range_stem(file_stem(shown), first, last),
        chart_description(part),
        lambda size: chart_figure(part, as_at, size),
    )


def series_data(
    shown: Shown, as_at: dt.date | None, *, first: str | None = None, last: str | None = None
) -> DataTable:
    """The numbers behind the trend chart, for the same periods and under the same file name."""
    part = charts.restrict(shown, first, last) if first or last else shown
    table = series_table(part, as_at)
    return replace(table, file_stem=_range_stem(table.file_stem, first, last))


def _illustrative(frame: pd.DataFrame) -> bool:
    return "illustrative" in frame and bool(frame["illustrative"].fillna(False).astype(bool).any())


def places_chart(
    shown: Shown, frame: pd.DataFrame, as_at: dt.date | None, *, highlight: Geography | None = None
) -> ChartFile:
    """The seven authorities compared, the chosen one (a local authority) marked "(selected)"."""
    chosen = highlight if highlight is not None and highlight.level == "local_authority" else None
    return ChartFile(
        slug(shown.indicator.id, "places", chosen.code if chosen else ""),
        charts.describe_place(shown.indicator, frame),
        lambda size: places_figure(shown, frame, as_at, size, highlight=chosen.name if chosen else None)[0],
    )


def tiles_chart(indicator: Indicator, frame: pd.DataFrame, as_at: dt.date | None) -> ChartFile:
    """The seven authorities as a tile map, each tile labelled with its value."""
    illustrative = _illustrative(frame)

    def draw(size: str) -> go.Figure:
        from metrics.export.images import CHART_SIZES

        chart = CHART_SIZES[size]
        fig = charts.tile_map(
            indicator, frame, illustrative=illustrative, width=chart.width, height=chart.height
        )
        return paper_figure(fig, as_at, size)

    return ChartFile(slug(indicator.id, "tiles"), charts.describe_tiles(indicator, frame), draw)


def group_chart(
    indicator: Indicator, place: Geography, dimension: str, frame: pd.DataFrame, as_at: dt.date | None
) -> ChartFile:
    """One breakdown's groups for the latest period (dashboard.breakdown_series), the gap in its title."""
    illustrative = _illustrative(frame)

    def draw(size: str) -> go.Figure:
        from metrics.export.images import CHART_SIZES

        chart = CHART_SIZES[size]
        fig = charts.breakdown_chart(
            indicator,
            frame,
            dimension,
            place=place.name,
            illustrative=illustrative,
            width=chart.width,
            height=chart.height,
        )
        return paper_figure(fig, as_at, size)

    return ChartFile(
        slug(indicator.id, place.code, dimension_slug(dimension)),  # the stem of its data file too
        charts.describe_breakdown(indicator, frame, dimension),
        draw,
    )


def schemes_chart(
    indicator: Indicator, place: Geography, view: SchemeView, as_at: dt.date | None
) -> ChartFile:
    """The lowest SCF schemes against the every-scheme minimum (schemes.scheme_view), as on the page."""

    def draw(size: str) -> go.Figure:
        from metrics.export.images import CHART_SIZES

        chart = CHART_SIZES[size]
        fig = charts.project_chart(indicator, view, width=chart.width, height=chart.height)
        return paper_figure(fig, as_at, size)

    return ChartFile(
        slug(indicator.id, place.code, "schemes"), charts.describe_projects(indicator, view), draw
    )


def schemes_data(
    indicator: Indicator, place: Geography, frame: pd.DataFrame, header: list[tuple[str, str]]
) -> DataTable:
    """Every scheme of the newest period (schemes.project_shares, latest_only), lowest share first."""
    return frame_table(
        charts.project_table(indicator, frame),
        title=f"{indicator.name}: every scheme, latest period",
        file_stem=slug(indicator.id, place.code, "schemes"),
        header=header,
        sheet_name="Schemes",
    )


# --- a view read from the store: the command and the Export page -----------------------------------------


class ViewFiles(NamedTuple):
    """One view's chart and the data behind it, as `kpi export chart|data --by VIEW` writes them (a pair,
    so a page can pass both on: `export_buttons(*files, ...)`)."""

    chart: ChartFile
    data: DataTable


def views_of(
    indicator: Indicator, *, local_figures: bool = True, place: Geography | None = None
) -> dict[str, str]:
    """The views an indicator has on the Indicator page, by id, in words a menu can offer.

    The seven authorities (bars and tiles) only where they report the measure; a local authority beside
    its statistical neighbours where places compare (metrics.context.comparable); a view by group for each
    people breakdown; the schemes where the indicator is broken down by SCF scheme.
    """
    from metrics.words import dimension_label

    out = {TREND: "The trend over time"}
    if local_figures:
        out[PLACES] = "The seven local authorities compared"
        out[TILES] = "The seven local authorities on a tile map"
    if (
        local_figures
        and place is not None
        and place.level == "local_authority"
        and context.comparable(indicator)
    ):
        out[SIMILAR] = f"{place.name} compared with similar areas (its statistical neighbours)"
    for dim in indicator.breakdowns:
        if dim != "project":
            out[dim] = f"By {dimension_label(dim, mid_sentence=True)}, latest period"
    if "project" in indicator.breakdowns:
        out[SCHEMES] = "Each SCF scheme against the minimum, latest period"
    return out


def places_files(
    shown: Shown,
    frame: pd.DataFrame,
    as_at: dt.date | None,
    *,
    highlight: Geography | None = None,
    tiles: bool = False,
) -> ViewFiles:
    """The seven authorities (dashboard.place_comparison) as bars or tiles, with their data file.

    Where the verdict of `shown` rests on the seven (Progress.places), the file lists each one's verdict.
    """
    verdicts = shown.progress.places
    table = places_table(
        shown.indicator,
        frame,
        as_at,
        shown.illustrative,
        places=verdicts,
        sentence=shown.progress.sentence if verdicts is not None else None,
    )
    chart = (
        tiles_chart(shown.indicator, frame, as_at)
        if tiles
        else places_chart(shown, frame, as_at, highlight=highlight)
    )
    return ViewFiles(chart, table)


def similar_files(
    shown: Shown, frame: pd.DataFrame, as_at: dt.date | None, authority: Geography, neighbours: str = ""
) -> ViewFiles:
    """An authority beside its statistical neighbours (metrics.context.neighbour_frame), as on the
    Indicator page's "Compared with similar areas": the chart, its words and the data file, whose header
    says who the neighbours are and on what basis (`neighbours`, metrics.context.neighbours_sentence)."""
    ind = shown.indicator
    group = f"{authority.name} and its statistical neighbours"
    title = context.similar_title(ind, frame, authority.name)
    illustrative = _illustrative(frame)
    chart = ChartFile(
        slug(ind.id, "similar", authority.code),
        charts.describe_place(ind, frame, group, target=False),
        lambda size: places_figure(
            shown, frame, as_at, size, highlight=authority.name, group=group, title=title
        )[0],
    )
    table = places_table(ind, frame, as_at, illustrative, group=group)
    if neighbours:
        table.header.append(("Neighbours", neighbours))
    return ViewFiles(chart, table)


def group_files(
    indicator: Indicator, place: Geography, dimension: str, frame: pd.DataFrame, as_at: dt.date | None
) -> ViewFiles:
    """One breakdown (dashboard.breakdown_series): the latest period's chart, and every period's data."""
    return ViewFiles(
        group_chart(indicator, place, dimension, frame, as_at),
        breakdown_table(indicator, place, dimension, frame, as_at, _illustrative(frame)),
    )


def view_files(
    shown: Shown,
    view: str,
    *,
    db: Db = None,
    today: dt.date | None = None,
    first: str | None = None,
    last: str | None = None,
    catalogue: Catalogue | None = None,
) -> ViewFiles:
    """The chart and data of one view of `shown` (its indicator, place and breakdown), read from the store.

    `view` is one of `views_of`; the place decides whose groups or schemes are shown and which
    authority the comparison marks. ValueError names the views there are for any other.
    """
    catalogue = catalogue or default_catalogue()
    ind, place = shown.indicator, shown.geography
    as_at = dashboard.freshness(db=db).data_as_at
    if view not in views_of(ind, place=place):
        raise ValueError(
            f"{ind.id} has no view '{view}'. Use one of: {', '.join(views_of(ind, place=place))}."
        )
    if view == TREND:
        if not shown.references:  # England and the region beside it, as the page draws them
            shown = context.with_references(shown, db=db, catalogue=catalogue)
        places = (
            dashboard.place_comparison(ind, db=db, catalogue=catalogue, today=today)
            if _has_no_figure(shown)
            else None
        )
        return ViewFiles(
            series_chart(shown, as_at, places=places, first=first, last=last),
            series_data(shown, as_at, first=first, last=last),
        )
    if view in (PLACES, TILES):
        frame = dashboard.place_comparison(ind, db=db, catalogue=catalogue, today=today)
        if view == PLACES:  # England and the region "for comparison", as the page draws them
            refs = context.comparator_series(ind, db=db, catalogue=catalogue)
            frame = context.places_with_references(ind, frame, refs)
        return places_files(shown, frame, as_at, highlight=place, tiles=view == TILES)
    if view == SIMILAR:
        frame = dashboard.place_comparison(ind, db=db, catalogue=catalogue, today=today)
        near = context.comparator_series(ind, place, db=db, catalogue=catalogue)
        frame = context.neighbour_frame(near, frame)
        return similar_files(shown, frame, as_at, place, context.neighbours_sentence(near))
    if view == SCHEMES:
        every = project_shares(ind, place, db=db, catalogue=catalogue, latest_only=True)
        header = base_header(ind, place.name, as_at, shown.illustrative)
        return ViewFiles(
            schemes_chart(ind, place, scheme_view(ind, place, db=db, catalogue=catalogue), as_at),
            schemes_data(ind, place, every, header),
        )
    frame = dashboard.breakdown_series(ind, place, view, db=db, catalogue=catalogue)
    return group_files(ind, place, view, frame, as_at)
