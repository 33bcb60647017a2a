"""The analyst's own file given back with an `error` column on each row that has a problem.

Read through metrics/upload/read.py, as the checks read it, so each message lands on the line
the report names: CSV comes back as CSV, a workbook as the same workbook with the column added.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from metrics.upload import read
from metrics.upload.report import Problem

ANNOTATE_MAX_CELLS = 50_000  # the largest workbook returned with an error column added
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def annotated_file(data: bytes, file_name: str, errors: list[Problem]) -> tuple[bytes, str, str] | None:
    """The analyst's own file with an extra `error` column on each row that has a problem.

    CSV in, CSV out; an Excel workbook comes back as the same workbook with the column added to its
    first sheet. None when no problem has a line (a file that is not text, too large or empty).
    """
    by_line = _messages_by_line(errors)
    if not by_line:
        return None
    stem = Path(safe_file_name(file_name)).stem
    if read.is_workbook(data, file_name):
        try:
            return _annotated_xlsx(data, by_line), f"{stem}-with-errors.xlsx", XLSX_MIME
        except Exception:  # noqa: BLE001 - an unreadable workbook has no rows to mark
            return None
    try:
        text, _ = read.decode(data)
    except read.Unreadable:
        return None  # not text: there are no lines to mark
    records = read.records(text, keep_blank=True)
    head = _header_index(records)
    if head is None:
        return None
    return (
        ("\ufeff" + _annotated_csv(records, head, by_line)).encode("utf-8"),
        f"{stem}-with-errors.csv",
        "text/csv",
    )


def _annotated_csv(records: list[read.Record], head: int, by_line: dict[int, str]) -> str:
    """Every record as it was (blank lines too, so line numbers still match), the column added."""
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
    return out.getvalue()


def _annotated_xlsx(data: bytes, by_line: dict[int, str]) -> bytes:
    """The workbook itself with the column added (openpyxl, so its formats and other sheets stay)."""
    import openpyxl

    records = read.records(read.table_from_xlsx(data).decode("utf-8"), keep_blank=True, by_row=True)
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


def _messages_by_line(errors: list[Problem]) -> dict[int, str]:
    """Each line's problems as one cell: "column: message | column: message"."""
    out: dict[int, list[str]] = {}
    for p in errors:
        if p.line is None:
            continue
        out.setdefault(p.line, []).append(f"{p.column}: {p.message}" if p.column else p.message)
    return {line: " | ".join(msgs) for line, msgs in out.items()}


def _header_index(records: list[read.Record]) -> int | None:
    """Which record is the header: the first that is not blank."""
    return next((n for n, (_, f) in enumerate(records) if f and any(x.strip() for x in f)), None)


def safe_file_name(name: str) -> str:
    """A file name safe to offer for download: no folders, no control or odd characters."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._ -]+", "-", base).strip(" .-")
    return base or "upload"
