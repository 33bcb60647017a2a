"""AppTest of the Upload and Upload history pages, step by step, as the local analyst and signed in.

Each test starts from an empty store with the baseline files loaded
(tests/fixtures/upload), so every figure asserted is one the test put there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from metrics import dashboard, settings
from metrics.setup import init_store
from metrics.store import connect
from metrics.upload import STATUS_COLUMNS, VALUE_COLUMNS, ingest_bytes

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "upload"
NOW = dt.datetime(2026, 11, 2, 9)
ROLES = """
[analysts]
emails = ["analyst@example.org", "other@example.org"]
domains = []
[admins]
emails = ["admin@example.org"]
domains = []
"""
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-secret-that-is-long-enough",
    "client_id": "dashboard",
    "client_secret": "secret",
    "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration",
}
HOLD_STORE = (
    "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(120)"
)
BAD = (
    b"indicator_id,period,geography,value,note\n"
    b"households_temporary_accommodation,Q3 2026,Birmingham,6100,\n"
    b"households_temporary_accommodation,2026-27 Q2,Brum,6200,\n"
    b"jobs_created_wmca_investment,2026-27 Q2,Coventry,lots,\n"
)
GOOD = (
    b"indicator_id,period,geography,value,status,note\n"
    b"households_temporary_accommodation,2026-27 Q2,Birmingham,6300,provisional,Revised after audit\n"
    b"jobs_created_wmca_investment,2026-27 Q2,Coventry,200,provisional,\n"
    b"households_temporary_accommodation,2026-27 Q3,Birmingham,6400,provisional,\n"
    b"households_temporary_accommodation,2026-27 Q2,Coventry,2309,final,\n"
)


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    db = tmp_path / "kpi.duckdb"
    init_store(db, sample=False)
    for name in ("baseline.csv", "baseline-status.csv"):
        report = ingest_bytes((FIXTURES / name).read_bytes(), name, db=db, user="fixture loader", now=NOW)
        assert report.status == "committed", report.as_json()
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("KPI_DB", str(db))
    monkeypatch.setenv("KPI_TODAY", "2026-11-26")
    monkeypatch.setenv("KPI_ROLES", str(roles))
    return db


@pytest.fixture
def downloads(monkeypatch) -> dict[str, tuple[str | None, bytes]]:
    """Every file a download button offers, by the id in its URL: (file name, bytes)."""
    seen: dict[str, tuple[str | None, bytes]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        seen[file_id] = (filename, path_or_data)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return seen


def open_page(
    page: str, *, email: str | None = None, signed_in: bool = True, query: dict | None = None
) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if email is not None or not signed_in:
        at.secrets["auth"] = AUTH
        at.user = (
            # Known by issuer and subject, with a verified address: what earns a role (metrics.auth).
            {
                "is_logged_in": signed_in,
                "iss": "https://login.example.org",
                "sub": f"subject-{email}",
                "email": email,
                "email_verified": True,
            }
            if signed_in
            else {"is_logged_in": False}
        )
    at.run()
    at.switch_page(f"pages/{page}")
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def downloaded(at: AppTest, seen: dict, key: str) -> tuple[str | None, bytes]:
    url = at.get("download_button")
    button = next(b for b in url if b.key == key)
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".", 1)[0]
    return seen[file_id]


def table(at: AppTest, key: str):
    """The table a page shows in the container with this key, as a DataFrame: a data grid's own frame, or
    the header and cells of a plain HTML table (ui.widgets.problem_table) as a browser shows their text."""
    block = at.main.get_by_key(key)
    if block.dataframe:
        return block.dataframe[0].value
    return html_table(block.html[0].value)


class _TableReader(HTMLParser):
    """The caption, header cells and body rows of an HTML table, with entities turned back into text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.caption, self.header, self.rows, self.tags = "", [], [], []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr" and self._in("tbody"):
            self.rows.append([])
        if tag in ("th", "td", "caption"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td", "caption") and self._cell is not None:
            text = "".join(self._cell)
            if tag == "caption":
                self.caption = text
            elif self._in("thead"):
                self.header.append(text)
            else:
                self.rows[-1].append(text)
            self._cell = None
        for i in range(len(self.tags) - 1, -1, -1):
            if self.tags[i][0] == tag:
                del self.tags[i:]
                break

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def _in(self, tag: str) -> bool:
        return any(t == tag for t, _ in self.tags)


def html_table(markup: str) -> pd.DataFrame:
    reader = _TableReader()
    reader.feed(markup)
    shown = pd.DataFrame(reader.rows, columns=reader.header)
    shown.attrs["caption"] = reader.caption
    return shown


def has(at: AppTest, key: str) -> bool:
    try:
        at.main.get_by_key(key)
    except KeyError:
        return False
    return True


def texts(elements) -> str:
    """The elements' text as a reader sees it: Markdown's backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", " ".join(str(e.value) for e in elements)).replace("\u2060", "")


def choose(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def value_of(db: Path, indicator: str, place: str, period: str):
    series = dashboard.show(indicator, place, db=db, today=dt.date(2026, 11, 26)).series
    return next((p.value for p in series if p.period == period), None)


def upload_rows(db: Path) -> list[dict]:
    return dashboard.uploads(db=db)


# ---------------------------------------------------------------- templates


def test_the_templates_download_with_the_right_header_and_rows(store, downloads):
    at = open_page("4_Upload.py")
    name, data = downloaded(at, downloads, "template_values_empty")
    assert name == "upload-template-values.csv"
    assert data.decode("utf-8-sig").splitlines() == [",".join(VALUE_COLUMNS)]
    name, data = downloaded(at, downloads, "template_status_empty")
    assert data.decode("utf-8-sig").splitlines() == [",".join(STATUS_COLUMNS)]

    at.selectbox(key="template_values_choice").set_value("indicator:youth_hub_young_people_supported").run()
    name, data = downloaded(at, downloads, "template_values_filled")
    assert name == "upload-template-youth-hub-young-people-supported.csv"
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[1:] == [
        "youth_hub_young_people_supported,2026-27 Q2,Dudley,,,,,,,,,,",  # the interval columns last, empty
        "youth_hub_young_people_supported,2026-27 Q2,Dudley,,,,sex,Female,,,,,",
    ]
    assert "Rows for the next period due: 2026-27 Q2." in texts(at.caption)
    assert list(table(at, "template_values_preview")["breakdown_value"]) == ["", "Female"]

    at.selectbox(key="template_values_choice").set_value("indicator:households_temporary_accommodation").run()
    filled = next(b for b in at.get("download_button") if b.key == "template_values_filled")
    assert filled.proto.disabled and filled.label == "Download the pre-filled template (0 rows)"
    assert "nothing is due until 2026-27 Q3 ends on 31 December 2026" in texts(at.caption)

    at.selectbox(key="template_status_choice").set_value("theme:affordable_housing").run()
    _, data = downloaded(at, downloads, "template_status_filled")
    rows = data.decode("utf-8-sig").splitlines()
    assert rows[0] == ",".join(STATUS_COLUMNS)
    assert "AH3,2026-27 Q2,," in rows and "AH1,2026-27 Q2,," in rows
    assert not any(r.startswith("AH2,") for r in rows)  # its status for 2026-27 Q2 is in


# ---------------------------------------------------------------- errors


def test_a_file_with_errors_shows_a_summary_a_table_and_its_own_file_back(store, downloads):
    at = choose(open_page("4_Upload.py"), "q2 return.csv", BAD)
    assert "There are 3 problems with this file" in at.error[0].value
    errors = table(at, "upload_errors")
    assert list(errors.columns) == ["Line", "Column", "Value as written", "What to change"]
    assert list(zip(errors["Line"], errors["Column"], errors["Value as written"], strict=True)) == [
        ("2", "period", "Q3 2026"),
        ("3", "geography", "Brum"),
        ("4", "value", "lots"),
    ]
    assert errors["What to change"][0].startswith("Write the period as 2026-27 Q")
    # A plain table (a data grid cannot wrap, so "What to change" was cut off), named by its caption.
    assert not at.main.get_by_key("upload_errors").dataframe
    assert errors.attrs["caption"] == "Problems to fix (3)"
    markup = at.main.get_by_key("upload_errors").html[0].value
    assert markup.count('<th scope="col">') == 4 and 'role="region"' in markup
    headers = [h.value for h in at.header]
    assert headers.index("1. Check your file") < headers.index("Get a template")  # the answer comes first

    name, data = downloaded(at, downloads, "upload_errors_file")
    assert name == "q2 return-with-errors.csv"
    back = data.decode("utf-8-sig").splitlines()
    assert back[0].endswith(",error") and "period: Write the period" in back[1]

    assert "upload_confirm" not in [b.key for b in at.button]
    at.run()  # any rerun: the chosen file and its errors stay
    assert at.file_uploader[0].value is not None
    assert "There are 3 problems with this file" in at.error[0].value

    rejected = [u for u in upload_rows(store) if u["outcome"] == "rejected"]
    assert [(u["file_name"], u["user_name"], u["rows"]) for u in rejected] == [
        ("q2 return.csv", "local analyst", 3)
    ]
    assert value_of(store, "households_temporary_accommodation", "Birmingham", "2026-27 Q2") == 6243


HOSTILE_PLACE = '<script>alert("place")</script><img src=x onerror=alert(1)>'
HOSTILE_VALUE = '=HYPERLINK("https://example.com/x","Click")'
LONG_WORD = "Wolverhampton" * 6  # 78 letters, no space (the check quotes up to 80): the cell wraps it


def test_the_problem_table_shows_uploaded_text_as_written_and_never_as_markup(store):
    rows = [
        ["indicator_id", "period", "geography", "value"],
        ["jobs_created_wmca_investment", "2026-27 Q2", HOSTILE_PLACE, "5"],
        ["jobs_created_wmca_investment", "2026-27 Q2", "Coventry", HOSTILE_VALUE],
        ["jobs_created_wmca_investment", "2026-27 Q2", LONG_WORD, "5"],
    ]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    at = choose(open_page("4_Upload.py"), "hostile.csv", buf.getvalue().encode("utf-8"))
    errors = table(at, "upload_errors")
    assert list(zip(errors["Line"], errors["Column"], errors["Value as written"], strict=True)) == [
        ("2", "geography", HOSTILE_PLACE),
        ("3", "value", HOSTILE_VALUE),
        ("4", "geography", LONG_WORD),
    ]
    markup = at.main.get_by_key("upload_errors").html[0].value
    # Only the table's own tags: the uploaded ones are escaped (a long word gets <wbr>, places to break).
    assert set(re.findall(r"</?([a-z]+)", markup)) == {
        "div",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "wbr",
    }
    assert "&lt;script&gt;alert(&quot;place&quot;)&lt;/script&gt;" in markup.replace("<wbr>", "")
    assert "=HYPERLINK(&quot;https://example.com/x&quot;" in markup.replace("<wbr>", "")


def test_an_excel_workbook_is_checked_from_its_first_sheet(store, downloads):
    wb = openpyxl.Workbook()
    wb.active.append(["indicator_id", "period", "geography", "value"])
    wb.active.append(["jobs_created_wmca_investment", "2026-27 Q3", "Brum", 12])
    wb.create_sheet("Notes").append(["anything at all"])
    buf = io.BytesIO()
    wb.save(buf)
    at = open_page("4_Upload.py")
    at.file_uploader[0].set_value(("return.xlsx", buf.getvalue(), "application/vnd.ms-excel")).run()
    assert "There is 1 problem with this file" in at.error[0].value
    name, data = downloaded(at, downloads, "upload_errors_file")
    assert name == "return-with-errors.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws["E1"].value == "error" and ws["E2"].value.startswith("geography: 'Brum'")


def test_a_file_over_the_size_setting_gets_a_clear_message(store, monkeypatch):
    monkeypatch.setenv("KPI_MAX_UPLOAD_MB", "0.001")  # about 1 KB
    at = choose(open_page("4_Upload.py"), "big.csv", GOOD + b"x" * 2000)
    assert "There is 1 problem with this file" in at.error[0].value
    message = table(at, "upload_errors")["What to change"][0]
    assert "must be smaller than 0.001 MB" in message and "Split it" in message


def test_the_size_setting_and_streamlits_limit_agree():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == settings.DEFAULT_MAX_UPLOAD_MB


def test_the_page_states_the_limit_and_lets_streamlit_pass_what_the_check_refuses(store, monkeypatch):
    at = open_page("4_Upload.py")
    assert at.file_uploader[0].proto.max_upload_size_mb == settings.DEFAULT_MAX_UPLOAD_MB
    assert sorted(at.file_uploader[0].allowed_type) == [".csv", ".xlsx"]
    assert "The largest file accepted is 50 MB" in texts(at.caption)
    monkeypatch.setenv("KPI_MAX_UPLOAD_MB", "10")
    at = open_page("4_Upload.py")
    assert "The largest file accepted is 10 MB" in texts(at.caption)
    assert at.file_uploader[0].proto.max_upload_size_mb == 50  # so an 11 MB file reaches the check


# ---------------------------------------------------------------- preview and confirm


def test_the_preview_shows_what_changes_and_writes_nothing(store):
    before = dashboard.uploads(db=store)
    at = choose(open_page("4_Upload.py"), "q2.csv", GOOD)
    assert not at.error
    assert "4 rows: 1 to add, 2 to revise and 1 unchanged. Nothing has been written yet." in texts(
        at.markdown
    )
    assert [t.label for t in at.tabs] == ["To add (1)", "To revise (2)", "Unchanged (1)"]

    revised = table(at, "upload_preview_revised")
    first = revised[revised["Line"] == 2].iloc[0]
    assert (first["Old value"], first["New value"], first["Old value was final"]) == ("6,243", "6,300", "Yes")
    assert first["Note"] == "Revised after audit"
    jobs = revised[revised["Line"] == 3].iloc[0]
    assert (jobs["Old value"], jobs["New value"], jobs["Old value was final"]) == ("40", "200", "No")
    added = table(at, "upload_preview_inserted")
    assert list(added["Period"]) == ["2026-27 Q3"] and list(added["Place"]) == ["Birmingham"]

    warnings = table(at, "upload_warnings")
    messages = dict(zip(warnings["Line"], warnings["What to change"], strict=True))
    assert "changes a value that was marked final" in messages["2"]
    assert "441% higher than the value for 2026-27 Q1 (37)" in messages["3"]
    assert at.button(key="upload_confirm").label == "Confirm and write 3 values"
    assert dashboard.uploads(db=store) == before
    assert value_of(store, "households_temporary_accommodation", "Birmingham", "2026-27 Q2") == 6243


def opened_tab(at: AppTest) -> str:
    """The label of the tab the preview opens on, as the page sends it (st.tabs' default_tab_index)."""
    container = next(node for node in at.main if getattr(node, "type", None) == "tab_container")
    labels = [tab.label for tab in container.children.values()]
    return labels[container.proto.tab_container.default_tab_index]


@pytest.mark.parametrize(
    ("lines", "said", "opened"),
    [
        ((1, 2, 3, 4), "1 to add, 2 to revise and 1 unchanged", "To add (1)"),
        ((1, 2), "0 to add, 2 to revise and 0 unchanged", "To revise (2)"),  # revisions only
        ((4,), "0 to add, 0 to revise and 1 unchanged", "Unchanged (1)"),
    ],
)
def test_the_preview_opens_on_the_first_tab_with_rows(store, lines, said, opened):
    """A file of revisions only opened on an empty "To add (0)" tab, as if the file held nothing."""
    rows = GOOD.splitlines(keepends=True)
    at = choose(open_page("4_Upload.py"), "q2.csv", b"".join([rows[0], *(rows[i] for i in lines)]))
    assert said in texts(at.markdown)
    assert opened_tab(at) == opened


def test_confirming_writes_once_names_the_upload_and_every_page_shows_it(store):
    at = choose(open_page("4_Upload.py"), "q2.csv", GOOD)
    caption_before = texts(at.caption)
    assert "Latest upload 2 November 2026" in caption_before
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    newest = upload_rows(store)[0]
    assert (newest["outcome"], newest["user_name"], newest["file_name"]) == (
        "committed",
        "local analyst",
        "q2.csv",
    )
    success = at.success[0].value
    assert f"Upload {newest['id']} is in" in success
    assert "4 rows. 1 added, 2 revised, 1 unchanged" in success
    assert value_of(store, "households_temporary_accommodation", "Birmingham", "2026-27 Q2") == 6300
    assert value_of(store, "households_temporary_accommodation", "Birmingham", "2026-27 Q3") == 6400
    assert "Latest upload 26 November 2026" in texts(at.caption)  # the cached frame was cleared
    assert at.file_uploader[0].value is None  # a fresh chooser for the next file
    at.run()
    assert not at.success  # the confirmation shows once


def test_while_another_process_holds_the_store_the_page_says_so_writes_nothing_and_keeps_the_file(store):
    """A load in another process holding the store past the ten-second wait, then finishing."""
    at = choose(open_page("4_Upload.py"), "q2.csv", GOOD)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_STORE, str(store)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        at.button(key="upload_confirm").click().run(timeout=120)
    finally:
        holder.kill()
        holder.wait(30)
    assert not at.exception, [e.value for e in at.exception]
    said = " ".join(m.value for m in [*at.error, *at.warning, *at.caption])
    assert "The store is busy" in said or "not available while another load is being written" in said
    assert "The store is busy with another upload" in " ".join(e.value for e in at.error)
    assert not at.success
    assert at.file_uploader[0].value is not None  # the chosen file is kept
    assert [u["file_name"] for u in upload_rows(store)] == ["baseline-status.csv", "baseline.csv"]

    at.run()  # the other load has finished: check (again if need be) and confirm
    at.button(key="upload_confirm").click().run()
    assert "is in" in at.success[0].value


def test_uploaded_text_is_shown_as_text_not_markup(store):
    name = "[click](https://example.com) ![x](https://example.com/x.png) **q2**.csv"
    at = choose(
        open_page("4_Upload.py"),
        name,
        GOOD.replace(b"Revised after audit", b"<b>bold</b> [link](https://x.test)"),
    )
    note = table(at, "upload_preview_revised")["Note"].tolist()
    assert "<b>bold</b> [link](https://x.test)" in note
    at.button(key="upload_confirm").click().run()
    success = at.success[0].value
    assert "[click](" not in success and "![x](" not in success and "**q2**" not in success
    assert "\\[click\\]\\(https\\:\u2060\\/\\/example\\.com\\)" in success
    assert "https://" not in success  # no bare address for Markdown to turn into a link


@pytest.mark.parametrize(
    "written",
    [
        "[a](https://example.com)",
        "![x](https://example.com/x.png)",
        "https://example.com/path",
        "www.example.com",
        "name@example.com",
        ":smile: :red[text] :material/home:",
        "<b>bold</b> **strong** _em_ `code` $x^2$ # heading",
    ],
)
def test_plain_text_renders_as_written_and_never_as_a_link(written):
    from ui.text import WORD_JOINER, plain

    escaped = plain(written)
    assert re.sub(r"\\(.)", r"\1", escaped).replace(WORD_JOINER, "") == written
    for pattern in (r"https?://", r"www\.", r"[\w.+-]@", r":\w+:", r"\]\("):
        assert not re.search(pattern, escaped), (pattern, escaped)


# ---------------------------------------------------------------- history and undo


def test_the_history_lists_every_upload_with_its_details_and_opens_one(store):
    choose(open_page("4_Upload.py"), "bad.csv", BAD)
    at = choose(open_page("4_Upload.py"), "q2.csv", GOOD)
    at.button(key="upload_confirm").click().run()
    newest = upload_rows(store)[0]

    at = open_page("5_Upload_history.py")
    listed = table(at, "history_table")
    assert list(listed["File name"]) == ["q2.csv", "bad.csv", "baseline-status.csv", "baseline.csv"]
    assert list(listed["Outcome"]) == ["Committed", "Rejected", "Committed", "Committed"]
    assert listed["SHA-256"][0] == newest["sha256"] and len(newest["sha256"]) == 64
    assert list(listed.loc[0, ["Rows", "Added", "Revised", "Unchanged"]]) == [4, 1, 2, 1]
    assert "every upload to the store on this machine" in texts(at.markdown)

    # Its facts in a plain table read in full (a grid cut the SHA-256 on a phone), each row named by its field.
    facts = table(at, "history_facts")
    assert dict(zip(facts["Field"], facts["Value"], strict=True))["SHA-256"] == newest["sha256"]
    assert '<th scope="row">File name</th>' in at.main.get_by_key("history_facts").html[0].value
    values = table(at, "history_values")  # the newest is open by default
    # The row sent again unchanged is kept as a confirmation of the value already held.
    assert list(values["Value"]) == ["6,300", "200", "6,400", "2,309"]

    at = open_page("5_Upload_history.py", query={"upload": str(newest["id"] - 1)})
    problems = table(at, "history_problems")
    assert list(problems["Column"]) == ["period", "geography", "value"]


def test_undo_says_what_goes_back_then_marks_the_upload_undone(store):
    at = choose(open_page("4_Upload.py"), "q2.csv", GOOD)
    at.button(key="upload_confirm").click().run()
    upload_id = upload_rows(store)[0]["id"]

    at = open_page("5_Upload_history.py", query={"upload": str(upload_id)})
    at.button(key="undo_start").click().run()
    changes = table(at, "undo_changes")
    after = dict(
        zip(
            changes["Period"] + " " + changes["Place"] + " " + changes["Indicator"],
            changes["After the undo"],
            strict=True,
        )
    )
    assert after["2026-27 Q2 Birmingham households_temporary_accommodation"].startswith("6,243 (from upload")
    assert after["2026-27 Q3 Birmingham households_temporary_accommodation"].startswith("No value")
    assert "3 values will go back" in at.warning[0].value
    assert "1 more was only sent again unchanged: it keeps its value" in at.warning[0].value
    assert (
        value_of(store, "households_temporary_accommodation", "Birmingham", "2026-27 Q2") == 6300
    )  # not yet

    at.button(key="undo_confirm").click().run()
    assert not at.exception
    assert f"Upload {upload_id}" in at.success[0].value and "is undone" in at.success[0].value
    assert value_of(store, "households_temporary_accommodation", "Birmingham", "2026-27 Q2") == 6243
    assert value_of(store, "households_temporary_accommodation", "Birmingham", "2026-27 Q3") is None
    listed = table(at, "history_table")
    assert listed.loc[listed["Upload"] == upload_id, "Outcome"].item() == "Undone"
    assert listed.loc[listed["Upload"] == upload_id, "Undone by"].item() == "local analyst"
    assert "undo_start" not in [b.key for b in at.button]  # an undone upload cannot be undone again


def test_cancelling_an_undo_changes_nothing(store):
    at = choose(open_page("4_Upload.py"), "q2.csv", GOOD)
    at.button(key="upload_confirm").click().run()
    upload_id = upload_rows(store)[0]["id"]
    at = open_page("5_Upload_history.py", query={"upload": str(upload_id)})
    at.button(key="undo_start").click().run()
    at.button(key="undo_cancel").click().run()
    assert upload_rows(store)[0]["outcome"] == "committed"
    assert "undo_confirm" not in [b.key for b in at.button]


# ---------------------------------------------------------------- who may do what


def test_without_sign_in_the_sidebar_says_the_app_runs_as_the_local_analyst(store):
    at = open_page("4_Upload.py")
    assert "Working as the local analyst" in texts(at.sidebar.caption)


def test_sign_in_is_required_where_it_is_configured(store):
    at = open_page("4_Upload.py", signed_in=False)
    assert [t.value for t in at.title] == ["Sign in"]
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.file_uploader and not at.get("download_button")


def test_a_viewer_never_sees_upload_controls(store):
    at = open_page("4_Upload.py", email="someone@example.org")
    assert not at.file_uploader and not at.get("download_button") and not at.selectbox
    assert "signed in as a viewer" in at.info[0].value
    assert "Signed in as someone@example.org, viewer" in texts(at.sidebar.caption)
    history = open_page("5_Upload_history.py", email="someone@example.org")
    assert not history.dataframe and not history.main.button and not history.selectbox
    assert "for analysts and admins" in history.info[0].value


def test_a_signed_in_analyst_uploads_as_themselves_and_sees_only_their_uploads(store):
    at = choose(open_page("4_Upload.py", email="analyst@example.org"), "q2.csv", GOOD)
    assert "Signed in as analyst@example.org, analyst" in texts(at.sidebar.caption)
    at.button(key="upload_confirm").click().run()
    assert upload_rows(store)[0]["user_name"] == "analyst@example.org"

    history = open_page("5_Upload_history.py", email="analyst@example.org")
    assert list(table(history, "history_table")["File name"]) == ["q2.csv"]
    assert not has(history, "audit_log")
    other = open_page("5_Upload_history.py", email="other@example.org")
    assert "There are no uploads to show yet" in other.info[0].value


def test_an_admin_sees_every_upload_and_the_audit_log(store):
    at = choose(open_page("4_Upload.py", email="analyst@example.org"), "q2.csv", GOOD)
    at.button(key="upload_confirm").click().run()
    history = open_page("5_Upload_history.py", email="admin@example.org")
    assert len(table(history, "history_table")) == 3
    log = table(history, "audit_log")
    assert list(log["What"])[0] == "upload committed" and list(log["Who"])[0] == "analyst@example.org"
    assert "every upload, by anyone" in texts(history.markdown)


def test_the_write_path_refuses_a_viewer_even_if_the_page_were_bypassed(store):
    """The page hides controls; metrics.upload refuses anyway (see tests/unit/test_auth.py for every write)."""
    from metrics import upload as uploads
    from metrics.auth import NotAllowed, User

    with pytest.raises(NotAllowed):
        uploads.commit_as(User("someone@example.org", "S", "viewer"), GOOD, "forged.csv", db=store)
    with connect(store, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM upload").fetchone()[0] == 2


# ---------------------------------------------------------------- tables of uploaded text

FORMULA_NAME = '=HYPERLINK("https://example.com/x","Click").csv'


def test_streamlit_never_offers_its_own_csv_of_a_table_nor_a_traceback():
    """Its "Download as CSV" writes "=HYPERLINK(...)" as it is; its error details show server paths."""
    client = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["client"]
    assert client["disableDataExport"] is True
    assert client["showErrorDetails"] == "none"


def test_with_streamlits_table_export_turned_back_on_uploaded_text_is_a_plain_table(store, monkeypatch):
    from streamlit import config

    choose(open_page("4_Upload.py"), FORMULA_NAME, BAD)
    saved = config.get_option("client.disableDataExport")
    config.set_option("client.disableDataExport", False)
    try:
        at = open_page("5_Upload_history.py")
    finally:
        config.set_option("client.disableDataExport", saved)
    assert not at.dataframe  # no interactive table, so no toolbar and no "Download as CSV"
    listed = at.main.get_by_key("history_table").table[0].value
    shown = [re.sub(r"\\(.)", r"\1", v).replace("\u2060", "") for v in listed["File name"]]
    assert FORMULA_NAME in shown  # as written (ui.text.plain's escapes aside)


def _assert_formula_safe_csv(at, downloads, key: str, file_name: str, title: str) -> None:
    """The CSV behind a button: its name, its title line, and the uploaded formula kept as text."""
    name, data = downloaded(at, downloads, key)
    assert name == file_name
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [title]
    assert ["'" + FORMULA_NAME] == [c for r in rows for c in r if "HYPERLINK" in c]
    assert not any(c.startswith(("=", "+", "-", "@")) for r in rows for c in r)


def test_the_history_and_audit_log_download_as_formula_safe_files(store, downloads):
    choose(open_page("4_Upload.py"), FORMULA_NAME, BAD)
    at = open_page("5_Upload_history.py", email="admin@example.org")
    assert FORMULA_NAME in list(table(at, "history_table")["File name"])

    _assert_formula_safe_csv(at, downloads, "history_download_csv", "upload-history.csv", "Upload history")

    name, data = downloaded(at, downloads, "history_download_xlsx")
    assert name == "upload-history.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [c for r in sheet.iter_rows() for c in r if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [(FORMULA_NAME, "s", True)]

    _assert_formula_safe_csv(at, downloads, "audit_download_csv", "audit-log.csv", "Audit log")


def test_a_file_that_starts_with_england_is_confirmed_and_links_to_the_whole_area(store):
    """A comparator (England) is a place an upload may name; the page's link after it goes to the combined
    authority, since the Indicator page shows the eight places only."""
    text = (
        "indicator_id,period,geography,value,lower,upper,confidence\n"
        "employment_rate_16_64,2024,England,75.7,75.4,76.0,95\n"
        "employment_rate_16_64,2024,Coventry,70.9,68.0,73.8,95\n"
    )
    at = choose(open_page("4_Upload.py"), "england.csv", text.encode())
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert "2 rows. 2 added, 0 revised, 0 unchanged" in at.success[0].value
    links = {link.proto.label.replace("\\", ""): link.proto.query_string for link in at.page_link}
    label = "See Employment rate (16 to 64) for West Midlands Combined Authority on the Indicator page"
    assert [k for k in links if k.startswith("See Employment")] == [label]
    assert "geography=E47000007" in links[label]
