"""Alerts: one message per upload listing the verdicts it turned and why, and a weekly digest of what is due.

After an upload is committed, its indicators are judged twice, as if it had not been made (the undo
preview's reading: the same rule, that upload left out) and as they are now; every verdict that changed,
and every scheme newly below an every-scheme minimum, goes into one message to the owners concerned and
the subscribers named in the roles file, with links to the views. Messages go by SMTP when it is set up
(KPI_SMTP_HOST and the settings below); otherwise, or when sending fails, they are kept and shown in the
app only. Every message is kept (table alert) and appears in the audit log.

Settings: KPI_SMTP_HOST, KPI_SMTP_PORT (25), KPI_SMTP_FROM, KPI_SMTP_USER and KPI_SMTP_PASSWORD (both or
neither), KPI_SMTP_STARTTLS (true/false), KPI_APP_URL (the dashboard's address, for links).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import smtplib
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote

from metrics import clock, log
from metrics.asof import Db
from metrics.auth import RoleConfig, load_roles
from metrics.catalogue import Catalogue, default_catalogue
from metrics.cycle.owners import current_owners
from metrics.store import connect, execute, fetch_dicts, scalar, transaction
from metrics.words import format_value, verdict_word

DEFAULT_APP_URL = "http://localhost:8501"
SMTP_TIMEOUT_S = 10


class _Without:
    """The data as if one upload had not been made: what the undo preview reads (upload_counts)."""

    def __init__(self, upload_id: int) -> None:
        self.upload_id = upload_id

    def params(self) -> dict[str, Any]:
        return {"as_of_upload": None, "undone_uploads": [self.upload_id]}


@dataclass(frozen=True)
class Turn:
    indicator_id: str
    name: str
    before: str
    after: str
    reason: str
    new_below: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Alert:
    id: int
    kind: str
    upload_id: int | None
    recipients: tuple[str, ...]
    subject: str
    body: str
    delivery: str
    error: str | None


def app_url() -> str:
    return os.environ.get("KPI_APP_URL", DEFAULT_APP_URL).rstrip("/")


def turns(upload_id: int, *, db: Db, catalogue: Catalogue, today: dt.date) -> list[Turn]:
    """The verdicts an upload changed, and the schemes it took below an every-scheme minimum."""
    from metrics.dashboard import show

    with connect(db, read_only=True) as con:
        touched = fetch_dicts(con, "touched_indicator_periods", {"upload_id": upload_id})[0]["indicators"]
    out = []
    for ind_id in sorted(touched or []):
        if not catalogue.has_indicator(ind_id):
            continue
        ind = catalogue.indicator(ind_id)
        before = show(ind, db=db, catalogue=catalogue, today=today, as_of_upload=_Without(upload_id)).progress  # type: ignore[arg-type]
        after = show(ind, db=db, catalogue=catalogue, today=today).progress
        was_below = {name for name, _ in before.breaking}
        new_below = tuple((n, v) for n, v in after.breaking if n not in was_below)
        if before.verdict != after.verdict or new_below:
            out.append(Turn(ind.id, ind.short_name, before.verdict, after.verdict, after.reason, new_below))
    return out


def message(upload_id: int, changes: list[Turn], catalogue: Catalogue) -> tuple[str, str]:
    """The subject and plain-text body of an upload's alert."""
    turned = sum(1 for t in changes if t.before != t.after)
    below = sum(len(t.new_below) for t in changes)
    parts = []
    if turned:
        parts.append(f"{turned} verdict{'s' if turned != 1 else ''} changed")
    if below:
        parts.append(f"{below} scheme{'s' if below != 1 else ''} fell below the minimum")
    subject = f"Upload {upload_id}: {' and '.join(parts)} on the Equity and Inclusion dashboard"
    n = len(changes)
    lines = [
        f"Upload {upload_id} changed what the dashboard says about {n} indicator{'s' if n != 1 else ''}:",
        "",
    ]
    for t in changes:
        ind = catalogue.indicator(t.indicator_id)
        if t.before != t.after:
            lines.append(
                f"- {t.name}: {verdict_word(t.before).lower()} to {verdict_word(t.after).lower()}. {t.reason}"
            )
        else:
            lines.append(f"- {t.name}: still {verdict_word(t.after).lower()}. {t.reason}")
        for name, value in t.new_below:
            lines.append(f"  Now below the minimum: {name} ({format_value(ind, value)}).")
        lines.append(f"  See it: {app_url()}/Indicator?indicator={quote(t.indicator_id)}")
    lines += ["", "You get this because you own one of these indicators or asked for every alert."]
    return subject, "\n".join(lines)


def recipients(
    changes: list[Turn], *, owners: dict[tuple[str, str], str], roles: RoleConfig
) -> tuple[str, ...]:
    people: set[str] = set(roles.subscribers)
    for t in changes:
        people |= roles.people(owners.get(("indicator", t.indicator_id), ""))
    return tuple(sorted(people))


def send(to: tuple[str, ...], subject: str, body: str) -> tuple[str, str | None]:
    """Send by SMTP where it is set up: ("smtp", None), or ("app", why not) to keep it in the app only."""
    host = os.environ.get("KPI_SMTP_HOST", "").strip()
    if not host:
        return "app", None
    if not to:
        return "app", "nobody to send it to: no owner or subscriber has an e-mail address"
    msg = EmailMessage()
    msg["From"] = os.environ.get("KPI_SMTP_FROM", "dashboard@localhost")
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg.set_content(body)
    try:
        with smtplib.SMTP(host, int(os.environ.get("KPI_SMTP_PORT", "25")), timeout=SMTP_TIMEOUT_S) as smtp:
            if os.environ.get("KPI_SMTP_STARTTLS", "").strip().lower() == "true":
                smtp.starttls()
            user, password = os.environ.get("KPI_SMTP_USER"), os.environ.get("KPI_SMTP_PASSWORD")
            if user and password:
                smtp.login(user, password)
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        return "app", f"sending failed: {exc}"
    return "smtp", None


def keep(
    kind: str,
    upload_id: int | None,
    to: tuple[str, ...],
    subject: str,
    body: str,
    *,
    db: Db,
    now: dt.datetime,
) -> Alert:
    delivery, error = send(to, subject, body)
    with connect(db) as con, transaction(con):
        alert_id = int(scalar(con, "next_alert_id"))
        execute(
            con,
            "insert_alert",
            {
                "id": alert_id, "kind": kind, "upload_id": upload_id, "created_at": now,
                "recipients": json.dumps(list(to)), "subject": subject, "body": body, "delivery": delivery,
                "sent_at": now if delivery == "smtp" else None, "error": error,
            },
        )  # fmt: skip
    if error:
        log.event("alert", "kept in the app", user="dashboard", upload=upload_id, detail=error)
    return Alert(alert_id, kind, upload_id, to, subject, body, delivery, error)


def after_upload(
    upload_id: int,
    *,
    db: Db = None,
    catalogue: Catalogue | None = None,
    roles: RoleConfig | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Alert | None:
    """The alert for a committed upload, if it turned anything; sent and kept. Never raises for a send."""
    catalogue = catalogue or default_catalogue()
    changes = turns(upload_id, db=db, catalogue=catalogue, today=today or clock.today())
    if not changes:
        return None
    roles = roles or load_roles()
    to = recipients(changes, owners=current_owners(db=db, catalogue=catalogue), roles=roles)
    subject, body = message(upload_id, changes, catalogue)
    return keep("upload", upload_id, to, subject, body, db=db, now=now or clock.now())


def after_upload_in_background(upload_id: int, db: Db = None) -> threading.Thread:
    """after_upload on a thread of its own: the Upload page confirms at once, and a slow or unreachable
    mail server never holds it up (failures are kept with the alert and logged)."""

    def run() -> None:
        try:
            after_upload(upload_id, db=db)
        except Exception as exc:  # noqa: BLE001 - an alert must never break the upload it follows
            log.event("alert", "failed", user="dashboard", upload=upload_id, detail=type(exc).__name__)

    thread = threading.Thread(target=run, name=f"kpi-alert-{upload_id}", daemon=True)
    thread.start()
    return thread


def recent(*, db: Db = None, limit: int = 50) -> list[dict[str, Any]]:
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(con, "list_alerts", {})
    for r in rows:
        r["recipients"] = json.loads(r["recipients"]) if isinstance(r["recipients"], str) else r["recipients"]
    return rows[:limit]
