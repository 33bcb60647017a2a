"""Writing an upload: the one transaction that writes a clean file, and the log entry of a rejected one.

A clean file is written in one transaction: its rows are classified against the store (new,
revised or unchanged) and inserted with the upload's log entry, so a load that fails or is
killed part-way leaves the store as it was. A rejected file leaves only its entry in the upload
log. The Upload page and `kpi ingest` both call :func:`ingest_bytes`, so they always agree.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from metrics import clock
from metrics.catalogue import Catalogue
from metrics.store import arrow_table, connect, execute, scalar, transaction
from metrics.upload.check import check
from metrics.upload.report import Problem, Report


@dataclass(frozen=True)
class Origin:
    """Where values come from when not from an analyst's file (the sample data builder)."""

    kind: str = "values"
    illustrative: bool = False
    source: str | None = None


def ingest_bytes(
    data: bytes,
    file_name: str,
    *,
    db: str | Path | None = None,
    user: str = "local analyst",
    dry_run: bool = False,
    catalogue: Catalogue | None = None,
    now: dt.datetime | None = None,
    max_bytes: int | None = None,
    origin: Origin | None = None,
    user_key: str | None = None,
    embargoed_until: dt.datetime | None = None,
) -> Report:
    """Check a file and, if it is clean and not a dry run, write it in one transaction.

    `user` is the name the upload log shows; `user_key` who it was (identity provider and subject),
    which decides who may undo it. `embargoed_until`: the figures may not be published before then
    (`kpi publish` leaves the upload out of any release with an earlier release time).
    """
    now = now or clock.now()
    origin = origin or Origin()
    report, staged = check(data, file_name, catalogue=catalogue, today=now.date(), max_bytes=max_bytes)
    if report.errors:
        report.status = "rejected"
        if not dry_run:
            record_rejected(report, db=db, user=user, now=now, user_key=user_key)
        return report

    with connect(db, read_only=dry_run) as con:
        view = "staged_status" if report.kind == "action_status" else "staged"
        con.register(view, staged)
        classify = (
            "classify_staged_action_statuses"
            if report.kind == "action_status"
            else "classify_staged_observations"
        )
        with transaction(con):
            # Arrow from here on: a million classified rows stay columns DuckDB scans without a copy,
            # and the page's preview becomes a frame only when it is shown (Report.preview).
            rows = arrow_table(con, classify)
            outcomes = pc.value_counts(rows["outcome"]).to_pylist()
            counts = {c["values"]: c["counts"] for c in outcomes}
            report.inserted = int(counts.get("inserted", 0))
            report.revised = int(counts.get("revised", 0))
            report.unchanged = int(counts.get("unchanged", 0))
            _revision_warnings(report, rows)
            report.preview_rows = rows
            if dry_run:
                report.status = "dry_run"
                return report
            report.status = "committed"
            report.upload_id = int(scalar(con, "next_upload_id"))
            con.unregister(view)
            con.register(view, rows)
            params = {"upload_id": report.upload_id}
            if report.kind == "values":
                params |= {"illustrative": origin.illustrative, "source": origin.source}
                execute(con, "insert_observations_from_staged", params)
                execute(con, "insert_confirmations_from_staged", {"upload_id": report.upload_id})
            else:
                execute(con, "insert_action_statuses_from_staged", params)
            kind = origin.kind if origin.kind != "values" else report.kind
            _insert_upload(con, report, kind, user, now, user_key, embargoed_until, origin.illustrative)
            if report.kind == "values":
                execute(con, "retire_replaced_current")  # in the same transaction as the rows
    return report


def _revision_warnings(report: Report, classes: pa.Table) -> None:
    """A warning for each row that changes a value marked final: allowed, but worth a second look."""
    if report.kind != "values":
        return
    finals = pc.and_(pc.equal(classes["outcome"], "revised"), pc.equal(classes["old_status"], "final"))
    for line in sorted(pc.filter(classes["line"], pc.fill_null(finals, False)).to_pylist()):
        report.warnings.append(
            Problem(
                int(line),
                "value",
                None,
                "This changes a value that was marked final. Check the change is intended; the earlier "
                "value is kept in the history.",
            )
        )


def _insert_upload(
    con,
    report: Report,
    kind: str,
    user: str,
    now: dt.datetime,
    user_key: str | None = None,
    embargoed_until: dt.datetime | None = None,
    illustrative: bool = False,
) -> None:
    """The upload log's entry, with the whole report, so the history shows what was found."""
    execute(
        con,
        "insert_upload",
        {
            "id": report.upload_id,
            "kind": kind,
            "file_name": report.file_name,
            "sha256": report.sha256,
            "user_name": user,
            "uploaded_at": now,
            "rows": report.rows,
            "inserted": report.inserted,
            "revised": report.revised,
            "unchanged": report.unchanged,
            "outcome": report.status,
            "report": json.dumps(report.as_json()),
            "user_key": user_key,
            "embargoed_until": embargoed_until,
            "illustrative": illustrative,
        },
    )


def record_rejected(
    report: Report,
    *,
    db: str | Path | None,
    user: str,
    now: dt.datetime,
    user_key: str | None = None,
    once: bool = False,
) -> None:
    """Keep a rejected file's report in the upload log (nothing else is written); sets its upload id.

    With `once`, the same file chosen again straight after its rejection is the same attempt (the Upload
    page checks a file each time it is chosen): its first record's id is given back and nothing new is
    written, so the history does not fill with copies. `kpi ingest` records every run, as cli.md says.
    """
    with connect(db) as con, transaction(con):
        again = (
            scalar(con, "repeated_rejection", {"user_key": user_key, "sha256": report.sha256})
            if once
            else None
        )
        if again is not None:
            report.upload_id = int(again)
            return
        report.upload_id = int(scalar(con, "next_upload_id"))
        _insert_upload(con, report, report.kind, user, now, user_key)


def ingest_file(path: str | Path, **kwargs: Any) -> Report:
    """ingest_bytes for a file on disk, named as it is saved."""
    p = Path(path)
    return ingest_bytes(p.read_bytes(), p.name, **kwargs)
