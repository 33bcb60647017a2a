"""The quarterly upload, exactly as ../shared/spec/upload-format.md describes it.

The whole file is checked before anything is written and every problem is
reported with its line, column and value, so an analyst fixes a file in one
pass. A clean file is written in one transaction; a rejected one leaves only
its entry in the upload log. The Upload page and `kpi ingest` both call
:func:`ingest_bytes`, so they always agree.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import gc
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from metrics import clock, settings
from metrics.catalogue import ACTION_STATUSES, DIMENSIONS, Catalogue, Indicator, default_catalogue
from metrics.periods import PeriodError, describe_form, parse_period
from metrics.store import connect, execute, run, scalar, transaction
from metrics.upload.xlsx import OLE_MAGIC, Workbook, WorkbookProblem
from metrics.words import clean_text

VALUE_COLUMNS = (
    "indicator_id",
    "period",
    "geography",
    "value",
    "numerator",
    "denominator",
    "breakdown_dimension",
    "breakdown_value",
    "status",
    "note",
)
REQUIRED_VALUE_COLUMNS = ("indicator_id", "period", "geography")
STATUS_COLUMNS = ("action_id", "period", "status", "note")
REQUIRED_STATUS_COLUMNS = ("action_id", "period", "status")
MISSING_SYMBOLS = {"c": "c", "x": "x", "z": "z", "[c]": "c", "[x]": "x", "[z]": "z", "..": "x"}
NOTE_LIMIT = 500
STATUS_NOTE_LIMIT = 1000
AGREEMENT_POINTS = 0.1
JUMP_WARNING = 0.5

BREAKDOWN_VALUE_LIMIT = 200
MAX_PROBLEMS = 200  # listed in a report; the rest are counted, so a bad million-row file stays small
LARGEST_VALUE = 1e15  # no indicator comes near it: larger is a slip (or 400 digits meant to overflow)
SHOWN_TEXT_LIMIT = 80  # characters of an uploaded text repeated in a message
XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024  # what a workbook may expand to before it is read
XLSX_MAX_CELLS = 500_000  # cells read from a workbook (about 50,000 rows of ten columns)

# ASCII digits only: \d would also take full-width (１２), Arabic-Indic and superscript digits.
_PLAIN_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_GROUPED_NUMBER = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
_LONG_QUOTED = re.compile(r"'([^']{" + str(SHOWN_TEXT_LIMIT) + r"})[^']+'")


@dataclass(frozen=True)
class Problem:
    """One error or warning: where it is and what to change."""

    line: int | None
    column: str | None
    value: str | None
    message: str

    def __post_init__(self) -> None:
        # An uploaded megabyte repeated in a report would make the report the attack: keep the
        # start of long values, in the value and wherever the message quotes one.
        if self.value is not None and len(self.value) > SHOWN_TEXT_LIMIT:
            object.__setattr__(self, "value", self.value[:SHOWN_TEXT_LIMIT] + "…")
        if len(self.message) > 4 * SHOWN_TEXT_LIMIT:
            object.__setattr__(self, "message", _LONG_QUOTED.sub(r"'\1…'", self.message))

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "value": self.value, "message": self.message}


class Problems(list):
    """Errors as found, keeping the first MAX_PROBLEMS and counting the rest.

    `total` counts every problem appended, so a row's checks can still tell whether it added one.
    """

    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def append(self, problem: Problem) -> None:  # type: ignore[override]
        self.total += 1
        if len(self) < MAX_PROBLEMS:
            super().append(problem)

    @property
    def left_out(self) -> int:
        return self.total - len(self)


@dataclass
class Report:
    """The report of upload-format.md, plus a row-by-row preview for the Upload page."""

    status: str
    upload_id: int | None = None
    rows: int = 0
    inserted: int = 0
    revised: int = 0
    unchanged: int = 0
    errors: Problems = field(default_factory=Problems)
    warnings: Problems = field(default_factory=Problems)
    kind: str = "values"
    file_name: str = ""
    sha256: str = ""
    preview: pd.DataFrame | None = None  # one row per data row: outcome, old and new values
    notices: list[Problem] = field(default_factory=list)  # large jumps: shown on the page, not in JSON

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "upload_id": self.upload_id,
            "rows": self.rows,
            "inserted": self.inserted,
            "revised": self.revised,
            "unchanged": self.unchanged,
            "errors": [p.as_json() for p in self.errors] + _left_out(self.errors, "errors"),
            "warnings": [p.as_json() for p in self.warnings] + _left_out(self.warnings, "warnings"),
        }

    @property
    def exit_code(self) -> int:
        return 1 if self.status == "rejected" else 0


def _left_out(problems: list[Problem], what: str) -> list[dict[str, Any]]:
    """One closing entry saying how many more were found but not listed."""
    n = getattr(problems, "left_out", 0)
    if not n:
        return []
    message = f"There are {n:,} more {what} not listed here. Correct the ones above and check the file again."
    return [Problem(None, None, None, message).as_json()]


@dataclass(frozen=True)
class Origin:
    """Where values come from when not from an analyst's file (the sample data builder)."""

    kind: str = "values"
    illustrative: bool = False
    source: str | None = None


# ---------------------------------------------------------------- reading the file


def _decode(data: bytes, report: Report) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(data):
        report.errors.append(
            Problem(
                None,
                None,
                None,
                "The selected file is saved as UTF-16 text. In Excel choose Save As, then 'CSV UTF-8 (comma "
                "delimited)', and upload that file.",
            )
        )
        return None
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        report.errors.append(
            Problem(
                line,
                None,
                None,
                f"The selected file must be a CSV file. Line {line} holds a NUL byte, which text never has: "
                "save the data as 'CSV UTF-8' and upload that file.",
            )
        )
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            report.errors.append(
                Problem(None, None, None, "The selected file must be a CSV file saved as UTF-8 text.")
            )
            return None
        report.warnings.append(
            Problem(
                None,
                None,
                None,
                "The file is not UTF-8, so it was read as Windows-1252 (what Excel writes on Windows). "
                "Check names with accents, or save as 'CSV UTF-8' next time.",
            )
        )
        return text


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of plain text is NUL."""
    head = data[:512]
    if len(head) < 8:
        return False
    return head[1::2].count(0) > 0.8 * len(head[1::2]) or head[0::2].count(0) > 0.8 * len(head[0::2])


def _separator_problem(header_line: str) -> str | None:
    if header_line.count(",") == 0:
        if header_line.count(";") >= 2:
            return "The file is separated by semicolons. Save it as a comma-separated CSV file."
        if header_line.count("\t") >= 2:
            return "The file is separated by tabs. Save it as a comma-separated CSV file."
    return None


def _records(text: str) -> tuple[list[str] | None, list[tuple[int, list[str]]]]:
    """The header and every non-blank record with the line it starts on (header = line 1).

    Line numbers come from the reader, so a quoted note spanning lines and skipped
    blank lines still leave every later row with the line an analyst sees in Excel.
    A field may be as long as the file (the note and breakdown checks set the real limits
    and name the line), so the csv module's own field limit never stops the read.
    """
    csv.field_size_limit(max(len(text) + 1, 131072))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = None
    records = []
    append = records.append
    last = 0
    for fields in reader:
        start = last + 1
        last = reader.line_num
        if not fields or not "".join(fields).strip():
            continue
        if header is None:
            header = fields
            continue
        append((start, fields))
    return header, records


def _unclosed_quote(header: list[str], records: list[tuple[int, list[str]]]) -> Problem | None:
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


def read_workbook(data: bytes) -> tuple[bytes, list[str]]:
    """The first sheet of an Excel workbook as CSV bytes, so it takes the same checks as a CSV,
    and a warning for each later sheet that holds data (only the first is read).

    metrics/upload/xlsx.py reads within bounds: at most XLSX_MAX_CELLS cells and a workbook that
    expands to at most XLSX_MAX_UNCOMPRESSED bytes, so a small file that expands to millions
    of cells is refused in seconds. Formulas are read as their text, never evaluated.
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


# ---------------------------------------------------------------- checking values


def _number(text: str, column: str, line: int, indicator: Indicator, report: Report) -> float | None:
    """A plain number, tolerating thousands separators and a trailing % (with a warning)."""
    if text.isascii() and text.isdigit():
        return _finite(float(text), text, column, line, report)
    raw = text
    if _foreign_digits(text):
        report.errors.append(Problem(line, column, raw, _DIGITS_ONLY.format(raw)))
        return None
    t = text.strip()
    normalised = False
    if t.endswith("%"):
        if indicator.unit != "percent" or column != "value":
            report.errors.append(
                Problem(
                    line,
                    column,
                    raw,
                    f"Enter {column} as a number without a % sign: {indicator.id} is measured as "
                    f"{indicator.unit_label}.",
                )
            )
            return None
        t = t[:-1].strip()
        normalised = True
    if _GROUPED_NUMBER.match(t):
        t = t.replace(",", "")
        normalised = True
    if not _PLAIN_NUMBER.match(t):
        return _not_a_number(raw, column, line, indicator, report)
    if normalised:
        report.warnings.append(
            Problem(line, column, raw, f"Read '{raw}' as {t}. Write plain numbers, like {t}, to avoid this.")
        )
    return _finite(float(t), raw, column, line, report)


_DIGITS_ONLY = (
    "Write '{}' with the digits 0 to 9 only: it has characters that look like digits but are not "
    "(full-width, superscript or other scripts' digits)."
)


def _foreign_digits(text: str) -> bool:
    return not text.isascii() and any(ch.isdigit() or ch.isnumeric() for ch in text)


def _finite(v: float, raw: str, column: str, line: int, report: Report) -> float | None:
    """A number no indicator could hold (it would print as infinity) is refused with its line."""
    if math.isfinite(v) and abs(v) < LARGEST_VALUE:
        return v
    report.errors.append(
        Problem(
            line,
            column,
            raw,
            f"The {column} is far too large: enter a number below {LARGEST_VALUE:,.0f}. Check for extra "
            "digits.",
        )
    )
    return None


def _not_a_number(raw: str, column: str, line: int, indicator: Indicator, report: Report) -> None:
    if column == "value":
        hint = (
            "Enter a number, like 1234 or 23.5, or a missing-value symbol: c (confidential), "
            "x (not available) or z (not applicable)."
        )
    else:
        hint = "Enter a whole number, like 120."
    report.errors.append(Problem(line, column, raw, f"'{raw}' is not a number. {hint}"))
    return None


def _unit_problem(indicator: Indicator, column: str, v: float) -> str | None:
    unit = indicator.unit
    if column in ("numerator", "denominator"):
        if v < 0 or not float(v).is_integer():
            return f"Enter the {column} as a whole number of 0 or more."
        return None
    if unit == "count" and (v < 0 or not float(v).is_integer()):
        return f"Enter a whole number of 0 or more: {indicator.id} is a count."
    if unit == "money" and v < 0:
        return f"Enter an amount of 0 or more: {indicator.id} is money."
    if unit == "percent" and not 0 <= v <= 100:
        return (
            f"Enter a percentage between 0 and 100, written as percent (23.5 means 23.5%), not as a "
            f"fraction: {indicator.id} is a percentage."
        )
    if unit == "rate_per_100k" and v < 0:
        return f"Enter a rate of 0 or more: {indicator.id} is a rate per 100,000."
    if indicator.value_range is not None and column == "value":
        low, high = indicator.value_range
        if not low <= v <= high:
            return (
                f"Enter a value from {low:g} to {high:g}: {indicator.id} is a {indicator.unit_label}, "
                "so nothing outside that range can be right."
            )
    return None


def _suggest(text: str, options: list[str]) -> str:
    close = difflib.get_close_matches(text, options, n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def _check_value_rows(
    header: list[str],
    records: list[tuple[int, list[str]]],
    catalogue: Catalogue,
    today: dt.date,
    report: Report,
) -> pd.DataFrame | None:
    width = len(header)
    # Each column's position; an absent optional column points at the empty cell added to every row.
    pos = {name: header.index(name) if name in header else width for name in VALUE_COLUMNS}
    i_ind, i_geo, i_per = pos["indicator_id"], pos["geography"], pos["period"]
    i_dim, i_bval, i_status, i_note = (
        pos["breakdown_dimension"],
        pos["breakdown_value"],
        pos["status"],
        pos["note"],
    )
    i_val, i_num, i_den = pos["value"], pos["numerator"], pos["denominator"]
    ids = [i.id for i in catalogue.indicators]
    by_id = {i.id: i for i in catalogue.indicators}
    geo_cache: dict[str, str | None] = {}
    groups = {dim: {g.casefold(): g for g in names} for dim, names in catalogue.groups.items()}
    seen: dict[tuple, int] = {}
    out: list[tuple] = []
    append = out.append
    errors = report.errors

    for line, fields in records:
        if len(fields) != width:
            errors.append(
                Problem(
                    line,
                    None,
                    None,
                    f"Line {line} has {len(fields)} values but the header has {width} columns. Check for a "
                    "comma inside a value that is not in double quotes, or a missing value.",
                )
            )
            continue
        f = [x.strip() for x in fields]
        f.append("")
        before = errors.total
        iid = f[i_ind]
        indicator = by_id.get(iid)
        if indicator is None:
            message = (
                "Enter an indicator id from the catalogue ('kpi indicators' lists them)."
                if not iid
                else f"'{iid}' is not in the indicator catalogue. Use an id that 'kpi indicators' lists."
                + _suggest(iid, ids)
            )
            errors.append(Problem(line, "indicator_id", iid, message))

        geo_text = f[i_geo]
        code = geo_cache.get(geo_text, "?")
        if code == "?":
            g = catalogue.resolve_geography(geo_text) if geo_text else None
            code = geo_cache[geo_text] = g.code if g else None
        if code is None:
            names = ", ".join(g.name for g in catalogue.geographies)
            errors.append(
                Problem(
                    line,
                    "geography",
                    geo_text,
                    f"Enter a place as an ONS code (like E08000025) or one of these names: {names}."
                    if not geo_text
                    else f"'{geo_text}' is not one of the eight places. Use an ONS code (like E08000025) "
                    f"or one of these names: {names}.",
                )
            )

        period_text = f[i_per]
        period = None
        if indicator is not None:
            if not period_text:
                errors.append(Problem(line, "period", "", "Enter the period, for example 2023-24 Q1."))
            elif _foreign_digits(period_text):
                errors.append(Problem(line, "period", period_text, _DIGITS_ONLY.format(period_text)))
            else:
                try:
                    period = parse_period(period_text, indicator.frequency, indicator.year_type, today)
                except PeriodError as exc:
                    errors.append(
                        Problem(line, "period", period_text, _period_message(exc, indicator.id, indicator))
                    )

        dim_raw = f[i_dim]
        bval = clean_text(f[i_bval]) if not f[i_bval].isprintable() else f[i_bval]
        dim = dim_raw.lower().replace(" ", "_").replace("-", "_") if dim_raw else ""
        if dim or bval:
            _check_breakdown(line, dim_raw, dim, bval, indicator, errors)
            if len(bval) > BREAKDOWN_VALUE_LIMIT:
                errors.append(
                    Problem(
                        line,
                        "breakdown_value",
                        bval,
                        f"Shorten the group name to {BREAKDOWN_VALUE_LIMIT} characters or fewer (it has "
                        f"{len(bval):,}).",
                    )
                )
            elif dim in groups and bval:
                declared = groups[dim].get(bval.casefold())
                if declared is None:
                    errors.append(
                        Problem(
                            line,
                            "breakdown_value",
                            bval,
                            f"'{bval}' is not a group of {dim_raw}. Use one of: "
                            f"{', '.join(catalogue.groups[dim])}.",
                        )
                    )
                else:
                    bval = declared  # Female, female and FEMALE are one group, spelt as declared

        status_text = f[i_status].lower()
        if status_text not in ("", "provisional", "final"):
            errors.append(Problem(line, "status", f[i_status], "Enter the status as provisional or final."))
        status = status_text or "provisional"

        note = f[i_note]
        if not note.isprintable():
            note = clean_text(note)  # control characters would break a Word pack that quotes it
        if len(note) > NOTE_LIMIT:
            errors.append(
                Problem(
                    line,
                    "note",
                    note,
                    f"Shorten the note to {NOTE_LIMIT} characters or fewer (it has {len(note)}).",
                )
            )

        value = numerator = denominator = None
        missing = None
        if indicator is not None:
            value, numerator, denominator, missing = _check_value(
                f[i_val], f[i_num], f[i_den], indicator, line, report
            )

        if errors.total > before or indicator is None or period is None or code is None:
            continue
        key = (iid, period.start, period.end, code, dim, bval)
        first = seen.get(key)
        if first is not None:
            errors.append(
                Problem(
                    line,
                    None,
                    None,
                    f"This row repeats line {first}: the same indicator, period, place and breakdown. "
                    "Keep one of the two rows.",
                )
            )
            continue
        seen[key] = line
        append(
            (
                line,
                iid,
                code,
                period.label,
                period.start,
                period.end,
                dim,
                bval,
                value,
                numerator,
                denominator,
                missing,
                status,
                note or None,
            )
        )
    return _frame(out, STAGED_VALUE_COLUMNS)


def _check_breakdown(
    line: int, dim_raw: str, dim: str, bval: str, indicator: Indicator | None, errors: list[Problem]
) -> None:
    if dim and not bval:
        errors.append(
            Problem(
                line,
                "breakdown_value",
                "",
                f"Enter the group for the breakdown '{dim_raw}' (for example Female), or leave both "
                "breakdown columns empty for the total.",
            )
        )
    elif bval and not dim:
        takes = indicator.breakdowns if indicator is not None and indicator.breakdowns else DIMENSIONS
        errors.append(
            Problem(
                line,
                "breakdown_dimension",
                "",
                f"Enter the breakdown that '{bval}' belongs to (one of {', '.join(takes)}), or "
                "leave both breakdown columns empty for the total.",
            )
        )
    elif indicator is not None and dim not in indicator.breakdowns:
        takes = ", ".join(indicator.breakdowns) if indicator.breakdowns else "no breakdowns"
        errors.append(
            Problem(
                line,
                "breakdown_dimension",
                dim_raw,
                f"{indicator.id} does not take the breakdown '{dim_raw}'. It takes {takes}; leave the "
                "breakdown columns empty for the total.",
            )
        )


STAGED_VALUE_COLUMNS = (
    "line",
    "indicator_id",
    "geography_code",
    "period",
    "period_start",
    "period_end",
    "breakdown_dimension",
    "breakdown_value",
    "value",
    "numerator",
    "denominator",
    "missing",
    "status",
    "note",
)
STAGED_STATUS_COLUMNS = ("line", "action_id", "period", "period_start", "period_end", "status", "note")


def _frame(rows: list[tuple], columns: tuple[str, ...]) -> pd.DataFrame:
    """Checked rows as a frame whose dates are real dates, so DuckDB scans them without conversion."""
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for col in ("period_start", "period_end"):
        frame[col] = pd.Series(
            pa.array(frame[col].tolist(), type=pa.date32()),
            dtype=pd.ArrowDtype(pa.date32()),
            index=frame.index,
        )
    return frame


def _period_message(exc: PeriodError, who: str, indicator: Indicator | None) -> str:
    """The period error, naming what takes the period and, for a future period, the form it takes.

    The contract asks every period error to say which form the indicator takes; a period
    that has not started yet is otherwise well written, so the form is added here.
    """
    message = str(exc)
    if indicator is None:  # an action status: always a financial quarter
        message = message.replace("this indicator takes", "an action status takes")
        frequency, year_type = "quarter", "financial"
    else:
        frequency, year_type = indicator.frequency, indicator.year_type
    if "starts after today" in message:
        form = describe_form(frequency, year_type)
        message += f" {who} takes periods written as {'an' if form[0] in 'aeiou' else 'a'} {form}."
    return message


def _check_value(
    value_text: str, num_text: str, den_text: str, indicator: Indicator, line: int, report: Report
):
    errors = report.errors
    value = numerator = denominator = None
    missing = MISSING_SYMBOLS.get(value_text.lower())
    has_pair = bool(num_text or den_text)
    if has_pair and not indicator.is_share:
        column = "numerator" if num_text else "denominator"
        errors.append(
            Problem(
                line,
                column,
                num_text or den_text,
                f"Leave numerator and denominator empty: {indicator.id} is not a share. Put the figure in "
                "the value column.",
            )
        )
        return None, None, None, None
    if has_pair and not (num_text and den_text):
        column = "denominator" if num_text else "numerator"
        errors.append(
            Problem(
                line,
                column,
                "",
                "Enter both the numerator and the denominator, or neither and give the share in value.",
            )
        )
        return None, None, None, None
    if missing is not None:
        if has_pair:
            errors.append(
                Problem(
                    line,
                    "numerator",
                    num_text,
                    "Leave numerator and denominator empty when the value is a missing-value symbol.",
                )
            )
        return None, None, None, missing
    if not value_text and not has_pair:
        errors.append(
            Problem(
                line,
                "value",
                "",
                "Enter a value: a number, or c (confidential), x (not available) or z (not applicable).",
            )
        )
        return None, None, None, None
    if value_text:
        value = _number(value_text, "value", line, indicator, report)
        if value is not None:
            problem = _unit_problem(indicator, "value", value)
            if problem:
                errors.append(Problem(line, "value", value_text, problem))
                value = None
    if has_pair:
        numerator = _number(num_text, "numerator", line, indicator, report)
        denominator = _number(den_text, "denominator", line, indicator, report)
        for column, v, raw in (("numerator", numerator, num_text), ("denominator", denominator, den_text)):
            if v is not None:
                problem = _unit_problem(indicator, column, v)
                if problem:
                    errors.append(Problem(line, column, raw, problem))
        if numerator is not None and denominator is not None:
            if denominator <= 0:
                errors.append(Problem(line, "denominator", den_text, "Enter a denominator above zero."))
            elif numerator > denominator:
                errors.append(
                    Problem(
                        line,
                        "numerator",
                        num_text,
                        f"The numerator ({num_text}) is more than the denominator ({den_text}). Check the "
                        f"two are not swapped: the numerator counts {indicator.numerator_label or 'the part'}"
                        f", the denominator {indicator.denominator_label or 'the whole'}.",
                    )
                )
            else:
                share = numerator / denominator * 100
                if value is not None and abs(value * 100 - share) <= AGREEMENT_POINTS < abs(value - share):
                    errors.append(
                        Problem(
                            line,
                            "value",
                            value_text,
                            f"Write the value as percent ({share:.1f}), not as a fraction ({value_text}): "
                            "23.5 means 23.5%. Or leave value empty and it is worked out from the numerator "
                            "and denominator.",
                        )
                    )
                elif value is not None and abs(value - share) > AGREEMENT_POINTS:
                    errors.append(
                        Problem(
                            line,
                            "value",
                            value_text,
                            f"The value ({value_text}) does not agree with the numerator over the "
                            f"denominator ({share:.1f}). Correct one of them, or leave value empty.",
                        )
                    )
                elif value is None and not value_text:
                    value = share
    return value, numerator, denominator, None


def _check_status_rows(
    header: list[str],
    records: list[tuple[int, list[str]]],
    catalogue: Catalogue,
    today: dt.date,
    report: Report,
) -> pd.DataFrame:
    index = {name: header.index(name) for name in STATUS_COLUMNS if name in header}
    width = len(header)
    action_ids = [a.id for a in catalogue.actions]
    seen: dict[tuple, int] = {}
    out: list[tuple] = []
    errors = report.errors
    for line, fields in records:
        if len(fields) != width:
            errors.append(
                Problem(
                    line,
                    None,
                    None,
                    f"Line {line} has {len(fields)} values but the header has {width} columns. Check for a "
                    "comma inside a value that is not in double quotes.",
                )
            )
            continue

        def cell(name: str, fields: list[str] = fields) -> str:
            i = index.get(name)
            return fields[i].strip() if i is not None else ""

        before = errors.total
        aid = cell("action_id")
        if catalogue.action(aid) is None:
            errors.append(
                Problem(
                    line,
                    "action_id",
                    aid,
                    (f"'{aid}' is not an action in the plan." if aid else "Enter an action id.")
                    + " Use an id that 'kpi plan' lists, like AH2."
                    + _suggest(aid, action_ids),
                )
            )
        period = None
        ptext = cell("period")
        try:
            if _foreign_digits(ptext):
                raise PeriodError(_DIGITS_ONLY.format(ptext))
            period = parse_period(ptext, "quarter", "financial", today)
        except PeriodError as exc:
            errors.append(Problem(line, "period", ptext, _period_message(exc, "An action status", None)))
        status = cell("status").lower().replace(" ", "_")
        if status not in ACTION_STATUSES:
            errors.append(
                Problem(
                    line,
                    "status",
                    cell("status"),
                    "Enter the status as one of: " + ", ".join(ACTION_STATUSES) + ".",
                )
            )
        note = clean_text(cell("note"))
        if len(note) > STATUS_NOTE_LIMIT:
            errors.append(
                Problem(
                    line,
                    "note",
                    note,
                    f"Shorten the note to {STATUS_NOTE_LIMIT} characters or fewer (it has {len(note)}).",
                )
            )
        if errors.total > before or period is None:
            continue
        key = (aid, period.start)
        if key in seen:
            errors.append(
                Problem(
                    line,
                    None,
                    None,
                    f"This row repeats line {seen[key]}: the same action and quarter. Keep one of the two rows.",
                )
            )
            continue
        seen[key] = line
        out.append((line, aid, period.label, period.start, period.end, status, note or None))
    return _frame(out, STAGED_STATUS_COLUMNS)


def _read_header(raw_header: list[str], report: Report, records) -> tuple[list[str], str] | None:
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


# ---------------------------------------------------------------- the whole upload


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
        return report, None
    if not data.strip():
        report.errors.append(
            Problem(None, None, None, "The selected file is empty. Choose a CSV file with data.")
        )
        return report, None
    if (
        file_name.lower().endswith((".xlsx", ".xls"))
        or data[:4] == b"PK\x03\x04"
        or data.startswith(OLE_MAGIC)
    ):
        try:
            data, sheet_warnings = read_workbook(data)
        except WorkbookProblem as exc:
            report.errors.append(Problem(None, None, None, str(exc)))
            return report, None
        for warning in sheet_warnings:
            report.warnings.append(Problem(None, None, None, warning))
    text = _decode(data, report)
    if text is None:
        return report, None
    first_line = next((ln for ln in io.StringIO(text) if ln.strip()), "")
    sep = _separator_problem(first_line)
    if sep:
        report.errors.append(Problem(1, None, None, sep))
        return report, None
    # A million rows of small lists would make the cyclic collector rescan them again and
    # again; none of them hold cycles, so collection waits until the rows are checked.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _check_text(text, report, catalogue, today)
    finally:
        if gc_was_enabled:
            gc.enable()


def _check_text(
    text: str, report: Report, catalogue: Catalogue, today: dt.date
) -> tuple[Report, pd.DataFrame | None]:
    try:
        raw_header, records = _records(text)
    except csv.Error as exc:
        report.errors.append(
            Problem(None, None, None, f"The file cannot be read as CSV ({exc}). Check for unmatched quotes.")
        )
        return report, None
    report.rows = len(records)
    if raw_header is not None and (swallowed := _unclosed_quote(raw_header, records)) is not None:
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
    checker = _check_status_rows if kind == "action_status" else _check_value_rows
    staged = checker(header, records, catalogue, today, report)
    if report.errors:
        return report, None
    return report, staged


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
) -> Report:
    """Check a file and, if it is clean and not a dry run, write it in one transaction.

    `user` is the name the upload log shows; `user_key` who it was (identity provider and subject),
    which decides who may undo it.
    """
    now = now or clock.now()
    origin = origin or Origin()
    report, staged = check(data, file_name, catalogue=catalogue, today=now.date(), max_bytes=max_bytes)
    if report.errors:
        report.status = "rejected"
        if not dry_run:
            _record_rejected(report, db=db, user=user, now=now, user_key=user_key)
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
            classes = run(con, classify).df()
            staged["outcome"] = classes["outcome"].to_numpy()
            if report.kind == "values":
                staged["old_upload_id"] = classes["old_upload_id"].to_numpy()
            counts = staged["outcome"].value_counts()
            report.inserted = int(counts.get("inserted", 0))
            report.revised = int(counts.get("revised", 0))
            report.unchanged = int(counts.get("unchanged", 0))
            _revision_warnings(report, staged, classes)
            report.preview = _preview(staged, classes, report.kind)
            if dry_run:
                report.status = "dry_run"
                return report
            report.status = "committed"
            report.upload_id = int(scalar(con, "next_upload_id"))
            con.unregister(view)
            con.register(view, staged)
            params = {"upload_id": report.upload_id}
            if report.kind == "values":
                params |= {"illustrative": origin.illustrative, "source": origin.source}
                execute(con, "insert_observations_from_staged", params)
                execute(con, "insert_confirmations_from_staged", {"upload_id": report.upload_id})
            else:
                execute(con, "insert_action_statuses_from_staged", params)
            kind = origin.kind if origin.kind != "values" else report.kind
            _insert_upload(con, report, kind, user, now, user_key)
    return report


def _revision_warnings(report: Report, staged: pd.DataFrame, classes: pd.DataFrame) -> None:
    if report.kind != "values":
        return
    revised = classes[(classes["outcome"] == "revised")]
    finals = revised[revised["old_status"] == "final"]
    for line in finals["line"].tolist():
        report.warnings.append(
            Problem(
                int(line),
                "value",
                None,
                "This changes a value that was marked final. Check the change is intended; the earlier "
                "value is kept in the history.",
            )
        )


def _preview(staged: pd.DataFrame, classes: pd.DataFrame, kind: str) -> pd.DataFrame:
    cols = [c for c in classes.columns if c != "line" and c != "outcome"]
    merged = staged.copy()
    for c in cols:
        merged[c] = classes[c].to_numpy()
    return merged


def _insert_upload(
    con, report: Report, kind: str, user: str, now: dt.datetime, user_key: str | None = None
) -> None:
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
        },
    )


def _record_rejected(report: Report, *, db, user: str, now: dt.datetime, user_key: str | None = None) -> None:
    with connect(db) as con, transaction(con):
        report.upload_id = int(scalar(con, "next_upload_id"))
        _insert_upload(con, report, report.kind, user, now, user_key)


def ingest_file(path: str | Path, **kwargs: Any) -> Report:
    p = Path(path)
    return ingest_bytes(p.read_bytes(), p.name, **kwargs)


# ---------------------------------------------------------------- undo


class UndoRefused(ValueError):
    """The upload cannot be undone; the message says why."""


def undo_preview(upload_id: int, *, db: str | Path | None = None) -> list[dict]:
    """What undoing an upload would change: each key's value now and what it goes back to."""
    with connect(db, read_only=True) as con:
        _undoable(con, upload_id)
        cur = run(con, "undo_preview", {"id": upload_id})
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _undoable(con, upload_id: int) -> dict:
    cur = run(con, "get_upload", {"id": upload_id})
    rows = cur.fetchall()
    row = rows[0] if rows else None
    if row is None:
        raise UndoRefused(f"There is no upload {upload_id}. 'kpi uploads' lists the uploads.")
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
    return {"upload_id": upload_id, "file_name": up["file_name"], "status": "undone", "undone_by": user}
