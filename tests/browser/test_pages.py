"""The Overview, Theme, Indicator and About the data pages in a real browser, opened by URL on a fresh server.

Each page is the first request to its own browser context (so deep links work
without a session), its Plotly charts must have drawn, the verdicts and numbers on
screen must be the ones `kpi show --json` prints for the same store, and axe-core
must find no serious or critical accessibility problem, with every expander opened.
Screenshots of each page at a laptop's width (1280 px) and a phone's (390 px) are
saved in screenshots/ for people to look at.

A page takes seconds to open, so each page is opened once and every check on it is
made in that one visit (PAGE_CHECKS), not in a test of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from metrics.catalogue import default_catalogue
from metrics.words import format_value

KPI = Path(sys.executable).parent / "kpi"
TODAY = "2026-11-26"
SERVER_ENV = {"KPI_TODAY": TODAY, "KPI_NOW": f"{TODAY}T09:00:00"}
CAT = default_catalogue()

PAGES = {
    # name: (path, level-1 heading, Plotly charts at least)
    "overview": ("/", "Objective 2: are we on track?", 0),
    "theme": ("/Theme?theme=affordable_housing", "Theme: Affordable housing provision", 3),
    "indicator": (
        "/Indicator?indicator=affordable_housing_share_scf",
        CAT.indicator("affordable_housing_share_scf").name,
        4,
    ),
    "indicator-deep-link": (
        "/Indicator?indicator=apprenticeship_starts&geography=E08000025&breakdown=sex%3DFemale"
        "&from=2023-24&to=2024-25",
        "Apprenticeship starts",
        7,
    ),
    "indicator-neet": ("/Indicator?indicator=neet_16_17", CAT.indicator("neet_16_17").name, 2),
    "indicator-academy": (
        "/Indicator?indicator=jobs_skills_academy_people_supported",
        CAT.indicator("jobs_skills_academy_people_supported").name,
        1,
    ),
    "about": ("/About_the_data", "About the data", 0),
}
ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}
SMALL = {"width": 320, "height": 700}

# What the sample data gives, typed (not worked out by the code the pages call): verdict id, symbol, words.
EXPECTED = {
    "affordable_housing_share_scf": ("off_track", "✖", "Off track"),
    "neet_16_17": ("off_track", "✖", "Off track"),
    "jobs_created_wmca_investment": ("met_late", "◑", "Met late"),
    "jobs_skills_academy_people_supported": ("met", "★", "Target met"),
}
SCHEMES_BELOW = [
    ("Sandwell scheme 2 (illustrative)", "15.8%"),
    ("Wolverhampton scheme 3 (illustrative)", "17.5%"),
    ("Birmingham scheme 2 (illustrative)", "18.1%"),
]
NEET_ABOVE = ["Birmingham", "Coventry", "Solihull", "Walsall"]
NEET_MEET = ["Dudley", "Sandwell", "Wolverhampton"]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("pages-store") / "kpi.duckdb"
    result = subprocess.run(
        [str(KPI), "init", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**_env(), **SERVER_ENV},
    )
    assert result.returncode == 0, f"`kpi init` exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return db


def _env() -> dict[str, str]:
    return dict(os.environ)


def kpi_show(store: Path, indicator: str, *args: str) -> dict:
    result = subprocess.run(
        [str(KPI), "show", indicator, "--db", str(store), "--json", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**_env(), **SERVER_ENV},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _latest(store: Path, indicator: str, *args: str) -> str:
    shown = kpi_show(store, indicator, *args)
    return format_value(CAT.indicator(indicator), shown["progress"]["latest_value"])


def _main_text(page) -> str:
    """The main column's text as a reader gets it (ui.text.plain's invisible word joiners removed)."""
    return page.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")


def _open(page, base_url: str, path: str, wait_for_app, wait_for_charts, charts: int) -> None:
    page.goto(base_url + path)
    wait_for_app(page, timeout_ms=90_000)
    if charts:
        wait_for_charts(page, charts, timeout_ms=60_000)


HEADINGS = ", ".join(f'[data-testid="stMain"] h{n}' for n in range(1, 7))


def _headings(page) -> list[int]:
    """The level of every visible heading in the main column, in page order."""
    return page.evaluate(
        "sel => Array.from(document.querySelectorAll(sel))"
        ".filter(h => h.offsetParent !== null).map(h => Number(h.tagName[1]))",
        HEADINGS,
    )


def _open_expanders(page) -> int:
    """Open every expander and wait until each one's content is on screen."""
    summaries = page.locator('[data-testid="stExpander"] summary')
    for i in range(summaries.count()):
        summaries.nth(i).click()
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('[data-testid="stExpander"] details'))
              .every(d => d.open && d.querySelector('[data-testid="stExpanderDetails"]')
                  && d.querySelector('[data-testid="stExpanderDetails"]').offsetParent !== null)"""
    )
    return summaries.count()


def _verdict_sentence(store: Path, indicator: str) -> str:
    """The verdict as the page must state it: the typed symbol and words, then `kpi show`'s reason."""
    progress = kpi_show(store, indicator)["progress"]
    verdict, symbol, words = EXPECTED[indicator]
    assert progress["verdict"] == verdict, f"kpi show gives {progress['verdict']} for {indicator}"
    return f"{symbol} {words}: {progress['reason']}"


def _metric(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label)
    )
    return metric.locator('[data-testid="stMetricValue"]').first.inner_text().strip()


def _table(page, key: str) -> list[dict[str, str]]:
    """The rows of the table in the container with this key, as {column: cell text}."""
    return page.evaluate(
        """sel => {
            const table = document.querySelector(sel);
            const head = Array.from(table.querySelectorAll('thead th')).map(c => c.innerText.trim());
            return Array.from(table.querySelectorAll('tbody tr')).map(r => {
                const cells = Array.from(r.querySelectorAll('th, td')).map(c => c.innerText.trim());
                const shift = cells.length - head.length;  // a row header, when the index is shown
                return Object.fromEntries(head.map((h, i) => [h, cells[i + Math.max(shift, 0)]]));
            });
        }""",
        f".st-key-{key} table",
    )


def _check_overview(page, store: Path) -> None:
    text = _main_text(page)
    academy = _latest(store, "jobs_skills_academy_people_supported")
    assert academy == "7,570"
    assert academy in text
    assert "7,570 of 6,000 people trained (126% of the target)" in text
    assert _latest(store, "affordable_housing_share_scf") in text
    # Every verdict in symbol and words with the reason `kpi show` gives, word for word.
    for indicator in EXPECTED:
        assert _verdict_sentence(store, indicator) in text, indicator
    for name, share in SCHEMES_BELOW:
        assert f"{name}: {share}" in text, name
    assert "Indicators (27):" in text and "Actions (47), by their latest quarterly status:" in text
    assert "NEET 16 to 17 — ✖ Off track:" in text


def _check_affordable(page, store: Path) -> None:
    text = _main_text(page)
    assert _metric(page, "Verdict") == "✖ Off track"
    sentence = _verdict_sentence(store, "affordable_housing_share_scf")
    assert sentence in text
    for name, share in SCHEMES_BELOW:
        assert f"{name} ({share})" in sentence


def _check_neet(page, store: Path) -> None:
    text = _main_text(page)
    assert _metric(page, "Verdict") == "✖ Off track"
    assert _verdict_sentence(store, "neet_16_17") in text
    rows = {r["Place"]: r for r in _table(page, "place_verdicts")}
    assert sorted(rows) == sorted(NEET_ABOVE + NEET_MEET)
    for name in NEET_ABOVE:
        assert rows[name]["Verdict"] == "✖ Off track", rows[name]
    for name in NEET_MEET:
        assert rows[name]["Verdict"] == "★ Target met", rows[name]
    ind = CAT.indicator("neet_16_17")
    for place in kpi_show(store, "neet_16_17")["progress"]["places"]:
        row = rows[CAT.geography(place["geography"]).name]
        assert row["Latest value"] == format_value(ind, place["latest_value"])


def _check_academy(page, store: Path) -> None:
    text = _main_text(page)
    assert _metric(page, "Verdict") == "★ Target met"
    assert _verdict_sentence(store, "jobs_skills_academy_people_supported") in text
    assert "Figures are for the combined authority only" in text
    assert "No local authority has figures" not in text


def _check_deep_link(page, store: Path) -> None:
    query = parse_qs(urlparse(page.url).query)
    assert query["geography"] == ["E08000025"] and query["breakdown"] == ["sex=Female"]
    assert page.get_by_role("combobox", name="Place").input_value() == "Birmingham"
    assert page.get_by_role("combobox", name="Breakdown").input_value() == "Sex: Female"
    assert page.get_by_role("combobox", name="From").input_value() == "2023-24"
    text = _main_text(page)
    latest = _latest(store, "apprenticeship_starts", "--geography", "E08000025", "--breakdown", "sex=Female")
    assert f"the latest is {latest} (2024-25" in text  # the chart description, from the same numbers
    trend_title = page.locator(".js-plotly-plot .gtitle").first.text_content()
    assert trend_title.startswith("Apprenticeship starts"), trend_title  # the finding, drawn in the SVG


PAGE_CHECKS = {
    "overview": _check_overview,
    "indicator": _check_affordable,
    "indicator-neet": _check_neet,
    "indicator-academy": _check_academy,
    "indicator-deep-link": _check_deep_link,
}


def _fits_the_width(page) -> None:
    """Wait until the side menu has slid away (Streamlit hides it on a phone) and every chart has been
    redrawn inside the narrower window."""
    page.wait_for_function(
        """() => {
            const menu = document.querySelector('[data-testid="stSidebar"]');
            if (menu && menu.getBoundingClientRect().right > 0) return false;
            return Array.from(document.querySelectorAll('.js-plotly-plot svg.main-svg'))
                .every(s => s.getBoundingClientRect().width <= window.innerWidth);
        }"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("name", list(PAGES))
def test_page_opened_by_url_states_its_verdicts_draws_its_charts_and_passes_axe(
    name, app_server, page, store, wait_for_app, wait_for_charts, screenshot, axe
):
    path, heading, charts = PAGES[name]
    base_url = app_server(store, env=SERVER_ENV)
    _open(page, base_url, path, wait_for_app, wait_for_charts, charts)

    assert not page.locator('[data-testid="stException"]').count(), f"{name} shows an exception"
    assert page.locator("h1").count() == 1, "one level-1 heading"
    assert page.locator("h1").first.inner_text().strip() == heading
    levels = _headings(page)
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert levels[0] == 1 and not jumps, f"headings out of order: {levels}"
    if charts:
        drawn = page.locator(".js-plotly-plot svg.main-svg").count()
        assert drawn >= charts, f"{name}: {drawn} Plotly SVGs drawn, expected at least {charts}"
    assert "Data as at 31 October 2026" in _main_text(page)
    if name in PAGE_CHECKS:
        PAGE_CHECKS[name](page, store)
    shot = screenshot(page, f"page-{name}")
    assert shot.stat().st_size > 10_000

    _open_expanders(page)
    violations = axe(page)
    print(f"axe-core on {name} ({path}): {len(violations)} violation(s)\n{axe.describe(violations)}")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe-core found serious or critical problems on {name}:\n{axe.describe(serious)}"

    # The same page on a phone, for people to look at: nothing may be wider than the screen.
    page.set_viewport_size(PHONE)
    _fits_the_width(page)
    assert screenshot(page, f"page-{name}-390").stat().st_size > 10_000
    if name == "overview":
        _first_screen_at_320(page)


def _first_screen_at_320(page) -> None:
    """On a 320 by 700 px phone, both headline verdicts (symbol and words) are on the first screen."""
    page.set_viewport_size(SMALL)
    _fits_the_width(page)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    status = page.locator(".st-key-headline_status")
    box = status.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= SMALL["height"], (
        f"below the first screen: {box}"
    )
    text = status.inner_text().replace("\u2060", "")
    for line in (
        "✖ Off track: Affordable share of homes in SCF schemes",
        "★ Target met: Jobs and Skills Academy",
    ):
        assert line in text, text
    (ROOT / "screenshots").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "screenshots" / "page-overview-320x700-first-screen.png"))


@pytest.mark.browser
def test_choosing_a_theme_with_the_keyboard_updates_the_address(
    app_server, page, store, wait_for_app, wait_for_charts
):
    base_url = app_server(store, env=SERVER_ENV)
    _open(page, base_url, "/Theme?theme=affordable_housing", wait_for_app, wait_for_charts, 0)
    box = page.locator('[data-testid="stSelectbox"] input').first
    box.focus()
    page.keyboard.type("Job creation")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('theme=job_creation')", timeout=30_000)
    wait_for_app(page, timeout_ms=60_000)
    page.wait_for_function(
        "() => document.querySelector('h1') && document.querySelector('h1').innerText.includes('Job creation')",
        timeout=30_000,
    )
    assert "Theme: Job creation" in page.locator("h1").first.inner_text()


@pytest.mark.browser
def test_keyboard_alone_reaches_the_menu_the_theme_choice_and_an_indicator(
    app_server, browser, store, wait_for_app
):
    """WCAG 2.1.1: with Tab and Enter only, a reader can move between pages and open an indicator."""
    base_url = app_server(store, env=SERVER_ENV)
    # A page of its own at a laptop's size: other tests stretch theirs for full-page screenshots.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()

    def ready() -> None:
        wait_for_app(page, timeout_ms=90_000)
        page.get_by_role("link", name="Overview").wait_for(timeout=60_000)
        page.get_by_label("Choose a theme").first.wait_for(timeout=60_000)
        page.locator('a[href*="indicator="]').first.wait_for(timeout=60_000)

    page.goto(base_url + "/Theme?theme=skills_equity")
    ready()
    page.evaluate("() => { if (document.activeElement) document.activeElement.blur(); }")
    reached: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return (e.getAttribute('aria-label') || e.innerText || e.getAttribute('href') || e.tagName)"
                ".trim().slice(0, 80); }"
            )
        )
    text = "\n".join(reached)
    for wanted in ("Overview", "Indicators", "Upload history"):
        assert wanted in text, f"Tab never reached the menu link {wanted!r}; reached:\n{text}"
    assert "Choose a theme" in text, f"the theme choice was not reached:\n{text}"
    assert "Status history for action SE1" in text, "the status histories were not reached"
    # Tab on to the first link to an indicator and follow it with Enter.
    page.goto(base_url + "/Theme?theme=skills_equity")
    ready()
    page.evaluate("() => { if (document.activeElement) document.activeElement.blur(); }")
    for _ in range(120):
        page.keyboard.press("Tab")
        href = page.evaluate("() => document.activeElement.getAttribute('href') || ''")
        if "indicator=" in href:
            break
    else:
        pytest.fail("Tab never reached a link to an indicator on the Theme page")
    page.keyboard.press("Enter")
    page.wait_for_url("**/Indicator?indicator=*", timeout=30_000)
    wait_for_app(page, timeout_ms=90_000)
    assert page.locator("h1").count() == 1
    context.close()
