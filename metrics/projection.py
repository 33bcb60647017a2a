"""When will a target be reached? A projected date with an 80% range that holds about 80% of the time.

Two models, because a running total and a level move differently:

- **Running totals** (cumulative indicators) grow by their per-period flows. The
  flows since the base period are modelled as a constant mean with noise (a
  random walk with drift for the total), and the total is projected from where
  it is now. Fitting a line to the running total instead, as an earlier version
  did, treats each quarter's total as a fresh noisy reading and makes the range
  far too narrow, because the errors of a running total pile up.
- **Levels and shares** are modelled as a straight line with noise (ordinary
  least squares over the latest points). The future reading carries the noise of
  a single reading as well as the uncertainty of the line, so the range is a
  prediction range, not the line's confidence band.

The uncertain quantities (the line or mean flow, and the size of the noise) are
drawn from their sampling distributions, the future is simulated period by
period, and the date a simulated series first meets the target is recorded. The
projected date is the median of those dates and the 80% range their 10th and
90th percentiles: the same thing the dashboard will later report as "reached".
A seeded generator makes every run give the same dates, so pages, `kpi show`
and board packs agree. `tests/unit/test_projection.py` checks the coverage by
simulation on four shapes of series.

Too little evidence gives no date at all: fewer than PROJECTION_MIN_POINTS
readings (or flows), and the range says so in words rather than drawing a
narrow band.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from metrics.periods import month_year
from metrics.series import Point

if TYPE_CHECKING:
    from metrics.catalogue import Indicator

PROJECTION_WINDOW = 8  # the latest readings (or flows) the model is fitted to
PROJECTION_MIN_POINTS = 4  # fewer says "too few figures to project" instead of a date
SIMULATIONS = 4000
HORIZON_YEARS = 25  # a simulated series that has not met the target by then counts as never
RANGE = (0.10, 0.50, 0.90)  # the 80% range and the middle
SEED = 20220401  # fixed: the same data always gives the same dates
DAYS_PER_YEAR = 365.2425
_FREQUENCY_MONTHS = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True)
class Projection:
    """A projected path and, where there is a goal, when it is reached."""

    path: list[dict[str, Any]]  # {"date", "value", "low", "high"}, from the latest period on
    mid: dt.date | None  # the median date the target is met; None: most simulated series never meet it
    low: dt.date | None  # the 80% range's early end
    high: dt.date | None  # its late end; None when more than 10% of simulated series never meet it
    value_at: float | None  # the central projection at the target date
    share_never: float  # the share of simulated series that had not met the target by the horizon


@dataclass(frozen=True)
class _Model:
    cumulative: bool
    last_value: float
    last_end: dt.date
    step_months: int
    n: int
    centre: float  # the mean reading (or flow)
    slope: float  # change per year of a level, or per period of a flow
    x_mean: float  # the mean of the readings' times (years), or of the flows' period numbers
    sxx: float
    s2: float  # residual variance of the readings (or flows) about their line
    df: int
    x_last: float  # the latest reading's x (years), or the latest flow's period number

    def central(self, when: dt.date) -> float:
        """The middle of the projection at a date (between period ends for a running total)."""
        if self.cumulative:
            h = _periods_between(self.last_end, when, self.step_months)
            # The sum of the flow line over the next h periods.
            first = self.centre + self.slope * (self.x_last + 1 - self.x_mean)
            return self.last_value + h * first + self.slope * h * (h - 1) / 2
        return self.centre + self.slope * (years(when) - self.x_mean)


def years(d: dt.date) -> float:
    """Fractional years on one linear scale, so slopes are per year whatever the frequency."""
    return d.toordinal() / DAYS_PER_YEAR


def add_months(d: dt.date, months: int) -> dt.date:
    """Months later, keeping month ends at month ends (30 June + 3 months = 30 September)."""
    month_end = (d + dt.timedelta(days=1)).day == 1
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last_day = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, last_day if month_end else min(d.day, last_day))


def _is_month_end(d: dt.date) -> bool:
    return (d + dt.timedelta(days=1)).day == 1


def _periods_between(a: dt.date, b: dt.date, step_months: int) -> float:
    """How many periods from a to b: whole periods between period ends, by days otherwise."""
    if _is_month_end(a) and _is_month_end(b):
        return ((b.year - a.year) * 12 + b.month - a.month) / step_months
    return (years(b) - years(a)) * 12 / step_months


def fit(
    valued: list[Point], *, cumulative: bool, frequency: str, start: dt.date | None = None
) -> _Model | None:
    """The model behind the projection, or None when there are too few figures to fit one.

    `valued` are the readings from the base period on, oldest first (running totals for a
    cumulative indicator, starting from zero at `start`, the base period's first day).
    """
    step = _FREQUENCY_MONTHS.get(frequency, 3)
    if not valued:
        return None
    last = valued[-1]
    if cumulative:
        # The flows' own trend, in periods: programmes speed up and slow down, and a constant mean
        # flow would put an accelerating programme's date too late, outside its range.
        xs, flows = _flows(valued, step, start)
        return _line(
            True, xs[-PROJECTION_WINDOW:], flows[-PROJECTION_WINDOW:], float(last.value), last.end, step
        )  # type: ignore[arg-type]
    pts = valued[-PROJECTION_WINDOW:]
    xs = [years(p.end) for p in pts]
    return _line(False, xs, [float(p.value) for p in pts], float(last.value), last.end, step)  # type: ignore[arg-type]


def _line(
    cumulative: bool, xs: list[float], ys: list[float], last_value: float, last_end: dt.date, step: int
) -> _Model | None:
    """Ordinary least squares of ys on xs, or None with too few points or no spread in time."""
    n = len(xs)
    if n < PROJECTION_MIN_POINTS:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx <= 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    ssr = sum((y - my - slope * (x - mx)) ** 2 for x, y in zip(xs, ys, strict=True))
    # For flows, x is the period number and the last flow is number n - 1: kept so the future's
    # period numbers continue from it.
    return _Model(cumulative, last_value, last_end, step, n, my, slope, mx, sxx, ssr / (n - 2), n - 2, xs[-1])


def _flows(valued: list[Point], step: int, start: dt.date | None) -> tuple[list[float], list[float]]:
    """Per-period flows from a running total, one per reading, at the reading's period number.

    A reading that follows a gap of k periods gives one flow, its change divided by k: one
    observation, not k copies of it, so a gap never looks like steady, certain evidence.
    """
    xs: list[float] = []
    flows: list[float] = []
    previous_total = 0.0
    previous_end = start - dt.timedelta(days=1) if start is not None else None
    x = 0.0
    for p in valued:
        total = float(p.value)  # type: ignore[arg-type]
        k = 1 if previous_end is None else max(1, round(_periods_between(previous_end, p.end, step)))
        x += k
        xs.append(x)
        flows.append((total - previous_total) / k)
        previous_total, previous_end = total, p.end
    return xs, flows


def project(
    model: _Model,
    *,
    goal: float | None,
    higher: bool,
    horizon: dt.date,
    target_date: dt.date | None = None,
) -> Projection:
    """Simulate the series forward and read off the path, and the dates the goal is first met.

    Why simulation rather than a formula: the date a noisy series first meets a goal is not
    where a prediction band crosses it (an early lucky reading counts too), and for a running
    total the noise accumulates; simulating the model answers the question the dashboard asks.
    """
    rng = np.random.default_rng(SEED)
    h_max = max(1, math.ceil(HORIZON_YEARS * 12 / model.step_months))
    steps = np.arange(1, h_max + 1)
    sigma = np.sqrt(model.s2 * model.df / rng.chisquare(model.df, SIMULATIONS))
    noise = rng.standard_normal((SIMULATIONS, h_max)) * sigma[:, None]
    centre = model.centre + sigma / math.sqrt(model.n) * rng.standard_normal(SIMULATIONS)
    slope = model.slope + sigma / math.sqrt(model.sxx) * rng.standard_normal(SIMULATIONS)
    if model.cumulative:
        x = model.x_last + steps.astype(float)
        flows = centre[:, None] + slope[:, None] * (x[None, :] - model.x_mean) + noise
        sims = model.last_value + np.cumsum(flows, axis=1)
    else:
        x = np.array([years(add_months(model.last_end, model.step_months * int(h))) for h in steps])
        sims = centre[:, None] + slope[:, None] * (x[None, :] - model.x_mean) + noise

    mid = low = high = None
    share_never = 0.0
    if goal is not None:
        meets = sims >= goal if higher else sims <= goal
        ever = meets.any(axis=1)
        first = np.where(ever, meets.argmax(axis=1) + 1, np.inf)
        share_never = float(1 - ever.mean())
        q_low, q_mid, q_high = np.quantile(first, RANGE, method="inverted_cdf")
        low, mid, high = (
            None if math.isinf(q) else add_months(model.last_end, model.step_months * int(q))
            for q in (q_low, q_mid, q_high)
        )

    path = []
    k = 0
    while True:
        when = add_months(model.last_end, model.step_months * k) if k else model.last_end
        if k and when > horizon:
            break
        if k == 0:
            path.append(
                {"date": when, "value": model.last_value, "low": model.last_value, "high": model.last_value}
            )
        else:
            lo, hi = np.quantile(sims[:, min(k, h_max) - 1], (RANGE[0], RANGE[2]))
            path.append({"date": when, "value": model.central(when), "low": float(lo), "high": float(hi)})
        k += 1
        if k > h_max:
            break
    value_at = model.central(target_date) if target_date is not None else None
    return Projection(path, mid, low, high, value_at, share_never)


def course_words(proj: Projection, *, shown_goal: str, by: dt.date) -> str:
    """Where the trend leads, with its 80% range, or why no date can be given."""
    if proj.mid is None:
        return ", and on the current trend it is not on course to reach it"
    when = "" if proj.mid <= by else ", after the target date"
    if proj.low is not None and proj.high is not None and proj.low == proj.high:
        span = f" (80% range: {month_year(proj.low)})"
    elif proj.low is not None and proj.high is not None:
        span = f" (80% range: {month_year(proj.low)} to {month_year(proj.high)})"
    elif proj.low is not None:
        span = f" (80% range: from {month_year(proj.low)}, and it may not be reached at all)"
    else:
        span = ""
    return f", and on the current trend it would reach {shown_goal} around {month_year(proj.mid)}{span}{when}"


def projection_path(
    indicator: Indicator,
    valued: list[Point],
    start: dt.date | None,
    goal: float | None,
    by: dt.date | None,
    months: int,
) -> list[dict[str, Any]] | None:
    since = [p for p in valued if start is None or p.start >= start] or valued
    model = fit(since, cumulative=indicator.is_cumulative, frequency=indicator.frequency, start=start)
    if model is None:
        return None
    horizon = add_months(since[-1].end, months)
    return project(
        model, goal=goal, higher=indicator.direction == "higher", horizon=horizon, target_date=by
    ).path
