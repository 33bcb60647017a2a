"""Chromium for drawing charts: finding it, and one warm kaleido process kept for the life of the process.

Charts are drawn by plotly's static export (kaleido 1.x) in the machine's Chromium.
Starting Chromium takes seconds, so one kaleido browser is started on first use and kept
warm while exports keep coming; after IDLE_STOP_S with none it is closed (it and its children
hold about 1 GB), and the next export starts it again. The pages never start it. Where there is no Chromium, `NoChromium` says in plain
words what to install or set, and every export that needs no chart still works. kaleido is only
ever given that Chromium (Debian's), so it never downloads a browser of its own.

A command that draws a chart leaves standard error clean: Chromium is closed before Python's
exit-time clean-up removes its profile folder, and choreographer's harmless "{bye}" decoding
traceback is filtered out (`drop_goodbye_records`).

Kept apart from the figures (`images`) because it is process management: threads, an event
loop and a browser, not layout. Nothing here knows what a chart shows.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from metrics.errors import KpiError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
RENDER_TIMEOUT_S = 90.0
# A warm Chromium and its children take about 1 GB beside a 250 MB app server, in every replica, so
# it is started by the first export (never by a page) and closed once it has gone this long unused.
IDLE_STOP_S = 120.0


class NoChromium(KpiError, RuntimeError):
    """No Chromium to draw charts with; the message says what to install or set."""


class RenderFailed(KpiError, RuntimeError):
    """Chromium is there but did not draw the chart; the message says what to try."""


SAFE_CHROMIUM = Path(__file__).resolve().parents[1] / "bin" / "chromium-charts"
UNSAFE_FLAGS = ("--disable-web-security", "--allow-file-access-from-files")

# choreographer (kaleido's browser driver) starts Chromium through a small wrapper that writes
# "{bye}" down the pipe once Chromium has gone. When that arrives in the same read as Chromium's last
# message, choreographer tries to read "{bye}" as JSON and logs a JSONDecodeError traceback ("JSONError
# decoding message. Ignoring"), though nothing is lost: the chart was already drawn and the browser is
# closing. Only that record is dropped; any other message that is not JSON is still logged.
GOODBYE = "{bye}"


def _is_goodbye(record: logging.LogRecord) -> bool:
    """Whether a log record is choreographer failing to read its own wrapper's "{bye}" as JSON."""
    error = record.exc_info[1] if record.exc_info else None
    cause = getattr(error, "__cause__", None)
    return (getattr(cause, "doc", None) or "").strip() == GOODBYE


class _DropGoodbye(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _is_goodbye(record)


def drop_goodbye_records() -> None:
    """Keep choreographer's "{bye}" JSONDecodeError traceback off standard error (once per process).

    Called after kaleido is imported: choreographer's loggers must be made by logistro (which adds
    the log levels choreographer uses), never first by `logging.getLogger` here.
    """
    pipe_logger = logging.getLogger("choreographer.channels.pipe")
    if not any(isinstance(f, _DropGoodbye) for f in pipe_logger.filters):
        pipe_logger.addFilter(_DropGoodbye())


def chromium_path() -> Path | None:
    """BROWSER_PATH when set (and only it, so a wrong setting is reported), else Chromium on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        p = Path(env)
        return p if p.is_file() and os.access(p, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def chromium_problem() -> str | None:
    """Why charts cannot be drawn as images here, in words for the person at the button; None if they can."""
    if chromium_path() is not None:
        return None
    env = os.environ.get("BROWSER_PATH")
    if env:
        return (
            f"Charts cannot be saved as PNG or SVG: BROWSER_PATH is set to {env}, but there is no Chromium "
            "there. Set BROWSER_PATH to the Chromium program, or unset it to use Debian's chromium package. "
            "The data downloads (CSV and Excel) still work."
        )
    return (
        "Charts cannot be saved as PNG or SVG on this computer because Chromium is not installed. Install "
        "Debian's chromium package (apt-get install chromium), or set BROWSER_PATH to a Chromium installed "
        "elsewhere. The data downloads (CSV and Excel) still work."
    )


class _Renderer:
    """One Chromium (a kaleido browser) per process, started on first use and kept until exit.

    It runs in its own thread with its own event loop, so pages, the command and the
    pack can all ask it for images with a time limit. kaleido reloads its page after
    every image before handing the next one back; here that reload runs in the
    background, after the image is returned, so a person's next export does not
    wait for it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None
        self._background: set[asyncio.Task] = set()
        self.idle_stop_s = IDLE_STOP_S
        self._last_used = 0.0
        self._idle_timer: threading.Timer | None = None
        atexit.register(self.stop)

    def running(self) -> bool:
        return self._kaleido is not None and self._thread is not None and self._thread.is_alive()

    def _start(self) -> None:
        path = chromium_path()
        if path is None:
            raise NoChromium(chromium_problem())
        if self.running() and self._path == path:
            return
        self._stop()
        import kaleido

        drop_goodbye_records()
        renderer = self

        class WarmKaleido(kaleido.Kaleido):
            async def _return_kaleido_tab(self, tab) -> None:  # kaleido's hook, run after each image
                async def reload_then_return() -> None:
                    await tab.reload()
                    await self.tabs_ready.put(tab)

                task = asyncio.get_running_loop().create_task(reload_then_return())
                renderer._background.add(task)
                task.add_done_callback(renderer._background.discard)

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, daemon=True, name="kpi-chart-renderer")
        thread.start()

        # Through a wrapper that drops the flags loosening web security (metrics/bin/chromium-charts).
        os.environ["KPI_CHROMIUM_REAL"] = str(path)

        async def open_browser():
            k = WarmKaleido(path=str(SAFE_CHROMIUM), mathjax=False, timeout=60, n=1)
            await k.open()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(RENDER_TIMEOUT_S)
        except BaseException as exc:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)
            raise RenderFailed(
                f"Chromium at {path} did not start ({exc}). Check that it runs on this computer, or set "
                "BROWSER_PATH to another Chromium."
            ) from exc
        self._loop, self._thread, self._path = loop, thread, path
        # Close Chromium before Python's exit-time clean-up deletes its profile folder. Exit handlers run
        # last-registered first, and the folder's clean-up (a weakref.finalize, which registers itself
        # with atexit when the first one is made) was registered while the browser opened, after this
        # object's own handler: left so, the folder was deleted under a running Chromium, and a `kpi
        # export` that had written its file printed an "OSError: Directory not empty" traceback.
        atexit.unregister(self.stop)
        atexit.register(self.stop)

    def _stop(self) -> None:
        loop, k = self._loop, self._kaleido
        self._kaleido = self._loop = self._path = None
        if loop is None:
            return
        if k is not None and loop.is_running():
            try:
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(30)
            except BaseException:  # noqa: BLE001, S110 - closing a browser that has already gone
                pass
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(5)
        self._thread = None

    def stop(self) -> None:
        with self._lock:
            self._stop()

    def _stop_when_idle(self) -> None:
        """(Re)arm the timer that closes Chromium once no export has used it for `idle_stop_s`."""
        self._last_used = time.monotonic()
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        timer = threading.Timer(self.idle_stop_s, self._stop_if_idle)
        timer.daemon = True
        timer.name = "kpi-chart-renderer-idle"
        timer.start()
        self._idle_timer = timer

    def _stop_if_idle(self) -> None:
        with self._lock:
            if time.monotonic() - self._last_used >= self.idle_stop_s * 0.99:
                self._stop()

    def render(self, fig: dict[str, Any], opts: dict[str, Any]) -> bytes:
        with self._lock:
            self._start()
            assert self._loop is not None and self._kaleido is not None
            future = asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(fig, opts=opts), self._loop)
            self._stop_when_idle()
            try:
                return future.result(RENDER_TIMEOUT_S)
            except concurrent.futures.TimeoutError as exc:
                future.cancel()
                path = self._path
                self._stop()
                raise RenderFailed(
                    f"Chromium at {path} took more than {RENDER_TIMEOUT_S:.0f} seconds to draw the chart. Try "
                    "again; if it keeps happening, check that Chromium runs on this computer."
                ) from exc
            except Exception as exc:
                self._stop()  # start afresh next time
                raise RenderFailed(f"Chromium could not draw the chart: {exc}. Try again.") from exc


_RENDERER = _Renderer()


def render(fig: dict[str, Any], opts: dict[str, Any]) -> bytes:
    """A figure (plotly's dict) as image bytes, kaleido's `opts` giving format and size; raises
    NoChromium or RenderFailed with a message for the person who asked."""
    return _RENDERER.render(fig, opts)


def stop_renderer() -> None:
    """Close the warm Chromium now (it is otherwise closed when the process exits)."""
    _RENDERER.stop()


def renderer_running() -> bool:
    """Whether the warm Chromium is up: the second export of a process reuses it."""
    return _RENDERER.running()


def warm_up() -> None:
    """Start Chromium and draw one tiny chart, so the person's first export does not wait for start-up."""
    if chromium_problem() is None:
        render(
            {"data": [{"type": "bar", "x": [1], "y": [1]}], "layout": {}},
            {"format": "png", "width": 50, "height": 50, "scale": 1},
        )
