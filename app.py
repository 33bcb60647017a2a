"""Overview: the one-glance page for leadership. Are we on track, and if not, why?

The two headline targets first (the 20% affordable minimum in every SCF scheme, and
6,000 people through the Jobs and Skills Academy), then each theme's indicators
counted by status, with the reason for anything at risk or off track. Thin: every
number comes from metrics.dashboard through ui.data's cached reads.
"""

from __future__ import annotations

import streamlit as st

from metrics import charts, clock, dashboard
from metrics.catalogue import default_catalogue
from metrics.progress import format_value
from ui import data, frame
from ui.text import plain

AFFORDABLE = "affordable_housing_share_scf"
ACADEMY = "jobs_skills_academy_people_supported"

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
    if prog.latest_value is None:
        st.markdown(f"{frame.status_label(prog.rag)}: {plain(prog.reason)}")
    else:
        left, right = st.columns([1, 2])
        with left:
            st.metric(f"All schemes, {prog.latest_period}", format_value(ind, prog.latest_value))
            st.markdown(f"**Target:** {charts.target_text(ind)} in every scheme")
            st.markdown(f"**Status:** {frame.status_label(prog.rag)}")
        with right:
            st.markdown(plain(prog.reason))
            below = prog.projects_below or []
            if prog.projects_total:
                if below:
                    latest_end = max(p.end for p in shown.series if p.value is not None)
                    latest = data.project_shares(AFFORDABLE, None, version, latest_end)
                    share_of = dict(zip(latest["project"], latest["share"], strict=True))
                    verb = "is" if len(below) == 1 else "are"
                    st.markdown(f"**{len(below)} of {prog.projects_total} schemes {verb} below 20%:**")
                    st.markdown(
                        "\n".join(
                            f"- ✕ {plain(name)}: {format_value(ind, share_of.get(name))}" for name in below
                        )
                    )
                else:
                    st.markdown(f"All {prog.projects_total} schemes meet 20%.")
            st.caption(frame.statistics_status_note(ind.statistics_status, shown.illustrative))
    frame.indicator_link(AFFORDABLE, "See every scheme's share on the indicator page")

# (b) People supported by the Jobs and Skills Academy against 6,000.
shown = progress[ACADEMY]
ind, prog = shown.indicator, shown.progress
with st.container(border=True, key="headline_academy"):
    st.subheader("People supported by the Commonwealth Games Jobs and Skills Academy")
    if prog.latest_value is None or prog.target is None:
        st.markdown(f"{frame.status_label(prog.rag)}: {plain(prog.reason)}")
    else:
        value, goal = prog.latest_value, prog.target
        left, right = st.columns([1, 2])
        with left:
            st.metric(f"People, to {prog.latest_period}", format_value(ind, value))
            st.markdown(f"**Target:** {charts.target_text(ind)}")
            st.markdown(f"**Status:** {frame.status_label(prog.rag)}")
        with right:
            st.progress(
                min(1.0, max(0.0, value / goal)),
                text=(
                    f"{format_value(ind, value)} of {format_value(ind, goal)} people "
                    f"({value / goal:.0%} of the target)"
                ),
            )
            if prog.reached_date is not None:
                first = next(p for p in shown.series if p.value is not None and p.value >= goal)
                when = (
                    "by the target date"
                    if prog.target_date and prog.reached_date <= prog.target_date
                    else ("after the target date")
                )
                st.markdown(
                    f"**Target reached** in {first.period} (the quarter ending "
                    f"{clock.long_date(prog.reached_date)}), {when}."
                )
            elif prog.projected_date_to_target is not None:
                span = ""
                if prog.projected_date_low and prog.projected_date_high:
                    span = (
                        f" (80% range: {clock.long_date(prog.projected_date_low)} to "
                        f"{clock.long_date(prog.projected_date_high)})"
                    )
                st.markdown(
                    f"**Projected date** to reach {format_value(ind, goal)}: around "
                    f"{clock.long_date(prog.projected_date_to_target)}{span}."
                )
            else:
                st.markdown("**Projected date:** on the current trend the target would not be reached.")
            st.markdown(plain(prog.reason))
            st.caption(frame.statistics_status_note(ind.statistics_status, shown.illustrative))
    frame.indicator_link(ACADEMY, "See the Academy's figures by quarter")

st.header("Progress by theme")
summary = dashboard.theme_summary(progress, catalogue)
totals = {k: sum(row[k] for row in summary) for k in frame.COUNT_KEYS}
st.markdown(
    f"Of the {len(progress)} indicators: "
    + ", ".join(frame.count_label(k, totals[k]) for k in frame.COUNT_KEYS)
    + ". An indicator with no target has no status; **About the data** explains how a status is worked out."
)
st.page_link(frame.ABOUT_PAGE, label="How the status is worked out (About the data)")

for start in range(0, len(summary), 2):
    columns = st.columns(2)
    for column, row in zip(columns, summary[start : start + 2], strict=False):
        theme = row["theme"]
        with column, st.container(border=True, key=f"theme_{theme.id}"):
            st.subheader(theme.name)
            st.markdown(" · ".join(frame.count_label(k, row[k]) for k in frame.COUNT_KEYS))
            worrying = [
                progress[i.id]
                for i in catalogue.indicators_for_theme(theme.id)
                if progress[i.id].progress.rag in ("red", "amber")
                and progress[i.id].progress.latest_value is not None
            ]
            worrying.sort(key=lambda s: (s.progress.rag != "red", s.indicator.short_name))
            if worrying:
                st.markdown("**Why:**")
                st.markdown(
                    "\n".join(
                        f"- {frame.status_label(s.progress.rag)}: {plain(s.progress.reason)}"
                        for s in worrying
                    )
                )
            st.page_link(
                frame.THEME_PAGE,
                label=f"Open the {theme.name} theme",
                query_params={"theme": theme.id},
            )

frame.footer()
