"""The "as presented" archive: a pack kept for a board is listed and can be built again from the same data.

Rebuilding reads only the uploads the pack was built from (up to its newest, less
those then undone), so a later upload does not show and an upload undone after
the board still does: the board saw its figures.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil

import pytest
from docx import Document

from metrics import dashboard
from metrics.dashboard import AsOf
from metrics.export.archive import archive, keep, keep_as, rebuild
from metrics.export.build import build_pack
from metrics.export.provenance import current_snapshot, read_reference
from metrics.upload import ingest_bytes, upload_values
from metrics.upload.undo import undo
from tests.conftest import postgres_copy

THEME = "accessible_housing"
INDICATOR = "accessible_homes_share_funded"
LATER = (
    b"indicator_id,period,geography,value,status,note\n"
    b"accessible_homes_share_funded,2026-27 Q2,West Midlands Combined Authority,55.5,final,after the board\n"
)


pytestmark = pytest.mark.both_engines  # the archive behaves the same on a PostgreSQL store


@pytest.fixture
def store(engine, request, sample_template, tmp_path):
    if engine == "postgres":
        return postgres_copy(request, "sample")
    path = tmp_path / "archive" / "kpi.duckdb"
    path.parent.mkdir()
    shutil.copyfile(sample_template, path)
    return path


def _latest(db, as_of=None) -> tuple[str | None, float | None]:
    p = dashboard.show(INDICATOR, db=db, as_of_upload=as_of).progress
    return p.latest_period, p.latest_value


def _sample_uploads(db) -> int:
    """The newest upload of the sample store: the sample data's files are loaded one by one from 1."""
    return max(u["id"] for u in dashboard.uploads(db=db))


def _upload_holding(db, indicator_id: str) -> int:
    """The sample upload that holds this indicator's figures."""
    for up in sorted(dashboard.uploads(db=db), key=lambda u: u["id"]):
        _, _, frame = upload_values(up["id"], db=db)
        if not frame.empty and indicator_id in set(frame.get("indicator_id", [])):
            return int(up["id"])
    raise AssertionError(f"no upload holds {indicator_id}")


def test_kept_pack_is_listed_and_rebuilt_identically_after_the_data_changes(store, chromium):
    n = _sample_uploads(store)
    built = build_pack(THEME, "docx", db=store)
    kept = keep(built, board="WMCA Board", presented_on=dt.date(2026, 12, 3), user="clerk", db=store)
    before = dashboard.show(INDICATOR, db=store).as_json()

    [row] = archive(db=store)
    assert row["id"] == kept and row["board"] == "WMCA Board" and row["presented_on"] == dt.date(2026, 12, 3)
    assert row["theme_id"] == THEME and row["format"] == "docx" and row["built_by"] == "clerk"
    assert (
        row["as_of_upload"] == n and row["undone_uploads"] == [] and row["uploads"] == list(range(1, n + 1))
    )
    assert row["sha256"] == built.sha256 and row["size_bytes"] == len(built.data)

    # After the board: a new upload revises the latest value, and an upload the pack used is undone.
    later = ingest_bytes(LATER, "after-the-board.csv", db=store, user="analyst")
    assert later.status == "committed"
    used = _upload_holding(store, INDICATOR)
    undo(used, db=store, user="analyst")
    assert dashboard.show(INDICATOR, db=store).as_json() != before  # the data did change

    again, rec = rebuild(kept, db=store)
    assert rec["id"] == kept
    assert again.sha256 == built.sha256 and again.data == built.data  # the very file the board saw
    assert build_pack(THEME, "docx", db=store).data != built.data  # today's pack differs

    # the same figures, read "as at" the pack's snapshot
    as_of = AsOf(rec["as_of_upload"], tuple(rec["undone_uploads"]))
    assert dashboard.show(INDICATOR, db=store, as_of_upload=as_of).as_json() == before


def test_an_upload_undone_before_the_pack_stays_out(store):
    n = _sample_uploads(store)
    used = _upload_holding(store, INDICATOR)
    with_it = _latest(store)
    undo(used, db=store, user="analyst")
    snapshot, uploads = current_snapshot(store)
    assert snapshot == AsOf(n, (used,)) and used not in uploads
    assert _latest(store, snapshot) == _latest(store)  # as the store is now: without it
    assert _latest(store, AsOf(n, ())) == with_it  # a pack built before the undo: with it
    assert _latest(store, AsOf(used - 1, ())) != with_it  # before the upload came in: without it


def test_as_of_leaves_the_current_reads_unchanged(store):
    snapshot, _ = current_snapshot(store)
    now = dashboard.all_progress(db=store)
    then = dashboard.all_progress(db=store, as_of_upload=snapshot)
    assert {k: v.as_json() for k, v in now.items()} == {k: v.as_json() for k, v in then.items()}
    assert dashboard.freshness(db=store) == dashboard.freshness(db=store, as_of_upload=snapshot)
    assert dashboard.plan(db=store) == dashboard.plan(db=store, as_of_upload=snapshot)


def test_the_pack_file_says_what_it_was_built_from(store, chromium):
    n = _sample_uploads(store)
    built = build_pack(THEME, "docx", db=store)
    ref = read_reference(built.data, "docx")
    assert ref["as_of_upload"] == n and ref["undone"] == () and ref["theme_id"] == THEME
    doc = Document(io.BytesIO(built.data))
    footer = doc.sections[0].footer.paragraphs[0].text
    assert footer == (
        "Source: WMCA Equity and Inclusion dashboard. Data as at 31 October 2026. "
        f"Pack reference: as at upload {n}, judged 26 November 2026."
    )  # the words 'kpi export archive' lists a kept pack by ("as at upload N")
    about = "\n".join(p.text for p in doc.paragraphs).split("About this pack", 1)[1]
    assert f"Built 26 November 2026 from uploads 1 to {n}." in about
    command = f"kpi export pack --theme {THEME} --format docx --as-of-upload {n} --status-date 2026-11-26"
    assert command in about.replace(" \\\n  ", " ")  # over two lines, as a shell reads it


def test_kpi_keeps_lists_and_rebuilds(kpi, store, chromium, tmp_path):
    first = tmp_path / "board.pptx"
    code, out, err = kpi(
        "export", "pack", "--theme", THEME, "--out", first, "--keep", "--board", "Overview and Scrutiny",
        "--presented-on", "2026-12-10", "--db", store,
    )  # fmt: skip
    assert code == 0, err
    assert "Kept as presented: pack 1 for Overview and Scrutiny." in out
    code, out, err = kpi("export", "archive", "--json", "--db", store)
    assert code == 0, err
    [pack] = json.loads(out)["packs"]
    assert pack["board"] == "Overview and Scrutiny" and pack["presented_on"] == "2026-12-10"
    assert pack["format"] == "pptx" and pack["file_name"] == "board-pack-accessible-housing-2026-11-26.pptx"
    assert ingest_bytes(LATER, "after.csv", db=store, user="analyst").status == "committed"
    again = tmp_path / "again.pptx"
    code, out, err = kpi("export", "rebuild", "1", "--out", again, "--db", store)
    assert code == 0, err
    assert "It is identical to the file kept on the day." in out
    assert again.read_bytes() == first.read_bytes()
    code, _, err = kpi("export", "rebuild", "7", "--out", again, "--db", store)
    assert code == 1 and "There is no kept pack 7" in err


def test_keeping_needs_a_board(kpi, store, tmp_path):
    code, _, err = kpi(
        "export", "pack", "--theme", THEME, "--out", tmp_path / "p.docx", "--keep", "--db", store
    )
    assert code == 1 and "--keep needs --board" in err
    assert not (tmp_path / "p.docx").exists()
    assert archive(db=store) == []


def test_keeping_a_pack_takes_a_role_that_may_write_and_a_refusal_is_audited(chromium, sample_store):
    import datetime as dt

    from metrics import upload as uploads
    from metrics.auth import NotAllowed, User

    viewer = User("viewer@example.org", "Viewer", "viewer", key="https://login.example.org|v1")
    analyst = User("ana@example.org", "Ana", "analyst", key="https://login.example.org|a1")
    admin = User("boss@example.org", "Boss", "admin")
    pack = build_pack("accessible_housing", "pptx", db=sample_store)
    with pytest.raises(NotAllowed):
        keep_as(viewer, pack, board="WMCA Board", presented_on=dt.date(2026, 11, 20), db=sample_store)
    assert archive(db=sample_store) == []
    log = uploads.audit_log(admin, db=sample_store)
    assert log.iloc[0][["Who", "What"]].tolist() == ["viewer@example.org", "keep pack refused"]
    kept = keep_as(analyst, pack, board="WMCA Board", presented_on=dt.date(2026, 11, 20), db=sample_store)
    assert [p["id"] for p in archive(db=sample_store)] == [kept]
