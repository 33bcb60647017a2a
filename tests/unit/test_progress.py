"""The progress maths: what leadership sees as the region's figure, the running totals and the statuses."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from metrics.catalogue import Indicator, load_catalogue
from metrics.progress import (
    assess,
    derive_combined,
    format_value,
    gap_statement,
    latest,
    running_total,
)
from metrics.series import Point

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


# --- status: no target, no data, minimum, maximum --------------------------------------------------


def test_no_target_gives_no_status_but_keeps_the_latest_value(catalogue):
    starts = ind(catalogue, "apprenticeship_starts")
    p = assess(starts, [year(2022, 1000.0), year(2023, 1200.0)], dt.date(2024, 6, 1))
    assert p.rag == "none"
    assert "no target" in p.reason
    assert (p.latest_period, p.latest_value) == ("2023", 1200.0)


def test_no_data_gives_no_status(catalogue):
    neet = ind(catalogue, "neet_16_17")
    p = assess(neet, [year(2023, None, missing="c")], dt.date(2024, 6, 1))
    assert p.rag == "none"
    assert "no data" in p.reason
    assert p.latest_value is None and p.target == 3.0


def test_minimum_share_with_schemes_below_is_amber_and_says_how_many(catalogue):
    share = ind(catalogue, "affordable_housing_share_scf")
    projects = [(f"Scheme {i}", 30.0) for i in range(12)] + [("Scheme A", 15.0), ("Scheme B", 19.9)]
    p = assess(share, [quarter(2023, 4, 27.3)], dt.date(2024, 6, 1), projects)
    assert p.rag == "amber"
    assert p.projects_below == ["Scheme A", "Scheme B"]
    assert p.projects_total == 14
    assert p.reason == (
        "Affordable share of homes in SCF schemes is 27.3% (2023-24 Q4), above the 20% minimum, "
        "but 2 of 14 schemes are below 20%."
    )


def test_minimum_share_is_green_only_when_every_scheme_meets_it(catalogue):
    share = ind(catalogue, "affordable_housing_share_scf")
    projects = [("Scheme A", 20.0), ("Scheme B", 35.0)]
    p = assess(share, [quarter(2023, 4, 27.3)], dt.date(2024, 6, 1), projects)
    assert p.rag == "green"
    assert p.projects_below == []
    assert "all 2 schemes meet it" in p.reason


def test_minimum_share_below_the_minimum_overall_is_red(catalogue):
    share = ind(catalogue, "affordable_housing_share_scf")
    projects = [("Scheme A", 25.0), ("Scheme B", 10.0)]
    p = assess(share, [quarter(2023, 4, 19.5)], dt.date(2024, 6, 1), projects)
    assert p.rag == "red"
    assert "below the 20% minimum" in p.reason
    assert p.reason.endswith("and 1 of 2 schemes is below it.")


def test_minimum_share_with_a_scheme_figure_missing_is_not_green(catalogue):
    share = ind(catalogue, "affordable_housing_share_scf")
    p = assess(share, [quarter(2023, 4, 27.3)], dt.date(2024, 6, 1), [("A", 25.0), ("B", None)])
    assert p.rag == "amber"
    assert "missing" in p.reason


def test_minimum_without_scheme_figures_compares_the_overall_share(catalogue):
    share = ind(catalogue, "affordable_housing_share_scf")
    assert assess(share, [quarter(2023, 4, 20.0)], dt.date(2024, 6, 1)).rag == "green"
    assert assess(share, [quarter(2023, 4, 19.9)], dt.date(2024, 6, 1)).rag == "red"


@pytest.mark.parametrize(
    ("value", "rag"),
    [(2.5, "green"), (3.0, "green"), (3.2, "amber"), (3.3, "amber"), (3.5, "red")],
)
def test_maximum_lower_is_better_with_a_ten_percent_margin(catalogue, value, rag):
    neet = ind(catalogue, "neet_16_17")  # maximum 3.0%
    p = assess(neet, [year(2022, 4.0), year(2023, value)], dt.date(2024, 6, 1))
    assert p.rag == rag
    assert p.latest_value == value
    assert "3% maximum" in p.reason


# --- status: targets with a date ------------------------------------------------------------------


def internet(catalogue) -> Indicator:
    """Internet non-users: lower is better, 15% by 31 December 2026."""
    return ind(catalogue, "internet_non_users")


@pytest.mark.parametrize(
    ("latest_value", "rag"),
    [
        (20.2, "green"),  # fell 1.8 points a year; 1.75 a year needed
        (21.0, "amber"),  # about 57% of the pace needed
        (21.5, "red"),  # about 29%
        (23.0, "red"),  # rose: moving the wrong way
    ],
)
def test_dated_level_target_lower_is_better_judged_on_pace(catalogue, latest_value, rag):
    p = assess(internet(catalogue), [year(2022, 22.0), year(2023, latest_value)], dt.date(2024, 6, 1))
    assert p.rag == rag
    expected_ratio = (latest_value - 22.0) / ((15.0 - 22.0) / 4)
    assert p.progress_ratio == pytest.approx(expected_ratio, rel=0.01)
    assert p.target_date == dt.date(2026, 12, 31)


def test_dated_target_moving_the_wrong_way_says_so(catalogue):
    p = assess(internet(catalogue), [year(2022, 22.0), year(2023, 23.0)], dt.date(2024, 6, 1))
    assert p.progress_ratio < 0
    assert "moved away from the target" in p.reason


def test_dated_cumulative_target_higher_is_better(catalogue):
    jobs = ind(catalogue, "jobs_created_wmca_investment")  # 4,000 by 31 March 2024
    fast = running_total([quarter(2022, q, 500.0) for q in (1, 2, 3, 4)])
    slow = running_total([quarter(2022, q, 200.0) for q in (1, 2, 3, 4)])
    assert assess(jobs, fast, dt.date(2023, 4, 15)).rag == "green"
    assert assess(jobs, slow, dt.date(2023, 4, 15)).rag == "red"


def test_target_met_is_green_with_the_date_it_was_first_met(catalogue):
    academy = ind(catalogue, "jobs_skills_academy_people_supported")  # 6,000 by 30 September 2022
    totals = running_total(
        [
            quarter(2021, 3, 1500.0),
            quarter(2021, 4, 2000.0),
            quarter(2022, 1, 2600.0),
            quarter(2022, 2, 1470.0),
        ]
    )
    assert totals[-1].value == 7570
    p = assess(academy, totals, dt.date(2025, 1, 1))
    assert p.rag == "green"
    assert p.reached_date == dt.date(2022, 6, 30)  # end of 2022-23 Q1, when the total passed 6,000
    assert "first met in 2022-23 Q1" in p.reason
    assert p.projected_date_to_target is None


def test_level_target_met_lower_is_better(catalogue):
    p = assess(internet(catalogue), [year(2022, 22.0), year(2023, 14.5)], dt.date(2024, 6, 1))
    assert p.rag == "green"
    assert p.reached_date == dt.date(2023, 12, 31)


def test_past_target_date_not_met_is_red(catalogue):
    jobs = ind(catalogue, "jobs_created_wmca_investment")  # 4,000 by 31 March 2024
    totals = running_total(
        [quarter(2022, q, 450.0) for q in (1, 2, 3, 4)] + [quarter(2023, q, 450.0) for q in (1, 2, 3, 4)]
    )
    assert totals[-1].value == 3600
    before = assess(jobs, totals[:4], dt.date(2023, 5, 1))
    after = assess(jobs, totals, dt.date(2024, 6, 1))
    assert before.rag == "amber"  # 1,800 a year made against about 2,029 a year needed: 89%
    assert before.progress_ratio == pytest.approx(0.887, abs=0.01)
    assert after.rag == "red"
    assert "was not met" in after.reason
    assert after.reached_date is None


def test_the_same_data_is_red_only_once_the_target_date_has_passed(catalogue):
    p = [year(2022, 22.0), year(2023, 20.2)]
    assert assess(internet(catalogue), p, dt.date(2026, 12, 31)).rag == "green"
    assert assess(internet(catalogue), p, dt.date(2027, 1, 1)).rag == "red"


def test_one_value_is_too_little_to_judge_progress(catalogue):
    p = assess(internet(catalogue), [year(2022, 22.0)], dt.date(2024, 6, 1))
    assert p.rag == "none"
    assert p.reason == "Only one value so far: too little to judge progress."
    assert p.projection is None


def test_a_level_target_met_once_and_lost_is_red(catalogue):
    p = assess(
        internet(catalogue), [year(2021, 14.0), year(2022, 16.0), year(2023, 18.0)], dt.date(2024, 6, 1)
    )
    assert p.rag == "red"
    assert "fallen back" in p.reason


# --- projection -----------------------------------------------------------------------------------


def noisy_falling(start: int = 2019) -> list[Point]:
    values = [24.0, 23.1, 22.6, 21.2, 20.9]
    return [year(start + i, v) for i, v in enumerate(values)]


def test_projection_reaches_the_target_with_an_ordered_uncertainty_range(catalogue):
    indicator = replace(
        internet(catalogue),
        target=replace(internet(catalogue).target, date=dt.date(2032, 12, 31)),
    )
    p = assess(indicator, noisy_falling(), dt.date(2024, 6, 1))
    assert p.projected_date_to_target is not None
    assert p.projected_date_low <= p.projected_date_to_target <= p.projected_date_high
    assert p.on_course is True
    assert p.projected_date_to_target <= dt.date(2032, 12, 31)
    assert p.projected_value_at_target_date < 15.0  # falling about 0.8 a year from 20.9
    assert p.projection[-1]["date"] == dt.date(2032, 12, 31)
    assert "would reach 15%" in p.reason


def test_projection_path_runs_from_the_latest_period_to_the_target_date_inside_its_band(catalogue):
    p = assess(internet(catalogue), noisy_falling(), dt.date(2024, 6, 1))
    rows = p.projection
    assert rows[0]["date"] == dt.date(2023, 12, 31)
    assert rows[0]["value"] == 20.9  # starts where the series is now
    assert rows[-1]["date"] >= dt.date(2026, 12, 31)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert all(r["low"] <= r["value"] <= r["high"] for r in rows)
    assert rows[-1]["high"] - rows[-1]["low"] > rows[1]["high"] - rows[1]["low"]  # widens with time
    assert p.projected_value_at_target_date == pytest.approx(
        [r["value"] for r in rows if r["date"] == dt.date(2026, 12, 31)][0]
    )


def test_projection_after_the_target_date_is_not_on_course(catalogue):
    # Falling about 0.8 a year from 20.9: reaches 15% around 2031, after 31 December 2026.
    p = assess(internet(catalogue), noisy_falling(), dt.date(2024, 6, 1))
    assert p.on_course is False
    assert p.projected_date_to_target > dt.date(2026, 12, 31)
    assert "after the target date" in p.reason
    assert p.projection[-1]["date"] == dt.date(2028, 12, 31)  # drawn at most five years ahead


@pytest.mark.parametrize("values", [[22.0, 21.0, 22.0, 21.0, 22.0], [20.0, 20.5, 21.0, 21.5]])
def test_flat_or_wrong_way_trend_is_not_on_course(catalogue, values):
    points = [year(2019 + i, v) for i, v in enumerate(values)]
    p = assess(internet(catalogue), points, dt.date(2024, 6, 1))
    assert p.on_course is False
    assert p.projected_date_to_target is None
    assert p.projected_date_low is None and p.projected_date_high is None
    assert "not on course to reach it" in p.reason


def test_a_slow_end_that_stalls_gives_no_latest_date(catalogue):
    # A falling but very noisy series: the slow end of the range does not fall at all.
    points = [year(2018 + i, v) for i, v in enumerate([24.0, 19.0, 24.0, 18.0, 23.0, 19.0])]
    p = assess(internet(catalogue), points, dt.date(2024, 6, 1))
    assert p.projected_date_to_target is not None
    assert p.projected_date_low <= p.projected_date_to_target
    assert p.projected_date_high is None


def test_no_projection_with_fewer_than_three_values(catalogue):
    p = assess(internet(catalogue), [year(2022, 22.0), year(2023, 21.0)], dt.date(2024, 6, 1))
    assert p.projection is None
    assert p.projected_date_to_target is None and p.on_course is None
    assert p.rag == "amber"


def test_cumulative_without_a_target_date_still_gets_a_projection(catalogue):
    academy = replace(ind(catalogue, "jobs_skills_academy_people_supported"), target=None)
    totals = running_total([quarter(2021, q, 1000.0 + 10 * q) for q in (1, 2, 3, 4)])
    p = assess(academy, totals, dt.date(2022, 6, 1))
    assert p.rag == "none"
    assert p.projection is not None
    assert p.projection[0]["date"] == dt.date(2022, 3, 31)
    assert p.projection[-1]["date"] == dt.date(2023, 3, 31)
    assert [r["date"] for r in p.projection][1] == dt.date(2022, 6, 30)  # one step per quarter
    assert p.projection[-1]["value"] > totals[-1].value


# --- the JSON contract ----------------------------------------------------------------------------


CLI_KEYS = {
    "latest_period",
    "latest_value",
    "target",
    "target_kind",
    "target_date",
    "rag",
    "projected_value_at_target_date",
    "projected_date_to_target",
}


def test_as_json_is_exactly_the_progress_object_of_the_cli_contract(catalogue):
    share = ind(catalogue, "affordable_housing_share_scf")
    p = assess(share, [quarter(2023, 4, 24.0)], dt.date(2024, 6, 1))
    assert p.as_json() == {
        "latest_period": "2023-24 Q4",
        "latest_value": 24.0,
        "target": 20.0,
        "target_kind": "minimum",
        "target_date": None,
        "rag": "green",
        "projected_value_at_target_date": None,
        "projected_date_to_target": None,
    }


def test_as_json_writes_dates_as_iso_text(catalogue):
    p = assess(internet(catalogue), noisy_falling(), dt.date(2024, 6, 1))
    out = p.as_json()
    assert set(out) == CLI_KEYS
    assert out["target_date"] == "2026-12-31"
    assert out["projected_date_to_target"] == p.projected_date_to_target.isoformat()
    detail = json.loads(json.dumps(p.as_detail_json()))
    assert set(CLI_KEYS) < set(detail)
    assert detail["projection"][0]["date"] == "2023-12-31"
    assert detail["reason"] == p.reason


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
