"""Breakdowns by group on the dashboard: small numbers hidden as c, and survey estimates with their intervals.

Each store here is built by uploading a file typed into the test, so which cells must be hidden is known
before the code runs: a group under the indicator's `small_numbers` (5 for these counts) is hidden, and a
second group with it wherever a total would give it back (the public site's rule, metrics.disclose). The
hidden figures are chosen so that they could not appear in any text by chance (611, 3,612), and every
word, label, bar and table the page shows is searched for them. Intervals are typed in too, and the
error bars' lengths checked against them by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pandas as pd
import pytest

from metrics import charts, dashboard
from metrics.catalogue import default_catalogue
from metrics.upload import ingest_bytes
from metrics.words import suppressed_note

CAT = default_catalogue()
SWAP = CAT.indicator("swap_participants")
THRIVE = CAT.indicator("thrive_into_work_people_supported")
LAS = [g.code for g in CAT.local_authorities]
BIRMINGHAM = CAT.local_authorities[0]
HEADER = "indicator_id,period,geography,value,breakdown_dimension,breakdown_value\n"
Q = "2025-26 Q1"
# Birmingham's groups: Asian is a small number (3); Mixed (611) is the smallest left, so it goes too, or
# the total less the other four would give Asian back. The other six authorities have no small group.
BIRMINGHAM_GROUPS = {"Asian": 3, "Black": 740, "Mixed": 611, "Other": 655, "White": 3000}
OTHERS = {"Asian": 50, "Black": 60, "Mixed": 70, "Other": 80, "White": 900}
HIDDEN_NUMBERS = ("611",)  # the secondary's figure, written as every surface writes it


def _upload(db, rows: list[str], header: str = HEADER, catalogue=None) -> None:
    report = ingest_bytes(
        (header + "\n".join(rows) + "\n").encode(), "groups.csv", db=db, catalogue=catalogue
    )
    assert report.status == "committed", report.errors


def _ethnicity_store(db, birmingham=BIRMINGHAM_GROUPS) -> None:
    rows = []
    for code in LAS:
        groups = birmingham if code == BIRMINGHAM.code else OTHERS
        rows += [f"swap_participants,{Q},{code},{v},ethnicity,{g}" for g, v in groups.items()]
    _upload(db, rows)


def _subtitle(fig) -> str:
    return fig.layout.title.subtitle.text.replace("<br>", " ")


def _latest(frame: pd.DataFrame) -> dict[str, dict]:
    last = frame[frame["end"] == frame["end"].max()]
    return {r["group"]: r for r in last.to_dict("records")}


def _everything_shown(ind, frame, dim) -> str:
    """Every word and number the page and a file show of one breakdown: chart, labels, alt text, table, gap."""
    fig = charts.breakdown_chart(ind, frame, dim, place="Birmingham")
    return "\n".join(
        [
            json.dumps(fig.to_plotly_json(), default=str),
            json.dumps(charts.narrow(fig).to_plotly_json(), default=str),
            charts.describe_breakdown(ind, frame, dim),
            charts.breakdown_table(ind, frame, dim).to_csv(),
            charts.breakdown_gap(ind, frame, dim),
        ]
    )


# --- small numbers ---------------------------------------------------------------------------------------


def test_a_small_group_and_the_group_that_would_give_it_back_are_c_on_screen(empty_store):
    _ethnicity_store(empty_store)
    frame = dashboard.breakdown_series(SWAP, BIRMINGHAM, "ethnicity", db=empty_store)
    latest = _latest(frame)
    hidden = {g for g, r in latest.items() if r["suppressed"]}
    assert hidden == {"Asian", "Mixed"}  # the small one, and the smallest left
    for g in hidden:
        assert pd.isna(latest[g]["value"]) and latest[g]["missing"] == "c"
    assert {g: latest[g]["value"] for g in ("Black", "Other", "White")} == {
        "Black": 740,
        "Other": 655,
        "White": 3000,
    }

    table = charts.breakdown_table(SWAP, frame, "ethnicity").set_index("Ethnicity")
    assert table.loc["Asian", "Value"] == "c" and table.loc["Mixed", "Value"] == "c"
    assert table.loc["Asian", "Note"] == "Not shown so no one can be identified"
    assert table.loc["White", "Value"] == "3,000"
    # The hidden groups come after the groups shown, in the order of their names: never by their size.
    assert list(table.index) == ["White", "Black", "Other", "Asian", "Mixed"]


def test_the_gap_is_between_the_groups_shown_and_says_some_are_hidden(empty_store):
    _ethnicity_store(empty_store)
    frame = dashboard.breakdown_series(SWAP, BIRMINGHAM, "ethnicity", db=empty_store)
    assert charts.breakdown_gap(SWAP, frame, "ethnicity") == (
        "By ethnicity, of the groups shown, White had the most sector-based work academies (3,000) and Other "
        "the fewest (655), a gap of 2,345 in 2025-26 Q1. Asian and Mixed are not shown (c) so no one can be "
        "identified."
    )
    title = charts.headline_text(charts.breakdown_chart(SWAP, frame, "ethnicity"))
    assert "of the groups shown" in title and "Asian" not in title and "Mixed" not in title


def test_no_hidden_figure_is_in_the_chart_its_labels_description_table_or_gap(empty_store):
    _ethnicity_store(empty_store)
    frame = dashboard.breakdown_series(SWAP, BIRMINGHAM, "ethnicity", db=empty_store)
    text = _everything_shown(SWAP, frame, "ethnicity")
    for number in HIDDEN_NUMBERS:
        assert number not in text
    bars = charts.breakdown_chart(SWAP, frame, "ethnicity").data[0]
    by_name = dict(zip(bars.y, zip(bars.x, bars.text, strict=True), strict=True))
    # A hidden bar is drawn as a missing one: no length, labelled c (never 0, never its figure).
    assert by_name["Asian"] == (0, "c") and by_name["Mixed"] == (0, "c")
    assert by_name["White"] == (3000, "3,000")
    # The axis is set by the groups shown, so its length cannot hint at a hidden figure.
    fig = charts.breakdown_chart(SWAP, frame, "ethnicity")
    assert fig.layout.xaxis.range[1] == pytest.approx(3000 * 1.22)
    assert suppressed_note(SWAP) in _subtitle(fig)
    assert charts.breakdown_notes(SWAP, frame) == [suppressed_note(SWAP)]
    assert suppressed_note(SWAP) in charts.describe_breakdown(SWAP, frame, "ethnicity")


def test_the_suppression_note_says_why_in_plain_words():
    assert suppressed_note(SWAP) == (
        "c: fewer than 5, or a figure that would let one be worked out, not shown so no one can be identified."
    )


def test_no_place_and_no_group_is_left_with_exactly_one_hidden_figure(empty_store):
    # Birmingham's small Asian group is inside the combined authority's Asian figure (the seven added
    # up), so a second authority's Asian figure is hidden too, and then a second group of that authority.
    _ethnicity_store(empty_store)
    frames = {
        g.code: _latest(dashboard.breakdown_series(SWAP, g, "ethnicity", db=empty_store))
        for g in CAT.geographies
    }
    ca = CAT.combined_authority.code
    assert not any(r["suppressed"] for r in frames[ca].values())  # a total of the seven is never hidden
    assert frames[ca]["Asian"]["value"] == 3 + 6 * 50  # worked out from the seven, as before
    for code in LAS:
        hidden = [g for g, r in frames[code].items() if r["suppressed"]]
        assert len(hidden) != 1, (code, hidden)
    for group in OTHERS:
        hidden = [code for code in [ca, *LAS] if frames[code][group]["suppressed"]]
        assert len(hidden) != 1, (group, hidden)
    assert sum(frames[code]["Asian"]["suppressed"] for code in LAS) >= 2


def test_a_figure_given_as_missing_is_not_called_small_and_needs_no_second(empty_store):
    _upload(
        empty_store,
        [
            f"swap_participants,{Q},{BIRMINGHAM.code},2,sex,Female",
            f"swap_participants,{Q},{BIRMINGHAM.code},x,sex,Male",
        ],
    )
    latest = _latest(dashboard.breakdown_series(SWAP, BIRMINGHAM, "sex", db=empty_store))
    assert latest["Female"]["suppressed"] and latest["Female"]["missing"] == "c"
    assert not latest["Male"]["suppressed"] and latest["Male"]["missing"] == "x"


def test_groups_with_no_small_number_are_shown_as_before(empty_store):
    _ethnicity_store(empty_store, birmingham=OTHERS)
    frame = dashboard.breakdown_series(SWAP, BIRMINGHAM, "ethnicity", db=empty_store)
    assert not frame["suppressed"].any()
    assert charts.breakdown_notes(SWAP, frame) == []
    assert "c:" not in charts.describe_breakdown(SWAP, frame, "ethnicity")


def test_a_running_total_is_hidden_from_its_first_hidden_quarter_on(empty_store):
    # Thrive into Work is shown as a running total: with 2 in Q2 hidden, every total from Q2 on would
    # give it back (the Q2 total less the Q1 total), so each is c, for both groups.
    quarters = {"2025-26 Q1": (10, 40), "2025-26 Q2": (2, 50), "2025-26 Q3": (10, 40)}
    _upload(
        empty_store,
        [
            f"thrive_into_work_people_supported,{q},{BIRMINGHAM.code},{v},disability,{g}"
            for q, (disabled, not_disabled) in quarters.items()
            for g, v in (("Disabled", disabled), ("Not disabled", not_disabled))
        ],
    )
    frame = dashboard.breakdown_series(THRIVE, BIRMINGHAM, "disability", db=empty_store)
    got = {
        (r.group, r.period): (None if pd.isna(r.value) else r.value, r.suppressed) for r in frame.itertuples()
    }
    assert got == {
        ("Disabled", "2025-26 Q1"): (10, False),
        ("Disabled", "2025-26 Q2"): (None, True),
        ("Disabled", "2025-26 Q3"): (None, True),
        ("Not disabled", "2025-26 Q1"): (40, False),
        ("Not disabled", "2025-26 Q2"): (None, True),
        ("Not disabled", "2025-26 Q3"): (None, True),
    }
    # The newest quarter is still the one charted, with both groups c, rather than an older one.
    table = charts.breakdown_table(THRIVE, frame, "disability")
    assert set(table["Period"]) == {"2025-26 Q3"} and set(table["Value"]) == {"c"}
    assert charts.breakdown_gap(THRIVE, frame, "disability").startswith(
        "There are no figures to show for Thrive into Work by disability in 2025-26 Q3."
    )
    # With every group hidden there is no figure to scale the axis by: it shows no numbers at all.
    assert charts.breakdown_chart(THRIVE, frame, "disability").layout.xaxis.showticklabels is False


def test_two_bars_under_a_long_title_keep_a_plot_tall_enough_for_the_source_line():
    frame = _groups(("Female", 800.0, None, None), ("Male", 1000.0, None, None))
    fig = charts.breakdown_chart(SWAP, frame, "sex", place="Birmingham")
    assert fig.layout.height - fig.layout.margin.t - fig.layout.margin.b >= 120  # style.MIN_PLOT_HEIGHT


# --- survey estimates: intervals -------------------------------------------------------------------------

EMPLOYMENT = replace(CAT.indicator("employment_rate_16_64"), breakdowns=("sex",))
SURVEYED = replace(
    CAT, indicators=tuple(EMPLOYMENT if i.id == EMPLOYMENT.id else i for i in CAT.indicators), _by_id={}
)


def _groups(
    *rows: tuple[str, float | None, float | None, float | None], confidence: float = 95.0
) -> pd.DataFrame:
    """A breakdown frame as dashboard.breakdown_series gives it, for 2024: (group, value, lower, upper)."""
    return pd.DataFrame(
        [
            {"group": g, "period": "2024", "start": dt.date(2024, 1, 1), "end": dt.date(2024, 12, 31), "value": v,
             "missing": None, "status": "final", "derived": False, "illustrative": False, "lower": lo, "upper": hi,
             "confidence": confidence if lo is not None else None, "suppressed": False}
            for g, v, lo, hi in rows
        ]
    )  # fmt: skip


def test_the_store_carries_each_groups_interval_to_the_page(empty_store):
    header = (
        "indicator_id,period,geography,value,breakdown_dimension,breakdown_value,lower,upper,confidence\n"
    )
    _upload(
        empty_store,
        [
            f"{EMPLOYMENT.id},2024,{BIRMINGHAM.code},72.1,sex,Female,69.0,75.2,95",
            f"{EMPLOYMENT.id},2024,{BIRMINGHAM.code},75.7,sex,Male,72.9,78.5,95",
        ],
        header=header,
        catalogue=SURVEYED,
    )
    frame = dashboard.breakdown_series(EMPLOYMENT, BIRMINGHAM, "sex", db=empty_store, catalogue=SURVEYED)
    got = {r.group: (r.value, r.lower, r.upper, r.confidence) for r in frame.itertuples()}
    assert got == {"Female": (72.1, 69.0, 75.2, 95.0), "Male": (75.7, 72.9, 78.5, 95.0)}
    assert not frame["suppressed"].any()  # a rate has no count to be small


def test_error_bars_are_drawn_from_each_groups_interval_in_the_house_grey():
    frame = _groups(("Female", 72.1, 69.0, 75.2), ("Male", 75.7, 72.9, 78.5))
    fig = charts.breakdown_chart(EMPLOYMENT, frame, "sex", place="Birmingham")
    bars = fig.data[0]
    assert list(bars.y) == ["Female", "Male"]  # bottom to top: the highest on top
    assert list(bars.error_x.array) == pytest.approx([75.2 - 72.1, 78.5 - 75.7])
    assert list(bars.error_x.arrayminus) == pytest.approx([72.1 - 69.0, 75.7 - 72.9])
    assert bars.error_x.color == "#3D3D3D" and bars.error_x.symmetric is False
    # The labels stand past the lines' ends, so no label sits on a line.
    labels = fig.data[1]
    assert list(labels.x) == [75.2, 78.5] and [t.strip("\u00a0") for t in labels.text] == ["72.1%", "75.7%"]
    assert "the whiskers show 95% confidence intervals" in _subtitle(fig)
    assert fig.layout.xaxis.range[1] == pytest.approx(78.5 * 1.22)  # the longest line fits


def test_the_table_gives_lower_upper_and_the_confidence_level():
    frame = _groups(("Female", 72.1, 69.0, 75.2), ("Male", 75.7, 72.9, 78.5), confidence=90.0)
    table = charts.breakdown_table(EMPLOYMENT, frame, "sex")
    assert list(table.columns) == [
        "Sex",
        "Period",
        "Value",
        "Lower",
        "Upper",
        "Confidence level",
        "Status",
        "Note",
    ]
    assert table.iloc[0][["Sex", "Value", "Lower", "Upper", "Confidence level"]].tolist() == [
        "Male", "75.7%", "72.9%", "78.5%", "90%",
    ]  # fmt: skip
    assert "the whiskers show 90% confidence intervals" in _subtitle(
        charts.breakdown_chart(EMPLOYMENT, frame, "sex")
    )


def test_overlapping_intervals_are_no_clear_difference_in_the_gap_and_the_description():
    frame = _groups(("Female", 72.1, 69.0, 75.2), ("Male", 75.7, 72.9, 78.5))
    assert charts.breakdown_gap(EMPLOYMENT, frame, "sex") == (
        "By sex, there is no clear difference in employment rate (16 to 64) between the highest, Male (75.7%), "
        "and the lowest, Female (72.1%), in 2024: their confidence intervals overlap."
    )
    text = charts.describe_breakdown(EMPLOYMENT, frame, "sex")
    assert "no clear difference" in text and "Male 75.7% (95% confidence interval 72.9% to 78.5%)" in text
    assert "The whiskers show 95% confidence intervals." in text
    assert "no clear difference" in charts.headline_text(charts.breakdown_chart(EMPLOYMENT, frame, "sex"))


def test_intervals_apart_are_a_clear_difference():
    frame = _groups(("Female", 68.0, 66.0, 70.0), ("Male", 75.7, 72.9, 78.5))
    assert charts.breakdown_gap(EMPLOYMENT, frame, "sex") == (
        "By sex, Male had the highest employment rate (16 to 64) (75.7%) and Female the lowest (68.0%), a gap of "
        "7.7 percentage points in 2024, and their confidence intervals do not overlap."
    )


def test_an_estimate_without_intervals_is_no_clear_difference_and_draws_no_lines():
    frame = _groups(("Female", 68.0, None, None), ("Male", 75.7, None, None))
    assert "no clear difference" in charts.breakdown_gap(EMPLOYMENT, frame, "sex")
    assert "no confidence intervals" in charts.breakdown_gap(EMPLOYMENT, frame, "sex")
    fig = charts.breakdown_chart(EMPLOYMENT, frame, "sex")
    assert fig.data[0].error_x.array is None and len(fig.data) == 1
    assert "Lower" not in charts.breakdown_table(EMPLOYMENT, frame, "sex").columns


def test_a_count_with_no_intervals_is_unchanged():
    frame = _groups(("Female", 800.0, None, None), ("Male", 1000.0, None, None))
    ind = CAT.indicator("apprenticeship_starts")
    assert charts.breakdown_gap(ind, frame, "sex") == (
        "By sex, Male had the most apprenticeship starts (1,000) and Female the fewest (800), a gap of 200 in 2024."
    )
    fig = charts.breakdown_chart(ind, frame, "sex")
    assert (
        len(fig.data) == 1
        and fig.data[0].error_x.array is None
        and list(fig.data[0].text) == ["800", "1,000"]
    )
    assert list(charts.breakdown_table(ind, frame, "sex").columns) == [
        "Sex",
        "Period",
        "Value",
        "Status",
        "Note",
    ]


def test_a_hidden_estimate_keeps_no_interval_anywhere():
    frame = _groups(("Female", 68.0, 66.0, 70.0), ("Male", 75.7, 72.9, 78.5), ("Other", None, None, None))
    frame.loc[frame["group"] == "Other", ["missing", "suppressed"]] = ["c", True]
    fig = charts.breakdown_chart(EMPLOYMENT, frame, "sex")
    assert list(fig.data[0].error_x.array)[0] is None  # Other, at the bottom: no line
    assert charts.breakdown_table(EMPLOYMENT, frame, "sex").iloc[-1][["Value", "Lower", "Upper"]].tolist() == [
        "c", "", "",
    ]  # fmt: skip
    assert "Other is not shown (c)" in charts.breakdown_gap(EMPLOYMENT, frame, "sex")


def test_one_group_chosen_is_hidden_as_its_group_view_hides_it(empty_store, kpi):
    """Choosing "Ethnicity: Mixed" (the Breakdown menu, `kpi show --breakdown`, `kpi export --breakdown`)
    shows the same c as the bars do: Birmingham's Mixed (611) is never read off the trend, its table,
    its verdict sentence or its files, and a group with nothing hidden keeps its figure."""
    from metrics import export

    _ethnicity_store(empty_store)
    for group in ("Mixed", "Asian"):
        shown = dashboard.show(SWAP, BIRMINGHAM, ("ethnicity", group), db=empty_store)
        (point,) = shown.series
        assert (point.value, point.missing, point.numerator) == (None, "c", None)
        surfaces = [
            json.dumps(charts.indicator_chart(shown).to_plotly_json(), default=str),
            charts.table(shown).to_csv(),
            charts.describe(shown),
            shown.progress.sentence,
            export.to_csv(export.series_data(shown, None)).decode("utf-8-sig"),
        ]
        assert not any(n in text for text in surfaces for n in ("611", "3.0", " 3 ")), group
    white = dashboard.show(SWAP, BIRMINGHAM, ("ethnicity", "White"), db=empty_store)
    assert [p.value for p in white.series] == [3000.0]
    code, out, err = kpi("show", SWAP.id, "--geography", BIRMINGHAM.code, "--breakdown", "ethnicity=Mixed",
                         "--json", "--db", empty_store)  # fmt: skip
    assert code == 0, err
    (printed,) = json.loads(out)["series"]
    assert printed["value"] is None and printed["missing"] == "c"
