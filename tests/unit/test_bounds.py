"""Confidence intervals in an upload (the contract's lower, upper and confidence) and comparator places:
checked as the contract says, stored with the value, carried through revisions, confirmations, undo and
the current reads, and kept out of `kpi show --json` (cli.md does not list them). Comparators never count
towards the combined authority's derived figure or a verdict."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from metrics.catalogue import default_catalogue
from metrics.dashboard import show
from metrics.upload import ingest_bytes
from metrics.upload.check import check
from metrics.upload.undo import undo
from tests.stores import open_store, query

pytestmark = pytest.mark.both_engines
TODAY = dt.date(2026, 11, 26)
HEADER = "indicator_id,period,geography,value,status,lower,upper,confidence\n"
EMPLOYMENT = "employment_rate_16_64"
COVENTRY = "E08000026"


def _ingest(db, text: str, name: str = "f.csv"):
    report = ingest_bytes(text.encode(), name, db=db)
    assert report.status == "committed", report.as_json()
    return report


def _stored(db, geography: str = COVENTRY, period: str = "2023") -> list[tuple]:
    with open_store(db, read_only=True) as con:
        return query(
            con,
            "SELECT value, lower, upper, confidence FROM observation WHERE is_current AND indicator_id = $i "
            "AND geography_code = $g AND period = $p",
            {"i": EMPLOYMENT, "g": geography, "p": period},
        )


# ---------------------------------------------------------------- the checks, without a store


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("72.1,,70,74.2,95", (70.0, 74.2, 95.0)),
        ("72.1,,72.1,72.1,99.9", (72.1, 72.1, 99.9)),  # a bound may equal the value
        ("72.1,,70,74.2,95%", (70.0, 74.2, 95.0)),  # a % on the level is read, with a warning
        ("72.1,,,,", (None, None, None)),  # an estimate without its interval is still a value
    ],
)
def test_an_interval_is_read_as_written(row, expected):
    report, staged = check((HEADER + f"{EMPLOYMENT},2023,Coventry,{row}\n").encode(), "f.csv", today=TODAY)
    assert report.errors == []
    got = staged[["lower", "upper", "confidence"]].astype(object).where(staged.notna(), None)
    assert tuple(got.iloc[0]) == expected


def test_the_interval_may_bound_a_value_worked_out_from_a_share(monkeypatch):
    """Where a share's value is left empty, the interval must hold the share the pair gives."""
    from dataclasses import replace

    catalogue = default_catalogue()
    shares = [
        replace(i, estimate_survey="a survey") if i.id == "fuel_poverty_households" else i
        for i in catalogue.indicators
    ]
    surveyed = replace(catalogue, indicators=tuple(shares), _by_id={})
    text = "indicator_id,period,geography,numerator,denominator,lower,upper,confidence\n"
    ok = text + "fuel_poverty_households,2022,Coventry,20,100,19,21,95\n"
    report, staged = check(ok.encode(), "f.csv", today=TODAY, catalogue=surveyed)
    assert report.errors == [] and staged["value"].tolist() == [20.0]
    report, _ = check((text + "fuel_poverty_households,2022,Coventry,20,100,21,22,95\n").encode(), "f.csv",
                      today=TODAY, catalogue=surveyed)  # fmt: skip
    assert [(e.line, e.column, e.value) for e in report.errors] == [(2, "lower", "21")]
    assert "above the value (20)" in report.errors[0].message


def test_an_interval_on_a_score_keeps_to_its_range():
    text = HEADER.replace(EMPLOYMENT, "") + "life_satisfaction,2023-24,Coventry,7.4,,-0.5,7.9,95\n"
    report, _ = check(text.encode(), "f.csv", today=TODAY)
    assert [(e.column, e.value) for e in report.errors] == [("lower", "-0.5")]
    assert "Enter a bound from 0 to 10" in report.errors[0].message


# ---------------------------------------------------------------- the store


def test_an_interval_is_stored_and_read_with_the_current_value_but_not_printed(empty_store, cli):
    _ingest(empty_store, HEADER + f"{EMPLOYMENT},2023,Coventry,72.1,final,70,74.2,95\n")
    assert _stored(empty_store) == [(72.1, 70.0, 74.2, 95.0)]
    shown = show(EMPLOYMENT, "Coventry", db=empty_store, today=TODAY)
    (point,) = shown.series
    assert (point.value, point.interval, point.confidence) == (72.1, (70.0, 74.2), 95.0)
    code, out, err = cli("show", EMPLOYMENT, "--geography", "Coventry", "--json", "--db", empty_store)
    assert code == 0, err
    printed = json.loads(out)["series"][0]
    assert set(printed) == {"period", "start", "end", "value", "numerator", "denominator", "status", "missing",
                            "derived"}  # fmt: skip


def test_a_new_interval_alone_is_a_revision_and_undo_brings_the_old_one_back(empty_store):
    first = _ingest(empty_store, HEADER + f"{EMPLOYMENT},2023,Coventry,72.1,final,70,74.2,95\n")
    same = _ingest(empty_store, HEADER + f"{EMPLOYMENT},2023,Coventry,72.1,final,70,74.2,95\n")
    assert (same.inserted, same.revised, same.unchanged) == (0, 0, 1)
    wider = _ingest(empty_store, HEADER + f"{EMPLOYMENT},2023,Coventry,72.1,final,69.5,74.7,99\n")
    assert (wider.inserted, wider.revised, wider.unchanged) == (0, 1, 0)
    assert _stored(empty_store) == [(72.1, 69.5, 74.7, 99.0)]
    undo(wider.upload_id, db=empty_store, user="tester")
    assert _stored(empty_store) == [(72.1, 70.0, 74.2, 95.0)]  # the confirmation carries the interval
    undo(same.upload_id, db=empty_store, user="tester")
    assert _stored(empty_store) == [(72.1, 70.0, 74.2, 95.0)]
    dropped = _ingest(empty_store, HEADER + f"{EMPLOYMENT},2023,Coventry,72.1,final,,,\n")
    assert dropped.revised == 1 and _stored(empty_store) == [(72.1, None, None, None)]
    assert first.upload_id < dropped.upload_id


def test_comparators_are_stored_but_never_count_towards_the_combined_authority(empty_store):
    """Seven authorities' counts derive the combined authority's; England's row beside them changes nothing."""
    jobs = "apprenticeship_starts"
    rows = [f"{jobs},2023-24,{g.name},100,final,,," for g in default_catalogue().local_authorities]
    _ingest(empty_store, HEADER + "\n".join(rows) + "\n", "las.csv")
    before = show(jobs, db=empty_store, today=TODAY)
    _ingest(
        empty_store,
        HEADER + f"{jobs},2023-24,England,339582,final,,,\n{jobs},2023-24,E12000005,40000,final,,,\n",
    )
    after = show(jobs, db=empty_store, today=TODAY)
    assert [(p.value, p.derived) for p in after.series] == [(700.0, True)]
    assert after.progress == before.progress
    with open_store(empty_store, read_only=True) as con:
        assert query(
            con, "SELECT count(*) FROM observation WHERE geography_code IN ('E92000001', 'E12000005')"
        ) == [(2,)]
