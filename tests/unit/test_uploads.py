"""The Upload page's headless side: large-change notices, the analyst's file with its errors,
and uploads that hold up when several things use the store at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from metrics import dashboard
from metrics import upload as uploads
from metrics.auth import LOCAL_ANALYST, User
from metrics.setup import init_store
from metrics.store import StoreBusy, connect
from metrics.upload import Problem, UndoRefused, ingest_bytes
from metrics.upload.check import check
from tests.conftest import postgres_copy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "upload"
KPI = Path(sys.executable).parent / "kpi"
NOW = dt.datetime(2026, 11, 26, 9)
ANALYST = User("ana@example.org", "Ana", "analyst")


@pytest.fixture
def store(engine, request, tmp_path) -> Path | str:
    """The plan, the catalogue and two baseline uploads, on the engine the test runs on."""
    if engine == "postgres":
        db = postgres_copy(request, "empty")
    else:
        db = tmp_path / "kpi.duckdb"
        init_store(db, sample=False)
    for name in ("baseline.csv", "baseline-status.csv"):
        report = ingest_bytes((FIXTURES / name).read_bytes(), name, db=db, now=NOW)
        assert report.status == "committed", report.as_json()
    return db


def _value(db, indicator: str, place: str) -> float:
    return dashboard.show(indicator, place, db=db, today=NOW.date()).series[-1].value


# ---------------------------------------------------------------- large changes


def _preview(rows: list[tuple[int, float | None]]) -> pd.DataFrame:
    return pd.DataFrame({"line": [r[0] for r in rows], "value": [r[1] for r in rows]})


def test_a_value_more_than_half_away_from_the_previous_period_gets_a_notice():
    preview = _preview([(2, 151.0), (3, 49.0), (4, 150.0), (5, 50.0), (6, None), (7, 10.0)])
    previous = pd.DataFrame(
        {
            "line": [2, 3, 4, 5, 6, 7],
            "previous_period": ["2026-27 Q1"] * 6,
            "previous_value": [100.0, 100.0, 100.0, 100.0, 100.0, 0.0],
            "previous_missing": [None] * 6,
        }
    )
    notices = uploads.jump_notices(preview, previous)
    assert [(n.line, n.column) for n in notices] == [(2, "value"), (3, "value")]  # 50% exactly is not "over"
    assert "51% higher than the value for 2026-27 Q1 (100)" in notices[0].message
    assert "51% lower" in notices[1].message
    assert "Check it is right before you confirm" in notices[0].message


def test_a_fraction_for_a_percentage_and_a_tenfold_change_are_named_for_what_they_likely_are():
    from metrics.catalogue import default_catalogue

    preview = pd.DataFrame(
        {
            "line": [2, 3, 4, 5],
            "indicator_id": [
                "employment_rate_16_64",
                "households_temporary_accommodation",
                "households_temporary_accommodation",
                "employment_rate_16_64",
            ],  # fmt: skip
            "value": [0.708, 24000.0, 240.0, 68.0],
        }
    )
    previous = pd.DataFrame(
        {
            "line": [2, 3, 4, 5],
            "previous_period": ["2022", "2026-27 Q1", "2026-27 Q1", "2022"],
            "previous_value": [70.5, 2400.0, 2400.0, 70.5],
            "previous_missing": [None] * 4,
        }
    )
    notices = uploads.jump_notices(preview, previous, catalogue=default_catalogue())
    assert [n.line for n in notices] == [2, 3, 4]  # 68 after 70.5 is an ordinary change
    assert notices[0].message == (
        "0.708 looks like a fraction: the value for 2022 was 70.5%. Enter percentages as percent, "
        "like 70.8 for 70.8%."
    )
    assert notices[1].message.startswith("24,000 is ten times or more the value for 2026-27 Q1 (2,400).")
    assert notices[2].message.startswith("240 is a tenth or less of the value for 2026-27 Q1 (2,400).")
    assert all("Check" in n.message or "Enter" in n.message for n in notices)


@pytest.mark.both_engines
def test_the_previous_period_comes_from_the_same_file_before_the_store(store):
    data = (
        b"indicator_id,period,geography,value\n"
        b"jobs_created_wmca_investment,2026-27 Q2,Coventry,100\n"  # store's Q1 is 37: +170%
        b"jobs_created_wmca_investment,2026-27 Q3,Coventry,110\n"  # the file's own Q2 is 100: +10%
        b"households_temporary_accommodation,2026-27 Q2,Coventry,2400\n"  # no Q1 for Coventry: no notice
    )
    report = uploads.check_as(LOCAL_ANALYST, data, "jump.csv", db=store, now=NOW)
    assert report.status == "dry_run"
    assert [(n.line, n.value) for n in report.notices] == [(2, "100")]
    assert "(37)" in report.notices[0].message and "2026-27 Q1" in report.notices[0].message
    # Notices are for the page, not the contract's report (line 4 changes a final value: a warning).
    assert [w["line"] for w in report.as_json()["warnings"]] == [4]


# ---------------------------------------------------------------- the file with an error column

BAD = (
    b"indicator_id,period,geography,value,note\r\n"
    b"households_temporary_accommodation,Q3 2026,Birmingham,6100,\r\n"
    b"\r\n"
    b'households_temporary_accommodation,2026-27 Q2,Coventry,2400,"two\r\nlines"\r\n'
    b"jobs_created_wmca_investment,2026-27 Q2,Brum,lots,\r\n"
)


def test_the_analysts_own_file_comes_back_with_an_error_column_on_the_right_rows():
    report, _ = check(BAD, "bad.csv", today=NOW.date())
    assert {p.line for p in report.errors} == {2, 6}
    blob, name, mime = uploads.annotated_file(BAD, "bad.csv", report.errors)
    assert (name, mime) == ("bad-with-errors.csv", "text/csv")
    rows = list(csv.reader(io.StringIO(blob.decode("utf-8-sig"))))
    assert rows[0] == ["indicator_id", "period", "geography", "value", "note", "error"]
    assert rows[1][:4] == ["households_temporary_accommodation", "Q3 2026", "Birmingham", "6100"]
    assert rows[1][5].startswith("period: Write the period as 2026-27 Q")
    assert rows[2] == []  # the blank line is kept, so line numbers still match
    assert rows[3][4] == "two\r\nlines" and rows[3][5] == ""  # no problem on this row
    assert "geography: 'Brum'" in rows[4][5] and "value: 'lots' is not a number" in rows[4][5]


def test_the_fixed_file_passes_once_the_error_column_is_deleted():
    report, _ = check(BAD, "bad.csv", today=NOW.date())
    blob, _, _ = uploads.annotated_file(BAD, "bad.csv", report.errors)
    rows = list(csv.reader(io.StringIO(blob.decode("utf-8-sig"))))
    fixed = io.StringIO()
    writer = csv.writer(fixed)
    for r in rows:
        r = r[:5]
        if r and r[1] == "Q3 2026":
            r[1] = "2026-27 Q3"
        if r and r[2] == "Brum":
            r[2], r[3] = "Birmingham", "12"
        writer.writerow(r)
    again, staged = check(fixed.getvalue().encode("utf-8-sig"), "bad-with-errors.csv", today=NOW.date())
    assert again.errors == [] and len(staged) == 3


def test_an_excel_workbook_comes_back_as_the_same_workbook_with_the_column():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Q2 return"
    ws.append(["indicator_id", "period", "geography", "value"])
    ws.append(["jobs_created_wmca_investment", "2026-27 Q2", "Coventry", 41])
    ws.append(["jobs_created_wmca_investment", "2026-27 Q2", "Brum", 12])
    ws["D2"].number_format = "#,##0"
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    report, _ = check(data, "return.xlsx", today=NOW.date())
    assert [p.line for p in report.errors] == [3]
    blob, name, mime = uploads.annotated_file(data, "return.xlsx", report.errors)
    assert name == "return-with-errors.xlsx" and "spreadsheetml" in mime
    back = openpyxl.load_workbook(io.BytesIO(blob)).worksheets[0]
    assert back.title == "Q2 return" and back["D2"].number_format == "#,##0"  # their own workbook
    assert [back.cell(row=r, column=5).value for r in (1, 2, 3)][0] == "error"
    assert back["E2"].value is None and back["E3"].value.startswith("geography: 'Brum'")


def test_a_problem_with_the_whole_file_has_no_rows_to_mark():
    assert uploads.annotated_file(b"\x00\x01", "x.csv", [Problem(None, None, None, "not text")]) is None


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\q2 return.csv", "q2 return.csv"),
        ("[x](y).csv", "x-y-.csv"),
    ],
)
def test_download_names_are_plain(given, safe):
    assert uploads.safe_file_name(given) == safe


# ---------------------------------------------------------------- holding up under use


def _one_value_file(place: str, value: int) -> bytes:
    return f"indicator_id,period,geography,value\njobs_created_wmca_investment,2026-27 Q3,{place},{value}\n".encode()


@pytest.mark.both_engines
def test_two_uploads_at_the_same_moment_are_both_committed_or_one_is_told_to_try_again(store):
    """Two sessions of the dashboard's server (threads of one process) confirming together.

    The contract allows two outcomes only: both committed, or one committed and the other refused
    with the busy message and nothing of it written. Both refused, or a lost or doubled value, fails.
    """
    results: dict[str, object] = {}
    start = threading.Barrier(2)

    def confirm(place: str, value: int) -> None:
        start.wait()
        try:
            results[place] = uploads.commit_as(
                ANALYST, _one_value_file(place, value), f"{place}.csv", db=store
            )
        except StoreBusy as exc:
            results[place] = exc

    threads = [threading.Thread(target=confirm, args=a) for a in (("Walsall", 31), ("Dudley", 44))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert set(results) == {"Walsall", "Dudley"}, "an upload neither committed nor refused"
    committed = [p for p, r in results.items() if not isinstance(r, StoreBusy)]
    refused = [p for p, r in results.items() if isinstance(r, StoreBusy)]
    outcome = "both committed" if not refused else f"{committed} committed, {refused} told to try again"
    assert len(committed) >= 1, f"both uploads failed: {results}"
    for place in refused:
        assert "Try again" in str(results[place]), outcome
    for place, value in (("Walsall", 31), ("Dudley", 44)):
        if place in committed:
            assert results[place].status == "committed", outcome
            assert _value(store, "jobs_created_wmca_investment", place) == value, outcome
    logged = [u for u in dashboard.uploads(db=store) if u["outcome"] == "committed"]
    assert sorted(u["file_name"] for u in logged) == sorted(
        ["baseline.csv", "baseline-status.csv", *(f"{p}.csv" for p in committed)]
    ), outcome
    assert len({u["id"] for u in logged}) == len(logged)
    print(f"two uploads at once: {outcome}")  # which outcome this run saw (pytest -s shows it)


def test_an_upload_while_another_process_holds_the_store_is_told_to_try_again_and_writes_nothing(store):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(13)",
            str(store),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreBusy, match="Try again"):
            uploads.commit_as(ANALYST, _one_value_file("Walsall", 31), "walsall.csv", db=store)
    finally:
        holder.wait(30)
    assert [u["file_name"] for u in dashboard.uploads(db=store)] == ["baseline-status.csv", "baseline.csv"]
    report = uploads.commit_as(
        ANALYST, _one_value_file("Walsall", 31), "walsall.csv", db=store
    )  # again: fine
    assert report.status == "committed" and _value(store, "jobs_created_wmca_investment", "Walsall") == 31


@pytest.mark.both_engines
def test_kpi_ingest_from_a_scheduled_job_works_while_people_browse(store, tmp_path):
    """The dashboard opens the store per read and closes it, so a load from another process gets in."""
    stop = threading.Event()
    failures: list[BaseException] = []
    reads = [0]

    def browse() -> None:
        while not stop.is_set():
            try:
                dashboard.freshness(db=store)
                dashboard.show("jobs_created_wmca_investment", "Coventry", db=store, today=NOW.date())
                reads[0] += 1
            except BaseException as exc:  # noqa: BLE001 - collected and reported below
                failures.append(exc)
            time.sleep(0.05)  # a person clicking, not a tight loop

    readers = [threading.Thread(target=browse) for _ in range(3)]
    for r in readers:
        r.start()
    try:
        path = tmp_path / "scheduled.csv"
        path.write_bytes(_one_value_file("Sandwell", 55))
        done = subprocess.run(
            [str(KPI), "ingest", str(path), "--db", str(store), "--user", "scheduled job"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        stop.set()
        for r in readers:
            r.join(30)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Committed upload" in done.stdout
    assert not failures, failures[:3]
    assert reads[0] > 0
    assert _value(store, "jobs_created_wmca_investment", "Sandwell") == 55


def test_checking_a_file_while_another_session_writes_waits_instead_of_failing(store):
    """In one process DuckDB refuses a read-only open while a write is open; the store waits it out."""
    with connect(store) as con:
        result: dict[str, object] = {}

        def check_now() -> None:
            result["report"] = uploads.check_as(ANALYST, _one_value_file("Solihull", 9), "s.csv", db=store)

        t = threading.Thread(target=check_now)
        t.start()
        time.sleep(0.5)
        con.execute("SELECT 1").fetchall()
    t.join(30)
    assert result["report"].status == "dry_run"


@pytest.mark.both_engines
def test_two_undos_of_the_same_upload_at_once_undo_it_once_and_the_other_is_told(store):
    """Without the conflict being caught, DuckDB's TransactionException reached the page as a crash."""
    report = uploads.commit_as(ANALYST, _one_value_file("Walsall", 31), "walsall.csv", db=store)
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def undo_now() -> None:
        start.wait()
        try:
            outcomes.append(uploads.undo_as(ANALYST, report.upload_id, db=store)["status"])
        except (StoreBusy, UndoRefused) as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=undo_now) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert outcomes.count("undone") == 1
    (other,) = [o for o in outcomes if o != "undone"]
    assert "Try again" in str(other) or "already undone" in str(other)
    undone = next(u for u in dashboard.uploads(db=store) if u["id"] == report.upload_id)
    assert (undone["outcome"], undone["undone_by"]) == ("undone", ANALYST.id)
    series = dashboard.show("jobs_created_wmca_investment", "Walsall", db=store, today=NOW.date()).series
    assert all(p.period != "2026-27 Q3" for p in series)  # the undone value is no longer shown


def test_a_row_of_the_wrong_width_is_named_with_its_line_in_either_kind_of_file():
    values = b"indicator_id,period,geography,value\njobs_created_wmca_investment,2026-27 Q2,Walsall,12,3\n"
    statuses = b"action_id,period,status,note\nAH2,2026-27 Q2,on_track,a,b\n"
    report, _ = check(values, "values.csv", today=NOW.date())
    assert [p.message for p in report.errors] == [
        "Line 2 has 5 values but the header has 4 columns. Check for a comma inside a value that is not in "
        "double quotes, or a missing value."
    ]
    report, _ = check(statuses, "statuses.csv", today=NOW.date())
    assert [p.message for p in report.errors] == [
        "Line 2 has 5 values but the header has 4 columns. Check for a comma inside a value that is not in "
        "double quotes."
    ]


def test_the_upload_pages_words_come_from_the_core():
    done = {"upload_id": 7, "rows": 1, "inserted": 1, "revised": 0, "unchanged": 0, "changed": 1}
    assert uploads.committed_text(done, "q2.csv") == (
        "Upload 7 is in: q2.csv, 1 row. 1 added, 0 revised, 0 unchanged. Every page now shows the new figures."
    )
    assert "q2.csv, 3 rows." in uploads.committed_text(done | {"rows": 3}, "q2.csv")
    assert uploads.undone_text(done, "q2.csv") == (
        "Upload 7 (q2.csv) is undone: 1 value went back to what they were before it. It stays in the history, "
        "marked undone. Every page now shows the figures without it."
    )
    assert "2 values went back" in uploads.undone_text(done | {"changed": 2}, "q2.csv")
    assert uploads.history_scope(LOCAL_ANALYST) == "every upload to the store on this machine"
    assert uploads.history_scope(User("boss@example.org", "B", "admin")) == "every upload, by anyone"
    assert uploads.history_scope(ANALYST) == "your uploads (as ana@example.org); an admin can see everyone's"
    assert uploads.when_text(NOW) == "26 November 2026, 09:00"


def test_an_uploads_facts_are_a_field_a_row_in_words():
    up = {
        "user_name": "Ana",
        "uploaded_at": NOW,
        "file_name": "q2.csv",
        "sha256": "ab12",
        "kind": "values",
        "rows": 3,
        "inserted": 1,
        "revised": 2,
        "unchanged": 0,
        "outcome": "committed",
    }
    facts = uploads.upload_facts(up)
    assert list(facts.columns) == ["Field", "Value"]
    assert dict(zip(facts["Field"], facts["Value"], strict=True)) == {
        "Who": "Ana",
        "When": "26 November 2026, 09:00",
        "File name": "q2.csv",
        "SHA-256": "ab12",
        "Kind": "Indicator values",
        "Rows": "3",
        "Added": "1",
        "Revised": "2",
        "Unchanged": "0",
        "Outcome": "Committed",
    }
    undone = uploads.upload_facts(up | {"outcome": "undone", "undone_at": NOW, "undone_by": "Bo"})
    assert list(undone["Value"])[-2:] == ["Undone", "26 November 2026, 09:00 by Bo"]


def test_the_same_bad_file_chosen_again_is_one_attempt_on_the_page_and_two_on_the_command_line(
    store, cli, tmp_path
):
    """The Upload page checks a file each time it is chosen: choosing the same rejected file again straight
    after must not fill the history with copies. `kpi ingest` records every run, as cli.md says."""
    first = uploads.check_as(LOCAL_ANALYST, BAD, "q2.csv", db=store, now=NOW)
    again = uploads.check_as(LOCAL_ANALYST, BAD, "q2 (1).csv", db=store, now=NOW)
    assert first.status == again.status == "rejected"
    assert again.upload_id == first.upload_id
    other = uploads.check_as(LOCAL_ANALYST, BAD.replace(b"lots", b"heaps"), "q2.csv", db=store, now=NOW)
    assert other.upload_id > first.upload_id  # a different file is a new attempt
    path = tmp_path / "q2.csv"
    path.write_bytes(BAD)
    ids = [json.loads(cli("ingest", path, "--json", "--db", store)[1])["upload_id"] for _ in range(2)]
    assert ids[0] != ids[1]
