"""Owners' commentary per reporting quarter: written, submitted, approved by someone else, every version kept.

Each save is a new version (table commentary, append only): a draft, a submission, an approval or a
return for changes, with who and when, so the audit log can show every step. The approved version is
what the Indicator and Theme pages and the board pack show beside the figure. Commentary is required
in full (what happened, why, what happens next) before it can be submitted when the verdict is one the
cycle names (cycle.yaml `required_for`: at risk, off track, missed). An approval must come from an
admin or a named approver who did not write it. A quarter locked by a pack kept "as presented" can
still get a new version, but it is marked as revised since it was presented, on screen and in packs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from metrics import clock
from metrics.asof import Db
from metrics.auth import NotAllowed, RoleConfig, User
from metrics.cycle.rules import CycleRules, cycle_rules
from metrics.periods import Period
from metrics.store import connect, execute, fetch_dicts, scalar, transaction
from metrics.words import clean_text, verdict_word

STATES = ("draft", "submitted", "approved", "returned")
PARTS = (("happened", "what happened"), ("why", "why"), ("next_steps", "what happens next"))


class CommentaryRefused(Exception):
    """Commentary that cannot be saved or decided as asked; the message says what to change."""


@dataclass(frozen=True)
class Commentary:
    id: int
    subject_kind: str
    subject_id: str
    period: str
    period_start: dt.date
    period_end: dt.date
    version: int
    happened: str
    why: str
    next_steps: str
    state: str
    author: str
    author_key: str | None
    written_at: dt.datetime
    note: str | None
    revised_after_pack: int | None

    @classmethod
    def of(cls, row: dict) -> Commentary:
        return cls(**{k: row[k] for k in cls.__dataclass_fields__})


def versions(kind: str, subject_id: str, quarter: Period, *, db: Db = None) -> list[Commentary]:
    """Every version for one subject and quarter, oldest first."""
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(
            con,
            "commentary_versions",
            {"subject_kind": kind, "subject_id": subject_id, "period_start": quarter.start},
        )
    return [Commentary.of(r) for r in rows]


def latest(quarter: Period, *, db: Db = None) -> dict[tuple[str, str], Commentary]:
    """The newest version of every subject's commentary for the quarter."""
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(con, "latest_commentary", {"period_start": quarter.start})
    return {(r["subject_kind"], r["subject_id"]): Commentary.of(r) for r in rows}


def approved(kind: str, subject_id: str, quarter: Period, *, db: Db = None) -> Commentary | None:
    """The newest approved version: what pages and packs show (a later draft does not replace it)."""
    done = [c for c in versions(kind, subject_id, quarter, db=db) if c.state == "approved"]
    return done[-1] if done else None


def clean_part(text: str, part: str, rules: CycleRules) -> str:
    """One part of a commentary as it is kept: unsafe characters out, trimmed, within the length limit."""
    text = clean_text(text or "").strip()
    if len(text) > rules.max_characters:
        raise CommentaryRefused(
            f"'{part.capitalize()}' is {len(text):,} characters. It must be {rules.max_characters:,} or fewer: "
            "shorten it."
        )
    return text


def _insert(con, c: dict) -> Commentary:
    c["id"] = int(scalar(con, "next_commentary_id"))
    execute(con, "insert_commentary", c)
    return Commentary.of(c)


def write(
    user: User,
    kind: str,
    subject_id: str,
    quarter: Period,
    *,
    happened: str,
    why: str,
    next_steps: str,
    submit: bool,
    verdict: str | None,
    may_write: bool,
    locked_by_pack: int | None = None,
    db: Db = None,
    now: dt.datetime | None = None,
    rules: CycleRules | None = None,
) -> Commentary:
    """Save a new version: a draft, or submitted for approval. `may_write`: the caller has checked the
    user owns the subject (metrics.cycle.owners.owns) or is an admin; `locked_by_pack`: the quarter was
    presented in that kept pack, so this version is marked as revised since."""
    rules = rules or cycle_rules()
    if not may_write:
        raise NotAllowed(
            f"You are signed in as {user.id}, who does not own this {kind}, so you cannot write its commentary. "
            "Ask its owner, or an admin to make you its owner."
        )
    texts = {
        key: clean_part(text, label, rules)
        for (key, label), text in zip(PARTS, (happened, why, next_steps), strict=True)
    }
    if submit:
        problem = missing_parts(texts, verdict, rules)
        if problem:
            raise CommentaryRefused(problem)
    entry = Entry(kind, subject_id, quarter, texts, submit, locked_by_pack)
    return write_all(user, [entry], db=db, now=now)[0]


def missing_parts(texts: dict[str, str], verdict: str | None, rules: CycleRules) -> str | None:
    """Why commentary cannot be submitted as it is (all three parts where the verdict needs them, else
    what happened), or None. The My updates page and `kpi commentary import` both ask this."""
    needed = PARTS if verdict in rules.required_for else PARTS[:1]
    missing = [label for key, label in needed if not texts[key]]
    if not missing:
        return None
    because = (
        f"the verdict is {verdict_word(verdict).lower()}, so the board needs all three"
        if verdict in rules.required_for
        else "there is nothing to submit yet"
    )
    return f"Write {', '.join(missing)} before submitting: {because}."


@dataclass(frozen=True)
class Entry:
    """A checked new version to write: texts already cleaned, the submit rule already applied."""

    kind: str
    subject_id: str
    quarter: Period
    texts: dict[str, str]  # happened, why, next_steps
    submit: bool
    locked_by_pack: int | None = None


def write_all(
    user: User, entries: list[Entry], *, db: Db = None, now: dt.datetime | None = None
) -> list[Commentary]:
    """Write every entry as a new version in one transaction: all of them, or none (a file of commentary
    imported by `kpi commentary import` is all-or-nothing, as an upload is)."""
    written = []
    when = now or clock.now()
    with connect(db) as con, transaction(con):
        for e in entries:
            earlier = fetch_dicts(
                con,
                "commentary_versions",
                {"subject_kind": e.kind, "subject_id": e.subject_id, "period_start": e.quarter.start},
            )
            written.append(
                _insert(
                    con,
                    {
                        "subject_kind": e.kind,
                        "subject_id": e.subject_id,
                        "period": e.quarter.label,
                        "period_start": e.quarter.start,
                        "period_end": e.quarter.end,
                        "version": len(earlier) + 1,
                        **e.texts,
                        "state": "submitted" if e.submit else "draft",
                        "author": user.id,
                        "author_key": user.key or None,
                        "written_at": when,
                        "note": None,
                        "revised_after_pack": e.locked_by_pack,
                    },
                )
            )
    return written


def decide(
    user: User,
    kind: str,
    subject_id: str,
    quarter: Period,
    *,
    approve: bool,
    note: str = "",
    roles: RoleConfig,
    db: Db = None,
    now: dt.datetime | None = None,
) -> Commentary:
    """Approve the submitted version, or return it for changes with a note saying what to change."""
    if not (user.role == "admin" or user.id.strip().casefold() in roles.approvers):
        raise NotAllowed(
            f"You are signed in as {user.id}, so you cannot approve commentary. Admins and the approvers named "
            "in the roles file can."
        )
    note = clean_text(note or "").strip()[:500]
    if not approve and not note:
        raise CommentaryRefused("Say what to change, so the owner knows why it was returned.")
    with connect(db) as con, transaction(con):
        rows = fetch_dicts(
            con,
            "commentary_versions",
            {"subject_kind": kind, "subject_id": subject_id, "period_start": quarter.start},
        )
        if not rows or rows[-1]["state"] != "submitted":
            raise CommentaryRefused("There is no submitted commentary to decide on for this quarter.")
        last = rows[-1]
        same_key = bool(user.key) and user.key == last["author_key"]
        if same_key or user.id.strip().casefold() == str(last["author"]).strip().casefold():
            raise NotAllowed(
                "You wrote this commentary, so someone else must approve it: another admin or a named approver."
            )
        return _insert(
            con,
            {
                **{
                    k: last[k] for k in ("subject_kind", "subject_id", "period", "period_start", "period_end")
                },
                "version": len(rows) + 1,
                **{k: last[k] for k, _ in PARTS},
                "state": "approved" if approve else "returned",
                "author": user.id,
                "author_key": user.key or None,
                "written_at": now or clock.now(),
                "note": note or None,
                "revised_after_pack": last["revised_after_pack"],
            },
        )


@dataclass(frozen=True)
class Shown:
    """Approved commentary as pages and packs show it beside a figure."""

    quarter: str
    happened: str
    why: str
    next_steps: str
    approved_by: str
    approved_on: dt.date
    revised_note: str | None  # "Revised since presented to the WMCA Board on 1 December 2026."


def shown(
    kind: str, subject_id: str, quarter: Period, *, db: Db = None, as_at: dt.datetime | None = None
) -> Shown | None:
    """The approved commentary for a subject and quarter, with the flag if it changed after a board saw it.

    `as_at`: as it stood then (a board pack reads the commentary approved by the time it was built, so
    building the pack again later gives the same file)."""
    from metrics.clock import long_date
    from metrics.cycle.locks import locks

    done = [
        c
        for c in versions(kind, subject_id, quarter, db=db)
        if c.state == "approved" and (as_at is None or c.written_at <= as_at)
    ]
    if not done:
        return None
    c = done[-1]
    note = None
    if c.revised_after_pack is not None:
        with connect(db, read_only=True) as con:
            lock = next((lk for lk in locks(con) if lk.board_pack_id == c.revised_after_pack), None)
        if lock is not None:
            note = f"Revised since presented to the {lock.board} on {long_date(lock.presented_on)}."
    return Shown(quarter.label, c.happened, c.why, c.next_steps, c.author, c.written_at.date(), note)
