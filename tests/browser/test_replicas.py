"""Two replicas of the app on one PostgreSQL database, as docs/deploy.md runs them: a figure uploaded
through the first replica's Upload page shows on the second replica's Indicator page."""

from __future__ import annotations

import re

import pytest

from tests.conftest import postgres_copy

pytestmark = pytest.mark.browser
INDICATOR = "households_temporary_accommodation"  # a level: the latest figure is shown as uploaded
WALSALL = "E08000030"


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_an_upload_through_one_replica_shows_on_the_other(
    request, app_server, browser, wait_for_app, after_rerun
):
    url = postgres_copy(request, "sample")
    replicas = [
        app_server(url, env={"KPI_TODAY": "2026-11-26", "KPI_REPLICA": name}) for name in ("first", "second")
    ]
    assert replicas[0] != replicas[1], "two servers, not one reused"
    first, second = browser.new_page(), browser.new_page()
    try:
        second.goto(f"{replicas[1]}/Indicator?indicator={INDICATOR}&geography={WALSALL}")
        wait_for_app(second)
        before = main_text(second)
        assert "793 (2026-27 Q2)" in before and "Latest upload 2 November 2026" in before

        first.goto(f"{replicas[0]}/Upload")
        wait_for_app(first)
        data = f"indicator_id,period,geography,value\n{INDICATOR},2026-27 Q3,Walsall,812\n".encode()
        after_rerun(
            first,
            lambda: first.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                files=[{"name": "walsall.csv", "mimeType": "text/csv", "buffer": data}]
            ),
        )
        first.get_by_role("button", name=re.compile("^Confirm and write")).click()
        wait_for_app(first)
        assert (
            "is in: walsall.csv" in first.locator('[data-testid="stAlertContentSuccess"]').first.inner_text()
        )

        # A fresh visit (a reload keeps the period range the first visit wrote into the address).
        second.goto(f"{replicas[1]}/Indicator?indicator={INDICATOR}&geography={WALSALL}")
        wait_for_app(second)
        text = main_text(second)
        assert "Latest upload 26 November 2026" in text and "812 (2026-27 Q3)" in text
    finally:
        first.close()
        second.close()
