"""Cached reads from the store, keyed on its data version so an upload shows at once everywhere.

The store is opened per read (never held), so `kpi ingest` from a scheduled job
can write while people browse. Cached values are copies: pages may not mutate them.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from metrics import clock, dashboard
from metrics.store import fingerprint


def version() -> tuple:
    """The store's data version, read on every run so other processes' uploads show at once.

    A stamp of the store's files (see metrics.store.fingerprint), not a query: cheap enough to
    check on every rerun without opening DuckDB.
    """
    return fingerprint()


@st.cache_data(show_spinner=False, max_entries=256)
def show(indicator_id: str, geography: str | None, breakdown: str | None, data_version: tuple, today: str):
    return dashboard.show(indicator_id, geography, breakdown, today=clock.today())


@st.cache_data(show_spinner=False, max_entries=8)
def all_progress(data_version: tuple, today: str):
    return dashboard.all_progress(today=clock.today())


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


def clear() -> None:
    """Called after every write (upload, undo) so no page shows old figures."""
    st.cache_data.clear()


# The pages ask by id and code (hashable, cheap to key on); the catalogue turns them into objects.


@st.cache_data(show_spinner=False, max_entries=64)
def place_comparison(indicator_id: str, data_version: tuple, today: str):
    return dashboard.place_comparison(dashboard.indicator_or_raise(indicator_id), today=clock.today())


@st.cache_data(show_spinner=False, max_entries=128)
def breakdown_series(indicator_id: str, geography: str | None, dimension: str, data_version: tuple):
    indicator = dashboard.indicator_or_raise(indicator_id)
    return dashboard.breakdown_series(indicator, dashboard.geography_or_raise(geography), dimension)


@st.cache_data(show_spinner=False, max_entries=32)
def project_shares(
    indicator_id: str, geography: str | None, data_version: tuple, period_end: dt.date | None = None
):
    """Every scheme's share, or only the period ending on `period_end` (all a status needs)."""
    indicator = dashboard.indicator_or_raise(indicator_id)
    return dashboard.project_shares(indicator, dashboard.geography_or_raise(geography), period_end=period_end)


@st.cache_data(show_spinner=False, max_entries=128)
def revision_history(indicator_id: str, geography: str | None, breakdown: str | None, data_version: tuple):
    indicator = dashboard.indicator_or_raise(indicator_id)
    return dashboard.revision_history(
        indicator, dashboard.geography_or_raise(geography), dashboard.parse_breakdown(breakdown, indicator)
    )


@st.cache_data(show_spinner=False, max_entries=8)
def indicators_with_data(data_version: tuple):
    return dashboard.indicators_with_data()
