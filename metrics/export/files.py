"""CSV and Excel files of a `DataTable`, safe to open and the same bytes for the same data.

Staff open these in Excel, and names and notes in them were typed by uploaders, so every
text cell is kept from running as a formula (CSV injection: a leading =, +, -, @, tab or
carriage return gets a quote). A file built twice from the same store is byte for byte the
same: workbook metadata and zip entry times are pinned to `metrics.clock` (`pin_zip`, which
the board pack's Office files use too).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable

from metrics import clock
from metrics.export.labels import APP_NAME
from metrics.export.tables import Cell, Column, DataTable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The media type of every file the exports write, for a download button.
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def safe_text(text: str) -> str:
    """Text that a spreadsheet shows as text: a leading =, +, -, @, tab or carriage return gets a quote.

    A value such as "=HYPERLINK(...)" in an uploaded note would otherwise run as a
    formula when the file is opened (CSV injection); the apostrophe makes Excel treat
    the cell as text and is the form OWASP recommends.
    """
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_cell(value: Cell, column: Column | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        decimals = column.decimals if column and column.decimals is not None else 0
        return f"{value:.{decimals}f}"
    return safe_text(str(value))


def to_csv(table: DataTable) -> bytes:
    """CSV with the header block above the table (UTF-8 with a byte-order mark, so Excel reads "£")."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([safe_text(table.title)])
    for label, text in table.header:
        w.writerow([safe_text(label), safe_text(text)])
    for note in table.notes:
        w.writerow(["Note", safe_text(note)])
    w.writerow([])
    w.writerow([safe_text(c.name) for c in table.columns])
    for row in table.rows:
        w.writerow([_csv_cell(v, c) for v, c in zip(row, table.columns, strict=True)])
    return buf.getvalue().encode("utf-8-sig")


def _number_format(decimals: int) -> str:
    return "#,##0" if decimals == 0 else "#,##0." + "0" * decimals


def _set_text(cell, text: str) -> None:
    """Write text so Excel shows it as text and never runs it, even after the cell is edited."""
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise store a leading "=" as a formula
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def to_xlsx(table: DataTable, when: dt.datetime | None = None) -> bytes:
    """An Excel workbook: the header block, then the table with numbers as numbers at the right rounding.

    Workbook metadata and zip entry times are set from `when` (the pinned clock), so
    the same data always gives the same bytes.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    when = (when or clock.now()).replace(microsecond=0, tzinfo=None)
    wb = Workbook()
    ws = wb.active
    ws.title = table.sheet_name[:31]
    _set_text(ws.cell(row=1, column=1), table.title)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    row = 2
    for label, text in table.header:
        _set_text(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = Font(bold=True)
        _set_text(ws.cell(row=row, column=2), text)
        row += 1
    for note in table.notes:
        _set_text(ws.cell(row=row, column=1), "Note")
        ws.cell(row=row, column=1).font = Font(bold=True)
        _set_text(ws.cell(row=row, column=2), note)
        row += 1
    row += 1
    head = row
    for j, col in enumerate(table.columns, start=1):
        cell = ws.cell(row=head, column=j)
        _set_text(cell, col.name)
        cell.font = Font(bold=True)
    for i, values in enumerate(table.rows, start=head + 1):
        for j, (value, col) in enumerate(zip(values, table.columns, strict=True), start=1):
            cell = ws.cell(row=i, column=j)
            if value is None:
                continue
            if isinstance(value, dt.date):
                _set_text(cell, value.isoformat())
            elif isinstance(value, int | float) and not isinstance(value, bool):
                cell.value = value
                cell.number_format = _number_format(col.decimals or 0)
            else:
                _set_text(cell, str(value))
                if col.decimals is not None:
                    cell.alignment = Alignment(horizontal="right")
    for j, col in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(col.width or 12, len(col.name) + 4)
    labels = [label for label, _ in table.header] + (["Note"] if table.notes else [])
    first = ws.column_dimensions["A"]
    first.width = max(first.width or 0, *(len(label) + 2 for label in labels))  # the header block's labels
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    props = wb.properties
    props.creator = APP_NAME
    props.lastModifiedBy = APP_NAME
    props.title = table.title
    props.created = when
    props.modified = when
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()  # not openpyxl.save(): that stamps the real time
    return pin_zip(buf.getvalue(), when, compression=zipfile.ZIP_STORED)


def pin_zip(data: bytes, when: dt.datetime, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The same zip with every entry dated `when`, so an Office file's bytes depend only on its content.

    xlsx files are stored uncompressed: they are small, and their bytes then do not
    depend on the zlib build either.
    """
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            packed = info.filename.lower().endswith((".png", ".jpeg", ".jpg"))  # compressed already
            entry.compress_type = zipfile.ZIP_STORED if packed else compression
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


DATA_FORMATS: dict[str, Callable[[DataTable], bytes]] = {"csv": to_csv, "xlsx": to_xlsx}


def data_file(table: DataTable, fmt: str) -> bytes:
    """A table as the file `fmt` names (csv or xlsx); ValueError for any other."""
    if fmt not in DATA_FORMATS:
        raise ValueError(f"Data can be saved as csv or xlsx, not '{fmt}'.")
    return DATA_FORMATS[fmt](table)
