"""Period text to date ranges, as the upload contract's *Periods* section promises analysts.

Every test states something an analyst or a chart relies on: which dates a label
covers, which texts an indicator takes, and what the error tells them to write.
"""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.periods import (
    Period,
    PeriodError,
    describe_form,
    next_period,
    parse_period,
    period_for_date,
    periods_between,
    previous_period,
    year_fraction,
)

D = dt.date
TODAY = D(2026, 11, 26)


def parse(text: str, frequency: str, year_type: str | None, today: dt.date = TODAY) -> Period:
    return parse_period(text, frequency, year_type, today)


def rejection(text: str, frequency: str, year_type: str | None, today: dt.date = TODAY) -> str:
    with pytest.raises(PeriodError) as caught:
        parse_period(text, frequency, year_type, today)
    return str(caught.value)


# --- Every row of the contract table, for each year type, with exact dates -----------------------


@pytest.mark.parametrize(
    ("text", "year_type", "label", "start", "end"),
    [
        # financial quarters: April to March
        ("2023-24 Q1", "financial", "2023-24 Q1", D(2023, 4, 1), D(2023, 6, 30)),
        ("2023-24 Q2", "financial", "2023-24 Q2", D(2023, 7, 1), D(2023, 9, 30)),
        ("2023-24 Q3", "financial", "2023-24 Q3", D(2023, 10, 1), D(2023, 12, 31)),
        ("2023-24 Q4", "financial", "2023-24 Q4", D(2024, 1, 1), D(2024, 3, 31)),
        ("2023/24 Q1", "financial", "2023-24 Q1", D(2023, 4, 1), D(2023, 6, 30)),
        ("2023/24 Q4", "financial", "2023-24 Q4", D(2024, 1, 1), D(2024, 3, 31)),
        # academic quarters: August to July; Q2 spans the turn of the year
        ("2023-24 Q1", "academic", "2023-24 Q1", D(2023, 8, 1), D(2023, 10, 31)),
        ("2023-24 Q2", "academic", "2023-24 Q2", D(2023, 11, 1), D(2024, 1, 31)),
        ("2023-24 Q3", "academic", "2023-24 Q3", D(2024, 2, 1), D(2024, 4, 30)),
        ("2023-24 Q4", "academic", "2023-24 Q4", D(2024, 5, 1), D(2024, 7, 31)),
        ("2023/24 Q2", "academic", "2023-24 Q2", D(2023, 11, 1), D(2024, 1, 31)),
        # calendar quarters
        ("2023-Q1", "calendar", "2023-Q1", D(2023, 1, 1), D(2023, 3, 31)),
        ("2023-Q2", "calendar", "2023-Q2", D(2023, 4, 1), D(2023, 6, 30)),
        ("2023-Q3", "calendar", "2023-Q3", D(2023, 7, 1), D(2023, 9, 30)),
        ("2023-Q4", "calendar", "2023-Q4", D(2023, 10, 1), D(2023, 12, 31)),
        # a calendar quarter written for a financial-quarter indicator: same three months
        ("2023-Q2", "financial", "2023-24 Q1", D(2023, 4, 1), D(2023, 6, 30)),
        ("2023-Q3", "financial", "2023-24 Q2", D(2023, 7, 1), D(2023, 9, 30)),
        ("2023-Q4", "financial", "2023-24 Q3", D(2023, 10, 1), D(2023, 12, 31)),
        ("2024-Q1", "financial", "2023-24 Q4", D(2024, 1, 1), D(2024, 3, 31)),
    ],
)
def test_quarter_forms_name_exact_dates(text, year_type, label, start, end):
    assert parse(text, "quarter", year_type) == Period(label, start, end)


@pytest.mark.parametrize(
    ("text", "year_type", "label", "start", "end"),
    [
        ("2023-24", "financial", "2023-24", D(2023, 4, 1), D(2024, 3, 31)),
        ("2023/24", "financial", "2023-24", D(2023, 4, 1), D(2024, 3, 31)),
        ("2023-24", "academic", "2023-24", D(2023, 8, 1), D(2024, 7, 31)),
        ("2023/24", "academic", "2023-24", D(2023, 8, 1), D(2024, 7, 31)),
        ("2023", "calendar", "2023", D(2023, 1, 1), D(2023, 12, 31)),
        ("1999-00", "financial", "1999-00", D(1999, 4, 1), D(2000, 3, 31)),  # across the century
    ],
)
def test_year_forms_name_exact_dates(text, year_type, label, start, end):
    assert parse(text, "year", year_type) == Period(label, start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2023-06", D(2023, 6, 1), D(2023, 6, 30)),
        ("2023-01", D(2023, 1, 1), D(2023, 1, 31)),
        ("2023-12", D(2023, 12, 1), D(2023, 12, 31)),
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),  # leap year
        ("2000-02", D(2000, 2, 1), D(2000, 2, 29)),  # divisible by 400: leap
        ("1900-02", D(1900, 2, 1), D(1900, 2, 28)),  # divisible by 100 only: not leap
    ],
)
def test_month_form_names_exact_dates(text, start, end):
    assert parse(text, "month", None) == Period(text, start, end)


@pytest.mark.parametrize(
    ("text", "frequency", "year_type", "label"),
    [
        ("2023-24 q1", "quarter", "financial", "2023-24 Q1"),
        ("  2023/24 Q3\t", "quarter", "academic", "2023-24 Q3"),
        ("2023-q2", "quarter", "calendar", "2023-Q2"),
        (" 2023-q2 ", "quarter", "financial", "2023-24 Q1"),
        (" 2023/24 ", "year", "financial", "2023-24"),
        (" 2023 ", "year", "calendar", "2023"),
        (" 2023-06 ", "month", None, "2023-06"),
    ],
)
def test_case_and_surrounding_spaces_do_not_matter(text, frequency, year_type, label):
    assert parse(text, frequency, year_type).label == label


@pytest.mark.parametrize(
    ("label", "frequency", "year_type"),
    [
        ("2023-24 Q1", "quarter", "financial"),
        ("2023-24 Q4", "quarter", "academic"),
        ("2023-Q2", "quarter", "calendar"),
        ("2023-24", "year", "financial"),
        ("2023-24", "year", "academic"),
        ("2023", "year", "calendar"),
        ("2023-06", "month", None),
    ],
)
def test_canonical_label_reads_back_as_itself(label, frequency, year_type):
    """What the dashboard shows and exports can be uploaded again unchanged."""
    assert parse(label, frequency, year_type).label == label


# --- Ambiguity and consistency rules -----------------------------------------------------------


def test_2009_10_is_october_for_a_month_indicator():
    assert parse("2009-10", "month", None) == Period("2009-10", D(2009, 10, 1), D(2009, 10, 31))


@pytest.mark.parametrize(
    ("year_type", "start", "end"),
    [("financial", D(2009, 4, 1), D(2010, 3, 31)), ("academic", D(2009, 8, 1), D(2010, 7, 31))],
)
def test_2009_10_is_a_year_for_a_year_indicator(year_type, start, end):
    assert parse("2009-10", "year", year_type) == Period("2009-10", start, end)


@pytest.mark.parametrize(
    ("text", "frequency", "year_type", "form"),
    [
        ("2023-25", "year", "financial", "a financial year, for example 2023-24"),
        ("2023/25", "year", "academic", "an academic year, for example 2023-24"),
        ("2023-23", "year", "financial", "a financial year, for example 2023-24"),
        ("2023-25 Q1", "quarter", "financial", "a financial quarter, for example 2023-24 Q1"),
        ("2023/22 Q1", "quarter", "academic", "an academic quarter, for example 2023-24 Q1"),
    ],
)
def test_a_split_year_must_be_two_consecutive_years(text, frequency, year_type, form):
    assert rejection(text, frequency, year_type) == (
        f"Write the period as {form}: '{text}' is not a period this indicator takes."
    )


@pytest.mark.parametrize(
    ("text", "frequency", "year_type"),
    [
        ("2023-24 Q0", "quarter", "financial"),
        ("2023-24 Q5", "quarter", "academic"),
        ("2023-Q0", "quarter", "calendar"),
        ("2023-Q5", "quarter", "calendar"),
        ("2023-00", "month", None),
        ("2023-13", "month", None),
    ],
)
def test_quarters_run_1_to_4_and_months_01_to_12(text, frequency, year_type):
    form = describe_form(frequency, year_type)
    article = "an" if form.startswith("academic") else "a"
    assert rejection(text, frequency, year_type) == (
        f"Write the period as {article} {form}: '{text}' is not a period this indicator takes."
    )


# --- Rejections: the message names the indicator's form and, where it can, the right period ------


@pytest.mark.parametrize(
    ("text", "frequency", "year_type", "message"),
    [
        # a range this indicator has, written in a form the contract does not take: suggest its label
        ("Q3 2023", "quarter", "financial", "Write the period as 2023-24 Q2 (financial quarter)"),
        ("2023 Q3", "quarter", "financial", "Write the period as 2023-24 Q2 (financial quarter)"),
        ("Jul-Sep 2023", "quarter", "financial", "Write the period as 2023-24 Q2 (financial quarter)"),
        ("Q3 2023", "quarter", "calendar", "Write the period as 2023-Q3 (calendar quarter)"),
        ("Nov-Jan 2024", "quarter", "academic", "Write the period as 2023-24 Q2 (academic quarter)"),
        ("Nov 2023 to Jan 2024", "quarter", "academic", "Write the period as 2023-24 Q2 (academic quarter)"),
        ("Q1 2023/24", "quarter", "academic", "Write the period as 2023-24 Q1 (academic quarter)"),
        ("FY2023/24", "year", "financial", "Write the period as 2023-24 (financial year)"),
        ("FY 2023-24", "year", "financial", "Write the period as 2023-24 (financial year)"),
        ("2023/2024", "year", "financial", "Write the period as 2023-24 (financial year)"),
        ("2023/2024", "year", "academic", "Write the period as 2023-24 (academic year)"),
        ("June 2023", "month", None, "Write the period as 2023-06 (month)"),
        ("Jun-23", "month", None, "Write the period as 2023-06 (month)"),
        ("Sept 2023", "month", None, "Write the period as 2023-09 (month)"),
        ("2023-06-30", "month", None, "Write the period as 2023-06 (month)"),
        ("30/06/2023", "month", None, "Write the period as 2023-06 (month)"),
        ("2023/06", "month", None, "Write the period as 2023-06 (month)"),
        # a date or a shorter range inside one of this indicator's periods: suggest that period
        ("2023-06-30", "quarter", "financial", "Write the period as 2023-24 Q1 (financial quarter)"),
        ("June 2023", "quarter", "academic", "Write the period as 2022-23 Q4 (academic quarter)"),
        ("2023-06", "quarter", "financial", "Write the period as 2023-24 Q1 (financial quarter)"),
        ("2023-06", "year", "calendar", "Write the period as 2023 (calendar year)"),
        ("2023-Q2", "year", "financial", "Write the period as 2023-24 (financial year)"),
    ],
)
def test_rejection_suggests_the_indicators_period_covering_what_was_written(
    text, frequency, year_type, message
):
    assert rejection(text, frequency, year_type) == (
        f"{message}: '{text}' is not a period this indicator takes."
    )


def test_rejection_matches_the_contracts_example_exactly():
    assert rejection("Q3 2023", "quarter", "financial") == (
        "Write the period as 2023-24 Q2 (financial quarter): 'Q3 2023' is not a period this indicator takes."
    )


@pytest.mark.parametrize(
    ("text", "frequency", "year_type", "form"),
    [
        # Jul-Sep straddles academic quarters (May-Jul, Aug-Oct): no academic quarter covers it
        ("2023-Q3", "quarter", "academic", "an academic quarter, for example 2023-24 Q1"),
        ("2023-Q1", "quarter", "academic", "an academic quarter, for example 2023-24 Q1"),
        ("Q3 2023", "quarter", "academic", "an academic quarter, for example 2023-24 Q1"),
        # a calendar year is not an academic or financial year, nor the reverse
        ("2023", "year", "academic", "an academic year, for example 2023-24"),
        ("2023", "year", "financial", "a financial year, for example 2023-24"),
        ("2023-24", "year", "calendar", "a calendar year, for example 2023"),
        ("2023/24", "year", "calendar", "a calendar year, for example 2023"),
        ("FY2023/24", "year", "academic", "an academic year, for example 2023-24"),
        # a calendar-quarter indicator has no 2023-24 year to take a quarter of
        ("2023-24 Q1", "quarter", "calendar", "a calendar quarter, for example 2023-Q2"),
        # longer than the indicator's periods
        ("2023-24 Q1", "month", None, "a month, for example 2023-06"),
        ("2023", "quarter", "calendar", "a calendar quarter, for example 2023-Q2"),
        ("2009-10", "quarter", "financial", "a financial quarter, for example 2023-24 Q1"),
        # not a period at all
        ("apples", "quarter", "financial", "a financial quarter, for example 2023-24 Q1"),
        ("23", "year", "calendar", "a calendar year, for example 2023"),
        ("2023-02-30", "month", None, "a month, for example 2023-06"),
    ],
)
def test_rejection_gives_an_example_of_the_form_when_no_period_covers_it(text, frequency, year_type, form):
    assert rejection(text, frequency, year_type) == (
        f"Write the period as {form}: '{text}' is not a period this indicator takes."
    )


def test_rejection_quotes_the_text_without_surrounding_spaces():
    assert rejection("  Q3 2023 ", "quarter", "financial").endswith(
        ": 'Q3 2023' is not a period this indicator takes."
    )


def test_a_blank_period_asks_for_one_in_the_indicators_form():
    assert rejection("   ", "quarter", "financial") == (
        "Enter the period, written as a financial quarter, for example 2023-24 Q1."
    )


@pytest.mark.parametrize("word", ["invalid", "please", "sorry"])
def test_messages_use_plain_govuk_wording(word):
    messages = [
        rejection("Q3 2023", "quarter", "financial"),
        rejection("apples", "month", None),
        rejection("", "year", "calendar"),
        rejection("2027-28 Q1", "quarter", "financial"),
    ]
    assert all(word not in message.lower() for message in messages)


def test_a_pasted_paragraph_is_shortened_in_the_message():
    message = rejection("x" * 500, "month", None)
    assert len(message) < 200


# --- Periods that have not started ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "frequency", "year_type"),
    [
        ("2027-28 Q1", "quarter", "financial"),
        ("2026-27 Q3", "quarter", "academic"),  # starts 1 February 2027
        ("2027-Q1", "quarter", "calendar"),
        ("2027", "year", "calendar"),
        ("2026-12", "month", None),
    ],
)
def test_a_period_starting_after_today_is_refused(text, frequency, year_type):
    assert rejection(text, frequency, year_type) == (
        f"'{text}' starts after today (26 November 2026). Enter a period that has started."
    )


@pytest.mark.parametrize(
    ("text", "frequency", "year_type", "today"),
    [
        ("2026-27 Q3", "quarter", "financial", D(2026, 11, 26)),  # under way: October to December
        ("2026-11", "month", None, D(2026, 11, 26)),
        ("2026-27 Q2", "quarter", "academic", D(2026, 11, 1)),  # starts today
        ("2026", "year", "calendar", D(2026, 1, 1)),
    ],
)
def test_a_period_that_has_started_is_accepted(text, frequency, year_type, today):
    assert parse(text, frequency, year_type, today).start <= today


def test_the_future_date_is_written_out_in_full():
    assert "(5 March 2024)" in rejection("2024-25", "year", "financial", today=D(2024, 3, 5))


# --- One time axis ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("2023-24 Q1", "quarter", "financial"), ("2023-Q2", "quarter", "calendar")),
        (("2023-24 Q4", "quarter", "financial"), ("2024-Q1", "quarter", "calendar")),
        (("2023-24 Q1", "quarter", "academic"), ("2023/24 Q1", "quarter", "academic")),
    ],
)
def test_the_same_months_give_identical_ranges_whatever_the_year_type(first, second):
    a, b = parse(*first), parse(*second)
    assert (a.start, a.end) == (b.start, b.end)


@pytest.mark.parametrize(
    ("year_text", "year_type"),
    [("2023-24", "financial"), ("2023-24", "academic"), ("2023", "calendar")],
)
def test_a_year_is_its_four_quarters_and_its_twelve_months_end_to_end(year_text, year_type):
    year = parse(year_text, "year", year_type)
    quarters = periods_between(
        period_for_date(year.start, "quarter", year_type),
        period_for_date(year.end, "quarter", year_type),
        "quarter",
        year_type,
    )
    months = periods_between(
        period_for_date(year.start, "month", None), period_for_date(year.end, "month", None), "month", None
    )
    for parts, count in ((quarters, 4), (months, 12)):
        assert len(parts) == count
        assert parts[0].start == year.start and parts[-1].end == year.end
        assert all(b.start == a.end + dt.timedelta(days=1) for a, b in zip(parts, parts[1:], strict=False))


# --- Helpers used by the store, the charts and the progress maths -----------------------------------


@pytest.mark.parametrize(
    ("day", "frequency", "year_type", "label"),
    [
        (D(2023, 4, 1), "quarter", "financial", "2023-24 Q1"),
        (D(2024, 3, 31), "quarter", "financial", "2023-24 Q4"),
        (D(2024, 1, 15), "quarter", "academic", "2023-24 Q2"),
        (D(2023, 7, 31), "quarter", "academic", "2022-23 Q4"),
        (D(2023, 8, 1), "year", "academic", "2023-24"),
        (D(2023, 3, 31), "year", "financial", "2022-23"),
        (D(2023, 12, 31), "quarter", "calendar", "2023-Q4"),
        (D(2023, 12, 31), "year", "calendar", "2023"),
        (D(2024, 2, 29), "month", None, "2024-02"),
    ],
)
def test_period_for_date_is_the_period_containing_it(day, frequency, year_type, label):
    period = period_for_date(day, frequency, year_type)
    assert period.label == label
    assert period.start <= day <= period.end


@pytest.mark.parametrize(
    ("label", "frequency", "year_type", "before", "after"),
    [
        ("2023-24 Q4", "quarter", "financial", "2023-24 Q3", "2024-25 Q1"),
        ("2023-24 Q1", "quarter", "academic", "2022-23 Q4", "2023-24 Q2"),
        ("2023-Q4", "quarter", "calendar", "2023-Q3", "2024-Q1"),
        ("2023-24", "year", "financial", "2022-23", "2024-25"),
        ("2023", "year", "calendar", "2022", "2024"),
        ("2023-12", "month", None, "2023-11", "2024-01"),
        ("2024-01", "month", None, "2023-12", "2024-02"),
    ],
)
def test_next_and_previous_period_cross_year_boundaries(label, frequency, year_type, before, after):
    period = parse(label, frequency, year_type)
    assert previous_period(period, frequency, year_type).label == before
    assert next_period(period, frequency, year_type).label == after
    assert next_period(previous_period(period, frequency, year_type), frequency, year_type) == period


def test_periods_between_lists_every_period_inclusive_so_gaps_show():
    first = parse("2022-23 Q3", "quarter", "financial")
    last = parse("2023-24 Q2", "quarter", "financial")
    labels = [p.label for p in periods_between(first, last, "quarter", "financial")]
    assert labels == ["2022-23 Q3", "2022-23 Q4", "2023-24 Q1", "2023-24 Q2"]


def test_periods_between_a_single_period_and_a_reversed_range():
    p = parse("2023-06", "month", None)
    q = parse("2023-09", "month", None)
    assert periods_between(p, p, "month", None) == [p]
    assert periods_between(q, p, "month", None) == []


@pytest.mark.parametrize(
    ("frequency", "year_type", "form"),
    [
        ("quarter", "financial", "financial quarter, for example 2023-24 Q1"),
        ("quarter", "academic", "academic quarter, for example 2023-24 Q1"),
        ("quarter", "calendar", "calendar quarter, for example 2023-Q2"),
        ("year", "financial", "financial year, for example 2023-24"),
        ("year", "academic", "academic year, for example 2023-24"),
        ("year", "calendar", "calendar year, for example 2023"),
        ("month", None, "month, for example 2023-06"),
    ],
)
def test_describe_form_gives_an_example_the_indicator_takes(frequency, year_type, form):
    assert describe_form(frequency, year_type) == form
    example = form.split("for example ", 1)[1]
    assert parse(example, frequency, year_type).label == example


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2023, 1, 1), 2023.0),
        (D(2023, 7, 1), 2023 + 181 / 365),
        (D(2024, 7, 1), 2024 + 182 / 366),  # leap year
        (D(2023, 12, 31), 2023 + 364 / 365),
    ],
)
def test_year_fraction_places_a_date_in_decimal_years(day, expected):
    assert year_fraction(day) == pytest.approx(expected)


def test_year_fraction_mid_year_is_about_half_and_increases_day_by_day():
    assert year_fraction(D(2023, 7, 1)) == pytest.approx(2023.5, abs=0.01)
    days = [D(2023, 12, 30) + dt.timedelta(days=n) for n in range(4)]
    fractions = [year_fraction(d) for d in days]
    assert fractions == sorted(fractions) and len(set(fractions)) == 4


# --- Contract with callers --------------------------------------------------------------------------


def test_period_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse("apples", "month", None)


def test_a_repeated_rejection_gives_the_same_message_each_time():
    """Memoised texts still raise on every row, so every bad line is reported."""
    assert rejection("Q3 2023", "quarter", "financial") == rejection("Q3 2023", "quarter", "financial")


def test_a_repeated_text_is_read_once():
    parse_period.cache_clear()
    for _ in range(1000):
        parse("2023-24 Q1", "quarter", "financial")
    assert parse_period.cache_info().hits == 999


@pytest.mark.parametrize(("frequency", "year_type"), [("week", None), ("quarter", None), ("year", "fiscal")])
def test_a_catalogue_mistake_is_not_blamed_on_the_analyst(frequency, year_type):
    with pytest.raises(ValueError) as caught:
        parse("2023", frequency, year_type)
    assert not isinstance(caught.value, PeriodError)


def test_period_is_immutable():
    period = parse("2023-06", "month", None)
    with pytest.raises(AttributeError):
        period.label = "2023-07"  # type: ignore[misc]
