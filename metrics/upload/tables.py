"""The upload pages' tables, in words: problems, the preview, the history, what an upload brought,
and what undoing it would change. Places by name, statuses and missing values in words.

Headless (pandas frames, no streamlit), so what the pages show is tested without a browser.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from metrics.auth import User
from metrics.catalogue import Catalogue, default_catalogue
from metrics.store import connect, fetch_dicts, run
from metrics.upload.changes import number_text
from metrics.upload.report import Problem, Report
from metrics.upload.undo import NoSuchUpload, undo_preview
from metrics.words import action_status_word

Db = str | Path | None

MISSING_WORDS = {"c": "c (confidential)", "x": "x (not available)", "z": "z (not applicable)"}
# Words only: colour emoji are drawn as empty boxes where the system has no colour emoji font
# (Chromium on a server, many council desktops), and screen readers read them out oddly.
OUTCOME_WORDS = {
    "committed": "Committed",
    "rejected": "Rejected",
    "undone": "Undone",
    "dry_run": "Checked, not written",
}
KIND_WORDS = {"values": "Indicator values", "action_status": "Action status", "sample": "Sample data"}
WHEN_FORMAT = "%d %B %Y, %H:%M"  # a moment on the upload pages and in their files: "26 November 2026, 09:00"


def when_text(moment: dt.datetime) -> str:
    """A moment as the upload pages write it: "26 November 2026, 09:00"."""
    return moment.strftime(WHEN_FORMAT)


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    """Line, column, the value as written, what to change: the error table the Upload page shows."""
    return pd.DataFrame(
        [
            {
                "Line": p.line if p.line is not None else "whole file",
                "Column": p.column or "",
                "Value as written": "" if p.value is None else p.value,
                "What to change": p.message,
            }
            for p in problems
        ],
        columns=["Line", "Column", "Value as written", "What to change"],
    ).astype({"Line": str})


def value_text(value: Any, missing: Any) -> str:
    if isinstance(missing, str) and missing:
        return MISSING_WORDS.get(missing, missing)
    return number_text(value)


def interval_text(lower: Any, upper: Any, confidence: Any) -> str:
    """ " (95% interval 70 to 74.2)" after a value with a confidence interval; nothing otherwise, so a
    revision of the interval alone shows as a change in the preview."""
    if lower is None or upper is None or pd.isna(lower) or pd.isna(upper):
        return ""
    level = f"{number_text(confidence)}% " if confidence is not None and not pd.isna(confidence) else ""
    return f" ({level}interval {number_text(lower)} to {number_text(upper)})"


def _breakdown(dim: Any, group: Any) -> str:
    return f"{dim}: {group}" if isinstance(dim, str) and dim else "Total"


def _place(code: str, catalogue: Catalogue) -> str:
    """One of the eight places or a comparator by name (the code, if the catalogue has lost it)."""
    return catalogue.place_name(code)


def _text(v: Any) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def preview_tables(report: Report, catalogue: Catalogue | None = None) -> dict[str, pd.DataFrame]:
    """What the upload would add, revise and leave unchanged, in words, for the preview step."""
    catalogue = catalogue or default_catalogue()
    p = report.preview
    if p is None or p.empty:
        return {"inserted": pd.DataFrame(), "revised": pd.DataFrame(), "unchanged": pd.DataFrame()}
    out = {}
    for outcome in ("inserted", "revised", "unchanged"):
        part = p[p["outcome"] == outcome]
        if report.kind == "action_status":
            rows = [_status_preview_row(r, outcome) for r in part.itertuples(index=False)]
        else:
            rows = [_value_preview_row(r, outcome, catalogue) for r in part.itertuples(index=False)]
        out[outcome] = pd.DataFrame(rows)
    return out


def _status_preview_row(r: Any, outcome: str) -> dict[str, Any]:
    """One action-status row of the preview: old and new beside each other where it revises one."""
    row = {
        "Line": int(r.line),
        "Action": r.action_id,
        "Quarter": r.period,
    }
    if outcome == "revised":
        row["Old status"] = action_status_word(_text(r.old_status))
        row["New status"] = action_status_word(r.status)
        row["Old note"] = _text(r.old_note)
        row["New note"] = _text(r.note)
    else:
        row["Status"] = action_status_word(r.status)
        row["Note"] = _text(r.note)
    return row


def _value_preview_row(r: Any, outcome: str, catalogue: Catalogue) -> dict[str, Any]:
    """One value row of the preview: old and new beside each other where it revises one."""
    row = {
        "Line": int(r.line),
        "Indicator": r.indicator_id,
        "Place": _place(r.geography_code, catalogue),
        "Period": r.period,
        "Breakdown": _breakdown(r.breakdown_dimension, r.breakdown_value),
    }
    if outcome == "revised":
        old = (
            getattr(r, "old_lower", None),
            getattr(r, "old_upper", None),
            getattr(r, "old_confidence", None),
        )
        new = (getattr(r, "lower", None), getattr(r, "upper", None), getattr(r, "confidence", None))
        row["Old value"] = value_text(r.old_value, r.old_missing) + interval_text(*old)
        row["New value"] = value_text(r.value, r.missing) + interval_text(*new)
        row["Old value was final"] = "Yes" if r.old_status == "final" else "No"
        row["New status"] = r.status
    else:
        bounds = (getattr(r, "lower", None), getattr(r, "upper", None), getattr(r, "confidence", None))
        row["Value"] = value_text(r.value, r.missing) + interval_text(*bounds)
        row["Status"] = r.status
    row["Note"] = _text(r.note)
    return row


def committed_text(done: dict[str, Any], file_name: str) -> str:
    """What the Upload page says once a file is in. `done` has the upload's id and counts (upload_id,
    rows, inserted, revised, unchanged); `file_name` comes as the page shows it (made safe there)."""
    rows = done["rows"]
    return (
        f"Upload {done['upload_id']} is in: {file_name}, {rows} row{'s' if rows != 1 else ''}. "
        f"{done['inserted']} added, {done['revised']} revised, {done['unchanged']} unchanged. "
        "Every page now shows the new figures."
    )


def undone_text(done: dict[str, Any], file_name: str) -> str:
    """What the upload history says once an upload is undone. `done` has upload_id and changed (the values
    that went back); `file_name` comes as the page shows it (made safe there)."""
    changed = done["changed"]
    return (
        f"Upload {done['upload_id']} ({file_name}) is undone: {changed} value"
        f"{'s' if changed != 1 else ''} went back to what they were before it. It stays in the history, "
        "marked undone. Every page now shows the figures without it."
    )


def history_scope(user: User) -> str:
    """Whose uploads the history shows this user, as a phrase: "every upload, by anyone"."""
    if user.sees_all_uploads:
        return "every upload, by anyone" if not user.local else "every upload to the store on this machine"
    return f"your uploads (as {user.id}); an admin can see everyone's"


def history_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Upload": r["id"],
                "When": r["uploaded_at"],
                "Who": r["user_name"],
                "File name": r["file_name"],
                "Kind": KIND_WORDS.get(r["kind"], r["kind"]),
                "Rows": r["rows"],
                "Added": r["inserted"],
                "Revised": r["revised"],
                "Unchanged": r["unchanged"],
                "Outcome": OUTCOME_WORDS.get(r["outcome"], r["outcome"]),
                "Undone by": r.get("undone_by") or "",
                "SHA-256": r["sha256"],
            }
            for r in rows
        ],
        columns=[
            "Upload",
            "When",
            "Who",
            "File name",
            "Kind",
            "Rows",
            "Added",
            "Revised",
            "Unchanged",
            "Outcome",
            "Undone by",
            "SHA-256",
        ],
    )


def upload_facts(up: dict[str, Any]) -> pd.DataFrame:
    """One upload's facts, a field a row, as text: who sent it when, the file, what it brought, its outcome."""
    facts = [
        ("Who", up["user_name"]),
        ("When", when_text(up["uploaded_at"])),
        ("File name", up["file_name"]),
        ("SHA-256", up["sha256"]),
        ("Kind", KIND_WORDS.get(up["kind"], up["kind"])),
        ("Rows", up["rows"]),
        ("Added", up["inserted"]),
        ("Revised", up["revised"]),
        ("Unchanged", up["unchanged"]),
        ("Outcome", OUTCOME_WORDS.get(up["outcome"], up["outcome"])),
    ]
    if up["outcome"] == "undone":
        facts.append(("Undone", f"{when_text(up['undone_at'])} by {up['undone_by']}"))
    return pd.DataFrame({"Field": [k for k, _ in facts], "Value": [str(v) for _, v in facts]})


def upload_values(upload_id: int, *, db: Db = None) -> tuple[dict[str, Any] | None, str, pd.DataFrame]:
    """An upload, what it held ("values" or "action_status") and the rows it brought, in file order.

    Sample uploads are recorded with kind "sample", so what they held is read from the rows themselves.
    """
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(con, "get_upload", {"id": upload_id})
        if not rows:
            return None, "values", pd.DataFrame()
        statuses = run(con, "upload_action_statuses", {"id": upload_id}).df()
        values = run(con, "upload_observations", {"id": upload_id}).df()
    up = rows[0]
    if up["kind"] == "action_status" or (values.empty and not statuses.empty):
        return up, "action_status", statuses
    return up, "values", values


def upload_values_table(kind: str, frame: pd.DataFrame, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """The values (or statuses) an upload brought, in words."""
    catalogue = catalogue or default_catalogue()
    if frame.empty:
        return pd.DataFrame()
    if kind == "action_status":
        return pd.DataFrame(
            {
                "Line": frame["line"],
                "Action": frame["action_id"],
                "Quarter": frame["period"],
                "Status": [action_status_word(s) for s in frame["status"]],
                "Note": [_text(n) for n in frame["note"]],
            }
        )
    return pd.DataFrame(
        {
            "Line": frame["line"],
            "Indicator": frame["indicator_id"],
            "Place": [_place(c, catalogue) for c in frame["geography_code"]],
            "Period": frame["period"],
            "Breakdown": [
                _breakdown(d, g)
                for d, g in zip(frame["breakdown_dimension"], frame["breakdown_value"], strict=True)
            ],
            "Value": [value_text(v, m) for v, m in zip(frame["value"], frame["missing"], strict=True)],
            "Status": frame["status"],
            "Note": [_text(n) for n in frame["note"]],
        }
    )


@dataclass(frozen=True)
class UndoChanges:
    """What undoing an upload would do: the table the page shows, and the counts its warning states,
    worked out from the stored values (never from the table's wording)."""

    table: pd.DataFrame
    moving: int  # values (or statuses) that go back to an earlier one, or to none
    kept: int  # values this upload only confirmed: the earlier upload's identical value stays


def undo_changes(upload_id: int, *, db: Db = None, catalogue: Catalogue | None = None) -> UndoChanges:
    """What undoing an upload changes, key by key: the value now and what it goes back to.

    Raises UndoRefused (from the core) when the upload cannot be undone.
    """
    catalogue = catalogue or default_catalogue()
    up, kind, _ = upload_values(upload_id, db=db)
    if up is None:
        raise NoSuchUpload(upload_id)
    if kind == "action_status":
        undo_preview(upload_id, db=db)  # the core's refusals (rejected, already undone)
        with connect(db, read_only=True) as con:
            rows = fetch_dicts(con, "undo_preview_action_statuses", {"id": upload_id})
        table = pd.DataFrame(
            [
                {
                    "Action": r["action_id"],
                    "Quarter": r["period"],
                    "Status now": action_status_word(r["status_now"]),
                    "After the undo": _after(
                        r["upload_now"],
                        upload_id,
                        action_status_word(r["status_after"]) if r["status_after"] else None,
                        r["upload_after"],
                        empty="No status",
                    ),
                }
                for r in rows
            ],
            columns=["Action", "Quarter", "Status now", "After the undo"],
        )
        return UndoChanges(table, *_counts(rows, upload_id, ("status_now",), ("status_after",)))
    rows = undo_preview(upload_id, db=db)
    table = pd.DataFrame(
        [
            {
                "Indicator": r["indicator_id"],
                "Place": _place(r["geography_code"], catalogue),
                "Period": r["period"],
                "Breakdown": _breakdown(r["breakdown_dimension"], r["breakdown_value"]),
                "Value now": value_text(r["value_now"], r["missing_now"]),
                "After the undo": _after(
                    r["upload_now"],
                    upload_id,
                    value_text(r["value_after"], r["missing_after"])
                    if r["upload_after"] is not None
                    else None,
                    r["upload_after"],
                ),
            }
            for r in rows
        ],
        columns=["Indicator", "Place", "Period", "Breakdown", "Value now", "After the undo"],
    )
    return UndoChanges(
        table, *_counts(rows, upload_id, ("value_now", "missing_now"), ("value_after", "missing_after"))
    )


def _counts(
    rows: list[dict[str, Any]], upload_id: int, now: tuple[str, ...], after: tuple[str, ...]
) -> tuple[int, int]:
    """(moving, kept): of the keys this upload holds now, those whose value changes on undo, and those
    whose earlier upload held the same value (the upload only confirmed it)."""
    held = [r for r in rows if r["upload_now"] == upload_id]
    kept = sum(
        1 for r in held if r["upload_after"] is not None and [r[k] for k in now] == [r[k] for k in after]
    )
    return len(held) - kept, kept


def _after(
    upload_now: int, upload_id: int, after: str | None, upload_after: int | None, empty: str = "No value"
) -> str:
    if upload_now != upload_id:
        return f"No change: upload {upload_now} set it later and stays"
    if upload_after is None:
        return f"{empty} (this upload brought the only one)"
    return f"{after} (from upload {upload_after})"
