"""Theme: one theme's outcome, every action as the plan words it, its status, and what measures it.

The theme is in the URL (?theme=affordable_housing) so a link from the Overview,
a board paper or an e-mail opens the same theme. Thin: actions and statuses come
from metrics.dashboard through ui.data; charts from metrics.charts.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import charts, clock, dashboard, export, words
from metrics.catalogue import default_catalogue
from metrics.words import format_value
from ui import commentary, data, exports, frame, widgets
from ui.text import plain

with frame.guard("Theme"):
    version = frame.start("Theme")
    catalogue = default_catalogue()
    today = clock.today().isoformat()
    themes = {t.id: t for t in catalogue.themes}

    theme_id, rejected = widgets.url_value("theme", list(themes))
    theme = themes[theme_id]

    frame.title(f"Theme: {theme.name}")
    st.title(f"Theme: {theme.name}")
    if rejected:
        st.warning(
            f"There is no theme with the id '{plain(rejected)}'. This page shows {theme.name}: "
            "choose another theme from the list."
        )
    widgets.url_selectbox("Choose a theme", list(themes), "theme", format_func=lambda t: themes[t].name)

    st.markdown(f"**Outcome sought:** {plain(theme.outcome)}")
    progress = data.all_progress(version, today)
    actions = data.theme_actions(theme_id, version)
    held = data.indicators_with_data(version)

    indicators = catalogue.indicators_for_theme(theme_id)
    summary = dashboard.theme_summary(progress, catalogue, action_history=data.action_statuses(version))
    counts = next(row for row in summary if row["theme"].id == theme_id)
    st.markdown(
        f"**Indicators ({len(indicators)}):** {words.verdict_counts(counts['verdicts'])}  \n"
        f"**Actions ({len(actions)}), by their latest quarterly status:** {words.action_counts(counts['actions'])}"
    )

    st.header("Actions")
    for action in actions:
        with st.container(border=True, key=f"action_{action.id}"):
            st.subheader(f"Action {action.id}")
            st.markdown(plain(action.text))
            when = f" ({action.period})" if action.period else ""
            st.markdown(f"**Latest status{when}:** {words.action_status_label(action.status)}")
            if action.note:
                st.markdown(f"**Note:** {plain(action.note)}")
            commentary.approved("action", action.id, version)
            if action.history:
                with st.expander(f"Status history for action {action.id} ({len(action.history)} quarters)"):
                    history = pd.DataFrame(
                        [
                            {
                                "Quarter": h["period"],
                                "Status": words.action_status_label(h["status"]),
                                "Note": h.get("note") or "",
                            }
                            for h in action.history
                        ]
                    )
                    widgets.show_table(history, key=f"history_{action.id}")
                    # Notes are typed by uploaders: the files are formula-safe (never Streamlit's toolbar).
                    exports.page_table_buttons(
                        history,
                        title=f"Action {action.id}: status history",
                        file_stem=export.slug("action", action.id, "status-history"),
                        header=[("Theme", theme.name), ("Action", action.text)],
                        key=f"history_{action.id}_download",
                        what="the status history",
                    )
            if action.milestone:
                st.markdown(
                    "**Milestone action:** there is nothing to count, so it is tracked by its quarterly status alone."
                )
                continue
            st.markdown("**Measured by:**")
            for indicator_id in action.indicators:
                shown = progress[indicator_id]
                ind, prog = shown.indicator, shown.progress
                with st.container(key=f"measure_{action.id}_{indicator_id}"):
                    text_column, trend = st.columns([3, 2])
                    with text_column:
                        frame.indicator_link(indicator_id, ind.short_name)
                        if prog.latest_value is not None:
                            latest = f"{format_value(ind, prog.latest_value)} ({prog.latest_period})"
                        elif indicator_id in held:
                            latest = "by local authority only (no combined authority figure)"
                        else:
                            latest = "no data yet"
                        st.markdown(f"Latest: **{latest}** · Target: {words.target_text(ind)}")
                        st.markdown(frame.verdict_line(prog))
                        commentary.approved("indicator", indicator_id, version, where=action.id)
                    with trend:
                        if any(p.value is not None for p in shown.series):
                            st.plotly_chart(
                                charts.sparkline(shown),
                                theme=None,
                                config=widgets.STATIC_CONFIG,
                                key=f"spark_{action.id}_{indicator_id}",
                                width="content",
                                alt=charts.describe_sparkline(shown),
                            )
                        st.caption(plain(charts.describe_sparkline(shown)))
                    # The sparkline is a glance; a paper gets the indicator's full chart, as `kpi export chart`.
                    exports.export_buttons(
                        *exports.indicator_files(shown, version, today),
                        key=f"export_{action.id}_{indicator_id}",
                        folded=True,
                        lazy=True,
                    )

    frame.footer()
