"""Accessibility statement: GOV.UK's model statement for public sector websites, filled in for this dashboard.

Linked from every page's footer (ui.frame.footer). It says what is true of the dashboard as
tested: the compliance status, what is not accessible and why, how to report a problem (the
team inbox, ui.frame.REPORT_EMAIL), the enforcement procedure, and how and when it was tested.
When a fix or a new problem changes what is true, change NOT_ACCESSIBLE and the dates here.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from metrics import clock
from ui import frame

PREPARED = dt.date(2026, 11, 26)
REVIEWED = dt.date(2026, 12, 3)
TESTED = dt.date(2026, 12, 3)

# What is not accessible, each with the WCAG 2.2 success criterion it fails and what to do instead.
NOT_ACCESSIBLE = (
    "The details that appear when you point at a chart cannot be reached with a keyboard (WCAG 2.1.1 "
    "Keyboard). Every chart has a written description and a table with the same numbers under it.",
    "When you change a choice (such as the place), the page updates but a screen reader may not announce "
    "what changed (WCAG 4.1.3 Status Messages).",
    'Some screen readers read the status symbols aloud (for example "cross mark") before the status word.',
)

with frame.guard("Accessibility statement"):
    version = frame.start("Accessibility statement")
    email = f"[{frame.REPORT_EMAIL}](mailto:{frame.REPORT_EMAIL})"

    st.title("Accessibility statement")
    st.markdown(
        "This accessibility statement applies to the Equity and Inclusion Scheme 2022-24, Objective 2 "
        "performance dashboard.\n\n"
        "This website is run by the West Midlands Combined Authority. We want as many people as possible to be "
        "able to use it. For example, that means you should be able to:\n\n"
        "- change colours, contrast levels and fonts using browser or device settings\n"
        "- zoom in up to 400% without the text spilling off the screen, and use it on a phone 320 pixels wide\n"
        "- navigate the website using just a keyboard, always seeing where you are\n"
        "- listen to most of the website using a screen reader\n"
        "- read every chart as text: each has a written description and a table with the same numbers\n"
        "- understand every status without seeing colour: each has a symbol and a word\n\n"
        "We've also made the website text as simple as possible to understand."
    )

    st.header("How accessible this website is")
    st.markdown(
        "We know some parts of this website are not fully accessible:\n\n"
        + "\n".join(f"- {item}" for item in NOT_ACCESSIBLE)
    )

    st.header("Feedback and contact information")
    st.markdown(
        "If you need information on this website in a different format, like accessible PDF, large print, "
        f"easy read, audio recording or braille, email {email} (the team inbox). We'll consider your request "
        "and get back to you in 5 working days."
    )

    st.header("Reporting accessibility problems with this website")
    st.markdown(
        "We're always looking to improve the accessibility of this website. If you find any problems not "
        f"listed on this page or think we're not meeting accessibility requirements, email {email}. Tell us "
        "the page's address and what you were trying to do."
    )

    st.header("Enforcement procedure")
    st.markdown(
        "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies "
        '(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "accessibility '
        "regulations\"). If you're not happy with how we respond to your complaint, contact the "
        "[Equality Advisory and Support Service (EASS)](https://www.equalityadvisoryservice.com/)."
    )

    st.header("Technical information about this website's accessibility")
    st.markdown(
        "The West Midlands Combined Authority is committed to making its website accessible, in accordance "
        "with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations "
        "2018."
    )
    st.subheader("Compliance status")
    st.markdown(
        "This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA "
        "standard, due to the non-compliances listed below."
    )

    st.header("Non-accessible content")
    st.markdown("The content listed below is non-accessible for the following reasons.")
    st.subheader("Non-compliance with the accessibility regulations")
    st.markdown(
        "- Chart details shown when you point at a chart are available only with a mouse (WCAG 2.1.1 "
        "Keyboard). The same information is in the description and table under every chart.\n"
        "- Changes made by choosing an indicator, place or period are not announced to screen readers (WCAG "
        "4.1.3 Status Messages).\n\n"
        "We plan to fix these in the next release of the dashboard. When we publish new content we'll make "
        "sure our use of accessible technologies and formats meets accessibility standards."
    )
    st.subheader("Disproportionate burden")
    st.markdown("We are not claiming disproportionate burden for any content.")
    st.subheader("Content that's not within the scope of the accessibility regulations")
    st.markdown("None.")

    st.header("What we're doing to improve accessibility")
    st.markdown(
        "Every page is checked automatically each time the dashboard changes, in a real browser (Chromium) "
        "at a laptop's width (1,280 pixels) and a small phone's (320 pixels): accessibility checks with "
        "axe-core against WCAG 2.2 A and AA, a keyboard-only run through each page that checks every "
        "focused item is visible and on the screen, page titles, the page's landmarks (main content, menu and "
        "footer), and text with wider letter, word and line spacing, including the titles, keys and notes of "
        "charts. Every "
        "chart is built with a text description and a table."
    )

    st.header("Preparation of this accessibility statement")
    st.markdown(
        f"This statement was prepared on {clock.long_date(PREPARED)}. It was last reviewed on "
        f"{clock.long_date(REVIEWED)}.\n\n"
        f"This website was last tested on {clock.long_date(TESTED)} against the WCAG 2.2 AA standard. The "
        "test was carried out by the dashboard team: the automated checks above on every page, and on the "
        "Upload page after a file with errors and after a clean file, and on the Indicator page with a "
        "breakdown chosen; and a review of screenshots of every page at 1,280, 390 and 320 pixels wide. It "
        "has not yet been tested by people who use assistive technology."
    )

    frame.footer()
