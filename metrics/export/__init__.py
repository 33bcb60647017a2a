"""Files for board papers: chart images (PNG, SVG) and the data behind a chart or table (CSV, Excel).

Staff lift these straight into papers, so every file carries its own context (title,
place and period, source, the status of the statistics, "Data as at") and is the same
for the same data: the clock is `metrics.clock`, workbook metadata and zip entry times
are pinned to it, so a file built twice from the same store is byte for byte the same.

Charts are drawn by plotly's static export (kaleido 1.x) in the machine's Chromium.
Starting Chromium takes seconds, so one kaleido process is kept warm for the life of
the process (the app, or one `kpi export` run). Where there is no Chromium the chart
exports raise `NoChromium` with a plain message and everything else still works.
The board pack itself lives in `metrics.export_pack`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from metrics import clock
from metrics.catalogue import DIMENSION_LABELS, Geography, Indicator
from metrics.dashboard import Shown
from metrics.export.images import (
    CHART_FORMATS,
    CHART_SIZES,
    LINE_PX,
    TITLE_PAD_PX,
    ChartSize,
    chart_figure,
    chart_file_name,
    chart_image,
    paper_figure,
    render_figure,
)
from metrics.export.labels import (
    APP_NAME,
    ILLUSTRATIVE_NOTE,
    as_at_text,
    base_header,
    file_stem,
    period_span,
    series_label,
    slug,
)
from metrics.export.renderer import (
    CHROMIUM_NAMES,
    RENDER_TIMEOUT_S,
    SAFE_CHROMIUM,
    UNSAFE_FLAGS,
    NoChromium,
    RenderFailed,
    chromium_path,
    chromium_problem,
    render,
    renderer_running,
    stop_renderer,
    warm_up,
)
from metrics.series import MISSING_REASONS, Point
from metrics.verdicts import PlaceVerdict
from metrics.words import lower_first, verdict_word

__all__ = [  # from the modules below, for callers that say `export.NAME`
    "CHART_FORMATS",
    "CHART_SIZES",
    "LINE_PX",
    "TITLE_PAD_PX",
    "ChartSize",
    "chart_figure",
    "chart_file_name",
    "chart_image",
    "paper_figure",
    "render_figure",
    "APP_NAME",
    "ILLUSTRATIVE_NOTE",
    "as_at_text",
    "base_header",
    "file_stem",
    "period_span",
    "series_label",
    "slug",
    "CHROMIUM_NAMES",
    "RENDER_TIMEOUT_S",
    "SAFE_CHROMIUM",
    "UNSAFE_FLAGS",
    "NoChromium",
    "RenderFailed",
    "chromium_path",
    "chromium_problem",
    "render",
    "renderer_running",
    "stop_renderer",
    "warm_up",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


# --- data files ------------------------------------------------------------------------------------

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
    unit = {"percent": "%", "money": "£"}.get(indicator.unit, indicator.unit_label)
    return f"Value ({unit})"


def _point_note(p: Point) -> str:
    """Per value: missing and why, worked out from the seven, an illustrative sample value."""
    notes = []
    if p.value is None:
        why = MISSING_REASONS.get((p.missing or "").strip("[]").lower())
        notes.append(f"Missing: {why}" if why else "Missing")
    if p.derived:
        notes.append("Worked out from the seven local authorities")
    if p.illustrative:
        notes.append(ILLUSTRATIVE_NOTE)
    return "; ".join(notes)


def _legend_notes(rows: list[list[Cell]]) -> list[str]:
    used = {c for r in rows for c in r if isinstance(c, str) and re.fullmatch(r"\[[cxz]\]", c)}
    return [f"{code} = {MISSING_REASONS[code[1]]}" for code in sorted(used)]


def timeline(shown: Shown) -> list[tuple[str, dt.date, dt.date, Point | None]]:
    """Every period from the first to the last, with None where no figure was uploaded.

    The chart shows such a period as a gap and its table says "no figure"; the data
    file has the same rows, so a reader never mistakes a gap for the series ending.
    """
    from metrics import periods

    points = sorted(shown.series, key=lambda p: (p.start, p.end))
    if not points:
        return []
    ind = shown.indicator
    by_key = {(p.start, p.end): p for p in points}
    try:
        first = periods.Period(points[0].period, points[0].start, points[0].end)
        last = periods.Period(points[-1].period, points[-1].start, points[-1].end)
        every = periods.periods_between(first, last, ind.frequency, ind.year_type)
    except ValueError:
        every = []
    keys = {(q.start, q.end) for q in every}
    if not every or any(k not in keys for k in by_key):
        return [(p.period, p.start, p.end, p) for p in points]
    return [(q.label, q.start, q.end, by_key.get((q.start, q.end))) for q in every]


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
    columns += [Column("Status of the figure", width=14), Column("Notes", width=48)]
    rows: list[list[Cell]] = []
    for label, start, end, p in timeline(shown):
        if p is None:
            row: list[Cell] = [label, start, end, "[x]"] + ([None, None] if share else [])
            rows.append([*row, "", "No figure uploaded for this period"])
            continue
        row = [p.period, p.start, p.end, _value_cell(ind, p.value, p.missing)]
        if share:
            row += [
                None if p.numerator is None else round(p.numerator),
                None if p.denominator is None else round(p.denominator),
            ]
        row += [p.status.capitalize(), _point_note(p)]
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
    notes = []
    missing = getattr(r, "missing", None)
    if getattr(r, "period", True) and (r.value is None or r.value != r.value):
        why = MISSING_REASONS.get((missing or "").strip("[]").lower())
        notes.append(f"Missing: {why}" if why else "Missing")
    if getattr(r, "derived", False):
        notes.append("Worked out from the seven local authorities")
    if getattr(r, "illustrative", False):
        notes.append(ILLUSTRATIVE_NOTE)
    return "; ".join(notes)


def places_table(
    indicator: Indicator,
    frame,
    as_at: dt.date | None,
    illustrative: bool = False,
    places: Sequence[PlaceVerdict] | None = None,
    sentence: str | None = None,
) -> DataTable:
    """The seven authorities' latest values (dashboard.place_comparison) as a data file.

    `places` are the authorities' own verdicts where the combined authority's verdict rests on
    them (Progress.places), and `sentence` that verdict: both are then written as `kpi show` says them.
    """
    d = value_decimals(indicator)
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
        row.append(_frame_note(r) if r.period else "No figure uploaded")
        rows.append(row)
    header = base_header(indicator, "The seven local authorities", as_at, illustrative)
    if sentence:
        header.append(("Progress", sentence))
    return DataTable(
        title=f"{indicator.name}: the seven local authorities, latest period",
        header=header,
        columns=columns,
        rows=rows,
        file_stem=slug(indicator.id, "places"),
        notes=_legend_notes(rows),
    )


def breakdown_table(
    indicator: Indicator,
    geography: Geography,
    dimension: str,
    frame,
    as_at: dt.date | None,
    illustrative: bool = False,
) -> DataTable:
    """Every group of one breakdown by period (dashboard.breakdown_series) as a data file."""
    d = value_decimals(indicator)
    label = DIMENSION_LABELS.get(dimension, dimension)
    columns = [
        Column(label, width=24),
        Column("Period", width=14),
        Column(value_heading(indicator), decimals=d, width=14),
        Column("Status of the figure", width=14),
        Column("Notes", width=40),
    ]
    rows: list[list[Cell]] = []
    for r in frame.itertuples():
        value = None if r.value is None or r.value != r.value else float(r.value)
        rows.append(
            [
                r.group,
                r.period,
                _value_cell(indicator, value, r.missing),
                (r.status or "").capitalize(),
                _frame_note(r),
            ]
        )
    return DataTable(
        title=f"{indicator.name} by {lower_first(label)}: {geography.name}",
        header=base_header(indicator, geography.name, as_at, illustrative),
        columns=columns,
        rows=rows,
        file_stem=slug(indicator.id, geography.code, dimension),
        notes=_legend_notes(rows),
    )


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
    if fmt not in DATA_FORMATS:
        raise ValueError(f"Data can be saved as csv or xlsx, not '{fmt}'.")
    return DATA_FORMATS[fmt](table)
