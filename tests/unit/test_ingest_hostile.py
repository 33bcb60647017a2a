"""Files built to hurt: too large inside, too many problems, groups spelt three ways.

The small hostile files are fixtures in tests/fixtures/bad (see test_ingest_bad.py). These
are made at test time because they are large by design (a megabyte in one note, a workbook
that expands to millions of cells or hundreds of megabytes). Each goes through the real
`kpi ingest --json` in a process of its own, whose peak memory is measured: every one is
refused with its line where it has one, nothing is written, and the answer stays within
bounded memory.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import KPI

HEADER = "indicator_id,period,geography,value,numerator,denominator,breakdown_dimension,breakdown_value,status,note\n"
PEAK_MB = 500
# Runs the command and prints its own exit code and the peak memory of the child, in kilobytes.
MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stderr.write(done.stderr)\n"
    "print(done.returncode)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "print(done.stdout)\n"
)


def ingest_measured(file: Path, db: Path) -> tuple[int, dict, float]:
    """`kpi ingest FILE --json`, its exit code, report and peak memory in MB."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(KPI), "ingest", str(file), "--json", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    code, peak_kb, out = done.stdout.split("\n", 2)
    return int(code), json.loads(out), int(peak_kb) / 1024


def _workbook_with_sheet(sheet_xml_writer) -> bytes:
    """A real workbook whose first sheet's XML is replaced by what `sheet_xml_writer` streams."""
    wb = openpyxl.Workbook()
    wb.active.append(["indicator_id", "period", "geography", "value"])
    plain = io.BytesIO()
    wb.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with dst.open(item.filename, "w") as sheet:
                    sheet_xml_writer(sheet)
            else:
                dst.writestr(item, src.read(item.filename))
    return out.getvalue()


def _rows_xml(rows: int, columns: int):
    def write(sheet) -> None:
        sheet.write(
            b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
            b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        )
        cells = b"".join(b'<c t="n"><v>1</v></c>' for _ in range(columns))
        row = b"<row>" + cells + b"</row>"
        for _ in range(rows // 1000):
            sheet.write(row * 1000)
        sheet.write(b"</sheetData></worksheet>")

    return write


def _padding_xml(megabytes: int):
    def write(sheet) -> None:
        sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>')
        chunk = b" " * (1024 * 1024)
        for _ in range(megabytes):
            sheet.write(chunk)
        sheet.write(b"</sheetData></worksheet>")

    return write


def _refused(report: dict, code: int, peak: float, words: tuple[str, ...], line: int | None = None) -> dict:
    assert code == 1 and report["status"] == "rejected", report
    error = report["errors"][0]
    for word in words:
        assert word in error["message"], (word, error)
    assert error["line"] == line
    assert peak < PEAK_MB, f"peak memory {peak:.0f} MB"
    return error


def test_a_megabyte_note_is_refused_with_its_line_and_the_limit(sample_store, tmp_path, dump_store):
    before = dump_store(sample_store)
    f = tmp_path / "huge-note.csv"
    f.write_text(
        HEADER
        + "jobs_created_wmca_investment,2023-24 Q1,Birmingham,10,,,,,final,ok\n"
        + "jobs_created_wmca_investment,2023-24 Q2,Birmingham,10,,,,,final,"
        + "x" * 1_000_000
        + "\n",
        encoding="utf-8",
    )
    code, report, peak = ingest_measured(f, sample_store)
    error = _refused(report, code, peak, ("Shorten the note to 500 characters", "1000000"), line=3)
    assert error["column"] == "note" and len(error["value"]) <= 81
    assert len(json.dumps(report)) < 5000  # the megabyte is not repeated back
    after = dump_store(sample_store)
    assert {t: after[t] for t in after if t != "upload"} == {t: before[t] for t in before if t != "upload"}


def test_a_megabyte_group_name_is_refused_with_its_line(sample_store, tmp_path):
    f = tmp_path / "huge-group.csv"
    f.write_text(
        HEADER
        + "youth_hub_young_people_supported,2023-24 Q1,Birmingham,10,,,sex,"
        + "F" * 1_000_000
        + ",,\n",
        encoding="utf-8",
    )
    code, report, peak = ingest_measured(f, sample_store)
    error = _refused(report, code, peak, ("200 characters or fewer",), line=2)
    assert error["column"] == "breakdown_value"


def test_a_small_workbook_that_expands_to_millions_of_cells_is_refused_quickly(sample_store, tmp_path):
    data = _workbook_with_sheet(_rows_xml(rows=300_000, columns=10))
    assert len(data) < 1_000_000  # small on disk: three million cells inside
    f = tmp_path / "cells.xlsx"
    f.write_bytes(data)
    code, report, peak = ingest_measured(f, sample_store)
    _refused(report, code, peak, ("more than 500,000 cells", "CSV UTF-8"))


def test_a_workbook_that_expands_past_the_limit_is_refused_before_it_is_opened(sample_store, tmp_path):
    data = _workbook_with_sheet(_padding_xml(megabytes=210))
    assert len(data) < 1_000_000
    f = tmp_path / "expands.xlsx"
    f.write_bytes(data)
    code, report, peak = ingest_measured(f, sample_store)
    _refused(report, code, peak, ("expands to 210 MB", "200 MB"))


def test_a_file_of_many_bad_rows_lists_200_problems_and_counts_the_rest(sample_store, tmp_path):
    f = tmp_path / "many.csv"
    f.write_text(
        HEADER + "".join(f"no_such_indicator,2023-24 Q1,Birmingham,{i},,,,,,\n" for i in range(5000))
    )
    code, report, peak = ingest_measured(f, sample_store)
    assert code == 1
    assert len(report["errors"]) == 201
    assert [e["line"] for e in report["errors"][:3]] == [2, 3, 4]
    assert report["errors"][-1] == {
        "line": None,
        "column": None,
        "value": None,
        "message": "There are 4,800 more errors not listed here. Correct the ones above and check the file again.",
    }
    assert peak < PEAK_MB


def test_one_group_spelt_three_ways_is_stored_once_as_declared(empty_store, tmp_path, kpi):
    rows = [
        ("2023-24 Q1", "Female"),
        ("2023-24 Q2", "female"),
        ("2023-24 Q3", "FEMALE"),
    ]
    f = tmp_path / "groups.csv"
    f.write_text(
        HEADER
        + "".join(
            f"youth_hub_young_people_supported,{q},Birmingham,{n},,,sex,{g},,\n"
            for n, (q, g) in enumerate(rows, start=10)  # not small numbers, which a group view hides as c
        )
    )
    code, out, err = kpi("ingest", f, "--json", "--db", empty_store)
    assert code == 0, err
    code, out, err = kpi(
        "show", "youth_hub_young_people_supported", "--geography", "Birmingham", "--breakdown", "sex=Female",
        "--json", "--db", empty_store,
    )  # fmt: skip
    assert code == 0, err
    assert [(p["period"], p["value"]) for p in json.loads(out)["series"]] == [
        ("2023-24 Q1", 10),
        ("2023-24 Q2", 11),
        ("2023-24 Q3", 12),
    ]
    import duckdb

    con = duckdb.connect(str(empty_store), read_only=True)
    try:
        groups = con.execute(
            "SELECT DISTINCT breakdown_value FROM observation WHERE breakdown_dimension = 'sex'"
        )
        assert groups.fetchall() == [("Female",)]
    finally:
        con.close()


@pytest.mark.parametrize("text", ["1e400", "-1e400", "inf", "nan", "NaN", "Infinity", "1000000000000000"])
def test_words_and_exponents_that_read_as_infinity_are_not_numbers(sample_store, tmp_path, kpi, text):
    f = tmp_path / "inf.csv"
    f.write_text(
        f"indicator_id,period,geography,value\njobs_created_wmca_investment,2023-24 Q1,Birmingham,{text}\n"
    )
    code, out, _ = kpi("ingest", f, "--json", "--db", sample_store)
    report = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    assert code == 1 and report["errors"][0]["line"] == 2 and report["errors"][0]["column"] == "value"


def test_control_characters_are_removed_from_names_notes_and_groups(empty_store):
    from metrics.upload import ingest_bytes

    text = (
        HEADER
        + "youth_hub_young_people_supported,2023-24 Q1,Birmingham,5,,,sex,Fem\x07ale,,Note\x1b[0m\u202e ok\n"
    )
    report = ingest_bytes(text.encode(), "a\x00b\x1f.csv", db=empty_store)
    assert report.status == "committed", report.as_json()
    assert report.file_name == "ab.csv"
    import duckdb

    con = duckdb.connect(str(empty_store), read_only=True)
    try:
        assert con.execute("SELECT breakdown_value, note FROM observation").fetchall() == [
            ("Female", "Note[0m ok")
        ]
        assert con.execute("SELECT file_name FROM upload").fetchall() == [("ab.csv",)]
    finally:
        con.close()


def test_a_nul_byte_at_the_very_start_is_caught_too(empty_store):
    from metrics.upload import ingest_bytes

    report = ingest_bytes(
        b"\x00indicator_id,period,geography,value\n", "nul.csv", db=empty_store, dry_run=True
    )
    assert report.status == "rejected"
    assert [(p.line, p.message.split(".")[0]) for p in report.errors] == [
        (1, "The selected file must be a CSV file")
    ]
    assert "NUL byte" in report.errors[0].message


def test_a_workbooks_problems_are_named_by_the_row_excel_shows_even_after_a_cell_with_line_breaks():
    """A note written on two lines of one cell is one row in Excel: the rows after it keep their numbers,
    in the report and in the workbook given back with an error column."""
    from metrics.upload.annotate import annotated_file
    from metrics.upload.check import check

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["indicator_id", "period", "geography", "value", "note"])
    ws.append(["jobs_created_wmca_investment", "2026-27 Q2", "Coventry", 5, "Two lines:\nfirst\nsecond"])
    ws.append(["jobs_created_wmca_investment", "2026-27 Q2", "Dudley", "lots", ""])
    buf = io.BytesIO()
    wb.save(buf)
    report, _ = check(buf.getvalue(), "return.xlsx")
    assert [(p.line, p.column) for p in report.errors] == [(3, "value")]
    data, _, _ = annotated_file(buf.getvalue(), "return.xlsx", report.errors)
    back = openpyxl.load_workbook(io.BytesIO(data)).active
    assert back.cell(row=3, column=6).value.startswith("value: ") and back.cell(row=2, column=6).value is None
