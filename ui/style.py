"""What every page adds to Streamlit's own markup so it meets WCAG 2.2 AA on a laptop and a phone.

Two parts, both constant (no text from users or uploads ever goes into them):

- PAGE_STYLE, a style sheet: GOV.UK's focus style on everything that takes focus, links that look
  like links, text that wraps instead of being cut, targets of at least 24 by 24 px, and the
  switch between a chart's laptop and phone layouts (ui.widgets.chart sends both), and between a wide
  table and its cards (ui.widgets.table_or_cards).
- PAGE_SCRIPT, a small script for what CSS cannot do in markup Streamlit draws: landmarks (the
  menu as navigation, the footer as the top-level contentinfo), a name for each progress bar, a Tab stop on
  each table area that scrolls (Streamlit's tables and ui.widgets.html_table's), and moving focus
  to a result when a page asks (frame.focus_here).

The script runs once per browser tab and then watches the page, because Streamlit redraws parts
of the page after every run; everything it does is safe to do again. Its comments name no tag in angle
brackets: one such word in a comment was enough for the script not to run at all.
"""

from __future__ import annotations

# GOV.UK's focus style: yellow (#ffdd00) with a near-black (#0b0c0c) bar or ring, so the indicator has
# at least 3:1 against white, against the sidebar's grey and against the yellow itself. Links get the
# yellow background and a black underline bar; everything else a yellow ring inside a black one.
FOCUS_YELLOW = "#ffdd00"
FOCUS_BLACK = "#0b0c0c"
PHONE_MAX_PX = 640  # Streamlit stacks columns below this width too

PAGE_STYLE = f"""<style>
/* ---- Focus: visible on every control, 3:1 against white and against the yellow ---- */
[data-testid="stApp"] :is(*, button, input, textarea, select, summary, [tabindex], [role="spinbutton"],
    [contenteditable="true"]):focus-visible {{
    outline: 3px solid {FOCUS_YELLOW} !important;
    outline-offset: 0 !important;
    box-shadow: 0 0 0 6px {FOCUS_BLACK} !important;
}}
[data-testid="stApp"] a:focus-visible {{
    outline: 3px solid transparent !important;
    background-color: {FOCUS_YELLOW} !important;
    box-shadow: 0 -2px {FOCUS_YELLOW}, 0 4px {FOCUS_BLACK} !important;
    text-decoration: none !important;
}}
[data-testid="stApp"] a:focus-visible, [data-testid="stApp"] a:focus-visible * {{ color: {FOCUS_BLACK} !important; }}
/* Radio buttons, checkboxes and toggles hide their input: the ring goes round the visible label. */
[data-testid="stApp"] label:has(input:focus-visible) {{
    outline: 3px solid {FOCUS_YELLOW} !important;
    box-shadow: 0 0 0 6px {FOCUS_BLACK} !important;
    border-radius: 2px;
}}
/* A select box's input is a sliver inside the box: ring the box itself. */
[data-testid="stApp"] [data-baseweb="select"]:has(input:focus-visible) > div {{
    outline: 3px solid {FOCUS_YELLOW} !important;
    box-shadow: 0 0 0 6px {FOCUS_BLACK} !important;
}}
[data-testid="stApp"] [data-baseweb="select"] input:focus-visible {{ outline: none !important; box-shadow: none !important; }}
/* The data grid draws on a canvas and moves focus among hidden cells: ring the whole grid instead. */
[data-testid="stApp"] [data-testid="stDataFrame"]:focus-within {{
    outline: 3px solid {FOCUS_YELLOW} !important;
    box-shadow: 0 0 0 6px {FOCUS_BLACK} !important;
}}
/* The file chooser's own button, and a tab, keep the ring inside the page's edges. */
[data-testid="stApp"] [role="tab"]:focus-visible {{ outline-offset: -3px !important; }}

/* ---- Links look like links (WCAG 1.4.1); captions in GOV.UK secondary text (7:1) ---- */
[data-testid="stPageLink"] a, [data-testid="stPageLink-NavLink"] {{ text-decoration: underline; }}
[data-testid="stPageLink"] a p, [data-testid="stPageLink-NavLink"] p {{ color: #1d70b8; font-size: 1rem; }}
[data-testid="stSidebar"] [data-testid="stPageLink"] a p,
[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"] p {{ color: #003078; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{
    color: #505a5f !important; opacity: 1 !important;
}}
/* Verdict symbols (◑ ★ ✖ ...) are not in Streamlit's Source Sans. Left to the browser's own sans-serif
   they can shrink to a sliver (Liberation Sans draws ◑ as a dot), so name fonts that draw them whole. */
[data-testid="stMain"] :is(p, li, td, th, [data-testid="stMetricValue"], [data-testid="stMetricValue"] div) {{
    font-family: "Source Sans", "Source Sans Pro", "DejaVu Sans", "Segoe UI Symbol", "Apple Symbols", sans-serif;
}}

/* ---- Text wraps instead of being cut: links, buttons, tabs, metric values (1.4.4, 1.4.10, 1.4.12) ---- */
[data-testid="stPageLink-NavLink"], [data-testid="stPageLink-NavLink"] *,
[data-testid="stApp"] [data-testid^="stBaseButton"], [data-testid="stApp"] [data-testid^="stBaseButton"] *,
[data-testid="stDownloadButton"] button, [data-testid="stDownloadButton"] button *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] *,
[data-testid="stExpander"] summary, [data-testid="stExpander"] summary *, [role="tab"] p {{
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
    height: auto !important; max-height: none !important; overflow-wrap: anywhere;
}}
[data-testid="stApp"] [data-testid^="stBaseButton"], [data-testid="stDownloadButton"] button {{
    min-height: 2.5rem; text-align: left;
}}

/* A table cell's text never scrolls on its own (Chromium gives every scrolling box a Tab stop). */
[data-testid="stTable"] :is(td, th) [data-testid="stMarkdownContainer"] {{ overflow: visible !important; }}

/* ---- Plain HTML tables of uploaded text (ui.widgets.problem_table): every cell wraps, even one very long
   word, so a message is read in full at 320 px; a table still too wide scrolls in its own region ---- */
.kpi-table-scroll {{ position: relative; max-width: 100%; overflow-x: auto; margin-bottom: 1rem; }}
.kpi-table {{ border-collapse: collapse; width: 100%; font-size: 1rem; line-height: 1.4; }}
.kpi-table :is(th, td) {{
    text-align: left; vertical-align: top; padding: 0.5rem 0.75rem 0.5rem 0;
    border-bottom: 1px solid #b1b4b6; overflow-wrap: break-word; white-space: normal;
}}
.kpi-table th {{ font-weight: 700; }}
.kpi-table td.kpi-raw {{ overflow-wrap: anywhere; }}
@media (max-width: {PHONE_MAX_PX}px) {{ .kpi-table :is(th, td) {{ padding-right: 0.5rem; }} }}
.kpi-table :is(th, td):last-child {{ padding-right: 0; }}
/* GOV.UK's visually hidden text: read by a screen reader (the table's caption), not drawn. */
.kpi-visually-hidden {{
    position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important;
    padding: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important;
    clip-path: inset(50%) !important; border: 0 !important; white-space: nowrap !important;
}}

/* ---- A wide table on a phone (ui.widgets.table_or_cards): its rows as cards, one fact a line ---- */
[data-testid="stMain"] .kpi-cards {{ list-style: none; margin: 0 0 1rem !important; padding: 0 !important; }}
[data-testid="stMain"] .kpi-card {{ border-top: 1px solid #b1b4b6; margin: 0 !important; padding: 0.625rem 0 0.5rem; }}
[data-testid="stMain"] .kpi-card:last-child {{ border-bottom: 1px solid #b1b4b6; }}
[data-testid="stMain"] .kpi-card .kpi-card-title {{
    font-size: 1.125rem !important; font-weight: 700; line-height: 1.3; margin: 0 0 0.25rem; padding: 0;
}}
[data-testid="stMain"] .kpi-facts {{ margin: 0 !important; padding: 0 !important; line-height: 1.4; }}
[data-testid="stMain"] .kpi-facts div {{ margin: 0 0 0.125rem; }}
[data-testid="stMain"] .kpi-facts dt {{ display: inline; font-weight: 700; }}
[data-testid="stMain"] .kpi-facts dt::after {{ content: ": "; }}
[data-testid="stMain"] .kpi-facts dd {{ display: inline; margin: 0 !important; padding: 0; overflow-wrap: break-word; }}
@media (max-width: {PHONE_MAX_PX}px) {{ [class*="st-key-tablewide_"] {{ display: none !important; }} }}
@media (min-width: {PHONE_MAX_PX + 1}px) {{ [class*="st-key-tablecards_"] {{ display: none !important; }} }}

/* ---- A copy button (ui.exports.copy_button), drawn like Streamlit's own secondary buttons ---- */
.kpi-copy {{ display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; margin: 0.25rem 0 0.5rem; }}
.kpi-copy-button {{
    font: inherit; font-size: 0.875rem; color: #0b0c0c; background: #ffffff; border: 1px solid #6f777b;
    border-radius: 0.5rem; min-height: 2.5rem; padding: 0.375rem 0.75rem; cursor: pointer; text-align: left;
}}
.kpi-copy-button:hover {{ background: #f3f2f1; }}

/* ---- Targets of at least 24 by 24 px (2.5.8): the date field's day, month and year ---- */
[data-testid="stDateInputField"] [role="spinbutton"] {{
    display: inline-flex; align-items: center; justify-content: center; min-width: 24px; min-height: 24px;
}}

/* ---- A hidden menu takes no Tab stops: Streamlit only slides it off the screen ---- */
[data-testid="stSidebar"][data-collapsed="true"], [data-testid="stSidebar"][aria-expanded="false"] {{
    visibility: hidden;
}}

/* ---- The page's script and focus markers take no room ---- */
.st-key-kpi_page_script, [class*="st-key-kpi_focus_"] {{ display: none !important; }}

/* ---- Charts: the laptop layout, or the phone layout on a narrow screen (ui.widgets.chart) ---- */
@media (max-width: {PHONE_MAX_PX}px) {{
    [class*="st-key-wide_"] {{ display: none !important; }}
    /* Headings sized for a phone, so the verdict is on the first screen and long words are not broken. */
    [data-testid="stMain"] h1 {{ font-size: 1.75rem !important; line-height: 1.25 !important; }}
    [data-testid="stMain"] h2 {{ font-size: 1.4rem !important; }}
    [data-testid="stMain"] h3 {{ font-size: 1.2rem !important; }}
    [data-testid="stMain"] :is(h1, h2, h3) {{ overflow-wrap: normal; hyphens: auto; }}
    [data-testid="stMainBlockContainer"] {{ padding-top: 3.5rem !important; }}
}}
@media (min-width: {PHONE_MAX_PX + 1}px) {{
    [class*="st-key-narrow_"] {{ display: none !important; }}
}}
</style>"""

PAGE_SCRIPT = """<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView || window;
  if (win.__kpiPage) { win.__kpiPage(); return; }
  let focused = '';
  const fix = () => {
    // The menu as a navigation landmark, the footer as the page's contentinfo.
    const nav = doc.querySelector('.st-key-site_navigation');
    if (nav && nav.getAttribute('role') !== 'navigation') {
      nav.setAttribute('role', 'navigation');
      nav.setAttribute('aria-label', 'Dashboard pages');
    }
    // Streamlit draws all a page writes inside its main element, and a contentinfo inside it is not the page's
    // footer (axe: landmark-contentinfo-is-top-level). So a landmark outside the app, the last thing in the
    // body, takes the footer as its own (aria-owns): a screen reader meets it after the main content, where
    // it is drawn, and main no longer holds it. Without a footer on the page there is no contentinfo.
    const foot = doc.querySelector('.st-key-site_footer');
    let info = doc.getElementById('kpi-contentinfo');
    if (foot) {
      if (foot.id !== 'kpi-site-footer') foot.id = 'kpi-site-footer';
      if (foot.hasAttribute('role')) foot.removeAttribute('role');
      if (!info) {
        info = doc.createElement('div');
        info.id = 'kpi-contentinfo';
        info.setAttribute('role', 'contentinfo');
        doc.body.appendChild(info);
      }
      if (info.getAttribute('aria-owns') !== 'kpi-site-footer') info.setAttribute('aria-owns', 'kpi-site-footer');
    } else if (info) {
      info.remove();
    }
    // Each progress bar is named by the words drawn with it ("7,570 of 6,000 people trained ...").
    doc.querySelectorAll('[data-testid="stProgress"]').forEach(box => {
      const bar = box.querySelector('[role="progressbar"]');
      const words = (box.innerText || '').trim();
      if (bar && words && bar.getAttribute('aria-label') !== words) bar.setAttribute('aria-label', words);
    });
    // A table area that scrolls can be reached, and scrolled, with the keyboard.
    doc.querySelectorAll('[data-testid="stTable"] > div')
      .forEach(area => {
        const scrolls = area.scrollWidth > area.clientWidth + 1 || area.scrollHeight > area.clientHeight + 1;
        if (scrolls && !area.hasAttribute('tabindex')) {
          area.setAttribute('tabindex', '0');
          area.setAttribute('role', 'region');
          area.setAttribute('aria-label', 'Table (scrolls)');
        }
      });
    // A plain table's region (ui.widgets.html_table, named by its caption) takes a Tab stop only while
    // it scrolls sideways, so it can then be scrolled with the arrow keys.
    doc.querySelectorAll('.kpi-table-scroll').forEach(area => {
      const scrolls = area.scrollWidth > area.clientWidth + 1;
      if (scrolls && area.getAttribute('tabindex') !== '0') area.setAttribute('tabindex', '0');
      if (!scrolls && area.hasAttribute('tabindex')) area.removeAttribute('tabindex');
    });
    // A result the page asks to be read first (frame.focus_here): focus moves to it once per new result.
    const marker = doc.querySelector('[data-kpi-focus]');
    if (marker) {
      const token = marker.getAttribute('data-kpi-focus');
      const target = doc.querySelector('.st-key-' + marker.getAttribute('data-kpi-target'));
      if (target && token !== focused) {
        focused = token;
        target.setAttribute('tabindex', '-1');
        target.focus({preventScroll: true});
        target.scrollIntoView({block: 'start'});
      }
    }
  };
  // A copy button (ui.exports.copy_button): its text to the clipboard, and its status line says so. Where the
  // clipboard is not offered (a page served without https), a hidden text area is selected and copied.
  doc.addEventListener('click', event => {
    const button = event.target.closest ? event.target.closest('[data-kpi-copy]') : null;
    if (!button) return;
    const text = button.getAttribute('data-kpi-copy');
    const status = button.parentElement.querySelector('.kpi-copy-status');
    const say = words => { if (status) status.textContent = words; };
    const copied = () => say('Copied.');
    const byHand = () => {
      const area = doc.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      doc.body.appendChild(area);
      area.select();
      let done = false;
      try { done = doc.execCommand('copy'); } catch (e) { done = false; }
      area.remove();
      button.focus();
      if (done) copied(); else say('This browser did not let the page copy: select the chart description above and copy it.');
    };
    say('');
    if (win.navigator.clipboard && win.isSecureContext) win.navigator.clipboard.writeText(text).then(copied, byHand);
    else byHand();
  });
  win.__kpiPage = fix;
  let queued = false;
  new win.MutationObserver(() => {
    if (queued) return;
    queued = true;
    win.requestAnimationFrame(() => { queued = false; fix(); });
  }).observe(doc.body, {childList: true, subtree: true, characterData: true});
  win.addEventListener('resize', () => win.requestAnimationFrame(fix));  // a table may start to scroll
  fix();
})();
</script>"""
