"""Overview: the one-glance page for leadership. Are we on track, and if not, why?

The two headline targets first (the 20% affordable minimum in every SCF scheme, and
6,000 people through the Jobs and Skills Academy), then each theme's indicators
counted by verdict and its actions by status, with the reason for every verdict that
needs attention. Thin: every number and every verdict comes from metrics.dashboard
through ui.data's cached reads; the words are metrics.words', as on every page.
"""

from __future__ import annotations

from collections import Counter

import streamlit as st

from metrics import clock, dashboard, words
from metrics.catalogue import default_catalogue
from metrics.words import VERDICT_ORDER, format_value
from ui import data, frame
from ui.text import plain

AFFORDABLE = "affordable_housing_share_scf"
ACADEMY = "jobs_skills_academy_people_supported"
# The verdicts a board needs to read the reason for, listed under each theme, worst first.
NEEDS_ATTENTION = ("missed", "off_track", "at_risk", "met_late", "awaiting_data")

with frame.guard("Overview"):
    version = frame.start("Overview")
    catalogue = default_catalogue()
    today = clock.today().isoformat()
    progress = data.all_progress(version, today)

    st.title("Objective 2: are we on track?")
    st.markdown(
        f"{plain(catalogue.objective_text)}. This page shows the scheme's two headline targets, then how "
        "each theme's indicators stand against their targets."
    )

    st.header("Headline targets")

    # (a) The affordable share across SCF-supported schemes, and every scheme against 20%.
    shown = progress[AFFORDABLE]
    ind, prog = shown.indicator, shown.progress
    with st.container(border=True, key="headline_affordable"):
        st.subheader("Affordable homes in schemes supported through the Single Commissioning Framework")
        st.markdown(frame.verdict_line(prog))
        if prog.latest_value is not None:
            left, right = st.columns([1, 2])
            with left:
                st.metric(f"All schemes, {prog.latest_period}", format_value(ind, prog.latest_value))
                st.markdown(f"**Target:** {words.target_text(ind)}")
            with right:
                if prog.breaking:
                    # The schemes breaking the floor, lowest first, as the verdict found them (names are
                    # user text from uploads: shown through plain()).
                    st.markdown(f"**Schemes below the minimum in {prog.latest_period}, lowest first:**")
                    st.markdown(
                        "\n".join(
                            f"- ✕ {plain(name)}: {format_value(ind, value)}" for name, value in prog.breaking
                        )
                    )
                elif prog.projects_total:
                    st.markdown(
                        f"All {prog.projects_total} schemes meet the minimum in {prog.latest_period}."
                    )
                st.caption(words.statistics_status_text(ind.statistics_status, shown.illustrative))
        frame.indicator_link(AFFORDABLE, "See every scheme's share on the indicator page")

    # (b) People supported by the Jobs and Skills Academy against 6,000.
    shown = progress[ACADEMY]
    ind, prog = shown.indicator, shown.progress
    with st.container(border=True, key="headline_academy"):
        st.subheader("People supported by the Commonwealth Games Jobs and Skills Academy")
        # The verdict (target met, met late, missed, ...) is the core's, never worked out here.
        st.markdown(frame.verdict_line(prog))
        if prog.latest_value is not None and prog.target:
            value, goal = prog.latest_value, prog.target
            left, right = st.columns([1, 2])
            with left:
                st.metric(f"People, to {prog.latest_period}", format_value(ind, value))
                st.markdown(f"**Target:** {words.target_text(ind)}")
            with right:
                st.progress(
                    min(1.0, max(0.0, value / goal)),
                    text=(
                        f"{format_value(ind, value)} of {format_value(ind, goal)} people "
                        f"({value / goal:.0%} of the target)"
                    ),
                )
                st.caption(words.statistics_status_text(ind.statistics_status, shown.illustrative))
        frame.indicator_link(ACADEMY, "See the Academy's figures by quarter")

    st.header("Progress by theme")
    summary = dashboard.theme_summary(progress, catalogue, action_history=data.action_statuses(version))
    verdict_totals = Counter()
    action_totals = Counter()
    for row in summary:
        verdict_totals.update(row["verdicts"])
        action_totals.update(row["actions"])
    st.markdown(
        f"**Indicators ({sum(verdict_totals.values())}):** {frame.verdict_counts(verdict_totals)}.  \n"
        f"**Actions ({sum(action_totals.values())}), by their latest quarterly status:** "
        f"{frame.action_counts(action_totals)}."
    )
    st.markdown(
        "Each verdict comes with a sentence saying why; the ones that need attention are listed under their theme."
    )
    st.page_link(frame.ABOUT_PAGE, label="How a verdict is worked out (About the data)")

    for start in range(0, len(summary), 2):
        columns = st.columns(2)
        for column, row in zip(columns, summary[start : start + 2], strict=False):
            theme = row["theme"]
            with column, st.container(border=True, key=f"theme_{theme.id}"):
                st.subheader(theme.name)
                st.markdown(
                    f"**Indicators ({sum(row['verdicts'].values())}):** {frame.verdict_counts(row['verdicts'])}  \n"
                    f"**Actions ({sum(row['actions'].values())}):** {frame.action_counts(row['actions'])}"
                )
                worrying = [
                    progress[i.id]
                    for i in catalogue.indicators_for_theme(theme.id)
                    if progress[i.id].progress.verdict in NEEDS_ATTENTION
                ]
                worrying.sort(key=lambda s: (VERDICT_ORDER.index(s.progress.verdict), s.indicator.short_name))
                if worrying:
                    st.markdown("**Why:**")
                    st.markdown(
                        "\n".join(
                            f"- {plain(s.indicator.short_name)} — {frame.verdict_line(s.progress)}"
                            for s in worrying
                        )
                    )
                st.page_link(
                    frame.THEME_PAGE,
                    label=f"Open the {theme.name} theme",
                    query_params={"theme": theme.id},
                )

    frame.footer()
