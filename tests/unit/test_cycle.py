"""The quarterly reporting cycle: owners, commentary and its sign-off, locks, what is due, and alerts.

Each test works on a copy of the sample store (both engines: the cycle's tables and queries are the
same SQL files on DuckDB and PostgreSQL) and checks what an owner, an approver or the board would see.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from metrics.auth import NotAllowed, RoleConfig, User
from metrics.catalogue import default_catalogue
from metrics.cycle import alerts, due
from metrics.cycle import commentary as notes
from metrics.cycle.draft import draft
from metrics.cycle.owners import OwnerRefused, current_owners, owns, set_owner
from metrics.cycle.rules import cycle_rules
from metrics.dashboard import show
from metrics.export.archive import keep
from metrics.export.build import build_pack
from metrics.store import connect, fetch_dicts
from metrics.upload import VALUE_COLUMNS, ingest_bytes
from tests.stores import open_store, query

pytestmark = pytest.mark.both_engines

TEAM = "WMCA Inclusive Growth Unit, Performance and Insight team"
OWNER = User(id="owner@wmca.example", name="Owner", role="analyst", key="idp|owner")
ADMIN = User(id="admin@wmca.example", name="Admin", role="admin", key="idp|admin")
OTHER = User(id="someone@wmca.example", name="Someone", role="analyst", key="idp|someone")
ROLES = RoleConfig(
    teams={TEAM: frozenset({"owner@wmca.example"})}, subscribers=frozenset({"admin@wmca.example"})
)
TODAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 9, 0)
RULES = cycle_rules()
QUARTER = RULES.quarter(TODAY)
SCF = "affordable_housing_share_scf"


def test_the_quarter_reported_is_the_newest_ended_and_is_due_six_weeks_later():
    assert (QUARTER.label, QUARTER.start, QUARTER.end) == (
        "2026-27 Q2",
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 30),
    )
    assert RULES.due(QUARTER) == dt.date(2026, 11, 11)
    assert RULES.quarter(dt.date(2026, 9, 30)).label == "2026-27 Q1"  # the quarter has not ended that day


def test_owners_are_declared_then_changed_by_admins_only_and_every_change_kept(sample_store):
    owners = current_owners(db=sample_store)
    assert owners[("indicator", SCF)] == TEAM and owners[("action", "AH1")] == RULES.action_owner
    assert owns(OWNER, TEAM, ROLES) and not owns(OTHER, TEAM, ROLES)
    with pytest.raises(NotAllowed, match="Only admins can"):
        set_owner(OWNER, "indicator", SCF, "me@wmca.example", db=sample_store)
    with pytest.raises(OwnerRefused, match="There is no indicator 'nope'"):
        set_owner(ADMIN, "indicator", "nope", "me@wmca.example", db=sample_store)
    set_owner(ADMIN, "indicator", SCF, "  housing.lead@wmca.example ", db=sample_store, now=NOW)
    assert current_owners(db=sample_store)[("indicator", SCF)] == "housing.lead@wmca.example"
    with connect(sample_store, read_only=True) as con:
        events = [(r["event"], r["user_name"], r["file_name"]) for r in fetch_dicts(con, "audit_log", {})]
    assert [e for e in events if e[0] == "owner changed"] == [
        ("owner changed", "admin@wmca.example", f"{SCF}: housing.lead@wmca.example")
    ]


def test_commentary_is_required_in_full_for_an_off_track_verdict_and_every_version_is_kept(sample_store):
    verdict = show(SCF, db=sample_store, today=TODAY).progress.verdict
    assert verdict == "off_track"
    with pytest.raises(NotAllowed, match="does not own"):
        notes.write(OTHER, "indicator", SCF, QUARTER, happened="x", why="", next_steps="", submit=False,
                    verdict=verdict, may_write=False, db=sample_store)  # fmt: skip
    notes.write(OWNER, "indicator", SCF, QUARTER, happened="Three schemes fell short.", why="", next_steps="",
                submit=False, verdict=verdict, may_write=True, db=sample_store, now=NOW)  # fmt: skip
    with pytest.raises(
        notes.CommentaryRefused,
        match="Write why, what happens next before submitting: the verdict is off track",
    ):
        notes.write(OWNER, "indicator", SCF, QUARTER, happened="Three schemes fell short.", why="", next_steps="",
                    submit=True, verdict=verdict, may_write=True, db=sample_store)  # fmt: skip
    with pytest.raises(notes.CommentaryRefused, match="must be 1,000 or fewer"):
        notes.write(OWNER, "indicator", SCF, QUARTER, happened="x" * 1001, why="", next_steps="", submit=False,
                    verdict=verdict, may_write=True, db=sample_store)  # fmt: skip
    done = notes.write(
        OWNER, "indicator", SCF, QUARTER, happened="Three schemes fell short.\u202e", why="Viability.",
        next_steps="Review at the next panel.", submit=True, verdict=verdict, may_write=True, db=sample_store, now=NOW,
    )  # fmt: skip
    assert (done.version, done.state, done.happened) == (2, "submitted", "Three schemes fell short.")
    assert [v.state for v in notes.versions("indicator", SCF, QUARTER, db=sample_store)] == [
        "draft",
        "submitted",
    ]


def test_approval_comes_from_someone_else_and_is_what_pages_show(sample_store):
    notes.write(OWNER, "indicator", SCF, QUARTER, happened="a", why="b", next_steps="c", submit=True,
                verdict="off_track", may_write=True, db=sample_store, now=NOW)  # fmt: skip
    with pytest.raises(NotAllowed, match="Admins and the approvers"):
        notes.decide(OTHER, "indicator", SCF, QUARTER, approve=True, roles=ROLES, db=sample_store)
    self_approver = dataclasses.replace(ADMIN, id=OWNER.id, key=OWNER.key)
    with pytest.raises(NotAllowed, match="someone else must approve it"):
        notes.decide(self_approver, "indicator", SCF, QUARTER, approve=True, roles=ROLES, db=sample_store)
    with pytest.raises(notes.CommentaryRefused, match="Say what to change"):
        notes.decide(ADMIN, "indicator", SCF, QUARTER, approve=False, roles=ROLES, db=sample_store)
    assert notes.approved("indicator", SCF, QUARTER, db=sample_store) is None
    ok = notes.decide(ADMIN, "indicator", SCF, QUARTER, approve=True, roles=ROLES, db=sample_store, now=NOW)
    assert (ok.state, ok.author, ok.happened) == ("approved", ADMIN.id, "a")
    # A later draft does not replace what was approved.
    notes.write(OWNER, "indicator", SCF, QUARTER, happened="a2", why="b", next_steps="c", submit=False,
                verdict="off_track", may_write=True, db=sample_store, now=NOW)  # fmt: skip
    assert notes.approved("indicator", SCF, QUARTER, db=sample_store).happened == "a"
    with pytest.raises(notes.CommentaryRefused, match="no submitted commentary"):
        notes.decide(ADMIN, "indicator", SCF, QUARTER, approve=True, roles=ROLES, db=sample_store)


def test_the_draft_says_what_the_figures_say_and_names_the_schemes_behind_the_verdict(sample_store):
    d = draft(show(SCF, db=sample_store, today=TODAY))
    assert d.happened.startswith("Affordable share of homes in SCF schemes was 25.4% in 2026-27 Q2")
    assert d.why.startswith("Off track: 3 of 14 schemes are below the 20% minimum")
    assert d.why.count("Sandwell scheme 2") == 1  # named once: the reason already names the schemes
    assert d.next_steps == ""


def test_keeping_a_pack_locks_its_quarter_and_a_later_revision_is_flagged_not_silent(sample_store):
    from metrics.cycle.locks import revised_since_presented

    pack = build_pack(fmt="docx", db=sample_store, status_date=TODAY, built_at=NOW)
    pack_id = keep(pack, board="WMCA Board", presented_on=dt.date(2026, 12, 1), user="admin", db=sample_store)
    with open_store(sample_store, read_only=True) as con:
        assert query(con, "SELECT board_pack_id, period FROM period_lock") == [(pack_id, "2026-27 Q2")]
    ind = default_catalogue().indicator("jobs_skills_academy_people_supported")
    assert revised_since_presented(ind, db=sample_store, today=TODAY) == []
    _upload(sample_store, [{"indicator_id": ind.id, "period": "2022-23 Q2", "geography": "E47000007", "value": "7600", "status": "final"}])  # fmt: skip
    [flag] = revised_since_presented(ind, db=sample_store, today=TODAY)
    assert flag.sentence(ind) == (
        "2022-23 Q2: revised since presented to the WMCA Board on 1 December 2026 (then 7,570, now 7,600)."
    )


def _upload(store, rows):
    text = (
        ",".join(VALUE_COLUMNS)
        + "\n"
        + "\n".join(",".join(r.get(c, "") for c in VALUE_COLUMNS) for r in rows)
        + "\n"
    )
    report = ingest_bytes(text.encode(), "correction.csv", db=store, user="analyst")
    assert report.status == "committed", [p.as_json() for p in report.errors]
    return report.upload_id


def test_what_is_due_counts_each_owners_items_and_the_admins_table_adds_up(sample_store):
    q = due.quarter_items(db=sample_store, today=TODAY)
    cat = default_catalogue()
    assert q.period.label == "2026-27 Q2" and q.late
    assert len(q.items) == len(cat.indicators) + len(cat.actions)
    scf = next(i for i in q.items if i.subject.id == SCF)
    assert (scf.verdict, scf.commentary, scf.commentary_required) == ("off_track", None, True)
    assert len(due.mine(q, OWNER, ROLES)) == len(q.items)  # the team owns every indicator and action
    assert due.mine(q, OTHER, ROLES) == []
    table = due.completion(q, cat)
    assert sum(r["Items"] for r in table) == len(q.items)
    subject, body = due.digest_text(q, due.mine(q, OWNER, ROLES))
    assert subject == f"{len(q.items)} updates for 2026-27 Q2 late"
    assert "Affordable share of homes in SCF schemes: commentary not started (required in full" in body


def test_an_upload_that_turns_a_verdict_alerts_its_owners_and_the_subscribers_once(sample_store):
    uid = _upload(
        sample_store,
        [{"indicator_id": SCF, "period": "2026-27 Q2", "geography": "Coventry", "numerator": "5", "denominator": "100",
          "breakdown_dimension": "project", "breakdown_value": "Coventry scheme 9", "status": "provisional"}],
    )  # fmt: skip
    alert = alerts.after_upload(uid, db=sample_store, roles=ROLES, today=TODAY, now=NOW)
    assert alert is not None and alert.delivery == "app" and alert.error is None  # no SMTP set up
    assert alert.recipients == ("admin@wmca.example", "owner@wmca.example")
    assert (
        alert.subject
        == f"Upload {uid}: 1 scheme fell below the minimum on the Equity and Inclusion dashboard"
    )
    assert "Now below the minimum: Coventry scheme 9 (5.0%)." in alert.body
    assert f"/Indicator?indicator={SCF}" in alert.body
    # A correction that changes no verdict sends nothing.
    same = _upload(sample_store, [{"indicator_id": "life_satisfaction", "period": "2022-23", "geography": "Birmingham", "value": "7.4", "status": "final"}])  # fmt: skip
    assert alerts.after_upload(same, db=sample_store, roles=ROLES, today=TODAY, now=NOW) is None
    assert [a["upload_id"] for a in alerts.recent(db=sample_store)] == [uid]


def test_a_pack_shows_the_approved_commentary_beside_the_figure_and_what_was_revised_since_presented(
    sample_store,
):
    import io

    from docx import Document
    from pptx import Presentation

    academy = "jobs_skills_academy_people_supported"
    first = build_pack(fmt="docx", db=sample_store, status_date=TODAY, built_at=NOW)
    keep(first, board="WMCA Board", presented_on=dt.date(2026, 12, 1), user="admin", db=sample_store)
    _upload(sample_store, [{"indicator_id": academy, "period": "2022-23 Q2", "geography": "E47000007", "value": "7600", "status": "final"}])  # fmt: skip
    notes.write(OWNER, "indicator", SCF, QUARTER, happened="Three schemes fell short.", why="Viability.",
                next_steps="Panel review in December.", submit=True, verdict="off_track", may_write=True,
                db=sample_store, now=NOW)  # fmt: skip
    later = NOW + dt.timedelta(days=7)
    notes.decide(ADMIN, "indicator", SCF, QUARTER, approve=True, roles=ROLES, db=sample_store, now=later)
    built = later + dt.timedelta(hours=1)
    word = build_pack(fmt="docx", db=sample_store, status_date=TODAY, built_at=built)
    text = "\n".join(p.text for p in Document(io.BytesIO(word.data)).paragraphs)
    assert "Owner's commentary, 2026-27 Q2 (approved by admin@wmca.example on 3 December 2026)" in text
    assert "What happens next: Panel review in December." in text
    assert (
        "2022-23 Q2: revised since presented to the WMCA Board on 1 December 2026 (then 7,570, now 7,600)."
        in text
    )
    deck = build_pack(fmt="pptx", db=sample_store, status_date=TODAY, built_at=built)
    slides = Presentation(io.BytesIO(deck.data)).slides
    said = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in slides]
    scf_notes = next(t for t in said if "Owner's commentary: Affordable homes" in t)
    assert "What happened: Three schemes fell short." in scf_notes
    # Every step is in the audit log, with who.
    with connect(sample_store, read_only=True) as con:
        events = {(r["event"], r["user_name"]) for r in fetch_dicts(con, "audit_log", {})}
    assert {
        ("commentary submitted", OWNER.id),
        ("commentary approved", ADMIN.id),
        ("period locked", "admin"),
    } <= events
    # Built as it stood before the approval, the pack does not show it: a rebuild gives the same file.
    before = build_pack(fmt="docx", db=sample_store, status_date=TODAY, built_at=NOW + dt.timedelta(days=1))
    assert "Owner's commentary" not in "\n".join(p.text for p in Document(io.BytesIO(before.data)).paragraphs)


def test_an_actions_draft_says_its_latest_status_and_keeps_its_note():
    from metrics.cycle.draft import action_draft

    d = action_draft(
        [{"status": "at_risk", "period": "2026-27 Q1", "note": "Funding bid delayed."}], "2026-27 Q2"
    )
    assert d.happened == "Reported at risk in 2026-27 Q1. No status has been reported for 2026-27 Q2 yet."
    assert (d.why, d.next_steps) == ("Funding bid delayed.", "")
    assert (
        action_draft([], "2026-27 Q2").happened
        == "No status has been reported for this action yet; 2026-27 Q2 is due."
    )
