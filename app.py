"""Overview: the one-glance page for leadership. Are we on track, and if not, why?

The plan's headline targets first (declared in data/indicators.yaml, `headlines:`), then each theme's indicators
counted by verdict and its actions by status, with the reason for every verdict that
needs attention. Thin: every number and every verdict comes from metrics.dashboard
through ui.data's cached reads; the words are metrics.words', as on every page.
"""

from __future__ import annotations

from collections import Counter

import streamlit as st

from metrics import clock, dashboard, views, words
from metrics.catalogue import default_catalogue
from metrics.words import long_date
from ui import data, exports, frame
from ui.text import plain

with frame.guard("Overview"):
    version = frame.start("Overview")
    catalogue = default_catalogue()
    today = clock.today().isoformat()

    st.title("Objective 2: are we on track?")
    # Which targets, in what order, and the link under each: declared in indicators.yaml (`headlines:`);
    # every figure and sentence on a card comes from metrics.views.
    # The headline cards are drawn from their own two reads, before the other indicators are assessed,
    # so the first screen does not wait for all of them.
    headline = {
        h.indicator: data.show(
            catalogue.indicator(h.indicator), catalogue.combined_authority, None, version, today
        )
        for h in catalogue.headlines
    }
    cards = views.headline_cards(headline, catalogue)
    # The verdicts first, in a line each: on a 320 by 700 px phone they are on the first screen.
    with st.container(key="headline_status"):
        st.markdown(
            "**Headline targets:**\n" + "\n".join(f"- {plain(line)}" for line in views.headline_status(cards))
        )
    st.markdown(
        f"{plain(catalogue.objective_text)}. This page shows the scheme's two headline targets, then how "
        "each theme's indicators stand against their targets."
    )

    st.header("Headline targets")
    for card in cards:
        ind, prog = card.shown.indicator, card.shown.progress
        with st.container(border=True, key=f"headline_{ind.id}"):
            st.subheader(ind.name)
            st.markdown(frame.verdict_line(prog))
            if card.figure is not None:
                left, right = st.columns([1, 2])
                with left:
                    st.metric(card.figure_label, card.figure)
                    st.markdown(f"**Target:** {card.target}")
                with right:
                    if card.breaking:
                        # Scheme and authority names are user text from uploads: shown through plain().
                        st.markdown(f"**{card.breaking_intro}**")
                        st.markdown("\n".join(f"- ✕ {plain(line)}" for line in card.breaking))
                        if card.breaking_more:
                            st.markdown(card.breaking_more)
                    elif card.all_meet:
                        st.markdown(card.all_meet)
                    if card.fraction is not None:
                        st.progress(card.fraction, text=card.fraction_text)
                    st.caption(card.status_note)
            frame.indicator_link(ind.id, card.link_label)
            # The indicator's full chart and data for a paper: drawn or written only when pressed.
            exports.export_buttons(
                *exports.indicator_files(card.shown, version, today),
                key=f"headline_{ind.id}_export",
                folded=True,
                lazy=True,
            )

    st.header("Progress by theme")
    progress = data.all_progress(version, today)
    summary = dashboard.theme_summary(progress, catalogue, action_history=data.action_statuses(version))
    verdict_totals = Counter()
    action_totals = Counter()
    for row in summary:
        verdict_totals.update(row["verdicts"])
        action_totals.update(row["actions"])
    st.markdown(
        f"**Indicators ({sum(verdict_totals.values())}):** {words.verdict_counts(verdict_totals)}.  \n"
        f"**Actions ({sum(action_totals.values())}), by their latest quarterly status:** "
        f"{words.action_counts(action_totals)}."
    )
    st.markdown(
        "Each verdict comes with a sentence saying why; the ones that need attention are listed under their theme."
    )
    st.page_link(frame.ABOUT_PAGE, label="How a verdict is worked out (About the data)")
    exports.page_table_buttons(
        views.theme_summary_table(summary),
        title="Progress by theme",
        file_stem="progress-by-theme",
        header=[
            ("Shows", "Each theme's indicators by verdict and actions by latest status"),
            ("As at", long_date(clock.today())),
        ],
        key="themes_download",
        what="the progress by theme",
    )

    for start in range(0, len(summary), 2):
        columns = st.columns(2)
        for column, row in zip(columns, summary[start : start + 2], strict=False):
            theme = row["theme"]
            with column, st.container(border=True, key=f"theme_{theme.id}"):
                st.subheader(theme.name)
                st.markdown(
                    f"**Indicators ({sum(row['verdicts'].values())}):** {words.verdict_counts(row['verdicts'])}  \n"
                    f"**Actions ({sum(row['actions'].values())}):** {words.action_counts(row['actions'])}"
                )
                worrying = views.needing_attention(progress, catalogue, theme.id)
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
