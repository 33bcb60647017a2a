"""One writer at a time, and never a partial write.

A load that finds the store held waits up to 10 seconds, then exits 2 saying the dashboard or another
load holds it; a load that fails or is killed part-way leaves the store exactly as it was.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

import metrics.upload.write as ingest_module
from metrics.upload import ingest_bytes
from tests.stores import query

HEADER = "indicator_id,period,geography,value\n"
GOOD = (
    HEADER
    + "jobs_created_wmca_investment,2026-27 Q3,Birmingham,140\njobs_created_wmca_investment,2022-23 Q1,Birmingham,1\n"
)
ROOT = Path(__file__).resolve().parents[2]

HOLD = """
import sys, time, duckdb
from metrics import pgstore
if pgstore.is_url(sys.argv[1]):  # PostgreSQL: a write transaction holds the write lock, a reader nothing
    con = pgstore.open_connection(sys.argv[1], read_only=sys.argv[3] == "read_only", lock_wait=10)
    con.begin()
    con.execute("SELECT count(*) FROM upload").fetchall()
else:
    con = duckdb.connect(sys.argv[1], read_only=sys.argv[3] == "read_only")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""

pytestmark = pytest.mark.both_engines


def hold(db: Path | str, seconds: float, mode: str = "read_write") -> subprocess.Popen:
    """Another process (the dashboard, another load) with the store open; returns once it holds it.

    On PostgreSQL, "open for writing" is a write transaction holding the store's write lock."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), str(seconds), mode], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert proc.stdout.readline().strip() == "holding"
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)
    proc.stdout.close()


def test_a_held_store_makes_a_load_wait_then_exit_2(sample_store, kpi, write_csv, dump_store):
    f = write_csv(GOOD)
    before = dump_store(sample_store)
    holder = hold(sample_store, 60)
    try:
        started = time.monotonic()
        code, out, err = kpi("ingest", f, "--json", "--db", sample_store)
        waited = time.monotonic() - started
    finally:
        stop(holder)
    assert code == 2
    assert out == ""
    assert "the dashboard or another load" in err
    assert "Waited 10 seconds" in err and "Traceback" not in err
    assert waited >= 10, "it gave up without waiting"
    assert waited < 45, "it waited far longer than 10 seconds"
    assert dump_store(sample_store) == before


def test_a_load_goes_ahead_when_the_holder_lets_go_within_10_seconds(sample_store, kpi, write_csv):
    f = write_csv(GOOD)
    holder = hold(sample_store, 2)
    try:
        code, out, err = kpi("ingest", f, "--json", "--db", sample_store)
    finally:
        stop(holder)
    assert code == 0, err
    report = json.loads(out)
    assert report["status"] == "committed"
    assert (report["inserted"], report["revised"]) == (1, 1)


def test_the_dashboard_reading_delays_a_load_but_not_another_reader(sample_store, kpi, cli, write_csv):
    reader = hold(sample_store, 2, "read_only")
    try:
        # Another reader (a second browser tab, `kpi show`) is not held up at all.
        code, out, _ = cli("show", "neet_16_17", "--geography", "Birmingham", "--json", "--db", sample_store)
        assert code == 0 and json.loads(out)["series"]
        code, out, err = kpi("ingest", write_csv(GOOD), "--json", "--db", sample_store)
    finally:
        stop(reader)
    assert code == 0, err
    assert json.loads(out)["status"] == "committed"


@pytest.mark.parametrize(
    "text",
    [GOOD, "action_id,period,status,note\nAH2,2026-27 Q3,at_risk,late\nAH3,2022-23 Q1,complete,\n"],
    ids=["values", "action_status"],
)
def test_a_failure_inside_the_transaction_leaves_the_store_as_it_was(
    sample_store, dump_store, monkeypatch, text
):
    before = dump_store(sample_store)
    calls = []

    def fail_after_the_rows_are_written(con, report, *args, **kwargs):
        # Reached after the observations or statuses were inserted, before the upload is recorded.
        count = {
            "values": "SELECT count(*) FROM observation WHERE upload_id = $id",
            "action_status": "SELECT count(*) FROM action_status WHERE upload_id = $id",
        }[report.kind]
        calls.append(query(con, count, {"id": report.upload_id}))
        raise OSError("No space left on device")

    monkeypatch.setattr(ingest_module, "_insert_upload", fail_after_the_rows_are_written)
    with pytest.raises(OSError, match="No space left"):
        ingest_bytes(text.encode(), "upload.csv", db=sample_store)
    assert calls and calls[0][0][0] >= 1, "the rows were written inside the transaction before the failure"
    assert dump_store(sample_store) == before

    monkeypatch.undo()
    report = ingest_bytes(text.encode(), "upload.csv", db=sample_store)
    assert report.status == "committed"  # the store is usable straight after


KILLED = """
import sys, time
import metrics.upload.write as ingest

def stall(*args, **kwargs):
    print("inside the transaction", flush=True)
    time.sleep(120)

ingest._insert_upload = stall
ingest.ingest_bytes(open(sys.argv[2], "rb").read(), "upload.csv", db=sys.argv[1])
"""


def test_a_load_killed_mid_transaction_leaves_the_store_as_it_was(sample_store, dump_store, write_csv, cli):
    before = dump_store(sample_store)
    f = write_csv(GOOD)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(sample_store), str(f)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert proc.stdout.readline().strip() == "inside the transaction"
    finally:
        proc.kill()
        proc.wait(timeout=10)
        proc.stdout.close()
    assert dump_store(sample_store) == before
    code, out, _ = cli("ingest", f, "--json", "--db", sample_store)
    assert code == 0 and json.loads(out)["status"] == "committed"
