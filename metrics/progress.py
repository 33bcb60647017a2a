"""Progress maths: the combined authority's series and running totals (the gap between groups in words
is metrics.words.group_gap).

Pure functions over `Point` and `Indicator` values: no database, no Streamlit, no
clock. Verdicts are in verdicts.py and projections in projection.py.

Decisions worth knowing (each explained where it is made):

- A value uploaded for the combined authority always wins over a derivation,
  including an uploaded missing value (c, x, z): the publisher said so.
- A derived share pools numerators and denominators; a rate is never derived.
- A running total counts from the indicator's base period, and is unknown from
  the first missing value on (missing is not zero).
"""

from __future__ import annotations

import datetime as dt

from metrics.catalogue import Indicator
from metrics.series import Point

Period = tuple[dt.date, dt.date]


def _period_key(p: Point) -> Period:
    return (p.start, p.end)


def _sorted(points: list[Point]) -> list[Point]:
    return sorted(points, key=_period_key)


# --- the combined authority's series --------------------------------------------------------------


def derive_combined(
    indicator: Indicator,
    la_series: dict[str, list[Point]],
    ca_series: list[Point],
    la_codes: tuple[str, ...],
) -> list[Point]:
    """The combined authority's series: uploaded values as they are, gaps derived from the seven.

    Leadership reads the combined authority's figure as "the region"; a total
    missing one authority would understate it silently, so a period is derived
    only when every authority in `la_codes` has a usable value, and a share is
    pooled (sum of numerators over sum of denominators) because an average of
    shares gives a small authority the weight of a large one.
    """
    out: dict[Period, Point] = {_period_key(p): p for p in ca_series}
    if indicator.derivable and la_codes:
        by_la = [{_period_key(p): p for p in la_series.get(code, [])} for code in la_codes]
        common = set.intersection(*(set(periods) for periods in by_la))
        for key in common - out.keys():
            derived = _derive_period(indicator, [las[key] for las in by_la])
            if derived is not None:
                out[key] = derived
    return _sorted(list(out.values()))


def _derive_period(indicator: Indicator, points: list[Point]) -> Point | None:
    """One derived point from all seven authorities' points for a period, or None if any is unusable."""
    if any(p.missing is not None for p in points):
        return None
    numerator = denominator = None
    if indicator.is_share:
        if any(p.numerator is None or p.denominator is None for p in points):
            return None
        numerator = sum(p.numerator for p in points)  # type: ignore[misc]
        denominator = sum(p.denominator for p in points)  # type: ignore[misc]
        if denominator <= 0:
            return None
        value = numerator / denominator * 100
    else:
        if any(p.value is None for p in points):
            return None
        value = sum(p.value for p in points)  # type: ignore[misc]
    first = points[0]
    return Point(
        period=first.period,
        start=first.start,
        end=first.end,
        value=value,
        numerator=numerator,
        denominator=denominator,
        status="final" if all(p.status == "final" for p in points) else "provisional",
        missing=None,
        derived=True,
        illustrative=any(p.illustrative for p in points),
    )


# --- running totals and the latest value ----------------------------------------------------------


def running_total(points: list[Point], start: dt.date | None = None) -> list[Point]:
    """The running total of a cumulative indicator, oldest first, counted from `start` (the base period).

    Flows before the base period are not part of the plan's total, so loading older history does
    not move the total or its verdict; they are left out of the series.

    Missing is not zero: adding nothing for a suppressed quarter would show a
    total that is too low as if it were known, so from the first missing value
    onward the total is unknown and carries that value's missing symbol.
    """
    out: list[Point] = []
    total = 0.0
    all_final = True
    any_illustrative = False
    any_derived = False
    broken = False
    symbol: str | None = None
    for p in _sorted(points):
        if start is not None and p.start < start:
            continue
        all_final = all_final and p.status == "final"
        any_illustrative = any_illustrative or p.illustrative
        any_derived = any_derived or p.derived
        if not broken and p.value is None:
            broken, symbol = True, p.missing
        if not broken:
            total += p.value  # type: ignore[operator]
        out.append(
            p.with_value(
                None if broken else total,
                numerator=None,
                denominator=None,
                missing=symbol if broken else None,
                status="final" if all_final else "provisional",
                derived=any_derived,
                illustrative=any_illustrative,
                lower=None,
                upper=None,
                confidence=None,
            )
        )
    return out


def latest(points: list[Point]) -> Point | None:
    """The most recent point that has a value: what headlines and statuses are about."""
    valued = [p for p in _sorted(points) if p.value is not None]
    return valued[-1] if valued else None
