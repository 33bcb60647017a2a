"""What a board paper says about an indicator, worked out from its numbers: the verdict, then the trend.

The verdict's sentence is `Progress.sentence`, word for word what `kpi show`, the pages and
the chart's title say, so a paper can never word a status differently. The trend against a
year earlier is a fact about the figures, never worded as a judgement, so it cannot
contradict the verdict. Apart from the pack's model because it depends only on one series.
"""

from __future__ import annotations

import datetime as dt

from metrics.catalogue import Indicator
from metrics.dashboard import Shown
from metrics.series import Point
from metrics.words import format_value, upper_first


def _year_before(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def _change(ind: Indicator, now: float, then: float) -> tuple[str, float]:
    """The change between two shown values, worked out from the values as shown (rounded)."""
    d = 0 if ind.unit == "count" else ind.decimals
    delta = round(round(now, d) - round(then, d), d)
    if ind.unit == "percent":
        size = abs(delta)
        text = f"{size:,.{d}f} percentage point{'' if size == 1 else 's'}"
    else:
        text = format_value(ind, abs(delta))
    return text, delta


def trend_sentence(shown: Shown) -> str | None:
    """Where the figure is against a year earlier (or the period before, for yearly series); None without figures."""
    ind = shown.indicator
    valued = [p for p in shown.series if p.value is not None]
    if not valued:
        return None
    last = valued[-1]
    assert last.value is not None
    verb = "had reached" if ind.is_cumulative else "was"
    text = f"{upper_first(ind.short_name)} {verb} {format_value(ind, last.value)} in {last.period}"
    earlier = [p for p in valued[:-1] if p.end == _year_before(last.end)]
    compare: Point | None = earlier[-1] if earlier else (valued[-2] if len(valued) > 1 else None)
    if compare is None:
        return text + ", the only figure in the series."
    assert compare.value is not None
    size, delta = _change(ind, last.value, compare.value)
    if delta == 0:
        return text + f", the same as in {compare.period}."
    direction = "up" if delta > 0 else "down"
    return text + f", {direction} {size} from {format_value(ind, compare.value)} in {compare.period}."


def commentary(shown: Shown) -> str:
    """What a board paper says about an indicator, generated from the numbers.

    First the verdict and its reason exactly as `kpi show`, the pages and the chart's
    title give them (`Progress.sentence`), so the paper can never word the status
    differently; then the trend, against a year earlier. The trend is a fact about the
    figures and is never worded as a judgement, so it cannot contradict the verdict.
    """
    trend = trend_sentence(shown)
    sentence = shown.progress.sentence
    if not sentence.endswith("."):
        sentence += "."
    return f"{sentence} {trend}" if trend else sentence
