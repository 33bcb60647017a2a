"""The one reader of an upload's bytes: which encoding, which CSV records, which workbook sheet.

Everything that reads an uploaded file goes through here (the checks, and the analyst's file
given back with an error column), so the line numbers in a report are the lines the file is
given back with, and a file is never read one way to check it and another way to mark it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from metrics.errors import KpiError
from metrics.upload.report import SHOWN_TEXT_LIMIT
from metrics.upload.xlsx import OLE_MAGIC, Workbook

XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024  # what a workbook may expand to before it is read
XLSX_MAX_CELLS = 500_000  # cells read from a workbook (about 50,000 rows of ten columns)
UTF8_BOM = b"\xef\xbb\xbf"

Record = tuple[int, list[str]]  # the line a record starts on (the header is line 1), and its fields


class Unreadable(KpiError, ValueError):
    """Bytes that are not text the checks can read; str() is the whole message, `line` where, if known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def is_workbook(data: bytes, file_name: str) -> bool:
    """An Excel workbook by its name or its first bytes (a zip, or the old binary format)."""
    return (
        file_name.lower().endswith((".xlsx", ".xls"))
        or data[:4] == b"PK\x03\x04"
        or data.startswith(OLE_MAGIC)
    )


def decode(data: bytes, *, keep_ascii: bool = True) -> tuple[str | None, str | None]:
    """The file as text and, when it was not UTF-8, a warning saying how it was read.

    With `keep_ascii` False, a file of plain ASCII gives None for its text: its bytes are already
    the text, and a million-row file need not be held twice.
    Raises Unreadable for what is not text: UTF-16, a NUL byte (with its line), or bytes that
    are neither UTF-8 nor Windows-1252.
    """
    if data.startswith(UTF8_BOM):
        data = data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(data):
        raise Unreadable(
            "The selected file is saved as UTF-16 text. In Excel choose Save As, then 'CSV UTF-8 (comma "
            "delimited)', and upload that file."
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise Unreadable(
            f"The selected file must be a CSV file. Line {line} holds a NUL byte, which text never has: "
            "save the data as 'CSV UTF-8' and upload that file.",
            line,
        )
    if not keep_ascii and data.isascii():
        return None, None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise Unreadable("The selected file must be a CSV file saved as UTF-8 text.") from None
    return text, (
        "The file is not UTF-8, so it was read as Windows-1252 (what Excel writes on Windows). "
        "Check names with accents, or save as 'CSV UTF-8' next time."
    )


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of plain text is NUL."""
    head = data[:512]
    if len(head) < 8:
        return False
    return head[1::2].count(0) > 0.8 * len(head[1::2]) or head[0::2].count(0) > 0.8 * len(head[0::2])


def first_lines(data: bytes, size: int = 65536) -> str:
    """The start of an ASCII file (after any byte-order mark) as text, enough to find its header line."""
    start = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    return data[start : start + size].decode("ascii")


def separator_problem(text: str) -> str | None:
    """What to do when the first line is separated by semicolons or tabs, not commas."""
    header_line = next((ln for ln in _lines_from_start(text) if ln.strip()), "")
    if header_line.count(",") == 0:
        if header_line.count(";") >= 2:
            return "The file is separated by semicolons. Save it as a comma-separated CSV file."
        if header_line.count("\t") >= 2:
            return "The file is separated by tabs. Save it as a comma-separated CSV file."
    return None


def _lines_from_start(text: str) -> Iterator[str]:
    """The text's lines one by one from the start, without copying the whole text first."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def records(text: str, *, keep_blank: bool = False, by_row: bool = False) -> list[Record]:
    """Every record with the line it starts on (the first = line 1); blank ones only if `keep_blank`.

    Line numbers come from the reader, so a quoted note spanning lines and skipped
    blank lines still leave every later row with the line an analyst sees in the file.
    With `by_row` (a workbook's sheet written out as CSV by read_workbook) a record is numbered by
    its row of the sheet instead, as Excel shows it: a cell holding a line break is one row there.
    A field may be as long as the file (the note and breakdown checks set the real limits
    and name the line), so the csv module's own field limit never stops the read.
    Raises csv.Error for text the csv module cannot read.
    """
    csv.field_size_limit(max(len(text) + 1, 131072))
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[Record] = []
    append = out.append
    last = 0
    for row, fields in enumerate(reader, start=1):
        start = row if by_row else last + 1
        last = reader.line_num
        if (not fields or not "".join(fields).strip()) and not keep_blank:
            continue
        append((start, fields))
    return out


def line_fields(line: str) -> list[str]:
    """The fields of one line that holds one whole record, read exactly as `records` reads them."""
    csv.field_size_limit(max(len(line) + 1, 131072))
    return next(csv.reader([line]), [])


def header_and_rows(text: str, *, by_row: bool = False) -> tuple[list[str] | None, list[Record]]:
    """The header (the first record that is not blank) and every non-blank record after it."""
    rows = records(text, by_row=by_row)
    if not rows:
        return None, rows
    header = rows[0][1]
    del rows[0]
    return header, rows


def read_workbook(data: bytes) -> tuple[bytes, list[str]]:
    """The first sheet of an Excel workbook as CSV bytes, so it takes the same checks as a CSV,
    and a warning for each later sheet that holds data (only the first is read).

    metrics/upload/xlsx.py reads within bounds: at most XLSX_MAX_CELLS cells and a workbook that
    expands to at most XLSX_MAX_UNCOMPRESSED bytes, so a small file that expands to millions
    of cells is refused in seconds. Formulas are read as their text, never evaluated.
    Raises WorkbookProblem for a workbook that cannot be read within those bounds.
    """
    wb = Workbook(data, max_expanded=XLSX_MAX_UNCOMPRESSED, max_cells=XLSX_MAX_CELLS)
    try:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        width = 0
        for row in wb.rows(0):
            # Excel leaves empty cells at a row's end out of the file: pad to the header's width.
            if not width and any(row):
                width = len(row)
            writer.writerow(row + [""] * (width - len(row)) if any(row) else row)
        first = _clean_name(wb.sheets[0][0])
        others = [_clean_name(name) for i, (name, _) in enumerate(wb.sheets) if i and wb.has_data(i)]
    finally:
        wb.close()
    warnings = []
    if others:
        named = ", ".join(f"'{n}'" for n in others)
        warnings.append(
            f"Only the first sheet, '{first}', was read. The workbook also has data on {named}: if those rows "
            "belong in this upload, move them onto the first sheet or upload them as a file of their own."
        )
    return out.getvalue().encode("utf-8"), warnings


def table_from_xlsx(data: bytes) -> bytes:
    """The first sheet as CSV bytes (see read_workbook)."""
    return read_workbook(data)[0]


def _clean_name(text: str) -> str:
    """A sheet or file name as it may be repeated: no control characters, not too long."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return cleaned[:SHOWN_TEXT_LIMIT]
