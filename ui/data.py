"""Cached reads from the store, keyed on its data version so an upload shows at once everywhere.

The store is opened per read (never held), so `kpi ingest` from a scheduled job
can write while people browse. Cached values are copies: pages may not mutate them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from metrics import clock, context, dashboard, revisions, schemes
from metrics.catalogue import Geography, Indicator
from metrics.store import fingerprint

T = TypeVar("T")


def version() -> tuple:
    """The store's data version, read on every run so other processes' uploads show at once.

    For a DuckDB file, a stamp of the store's files (see metrics.store.fingerprint), not a query:
    cheap enough to check on every rerun without opening DuckDB. For PostgreSQL, the version the
    database holds (sql/queries/data_version.sql), so every replica sees another replica's write.
    """
    return fingerprint()


def show(
    indicator: Indicator,
    geography: Geography | None,
    breakdown: tuple[str, str] | None,
    data_version: tuple,
    today: str,
):
    """One series and its verdict. The combined authority's, with no breakdown, is the one the Overview,
    the Theme page and the Export page show too: it comes from the verdicts shared for this version."""
    if breakdown is None and (geography is None or geography.level == "combined_authority"):
        return verdicts(data_version, today).one(indicator)
    return _show(indicator, geography, breakdown, data_version, today)


@st.cache_data(show_spinner=False, max_entries=256)
def _show(
    indicator: Indicator,
    geography: Geography | None,
    breakdown: tuple[str, str] | None,
    data_version: tuple,
    today: str,
):
    return dashboard.show(indicator, geography, breakdown, today=clock.today())


@st.cache_data(show_spinner=False, max_entries=256)
def with_references(
    indicator: Indicator,
    geography: Geography | None,
    breakdown: tuple[str, str] | None,
    data_version: tuple,
    today: str,
):
    """The series (show) with England's and the region's beside it, where they compare (metrics.context)."""
    return context.with_references(show(indicator, geography, breakdown, data_version, today))


@st.cache_data(show_spinner=False, max_entries=128)
def comparators(indicator: Indicator, authority: Geography | None, data_version: tuple):
    """England's, the region's and (for a local authority) its statistical neighbours' series."""
    return context.comparator_series(indicator, authority)


@st.cache_resource(show_spinner=False, max_entries=4)
def verdicts(data_version: tuple, today: str) -> dashboard.Verdicts:
    """Every indicator's combined-authority verdict for this data version, each assessed once in this
    process and shared by every session and page run (a resource, not a copy per caller: it hands out
    copies itself). A new version (an upload, an undo, another process's `kpi ingest`) is a new one."""
    return dashboard.Verdicts(today=clock.today())


def all_progress(data_version: tuple, today: str):
    """Every indicator's combined-authority view (the Overview's and Theme page's verdicts)."""
    return verdicts(data_version, today).every()


@st.cache_data(show_spinner=False, max_entries=8)
def freshness(data_version: tuple):
    return dashboard.freshness()


@st.cache_data(show_spinner=False, max_entries=32)
def theme_actions(theme_id: str, data_version: tuple):
    return dashboard.theme_actions(theme_id)


@st.cache_data(show_spinner=False, max_entries=8)
def action_statuses(data_version: tuple):
    """Every action's status history, newest quarter first: what theme_summary rolls up."""
    return dashboard.action_statuses()


def drawn(what: tuple, data_version: tuple, today: str, draw: Callable[[], T]) -> T:
    """What `draw` makes of this data version's reads (a chart with its description and table), made
    once per `what` (every choice it depends on: page, indicator, place, group, periods) and shared.

    Building a Plotly figure costs 30 to 60 ms whatever its data (the Indicator page draws six), so a
    page's warm run would spend most of its time rebuilding figures it drew a moment ago. They are
    shared, not copied: callers only read them (st.plotly_chart serialises a copy).
    """
    return _drawn(what, data_version, today, _draw=draw)


@st.cache_resource(show_spinner=False, max_entries=512)
def _drawn(what: tuple, data_version: tuple, today: str, _draw: Callable[[], Any]) -> Any:
    return _draw()


def clear() -> None:
    """Called after every write (upload, undo) so no page shows old figures."""
    st.cache_data.clear()
    verdicts.clear()
    _drawn.clear()


# The pages resolve ids to catalogue objects once (frozen dataclasses: cheap to hash for the cache key)
# and pass the objects on; nothing below looks an id up again.


@st.cache_data(show_spinner=False, max_entries=64)
def place_comparison(indicator: Indicator, data_version: tuple, today: str):
    return dashboard.place_comparison(indicator, today=clock.today())


@st.cache_data(show_spinner=False, max_entries=128)
def breakdown_series(indicator: Indicator, geography: Geography, dimension: str, data_version: tuple):
    return dashboard.breakdown_series(indicator, geography, dimension)


@st.cache_data(show_spinner=False, max_entries=128)
def breakdown_groups(indicator: Indicator, geography: Geography, data_version: tuple):
    """The groups with a value here, for the breakdown menu (one query of distinct groups)."""
    return dashboard.breakdown_groups(indicator, geography)


@st.cache_data(show_spinner=False, max_entries=32)
def scheme_view(indicator: Indicator, geography: Geography, data_version: tuple):
    """The newest period's schemes as the page shows them: counted by the store, the lowest few listed
    (the full list is read only for its download, when the button is pressed)."""
    return schemes.scheme_view(indicator, geography)


@st.cache_data(show_spinner=False, max_entries=128)
def revision_history(
    indicator: Indicator, geography: Geography, breakdown: tuple[str, str] | None, data_version: tuple
):
    return revisions.revision_history(indicator, geography, breakdown)


@st.cache_data(show_spinner=False, max_entries=8)
def indicators_with_data(data_version: tuple):
    return dashboard.indicators_with_data()


@st.cache_data(show_spinner=False, max_entries=8)
def quarter_items(data_version: tuple, today: str):
    """What is due for the quarter being reported (metrics.cycle.due), once per data version: the
    verdicts come from the ones every page shares, not assessed again."""
    from metrics.cycle import due

    shown = verdicts(data_version, today).every()
    return due.quarter_items(today=clock.today(), verdicts={k: s.progress.verdict for k, s in shown.items()})
