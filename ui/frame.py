"""The shared frame of every page: page set-up, "data as at", the status of the statistics, the footer.

One place, so every page says when the data was last updated and where it came
from in the same words (GOV.UK: every page says when it was updated).

Every page's body runs inside :func:`guard`: an error nobody planned for shows a
plain message (never a traceback or a server path) and is logged as one line.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import streamlit as st

from metrics import clock, log, words
from metrics.auth import User
from metrics.store import StoreBusy, StoreUnavailable
from metrics.verdicts import Progress
from metrics.words import verdict_label
from ui import auth, data, widgets
from ui.style import PAGE_SCRIPT, PAGE_STYLE
from ui.text import plain

APP_TITLE = "Equity and Inclusion Scheme 2022-24: Objective 2"

# Verdicts (met, on track, off track, met late, ...) are worded by metrics.words, shared with the
# charts, the exports and the `kpi` command, so a page and a board pack call a state by the same name.
# Actions have their own quarterly statuses, worded there too (ACTION_STATUS_WORDS): text symbols, not
# colour emoji, so a status never depends on colour.

# The pages, for st.page_link (links, not buttons, for moving between pages).
OVERVIEW_PAGE = "app.py"
THEME_PAGE = "pages/1_Theme.py"
INDICATOR_PAGE = "pages/2_Indicator.py"
ABOUT_PAGE = "pages/3_About_the_data.py"
ACCESSIBILITY_PAGE = "pages/7_Accessibility.py"
REPORT_EMAIL = words.REPORT_EMAIL  # one address for the app, the public site and the statements


def verdict_line(progress: Progress) -> str:
    """The verdict and the sentence that says why, as Markdown: "**✖ Off track:** 3 of 14 schemes ...".

    Read aloud or copied, it is exactly `progress.sentence` (what `kpi show` and the packs say) with the
    verdict's symbol in front; the reason goes through ui.text.plain (it names schemes from uploads).
    """
    return f"**{verdict_label(progress.verdict)}:** {plain(progress.reason)}"


def indicator_link(indicator_id: str, label: str, **params: str | None) -> None:
    """A link to the Indicator page for one indicator (and optionally place and breakdown)."""
    query = {"indicator": indicator_id, **{k: v for k, v in params.items() if v}}
    st.page_link(INDICATOR_PAGE, label=label, query_params=query)


# The menu, drawn here rather than by Streamlit so the landing page is called "Overview" (Streamlit
# would name it after app.py) and viewers are not offered pages they cannot use.
NAVIGATION = (
    ("app.py", "Overview", "browse"),
    ("pages/1_Theme.py", "Themes", "browse"),
    ("pages/2_Indicator.py", "Indicators", "browse"),
    ("pages/3_About_the_data.py", "About the data", "browse"),
    ("pages/4_Upload.py", "Upload", "upload"),
    ("pages/5_Upload_history.py", "Upload history", "upload"),
    ("pages/6_Export.py", "Export", "export"),
    ("pages/8_My_updates.py", "My updates", "upload"),
)


def navigation(user: User) -> None:
    """The menu, in a container the page script marks as a navigation landmark ("Dashboard pages")."""
    with st.sidebar:
        with st.container(key="site_navigation"):
            st.markdown("**Dashboard pages**")
            for path, label, needs in NAVIGATION:
                if user.can(needs):
                    st.page_link(path, label=label)
        st.divider()


# ---------------------------------------------------------------- errors nobody planned for

ROOT = Path(__file__).resolve().parents[1]
PAGE_ERROR = (
    "Something went wrong on this page, so it could not be shown in full. The problem has been logged. "
    "Try again in a moment. If it keeps happening, email [{email}](mailto:{email}) with the page's address "
    "and the reference {ref}."
)
# Who is using this run of a page, for the log line; each script run has its own thread.
_run = threading.local()


def _where(exc: BaseException) -> str:
    """The last line of the dashboard's own code the error passed through, as "pages/4_Upload.py:120"."""
    where = ""
    tb = exc.__traceback__
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        if path.is_relative_to(ROOT) and ".venv" not in path.parts:
            where = f"{path.relative_to(ROOT).as_posix()}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


@contextmanager
def guard(page_title: str) -> Iterator[None]:
    """Run a page's body: an unexpected error shows a plain message and is logged, never a traceback.

    st.stop() and st.rerun() pass through (they are not errors). The log line names the page, the
    user, the kind of error and where in the dashboard's code it happened, never the error's message
    (it may quote uploaded text); the reference on screen is in the log line too.
    """
    _run.user = None
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the point: no error reaches the reader as a traceback
        user = getattr(_run, "user", None)
        ref = secrets.token_hex(3).upper()
        log.event(
            "page_error",
            "failed",
            user=user.id if user else "",
            user_key=user.key if user else "",
            page=page_title,
            error=type(exc).__name__,
            where=_where(exc),
            ref=ref,
        )
        st.error(PAGE_ERROR.format(email=REPORT_EMAIL, ref=ref))


def user() -> User:
    """The user of this run of the page, as frame.start found them."""
    found = getattr(_run, "user", None)
    return found if found is not None else auth.current_user()


def start(page_title: str) -> tuple:
    """Set up the page and print the frame's header; returns the store's data version for caching."""
    title(page_title)
    widgets.forget_descriptions()
    st.html(PAGE_STYLE)
    with st.container(key="kpi_page_script"):
        st.html(PAGE_SCRIPT, unsafe_allow_javascript=True)
    # Sign-in first, where the deployment configures it: nothing else shows before it (ui/auth.py).
    user = auth.current_user()
    _run.user = user
    navigation(user)
    auth.sidebar(user)
    try:
        version = data.version()
    except StoreUnavailable as exc:
        st.error(f"The dashboard has no data store yet. {exc}")
        st.stop()
    except StoreBusy:
        st.warning("The store is busy: another upload or load is being written. Reload the page in a moment.")
        st.stop()
    fresh = data.freshness(version)
    as_at = clock.long_date(fresh.data_as_at) if fresh.data_as_at else "no data yet"
    uploaded = clock.long_date(fresh.latest_upload_at.date()) if fresh.latest_upload_at else "no uploads yet"
    st.caption(f"{APP_TITLE} · Data as at {as_at} · Latest upload {uploaded}")
    return version


def title(page_title: str, *, error: bool = False) -> None:
    """The browser tab's title: the page's own words first (what a screen reader announces, what a tab
    shows), the dashboard's name after, and "Error: " in front while the page reports a problem (GOV.UK).

    Streamlit keeps the last title set in a run, so a page calls this again once it knows more (the
    Indicator page names its indicator; the Upload page marks a failed check).
    """
    st.set_page_config(
        page_title=f"{'Error: ' if error else ''}{page_title} - {APP_TITLE}", page_icon="📊", layout="wide"
    )


def focus_here(target_key: str, token: str) -> None:
    """Move keyboard focus to the container keyed `target_key` once for each new `token` (a new result).

    GOV.UK: after a form is checked, focus goes to the error summary (or the result), so a keyboard or
    screen-reader user starts at the answer rather than wherever the page happened to leave them.
    The page script (ui.style) does the moving; the marker itself takes no room.
    """
    safe_key = "".join(c for c in target_key if c.isalnum() or c in "_-")
    safe_token = "".join(c for c in token if c.isalnum() or c in "_-")
    with st.container(key=f"kpi_focus_{safe_key}"):
        st.html(f'<span data-kpi-focus="{safe_token}" data-kpi-target="{safe_key}"></span>')


def stop() -> NoReturn:
    """End the page here, with its footer: nothing below this call is drawn."""
    footer()
    st.stop()


def require(user: User, action: str, *, viewer: str) -> None:
    """Stop the page with a notice unless the user may `action`.

    The read-only deployment (no sign-in, served beyond this machine) says why it is read-only;
    anyone else who may not is told, in the page's own words (`viewer`), what their role lets them do.
    """
    if user.can(action):
        return
    st.info(auth.READ_ONLY_PAGE if auth.is_read_only(user) else viewer)
    stop()


def footer() -> None:
    """The page's footer, with the accessibility statement: the page script makes it the page's top-level
    contentinfo landmark (a landmark outside Streamlit's main area owns it, ui.style)."""
    st.divider()
    with st.container(key="site_footer"):
        st.caption(
            "West Midlands Combined Authority · Equity and Inclusion Scheme 2022-24, Objective 2 · "
            "Sources are given under each chart; see About the data for methods, limitations and how to report "
            "a problem. Figures marked illustrative are sample values, not published statistics."
        )
        st.page_link(ACCESSIBILITY_PAGE, label="Accessibility statement")
