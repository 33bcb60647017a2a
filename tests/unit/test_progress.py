"""The progress maths: what leadership sees as the region's figure, the running totals and the statuses."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from metrics.catalogue import Indicator, load_catalogue
from metrics.progress import (
    derive_combined,
    latest,
    running_total,
)
from metrics.series import Point
from metrics.words import format_value, group_gap


def gap_statement(indicator: Indicator, values: dict[str, float | None], label: str) -> str:
    """The gap sentence from plain values (no interval, nothing hidden), as the groups chart says it."""
    return group_gap(indicator, label, {k: Point(*Q1, v) for k, v in values.items()})


LA_CODES = ("E08000025", "E08000026", "E08000027", "E08000028", "E08000029", "E08000030", "E08000031")
Q1 = ("2023-24 Q1", dt.date(2023, 4, 1), dt.date(2023, 6, 30))
Q2 = ("2023-24 Q2", dt.date(2023, 7, 1), dt.date(2023, 9, 30))


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def ind(catalogue, indicator_id: str) -> Indicator:
    return catalogue.indicator(indicator_id)


def pt(period=Q1, value=None, **kw) -> Point:
    label, start, end = period
    return Point(label, start, end, value, **kw)


def year(y: int, value: float | None, **kw) -> Point:
    return Point(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), value, **kw)


def quarter(year_start: int, q: int, value: float | None, **kw) -> Point:
    """Financial quarter q (1-4) of the year starting April year_start."""
    month = 4 + 3 * (q - 1)
    y = year_start + (month > 12)
    month = (month - 1) % 12 + 1
    start = dt.date(y, month, 1)
    end_month = month + 2
    end = (dt.date(y + (end_month == 12), end_month % 12 + 1, 1)) - dt.timedelta(days=1)
    label = f"{year_start}-{str(year_start + 1)[2:]} Q{q}"
    return Point(label, start, end, value, **kw)


def seven(points: list[Point]) -> dict[str, list[Point]]:
    assert len(points) == 7
    return {code: [p] for code, p in zip(LA_CODES, points, strict=True)}


# --- derive_combined ------------------------------------------------------------------------------


def test_derived_share_pools_numerators_and_denominators_not_the_mean_of_shares(catalogue):
    fuel = ind(catalogue, "fuel_poverty_households")
    # One small authority at 90% and six large ones at 1%: the mean of shares would be 13.7%.
    las = [pt(value=90.0, numerator=90, denominator=100)] + [
        pt(value=1.0, numerator=10, denominator=1000) for _ in range(6)
    ]
    (combined,) = derive_combined(fuel, seven(las), [], LA_CODES)
    assert combined.value == pytest.approx(150 / 6100 * 100)  # 2.46%
    assert combined.value != pytest.approx(sum(p.value for p in las) / 7)
    assert (combined.numerator, combined.denominator) == (150, 6100)
    assert combined.derived is True
    assert combined.missing is None
    assert combined.period == "2023-24 Q1"


def test_derived_count_is_the_sum_of_the_seven(catalogue):
    starts = ind(catalogue, "apprenticeship_starts")
    las = [pt(value=float(v)) for v in (100, 200, 300, 400, 500, 600, 700)]
    (combined,) = derive_combined(starts, seven(las), [], LA_CODES)
    assert combined.value == 2800
    assert combined.derived is True
    assert combined.numerator is None and combined.denominator is None


@pytest.mark.parametrize("symbol", ["c", "x", "z"])
def test_no_derivation_when_one_authority_is_missing(catalogue, symbol):
    starts = ind(catalogue, "apprenticeship_starts")
    las = [pt(value=100.0) for _ in range(6)] + [pt(value=None, missing=symbol)]
    assert derive_combined(starts, seven(las), [], LA_CODES) == []


def test_no_derivation_when_one_authority_is_absent_for_that_period(catalogue):
    starts = ind(catalogue, "apprenticeship_starts")
    series = {code: [pt(Q1, 100.0), pt(Q2, 100.0)] for code in LA_CODES}
    series[LA_CODES[3]] = [pt(Q1, 100.0)]  # Sandwell sent nothing for Q2
    out = derive_combined(starts, series, [], LA_CODES)
    assert [p.period for p in out] == ["2023-24 Q1"]
    assert out[0].value == 700


@pytest.mark.parametrize("absent", range(7))
def test_no_derivation_whichever_authority_is_absent(catalogue, absent):
    starts = ind(catalogue, "apprenticeship_starts")
    series = {code: [pt(Q1, 100.0), pt(Q2, 100.0)] for code in LA_CODES}
    series[LA_CODES[absent]] = [pt(Q1, 100.0)]
    assert [p.period for p in derive_combined(starts, series, [], LA_CODES)] == ["2023-24 Q1"]


def test_no_derived_share_when_every_denominator_is_zero(catalogue):
    fuel = ind(catalogue, "fuel_poverty_households")
    las = [pt(value=0.0, numerator=0, denominator=0) for _ in range(7)]
    assert derive_combined(fuel, seven(las), [], LA_CODES) == []


def test_a_derived_share_with_one_home_in_all_is_still_a_share(catalogue):
    fuel = ind(catalogue, "fuel_poverty_households")
    las = [pt(value=100.0, numerator=1, denominator=1)] + [
        pt(value=0.0, numerator=0, denominator=0) for _ in range(6)
    ]
    (combined,) = derive_combined(fuel, seven(las), [], LA_CODES)
    assert (combined.numerator, combined.denominator, combined.value) == (1, 1, 100.0)


def test_no_derivation_when_an_authority_gives_no_series_at_all(catalogue):
    starts = ind(catalogue, "apprenticeship_starts")
    series = {code: [pt(Q1, 100.0)] for code in LA_CODES[:6]}
    assert derive_combined(starts, series, [], LA_CODES) == []


def test_no_derived_share_when_an_authority_gives_a_share_without_numerator_and_denominator(catalogue):
    fuel = ind(catalogue, "fuel_poverty_households")
    las = [pt(value=10.0, numerator=10, denominator=100) for _ in range(6)] + [pt(value=12.0)]
    assert derive_combined(fuel, seven(las), [], LA_CODES) == []
    las[-1] = pt(value=12.0, numerator=12)  # a numerator alone is not enough either
    assert derive_combined(fuel, seven(las), [], LA_CODES) == []


@pytest.mark.parametrize(
    "variant",
    [
        {},  # NEET: a percentage level
        {"unit": "rate_per_100k"},
        {"unit": "score"},
        {"unit": "ratio"},
    ],
)
def test_rates_scores_ratios_and_percent_levels_are_never_derived(catalogue, variant):
    rate = replace(ind(catalogue, "neet_16_17"), **variant)
    las = [pt(value=3.0, numerator=3, denominator=100, status="final") for _ in range(7)]
    assert derive_combined(rate, seven(las), [], LA_CODES) == []
    uploaded = pt(value=2.9, status="final")
    assert derive_combined(rate, seven(las), [uploaded], LA_CODES) == [uploaded]


def test_an_uploaded_combined_authority_value_wins_over_a_derivation(catalogue):
    starts = ind(catalogue, "apprenticeship_starts")
    series = {code: [pt(Q1, 100.0), pt(Q2, 100.0)] for code in LA_CODES}
    uploaded = pt(Q1, 650.0, status="final")
    out = derive_combined(starts, series, [uploaded], LA_CODES)
    assert out[0] == uploaded  # the published 650, not the 700 the seven add up to
    assert out[1].value == 700 and out[1].derived is True


def test_an_uploaded_missing_value_for_the_combined_authority_is_kept(catalogue):
    starts = ind(catalogue, "apprenticeship_starts")
    uploaded = pt(Q1, None, missing="c")
    out = derive_combined(starts, seven([pt(value=100.0) for _ in range(7)]), [uploaded], LA_CODES)
    assert out == [uploaded]


def test_a_derived_value_is_final_only_when_all_seven_are_final(catalogue):
    starts = ind(catalogue, "apprenticeship_starts")
    finals = [pt(value=100.0, status="final") for _ in range(7)]
    assert derive_combined(starts, seven(finals), [], LA_CODES)[0].status == "final"
    one_provisional = finals[:6] + [pt(value=100.0, status="provisional")]
    assert derive_combined(starts, seven(one_provisional), [], LA_CODES)[0].status == "provisional"


def test_a_derived_value_is_illustrative_if_any_input_is(catalogue):
    starts = ind(catalogue, "apprenticeship_starts")
    las = [pt(value=100.0) for _ in range(6)] + [pt(value=100.0, illustrative=True)]
    assert derive_combined(starts, seven(las), [], LA_CODES)[0].illustrative is True
    las[-1] = pt(value=100.0)
    assert derive_combined(starts, seven(las), [], LA_CODES)[0].illustrative is False


def test_combined_series_is_sorted_with_one_point_per_period(catalogue):
    starts = ind(catalogue, "apprenticeship_starts")
    series = {code: [pt(Q2, 10.0), pt(Q1, 20.0)] for code in LA_CODES}
    out = derive_combined(starts, series, [pt(Q2, 75.0)], LA_CODES)
    assert [(p.period, p.value) for p in out] == [("2023-24 Q1", 140.0), ("2023-24 Q2", 75.0)]


# --- running_total and latest ---------------------------------------------------------------------


def test_running_total_adds_up_per_period_values_in_date_order():
    points = [quarter(2023, 2, 20.0, status="final"), quarter(2023, 1, 10.0, status="final")]
    out = running_total(points)
    assert [(p.period, p.value) for p in out] == [("2023-24 Q1", 10.0), ("2023-24 Q2", 30.0)]
    assert all(p.status == "final" for p in out)


def test_running_total_is_unknown_from_the_first_missing_value_onward():
    points = [
        quarter(2023, 1, 10.0, status="final"),
        quarter(2023, 2, 20.0, status="final"),
        quarter(2023, 3, None, missing="x", status="final"),
        quarter(2023, 4, 5.0, status="final"),
    ]
    out = running_total(points)
    assert [p.value for p in out] == [10.0, 30.0, None, None]  # never 35: missing is not zero
    assert [p.missing for p in out] == [None, None, "x", "x"]
    assert latest(out).period == "2023-24 Q2"


def test_running_total_is_final_only_when_every_contributing_value_is_final():
    points = [
        quarter(2023, 1, 10.0, status="final"),
        quarter(2023, 2, 20.0, status="provisional"),
        quarter(2023, 3, 5.0, status="final"),
    ]
    assert [p.status for p in running_total(points)] == ["final", "provisional", "provisional"]


def test_latest_is_the_last_period_with_a_value():
    points = [year(2021, 5.0), year(2023, None, missing="c"), year(2022, 6.0)]
    assert latest(points).period == "2022"
    assert latest([year(2021, None, missing="x")]) is None
    assert latest([]) is None


# --- words and numbers ----------------------------------------------------------------------------


def test_format_value_by_unit(catalogue):
    starts = ind(catalogue, "apprenticeship_starts")
    share = ind(catalogue, "affordable_housing_share_scf")
    ratio = ind(catalogue, "housing_affordability_ratio")
    rate = ind(catalogue, "fe_participation_19plus_rate")
    assert format_value(starts, 12345.0) == "12,345"
    assert format_value(share, 27.345) == "27.3%"
    assert format_value(ratio, 8.0) == "8.00"
    assert format_value(rate, 12345.6) == "12,346"
    money = replace(starts, unit="money")
    assert format_value(money, 1234567.0) == "£1,234,567"
    assert format_value(money, 12.5) == "£12.50"
    assert format_value(share, -0.01) == "0.0%"


def test_format_value_never_shows_missing_as_zero(catalogue):
    starts = ind(catalogue, "apprenticeship_starts")
    assert format_value(starts, None, "c") == "missing (suppressed to protect confidentiality)"
    assert format_value(starts, None, "x") == "missing (not available)"
    assert format_value(starts, None, "[z]") == "missing (not applicable)"
    assert format_value(starts, None) == "no data"


def test_gap_statement_for_counts(catalogue):
    starts = ind(catalogue, "apprenticeship_starts")
    text = gap_statement(starts, {"16-18": 1234.0, "19-24": 800.0, "25+": 456.0}, "Age band")
    assert text == (
        "By age band, 16-18 had the most apprenticeship starts (1,234) "
        "and 25+ the fewest (456), a gap of 778."
    )


def test_gap_statement_for_percentages_names_missing_groups(catalogue):
    fuel = ind(catalogue, "fuel_poverty_households")
    text = gap_statement(fuel, {"White": 12.0, "Asian": 23.5, "Mixed": None, "Black": 19.0}, "Ethnicity")
    assert text == (
        "By ethnicity, Asian had the highest fuel poverty (23.5%) and White the lowest (12.0%), "
        "a gap of 11.5 percentage points. Figures for Mixed are missing."
    )


def test_gap_statement_with_no_gap_or_no_figures(catalogue):
    starts = ind(catalogue, "apprenticeship_starts")
    assert "same" in gap_statement(starts, {"Female": 50.0, "Male": 50.0}, "Sex")
    assert gap_statement(starts, {"Female": None}, "Sex") == (
        "There are no figures for apprenticeship starts by sex. Figures for Female are missing."
    )
