"""Alerts by e-mail: a real SMTP conversation with a local server (aiosmtpd on loopback), read back."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from metrics.auth import RoleConfig
from metrics.cycle import alerts

TODAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 9, 0)


class _Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


@contextlib.contextmanager
def smtp_inbox() -> Iterator[tuple[_Inbox, dict[str, str]]]:
    """A real SMTP server on a free loopback port: what it receives, and the settings that send to it."""
    handler = _Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings = {
        "KPI_SMTP_HOST": "127.0.0.1",
        "KPI_SMTP_PORT": str(port),
        "KPI_SMTP_FROM": "dashboard@wmca.example",
        "KPI_APP_URL": "https://dashboard.wmca.example",
    }
    try:
        yield handler, settings
    finally:
        controller.stop()


@pytest.fixture
def inbox(monkeypatch):
    with smtp_inbox() as (handler, settings):
        for name, value in settings.items():
            monkeypatch.setenv(name, value)
        yield handler


def test_an_upload_alert_arrives_once_with_what_turned_and_a_link(sample_store, inbox):
    from tests.unit.test_cycle import ROLES, SCF, _upload

    uid = _upload(
        sample_store,
        [{"indicator_id": SCF, "period": "2026-27 Q2", "geography": "Coventry", "numerator": "5", "denominator": "100",
          "breakdown_dimension": "project", "breakdown_value": "Coventry scheme 9", "status": "provisional"}],
    )  # fmt: skip
    alert = alerts.after_upload(uid, db=sample_store, roles=ROLES, today=TODAY, now=NOW)
    assert alert is not None and (alert.delivery, alert.error) == ("smtp", None)
    [mail] = inbox.messages
    assert mail["From"] == "dashboard@wmca.example"
    assert mail["To"] == "admin@wmca.example, owner@wmca.example"
    assert " ".join(str(mail["Subject"]).split()) == alert.subject  # long headers are folded on the wire
    body = mail.get_payload(decode=True).decode("utf-8")
    assert "Now below the minimum: Coventry scheme 9 (5.0%)." in body
    assert f"https://dashboard.wmca.example/Indicator?indicator={SCF}" in body
    [kept] = alerts.recent(db=sample_store)
    assert kept["delivery"] == "smtp" and kept["sent_at"] == NOW


def test_a_server_that_cannot_be_reached_keeps_the_alert_in_the_app_with_the_reason(
    sample_store, monkeypatch
):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    monkeypatch.setenv("KPI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KPI_SMTP_PORT", str(closed))
    alert = alerts.keep(
        "digest", None, ("owner@wmca.example",), "Updates due", "Body", db=sample_store, now=NOW
    )
    assert alert.delivery == "app" and alert.error.startswith("sending failed:")
    assert alerts.recent(db=sample_store)[0]["error"] == alert.error


def test_nobody_to_send_to_is_said_not_hidden(sample_store, inbox):
    alert = alerts.keep("upload", None, (), "Subject", "Body", db=sample_store, now=NOW)
    assert (alert.delivery, alert.error) == (
        "app",
        "nobody to send it to: no owner or subscriber has an e-mail address",
    )
    assert inbox.messages == []
    assert RoleConfig().people("a team nobody listed") == frozenset()
