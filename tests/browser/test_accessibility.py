"""WCAG 2.2 AA on every page and on the states that matter, in a real browser, at 1280 and 320 px wide.

One visit per page or state (VISITS), and every check made in that visit, because a visit
takes seconds: the tab's title; axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA tags, failing
on any serious or critical finding, and axe's landmark rules, failing on any finding (the footer is a
top-level contentinfo), at a laptop's width and again at a small phone's (320 px);
a keyboard run at both widths (Tab through the page: every focused element must be on the
screen and show a focus indicator that contrasts with white, none of it off-screen, as the
phone's hidden menu once was); text spacing (WCAG 1.4.12: line height 1.5, letters 0.12em,
words 0.16em, paragraphs 2em) with nothing cut off, and every chart's key (SVG, which the cut-off
check passes over) still whole at 1280 and 320 px; and screenshots at 1280, 390 and 320 px
(screenshots/a11y-*.png) for people to look at. The Indicator visit also checks text-only
200% zoom keeps the status word in the "Latest position" cards and that the trend's alt text is given
once, copied from the keyboard by its button; the About visit that the reporting
status is a table of eight headed columns at 1280 px and a card an indicator at 320 px.

The states: the Upload page after a failed check (title starts "Error: ", focus on the error
summary) and after a clean check (focus on the result), and the Indicator page with a
breakdown chosen (its title names the indicator).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from metrics.catalogue import default_catalogue

KPI = Path(sys.executable).parent / "kpi"
TODAY = "2026-11-26"
SERVER_ENV = {"KPI_TODAY": TODAY, "KPI_NOW": f"{TODAY}T09:00:00"}
SUFFIX = " - Equity and Inclusion Scheme 2022-24: Objective 2"
CAT = default_catalogue()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe's landmark rules (best practice, not WCAG tags, "moderate"): run as well, and any finding fails, so the
# page keeps one main, one top-level banner and contentinfo, and landmarks a screen reader can tell apart.
LANDMARK_RULES = [
    "landmark-banner-is-top-level",
    "landmark-complementary-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-one-main",
    "landmark-unique",
]
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SMALL = {"width": 320, "height": 700}
MAX_TABS = 90

BAD = b"indicator_id,period,geography,value,note\nhouseholds_temporary_accommodation,Q2 2026,Brum,lots,\n"
CLEAN = (
    b"indicator_id,period,geography,value,note\n"
    b"households_temporary_accommodation,2026-27 Q2,Dudley,4100,\n"
    b"jobs_created_wmca_investment,2026-27 Q2,Coventry,41,\n"
)

# name: (path, the tab's title before the suffix, a file to choose on the Upload page or None)
VISITS = {
    "overview": ("/", "Overview", None),
    "theme": ("/Theme?theme=affordable_housing", "Theme: Affordable housing provision", None),
    "indicator-breakdown": (
        "/Indicator?indicator=apprenticeship_starts&geography=E08000025&breakdown=sex%3DFemale",
        CAT.indicator("apprenticeship_starts").name,
        None,
    ),
    "indicator-schemes": (
        "/Indicator?indicator=affordable_housing_share_scf",
        CAT.indicator("affordable_housing_share_scf").name,
        None,
    ),
    # England's and the region's lines and bars, and Coventry beside its neighbours with their intervals.
    "indicator-context": (
        "/Indicator?indicator=employment_rate_16_64&geography=E08000026",
        CAT.indicator("employment_rate_16_64").name,
        None,
    ),
    "about": ("/About_the_data", "About the data", None),
    "upload": ("/Upload", "Upload", None),
    "upload-failed": ("/Upload", "Error: Upload quarterly figures", BAD),
    "upload-clean": ("/Upload", "Upload", CLEAN),
    "history": ("/Upload_history", "Upload history", None),
    "export": ("/Export", "Export", None),
    "accessibility": ("/Accessibility", "Accessibility statement", None),
}


@pytest.fixture(scope="module")
def base_url(app_server, tmp_path_factory) -> str:
    db = tmp_path_factory.mktemp("a11y-store") / "kpi.duckdb"
    done = subprocess.run(
        [str(KPI), "init", "--db", str(db)], capture_output=True, text=True, timeout=300, env=_env()
    )
    assert done.returncode == 0, done.stderr
    return app_server(db, env=SERVER_ENV)


def _env() -> dict[str, str]:
    import os

    return {**os.environ, **SERVER_ENV}


# --- what each check runs in the page ---------------------------------------------------------------------

AXE_JS = """async ([tags, rules]) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, rules: Object.fromEntries(rules.map(r => [r, {enabled: true}])),
    resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
  }));
}"""

# The focused element, where it is, and whether it (or the label or box drawn round it) shows a focus
# indicator with 3:1 against white: an outline, a ring (box-shadow) or GOV.UK's yellow with a black bar.
FOCUS_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const lum = c => { const m = (c || '').match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); if (p.length > 3 && p[3] === 0) return null;
    const ch = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * ch(p[0]) + 0.7152 * ch(p[1]) + 0.0722 * ch(p[2]); };
  const ratio = c => { const l = lum(c); return l === null ? 0 : 1.05 / (l + 0.05); };
  const shown = el => { const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? ratio(s.outlineColor) : 0;
    const ring = s.boxShadow && s.boxShadow !== 'none'
      ? Math.max(0, ...(s.boxShadow.match(/rgba?\\([^)]+\\)/g) || []).map(ratio)) : 0;
    return Math.max(outline, ring); };
  let best = 0, el = e;
  for (let i = 0; el && i < 4; i++, el = el.parentElement) best = Math.max(best, shown(el));
  const grid = e.closest('[data-testid="stDataFrame"]');  // the grid's cells are rung as one
  if (grid) best = Math.max(best, shown(grid));
  // A data grid's selected cell is focused as a table cell inside its canvas (fallback content, no box of
  // its own): the canvas draws that cell and its focus, so the canvas's box is where the focus shows.
  const r = (e.closest('canvas') || e).getBoundingClientRect();
  const label = (e.getAttribute('aria-label') || e.innerText || e.getAttribute('href') || e.tagName)
    .trim().replace(/\\s+/g, ' ').slice(0, 70);
  return {label, tag: e.tagName, contrast: best,
          onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
                    && r.left < innerWidth && r.top < innerHeight,
          inSidebar: !!e.closest('[data-testid="stSidebar"]'),
          key: e.tagName + '|' + label + '|' + Math.round(r.left) + ',' + Math.round(r.top + scrollY)};
}"""

SPACING_CSS = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }"""

# Text cut off: an HTML element holding text of its own that is wider or taller than its box while its
# overflow is hidden (or ends in an ellipsis). Charts' SVG and the data grid's canvas are not HTML text.
CUT_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('[data-testid="stApp"] *')) {
    if (el.closest('svg, canvas, [data-testid="stDataFrame"], [data-testid="stSidebarCollapsedControl"]')) continue;
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.offsetParent === null) continue;
    const s = getComputedStyle(el);
    const clips = /(hidden|clip)/.test(s.overflowX + s.overflowY) || s.textOverflow === 'ellipsis';
    if (!clips || (el.clientWidth <= 2 && el.clientHeight <= 2)) continue;  // a visually hidden label
    if (el.scrollWidth > el.clientWidth + 2 || el.scrollHeight > el.clientHeight + 2)
      out.push(el.tagName + ' "' + el.textContent.trim().slice(0, 60) + '" ' + el.scrollWidth + 'x'
               + el.scrollHeight + ' in ' + el.clientWidth + 'x' + el.clientHeight);
  }
  return out;
}"""


# A chart's key after the reader's text spacing: CUT_JS passes over SVG, and Plotly places the key's entries
# once, by the width their names had when drawn. Every entry (symbol and name) must stay inside the key's
# box and the chart, no two entries may overlap, and the key must not run into the plot or the title.
KEY_JS = """() => {
  const box = el => el.getBoundingClientRect();
  const union = rs => rs.reduce((a, r) => ({left: Math.min(a.left, r.left), right: Math.max(a.right, r.right),
                                            top: Math.min(a.top, r.top), bottom: Math.max(a.bottom, r.bottom)}));
  const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const meet = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
                         && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const problems = [];
  let keys = 0;
  for (const plot of document.querySelectorAll('[data-testid="stApp"] .js-plotly-plot')) {
    if (plot.offsetParent === null) continue;
    const chart = box(plot.querySelector('svg.main-svg'));
    const title = plot.querySelector('.g-gtitle');
    const area = plot.querySelector('.draglayer .nsewdrag');
    for (const key of plot.querySelectorAll('g.legend')) {
      keys += 1;
      const frame = box(key.querySelector('rect.bg'));
      const entries = Array.from(key.querySelectorAll('g.traces')).map(t => ({
        name: t.textContent.trim().slice(0, 50),
        box: union([t.querySelector('.legendpoints'), t.querySelector('text.legendtext')]
                   .filter(Boolean).map(box).filter(r => r.width > 0 || r.height > 0))}));
      for (const e of entries) {
        if (!inside(e.box, frame)) problems.push(`"${e.name}" runs out of the key`);
        if (!inside(e.box, chart)) problems.push(`"${e.name}" runs out of the chart`);
      }
      entries.forEach((a, i) => entries.slice(i + 1).forEach(b => {
        if (meet(a.box, b.box)) problems.push(`"${a.name}" overlaps "${b.name}"`);
      }));
      if (area && meet(frame, box(area))) problems.push('the key overlaps the plot');
      if (title && title.getBBox().height && meet(frame, box(title))) problems.push('the key overlaps the title');
    }
    // The title, subtitle and every note (the source line, labels) keep inside the chart too: Plotly
    // draws each line as it is given, so a line that only just fitted would run off the figure.
    for (const text of plot.querySelectorAll('.g-gtitle text, .infolayer .annotation text')) {
      const r = box(text);
      if ((r.width || r.height) && (r.left < chart.left - 1 || r.right > chart.right + 1))
        problems.push(`"${text.textContent.trim().slice(0, 50)}" runs out of the chart`);
    }
  }
  return {keys, problems};
}"""


# The About page's reporting status (eight columns): a table with its headers on a laptop, a card an
# indicator on a phone (ui.widgets.table_or_cards), with the one not shown taking no part in the page.
STATUS_JS = """() => {
  const shown = el => !!el && el.offsetParent !== null;
  const table = document.querySelector('.st-key-tablewide_reporting_status');
  const cards = document.querySelector('.st-key-tablecards_reporting_status');
  const wider = Array.from(cards ? cards.querySelectorAll('*') : [])
    .filter(el => shown(el) && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible');
  return {table: shown(table), headers: table ? table.querySelectorAll('table thead th').length : 0,
          cards: shown(cards), headings: cards ? cards.querySelectorAll('li > h3').length : 0,
          cardsRight: cards ? cards.getBoundingClientRect().right : 0, scrolling: wider.length};
}"""


def _axe(page, axe_script: Path) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    return page.evaluate(AXE_JS, [WCAG_TAGS, LANDMARK_RULES])


def _serious(page, axe_script: Path, describe, where: str) -> list[str]:
    """axe's serious and critical findings, and any landmark finding whatever its impact."""
    found = [
        v
        for v in _axe(page, axe_script)
        if v["impact"] in ("serious", "critical") or v["id"] in LANDMARK_RULES
    ]
    return [f"axe at {where}:\n{describe(found)}"] if found else []


def _footer_landmark(page, where: str) -> list[str]:
    """The footer as a screen reader meets it (Chromium's accessibility tree, which axe does not read): one
    contentinfo, inside no other landmark, holding the link to the accessibility statement."""
    nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    by_id = {n["nodeId"]: n for n in nodes}

    def role(node: dict) -> str:
        return node.get("role", {}).get("value", "")

    def inside(node: dict) -> list[str]:
        out, up = [], node.get("parentId")
        while up in by_id:
            if role(by_id[up]) in ("main", "navigation", "region", "banner", "complementary", "contentinfo"):
                out.append(role(by_id[up]))
            up = by_id[up].get("parentId")
        return out

    def names(node: dict) -> list[str]:
        found, todo = [], list(node.get("childIds", []))
        while todo:
            child = by_id.get(todo.pop())
            if child is not None:
                found += [child.get("name", {}).get("value", "")] if role(child) == "link" else []
                todo += child.get("childIds", [])
        return found

    infos = [n for n in nodes if role(n) == "contentinfo" and not n.get("ignored")]
    if len(infos) != 1:
        return [f"{where}: {len(infos)} contentinfo landmarks, not one"]
    problems = [f"{where}: the contentinfo is inside {p}" for p in inside(infos[0])]
    if "Accessibility statement" not in names(infos[0]):
        problems.append(
            f"{where}: the contentinfo does not hold the footer's link to the accessibility statement"
        )
    return problems


def _keyboard(page, where: str) -> list[str]:
    """Tab from the top of the page through every stop (up to MAX_TABS); the problems found."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    problems, seen = [], []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_JS)
        if stop is None:
            continue
        if seen and stop["key"] == seen[0]:
            break  # round to the first stop again
        seen.append(stop["key"])
        if not stop["onScreen"]:
            problems.append(f"{where}: focus off the screen on {stop['tag']} {stop['label']!r}")
        elif stop["contrast"] < 3:
            problems.append(
                f"{where}: no focus indicator with 3:1 on {stop['tag']} {stop['label']!r} "
                f"(best {stop['contrast']:.2f}:1)"
            )
    assert seen, f"{where}: Tab reached nothing"
    return problems


def _keys(page, name: str, where: str) -> list[str]:
    """The charts' keys after text spacing (KEY_JS); the Indicator page's trend chart always has one."""
    found = page.evaluate(KEY_JS)
    if name.startswith("indicator"):
        assert found["keys"] >= 1, f"{name} {where}: no chart key was checked"
    return [f"{name} {where} text spacing: in a chart, {p}" for p in found["problems"]]


def _copy_alt_text(page, where: str) -> list[str]:
    """The trend's fold gives its alt text once: it names the chart description above and copies it with a
    button, used here from the keyboard, that says it did (a status message a screen reader announces)."""
    fold = page.locator(".st-key-trend_export_buttons")
    fold.locator("summary").click()
    fold.get_by_role("button", name="Copy the alt text").focus()
    page.keyboard.press("Enter")
    status = fold.get_by_role("status")
    status.filter(has_text="Copied.").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    shown = page.locator(".st-key-description_trend").inner_text().replace("\u2060", "")
    if shown != f"Chart description: {copied}":
        return [f"{where}: the alt text copied is not the chart description shown:\n{copied}\n{shown}"]
    if copied in fold.inner_text():
        return [f"{where}: the fold shows the alt text a second time"]
    return []


def _open(page, url: str, wait_for_app) -> None:
    page.goto(url)
    wait_for_app(page, timeout_ms=90_000)


def _settle(page) -> None:
    """Two animation frames: the page laid out again at a new size or style (a condition, not a sleep)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _choose(page, after_rerun, data: bytes) -> None:
    after_rerun(
        page,
        lambda: page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": "return.csv", "mimeType": "text/csv", "buffer": data}]
        ),
    )


def _charts_drawn(page) -> None:
    """Every chart on the page drawn in the layout the width shows (the other is hidden)."""
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('[class*="st-key-wide_"], [class*="st-key-narrow_"]'))
              .filter(c => c.offsetParent !== null)
              .every(c => c.querySelector('.js-plotly-plot svg.main-svg'))"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("name", list(VISITS))
def test_page_meets_wcag_22_aa_at_1280_and_320_px(
    name, base_url, browser, axe_script, wait_for_app, after_rerun, screenshot, axe
):
    path, title, upload = VISITS[name]
    started = time.monotonic()
    context = browser.new_context(viewport=WIDE, locale="en-GB", timezone_id="Europe/London")
    context.grant_permissions(["clipboard-read", "clipboard-write"])  # the copy button's result is read back
    context.set_default_timeout(60_000)
    page = context.new_page()
    problems: list[str] = []
    try:
        _open(page, base_url + path, wait_for_app)
        if upload is not None:
            _choose(page, after_rerun, upload)
            key = "upload_summary" if name == "upload-failed" else "upload_result"
            page.wait_for_function(
                "k => document.activeElement && document.activeElement.closest('.st-key-' + k)", arg=key
            )
        _charts_drawn(page)

        # The tab's title says where the reader is, and "Error: " while the page reports a problem.
        assert page.title() == title + SUFFIX, page.title()

        problems += _serious(page, axe_script, axe.describe, f"{name} 1280 px")
        problems += _footer_landmark(page, f"{name} 1280 px")
        problems += _keyboard(page, f"{name} 1280 px")
        screenshot(page, f"a11y-{name}-1280")
        if name == "indicator-schemes":
            problems += _copy_alt_text(page, f"{name} 1280 px")
        if name == "about":  # the reporting status is a table of eight headed columns, the cards not shown
            status = page.evaluate(STATUS_JS)
            assert status["table"] and status["headers"] == 8 and not status["cards"], status

        # Text spacing (1.4.12): nothing cut off.
        page.add_style_tag(content=SPACING_CSS)
        _settle(page)
        cut = page.evaluate(CUT_JS)
        problems += [f"{name} text spacing: cut {c}" for c in cut]
        problems += _keys(page, name, "1280 px")
        if name == "indicator-schemes":
            # Text-only zoom to 200%: the status word stays in the "Latest position" cards.
            page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
            _settle(page)
            values = page.locator('[data-testid="stMetricValue"]')
            assert "Off track" in values.all_inner_texts()[2]
            problems += [f"{name} 200% text: cut {c}" for c in page.evaluate(CUT_JS)]
        page.reload()
        wait_for_app(page, timeout_ms=90_000)
        if upload is not None:
            _choose(page, after_rerun, upload)

        for size, label in ((PHONE, "390"), (SMALL, "320")):
            page.set_viewport_size(size)
            page.wait_for_function(
                """() => { const m = document.querySelector('[data-testid="stSidebar"]');
                           if (!m) return true;
                           if (m.getAnimations({subtree: true}).some(a => a.playState === 'running')) return false;
                           return m.getBoundingClientRect().right <= 0 || getComputedStyle(m).visibility === 'hidden'; }"""
            )
            _charts_drawn(page)
            _settle(page)
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            if wide > size["width"]:
                problems.append(f"{name} {label} px: the page scrolls sideways ({wide} px wide)")
            screenshot(page, f"a11y-{name}-{label}")
        if name == "about":  # at 320 px: a card an indicator, inside the screen, nothing scrolling sideways
            status = page.evaluate(STATUS_JS)
            assert status["cards"] and not status["table"], status
            assert status["headings"] == len(CAT.indicators) and status["cardsRight"] <= SMALL["width"], (
                status
            )
            assert status["scrolling"] == 0, status
        problems += _serious(page, axe_script, axe.describe, f"{name} 320 px")
        problems += _keyboard(page, f"{name} 320 px")
        # Text spacing on the phone's layout too, where the key has the least room.
        page.add_style_tag(content=SPACING_CSS)
        _settle(page)
        problems += _keys(page, name, "320 px")
    finally:
        context.close()
        print(f"{name}: {time.monotonic() - started:.1f} s")
    assert not problems, "\n".join(problems)
