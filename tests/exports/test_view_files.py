"""Every view a page shows as files (metrics.export.chartfiles): which views an indicator has, their names,
the alt text inside each chart, the periods chosen, and the command's refusals.

The same functions make the page's downloads and `kpi export chart|data --by VIEW`, so these tests are
about what a reader of the file relies on: it names the place and view, carries its description, and is
the same picture whichever process drew it.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import plotly.io as pio
import pytest
from PIL import Image

from metrics import dashboard, export
from metrics.catalogue import default_catalogue

CAT = default_catalogue()
SVG = "{http://www.w3.org/2000/svg}"


def test_each_indicator_offers_the_views_its_page_shows():
    assert list(export.views_of(CAT.indicator("affordable_housing_share_scf"))) == [
        "trend",
        "places",
        "tiles",
        "schemes",
    ]
    assert list(export.views_of(CAT.indicator("apprenticeship_starts"))) == [
        "trend",
        "places",
        "tiles",
        "sex",
        "ethnicity",
        "disability",
        "age_band",
    ]
    # A programme only the combined authority reports has no comparison of the seven to take away.
    assert list(
        export.views_of(CAT.indicator("jobs_skills_academy_people_supported"), local_figures=False)
    ) == ["trend"]


def test_file_names_say_scheme_where_the_screens_do(pack_store):
    scheme = "Birmingham scheme 2 (illustrative)"
    shown = dashboard.show("affordable_housing_share_scf", "Birmingham", f"project={scheme}", db=pack_store)
    files = export.view_files(shown, "trend", db=pack_store)
    assert files.chart.file_name("png") == (
        "affordable-housing-share-scf-e08000025-scheme-birmingham-scheme-2-illustrative.png"
    )
    assert files.data.file_stem == files.chart.stem
    frame = dashboard.breakdown_series(shown.indicator, shown.geography, "project", db=pack_store)
    table = export.breakdown_table(shown.indicator, shown.geography, "project", frame, None)
    assert table.file_stem == "affordable-housing-share-scf-e08000025-scheme"
    assert table.columns[0].name == "SCF scheme"
    for view in export.views_of(shown.indicator):
        names = export.view_files(shown, view, db=pack_store)
        assert "project" not in names.chart.stem and "project" not in names.data.file_stem, view


def test_a_period_range_limits_the_chart_and_data_and_names_the_file(pack_store):
    shown = dashboard.show("apprenticeship_starts", "Coventry", db=pack_store)
    files = export.view_files(shown, "trend", db=pack_store, first="2023-24", last="2024-25")
    assert files.chart.stem == files.data.file_stem == "apprenticeship-starts-e08000026-2023-24-to-2024-25"
    assert [row[0] for row in files.data.rows] == ["2023-24", "2024-25"]
    assert "2023-24 to 2024-25" in files.chart.description
    assert "2022-23" not in files.chart.description
    whole = export.view_files(shown, "trend", db=pack_store)
    assert whole.chart.stem == "apprenticeship-starts-e08000026" and len(whole.data.rows) == 3


def test_the_comparison_marks_the_chosen_authority_and_the_tile_map_every_value(pack_store):
    shown = dashboard.show("apprenticeship_starts", "Walsall", db=pack_store)
    places = export.view_files(shown, "places", db=pack_store).chart.draw("full")
    assert "Walsall (selected)" in list(places.data[0].y)
    tiles = export.view_files(shown, "tiles", db=pack_store)
    drawn = tiles.chart.draw("half")
    frame = dashboard.place_comparison(shown.indicator, db=pack_store)
    for row in frame.itertuples():  # every authority's value is written on its tile, as in the description
        value = f"{row.value:,.0f}"
        assert any(a.text.endswith(value) and row.place in a.text for a in drawn.layout.annotations)
        assert f"{row.place} (" in tiles.chart.description and value in tiles.chart.description


def test_the_schemes_view_lists_every_scheme_of_the_place_lowest_first(pack_store):
    shown = dashboard.show("affordable_housing_share_scf", "Sandwell", db=pack_store)
    files = export.view_files(shown, "schemes", db=pack_store)
    rows = list(csv.reader(io.StringIO(export.to_csv(files.data).decode("utf-8-sig"))))
    body = rows[rows.index([]) + 2 :]
    assert [r[0] for r in body] == ["Sandwell scheme 2 (illustrative)", "Sandwell scheme 1 (illustrative)"]
    assert body[0][-1] == "✕ below 20%"
    assert "Sandwell scheme 2 (illustrative) 15.8%" in files.chart.description


def test_a_chart_is_the_same_picture_whichever_process_draws_it(pack_store, monkeypatch):
    """Importing streamlit makes its own Plotly template the default; a page's file must still be the
    command's, so the paper figure names its template."""
    import streamlit  # noqa: F401  (registers the "streamlit" template)

    shown = dashboard.show("apprenticeship_starts", "Birmingham", db=pack_store)
    chart = export.view_files(shown, "places", db=pack_store).chart
    monkeypatch.setattr(pio.templates, "default", "plotly")
    as_command = chart.draw("full").to_dict()
    monkeypatch.setattr(pio.templates, "default", "streamlit")
    as_page = chart.draw("full").to_dict()
    assert as_page == as_command


@pytest.mark.parametrize("view", ["places", "tiles", "sex", "schemes"])
def test_every_views_chart_carries_its_title_and_alt_text(chromium, pack_store, view):
    indicator = "affordable_housing_share_scf" if view == "schemes" else "apprenticeship_starts"
    shown = dashboard.show(indicator, "Birmingham", db=pack_store)
    chart = export.view_files(shown, view, db=pack_store).chart
    png = Image.open(io.BytesIO(chart.image("png", "half")))
    assert png.size == export.CHART_SIZES["half"].pixels
    assert png.text["Description"] == chart.description
    root = ET.fromstring(chart.image("svg", "full"))
    title, desc = list(root)[:2]
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert desc.text == chart.description and title.text == png.text["Title"]


def test_kpi_export_refuses_a_view_or_period_the_series_does_not_have(kpi, pack_store, tmp_path):
    out = tmp_path / "x.png"
    code, _, err = kpi(
        "export", "chart", "affordable_housing_share_scf", "--by", "sex", "--out", out, "--db", pack_store
    )
    assert code == 1 and "Use --by with one of: places, tiles, schemes." in err
    code, _, err = kpi(
        "export", "data", "apprenticeship_starts", "--from", "2030-31", "--out", tmp_path / "x.csv", "--db", pack_store
    )  # fmt: skip
    assert (
        code == 1
        and "'2030-31' is not a period of this series. Its periods are between 2022-23 and 2024-25." in err
    )
    assert not out.exists() and not (tmp_path / "x.csv").exists()


def test_kpi_export_takes_an_authority_beside_its_statistical_neighbours(kpi, sample_store, tmp_path):
    """`--by similar` is offered for a local authority on a measure that compares across places, and the
    file lists it with each of its neighbours (the sample's illustrative figures, marked so)."""
    coventry = CAT.geography("E08000026")
    ratio = CAT.indicator("housing_affordability_ratio")
    assert "similar" in export.views_of(ratio, place=coventry)
    assert "similar" not in export.views_of(ratio, place=CAT.combined_authority)
    assert "similar" not in export.views_of(CAT.indicator("apprenticeship_starts"), place=coventry)  # a count
    out = tmp_path / "similar.csv"
    args = ["housing_affordability_ratio", "--geography", "Coventry", "--by", "similar"]
    code, _, err = kpi("export", "data", *args, "--format", "csv", "--out", out, "--db", sample_store)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    places = [r[0] for r in rows[rows.index([]) + 2 :]]
    assert sorted(places) == sorted(
        ["Coventry", *(c.name for c in CAT.comparators.neighbours_of(coventry.code))]
    )
    header = {r[0]: r[1] for r in rows[: rows.index([])] if len(r) == 2}
    assert header["Status of the statistics"].endswith(
        "some values are illustrative sample data, not published figures"
    )
    assert header["Neighbours"].startswith(
        "Coventry's statistical neighbours (CIPFA Nearest Neighbours Model; an illustrative list): Leicester,"
    )
    code, _, err = kpi("export", "chart", "housing_affordability_ratio", "--by", "similar", "--out",
                       tmp_path / "x.png", "--db", sample_store)  # fmt: skip
    assert code == 1 and "Use --by with one of: places, tiles." in err  # not for the combined authority
