"""Period text to a real date range, as the upload contract's *Periods* section sets out.

Every value is stored against the start and end dates of its period, so that
financial (April to March), academic (August to July) and calendar periods line
up on one time axis. An indicator's frequency (month, quarter, year) and year
type fix which date ranges are its periods; a text is accepted when it names one
of them in a written form of the contract, whichever form that is.

Texts the contract does not accept but an analyst plainly meant as dates
("Q3 2023", "Jul-Sep 2023", "FY2023/24", "June 2023", "2023-06-30") are still
read, only to suggest the right label in the error message.

Nothing here calls ``datetime.now()``: today is passed in, so checks and tests
are repeatable.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from metrics.errors import KpiError

FREQUENCIES = ("month", "quarter", "year")
YEAR_TYPES = ("financial", "academic", "calendar")

# The month (1-12) in which each type of year starts; its quarters start every
# third month from there.
_YEAR_START = {"financial": 4, "academic": 8, "calendar": 1}
_SPAN = {"month": 1, "quarter": 3, "year": 12}
_SPLIT_YEARS = ("financial", "academic")  # years written 2023-24

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# "JUN", "JUNE", "SEPT", "SEPTEMBER"...: any start of a month's name, 3 letters or more.
_MONTH_BY_PREFIX = {
    name[:n].upper(): number
    for number, name in enumerate(MONTH_NAMES, start=1)
    for n in range(3, len(name) + 1)
}

_MESSAGE_TEXT_LIMIT = 60  # a pasted paragraph should not swamp the report


@dataclass(frozen=True)
class Period:
    """One period of an indicator; ``label`` is always the canonical form, e.g. "2023-24 Q1"."""

    label: str
    start: dt.date
    end: dt.date


class PeriodError(KpiError, ValueError):
    """A period text the indicator cannot take; str() is the whole message for the analyst."""


# ---------------------------------------------------------------------------
# Indicator shape: which date ranges are its periods
# ---------------------------------------------------------------------------


def _kind(frequency: str, year_type: str | None) -> tuple[str, str | None]:
    """Check the catalogue's frequency and year type; a month has no year type.

    A bad pair is a programming or catalogue error, not the analyst's, so it is a
    plain ValueError rather than a PeriodError.
    """
    if frequency == "month":
        return "month", None
    if frequency in _SPAN:
        if year_type in _YEAR_START:
            return frequency, year_type
        raise ValueError(
            f"A {frequency} indicator needs a year type (financial, academic or calendar), not {year_type!r}."
        )
    raise ValueError(f"Unknown frequency {frequency!r}: expected month, quarter or year.")


def _month_index(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def _first_of(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _last_before(index: int) -> dt.date:
    """The day before the first of month ``index``: the end of a period, even the last one in 9999."""
    return dt.date.max if index == 10000 * 12 else _first_of(index) - dt.timedelta(days=1)


def _split_year_label(first_year: int) -> str:
    return f"{first_year:04d}-{(first_year + 1) % 100:02d}"


@lru_cache(maxsize=4096)
def _build(start_index: int, frequency: str, year_type: str | None) -> Period:
    """The period starting at month ``start_index`` (already aligned), with its canonical label."""
    start = _first_of(start_index)
    end = _last_before(start_index + _SPAN[frequency])
    if frequency == "month":
        label = f"{start.year:04d}-{start.month:02d}"
    elif year_type == "calendar":
        label = (
            f"{start.year:04d}" if frequency == "year" else f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
        )
    else:
        first_month = _YEAR_START[year_type]  # type: ignore[index]
        first_year = start.year if start.month >= first_month else start.year - 1
        label = _split_year_label(first_year)
        if frequency == "quarter":
            label += f" Q{(start.month - first_month) % 12 // 3 + 1}"
    return Period(label, start, end)


def _containing(d: dt.date, frequency: str, year_type: str | None) -> Period:
    span = _SPAN[frequency]
    first_month = 1 if frequency == "month" else _YEAR_START[year_type]  # type: ignore[index]
    index = _month_index(d)
    return _build(index - (index - (first_month - 1)) % span, frequency, year_type)


def period_for_date(d: dt.date, frequency: str, year_type: str | None) -> Period:
    """The indicator's period that contains ``d``: where a dated event falls on its time axis."""
    frequency, year_type = _kind(frequency, year_type)
    return _containing(d, frequency, year_type)


def next_period(p: Period, frequency: str, year_type: str | None) -> Period:
    """The period straight after ``p``; stepping from the day after its end keeps year boundaries right."""
    return period_for_date(p.end + dt.timedelta(days=1), frequency, year_type)


def previous_period(p: Period, frequency: str, year_type: str | None) -> Period:
    """The period straight before ``p``, e.g. to find the baseline or last quarter's value."""
    return period_for_date(p.start - dt.timedelta(days=1), frequency, year_type)


def periods_between(first: Period, last: Period, frequency: str, year_type: str | None) -> list[Period]:
    """Every period from ``first`` to ``last`` inclusive, so gaps in a series show as missing, not closed up.

    Empty when ``last`` comes before ``first``.
    """
    frequency, year_type = _kind(frequency, year_type)
    span = _SPAN[frequency]
    current = _containing(first.start, frequency, year_type)
    stop = _month_index(last.start)
    index = _month_index(current.start)
    periods = []
    while index <= stop:
        periods.append(_build(index, frequency, year_type))
        index += span
    return periods


def _form_name(frequency: str, year_type: str | None) -> str:
    return "month" if frequency == "month" else f"{year_type} {frequency}"


_EXAMPLES = {
    ("month", None): "2023-06",
    ("quarter", "financial"): "2023-24 Q1",
    ("quarter", "academic"): "2023-24 Q1",
    ("quarter", "calendar"): "2023-Q2",
    ("year", "financial"): "2023-24",
    ("year", "academic"): "2023-24",
    ("year", "calendar"): "2023",
}


def describe_form(frequency: str, year_type: str | None) -> str:
    """The indicator's form with an example, e.g. "financial quarter, for example 2023-24 Q1", for help text."""
    frequency, year_type = _kind(frequency, year_type)
    return f"{_form_name(frequency, year_type)}, for example {_EXAMPLES[frequency, year_type]}"


def year_fraction(d: dt.date) -> float:
    """``d`` in decimal years (2023-07-01 is about 2023.5), so progress maths can draw straight lines in time."""
    jan1 = dt.date(d.year, 1, 1)
    days_in_year = (dt.date(d.year + 1, 1, 1) - jan1).days
    return d.year + (d - jan1).days / days_in_year


def long_date(d: dt.date) -> str:
    """GOV.UK style date, e.g. "26 November 2026"; no leading zero, no locale dependence."""
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def month_year(d: dt.date) -> str:
    """A month in words, e.g. "March 2023", for projected dates that are not known to the day."""
    return f"{MONTH_NAMES[d.month - 1]} {d.year}"


# ---------------------------------------------------------------------------
# Reading text. A reading is a date range (start, end), or None.
# ---------------------------------------------------------------------------

Range = tuple[dt.date, dt.date]

_STRICT_SPLIT_QUARTER = re.compile(r"(\d{4})[-/](\d{2}) Q([1-4])")
_STRICT_CALENDAR_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_STRICT_PAIR = re.compile(r"(\d{4})([-/])(\d{2})")
_STRICT_YEAR = re.compile(r"\d{4}")

_PREFIX = r"(FY|AY|FINANCIAL YEAR|ACADEMIC YEAR)"
_YEARS = rf"(?:{_PREFIX} ?)?(\d{{4}}|\d{{2}})[-/](\d{{4}}|\d{{2}})"
_LENIENT_NUMERIC_PAIR = re.compile(r"(\d{4})[-/](\d{1,2})")  # 2009-10: a month or a year
_LENIENT_YEARS = re.compile(_YEARS)  # FY2023/24, 2023/2024, AY 23-24
_LENIENT_QUARTER_OF_YEARS = (re.compile(rf"Q([1-4])[ -]?{_YEARS}"), re.compile(rf"{_YEARS}[ -]?Q([1-4])"))
_LENIENT_CALENDAR_QUARTER = (re.compile(r"Q([1-4])[ -]?(\d{4})"), re.compile(r"(\d{4})[ -]?Q([1-4])"))
_LENIENT_NAMED_MONTH = re.compile(r"([A-Z]{3,9})[ -]?(\d{4}|\d{2})")  # June 2023, Jun-23
_LENIENT_NUMERIC_MONTH = re.compile(r"(\d{1,2})/(\d{4})")  # 06/2023
_LENIENT_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_LENIENT_UK_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_LENIENT_NAMED_DATE = re.compile(r"(\d{1,2})(?:ST|ND|RD|TH)?[ -]?([A-Z]{3,9})[ -]?(\d{4}|\d{2})")
_LENIENT_MONTH_SPAN = re.compile(r"([A-Z]{3,9})-([A-Z]{3,9})[ -]?(\d{4}|\d{2})")  # Jul-Sep 2023
_RANGE_SEPARATOR = re.compile(r" (?:TO|-) ")


def _months(start_index: int, count: int) -> Range:
    return _first_of(start_index), _last_before(start_index + count)


def _split_year_start(first: str, second: str) -> int | None:
    """The first calendar year of a year written across two (2023-24, 2023/2024, 23/24), if consecutive."""
    a = int(first) + (2000 if len(first) == 2 else 0)
    b = int(second)
    if len(second) == 2:
        return a if b == (a + 1) % 100 else None
    return a if b == a + 1 else None


def _quarter_of_year(first_year: int, quarter: int, year_type: str) -> Range:
    return _months(first_year * 12 + _YEAR_START[year_type] - 1 + 3 * (quarter - 1), 3)


def _year_of_type(first_year: int, year_type: str) -> Range:
    return _months(first_year * 12 + _YEAR_START[year_type] - 1, 12)


def _strict_range(t: str, frequency: str, year_type: str | None) -> Range | None:
    """Read the written forms of the contract table; the indicator's frequency settles 2009-10."""
    if m := _STRICT_SPLIT_QUARTER.fullmatch(t):
        first_year = _split_year_start(m[1], m[2])
        if first_year is None or year_type not in _SPLIT_YEARS:
            return None  # a 2023-24 year only exists for a financial or academic indicator
        return _quarter_of_year(first_year, int(m[3]), year_type)  # type: ignore[arg-type]
    if m := _STRICT_CALENDAR_QUARTER.fullmatch(t):
        return _quarter_of_year(int(m[1]), int(m[2]), "calendar")
    if m := _STRICT_PAIR.fullmatch(t):
        if frequency == "month" and m[2] == "-":
            month = int(m[3])
            return _months(int(m[1]) * 12 + month - 1, 1) if 1 <= month <= 12 else None
        first_year = _split_year_start(m[1], m[3])
        if first_year is None or year_type not in _SPLIT_YEARS:
            return None
        return _year_of_type(first_year, year_type)  # type: ignore[arg-type]
    if _STRICT_YEAR.fullmatch(t):
        return _year_of_type(int(t), "calendar")
    return None


def _year_type_from(prefix: str | None, year_type: str | None) -> str | None:
    """FY or AY says which year; without one a 2023-24 year is the indicator's own, if it has such years."""
    if prefix:
        return "financial" if prefix[0] == "F" else "academic"
    return year_type if year_type in _SPLIT_YEARS else None


def _full_year(text: str) -> int:
    return int(text) + (2000 if len(text) == 2 else 0)


def _single_range(t: str, frequency: str, year_type: str | None) -> Range | None:
    """Read one lenient form that names a date range on its own."""
    if m := _LENIENT_NUMERIC_PAIR.fullmatch(t):
        year, second = int(m[1]), m[2]
        is_month = 1 <= int(second) <= 12
        first_year = _split_year_start(m[1], second) if len(second) == 2 else None
        if is_month and (frequency == "month" or first_year is None):
            return _months(year * 12 + int(second) - 1, 1)
        split_type = _year_type_from(None, year_type)
        return _year_of_type(first_year, split_type) if first_year is not None and split_type else None
    if m := _LENIENT_YEARS.fullmatch(t):
        if m[1] is None and len(m[2]) == 2:
            return None  # "23/24" alone is too loose to read
        first_year = _split_year_start(m[2], m[3])
        split_type = _year_type_from(m[1], year_type)
        return _year_of_type(first_year, split_type) if first_year is not None and split_type else None
    for pattern in _LENIENT_QUARTER_OF_YEARS:
        if m := pattern.fullmatch(t):
            quarter, prefix, first, second = (
                (m[1], m[2], m[3], m[4]) if t[0] == "Q" else (m[4], m[1], m[2], m[3])
            )
            if prefix is None and len(first) == 2:
                return None
            first_year = _split_year_start(first, second)
            split_type = _year_type_from(prefix, year_type)
            if first_year is None or split_type is None:
                return None
            return _quarter_of_year(first_year, int(quarter), split_type)
    for pattern in _LENIENT_CALENDAR_QUARTER:
        if m := pattern.fullmatch(t):
            quarter, year = (m[1], m[2]) if t[0] == "Q" else (m[2], m[1])
            return _quarter_of_year(int(year), int(quarter), "calendar")
    if (m := _LENIENT_NAMED_MONTH.fullmatch(t)) and (month := _MONTH_BY_PREFIX.get(m[1])):
        return _months(_full_year(m[2]) * 12 + month - 1, 1)
    if m := _LENIENT_NUMERIC_MONTH.fullmatch(t):
        month = int(m[1])
        return _months(int(m[2]) * 12 + month - 1, 1) if 1 <= month <= 12 else None
    day: dt.date | None = None
    if m := _LENIENT_ISO_DATE.fullmatch(t):
        day = _date_or_none(int(m[1]), int(m[2]), int(m[3]))
    elif m := _LENIENT_UK_DATE.fullmatch(t):
        day = _date_or_none(_full_year(m[3]), int(m[2]), int(m[1]))
    elif (m := _LENIENT_NAMED_DATE.fullmatch(t)) and (month := _MONTH_BY_PREFIX.get(m[2])):
        day = _date_or_none(_full_year(m[3]), month, int(m[1]))
    elif _STRICT_YEAR.fullmatch(t):
        return _year_of_type(int(t), "calendar")
    return (day, day) if day else None


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _joined_range(first: str, last: str, frequency: str, year_type: str | None) -> Range | None:
    """A range written as two ends ("Jul-Sep 2023", "Nov 2023 to Jan 2024").

    A bare first month takes its year from the end, the year before when it comes
    later in the year: "Nov-Jan 2024" is November 2023 to January 2024, as ONS writes it.
    """
    end = _single_range(last, frequency, year_type)
    if end is None:
        return None
    if month := _MONTH_BY_PREFIX.get(first):
        start = dt.date(end[0].year if month <= end[0].month else end[0].year - 1, month, 1)
    else:
        begins = _single_range(first, frequency, year_type)
        if begins is None:
            return None
        start = begins[0]
    return (start, end[1]) if start <= end[1] else None


def _lenient_range(t: str, frequency: str, year_type: str | None) -> Range | None:
    """Read the forms an analyst might write that the contract does not take, to suggest the right one."""
    t = t.replace("\u2013", "-").replace("\u2014", "-")
    try:
        ends = _RANGE_SEPARATOR.split(t, maxsplit=1)
        if len(ends) == 2:
            return _joined_range(ends[0], ends[1], frequency, year_type)
        if m := _LENIENT_MONTH_SPAN.fullmatch(t):
            return _joined_range(m[1], f"{m[2]} {m[3]}", frequency, year_type)
        return _single_range(t, frequency, year_type)
    except (ValueError, OverflowError):  # year 0 or beyond 9999: not a range we can name
        return None


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


def _matching(reading: Range, frequency: str, year_type: str | None) -> Period | None:
    """The indicator's period with exactly this date range, if there is one."""
    period = _containing(reading[0], frequency, year_type)
    return period if period.start == reading[0] and period.end == reading[1] else None


def _form_message(shown: str, reading: Range | None, frequency: str, year_type: str | None) -> str:
    form = _form_name(frequency, year_type)
    if not shown:
        return f"Enter the period, written as {_with_article(describe_form(frequency, year_type))}."
    if len(shown) > _MESSAGE_TEXT_LIMIT:
        shown = shown[: _MESSAGE_TEXT_LIMIT - 1] + "\u2026"
    tail = f": '{shown}' is not a period this indicator takes."
    if reading is not None:
        try:
            covering = _containing(reading[0], frequency, year_type)
        except (ValueError, OverflowError):
            covering = None
        if covering is not None and covering.end >= reading[1]:
            return f"Write the period as {covering.label} ({form}){tail}"
    return f"Write the period as {_with_article(describe_form(frequency, year_type))}{tail}"


def _with_article(phrase: str) -> str:
    return ("an " if phrase[0] in "aeiou" else "a ") + phrase


@lru_cache(maxsize=4096)
def _outcome(text: str, frequency: str, year_type: str | None, today: dt.date) -> Period | str:
    """The period a text names, or the message rejecting it; memoised so bad rows stay cheap too."""
    frequency, year_type = _kind(frequency, year_type)
    shown = text.strip()
    t = " ".join(shown.upper().split())
    try:
        reading = _strict_range(t, frequency, year_type)
    except (ValueError, OverflowError):  # year 0000, 9999-00...
        reading = None
    period = _matching(reading, frequency, year_type) if reading else None
    if period is None:
        return _form_message(shown, reading or _lenient_range(t, frequency, year_type), frequency, year_type)
    if period.start > today:
        return f"'{shown}' starts after today ({long_date(today)}). Enter a period that has started."
    return period


@lru_cache(maxsize=4096)
def parse_period(text: str, frequency: str, year_type: str | None, today: dt.date) -> Period:
    """The indicator's period that ``text`` names, under its canonical label, or a PeriodError saying what to write.

    Accepts the contract's written forms (2023-24 Q1, 2023/24 Q1, 2023-Q2, 2023-24,
    2023/24, 2023, 2023-06), any case, surrounding spaces ignored, whenever the
    range they name is one of the indicator's periods. Memoised: an upload repeats
    the same few texts on up to a million rows. lru_cache keeps only what is
    returned, so a rejection's message is memoised one level down in ``_outcome``.
    """
    outcome = _outcome(text, frequency, year_type, today)
    if isinstance(outcome, str):
        raise PeriodError(outcome)  # a fresh exception each time: a reused one would grow its traceback
    return outcome
