"""Cached reads from the store, keyed on its data version so an upload shows at once everywhere.

The store is opened per read (never held), so `kpi ingest` from a scheduled job
can write while people browse. Cached values are copies: pages may not mutate them.
"""

from __future__ import annotations

import streamlit as st

from metrics import clock, dashboard
from metrics.store import data_version as store_data_version
from metrics.store import store_path


def version() -> tuple:
    """The store's data version; cheap, read on every run so other processes' uploads show."""
    return (str(store_path()), *store_data_version())


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


def clear() -> None:
    """Called after every write (upload, undo) so no page shows old figures."""
    st.cache_data.clear()
