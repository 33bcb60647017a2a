"""The data behind a chart or table as a `DataTable`: rows rounded as the indicator says, with a header block.

A table is built once and written by `metrics.export.files` as CSV or Excel, so both files
(and the page's download, the command's file and the golden files) hold the same cells.
A missing value is the GSS shorthand ([c], [x], [z]) with its reason in a note, never 0 or
blank, and a period with no figure is a row that says so, so a gap is never read as the
series ending.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from metrics.catalogue import Geography, Indicator
from metrics.charts.timeline import every_period as timeline
from metrics.dashboard import Shown
from metrics.export.labels import (
    ILLUSTRATIVE_NOTE,
    base_header,
    dimension_slug,
    file_stem,
    period_span,
    series_label,
    slug,
)
from metrics.series import MISSING_REASONS, Point
from metrics.verdicts import PlaceVerdict
from metrics.words import SUPPRESSED_CELL, dimension_label, lower_first, suppressed_note, verdict_word

Cell = str | int | float | dt.date | None


@dataclass(frozen=True)
class Column:
    """One column of a data file; `decimals` is set for numbers (the indicator's rounding)."""

    name: str
    decimals: int | None = None
    width: int | None = None


@dataclass(frozen=True)
class DataTable:
    """The data behind a chart or a table, with the header block a reader needs to use it safely."""

    title: str
    header: list[tuple[str, str]]  # (label, text): source, status of the statistics, data as at, ...
    columns: list[Column]
    rows: list[list[Cell]]
    file_stem: str = "data"
    sheet_name: str = "Data"
    notes: list[str] = field(default_factory=list)


def _missing_cell(missing: str | None) -> str:
    """A missing value as the GSS shorthand in the value cell: [c], [x] or [z]; never 0 or blank."""
    code = (missing or "x").strip("[]").lower()
    return f"[{code}]"


def _value_cell(indicator: Indicator, value: float | None, missing: str | None) -> Cell:
    if value is None:
        return _missing_cell(missing)
    decimals = value_decimals(indicator)
    rounded = round(float(value), decimals)
    return int(rounded) if decimals == 0 else rounded + 0.0  # + 0.0: no "-0.0"


def value_decimals(indicator: Indicator) -> int:
    """The decimals a value is shown with everywhere (format_value's rule): counts whole, money in pence."""
    if indicator.unit == "count":
        return 0
    if indicator.unit == "money":
        return 2
    return indicator.decimals


def value_heading(indicator: Indicator) -> str:
    """The value column's heading with its unit: "Value (%)", "Value (£)", "Value (people)"."""
    unit = {"percent": "%", "money": "£"}.get(indicator.unit, indicator.unit_label)
    return f"Value ({unit})"


def value_notes(is_missing: object, missing: str | None, derived: object, illustrative: object) -> list[str]:
    """Per value: missing and why, worked out from the seven, an illustrative sample value.

    A data file's Notes cell joins them; the board pack's table says them mid-sentence.
    """
    notes = []
    if is_missing:
        why = MISSING_REASONS.get((missing or "").strip("[]").lower())
        notes.append(f"Missing: {why}" if why else "Missing")
    if derived:
        notes.append("Worked out from the seven local authorities")
    if illustrative:
        notes.append(ILLUSTRATIVE_NOTE)
    return notes


def _point_note(p: Point) -> str:
    """One value's notes in its Notes cell."""
    return "; ".join(value_notes(p.value is None, p.missing, p.derived, p.illustrative))


def _legend_notes(rows: list[list[Cell]]) -> list[str]:
    used = {c for r in rows for c in r if isinstance(c, str) and re.fullmatch(r"\[[cxz]\]", c)}
    return [f"{code} = {MISSING_REASONS[code[1]]}" for code in sorted(used)]


def series_table(shown: Shown, as_at: dt.date | None) -> DataTable:
    """The numbers behind the Indicator page's chart: one row per period, rounded as the indicator says."""
    ind = shown.indicator
    d = value_decimals(ind)
    columns = [Column("Period", width=14), Column("Period start", width=12), Column("Period end", width=12)]
    columns.append(Column(value_heading(ind), decimals=d, width=14))
    share = ind.is_share and any(p.numerator is not None for p in shown.series)
    if share:
        columns += [
            Column(f"Numerator ({ind.numerator_label or 'count'})", decimals=0, width=18),
            Column(f"Denominator ({ind.denominator_label or 'count'})", decimals=0, width=18),
        ]
    intervals = any(p.interval is not None for p in shown.series)
    if intervals:  # a survey estimate's confidence interval, in the value's unit
        columns += [Column("Lower bound", decimals=d, width=12), Column("Upper bound", decimals=d, width=12)]
        columns.append(Column("Confidence level (%)", decimals=0, width=12))
    columns += [Column("Status of the figure", width=14), Column("Notes", width=48)]
    # England and the region (metrics.context.with_references), context beside the series: their figure
    # for the same period, in a column each.
    refs = [(r.place, {(p.start, p.end): p for p in r.series}) for r in shown.references]
    columns += [
        Column(f"{place.name} ({place.code}), for comparison", decimals=d, width=16) for place, _ in refs
    ]
    rows: list[list[Cell]] = []
    for label, start, end, p in timeline(shown):
        theirs: list[Cell] = [
            _value_cell(ind, q.value, q.missing) if (q := by.get((start, end))) else "[x]" for _, by in refs
        ]
        if p is None:
            row: list[Cell] = [label, start, end, "[x]"] + ([None, None] if share else [])
            row += [None, None, None] if intervals else []
            rows.append([*row, "", "No figure uploaded for this period", *theirs])
            continue
        row = [p.period, p.start, p.end, _value_cell(ind, p.value, p.missing)]
        if share:
            row += [
                None if p.numerator is None else round(p.numerator),
                None if p.denominator is None else round(p.denominator),
            ]
        if intervals:
            row += [p.lower, p.upper, p.confidence] if p.interval is not None else [None, None, None]
        row += [p.status.capitalize(), _point_note(p), *theirs]
        rows.append(row)
    span = period_span(shown.series)
    title = f"{ind.name}: {series_label(shown)}" + (f", {span}" if span else "")
    header = base_header(ind, series_label(shown), as_at, shown.illustrative)
    header.append(("Progress", shown.progress.sentence))  # word for word what `kpi show` and the pages say
    return DataTable(
        title=title,
        header=header,
        columns=columns,
        rows=rows,
        file_stem=file_stem(shown),
        notes=_legend_notes(rows),
    )


def _frame_note(r) -> str:
    """The notes on one row of a dashboard frame: missing, worked out, illustrative (when the frame says)."""
    is_missing = getattr(r, "period", True) and (r.value is None or r.value != r.value)
    notes = value_notes(
        is_missing,
        getattr(r, "missing", None),
        getattr(r, "derived", False),
        getattr(r, "illustrative", False),
    )
    return "; ".join(notes)


def places_table(
    indicator: Indicator,
    frame: pd.DataFrame,
    as_at: dt.date | None,
    illustrative: bool = False,
    places: Sequence[PlaceVerdict] | None = None,
    sentence: str | None = None,
    group: str = "The seven local authorities",
) -> DataTable:
    """The seven authorities' latest values (dashboard.place_comparison) as a data file.

    `places` are the authorities' own verdicts where the combined authority's verdict rests on
    them (Progress.places), and `sentence` that verdict: both are then written as `kpi show` says them.
    """
    d = value_decimals(indicator)
    frame = frame.astype(object).where(
        frame.notna(), None
    )  # NaN from frames put together (comparators) is None
    columns = [
        Column("Place", width=22),
        Column("ONS code", width=12),
        Column("Period", width=14),
        Column(value_heading(indicator), decimals=d, width=14),
        Column("Status of the figure", width=14),
    ]
    verdicts = {p.code: p for p in places or ()}
    if verdicts:
        columns.append(Column("Verdict", width=16))
    columns.append(Column("Notes", width=40))
    rows: list[list[Cell]] = []
    for r in frame.itertuples():
        value = None if r.value is None or r.value != r.value else float(r.value)
        row: list[Cell] = [
            r.place,
            r.code,
            r.period,
            _value_cell(indicator, value, r.missing) if r.period else "[x]",
            (r.status or "").capitalize(),
        ]
        if verdicts:
            pv = verdicts.get(r.code)
            row.append(verdict_word(pv.verdict) if pv else "")
        note = _frame_note(r) if r.period else "No figure uploaded"
        flag = getattr(r, "comparator", False)  # England or the region (metrics.context.reference_frame)
        if isinstance(flag, (bool, np.bool_)) and flag:
            note = "; ".join(n for n in ("For comparison: not one of the seven", note) if n)
        row.append(note)
        rows.append(row)
    header = base_header(indicator, group, as_at, illustrative)
    if sentence:
        header.append(("Progress", sentence))
    seven = group == "The seven local authorities"
    return DataTable(
        title=f"{indicator.name}: {lower_first(group) if seven else group}, latest period",
        header=header,
        columns=columns,
        rows=rows,
        file_stem=slug(indicator.id, "places")
        if seven
        else slug(indicator.id, "similar", frame["code"].iloc[0]),
        notes=_legend_notes(rows),
    )


def breakdown_table(
    indicator: Indicator,
    geography: Geography,
    dimension: str,
    frame: pd.DataFrame,
    as_at: dt.date | None,
    illustrative: bool = False,
) -> DataTable:
    """Every group of one breakdown by period (dashboard.breakdown_series) as a data file.

    The frame is already suppressed: a hidden group is `[c]` with the reason in its note and the key
    under the table, and no number of it reaches the file. Where groups carry confidence intervals
    (a survey estimate), the file gives each one's lower and upper bound and level.
    """
    d = value_decimals(indicator)
    label = dimension_label(dimension)
    ranged = "lower" in frame and bool((frame["lower"].notna() & frame["upper"].notna()).any())
    columns = [
        Column(label, width=24),
        Column("Period", width=14),
        Column(value_heading(indicator), decimals=d, width=14),
        *(  # as series_table writes a series' interval
            [Column("Lower bound", decimals=d, width=12), Column("Upper bound", decimals=d, width=12)]
            + [Column("Confidence level (%)", decimals=0, width=12)]
            if ranged
            else []
        ),
        Column("Status of the figure", width=14),
        Column("Notes", width=40),
    ]
    rows: list[list[Cell]] = []
    hidden_any = False
    for r in frame.itertuples():
        value = None if r.value is None or r.value != r.value else float(r.value)
        hidden = value is None and bool(getattr(r, "suppressed", False))
        hidden_any = hidden_any or hidden
        row: list[Cell] = [r.group, r.period, _value_cell(indicator, value, r.missing)]
        if ranged:
            bounds = [
                None if _gone(x) or value is None else _value_cell(indicator, x, None)
                for x in (r.lower, r.upper)
            ]
            row += [*bounds, None if _gone(r.confidence) or value is None else float(r.confidence)]
        note = _frame_note(r)
        if hidden:  # the reason a group is hidden, never which rule hid it (that would tell the two apart)
            note = "; ".join([SUPPRESSED_CELL, *value_notes(False, None, r.derived, r.illustrative)])
        rows.append([*row, (r.status or "").capitalize(), note])
    notes = _legend_notes(rows)
    if hidden_any:
        notes.append(suppressed_note(indicator))
    return DataTable(
        title=f"{indicator.name} by {lower_first(label)}: {geography.name}",
        header=base_header(indicator, geography.name, as_at, illustrative),
        columns=columns,
        rows=rows,
        file_stem=slug(indicator.id, geography.code, dimension_slug(dimension)),
        notes=notes,
    )


def _gone(x: object) -> bool:
    """No figure: None, NaN or pandas' missing marker."""
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


# --- a table a page shows ---------------------------------------------------------------------------


def _frame_cell(value: object) -> Cell:
    """One cell of a page's table: numbers and dates as they are, missing as empty, the rest as text."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(microsecond=0)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | dt.date):
        return value
    return str(value)


def frame_table(
    frame: pd.DataFrame,
    *,
    title: str,
    file_stem: str,
    header: list[tuple[str, str]] | None = None,
    sheet_name: str = "Data",
) -> DataTable:
    """A table a page shows, as a DataTable for the formula-safe CSV and Excel writers (`files`).

    Whole numbers stay numbers; everything people typed (file names, notes, scheme names) is text,
    which `files.safe_text` keeps from running as a formula ("=HYPERLINK(...)" gets a quote).
    """
    rows = [[_frame_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    columns = []
    for j, name in enumerate(frame.columns):
        whole = rows and all(isinstance(r[j], int) or r[j] is None for r in rows)
        width = max([len(str(name)), *(len(str(r[j])) for r in rows[:200] if r[j] is not None)])
        columns.append(Column(str(name), decimals=0 if whole else None, width=min(60, width + 2)))
    return DataTable(
        title=title,
        header=list(header or []),
        columns=columns,
        rows=rows,
        file_stem=file_stem,
        sheet_name=sheet_name,
    )
