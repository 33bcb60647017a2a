"""The checks of an indicator-value row: its indicator, place, period, breakdown, value and note.

Every problem in a row is found (not only the first) and reported with its line, column and the
value as written, so an analyst fixes a file in one pass. The rows that pass become the staged
frame the writer classifies against the store. The period and digit checks here are shared with
the action-status rows (metrics/upload/statuses.py).
"""

from __future__ import annotations

import datetime as dt
import difflib

import pandas as pd
import pyarrow as pa

from metrics.catalogue import DIMENSIONS, Catalogue, Indicator
from metrics.periods import Period, PeriodError, describe_form, parse_period
from metrics.upload.bounds import BOUND_COLUMNS, check_bounds
from metrics.upload.numbers import DIGITS_ONLY, foreign_digits
from metrics.upload.numbers import read_number as _number
from metrics.upload.numbers import unit_problem as _unit_problem
from metrics.upload.report import Problem, Problems, Report
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
    *BOUND_COLUMNS,
)
REQUIRED_VALUE_COLUMNS = ("indicator_id", "period", "geography")
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
    *BOUND_COLUMNS,
)
MISSING_SYMBOLS = {"c": "c", "x": "x", "z": "z", "[c]": "c", "[x]": "x", "[z]": "z", "..": "x"}
NOTE_LIMIT = 500
AGREEMENT_POINTS = 0.1
BREAKDOWN_VALUE_LIMIT = 200

Records = list[tuple[int, list[str]]]  # (line number, the row's values as written)


# ---------------------------------------------------------------- the rows


def check_value_rows(  # one pass over up to a million rows: the hot path stays inline
    header: list[str],
    records: Records,
    catalogue: Catalogue,
    today: dt.date,
    report: Report,
    *,
    repeats: bool = True,
) -> pd.DataFrame:
    """Check every value row, adding its problems to the report; the rows that pass, staged for writing.

    With `repeats` False a key met twice is not a problem here: the caller finds repeats across these
    rows and others (metrics/upload/setcheck.py).
    """
    width = len(header)
    i_ind, i_geo, i_per, i_val, i_num, i_den, i_dim, i_bval, i_status, i_note, i_low, i_up, i_conf = (
        _positions(header)
    )
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
            errors.append(width_problem(line, len(fields), width, also="a missing value"))
            continue
        f = [x.strip() for x in fields]
        f.append("")
        before = errors.total
        iid = f[i_ind]
        indicator = by_id.get(iid)
        if indicator is None:
            errors.append(_indicator_problem(line, iid, ids))

        geo_text = f[i_geo]
        code = geo_cache.get(geo_text, "?")
        if code == "?":
            g = catalogue.resolve_place(geo_text) if geo_text else None
            code = geo_cache[geo_text] = g.code if g else None
        if code is None:
            errors.append(_place_problem(line, geo_text, catalogue))

        period = None
        if indicator is not None:
            period = row_period(line, f[i_per], indicator, today, errors)

        dim_raw = f[i_dim]
        bval = clean_text(f[i_bval]) if not f[i_bval].isprintable() else f[i_bval]
        dim = dim_raw.lower().replace(" ", "_").replace("-", "_") if dim_raw else ""
        if dim or bval:
            bval = breakdown_group(line, dim_raw, dim, bval, indicator, catalogue, groups, errors)

        status_text = f[i_status].lower()
        if status_text not in ("", "provisional", "final"):
            errors.append(Problem(line, "status", f[i_status], "Enter the status as provisional or final."))
        status = status_text or "provisional"

        note = f[i_note]
        if not note.isprintable():
            note = clean_text(note)  # control characters would break a Word pack that quotes it
        if len(note) > NOTE_LIMIT:
            errors.append(_long_note_problem(line, note))

        value = numerator = denominator = None
        missing = None
        bounds: tuple[float | None, float | None, float | None] = (None, None, None)
        if indicator is not None:
            value, numerator, denominator, missing = _check_value(
                f[i_val], f[i_num], f[i_den], indicator, line, report
            )
            if f[i_low] or f[i_up] or f[i_conf]:
                bounds = check_bounds((f[i_low], f[i_up], f[i_conf]), value, missing, indicator, line, report)

        if errors.total > before or indicator is None or period is None or code is None:
            continue
        key = (iid, period.start, period.end, code, dim, bval)
        first = seen.get(key) if repeats else None
        if first is not None:
            errors.append(repeat_problem(line, first))
            continue
        if repeats:
            seen[key] = line
        append(
            (line, iid, code, period.label, period.start, period.end, dim, bval)
            + (value, numerator, denominator, missing, status, note or None)
            + bounds
        )
    return staged_frame(out, STAGED_VALUE_COLUMNS)


def _positions(header: list[str]) -> tuple[int, ...]:
    """Each column's position, in the order the row check unpacks them.

    An absent optional column points at the empty cell added to the end of every row.
    """
    width = len(header)
    pos = {name: header.index(name) if name in header else width for name in VALUE_COLUMNS}
    order = ("indicator_id", "geography", "period", "value", "numerator", "denominator")
    rest = ("breakdown_dimension", "breakdown_value", "status", "note", *BOUND_COLUMNS)
    return tuple(pos[name] for name in order + rest)


def _indicator_problem(line: int, iid: str, ids: list[str]) -> Problem:
    message = (
        "Enter an indicator id from the catalogue, as the upload template writes it."
        if not iid
        else f"'{iid}' is not in the indicator catalogue. Use an id as the upload template writes it."
        + suggest(iid, ids)
    )
    return Problem(line, "indicator_id", iid, message)


def _place_problem(line: int, geo_text: str, catalogue: Catalogue) -> Problem:
    names = ", ".join(g.name for g in catalogue.geographies)
    return Problem(
        line,
        "geography",
        geo_text,
        f"Enter a place as an ONS code (like E08000025) or one of these names: {names}."
        if not geo_text
        else f"'{geo_text}' is not one of the eight places or a declared comparator. Use an ONS code (like "
        f"E08000025) or one of these names: {names}; or a comparator from data/comparators.yaml, such as "
        "England (E92000001) or West Midlands region (E12000005).",
    )


def row_period(
    line: int, period_text: str, indicator: Indicator, today: dt.date, errors: Problems
) -> Period | None:
    """The row's period for its indicator, or None with the problem added."""
    if not period_text:
        errors.append(Problem(line, "period", "", "Enter the period, for example 2023-24 Q1."))
    elif foreign_digits(period_text):
        errors.append(Problem(line, "period", period_text, DIGITS_ONLY.format(period_text)))
    else:
        try:
            return parse_period(period_text, indicator.frequency, indicator.year_type, today)
        except PeriodError as exc:
            errors.append(Problem(line, "period", period_text, period_message(exc, indicator.id, indicator)))
    return None


def _long_note_problem(line: int, note: str) -> Problem:
    return Problem(
        line, "note", note, f"Shorten the note to {NOTE_LIMIT} characters or fewer (it has {len(note)})."
    )


def repeat_problem(line: int, first: int) -> Problem:
    return Problem(
        line,
        None,
        None,
        f"This row repeats line {first}: the same indicator, period, place and breakdown. "
        "Keep one of the two rows.",
    )


def breakdown_group(
    line: int,
    dim_raw: str,
    dim: str,
    bval: str,
    indicator: Indicator | None,
    catalogue: Catalogue,
    groups: dict[str, dict[str, str]],
    errors: Problems,
) -> str:
    """The breakdown's group as declared (Female, female and FEMALE are one group), problems added."""
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
                    f"'{bval}' is not a group of {dim_raw}. Use one of: {', '.join(catalogue.groups[dim])}.",
                )
            )
        else:
            return declared
    return bval


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


# ---------------------------------------------------------------- shared with action-status rows


def width_problem(line: int, found: int, width: int, also: str | None = None) -> Problem:
    """A row with more or fewer values than the header has columns; `also` names another likely cause."""
    return Problem(
        line,
        None,
        None,
        f"Line {line} has {found} values but the header has {width} columns. Check for a "
        f"comma inside a value that is not in double quotes{f', or {also}' if also else ''}.",
    )


def staged_frame(rows: list[tuple], columns: tuple[str, ...]) -> pd.DataFrame:
    """Checked rows as a frame whose dates are real dates, so DuckDB scans them without conversion."""
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for col in ("period_start", "period_end"):
        frame[col] = pd.Series(
            pa.array(frame[col].tolist(), type=pa.date32()),
            dtype=pd.ArrowDtype(pa.date32()),
            index=frame.index,
        )
    return frame


def period_message(exc: PeriodError, who: str, indicator: Indicator | None) -> str:
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


def suggest(text: str, options: list[str]) -> str:
    close = difflib.get_close_matches(text, options, n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


# ---------------------------------------------------------------- one value


def _check_value(
    value_text: str, num_text: str, den_text: str, indicator: Indicator, line: int, report: Report
) -> tuple[float | None, float | None, float | None, str | None]:
    """The row's value, numerator, denominator and missing-value symbol; None where there is a problem."""
    errors = report.errors
    value = numerator = denominator = None
    missing = MISSING_SYMBOLS.get(value_text.lower())
    has_pair = bool(num_text or den_text)
    settled = _settled_by_shape(value_text, num_text, den_text, missing, has_pair, indicator, line, errors)
    if settled is not None:
        return settled
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
            value = _check_share(
                value, value_text, numerator, denominator, (num_text, den_text), indicator, line, errors
            )
    return value, numerator, denominator, None


def _settled_by_shape(
    value_text: str,
    num_text: str,
    den_text: str,
    missing: str | None,
    has_pair: bool,
    indicator: Indicator,
    line: int,
    errors: Problems,
) -> tuple[None, None, None, str | None] | None:
    """The row's result when which cells are filled settles it (a pair where none belongs, half a pair,
    a missing-value symbol, nothing at all), with its problem added; None when the numbers decide."""
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
    return None


def _check_share(
    value: float | None,
    value_text: str,
    numerator: float,
    denominator: float,
    pair_text: tuple[str, str],
    indicator: Indicator,
    line: int,
    errors: Problems,
) -> float | None:
    """A share's numerator against its denominator, and the value against the two; the value to keep.

    With no value given, the share worked out from the pair is the value.
    """
    num_text, den_text = pair_text
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
    return value
