"""About the data: what each indicator is and whether it has data, how a status is worked out,
known limitations, how to report a problem, and the accessibility statement.

The tables are built from the catalogue and the store, so a new indicator appears
here without editing this page. The description of the status rules follows
metrics/progress.py exactly; the numbers in it (margins, window, range) are read
from that module rather than copied.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from metrics import charts, clock, progress
from metrics.catalogue import STATISTICS_STATUS_LABELS, default_catalogue
from ui import data, frame, widgets
from ui.text import plain

STATEMENT_PREPARED = dt.date(2026, 11, 26)
STATEMENT_REVIEWED = dt.date(2026, 11, 26)
SERIES_BREAK_WORDS = ("not comparable", "series break", "changed in", "revised each year")

version = frame.start("About the data")
catalogue = default_catalogue()
held = data.indicators_with_data(version)
themes = {t.id: t.name for t in catalogue.themes}

st.title("About the data")
st.markdown(
    "What each indicator measures and where it comes from, how its status is worked out, what to be careful "
    "of, how to tell us about a problem, and how accessible this dashboard is."
)
st.markdown(
    "- [Reporting status of every indicator](#reporting-status)\n"
    "- [How the progress status is worked out](#how-the-progress-status-is-worked-out)\n"
    "- [Known limitations](#known-limitations)\n"
    "- [Report a problem with the data](#report-a-problem-with-the-data)\n"
    "- [Accessibility statement](#accessibility-statement)"
)

# --- reporting status ---------------------------------------------------------------------------------

st.header("Reporting status", anchor="reporting-status")
st.markdown(
    f"{len(catalogue.indicators)} indicators, {sum(1 for i in catalogue.indicators if i.id in held)} with data "
    "in the store. Data held counts every value for every place and group; a date is the end of the newest "
    "period."
)
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
            "Target": charts.target_text(ind) or "No target",
            "Data held": (
                f"Yes: {h['values_held']:,} values, to {clock.long_date(h['latest_end'])}"
                if h
                else "No data yet"
            ),
        }
    )
widgets.show_table(pd.DataFrame(rows), key="reporting_status")

# --- how the status is worked out ---------------------------------------------------------------------

st.header("How the progress status is worked out", anchor="how-the-progress-status-is-worked-out")
st.markdown(
    "Each indicator gets one of four statuses, always shown as an icon and a word: "
    f"{frame.status_label('green')}, {frame.status_label('amber')}, {frame.status_label('red')} or "
    f"{frame.status_label('none')}. The status is about the latest value that is not missing, judged on "
    f"the date the page is shown (today, {clock.long_date(clock.today())}). Each status comes with a "
    "sentence saying why."
)
st.subheader("No data or no target")
st.markdown(
    "An indicator with no figures yet, or with no target, has **no status**. A running total with no target "
    "still gets a trend line a year ahead, to show where it is heading."
)
st.subheader("Minimum targets (at least)")
st.markdown(
    "A minimum is a floor: at or above it is **on track**; below it is **off track** (there is no "
    'in-between, because the plan says "at least").\n\n'
    "The affordable housing share is a minimum for **every** scheme, not only on average. So even when the "
    "share across all schemes is at or above 20%, the status is **at risk** if any scheme is below 20%, or "
    "if a scheme's figure is missing (then not every scheme is known to meet it). Only when the overall "
    "share and every scheme meet 20% is it on track."
)
st.subheader("Maximum targets (at most)")
st.markdown(
    f"A maximum is a ceiling: at or below it is **on track**; above it but by no more than "
    f"{progress.MAXIMUM_MARGIN:.0%} of the target value is **at risk**; more than that above it is "
    "**off track**."
)
st.subheader("Targets with a date")
st.markdown(
    "Running totals and levels with a target date (for example 6,000 people by 30 September 2022) follow "
    "the Open SDG progress method:\n\n"
    "1. If the latest value meets the target, it is **on track** (the reason says if it was met after the "
    "target date).\n"
    "2. If the target date has passed and the target is not met, it is **off track**.\n"
    "3. With only one value there is **no status**: one value shows where things stand, not which way "
    "they are going.\n"
    "4. If the first value already met the target and the latest no longer does, it is **off track**.\n"
    "5. Otherwise the **pace ratio** is worked out: the change per year since the first value, divided by "
    "the change per year needed from the first value to reach the target by its date. A ratio at or above "
    "the indicator's on-track threshold is **on track**; at or above its at-risk threshold is **at risk**; "
    "below that, or moving away from the target, is **off track**."
)
dated = [i for i in catalogue.indicators if i.target is not None and i.target.date is not None]
if dated:
    st.markdown("The thresholds for each indicator with a dated target:")
    widgets.show_table(
        pd.DataFrame(
            [
                {
                    "Indicator": i.short_name,
                    "Target": charts.target_text(i),
                    "On track when the pace ratio is at least": f"{i.threshold_green:.0%}",
                    "At risk when it is at least": f"{i.threshold_amber:.0%}",
                }
                for i in dated
            ]
        ),
        key="thresholds",
    )
st.subheader("Projections and their uncertainty")
st.markdown(
    f"Where an indicator has at least {progress.PROJECTION_MIN_POINTS} values, a straight line (ordinary least "
    f"squares) is fitted to its latest {progress.PROJECTION_WINDOW} values and continued from the latest "
    "value, so a running total is never projected from below where it already is. It is drawn as a "
    'dashed line labelled "Projection (trend)".\n\n'
    "The light band around it is an **80% range**: the slope plus or minus Student's t (for the number "
    "of values used) times the slope's standard error. With few values the range is wide, as it should "
    "be. The projected date to reach a target is when the line reaches it; the range of dates comes from "
    "the steeper and shallower slopes. If the shallower slope never reaches the target, there is no latest "
    f"date, and a date more than {progress.NEVER_YEARS:.0f} years away is reported as never. A projection "
    f"past the target date is drawn at most {progress.PROJECTION_CAP_YEARS} years beyond the latest value."
)
st.subheader("The combined authority's figures")
st.markdown(
    "A figure uploaded for the West Midlands Combined Authority is used as it is (even when it is "
    "missing). Otherwise, for counts and money, the figure is the sum of the seven authorities, and for "
    "shares it is the sum of their numerators over the sum of their denominators (never an average of "
    "shares). A period is worked out only when all seven authorities have a value for it. Rates, scores, "
    "ratios and survey percentages cannot be added up, so they are never worked out this way.\n\n"
    "Running totals add each period's value from the first period. Missing is not zero: from the first "
    "missing value onward the running total is unknown and shown as missing."
)
st.subheader("Missing values")
st.markdown(
    "Missing values are shown as missing with their reason, never as zero: **c** means suppressed to "
    "protect confidentiality, **x** not available, **z** not applicable. On charts they are gaps with a "
    'shaded band saying why; a period with no row at all shows as "no figure".'
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
widgets.show_table(
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
    key="limitations",
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
    "This accessibility statement applies to the Equity and Inclusion Scheme 2022-24, Objective 2 "
    "performance dashboard.\n\n"
    "This website is run by the West Midlands Combined Authority. We want as many people as possible to be "
    "able to use it. For example, that means you should be able to:\n\n"
    "- change colours, contrast levels and fonts using browser or device settings\n"
    "- zoom in up to 400% without the text spilling off the screen\n"
    "- navigate the website using just a keyboard\n"
    "- listen to most of the website using a screen reader\n"
    "- read every chart as text: each has a written description and a table with the same numbers\n"
    "- understand every status without seeing colour: each has an icon and a word\n\n"
    "We've also made the website text as simple as possible to understand."
)
st.subheader("How accessible this website is")
st.markdown(
    "We know some parts of this website are not fully accessible:\n\n"
    "- the details that appear when you hover over a point on a chart cannot be reached with a keyboard; "
    "the same numbers are in the table under each chart\n"
    "- when you change a choice (such as the place), the page updates and a screen reader may not announce "
    "what changed\n"
    '- some screen readers read the status icons aloud (for example "warning") before the status word\n'
    "- chart images downloaded from the chart toolbar have no text alternative; use the table or the "
    "exports instead\n"
    '- the link to this dashboard\'s first page is listed as "app" in the side menu'
)
st.subheader("Feedback and contact information")
st.markdown(
    f"If you need information on this website in a different format, like accessible PDF, large print, "
    f"easy read, audio recording or braille, email [{frame.REPORT_EMAIL}](mailto:{frame.REPORT_EMAIL}) "
    "(the team inbox). We'll consider your request and get back to you in 5 working days."
)
st.subheader("Reporting accessibility problems with this website")
st.markdown(
    "We're always looking to improve the accessibility of this website. If you find any problems not "
    f"listed on this page or think we're not meeting accessibility requirements, email "
    f"[{frame.REPORT_EMAIL}](mailto:{frame.REPORT_EMAIL})."
)
st.subheader("Enforcement procedure")
st.markdown(
    "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies "
    '(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "accessibility '
    "regulations\"). If you're not happy with how we respond to your complaint, contact the "
    "[Equality Advisory and Support Service (EASS)](https://www.equalityadvisoryservice.com/)."
)
st.subheader("Technical information about this website's accessibility")
st.markdown(
    "The West Midlands Combined Authority is committed to making its website accessible, in accordance "
    "with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations "
    "2018.\n\n"
    "**Compliance status:** this website is partially compliant with the Web Content Accessibility "
    "Guidelines version 2.2 AA standard, due to the non-compliances listed below."
)
st.subheader("Non-accessible content")
st.markdown(
    "The content listed below is non-accessible for the following reasons.\n\n"
    "**Non-compliance with the accessibility regulations**\n\n"
    "- Chart hover details are available only with a mouse (WCAG 2.1.1 Keyboard). The same information "
    "is in the description and table under every chart.\n"
    "- Changes made by choosing an indicator, place or period are not announced to screen readers (WCAG "
    "4.1.3 Status Messages).\n"
    "- Chart images downloaded from the chart toolbar have no text alternative (WCAG 1.1.1 Non-text "
    "Content).\n\n"
    "We plan to fix these in the next release of the dashboard. When we publish new content we'll make "
    "sure our use of accessible technologies and formats meets accessibility standards.\n\n"
    "**Disproportionate burden:** we are not claiming disproportionate burden for any content.\n\n"
    "**Content that's not within the scope of the accessibility regulations:** none."
)
st.subheader("What we're doing to improve accessibility")
st.markdown(
    "Every page is checked automatically for accessibility problems (axe-core, in a real browser) each time "
    "the dashboard changes, and every chart is built with a text description and a table."
)
st.subheader("Preparation of this accessibility statement")
st.markdown(
    f"This statement was prepared on {clock.long_date(STATEMENT_PREPARED)}. It was last reviewed on "
    f"{clock.long_date(STATEMENT_REVIEWED)}.\n\n"
    f"This website was last tested on {clock.long_date(STATEMENT_REVIEWED)} against the WCAG 2.2 AA "
    "standard. The test was carried out by the dashboard team: automated checks with axe-core in headless "
    "Chromium on every page (with every expandable section open), automated checks of heading order and of "
    "choosing a theme with the keyboard, and a review of screenshots of every page. It has not yet been "
    "tested by people who use assistive technology."
)

frame.footer()
