"""The series as the charts read it: every period from the first to the last, gaps included.

Missing is not zero, so a chart needs the periods with no figure as much as the ones
with one: a suppressed value (c, x, z) or a period with no row at all is kept here as
a row with no value and the reason why, and is drawn as a break in the line. The
small facts every chart and sentence asks of a series (the valued points, whether a
value meets its target, whether the projection belongs on this range) live here
too, so the title, the line and the description answer them the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from metrics import periods
from metrics.catalogue import Indicator
from metrics.context import trim_references
from metrics.dashboard import Shown
from metrics.series import Point
from metrics.words import dimension_label, missing_reason


@dataclass(frozen=True)
class _Row:
    period: str
    start: dt.date
    end: dt.date
    point: Point | None  # None: no figure at all for this period

    @property
    def value(self) -> float | None:
        return None if self.point is None else self.point.value

    @property
    def missing_text(self) -> str | None:
        """Why there is no value, or None when there is one."""
        if self.point is None:
            return "no figure"
        if self.point.value is None:
            return f"missing: {missing_reason(self.point.missing)}"
        return None


def every_period(shown: Shown) -> list[tuple[str, dt.date, dt.date, Point | None]]:
    """Every period from the first to the last, with None where no figure was uploaded.

    A chart shows such a period as a gap and its table says "no figure"; an export's data file
    (metrics.export.tables) has the same rows, so a reader never mistakes a gap for the series ending.
    """
    points = sorted(shown.series, key=lambda p: (p.start, p.end))
    if not points:
        return []
    ind = shown.indicator
    try:
        first = periods.Period(points[0].period, points[0].start, points[0].end)
        last = periods.Period(points[-1].period, points[-1].start, points[-1].end)
        every = periods.periods_between(first, last, ind.frequency, ind.year_type)
    except ValueError:
        every = []
    by_key = {(p.start, p.end): p for p in points}
    keys = {(q.start, q.end) for q in every}
    if not every or any(k not in keys for k in by_key):
        return [(p.period, p.start, p.end, p) for p in points]
    return [(q.label, q.start, q.end, by_key.get((q.start, q.end))) for q in every]


def _timeline(shown: Shown) -> list[_Row]:
    """The series with every period between its first and last, so a period with no row shows as a gap."""
    return [_Row(*period) for period in every_period(shown)]


def restrict(shown: Shown, first: str | None = None, last: str | None = None) -> Shown:
    """The same series limited to periods from `first` to `last` (labels), for a chosen period range.

    The progress is left as it is: the status is about the whole series, whatever range is shown.
    """
    labels = [p.period for p in sorted(shown.series, key=lambda p: (p.start, p.end))]
    lo = labels.index(first) if first in labels else 0
    hi = labels.index(last) if last in labels else len(labels) - 1
    keep = set(labels[lo : hi + 1])
    return trim_references(replace(shown, series=[p for p in shown.series if p.period in keep]))


def _valued(shown: Shown) -> list[Point]:
    """The points with a value, in time order: what a title or description counts from."""
    return [p for p in sorted(shown.series, key=lambda p: (p.start, p.end)) if p.value is not None]


def _is_missing(value: Any) -> bool:
    """None, NaN or pd.NA: a frame can hold any of them where a value is missing."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _with_values(frame: pd.DataFrame, key: str) -> list[dict[str, Any]]:
    """The frame's rows with `key` made a float, or None where it is missing (NaN or pd.NA), so every test
    for a missing value is one test."""
    return [{**r, key: None if _is_missing(r.get(key)) else float(r[key])} for r in frame.to_dict("records")]


def _rows_ending(
    frame: pd.DataFrame, end_column: str, end: Any, key: str
) -> tuple[str, list[dict[str, Any]]]:
    """The period ending on `end` and every row for it (`_with_values`): a bar chart's latest period."""
    latest = frame[frame[end_column] == end]
    return str(latest["period"].iloc[0]), _with_values(latest, key)


def _status_word(point: Point) -> str:
    """Provisional or final, as the table and the description say it."""
    return "provisional" if point.status == "provisional" else "final"


def place_text(shown: Shown, *, mid_sentence: bool = True) -> str:
    """The place the series is for, with the group when it is a breakdown: "Birmingham, sex: Female" as
    a chart says it mid-sentence, or "Birmingham, Sex: Female" as an export file labels it."""
    place = shown.geography.name
    if shown.breakdown:
        dim, value = shown.breakdown
        place += f", {dimension_label(dim, mid_sentence=mid_sentence)}: {value}"
    return place


def _period_range(rows: list[_Row]) -> str:
    """The first to the last period shown, for the subtitle and description."""
    if not rows:
        return "no periods yet"
    if len(rows) == 1:
        return rows[0].period
    return f"{rows[0].period} to {rows[-1].period}"


def _is_floor(indicator: Indicator) -> bool:
    """Whether the target is a floor (keep at or above) rather than a ceiling."""
    t = indicator.target
    assert t is not None
    return t.kind == "minimum" or (t.kind != "maximum" and indicator.direction == "higher")


def _meets(indicator: Indicator, value: float) -> bool:
    """Whether a value meets the target, reading a floor or a ceiling the right way round."""
    t = indicator.target
    assert t is not None
    if t.kind == "maximum" or (t.kind != "minimum" and indicator.direction == "lower"):
        return value <= t.value
    return value >= t.value


def _projection_applies(shown: Shown) -> bool:
    """The trend is drawn only when the chart ends where the trend starts (not for an earlier range)."""
    proj = shown.progress.projection
    valued = _valued(shown)
    return bool(proj) and bool(valued) and proj[0]["date"] == valued[-1].end  # type: ignore[index]
