"""What the pages, the `kpi` command and the exports ask of the store, answered in one place.

Each function opens the store read-only for one operation and returns plain
Python values (dataclasses, lists of dicts, DataFrames), so the pages only
render and the command only prints. The rules (derivation, running totals,
status) come from progress.py; the queries from sql/.
"""

from __future__ import annotations

import datetime as dt
import pickle
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from metrics import clock
from metrics.asof import AsOf, Db, read
from metrics.breakdowns import BREAKDOWN_COLUMNS as BREAKDOWN_COLUMNS  # re-exported: callers read them here
from metrics.breakdowns import breakdown_groups as breakdown_groups
from metrics.breakdowns import breakdown_series as breakdown_series
from metrics.breakdowns import hide_small
from metrics.catalogue import (
    ACTION_STATUSES,
    Catalogue,
    Geography,
    Indicator,
    UnknownName,
    default_catalogue,
)
from metrics.progress import derive_combined, running_total
from metrics.schemes import below_minimum
from metrics.series import Point, points_by_place
from metrics.store import connect, fetch_dicts
from metrics.verdicts import PlaceVerdict, Progress, assess, place_verdict
from metrics.words import VERDICT_ORDER

if TYPE_CHECKING:
    from metrics.context import PlaceSeries


@dataclass(frozen=True)
class Shown:
    """One series as `kpi show` prints it, with its progress and what it was built from."""

    indicator: Indicator
    geography: Geography
    breakdown: tuple[str, str] | None
    series: list[Point]
    progress: Progress
    # For the combined authority when it has no figure of its own and none can be derived (a
    # rate or a survey share): each authority's latest point, so pages can say what there is.
    local_latest: tuple[tuple[Geography, Point], ...] = ()
    # England's and the region's series over the same periods, drawn beside it for context only
    # (metrics.context.with_references): never part of the verdict, nor of `kpi show --json`.
    references: tuple[PlaceSeries, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "indicator_id": self.indicator.id,
            "geography": self.geography.code,
            "unit": self.indicator.unit,
            "series": [p.as_json() for p in self.series],
            "progress": self.progress.as_json(),
        }

    @property
    def illustrative(self) -> bool:
        return any(p.illustrative for p in self.series) or self.indicator.statistics_status == "illustrative"


def indicator_or_raise(indicator_id: str, catalogue: Catalogue | None = None) -> Indicator:
    """The indicator with this id, or UnknownName saying there is none (the catalogue's own look-up)."""
    return (catalogue or default_catalogue()).indicator(indicator_id)


def geography_or_raise(text: str | None, catalogue: Catalogue | None = None) -> Geography:
    catalogue = catalogue or default_catalogue()
    if not text:
        return catalogue.combined_authority
    g = catalogue.resolve_geography(text)
    if g is None:
        names = ", ".join(g.name for g in catalogue.geographies)
        raise UnknownName(f"'{text}' is not one of the eight places. Use an ONS code or one of: {names}.")
    return g


def parse_breakdown(text: str | None, indicator: Indicator) -> tuple[str, str] | None:
    """DIM=VALUE from the command line or a URL, checked against what the indicator declares."""
    if not text:
        return None
    if "=" not in text:
        raise UnknownName(f"Write the breakdown as DIMENSION=VALUE, for example sex=Female, not '{text}'.")
    dim, value = (s.strip() for s in text.split("=", 1))
    dim = dim.lower().replace(" ", "_")
    if dim not in indicator.breakdowns:
        takes = ", ".join(indicator.breakdowns) or "no breakdowns"
        raise UnknownName(f"{indicator.id} does not take the breakdown '{dim}'. It takes {takes}.")
    return dim, value


def _series_for(
    con,
    indicator: Indicator,
    geography: Geography,
    breakdown: tuple[str, str] | None,
    catalogue: Catalogue,
    as_of_upload: AsOf | None = None,
) -> list[Point]:
    dim, value = breakdown or ("", "")
    is_ca = geography.level == "combined_authority"
    codes = [geography.code]
    la_codes = tuple(g.code for g in catalogue.local_authorities)
    if is_ca and indicator.derivable:
        codes += list(la_codes)
    rows = fetch_dicts(
        con,
        *read(
            "current_series",
            {"indicator_id": indicator.id, "geographies": codes, "dimension": dim, "breakdown_value": value},
            as_of_upload,
        ),
    )
    return _combine(indicator, geography, points_by_place(rows), catalogue)


def _combine(
    indicator: Indicator, geography: Geography, by_geo: dict[str, list[Point]], catalogue: Catalogue
) -> list[Point]:
    """One place's series from every place's points: derived for the combined authority where
    allowed, and as a running total for cumulative indicators."""
    if geography.level == "combined_authority":
        la_codes = tuple(g.code for g in catalogue.local_authorities)
        la_points = by_geo if indicator.derivable else {}
        series = derive_combined(indicator, la_points, by_geo.get(geography.code, []), la_codes)
    else:
        series = by_geo.get(geography.code, [])
    if indicator.is_cumulative:
        series = running_total(series, indicator.base_period.start if indicator.base_period else None)
    return series


def show(
    indicator: Indicator | str,
    geography: Geography | str | None = None,
    breakdown: tuple[str, str] | str | None = None,
    *,
    db: Db = None,
    today: dt.date | None = None,
    catalogue: Catalogue | None = None,
    as_of_upload: AsOf | None = None,
) -> Shown:
    """The current series of one indicator for one place and breakdown, and its progress.

    Pages pass the objects they already hold; text (the command line's arguments) is resolved here,
    once, with UnknownName saying what was not found.
    """
    catalogue = catalogue or default_catalogue()
    if isinstance(indicator, str):
        indicator = indicator_or_raise(indicator, catalogue)
    geo = geography if isinstance(geography, Geography) else geography_or_raise(geography, catalogue)
    bd = breakdown if isinstance(breakdown, tuple) else parse_breakdown(breakdown, indicator)
    today = today or clock.today()
    with connect(db, read_only=True) as con:
        return _show(con, indicator, geo, bd, today, catalogue, as_of_upload)


def _show(
    con,
    indicator: Indicator,
    geo: Geography,
    bd: tuple[str, str] | None,
    today: dt.date,
    catalogue: Catalogue,
    as_of_upload: AsOf | None = None,
) -> Shown:
    """show() on an open connection, so a caller reading many indicators opens the store once."""
    series = _series_for(con, indicator, geo, bd, catalogue, as_of_upload)
    if bd is not None and any(indicator.small_numbers):
        # One group's series is shown, charted, judged and exported as the group view shows it: its small
        # numbers (and any figure that would give one back) hidden as c before anything reads them.
        series = hide_small(con, indicator, geo, bd, series, catalogue, as_of_upload)
    valued = [p for p in series if p.value is not None]
    target = indicator.target
    # Only a minimum is judged scheme by scheme, so nothing is read for other indicators; the store
    # counts the schemes of the latest period (tens of thousands on a large store) against it.
    projects = (
        below_minimum(con, indicator, geo, catalogue, valued[-1].end, as_of_upload)
        if not bd and valued and "project" in indicator.breakdowns and target and target.kind == "minimum"
        else None
    )
    local: tuple[tuple[Geography, Point], ...] = ()
    places = None
    every_authority = target is not None and target.applies_to == "every_authority"
    no_own_figure = not valued and not indicator.derivable
    if bd is None and geo.level == "combined_authority" and (every_authority or no_own_figure):
        places, local = _place_verdicts(con, indicator, catalogue, today, as_of_upload)
    progress = assess(indicator, series, today, projects, places)
    return Shown(indicator, geo, bd, series, progress, local if not valued else ())


def _place_verdicts(
    con, indicator: Indicator, catalogue: Catalogue, today: dt.date, as_of_upload: AsOf | None
) -> tuple[list[PlaceVerdict], tuple[tuple[Geography, Point], ...]]:
    """Each of the seven authorities' own verdict, and its latest figure, from one query."""
    codes = [g.code for g in catalogue.local_authorities]
    rows = fetch_dicts(
        con,
        *read(
            "current_series",
            {"indicator_id": indicator.id, "geographies": codes, "dimension": "", "breakdown_value": ""},
            as_of_upload,
        ),
    )
    by_geo = points_by_place(rows)
    verdicts = []
    latest = []
    for g in catalogue.local_authorities:
        series = _combine(indicator, g, by_geo, catalogue)
        verdicts.append(place_verdict(g.code, g.name, assess(indicator, series, today)))
        valued = [p for p in series if p.value is not None]
        if valued:
            latest.append((g, max(valued, key=lambda p: p.end)))
    return verdicts, tuple(sorted(latest, key=lambda gp: gp[0].name))


def place_row(code: str, name: str, last: Point | None) -> dict[str, Any]:
    """One place's latest figure as a row of the comparison of places (place_comparison, and the
    comparators' rows metrics.context adds beside them)."""
    return {
        "code": code,
        "place": name,
        "period": last.period if last else None,
        "end": last.end if last else None,
        "value": last.value if last else None,
        "missing": last.missing if last else None,
        "status": last.status if last else None,
        "illustrative": last.illustrative if last else False,
        "derived": last.derived if last else False,
        "lower": last.lower if last else None,
        "upper": last.upper if last else None,
        "confidence": last.confidence if last else None,
    }


def place_comparison(
    indicator: Indicator,
    *,
    db: Db = None,
    catalogue: Catalogue | None = None,
    today: dt.date | None = None,
    as_of_upload: AsOf | None = None,
) -> pd.DataFrame:
    """The seven authorities' latest values (each its own latest period), for comparing places."""
    catalogue = catalogue or default_catalogue()
    rows = []
    with connect(db, read_only=True) as con:
        for g in catalogue.local_authorities:
            series = _series_for(con, indicator, g, None, catalogue, as_of_upload)
            last = series[-1] if series else None
            rows.append(place_row(g.code, g.name, last))
    return pd.DataFrame(rows)


def place_series_means(
    indicator: Indicator, *, db: Db = None, catalogue: Catalogue | None = None
) -> list[tuple[str, float]]:
    """Each period's mean of the seven authorities' figures (period label, mean), oldest first: the centre
    the sample's illustrative neighbour figures are drawn round (metrics.sample)."""
    catalogue = catalogue or default_catalogue()
    by_period: dict[tuple[dt.date, dt.date, str], list[float]] = {}
    with connect(db, read_only=True) as con:
        for g in catalogue.local_authorities:
            for p in _series_for(con, indicator, g, None, catalogue, None):
                if p.value is not None:
                    by_period.setdefault((p.start, p.end, p.period), []).append(p.value)
    return [(key[2], sum(v) / len(v)) for key, v in sorted(by_period.items())]


@dataclass(frozen=True)
class ActionView:
    id: str
    text: str
    milestone: bool
    status: str | None
    period: str | None
    note: str | None
    history: list[dict]
    indicators: tuple[str, ...]


def action_statuses(*, db: Db = None, as_of_upload: AsOf | None = None) -> dict[str, list[dict]]:
    """Each action's status history, newest quarter first."""
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(con, *read("current_action_statuses", {}, as_of_upload))
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["action_id"], []).append(r)
    return out


def plan(
    *, db: Db = None, catalogue: Catalogue | None = None, as_of_upload: AsOf | None = None
) -> list[dict[str, Any]]:
    """The plan as `kpi plan --json` prints it: themes, actions as written, latest status, indicators."""
    catalogue = catalogue or default_catalogue()
    history = action_statuses(db=db, as_of_upload=as_of_upload)
    themes = []
    for t in catalogue.themes:
        actions = []
        for a in t.actions:
            h = history.get(a.id, [])
            actions.append(
                {
                    "id": a.id,
                    "text": a.text,
                    "status": h[0]["status"] if h else None,
                    "indicators": [i.id for i in catalogue.indicators_for_action(a.id)],
                }
            )
        themes.append({"id": t.id, "name": t.name, "outcome": t.outcome, "actions": actions})
    return themes


def theme_actions(
    theme_id: str, *, db: Db = None, catalogue: Catalogue | None = None, as_of_upload: AsOf | None = None
) -> list[ActionView]:
    catalogue = catalogue or default_catalogue()
    history = action_statuses(db=db, as_of_upload=as_of_upload)
    out = []
    for a in catalogue.theme(theme_id).actions:
        h = history.get(a.id, [])
        out.append(
            ActionView(
                a.id,
                a.text,
                a.milestone,
                h[0]["status"] if h else None,
                h[0]["period"] if h else None,
                next((x["note"] for x in h if x["note"]), None),
                h,
                tuple(i.id for i in catalogue.indicators_for_action(a.id)),
            )
        )
    return out


def all_progress(
    *,
    db: Db = None,
    today: dt.date | None = None,
    catalogue: Catalogue | None = None,
    as_of_upload: AsOf | None = None,
) -> dict[str, Shown]:
    """Every indicator for the combined authority (or, where it has none, its own latest place view)."""
    catalogue = catalogue or default_catalogue()
    today = today or clock.today()
    geo = catalogue.combined_authority
    with connect(db, read_only=True) as con:  # once for all of them: opening the store is the slow part
        return {i.id: _show(con, i, geo, None, today, catalogue, as_of_upload) for i in catalogue.indicators}


class Verdicts:
    """Every indicator's combined-authority view for one data version, each worked out once and shared.

    The dashboard's server keeps one per data version (ui.data) for all its sessions: the Overview's
    headline cards ask for two verdicts, its themes for all of them, the Theme and Indicator pages for
    theirs, and each is assessed once, however many sessions and page runs ask. Callers get a copy
    (as Streamlit's data cache gives), so a page can never change what another session is shown.
    Safe across threads: one lock, taken before the store's own, so two sessions never both assess.
    """

    def __init__(self, *, db: Db = None, today: dt.date | None = None, catalogue: Catalogue | None = None):
        self._db = db
        self._today = today or clock.today()
        self._catalogue = catalogue or default_catalogue()
        self._done: dict[str, bytes] = {}  # indicator id -> the pickled Shown
        self._lock = threading.Lock()

    def one(self, indicator: Indicator) -> Shown:
        """One indicator's view, assessed now if no one has asked for it yet (one open of the store)."""
        with self._lock:
            if indicator.id not in self._done:
                shown = show(indicator, db=self._db, today=self._today, catalogue=self._catalogue)
                self._done[indicator.id] = pickle.dumps(shown)
            return pickle.loads(self._done[indicator.id])

    def every(self) -> dict[str, Shown]:
        """Every indicator's view, in catalogue order; those not yet assessed are, on one open of the store."""
        with self._lock:
            wanted = [i for i in self._catalogue.indicators if i.id not in self._done]
            if wanted:
                geo = self._catalogue.combined_authority
                with connect(self._db, read_only=True) as con:
                    for i in wanted:
                        shown = _show(con, i, geo, None, self._today, self._catalogue)
                        self._done[i.id] = pickle.dumps(shown)
            return {i.id: pickle.loads(self._done[i.id]) for i in self._catalogue.indicators}


def theme_summary(
    shown: dict[str, Shown],
    catalogue: Catalogue | None = None,
    action_history: dict[str, list[dict]] | None = None,
) -> list[dict[str, Any]]:
    """Per theme: its indicators counted by verdict, and its actions counted by latest status.

    Every indicator is counted under exactly one verdict, including those whose verdict is the
    seven authorities' summary, so each theme's counts add up to its number of indicators.
    Actions with no status reported yet are counted as "none".
    """
    catalogue = catalogue or default_catalogue()
    action_history = action_history or {}
    out = []
    for t in catalogue.themes:
        verdicts = dict.fromkeys(VERDICT_ORDER, 0)
        for i in catalogue.indicators_for_theme(t.id):
            verdicts[shown[i.id].progress.verdict] += 1
        actions = dict.fromkeys((*ACTION_STATUSES, "none"), 0)
        for a in t.actions:
            history = action_history.get(a.id) or []
            actions[history[0]["status"] if history else "none"] += 1
        out.append({"theme": t, "verdicts": verdicts, "actions": actions})
    return out


def uploads(*, db: Db = None) -> list[dict[str, Any]]:
    with connect(db, read_only=True) as con:
        return fetch_dicts(con, "list_uploads")


@dataclass(frozen=True)
class Freshness:
    data_as_at: dt.date | None  # the end of the newest period with data
    latest_upload_at: dt.datetime | None


def freshness(*, db: Db = None, as_of_upload: AsOf | None = None) -> Freshness:
    with connect(db, read_only=True) as con:
        end = fetch_dicts(con, *read("latest_period_with_data", {}, as_of_upload))[0]["period_end"]
        newest = None if as_of_upload is None else as_of_upload.upload_id  # undone or not, as it was listed
        latest = fetch_dicts(con, "latest_upload", {"as_of_upload": newest})
    up = latest[0] if latest else None
    return Freshness(end, up["uploaded_at"] if up else None)


def indicators_with_data(*, db: Db = None) -> dict[str, dict]:
    with connect(db, read_only=True) as con:
        return {r["indicator_id"]: r for r in fetch_dicts(con, "indicators_with_data")}
