"""AppTest of the Overview, Theme, Indicator and About the data pages on the sample store.

Every figure asserted is worked out from metrics.dashboard on the same store (never
typed into the test), so a test fails when a page shows something other than what
`kpi show` would print. The journeys are the ones users take: open the overview,
choose a theme, open an indicator, change the place and the breakdown, follow a link.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics import charts, dashboard
from metrics.catalogue import default_catalogue
from metrics.progress import format_value

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TODAY = dt.date(2026, 11, 26)
TIMEOUT = 120
CAT = default_catalogue()
PAGES = ["app.py", "pages/1_Theme.py", "pages/2_Indicator.py", "pages/3_About_the_data.py"]


@pytest.fixture
def store(sample_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the sample store (built once by init_store), chosen by KPI_DB as the app does."""
    db = tmp_path / "kpi.duckdb"
    shutil.copyfile(sample_template, db)
    monkeypatch.setenv("KPI_DB", str(db))
    monkeypatch.setenv("KPI_TODAY", TODAY.isoformat())
    return db


def _open(page: str = "app.py", **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if page != "app.py":
        at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _text(at: AppTest) -> str:
    """Everything the page says in Markdown, captions, metrics and headings, as read (escapes and bold undone)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [h.value for h in (*at.title, *at.header, *at.subheader)]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return _unescape("\n".join(parts)).replace("**", "")


def _unescape(text: str) -> str:
    """Markdown escapes and ui.text.plain's invisible word joiners taken out: the text as a reader sees it."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def _tables(at: AppTest) -> list:
    out = []
    for table in at.table:
        frame = table.value.copy()
        frame.columns = [_unescape(str(c)) for c in frame.columns]
        for column in frame.columns:
            frame[column] = [_unescape(str(v)) for v in frame[column]]
        out.append(frame)
    return out


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _chart_title(spec: dict) -> str:
    return spec["layout"]["title"]["text"].replace("<br>", " ")


# --- every page runs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_an_exception_and_has_one_h1(store, page):
    at = _open(page)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) == 1, "one level-1 heading per page"
    text = _text(at)
    assert "Data as at 31 October 2026" in text, "the frame says when the data is from"
    assert "Latest upload" in text


# --- overview -------------------------------------------------------------------------------------------


def test_overview_headline_numbers_are_the_dashboards(store):
    at = _open()
    share = dashboard.show("affordable_housing_share_scf", today=TODAY)
    academy = dashboard.show("jobs_skills_academy_people_supported", today=TODAY)
    metrics = {m.value for m in at.metric}
    assert format_value(share.indicator, share.progress.latest_value) in metrics
    assert format_value(academy.indicator, academy.progress.latest_value) == "7,570"
    assert "7,570" in metrics
    text = _text(at)
    assert share.progress.reason in text
    assert academy.progress.reason in text


def test_overview_names_every_scheme_below_20_percent(store):
    at = _open()
    prog = dashboard.show("affordable_housing_share_scf", today=TODAY).progress
    assert prog.projects_below, "the sample has schemes below 20%"
    text = _text(at)
    verb = "is" if len(prog.projects_below) == 1 else "are"
    assert f"{len(prog.projects_below)} of {prog.projects_total} schemes {verb} below 20%" in text
    for name in prog.projects_below:
        assert f"✕ {name}:" in text


def test_overview_academy_progress_bar_says_how_far_and_when_reached(store):
    at = _open()
    bar = at.get("progress")[0]
    assert bar.proto.value == 100  # 7,570 of 6,000: full
    assert bar.proto.text.startswith("7,570 of 6,000 people (126% of the target)")
    assert "Target reached in 2022-23 Q2" in _text(at)


def test_overview_counts_each_theme_by_status_in_words(store):
    at = _open()
    summary = dashboard.theme_summary(dashboard.all_progress(today=TODAY))
    text = _text(at)
    for row in summary:
        line = (
            f"✔ On track: {row['green']} · ⚠ At risk: {row['amber']} · ✖ Off track: {row['red']} · "
            f"○ No status: {row['none']} · ∅ No data: {row['no_data']}"
        )
        assert line in text, f"{row['theme'].name}: {line}"
    # the reason for anything at risk or off track is given
    for shown in dashboard.all_progress(today=TODAY).values():
        if shown.progress.rag in ("amber", "red") and shown.progress.latest_value is not None:
            assert shown.progress.reason in text


def test_overview_links_each_theme_to_the_theme_page_with_its_id(store):
    at = _open()
    links = {link.proto.query_string: link.proto.page for link in at.page_link}
    for theme in CAT.themes:
        assert links.get(f"theme={theme.id}") == "Theme", theme.id


# --- theme ---------------------------------------------------------------------------------------------


def test_choosing_a_theme_updates_the_url_and_the_page(store):
    at = _open("pages/1_Theme.py", theme="affordable_housing")
    assert at.title[0].value == "Theme: Affordable housing provision"
    at.selectbox(key="theme").select("job_creation").run()
    assert at.query_params["theme"] == "job_creation"
    assert at.title[0].value == "Theme: Job creation"
    text = _text(at)
    for action in CAT.theme("job_creation").actions:
        assert action.text in text


def test_theme_page_lists_actions_with_status_history_and_measures(store):
    at = _open("pages/1_Theme.py", theme="affordable_housing")
    actions = dashboard.theme_actions("affordable_housing")
    text = _text(at)
    for action in actions:
        assert f"Action {action.id}" in text
        assert action.text in text
    ah1 = next(a for a in actions if a.id == "AH1")
    assert ah1.milestone
    assert (
        "Milestone action: there is nothing to count, so it is tracked by its quarterly status alone." in text
    )
    assert "Latest status (2026-27 Q2): ⚠ At risk" in text  # AH2 in the sample
    expanders = [e.label for e in at.expander]
    assert (
        f"Status history for action AH2 ({len(next(a for a in actions if a.id == 'AH2').history)} quarters)"
        in expanders
    )
    links = {link.proto.query_string for link in at.page_link}
    assert "indicator=affordable_housing_share_scf" in links
    share = dashboard.show("affordable_housing_share_scf", today=TODAY)
    assert f"Latest: {format_value(share.indicator, share.progress.latest_value)} (2026-27 Q2)" in text


def test_a_theme_that_does_not_exist_says_so_and_shows_the_first(store):
    at = _open("pages/1_Theme.py", theme="nonsense")
    assert not at.exception
    assert "There is no theme with the id 'nonsense'" in _text(at)
    assert at.title[0].value == f"Theme: {CAT.themes[0].name}"


# --- indicator -----------------------------------------------------------------------------------------


def test_indicator_opened_by_link_shows_status_reason_chart_description_and_table(store):
    at = _open("pages/2_Indicator.py", indicator="affordable_housing_share_scf")
    shown = dashboard.show("affordable_housing_share_scf", today=TODAY)
    assert at.title[0].value == shown.indicator.name
    text = _text(at)
    assert "⚠ At risk" in {m.value for m in at.metric}
    assert shown.progress.reason in text
    specs = _charts(at)
    assert _chart_title(specs[0]) == charts.headline(shown)
    assert charts.describe(shown) in text
    table = _tables(at)[0]
    expected = charts.table(shown)
    assert table["Period"].tolist() == expected["Period"].tolist()
    assert table["Value"].tolist() == expected["Value"].tolist()


def test_indicator_page_shows_places_tiles_and_every_scheme(store):
    at = _open("pages/2_Indicator.py", indicator="affordable_housing_share_scf")
    titles = [_chart_title(s) for s in _charts(at)]
    ind = CAT.indicator("affordable_housing_share_scf")
    places = dashboard.place_comparison(ind)
    schemes = dashboard.project_shares(ind, CAT.combined_authority)
    assert charts.place_headline(ind, places) in titles
    assert charts.project_headline(ind, schemes) in titles
    assert len(titles) == 4  # trend, places, tile map, schemes
    text = _text(at)
    assert charts.describe_tiles(ind, places) in text
    below = dashboard.show("affordable_housing_share_scf", today=TODAY).progress.projects_below
    scheme_table = next(t for t in _tables(at) if "Scheme" in t.columns)
    marked = scheme_table[scheme_table["Against the 20% minimum"].str.startswith("✕")]["Scheme"].tolist()
    assert sorted(marked) == sorted(below)


def test_changing_place_and_breakdown_updates_the_url_and_the_series(store):
    at = _open("pages/2_Indicator.py", indicator="apprenticeship_starts")
    at.selectbox(key="geography").select("E08000025").run()
    assert at.query_params["geography"] == "E08000025"
    assert "Place: Birmingham" in _text(at)
    at.selectbox(key="breakdown").select("sex=Female").run()
    assert at.query_params["breakdown"] == "sex=Female"
    shown = dashboard.show("apprenticeship_starts", "E08000025", "sex=Female", today=TODAY)
    assert _tables(at)[0]["Value"].tolist() == charts.table(shown)["Value"].tolist()
    assert _chart_title(_charts(at)[0]) == charts.headline(shown)


def test_deep_link_with_place_breakdown_and_period_range(store):
    at = _open(
        "pages/2_Indicator.py",
        indicator="apprenticeship_starts",
        geography="E08000025",
        breakdown="sex=Female",
        **{"from": "2023-24", "to": "2024-25"},
    )
    assert not at.exception
    assert at.selectbox(key="geography").value == "E08000025"
    assert at.selectbox(key="breakdown").value == "sex=Female"
    assert (at.selectbox(key="from").value, at.selectbox(key="to").value) == ("2023-24", "2024-25")
    shown = charts.restrict(
        dashboard.show("apprenticeship_starts", "E08000025", "sex=Female", today=TODAY), "2023-24", "2024-25"
    )
    table = _tables(at)[0]
    assert table["Period"].tolist() == ["2023-24", "2024-25"]
    assert table["Value"].tolist() == charts.table(shown)["Value"].tolist()


def test_place_by_name_in_a_link_is_understood(store):
    at = _open("pages/2_Indicator.py", indicator="households_temporary_accommodation", geography="Walsall")
    assert at.selectbox(key="geography").value == "E08000030"
    table = _tables(at)[0]
    shown = dashboard.show("households_temporary_accommodation", "Walsall", today=TODAY)
    missing = [p for p in shown.series if p.value is None]
    assert missing, "the sample has a missing Walsall value"
    row = table[table["Period"] == missing[0].period].iloc[0]
    assert row["Value"] == "missing (not available)"  # missing, with its reason; never 0


def test_breakdowns_state_the_gap_in_words(store):
    at = _open("pages/2_Indicator.py", indicator="apprenticeship_starts")
    ind = CAT.indicator("apprenticeship_starts")
    text = _text(at)
    for dim in ("sex", "ethnicity", "disability", "age_band"):
        frame = dashboard.breakdown_series(ind, CAT.combined_authority, dim)
        assert f"Gap: {charts.breakdown_gap(ind, frame, dim)}" in text


def test_indicator_page_gives_definition_source_status_and_revisions(store):
    at = _open("pages/2_Indicator.py", indicator="jobs_created_wmca_investment", geography="E08000025")
    ind = CAT.indicator("jobs_created_wmca_investment")
    text = _text(at)
    for words in (ind.description, ind.methodology, ind.source_publication, ind.limitations, ind.next_update):
        assert words in text
    summary = dashboard.revisions_summary(dashboard.revision_history(ind, CAT.geography("E08000025")))
    assert len(summary) == 1
    revisions = next(t for t in _tables(at) if "First published" in t.columns)
    row = revisions.iloc[0]
    first = summary.iloc[0]
    assert row["Period"] == first["period"]
    assert row["First published"] == format_value(ind, first["first_value"])
    assert row["Latest value"] == format_value(ind, first["latest_value"])


def test_an_indicator_that_does_not_exist_says_so(store):
    at = _open("pages/2_Indicator.py", indicator="no_such_thing", geography="Atlantis")
    assert not at.exception
    text = _text(at)
    assert "There is no indicator with the id 'no_such_thing'" in text
    assert "'Atlantis' is not one of the eight places" in text


# --- about the data -------------------------------------------------------------------------------------


def test_about_page_lists_every_indicator_with_status_source_and_data(store):
    at = _open("pages/3_About_the_data.py")
    table = _tables(at)[0]
    assert table["Indicator"].tolist() == [i.short_name for i in CAT.indicators]
    held = dashboard.indicators_with_data()
    for ind, cell in zip(CAT.indicators, table["Data held"], strict=True):
        assert cell.startswith("Yes") == (ind.id in held)
    text = _text(at)
    assert "performance@wmca.org.uk" in text and "team inbox" in text
    for heading in (
        "Accessibility statement",
        "Enforcement procedure",
        "Preparation of this accessibility statement",
    ):
        assert heading in text
    assert "Equality Advisory and Support Service (EASS)" in text
    assert "Equality and Human Rights Commission (EHRC)" in text
    fuel = CAT.indicator("fuel_poverty_households")
    assert fuel.limitations in text  # the 2019 series break


def test_about_page_states_the_status_rules_from_the_progress_module(store):
    at = _open("pages/3_About_the_data.py")
    text = _text(at)
    assert "above it but by no more than 10% of the target value is at risk" in text
    assert "pace ratio" in text and "80% range" in text
    thresholds = next(
        t for t in _tables(at) if "Target" in t.columns and "At risk when it is at least" in t.columns
    )
    dated = [i for i in CAT.indicators if i.target is not None and i.target.date is not None]
    assert thresholds["Indicator"].tolist() == [i.short_name for i in dated]


@pytest.mark.parametrize("indicator_id", [i.id for i in CAT.indicators])
def test_every_indicator_page_runs_and_says_where_there_are_no_figures(store, indicator_id):
    at = _open("pages/2_Indicator.py", indicator=indicator_id)
    assert not at.exception, [e.value for e in at.exception]
    shown = dashboard.show(indicator_id, today=TODAY)
    text = _text(at)
    assert shown.progress.reason in text
    if shown.progress.latest_value is None and indicator_id in dashboard.indicators_with_data():
        assert "There are no figures for the combined authority" in text
