"""The data behind a chart or table as CSV and Excel: byte for byte the checked-in files, safe to open.

The expected files in tests/exports/golden/ are written by `bash scripts/update-goldens`
(tests/exports/goldens.py) from the store of tests/exports/fixtures/golden-upload.csv with the
clock pinned (KPI_TODAY=2026-11-26, KPI_NOW=2026-11-26T09:00:00), only after a deliberate
change to an export's layout, and the diff is read before committing. This module only
compares: nothing in the test run can write a golden file.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from metrics import dashboard, export
from metrics.words import format_value
from tests.exports.goldens import CASES, GOLDEN

FORMULA_NAMES = (
    '=HYPERLINK("http://example.com","click")',
    "+44 Tower",
    "-Minus Street",
    "@SUM(A1:A2) Court",
)


def _export(kpi, store: Path, tmp_path: Path, name: str, fmt: str) -> bytes:
    out = tmp_path / f"{name}.{fmt}"
    code, stdout, stderr = kpi("export", "data", *CASES[name], "--format", fmt, "--out", out, "--db", store)
    assert code == 0, stderr
    assert f"Wrote the data for {CASES[name][0]}" in stdout
    return out.read_bytes()


def _compare(name: str, fmt: str, got: bytes) -> None:
    expected_path = GOLDEN / f"{name}.{fmt}"
    assert expected_path.exists(), f"no expected file {expected_path}; see this module's docstring"
    expected = expected_path.read_bytes()
    if got != expected and fmt == "csv":
        diff = "\n".join(
            difflib.unified_diff(
                expected.decode("utf-8-sig").splitlines(),
                got.decode("utf-8-sig").splitlines(),
                "expected",
                "written",
                lineterm="",
            )
        )
        pytest.fail(f"{name}.csv differs from the checked-in file:\n{diff}")
    if got != expected and fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(expected)) as a, zipfile.ZipFile(io.BytesIO(got)) as b:
            changed = [n for n in a.namelist() if n not in b.namelist() or a.read(n) != b.read(n)]
            changed += [n for n in b.namelist() if n not in a.namelist()]
        pytest.fail(f"{name}.xlsx differs from the checked-in file in: {changed}")


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_byte_for_byte_the_checked_in_file(kpi, golden_store, tmp_path, name, fmt):
    _compare(name, fmt, _export(kpi, golden_store, tmp_path, name, fmt))


def test_the_same_data_gives_the_same_bytes_at_another_time(golden_store, monkeypatch):
    """Workbook metadata and zip entry times come from the pinned clock, never the wall clock."""
    shown = dashboard.show("households_temporary_accommodation", db=golden_store)
    table = export.series_table(shown, dashboard.freshness(db=golden_store).data_as_at)
    first = export.to_xlsx(table)
    import time

    time.sleep(1.1)  # the zip's two-second time resolution is crossed in at most two tries
    second = export.to_xlsx(table)
    assert first == second
    monkeypatch.setenv("KPI_NOW", "2027-01-05T10:30:00")
    assert export.to_xlsx(table) != first  # the stamp is the clock's, so a real change of time shows


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV starts with a byte-order mark so Excel reads it as UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_header_block_then_the_numbers_shown(golden_store, kpi, tmp_path):
    data = _export(kpi, golden_store, tmp_path, "temporary-accommodation-wmca", "csv")
    rows = _csv_rows(data)
    head = {r[0]: r[1] for r in rows[1:] if len(r) == 2}
    assert rows[0][0].startswith("Households in temporary accommodation: West Midlands Combined Authority")
    # Whole lines, typed in: a source cut short ("...from Ministry of Housing") once lived in the goldens.
    assert head["Source"] == (
        "Statutory homelessness in England, table TA1 from Ministry of Housing, Communities and Local Government"
    )
    assert head["Status of the statistics"] == "Illustrative: sample values, not published figures"
    assert head["Progress"] == (
        "No target: Households in temporary accommodation is 15,012 (2026-27 Q2); the plan sets no target for it."
    )
    assert head["Data as at"] == "30 September 2026"
    table_at = rows.index([])
    header, body = rows[table_at + 1], rows[table_at + 2 :]
    assert header[:4] == ["Period", "Period start", "Period end", "Value (number)"]
    shown = dashboard.show("households_temporary_accommodation", db=golden_store)
    by_period = {p.period: p for p in shown.series}
    for r in body:
        p = by_period.get(r[0])
        if p is None:
            assert r[3] == "[x]" and "No figure uploaded" in r[-1]  # a gap, not the end of the series
        elif p.value is None:
            assert r[3] == f"[{p.missing}]"  # missing is never zero
        else:  # exactly the number the page shows, without its thousands separator
            assert r[3] == format_value(shown.indicator, p.value).replace(",", "")
    assert [r[0] for r in body] == ["2025-26 Q2", "2025-26 Q3", "2025-26 Q4", "2026-27 Q1", "2026-27 Q2"]


def test_values_are_rounded_as_the_indicator_says(golden_store):
    shown = dashboard.show("housing_affordability_ratio", "Birmingham", db=golden_store)
    assert shown.indicator.decimals == 2
    table = export.series_table(shown, None)
    values = [r[3] for r in table.rows]
    assert values == [7.45, 7.1, "[x]", 6.89]  # uploaded as 7.4512, 7.1049, x, 6.8851
    rows = _csv_rows(export.to_csv(table))
    assert [r[3] for r in rows[rows.index([]) + 2 :]] == ["7.45", "7.10", "[x]", "6.89"]


def test_formula_text_is_written_as_text_in_csv(golden_store):
    ind = dashboard.indicator_or_raise("affordable_housing_share_scf")
    geo = dashboard.geography_or_raise("Birmingham")
    frame = dashboard.breakdown_series(ind, geo, "project", db=golden_store)
    rows = _csv_rows(export.to_csv(export.breakdown_table(ind, geo, "project", frame, None)))
    groups = [r[0] for r in rows[rows.index([]) + 2 :]]
    for name in FORMULA_NAMES:
        assert f"'{name}" in groups, groups  # the apostrophe makes Excel show it as text
    for cell in (c for r in rows for c in r):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_formula_text_is_written_as_text_in_excel(golden_store):
    ind = dashboard.indicator_or_raise("affordable_housing_share_scf")
    geo = dashboard.geography_or_raise("Birmingham")
    frame = dashboard.breakdown_series(ind, geo, "project", db=golden_store)
    data = export.to_xlsx(export.breakdown_table(ind, geo, "project", frame, None))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no formula anywhere in the sheet
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for name in FORMULA_NAMES:
        cell = cells[name]  # the text itself, unchanged ...
        assert cell.data_type == "s"  # ... stored as a string ...
        assert cell.quotePrefix  # ... and marked so Excel keeps it text even when edited


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tTAB", "\rCR", "plain", "a=b"])
def test_every_risky_first_character_is_neutralised(text):
    table = export.DataTable(
        title=text, header=[("Note", text)], columns=[export.Column("Name")], rows=[[text]], file_stem="t"
    )
    risky = text[0] in "=+-@\t\r"
    rows = _csv_rows(export.to_csv(table))
    assert rows[0][0] == (f"'{text}" if risky else text)
    assert rows[-1][0] == (f"'{text}" if risky else text)
    ws = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(table))).active
    cell = ws["A1"]
    assert cell.value == text and cell.data_type == "s"
    assert bool(cell.quotePrefix) is risky


def test_excel_numbers_are_numbers_with_the_right_format(golden_store):
    shown = dashboard.show("affordable_housing_share_scf", db=golden_store)
    data = export.to_xlsx(export.series_table(shown, None))
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    header_row = next(r for r in ws.iter_rows() if r[0].value == "Period")
    values = [row[3] for row in ws.iter_rows(min_row=header_row[0].row + 1)]
    derived = [p for p in shown.series if p.derived]
    assert len(values) == len(derived) == 3  # three quarters, each pooled from the seven authorities
    for cell, p in zip(values, derived, strict=True):
        assert isinstance(cell.value, float) and cell.number_format == "#,##0.0"
        assert f"{cell.value:.1f}%" == format_value(shown.indicator, p.value)
    # the pooled share is the sum of numerators over the sum of denominators, to one decimal
    assert values[-1].value == round(274 / 1255 * 100, 1)
    props = openpyxl.load_workbook(io.BytesIO(data)).properties
    assert props.created.isoformat() == props.modified.isoformat() == "2026-11-26T09:00:00"


def test_unknown_breakdown_is_refused_and_nothing_written(kpi, golden_store, tmp_path):
    out = tmp_path / "x.csv"
    code, _, stderr = kpi(
        "export", "data", "housing_affordability_ratio", "--by", "sex", "--out", out, "--db", golden_store
    )
    assert code == 1
    assert "cannot be broken down by 'sex'" in stderr and "places" in stderr
    assert not out.exists()
    code, _, stderr = kpi("export", "data", "no_such_indicator", "--out", out, "--db", golden_store)
    assert code == 1 and "There is no indicator with the id 'no_such_indicator'" in stderr
    assert "'kpi indicators'" in stderr  # the command's own hint
    assert not out.exists()
    assert not list(tmp_path.glob(".*part"))  # no half-written temporary file left behind


def test_csv_and_excel_say_the_same_thing(golden_store):
    shown = dashboard.show("households_temporary_accommodation", db=golden_store)
    table = export.series_table(shown, dashboard.freshness(db=golden_store).data_as_at)
    rows = [r for r in _csv_rows(export.to_csv(table)) if r]
    ws = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(table))).active
    sheet = [[c for c in r if c is not None] for r in ws.iter_rows(values_only=True)]
    sheet = [r for r in sheet if r]
    assert len(rows) == len(sheet)
    for from_csv, from_xlsx in zip(rows, sheet, strict=True):
        cells = [c for c in from_csv if c != ""]
        assert len(cells) == len(from_xlsx)
        for a, b in zip(cells, from_xlsx, strict=True):
            assert (float(a) == b) if isinstance(b, int | float) else (a == b), (a, b)


# name -> (indicator, geography) of the golden files that carry a progress line
PROGRESS_CASES = {
    "temporary-accommodation-wmca": ("households_temporary_accommodation", None),
    "affordable-share-wmca": ("affordable_housing_share_scf", None),
    "affordability-ratio-birmingham": ("housing_affordability_ratio", "Birmingham"),
}


@pytest.mark.parametrize("name", sorted(PROGRESS_CASES))
def test_the_progress_line_is_the_whole_sentence_kpi_show_gives(golden_store, name):
    """The checked-in files hold the verdict and its reason whole, word for word as `kpi show` says them."""
    iid, geography = PROGRESS_CASES[name]
    sentence = dashboard.show(iid, geography, db=golden_store).progress.sentence
    rows = _csv_rows((GOLDEN / f"{name}.csv").read_bytes())
    assert [r[1] for r in rows if r and r[0] == "Progress"] == [sentence]
    ws = openpyxl.load_workbook(GOLDEN / f"{name}.xlsx").active
    assert [r[1] for r in ws.iter_rows(values_only=True) if r[0] == "Progress"] == [sentence]
    assert sentence.endswith(".") and len(sentence) > 40  # nothing cut off


def test_no_golden_line_is_cut_off():
    """Every header text in the checked-in files is a whole sentence or a whole name, never a stump."""
    for path in sorted(GOLDEN.glob("*.csv")):
        rows = _csv_rows(path.read_bytes())
        width = max(len(r) for r in rows)
        for r in rows[1:]:
            if r and r[0] == "Progress":
                assert r[1].endswith(".") and "..." not in r[1], (path.name, r)
        assert all(len(r) in (0, 1, 2, width) for r in rows), path.name  # no row lost a cell


def test_the_places_file_gives_each_authority_its_verdict(kpi, pack_store, tmp_path):
    """NEET has no combined-authority figure: the seven authorities' file carries their verdicts."""
    out = tmp_path / "neet.csv"
    args = ["export", "data", "neet_16_17", "--by", "places", "--format", "csv", "--out", out]
    code, _, stderr = kpi(*args, "--db", pack_store)
    assert code == 0, stderr
    rows = _csv_rows(out.read_bytes())
    head = {r[0]: r[1] for r in rows[1:] if len(r) == 2}
    sentence = dashboard.show("neet_16_17", db=pack_store).progress.sentence
    assert head["Progress"] == sentence and sentence.startswith("Off track: ")
    table_at = rows.index([])
    header, body = rows[table_at + 1], rows[table_at + 2 :]
    assert header == ["Place", "ONS code", "Period", "Value (%)", "Status of the figure", "Verdict", "Notes"]
    assert [(r[0], r[5]) for r in body] == [
        ("Birmingham", "Off track"),
        ("Coventry", "Off track"),
        ("Dudley", "Target met"),
        ("Sandwell", "Target met"),
        ("Solihull", "Off track"),
        ("Walsall", "Off track"),
        ("Wolverhampton", "Target met"),
        # England and the region, as the page draws them beside the seven: context, with no verdict.
        ("England", ""),
        ("West Midlands region", ""),
    ]
    assert all(r[6].startswith("For comparison: not one of the seven") for r in body[-2:])
    assert not any("For comparison" in r[6] for r in body[:-2])


def test_nothing_in_the_test_run_can_write_a_golden_file():
    """Golden files change only by `bash scripts/update-goldens`; a test that wrote them would always pass."""
    root = Path(__file__).resolve().parents[2]
    for path in (root / "tests").rglob("*.py"):
        if path.resolve() != Path(__file__).resolve():
            assert "KPI_UPDATE_GOLDEN" not in path.read_text(encoding="utf-8"), path
    done = subprocess.run(
        ["bash", str(root / "scripts" / "test"), "--co", "-q"],
        capture_output=True,
        text=True,
        env={**os.environ, "KPI_UPDATE_GOLDEN": "1"},
        timeout=60,
        check=False,
    )
    assert (
        done.returncode == 1 and "Golden files are written only by bash scripts/update-goldens" in done.stderr
    )


def test_a_scheme_is_called_a_scheme_as_on_screen(golden_store):
    """The screens say "scheme"; the catalogue's id for one is "project", which no reader should meet."""
    from metrics.catalogue import default_catalogue

    ind = default_catalogue().indicator("affordable_housing_share_scf")
    place = next(g for g in default_catalogue().geographies if g.name == "Birmingham")
    frame = dashboard.breakdown_series(ind, place, "project", db=golden_store)
    table = export.breakdown_table(ind, place, "project", frame, None)
    text = export.to_csv(table).decode("utf-8-sig")
    assert text.splitlines()[0].endswith("Single Commissioning Framework by SCF scheme: Birmingham")
    assert "\r\nSCF scheme,Period,Value (%),Status of the figure,Notes\r\n" in text
    assert "project" not in text.lower()
    shown = dashboard.show(ind.id, "Birmingham", "project=Digbeth Loc", db=golden_store)
    assert export.series_label(shown) == "Birmingham, SCF scheme: Digbeth Loc"
    assert "SCF scheme: Digbeth Loc" in export.series_table(shown, None).title
