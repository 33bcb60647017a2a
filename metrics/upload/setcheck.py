"""The checks of a file of values as set operations in DuckDB, with Python words for what fails.

A million-row file checked row by row in Python took seconds per hundred thousand rows. Here
DuckDB reads the file (every field as text), the line of each record comes from the file's bytes,
and the contract's checks run as one query joined to lookup tables of the catalogue (built once per
distinct indicator, period, place and breakdown text, with the same Python functions the row checks
use). Only the rows that fail, or whose text is not plain ASCII, go through the Python row checks
of values.py, which word every problem; repeated keys are found by a grouping over every passing
row. So the report is the same as the Python path gives, line for line, and the cost of a clean
file is DuckDB's.

A file takes this path only when DuckDB's reading of it is certainly the csv module's: one record
per line (no quoted line breaks, no lone carriage returns), the header on line 1 with a name for
every column. Any other file, and any file DuckDB reads with a complaint other than a row's
width, takes the Python path (check.py), with the same report.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from metrics.catalogue import Catalogue
from metrics.store import arrow_table, execute, run, scalar
from metrics.upload.numbers import LARGEST_VALUE
from metrics.upload.read import line_fields
from metrics.upload.report import Problems, Report
from metrics.upload.values import (
    AGREEMENT_POINTS,
    MISSING_SYMBOLS,
    NOTE_LIMIT,
    STAGED_VALUE_COLUMNS,
    VALUE_COLUMNS,
    breakdown_group,
    check_value_rows,
    repeat_problem,
    row_period,
)

_NEWLINE, _CR, _QUOTE, _COMMA = 10, 13, 34, 44
# Deleting these leaves nothing of a plain file: six times faster than a regular expression's search.
_PLAIN_BYTES = bytes(range(0x20, 0x7F)) + b"\r\n"


@dataclass(frozen=True)
class Lines:
    """Where each line of a file starts and ends (its line break left out), and which are plain:
    printable ASCII with no double quote, so that splitting at each comma reads them exactly."""

    starts: np.ndarray
    ends: np.ndarray
    plain: np.ndarray
    commas: np.ndarray  # per line

    def text(self, line: int, data: bytes) -> str:
        return data[self.starts[line - 1] : self.ends[line - 1]].decode("utf-8")


def one_record_per_line(data: bytes) -> Lines | None:
    """The lines of a UTF-8 file when each record is one line, else None (the Python path reads it).

    That holds when no line break sits inside double quotes (every line has an even number of them)
    and every carriage return ends a line as half of CRLF, the first line being the header.
    """
    crs = data.count(b"\r")
    if crs and not (crs == data.count(b"\r\n") == data.count(b"\n")):
        return None
    arr = np.frombuffer(data, dtype=np.uint8)
    breaks = np.flatnonzero(arr == _NEWLINE)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(arr)]))
    if starts[-1] == len(arr):  # the file ends with a line break: no line after it
        starts, ends = starts[:-1], ends[:-1]
    if crs:
        ends = ends - ((ends > starts) & (arr[np.maximum(ends - 1, 0)] == _CR))
    if len(starts) == 0 or ends[0] == starts[0]:
        return None
    plain = np.ones(len(starts), dtype=bool)
    if b'"' in data:
        quotes = np.flatnonzero(arr == _QUOTE)
        per_line = np.searchsorted(quotes, ends) - np.searchsorted(quotes, starts)
        if (per_line % 2).any():
            return None
        plain[per_line > 0] = False
    if data.translate(None, _PLAIN_BYTES):  # most files are plain ASCII throughout: one pass in C says so
        odd = np.flatnonzero((arr < 0x20) | (arr > 0x7E))
        odd = odd[(arr[odd] != _NEWLINE) & (arr[odd] != _CR)]
        plain[np.searchsorted(starts, odd, side="right") - 1] = False
    commas = np.flatnonzero(arr == _COMMA)
    per_line = np.searchsorted(commas, ends) - np.searchsorted(commas, starts)
    return Lines(starts.astype(np.int64), ends.astype(np.int64), plain, per_line)


# Where a field could start or end with a space: beside a comma or a line's ends.
_PADDING = (b", ", b" ,", b"\n ", b" \n", b" \r")
_PADDING_LOOKS = 10_000  # occurrences looked at before trimming anyway: a hostile file stays quick


def padded(data: bytes, lines: Lines) -> bool:
    """Whether a field of a plain line (the only kind whose fields the set checks keep without Python
    reading it again) may have spaces around it to trim. Such a line has no other whitespace than the
    space and no quotes, so a space beside a comma or at a line's ends is the only way; each search is
    in C. "White: English, Welsh" in quotes is on a line Python reads again, so it does not count."""
    if data[:1] == b" " or data[-1:] == b" ":
        return True
    looked = 0
    for pattern in _PADDING:
        at = data.find(pattern)
        while at >= 0:
            line = int(np.searchsorted(lines.starts, at + (pattern[0] == _NEWLINE), side="right")) - 1
            looked += 1
            if lines.plain[line] or looked > _PADDING_LOOKS:
                return True
            at = data.find(pattern, at + 1)
    return False


def check_values(
    data: bytes,
    lines: Lines,
    header: list[str],
    catalogue: Catalogue,
    today: dt.date,
    report: Report,
) -> tuple[bool, pd.DataFrame | None]:
    """Check a file of values in DuckDB: (True, the staged rows or None when a row has a problem),
    or (False, None) when DuckDB reads the file differently from the csv module (then nothing is added
    to the report and the Python path checks it)."""
    with tempfile.TemporaryDirectory(prefix="kpi-upload-") as folder:
        path = Path(folder) / "upload.csv"
        path.write_bytes(data)
        con = duckdb.connect()
        try:
            return _check(con, str(path), data, lines, header, catalogue, today, report)
        finally:
            con.close()


def _check(
    con: duckdb.DuckDBPyConnection,
    path: str,
    data: bytes,
    lines: Lines,
    header: list[str],
    catalogue: Catalogue,
    today: dt.date,
    report: Report,
) -> tuple[bool, pd.DataFrame | None]:
    width = len(header)
    longest = int((lines.ends - lines.starts).max()) + 2
    numbers = np.flatnonzero(lines.ends > lines.starts) + 1  # DuckDB skips empty lines
    plain = lines.plain[numbers - 1] & (lines.commas[numbers - 1] == width - 1)
    con.register("upload_lines", pa.table({"line": pa.array(numbers, pa.int64()), "plain": pa.array(plain)}))
    try:
        execute(
            con,
            "upload_read_csv",
            {
                "path": path,
                "new_line": "\\r\\n" if b"\r\n" in data else "\\n",
                "columns": {f"c{i}": "VARCHAR" for i in range(width)},
                "max_line_size": max(longest, 2_097_152),
                "buffer_size": max(4 * longest, 16_777_216),
                "trim": padded(data, lines),
            }
            | _positions(header),
        )
    except duckdb.Error:  # a record of the wrong width, or text DuckDB reads otherwise
        return False, None
    con.unregister("upload_lines")
    if scalar(con, "upload_unpaired_rows"):
        return False, None
    _lookups(con, catalogue, today)
    execute(
        con,
        "upload_check_values",
        {"largest": LARGEST_VALUE, "agreement": AGREEMENT_POINTS, "note_limit": NOTE_LIMIT},
    )
    execute(con, "upload_drop_fields")
    plain_rows = scalar(con, "upload_row_counts")

    # Every row the set checks did not pass is read again as the csv module reads it and checked in
    # Python, which words its problems.
    records: list[tuple[int, list[str]]] = []
    for (line,) in run(con, "upload_rows_to_recheck").fetchall():
        fields = line_fields(lines.text(line, data))
        if not "".join(fields).strip():
            continue
        records.append((line, fields))
    report.rows = plain_rows + len(records)

    rechecked = Report(status="rejected")
    passed = check_value_rows(header, records, catalogue, today, rechecked, repeats=False)
    con.register("upload_rechecked", passed)
    repeats = Problems()
    for line, first in run(con, "upload_repeated_keys").fetchall():
        repeats.append(repeat_problem(line, first))
    _merge(report.errors, rechecked.errors, repeats)
    _merge(report.warnings, rechecked.warnings)
    if report.errors:
        return True, None
    staged = arrow_table(con, "upload_staged_values")
    return True, _frame(staged)


def _positions(header: list[str]) -> dict[str, int]:
    """Each column's place in a DuckDB list (1-based); an absent column points past the end (NULL)."""
    names = {
        "i_ind": "indicator_id",
        "i_per": "period",
        "i_geo": "geography",
        "i_val": "value",
        "i_num": "numerator",
        "i_den": "denominator",
        "i_dim": "breakdown_dimension",
        "i_bval": "breakdown_value",
        "i_status": "status",
        "i_note": "note",
        "i_low": "lower",
        "i_up": "upper",
        "i_conf": "confidence",
    }
    assert set(names.values()) == set(VALUE_COLUMNS)
    return {key: header.index(name) + 1 if name in header else len(header) + 1 for key, name in names.items()}


def _lookups(con: duckdb.DuckDBPyConnection, catalogue: Catalogue, today: dt.date) -> None:
    """The catalogue's meaning of each distinct text in the file, as tables the check query joins."""
    by_id = {i.id: i for i in catalogue.indicators}
    con.register(
        "upload_indicators",
        pa.table(
            {
                "indicator_id": [i.id for i in catalogue.indicators],
                "unit": [i.unit for i in catalogue.indicators],
                "is_share": [i.is_share for i in catalogue.indicators],
                "estimate": [i.is_estimate for i in catalogue.indicators],
                "low": pa.array(
                    [i.value_range[0] if i.value_range else None for i in catalogue.indicators], pa.float64()
                ),
                "high": pa.array(
                    [i.value_range[1] if i.value_range else None for i in catalogue.indicators], pa.float64()
                ),
            }
        ),
    )
    con.register(
        "upload_symbols",
        pa.table({"symbol_text": list(MISSING_SYMBOLS), "missing": list(MISSING_SYMBOLS.values())}),
    )
    scratch = Problems()
    periods = []
    for iid, text in run(con, "upload_distinct_periods").fetchall():
        indicator = by_id.get(iid)
        period = row_period(0, text, indicator, today, scratch) if indicator is not None else None
        if period is not None:
            periods.append((iid, text, period.label, period.start, period.end))
    con.register(
        "upload_periods",
        pa.table(
            {
                "indicator_id": pa.array([p[0] for p in periods], pa.string()),
                "period_text": pa.array([p[1] for p in periods], pa.string()),
                "period": pa.array([p[2] for p in periods], pa.string()),
                "period_start": pa.array([p[3] for p in periods], pa.date32()),
                "period_end": pa.array([p[4] for p in periods], pa.date32()),
            }
        ),
    )
    places = []
    for (text,) in run(con, "upload_distinct_places").fetchall():
        place = catalogue.resolve_place(text) if text else None
        if place is not None:
            places.append((text, place.code))
    con.register(
        "upload_places",
        pa.table(
            {
                "place_text": pa.array([p[0] for p in places], pa.string()),
                "geography_code": pa.array([p[1] for p in places], pa.string()),
            }
        ),
    )
    groups_by_dim = {dim: {g.casefold(): g for g in names} for dim, names in catalogue.groups.items()}
    groups = []
    for iid, dim_raw, bval in run(con, "upload_distinct_groups").fetchall():
        dim = dim_raw.lower().replace(" ", "_").replace("-", "_") if dim_raw else ""
        if not (dim or bval):
            groups.append((iid, dim_raw, bval, "", ""))
            continue
        before = scratch.total
        group = breakdown_group(0, dim_raw, dim, bval, by_id.get(iid), catalogue, groups_by_dim, scratch)
        if scratch.total == before:
            groups.append((iid, dim_raw, bval, dim, group))
    con.register(
        "upload_groups",
        pa.table(
            {
                name: pa.array([g[i] for g in groups], pa.string())
                for i, name in enumerate(
                    ("indicator_id", "dimension_text", "group_text", "breakdown_dimension", "breakdown_value")
                )
            }
        ),
    )


def _merge(into: Problems, *streams: Problems) -> None:
    """Problems from several checks, each in line order, into one report list in line order.

    Each stream keeps its first MAX_PROBLEMS and counts the rest, so the first MAX_PROBLEMS of all
    of them together are among those kept; the count covers every one.
    """
    merged = sorted((p for s in streams for p in s), key=lambda p: p.line or 0)
    for p in merged:
        into.append(p)
    into.total += sum(s.total for s in streams) - len(merged)


def _arrow_kept(kind: pa.DataType) -> pd.ArrowDtype | None:
    """Dates and texts stay Arrow arrays (no copy of a million strings); numbers become NumPy's."""
    if (
        kind == pa.date32()
        or pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_string_view(kind)
    ):
        return pd.ArrowDtype(kind)
    return None


def _frame(table: pa.Table) -> pd.DataFrame:
    """The staged rows as the writer takes them (the same columns and types as the Python path's)."""
    frame = table.to_pandas(types_mapper=_arrow_kept)
    assert tuple(frame.columns) == STAGED_VALUE_COLUMNS
    return frame
