"""Progress maths: combined-authority derivation, running totals, status, projection, wording.

Pure functions over `Point` and `Indicator` values: no database, no Streamlit, no
clock. "Today" is always passed in, so a status shown on a page, printed by
`kpi show --json` or written into a board paper is the same for the same data and
can be tested with a pinned date.

Decisions worth knowing (each explained where it is made):

- A value uploaded for the combined authority always wins over a derivation,
  including an uploaded missing value (c, x, z): the publisher said so.
- Minimum targets are floors: below the minimum is red. Maximum targets allow a
  10% margin above the ceiling for amber, as the plan's reporting asks.
- Dated targets follow the Open SDG progress method (the pace made since the
  first value against the pace needed), with one value only giving "none".
- The projection continues an ordinary least-squares slope from the latest value
  (so a running total is never projected from below where it already is); its
  uncertainty comes from the slope's standard error with Student's t for an 80%
  range, which with few points is wider, and more honest, than 1.28.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from metrics.catalogue import Indicator
from metrics.periods import long_date, month_year
from metrics.series import MISSING_REASONS, Point

RAGS = ("green", "amber", "red", "none")
MAXIMUM_MARGIN = 0.10  # amber when at most 10% of the target value above a maximum
PROJECTION_WINDOW = 8  # the last points used for the trend line
PROJECTION_MIN_POINTS = 3
PROJECTION_CAP_YEARS = 5  # a projection past its target date is drawn at most this far past the latest period
UNDATED_HORIZON_MONTHS = 12  # how far a cumulative series without a target date is projected
NEVER_YEARS = 100.0  # a projected date further away than this is reported as never
DAYS_PER_YEAR = 365.2425
# Student's t, 90th percentile (two-sided 80% range), by residual degrees of freedom (n - 2).
_T80 = {1: 3.078, 2: 1.886, 3: 1.638, 4: 1.533, 5: 1.476, 6: 1.440}
_FREQUENCY_MONTHS = {"month": 1, "quarter": 3, "year": 12}

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
        common = set(by_la[0]).intersection(*by_la[1:])
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


def running_total(points: list[Point]) -> list[Point]:
    """The running total of a cumulative indicator, oldest first.

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
            )
        )
    return out


def latest(points: list[Point]) -> Point | None:
    """The most recent point that has a value: what headlines and statuses are about."""
    valued = [p for p in _sorted(points) if p.value is not None]
    return valued[-1] if valued else None


# --- status ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """An indicator's status against its target, with the reason and the trend behind it."""

    latest_period: str | None
    latest_value: float | None
    target: float | None
    target_kind: str | None
    target_date: dt.date | None
    rag: str  # green, amber, red or none
    projected_value_at_target_date: float | None
    projected_date_to_target: dt.date | None
    reason: str  # one plain-English sentence for leadership
    reached_date: dt.date | None = None  # end of the first period meeting a dated target
    projects_below: list[str] | None = None
    projects_total: int | None = None
    progress_ratio: float | None = None  # pace made / pace needed (Open SDG)
    projection: list[dict[str, Any]] | None = None  # {"date", "value", "low", "high"}
    projected_date_low: dt.date | None = None
    projected_date_high: dt.date | None = None
    on_course: bool | None = None  # the trend reaches the target by its date

    def as_json(self) -> dict[str, Any]:
        """Exactly the `progress` object of `kpi show --json` (shared/spec/cli.md)."""
        return {
            "latest_period": self.latest_period,
            "latest_value": self.latest_value,
            "target": self.target,
            "target_kind": self.target_kind,
            "target_date": _iso(self.target_date),
            "rag": self.rag,
            "projected_value_at_target_date": self.projected_value_at_target_date,
            "projected_date_to_target": _iso(self.projected_date_to_target),
        }

    def as_detail_json(self) -> dict[str, Any]:
        """The contract's object plus the explanation and trend, for pages and exports."""
        return {
            **self.as_json(),
            "reason": self.reason,
            "reached_date": _iso(self.reached_date),
            "projects_below": list(self.projects_below) if self.projects_below is not None else None,
            "projects_total": self.projects_total,
            "progress_ratio": self.progress_ratio,
            "projection": (
                [{**row, "date": row["date"].isoformat()} for row in self.projection]
                if self.projection is not None
                else None
            ),
            "projected_date_low": _iso(self.projected_date_low),
            "projected_date_high": _iso(self.projected_date_high),
            "on_course": self.on_course,
        }


def assess(
    indicator: Indicator,
    points: list[Point],
    today: dt.date,
    projects: list[tuple[str, float | None]] | None = None,
) -> Progress:
    """The status of a series as shown (running totals already applied) against its target.

    `projects` are (name, latest share) pairs for a share whose minimum applies
    to every project: the plan asks for 20% in every scheme, not only on average,
    so a scheme below the minimum keeps the status from green.
    """
    target = indicator.target
    base: dict[str, Any] = {
        "target": target.value if target else None,
        "target_kind": target.kind if target else None,
        "target_date": target.date if target else None,
        "projected_value_at_target_date": None,
        "projected_date_to_target": None,
    }
    valued = [p for p in _sorted(points) if p.value is not None]
    if not valued:
        what = "no target and no data yet" if target is None else "no data yet"
        return Progress(
            latest_period=None,
            latest_value=None,
            rag="none",
            reason=f"{indicator.short_name} has {what}, so it has no status.",
            **base,
        )
    last = valued[-1]
    base.update(latest_period=last.period, latest_value=last.value)
    now = f"{indicator.short_name} is {format_value(indicator, last.value)} ({last.period})"

    if target is None or target.date is None:
        # Cumulative series still get a trend line a year ahead: "where the total is heading".
        trend = _fit(valued) if indicator.is_cumulative else None
        projection = None
        if trend is not None:
            projection = _path(indicator, trend, _add_months(trend.last_end, UNDATED_HORIZON_MONTHS))
        if target is None:
            return Progress(
                rag="none",
                reason=f"{now}; there is no target, so it has no status.",
                projection=projection,
                **base,
            )
        return _assess_threshold(indicator, last, now, projects, base, projection)
    return _assess_dated(indicator, valued, now, today, base)


def _assess_threshold(
    indicator: Indicator,
    last: Point,
    now: str,
    projects: list[tuple[str, float | None]] | None,
    base: dict[str, Any],
    projection: list[dict[str, Any]] | None,
) -> Progress:
    """Minimum (a floor) and maximum (a ceiling) targets, judged on the latest value."""
    target = indicator.target
    assert target is not None and last.value is not None
    value, goal = last.value, target.value
    shown_goal = _format_target(indicator, goal)
    floor = target.kind == "minimum" or (target.kind != "maximum" and indicator.direction == "higher")
    extra: dict[str, Any] = {"projection": projection}
    if not floor:
        if value <= goal:
            rag, where = "green", f"{'under' if value < goal else 'at'} the {shown_goal} maximum"
        elif value <= goal + MAXIMUM_MARGIN * abs(goal):
            rag, where = "amber", f"above the {shown_goal} maximum but within 10% of it"
        else:
            rag, where = "red", f"more than 10% above the {shown_goal} maximum"
        return Progress(rag=rag, reason=f"{now}, {where}.", **base, **extra)

    # A floor is strict: the plan says "at least", so below it is red, not amber.
    where = f"{'above' if value > goal else 'at' if value == goal else 'below'} the {shown_goal} minimum"
    meets = value >= goal
    if projects is None:
        return Progress(rag="green" if meets else "red", reason=f"{now}, {where}.", **base, **extra)

    below = [name for name, share in projects if share is not None and share < goal]
    unknown = [name for name, share in projects if share is None]
    total = len(projects)
    extra.update(projects_below=below, projects_total=total)
    if not meets:
        rag = "red"
        tail = f", and {_count(len(below), total)} below it" if below else ""
    elif below:
        rag = "amber"
        tail = f", but {_count(len(below), total)} below {shown_goal}"
    elif unknown:
        # "Every scheme" cannot be confirmed while a scheme's figure is missing.
        rag = "amber"
        tail = (
            f", but figures for {len(unknown)} of {total} schemes are missing, "
            "so not every scheme is known to meet it"
        )
    else:
        rag = "green"
        tail = f", and all {total} schemes meet it" if total else ""
    return Progress(rag=rag, reason=f"{now}, {where}{tail}.", **base, **extra)


def _assess_dated(
    indicator: Indicator, valued: list[Point], now: str, today: dt.date, base: dict[str, Any]
) -> Progress:
    """Cumulative and level targets with a date, after the Open SDG progress method."""
    target = indicator.target
    assert target is not None and target.date is not None
    goal, by = target.value, target.date
    higher = indicator.direction == "higher"

    def met(v: float) -> bool:
        return v >= goal if higher else v <= goal

    shown_goal = _format_target(indicator, goal)
    against = f"the target of {shown_goal} by {_long_date(by)}"
    first_met = next((p for p in valued if met(p.value)), None)  # type: ignore[arg-type]
    reached = first_met.end if first_met else None
    last, baseline = valued[-1], valued[0]
    assert last.value is not None and baseline.value is not None

    if met(last.value):
        assert first_met is not None
        late = ", after the target date" if first_met.end > by else ""
        return Progress(
            rag="green",
            reached_date=reached,
            on_course=True,
            reason=f"{now}, meeting {against}; it was first met in {first_met.period}{late}.",
            **base,
        )
    if today > by:
        return Progress(
            rag="red",
            reached_date=reached,
            on_course=False,
            reason=f"{now}: {against} was not met.",
            **base,
        )
    if len(valued) < 2:
        # One value shows where things stand, not which way they are going.
        return Progress(rag="none", reason="Only one value so far: too little to judge progress.", **base)
    if met(baseline.value):
        # It met the target once and has fallen back: the pace measure would read a loss as progress.
        assert first_met is not None
        return Progress(
            rag="red",
            reached_date=reached,
            reason=f"{now}, against {against}; it met the target in {first_met.period} but has fallen back.",
            **base,
        )
    xb, xl, xt = _years(baseline.end), _years(last.end), _years(by)
    if xt <= xb:
        return Progress(
            rag="none",
            reason="The first value is for the target date itself: too little to judge progress.",
            **base,
        )
    actual = (last.value - baseline.value) / (xl - xb)
    needed = (goal - baseline.value) / (xt - xb)
    ratio = actual / needed
    if ratio >= indicator.threshold_green:
        rag = "green"
        pace = f"progress since {baseline.period} is {ratio:.0%} of the pace needed, enough to be on track"
    elif ratio >= indicator.threshold_amber:
        rag = "amber"
        pace = (
            f"progress since {baseline.period} is {ratio:.0%} of the pace needed, "
            f"short of the {indicator.threshold_green:.0%} needed to be on track"
        )
    else:
        rag = "red"
        if ratio < 0:
            pace = f"it has moved away from the target since {baseline.period}"
        elif ratio == 0:
            pace = f"it has not moved since {baseline.period}"
        else:
            pace = f"progress since {baseline.period} is only {ratio:.0%} of the pace needed"

    fields: dict[str, Any] = {"progress_ratio": ratio}
    course = ""
    trend = _fit(valued)
    if trend is not None:
        mid, low, high = _dates_to_target(trend, goal)
        horizon = by
        if mid is not None and mid > by:
            horizon = max(by, min(mid, _add_months(trend.last_end, 12 * PROJECTION_CAP_YEARS)))
        on_course = mid is not None and mid <= by
        fields.update(
            projection=_path(indicator, trend, horizon),
            on_course=on_course,
            projected_date_low=low,
            projected_date_high=high,
        )
        base.update(
            projected_value_at_target_date=trend.value_at(by),
            projected_date_to_target=mid,
        )
        if mid is None:
            course = ", and on the current trend it is not on course to reach it"
        elif on_course:
            course = f", and on the current trend it would reach {shown_goal} around {_month(mid)}"
        else:
            course = (
                f", and on the current trend it would reach {shown_goal} around {_month(mid)}, "
                "after the target date"
            )
    return Progress(rag=rag, reason=f"{now}, against {against}; {pace}{course}.", **base, **fields)


# --- the trend line -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Trend:
    slope: float  # change per year
    se: float  # standard error of the slope
    t: float  # Student's t for the 80% range
    x_last: float
    y_last: float
    last_end: dt.date

    def value_at(self, when: dt.date, slope: float | None = None) -> float:
        """Projected from the latest value, so the line starts where the series is now."""
        return self.y_last + (self.slope if slope is None else slope) * (_years(when) - self.x_last)

    @property
    def slopes(self) -> tuple[float, float]:
        return self.slope - self.t * self.se, self.slope + self.t * self.se


def _fit(valued: list[Point]) -> _Trend | None:
    """Ordinary least squares over the last points, or None with fewer than three."""
    pts = valued[-PROJECTION_WINDOW:]
    n = len(pts)
    if n < PROJECTION_MIN_POINTS:
        return None
    xs = [_years(p.end) for p in pts]
    ys = [float(p.value) for p in pts]  # type: ignore[arg-type]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx <= 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = my - slope * mx
    ssr = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    se = math.sqrt(ssr / (n - 2) / sxx)
    return _Trend(slope, se, _T80[n - 2], xs[-1], ys[-1], pts[-1].end)


def _date_at(trend: _Trend, goal: float, slope: float) -> dt.date | None:
    """When a line with this slope from the latest value reaches the goal; None if it never does."""
    gap = goal - trend.y_last
    if gap == 0:
        return trend.last_end
    if slope == 0 or (gap > 0) != (slope > 0):
        return None
    years = gap / slope
    if years > NEVER_YEARS:
        return None
    return trend.last_end + dt.timedelta(days=round(years * DAYS_PER_YEAR))


def _dates_to_target(trend: _Trend, goal: float) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """The projected date and its 80% range (earliest, latest); no latest date when the slow end stalls."""
    mid = _date_at(trend, goal, trend.slope)
    if mid is None:
        return None, None, None
    dates = [_date_at(trend, goal, s) for s in trend.slopes]
    known = [d for d in dates if d is not None]
    low = min(known) if known else mid
    high = max(known) if len(known) == 2 else None
    return mid, min(low, mid), (max(high, mid) if high is not None else None)


def _path(indicator: Indicator, trend: _Trend, horizon: dt.date) -> list[dict[str, Any]]:
    """Points from the latest period to the horizon, one per period, with the 80% band."""
    step = _FREQUENCY_MONTHS.get(indicator.frequency, 3)
    dates = [trend.last_end]
    k = 1
    while (d := _add_months(trend.last_end, step * k)) < horizon:
        dates.append(d)
        k += 1
    if horizon > trend.last_end:
        dates.append(horizon)
    rows = []
    for d in dates:
        a, b = (trend.value_at(d, s) for s in trend.slopes)
        rows.append({"date": d, "value": trend.value_at(d), "low": min(a, b), "high": max(a, b)})
    return rows


# --- words and numbers ----------------------------------------------------------------------------


def gap_statement(indicator: Indicator, values: dict[str, float | None], dimension_label: str) -> str:
    """One sentence on the gap between the highest and lowest group, naming groups without figures.

    The plan is about equity: the distance between groups is the finding, so it is
    said in words rather than left for the reader to work out from a chart.
    """
    label = _lower_first(dimension_label)
    measure = _lower_first(indicator.short_name)
    known = {k: float(v) for k, v in values.items() if v is not None and not math.isnan(v)}
    missing = [k for k, v in values.items() if v is None or math.isnan(v)]
    if not known:
        sentence = f"There are no figures for {measure} by {label}."
    elif len(known) == 1:
        ((name, v),) = known.items()
        sentence = f"By {label}, only {name} has a figure for {measure} ({format_value(indicator, v)})."
    else:
        hi, lo = max(known.values()), min(known.values())
        if hi == lo:
            sentence = f"By {label}, every group had the same {measure} ({format_value(indicator, hi)})."
        else:
            top = [k for k, v in known.items() if v == hi]
            bottom = [k for k, v in known.items() if v == lo]
            most, least = (
                ("the most", "the fewest") if indicator.unit == "count" else ("the highest", "the lowest")
            )
            if indicator.unit == "percent":
                gap = f"{_number(hi - lo, indicator.decimals)} percentage points"
            else:
                gap = format_value(indicator, hi - lo)
            sentence = (
                f"By {label}, {_join(top)} had {most} {measure} ({format_value(indicator, hi)}) and "
                f"{_join(bottom)} {least} ({format_value(indicator, lo)}), a gap of {gap}."
            )
    if missing:
        sentence += f" Figures for {_join(missing)} are missing."
    return sentence


def format_value(indicator: Indicator, value: float | None, missing: str | None = None) -> str:
    """A value as every page, chart label and export shows it; a missing value is never shown as 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        if missing:
            why = MISSING_REASONS.get(missing.strip("[]").lower())
            return f"missing ({why})" if why else "missing"
        return "no data"
    return _format_unit(indicator.unit, float(value), indicator.decimals)


def _format_unit(unit: str, value: float, decimals: int) -> str:
    if unit == "count":
        return _number(value, 0)
    if unit == "percent":
        return f"{_number(value, decimals)}%"
    if unit == "money":
        pence = 0 if float(round(value, 2)).is_integer() else 2
        text = _number(abs(value), pence)
        return f"-£{text}" if value < 0 and text.strip("0.,") else f"£{text}"
    return _number(value, decimals)  # rate_per_100k, score, ratio


def _format_target(indicator: Indicator, goal: float) -> str:
    """A target as written in the plan: "20%", not "20.0%"."""
    decimals = 0 if float(goal).is_integer() else indicator.decimals
    return _format_unit(indicator.unit, goal, decimals)


def _number(value: float, decimals: int) -> str:
    rounded = round(value, decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0.0"
    return f"{rounded:,.{decimals}f}"


def _count(n: int, total: int) -> str:
    return f"{n} of {total} schemes {'is' if n == 1 else 'are'}"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _lower_first(text: str) -> str:
    """Lower-case the first letter for use mid-sentence, leaving acronyms such as NEET or SCF alone."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


_long_date = long_date
_month = month_year


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _years(d: dt.date) -> float:
    """Fractional years on one linear scale, so slopes are per year whatever the frequency."""
    return d.toordinal() / DAYS_PER_YEAR


def _add_months(d: dt.date, months: int) -> dt.date:
    """Months later, keeping month ends at month ends (30 June + 3 months = 30 September)."""
    month_end = (d + dt.timedelta(days=1)).day == 1
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last_day = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, last_day if month_end else min(d.day, last_day))
