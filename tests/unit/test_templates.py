"""Upload templates: the right header, and pre-filled rows an analyst completes with numbers only.

The strongest check is the round trip: a pre-filled template with only numbers
(or statuses) typed in passes the upload checks unchanged otherwise.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from metrics.catalogue import default_catalogue
from metrics.periods import Period, parse_period
from metrics.setup import init_store
from metrics.upload import STATUS_COLUMNS, VALUE_COLUMNS, ingest_bytes, templates
from metrics.upload.check import check

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "upload"
TODAY = dt.date(2026, 11, 26)


def _read(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "templates start with a byte-order mark so Excel reads UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _filled(data: bytes, column: str, text: str) -> bytes:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for r in rows:
        writer.writerow(r | {column: text})
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("templates") / "kpi.duckdb"
    init_store(db, sample=False)
    for name in ("baseline.csv", "baseline-status.csv"):
        report = ingest_bytes((FIXTURES / name).read_bytes(), name, db=db, now=dt.datetime(2026, 11, 2, 9))
        assert report.status == "committed", report.as_json()
    return db


def test_the_empty_templates_are_the_contracts_headers_and_nothing_else():
    assert _read(templates.empty_values().data) == [list(VALUE_COLUMNS)]
    assert _read(templates.empty_action_status().data) == [list(STATUS_COLUMNS)]
    assert templates.empty_values().file_name.endswith(".csv")


def test_an_empty_template_with_one_row_typed_in_passes_the_checks():
    data = templates.empty_values().data + b"jobs_created_wmca_investment,2026-27 Q2,Walsall,12,,,,,,,,,\r\n"
    report, staged = check(data, "t.csv", today=TODAY)
    assert not report.errors, [p.message for p in report.errors]
    assert len(staged) == 1


@pytest.mark.parametrize(
    ("frequency", "year_type", "latest", "due"),
    [
        ("quarter", "financial", "2026-27 Q1", "2026-27 Q2"),  # Q2 ended 30 September: due
        ("quarter", "financial", "2026-27 Q2", None),  # Q3 ends 31 December: nothing due yet
        ("quarter", "financial", None, "2026-27 Q2"),  # no data: the latest quarter that has ended
        ("year", "calendar", None, "2025"),
        ("year", "calendar", "2023", "2024"),
        ("year", "academic", None, "2025-26"),  # August 2025 to July 2026
        ("quarter", "academic", "2025-26 Q4", "2026-27 Q1"),  # August to October 2026
        ("month", None, "2026-10", None),  # November has not ended
    ],
)
def test_the_period_due_is_the_one_after_the_latest_once_it_has_ended(frequency, year_type, latest, due):
    period = parse_period(latest, frequency, year_type, TODAY) if latest else None
    got = templates.due_period(frequency, year_type, period, TODAY)
    assert (got.label if got else None) == due


def test_without_history_a_template_lists_the_seven_authorities_and_the_combined_authority_if_not_derived():
    cat = default_catalogue()
    count = cat.indicator("jobs_created_wmca_investment")  # a count: the combined authority is derived
    rate = cat.indicator("fe_participation_19plus_rate")  # a rate: it is not
    rows, notes = templates.value_rows((count, rate), {}, cat, TODAY)
    places = {i: [r["geography"] for r in rows if r["indicator_id"] == i] for i in (count.id, rate.id)}
    assert places[count.id] == [g.name for g in cat.local_authorities]
    assert places[rate.id] == [cat.combined_authority.name] + [g.name for g in cat.local_authorities]
    assert notes == []


def test_an_indicator_with_nothing_due_is_named_with_the_date_the_next_period_ends():
    cat = default_catalogue()
    ind = cat.indicator("jobs_created_wmca_investment")
    latest = {
        ind.id: (Period("2026-27 Q2", dt.date(2026, 7, 1), dt.date(2026, 9, 30)), [("E08000030", "", "")])
    }
    rows, notes = templates.value_rows((ind,), latest, cat, TODAY)
    assert rows == []
    assert notes == [
        "Jobs from housing and land investment (jobs_created_wmca_investment) has values up to 2026-27 Q2; "
        "nothing is due until 2026-27 Q3 ends on 31 December 2026."
    ]


def test_a_closed_programme_is_not_asked_for_figures_after_it_ended():
    cat = default_catalogue()
    academy = cat.indicator("jobs_skills_academy_people_supported")  # closed 30 September 2022
    latest = {
        academy.id: (Period("2022-23 Q2", dt.date(2022, 7, 1), dt.date(2022, 9, 30)), [("E47000007", "", "")])
    }
    rows, notes = templates.value_rows((academy,), latest, cat, TODAY)
    assert rows == []
    assert notes == [
        "Jobs and Skills Academy (jobs_skills_academy_people_supported) closed on 30 September 2022; "
        "no figures are expected."
    ]
    # Before it closed, the quarter after the latest was asked for as usual.
    rows, _ = templates.value_rows((academy,), latest, cat, dt.date(2022, 7, 15))
    assert rows == []  # 2022-23 Q2 had not ended yet
    early = {
        academy.id: (Period("2022-23 Q1", dt.date(2022, 4, 1), dt.date(2022, 6, 30)), [("E47000007", "", "")])
    }
    rows, _ = templates.value_rows((academy,), early, cat, dt.date(2022, 10, 15))
    assert [(r["period"], r["geography"]) for r in rows] == [
        ("2022-23 Q2", "West Midlands Combined Authority")
    ]


def test_a_prefilled_template_lists_each_place_and_breakdown_against_the_next_period(store):
    t = templates.prefilled_values("theme:skills_equity", db=store, today=TODAY)
    rows = [dict(zip(_read(t.data)[0], r, strict=True)) for r in _read(t.data)[1:]]
    youth = [r for r in rows if r["indicator_id"] == "youth_hub_young_people_supported"]
    assert [(r["period"], r["geography"], r["breakdown_dimension"], r["breakdown_value"]) for r in youth] == [
        ("2026-27 Q2", "Dudley", "", ""),
        ("2026-27 Q2", "Dudley", "sex", "Female"),
    ]
    assert all(r["value"] == "" and r["status"] == "" for r in rows), "the analyst fills in the numbers"
    ids = {r["indicator_id"] for r in rows}
    assert ids <= {i.id for i in default_catalogue().indicators_for_theme("skills_equity")}
    assert "households_temporary_accommodation" not in ids
    assert t.file_name == "upload-template-skills-equity.csv"
    assert len(t.rows) == len(rows)


def test_a_prefilled_template_with_numbers_typed_in_passes_the_checks(store):
    t = templates.prefilled_values(templates.ALL, db=store, today=TODAY)
    filled = _filled(t.data, "value", "10")
    report = ingest_bytes(filled, "filled.csv", db=store, dry_run=True, now=dt.datetime(2026, 11, 26, 9))
    assert report.errors == [], [(p.line, p.column, p.message) for p in report.errors][:5]
    assert report.inserted == len(t.rows) > 100


def test_an_indicator_template_uses_the_place_history(store):
    t = templates.prefilled_values("indicator:youth_hub_young_people_supported", db=store, today=TODAY)
    assert list(t.rows["geography"]) == ["Dudley", "Dudley"]
    assert set(t.rows["period"]) == {"2026-27 Q2"}
    up_to_date = templates.prefilled_values(
        "indicator:households_temporary_accommodation", db=store, today=TODAY
    )
    assert up_to_date.rows.empty and "nothing is due until 2026-27 Q3 ends" in up_to_date.notes[0]


def test_the_action_status_template_lists_each_action_of_the_theme_and_passes_once_filled(store):
    t = templates.prefilled_action_status("theme:affordable_housing", db=store, today=TODAY)
    theme = default_catalogue().theme("affordable_housing")
    due = dict(zip(t.rows["action_id"], t.rows["period"], strict=True))
    assert list(due) == [a.id for a in theme.actions if a.id != "AH2"]
    assert due["AH3"] == "2026-27 Q2"  # after its latest status
    assert due["AH1"] == "2026-27 Q2"  # no status yet: the latest quarter that has ended
    assert "AH2 has a status up to 2026-27 Q2" in t.notes[0]  # up to date: listed in the notes instead
    report = ingest_bytes(
        _filled(t.data, "status", "on_track"),
        "s.csv",
        db=store,
        dry_run=True,
        now=dt.datetime(2026, 11, 26, 9),
    )
    assert report.errors == [] and report.kind == "action_status"


def test_an_unknown_choice_is_refused_with_a_message():
    with pytest.raises(KeyError, match="Choose one from the list"):
        templates.indicators_for("theme:nonsense")
    keys = [k for k, _ in templates.value_choices()]
    assert keys[0] == templates.ALL and "indicator:jobs_created_wmca_investment" in keys


def test_a_template_names_the_periods_its_rows_ask_figures_for(store):
    assert templates.empty_values().periods == []
    youth = templates.prefilled_values("indicator:youth_hub_young_people_supported", db=store, today=TODAY)
    assert youth.periods == ["2026-27 Q2"]
    rows = [{"action_id": "AH2", "period": "2026-27 Q2"}, {"action_id": "AH1", "period": "2026-27 Q1"}]
    assert templates._template(STATUS_COLUMNS, rows, "t.csv").periods == ["2026-27 Q1", "2026-27 Q2"]


def test_templates_carry_the_interval_columns_and_name_comparators():
    """The contract's optional interval columns are in every value template (left empty to fill), and a
    comparator that had a value (England) is listed by name after the eight places."""
    header = next(csv.reader(io.StringIO(templates.empty_values().data.decode("utf-8-sig"))))
    assert header[-3:] == ["lower", "upper", "confidence"]
    cat = default_catalogue()
    employment = cat.indicator("employment_rate_16_64")
    latest = parse_period("2024", "year", "calendar", TODAY)
    keys = [("E92000001", "", ""), ("E08000026", "", ""), ("E12000005", "", "")]
    rows, _ = templates.value_rows((employment,), {employment.id: (latest, keys)}, cat, TODAY)
    assert [(r["geography"], r["period"]) for r in rows] == [
        ("Coventry", "2025"),
        ("England", "2025"),
        ("West Midlands region", "2025"),
    ]
    filled = templates.to_csv(VALUE_COLUMNS, [r | {"value": "75.1", "lower": "74.8", "upper": "75.4",
                                                   "confidence": "95"} for r in rows])  # fmt: skip
    report, staged = check(filled, "t.csv", today=TODAY)
    assert not report.errors, [p.message for p in report.errors]
    assert staged["lower"].tolist() == [74.8] * 3
