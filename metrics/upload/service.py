"""The Upload and Upload history pages' writes, with the user's role checked, and the audit log.

Every write goes through :func:`commit_as`, :func:`check_as` (a rejected file is recorded) or
:func:`undo_as`, which check the user's role first (metrics.auth.require): the pages hide
controls a viewer may not use, and these refuse the write anyway if a request reaches them.
A refusal is kept in the audit log. Every write records the user's id (their e-mail address
when signed in).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from metrics import clock, log
from metrics.auth import NotAllowed, User, require, require_owner_or_admin
from metrics.store import CONFLICT_ERRORS, StoreBusy, connect, execute, fetch_dicts, transaction
from metrics.upload.changes import large_changes
from metrics.upload.report import Report
from metrics.upload.tables import KIND_WORDS
from metrics.upload.undo import NoSuchUpload, undo
from metrics.upload.write import ingest_bytes, record_rejected
from metrics.words import clean_text

Db = str | Path | None

CONFLICT = (
    "Another change was written to the store at the same moment, so nothing from this one was written. "
    "Try again: it will be checked against the figures as they are now."
)


def _require(
    user: User, action: str, *, db: Db, now: dt.datetime, target: str = "", detail: str = ""
) -> None:
    """The role check of the write path; a refusal is kept in the audit log and logged, then raised."""
    try:
        require(user, action)
    except NotAllowed:
        record_refusal(user, action, db=db, now=now, target=target, detail=detail)
        raise


def record_refusal(
    user: User,
    action: str,
    *,
    db: Db = None,
    now: dt.datetime | None = None,
    target: str = "",
    detail: str = "",
) -> None:
    """Keep a refused attempt (a viewer uploading, an analyst undoing another's upload) in the audit log."""
    now = now or clock.now()
    log.event(action, "refused", user=user.id, user_key=user.key, target=target, file_name=detail)
    params = {
        "event_at": now,
        "user_name": user.id,
        "user_key": user.key,
        "action": action,
        "target": target,
        "outcome": "refused",
        "detail": clean_text(detail)[:255],
    }
    with connect(db) as con, transaction(con):
        execute(con, "insert_audit_event", params)


def check_as(
    user: User, data: bytes, file_name: str, *, db: Db = None, now: dt.datetime | None = None
) -> Report:
    """The dry run the Upload page shows first. A rejected file is recorded (it is an upload attempt).

    A clean file writes nothing and is not recorded; its report carries the large-change notices.
    The rejection is recorded from this check's own report: the file is not checked a second time.
    """
    now = now or clock.now()
    _require(user, "upload", db=db, now=now, detail=file_name)
    report = ingest_bytes(data, file_name, db=db, user=user.id, dry_run=True, now=now, user_key=user.key)
    if report.status == "rejected":
        _record_rejection(user, report, db=db, now=now, once=True)
        return report
    report.notices = large_changes(report, db=db)
    return report


def record_rejected_as(
    user: User, data: bytes, file_name: str, *, db: Db = None, now: dt.datetime | None = None
) -> Report:
    """Record a file that fails the checks in the upload log (nothing else is written)."""
    now = now or clock.now()
    _require(user, "upload", db=db, now=now, detail=file_name)
    report = ingest_bytes(data, file_name, db=db, user=user.id, dry_run=True, now=now, user_key=user.key)
    if report.status != "rejected":  # never commit here
        raise RuntimeError("record_rejected_as was given a clean file")
    _record_rejection(user, report, db=db, now=now)
    return report


def _record_rejection(user: User, report: Report, *, db: Db, now: dt.datetime, once: bool = False) -> None:
    """Keep a rejected report in the upload log (with the user's id) and in the event log; with `once`,
    the same file rejected just before is not recorded again (write.record_rejected)."""
    record_rejected(report, db=db, user=user.id, now=now, user_key=user.key, once=once)
    log.event(
        "upload",
        "rejected",
        user=user.id,
        user_key=user.key,
        upload=report.upload_id,
        file_name=report.file_name,
    )


def commit_as(
    user: User, data: bytes, file_name: str, *, db: Db = None, now: dt.datetime | None = None
) -> Report:
    """Check and write a file in one transaction as `user`; a viewer is refused before anything is read.

    Raises StoreBusy (nothing written) when the store is held too long or another write conflicts.
    """
    now = now or clock.now()
    _require(user, "upload", db=db, now=now, detail=file_name)
    try:
        report = ingest_bytes(data, file_name, db=db, user=user.id, dry_run=False, now=now, user_key=user.key)
    except CONFLICT_ERRORS as exc:  # two writes to the same rows at once: ours rolled back
        raise StoreBusy(CONFLICT) from exc
    log.event(
        "upload",
        report.status,
        user=user.id,
        user_key=user.key,
        upload=report.upload_id,
        file_name=report.file_name,
    )
    return report


def get_upload(upload_id: int, *, db: Db = None) -> dict[str, Any] | None:
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(con, "get_upload", {"id": upload_id})
    return rows[0] if rows else None


def undo_as(user: User, upload_id: int, *, db: Db = None, now: dt.datetime | None = None) -> dict:
    """Undo an upload as `user`: analysts their own, admins (and the local analyst) anyone's."""
    now = now or clock.now()
    _require(user, "undo", db=db, now=now, target=str(upload_id))
    up = get_upload(upload_id, db=db)
    if up is None:
        raise NoSuchUpload(upload_id)
    try:
        require_owner_or_admin(user, up["user_name"], upload_id, up.get("user_key"))
    except NotAllowed:
        record_refusal(user, "undo", db=db, now=now, target=str(upload_id), detail=up["file_name"])
        raise
    try:
        result = undo(upload_id, db=db, user=user.id, now=now)
    except CONFLICT_ERRORS as exc:
        raise StoreBusy(CONFLICT) from exc
    log.event("undo", "done", user=user.id, user_key=user.key, upload=upload_id, file_name=up["file_name"])
    return result


def uploads_visible_to(user: User, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Admins (and the local analyst) see every upload; an analyst their own; a viewer none."""
    if not user.can("upload"):
        return []
    if user.sees_all_uploads:
        return rows
    return [r for r in rows if user.owns(r.get("user_name"), r.get("user_key"))]


def audit_log(user: User, *, db: Db = None) -> pd.DataFrame:
    """Every write, newest first: uploads committed or rejected and undos, with who and when (admins only)."""
    require(user, "audit_log")
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(con, "audit_log")
    return pd.DataFrame(
        [
            {
                "When": r["event_at"],
                "Who": r["user_name"],
                "What": r["event"],
                "Upload": r["upload_id"],
                "File name": r["file_name"],
                "Kind": KIND_WORDS.get(r["kind"], r["kind"]),
                "Rows": r["rows"],
                "SHA-256": r["sha256"],
            }
            for r in rows
        ],
        columns=["When", "Who", "What", "Upload", "File name", "Kind", "Rows", "SHA-256"],
    )
