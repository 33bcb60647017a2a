"""AppTest: every chart and table on the Overview, Theme, Indicator and Export pages can be taken away.

Staff build board papers from the view in front of them, so each chart offers PNG (full and half page
width) and SVG with its alt text beside it, and each table CSV and Excel. A pressed download's bytes are
checked against what `kpi export` writes for the same view, run here as an outside program would run it;
the alt text shown is checked against the description the command prints and the file carries.

Files on these pages are made only when a button is pressed (Streamlit's deferred downloads): the
`pressed` helper calls the function a button holds, as Streamlit does on a click.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from metrics.export import renderer

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 180
CHART_KEYS = ("png_full", "png_half", "svg")


@pytest.fixture
def store(sample_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "kpi.duckdb"
    shutil.copyfile(sample_template, db)
    monkeypatch.setenv("KPI_DB", str(db))
    monkeypatch.delenv("KPI_ROLES", raising=False)
    return db


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[str | None, object]]:
    """Every file a download button offers, by its id: (file name, bytes or the function that makes them)."""
    seen: dict[str, tuple[str | None, object]] = {}
    eager = MemoryMediaFileStorage.load_and_get_id
    deferred = MediaFileManager.add_deferred

    def spy_eager(self, path_or_data, mimetype, kind, filename=None):
        file_id = eager(self, path_or_data, mimetype, kind, filename)
        seen[file_id] = (filename, path_or_data)
        return file_id

    def spy_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        file_id = deferred(self, data_callable, mimetype, coordinates, file_name, **kw)
        seen[file_id] = (file_name, data_callable)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy_eager)
    monkeypatch.setattr(MediaFileManager, "add_deferred", spy_deferred)
    return seen


def _open(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if page != "app.py":
        at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _button(at: AppTest, key: str):
    found = [b for b in at.get("download_button") if b.key == key]
    assert found, f"no download button {key}; there are {[b.key for b in at.get('download_button')]}"
    return found[0]


def pressed(at: AppTest, seen: dict, key: str) -> tuple[str | None, bytes]:
    """The file a button gives when pressed: (its name, its bytes)."""
    proto = _button(at, key).proto
    file_id = proto.deferred_file_id or proto.url.rsplit("/", 1)[-1].split(".", 1)[0]
    name, data = seen[file_id]
    return name, data() if callable(data) else data


def _name(at: AppTest, seen: dict, key: str) -> str | None:
    """The name a button's file is saved under, without making the file."""
    proto = _button(at, key).proto
    return seen[proto.deferred_file_id or proto.url.rsplit("/", 1)[-1].split(".", 1)[0]][0]


def _is_deferred(at: AppTest, key: str) -> bool:
    return bool(_button(at, key).proto.deferred_file_id)


class _CopyButton(HTMLParser):
    """The text a copy button (ui.exports.copy_button) puts on the clipboard, and its label."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.copies, self.label, self._in = None, "", False

    def handle_starttag(self, tag, attrs):
        if tag == "button":
            self.copies, self._in = dict(attrs).get("data-kpi-copy"), True

    def handle_endtag(self, tag):
        self._in = self._in and tag != "button"

    def handle_data(self, data):
        if self._in:
            self.label += data


def _descriptions(at: AppTest) -> list[str]:
    """The chart descriptions the page shows under its charts, as a reader sees them."""
    said = [re.sub(r"\\(.)", r"\1", m.value).replace("\u2060", "") for m in at.markdown]
    return [
        m.removeprefix("**Chart description:** ") for m in said if m.startswith("**Chart description:** ")
    ]


def _alt(at: AppTest, key: str) -> str:
    """The alt text offered beside a chart's buttons: in a code block under its label or, where the page
    already shows it as the chart's description, said to be that description and copied by a button."""
    box = at.main.get_by_key(f"{key}_alt")
    labels = [m.value for m in box.markdown]
    if box.code:
        assert labels == ["**Alt text for this chart:**"], labels
        [code] = box.code
        return code.value
    assert labels == [
        "**Alt text for this chart:** the chart description above, word for word. The PNG and SVG files "
        "carry it too."
    ], labels
    button = _CopyButton()
    button.feed(box.html[0].value)
    assert button.label == "Copy the alt text" and button.copies in _descriptions(at)
    return button.copies


def _kpi_file(kpi: Callable, store: Path, tmp_path: Path, *args: str, fmt: str) -> tuple[bytes, str]:
    """What `kpi export` writes for the same view: (the file's bytes, what the command printed)."""
    out = tmp_path / f"kpi-{len(list(tmp_path.iterdir()))}.{fmt}"
    code, stdout, stderr = kpi("export", *args, "--format", fmt, "--out", out, "--db", store)
    assert code == 0, stderr
    return out.read_bytes(), stdout


def _printed_alt(stdout: str) -> str:
    return re.search(r"^Alt text \(also kept in the file\): (.*)$", stdout, re.MULTILINE).group(1)


# --- every chart and table offers its files ----------------------------------------------------------------


def test_every_chart_and_table_on_the_indicator_page_offers_its_files(store, files):
    """The SCF page draws four charts (trend, the seven, the tile map, the schemes); each has PNG, SVG and
    its alt text, each table its CSV and Excel, and nothing is drawn or written until a button is pressed."""
    renderer.stop_renderer()
    at = _open("pages/2_Indicator.py", indicator="affordable_housing_share_scf")
    # Each chart is sent twice, laid out for a laptop and for a phone (ui.widgets.chart): four of each.
    keys = [c.key for c in at.get("plotly_chart")]
    assert len([k for k in keys if not k.endswith("_narrow")]) == 4
    assert sorted(k for k in keys if k.endswith("_narrow")) == sorted(
        f"{k}_narrow" for k in keys if not k.endswith("_narrow")
    )
    for chart in ("trend_export", "places_export", "tiles_export", "schemes_export"):
        for key in CHART_KEYS:
            assert _is_deferred(at, f"{chart}_{key}"), f"{chart}_{key} is drawn before it is pressed"
        assert _alt(at, chart)
    for table in ("trend_export", "places_export", "tiles_export", "schemes_download"):
        for fmt in ("csv", "xlsx"):
            assert _is_deferred(at, f"{table}_{fmt}")
    assert not renderer.renderer_running(), "drawing the page started Chromium"
    names = [pressed(at, files, f"{t}_csv")[0] for t in ("trend_export", "places_export", "tiles_export")]
    assert names == [
        "affordable-housing-share-scf-e47000007.csv",
        "affordable-housing-share-scf-places.csv",
        "affordable-housing-share-scf-places.csv",
    ]
    assert (
        _name(at, files, "schemes_export_png_half")
        == "affordable-housing-share-scf-e47000007-schemes-half.png"
    )
    assert _name(at, files, "trend_export_svg") == "affordable-housing-share-scf-e47000007.svg"


def test_the_indicator_pages_files_are_what_kpi_export_writes_for_the_view_on_screen(
    store, files, kpi, tmp_path
):
    """Birmingham, women, 2023-24 to 2024-25: the trend's data, the seven compared and the breakdown by sex
    are, byte for byte, the files `kpi export data` writes with the same place, breakdown and periods."""
    at = _open(
        "pages/2_Indicator.py",
        indicator="apprenticeship_starts",
        geography="E08000025",
        breakdown="sex=Female",
        **{"from": "2023-24", "to": "2024-25"},
    )
    view = ("apprenticeship_starts", "--geography", "E08000025", "--breakdown", "sex=Female")
    cases = {
        "trend_export": ([*view, "--from", "2023-24", "--to", "2024-25"], "sex-female-2023-24-to-2024-25"),
        "places_export": ([*view, "--by", "places"], None),
        "group_sex_export": (["apprenticeship_starts", "--geography", "E08000025", "--by", "sex"], None),
    }
    for key, (args, in_name) in cases.items():
        for fmt in ("csv", "xlsx"):
            name, data = pressed(at, files, f"{key}_{fmt}")
            expected, _ = _kpi_file(kpi, store, tmp_path, "data", *args, fmt=fmt)
            assert data == expected, f"{key}.{fmt} differs from kpi export data {' '.join(args)}"
            assert name.endswith(f".{fmt}") and (in_name is None or in_name in name)
    rows = list(csv.reader(io.StringIO(pressed(at, files, "trend_export_csv")[1].decode("utf-8-sig"))))
    assert [r[0] for r in rows[rows.index([]) + 2 :]] == ["2023-24", "2024-25"]  # the periods on screen


def test_a_pressed_chart_is_the_image_kpi_export_chart_draws_and_its_alt_text_is_shown(
    store, files, kpi, tmp_path, chromium_present
):
    """The comparison of the seven with Birmingham marked: the PNG a page gives is the command's picture,
    with the same title and description inside, and the alt text beside the button is that description."""
    at = _open("pages/2_Indicator.py", indicator="apprenticeship_starts", geography="E08000025")
    name, data = pressed(at, files, "places_export_png_full")
    expected, stdout = _kpi_file(
        kpi, store, tmp_path, "chart", "apprenticeship_starts", "--geography", "E08000025", "--by", "places", fmt="png"
    )  # fmt: skip
    assert name == "apprenticeship-starts-places-e08000025.png"
    page_png, kpi_png = Image.open(io.BytesIO(data)), Image.open(io.BytesIO(expected))
    assert page_png.size == kpi_png.size == (1600, 1450)
    assert page_png.text == kpi_png.text  # Title and Description chunks
    assert (
        ImageChops.difference(page_png.convert("RGB"), kpi_png.convert("RGB")).getbbox() is None
    )  # same pixels
    assert _alt(at, "places_export") == _printed_alt(stdout) == kpi_png.text["Description"]
    assert "Birmingham" in kpi_png.text["Description"]


def test_the_trend_alt_text_is_the_charts_description(store, kpi, tmp_path, chromium_present):
    """The alt text beside the trend's buttons is chart_description, as `kpi export chart` prints it."""
    from metrics import dashboard, export

    at = _open("pages/2_Indicator.py", indicator="jobs_created_wmca_investment")
    _, stdout = _kpi_file(kpi, store, tmp_path, "chart", "jobs_created_wmca_investment", fmt="svg")
    shown = dashboard.show("jobs_created_wmca_investment", db=store)
    assert _alt(at, "trend_export") == export.chart_description(shown) == _printed_alt(stdout)


def test_the_indicator_page_gives_each_charts_alt_text_once_with_a_button_to_copy_it(store):
    """The fold under each chart repeated, word for word, the chart description already shown above it.
    It now says the alt text is that description and offers a button that copies it; a page that shows no
    description (the Theme page's measures) still shows the alt text, in a block to copy."""
    at = _open("pages/2_Indicator.py", indicator="affordable_housing_share_scf")
    descriptions = _descriptions(at)
    assert len(descriptions) == 4  # the trend, the seven, the tile map, the schemes
    for chart in ("trend_export", "places_export", "tiles_export", "schemes_export"):
        assert not at.main.get_by_key(f"{chart}_alt").code
        alt = _alt(at, chart)
        assert descriptions.count(alt) == 1
        assert alt not in [c.value for c in at.code]  # shown once on the page: as the description
    theme = _open("pages/1_Theme.py", theme="affordable_housing")
    assert _descriptions(theme) == []
    box = theme.main.get_by_key("export_AH2_affordable_housing_share_scf_alt")
    assert [m.value for m in box.markdown] == ["**Alt text for this chart:**"]
    assert box.code[0].value.startswith("Line chart: ")


# --- the words for an SCF scheme ---------------------------------------------------------------------------


def test_the_scf_breakdown_says_scheme_and_offers_the_scheme_view_not_a_menu_of_every_scheme(store, files):
    at = _open("pages/2_Indicator.py", indicator="affordable_housing_share_scf")
    menu = at.selectbox(key="breakdown")
    assert menu.options == ["Everyone (no breakdown)"]  # no scheme is a group in the menu
    assert "schemes section below" in menu.help
    assert _is_deferred(at, "schemes_download_csv") and _is_deferred(at, "schemes_export_png_full")
    # A link naming one scheme still opens it, called a scheme.
    linked = _open(
        "pages/2_Indicator.py",
        indicator="affordable_housing_share_scf",
        geography="E08000025",
        breakdown="project=Birmingham scheme 2 (illustrative)",
    )
    assert linked.selectbox(key="breakdown").value == "project=Birmingham scheme 2 (illustrative)"
    assert "SCF scheme: Birmingham scheme 2 (illustrative)" in linked.selectbox(key="breakdown").options
    text = (
        " ".join(m.value for m in linked.markdown).replace("\\", "").replace("\u2060", "").replace("**", "")
    )
    assert "Group: SCF scheme: Birmingham scheme 2 (illustrative)" in text and "SCF project" not in text
    name, _ = pressed(linked, files, "trend_export_csv")
    assert name == "affordable-housing-share-scf-e08000025-scheme-birmingham-scheme-2-illustrative.csv"


# --- the Theme page and the Overview -------------------------------------------------------------------------


def test_the_theme_page_offers_each_measures_chart_and_each_status_history(store, files, kpi, tmp_path):
    at = _open("pages/1_Theme.py", theme="affordable_housing")
    key = "export_AH2_affordable_housing_share_scf"
    for k in CHART_KEYS:
        assert _is_deferred(at, f"{key}_{k}")
    name, data = pressed(at, files, f"{key}_csv")
    expected, _ = _kpi_file(kpi, store, tmp_path, "data", "affordable_housing_share_scf", fmt="csv")
    assert (name, data) == ("affordable-housing-share-scf-e47000007.csv", expected)
    # The status history as on screen, in a formula-safe file of its own.
    name, data = pressed(at, files, "history_AH1_download_csv")
    assert name == "action-ah1-status-history.csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    body = rows[rows.index([]) + 1 :]
    shown = at.main.get_by_key("history_AH1").table[0].value
    assert body[0] == ["Quarter", "Status", "Note"]
    assert [r[0] for r in body[1:]] == [str(q).replace("\\", "") for q in shown["Quarter"]]


def test_the_overview_offers_each_headline_chart_and_the_progress_by_theme(store, files, kpi, tmp_path):
    at = _open("app.py")
    for ind in ("affordable_housing_share_scf", "jobs_skills_academy_people_supported"):
        for k in CHART_KEYS:
            assert _is_deferred(at, f"headline_{ind}_export_{k}")
        name, data = pressed(at, files, f"headline_{ind}_export_xlsx")
        expected, _ = _kpi_file(kpi, store, tmp_path, "data", ind, fmt="xlsx")
        assert data == expected
    name, data = pressed(at, files, "themes_download_csv")
    assert name == "progress-by-theme.csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    head = rows[rows.index([]) + 1]
    body = rows[rows.index([]) + 2 :]
    assert len(body) == 6  # the plan's six themes
    assert sum(int(r[head.index("Indicators")]) for r in body) == 27  # the catalogue's indicators
    assert sum(int(r[head.index("Actions")]) for r in body) == 47  # the plan's actions


# --- the Export page: any place and view ----------------------------------------------------------------------


def test_the_export_page_exports_any_place_and_view_as_kpi_export_does(store, files, kpi, tmp_path):
    at = _open("pages/6_Export.py")
    at.selectbox(key="export_indicator").set_value("affordable_housing_share_scf").run()
    assert at.selectbox(key="export_view").options == [
        "The trend over time",
        "The seven local authorities compared",
        "The seven local authorities on a tile map",
        "Each SCF scheme against the minimum, latest period",
    ]
    at.selectbox(key="export_place").set_value("E08000025").run()
    at.selectbox(key="export_view").set_value("schemes").run()
    assert not at.exception, [e.value for e in at.exception]
    name, data = pressed(at, files, "indicator_export_csv")
    args = ("affordable_housing_share_scf", "--geography", "E08000025", "--by", "schemes")
    expected, _ = _kpi_file(kpi, store, tmp_path, "data", *args, fmt="csv")
    assert (name, data) == ("affordable-housing-share-scf-e08000025-schemes.csv", expected)
    assert "Birmingham scheme 2 (illustrative)" in data.decode("utf-8-sig")
    assert "Sandwell scheme" not in data.decode("utf-8-sig")  # Birmingham's schemes only
    assert (
        _name(at, files, "indicator_export_png_full") == "affordable-housing-share-scf-e08000025-schemes.png"
    )
    # The alt text names Birmingham's scheme below the minimum, with its share (typed from the sample).
    assert (
        "Below the minimum (marked ✕ and cross-hatched): Birmingham scheme 2 (illustrative) 18.1%."
        in _alt(at, "indicator_export")
    )

    # Another indicator: a local authority's trend for one group, then the tile map.
    at.selectbox(key="export_indicator").set_value("apprenticeship_starts").run()
    at.selectbox(key="export_place").set_value("E08000026").run()
    at.selectbox(key="export_view").set_value("trend").run()
    at.selectbox(key="export_breakdown").set_value("sex=Male").run()
    _, data = pressed(at, files, "indicator_export_xlsx")
    args = ("apprenticeship_starts", "--geography", "E08000026", "--breakdown", "sex=Male")
    assert data == _kpi_file(kpi, store, tmp_path, "data", *args, fmt="xlsx")[0]
    at.selectbox(key="export_view").set_value("tiles").run()
    _, data = pressed(at, files, "indicator_export_csv")
    assert (
        data
        == _kpi_file(kpi, store, tmp_path, "data", "apprenticeship_starts", "--by", "tiles", fmt="csv")[0]
    )


@pytest.fixture
def chromium_present() -> None:
    if renderer.chromium_path() is None:
        pytest.fail("Chromium is not installed; drawing a chart needs it (bash scripts/setup as root).")
