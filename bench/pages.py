"""`python bench/run.py pages`: how long each page takes, how fast the app starts, and its memory.

Figures, on a large store of the project's own 27 indicators (see build_store below):

1. server-side time of each page in streamlit.testing.v1.AppTest (KPI_DB the large
   store, KPI_TODAY=2026-11-26): one warm-up run, then the median of --runs runs;
   goal under 300 ms. A bare page with one Plotly chart is timed the same way, for
   what AppTest itself costs;
2. time from `streamlit run` to the Overview's first figures visible in headless
   Chromium, against a bare page with one Plotly chart started the same way in the
   same run, the median of --starts starts each; goal at most 1.5x the bare page;
3. the server's resident memory (/proc VmRSS, and its peak VmHWM) after the last
   start has shown every page once in the browser; goal under 500 MB.

The Indicator page is timed twice: for a quarterly count with demographic breakdowns
(--indicator), and for the headline scheme indicator (--scheme-indicator), whose page
judges every scheme of the latest quarter and shows the lowest.

Then one warm run of the slowest page under cProfile says where its time goes
(bench/out/pages_ROWS.prof). With several --observations (100000 1000000) each size is
measured in turn and a table compares them. Writes bench/out/pages.md.

Why not bench/largestore.py's store as it is: the app loads the project's own
catalogue (metrics.catalogue.default_catalogue(), data/indicators.yaml) and shows
only its indicators, so the 40 synthetic ids would be invisible to every page.
build_store writes the same shape with the 27 real indicators, reusing
largestore's value generator, places and breakdown groups.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from harness import (
    OUT_DIR,
    ROOT,
    Figure,
    machine,
    markdown_table,
    print_table,
    progress,
    run_child,
    write_markdown,
)

TODAY = "2026-11-26"
NOW = "2026-11-26T09:00:00"
GOAL_PAGE_S = 0.300
GOAL_START_RATIO = 1.5
GOAL_DRAWN_RATIO = 2.0  # each page fully drawn in the browser, against a bare page
GOAL_RSS_MB = 500.0
PERIODS = {"quarter": 40, "year": 10}  # 40 quarters, and the 10 years they span
APP = ROOT / "app.py"
VENV_BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BARE_SCRIPT = (
    "import streamlit as st, plotly.express as px\nst.plotly_chart(px.line(x=[1, 2, 3], y=[1, 3, 2]))\n"
)
PLOTLY_SVG = ".js-plotly-plot svg.main-svg"
METRIC = '[data-testid="stMetricValue"]'  # the Overview's headline figures (it has no Plotly chart)
START_TIMEOUT_S = 300.0
# The Indicator page in the timed runs: a quarterly count with breakdowns by sex, ethnicity and disability.
INDICATOR = "youth_hub_young_people_supported"
# The headline scheme indicator: its page judges and shows the schemes (3,500 per authority a quarter here).
SCHEME_INDICATOR = "affordable_housing_share_scf"
SCHEMES = "schemes"  # in PAGES: the query value that --scheme-indicator fills
# (page file, label, query params, URL path in the browser); the Indicator page's params come from
# --indicator (None) and --scheme-indicator (SCHEMES). Results are keyed by label.
PAGES = (
    ("app.py", "Overview", {}, ""),
    ("pages/1_Theme.py", "Theme", {}, "Theme"),
    ("pages/2_Indicator.py", "Indicator", {"indicator": None}, "Indicator"),
    ("pages/2_Indicator.py", "Indicator (schemes)", {"indicator": SCHEMES}, "Indicator"),
    ("pages/3_About_the_data.py", "About the data", {}, "About_the_data"),
    ("pages/4_Upload.py", "Upload", {}, "Upload"),
    ("pages/5_Upload_history.py", "Upload history", {}, "Upload_history"),
    ("pages/6_Export.py", "Export", {}, "Export"),
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--observations",
        "--rows",
        dest="observations",
        type=int,
        nargs="+",
        default=[1_000_000],
        help="observations in the large store; several sizes (100000 1000000) are each measured and then "
        "compared (default 1,000,000)",
    )
    p.add_argument("--runs", type=int, default=10, help="timed AppTest runs per page after a warm one")
    p.add_argument("--starts", type=int, default=3, help="server starts each of the app and the bare page")
    p.add_argument(
        "--indicator",
        default=INDICATOR,
        help=f"the Indicator page's ?indicator= in the timed runs and the browser (default {INDICATOR})",
    )
    p.add_argument(
        "--scheme-indicator",
        default=SCHEME_INDICATOR,
        help=f"the Indicator page timed once more with this indicator (default {SCHEME_INDICATOR})",
    )
    p.add_argument("--no-profile", action="store_true", help="skip the cProfile of the slowest page")
    p.add_argument("--no-browser", action="store_true", help="skip the server starts and memory (2 and 3)")
    p.add_argument(
        "--workdir",
        type=Path,
        help="keep the stores here and reuse them on the next run of the same sizes (default: a temp dir)",
    )


def _pin(db: str | None = None) -> None:
    os.environ["KPI_TODAY"] = TODAY
    os.environ.setdefault("KPI_NOW", NOW)
    if db:
        os.environ["KPI_DB"] = db


def _query(query: dict[str, str | None], indicator: str, scheme_indicator: str) -> dict[str, str]:
    fill = {None: indicator, SCHEMES: scheme_indicator}
    return {k: fill.get(v, v) for k, v in query.items()}  # type: ignore[arg-type]


# ---------------------------------------------------------------- the store (a child process)


def _periods(frequency: str, year_type: str | None, today: dt.date) -> list:
    """The indicator's last PERIODS[frequency] periods that have ended by today, oldest first."""
    from metrics.periods import period_for_date, previous_period

    p = period_for_date(today, frequency, year_type)
    if p.end >= today:
        p = previous_period(p, frequency, year_type)
    out = [p]
    for _ in range(PERIODS[frequency] - 1):
        out.append(previous_period(out[-1], frequency, year_type))
    return out[::-1]


def build_store(db: str, work: str, rows: int, seed: int = 20261126) -> dict[str, Any]:
    """A store of `rows` observations of the project's 27 indicators, loaded through ingest_bytes.

    largestore's shape with the real catalogue: 40 quarters (2016-17 Q3 to 2026-27 Q2 for
    financial quarters; the 10 years they span for yearly indicators), the seven authorities
    (and the combined authority where it cannot be derived), every breakdown the catalogue
    declares with its own declared groups, values from largestore's generator. Only
    affordable_housing_share_scf takes a project breakdown, so the schemes of that one
    indicator make up the rows asked for (the surplus trimmed from the earliest quarters,
    schemes that had not started). Then the sample's action statuses (metrics.sample), so the
    Theme page has some.
    """
    import csv

    import largestore
    from largestore import GROUPS, HEADER, Spec, _Gen, _places

    from metrics.catalogue import default_catalogue
    from metrics.sample import status_upload
    from metrics.setup import init_store
    from metrics.upload import ingest_bytes

    catalogue = default_catalogue()
    # Uploads refuse a group the catalogue does not declare: the project's own groups (data/indicators.yaml,
    # `groups:`) replace largestore's finer ones, in place, so its generator writes them too.
    GROUPS.update({dim: tuple(names) for dim, names in catalogue.groups.items()})
    today = dt.date.fromisoformat(TODAY)
    las, ca = _places()
    specs = [
        Spec(
            i.id,
            i.kind,
            i.unit,
            i.kind,
            tuple(d for d in i.breakdowns if d != "project"),
            "project" in i.breakdowns,
            i.theme,
            i.actions,
        )
        for i in catalogue.indicators
    ]
    by_id = {i.id: i for i in catalogue.indicators}
    periods = {s.id: _periods(by_id[s.id].frequency, by_id[s.id].year_type, today) for s in specs}
    fixed = sum(
        len(periods[s.id]) * (7 if s.derivable else 8) * (1 + sum(len(GROUPS[d]) for d in s.dims))
        for s in specs
    )
    # (indicator, period index, authority index) for every authority's schemes in a period
    cells = [
        (s.id, q, a) for s in specs if s.projects for q in range(len(periods[s.id])) for a in range(len(las))
    ]
    if rows < fixed + len(cells):
        raise SystemExit(
            f"Cannot shape {rows:,} rows from the real catalogue: ask for at least {fixed + len(cells):,}."
        )
    projects = math.ceil((rows - fixed) / len(cells))
    surplus = fixed + len(cells) * projects - rows  # fewer than len(cells): one scheme off the earliest cells
    trim = {cell: 1 for cell in sorted(cells, key=lambda c: (c[1], c[2]))[:surplus]}
    # Rows in order of period end, every indicator's period together, as quarterly uploads arrive.
    order = sorted(
        ((p.end, n, q, p.label) for n, s in enumerate(specs) for q, p in enumerate(periods[s.id])),
    )
    gen = _Gen(seed)
    names = {code: [f"{short}-S{k:04d}" for k in range(1, projects + 1)] for code, _, short in las}
    work_dir = Path(work)
    work_dir.mkdir(parents=True, exist_ok=True)
    path = work_dir / f"pages_{rows}.csv"
    written = 0
    t0 = time.perf_counter()
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for _, n, q, label in order:
            s = specs[n]
            status = "provisional" if q >= len(periods[s.id]) - 2 else "final"
            buf = []
            for a, (code, _, _) in enumerate(las if s.derivable else [*las, ca]):
                schemes = names[code][: projects - trim.get((s.id, q, a), 0)] if s.projects else []
                buf.extend(largestore._emit_cell(gen, s, label, code, schemes, status))
            written += len(buf)
            w.writerows(buf)
    assert written == rows, (written, rows)
    wrote_s = time.perf_counter() - t0
    if Path(db).exists():
        Path(db).unlink()
    init_store(db, sample=False, catalogue=catalogue)
    now = dt.datetime.fromisoformat(NOW)
    t0 = time.perf_counter()
    report = ingest_bytes(
        path.read_bytes(),
        path.name,
        db=db,
        user="bench",
        catalogue=catalogue,
        now=now,
        max_bytes=path.stat().st_size + 1024 * 1024,
    )
    if report.status != "committed":
        raise SystemExit(f"{path.name} was {report.status}: {[p.as_json() for p in report.errors[:5]]}")
    name, data, _ = status_upload(catalogue)
    statuses = ingest_bytes(
        data, name, db=db, user="bench", catalogue=catalogue, now=now + dt.timedelta(minutes=1)
    )
    if statuses.status != "committed":
        raise SystemExit(f"{name} was {statuses.status}")
    ingest_s = time.perf_counter() - t0
    path.unlink()
    return {
        "rows": report.inserted,
        "fixed_rows": fixed,
        "schemes_per_authority": projects,
        "scheme_rows": rows - fixed,
        "status_rows": statuses.rows,
        "write_s": wrote_s,
        "ingest_s": ingest_s,
        "first_quarter": periods["affordable_housing_share_scf"][0].label,
        "last_quarter": periods["affordable_housing_share_scf"][-1].label,
        "db_mb": Path(db).stat().st_size / 1024 / 1024,
    }


# ---------------------------------------------------------------- AppTest (a child process)


class _ScriptClock:
    """Time (and optionally profile) the script thread of AppTest runs.

    AppTest runs the page in a thread of its own (LocalScriptRunner._run_script_thread);
    wrapping that method times the page's own run, without AppTest's waiting and parsing of
    the messages on the calling thread, and lets cProfile see the page (it profiles one thread).
    """

    def __init__(self) -> None:
        from streamlit.testing.v1 import local_script_runner as lsr

        self.seconds: list[float] = []
        self.profiler = None
        inner = lsr.LocalScriptRunner._run_script_thread
        clock = self

        def timed(runner) -> None:
            prof = clock.profiler
            t0 = time.perf_counter()
            if prof is not None:
                prof.enable()
            try:
                inner(runner)
            finally:
                if prof is not None:
                    prof.disable()
                clock.seconds.append(time.perf_counter() - t0)

        lsr.LocalScriptRunner._run_script_thread = timed
        # AppTest gives every run a new ScriptCache, so it compiles the page (with Streamlit's "magic"
        # rewrite of its syntax tree) on every run; the server compiles each page once. One shared
        # cache makes AppTest's runs match the server's.
        from streamlit.testing.v1 import app_test

        shared = lsr.ScriptCache()
        lsr.ScriptCache = app_test.ScriptCache = lambda: shared


def _settle() -> None:
    """Let the Export and Indicator pages' background Chromium start finish before timing."""
    for t in threading.enumerate():
        if t.name == "kpi-chart-warm-up":
            t.join(60)


def _apptest(script: str, page: str, query: dict[str, str]):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(script, default_timeout=120)
    if page != "app.py":
        at.switch_page(page)
    for k, v in query.items():
        at.query_params[k] = v
    return at


def _page_facts(at) -> dict[str, Any]:
    """What the page drew: how much there is to send (the cost grows with it)."""
    markdown = sum(len(m.value) for m in at.markdown)
    tables = sum(len(t.value) for t in at.table)
    return {
        "markdown_chars": markdown,
        "table_rows": tables,
        "plotly_charts": len(at.get("plotly_chart")),
        "plotly_bytes": sum(len(el.proto.spec) for el in at.get("plotly_chart")),
        "exception": [
            " | ".join([e.message, *(ln.strip() for ln in e.stack_trace[-4:])])[:600] for e in at.exception
        ],
        "errors": [str(e.value)[:300] for e in at.error],
    }


def _error_details() -> None:
    """Let an exception on a page say what it was (the project's config redacts it for the public)."""
    os.environ["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"


def apptest_pages(db: str, runs: int, indicator: str, scheme_indicator: str, bare: str) -> dict[str, Any]:
    """Every page: one warm-up run (caches filled), then `runs` timed runs of the same AppTest. Keyed by
    label ("bare" for the bare page)."""
    _pin(db)
    _error_details()
    clock = _ScriptClock()
    out: dict[str, Any] = {}
    for page, label, query, _ in (*PAGES, ("bare", "bare", {}, "")):
        script = bare if page == "bare" else str(APP)
        at = _apptest(
            script, "app.py" if page == "bare" else page, _query(query, indicator, scheme_indicator)
        )
        t0 = time.perf_counter()
        at.run()
        first = time.perf_counter() - t0
        _settle()
        facts = _page_facts(at)
        times = []
        clock.seconds.clear()
        for _ in range(runs):
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
            for e in _page_facts(at)["exception"]:
                if e not in facts["exception"]:
                    facts["exception"].append(e)
        out[label] = {
            "label": label,
            "first": first,
            "median": statistics.median(times),
            "min": min(times),
            "max": max(times),
            "script_median": statistics.median(clock.seconds) if clock.seconds else None,
        } | facts
        progress(f"  {label}: median {out[label]['median'] * 1000:.0f} ms (first run {first:.1f} s)")
    from metrics import export

    export.stop_renderer()
    return out


def profile_page(db: str, page: str, query: dict[str, str], out: str) -> dict[str, Any]:
    """One warm run of a page under cProfile (in AppTest's script thread)."""
    import cProfile
    import pstats

    _pin(db)
    _error_details()
    clock = _ScriptClock()
    at = _apptest(str(APP), page, query)
    at.run()  # warm
    _settle()
    clock.profiler = prof = cProfile.Profile()
    t0 = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - t0
    clock.profiler = None
    prof.dump_stats(out)
    from metrics import export

    export.stop_renderer()
    stats = pstats.Stats(prof).stats

    def name(key: tuple[str, int, str]) -> str:
        file, line, func = key
        if file == "~":
            return func
        parts = Path(file).parts
        if "site-packages" in parts:
            file = "/".join(parts[parts.index("site-packages") + 1 :])
        elif file.startswith(str(ROOT)):
            file = str(Path(file).relative_to(ROOT))
        else:
            file = "/".join(parts[-2:])
        return f"{file}:{line} {func}"

    def entry(key) -> dict[str, Any]:
        _, calls, own, cum, _ = stats[key]
        return {"function": name(key), "calls": calls, "own": own, "cumulative": cum}

    ours = [
        k
        for k in stats
        if any(f"{os.sep}{d}{os.sep}" in k[0] for d in ("metrics", "ui", "pages")) or k[0].endswith("app.py")
    ]
    libs = [k for k in stats if "site-packages" in k[0]]

    def top_libs(package: str) -> float:
        return sum(stats[k][2] for k in libs if f"site-packages{os.sep}{package}{os.sep}" in k[0])

    packages = (
        "streamlit",
        "plotly",
        "pandas",
        "duckdb",
        "numpy",
        "google",
        "pyarrow",
        "narwhals",
        "_plotly_utils",
    )
    total_own = sum(v[2] for v in stats.values())
    return {
        "seconds": seconds,
        "profiled_total": total_own,
        "by_own": [entry(k) for k in sorted(stats, key=lambda k: stats[k][2], reverse=True)[:15]],
        "ours_by_cumulative": [entry(k) for k in sorted(ours, key=lambda k: stats[k][3], reverse=True)[:20]],
        "own_by_package": {p: top_libs(p) for p in packages},
    }


# ---------------------------------------------------------------- the browser (a child process)

_APP_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  const state = app.getAttribute('data-test-script-state');
  if (state !== 'notRunning' && state !== 'compilationError') return false;
  const running = document.querySelector(
    '[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]');
  return !(running && running.offsetParent !== null);
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_idle(page, timeout_s: float = START_TIMEOUT_S) -> None:
    """Until Streamlit is connected and its script has finished, twice a moment apart (reruns)."""
    deadline = time.monotonic() + timeout_s
    while True:
        page.wait_for_function(_APP_IDLE_JS, timeout=max(1000, (deadline - time.monotonic()) * 1000))
        page.wait_for_timeout(300)
        if page.evaluate(_APP_IDLE_JS) or time.monotonic() > deadline:
            return


_CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('.stPlotlyChart')]
    .every(c => c.querySelector('.main-svg'))"""


def _page_url(base: str, path: str, query: dict[str, str]) -> str:
    return f"{base}/{path}" + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _wait_drawn(page, timeout_s: float = START_TIMEOUT_S) -> None:
    """Until the script has finished and every Plotly chart on the page has drawn its SVG."""
    _wait_idle(page, timeout_s)
    page.wait_for_function(_CHARTS_DRAWN_JS, timeout=timeout_s * 1000)


class _Server:
    """`streamlit run SCRIPT` in a process group of its own, so stopping it stops kaleido's Chromium too."""

    def __init__(self, script: str, env: dict[str, str], log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [
            str(VENV_BIN / "streamlit"),
            "run",
            script,
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--browser.gatherUsageStats",
            "false",
        ]
        self._log = log.open("ab")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the group this object started, by its id
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._log.close()


def _until_visible(server: _Server, page, selector: str) -> float:
    """Seconds from the server's start until `selector` is visible: load the page until it answers."""
    deadline = server.started + START_TIMEOUT_S
    while True:
        if server.proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {server.proc.returncode} before answering")
        try:
            page.goto(server.url + "/", wait_until="commit", timeout=5000)
            break
        except Exception:  # noqa: BLE001 - connection refused until the server listens
            if time.perf_counter() - server.started > START_TIMEOUT_S:
                raise
            time.sleep(0.05)
    page.wait_for_selector(
        selector, state="visible", timeout=max(1000, (deadline - time.perf_counter()) * 1000)
    )
    return time.perf_counter() - server.started


def _status_kb(pid: int) -> dict[str, int]:
    out = {}
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
        for line in f:
            key = line.split(":", 1)[0]
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(line.split()[1])
    return out


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _memory(pid: int) -> dict[str, float]:
    """The server's resident memory now and at its peak, and the sum over its child processes."""
    own = _status_kb(pid)
    rss = hwm = 0
    for child in _descendants(pid):
        try:
            kb = _status_kb(child)
        except OSError:
            continue
        rss += kb.get("VmRSS", 0)
        hwm += kb.get("VmHWM", 0)
    return {
        "rss_mb": own["VmRSS"] / 1024,
        "hwm_mb": own["VmHWM"] / 1024,
        "children_rss_mb": rss / 1024,
        "children_hwm_mb": hwm / 1024,
        "children": len(_descendants(pid)),
    }


def browser_starts(
    db: str, starts: int, indicator: str, scheme_indicator: str, bare: str, log: str
) -> dict[str, Any]:
    """Server start to first figures visible, app and bare page in turn; then every page once and memory."""
    from playwright.sync_api import sync_playwright

    env = os.environ | {"KPI_DB": db, "KPI_TODAY": TODAY}
    out: dict[str, Any] = {
        "app": [], "app_idle": [], "bare": [], "visits": {}, "revisits": {}, "visit_memory": {}
    }  # fmt: skip
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n in range(starts):
                last = n == starts - 1
                for which, script, selector in (("bare", bare, PLOTLY_SVG), ("app", str(APP), METRIC)):
                    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
                    page = context.new_page()
                    server = _Server(script, env, Path(log))
                    try:
                        seconds = _until_visible(server, page, selector)
                        out[which].append(seconds)
                        if which == "bare" and last:
                            # The floor for the pages' visits below: the bare page loaded again on
                            # its warm server, timed the same way (load, then the script finished).
                            t0 = time.perf_counter()
                            page.goto(server.url, wait_until="load")
                            _wait_drawn(page)
                            out["bare_visit"] = time.perf_counter() - t0
                        if which == "app":
                            _wait_idle(page)
                            out["app_idle"].append(time.perf_counter() - server.started)
                        progress(
                            f"  start {n + 1}/{starts}, {which}: first figures visible after {seconds:.1f} s"
                        )
                        if which == "app" and last:
                            # Each page twice: the first visit also pays the page's cold run on the server;
                            # the second finds its work cached for this data version, as the bare page's
                            # second load does.
                            for visits, again in (("visits", ""), ("revisits", " again")):
                                for _, label, query, path in PAGES:
                                    url = _page_url(
                                        server.url, path, _query(query, indicator, scheme_indicator)
                                    )
                                    t0 = time.perf_counter()
                                    page.goto(url, wait_until="load")
                                    _wait_drawn(page)
                                    out[visits][label] = time.perf_counter() - t0
                                    if not again:
                                        out["visit_memory"][label] = _status_kb(server.proc.pid)
                                    progress(f"  visited {label}{again} in {out[visits][label]:.1f} s")
                            time.sleep(3)  # the Export page's Chromium warm-up runs in the background
                            out["memory"] = _memory(server.proc.pid)
                    finally:
                        context.close()
                        server.stop()
        finally:
            browser.close()
    return out


# ---------------------------------------------------------------- the section


def _ms(x: float) -> str:
    return f"{x * 1000:,.0f} ms" if x < 10 else f"{x:.1f} s"


def _s(x: float) -> str:
    return f"{x:.2f} s"


def _mb(x: float) -> str:
    return f"{x:,.0f} MB"


def main(args: argparse.Namespace) -> int:
    _pin()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kpi-bench-pages-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        runs = [_run(args, work, rows) for rows in args.observations]
        md = ["# Pages: server time, start-up and memory on a large store", ""]
        if len(runs) > 1:
            scaling = _scaling_table(runs, args)
            print(scaling)
            md += [scaling, ""]
        for r in runs:
            md += r["md"]
        path = write_markdown("pages.md", "\n".join(md))
        progress(f"wrote {path.relative_to(ROOT)}")
        return 0
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
        progress(f"done in {time.monotonic() - started:.0f} s")


def _store(rows: int, work: Path) -> tuple[Path, dict[str, Any]]:
    db = work / f"pages_{rows}.duckdb"
    meta_path = work / f"pages_{rows}.json"
    if db.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        progress(f"reusing the {meta['rows']:,}-row store {db} (delete it to build it again)")
        return db, meta | {"reused": True}
    progress(f"building a {rows:,}-row store of the project's 27 indicators in {db} (ingest_bytes)")
    meta = run_child("pages:build_store", db=str(db), work=str(work), rows=rows)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    progress(
        f"store built: CSV written in {meta['write_s']:.0f} s, ingested in {meta['ingest_s']:.0f} s, "
        f"{meta['db_mb']:.0f} MB, {meta['schemes_per_authority']:,} schemes per authority"
    )
    return db, meta


def _scaling_table(runs: list[dict[str, Any]], args: argparse.Namespace) -> str:
    """How each page's warm server time and the server's memory grow with the store: one column a size."""
    sizes = [f"{r['meta']['rows']:,}" for r in runs]
    out = [
        "## How the cost grows with the store",
        "",
        f"Warm server time, median of {args.runs} AppTest runs (goal under {GOAL_PAGE_S * 1000:.0f} ms), "
        "and server memory, by observations in the store.",
        "",
        "| Page | " + " | ".join(sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for _, label, _, _ in PAGES:
        out.append(f"| {label} | " + " | ".join(_ms(r["pages"][label]["median"]) for r in runs) + " |")
    out.append(
        "| Bare page, one Plotly chart | "
        + " | ".join(_ms(r["pages"]["bare"]["median"]) for r in runs)
        + " |"
    )
    if all(r["memory"] is not None for r in runs):
        for key, what in (("rss_mb", "after every page once"), ("hwm_mb", "peak")):
            out.append(f"| Server memory, {what} | " + " | ".join(_mb(r["memory"][key]) for r in runs) + " |")
    out.append("| Schemes per authority per quarter | " + " | ".join(
        f"{r['meta']['schemes_per_authority']:,}" for r in runs) + " |")  # fmt: skip
    load = ", ".join(f"{r['load'][0]:.1f} to {r['load'][1]:.1f}" for r in runs)
    out += [
        "",
        f"Load average (1 min) at the start and end of each size: {load}, on {os.cpu_count()} CPUs.",
        "",
    ]
    return "\n".join(out)


def _name(label: str, file: str, q: dict[str, str]) -> str:
    return f"{label} ({file}" + ("?" + "&".join(f"{k}={v}" for k, v in q.items()) if q else "") + ")"


# Long by design: one size's measurements and their table, in the order they are printed; split up,
# each part would pass the same dozen values along.
def _run(args: argparse.Namespace, work: Path, rows: int) -> dict[str, Any]:
    """One size: the store, every page in AppTest, the browser starts and memory, the profile. Prints
    its table and returns its Markdown and figures for the comparison of sizes."""
    db, meta = _store(rows, work)
    bare = work / "bare_plotly.py"
    bare.write_text(BARE_SCRIPT, encoding="utf-8")
    load_before = os.getloadavg()

    progress(f"AppTest: every page, 1 warm-up run then {args.runs} timed (KPI_DB={db})")
    pages = run_child(
        "pages:apptest_pages",
        db=str(db),
        runs=args.runs,
        indicator=args.indicator,
        scheme_indicator=args.scheme_indicator,
        bare=str(bare),
    )
    browser = None
    if not args.no_browser:
        progress(f"browser: {args.starts} starts each of the bare page and the app, in turn")
        browser = run_child(
            "pages:browser_starts",
            db=str(db),
            starts=args.starts,
            indicator=args.indicator,
            scheme_indicator=args.scheme_indicator,
            bare=str(bare),
            log=str(work / "streamlit.log"),
        )
    load_after = os.getloadavg()

    figures: list[Figure] = []
    for file, label, query, _ in PAGES:
        r = pages[label]
        name = _name(label, file, _query(query, args.indicator, args.scheme_indicator))
        figures.append(
            Figure(
                f"{name}: median of {args.runs} warm AppTest runs",
                _ms(r["median"]),
                f"< {GOAL_PAGE_S * 1000:.0f} ms",
                r["median"] < GOAL_PAGE_S and not r["exception"],
            )
        )
        figures.append(
            Figure(
                "    page script alone (median) / fastest / slowest run / first (cold) run",
                f"{_ms(r['script_median'])} / {_ms(r['min'])} / {_ms(r['max'])} / {_s(r['first'])}",
            )
        )
        if r["exception"]:
            figures.append(Figure("    the page raised an exception (see below)", r["exception"][0][:80]))
    figures.append(
        Figure(
            f"Reference: a bare page with one Plotly chart in AppTest (median of {args.runs})",
            _ms(pages["bare"]["median"]),
        )
    )
    mem = None
    if browser is not None:
        app_s = statistics.median(browser["app"])
        bare_s = statistics.median(browser["bare"])
        ratio = app_s / bare_s
        mem = browser["memory"]
        figures += [
            Figure(
                f"Server start to the Overview's headline figures visible in Chromium (median of {args.starts})",
                _s(app_s),
            ),
            Figure(
                f"Server start to the bare page's Plotly chart visible (median of {args.starts})",
                _s(bare_s),
            ),
            Figure(
                "Overview / bare page",
                f"{ratio:.1f}x",
                f"<= {GOAL_START_RATIO:g}x",
                ratio <= GOAL_START_RATIO,
            ),
            Figure(
                "    each start, Overview / bare",
                ", ".join(_s(x) for x in browser["app"]) + " / " + ", ".join(_s(x) for x in browser["bare"]),
            ),
            Figure(
                "    server start to the Overview's script finished (median)",
                _s(statistics.median(browser["app_idle"])),
            ),
        ]
        bare_visit = browser["bare_visit"]
        figures.append(
            Figure(
                "A visit to the bare page on its warm server: loaded to fully drawn (script finished, charts drawn)",
                _s(bare_visit),
            )
        )
        for _, label, _, _ in PAGES:
            visit = browser["visits"][label]
            figures.append(
                Figure(
                    f"    first visit in the browser, {label}: loaded to fully drawn, against the bare "
                    f"page's ({_s(visit)}); server memory after it, resident / peak so far",
                    f"{visit / bare_visit:.1f}x; {_mb(browser['visit_memory'][label]['VmRSS'] / 1024)} / "
                    f"{_mb(browser['visit_memory'][label]['VmHWM'] / 1024)}",
                    f"<= {GOAL_DRAWN_RATIO:g}x",
                    visit / bare_visit <= GOAL_DRAWN_RATIO,
                )
            )
        for _, label, _, _ in PAGES:
            again = browser["revisits"][label]
            figures.append(
                Figure(
                    f"    second visit in the browser, {label} (the page's server work cached, as for the bare "
                    f"page's second load): loaded to fully drawn ({_s(again)})",
                    f"{again / bare_visit:.1f}x",
                    f"<= {GOAL_DRAWN_RATIO:g}x",
                    again / bare_visit <= GOAL_DRAWN_RATIO,
                )
            )
        figures += [
            Figure(
                "Server memory after every page once in the browser: resident (VmRSS)",
                _mb(mem["rss_mb"]),
                f"< {GOAL_RSS_MB:.0f} MB",
                mem["rss_mb"] < GOAL_RSS_MB,
            ),
            Figure(
                "Server memory: peak resident (VmHWM) over the whole session",
                _mb(mem["hwm_mb"]),
                f"< {GOAL_RSS_MB:.0f} MB",
                mem["hwm_mb"] < GOAL_RSS_MB,
            ),
            Figure(
                f"    not counted above: the server's {mem['children']} child processes (kaleido's Chromium), "
                "resident / peak summed",
                f"{_mb(mem['children_rss_mb'])} / {_mb(mem['children_hwm_mb'])}",
            ),
        ]

    load = (
        f"Load average (1 min) {load_before[0]:.1f} at the start and {load_after[0]:.1f} at the end, on "
        f"{os.cpu_count()} CPUs"
    )
    if max(load_before[0], load_after[0]) > (os.cpu_count() or 1):
        load += ": other work was competing for the CPUs, so times are inflated"
    load += "."
    store_text = (
        f"Store: {meta['rows']:,} observations of the project's own 27 indicators "
        f"(data/indicators.yaml) built for this section by `bench/pages.py` with `bench/largestore.py`'s "
        f"generator, places and groups, because the app shows only its own catalogue and largestore's 40 "
        f"synthetic indicators would be invisible to every page. 40 quarters ({meta['first_quarter']} to "
        f"{meta['last_quarter']}; the 10 years they span for yearly indicators), the seven authorities and the "
        f"combined authority where it cannot be derived, every breakdown the catalogue declares. The catalogue "
        f"gives only affordable_housing_share_scf a scheme (project) breakdown, so "
        f"{meta['scheme_rows']:,} of the rows are its schemes: {meta['schemes_per_authority']:,} per authority "
        f"per quarter (the other {meta['fixed_rows']:,} rows are every other indicator). Plus the sample's "
        f"{meta['status_rows']:,} action statuses. Store file {meta['db_mb']:.0f} MB."
    )
    notes = [
        "The Overview draws no Plotly chart (its headline targets are st.metric figures), so its start is "
        'timed to the first headline figure (`[data-testid="stMetricValue"]`) visible; the bare page to '
        f"`{PLOTLY_SVG}` visible. Each start is a fresh `streamlit run` (cold caches) and a fresh browser tab; "
        "the app and the bare page are started in turn.",
        "AppTest time is `at.run()` wall time (the page's script plus AppTest's handling of its messages); "
        "'page script alone' is the script thread's own time.",
        "Memory is read from /proc/PID/status of the `streamlit run` process after the last start has shown "
        "every page once (psutil is not installed).",
        f"The Indicator page is timed twice: with ?indicator={args.indicator} (a quarterly count with "
        f"demographic breakdowns) and with ?indicator={args.scheme_indicator}, which judges "
        f"{meta['schemes_per_authority'] * 7:,} schemes a quarter here against the 20% minimum and shows the "
        "lowest 40 with a count of the rest.",
    ]
    notes += [f"Exception on {label}: `{e}`" for _, label, _, _ in PAGES for e in pages[label]["exception"]]
    title = f"Pages on a store of {meta['rows']:,} observations"
    print_table(title, figures)
    print(store_text)
    for n in notes:
        print(n)
    print(load)
    facts = _facts_table(pages)
    print(facts)

    profile_md = ""
    if not args.no_profile:
        slowest = max(PAGES, key=lambda entry: pages[entry[1]]["median"])
        file, label, query, _ = slowest
        q = _query(query, args.indicator, args.scheme_indicator)
        shown = file + ("?" + "&".join(f"{k}={v}" for k, v in q.items()) if q else "")
        progress(f"profile: one warm run of the slowest page, {shown}, under cProfile")
        prof_path = OUT_DIR / f"pages_{rows}.prof"
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        pr = run_child("pages:profile_page", db=str(db), page=file, query=q, out=str(prof_path))
        profile_md = _profile_text(shown, pages[label], pr, prof_path)
        print(profile_md)

    md = [
        f"## {title}",
        "",
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M} on {machine()}. {load}",
        "",
        store_text,
        "",
        markdown_table(figures),
        *(f"- {n}" for n in notes),
        "",
        facts,
        profile_md,
    ]
    return {"md": md, "pages": pages, "memory": mem, "load": (load_before[0], load_after[0]), "meta": meta}


def _facts_table(pages: dict[str, Any]) -> str:
    out = [
        "### What each page draws",
        "",
        "| Page | Markdown characters | Table rows | Plotly charts | Plotly JSON bytes |",
        "|---|---:|---:|---:|---:|",
    ]
    for _, label, _, _ in PAGES:
        r = pages[label]
        out.append(
            f"| {label} | {r['markdown_chars']:,} | {r['table_rows']:,} | {r['plotly_charts']} | "
            f"{r['plotly_bytes']:,} |"
        )
    return "\n".join(out) + "\n"


def _profile_text(page: str, timing: dict[str, Any], pr: dict[str, Any], prof_path: Path) -> str:
    def rows(entries: list[dict[str, Any]]) -> str:
        out = ["| Function | Calls | Own s | Cumulative s |", "|---|---:|---:|---:|"]
        for e in entries:
            out.append(f"| `{e['function']}` | {e['calls']:,} | {e['own']:.3f} | {e['cumulative']:.3f} |")
        return "\n".join(out)

    packages = ", ".join(
        f"{k} {v:.2f} s" for k, v in sorted(pr["own_by_package"].items(), key=lambda kv: -kv[1]) if v >= 0.005
    )
    return "\n".join(
        [
            f"### Where the slowest page's time goes: {page} (cProfile of one warm run)",
            "",
            f"Unprofiled {_ms(timing['median'])} (the median of the timed runs, or the one warm run); the profiled run took {pr['seconds']:.2f} s "
            f"(cProfile slows Python code more than DuckDB's, so read shares, not durations). Saved to "
            f"`{prof_path.relative_to(ROOT)}` (`python -m pstats` or snakeviz to browse).",
            "",
            f"Own time by library: {packages} (of {pr['profiled_total']:.2f} s profiled).",
            "",
            "#### The project's functions by cumulative time",
            "",
            rows(pr["ours_by_cumulative"]),
            "",
            "#### All functions by own time",
            "",
            rows(pr["by_own"]),
            "",
        ]
    )
