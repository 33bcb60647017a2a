"""Context on the screens and in the files: England and the region beside a series (reference lines, bars
"for comparison", table columns, words), an authority beside its statistical neighbours, and survey
intervals drawn as whiskers with "no clear change" where they overlap. Each store here holds figures
typed in the test, so every expected number and sentence is worked out by hand."""

from __future__ import annotations

import io

import pytest

from metrics import charts, context, dashboard, export
from metrics.catalogue import default_catalogue
from metrics.upload import ingest_bytes

CATALOGUE = default_catalogue()
COVENTRY = CATALOGUE.geography("E08000026")
HEADER = "indicator_id,period,geography,value,lower,upper,confidence\n"


def load(db, rows: list[str]) -> None:
    report = ingest_bytes((HEADER + "".join(r + "\n" for r in rows)).encode(), "context.csv", db=db)
    assert report.status == "committed", report.as_json()["errors"][:3]


@pytest.fixture
def ratio_store(empty_store):
    """Housing affordability (an exact ratio): Coventry 2021-2023, England and the region 2020-2024."""
    rows = [
        f"housing_affordability_ratio,{y},Coventry,{v},,," for y, v in ((2021, 6.2), (2022, 6.5), (2023, 6.1))
    ]
    rows += [f"housing_affordability_ratio,{y},England,{v},,," for y, v in ((2020, 7.9), (2021, 9.0), (2022, 8.4),
                                                                           (2023, 8.0), (2024, 7.7))]  # fmt: skip
    rows += [
        f"housing_affordability_ratio,{y},West Midlands region,{v},,," for y, v in ((2021, 7.0), (2023, 7.0))
    ]
    rows += [f"apprenticeship_starts,2022-23,{p},{v},,," for p, v in (("Coventry", 900), ("England", 300000))]
    load(empty_store, rows)
    return empty_store


def test_england_and_the_region_are_drawn_beside_a_comparable_series_over_its_own_periods(ratio_store):
    shown = context.with_references(dashboard.show("housing_affordability_ratio", "Coventry", db=ratio_store),
                                    db=ratio_store)  # fmt: skip
    assert [(r.place.name, [p.period for p in r.series]) for r in shown.references] == [
        ("England", ["2021", "2022", "2023"]),  # 2020 and 2024 are outside Coventry's periods
        ("West Midlands region", ["2021", "2023"]),
    ]
    fig = charts.indicator_chart(shown)
    lines = {t.name: t for t in fig.data}
    assert list(lines["England"].y) == [9.0, 8.4, 8.0] and lines["England"].marker.symbol == "square"
    assert lines["West Midlands region"].marker.symbol == "triangle-up"
    assert lines["Coventry"].legendrank == 1  # the place's own line comes first in the key
    table = charts.table(shown)
    assert list(table.columns) == ["Period", "Value", "Status", "Note", "England", "West Midlands region"]
    assert table[["Period", "England", "West Midlands region"]].values.tolist() == [
        ["2021", "9.00", "7.00"],
        ["2022", "8.40", "no figure"],
        ["2023", "8.00", "7.00"],
    ]
    assert context.reference_sentences(shown) == [
        "Between 2021 and 2023, Coventry's ratio fell more slowly than England's (0.10 against 1.00).",
        "In 2023, Coventry's ratio (6.10) is lower than England's (8.00), by 1.90.",
        "Between 2021 and 2023, Coventry's ratio fell by 0.10, while the West Midlands region's did not change.",
        "In 2023, Coventry's ratio (6.10) is lower than the West Midlands region's (7.00), by 0.90.",
    ]
    described = charts.describe(shown)
    assert "the chart also shows England and the West Midlands region as thinner lines" in described
    # A chosen range cuts England's and the region's lines to it too.
    part = charts.restrict(shown, "2022", "2023")
    assert [[p.period for p in r.series] for r in part.references] == [["2022", "2023"], ["2023"]]


def test_counts_and_breakdowns_are_not_set_beside_england(ratio_store):
    """England's 300,000 apprenticeship starts beside Coventry's 900 says nothing about either."""
    starts = context.with_references(dashboard.show("apprenticeship_starts", "Coventry", db=ratio_store),
                                     db=ratio_store)  # fmt: skip
    assert starts.references == () and not context.comparable(starts.indicator)
    frame = dashboard.place_comparison(starts.indicator, db=ratio_store)
    refs = context.comparator_series(starts.indicator, db=ratio_store)
    assert context.places_with_references(starts.indicator, frame, refs) is frame


def test_the_seven_compared_carry_england_and_the_region_for_comparison_only(ratio_store):
    ind = CATALOGUE.indicator("housing_affordability_ratio")
    frame = dashboard.place_comparison(ind, db=ratio_store)
    with_refs = context.places_with_references(ind, frame, context.comparator_series(ind, db=ratio_store))
    fig = charts.place_chart(ind, with_refs)
    bars = fig.data[0]
    assert "England<br>(for comparison)" in list(
        bars.y
    ) and "West Midlands region<br>(for comparison)" in list(bars.y)
    # The title names the seven's highest and lowest, never England (whose 7.70 is the highest bar).
    assert fig.layout.title.text.startswith("Coventry: 6.10")
    table = charts.place_table(ind, with_refs)
    assert table["Place"].tolist()[:2] == [
        "England (for comparison)",
        "West Midlands region (for comparison)",
    ]
    assert "For comparison: England 7.70 (2024); West Midlands region 7.00 (2023)." in charts.describe_place(
        ind, with_refs
    )
    tiles = charts.tile_map(ind, with_refs)  # no tile, and no say in the shades, for England
    assert sorted(a.name for a in tiles.layout.annotations if (a.name or "").startswith("tile ")) == sorted(
        f"tile {g.name}" for g in CATALOGUE.local_authorities
    )
    data = export.places_files(dashboard.show(ind, db=ratio_store), with_refs, None).data
    rows = [r for r in data.rows if r[0] in ("England", "West Midlands region")]
    assert [r[1] for r in rows] == ["E92000001", "E12000005"]
    assert all(r[-1].startswith("For comparison: not one of the seven") for r in rows)


def test_the_trend_file_carries_the_comparators_shown(ratio_store):
    shown = dashboard.show("housing_affordability_ratio", "Coventry", db=ratio_store)
    files = export.view_files(shown, "trend", db=ratio_store)
    headings = [c.name for c in files.data.columns]
    assert headings[-2:] == [
        "England (E92000001), for comparison",
        "West Midlands region (E12000005), for comparison",
    ]
    assert [r[-2:] for r in files.data.rows] == [[9.0, 7.0], [8.4, "[x]"], [8.0, 7.0]]
    svg = files.chart.image("svg").decode()
    assert "England" in svg and "West Midlands region" in svg


@pytest.fixture
def survey_store(empty_store):
    """Employment rate (a survey estimate) with 95% intervals: Coventry's 2021 and 2023 overlap, Dudley's
    do not; Coventry's neighbours Leicester and Nottingham have figures, Bristol none."""
    rows = [
        "employment_rate_16_64,2021,Coventry,70.0,67.0,73.0,95",
        "employment_rate_16_64,2023,Coventry,72.0,69.0,75.0,95",
        "employment_rate_16_64,2021,Dudley,68.0,66.0,70.0,95",
        "employment_rate_16_64,2023,Dudley,75.0,73.0,77.0,95",
        "employment_rate_16_64,2023,Leicester,66.5,63.5,69.5,95",
        "employment_rate_16_64,2023,Nottingham,74.0,71.0,77.0,95",
    ]
    load(empty_store, rows)
    return empty_store


def test_survey_intervals_are_whiskers_and_a_change_is_said_only_when_clear(survey_store):
    coventry = dashboard.show("employment_rate_16_64", "Coventry", db=survey_store)
    fig = charts.indicator_chart(coventry)
    line = next(t for t in fig.data if t.name == "Coventry")
    # 2022 has no figure: a gap in the line, and no whisker.
    assert list(line.error_y.array) == [3.0, None, 3.0] and list(line.error_y.arrayminus) == [3.0, None, 3.0]
    assert fig.layout.title.text.replace("<br>", " ") == (
        "Employment rate (16 to 64): 70.0% in 2021 and 72.0% in 2023, no clear change"
    )
    assert "the whiskers show 95% confidence intervals" in str(fig.layout.meta["house"])
    assert charts.table(coventry)["Confidence interval"].tolist() == ["67.0% to 73.0%", "", "69.0% to 75.0%"]
    dudley = dashboard.show("employment_rate_16_64", "Dudley", db=survey_store)
    assert charts.headline(dudley) == "Employment rate (16 to 64) rose from 68.0% in 2021 to 75.0% in 2023"
    data = export.series_data(dudley, None)
    assert [c.name for c in data.columns][4:7] == ["Lower bound", "Upper bound", "Confidence level (%)"]
    assert [r[4:7] for r in data.rows] == [[66.0, 70.0, 95.0], [None, None, None], [73.0, 77.0, 95.0]]


def test_an_authority_is_ranked_among_its_statistical_neighbours(survey_store):
    ind = CATALOGUE.indicator("employment_rate_16_64")
    near = context.comparator_series(ind, COVENTRY, db=survey_store)
    frame = context.neighbour_frame(near, dashboard.place_comparison(ind, db=survey_store))
    assert context.similar_sentence(ind, frame, "Coventry") == (
        "Coventry's rate (72.0%, 2023) is the 2nd highest of the 3 places with a figure: Coventry and 2 of its "
        "statistical neighbours. The neighbours range from 66.5% (Leicester) to 74.0% (Nottingham). These are "
        "survey estimates, so places close together in this order may not really differ: see each figure's "
        "confidence interval in the table."
    )
    fig = charts.place_chart(ind, frame, highlight="Coventry", group="Coventry and its statistical neighbours",
                             title=context.similar_title(ind, frame, "Coventry"), target=False)  # fmt: skip
    assert fig.layout.title.text.replace("<br>", " ") == (
        "Coventry's rate (72.0%, 2023) is the 2nd highest of the 3 places with a figure"
    )
    bars = fig.data[0]
    assert list(bars.error_x.array)[-1] == pytest.approx(3.0)  # Nottingham, the top bar: 74.0 to 77.0
    values = {a.text for a in fig.layout.annotations if a.name == "bar value"}
    assert values == {"66.5%", "72.0%", "74.0%", "missing: no data"}  # written past the whiskers
    files = export.similar_files(dashboard.show(ind, COVENTRY, db=survey_store), frame, None, COVENTRY)
    assert files.chart.stem == "employment-rate-16-64-similar-e08000026"
    assert (
        files.data.title
        == "Employment rate, people aged 16 to 64: Coventry and its statistical neighbours, latest period"
    )
    written = io.BytesIO(export.to_csv(files.data)).read().decode()
    assert "Leicester" in written and "Nottingham" in written and "Bristol" in written


@pytest.mark.parametrize(
    ("mine", "lead"),
    [
        (80.0, "Coventry's rate (80.0%, 2023) is the highest of the 3 places with a figure"),
        (60.0, "Coventry's rate (60.0%, 2023) is the lowest of the 3 places with a figure"),
        (70.0, "Coventry's rate (70.0%, 2023) is the 2nd highest of the 3 places with a figure"),
        (
            75.0,
            "Coventry's rate (75.0%, 2023) is the highest of the 3 places with a figure",
        ),  # level with one
    ],
)
def test_the_ranking_among_neighbours_reads_as_the_figures_do(mine, lead):
    import pandas as pd

    ind = CATALOGUE.indicator("neet_16_17")  # exact figures: no survey note
    frame = pd.DataFrame(
        [{"place": "Coventry", "value": mine, "period": "2023"}, {"place": "Leicester", "value": 75.0, "period": "2023"},
         {"place": "Bristol", "value": 65.0, "period": "2023"}, {"place": "Bolton", "value": None, "period": None}]
    )  # fmt: skip
    assert context.similar_title(ind, frame, "Coventry") == lead
    assert context.similar_sentence(ind, frame, "Coventry") == (
        f"{lead}: Coventry and 2 of its statistical neighbours. The neighbours range from 65.0% (Bristol) to "
        "75.0% (Leicester)."
    )
    alone = frame[frame["place"].isin(["Coventry", "Bolton"])]
    assert context.similar_sentence(ind, alone, "Coventry") == (
        "None of Coventry's statistical neighbours has a figure for this measure yet."
    )


def test_an_indicators_definition_says_it_is_a_survey_estimate_and_what_is_hidden():
    from metrics import views

    employment = views.definition_list(CATALOGUE.indicator("employment_rate_16_64"))
    assert employment["Survey estimate"] == (
        "Estimated from a sample survey (Annual Population Survey (ONS)): a change or gap is called a difference "
        "only when the confidence intervals do not overlap."
    )
    assert "Small numbers" not in employment  # no breakdown by group to hide
    swap = views.definition_list(CATALOGUE.indicator("swap_participants"))
    assert swap["Small numbers"] == "A group with a count under 5 is shown as c, so no one can be identified."
    assert "Survey estimate" not in swap
