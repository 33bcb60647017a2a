"""One injectable clock, so tests and golden files can pin "today".

Set KPI_TODAY=2026-11-26 (and optionally KPI_NOW=2026-11-26T09:00:00) to pin it;
rendering code asks this module and never calls datetime.now() itself.
"""

from __future__ import annotations

import datetime as dt
import os

from metrics import periods


def now() -> dt.datetime:
    pinned = os.environ.get("KPI_NOW")
    if pinned:
        return dt.datetime.fromisoformat(pinned)
    day = os.environ.get("KPI_TODAY")
    if day:
        return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9, 0))
    return dt.datetime.now().replace(microsecond=0)


def today() -> dt.date:
    return now().date()


long_date = periods.long_date  # GOV.UK style "26 November 2026", whatever the locale
