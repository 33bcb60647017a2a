"""How the app runs, decided on every page before anything shows (ui/auth.py), and the page guard (ui/frame.py).

- a secrets file that cannot be read, or an [auth] section with a setting missing, stops every page
  with what to fix, and nothing of the dashboard shows;
- no [auth] on the loopback address: the local analyst; on any other address: read-only, with no
  upload pages, and the write path refuses a forged call (and keeps the refusal in the audit log);
- an error nobody planned for shows a plain message with a reference and is logged as one line,
  never as a traceback or a server path.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics import upload as uploads
from metrics.auth import PUBLIC_VIEWER, NotAllowed
from metrics.store import connect

ROOT = Path(__file__).resolve().parents[2]
PAGES = {
    "app.py": "Overview",
    "pages/1_Theme.py": "Theme",
    "pages/2_Indicator.py": "Indicator",
    "pages/3_About_the_data.py": "About the data",
    "pages/4_Upload.py": "Upload",
    "pages/5_Upload_history.py": "Upload history",
    "pages/6_Export.py": "Export",
}
# One missing closing quote: TOML cannot read the file, so Streamlit would treat it as no secrets at all.
BROKEN_SECRETS = """[auth]
redirect_uri = "https://dashboard.example.org/oauth2callback
cookie_secret = "a-long-random-cookie-secret"
client_id = "dashboard"
client_secret = "secret"
server_metadata_url = "https://login.example.org/.well-known/openid-configuration"
"""
COMPLETE_AUTH = """[auth]
redirect_uri = "https://dashboard.example.org/oauth2callback"
cookie_secret = "a-long-random-cookie-secret"
client_id = "dashboard"
client_secret = "secret"
server_metadata_url = "https://login.example.org/.well-known/openid-configuration"
"""
NO_COOKIE_SECRET = COMPLETE_AUTH.replace('cookie_secret = "a-long-random-cookie-secret"\n', "")
GOOD = b"indicator_id,period,geography,value\njobs_created_wmca_investment,2026-27 Q2,Walsall,29\n"
# What the sidebar says where the dashboard is read-only (typed, not taken from ui.auth).
READ_ONLY = "Read-only: no sign-in is set up and the dashboard is served beyond this machine"
PAGE_ERROR = (
    "Something went wrong on this page, so it could not be shown in full. The problem has been logged."
)


@pytest.fixture
def store(sample_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "kpi.duckdb"
    shutil.copyfile(sample_template, db)
    monkeypatch.setenv("KPI_DB", str(db))
    return db


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page != "app.py":
        at.switch_page(page)
        at.run()
    return at


def elements(at: AppTest) -> list[tuple[str, str]]:
    """Every element the run drew, main column and sidebar, as (type, text)."""
    out: list[tuple[str, str]] = []

    def walk(node) -> None:
        children = getattr(node, "children", None) or {}
        for child in children.values() if isinstance(children, dict) else children:
            text = getattr(child, "value", None)
            if not isinstance(text, str):  # a table's value is its frame; a widget's text is its label
                text = getattr(child, "label", "") or ""
            out.append((child.type, str(text)))
            walk(child)

    walk(at._tree)
    return out


def shown_text(at: AppTest) -> str:
    """What a reader sees: every element's text, Markdown's escapes and word joiners removed."""
    return re.sub(r"\\(.)", r"\1", " ".join(text for _, text in elements(at))).replace("\u2060", "")


def drawn(at: AppTest) -> set[str]:
    """The kinds of element the run drew, leaving out the containers they sit in."""
    return {kind for kind, _ in elements(at)} - {"main", "sidebar", "event", "vertical", "horizontal"}


def log_lines(err: str) -> list[dict]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


# ---------------------------------------------------------------- set-up problems stop every page


@pytest.mark.parametrize("page", list(PAGES))
def test_a_secrets_file_that_cannot_be_read_stops_every_page_and_shows_no_data(store, served_on, page):
    secrets = served_on(secrets=BROKEN_SECRETS)
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["The dashboard cannot start"]
    message = shown_text(at)
    assert f"The secrets file {secrets} cannot be read" in message
    assert "Correct the file (check quotes and brackets)" in message
    # Nothing of the dashboard: no menu, no figures, no tables, no charts, no "Data as at", no uploads.
    # html: the page's style sheet, and its script in a container of its own (ui.style), nothing else
    assert drawn(at) == {"title", "error", "html", "flex_container"}, drawn(at)
    assert "Data as at" not in message and "Objective 2" not in message


def test_an_auth_section_without_its_cookie_secret_stops_the_app(store, served_on):
    assert "cookie_secret" not in NO_COOKIE_SECRET
    served_on(secrets=NO_COOKIE_SECRET)
    for page in ("app.py", "pages/4_Upload.py"):
        at = open_page(page)
        assert not at.exception, [e.value for e in at.exception]
        assert [t.value for t in at.title] == ["The dashboard cannot start"]
        message = shown_text(at)
        assert (
            "Sign-in is set up in the secrets file but cannot work: [auth] is missing cookie_secret."
            in message
        )
        assert drawn(at) == {"title", "error", "html", "flex_container"}, drawn(
            at
        )  # style and script (ui.style)
        assert not at.file_uploader and not at.button  # not even the sign-in button


def test_a_complete_auth_section_in_the_secrets_file_asks_everyone_to_sign_in(store, served_on):
    served_on(address="0.0.0.0", secrets=COMPLETE_AUTH)
    for page in ("app.py", "pages/4_Upload.py"):
        at = open_page(page)
        assert not at.exception, [e.value for e in at.exception]
        assert [t.value for t in at.title] == ["Sign in"]
        assert [b.label for b in at.button] == ["Sign in"]
        assert not at.file_uploader and not at.metric and not at.sidebar.get("page_link")


# ---------------------------------------------------------------- no sign-in: local or read-only


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1"])
def test_without_auth_on_the_loopback_address_the_app_is_the_local_analyst(store, served_on, address):
    served_on(address=address)
    at = open_page("pages/4_Upload.py")
    assert not at.exception
    assert "Working as the local analyst" in shown_text(at)
    assert at.file_uploader, "the local analyst can upload"
    links = [link.proto.label for link in at.sidebar.get("page_link")]
    assert "Upload" in links and "Upload history" in links


def test_without_auth_on_any_other_address_the_app_is_read_only(store, served_on, capsys):
    served_on(address="0.0.0.0")
    at = open_page("app.py")
    assert not at.exception
    sidebar = " ".join(c.value for c in at.sidebar.caption).replace("\\", "").replace("**", "")
    assert READ_ONLY in sidebar and "local analyst" not in sidebar
    links = [link.proto.label for link in at.sidebar.get("page_link")]
    assert links == ["Overview", "Themes", "Indicators", "About the data", "Export"]  # no upload pages
    assert "Objective 2: are we on track?" in [t.value for t in at.title]  # browsing works

    # Opened by address anyway: no upload controls, no history, and the page says why.
    upload = open_page("pages/4_Upload.py")
    assert not upload.file_uploader and not upload.get("download_button") and not upload.selectbox
    assert "This dashboard is read-only: no sign-in is set up" in upload.info[0].value
    history = open_page("pages/5_Upload_history.py")
    assert not history.dataframe and not history.main.button and not history.selectbox
    assert "This dashboard is read-only" in history.info[0].value
    # Export still works, but a pack cannot be kept in the archive (that writes to the store).
    export = open_page("pages/6_Export.py")
    assert "pack_keep" not in [c.key for c in export.checkbox]
    assert "Keeping a pack in the archive is switched off" in shown_text(export)

    # A forged call reaches the write path anyway: refused, nothing written, the refusal kept and logged.
    with connect(store, read_only=True) as con:
        before = con.execute("SELECT count(*) FROM upload").fetchone()[0]
    capsys.readouterr()
    with pytest.raises(NotAllowed):
        uploads.commit_as(PUBLIC_VIEWER, GOOD, "forged.csv", db=store)
    with pytest.raises(NotAllowed):
        uploads.undo_as(PUBLIC_VIEWER, 1, db=store)
    with connect(store, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM upload").fetchone()[0] == before
        refused = con.execute(
            "SELECT action, user_name FROM audit_event WHERE outcome = 'refused' ORDER BY action"
        ).fetchall()
    assert refused == [("undo", PUBLIC_VIEWER.id), ("upload", PUBLIC_VIEWER.id)]
    logged = [(r["event"], r["outcome"], r["user"]) for r in log_lines(capsys.readouterr().err)]
    assert logged == [("upload", "refused", PUBLIC_VIEWER.id), ("undo", "refused", PUBLIC_VIEWER.id)]


# ---------------------------------------------------------------- errors nobody planned for


def _boom(*args, **kwargs):
    raise RuntimeError(f"{ROOT}/metrics/store.py line 12: the value 'Jane Doe' broke it")


@pytest.mark.parametrize("page", list(PAGES))
def test_an_unexpected_error_shows_a_plain_message_and_logs_one_line(store, page, monkeypatch, capsys):
    """Two places on every page: while the frame starts (reading the store), and at its very end (the footer)."""
    for where, target in (("start", "ui.data.fingerprint"), ("end", "ui.frame.footer")):
        with monkeypatch.context() as mp:
            mp.setattr(target, _boom)
            capsys.readouterr()
            at = open_page(page)
            err = capsys.readouterr().err
        assert not at.exception, (where, [e.value for e in at.exception])
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and errors[0].startswith(PAGE_ERROR), (where, errors)
        assert "performance@wmca.org.uk" in errors[0]
        for leak in ("Traceback", ".py", "RuntimeError"):
            assert leak not in errors[0], (where, leak)
        text = shown_text(at)  # (the About page names metrics/verdicts.py on purpose: no ".py" here)
        for leak in ("Traceback", str(ROOT), "store.py line", "RuntimeError", "Jane Doe", "broke it"):
            assert leak not in text, (where, leak)
        if where == "end":  # the page itself was drawn before the error
            assert at.title and at.title[0].value != "The dashboard cannot start"

        # (open_page runs the Overview first, to switch to the page from it: that run failed too.)
        lines = [r for r in log_lines(err) if r["event"] == "page_error" and r["page"] == PAGES[page]]
        assert len(lines) == 1, err
        line = lines[0]
        assert (line["outcome"], line["page"], line["error"], line["user"]) == (
            "failed",
            PAGES[page],
            "RuntimeError",
            "local analyst",
        )
        assert line["ref"] in errors[0]  # the reference on screen finds the line in the log
        assert re.fullmatch(r"[\w/.]+\.py:\d+", line["where"]), line["where"]  # relative: no server path
        assert "Jane Doe" not in err and "broke it" not in err  # the error's message is never logged
