"""Sign-in for real: st.login against a local OpenID Connect provider on loopback (oidc-provider-mock).

The app is started with its own secrets file ([auth] pointing at the provider) and roles
file, as a deployment would be; a viewer and an analyst each sign in through the
provider's form. Screenshots go to screenshots/signin-*.png.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from metrics.setup import init_store
from metrics.upload import ingest_bytes

with warnings.catch_warnings():  # a test dependency that warns, at import, about its own use of Authlib
    import authlib.deprecate  # noqa: F401 - it sets its warnings to "always" on import; override after

    warnings.simplefilter("ignore")
    import oidc_provider_mock

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "upload"
KPI = Path(sys.executable).parent / "kpi"
ROLES = """
[analysts]
emails = ["analyst@example.org"]
domains = []
[admins]
emails = []
domains = []
"""
GOOD = b"indicator_id,period,geography,value\njobs_created_wmca_investment,2026-27 Q2,Walsall,29\n"

pytestmark = [
    pytest.mark.browser,
    # The provider (a test dependency) runs in this process and warns about its own Authlib use.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:oidc_provider_mock.*"),
]


@contextlib.contextmanager
def provider_for(emails: tuple[str, ...]) -> Iterator[str]:
    """A local OpenID Connect provider on loopback that knows these people, by verified address (the app
    gives a role to a verified address only); any client id and secret are accepted. Yields its URL."""
    people = [
        oidc_provider_mock.User(
            sub=email, claims={"email": email, "email_verified": True, "name": email.split("@", 1)[0].title()}
        )
        for email in emails
    ]
    with oidc_provider_mock.run_server_in_thread(user_claims=people) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def provider():
    with provider_for(("viewer@example.org", "analyst@example.org")) as url:
        yield url


@pytest.fixture(scope="module")
def signed_app(app_server, provider, tmp_path_factory) -> tuple[str, Path]:
    work = tmp_path_factory.mktemp("signin")
    db = work / "kpi.duckdb"
    init_store(db, sample=False)
    report = ingest_bytes(
        (FIXTURES / "baseline.csv").read_bytes(),
        "baseline.csv",
        db=db,
        user="fixture loader",
        now=dt.datetime(2026, 11, 2, 9),
    )
    assert report.status == "committed"
    (work / "roles.toml").write_text(ROLES, encoding="utf-8")
    write_secrets(work / "secrets.toml", provider)
    env = {
        "KPI_TODAY": "2026-11-26",
        "KPI_ROLES": str(work / "roles.toml"),
        "STREAMLIT_SECRETS_FILES": str(work / "secrets.toml"),
    }
    return app_server(db, env=env), db


def write_secrets(path: Path, provider: str) -> None:
    """The app's [auth] settings for the local provider. Written for a test only, outside the app folder:
    never a committed secret."""
    path.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-long-random-cookie-secret-for-this-test-only"\n'
        'client_id = "wmca-dashboard"\n'
        'client_secret = "test-client-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )


def sign_in(
    page, base_url: str, provider: str, email: str, wait_for_app, screenshot, shot: str | None = None
):
    page.goto(f"{base_url}/Upload")
    wait_for_app(page)
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert not page.locator('[data-testid="stFileUploader"]').count(), "nothing shows before sign-in"
    if shot:
        screenshot(page, shot)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider}/oauth2/authorize*")
    page.fill('input[name="sub"]', email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base_url}/**")
    wait_for_app(page)
    page.goto(f"{base_url}/Upload")
    wait_for_app(page)


def sidebar(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def test_a_viewer_signs_in_and_sees_no_upload_controls(
    browser, signed_app, provider, wait_for_app, screenshot
):
    base_url, db = signed_app
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, base_url, provider, "viewer@example.org", wait_for_app, screenshot, "signin-1-required")
        assert "Signed in as viewer@example.org, viewer" in sidebar(page).replace("\u2060", "")
        assert "signed in as a viewer" in page.locator('[data-testid="stMain"]').inner_text()
        assert not page.locator('[data-testid="stFileUploader"]').count()
        assert not page.get_by_role("button", name="Download the empty template (CSV)").count()
        screenshot(page, "signin-2-viewer")
        page.goto(f"{base_url}/Upload_history")
        wait_for_app(page)
        assert "for analysts and admins" in page.locator('[data-testid="stMain"]').inner_text()
    finally:
        context.close()


def test_an_analyst_signs_in_uploads_as_themselves_and_signs_out(
    browser, signed_app, provider, wait_for_app, after_rerun, screenshot
):
    base_url, db = signed_app
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, base_url, provider, "analyst@example.org", wait_for_app, screenshot)
        assert "Signed in as analyst@example.org, analyst" in sidebar(page).replace("\u2060", "")
        after_rerun(
            page,
            lambda: page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                files=[{"name": "walsall.csv", "mimeType": "text/csv", "buffer": GOOD}]
            ),
        )
        page.get_by_role("button", name="Confirm and write 1 value").click()
        wait_for_app(page)
        assert "walsall.csv" in page.locator('[data-testid="stAlertContentSuccess"]').first.inner_text()
        screenshot(page, "signin-3-analyst")

        listed = subprocess.run(
            [str(KPI), "uploads", "--json", "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "KPI_TODAY": "2026-11-26"},
        )
        newest = json.loads(listed.stdout)["uploads"][0]
        assert (newest["file_name"], newest["user_name"]) == ("walsall.csv", "analyst@example.org")

        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(
            f"{provider}/oauth2/end_session*"
        )  # the provider's own sign-out (RP-initiated logout)
        page.get_by_role("button", name="End session").click()
        page.wait_for_url(f"{base_url}/**")
        page.goto(f"{base_url}/Upload")
        wait_for_app(page)
        assert page.get_by_role("heading", name="Sign in").is_visible()
        screenshot(page, "signin-4-signed-out")
    finally:
        context.close()
