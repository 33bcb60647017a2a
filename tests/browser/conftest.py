"""Real-browser tests: Debian's Chromium driven by Playwright against `streamlit run app.py`.

Fixtures
    browser     one headless Chromium for the session (fails, never skips, without /usr/bin/chromium)
    page        a fresh British-English page (own context) per test
    app_server  factory: ``base_url = app_server(db_path)`` serves the app on a free loopback port
                with ``KPI_DB=db_path`` and an empty secrets file of its own (``address="0.0.0.0"``
                serves it on every interface: read-only); every server started is stopped at the end
                of the session
    wait_for_app, after_rerun, screenshot   the helpers below, as fixtures, for tests that prefer not to import
    axe         axe(page) -> axe-core's violations; axe.describe(violations) -> readable lines
    wait_for_charts   the helper below, as a fixture
    axe_script  the path of axe-core's axe.min.js in node_modules/, installed from package-lock.json by
                `bash scripts/setup`; fails, never skips, when it is missing

Helpers
    wait_for_app(page)          waits until Streamlit is connected and has finished running the script
    after_rerun(page, action)   does the action and waits until the script run it causes has finished
    screenshot(page, name)      saves a full-page PNG as screenshots/<name>.png at the repo root
    run_axe(page, axe_script)   runs axe-core on the page; returns its violations (id, impact, help, nodes)
    wait_for_charts(page, n)    waits until at least n Plotly charts have drawn their SVG
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS_DIR = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The console scripts (kpi, streamlit) of the interpreter running the tests, so CI finds them too.
VENV_BIN = Path(sys.executable).parent
HEALTH_TIMEOUT_S = 60.0
APP_TIMEOUT_MS = 30_000
# Installed from package-lock.json by scripts/setup (`npm ci`), never fetched while the tests run.
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

_APP_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  const state = app.getAttribute('data-test-script-state');
  if (state !== 'notRunning' && state !== 'compilationError') return false;
  const running = document.querySelector(
    '[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]'
  );
  if (running && running.offsetParent !== null) return false;
  // Elements whose code Streamlit loads on first use (tables, page links) show a grey placeholder
  // until it arrives: the page is not finished while one is on screen.
  return !document.querySelector('[data-testid="stSkeleton"]');
}"""


def wait_for_app(page, timeout_ms: int = APP_TIMEOUT_MS) -> None:
    """Wait until the app is on screen, connected, and the script has finished running.

    Streamlit marks its root with ``data-test-script-state`` and shows a running icon in
    ``stStatusWidget`` while the script runs, and a placeholder (``stSkeleton``) where an element's
    code is still loading; the state must stay idle across two checks a moment apart, so a rerun
    that starts just after the first check is waited for too.
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        remaining_ms = max(1_000, int((deadline - time.monotonic()) * 1000))
        try:
            page.wait_for_function(_APP_IDLE_JS, timeout=remaining_ms)
        except Exception as exc:  # playwright's TimeoutError: say what state the app was in
            state = page.evaluate(
                """() => { const a = document.querySelector('[data-testid="stApp"]');
                    return a ? [a.getAttribute('data-test-connection-state'),
                                a.getAttribute('data-test-script-state')] : null; }"""
            )
            raise AssertionError(
                f"Streamlit did not finish running within {timeout_ms} ms "
                f"(connection state, script state: {state})"
            ) from exc
        page.wait_for_timeout(300)
        if page.evaluate(_APP_IDLE_JS):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"Streamlit kept rerunning for {timeout_ms} ms")


_WATCH_RUNS_JS = """() => {
  window.__kpiRuns = 0;
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(records => { window.__kpiRuns += records.length; })
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def after_rerun(page, action: Callable[[], object], timeout_ms: int = APP_TIMEOUT_MS) -> None:
    """Do `action` (choose a file, click a button) and wait until the script run it causes has finished.

    A change of the root's script state is counted from before the action, so a run that starts and
    ends between two checks is still seen: no fixed pause is needed for the run to begin.
    """
    page.evaluate(_WATCH_RUNS_JS)
    action()
    page.wait_for_function("() => window.__kpiRuns > 0", timeout=timeout_ms)
    wait_for_app(page, timeout_ms)


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG as ``screenshots/<name>.png`` (gitignored) and return its path.

    Streamlit scrolls inside its own container, so the viewport is stretched to the content's
    height for the shot and put back afterwards.
    """
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "screenshot"
    SCREENSHOTS_DIR.mkdir(exist_ok=True)
    path = SCREENSHOTS_DIR / f"{safe}.png"
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
              ...Array.from(document.querySelectorAll(
                  '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stSidebarContent"]'
              )).filter(e => e.getBoundingClientRect().right > 0)  // not a phone's menu slid away
                .map(e => e.scrollHeight))"""
    )
    if size and height and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(int(height), 12_000)})
        # Laid out again at the new size: two animation frames have passed (a condition, not a sleep).
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        if size:
            page.set_viewport_size(size)
    return path


def wait_for_charts(page, count: int = 1, timeout_ms: int = APP_TIMEOUT_MS) -> int:
    """Wait until at least `count` Plotly charts have drawn (each has an svg.main-svg); returns how many."""
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= n",
        arg=count,
        timeout=timeout_ms,
    )
    return page.locator(".js-plotly-plot").count()


_AXE_RUN_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
  }));
}"""


def run_axe(page, axe_script: Path) -> list[dict]:
    """Inject axe-core into the page as it is now and return every violation it finds."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    return page.evaluate(_AXE_RUN_JS)


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} elements)")
        for node in v["nodes"][:5]:
            summary = " ".join((node["summary"] or "").split())[:300]
            lines.append(f"    {node['target'][:160]}: {summary}")
    return "\n".join(lines)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the server's whole process group; kill it if it lingers."""
    if proc.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


def _wait_healthy(proc: subprocess.Popen, base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with status {proc.returncode} before answering; its log:\n{_tail(log_path)}"
            )
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as resp:
                body = resp.read().decode("utf-8", "replace").strip()
            if body == "ok":
                return
            last_error = f"health answered {body!r}"
        except (urllib.error.URLError, OSError) as exc:
            last_error = str(exc)
        time.sleep(0.25)
    _stop(proc)
    raise RuntimeError(
        f"streamlit did not answer {base_url}/_stcore/health within {HEALTH_TIMEOUT_S:.0f} s "
        f"({last_error}); its log:\n{_tail(log_path)}"
    )


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}; the browser tests need Debian's chromium. "
            "Run `bash scripts/setup` as root (it installs chromium and fonts-dejavu-core with apt-get).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(APP_TIMEOUT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Iterator[Callable[..., str]]:
    """Factory: ``app_server(db_path, env=None, address="127.0.0.1")`` -> base URL of the app serving that store.

    The server listens on the loopback address, as `bash scripts/run` starts it (the app runs as the
    local analyst); another address (``"0.0.0.0"``) serves it read-only. It reads a secrets file of its
    own, empty unless ``env`` names one in STREAMLIT_SECRETS_FILES. Calling it again with the same
    store and settings reuses the running server.
    """
    servers: dict[tuple, tuple[subprocess.Popen, str]] = {}
    log_files = []

    def start(
        db_path: str | os.PathLike, env: Mapping[str, str] | None = None, address: str = "127.0.0.1"
    ) -> str:
        db = str(db_path) if str(db_path).startswith("postgresql://") else str(Path(db_path).resolve())
        extra = dict(env or {})
        key = (db, tuple(sorted(extra.items())), address)
        if key in servers and servers[key][0].poll() is None:
            return servers[key][1]

        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
        if "STREAMLIT_SECRETS_FILES" not in extra:
            # A secrets file of the test's own (empty: no sign-in), so a developer's
            # .streamlit/secrets.toml never turns sign-in on, or stops the app, in a test.
            secrets = log_path.with_name("secrets.toml")
            secrets.write_text("", encoding="utf-8")
            extra["STREAMLIT_SECRETS_FILES"] = str(secrets)
        log = open(log_path, "wb")  # closed at the end of the session
        log_files.append(log)
        proc_env = {**os.environ, "KPI_DB": db, "TZ": "Europe/London", **extra}
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            address,
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            "--server.runOnSave",
            "false",
        ]
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=proc_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        servers[key] = (proc, base_url)
        _wait_healthy(proc, base_url, log_path)
        return base_url

    try:
        yield start
    finally:
        for proc, _ in servers.values():
            _stop(proc)
        for log in log_files:
            log.close()


def find_axe_script(script: Path = AXE_SCRIPT) -> Path:
    """axe.min.js where `bash scripts/setup` puts it; fails the test (never skips) when it is not there."""
    if not script.is_file():
        shown = script.relative_to(ROOT) if script.is_relative_to(ROOT) else script
        pytest.fail(
            f"axe-core is not installed: {shown} is missing, so the accessibility checks cannot run. "
            "Run `bash scripts/setup`, which installs it exactly as package-lock.json pins it (npm ci).",
            pytrace=False,
        )
    return script


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's axe.min.js as package-lock.json pins it, installed by `bash scripts/setup` (npm ci)."""
    return find_axe_script()


@pytest.fixture
def axe(axe_script: Path) -> Callable[..., list[dict]]:
    """axe(page) -> axe-core's violations on the page as it is now (describe_violations formats them)."""

    def check(page) -> list[dict]:
        return run_axe(page, axe_script)

    check.describe = describe_violations  # type: ignore[attr-defined]
    return check


@pytest.fixture(name="wait_for_charts")
def _wait_for_charts_fixture() -> Callable[..., int]:
    return wait_for_charts


@pytest.fixture(name="wait_for_app")
def _wait_for_app_fixture() -> Callable[..., None]:
    return wait_for_app


@pytest.fixture(name="after_rerun")
def _after_rerun_fixture() -> Callable[..., None]:
    return after_rerun


@pytest.fixture(name="screenshot")
def _screenshot_fixture() -> Callable[..., Path]:
    return screenshot
