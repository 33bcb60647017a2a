"""The wording only exports use: a series' label, its periods, file names, the "Data as at" line, the header block.

Every export file (chart, CSV, Excel, slide, Word page) is read away from the dashboard, so
it names its own place, periods and date. These labels are shared by the chart files, the
data files and the board pack, so the three say the same thing the same way. Phrases the
screens say too (values, targets, verdicts, dates) are not here: they come from
`metrics.words`, the one place for them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from metrics.catalogue import Indicator
from metrics.charts.timeline import place_text
from metrics.dashboard import Shown
from metrics.series import Point
from metrics.words import long_date, statistics_status_text, target_text

APP_NAME = "WMCA Equity and Inclusion dashboard"
ILLUSTRATIVE_NOTE = "Illustrative sample value"


def series_label(shown: Shown) -> str:
    """Place and breakdown in words: "West Midlands Combined Authority, Sex: Female"."""
    return place_text(shown, mid_sentence=False)


def period_span(points: Sequence[Point]) -> str | None:
    """The periods a series covers, as a subtitle says it: "2022-23 Q1 to 2026-27 Q2"."""
    if not points:
        return None
    first, last = points[0].period, points[-1].period
    return first if first == last else f"{first} to {last}"


def slug(*parts: str) -> str:
    """A file name part from labels: lower case, letters, digits and hyphens only."""
    text = "-".join(p for p in parts if p)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "export"


# A breakdown as a file name says it: an SCF project is a "scheme" on every screen, so its files say so too
# ("...-scheme-tower-a.png"); the upload format and `--breakdown project=...` keep the plan's word.
FILE_DIMENSIONS = {"project": "scheme"}


def dimension_slug(dimension: str) -> str:
    """A breakdown's part of a file name: "sex", "age-band", "scheme"."""
    return slug(FILE_DIMENSIONS.get(dimension, dimension))


def file_stem(shown: Shown) -> str:
    """A series' file name without its extension: indicator, place and breakdown."""
    bd = f"{dimension_slug(shown.breakdown[0])}-{shown.breakdown[1]}" if shown.breakdown else ""
    return slug(shown.indicator.id, shown.geography.code, bd)


def as_at_text(as_at: dt.date | None) -> str:
    """The date line every chart file and pack cover carries: "Data as at 26 November 2026"."""
    return f"Data as at {long_date(as_at)}" if as_at else "Data as at: no data yet"


def base_header(
    indicator: Indicator, place: str, as_at: dt.date | None, illustrative: bool
) -> list[tuple[str, str]]:
    """The header block above a data file's table: what it measures, where, against what, from where."""
    return [
        ("Measure", f"{indicator.name} ({indicator.unit_label})"),
        ("Place", place),
        ("Target", target_text(indicator)),
        ("Source", f"{indicator.source_publication} from {indicator.source_publisher}"),
        ("Status of the statistics", statistics_status_text(indicator.statistics_status, illustrative)),
        ("Data as at", long_date(as_at) if as_at else "no data yet"),
    ]
