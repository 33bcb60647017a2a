"""The shared frame of every page: page set-up, "data as at", the status of the statistics, the footer.

One place, so every page says when the data was last updated and where it came
from in the same words (GOV.UK: every page says when it was updated).
"""

from __future__ import annotations

import streamlit as st

from metrics import clock
from metrics.catalogue import STATISTICS_STATUS_LABELS
from metrics.store import StoreUnavailable
from ui import data

APP_TITLE = "Equity and Inclusion Scheme 2022-24: Objective 2"

STATUS_WORDS = {
    "green": ("On track", "✅"),
    "amber": ("At risk", "⚠️"),
    "red": ("Off track", "❌"),
    "none": ("No status", "➖"),
}


def status_label(rag: str) -> str:
    """Status as an icon and a word, never colour alone (WCAG 1.4.1)."""
    word, icon = STATUS_WORDS.get(rag, STATUS_WORDS["none"])
    return f"{icon} {word}"


def start(page_title: str) -> tuple:
    """Set up the page and print the frame's header; returns the store's data version for caching."""
    st.set_page_config(page_title=f"{page_title} - {APP_TITLE}", page_icon="📊", layout="wide")
    try:
        version = data.version()
    except StoreUnavailable as exc:
        st.error(f"The dashboard has no data store yet. {exc}")
        st.stop()
    fresh = data.freshness(version)
    as_at = clock.long_date(fresh.data_as_at) if fresh.data_as_at else "no data yet"
    uploaded = clock.long_date(fresh.latest_upload_at.date()) if fresh.latest_upload_at else "no uploads yet"
    st.caption(f"{APP_TITLE} · Data as at {as_at} · Latest upload {uploaded}")
    return version


def statistics_status_note(status: str, illustrative: bool) -> str:
    label = STATISTICS_STATUS_LABELS.get(status, status)
    if illustrative and status != "illustrative":
        return f"{label}; some values shown are illustrative sample data"
    if status == "illustrative":
        return "Illustrative: sample values, not published figures"
    return label


def footer() -> None:
    st.divider()
    st.caption(
        "West Midlands Combined Authority · Equity and Inclusion Scheme 2022-24, Objective 2 · "
        "Sources are given under each chart; see About the data for methods, limitations and how to report "
        "a problem. Figures marked illustrative are sample values, not published statistics."
    )
