"""Approved owners' commentary beside a figure, and the flags for figures revised since a board saw them.

Read once per data version (any commentary version or upload changes it) and shown as plain text:
commentary is user text (ui.text.plain), never Markdown a writer could use to disguise a link.
"""

from __future__ import annotations

import streamlit as st

from metrics import clock
from metrics.catalogue import Indicator
from metrics.cycle import commentary as notes
from metrics.cycle.locks import revised_since_presented
from metrics.cycle.rules import cycle_rules
from ui.text import plain


@st.cache_data(show_spinner=False, max_entries=512)
def _shown(kind: str, subject_id: str, data_version: tuple, today: str) -> notes.Shown | None:
    return notes.shown(kind, subject_id, cycle_rules().quarter(clock.today()))


@st.cache_data(show_spinner=False, max_entries=256)
def _revised(indicator: Indicator, data_version: tuple, today: str) -> list:
    return revised_since_presented(indicator, today=clock.today())


def approved(kind: str, subject_id: str, data_version: tuple, *, where: str = "") -> None:
    """The owner's approved commentary for the quarter being reported, if there is one. `where` tells two
    places on one page apart (an indicator listed under two actions on the Theme page)."""
    c = _shown(kind, subject_id, data_version, clock.today().isoformat())
    if c is None:
        return
    with st.container(border=True, key=f"commentary_{kind}_{subject_id}{'_' + where if where else ''}"):
        st.markdown(
            f"**Owner's commentary, {c.quarter}** (approved by {plain(c.approved_by)} on {clock.long_date(c.approved_on)})"
        )
        if c.revised_note:
            st.warning(c.revised_note)
        for label, text in (
            ("What happened", c.happened),
            ("Why", c.why),
            ("What happens next", c.next_steps),
        ):
            if text:
                st.markdown(f"**{label}:** {plain(text)}")


def revised_flags(indicator: Indicator, data_version: tuple) -> None:
    """Figures that differ from what a board was shown: allowed, never silent."""
    for r in _revised(indicator, data_version, clock.today().isoformat()):
        st.warning(r.sentence(indicator))
