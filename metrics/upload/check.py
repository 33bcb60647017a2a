"""Checking a whole upload, exactly as ../shared/spec/upload-format.md describes it.

The whole file is checked before anything is written and every problem is reported with its
line, column and value, so an analyst fixes a file in one pass. Here: the size, the bytes (through
metrics/upload/read.py), the header, which kind of file it is, then its rows (values.py or
statuses.py). Nothing here touches the store: write.py writes what passes.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import hashlib

import pandas as pd

from metrics import clock, settings
from metrics.catalogue import Catalogue, default_catalogue
from metrics.upload import read, setcheck
from metrics.upload.report import Problem, Problems, Report
from metrics.upload.statuses import REQUIRED_STATUS_COLUMNS, STATUS_COLUMNS, check_status_rows
from metrics.upload.values import REQUIRED_VALUE_COLUMNS, VALUE_COLUMNS, check_value_rows
from metrics.upload.xlsx import WorkbookProblem
from metrics.words import clean_text

__all__ = ["Problem", "Problems", "Report", "check"]  # the report's types are found here with the check


def check(
    data: bytes,
    file_name: str,
    *,
    catalogue: Catalogue | None = None,
    today: dt.date | None = None,
    max_bytes: int | None = None,
) -> tuple[Report, pd.DataFrame | None]:
    """Read and check a file without touching the store: the report and the checked rows."""
    catalogue = catalogue or default_catalogue()
    today = today or clock.today()
    max_bytes = settings.max_upload_bytes() if max_bytes is None else max_bytes
    # The name travels into the upload log, board packs and file names: cleaned once, here.
    file_name = clean_text(file_name)[:255] or "upload"
    report = Report(status="rejected", file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    read_as = read_text(data, file_name, max_bytes, report)
    if read_as is None:
        return report, None
    utf8, text = read_as
    # A million rows of small lists would make the cyclic collector rescan them again and
    # again; none of them hold cycles, so collection waits until the rows are checked.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        checked = _check_in_duckdb(utf8, report, catalogue, today)
        if checked is not None:
            return checked
        # A workbook's problems are named by its rows, as Excel numbers them (a cell may hold line breaks).
        return _check_text(
            text if text is not None else utf8.decode("utf-8"),
            report,
            catalogue,
            today,
            by_row=read.is_workbook(data, file_name),
        )
    finally:
        if gc_was_enabled:
            gc.enable()


def read_text(data: bytes, file_name: str, max_bytes: int, report: Report) -> tuple[bytes, str | None] | None:
    """The file (a workbook's first sheet as CSV) as UTF-8 bytes without a byte-order mark and, unless
    it is plain ASCII (then the bytes are the text, and the Python path decodes them only if it runs),
    as text; or None with the problem that stops the check in the report."""
    if len(data) > max_bytes:
        report.errors.append(
            Problem(
                None,
                None,
                None,
                f"The selected file must be smaller than {round(max_bytes / 1024 / 1024, 3):g} MB. Split it into "
                "smaller files, for example one per theme.",
            )
        )
        return None
    if not data or data.isspace():
        report.errors.append(
            Problem(None, None, None, "The selected file is empty. Choose a CSV file with data.")
        )
        return None
    if read.is_workbook(data, file_name):
        try:
            data, sheet_warnings = read.read_workbook(data)
        except WorkbookProblem as exc:
            report.errors.append(Problem(None, None, None, str(exc)))
            return None
        for warning in sheet_warnings:
            report.warnings.append(Problem(None, None, None, warning))
    try:
        text, warning = read.decode(data, keep_ascii=False)
    except read.Unreadable as exc:
        report.errors.append(Problem(exc.line, None, None, str(exc)))
        return None
    if warning:
        report.warnings.append(Problem(None, None, None, warning))
    sep = read.separator_problem(text if text is not None else read.first_lines(data))
    if sep:
        report.errors.append(Problem(1, None, None, sep))
        return None
    if warning:
        return text.encode("utf-8"), text
    return (data[len(read.UTF8_BOM) :] if data.startswith(read.UTF8_BOM) else data), text


def _check_in_duckdb(
    data: bytes, report: Report, catalogue: Catalogue, today: dt.date
) -> tuple[Report, pd.DataFrame | None] | None:
    """A file of values checked by set operations (metrics/upload/setcheck.py), or None when the file
    must take the Python path: not one record per line, a header with a problem or a column with no
    name, an action-status file, or a file DuckDB reads differently from the csv module."""
    lines = setcheck.one_record_per_line(data)
    if lines is None:
        return None
    raw_header = read.line_fields(lines.text(1, data))
    trial = Report(status="rejected")
    header_kind = _read_header(raw_header, trial, [])
    if header_kind is None or trial.warnings or header_kind[1] != "values":
        return None
    header, kind = header_kind
    done, staged = setcheck.check_values(data, lines, header, catalogue, today, report)
    if not done:
        return None
    report.kind = kind
    if not report.rows:
        report.errors.append(
            Problem(None, None, None, "The file has a header but no rows. Add a row for each value.")
        )
        return report, None
    return report, staged


def _check_text(
    text: str, report: Report, catalogue: Catalogue, today: dt.date, *, by_row: bool = False
) -> tuple[Report, pd.DataFrame | None]:
    """The header and the rows; the checked rows only when no row has a problem."""
    try:
        raw_header, records = read.header_and_rows(text, by_row=by_row)
    except csv.Error as exc:
        report.errors.append(
            Problem(None, None, None, f"The file cannot be read as CSV ({exc}). Check for unmatched quotes.")
        )
        return report, None
    report.rows = len(records)
    if raw_header is not None and (swallowed := unclosed_quote(raw_header, records)) is not None:
        report.errors.append(swallowed)
        return report, None
    if raw_header is None:
        report.errors.append(
            Problem(None, None, None, "The selected file is empty. Choose a CSV file with data.")
        )
        return report, None
    header_kind = _read_header(raw_header, report, records)
    if header_kind is None:
        return report, None
    header, kind = header_kind
    report.kind = kind
    if not records:
        report.errors.append(
            Problem(None, None, None, "The file has a header but no rows. Add a row for each value.")
        )
        return report, None
    checker = check_status_rows if kind == "action_status" else check_value_rows
    staged = checker(header, records, catalogue, today, report)
    if report.errors:
        return report, None
    return report, staged


def unclosed_quote(header: list[str], records: list[tuple[int, list[str]]]) -> Problem | None:
    """A double quote never closed swallows the lines after it into one value: find where it opens.

    A quoted note may span lines, so a value with a line break is only suspect when one of its
    lines looks like a whole row of the file (as many commas as the header has separators).
    """
    commas = max(2, len(header) - 1)
    for start, fields in records:
        line = start
        for field_text in fields:
            if "\n" in field_text or "\r" in field_text:
                parts = field_text.splitlines()
                if any(part.count(",") >= commas for part in parts[1:]):
                    last = line + len(parts) - 1
                    return Problem(
                        line,
                        None,
                        None,
                        f"The double quote that opens on line {line} is not closed, so lines {line} to {last} "
                        "were read as one value. Add the closing double quote, or remove the opening one.",
                    )
                line += field_text.count("\n")
    return None


def _read_header(
    raw_header: list[str], report: Report, records: list[read.Record]
) -> tuple[list[str], str] | None:
    """The header's column names and which kind of file it is, or None with what is wrong added.

    A header with action_id is an action-status file; any other, a file of values.
    """
    names = [h.strip().lower() for h in raw_header]
    kind = "action_status" if "action_id" in names else "values"
    known = STATUS_COLUMNS if kind == "action_status" else VALUE_COLUMNS
    required = REQUIRED_STATUS_COLUMNS if kind == "action_status" else REQUIRED_VALUE_COLUMNS
    ok = True
    for i, name in enumerate(names):
        if name == "":
            if any(i < len(f) and f[i].strip() for _, f in records):
                report.errors.append(
                    Problem(
                        1,
                        None,
                        None,
                        f"Column {i + 1} has values but no header. Give it a header from the template, or "
                        "delete the column.",
                    )
                )
                ok = False
            else:
                report.warnings.append(
                    Problem(1, None, None, f"Column {i + 1} has no header and no values, so it was ignored.")
                )
            continue
        if name not in known:
            report.errors.append(
                Problem(
                    1,
                    raw_header[i].strip(),
                    raw_header[i],
                    f"'{raw_header[i].strip()}' is not a column of the upload template. The file must use the "
                    f"template's columns: {', '.join(known)}.",
                )
            )
            ok = False
        elif names.index(name) != i:
            report.errors.append(
                Problem(1, name, raw_header[i], f"The column '{name}' appears twice. Keep one of them.")
            )
            ok = False
    for name in required:
        if name not in names:
            report.errors.append(
                Problem(
                    1,
                    name,
                    None,
                    f"The file must use the template: the column '{name}' is missing. Add it to the header.",
                )
            )
            ok = False
    if kind == "values" and "value" not in names and not ("numerator" in names and "denominator" in names):
        report.errors.append(
            Problem(
                1,
                "value",
                None,
                "The file must use the template: add a 'value' column (or 'numerator' and 'denominator' "
                "for shares).",
            )
        )
        ok = False
    return (names, kind) if ok else None
