"""Hostile uploads: how long each takes to be refused, and at what peak memory (figures, not tests).

Each file goes through `kpi ingest FILE --json` in a process of its own against a copy of the
sample store; the floor measured in the same run is DuckDB's own `read_csv` of a clean file of
the same size in a fresh process. The goal (the hostile-files issue): every refusal within 10 s
and 500 MB.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KPI = Path(sys.executable).parent / "kpi"
sys.path.insert(0, str(ROOT))

HEADER = "indicator_id,period,geography,value,numerator,denominator,breakdown_dimension,breakdown_value,status,note\n"
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)\n"
)


def _measure(args: list[str]) -> tuple[float, float, int]:
    out = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, check=True)
    seconds, peak_kb, code = out.stdout.split()
    return float(seconds), int(peak_kb) / 1024, int(code)


def _files(tmp: Path) -> dict[str, Path]:
    from tests.unit.test_ingest_hostile import _padding_xml, _rows_xml, _workbook_with_sheet

    files = {
        "a 1 MB note": HEADER
        + "jobs_created_wmca_investment,2023-24 Q2,Birmingham,10,,,,,final,"
        + "x" * 1_000_000
        + "\n",
        "5,000 bad rows": HEADER
        + "".join(f"no_such_indicator,2023-24 Q1,Birmingham,{i},,,,,,\n" for i in range(5000)),
    }
    out = {}
    for name, text in files.items():
        out[name] = tmp / f"{name.replace(' ', '-')}.csv"
        out[name].write_text(text, encoding="utf-8")
    out["3 million cells in 360 KB of xlsx"] = tmp / "cells.xlsx"
    out["3 million cells in 360 KB of xlsx"].write_bytes(_workbook_with_sheet(_rows_xml(300_000, 10)))
    out["an xlsx expanding to 210 MB"] = tmp / "expands.xlsx"
    out["an xlsx expanding to 210 MB"].write_bytes(_workbook_with_sheet(_padding_xml(210)))
    for fixture in ("unclosed_quote.csv", "nul_after_64k.csv", "password_protected.xlsx", "utf16.csv"):
        out[fixture] = ROOT / "tests" / "fixtures" / "bad" / fixture
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", help="a store to copy (default: a new sample store)")


def main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as tmp_text:
        tmp = Path(tmp_text)
        store = tmp / "kpi.duckdb"
        if args.store:
            shutil.copyfile(args.store, store)
        else:
            subprocess.run([str(KPI), "init", "--db", str(store)], check=True, capture_output=True)
        clean = tmp / "clean.csv"
        clean.write_text(HEADER + "jobs_created_wmca_investment,2023-24 Q1,Birmingham,1,,,,,,\n" * 20000)
        floor = _measure([sys.executable, "-c", f"import duckdb; duckdb.read_csv({str(clean)!r}).fetchall()"])
        print(
            f"floor: DuckDB read_csv of a clean file in a fresh process: {floor[0]:.2f} s, {floor[1]:.0f} MB"
        )
        print("| file | refused in | peak memory | exit | goal (10 s, 500 MB) |")
        print("| --- | --- | --- | --- | --- |")
        for name, path in _files(tmp).items():
            copy = tmp / "work.duckdb"
            shutil.copyfile(store, copy)
            seconds, peak, code = _measure([str(KPI), "ingest", str(path), "--json", "--db", str(copy)])
            met = "met" if seconds < 10 and peak < 500 and code == 1 else "NOT MET"
            print(
                f"| {name} | {seconds:.1f} s ({seconds / floor[0]:.1f}x the floor) | {peak:.0f} MB | {code} | {met} |"
            )
    _ = resource  # the child measures itself
    return 0
