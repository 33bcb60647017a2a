"""A whole reporting quarter through the pages, as the people in it do it (AppTest, signed in).

An owner sees what is due, uploads a file that takes a scheme below the 20% minimum, takes the draft
written from the figures, edits it and submits; an admin approves it and keeps the board pack as
presented, which locks the quarter; a later correction shows as revised since presented; and the
upload that turned the verdict sent exactly one e-mail, to the owner and the subscriber, through a real
SMTP server on loopback (aiosmtpd). Every step reads what the page shows, not the store.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_upload_pages import AUTH
from tests.unit.test_alerts_smtp import inbox  # noqa: F401 - the SMTP server fixture

ROOT = Path(__file__).resolve().parents[2]
TEAM = "WMCA Inclusive Growth Unit, Performance and Insight team"
SCF = "affordable_housing_share_scf"
OWNER, ADMIN = "owner@wmca.example", "admin@wmca.example"
ROLES = f"""
[analysts]
emails = ["{OWNER}"]
domains = []
[admins]
emails = ["{ADMIN}"]
domains = []
[teams]
"{TEAM}" = ["{OWNER}"]
[alerts]
approvers = []
subscribers = ["{ADMIN}"]
"""
HEADER = "indicator_id,period,geography,numerator,denominator,breakdown_dimension,breakdown_value,status\n"


SCHEME_BELOW = (HEADER + f"{SCF},2026-27 Q2,Coventry,5,100,project,Coventry scheme 9,provisional\n").encode()
# Coventry's total for the quarter the board saw, corrected: 119 affordable homes of 450, not 124.
CORRECTION = (HEADER + f"{SCF},2026-27 Q2,Coventry,119,450,,,provisional\n").encode()


@pytest.fixture
def quarter(sample_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "kpi.duckdb"
    shutil.copyfile(sample_template, db)
    (tmp_path / "roles.toml").write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("KPI_DB", str(db))
    monkeypatch.setenv("KPI_TODAY", "2026-11-26")
    monkeypatch.setenv("KPI_ROLES", str(tmp_path / "roles.toml"))
    return db


def page(name: str, email: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "iss": "https://login.example.org", "sub": f"subject-{email}",
               "email": email, "email_verified": True}  # fmt: skip
    at.switch_page(f"pages/{name}")
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def text(at: AppTest, *kinds: str) -> str:
    """What a reader sees of these elements: Markdown escapes and invisible word joiners taken out."""
    return seen(" ".join(str(e.value) for k in kinds for e in getattr(at, k)))


def seen(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def upload(email: str, data: bytes) -> None:
    at = page("4_Upload.py", email)
    at.file_uploader[0].set_value(("q2-correction.csv", data, "text/csv")).run()
    at.button(key="upload_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "is in" in text(at, "success"), text(at, "error", "warning")


def wait_for(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


def test_a_quarter_from_what_is_due_to_a_revision_after_the_board(quarter, inbox):  # noqa: F811
    # 1. The owner sees what is due.
    at = page("8_My_updates.py", OWNER)
    assert (
        "Updates for **2026-27 Q2** (1 July 2026 to 30 September 2026) were due by 11 November 2026"
        in text(at, "markdown")
    )
    owed = at.main.get_by_key("my_items").dataframe[0].value
    scf = owed[owed["Indicator or action"] == "Affordable share of homes in SCF schemes"].iloc[0]
    assert (scf["Done"], scf["Commentary"], scf["Verdict"], scf["Needed in full"]) == (
        "Late",
        "Not started",
        "✖ Off track",
        "Yes",
    )

    # 2. The owner uploads a figure that takes a scheme below the minimum: one e-mail, to the right people.
    upload(OWNER, SCHEME_BELOW)
    wait_for(lambda: inbox.messages)
    time.sleep(1.0)  # anything more would have arrived by now
    [mail] = inbox.messages
    assert mail["To"] == f"{ADMIN}, {OWNER}"
    assert "1 scheme fell below the minimum" in " ".join(str(mail["Subject"]).split())
    body = mail.get_payload(decode=True).decode("utf-8")
    assert (
        "Now below the minimum: Coventry scheme 9 (5.0%)." in body and f"/Indicator?indicator={SCF}" in body
    )

    # 3. The owner takes the draft written from the figures, edits it and submits.
    at = page("8_My_updates.py", OWNER)
    assert at.selectbox(key="cycle_subject").value == f"indicator:{SCF}"
    happened, why, next_steps = at.text_area
    assert happened.value.startswith("Affordable share of homes in SCF schemes was ")
    assert why.value.startswith("Off track: 4 of 15 schemes are below the 20% minimum"), why.value
    why.input(why.value + " Coventry scheme 9 lost its grant.")
    next_steps.input("The December panel reviews the four schemes.")
    button(at, "Submit for approval").click().run()
    assert "Version 1 submitted for approval." in text(at, "success")
    assert not [b for b in at.button if (b.key or "").startswith("approve_")]  # the owner cannot approve it

    # 4. An admin approves it.
    at = page("8_My_updates.py", ADMIN)
    assert f"Affordable share of homes in SCF schemes (by {OWNER})" in [seen(e.label) for e in at.expander]
    at.button(key=f"approve_indicator_{SCF}").click().run()
    assert "Affordable share of homes in SCF schemes: approved." in text(at, "success")

    # 5. The admin keeps the board pack as presented: the quarter locks.
    at = page("6_Export.py", ADMIN)
    at.selectbox(key="pack_theme").set_value("affordable_housing")
    at.radio(key="pack_format").set_value("docx")
    at.checkbox(key="pack_keep").check()
    at.text_input(key="pack_board").input("WMCA Board")
    at.date_input(key="pack_presented_on").set_value(dt.date(2026, 12, 1))
    button(at, "Build the board pack").click().run()
    assert not at.exception and not at.error, text(at, "error")
    assert "It is kept in the archive as presented to WMCA Board on 1 December 2026." in text(at, "success")
    at = page("8_My_updates.py", OWNER)
    assert "2026-27 Q2 was presented to the WMCA Board on 1 December 2026." in text(at, "warning")

    # 6. A later correction is allowed, and shows as revised since presented beside the approved commentary.
    upload(OWNER, CORRECTION)
    at = page("2_Indicator.py", ADMIN, {"indicator": SCF})
    shown = text(at, "markdown")
    assert f"**Owner's commentary, 2026-27 Q2** (approved by {ADMIN} on 26 November 2026)" in shown
    assert "Coventry scheme 9 lost its grant." in shown
    assert "**What happens next:** The December panel reviews the four schemes." in shown
    # The combined authority's share is the sum of numerators over the sum of denominators: 689/2,715 then,
    # 684/2,715 now.
    assert (
        "2026-27 Q2: revised since presented to the WMCA Board on 1 December 2026 (then 25.4%, now 25.2%)."
        in text(at, "warning")
    ), text(at, "warning")
    time.sleep(1.0)
    assert len(inbox.messages) == 1  # the correction turned no verdict: no second alert


def test_the_about_page_describes_the_cycle_from_its_declared_rules(quarter):
    at = page("3_About_the_data.py", OWNER)
    assert "The quarterly reporting cycle" in [h.value for h in at.header]
    shown = text(at, "markdown")
    assert "its owners have 42 days to send the figures and action statuses" in shown  # cycle.yaml due_days
    assert "Where the verdict is at risk, off track or missed, all three are needed." in shown
    assert 'marked "revised since presented to the board on ..."' in shown
