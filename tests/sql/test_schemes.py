"""The schemes judged in the store equal the rule in Python, on random stores.

The verdict of the headline SCF share ("at least 20% affordable homes in every scheme") and the
Indicator page's scheme view are worked out in SQL (schemes_below_minimum.sql, lowest_schemes.sql),
so a period of 25,000 schemes is never judged row by row. These tests hold them equal to the Python
rule, which reads every scheme's current row (`project_shares`, current_breakdowns.sql) and judges it
with `judge_schemes` / `SchemeView.of`: on stores with ties, missing values, schemes given as a value
alone or as a numerator and denominator, the same name in two places, an older revision of a row and
rows of other periods that must not count.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics import dashboard
from metrics.catalogue import default_catalogue
from metrics.dashboard import AsOf
from metrics.floors import judge_schemes
from metrics.schemes import COLUMNS, SchemeView, below_minimum, project_shares, scheme_view
from metrics.store import connect
from metrics.verdicts import assess

CAT = default_catalogue()
SCF = CAT.indicator("affordable_housing_share_scf")
LATEST = ("2026-27 Q2", dt.date(2026, 7, 1), dt.date(2026, 9, 30))
EARLIER = ("2026-27 Q1", dt.date(2026, 4, 1), dt.date(2026, 6, 30))
PLACES = [g.code for g in CAT.geographies]  # the seven authorities and the combined authority
NOW = dt.datetime(2026, 11, 26, 9, 0)

# Shares that sit on the 20% line, just either side of it and on each other (ties), or anywhere.
SHARES = st.one_of(
    st.sampled_from([0.0, 12.5, 19.9, 19.999999, 20.0, 20.000001, 35.0, 100.0]),
    st.floats(min_value=0, max_value=100, allow_nan=False),
)
NAMES = st.one_of(
    st.sampled_from(["A", "B", "b", "Scheme 1", "Scheme 10", "Scheme 2", "Äpfel", "z", "a b"]),
    st.text(min_size=1, max_size=6),
)
# (scheme name, place, how it was given, share): "value" alone, "pair" (numerator over denominator, the
# value worked out from them as an upload stores it), or "missing" (a missing-value symbol, no figure).
SCHEME = st.tuples(NAMES, st.sampled_from(PLACES), st.sampled_from(["value", "pair", "missing"]), SHARES)


def _row(upload_id: int, period: tuple, name: str, place: str, given: str, share: float, current: bool):
    label, start, end = period
    value = numerator = denominator = missing = None
    if given == "value":
        value = share
    elif given == "pair":
        denominator = 200.0
        numerator = round(share * 2)  # a whole number of homes
        value = numerator / denominator * 100
    else:
        missing = "c"
    return (upload_id, SCF.id, place, label, start, end, "project", name, value, numerator, denominator,
            missing, "final", False, current)  # fmt: skip


def _fill(
    db: Path, schemes: list[tuple], earlier: list[tuple], revised: list[tuple], total: float | None = None
) -> None:
    """One committed upload holding the latest period's schemes (current), an older revision of some of
    them (no longer current) and schemes of an earlier period: replacing what the last example left."""
    con = duckdb.connect(str(db))
    try:
        con.execute("DELETE FROM observation")
        con.execute("DELETE FROM upload")
        con.execute(
            "INSERT INTO upload (id, kind, file_name, sha256, user_name, uploaded_at, rows, inserted, revised,"
            " unchanged, outcome, report) VALUES (1, 'values', 'f.csv', 'x', 'u', ?, 1, 1, 0, 0, 'committed', '{}')",
            [NOW],
        )
        rows = [_row(1, LATEST, *s, True) for s in schemes]
        rows += [_row(1, EARLIER, *s, True) for s in earlier]
        rows += [_row(0, LATEST, *s, False) for s in revised]  # an upload before 1, since revised by it
        if total is not None:  # the combined authority's own share across all schemes
            rows.append(
                (1, SCF.id, "E47000007", *LATEST, "", "", total, None, None, None, "final", False, True)
            )
        if not rows:
            return
        con.executemany(
            "INSERT INTO observation (upload_id, indicator_id, geography_code, period, period_start, period_end,"
            " breakdown_dimension, breakdown_value, value, numerator, denominator, missing, status, illustrative,"
            " is_current) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    finally:
        con.close()


def _unique(schemes: list[tuple]) -> list[tuple]:
    """One row per scheme and place in a period, as the store keeps one current value per key."""
    return list({(s[0], s[1]): s for s in schemes}.values())


@pytest.fixture(scope="module")
def scheme_store(empty_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schemes") / "kpi.duckdb"
    shutil.copyfile(empty_template, path)
    return path


def _python_pairs(db: Path, geography) -> list[tuple[str, float | None]]:
    """Every scheme's (name, share) of the latest period, read in full: the rule's input before SQL judged it."""
    frame = project_shares(SCF, geography, db=db, catalogue=CAT)
    latest = frame[frame["period_end"] == LATEST[2]]
    return [(r.project, None if pd.isna(r.share) else r.share) for r in latest.itertuples()]


STORES = st.tuples(
    st.lists(SCHEME, max_size=30).map(_unique),
    st.lists(SCHEME, max_size=6).map(_unique),
    st.lists(SCHEME, max_size=6).map(_unique),
)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(store=STORES, place=st.sampled_from([CAT.combined_authority, *CAT.local_authorities]))
def test_schemes_below_the_minimum_counted_in_sql_equal_the_python_rule(scheme_store, store, place):
    schemes, earlier, revised = store
    _fill(scheme_store, schemes, earlier, revised)
    expected = judge_schemes(SCF, _python_pairs(scheme_store, place))
    with connect(scheme_store, read_only=True) as con:
        now = below_minimum(con, SCF, place, CAT, LATEST[2])
        as_of = below_minimum(con, SCF, place, CAT, LATEST[2], AsOf(1))  # the rule, not the flags
    assert now == expected
    assert as_of == expected
    assert expected.below == len(expected.breaking)  # every one below is read, lowest first


@SETTINGS
@given(store=STORES, place=st.sampled_from([CAT.combined_authority, *CAT.local_authorities]))
def test_the_scheme_view_read_in_sql_equals_the_python_view_of_every_scheme(scheme_store, store, place):
    schemes, earlier, revised = store
    _fill(scheme_store, schemes, earlier, revised)
    every = project_shares(SCF, place, db=scheme_store, catalogue=CAT, latest_only=True)
    for at_most in (3, 40):
        got = scheme_view(SCF, place, db=scheme_store, catalogue=CAT, at_most=at_most)
        if every.empty:
            assert (got.total, got.period, len(got.rows)) == (0, None, 0)
            continue
        want = SchemeView.of(every, 20.0, at_most)
        fields = ("period", "minimum", "total", "below", "no_figure", "meeting_low", "meeting_high")
        assert {f: getattr(got, f) for f in fields} == {f: getattr(want, f) for f in fields}
        assert got.no_figure_names == want.no_figure_names
        pd.testing.assert_frame_equal(
            got.rows.astype(object).where(got.rows.notna(), None),
            want.rows.astype(object).where(want.rows.notna(), None),
        )
        assert list(got.rows.columns) == COLUMNS


def test_a_tie_on_the_line_and_a_missing_figure_in_the_verdict(scheme_store):
    """Worked by hand: two schemes at 15% (named in name order), one exactly at 20% (meets it), one with
    no figure (not zero, not below) and one given as 39 of 200 homes (19.5%)."""
    _fill(
        scheme_store,
        [
            ("Zeta", "E08000025", "value", 15.0),
            ("Alpha", "E08000026", "value", 15.0),
            ("On the line", "E08000027", "value", 20.0),
            ("Unknown", "E08000028", "missing", 0.0),
            ("Pair", "E08000029", "pair", 19.5),
        ],
        [("Old", "E08000025", "value", 1.0)],  # an earlier period: does not count
        [("On the line", "E08000027", "value", 5.0)],  # revised since: does not count
    )
    with connect(scheme_store, read_only=True) as con:
        got = below_minimum(con, SCF, CAT.combined_authority, CAT, LATEST[2])
    assert (got.total, got.missing, got.below) == (5, 1, 3)
    assert got.breaking == (("Alpha", 15.0), ("Zeta", 15.0), ("Pair", 19.5))


def test_the_sample_verdict_is_the_python_rule_over_every_scheme(sample_store):
    """On the sample store, through `show`: the verdict from the store's counts is the verdict from every
    scheme's pair judged in Python, word for word."""
    shown = dashboard.show(SCF, db=sample_store, today=dt.date(2026, 11, 26))
    frame = project_shares(SCF, CAT.combined_authority, db=sample_store, latest_only=True)
    pairs = [(r.project, None if pd.isna(r.share) else r.share) for r in frame.itertuples()]
    by_python = assess(SCF, shown.series, dt.date(2026, 11, 26), pairs)
    assert shown.progress == by_python
    assert shown.progress.verdict == "off_track" and len(shown.progress.breaking) == 3


def test_a_scheme_with_no_figure_is_never_counted_below_the_minimum(scheme_store):
    """Through `show`, as every page and `kpi show` read it: a scheme whose latest figure is a
    missing-value symbol is counted as missing, not as below the 20% minimum (the Python path before
    the store judged schemes read it as NaN and listed it below, in a scrambled order)."""
    _fill(
        scheme_store,
        [("Low", "E08000025", "value", 10.0), ("Fine", "E08000026", "value", 30.0)]
        + [(f"Gap {i}", "E08000027", "missing", 0.0) for i in range(3)],
        [],
        [],
        total=25.0,
    )
    progress = dashboard.show(SCF, db=scheme_store, today=dt.date(2026, 11, 26)).progress
    assert progress.breaking == (("Low", 10.0),) and progress.projects_total == 5
    assert progress.reason == (
        "1 of 5 schemes is below the 20% minimum in 2026-27 Q2: Low (10.0%); across all schemes the share is "
        "25.0% (2026-27 Q2)."
    )
