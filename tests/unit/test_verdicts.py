"""Verdicts: each rule a board relies on, with the numbers typed in and the words checked.

A wrong verdict is the worst defect the dashboard can ship, so every rule in
metrics/verdicts.py has a test here that fails if the rule is broken: floors and
ceilings that bind every scheme or authority, dated targets judged on the figure
that covers the date (met, met late, missed, awaiting data), the base period,
ended programmes, and the combined authority summarised from its authorities.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from metrics.catalogue import Indicator, load_catalogue
from metrics.progress import running_total
from metrics.series import Point
from metrics.verdicts import PlaceVerdict, assess, place_verdict

LAS = (
    ("E08000025", "Birmingham"),
    ("E08000026", "Coventry"),
    ("E08000027", "Dudley"),
    ("E08000028", "Sandwell"),
    ("E08000029", "Solihull"),
    ("E08000030", "Walsall"),
    ("E08000031", "Wolverhampton"),
)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def quarter(year_start: int, q: int, value: float | None, **kw) -> Point:
    """Financial quarter q (1-4) of the year starting April year_start."""
    month = 4 + 3 * (q - 1)
    y = year_start + (month > 12)
    month = (month - 1) % 12 + 1
    start = dt.date(y, month, 1)
    end_month = month + 2
    end = dt.date(y + (end_month == 12), end_month % 12 + 1, 1) - dt.timedelta(days=1)
    return Point(f"{year_start}-{str(year_start + 1)[2:]} Q{q}", start, end, value, **kw)


def quarters(first_year: int, values: list[float | None]) -> list[Point]:
    """Consecutive financial quarters from Q1 of first_year."""
    return [quarter(first_year + i // 4, i % 4 + 1, v) for i, v in enumerate(values)]


def year(y: int, value: float | None, **kw) -> Point:
    return Point(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), value, **kw)


def jobs(catalogue) -> Indicator:
    """Jobs from housing and land investment: a running total, 4,000 by 31 March 2024."""
    return catalogue.indicator("jobs_created_wmca_investment")


def internet(catalogue) -> Indicator:
    """Internet non-users: lower is better, 15% by 31 December 2026, base year 2022."""
    return catalogue.indicator("internet_non_users")


# --- no target, no data ----------------------------------------------------------------------------


def test_no_target_keeps_the_latest_value_and_says_there_is_none(catalogue):
    p = assess(
        catalogue.indicator("apprenticeship_starts"),
        [year(2022, 1000.0), year(2023, 1200.0)],
        dt.date(2024, 6, 1),
    )
    assert (p.verdict, p.rag) == ("no_target", "none")
    assert (p.latest_period, p.latest_value) == ("2023", 1200.0)
    assert p.reason == "Apprenticeship starts is 1,200 (2023); the plan sets no target for it."


def test_only_missing_values_is_no_data(catalogue):
    p = assess(catalogue.indicator("neet_16_17"), [year(2023, None, missing="c")], dt.date(2024, 6, 1))
    assert (p.verdict, p.rag) == ("no_data", "none")
    assert p.latest_value is None and p.target == 3.0


# --- floors that apply to every scheme --------------------------------------------------------------


def test_one_scheme_below_the_scf_minimum_is_off_track_and_named_whatever_the_total(catalogue):
    share = catalogue.indicator("affordable_housing_share_scf")
    projects = [(f"Scheme {i}", 30.0) for i in range(11)] + [
        ("Scheme C", 10.0),
        ("Scheme D", 19.9),
        ("Scheme E", 16.2),
    ]
    p = assess(share, [quarter(2023, 4, 27.3)], dt.date(2024, 6, 1), projects)
    assert (p.verdict, p.rag) == ("off_track", "red")
    assert p.projects_below == ["Scheme C", "Scheme E", "Scheme D"]  # lowest first
    assert p.projects_total == 14
    assert p.breaking == (("Scheme C", 10.0), ("Scheme E", 16.2), ("Scheme D", 19.9))
    assert p.reason == (
        "3 of 14 schemes are below the 20% minimum in 2023-24 Q4: Scheme C (10.0%), Scheme E (16.2%) "
        "and Scheme D (19.9%); across all schemes the share is 27.3% (2023-24 Q4)."
    )
    assert p.sentence.startswith("Off track: 3 of 14 schemes are below the 20% minimum")


def test_a_scheme_exactly_at_the_minimum_meets_it(catalogue):
    share = catalogue.indicator("affordable_housing_share_scf")
    p = assess(share, [quarter(2023, 4, 27.3)], dt.date(2024, 6, 1), [("A", 20.0), ("B", 35.0)])
    assert (p.verdict, p.rag) == ("met", "green")
    assert p.projects_below == [] and p.breaking == ()
    assert p.reason.startswith("All 2 schemes meet the 20% minimum in 2023-24 Q4")


def test_more_than_five_schemes_below_are_named_five_and_counted(catalogue):
    share = catalogue.indicator("affordable_housing_share_scf")
    projects = [(f"S{i}", 10.0 + i) for i in range(8)]
    p = assess(share, [quarter(2023, 4, 15.0)], dt.date(2024, 6, 1), projects)
    assert p.verdict == "off_track"
    assert "S0 (10.0%), S1 (11.0%), S2 (12.0%), S3 (13.0%), S4 (14.0%) and 3 more" in p.reason


def test_a_missing_scheme_figure_keeps_every_scheme_from_being_confirmed(catalogue):
    share = catalogue.indicator("affordable_housing_share_scf")
    p = assess(share, [quarter(2023, 4, 27.3)], dt.date(2024, 6, 1), [("A", 25.0), ("B", None)])
    assert (p.verdict, p.rag) == ("at_risk", "amber")
    assert p.reason.startswith("Figures for 1 of 2 schemes are missing in 2023-24 Q4")


def test_the_total_below_the_minimum_is_off_track_with_no_scheme_figures(catalogue):
    share = catalogue.indicator("affordable_housing_share_scf")
    assert assess(share, [quarter(2023, 4, 20.0)], dt.date(2024, 6, 1)).verdict == "met"
    low = assess(share, [quarter(2023, 4, 19.9)], dt.date(2024, 6, 1))
    assert (low.verdict, low.rag) == ("off_track", "red")
    assert "below the 20% minimum" in low.reason


# --- ceilings, and every authority ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "verdict"), [(2.5, "met"), (3.0, "met"), (3.01, "off_track"), (3.5, "off_track")]
)
def test_a_ceiling_is_broken_by_any_value_above_it(catalogue, value, verdict):
    neet = catalogue.indicator("neet_16_17")  # at most 3%
    p = assess(neet, [year(2022, 4.0), year(2023, value)], dt.date(2024, 6, 1))
    assert p.verdict == verdict
    assert "3% maximum" in p.reason


def _places(indicator: Indicator, values: dict[str, float | None], y: int = 2024) -> list[PlaceVerdict]:
    out = []
    for code, name in LAS:
        v = values.get(name)
        series = [] if v is None else [year(y, v)]
        out.append(place_verdict(code, name, assess(indicator, series, dt.date(2025, 6, 1))))
    return out


NEET_2024 = {
    "Birmingham": 3.4,
    "Coventry": 3.6,
    "Dudley": 2.4,
    "Sandwell": 1.9,
    "Solihull": 4.2,
    "Walsall": 3.2,
    "Wolverhampton": 2.6,
}


def test_with_no_combined_figure_a_ceiling_on_every_authority_names_those_above_it(catalogue):
    neet = catalogue.indicator("neet_16_17")
    p = assess(neet, [], dt.date(2025, 6, 1), places=_places(neet, NEET_2024))
    assert (p.verdict, p.rag) == ("off_track", "red")
    assert p.latest_value is None
    assert [(pl.name, pl.verdict) for pl in p.places] == [
        ("Birmingham", "off_track"),
        ("Coventry", "off_track"),
        ("Dudley", "met"),
        ("Sandwell", "met"),
        ("Solihull", "off_track"),
        ("Walsall", "off_track"),
        ("Wolverhampton", "met"),
    ]
    assert p.reason == (
        "4 of 7 authorities are above the 3% maximum in 2024: Solihull (4.2%), Coventry (3.6%), "
        "Birmingham (3.4%) and Walsall (3.2%); 3 meet it; there is no figure for the combined authority "
        "as a whole (a rate cannot be added up from the seven)."
    )
    assert p.breaking == (("Solihull", 4.2), ("Coventry", 3.6), ("Birmingham", 3.4), ("Walsall", 3.2))


def test_with_no_combined_figure_a_target_on_the_whole_takes_the_weakest_of_the_seven(catalogue):
    """A target for the combined authority as a whole that has no figure of its own (a rate)."""
    neet = catalogue.indicator("neet_16_17")
    whole = replace(neet, target=replace(neet.target, applies_to="combined_authority"))
    p = assess(whole, [], dt.date(2025, 6, 1), places=_places(whole, NEET_2024))
    assert (p.verdict, p.rag) == ("off_track", "red")
    assert "the verdict is the weakest of theirs" in p.reason
    assert "4 off track (Birmingham 3.4%, Coventry 3.6%, Solihull 4.2%, Walsall 3.2%)" in p.reason
    assert "3 met (Dudley 2.4%, Sandwell 1.9%, Wolverhampton 2.6%)" in p.reason
    fine = assess(whole, [], dt.date(2025, 6, 1), places=_places(whole, dict.fromkeys(NEET_2024, 2.0)))
    assert fine.verdict == "met"


def test_places_in_json_have_exactly_the_contract_keys(catalogue):
    neet = catalogue.indicator("neet_16_17")
    p = assess(neet, [], dt.date(2025, 6, 1), places=_places(neet, NEET_2024))
    places = p.as_json()["places"]
    assert len(places) == 7
    assert places[0] == {"geography": "E08000025", "verdict": "off_track", "rag": "red", "latest_value": 3.4}
    assert all(set(pl) == {"geography", "verdict", "rag", "latest_value"} for pl in places)


def test_a_ceiling_on_every_authority_is_broken_even_when_the_combined_figure_meets_it(catalogue):
    neet = catalogue.indicator("neet_16_17")
    p = assess(neet, [year(2024, 2.9)], dt.date(2025, 6, 1), places=_places(neet, NEET_2024))
    assert (p.verdict, p.rag) == ("off_track", "red")
    assert p.latest_value == 2.9
    assert p.reason.startswith(
        "4 of 7 authorities are above the 3% maximum: Solihull (4.2%), Coventry (3.6%)"
    )
    assert "the combined authority's own figure is 2.9% (2024)" in p.reason


def test_every_authority_meeting_the_ceiling_is_met_and_a_gap_is_at_risk(catalogue):
    neet = catalogue.indicator("neet_16_17")
    fine = dict.fromkeys(NEET_2024, 2.0)
    assert assess(neet, [year(2024, 2.0)], dt.date(2025, 6, 1), places=_places(neet, fine)).verdict == "met"
    gap = {**fine, "Walsall": None}
    p = assess(neet, [year(2024, 2.0)], dt.date(2025, 6, 1), places=_places(neet, gap))
    assert (p.verdict, p.rag) == ("at_risk", "amber")
    assert "no figures for Walsall" in p.reason


def test_with_no_target_and_no_combined_figure_the_authorities_range_is_given(catalogue):
    ratio = catalogue.indicator("housing_affordability_ratio")
    values = {"Birmingham": 6.5, "Coventry": 6.0, "Solihull": 7.0}
    p = assess(ratio, [], dt.date(2025, 6, 1), places=_places(ratio, values))
    assert p.verdict == "no_target"
    assert "range from 6.00 (Coventry) to 7.00 (Solihull)" in p.reason


def test_no_figures_anywhere_is_no_data(catalogue):
    neet = catalogue.indicator("neet_16_17")
    p = assess(neet, [], dt.date(2025, 6, 1), places=_places(neet, {}))
    assert (p.verdict, p.rag) == ("no_data", "none")


# --- dated targets: before the date ---------------------------------------------------------------


def test_a_running_total_on_pace_is_on_track_and_a_slow_one_off_track(catalogue):
    fast = running_total(quarters(2022, [520.0] * 4))
    slow = running_total(quarters(2022, [200.0] * 4))
    on = assess(jobs(catalogue), fast, dt.date(2023, 4, 15))
    off = assess(jobs(catalogue), slow, dt.date(2023, 4, 15))
    # 2,080 in one year from 1 April 2022, against 4,000 in two: 104% of the pace needed.
    assert (on.verdict, on.rag) == ("on_track", "green")
    assert on.progress_ratio == pytest.approx(2080 / (4000 / 2), rel=0.01)
    assert (off.verdict, off.rag) == ("off_track", "red")
    assert off.progress_ratio == pytest.approx(800 / 2000, rel=0.01)
    assert "progress since the start of 2022-23 Q1 is only 40% of the pace needed" in off.reason


def test_reaching_a_dated_target_early_is_met(catalogue):
    totals = running_total(quarters(2022, [1500.0, 1500.0, 1500.0]))
    p = assess(jobs(catalogue), totals, dt.date(2023, 1, 15))
    assert (p.verdict, p.rag) == ("met", "green")
    assert p.reached_period == "2022-23 Q3"


@pytest.mark.parametrize(
    ("latest", "verdict", "rag"),
    [
        (20.2, "on_track", "green"),
        (21.0, "at_risk", "amber"),
        (21.5, "off_track", "red"),
        (23.0, "off_track", "red"),
    ],
)
def test_a_level_target_is_judged_on_the_pace_since_the_base_year(catalogue, latest, verdict, rag):
    p = assess(internet(catalogue), [year(2022, 22.0), year(2023, latest)], dt.date(2024, 6, 1))
    assert (p.verdict, p.rag) == (verdict, rag)
    # From 22% at the end of 2022 to 15% by the end of 2026 needs 1.75 points a year.
    assert p.progress_ratio == pytest.approx((22.0 - latest) / 1.75, rel=0.01)


def test_older_history_does_not_move_todays_verdict(catalogue):
    """The pace runs from the declared base period, not from whatever was uploaded first."""
    recent = [year(2022, 22.0), year(2023, 21.0)]
    with_history = [year(2016, 40.0), year(2019, 30.0), *recent]
    a = assess(internet(catalogue), recent, dt.date(2024, 6, 1))
    b = assess(internet(catalogue), with_history, dt.date(2024, 6, 1))
    assert (a.verdict, a.progress_ratio, a.reason) == (b.verdict, b.progress_ratio, b.reason)
    flows = quarters(2022, [300.0] * 6)
    older = quarters(2019, [900.0] * 12)
    start = jobs(catalogue).base_period.start
    assert start == dt.date(2022, 4, 1)
    c = assess(jobs(catalogue), running_total(flows, start), dt.date(2023, 12, 1))
    d = assess(jobs(catalogue), running_total(older + flows, start), dt.date(2023, 12, 1))
    assert (
        (c.verdict, c.latest_value, c.reason)
        == (d.verdict, d.latest_value, d.reason)
        == (
            c.verdict,
            1800.0,
            c.reason,
        )
    )


def test_a_level_target_met_once_and_lost_is_off_track(catalogue):
    p = assess(internet(catalogue), [year(2022, 14.0), year(2023, 16.0)], dt.date(2024, 6, 1))
    assert (p.verdict, p.rag) == ("off_track", "red")
    assert "met the target in 2022 but has fallen back" in p.reason


def test_one_level_figure_is_too_few_to_measure_the_pace(catalogue):
    p = assess(internet(catalogue), [year(2022, 22.0)], dt.date(2024, 6, 1))
    assert (p.verdict, p.rag) == ("awaiting_data", "none")
    assert "one figure is too few to measure the pace" in p.reason


# --- dated targets: after the date ---------------------------------------------------------------


def test_met_after_the_date_is_met_late_and_says_how_late(catalogue):
    # 250 a quarter from 2022-23 Q1: 2,000 at the 31 March 2024 date, 4,000 at 2025-26 Q4 ... in 2025-26 Q4.
    totals = running_total(quarters(2022, [250.0] * 16))
    p = assess(jobs(catalogue), totals, dt.date(2026, 12, 3))
    assert (p.verdict, p.rag) == ("met_late", "amber")
    assert p.reached_period == "2025-26 Q4"
    assert p.reason == (
        "Reached 4,000 in 2025-26 Q4, 24 months after the 31 March 2024 date; "
        "the figure for 2023-24 Q4 was 2,000."
    )
    assert p.sentence.startswith("Met late: Reached 4,000 in 2025-26 Q4")


def test_not_met_by_the_figure_that_covers_the_date_is_missed(catalogue):
    totals = running_total(quarters(2022, [450.0] * 9))  # 3,600 at 2023-24 Q4, 4,050 after
    short = assess(jobs(catalogue), totals[:8], dt.date(2024, 6, 1))
    assert (short.verdict, short.rag) == ("missed", "red")
    assert short.deciding_period == "2023-24 Q4"
    assert short.reason == (
        "The figure for 2023-24 Q4, the period that covers the 31 March 2024 date, was 3,600, short of 4,000."
    )
    late = assess(jobs(catalogue), totals, dt.date(2024, 9, 1))
    assert late.verdict == "met_late"


def test_after_the_date_without_its_figure_the_verdict_waits_for_it(catalogue):
    """Two weeks after 31 March 2024 the 2023-24 Q4 figure is not in: not missed, awaiting data."""
    totals = running_total(quarters(2022, [480.0] * 7))  # up to 2023-24 Q3: 3,360
    p = assess(jobs(catalogue), totals, dt.date(2024, 4, 14))
    assert p.verdict == "awaiting_data"
    assert p.rag == "green"  # the pace so far: 3,360 in 21 months against 4,000 in 24 (96%)
    assert p.deciding_period == "2023-24 Q4"
    assert p.reason.startswith(
        "The 2023-24 Q4 figure decides whether the target of 4,000 by 31 March 2024 was met, and it is "
        "not in yet. On the pace so far it would be on track:"
    )
    # The same data before the date: on track. And once the figure is in, short: missed.
    assert assess(jobs(catalogue), totals, dt.date(2024, 3, 1)).verdict == "on_track"
    totals_in = running_total(quarters(2022, [480.0] * 8))  # 3,840 at 2023-24 Q4
    assert assess(jobs(catalogue), totals_in, dt.date(2024, 4, 14)).verdict == "missed"


def test_a_closed_programme_is_met_or_missed_never_awaiting(catalogue):
    academy = catalogue.indicator("jobs_skills_academy_people_supported")  # 6,000 by 30 September 2022
    assert academy.ends == dt.date(2022, 9, 30)
    start = academy.base_period.start
    published = running_total([quarter(2022, 2, 7570.0)], start)
    met = assess(academy, published, dt.date(2026, 12, 3))
    assert (met.verdict, met.rag) == ("met", "green")
    assert met.reason == (
        "Reached 6,000 by the 30 September 2022 date: 7,570 in 2022-23 Q2. "
        "The programme closed on 30 September 2022."
    )
    short = running_total([quarter(2022, 1, 5000.0)], start)  # nothing after 2022-23 Q1
    missed = assess(academy, short, dt.date(2026, 12, 3))
    assert (missed.verdict, missed.rag) == ("missed", "red")
    assert "the programme has closed" in missed.reason


def test_a_level_target_met_by_its_date_is_met_and_lower_is_better(catalogue):
    p = assess(
        internet(catalogue), [year(2022, 22.0), year(2025, 16.0), year(2026, 14.5)], dt.date(2027, 6, 1)
    )
    assert (p.verdict, p.rag) == ("met", "green")
    assert p.reached_period == "2026"


# --- projections ------------------------------------------------------------------------------------


def test_a_projection_runs_from_the_latest_period_inside_a_widening_band(catalogue):
    indicator = replace(
        internet(catalogue), target=replace(internet(catalogue).target, date=dt.date(2032, 12, 31))
    )
    points = [year(2022, 22.0), year(2023, 21.2), year(2024, 20.1), year(2025, 19.6)]
    p = assess(indicator, points, dt.date(2026, 6, 1))
    rows = p.projection
    assert rows[0]["date"] == dt.date(2025, 12, 31) and rows[0]["value"] == 19.6
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert all(r["low"] <= r["high"] for r in rows)
    assert rows[-1]["high"] - rows[-1]["low"] > rows[1]["high"] - rows[1]["low"]
    assert p.projected_date_low <= p.projected_date_to_target <= p.projected_date_high
    assert "80% range:" in p.reason


def test_three_figures_are_too_few_for_a_date_and_it_says_so(catalogue):
    p = assess(
        internet(catalogue), [year(2022, 22.0), year(2023, 21.0), year(2024, 20.0)], dt.date(2025, 6, 1)
    )
    assert p.projection is None and p.projected_date_to_target is None
    assert "with 3 figures since 2022 there are too few to project a date" in p.reason


def test_a_running_total_without_a_target_gets_a_line_a_year_ahead(catalogue):
    youth = replace(jobs(catalogue), target=None)
    totals = running_total(quarters(2022, [100.0, 110.0, 105.0, 120.0, 115.0]))
    p = assess(youth, totals, dt.date(2023, 9, 1))
    assert p.verdict == "no_target"
    assert p.projection[0]["date"] == dt.date(2023, 6, 30)
    assert p.projection[-1]["date"] == dt.date(2024, 6, 30)
    assert p.projection[-1]["value"] > totals[-1].value


# --- the JSON contract ------------------------------------------------------------------------------


CLI_KEYS = {
    "latest_period",
    "latest_value",
    "target",
    "target_kind",
    "target_date",
    "rag",
    "verdict",
    "reason",
    "places",
    "projected_value_at_target_date",
    "projected_date_to_target",
}


def test_as_json_is_exactly_the_progress_object_of_the_cli_contract(catalogue):
    share = catalogue.indicator("affordable_housing_share_scf")
    p = assess(share, [quarter(2023, 4, 24.0)], dt.date(2024, 6, 1))
    assert p.as_json() == {
        "latest_period": "2023-24 Q4",
        "latest_value": 24.0,
        "target": 20.0,
        "target_kind": "minimum",
        "target_date": None,
        "rag": "green",
        "verdict": "met",
        "reason": "Affordable share of homes in SCF schemes is 24.0% (2023-24 Q4), above the 20% minimum.",
        "places": None,
        "projected_value_at_target_date": None,
        "projected_date_to_target": None,
    }


def test_every_verdict_has_its_contract_colour(catalogue):
    totals = running_total(quarters(2022, [250.0] * 16))
    cases = {
        "met_late": assess(jobs(catalogue), totals, dt.date(2026, 12, 3)),
        "missed": assess(jobs(catalogue), running_total(quarters(2022, [100.0] * 8)), dt.date(2024, 6, 1)),
    }
    assert {v: p.rag for v, p in cases.items()} == {"met_late": "amber", "missed": "red"}
    out = json.loads(json.dumps(cases["met_late"].as_json()))
    assert set(out) == CLI_KEYS
    assert out["verdict"] == "met_late" and out["target_date"] == "2024-03-31"


# --- boundaries: each rule at its edge (these kill the mutants bench/mutate.py made) -------------------


def test_a_floor_or_ceiling_met_exactly_says_at(catalogue):
    share = catalogue.indicator("affordable_housing_share_scf")
    at = assess(share, [quarter(2023, 4, 20.0)], dt.date(2024, 6, 1))
    assert (at.verdict, at.reason) == (
        "met",
        "Affordable share of homes in SCF schemes is 20.0% (2023-24 Q4), at the 20% minimum.",
    )
    neet = catalogue.indicator("neet_16_17")
    assert (
        assess(neet, [year(2023, 3.0)], dt.date(2024, 6, 1)).reason
        == "NEET 16 to 17 is 3.0% (2023), at the 3% maximum."
    )


def test_one_scheme_below_or_one_scheme_in_all_is_said_in_the_singular(catalogue):
    share = catalogue.indicator("affordable_housing_share_scf")
    one_below = assess(share, [quarter(2023, 4, 30.0)], dt.date(2024, 6, 1), [("A", 25.0), ("B", 19.0)])
    assert one_below.reason.startswith("1 of 2 schemes is below the 20% minimum in 2023-24 Q4: B (19.0%);")
    only = assess(share, [quarter(2023, 4, 30.0)], dt.date(2024, 6, 1), [("A", 30.0)])
    assert only.verdict == "met" and only.reason.startswith(
        "The one scheme meets the 20% minimum in 2023-24 Q4;"
    )
    none_in = assess(share, [quarter(2023, 4, 30.0)], dt.date(2024, 6, 1), [])
    assert none_in.verdict == "met" and none_in.reason.endswith("; no scheme figures are in yet.")


def test_every_authority_wording_with_a_combined_figure(catalogue):
    neet = catalogue.indicator("neet_16_17")
    one = {**dict.fromkeys(NEET_2024, 2.0), "Dudley": 3.5}
    p = assess(neet, [year(2024, 2.5)], dt.date(2025, 6, 1), places=_places(neet, one))
    assert p.reason == (
        "1 of 7 authorities is above the 3% maximum: Dudley (3.5%); the combined authority's own figure "
        "is 2.5% (2024)."
    )
    fine = assess(
        neet, [year(2024, 2.5)], dt.date(2025, 6, 1), places=_places(neet, dict.fromkeys(NEET_2024, 2.0))
    )
    assert fine.reason == "NEET 16 to 17 is 2.5% (2024), under the 3% maximum, and all 7 authorities meet it."
    gap = {**dict.fromkeys(NEET_2024, 2.0), "Walsall": None}
    p = assess(neet, [year(2024, 2.5)], dt.date(2025, 6, 1), places=_places(neet, gap))
    assert p.reason == (
        "NEET 16 to 17 is 2.5% (2024), under the 3% maximum, but there are no figures for Walsall, so not "
        "every authority is known to meet it."
    )


def test_the_weakest_of_seven_names_the_authorities_without_figures(catalogue):
    neet = catalogue.indicator("neet_16_17")
    whole = replace(neet, target=replace(neet.target, applies_to="combined_authority"))
    values = {**NEET_2024, "Walsall": None}
    p = assess(whole, [], dt.date(2025, 6, 1), places=_places(whole, values))
    assert p.reason.endswith("; no figures for Walsall.")


def test_a_level_target_exactly_met_at_its_date_is_met(catalogue):
    p = assess(internet(catalogue), [year(2022, 22.0), year(2026, 15.0)], dt.date(2027, 6, 1))
    assert p.verdict == "met"
    totals = running_total(quarters(2022, [500.0] * 8))  # exactly 4,000 at 2023-24 Q4
    assert assess(jobs(catalogue), totals, dt.date(2024, 6, 1)).verdict == "met"


def test_on_the_date_itself_the_figure_is_not_yet_due(catalogue):
    totals = running_total(quarters(2022, [480.0] * 7))
    on_the_day = assess(jobs(catalogue), totals, dt.date(2024, 3, 31))
    day_after = assess(jobs(catalogue), totals, dt.date(2024, 4, 1))
    assert on_the_day.verdict == "on_track"
    assert day_after.verdict == "awaiting_data"


def test_a_programme_is_closed_only_after_its_last_day(catalogue):
    academy = replace(catalogue.indicator("jobs_skills_academy_people_supported"), ends=dt.date(2022, 10, 30))
    start = academy.base_period.start
    short = running_total([quarter(2022, 1, 5000.0)], start)
    assert assess(academy, short, dt.date(2022, 10, 30)).verdict == "awaiting_data"  # its last day
    assert assess(academy, short, dt.date(2022, 10, 31)).verdict == "missed"


def test_a_missing_figure_for_the_date_is_decided_by_the_first_figure_after_it(catalogue):
    ind = internet(catalogue)
    points = [year(2022, 22.0), year(2026, None, missing="x"), year(2027, 16.0), year(2028, 15.5)]
    p = assess(ind, points, dt.date(2029, 6, 1))
    assert p.verdict == "missed"
    assert p.reason == (
        "The target of 15% was not reached by 31 December 2026: there is no figure for 2026, and the first "
        "figure after the date is 16.0% (2027)."
    )


def test_met_late_by_one_month_is_said_in_the_singular():
    from metrics.catalogue import load_catalogue

    jobs_monthly = replace(
        load_catalogue().indicator("jobs_created_wmca_investment"),
        frequency="month",
        year_type=None,
        base_period=None,
    )
    months = [
        Point(f"2024-{m:02d}", dt.date(2024, m, 1), (dt.date(2024, m + 1, 1) - dt.timedelta(days=1)), v)
        for m, v in ((2, 3900.0), (3, 3950.0), (4, 4010.0))
    ]
    p = assess(jobs_monthly, months, dt.date(2024, 6, 1))
    assert p.verdict == "met_late"
    assert p.reason.startswith("Reached 4,000 in 2024-04, 1 month after the 31 March 2024 date")


def test_a_baseline_already_at_the_target_that_falls_back_is_off_track(catalogue):
    p = assess(internet(catalogue), [year(2022, 15.0), year(2023, 16.0)], dt.date(2024, 6, 1))
    assert p.verdict == "off_track" and "met the target in 2022 but has fallen back" in p.reason


def test_a_pace_of_nothing_or_the_wrong_way_is_said_so(catalogue):
    flat = assess(internet(catalogue), [year(2022, 22.0), year(2023, 22.0)], dt.date(2024, 6, 1))
    assert flat.verdict == "off_track" and "it has not moved since 2022" in flat.reason
    away = assess(internet(catalogue), [year(2022, 22.0), year(2023, 23.0)], dt.date(2024, 6, 1))
    assert away.progress_ratio < 0 and "it has moved away from the target since 2022" in away.reason


def test_the_pace_thresholds_are_inclusive(catalogue):
    points = [year(2022, 22.0), year(2023, 20.5)]
    ratio = assess(internet(catalogue), points, dt.date(2024, 6, 1)).progress_ratio
    on_green = replace(internet(catalogue), threshold_green=ratio, threshold_amber=ratio / 2)
    assert assess(on_green, points, dt.date(2024, 6, 1)).verdict == "on_track"
    on_amber = replace(internet(catalogue), threshold_green=1.0, threshold_amber=ratio)
    assert assess(on_amber, points, dt.date(2024, 6, 1)).verdict == "at_risk"


def test_a_running_totals_pace_runs_from_nothing_at_the_base_periods_start(catalogue):
    totals = running_total(quarters(2022, [520.0] * 4))  # 2,080 by 31 March 2023
    p = assess(jobs(catalogue), totals, dt.date(2023, 4, 15))
    made = 2080 / (dt.date(2023, 3, 31) - dt.date(2022, 4, 1)).days
    needed = 4000 / (dt.date(2024, 3, 31) - dt.date(2022, 4, 1)).days
    assert p.progress_ratio == pytest.approx(made / needed, rel=1e-9)
    assert "progress since the start of 2022-23 Q1 is 104% of the pace needed" in p.reason


def test_a_far_off_date_is_drawn_at_most_five_years_ahead_and_a_certain_one_has_a_one_month_range(catalogue):
    slow = [year(2022, 22.0), year(2023, 21.5), year(2024, 21.0), year(2025, 20.5)]  # 15% in about 2036
    p = assess(internet(catalogue), slow, dt.date(2026, 6, 1))
    assert p.projection[-1]["date"] == dt.date(2030, 12, 31)  # five years after the latest figure
    assert p.on_course is False and "after the target date" in p.reason
    exact = [year(2022, 22.0), year(2023, 20.0), year(2024, 18.0), year(2025, 16.0)]  # no noise at all
    q = assess(internet(catalogue), exact, dt.date(2026, 6, 1))
    assert q.on_course is True
    assert "it would reach 15% around December 2026 (80% range: December 2026)" in q.reason


def test_one_or_six_authorities_above_a_ceiling_are_counted_right(catalogue):
    neet = catalogue.indicator("neet_16_17")
    one = assess(
        neet, [], dt.date(2025, 6, 1), places=_places(neet, {**dict.fromkeys(NEET_2024, 2.0), "Dudley": 3.5})
    )
    assert one.reason.startswith(
        "1 of 7 authorities is above the 3% maximum in 2024: Dudley (3.5%); 6 meet it;"
    )
    six = assess(
        neet, [], dt.date(2025, 6, 1), places=_places(neet, {**dict.fromkeys(NEET_2024, 3.5), "Dudley": 2.0})
    )
    assert "; 1 meets it;" in six.reason


def test_the_weakest_of_seven_keeps_the_authorities_that_break_a_ceiling(catalogue):
    neet = catalogue.indicator("neet_16_17")
    whole = replace(neet, target=replace(neet.target, applies_to="combined_authority"))
    p = assess(whole, [], dt.date(2025, 6, 1), places=_places(whole, NEET_2024))
    assert {name for name, _ in p.breaking} == {"Birmingham", "Coventry", "Solihull", "Walsall"}


def test_a_target_date_on_the_first_day_of_a_period_is_decided_by_that_period(catalogue):
    early = replace(jobs(catalogue), target=replace(jobs(catalogue).target, date=dt.date(2024, 4, 1)))
    totals = running_total(quarters(2022, [450.0] * 9))  # 4,050 at 2024-25 Q1, which holds 1 April 2024
    p = assess(early, totals, dt.date(2024, 9, 1))
    assert (p.verdict, p.deciding_period) == ("met", "2024-25 Q1")


def test_a_higher_is_better_level_met_at_the_base_and_lost_is_off_track(catalogue):
    higher = replace(
        internet(catalogue), direction="higher", target=replace(internet(catalogue).target, value=80.0)
    )
    p = assess(higher, [year(2022, 80.0), year(2023, 79.0)], dt.date(2024, 6, 1))
    assert p.verdict == "off_track" and "met the target in 2022 but has fallen back" in p.reason
