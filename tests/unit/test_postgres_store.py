"""What only a shared PostgreSQL store has to show: `kpi init` making and migrating a database, the
busy and unreachable messages, uploads from several processes at once, and the data version that
replicas key their caches on. Everything else the store does runs on both engines (both_engines)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from metrics.store import fingerprint, latest_version, migrate
from metrics.upload import ingest_bytes
from metrics.upload.undo import undo
from tests.stores import open_store, query

ROOT = Path(__file__).resolve().parents[2]
JOBS = "jobs_created_wmca_investment"
PLACES = ["Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"]


def _file(place: str, value: int, period: str = "2026-27 Q3") -> bytes:
    return f"indicator_id,period,geography,value\n{JOBS},{period},{place},{value}\n".encode()


def test_kpi_init_creates_a_missing_database_and_other_commands_say_to_run_it(postgres, kpi):
    url = postgres.url("kpi_made_by_init")
    postgres.drop("kpi_made_by_init")
    try:
        code, _, err = kpi("show", JOBS, "--db", url)
        assert code == 2 and "There is no store at" in err and "kpi init" in err and "Traceback" not in err
        code, out, err = kpi("init", "--db", url)
        assert code == 0, err
        code, out, err = kpi("show", JOBS, "--geography", "Birmingham", "--json", "--db", url)
        assert code == 0 and json.loads(out)["series"], err
        code, out, err = kpi("init", "--db", url)  # twice changes nothing
        assert code == 0 and "no migrations needed" in out, out + err
    finally:
        postgres.drop("kpi_made_by_init")


def test_an_older_database_is_migrated_by_kpi_init_with_its_data_kept(postgres, kpi):
    url = postgres.create()
    with open_store(url) as con:
        migrate(con, dt.datetime(2024, 1, 1, 9), upto=10)
        query(
            con,
            "INSERT INTO upload VALUES (1, 'values', 'old.csv', 'x', 'old analyst', TIMESTAMP '2024-01-01 10:00:00',"
            " 1, 1, 0, 0, 'committed', '{}')",
        )
        query(
            con,
            "INSERT INTO observation VALUES (1, 2, $jobs, 'E08000025', '2023-24 Q1', DATE '2023-04-01',"
            " DATE '2023-06-30', '', '', 42, NULL, NULL, NULL, 'final', 'kept from the old store', false, NULL)",
            {"jobs": JOBS},
        )
    code, _, err = kpi("show", JOBS, "--db", url)
    assert code == 2 and "older version" in err and "kpi init" in err
    code, out, err = kpi("init", "--db", url)
    assert code == 0 and f"{latest_version() - 10} step(s) applied" in out, out + err
    series = json.loads(kpi("show", JOBS, "--geography", "Birmingham", "--json", "--db", url)[1])["series"]
    assert [(p["period"], p["value"]) for p in series] == [("2023-24 Q1", 42.0)]
    with open_store(url) as con:
        assert query(con, "SELECT count(*) FROM upload")[0][0] == 1  # migrated, not loaded with the sample


def test_a_server_that_cannot_be_reached_exits_2_without_showing_the_password(kpi):
    url = "postgresql://kpi:s3cret@127.0.0.1:1/kpi"
    code, out, err = kpi("uploads", "--db", url)
    assert code == 2 and out == ""
    assert "cannot be reached" in err and "Check the database server is running" in err
    assert "s3cret" not in err and "Traceback" not in err


UPLOADER = """
import sys
from metrics.upload import ingest_bytes
url, who, periods = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
for i, period in enumerate(periods):
    text = "indicator_id,period,geography,value\\n" + "".join(
        f"jobs_created_wmca_investment,{period},{place},{100 * (1 + i) + len(who)}\\n"
        for place in ["Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"]
    )
    report = ingest_bytes(text.encode(), f"{who}-{period}.csv", db=url, user=who)
    assert report.status == "committed", report.as_json()
print("done", flush=True)
"""


def test_uploads_from_two_replicas_at_once_are_all_kept_once_each_and_never_interleaved(
    postgres_templates, postgres
):
    """Two processes (two replicas, or a replica and a scheduled `kpi ingest`) each load several files
    into one database at the same time: every upload is committed, each exactly once, every row it
    brought is there under its own upload, and the current flags equal the rule afterwards."""
    url = postgres.create(template=postgres_templates["empty"])
    periods = {
        "first": ["2023-24 Q1", "2023-24 Q2", "2023-24 Q3"],
        "second": ["2023-24 Q2", "2023-24 Q3", "2023-24 Q4"],
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", UPLOADER, url, who, ",".join(p)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who, p in periods.items()
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0 and "done" in out, err
    with open_store(url) as con:
        uploads = query(con, "SELECT id, file_name, inserted + revised FROM upload ORDER BY id")
        assert len(uploads) == 6 and len({u[1] for u in uploads}) == 6
        assert all(u[2] == len(PLACES) for u in uploads)  # each saw the store as the one before it left it
        rows = query(con, "SELECT upload_id, count(*) FROM observation GROUP BY upload_id ORDER BY upload_id")
        assert rows == [(u[0], len(PLACES)) for u in uploads]
        flagged = query(
            con, "SELECT upload_id, geography_code, period FROM observation WHERE is_current ORDER BY 1, 2, 3"
        )
        rule = query(
            con,
            "SELECT upload_id, geography_code, period FROM ranked_observation(CAST(NULL AS INTEGER), "
            "CAST([] AS INTEGER[])) ORDER BY 1, 2, 3",
        )
        assert flagged == rule and len(flagged) == 4 * len(PLACES)


def test_the_data_version_changes_with_every_write_any_process_makes_and_only_then(
    postgres_templates, postgres
):
    url = postgres.create(template=postgres_templates["sample"])
    first = fingerprint(url)
    assert fingerprint(url) == first  # reading changes nothing
    assert "kpi_test_" in first[0]
    report = ingest_bytes(_file("Walsall", 31), "w.csv", db=url)
    assert report.status == "committed"
    after_upload = fingerprint(url)
    assert after_upload != first
    undo(report.upload_id, db=url, user="tester")
    assert fingerprint(url) not in (first, after_upload)
    rejected = ingest_bytes(
        b"indicator_id,period,geography,value\nnope,2026-27 Q3,Walsall,1\n", "bad.csv", db=url
    )
    assert rejected.status == "rejected"
    assert fingerprint(url)[1] == rejected.upload_id  # a rejected file is shown in the history too


def test_idle_connections_are_reused_without_an_uploads_rows_and_a_dropped_one_is_replaced(
    postgres_templates, postgres, monkeypatch
):
    from metrics import pgstore

    url = postgres.create(template=postgres_templates["empty"])
    first = pgstore.open_connection(url, read_only=False, lock_wait=10)
    pid = first.raw.info.backend_pid
    first.register("staged", pd.DataFrame({"line": [1, 2]}))
    first.close()
    again = pgstore.open_connection(url, read_only=False, lock_wait=10)
    assert again.raw.info.backend_pid == pid  # the same server process: no new connection
    assert query(again, "SELECT count(*) FROM pg_tables WHERE tablename = 'staged'")[0][0] == 0
    again.close()

    monkeypatch.setattr(pgstore, "PING_AFTER_S", 0.0)  # every idle connection is checked before use
    with open_store(postgres.url("postgres")) as admin:
        query(admin, "SELECT pg_terminate_backend($pid)", {"pid": pid})
    replaced = pgstore.open_connection(url, read_only=False, lock_wait=10)
    assert replaced.raw.info.backend_pid != pid
    assert query(replaced, "SELECT count(*) FROM upload")[0][0] == 0
    replaced.close()
    pgstore.close_idle()
