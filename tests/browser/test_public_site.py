"""The public release in a real browser, served as any web server would serve it: every page passes axe
(WCAG 2.2 A and AA), fits a 320 px screen without sideways scrolling, and can be used by keyboard.

The site is built once from the sample store (illustrative data included, so every page has content)
and served by Python's http.server on loopback. Each page is visited once per width, with every check
made on that one visit. Screenshots of the home, a theme and an indicator page at 1366 and 390 px go
to screenshots/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from metrics.publish import publish

pytestmark = pytest.mark.browser

RELEASE = dt.datetime(2026, 11, 26, 9, 30)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_WCAG_JS = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
  }));
}"""
SHOTS = ("index.html", "themes/affordable_housing.html", "indicators/affordable_housing_share_scf.html")


@pytest.fixture(scope="module")
def site(sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    import shutil

    work = tmp_path_factory.mktemp("public")
    store = work / "kpi.duckdb"
    shutil.copyfile(sample_template, store)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KPI_TODAY", "2026-11-26")
        mp.setenv("KPI_NOW", "2026-11-26T09:00:00")
        publish(work / "site", db=store, release_time=RELEASE, include_illustrative=True)
    root = work / "site"
    pages = sorted(str(p.relative_to(root)) for p in root.rglob("*.html"))
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", pages
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.mark.parametrize("width", [1280, 320])
def test_every_page_passes_axe_and_fits_the_width(width, site, browser, axe_script, screenshot):
    base, pages = site
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="en-GB", java_script_enabled=True
    )
    page = context.new_page()
    problems = []
    try:
        for path in pages:
            response = page.goto(f"{base}/{path}")
            assert response is not None and response.ok, path
            page.add_script_tag(path=str(axe_script))
            for v in page.evaluate(AXE_WCAG_JS, WCAG_TAGS):
                if v["impact"] in ("serious", "critical"):
                    where = "; ".join(n["target"] for n in v["nodes"][:3])
                    problems.append(f"{path} at {width}px: [{v['impact']}] {v['id']}: {v['help']} ({where})")
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{path} at {width}px: the page scrolls sideways by {overflow}px")
            if path in SHOTS:
                shot_width = 1366 if width == 1280 else 390
                page.set_viewport_size({"width": shot_width, "height": 900})
                screenshot(page, f"public-{path.replace('/', '-')}-{shot_width}")
                page.set_viewport_size({"width": width, "height": 900})
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_the_site_reads_without_javascript_and_every_focus_is_visible_by_keyboard(site, browser):
    base, _ = site
    context = browser.new_context(viewport={"width": 390, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{base}/indicators/affordable_housing_share_scf.html")
        # Without JavaScript the verdict, the chart (with its words) and the tables are all there.
        assert "Off track" in page.inner_text(".verdict-box")
        assert page.locator("svg[role=img] title").count() == 1
        assert page.locator("table").count() >= 3
        page.keyboard.press("Tab")
        first = page.evaluate("() => document.activeElement.textContent")
        assert first == "Skip to main content"
        seen = 0
        for _ in range(25):
            style = page.evaluate(
                """() => { const e = document.activeElement; const s = getComputedStyle(e);
                   const r = e.getBoundingClientRect();
                   return {tag: e.tagName, bg: s.backgroundColor, outline: s.outlineStyle, shadow: s.boxShadow,
                           onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.left < window.innerWidth}; }"""
            )
            if style["tag"] == "BODY":
                break
            seen += 1
            assert style["onScreen"], style
            # GOV.UK focus: yellow (#ffdd00) behind a link, or an outline and dark ring on a scrolling table.
            assert (
                style["bg"] == "rgb(255, 221, 0)" or style["outline"] != "none" or style["shadow"] != "none"
            ), style
            page.keyboard.press("Tab")
        assert seen >= 10
    finally:
        context.close()
