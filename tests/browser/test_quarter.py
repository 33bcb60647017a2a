"""A whole reporting quarter in a real browser, signed in through a local OpenID Connect provider.

The owner and an admin each sign in (their own browser contexts, as two people at two desks). The
owner sees what is due, uploads a file that takes a scheme below the 20% minimum, edits the draft the
page writes from the figures and submits it; the admin approves it and keeps the board pack as
presented, which locks the quarter; the owner's later correction shows on the Indicator page as
revised since presented, beside the approved commentary. The app server sends its alerts to a real
SMTP server on loopback (aiosmtpd), which must receive exactly one message, for the upload that turned
the verdict, addressed to the owner and the subscriber. Screenshots: screenshots/quarter-*.png.
"""

from __future__ import annotations

import shutil
import time

import pytest

from tests.app.test_quarter import ADMIN, CORRECTION, OWNER, ROLES, SCF, SCHEME_BELOW
from tests.browser.test_signin import provider_for, sign_in, write_secrets
from tests.unit.test_alerts_smtp import smtp_inbox

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:oidc_provider_mock.*"),
]
SCF_NAME = "Affordable share of homes in SCF schemes"


@pytest.fixture(scope="module")
def provider():
    with provider_for((OWNER, ADMIN)) as url:
        yield url


@pytest.fixture
def inbox():
    with smtp_inbox() as found:
        yield found


@pytest.fixture
def app(app_server, provider, inbox, sample_template, tmp_path) -> str:
    db = tmp_path / "kpi.duckdb"
    shutil.copyfile(sample_template, db)
    (tmp_path / "roles.toml").write_text(ROLES, encoding="utf-8")
    write_secrets(tmp_path / "secrets.toml", provider)
    return app_server(
        db,
        env={
            "KPI_TODAY": "2026-11-26",
            "KPI_ROLES": str(tmp_path / "roles.toml"),
            "STREAMLIT_SECRETS_FILES": str(tmp_path / "secrets.toml"),
            **inbox[1],
        },
    )


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")


def upload(page, base_url, name: str, data: bytes, wait_for_app, after_rerun) -> None:
    page.goto(f"{base_url}/Upload")
    wait_for_app(page)
    after_rerun(
        page,
        lambda: page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
        ),
    )
    after_rerun(page, lambda: page.get_by_role("button", name="Confirm and write 1 value").click())
    assert name in page.locator('[data-testid="stAlertContentSuccess"]').first.inner_text()


def arrived(messages: list, count: int, seconds: float = 30.0) -> list:
    deadline = time.monotonic() + seconds
    while len(messages) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)  # a second message, if one were sent, would be here by now
    return list(messages)


def test_a_quarter_signed_in_as_the_owner_and_an_admin(
    browser, app, provider, inbox, wait_for_app, after_rerun, screenshot
):
    base_url, mail = app, inbox[0]
    desks = [browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB") for _ in range(2)]
    owner, admin = (d.new_page() for d in desks)
    try:
        # 1. The owner signs in and sees what is due.
        sign_in(owner, base_url, provider, OWNER, wait_for_app, screenshot)
        owner.goto(f"{base_url}/My_updates")
        wait_for_app(owner)
        assert "were due by 11 November 2026" in main_text(owner)
        screenshot(owner, "quarter-1-due")

        # 2. An upload that takes a scheme below the minimum: exactly one e-mail, to the owner and subscriber.
        upload(owner, base_url, "q2-schemes.csv", SCHEME_BELOW, wait_for_app, after_rerun)
        [message] = arrived(mail.messages, 1)
        assert message["To"] == f"{ADMIN}, {OWNER}"
        assert "1 scheme fell below the minimum" in " ".join(str(message["Subject"]).split())

        # 3. The owner edits the draft written from the figures, and submits it.
        owner.goto(f"{base_url}/My_updates")
        wait_for_app(owner)
        why = owner.get_by_label("Why")
        assert why.input_value().startswith("Off track: 4 of 15 schemes are below the 20% minimum")
        assert owner.get_by_label("What happened").input_value().startswith(f"{SCF_NAME} was ")
        why.fill(why.input_value() + " Coventry scheme 9 lost its grant.")
        owner.get_by_label("What happens next").fill("The December panel reviews the four schemes.")
        after_rerun(owner, lambda: owner.get_by_role("button", name="Submit for approval").click())
        assert "Version 1 submitted for approval." in main_text(owner)
        screenshot(owner, "quarter-2-submitted")

        # 4. The admin signs in and approves it.
        sign_in(admin, base_url, provider, ADMIN, wait_for_app, screenshot)
        admin.goto(f"{base_url}/My_updates")
        wait_for_app(admin)
        waiting = admin.locator('[data-testid="stExpander"] summary', has_text=SCF_NAME)
        assert waiting.inner_text().replace("\u2060", "").strip().endswith(f"\n{SCF_NAME} (by {OWNER})")
        waiting.click()
        after_rerun(admin, lambda: admin.get_by_role("button", name="Approve").click())
        assert f"{SCF_NAME}: approved." in main_text(admin)

        # 5. The admin keeps the board pack as presented today: the quarter locks.
        admin.goto(f"{base_url}/Export")
        wait_for_app(admin)
        admin.get_by_text("Word (.docx): an accessible document").click()
        admin.get_by_text("Keep it in the archive as presented to a board").click()
        admin.get_by_label("Board or meeting (when kept)").fill("WMCA Board")
        after_rerun(admin, lambda: admin.get_by_role("button", name="Build the board pack").click(), 180_000)
        assert "kept in the archive as presented to WMCA Board on 26 November 2026" in main_text(admin)
        screenshot(admin, "quarter-3-kept")

        # 6. The owner's later correction is allowed, and flagged beside the approved commentary.
        upload(owner, base_url, "q2-correction.csv", CORRECTION, wait_for_app, after_rerun)
        owner.goto(f"{base_url}/Indicator?indicator={SCF}")
        wait_for_app(owner)
        shown = main_text(owner)
        assert "Owner's commentary, 2026-27 Q2" in shown and "Coventry scheme 9 lost its grant." in shown
        assert (
            "2026-27 Q2: revised since presented to the WMCA Board on 26 November 2026 (then 25.4%, now 25.2%)."
            in shown
        )
        screenshot(owner, "quarter-4-revised")
        owner.set_viewport_size({"width": 390, "height": 844})
        wait_for_app(owner)
        screenshot(owner, "quarter-4-revised-390")
        assert len(arrived(mail.messages, 2, seconds=2.0)) == 1  # the correction turned no verdict
    finally:
        for d in desks:
            d.close()
