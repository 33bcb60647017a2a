"""Undoing an upload: its values stop being current, and each key falls back to its latest other value.

Nothing is deleted: the upload is marked undone (when, by whom), so the history still shows what
it brought and a board pack built before the undo can be built again exactly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from metrics import clock
from metrics.errors import KpiError
from metrics.store import connect, execute, run, transaction
from metrics.upload.current import refresh_current


class UndoRefused(KpiError, ValueError):
    """The upload cannot be undone; the message says why."""


class NoSuchUpload(UndoRefused):
    """No upload has this number. The one wording for it, shown by the pages and the `kpi` command alike."""

    def __init__(self, upload_id: int) -> None:
        super().__init__(f"There is no upload {upload_id}. Choose one from the upload history.")
        self.upload_id = upload_id


def undo_preview(upload_id: int, *, db: str | Path | None = None) -> list[dict]:
    """What undoing an upload would change: each key's value now and what it goes back to."""
    with connect(db, read_only=True) as con:
        _undoable(con, upload_id)
        cur = run(con, "undo_preview", {"id": upload_id})
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _undoable(con, upload_id: int) -> dict:
    """The upload's log entry, if it can be undone; else UndoRefused says why not."""
    cur = run(con, "get_upload", {"id": upload_id})
    rows = cur.fetchall()
    row = rows[0] if rows else None
    if row is None:
        raise NoSuchUpload(upload_id)
    up = dict(zip([d[0] for d in cur.description], row, strict=True))
    if up["outcome"] == "rejected":
        raise UndoRefused(
            f"Upload {upload_id} was rejected, so nothing from it was written. There is nothing to undo."
        )
    if up["outcome"] == "undone":
        when = clock.long_date(up["undone_at"].date()) if up["undone_at"] else "earlier"
        raise UndoRefused(f"Upload {upload_id} was already undone on {when} by {up['undone_by']}.")
    return up


def undo(
    upload_id: int,
    *,
    db: str | Path | None = None,
    user: str = "local analyst",
    now: dt.datetime | None = None,
) -> dict:
    """Withdraw an upload: its values stop being current; each key falls back to its latest other value."""
    now = now or clock.now()
    with connect(db) as con, transaction(con):
        up = _undoable(con, upload_id)
        execute(con, "mark_upload_undone", {"id": upload_id, "undone_at": now, "undone_by": user})
        refresh_current(con, upload_id)  # each key it held falls back to its latest other value
    return {"upload_id": upload_id, "file_name": up["file_name"], "status": "undone", "undone_by": user}
