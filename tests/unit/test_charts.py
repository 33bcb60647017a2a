"""The house style of every chart, and that each chart's words and table say what the chart shows.

Series are built in memory from the real catalogue's indicators, so each test controls
exactly which values are missing, provisional or below target; one test reads the
sample store to check a headline against `kpi show`'s own numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import replace

import pandas as pd
import pytest

from metrics import charts, dashboard
from metrics.catalogue import default_catalogue
from metrics.progress import running_total
from metrics.schemes import SchemeView
from metrics.series import Point
from metrics.verdicts import assess
from metrics.words import format_value

TODAY = dt.date(2026, 11, 26)
CAT = default_catalogue()
CA = CAT.combined_authority
QUARTERS = [
    ("2022-23 Q1", dt.date(2022, 4, 1), dt.date(2022, 6, 30)),
    ("2022-23 Q2", dt.date(2022, 7, 1), dt.date(2022, 9, 30)),
    ("2022-23 Q3", dt.date(2022, 10, 1), dt.date(2022, 12, 31)),
    ("2022-23 Q4", dt.date(2023, 1, 1), dt.date(2023, 3, 31)),
    ("2023-24 Q1", dt.date(2023, 4, 1), dt.date(2023, 6, 30)),
]


def _shown(indicator_id: str, values, *, statuses=None, missing=None, cumulative=None) -> dashboard.Shown:
    """A Shown as dashboard.show builds it: points, running totals for cumulative indicators, progress."""
    ind = CAT.indicator(indicator_id)
    statuses = statuses or ["final"] * len(values)
    missing = missing or [None] * len(values)
    points = [
        Point(period=q[0], start=q[1], end=q[2], value=v, status=s, missing=m)
        for q, v, s, m in zip(QUARTERS, values, statuses, missing, strict=False)
    ]
    if cumulative if cumulative is not None else ind.is_cumulative:
        points = running_total(points)
    return dashboard.Shown(ind, CA, None, points, assess(ind, points, TODAY))


def _main_trace(fig):
    return fig.data[0]


def _x_dates(trace) -> list[dt.date]:
    return [pd.Timestamp(x).date() for x in trace.x]


def _colours_drawn(fig) -> set[str]:
    """Every colour the figure's traces and shapes draw lines and markers with (#RRGGBB upper-cased)."""
    found: set[str] = set()

    def add(value) -> None:
        if isinstance(value, str):
            found.add(value.upper() if value.startswith("#") else value)
        elif isinstance(value, (list, tuple)):
            for v in value:
                add(v)

    for part in (*fig.data, *fig.layout.shapes):
        for prop in ("line", "marker"):
            style = getattr(part, prop, None)
            if style is not None and getattr(style, "color", None) is not None:
                add(style.color)
    return found


def _annotation_texts(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations]


# --- palette, style ---------------------------------------------------------------------------------


def test_line_chart_draws_the_series_in_the_first_palette_colour_and_the_target_in_dark_grey():
    fig = charts.indicator_chart(_shown("affordable_housing_share_scf", [27.0, 26.0, 25.0, 24.0]))
    assert _main_trace(fig).line.color == "#12436D"
    target = next(t for t in fig.data if (t.name or "").startswith("Target"))
    assert target.line.color == "#3D3D3D"
    used = _colours_drawn(fig)
    allowed = {*charts.PALETTE, charts.TARGET_COLOUR}
    assert used <= allowed, f"colours outside the Analysis Function palette: {used - allowed}"


def test_palette_colours_meet_three_to_one_against_white_and_tile_text_meets_four_and_a_half():
    for colour in (charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[2], charts.TARGET_COLOUR):
        assert charts.contrast(colour, "#FFFFFF") >= 3.0, colour
    for t in (0.15, 0.4, 0.5, 0.6, 1.0):  # every tile shade gets a text colour of at least 4.5:1
        fill = charts._mix(t)
        assert charts.contrast(fill, charts._text_on(fill)) >= 4.5, fill


def test_key_is_above_the_plot_and_there_is_one_value_axis():
    fig = charts.indicator_chart(_shown("affordable_housing_share_scf", [27.0, 26.0, 25.0]))
    legend = fig.layout.legend
    assert legend.orientation == "h" and legend.yanchor == "bottom" and legend.yref == "container"
    key_bottom = (1 - legend.y) * fig.layout.height  # px from the figure's top to the key's last row
    assert key_bottom == pytest.approx(fig.layout.margin.t - 8)  # 8 px above the plot
    axes = [k for k in fig.to_plotly_json()["layout"] if k.startswith("yaxis")]
    assert axes == ["yaxis"], f"one value axis, no dual axes: {axes}"
    assert all(getattr(t, "yaxis", None) in (None, "y") for t in fig.data)


# Widths measured in Chromium (Liberation Sans, which it draws for Arial) on the Indicator page with
# WCAG 1.4.12's spacing applied (letters 0.12 em, words 0.16 em): the key's names at 13 px (a laptop's
# layout) and 12 px (a phone's).
SPACED_PX = {
    13: {
        "West Midlands Combined Authority": 258,
        "Provisional (open markers)": 200,
        "Target: at least 20%": 152,
    },
    12: {"Provisional (open markers)": 185, "Target: at least 20%": 141},
}


def test_each_entry_of_the_key_has_room_for_its_name_at_the_widest_text_spacing():
    """Plotly places the key's entries by the width their names had when drawn; a reader's wider spacing
    (WCAG 1.4.12) then ran each name into the next. Each entry is given the room it takes spaced out."""
    shown = _shown(
        "affordable_housing_share_scf", [27.0, 26.0, 25.0], statuses=["final", "final", "provisional"]
    )
    for fig, size in (
        (charts.indicator_chart(shown), 13),
        (charts.narrow(charts.indicator_chart(shown)), 12),
    ):
        assert fig.layout.legend.font.size == size
        entries = {t.name: t for t in fig.data if t.showlegend is not False and t.name}
        for name, measured in SPACED_PX[size].items():
            assert entries[name].legendwidth >= measured, (name, size, entries[name].legendwidth)


def test_the_phone_key_fits_the_narrowest_phone_and_wraps_a_long_name():
    """At 320 px the phone's chart is 288 px wide: every entry (symbol and name, spaced out) ends inside it."""
    shown = _shown(
        "affordable_housing_share_scf", [27.0, 26.0, 25.0], statuses=["final", "final", "provisional"]
    )
    phone = charts.narrow(charts.indicator_chart(shown))
    legend = phone.layout.legend
    assert legend.xref == "container" and legend.x == 0
    entries = [t for t in phone.data if t.showlegend is not False and t.name]
    assert len(entries) == 3
    for trace in entries:
        assert legend.indentation + 30 + 2 * 5 + trace.legendwidth <= 288, trace.name
    wide = charts.indicator_chart(
        replace(shown, geography=replace(CA, name="A place with a very long name indeed for a phone"))
    )
    long = next(t for t in charts.narrow(wide).data if t.name and t.name.startswith("A place"))
    assert long.name.count("<br>") >= 1  # wrapped onto lines
    assert long.name.replace("<br>", " ") == "A place with a very long name indeed for a phone"


def test_source_line_names_publication_and_publisher_and_says_illustrative():
    shown = _shown("affordable_housing_share_scf", [27.0, 26.0])
    fig = charts.indicator_chart(shown)
    ind = shown.indicator
    source = next(a.text for a in fig.layout.annotations if a.name == "source").replace("<br>", " ")
    assert source.startswith(f"Source: {ind.source_publication} from {ind.source_publisher}")
    assert "Illustrative data" in source  # this indicator's statistics status is illustrative


def test_units_on_the_value_axis_and_subtitle_gives_measure_place_and_periods():
    shown = _shown("jobs_skills_academy_people_supported", [210, 380, 520])
    fig = charts.indicator_chart(shown)
    assert fig.layout.yaxis.title.text == "People trained"  # the unit as WMCA published it
    sub = fig.layout.title.subtitle.text.replace("<br>", " ")
    assert shown.indicator.name in sub
    assert "West Midlands Combined Authority" in sub
    assert "2022-23 Q1 to 2022-23 Q3" in sub


def test_x_axis_is_real_dates_labelled_with_periods():
    fig = charts.indicator_chart(_shown("affordable_housing_share_scf", [27.0, 26.0, 25.0]))
    assert fig.layout.xaxis.type == "date"
    assert _x_dates(_main_trace(fig)) == [q[2] for q in QUARTERS[:3]]
    assert list(fig.layout.xaxis.ticktext) == ["2022-23 Q1", "2022-23 Q2", "2022-23 Q3"]


# --- titles state the finding -------------------------------------------------------------------------


def test_title_says_a_minimum_was_kept_in_every_quarter():
    fig = charts.indicator_chart(_shown("affordable_housing_share_scf", [27.0, 26.0, 25.0, 24.0]))
    assert fig.layout.title.text.replace("<br>", " ") == (
        "Affordable share of homes in SCF schemes stayed above 20% in every quarter"
    )


def test_title_says_when_a_minimum_was_missed():
    title = charts.headline(_shown("affordable_housing_share_scf", [27.0, 22.0, 19.0]))
    assert title == "Affordable share of homes in SCF schemes fell below 20% in 2022-23 Q3"


def test_title_says_when_a_cumulative_target_was_passed_and_whether_it_was_late():
    # 2,000 + 4,500 = 6,500: the running total passes 6,000 in the second quarter, on time.
    on_time = charts.headline(_shown("jobs_skills_academy_people_supported", [2000, 4500]))
    assert on_time == (
        "People supported by the Commonwealth Games Jobs and Skills Academy passed 6,000 in 2022-23 Q2, "
        "by the 30 September 2022 target date"
    )
    late = charts.headline(_shown("jobs_skills_academy_people_supported", [2000, 2500, 2000]))
    assert late.endswith("passed 6,000 in 2022-23 Q3, after the 30 September 2022 target date")


def test_a_title_never_contradicts_an_off_track_verdict_on_every_scheme():
    """The total stayed above 20% in every quarter, but one scheme is below it: the title says so."""
    ind = CAT.indicator("affordable_housing_share_scf")
    points = [Point(q[0], q[1], q[2], v) for q, v in zip(QUARTERS, [27.0, 26.0, 25.0], strict=False)]
    progress = assess(ind, points, TODAY, [("Scheme A", 30.0), ("Scheme B", 12.5)])
    shown = dashboard.Shown(ind, CA, None, points, progress)
    assert progress.verdict == "off_track"
    assert charts.headline(shown) == (
        "1 of 2 schemes is below the 20% minimum, though all schemes together are at 25.0%"
    )
    assert "stayed above" not in charts.describe(shown)
    assert "Off track: 1 of 2 schemes is below the 20% minimum in 2022-23 Q3: Scheme B (12.5%)" in (
        charts.describe(shown)
    )


@pytest.mark.parametrize(
    ("values", "today", "title"),
    [
        (
            [1000, 1000],
            dt.date(2022, 9, 1),
            "is well short of the pace needed to reach 6,000 by 30 September 2022",
        ),
        (
            [1000],
            dt.date(2022, 10, 14),
            "the 2022-23 Q2 figure that decides the 30 September 2022 target",
        ),
        ([1000, 1000, 500], dt.date(2023, 1, 14), "did not reach 6,000 by 30 September 2022"),
    ],
)
def test_a_dated_title_follows_the_verdict(values, today, title):
    ind = CAT.indicator("jobs_skills_academy_people_supported")
    ind = replace(ind, ends=None)  # an open programme: its figure may still come
    points = running_total(
        [Point(q[0], q[1], q[2], float(v)) for q, v in zip(QUARTERS, values, strict=False)]
    )
    shown = dashboard.Shown(ind, CA, None, points, assess(ind, points, today))
    assert title in charts.headline(shown)


def test_title_without_a_target_states_the_change():
    title = charts.headline(_shown("households_temporary_accommodation", [100, 120, 150]))
    assert title == "Households in temporary accommodation rose from 100 in 2022-23 Q1 to 150 in 2022-23 Q3"


def test_title_comes_from_the_sample_template_like_kpi_show(sample_template):
    shown = dashboard.show("jobs_skills_academy_people_supported", db=sample_template, today=TODAY)
    latest = shown.progress.latest_value
    title = charts.headline(shown)
    assert shown.progress.verdict == "met"
    assert title.endswith("passed 6,000 in 2022-23 Q2, by the 30 September 2022 target date")
    assert format_value(shown.indicator, latest) in charts.describe(shown)


# --- targets ----------------------------------------------------------------------------------------


def test_minimum_target_is_a_labelled_line():
    fig = charts.indicator_chart(_shown("affordable_housing_share_scf", [27.0, 26.0]))
    target = next(t for t in fig.data if (t.name or "").startswith("Target"))
    assert target.name == "Target: at least 20%"
    assert set(target.y) == {20.0}
    assert "Target: at least 20%" in _annotation_texts(fig)


def test_dated_target_is_labelled_with_its_date_and_marked_at_it():
    fig = charts.indicator_chart(_shown("jobs_skills_academy_people_supported", [2000, 2500]))
    assert "Target: 6,000 by 30 September 2022" in _annotation_texts(fig)
    marker = next(t for t in fig.data if t.name == "Target date")
    assert _x_dates(marker) == [dt.date(2022, 9, 30)] and list(marker.y) == [6000.0]


# --- missing, provisional, projection ------------------------------------------------------------------


def test_missing_value_is_a_gap_with_its_reason_never_zero():
    shown = _shown("households_temporary_accommodation", [100, None, 150], missing=[None, "c", None])
    fig = charts.indicator_chart(shown)
    trace = _main_trace(fig)
    at = _x_dates(trace).index(QUARTERS[1][2])
    assert trace.y[at] is None or math.isnan(trace.y[at]), "a suppressed value was drawn"
    assert trace.connectgaps is False
    assert any("suppressed to protect confidentiality" in (t or "") for t in _annotation_texts(fig))
    assert "2022-23 Q2 (suppressed to protect confidentiality)" in charts.describe(shown)


def test_period_with_no_row_at_all_is_shown_as_a_gap():
    ind = CAT.indicator("households_temporary_accommodation")
    points = [Point(q[0], q[1], q[2], v) for q, v in ((QUARTERS[0], 100.0), (QUARTERS[2], 130.0))]
    shown = dashboard.Shown(ind, CA, None, points, assess(ind, points, TODAY))
    trace = _main_trace(charts.indicator_chart(shown))
    assert _x_dates(trace) == [QUARTERS[0][2], QUARTERS[1][2], QUARTERS[2][2]]
    assert trace.y[1] is None
    assert charts.table(shown)["Value"].tolist() == ["100", "no figure", "130"]


def test_provisional_values_have_open_markers_and_a_key_entry():
    shown = _shown(
        "affordable_housing_share_scf", [27.0, 26.0, 25.0], statuses=["final", "final", "provisional"]
    )
    fig = charts.indicator_chart(shown)
    assert list(_main_trace(fig).marker.symbol) == ["circle", "circle", "circle-open"]
    key = next(t for t in fig.data if t.name == "Provisional (open markers)")
    assert _x_dates(key) == [QUARTERS[2][2]]
    assert "provisional" in _main_trace(fig).customdata[2][2]


def test_projection_is_dashed_with_a_band_and_labelled():
    shown = _shown("internet_non_users", [22.0, 21.0, 20.0, 19.6], cumulative=False)
    assert shown.progress.projection, "the sample trend should give a projection"
    fig = charts.indicator_chart(shown)
    line = next(t for t in fig.data if t.name == "Projection (trend)")
    band = next(t for t in fig.data if t.name == "Projection range (80%)")
    assert line.line.dash == "dash"
    assert band.fill == "tonexty"
    assert pd.Timestamp(line.x[0]).date() == QUARTERS[3][2], "the projection starts at the latest value"
    assert "Projection (trend)" in _annotation_texts(fig)


# --- axes --------------------------------------------------------------------------------------------


def test_counts_axis_starts_at_zero():
    fig = charts.indicator_chart(_shown("households_temporary_accommodation", [10_000, 11_000, 12_000]))
    assert fig.layout.yaxis.rangemode == "tozero"
    ind = CAT.indicator("households_temporary_accommodation")
    frame = pd.DataFrame(
        [
            {
                "place": g.name,
                "period": "2022-23 Q1",
                "end": QUARTERS[0][2],
                "value": 1000.0 + i,
                "missing": None,
                "status": "final",
            }
            for i, g in enumerate(CAT.local_authorities)
        ]
    )
    bars = charts.place_chart(ind, frame)
    assert bars.layout.xaxis.range[0] == 0


# --- words and tables --------------------------------------------------------------------------------


def test_description_names_chart_type_latest_value_and_target():
    shown = _shown("affordable_housing_share_scf", [27.0, 26.0, 19.5])
    text = charts.describe(shown)
    assert text.startswith("Line chart")
    assert "the latest is 19.5% (2022-23 Q3" in text
    assert "The target is at least 20%: the latest value does not meet it." in text
    assert "The first value is 27.0% (2022-23 Q1)" in text


def test_table_numbers_equal_the_series():
    shown = _shown(
        "jobs_skills_academy_people_supported", [1200, 800, 950], statuses=["final", "final", "provisional"]
    )
    frame = charts.table(shown)
    assert list(frame.columns) == ["Period", "Value", "Status", "Note"]
    assert frame["Period"].tolist() == [p.period for p in shown.series]
    assert frame["Value"].tolist() == [format_value(shown.indicator, p.value) for p in shown.series]
    assert frame["Value"].tolist() == ["1,200", "2,000", "2,950"]  # running totals, as the chart draws them
    assert frame["Status"].tolist() == ["final", "final", "provisional"]
    trace = _main_trace(charts.indicator_chart(shown))
    assert [float(v) for v in trace.y] == [p.value for p in shown.series]


def test_table_says_why_a_value_is_missing():
    shown = _shown("households_temporary_accommodation", [100, None], missing=[None, "x"])
    row = charts.table(shown).iloc[1]
    assert row["Value"] == "missing (not available)"
    assert "missing: not available" in row["Note"]


# --- the other charts ---------------------------------------------------------------------------------


def _places(values: dict[str, float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "code": g.code,
                "place": g.name,
                "period": "2023-24 Q1",
                "end": QUARTERS[4][2],
                "value": values.get(g.name),
                "missing": None if values.get(g.name) is not None else "c",
                "status": "final",
            }
            for g in CAT.local_authorities
        ]
    )


def test_place_chart_sorts_the_seven_and_labels_missing_as_missing():
    ind = CAT.indicator("affordable_housing_share_scf")
    frame = _places(
        {
            "Birmingham": 25.0,
            "Coventry": 30.0,
            "Dudley": 18.0,
            "Sandwell": None,
            "Solihull": 22.0,
            "Walsall": 21.0,
            "Wolverhampton": 24.0,
        }
    )
    fig = charts.place_chart(ind, frame)
    bars = fig.data[0]
    assert list(bars.y)[-1] == "Coventry", "largest at the top"
    at = list(bars.y).index("Sandwell")
    assert bars.text[at].startswith("missing")
    text = charts.describe_place(ind, frame)
    assert "Coventry 30.0%" in text and "Sandwell (suppressed to protect confidentiality)" in text
    assert "Dudley do not meet it" in text
    assert charts.place_table(ind, frame)["Place"].tolist()[0] == "Coventry"


def test_tile_map_writes_every_value_in_its_tile():
    ind = CAT.indicator("affordable_housing_share_scf")
    frame = _places({g.name: 20.0 + i for i, g in enumerate(CAT.local_authorities)})
    fig = charts.tile_map(ind, frame)
    tiles = {a.name: a.text for a in fig.layout.annotations if (a.name or "").startswith("tile ")}
    assert len(tiles) == 7
    for i, g in enumerate(CAT.local_authorities):
        assert f"{20.0 + i:.1f}%" in tiles[f"tile {g.name}"]
    assert "Coventry (east)" in charts.describe_tiles(ind, frame)


def test_the_scheme_chart_draws_the_lowest_and_counts_the_rest():
    """With thousands of schemes the chart draws the lowest few and says how many there are; the
    table still lists every one, and the title counts them all."""
    ind = CAT.indicator("affordable_housing_share_scf")
    shares = [5.0 + i * 0.25 for i in range(100)]  # 5% to 29.75%: the 60 lowest are below 20%
    frame = pd.DataFrame(
        [
            {
                "project": f"Scheme {i:03d}",
                "place": "Birmingham",
                "period": "2023-24 Q1",
                "period_end": QUARTERS[4][2],
                "numerator": share,
                "denominator": 100.0,
                "share": share,
                "missing": None,
                "status": "final",
            }
            for i, share in enumerate(shares)
        ]
    )
    view = SchemeView.of(frame.sample(frac=1, random_state=3), 20.0)  # the file's order is not the shares'
    fig = charts.project_chart(ind, view)
    bars = fig.data[0]
    assert len(bars.y) == charts.CHARTED_SCHEMES
    assert list(bars.x) == shares[: charts.CHARTED_SCHEMES]  # the lowest, lowest first
    assert charts.headline_text(fig) == "60 of 100 schemes were below the 20% minimum in 2023-24 Q1"
    drawn = json.dumps(fig.to_plotly_json()).replace("<br>", " ")
    assert f"the {charts.CHARTED_SCHEMES} lowest of 100 shown, every scheme in the download" in drawn
    words = charts.describe_projects(ind, view)
    assert f"The chart and the table show the {charts.CHARTED_SCHEMES} lowest" in words
    assert "; and 20 more." in words and "The other 40 range from 20.0% to 29.8%." in words
    assert len(charts.project_table(ind, view.rows)) == charts.CHARTED_SCHEMES
    assert len(charts.project_table(ind, frame)) == 100  # the download's table: every scheme


def test_project_chart_marks_schemes_below_the_minimum_with_a_pattern_and_a_cross():
    ind = CAT.indicator("affordable_housing_share_scf")
    frame = pd.DataFrame(
        [
            {
                "project": "A scheme",
                "place": "Birmingham",
                "period": "2023-24 Q1",
                "period_end": QUARTERS[4][2],
                "numerator": 30.0,
                "denominator": 100.0,
                "share": 30.0,
                "missing": None,
                "status": "final",
            },
            {
                "project": "B scheme",
                "place": "Dudley",
                "period": "2023-24 Q1",
                "period_end": QUARTERS[4][2],
                "numerator": 15.0,
                "denominator": 100.0,
                "share": 15.0,
                "missing": None,
                "status": "final",
            },
        ]
    )
    view = SchemeView.of(frame, 20.0)
    fig = charts.project_chart(ind, view)
    bars = fig.data[0]
    at = list(bars.y).index("B scheme")
    assert bars.marker.pattern.shape[at] == "x"
    labels = next(t for t in fig.data if t.name == "values")
    assert list(labels.y) == list(bars.y)
    assert labels.text[at] == f"{charts.BELOW_MARK} 15.0% below 20%"
    assert labels.text[list(bars.y).index("A scheme")] == "30.0%"
    assert bars.marker.pattern.shape[list(bars.y).index("A scheme")] == ""
    assert charts.headline_text(fig) == "1 of 2 schemes was below the 20% minimum in 2023-24 Q1"
    assert "B scheme 15.0%" in charts.describe_projects(ind, view)
    table = charts.project_table(ind, view.rows)
    assert table.iloc[0]["Scheme"] == "B scheme" and "below" in table.iloc[0]["Against the 20% minimum"]


def test_breakdown_chart_states_the_gap_for_the_latest_period():
    ind = CAT.indicator("apprenticeship_starts")
    frame = pd.DataFrame(
        [
            {
                "group": "Female",
                "period": "2023-24",
                "start": dt.date(2023, 8, 1),
                "end": dt.date(2024, 7, 31),
                "value": 800.0,
                "missing": None,
                "status": "final",
                "derived": False,
            },
            {
                "group": "Male",
                "period": "2023-24",
                "start": dt.date(2023, 8, 1),
                "end": dt.date(2024, 7, 31),
                "value": 1000.0,
                "missing": None,
                "status": "final",
                "derived": False,
            },
        ]
    )
    fig = charts.breakdown_chart(ind, frame, "sex")
    assert set(fig.data[0].y) == {"Female", "Male"}
    assert fig.layout.xaxis.range[0] == 0
    text = charts.describe_breakdown(ind, frame, "sex")
    assert "Male had the most apprenticeship starts (1,000)" in text and "gap of 200" in text


def test_sparkline_keeps_gaps_and_describes_the_trend():
    shown = _shown("households_temporary_accommodation", [100, None, 150], missing=[None, "x", None])
    fig = charts.sparkline(shown)
    assert fig.data[0].y[1] is None
    assert charts.describe_sparkline(shown) == (
        "Trend of households in temporary accommodation from 100 (2022-23 Q1) to 150 (2022-23 Q3), "
        "with 1 missing period."
    )


@pytest.mark.parametrize("indicator_id", [i.id for i in CAT.indicators])
def test_every_indicator_in_the_sample_template_charts_and_describes(sample_template, indicator_id):
    shown = dashboard.show(indicator_id, db=sample_template, today=TODAY)
    fig = charts.indicator_chart(shown)
    title = fig.layout.title.text.replace("<br>", " ")
    assert (title[0].isupper() or title[0].isdigit()) and not re.search(r"\b(nan|None)\b", title)
    assert not re.search(r"\b(nan|None)\b", charts.describe(shown))
    valued = [p for p in shown.series if p.value is not None]
    if valued:
        assert format_value(shown.indicator, valued[-1].value) in charts.describe(shown)
    assert len(charts.table(shown)) >= len(shown.series)


def test_restrict_limits_the_periods_but_keeps_the_status():
    shown = _shown("affordable_housing_share_scf", [27.0, 26.0, 19.0, 25.0])
    part = charts.restrict(shown, "2022-23 Q2", "2022-23 Q3")
    assert [p.period for p in part.series] == ["2022-23 Q2", "2022-23 Q3"]
    assert part.progress == shown.progress


def test_uploaded_names_are_escaped_wherever_plotly_would_read_them_as_markup():
    """A scheme or group named like a link must show as typed, never as a live link on a chart."""
    hostile = '<a href="https://example.com/steal">Click</a>'
    ind = CAT.indicator("affordable_housing_share_scf")
    frame = pd.DataFrame(
        [
            {"project": hostile, "place": "Birmingham", "period": "2023-24 Q1", "period_end": dt.date(2023, 6, 30),
             "numerator": 10, "denominator": 100, "share": 10.0, "missing": None, "status": "final"},
            {"project": "Scheme B", "place": "Coventry", "period": "2023-24 Q1", "period_end": dt.date(2023, 6, 30),
             "numerator": 30, "denominator": 100, "share": 30.0, "missing": None, "status": "final"},
        ]
    )  # fmt: skip
    text = json.dumps(charts.project_chart(ind, SchemeView.of(frame, 20.0)).to_plotly_json())
    assert "<a " not in text and "&lt;a href=" in text
    youth = CAT.indicator("youth_hub_young_people_supported")
    groups = pd.DataFrame(
        [
            {"group": "<b>Female</b>", "period": "2023-24 Q1", "start": dt.date(2023, 4, 1), "end": dt.date(2023, 6, 30),
             "value": 10.0, "missing": None, "status": "final", "derived": False},
            {"group": "Male", "period": "2023-24 Q1", "start": dt.date(2023, 4, 1), "end": dt.date(2023, 6, 30),
             "value": 12.0, "missing": None, "status": "final", "derived": False},
        ]
    )  # fmt: skip
    text = json.dumps(charts.breakdown_chart(youth, groups, "sex").to_plotly_json())
    assert "<b>Female" not in text and "&lt;b&gt;Female" in text
