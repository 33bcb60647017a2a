"""Context for a figure: the comparators' series and the comparisons in words, with the uncertainty rule
(a change or gap is a difference only when the confidence intervals do not overlap). Every sentence is
typed out here in full; the figures come from the reference folder's published values."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.catalogue import default_catalogue
from metrics.context import comparator_series, comparison, neighbours_sentence
from metrics.series import Point
from metrics.words import change_sentence, clear_difference, compare_changes, gap_sentence, possessive

CATALOGUE = default_catalogue()
NEET = CATALOGUE.indicator("neet_16_17")  # an exact percentage (administrative data)
EMPLOYMENT = CATALOGUE.indicator("employment_rate_16_64")  # a survey estimate
RATIO = CATALOGUE.indicator("housing_affordability_ratio")
STARTS = CATALOGUE.indicator("apprenticeship_starts")


def point(year: int, value: float | None, lower: float | None = None, upper: float | None = None) -> Point:
    return Point(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31), value, lower=lower, upper=upper,
                 confidence=95.0 if lower is not None else None)  # fmt: skip


@pytest.mark.parametrize(
    ("change", "other_change", "sentence"),
    [
        (-1.2, -0.4, "Coventry's rate fell faster than England's (1.2 points against 0.4)."),
        (-0.4, -1.2, "Coventry's rate fell more slowly than England's (0.4 points against 1.2)."),
        (2.0, 0.5, "Coventry's rate rose faster than England's (2.0 points against 0.5)."),
        (0.5, 2.0, "Coventry's rate rose more slowly than England's (0.5 points against 2.0)."),
        (-1.2, 0.4, "Coventry's rate fell by 1.2 points, while England's rose by 0.4."),
        (-0.4, -0.4, "Coventry's rate and England's both fell by 0.4 points."),
        (-0.44, -0.36, "Coventry's rate and England's both fell by 0.4 points."),  # the same as shown
        (0.0, 0.3, "Coventry's rate did not change, while England's rose by 0.3 points."),
        (-0.7, 0.04, "Coventry's rate fell by 0.7 points, while England's did not change."),
        (0.0, 0.0, "Neither Coventry's rate nor England's changed."),
    ],
)
def test_two_changes_are_compared_in_words(change, other_change, sentence):
    assert compare_changes(NEET, "Coventry", change, "England", other_change) == sentence


def test_changes_in_other_units_are_said_in_their_unit():
    assert compare_changes(RATIO, "Solihull", 0.82, "England", 0.31) == (
        "Solihull's ratio rose faster than England's (0.82 against 0.31)."
    )
    assert compare_changes(STARTS, "Walsall", -120, "Dudley", -30) == (
        "Walsall's number fell faster than Dudley's (120 against 30)."
    )
    assert possessive("Wolverhampton") == "Wolverhampton's" and possessive("Kirklees") == "Kirklees'"


def test_a_gap_between_exact_figures_is_a_difference():
    assert gap_sentence(NEET, "Solihull", point(2025, 4.2), "England", point(2025, 2.9)) == (
        "Solihull's rate (4.2%) is higher than England's (2.9%), by 1.3 points."
    )
    assert gap_sentence(NEET, "Dudley", point(2025, 2.9), "England", point(2025, 2.94)) == (
        "Dudley's rate is the same as England's (2.9%)."
    )


def test_a_gap_between_estimates_is_a_difference_only_when_the_intervals_do_not_overlap():
    apart = gap_sentence(
        EMPLOYMENT, "Coventry", point(2023, 70.5, 68.4, 72.6), "England", point(2023, 75.7, 75.4, 76.0)
    )
    assert apart == (
        "Coventry's rate (70.5%) is lower than England's (75.7%), by 5.2 points, and their confidence "
        "intervals do not overlap."
    )
    overlap = gap_sentence(
        EMPLOYMENT, "Solihull", point(2023, 74.9, 72.0, 77.8), "England", point(2023, 75.7, 75.4, 76.0)
    )
    assert overlap == (
        "There is no clear difference between Solihull's rate (74.9%) and England's (75.7%): their confidence "
        "intervals overlap."
    )
    unknown = gap_sentence(EMPLOYMENT, "Solihull", point(2023, 74.9), "England", point(2023, 75.7))
    assert unknown == (
        "There is no clear difference between Solihull's rate (74.9%) and England's (75.7%): the survey "
        "estimates have no confidence intervals to judge it by."
    )


def test_a_change_in_an_estimate_is_said_only_when_it_is_clear():
    assert change_sentence(
        EMPLOYMENT, "Coventry", point(2021, 73.3, 71.0, 75.6), point(2023, 70.5, 68.4, 72.6)
    ) == (
        "There is no clear difference in Coventry's rate between 2021 (73.3%) and 2023 (70.5%): their "
        "confidence intervals overlap."
    )
    assert change_sentence(
        EMPLOYMENT, "Coventry", point(2021, 76.0, 75.0, 77.0), point(2023, 70.5, 68.4, 72.6)
    ) == ("Coventry's rate fell from 76.0% in 2021 to 70.5% in 2023, by 5.5 points.")
    assert change_sentence(NEET, "Coventry", point(2021, 3.3), point(2025, 3.6)) == (
        "Coventry's rate rose from 3.3% in 2021 to 3.6% in 2025, by 0.3 points."
    )


@pytest.mark.parametrize(
    ("a", "b", "clear"),
    [
        ((70.0, 68.0, 72.0), (75.0, 72.1, 78.0), True),
        ((70.0, 68.0, 72.0), (75.0, 72.0, 78.0), False),  # touching intervals overlap
        ((70.0, None, None), (75.0, 74.0, 76.0), False),  # one without an interval: not clear
        ((70.0, 70.0, 70.0), (70.0, 70.0, 70.0), False),  # the same value is never a difference
    ],
)
def test_the_uncertainty_rule(a, b, clear):
    assert clear_difference(EMPLOYMENT, point(2022, *a), point(2023, *b)) is clear
    assert clear_difference(NEET, point(2022, a[0]), point(2023, b[0])) is (a[0] != b[0])


def test_a_comparison_runs_over_the_periods_both_places_have():
    coventry = [point(2021, 3.3), point(2022, 3.0), point(2025, 3.6)]
    england = [point(2020, 2.7), point(2021, 2.7), point(2022, 2.5), point(2025, 2.9)]
    assert comparison(NEET, "Coventry", coventry, "England", england) == (
        "Between 2021 and 2025, Coventry's rate rose faster than England's (0.3 points against 0.2)."
    )
    assert comparison(NEET, "Coventry", coventry[:1], "England", england) == (
        "Coventry's figures cannot be compared with England's: they share fewer than two periods."
    )
    estimates = [point(2021, 73.3, 71.0, 75.6), point(2023, 70.5, 68.4, 72.6)]
    national = [point(2021, 75.0, 74.7, 75.3), point(2023, 75.7, 75.4, 76.0)]
    assert comparison(EMPLOYMENT, "Coventry", estimates, "England", national) == (
        "There is no clear difference in Coventry's rate between 2021 (73.3%) and 2023 (70.5%): their "
        "confidence intervals overlap."
    )


def test_the_comparator_series_are_the_published_figures(sample_store):
    """England's and the region's NEET figures as the reference folder publishes them (a held-out style
    oracle: typed from ../shared/reference/real-figures/neet_16_17_pct.csv), beside Coventry's neighbours."""
    coventry = CATALOGUE.geography("E08000026")
    context = comparator_series(NEET, coventry, db=sample_store)
    assert [(p.period, p.value) for p in context.england.series][-3:] == [
        ("2023", 2.8),
        ("2024", 3.2),
        ("2025", 3.4),
    ]
    assert context.region.place.name == "West Midlands region"
    assert [p.illustrative for p in context.england.series] == [False] * len(context.england.series)
    assert [s.place.name for s in context.neighbours] == [
        "Leicester", "Nottingham", "Bristol", "Sheffield", "Bolton", "Kirklees"
    ]  # fmt: skip
    assert all(s.series == [] for s in context.neighbours)  # the sample has no neighbours' figures
    assert neighbours_sentence(context) == (
        "Coventry's statistical neighbours (CIPFA Nearest Neighbours Model; an illustrative list): Leicester, "
        "Nottingham, Bristol, Sheffield, Bolton and Kirklees."
    )
    no_authority = comparator_series(NEET, db=sample_store)
    assert no_authority.neighbours == () and neighbours_sentence(no_authority) == ""


def test_a_cumulative_comparator_is_a_running_total(empty_store):
    from metrics.upload import ingest_bytes

    jobs = CATALOGUE.indicator("jobs_created_wmca_investment")
    text = "indicator_id,period,geography,value\n" + "".join(
        f"{jobs.id},2022-23 Q{q},England,{10 * q}\n" for q in (1, 2, 3)
    )
    assert ingest_bytes(text.encode(), "f.csv", db=empty_store).status == "committed"
    context = comparator_series(jobs, db=empty_store)
    assert [p.value for p in context.england.series] == [10.0, 30.0, 60.0]
    assert context.region.series == []
