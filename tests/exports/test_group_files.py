"""The files of a breakdown by group (chartfiles.group_files, `kpi export data|chart --by DIM`): hidden groups
are [c] with the reason, and no hidden figure is anywhere in the bytes a person takes away.

The store holds one quarter of ethnicity figures for the seven authorities, typed in here: Birmingham's
Asian group is 3 (under the indicator's 5), and its Mixed group, 611, is the smallest left, so it is
hidden too (the total less the other groups would give Asian back). 611 is a number nothing else in
these files contains, so finding it anywhere in a CSV, a workbook's XML or an SVG is a leak.
"""

from __future__ import annotations

import csv
import io
import zipfile

from metrics import dashboard, export
from metrics.catalogue import default_catalogue
from metrics.upload import ingest_bytes
from metrics.words import suppressed_note

CAT = default_catalogue()
SWAP = CAT.indicator("swap_participants")
BIRMINGHAM = CAT.local_authorities[0]
HEADER = "indicator_id,period,geography,value,breakdown_dimension,breakdown_value\n"
GROUPS = {"Asian": 3, "Black": 740, "Mixed": 611, "Other": 655, "White": 3000}
OTHERS = {"Asian": 50, "Black": 60, "Mixed": 70, "Other": 80, "White": 900}
LEAK = b"611"


def _store(db) -> None:
    rows = [
        f"swap_participants,2025-26 Q1,{g.code},{v},ethnicity,{name}"
        for g in CAT.local_authorities
        for name, v in (GROUPS if g == BIRMINGHAM else OTHERS).items()
    ]
    report = ingest_bytes((HEADER + "\n".join(rows) + "\n").encode(), "groups.csv", db=db)
    assert report.status == "committed", report.errors


def _files(db) -> export.ViewFiles:
    shown = dashboard.show(SWAP, BIRMINGHAM, db=db)
    return export.view_files(shown, "ethnicity", db=db)


def _data_rows(csv_bytes: bytes) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    start = next(i for i, r in enumerate(rows) if r and r[0] == "Ethnicity")
    return {r[0]: r for r in rows[start + 1 :] if r}


def test_the_data_file_shows_c_with_the_reason_and_no_hidden_figure(empty_store):
    _store(empty_store)
    files = _files(empty_store)
    data = export.to_csv(files.data)
    rows = _data_rows(data)
    assert rows["Asian"][2] == "[c]" and rows["Mixed"][2] == "[c]"
    assert rows["Asian"][-1] == "Not shown so no one can be identified"
    assert rows["White"][2] == "3000" and rows["Black"][2] == "740"
    assert suppressed_note(SWAP).encode() in data
    assert LEAK not in data


def test_the_workbook_holds_no_hidden_figure_in_any_of_its_parts(empty_store):
    _store(empty_store)
    book = export.to_xlsx(_files(empty_store).data)
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        for name in z.namelist():
            assert LEAK not in z.read(name), name
        assert b"[c]" in b"".join(z.read(n) for n in z.namelist())


def test_the_chart_file_and_its_alt_text_hold_no_hidden_figure(chromium, empty_store):
    _store(empty_store)
    chart = _files(empty_store).chart
    assert "611" not in chart.description and "Asian c; Mixed c" in chart.description
    svg = chart.image("svg")
    assert LEAK not in svg
    assert b">c<" in svg  # the hidden bars' label


def test_kpi_export_data_by_a_breakdown_writes_the_same_hidden_cells(kpi, empty_store, tmp_path):
    _store(empty_store)
    out = tmp_path / "swap-ethnicity.csv"
    code, _, err = kpi(
        "export", "data", SWAP.id, "--geography", "Birmingham", "--by", "ethnicity", "--format", "csv",
        "--out", out, "--db", empty_store,
    )  # fmt: skip
    assert code == 0, err
    written = out.read_bytes()
    assert LEAK not in written
    assert _data_rows(written)["Mixed"][2] == "[c]"
    assert written == export.to_csv(_files(empty_store).data)  # the page's download, byte for byte


def test_an_estimates_file_gives_each_groups_interval_and_its_chart_draws_the_lines(chromium, empty_store):
    from dataclasses import replace

    employment = replace(CAT.indicator("employment_rate_16_64"), breakdowns=("sex",))
    surveyed = replace(
        CAT, indicators=tuple(employment if i.id == employment.id else i for i in CAT.indicators), _by_id={}
    )
    text = (
        "indicator_id,period,geography,value,breakdown_dimension,breakdown_value,lower,upper,confidence\n"
        f"{employment.id},2024,Birmingham,72.1,sex,Female,69.0,75.2,95\n"
        f"{employment.id},2024,Birmingham,75.7,sex,Male,72.9,78.5,95\n"
    )
    report = ingest_bytes(text.encode(), "survey.csv", db=empty_store, catalogue=surveyed)
    assert report.status == "committed", report.errors
    shown = dashboard.show(employment, BIRMINGHAM, db=empty_store, catalogue=surveyed)
    files = export.view_files(shown, "sex", db=empty_store, catalogue=surveyed)
    rows = list(csv.reader(io.StringIO(export.to_csv(files.data).decode("utf-8-sig"))))
    start = next(i for i, r in enumerate(rows) if r and r[0] == "Sex")
    assert rows[start][:6] == [
        "Sex",
        "Period",
        "Value (%)",
        "Lower bound",
        "Upper bound",
        "Confidence level (%)",
    ]
    assert [r[:6] for r in rows[start + 1 :] if r] == [
        ["Female", "2024", "72.1", "69.0", "75.2", "95"],
        ["Male", "2024", "75.7", "72.9", "78.5", "95"],
    ]
    assert "no clear difference" in files.chart.description
    svg = files.chart.image("svg").decode()
    assert svg.count('class="errorbar"') == 2
    assert "the whiskers show 95% confidence intervals" in svg
