"""The Upload and Upload history pages' use of the core, headless so it can be tested without a browser.

Every write goes through :func:`commit_as`, :func:`record_rejected_as` or
:func:`undo_as`, which check the user's role first (metrics.auth.require): the
pages hide controls a viewer may not use, and these refuse the write anyway if a
request reaches them. Every write records the user's id (their e-mail address
when signed in).

Also here: the large-change notices (a value more than 50% away from the
previous period's), the analyst's own file back with an ``error`` column, and
the tables the pages show, with places and statuses in words.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from metrics import clock, log
from metrics.auth import NotAllowed, User, require, require_owner_or_admin
from metrics.catalogue import ACTION_STATUS_LABELS, Catalogue, default_catalogue
from metrics.periods import Period, previous_period
from metrics.store import StoreBusy, connect, execute, fetch_dicts, run, transaction
from metrics.upload import Problem, Report, UndoRefused, ingest_bytes, table_from_xlsx
from metrics.upload.undo import undo
from metrics.words import clean_text

Db = str | Path | None

MISSING_WORDS = {"c": "c (confidential)", "x": "x (not available)", "z": "z (not applicable)"}
OUTCOME_WORDS = {
    "committed": "✅ Committed",
    "rejected": "❌ Rejected",
    "undone": "↩️ Undone",
    "dry_run": "🔎 Checked, not written",
}
CONFLICT = (
    "Another change was written to the store at the same moment, so nothing from this one was written. "
    "Try again: it will be checked against the figures as they are now."
)
ANNOTATE_MAX_CELLS = 50_000  # the largest workbook returned with an error column added
JUMP_WARNING = 0.5  # a value this far (50%) from the previous period's is shown for a second look
KIND_WORDS = {"values": "Indicator values", "action_status": "Action status", "sample": "Sample data"}


# ---------------------------------------------------------------- writes, with the role checked


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
    """
    now = now or clock.now()
    _require(user, "upload", db=db, now=now, detail=file_name)
    report = ingest_bytes(data, file_name, db=db, user=user.id, dry_run=True, now=now, user_key=user.key)
    if report.status == "rejected":
        return record_rejected_as(user, data, file_name, db=db, now=now)
    report.notices = large_changes(report, db=db)
    return report


def record_rejected_as(
    user: User, data: bytes, file_name: str, *, db: Db = None, now: dt.datetime | None = None
) -> Report:
    """Record a file that fails the checks in the upload log (nothing else is written)."""
    now = now or clock.now()
    _require(user, "upload", db=db, now=now, detail=file_name)
    report = ingest_bytes(data, file_name, db=db, user=user.id, dry_run=False, now=now, user_key=user.key)
    if report.status != "rejected":  # the file cannot change between the two checks; never commit here
        raise RuntimeError("record_rejected_as was given a clean file")
    log.event(
        "upload",
        "rejected",
        user=user.id,
        user_key=user.key,
        upload=report.upload_id,
        file_name=report.file_name,
    )
    return report


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
    except duckdb.TransactionException as exc:  # two writes to the same rows at once: ours rolled back
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
        raise UndoRefused(f"There is no upload {upload_id}. The upload history lists the uploads.")
    try:
        require_owner_or_admin(user, up["user_name"], upload_id, up.get("user_key"))
    except NotAllowed:
        record_refusal(user, "undo", db=db, now=now, target=str(upload_id), detail=up["file_name"])
        raise
    try:
        result = undo(upload_id, db=db, user=user.id, now=now)
    except duckdb.TransactionException as exc:
        raise StoreBusy(CONFLICT) from exc
    log.event("undo", "done", user=user.id, user_key=user.key, upload=upload_id, file_name=up["file_name"])
    return result


# ---------------------------------------------------------------- large changes


def _previous_rows(preview: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Each value row with the dates of its indicator's previous period."""
    out = []
    for r in preview.itertuples(index=False):
        ind = catalogue.indicator(r.indicator_id)
        prev = previous_period(Period(r.period, r.period_start, r.period_end), ind.frequency, ind.year_type)
        out.append(
            {
                "line": int(r.line),
                "indicator_id": r.indicator_id,
                "geography_code": r.geography_code,
                "breakdown_dimension": r.breakdown_dimension,
                "breakdown_value": r.breakdown_value,
                "previous_label": prev.label,
                "previous_start": prev.start,
                "previous_end": prev.end,
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "line",
            "indicator_id",
            "geography_code",
            "breakdown_dimension",
            "breakdown_value",
            "previous_label",
            "previous_start",
            "previous_end",
        ],
    )


def previous_values(
    preview: pd.DataFrame, *, db: Db = None, catalogue: Catalogue | None = None
) -> pd.DataFrame:
    """For each line: the previous period's value, from the same file if it has it, else the store's current one.

    Columns: line, previous_period, previous_value, previous_missing.
    """
    catalogue = catalogue or default_catalogue()
    cols = ["line", "previous_period", "previous_value", "previous_missing"]
    if preview is None or preview.empty or "indicator_id" not in preview.columns:
        return pd.DataFrame(columns=cols)
    wanted = _previous_rows(preview, catalogue)
    with connect(db, read_only=True) as con:
        con.register("wanted", wanted)
        stored = run(con, "previous_period_values").df()
    found = {
        int(r.line): (r.previous_period, r.previous_value, r.previous_missing) for r in stored.itertuples()
    }
    in_file = {
        (r.indicator_id, r.geography_code, r.breakdown_dimension, r.breakdown_value, r.period_start): r
        for r in preview.itertuples(index=False)
    }
    rows = []
    for w in wanted.itertuples(index=False):
        own = in_file.get(
            (w.indicator_id, w.geography_code, w.breakdown_dimension, w.breakdown_value, w.previous_start)
        )
        if own is not None:
            rows.append((w.line, w.previous_label, own.value, own.missing))
        elif w.line in found:
            rows.append((w.line, *found[w.line]))
    return pd.DataFrame(rows, columns=cols)


def number_text(v: Any) -> str:
    """A number as an analyst would write it: thousands separators, no trailing zeros."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    v = float(v)
    if v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.4f}".rstrip("0").rstrip(".")


def jump_notices(
    preview: pd.DataFrame,
    previous: pd.DataFrame,
    threshold: float = JUMP_WARNING,
    catalogue: Catalogue | None = None,
) -> list[Problem]:
    """A notice for each value that looks implausible beside its previous period's value.

    Pure. In order of what it most likely is: a percentage written as a fraction (0.708 where the
    series runs near 70%), a value ten times or a tenth of the previous one (a slip of units or a
    decimal point), else a change of more than `threshold` (50%). Skipped where either value is
    missing (c, x, z) or the previous value is zero (no ratio).
    """
    if preview is None or preview.empty or previous.empty:
        return []
    units = {}
    if catalogue is not None and "indicator_id" in preview.columns:
        units = {
            int(r.line): catalogue.indicator(r.indicator_id).unit for r in preview.itertuples(index=False)
        }
    values = {int(r.line): r.value for r in preview.itertuples(index=False)}
    out = []
    for p in previous.sort_values("line").itertuples(index=False):
        new = values.get(int(p.line))
        old = p.previous_value
        if new is None or old is None or pd.isna(new) or pd.isna(old) or old == 0:
            continue
        new, old = float(new), float(old)
        shown, before = number_text(new), number_text(old)
        ratio = new / old
        if units.get(int(p.line)) == "percent" and 0 < new <= 1 and 0.5 <= new * 100 / old <= 2:
            message = (
                f"{shown} looks like a fraction: the value for {p.previous_period} was {before}%. "
                f"Enter percentages as percent, like {number_text(round(new * 100, 6))} for "
                f"{number_text(round(new * 100, 6))}%."
            )
        elif ratio >= 10 or 0 < ratio <= 0.1:
            size = "ten times or more" if ratio >= 10 else "a tenth or less of"
            message = (
                f"{shown} is {size} the value for {p.previous_period} ({before}). Check the units and the "
                "decimal point before you confirm."
            )
        else:
            change = (new - old) / abs(old)
            if abs(change) <= threshold:
                continue
            word = "higher" if change > 0 else "lower"
            message = (
                f"{shown} is {abs(change):.0%} {word} than the value for {p.previous_period} ({before}). "
                "Check it is right before you confirm: a large change is allowed, but it is often a typing "
                "slip or a change of definition."
            )
        out.append(Problem(int(p.line), "value", shown, message))
    return out


def large_changes(report: Report, *, db: Db = None, catalogue: Catalogue | None = None) -> list[Problem]:
    if report.kind != "values" or report.preview is None:
        return []
    catalogue = catalogue or default_catalogue()
    previous = previous_values(report.preview, db=db, catalogue=catalogue)
    return jump_notices(report.preview, previous, catalogue=catalogue)


# ---------------------------------------------------------------- the analyst's file with its errors


def _messages_by_line(errors: list[Problem]) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    for p in errors:
        if p.line is None:
            continue
        out.setdefault(p.line, []).append(f"{p.column}: {p.message}" if p.column else p.message)
    return {line: " | ".join(msgs) for line, msgs in out.items()}


def _record_starts(text: str) -> list[tuple[int, list[str]]]:
    """Every record (blank ones too) with the line it starts on, counted as the checks count them."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out, last = [], 0
    for fields in reader:
        out.append((last + 1, fields))
        last = reader.line_num
    return out


def _header_index(records: list[tuple[int, list[str]]]) -> int | None:
    return next((n for n, (_, f) in enumerate(records) if f and any(x.strip() for x in f)), None)


def safe_file_name(name: str) -> str:
    """A file name safe to offer for download: no folders, no control or odd characters."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._ -]+", "-", base).strip(" .-")
    return base or "upload"


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def annotated_file(data: bytes, file_name: str, errors: list[Problem]) -> tuple[bytes, str, str] | None:
    """The analyst's own file with an extra `error` column on each row that has a problem.

    CSV in, CSV out; an Excel workbook comes back as the same workbook with the column added to its
    first sheet. None when no problem has a line (a file that is not text, too large or empty).
    """
    by_line = _messages_by_line(errors)
    if not by_line:
        return None
    stem = Path(safe_file_name(file_name)).stem
    is_xlsx = file_name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"
    if not is_xlsx and b"\x00" in data:
        return None  # not text: there are no lines to mark
    if is_xlsx:
        try:
            return (
                _annotated_xlsx(data, by_line),
                f"{stem}-with-errors.xlsx",
                ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )
        except Exception:  # noqa: BLE001 - an unreadable workbook has no rows to mark
            return None
    records = _record_starts(_decode(data))
    head = _header_index(records)
    if head is None:
        return None
    width = max(len(f) for _, f in records)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for n, (line, fields) in enumerate(records):
        if n < head:
            writer.writerow(fields)
            continue
        padded = fields + [""] * (width - len(fields))
        if n == head:
            label = "error"
            if line in by_line:
                label = f"error (header: {by_line[line]})"
            writer.writerow(padded + [label])
        elif not fields:
            writer.writerow([])
        else:
            writer.writerow(padded + [by_line.get(line, "")])
    return ("\ufeff" + out.getvalue()).encode("utf-8"), f"{stem}-with-errors.csv", "text/csv"


def _annotated_xlsx(data: bytes, by_line: dict[int, str]) -> bytes:
    import openpyxl

    records = _record_starts(table_from_xlsx(data).decode("utf-8"))
    if sum(len(fields) for _, fields in records) > ANNOTATE_MAX_CELLS:
        # openpyxl holds a whole workbook to write it back: past this size the error table is enough.
        raise ValueError("too large to annotate")
    head = _header_index(records)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    column = ws.max_column + 1
    for n, (line, _) in enumerate(records):
        row = n + 1  # one record per sheet row, from row 1, as table_from_xlsx writes them
        if n == head:
            header = "error" if line not in by_line else f"error (header: {by_line[line]})"
            ws.cell(row=row, column=column, value=header)
        elif line in by_line:
            ws.cell(row=row, column=column, value=by_line[line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- tables for the pages


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


def _breakdown(dim: Any, group: Any) -> str:
    return f"{dim}: {group}" if isinstance(dim, str) and dim else "Total"


def _place(code: str, catalogue: Catalogue) -> str:
    try:
        return catalogue.geography(code).name
    except StopIteration:
        return code


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
        rows = []
        for r in part.itertuples(index=False):
            if report.kind == "action_status":
                row = {
                    "Line": int(r.line),
                    "Action": r.action_id,
                    "Quarter": r.period,
                }
                if outcome == "revised":
                    row["Old status"] = ACTION_STATUS_LABELS.get(_text(r.old_status), _text(r.old_status))
                    row["New status"] = ACTION_STATUS_LABELS.get(r.status, r.status)
                    row["Old note"] = _text(r.old_note)
                    row["New note"] = _text(r.note)
                else:
                    row["Status"] = ACTION_STATUS_LABELS.get(r.status, r.status)
                    row["Note"] = _text(r.note)
            else:
                row = {
                    "Line": int(r.line),
                    "Indicator": r.indicator_id,
                    "Place": _place(r.geography_code, catalogue),
                    "Period": r.period,
                    "Breakdown": _breakdown(r.breakdown_dimension, r.breakdown_value),
                }
                if outcome == "revised":
                    row["Old value"] = value_text(r.old_value, r.old_missing)
                    row["New value"] = value_text(r.value, r.missing)
                    row["Old value was final"] = "Yes" if r.old_status == "final" else "No"
                    row["New status"] = r.status
                else:
                    row["Value"] = value_text(r.value, r.missing)
                    row["Status"] = r.status
                row["Note"] = _text(r.note)
            rows.append(row)
        out[outcome] = pd.DataFrame(rows)
    return out


def uploads_visible_to(user: User, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Admins (and the local analyst) see every upload; an analyst their own; a viewer none."""
    if not user.can("upload"):
        return []
    if user.sees_all_uploads:
        return rows
    return [r for r in rows if user.owns(r.get("user_name"), r.get("user_key"))]


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
                "Status": [ACTION_STATUS_LABELS.get(s, s) for s in frame["status"]],
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


def undo_changes(upload_id: int, *, db: Db = None, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """What undoing an upload changes, key by key: the value now and what it goes back to.

    Raises UndoRefused (from the core) when the upload cannot be undone.
    """
    from metrics.upload.undo import undo_preview

    catalogue = catalogue or default_catalogue()
    up, kind, _ = upload_values(upload_id, db=db)
    if up is None:
        raise UndoRefused(f"There is no upload {upload_id}. The upload history lists the uploads.")
    if kind == "action_status":
        undo_preview(upload_id, db=db)  # the core's refusals (rejected, already undone)
        with connect(db, read_only=True) as con:
            rows = fetch_dicts(con, "undo_preview_action_statuses", {"id": upload_id})
        return pd.DataFrame(
            [
                {
                    "Action": r["action_id"],
                    "Quarter": r["period"],
                    "Status now": ACTION_STATUS_LABELS.get(r["status_now"], r["status_now"]),
                    "After the undo": _after(
                        r["upload_now"],
                        upload_id,
                        ACTION_STATUS_LABELS.get(r["status_after"], r["status_after"])
                        if r["status_after"]
                        else None,
                        r["upload_after"],
                        empty="No status",
                    ),
                }
                for r in rows
            ],
            columns=["Action", "Quarter", "Status now", "After the undo"],
        )
    rows = undo_preview(upload_id, db=db)
    return pd.DataFrame(
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


def _after(
    upload_now: int, upload_id: int, after: str | None, upload_after: int | None, empty: str = "No value"
) -> str:
    if upload_now != upload_id:
        return f"No change: upload {upload_now} set it later and stays"
    if upload_after is None:
        return f"{empty} (this upload brought the only one)"
    return f"{after} (from upload {upload_after})"


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
