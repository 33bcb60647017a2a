"""`python bench/run.py engines`: DuckDB and PostgreSQL side by side at the sample size.

The same operations on the sample store (`kpi init`'s), once on a DuckDB file and once on a
PostgreSQL database of a throwaway local server (tests/pgserver.py, the one the tests start), each
engine in its own process so neither warms the other's caches:

1. `kpi init` with the sample data (migrations, plan, catalogue, 21 sample uploads);
2. dashboard.show() for three kinds of indicator, the first call and the median of warm calls;
3. freshness() and the upload list (what every page's frame and the history read);
4. a quarterly file (one indicator, the combined authority and the seven authorities) through
   ingest_bytes, and its undo, the median of a few runs;
5. each page's server time in AppTest, warm (the second run of a fresh session; caches keyed on
   the data version, so the version read is in it), the median of --runs.

The per-page goal is the one bench/pages.py states (300 ms warm at the sample size). Writes
bench/out/engines.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import ROOT, machine, progress, run_child, write_markdown

NOW = "2026-11-26T09:00:00"
GOAL_PAGE_S = 0.300
SHOW_CASES = ("jobs_created_wmca_investment", "affordable_housing_share_scf", "neet_16_17")
PAGES = ("app.py", "pages/1_Theme.py", "pages/2_Indicator.py", "pages/3_About_the_data.py",
         "pages/4_Upload.py", "pages/5_Upload_history.py", "pages/6_Export.py", "pages/7_Accessibility.py",
         "pages/8_My_updates.py")  # fmt: skip
PLACES = ("West Midlands Combined Authority", "Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull",
          "Walsall", "Wolverhampton")  # fmt: skip


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--runs", type=int, default=5, help="runs of each upload, undo and page (median)")
    p.add_argument("--calls", type=int, default=20, help="warm show() calls per indicator")


def _timed(fn, *args: Any, **kwargs: Any) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def measure(db: str, runs: int, calls: int) -> dict[str, Any]:
    """Every figure for one store (a DuckDB path or a PostgreSQL URL), in this process."""
    os.environ.update({"KPI_DB": db, "KPI_NOW": NOW, "KPI_TODAY": NOW[:10]})
    from streamlit.testing.v1 import AppTest

    from metrics import dashboard
    from metrics.setup import init_store
    from metrics.upload import ingest_bytes
    from metrics.upload.undo import undo

    out: dict[str, Any] = {"init": _timed(init_store, db, sample=True)}
    for indicator in SHOW_CASES:
        first = _timed(dashboard.show, indicator, db=db)
        warm = [_timed(dashboard.show, indicator, db=db) for _ in range(calls)]
        out[f"show {indicator}"] = (first, statistics.median(warm))
    out["freshness"] = statistics.median(_timed(dashboard.freshness, db=db) for _ in range(calls))
    out["uploads"] = statistics.median(_timed(dashboard.uploads, db=db) for _ in range(calls))
    loads, undos = [], []
    for i in range(runs):
        text = "indicator_id,period,geography,value\n" + "".join(
            f"jobs_created_wmca_investment,2026-27 Q3,{place},{100 + i + n}\n"
            for n, place in enumerate(PLACES)
        )
        start = time.perf_counter()
        report = ingest_bytes(text.encode(), f"q{i}.csv", db=db)
        loads.append(time.perf_counter() - start)
        assert report.status == "committed", report.as_json()
        undos.append(_timed(undo, report.upload_id, db=db, user="bench"))
    out["upload"] = statistics.median(loads)
    out["undo"] = statistics.median(undos)
    for page in PAGES:
        times = []
        for _ in range(runs):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            if page != "app.py":
                at.switch_page(page)
            at.run()
            times.append(_timed(at.run))
            assert not at.exception, [e.value for e in at.exception]
        out[f"page {page}"] = statistics.median(times)
    return out


def _row(name: str, duck: Any, pg: Any, goal: float | None = None) -> list[str]:
    def ms(v: Any) -> str:
        if isinstance(v, list | tuple):  # (first call, warm median), a list once through JSON
            return f"{v[0] * 1000:,.0f} first, {v[1] * 1000:,.1f} warm"
        return f"{v * 1000:,.1f}" if v < 1 else f"{v:,.1f} s"

    row = [name, ms(duck), ms(pg)]
    if goal is not None:
        row.append("met" if max(duck, pg) <= goal else f"not met ({goal * 1000:.0f} ms)")
    else:
        row.append("")
    return row


def main(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    from tests.pgserver import throwaway_server

    work = Path(tempfile.mkdtemp(prefix="bench-engines-"))
    try:
        progress("DuckDB: the sample store and its figures")
        duck = run_child("engines:measure", db=str(work / "kpi.duckdb"), runs=args.runs, calls=args.calls)
        with throwaway_server() as server:
            progress("PostgreSQL: the sample store and its figures")
            url = server.create("kpi_bench")
            pg = run_child("engines:measure", db=url, runs=args.runs, calls=args.calls)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = [["what (milliseconds, medians)", "DuckDB file", "PostgreSQL (local server)", "goal"]]
    rows.append(_row("kpi init with the sample data", duck["init"], pg["init"]))
    for key in [k for k in duck if k.startswith("show ")]:
        rows.append(_row(f"dashboard.show {key[5:]}", duck[key], pg[key]))
    for key in ("freshness", "uploads", "upload", "undo"):
        label = {"upload": "a quarterly file of 8 rows, checked and committed", "undo": "its undo"}.get(
            key, key + "()"
        )
        rows.append(_row(label, duck[key], pg[key]))
    for key in [k for k in duck if k.startswith("page ")]:
        rows.append(_row(f"{key[5:]} warm server time", duck[key], pg[key], GOAL_PAGE_S))
    table = "\n".join("| " + " | ".join(r) + " |" for r in [rows[0], ["---"] * 4, *rows[1:]])
    print(table)
    write_markdown("engines.md", f"# Both engines at the sample size\n\n{machine()}\n\n{table}\n")
    return 0
