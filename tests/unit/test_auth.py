"""Who may do what: roles from the roles file, and the refusal in the code path that writes.

The pages hide upload controls from viewers; these tests hold the second line: a
viewer calling the write functions directly is refused and nothing is written.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from metrics import dashboard
from metrics import upload as uploads
from metrics.auth import (
    DEFAULT_ROLES_FILE,
    LOCAL_ANALYST,
    NotAllowed,
    RolesError,
    User,
    load_roles,
    parse_roles,
    require,
    role_for,
    roles_path,
    user_from_claims,
)
from metrics.setup import init_store
from metrics.store import connect
from metrics.upload import ingest_bytes
from tests.conftest import postgres_copy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "upload"
ROLES = """
[analysts]
emails = ["Ana.Lyst@Example.org"]
domains = ["analysts.example.org"]

[admins]
emails = ["boss@example.org"]
domains = []
"""
VIEWER = User("viewer@example.org", "Viewer", "viewer")
ANALYST = User("ana.lyst@example.org", "Ana", "analyst")
OTHER_ANALYST = User("someone@analysts.example.org", "Someone", "analyst")
ADMIN = User("boss@example.org", "Boss", "admin")
NEW_VALUE = (
    b"indicator_id,period,geography,value\nhouseholds_temporary_accommodation,2026-27 Q2,Birmingham,6300\n"
)


# ---------------------------------------------------------------- roles from the file


def test_roles_come_from_emails_and_domains_case_insensitively():
    config = parse_roles(ROLES)
    assert role_for("ana.lyst@example.org", config) == "analyst"
    assert role_for("ANA.LYST@EXAMPLE.ORG", config) == "analyst"
    assert role_for("anyone@analysts.example.org", config) == "analyst"
    assert role_for("boss@example.org", config) == "admin"
    assert role_for("stranger@example.org", config) == "viewer"
    assert role_for(None, config) == "viewer"


def test_a_domain_is_matched_exactly_not_as_a_suffix():
    config = parse_roles(ROLES)
    assert role_for("eve@evil-analysts.example.org", config) == "viewer"
    assert role_for("eve@team.analysts.example.org", config) == "viewer"
    assert role_for("analysts.example.org@evil.test", config) == "viewer"


ISS = "https://login.example.org"


def test_an_unverified_or_unconfirmed_email_address_earns_no_role():
    config = parse_roles(ROLES)
    claims = {"iss": ISS, "sub": "u1", "email": "boss@example.org"}
    assert user_from_claims({**claims, "email_verified": False}, config).role == "viewer"
    assert user_from_claims({**claims, "email_verified": "false"}, config).role == "viewer"
    assert user_from_claims(claims, config).role == "viewer"  # a missing claim is not taken on trust
    admin = user_from_claims({**claims, "email_verified": True, "name": "B"}, config)
    assert (admin.role, admin.id, admin.name, admin.local) == ("admin", "boss@example.org", "B", False)
    assert admin.key == f"{ISS}|u1"
    # No subject: no stable identity, so no role either.
    assert user_from_claims({"email": "boss@example.org", "email_verified": True}, config).role == "viewer"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[analysts]\nemails = ["not-an-address"]\n', "not an e-mail address"),
        ('[admins]\ndomains = ["@example.org"]\n', None),
        ('[admins]\ndomains = ["x@example.org"]\n', "Write a domain like example.org"),
        ('[editors]\nemails = ["a@example.org"]\n', "Use [analysts], [admins], [teams] and [alerts]"),
        ("[analysts]\nemails = 'a@example.org'\n", "must be a list of text"),
        ("[analysts\n", "cannot be read as TOML"),
    ],
)
def test_a_wrong_roles_file_says_what_to_change(text, said):
    if said is None:  # a leading @ is forgiven: the domain is still clear
        assert parse_roles(text).admins.domains == frozenset({"example.org"})
        return
    with pytest.raises(RolesError, match=re.escape(said)) as caught:
        parse_roles(text, "roles.toml")
    assert "roles.toml" in str(caught.value)


def test_the_roles_file_is_the_setting_and_changes_apply_at_once(tmp_path, monkeypatch):
    path = tmp_path / "roles.toml"
    monkeypatch.setenv("KPI_ROLES", str(path))
    assert roles_path() == path
    assert role_for("boss@example.org", load_roles()) == "viewer"  # no file: everyone is a viewer
    path.write_text(ROLES, encoding="utf-8")
    assert role_for("boss@example.org", load_roles()) == "admin"
    path.write_text('[admins]\nemails = ["other@example.org"]\n', encoding="utf-8")
    os.utime(path, ns=(1, 2_000_000_000_000_000_000))  # a different modification time, however fast the test
    assert role_for("boss@example.org", load_roles()) == "viewer"


def test_the_example_roles_file_is_valid_and_is_the_default(monkeypatch):
    monkeypatch.delenv("KPI_ROLES", raising=False)
    assert roles_path() == DEFAULT_ROLES_FILE
    config = load_roles()
    assert role_for("analyst@example.org", config) == "analyst"
    assert role_for("admin@example.org", config) == "admin"


# ---------------------------------------------------------------- what each role may do


def test_each_role_includes_the_one_before():
    assert [VIEWER.can(a) for a in ("browse", "export", "upload", "undo", "audit_log")] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert [ANALYST.can(a) for a in ("browse", "export", "upload", "undo", "audit_log")] == [
        True,
        True,
        True,
        True,
        False,
    ]
    assert all(ADMIN.can(a) for a in ("browse", "export", "upload", "undo", "see_all_uploads", "audit_log"))


def test_a_refusal_says_who_can_and_what_to_do():
    with pytest.raises(NotAllowed) as caught:
        require(VIEWER, "upload")
    message = str(caught.value)
    assert "viewer@example.org" in message and "viewer" in message
    assert "Only analysts and admins can" in message and "Ask an admin" in message
    with pytest.raises(NotAllowed, match="Only admins can"):
        require(ANALYST, "audit_log")
    require(ADMIN, "audit_log")


def test_without_sign_in_the_app_is_one_local_analyst():
    assert LOCAL_ANALYST.role == "analyst" and LOCAL_ANALYST.local
    assert LOCAL_ANALYST.id == "local analyst"  # what `kpi ingest` records by default too
    assert LOCAL_ANALYST.can("upload") and LOCAL_ANALYST.can("undo")
    assert not LOCAL_ANALYST.can("audit_log")
    assert LOCAL_ANALYST.sees_all_uploads  # the store is on their own machine


# ---------------------------------------------------------------- the write path refuses


@pytest.fixture
def store(engine, request, tmp_path) -> Path | str:
    if engine == "postgres":
        db = postgres_copy(request, "empty")
    else:
        db = tmp_path / "kpi.duckdb"
        init_store(db, sample=False)
    report = ingest_bytes((FIXTURES / "baseline.csv").read_bytes(), "baseline.csv", db=db, user=ANALYST.id)
    assert report.status == "committed", report.as_json()
    return db


def _counts(db: Path) -> tuple[int, int]:
    with connect(db, read_only=True) as con:
        uploads_n = con.execute("SELECT count(*) FROM upload").fetchone()[0]
        values_n = con.execute("SELECT count(*) FROM observation").fetchone()[0]
    return uploads_n, values_n


def test_a_viewer_calling_the_write_functions_directly_is_refused_and_nothing_is_written(store):
    before = _counts(store)
    with pytest.raises(NotAllowed):
        uploads.commit_as(VIEWER, NEW_VALUE, "forged.csv", db=store)
    with pytest.raises(NotAllowed):
        uploads.check_as(
            VIEWER, b"not,a,template\n1,2,3\n", "forged.csv", db=store
        )  # would record a rejection
    with pytest.raises(NotAllowed):
        uploads.record_rejected_as(VIEWER, b"nope", "forged.csv", db=store)
    with pytest.raises(NotAllowed):
        uploads.undo_as(VIEWER, 1, db=store)
    assert _counts(store) == before
    assert [u["outcome"] for u in dashboard.uploads(db=store)] == ["committed"]
    assert (
        dashboard.show("households_temporary_accommodation", "Birmingham", db=store).series[-1].value == 6243
    )


def test_every_write_records_the_signed_in_user(store):
    report = uploads.commit_as(OTHER_ANALYST, NEW_VALUE, "q2.csv", db=store)
    rejected = uploads.check_as(OTHER_ANALYST, b"indicator_id,period\nx,y\n", "bad.csv", db=store)
    uploads.undo_as(OTHER_ANALYST, report.upload_id, db=store)
    listed = {u["id"]: u for u in dashboard.uploads(db=store)}
    assert listed[report.upload_id]["user_name"] == OTHER_ANALYST.id
    assert listed[report.upload_id]["undone_by"] == OTHER_ANALYST.id
    assert listed[rejected.upload_id]["user_name"] == OTHER_ANALYST.id
    assert listed[rejected.upload_id]["outcome"] == "rejected"


@pytest.mark.both_engines
def test_an_analyst_undoes_only_their_own_uploads_and_an_admin_anyones(store):
    mine = uploads.commit_as(ANALYST, NEW_VALUE, "mine.csv", db=store)
    with pytest.raises(NotAllowed, match="made by someone else"):
        uploads.undo_as(OTHER_ANALYST, mine.upload_id, db=store)
    assert (
        dashboard.show("households_temporary_accommodation", "Birmingham", db=store).series[-1].value == 6300
    )
    uploads.undo_as(ADMIN, mine.upload_id, db=store)
    assert (
        dashboard.show("households_temporary_accommodation", "Birmingham", db=store).series[-1].value == 6243
    )


def test_analysts_see_their_own_uploads_admins_and_the_local_analyst_everyones(store):
    uploads.commit_as(OTHER_ANALYST, NEW_VALUE, "theirs.csv", db=store)
    rows = dashboard.uploads(db=store)
    assert [r["file_name"] for r in uploads.uploads_visible_to(ANALYST, rows)] == ["baseline.csv"]
    assert [r["file_name"] for r in uploads.uploads_visible_to(OTHER_ANALYST, rows)] == ["theirs.csv"]
    assert len(uploads.uploads_visible_to(ADMIN, rows)) == 2
    assert len(uploads.uploads_visible_to(LOCAL_ANALYST, rows)) == 2
    assert uploads.uploads_visible_to(VIEWER, rows) == []


def test_an_upload_belongs_to_the_identity_not_the_address(store):
    """Two accounts with one address (a recycled mailbox, a second provider) are two people."""
    config = parse_roles(ROLES)
    first = user_from_claims(
        {"iss": ISS, "sub": "a1", "email": "ana.lyst@example.org", "email_verified": True}, config
    )
    second = user_from_claims(
        {"iss": ISS, "sub": "b2", "email": "ana.lyst@example.org", "email_verified": True}, config
    )
    assert first.role == second.role == "analyst"
    report = uploads.commit_as(first, NEW_VALUE, "mine.csv", db=store)
    assert uploads.get_upload(report.upload_id, db=store)["user_key"] == f"{ISS}|a1"
    with pytest.raises(NotAllowed, match="made by someone else"):
        uploads.undo_as(second, report.upload_id, db=store)
    rows = dashboard.uploads(db=store)
    assert "mine.csv" not in [r["file_name"] for r in uploads.uploads_visible_to(second, rows)]
    assert "mine.csv" in [r["file_name"] for r in uploads.uploads_visible_to(first, rows)]
    uploads.undo_as(first, report.upload_id, db=store)


@pytest.mark.both_engines
def test_refused_attempts_are_in_the_audit_log_and_logged_as_one_line_each(store, capfd):
    import json as _json

    capfd.readouterr()
    with pytest.raises(NotAllowed):
        uploads.commit_as(VIEWER, NEW_VALUE, "forged\x07.csv", db=store)
    mine = uploads.commit_as(ANALYST, NEW_VALUE, "mine.csv", db=store)
    with pytest.raises(NotAllowed):
        uploads.undo_as(OTHER_ANALYST, mine.upload_id, db=store)
    log = uploads.audit_log(ADMIN, db=store)
    refused = log[log["What"].str.endswith("refused")]
    assert refused[["Who", "What", "File name"]].values.tolist() == [
        ["someone@analysts.example.org", "undo refused", "mine.csv"],
        ["viewer@example.org", "upload refused", "forged.csv"],
    ]
    assert refused["Upload"].tolist()[0] == mine.upload_id
    lines = [_json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")]
    assert [(e["event"], e["outcome"], e["user"]) for e in lines] == [
        ("upload", "refused", "viewer@example.org"),
        ("upload", "committed", "ana.lyst@example.org"),
        ("undo", "refused", "someone@analysts.example.org"),
    ]
    assert lines[0]["file_name"] == "forged.csv"  # cleaned: no control characters in the log
    text = "\n".join(_json.dumps(e) for e in lines)
    assert "6300" not in text  # no uploaded values in the log


@pytest.mark.both_engines
def test_only_admins_read_the_audit_log(store):
    report = uploads.commit_as(ANALYST, NEW_VALUE, "q2.csv", db=store)
    uploads.undo_as(ANALYST, report.upload_id, db=store)
    with pytest.raises(NotAllowed):
        uploads.audit_log(ANALYST, db=store)
    log = uploads.audit_log(ADMIN, db=store)
    assert list(log["What"][:2]) == ["upload undone", "upload committed"]
    assert set(log["Who"]) == {ANALYST.id}


# ---------------------------------------------------------------- the deployment fails closed


def test_a_secrets_file_that_cannot_be_read_stops_the_app(tmp_path):
    from metrics.auth import SetupProblem, read_secrets

    good = tmp_path / "good.toml"
    good.write_text('[auth]\nredirect_uri = "https://x/oauth2callback"\n')
    broken = tmp_path / "secrets.toml"
    broken.write_text('[auth]\nclient_id = "abc\n')  # one missing quote
    assert read_secrets([tmp_path / "absent.toml", good]) == {
        "auth": {"redirect_uri": "https://x/oauth2callback"}
    }
    with pytest.raises(SetupProblem) as caught:
        read_secrets([good, broken])
    assert str(broken) in str(caught.value) and "will not start" in str(caught.value)


COMPLETE = {
    "redirect_uri": "https://dashboard.example.org/oauth2callback",
    "cookie_secret": "s" * 32,
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
}


@pytest.mark.parametrize(
    ("secrets", "address", "mode"),
    [
        ({"auth": COMPLETE}, "", "sign_in"),
        ({"auth": {**{k: v for k, v in COMPLETE.items() if k.startswith(("redirect", "cookie"))},
                   "corporate": {k: v for k, v in COMPLETE.items() if not k.startswith(("redirect", "cookie"))}}},
         "0.0.0.0", "sign_in"),
        ({}, "127.0.0.1", "local"),
        ({}, "localhost", "local"),
        ({}, "::1", "local"),
        ({}, "", "read_only"),  # Streamlit's default listens on every interface
        ({}, "0.0.0.0", "read_only"),
        ({}, "10.1.2.3", "read_only"),
    ],
)  # fmt: skip
def test_the_local_analyst_exists_only_on_loopback_and_no_sign_in_elsewhere_is_read_only(
    secrets, address, mode
):
    from metrics.auth import deployment

    assert deployment(secrets, address) == mode


@pytest.mark.parametrize("missing", ["cookie_secret", "client_secret", "server_metadata_url"])
def test_an_incomplete_auth_section_stops_the_app_rather_than_opening_it(missing):
    from metrics.auth import SetupProblem, deployment

    auth = {k: v for k, v in COMPLETE.items() if k != missing}
    with pytest.raises(SetupProblem) as caught:
        deployment({"auth": auth}, "127.0.0.1")
    assert missing in str(caught.value) and "will not start" in str(caught.value)


def test_a_deployment_without_sign_in_is_read_only():
    from metrics.auth import PUBLIC_VIEWER

    assert PUBLIC_VIEWER.role == "viewer" and not PUBLIC_VIEWER.local
    assert not PUBLIC_VIEWER.can("upload") and not PUBLIC_VIEWER.can("undo")
