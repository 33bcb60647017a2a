"""The My updates page as an owner and an admin use it: what is due, a draft from the data, saving and
submitting commentary (refused in plain words when the verdict needs it in full), owners changed, alerts."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.cycle import commentary as notes
from metrics.cycle.owners import current_owners
from metrics.cycle.rules import cycle_rules

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TODAY = dt.date(2026, 11, 26)
PAGE = "pages/8_My_updates.py"
SCF = "indicator:affordable_housing_share_scf"


@pytest.fixture
def store(sample_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "kpi.duckdb"
    shutil.copyfile(sample_template, db)
    monkeypatch.setenv("KPI_DB", str(db))
    monkeypatch.setenv("KPI_TODAY", TODAY.isoformat())
    return db


def _open() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(PAGE)
    return at.run()


def test_the_local_analyst_sees_what_is_due_and_a_draft_written_from_the_figures(store):
    at = _open()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "My updates"
    text = "\n".join(m.value for m in at.markdown)
    assert (
        "Updates for **2026-27 Q2** (1 July 2026 to 30 September 2026) were due by 11 November 2026" in text
    )
    assert at.selectbox(key="cycle_subject").value == SCF
    happened, why, next_steps = at.text_area
    assert happened.value.startswith("Affordable share of homes in SCF schemes was 25.4% in 2026-27 Q2")
    assert why.value.startswith("Off track: 3 of 14 schemes are below the 20% minimum")
    assert next_steps.value == ""


def test_submitting_without_what_happens_next_is_refused_then_a_full_one_is_kept(store):
    at = _open()
    at.button[1].click().run()  # "Submit for approval" with the draft as it is
    assert [e.value for e in at.error] == [
        "Write what happens next before submitting: the verdict is off track, so the board needs all three."
    ]
    at.text_area[2].input("Review the three schemes at the December panel.")
    at.button[1].click().run()
    assert not at.error
    assert "Version 1 submitted for approval." in [s.value for s in at.success]
    [kept] = notes.versions(
        "indicator", "affordable_housing_share_scf", cycle_rules().quarter(TODAY), db=store
    )
    assert (kept.state, kept.next_steps) == ("submitted", "Review the three schemes at the December panel.")


def test_the_local_analyst_changes_an_owner_and_is_told_sign_off_needs_a_second_person(store):
    at = _open()
    at.text_area[2].input("Next.")
    at.button[1].click().run()
    assert not [b for b in at.button if b.key and b.key.startswith("approve_")]
    assert any("needs a second person" in i.value for i in at.info)
    at.selectbox[1].set_value("action:AH1")
    at.text_input[-1].input("housing.lead@wmca.example")
    next(b for b in at.button if b.label == "Change the owner").click().run()
    assert not at.error
    assert current_owners(db=store)[("action", "AH1")] == "housing.lead@wmca.example"


def test_approved_commentary_shows_beside_the_figure_on_the_indicator_and_theme_pages(store):
    from metrics.auth import RoleConfig, User

    quarter = cycle_rules().quarter(TODAY)
    owner = User(id="owner@wmca.example", name="Owner", role="analyst", key="idp|owner")
    admin = User(id="admin@wmca.example", name="Admin", role="admin", key="idp|admin")
    notes.write(owner, "indicator", "affordable_housing_share_scf", quarter, happened="Three <b>schemes</b> fell short.",
                why="Viability.", next_steps="Panel review.", submit=True, verdict="off_track", may_write=True, db=store)  # fmt: skip
    notes.decide(
        admin,
        "indicator",
        "affordable_housing_share_scf",
        quarter,
        approve=True,
        roles=RoleConfig(),
        db=store,
    )
    for page, query in (
        ("pages/2_Indicator.py", {"indicator": "affordable_housing_share_scf"}),
        ("pages/1_Theme.py", {"theme": "affordable_housing"}),
    ):
        at = AppTest.from_file(APP, default_timeout=60)
        at.switch_page(page)
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        # As a reader sees it: ui.text.plain's Markdown escapes and invisible word joiners taken out.
        raw = "\n".join(m.value for m in at.markdown)
        text = re.sub(r"\\(.)", r"\1", raw).replace("\u2060", "")
        assert (
            "**Owner's commentary, 2026-27 Q2** (approved by admin@wmca.example on 26 November 2026)" in text
        ), page
        assert "**What happens next:** Panel review." in text
        assert "Three <b>schemes</b> fell short." in text
        assert "<b>" not in raw  # user text goes to the page escaped: shown as text, never markup
