"""Small numbers in a public release: the cells hidden, and never one that subtraction would give back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.catalogue import default_catalogue
from metrics.disclose import suppress

CAT = default_catalogue()
CA = CAT.combined_authority.code
LAS = [g.code for g in CAT.local_authorities]
COUNT = dataclasses.replace(CAT.indicator("apprenticeship_starts"), small_numbers=(5, 10))
SHARE = next(i for i in CAT.indicators if i.kind == "share" and i.id != "affordable_housing_share_scf")
SHARE = dataclasses.replace(SHARE, small_numbers=(5, 10))
Q1 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def row(geo, dim="", group="", value=None, num=None, den=None, missing=None, when=Q1):
    return {
        "indicator_id": "x", "geography_code": geo, "breakdown_dimension": dim, "breakdown_value": group,
        "period": "2026-27 Q1", "period_start": when[0], "period_end": when[1], "value": value,
        "numerator": num, "denominator": den, "missing": missing, "status": "final", "note": None,
        "illustrative": False, "source": None, "upload_id": 1,
    }  # fmt: skip


def hidden(rows):
    return {
        (r["geography_code"], r["breakdown_dimension"], r["breakdown_value"]): r["suppressed"]
        for r in rows
        if r["suppressed"]
    }


def test_a_small_count_is_hidden_with_its_value_and_a_second_group_so_the_total_cannot_give_it_back():
    rows = [
        row(LAS[0], value=120),
        row(LAS[0], "sex", "Female", value=3),
        row(LAS[0], "sex", "Male", value=117),
    ]
    out = suppress(COUNT, rows, CAT)
    assert hidden(out) == {(LAS[0], "sex", "Female"): "small number", (LAS[0], "sex", "Male"): "secondary"}
    for r in out[1:]:
        assert r["value"] is None and r["numerator"] is None and r["denominator"] is None
        assert r["missing"] == "c"
    assert out[0]["value"] == 120 and out[0]["missing"] is None  # the place's total is never hidden


def test_the_second_cell_hidden_is_the_smallest_one_left():
    rows = [
        row(LAS[1], "ethnicity", "Asian", value=2),
        row(LAS[1], "ethnicity", "Black", value=40),
        row(LAS[1], "ethnicity", "Mixed", value=9),
        row(LAS[1], "ethnicity", "White", value=300),
    ]
    out = suppress(COUNT, rows, CAT)
    assert hidden(out) == {
        (LAS[1], "ethnicity", "Asian"): "small number",
        (LAS[1], "ethnicity", "Mixed"): "secondary",
    }


def test_two_small_groups_need_no_second_cell_and_big_groups_are_left_alone():
    rows = [
        row(LAS[2], "disability", "Disabled", value=4),
        row(LAS[2], "disability", "Not disabled", value=2),
        row(LAS[3], "disability", "Disabled", value=40),
        row(LAS[3], "disability", "Not disabled", value=80),
    ]
    out = suppress(COUNT, rows, CAT)
    assert set(hidden(out).values()) == {"small number"}
    assert len(hidden(out)) == 2


def test_a_share_with_a_small_denominator_or_numerator_is_hidden():
    rows = [
        row(LAS[0], "sex", "Female", value=50.0, num=4, den=8),
        row(LAS[0], "sex", "Male", value=10.0, num=3, den=30),
        row(LAS[0], "sex", "Other", value=40.0, num=40, den=100),
        row(LAS[0], "age_band", "16-18", value=40.0, num=40, den=100),
    ]
    out = suppress(SHARE, rows, CAT)
    assert hidden(out)[(LAS[0], "sex", "Female")] == "small number"  # denominator 8 < 10
    assert hidden(out)[(LAS[0], "sex", "Male")] == "small number"  # numerator 3 < 5
    assert (LAS[0], "age_band", "16-18") not in hidden(out)


def test_the_combined_authority_minus_six_authorities_cannot_give_back_the_seventh():
    # Each authority's Female cell, and the combined authority's: one small one must take a second one
    # with it across places too, or CA - (the other six) reveals it.
    rows = [row(CA, "sex", "Female", value=500)]
    rows += [row(g, "sex", "Female", value=3 if g == LAS[4] else 80 + n) for n, g in enumerate(LAS)]
    out = suppress(COUNT, rows, CAT)
    assert hidden(out)[(LAS[4], "sex", "Female")] == "small number"
    assert sum(1 for v in hidden(out).values() if v == "secondary") == 1
    assert (LAS[0], "sex", "Female") in hidden(out)  # the smallest of the rest: 80


def test_nothing_is_hidden_where_the_indicator_declares_no_rule():
    scf = CAT.indicator("affordable_housing_share_scf")
    rows = [row(LAS[0], "project", "Tiny scheme", value=50.0, num=1, den=2)]
    assert not hidden(suppress(scf, rows, CAT))


def test_an_already_missing_cell_counts_as_unknown_so_no_second_cell_is_needed():
    rows = [
        row(LAS[0], "sex", "Female", value=2),
        row(LAS[0], "sex", "Male", missing="x"),
    ]
    out = suppress(COUNT, rows, CAT)
    assert hidden(out) == {(LAS[0], "sex", "Female"): "small number"}
    assert out[1]["missing"] == "x"  # its own symbol kept


def test_a_hidden_cell_loses_its_confidence_interval_too():
    # An interval brackets the value: left in place it would give a hidden figure back within a point or two.
    rows = [
        dict(row(LAS[0], "sex", "Female", value=40.0, num=3, den=8), lower=20.0, upper=60.0, confidence=95.0),
        dict(
            row(LAS[0], "sex", "Male", value=50.0, num=50, den=100), lower=45.0, upper=55.0, confidence=95.0
        ),
    ]
    out = suppress(SHARE, rows, CAT)
    assert set(hidden(out)) == {(LAS[0], "sex", "Female"), (LAS[0], "sex", "Male")}
    for r in out:
        assert (r["lower"], r["upper"], r["confidence"]) == (None, None, None)
    assert "lower" not in suppress(COUNT, [row(LAS[0], "sex", "Female", value=2)], CAT)[0]  # none added


cells = st.lists(
    st.tuples(st.sampled_from(LAS[:3] + [CA]), st.sampled_from(["Asian", "Black", "Mixed", "White"]),
              st.integers(min_value=0, max_value=30)),
    min_size=1, max_size=16, unique_by=lambda c: (c[0], c[1]),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(cells)
def test_no_sum_is_left_with_exactly_one_hidden_cell(data):
    rows = [row(g, "ethnicity", grp, value=v) for g, grp, v in data]
    out = suppress(COUNT, rows, CAT)
    for r in out:
        if r["suppressed"] == "small number":
            assert next(x for x in rows if (x["geography_code"], x["breakdown_value"]) ==
                        (r["geography_code"], r["breakdown_value"]))["value"] < 5  # fmt: skip
    groups: dict = defaultdict(list)
    for r in out:
        groups[r["geography_code"]].append(r)
    for members in groups.values():
        if len(members) > 1:
            assert sum(1 for r in members if r["suppressed"]) != 1, members
    # No value of a hidden cell is left anywhere in the published rows.
    for r in out:
        if r["suppressed"]:
            assert r["value"] is None and r["missing"] == "c"
