"""Commentary in a spreadsheet, for owners who write there: exported as CSV, imported back with checks.

`kpi commentary export` writes one row per indicator and action for the quarter being reported: its
latest commentary (or empty parts, to fill in) and its state. `kpi commentary import` reads such a file
through the upload's one reader of bytes (metrics.upload.read: encodings, workbooks, size limits, line
numbers as Excel shows them) and applies the upload's rules: every problem is reported with its line,
and either every row is written or none is. A row whose text and state match what the store holds
changes nothing, so an exported file imports back unchanged. A changed row becomes a new version, a
draft unless its state says submitted; approving and returning stay on the My updates page, where the
approver is known to be someone other than the author.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from metrics import clock
from metrics.asof import Db
from metrics.auth import RoleConfig, User
from metrics.catalogue import Catalogue, default_catalogue
from metrics.cycle import commentary as notes
from metrics.cycle.locks import quarter_lock
from metrics.cycle.owners import current_owners, owned_by, subjects
from metrics.cycle.rules import CycleRules, cycle_rules
from metrics.export.files import FORMULA_STARTS, safe_text
from metrics.periods import Period, PeriodError, parse_period
from metrics.upload import read
from metrics.upload.check import read_text, unclosed_quote
from metrics.upload.report import Problem, Problems, Report, problems_json
from metrics.words import clean_text

# The file's columns, in order. Name and owner are for reading: owners are changed by an admin in the app.
COLUMNS = ("kind", "id", "name", "period", "owner", "state", "what_happened", "why", "what_happens_next")
REQUIRED = ("kind", "id", "period", "what_happened", "why", "what_happens_next")
PART_COLUMNS = {"what_happened": "happened", "why": "why", "what_happens_next": "next_steps"}
WRITABLE_STATES = ("draft", "submitted")
NOT_STARTED = "not started"


@dataclass
class ImportReport:
    """What `kpi commentary import` prints: like an upload's report, with versions added and left alone."""

    status: str = "rejected"
    rows: int = 0
    added: int = 0
    unchanged: int = 0
    errors: Problems = field(default_factory=Problems)
    warnings: Problems = field(default_factory=Problems)

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "rows": self.rows,
            "added": self.added,
            "unchanged": self.unchanged,
            "errors": problems_json(self.errors, "errors"),
            "warnings": problems_json(self.warnings, "warnings"),
        }

    @property
    def exit_code(self) -> int:
        return 1 if self.status == "rejected" else 0


def export_csv(
    *,
    db: Db = None,
    catalogue: Catalogue | None = None,
    today: dt.date | None = None,
    owner: str | None = None,
    roles: RoleConfig | None = None,
    rules: CycleRules | None = None,
) -> bytes:
    """Every subject's latest commentary for the quarter being reported (or `owner`'s only), as CSV.

    Text that a spreadsheet would run as a formula gets a leading apostrophe (export.files.safe_text);
    the import takes it off again, so the file goes back in unchanged."""
    catalogue = catalogue or default_catalogue()
    rules = rules or cycle_rules()
    quarter = rules.quarter(today or clock.today())
    owners = current_owners(db=db, catalogue=catalogue, rules=rules)
    written = notes.latest(quarter, db=db)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for s in subjects(catalogue):
        who = owners[(s.kind, s.id)]
        if owner is not None and not owned_by(who, owner, roles or RoleConfig()):
            continue
        c = written.get((s.kind, s.id))
        parts = (c.happened, c.why, c.next_steps) if c else ("", "", "")
        w.writerow(
            [s.kind, s.id, safe_text(s.name), quarter.label, safe_text(who), c.state if c else NOT_STARTED]
            + [_cell(p) for p in parts]
        )
    return buf.getvalue().encode("utf-8-sig")


def _cell(text: str) -> str:
    """Text as the file holds it: an apostrophe before a start a spreadsheet would run as a formula
    (export.files.safe_text), and before text that starts with an apostrophe itself, so that taking one
    off on import gives back exactly what was written."""
    return f"'{text}" if text.startswith((*FORMULA_STARTS, "'")) else text


def _as_written(text: str) -> str:
    """A cell as the owner meant it: the apostrophe the export put before it taken off (`_cell`)."""
    return text[1:] if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'")) else text


def _header(line: int, fields: list[str], report: ImportReport) -> list[str] | None:
    names = ["_".join(clean_text(f).strip().lower().split()) for f in fields]
    missing = [c for c in REQUIRED if c not in names]
    unknown = [n for n in names if n and n not in COLUMNS]
    if missing:
        report.errors.append(
            Problem(
                line,
                None,
                None,
                f"The file must have the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}. "
                "Start from the file `kpi commentary export` writes and keep its first line as it is.",
            )
        )
    for n in unknown:
        report.errors.append(
            Problem(
                line,
                n,
                None,
                f"The column '{n[:60]}' is not one the commentary file has. Remove it, or rename it to one of: "
                f"{', '.join(COLUMNS)}.",
            )
        )
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    for n in repeated:
        report.errors.append(Problem(line, n, None, f"The column '{n}' appears twice. Keep one of them."))
    return None if missing or unknown or repeated else names


@dataclass(frozen=True)
class _Row:
    line: int
    kind: str
    subject_id: str
    quarter: Period
    texts: dict[str, str]
    state: str | None
    owner: str | None


def _read_row(
    line: int,
    cells: dict[str, str],
    report: ImportReport,
    *,
    known: dict[tuple[str, str], str],
    reported: Period,
    today: dt.date,
    rules: CycleRules,
) -> _Row | None:
    """One line checked: every problem on it reported (not just the first), or the row it asks for."""
    before = report.errors.total
    kind = cells["kind"].strip().lower()
    sid = cells["id"].strip()
    if kind not in ("indicator", "action"):
        report.errors.append(
            Problem(
                line, "kind", cells["kind"], "Kind must be 'indicator' or 'action', as in the exported file."
            )
        )
    elif (kind, sid) not in known:
        report.errors.append(
            Problem(
                line,
                "id",
                sid,
                f"There is no {kind} with the id '{sid[:60]}'. Use the ids in the file `kpi commentary export` "
                "writes.",
            )
        )
    quarter = None
    try:
        quarter = parse_period(cells["period"], "quarter", "financial", today)
    except PeriodError:
        pass
    if quarter is None or quarter.start != reported.start:
        # The page writes commentary for the quarter being reported only, and the rules that apply (the
        # verdict that needs all three parts, the lock) are that quarter's.
        report.errors.append(
            Problem(
                line,
                "period",
                cells["period"],
                f"Commentary is written for the quarter being reported, {reported.label}. Write {reported.label} "
                "in the period column, or export the file again to start from this quarter's commentary.",
            )
        )
        quarter = None
    texts = {}
    for column, key in PART_COLUMNS.items():
        try:
            texts[key] = notes.clean_part(_as_written(cells[column]), column.replace("_", " "), rules)
        except notes.CommentaryRefused as exc:
            report.errors.append(Problem(line, column, cells[column], str(exc)))
    state = " ".join(cells.get("state", "").strip().lower().split()) or None
    if state == NOT_STARTED:
        state = None
    if state is not None and state not in notes.STATES:
        report.errors.append(
            Problem(
                line,
                "state",
                cells.get("state"),
                "State must be draft or submitted (or left as the file had it: approved, returned or not "
                "started).",
            )
        )
    if report.errors.total > before or quarter is None:
        return None
    return _Row(line, kind, sid, quarter, texts, state, cells.get("owner"))


def _plan(
    rows: list[_Row],
    report: ImportReport,
    quarter: Period,
    *,
    db: Db,
    verdicts: dict[str, str | None],
    rules: CycleRules,
) -> list[notes.Entry]:
    """The versions to write: rows that change nothing are counted, rows that cannot be done are errors.
    Every row is for `quarter`, the one being reported (`_read_row` refuses any other)."""
    held = notes.latest(quarter, db=db)
    lock = quarter_lock(quarter.start, db=db)
    entries = []
    for r in rows:
        latest = held.get((r.kind, r.subject_id))
        then = (latest.happened, latest.why, latest.next_steps) if latest else ("", "", "")
        same_text = then == (r.texts["happened"], r.texts["why"], r.texts["next_steps"])
        was = latest.state if latest else None
        # Same text: only a draft (or returned) version marked submitted asks for something new.
        to_submit = r.state == "submitted" and was in (None, "draft", "returned")
        if same_text and not to_submit and r.state in (None, "draft", "submitted", was):
            report.unchanged += 1
            if r.state == "draft" and was in ("submitted", "approved"):
                report.warnings.append(
                    Problem(
                        r.line,
                        "state",
                        r.state,
                        f"This commentary is {was}, so it stays {was}: it goes back to draft only when an approver "
                        "returns it. To change it, edit its text and it is saved as a new draft.",
                    )
                )
            continue
        if r.state in ("approved", "returned"):
            report.errors.append(
                Problem(
                    r.line,
                    "state",
                    r.state,
                    "Commentary is approved or returned by an approver on the My updates page, not in a file"
                    + (
                        ", and this row's text has changed, so it needs approving again"
                        if not same_text
                        else ""
                    )
                    + ". Write draft or submitted in the state column.",
                )
            )
            continue
        submit = r.state == "submitted"
        if submit:
            problem = notes.missing_parts(
                r.texts, verdicts.get(r.subject_id) if r.kind == "indicator" else None, rules
            )
            if problem:
                report.errors.append(Problem(r.line, None, None, problem))
                continue
        entries.append(
            notes.Entry(r.kind, r.subject_id, quarter, r.texts, submit, lock.board_pack_id if lock else None)
        )
    return entries


def _read_rows(
    records: list[read.Record],
    names: list[str],
    report: ImportReport,
    *,
    catalogue: Catalogue,
    today: dt.date,
    rules: CycleRules,
) -> list[_Row]:
    """Every data line checked on its own, then against the lines before it (one row per subject and quarter)."""
    known = {(s.kind, s.id): s.name for s in subjects(catalogue)}
    reported = rules.quarter(today)
    rows: list[_Row] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
    for line, fields in records[1:]:
        report.rows += 1
        if len(fields) != len(names):
            report.errors.append(
                Problem(
                    line,
                    None,
                    None,
                    f"This line has {len(fields)} cells and the first line {len(names)}. A comma or quote in "
                    "the text may have split a cell: put each commentary part in double quotes.",
                )
            )
            continue
        stray = [i for i, (n, f) in enumerate(zip(names, fields, strict=True)) if not n and f.strip()]
        if stray:
            report.errors.append(
                Problem(
                    line,
                    None,
                    fields[stray[0]],
                    f"Column {stray[0] + 1} has no name on the first line, but this line has text in it. Move the "
                    "text into what_happened, why or what_happens_next, or delete it.",
                )
            )
            continue
        cells = dict(zip(names, fields, strict=True))
        row = _read_row(line, cells, report, known=known, reported=reported, today=today, rules=rules)
        if row is None:
            continue
        key = (row.kind, row.subject_id, row.quarter.start)
        if key in seen:
            report.errors.append(
                Problem(
                    line,
                    None,
                    None,
                    f"This line repeats the {row.kind} {row.subject_id} for {row.quarter.label}, already on line "
                    f"{seen[key]}. Keep one of the two lines.",
                )
            )
            continue
        seen[key] = line
        rows.append(row)
    return rows


def _owner_warnings(rows: list[_Row], report: ImportReport, owners: dict[tuple[str, str], str]) -> None:
    """An owner changed in the file is not a change: say so, since the file seemed to ask for one."""
    for r in rows:
        if r.owner and r.owner.strip() and _as_written(r.owner).strip() != owners[(r.kind, r.subject_id)]:
            report.warnings.append(
                Problem(
                    r.line,
                    "owner",
                    r.owner,
                    "The owner column is for reading: the owner was not changed. An admin changes owners on "
                    "the My updates page.",
                )
            )


def import_csv(
    data: bytes,
    file_name: str,
    user: User,
    *,
    db: Db = None,
    catalogue: Catalogue | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    rules: CycleRules | None = None,
    max_bytes: int | None = None,
) -> ImportReport:
    """Check a commentary file line by line and write every change in one transaction, or nothing.

    `user` is who the new versions are written as (`kpi commentary import --user`, the person at the
    machine, as for `kpi ingest`)."""
    from metrics import settings
    from metrics.dashboard import all_progress

    catalogue = catalogue or default_catalogue()
    rules = rules or cycle_rules()
    today = today or clock.today()
    report = ImportReport()
    upload_report = Report(status="rejected", file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    read_as = read_text(
        data, file_name, settings.max_upload_bytes() if max_bytes is None else max_bytes, upload_report
    )
    for w in upload_report.warnings:
        report.warnings.append(w)
    if read_as is None:
        for e in upload_report.errors:
            report.errors.append(e)
        return report
    utf8, text = read_as
    try:
        records = read.records(
            text if text is not None else utf8.decode("utf-8"), by_row=read.is_workbook(data, file_name)
        )
    except csv.Error:
        report.errors.append(
            Problem(None, None, None, "The file could not be read as CSV: a quote is not closed. Check the "
                    "commentary cells that hold a double quote, or save the file from Excel as 'CSV UTF-8'.")
        )  # fmt: skip
        return report
    if not records:
        report.errors.append(
            Problem(None, None, None, "The selected file is empty. Choose the commentary file.")
        )
        return report
    # The csv module reads an unclosed quote to the end of the file as one cell: say where it opens.
    unclosed = unclosed_quote(records[0][1], records[1:])
    if unclosed is not None:
        report.errors.append(unclosed)
        return report
    names = _header(records[0][0], records[0][1], report)
    if names is None:
        return report
    rows = _read_rows(records, names, report, catalogue=catalogue, today=today, rules=rules)
    _owner_warnings(rows, report, current_owners(db=db, catalogue=catalogue, rules=rules))
    # The rows that passed their own checks are planned even when others failed, so one report gives
    # every problem of the file, those that need the store's commentary and verdicts too.
    # The verdicts that decide whether all three parts are needed: assessed only if a row asks to submit.
    submitting = any(r.state == "submitted" and r.kind == "indicator" for r in rows)
    verdicts = (
        {k: s.progress.verdict for k, s in all_progress(db=db, today=today, catalogue=catalogue).items()}
        if submitting
        else {}
    )
    entries = _plan(rows, report, rules.quarter(today), db=db, verdicts=verdicts, rules=rules)
    if report.errors.total:
        report.errors.sort(key=lambda p: p.line or 0)
        return report
    if entries:
        notes.write_all(user, entries, db=db, now=now)
    report.added = len(entries)
    report.status = "committed"
    return report
