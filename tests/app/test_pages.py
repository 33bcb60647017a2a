"""AppTest of the Overview, Theme, Indicator and About the data pages on the sample store.

Every figure asserted is typed in, read from `kpi show --json` itself, or worked out in the
test from the store with a small SQL query (never by the function the page calls), so a test
fails when a page shows something other than what the data says. The verdicts a board acts on (off track, met late, target
met) and the schemes and authorities named are typed into the tests instead: they are
what the sample data must give, checked against the command and the pages both, never
worked out by the code the pages call. The journeys are the ones users take: open the
overview, choose a theme, open an indicator, change the place and the breakdown,
follow a link.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics import dashboard, projection
from metrics.catalogue import default_catalogue
from metrics.schemes import project_shares
from metrics.words import format_value

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TODAY = dt.date(2026, 11, 26)
TIMEOUT = 120
CAT = default_catalogue()
PAGES = ["app.py", "pages/1_Theme.py", "pages/2_Indicator.py", "pages/3_About_the_data.py"]

# What the sample data gives on TODAY, typed: verdict id -> (symbol, words) as a board reads them.
EXPECTED = {
    "affordable_housing_share_scf": ("off_track", "✖", "Off track"),
    "neet_16_17": ("off_track", "✖", "Off track"),
    "jobs_created_wmca_investment": ("met_late", "◑", "Met late"),
    "jobs_skills_academy_people_supported": ("met", "★", "Target met"),
}
# The schemes below the 20% minimum, lowest first, with their shares.
SCHEMES_BELOW = [
    ("Sandwell scheme 2 (illustrative)", "15.8%"),
    ("Wolverhampton scheme 3 (illustrative)", "17.5%"),
    ("Birmingham scheme 2 (illustrative)", "18.1%"),
]
# The authorities above NEET's 3% ceiling; the other three meet it.
NEET_ABOVE = ["Birmingham", "Coventry", "Solihull", "Walsall"]
NEET_MEET = ["Dudley", "Sandwell", "Wolverhampton"]
# Every verdict's symbol and words, typed, for reading the counts.
LABELS = {
    "missed": "⊗ Missed",
    "off_track": "✖ Off track",
    "at_risk": "⚠ At risk",
    "met_late": "◑ Met late",
    "awaiting_data": "… Awaiting data",
    "on_track": "✔ On track",
    "met": "★ Target met",
    "no_target": "○ No target",
    "no_data": "∅ No data",
}
ACTION_LABELS = {
    "complete": "☑ Complete",
    "on_track": "✔ On track",
    "at_risk": "⚠ At risk",
    "off_track": "✖ Off track",
    "not_started": "○ Not started",
    "none": "◌ No status reported",
}
NEEDS_ATTENTION = ("missed", "off_track", "at_risk", "met_late", "awaiting_data")


# --- worked out here, not by the code the pages call: current values straight from the store ----------

CURRENT = """
SELECT o.period, o.period_start, o.value, o.numerator, o.denominator, o.missing, o.geography_code
FROM observation o JOIN upload u ON u.id = o.upload_id
WHERE u.outcome = 'committed' AND o.indicator_id = ? AND o.breakdown_dimension = ? AND o.breakdown_value = ?
QUALIFY row_number() OVER (PARTITION BY o.geography_code, o.period_start ORDER BY o.upload_id DESC) = 1
"""


def _current(db: Path, indicator: str, dim: str = "", group: str = "") -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(CURRENT, [indicator, dim, group]).fetchall()
    finally:
        con.close()


def _pooled_shares(db: Path, indicator: str) -> dict[str, str]:
    """Each period's share for the combined authority: the seven authorities' numerators over their
    denominators, only where all seven have both (the rule in shared/spec/cli.md)."""
    by_period: dict[tuple, list[tuple]] = {}
    for period, start, _value, num, den, missing, code in _current(db, indicator):
        if code != "E47000007":
            by_period.setdefault((start, period), []).append((num, den, missing))
    out = {}
    for (_, period), rows in sorted(by_period.items()):
        if len(rows) == 7 and all(n is not None and d for n, d, m in rows):
            out[period] = f"{sum(n for n, _, _ in rows) / sum(d for _, d, _ in rows) * 100:.1f}%"
    return out


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


def _kpi_show(kpi, store: Path, indicator_id: str) -> dict:
    """`kpi show INDICATOR --json` on the test's store, run as an outside program would run it."""
    code, out, err = kpi("show", indicator_id, "--json", "--db", store)
    assert code == 0, err
    return json.loads(out)["progress"]


def _counts(counts: dict[str, int], labels: dict[str, str]) -> str:
    """Counts as the pages write them, in the order of `labels`, leaving out zeros (worked out here, not by ui)."""
    return " · ".join(f"{label}: {counts[key]}" for key, label in labels.items() if counts.get(key))


def _charts(at: AppTest) -> list[dict]:
    """Every chart once: each is sent twice, for a laptop and for a phone (ui.widgets.chart); the phone's
    copy is left out here (metrics.charts.phone marks it)."""
    specs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    return [s for s in specs if not ((s["layout"].get("meta") or {}).get("house") or {}).get("narrow")]


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
    assert "Target: At least 20% in every scheme" in text
    assert "Target: 6,000 by 30 September 2022" in text


def test_overview_states_the_same_verdict_and_sentence_as_kpi_show(store, kpi):
    text = _text(_open())
    for indicator_id, (verdict, symbol, words) in EXPECTED.items():
        progress = _kpi_show(kpi, store, indicator_id)
        assert progress["verdict"] == verdict, indicator_id
        # The verdict in symbol and words, then the reason, word for word as the command gives it.
        assert f"{symbol} {words}: {progress['reason']}" in text, indicator_id
    neet = _kpi_show(kpi, store, "neet_16_17")["reason"]
    for name in NEET_ABOVE:
        assert f"{name} (3." in neet or f"{name} (4." in neet, name


def test_overview_headline_cards_lead_with_the_verdict(store):
    at = _open()
    markdown = [_unescape(m.value).replace("**", "") for m in at.markdown]
    # Each card's first words are its verdict, in symbol and words, never colour alone.
    for opening in (
        "✖ Off track: 3 of 14 schemes are below the 20% minimum in 2026-27 Q2: Sandwell scheme 2",
        "★ Target met: Reached 6,000 by the 30 September 2022 date",
    ):
        assert any(m.startswith(opening) for m in markdown), opening


def test_overview_first_screen_states_both_headline_verdicts_under_the_heading(store):
    """On a 320 by 700 px phone the cards start below the first screen: a line under the heading names
    each headline target's verdict, in symbol and words (typed here), before anything else is said."""
    at = _open()
    status = at.main.get_by_key("headline_status").markdown[0].value
    assert _unescape(status) == (
        "**Headline targets:**\n"
        "- ✖ Off track: Affordable share of homes in SCF schemes\n"
        "- ★ Target met: Jobs and Skills Academy"
    )
    # Straight after the h1 and the frame's "Data as at" line: the first text of the page itself.
    first = [m for m in at.main.markdown if m.type == "markdown" and m.value]
    assert first[0].value == status
    assert at.header[0].value == "Headline targets"


def test_overview_names_every_scheme_below_20_percent_lowest_first(store, kpi):
    at = _open()
    progress = _kpi_show(kpi, store, "affordable_housing_share_scf")
    text = _text(at)
    for name, _ in SCHEMES_BELOW:
        assert name in progress["reason"], "kpi show names the scheme"
    lines = "\n".join(f"- ✕ {name}: {share}" for name, share in SCHEMES_BELOW)
    markdown = [_unescape(m.value) for m in at.markdown]
    assert lines in markdown, "the card lists the schemes below 20%, lowest first, with their shares"
    assert "Schemes below the minimum in 2026-27 Q2, lowest first:" in text


def test_overview_academy_card_reads_its_verdict_and_shows_how_far(store):
    at = _open()
    bar = at.get("progress")[0]
    assert bar.proto.value == 100  # 7,570 of 6,000: full
    assert bar.proto.text.startswith("7,570 of 6,000 people trained (126% of the target)")
    text = _text(at)
    assert "★ Target met: Reached 6,000 by the 30 September 2022 date: 7,570 in 2022-23 Q2." in text
    # The card does not work out a status of its own ("after the target date" was its old wording).
    assert "Target reached in" not in text


def test_overview_counts_every_indicator_and_action_by_theme(store):
    at = _open()
    shown = dashboard.all_progress(today=TODAY)
    history = dashboard.action_statuses()
    text = _text(at)
    verdict_total: dict[str, int] = {}
    action_total: dict[str, int] = {}
    for theme in CAT.themes:
        indicators = CAT.indicators_for_theme(theme.id)
        verdicts: dict[str, int] = {}
        for i in indicators:
            v = shown[i.id].progress.verdict
            verdicts[v] = verdicts.get(v, 0) + 1
            verdict_total[v] = verdict_total.get(v, 0) + 1
        actions: dict[str, int] = {}
        for a in theme.actions:
            s = history[a.id][0]["status"] if history.get(a.id) else "none"
            actions[s] = actions.get(s, 0) + 1
            action_total[s] = action_total.get(s, 0) + 1
        assert f"Indicators ({len(indicators)}): {_counts(verdicts, LABELS)}" in text, theme.name
        assert f"Actions ({len(theme.actions)}): {_counts(actions, ACTION_LABELS)}" in text, theme.name
    # Every one of the 27 indicators is counted, NEET (summarised from the authorities) included,
    # and all 47 actions.
    assert sum(verdict_total.values()) == 27 and sum(action_total.values()) == 47
    assert f"Indicators (27): {_counts(verdict_total, LABELS)}." in text
    assert f"Actions (47), by their latest quarterly status: {_counts(action_total, ACTION_LABELS)}." in text
    assert "✖ Off track: 2 · ⚠ At risk: 1 · ◑ Met late: 4 · ★ Target met: 1 · ○ No target: 19" in text


def test_overview_says_why_for_every_verdict_that_needs_attention_worst_first(store):
    at = _open()
    shown = dashboard.all_progress(today=TODAY)
    markdown = [_unescape(m.value).replace("**", "") for m in at.markdown]
    why_lists = [m for m in markdown if m.startswith("- ") and " — " in m]
    listed = "\n".join(why_lists)
    for s in shown.values():
        prog = s.progress
        line = f"{s.indicator.short_name} — {LABELS[prog.verdict]}: {prog.reason}"
        if prog.verdict in NEEDS_ATTENTION:
            assert line in listed, s.indicator.id
        else:
            assert s.indicator.short_name + " — " not in listed, s.indicator.id
    # NEET's verdict rests on the seven authorities: it is listed although it has no figure of its own.
    assert "NEET 16 to 17 — ✖ Off track:" in listed
    # Worst first within a theme: skills equity's off-track NEET before its late employment pilot.
    skills = next(m for m in why_lists if "NEET 16 to 17" in m)
    assert skills.index("NEET 16 to 17") < skills.index("Employment support pilot — ◑ Met late")
    assert "○ No target" not in listed


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
    # Each measure's verdict and why, as on the Overview; the theme's counts in the same words.
    assert f"Target: At least 20% in every scheme\n✖ Off track: {share.progress.reason}" in text
    assert "Indicators (3): ✖ Off track: 1 · ○ No target: 2" in text
    actions_counted = {
        "complete": 1,
        "on_track": 3,
        "at_risk": 1,
    }  # AH3 complete, AH2 at risk (the sample's story)
    assert f"Actions (5), by their latest quarterly status: {_counts(actions_counted, ACTION_LABELS)}" in text


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
    assert {m.label: m.value for m in at.metric}["Verdict"] == "✖ Off track"
    assert f"✖ Off track: {shown.progress.reason}" in text
    specs = _charts(at)
    assert _chart_title(specs[0]) == (
        "3 of 14 schemes are below the 20% minimum, though all schemes together are at 25.4%"
    )
    assert (
        "Line chart: Affordable share of homes in SCF schemes (per cent), West Midlands Combined Authority"
        in text
    )
    table = _tables(at)[0]
    expected = _pooled_shares(store, "affordable_housing_share_scf")  # worked out here from the store
    assert table["Period"].tolist() == list(expected)
    assert table["Value"].tolist() == list(expected.values())


def test_indicator_page_shows_places_tiles_and_every_scheme(store):
    at = _open("pages/2_Indicator.py", indicator="affordable_housing_share_scf")
    titles = [_chart_title(s) for s in _charts(at)]
    ind = CAT.indicator("affordable_housing_share_scf")
    places = dashboard.place_comparison(ind)
    schemes = project_shares(ind, CAT.combined_authority)
    assert (
        "Coventry had the highest affordable share of homes in SCF schemes (27.6%) and Wolverhampton the lowest (23.3%)"
        in titles
    )
    assert "3 of 14 schemes were below the 20% minimum in 2026-27 Q2" in titles
    assert len(titles) == 4  # trend, places, tile map, schemes
    assert len(places) == 7 and len(schemes) >= 14
    below = dashboard.show("affordable_housing_share_scf", today=TODAY).progress.projects_below
    scheme_table = next(t for t in _tables(at) if "Scheme" in t.columns)
    marked = scheme_table[scheme_table["Against the 20% minimum"].str.startswith("✕")]["Scheme"].tolist()
    assert sorted(marked) == sorted(below)


def test_verdicts_are_assessed_once_per_data_version_whatever_the_sessions_and_pages(store, monkeypatch):
    """Every indicator's combined-authority verdict is assessed once per data version in the server's
    process: the Overview's first run assesses each once (its headline cards' two not twice), and a rerun,
    other sessions and the other pages that show them assess none again. A new data version does."""
    from collections import Counter

    assessed: Counter = Counter()
    real = dashboard._show

    def counted(con, indicator, geo, breakdown, *args, **kwargs):
        if geo.level == "combined_authority" and breakdown is None:
            assessed[indicator.id] += 1
        return real(con, indicator, geo, breakdown, *args, **kwargs)

    monkeypatch.setattr(dashboard, "_show", counted)
    once = Counter({i.id: 1 for i in CAT.indicators})
    first = _open()
    assert not first.exception
    assert assessed == once
    first.run()  # the same session, run again
    for page, query in (
        ("app.py", {}),
        ("pages/1_Theme.py", {}),
        ("pages/2_Indicator.py", {"indicator": "affordable_housing_share_scf"}),
        ("pages/3_About_the_data.py", {}),
        ("pages/6_Export.py", {}),
    ):
        at = _open(page, **query)  # a new session each
        assert not at.exception, (page, [e.value for e in at.exception])
    assert assessed == once
    copy = store.with_name("other.duckdb")  # another data version: assessed afresh, once
    shutil.copyfile(store, copy)
    monkeypatch.setenv("KPI_DB", str(copy))
    _open()
    assert assessed == once + once


def test_the_scheme_download_lists_every_scheme_of_the_newest_period_when_pressed(store, monkeypatch):
    """The page reads the lowest few schemes; the download's bytes (every scheme, lowest first) are read
    and written only when its button is pressed."""
    import duckdb

    from ui import exports

    offered: dict[str, tuple] = {}
    monkeypatch.setattr(
        exports.st, "download_button", lambda label, data, **kw: offered.__setitem__(kw["key"], (label, data))
    )
    ind = CAT.indicator("affordable_housing_share_scf")
    exports.scheme_buttons(ind, CAT.combined_authority, header=[("Source", "test")], total=14)
    label, data = offered["schemes_download_csv"]
    assert (
        label == "Download every scheme (14) as CSV"
        and callable(data)
        and callable(offered["schemes_download_xlsx"][1])
    )
    con = duckdb.connect(str(store), read_only=True)
    try:
        newest = con.execute(CURRENT_SCHEMES, [ind.id]).fetchall()  # worked out here, from the store
    finally:
        con.close()
    lines = data().decode("utf-8-sig").splitlines()
    listed = [
        line.split(",")[0]
        for line in lines[lines.index(next(ln for ln in lines if ln.startswith("Scheme,"))) + 1 :]
    ]
    assert listed == [name for name, _ in newest]


CURRENT_SCHEMES = """
SELECT o.breakdown_value, o.value FROM observation o JOIN upload u ON u.id = o.upload_id
WHERE u.outcome = 'committed' AND o.indicator_id = ? AND o.breakdown_dimension = 'project'
QUALIFY row_number() OVER (PARTITION BY o.geography_code, o.breakdown_value, o.period_start
                           ORDER BY o.upload_id DESC) = 1
   AND o.period_end = max(o.period_end) OVER ()
ORDER BY o.value, o.breakdown_value
"""


def test_changing_place_and_breakdown_updates_the_url_and_the_series(store):
    at = _open("pages/2_Indicator.py", indicator="apprenticeship_starts")
    at.selectbox(key="geography").select("E08000025").run()
    assert at.query_params["geography"] == "E08000025"
    assert "Place: Birmingham" in _text(at)
    at.selectbox(key="breakdown").select("sex=Female").run()
    assert at.query_params["breakdown"] == "sex=Female"
    rows = sorted(r for r in _current(store, "apprenticeship_starts", "sex", "Female") if r[6] == "E08000025")
    assert _tables(at)[0]["Value"].tolist() == [f"{r[2]:,.0f}" for r in sorted(rows, key=lambda r: r[1])]
    first, last = sorted(rows, key=lambda r: r[1])[0], sorted(rows, key=lambda r: r[1])[-1]
    verb = "rose" if last[2] > first[2] else "fell"
    assert _chart_title(_charts(at)[0]) == (
        f"Apprenticeship starts {verb} from {first[2]:,.0f} in {first[0]} to {last[2]:,.0f} in {last[0]}"
    )


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
    rows = {
        r[0]: r[2] for r in _current(store, "apprenticeship_starts", "sex", "Female") if r[6] == "E08000025"
    }
    table = _tables(at)[0]
    assert table["Period"].tolist() == ["2023-24", "2024-25"]
    assert table["Value"].tolist() == [f"{rows['2023-24']:,.0f}", f"{rows['2024-25']:,.0f}"]


def test_charts_are_drawn_once_per_choice_and_again_when_a_choice_changes(store, monkeypatch):
    """The Indicator page's charts are kept per data version and choice: a rerun and another session
    draw nothing again, and a changed period range draws the trend afresh, with its own rows."""
    from metrics import charts

    drawn: list[str] = []
    real = charts.indicator_chart
    monkeypatch.setattr(
        charts, "indicator_chart", lambda shown, **kw: drawn.append("trend") or real(shown, **kw)
    )
    at = _open("pages/2_Indicator.py", indicator="apprenticeship_starts", geography="E08000025")
    at.run()
    _open("pages/2_Indicator.py", indicator="apprenticeship_starts", geography="E08000025")  # another session
    assert drawn == ["trend"]
    at.selectbox(key="from").select("2023-24").run()
    assert drawn == ["trend", "trend"]
    assert _tables(at)[0]["Period"].tolist()[0] == "2023-24"


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
    assert ind.id == "apprenticeship_starts"
    for gap in (  # the sample's 2024-25 groups, typed in
        "By sex, Male had the most apprenticeship starts (9,091) and Female the fewest (8,828), a gap of 263 in 2024-25.",
        "By ethnicity, White had the most apprenticeship starts (10,553) and Mixed the fewest (681), a gap of "
        "9,872 in 2024-25.",
        "By disability, Not disabled had the most apprenticeship starts (14,309) and Disabled the fewest (2,459), "
        "a gap of 11,850 in 2024-25.",
        "By age band, 25+ had the most apprenticeship starts (7,268) and 16-18 the fewest (4,763), a gap of 2,505 "
        "in 2024-25.",
    ):
        assert f"Gap: {gap}" in text


def test_a_group_too_small_to_show_is_c_in_the_gap_chart_and_table(store):
    # Birmingham's sector-based work academies by ethnicity in 2026-27 Q2: Mixed and Other are under 5
    # (worked out from the store below), so they are c, and the gap is between the three groups shown.
    at = _open("pages/2_Indicator.py", indicator="swap_participants", geography="E08000025")
    raw = {
        g: v for _, g, v in _latest_groups(store, "swap_participants", "E08000025", "ethnicity", "2026-27 Q2")
    }
    small = {g for g, v in raw.items() if v < 5}
    assert small == {"Mixed", "Other"}
    text = _text(at)
    assert (
        "Gap: By ethnicity, of the groups shown, White had the most sector-based work academies (48) and Black the "
        "fewest (6), a gap of 42 in 2026-27 Q2. Mixed and Other are not shown (c) so no one can be identified."
    ) in text
    assert (
        "c: fewer than 5, or a figure that would let one be worked out, not shown so no one can be identified."
        in text
    )
    table = next(t for t in _tables(at) if "Ethnicity" in t.columns)
    values = dict(zip(table["Ethnicity"], table["Value"], strict=True))
    assert values == {
        g: ("c" if g in small else format_value(CAT.indicator("swap_participants"), v))
        for g, v in raw.items()
    }
    spec = next(s for s in _charts(at) if _chart_title(s).startswith("By ethnicity"))
    bars = dict(
        zip(
            spec["data"][0]["y"], zip(spec["data"][0]["x"], spec["data"][0]["text"], strict=True), strict=True
        )
    )
    assert {g: bars[g] for g in small} == {
        g: (0, "c") for g in small
    }  # drawn as missing, never as its figure


def _latest_groups(db: Path, indicator: str, geography: str, dim: str, period: str) -> list[tuple]:
    """The current uploaded value of each group of one breakdown, for one place and period."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT o.geography_code, o.breakdown_value, o.value FROM observation o JOIN upload u ON u.id = o.upload_id "
            "WHERE u.outcome = 'committed' AND o.indicator_id = ? AND o.geography_code = ? "
            "AND o.breakdown_dimension = ? AND o.period = ? "
            "QUALIFY row_number() OVER (PARTITION BY o.breakdown_value ORDER BY o.upload_id DESC) = 1",
            [indicator, geography, dim, period],
        ).fetchall()
    finally:
        con.close()


def test_indicator_page_gives_definition_source_status_and_revisions(store):
    at = _open("pages/2_Indicator.py", indicator="jobs_created_wmca_investment", geography="E08000025")
    ind = CAT.indicator("jobs_created_wmca_investment")
    text = _text(at)
    for words in (ind.description, ind.methodology, ind.source_publication, ind.limitations, ind.next_update):
        assert words in text
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:  # every value uploaded for Birmingham's 2026-27 Q1, oldest upload first: the sample revises it once
        values = [
            r[0]
            for r in con.execute(
                "SELECT value FROM observation WHERE indicator_id = ? AND geography_code = 'E08000025' "
                "AND period = '2026-27 Q1' AND breakdown_dimension = '' ORDER BY upload_id",
                [ind.id],
            ).fetchall()
        ]
    finally:
        con.close()  # fmt: skip
    assert len(values) == 2 and values[1] == 131
    revisions = next(t for t in _tables(at) if "First published" in t.columns)
    assert len(revisions) == 1
    row = revisions.iloc[0]
    assert row["Period"] == "2026-27 Q1"
    assert row["First published"] == f"{values[0]:,.0f}"
    assert row["Latest value"] == "131"


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
    assert "Accessibility statement" in text  # the statement has its own page, linked from every footer
    statement = _text(_open("pages/7_Accessibility.py"))
    for heading in (
        "Enforcement procedure",
        "Preparation of this accessibility statement",
        "Compliance status",
    ):
        assert heading in statement
    assert "Equality Advisory and Support Service (EASS)" in statement
    assert "Equality and Human Rights Commission (EHRC)" in statement
    assert "performance@wmca.org.uk" in statement
    fuel = CAT.indicator("fuel_poverty_households")
    assert fuel.limitations in text  # the 2019 series break


class _Cards(HTMLParser):
    """A phone's cards (ui.widgets.table_or_cards) as a reader meets them: each heading, then its facts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[dict] = []
        self.tags: list[str] = []
        self._text: list[str] | None = None
        self._name = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("h3", "dt", "dd"):
            self._text = []

    def handle_endtag(self, tag):
        text = "".join(self._text or [])
        if tag == "h3":
            self.cards.append({"heading": text, "facts": {}})
        elif tag == "dt":
            self._name = text
        elif tag == "dd":
            self.cards[-1]["facts"][self._name] = text
        if tag in ("h3", "dt", "dd"):
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def test_about_page_gives_a_phone_every_indicator_as_a_card_with_the_tables_facts(store):
    """At 320 px the eight-column table scrolled sideways; a phone gets a card an indicator instead, holding
    the same facts under the same names (the table itself is checked against the catalogue above)."""
    at = _open("pages/3_About_the_data.py")
    table = _tables(at)[0]
    reader = _Cards()
    reader.feed(at.main.get_by_key("tablecards_reporting_status").html[0].value)
    assert [c["heading"] for c in reader.cards] == [i.short_name for i in CAT.indicators]
    for card, (_, row) in zip(reader.cards, table.iterrows(), strict=True):
        assert list(card["facts"]) == list(
            table.columns[1:]
        )  # Theme, Status of the statistics, ... Values held
        assert list(card["facts"].values()) == [row[c] for c in table.columns[1:]]
    assert {"ul", "li", "h3", "dl", "dt", "dd"} <= set(reader.tags) and "table" not in reader.tags


def test_about_page_states_the_verdict_rules_as_built(store):
    at = _open("pages/3_About_the_data.py")
    text = _text(at)
    tables = _tables(at)
    verdict_table = next(t for t in tables if "Verdict" in t.columns and "What it means" in t.columns)
    assert verdict_table["Verdict"].tolist() == list(LABELS.values())  # all nine, worst first
    assert "adapted from Open SDG's progress method, not a copy of it" in text
    assert "weakest of the seven authorities' verdicts" in text
    # The numbers come from the code: the projection's window, minimum, simulations and range.
    assert f"at least {projection.PROJECTION_MIN_POINTS} figures since its base period" in text
    assert f"the latest {projection.PROJECTION_WINDOW} of them" in text
    assert f"{projection.SIMULATIONS:,} times" in text
    assert "the 10th to the 90th percentile" in text
    assert f"With fewer than {projection.PROJECTION_MIN_POINTS} figures there is no projected date" in text
    assert "the period that holds 1 April 2022" in text and "2022-23 Q1 for a quarterly indicator" in text
    # Nothing left of the old method's words.
    for old in ("pace ratio of the first value", "Student's t", "no status", "MAXIMUM_MARGIN"):
        assert old not in text
    floors = next(t for t in tables if "Applies to" in t.columns)
    applies = dict(zip(floors["Indicator"], floors["Applies to"], strict=True))
    assert applies[CAT.indicator("affordable_housing_share_scf").short_name] == "Every scheme on its own"
    assert applies[CAT.indicator("neet_16_17").short_name] == "Every local authority on its own"
    thresholds = next(t for t in tables if "Base period" in t.columns)
    dated = [i for i in CAT.indicators if i.target is not None and i.target.date is not None]
    assert thresholds["Indicator"].tolist() == [i.short_name for i in dated]
    base = dict(zip(thresholds["Indicator"], thresholds["Base period"], strict=True))
    assert base[CAT.indicator("jobs_skills_academy_people_supported").short_name] == "2020-21 Q3"
    assert base[CAT.indicator("jobs_created_wmca_investment").short_name] == "2022-23 Q1"
    reporting = tables[0]
    values = dict(zip(reporting["Indicator"], reporting["Values held"], strict=True))
    assert values[CAT.indicator("affordable_housing_share_scf").short_name] == "Illustrative"
    assert values[CAT.indicator("neet_16_17").short_name] == "Published"


@pytest.mark.parametrize("indicator_id", [i.id for i in CAT.indicators])
def test_every_indicator_page_runs_and_says_where_there_are_no_figures(store, indicator_id):
    at = _open("pages/2_Indicator.py", indicator=indicator_id)
    assert not at.exception, [e.value for e in at.exception]
    shown = dashboard.show(indicator_id, today=TODAY)
    text = _text(at)
    assert shown.progress.reason in text
    if shown.progress.latest_value is None and indicator_id in dashboard.indicators_with_data():
        assert "There are no figures for the combined authority" in text
    assert f"{LABELS[shown.progress.verdict]}: {shown.progress.reason}" in text
    assert {m.label: m.value for m in at.metric}["Verdict"] == LABELS[shown.progress.verdict]
    # "Not yet" is for figures that are expected: no page says it of the seven authorities.
    assert "No local authority has figures for this indicator yet." not in text


# --- verdicts on the indicator page, against `kpi show --json` -------------------------------------------


@pytest.mark.parametrize("indicator_id", list(EXPECTED))
def test_indicator_page_states_the_same_verdict_and_sentence_as_kpi_show(store, kpi, indicator_id):
    progress = _kpi_show(kpi, store, indicator_id)
    verdict, symbol, words = EXPECTED[indicator_id]
    assert progress["verdict"] == verdict
    at = _open("pages/2_Indicator.py", indicator=indicator_id)
    assert {m.label: m.value for m in at.metric}["Verdict"] == f"{symbol} {words}"
    assert f"{symbol} {words}: {progress['reason']}" in _text(at)


def test_affordable_indicator_page_names_the_schemes_below_20_percent(store):
    at = _open("pages/2_Indicator.py", indicator="affordable_housing_share_scf")
    text = _text(at)
    sentence = next(line for line in text.splitlines() if line.startswith("✖ Off track: 3 of 14 schemes"))
    for name, share in SCHEMES_BELOW:
        assert f"{name} ({share})" in sentence
    assert sentence.index(SCHEMES_BELOW[0][0]) < sentence.index(SCHEMES_BELOW[-1][0]), "lowest first"
    assert {m.label: m.value for m in at.metric}["Target in every scheme"] == "At least 20%"


def test_neet_indicator_page_lists_each_authoritys_verdict(store, kpi):
    progress = _kpi_show(kpi, store, "neet_16_17")
    at = _open("pages/2_Indicator.py", indicator="neet_16_17")
    text = _text(at)
    assert "Each local authority's verdict" in text
    table = next(t for t in _tables(at) if "Verdict" in t.columns and "Place" in t.columns)
    assert table.columns.tolist() == ["Place", "Latest value", "Period", "Verdict", "Why"]
    rows = {r["Place"]: r for r in table.to_dict("records")}
    assert sorted(rows) == sorted(NEET_ABOVE + NEET_MEET)
    for name in NEET_ABOVE:
        assert rows[name]["Verdict"] == "✖ Off track", name
        assert "above the 3% maximum" in rows[name]["Why"]
    for name in NEET_MEET:
        assert rows[name]["Verdict"] == "★ Target met", name
    # The same places, values and verdicts as `kpi show --json` gives.
    ind = CAT.indicator("neet_16_17")
    for place in progress["places"]:
        row = rows[CAT.geography(place["geography"]).name]
        assert row["Latest value"] == format_value(ind, place["latest_value"])
        assert row["Verdict"] == LABELS[place["verdict"]]
        assert row["Period"] == "2025"
    assert "There are no figures for the combined authority" in text


def test_academy_page_says_its_figures_are_for_the_combined_authority_only(store):
    at = _open("pages/2_Indicator.py", indicator="jobs_skills_academy_people_supported")
    text = _text(at)
    assert {m.label: m.value for m in at.metric}["Verdict"] == "★ Target met"
    assert "Figures are for the combined authority only" in text
    assert "Compared with the seven local authorities" not in text
    assert "yet" not in text.split("Over time", 1)[1].split("About this indicator", 1)[0]
    # Chosen for one authority, it says why there is nothing, not "not yet".
    at = _open("pages/2_Indicator.py", indicator="jobs_skills_academy_people_supported", geography="Dudley")
    text = _text(at)
    assert "The local authorities do not report this measure" in text
    assert "There are no figures for Dudley yet" not in text


def test_indicator_page_sets_a_place_beside_england_the_region_and_its_similar_areas(store):
    """Coventry's affordability ratio: England's and the region's lines on the trend and in its table, their
    bars "for comparison" beside the seven, the changes and gaps in words, and Coventry ranked among its
    statistical neighbours (the sample's illustrative figures, said to be so)."""
    at = _open("pages/2_Indicator.py", indicator="housing_affordability_ratio", geography="E08000026")
    assert not at.exception
    text = _text(at)
    assert (
        "Compared with England and the West Midlands region (context only: it does not change the verdict)"
        in text
    )
    assert re.search(
        r"In 2025, Coventry's ratio \(6\.04\) is lower than England's \(7\.64\), by 1\.60\.", text
    )
    key = sorted(_charts(at)[0]["data"], key=lambda t: t.get("legendrank", 1000))  # the key's order
    assert [t["name"] for t in key][:3] == ["Coventry", "England", "West Midlands region"]
    bars = next(c for c in _charts(at) if c["layout"]["meta"]["house"]["kind"] == "bars")
    assert "England<br>(for comparison)" in bars["data"][0]["y"]
    assert "Compared with similar areas" in text
    assert "Coventry's statistical neighbours (CIPFA Nearest Neighbours Model; an illustrative list)" in text
    assert re.search(
        r"Coventry's ratio \(6\.04, 2025\) is the \d+(st|nd|rd|th) highest of the 7 places", text
    )
    similar = _charts(at)[-1]
    assert (
        similar["layout"]["title"]["text"].replace("<br>", " ").startswith("Coventry's ratio (6.04, 2025) is")
    )
    assert "Illustrative data" in str(similar["layout"])
