"""About the data: what each indicator is and whether it has data, how a verdict is worked out,
known limitations, how to report a problem, and the accessibility statement.

The tables are built from the catalogue and the store, so a new indicator appears
here without editing this page. The description of the verdict rules follows
metrics/verdicts.py and metrics/projection.py as built; the numbers in it (window,
minimum figures, simulations, range, thresholds, base periods) are read from those
modules and the catalogue rather than copied.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

from metrics import clock, projection, verdicts, words
from metrics.catalogue import DEFAULT_PLAN_START, STATISTICS_STATUS_LABELS, default_catalogue
from metrics.cycle.rules import cycle_rules
from metrics.periods import period_for_date
from metrics.words import VERDICT_MEANINGS, VERDICT_ORDER, verdict_label
from ui import data, frame, widgets
from ui.text import plain

SERIES_BREAK_WORDS = ("not comparable", "series break", "changed in", "revised each year")

RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red", "none": "None"}
APPLIES_TO_TEXT = {
    "combined_authority": "The combined authority's own figure",
    "every_scheme": "Every scheme on its own",
    "every_authority": "Every local authority on its own",
}


def _base_label(frequency: str, year_type: str) -> str:
    return period_for_date(DEFAULT_PLAN_START, frequency, year_type).label


with frame.guard("About the data"):
    version = frame.start("About the data")
    catalogue = default_catalogue()
    held = data.indicators_with_data(version)
    themes = {t.id: t.name for t in catalogue.themes}

    st.title("About the data")
    st.markdown(
        "What each indicator measures and where it comes from, how its verdict is worked out, what to be careful "
        "of, how to tell us about a problem, and how accessible this dashboard is."
    )
    st.markdown(
        "- [Reporting status of every indicator](#reporting-status)\n"
        "- [How a verdict is worked out](#how-a-verdict-is-worked-out)\n"
        "- [Known limitations](#known-limitations)\n"
        "- [Report a problem with the data](#report-a-problem-with-the-data)\n"
        "- [Accessibility statement](#accessibility-statement)"
    )

    # --- reporting status ---------------------------------------------------------------------------------

    st.header("Reporting status", anchor="reporting-status")
    st.markdown(
        f"{len(catalogue.indicators)} indicators, {sum(1 for i in catalogue.indicators if i.id in held)} with data "
        "in the store. Data held counts every value for every place and group; a date is the end of the newest "
        "period. Values held says whether the figures shown for the combined authority (or, where it has none, "
        "each authority's latest) are published or illustrative."
    )
    shown_now = data.all_progress(version, clock.today().isoformat())

    def _kind_of_values(indicator_id: str) -> str:
        """Whether the figures shown are published or illustrative, from each value's own flag."""
        shown = shown_now[indicator_id]
        points = [p for p in shown.series if p.value is not None] + [p for _, p in shown.local_latest]
        made_up = sum(p.illustrative for p in points)
        if not points:
            return "No data yet"
        if made_up == 0:
            return "Published"
        if made_up == len(points):
            return "Illustrative"
        return f"Both: {made_up} of {len(points)} illustrative"

    rows = []
    for ind in catalogue.indicators:
        h = held.get(ind.id)
        rows.append(
            {
                "Indicator": ind.short_name,
                "Theme": themes.get(ind.theme, ind.theme),
                "Status of the statistics": STATISTICS_STATUS_LABELS.get(
                    ind.statistics_status, ind.statistics_status
                ),
                "Source": f"{ind.source_publication} from {ind.source_publisher}",
                "Next update": ind.next_update,
                "Target": words.target_phrase(ind) or "No target",
                "Data held": (
                    f"Yes: {h['values_held']:,} value{'s' if h['values_held'] != 1 else ''}, to "
                    f"{clock.long_date(h['latest_end'])}"
                    if h
                    else "No data yet"
                ),
                "Values held": _kind_of_values(ind.id),
            }
        )
    # Eight columns: a table on a laptop, a card for each indicator on a phone.
    widgets.table_or_cards(pd.DataFrame(rows), "reporting_status", "Reporting status of every indicator")

    # --- how a verdict is worked out ----------------------------------------------------------------------

    st.header("How a verdict is worked out", anchor="how-a-verdict-is-worked-out")
    st.markdown(
        f"Every indicator gets one of {len(VERDICT_MEANINGS)} verdicts, always shown as a symbol and words, never "
        "colour alone, and always with one sentence saying why (naming the schemes or authorities concerned). "
        "The Overview, each indicator page, the chart titles, the board packs and the `kpi show` command use "
        "the same words. Verdicts are judged on the date the page is shown (today, "
        f"{clock.long_date(clock.today())}), on figures that are not missing. The rules are in "
        "`metrics/verdicts.py` and `metrics/projection.py`; the numbers on this page are read from them and "
        "from the indicator catalogue."
    )
    widgets.show_table(
        pd.DataFrame(
            [
                {
                    "Verdict": verdict_label(v),
                    "What it means": VERDICT_MEANINGS[v],
                    "Red, amber or green": (
                        RAG_WORDS[verdicts.VERDICT_RAG[v]]
                        if v in verdicts.VERDICT_RAG
                        else "That of the pace so far"
                    ),
                }
                for v in VERDICT_ORDER
            ]
        ),
        key="verdicts",
    )

    st.subheader("Floors and ceilings (at least, at most)")
    floors = [i for i in catalogue.indicators if i.target is not None and i.target.date is None]
    st.markdown(
        "A minimum or maximum with no date is judged on the latest figure: at or above a minimum (at or below a "
        "maximum) is **target met**; otherwise it is **off track**. There is no in-between: the plan says "
        '"at least" and "at most".\n\n'
        "A floor or ceiling that applies to **every scheme** or **every authority** is broken when any one of "
        "them breaks it, whatever the total shows: the verdict is **off track**, and the sentence names them, "
        f"the furthest from the target first (the first {verdicts.NAMED_AT_MOST} by name, the rest counted). "
        "Where every scheme with a figure meets it but a scheme's figure is missing, the verdict is **at risk**: "
        "not every scheme is known to meet it. Where the combined authority's own figure meets it but an "
        "authority has no figure, likewise."
    )
    if floors:
        widgets.show_table(
            pd.DataFrame(
                [
                    {
                        "Indicator": i.short_name,
                        "Target": words.target_phrase(i),
                        "Applies to": APPLIES_TO_TEXT.get(i.target.applies_to, i.target.applies_to),  # type: ignore[union-attr]
                    }
                    for i in floors
                ]
            ),
            key="floors",
        )

    st.subheader("Targets with a date")
    dated = [i for i in catalogue.indicators if i.target is not None and i.target.date is not None]
    example = dated[0] if dated else None
    deciding = (
        f" (for {words.target_phrase(example)}, the figure for "
        f"{period_for_date(example.target.date, example.frequency, example.year_type).label})"  # type: ignore[union-attr]
        if example
        else ""
    )
    st.markdown(
        "A running total or a level to reach by a date:\n\n"
        "- **Before the date**, it is **target met** if the latest figure meets the target; otherwise the "
        "verdict comes from the pace so far (below).\n"
        f"- **After the date**, it is judged on the figure for the period that covers the date{deciding}. "
        "If that figure, or for a running total any "
        "figure up to it, meets the target: **target met**. If the target was reached only in a later period: "
        "**met late**, and the sentence says how many months late. If that figure falls short and no later one "
        "meets it: **missed**. If no figure for that period will come (it is missing, or the programme has "
        "closed), the nearest figure decides.\n"
        "- While the figure for that period is not in yet, the verdict is **awaiting data**, and the sentence "
        "gives the pace so far and what it would make the verdict."
    )

    st.subheader("The pace so far")
    common = Counter((i.threshold_green, i.threshold_amber) for i in catalogue.indicators).most_common(1)
    usual = (
        f" Most indicators count {common[0][0][0]:.0%} of the pace needed or more as on track and "
        f"{common[0][0][1]:.0%} or more as at risk."
        if common
        else ""
    )
    st.markdown(
        "The pace method is adapted from Open SDG's progress method, not a copy of it. The **pace ratio** is "
        "the straight-line change per year since the indicator's **base period**, divided by the change per "
        "year needed from the base period to reach the target by its date. A running total counts from zero "
        "at the start of the base period; a level counts from its first figure in or after the base period, "
        "so it needs at least two figures (with one, the verdict is **awaiting data**: one figure shows where things stand, "
        "not which way they are going). A level that already met the target at the base period and no longer "
        "does is **off track**.\n\n"
        "A ratio at or above the indicator's on-track threshold is **on track**; at or above its at-risk "
        "threshold, **at risk**; below that, or moving away from the target, **off track**."
        f"{usual}\n\n"
        "The base period is declared for each indicator, so loading older history never moves today's "
        f"verdict. Unless an indicator declares its own, it is the period that holds "
        f"{clock.long_date(DEFAULT_PLAN_START)}, the plan's first day: "
        f"{_base_label('quarter', 'financial')} for a quarterly indicator, or the year containing that day "
        f"({_base_label('year', 'financial')} for a financial year, {_base_label('year', 'calendar')} for a "
        "calendar year)."
    )
    if dated:
        st.markdown("Each indicator with a dated target:")
        widgets.table_or_cards(
            pd.DataFrame(
                [
                    {
                        "Indicator": i.short_name,
                        "Target": words.target_phrase(i),
                        "Base period": i.base_period.label if i.base_period else "Its first figure",
                        "On track when the pace ratio is at least": f"{i.threshold_green:.0%}",
                        "At risk when it is at least": f"{i.threshold_amber:.0%}",
                    }
                    for i in dated
                ]
            ),
            "thresholds",
            "Each indicator with a dated target: its base period and thresholds",
            level=4,
        )

    st.subheader("Where the combined authority has no figure of its own")
    judged_order = [v for v in VERDICT_ORDER if v != "no_data"]
    st.markdown(
        "Rates, scores, ratios and survey percentages cannot be added up from the seven authorities. Where the "
        "combined authority has no figure of its own for such a measure, its verdict is the **weakest of the "
        "seven authorities' verdicts**, in this order from weakest: "
        + ", ".join(verdict_label(v) for v in judged_order)
        + ". Calling the region on track while one authority is off track would hide the authority that needs "
        "action. Authorities with no figures are named, and the indicator page lists each authority's own "
        "verdict. The same table is shown where a target applies to every authority."
    )

    st.subheader("Projections and their uncertainty")
    low, _, high = projection.RANGE
    st.markdown(
        f"Where an indicator has at least {projection.PROJECTION_MIN_POINTS} figures since its base period, a "
        f"model is fitted to the latest {projection.PROJECTION_WINDOW} of them:\n\n"
        "- a **running total** is modelled through its per-period flows (what was added each period): a "
        "straight line through the flows, added up from where the total is now, so the projection never "
        "starts below where the total already is and the uncertainty builds up period by period;\n"
        "- a **level or share** is modelled as a straight line with noise: a future single reading carries "
        "the noise of a single reading as well as the uncertainty of the line.\n\n"
        f"The model is simulated forward {projection.SIMULATIONS:,} times (with a fixed seed, so the same data "
        "always gives the same dates). The projected date is the middle of the dates on which the simulated "
        f"series first meet the target, and the **80% range** runs from the {low * 100:.0f}th to the "
        f"{high * 100:.0f}th percentile of those dates, including the noise of single readings. A series that "
        f"has not met the target {projection.HORIZON_YEARS} years ahead counts as never reaching it; if too "
        "many never do, the range has no late end and the sentence says so.\n\n"
        f"With fewer than {projection.PROJECTION_MIN_POINTS} figures there is no projected date: the sentence "
        "says there are too few to project one. The projection is drawn as a dashed line with its range as a "
        f"light band, at most {verdicts.PROJECTION_CAP_YEARS} years past the latest figure; a running total "
        f"with no target is drawn {verdicts.UNDATED_HORIZON_MONTHS} months ahead, to show where it is heading."
    )
    st.subheader("The combined authority's figures")
    st.markdown(
        "A figure uploaded for the West Midlands Combined Authority is used as it is (even when it is "
        "missing). Otherwise, for counts and money, the figure is the sum of the seven authorities, and for "
        "shares it is the sum of their numerators over the sum of their denominators (never an average of "
        "shares). A period is worked out only when all seven authorities have a value for it. Rates, scores, "
        "ratios and survey percentages cannot be added up, so they are never worked out this way.\n\n"
        "Running totals add each period's value from the start of the indicator's base period; values for "
        "earlier periods are not part of the plan's total. Missing is not zero: from the first missing value "
        "onward the running total is unknown and shown as missing."
    )
    st.subheader("Missing values")
    st.markdown(
        "Missing values are shown as missing with their reason, never as zero: **c** means suppressed to "
        "protect confidentiality, **x** not available, **z** not applicable. On charts they are gaps with a "
        'shaded band saying why; a period with no row at all shows as "no figure".'
    )

    st.subheader("Small numbers")
    (count_below, denominator_below), _ = Counter(i.small_numbers for i in catalogue.indicators).most_common(
        1
    )[0]
    st.markdown(
        f"So that no one can be identified, a group in a breakdown (by sex, age band, ethnicity or disability) "
        f"with fewer than {count_below} people, or a share with a denominator under {denominator_below}, is "
        "shown as **c** on every page, chart and file, as the public release shows it. Where the other "
        "groups and the total would give that figure back, the next smallest group is hidden too. No gap "
        "between groups is stated from a hidden figure. Each indicator's threshold is in its definition."
    )

    st.subheader("England, the region and similar areas")
    neighbours = catalogue.comparators.neighbours
    st.markdown(
        "For rates, shares, ratios and scores, the Indicator page sets a place's figures beside England's "
        "and the West Midlands region's, and a local authority's beside its statistical neighbours' "
        f"({plain(neighbours.model)}"
        + (
            "; the lists used here are illustrative, until they are checked against the model"
            if neighbours.illustrative
            else ""
        )
        + "). Counts and money are not compared this way: a larger place has more of everything. "
        "Comparators are context only: they never count towards the combined authority's figure or any verdict."
    )

    st.subheader("Survey estimates and how sure they are")
    st.markdown(
        "Some figures are estimates from a sample survey (the Annual Population Survey's employment, "
        "inactivity and qualification rates, and life satisfaction): their definitions say so. Where an "
        "estimate comes with a confidence interval, charts draw it as a whisker and tables give it. A change "
        "over time, or a gap between places or groups, is called a difference only when the intervals do not "
        'overlap; otherwise the words say "no clear change" or "no clear difference". An estimate with no '
        "interval is not compared as if it were exact."
    )

    st.subheader("Sample data: published or illustrative")
    st.markdown(
        "A new store is filled with sample data: real published figures wherever an indicator has them, and "
        "illustrative values, made for this dashboard, for the rest. Every value carries a flag saying which "
        "it is: charts and tables mark illustrative values, the note under each chart says when some values "
        'shown are illustrative, and the "Values held" column above says which each indicator has. '
        "Illustrative values are not statistics and must not be quoted as such."
    )

    # --- the reporting cycle --------------------------------------------------------------------------------

    st.header("The quarterly reporting cycle", anchor="the-quarterly-reporting-cycle")
    rules = cycle_rules()
    named = [words.verdict_word(v).lower() for v in rules.required_for]
    needed = f"{', '.join(named[:-1])} or {named[-1]}" if len(named) > 1 else "".join(named)
    st.markdown(
        "Every indicator and action has an owner: a named person or team. When a financial quarter ends, its "
        f"owners have {rules.due_days} days to send the figures and action statuses, and to write commentary: "
        f"what happened, why, and what happens next (up to {rules.max_characters:,} characters each). Where the "
        f"verdict is {needed}, "
        "all three are needed. An admin or a named approver who did not write the commentary then approves it "
        "or returns it with what to change. Only approved commentary is shown beside a figure, here and in "
        "board packs, with who approved it and when."
    )
    st.markdown(
        "When a board pack is kept as presented to a board, the quarter it reported is locked. A figure "
        'corrected after that is still corrected, never refused, but it is marked "revised since presented '
        'to the board on ...", with the figure the board saw, here and in the next pack. Commentary written '
        "after the lock is marked the same way."
    )
    st.markdown(
        "When an upload changes a verdict, or takes a scheme below the 20% minimum, the owners concerned and "
        "the admins who asked for alerts get one message listing what changed and why. Every version of the "
        "commentary, every sign-off, lock and message is kept in the audit log, with who and when."
    )

    # --- limitations ---------------------------------------------------------------------------------------

    st.header("Known limitations", anchor="known-limitations")
    breaks = [i for i in catalogue.indicators if any(w in i.limitations.lower() for w in SERIES_BREAK_WORDS)]
    if breaks:
        st.subheader("Series breaks and revisions")
        st.markdown(
            "These series changed method or are revised, so a change across the break is not a trend:\n\n"
            + "\n".join(f"- **{plain(i.short_name)}:** {plain(i.limitations)}" for i in breaks)
        )
    st.subheader("Every indicator")
    widgets.table_or_cards(
        pd.DataFrame(
            [
                {
                    "Indicator": i.short_name,
                    "Status of the statistics": STATISTICS_STATUS_LABELS.get(
                        i.statistics_status, i.statistics_status
                    ),
                    "Limitations": i.limitations or "None recorded",
                }
                for i in catalogue.indicators
            ]
        ),
        "limitations",
        "Every indicator's limitations",
        level=4,
    )
    st.markdown(
        "Figures marked **illustrative** are sample values made for this dashboard, not published statistics. "
        "Provisional values may be revised; each indicator page shows what changed and when."
    )

    # --- report a problem ----------------------------------------------------------------------------------

    st.header("Report a problem with the data", anchor="report-a-problem-with-the-data")
    st.markdown(
        f"If a figure looks wrong, is out of date, or a page does not work, email the Performance and Insight "
        f"team's shared inbox: [{frame.REPORT_EMAIL}](mailto:{frame.REPORT_EMAIL}). It is the team inbox, read "
        "by everyone who looks after the dashboard, not one person's address.\n\n"
        "Tell us the page address (the link in your browser includes what you chose), the indicator, place and "
        "period, and what you expected to see. We aim to reply within 5 working days."
    )

    # --- accessibility statement ---------------------------------------------------------------------------

    st.header("Accessibility statement", anchor="accessibility-statement")
    st.markdown(
        "How accessible this dashboard is, what is not yet accessible and why, and how to tell us about a "
        "problem are in the accessibility statement, linked from the foot of every page."
    )
    st.page_link(frame.ACCESSIBILITY_PAGE, label="Read the accessibility statement")

    frame.footer()
