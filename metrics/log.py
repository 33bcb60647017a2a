"""One structured line on standard error for each event that matters: who, what, outcome.

Operators of several replicas read these with their log tools, so each line is one JSON
object. Nothing secret and no uploaded values go in: the user, the action, the outcome,
and the upload id or file name (cleaned of control characters) it was about.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from metrics import clock
from metrics.words import clean_text

_logger = logging.getLogger("kpi.events")


class _Stderr(logging.StreamHandler):
    """Writes to whatever standard error is now (a test or a server may replace it after start-up)."""

    @property  # type: ignore[override]
    def stream(self):  # noqa: D102
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def _handler() -> logging.Logger:
    if not _logger.handlers:
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(message)s"))
        _logger.addHandler(handler)
        _logger.setLevel(logging.INFO)
        _logger.propagate = False
    return _logger


def event(action: str, outcome: str, *, user: str, user_key: str = "", **fields: Any) -> dict[str, Any]:
    """Log one event; returns the record (for tests). Text fields are cleaned and cut to 200 characters."""
    record: dict[str, Any] = {
        "at": clock.now().isoformat(timespec="seconds"),
        "event": action,
        "outcome": outcome,
        "user": clean_text(user)[:200],
        "user_key": clean_text(user_key)[:200],
    }
    for name, value in fields.items():
        record[name] = clean_text(value)[:200] if isinstance(value, str) else value
    _handler().info(json.dumps(record, ensure_ascii=False, default=str))
    return record
