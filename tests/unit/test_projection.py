"""A range called 80% must contain the truth about 80% of the time: checked by simulation.

For each of four shapes of series (steady with noise, accelerating flows of a
running total, a falling share, only four points), many series are drawn from a
known process; the projection sees only the past, the same process is run on
into the future, and the date the future series first meets the target is the
truth. The stated 80% range must contain it at least 75% of the time (and not
be so wide that it always does). Seeded, so the test is repeatable.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from metrics.projection import PROJECTION_MIN_POINTS, add_months, fit, project
from metrics.series import Point

START = dt.date(2022, 4, 1)
FUTURE = 200  # quarters of the process run on past the last reading
REPLICATES = 200


def quarters_of(values) -> list[Point]:
    out = []
    for i, v in enumerate(values):
        start = add_months(START, 3 * i)
        end = add_months(START, 3 * i + 3) - dt.timedelta(days=1)
        out.append(Point(f"q{i}", start, end, float(v)))
    return out


def steady(rng):
    """A level rising by 1 a quarter with noise; 12 readings; goal 70 (higher is better)."""
    y = 50 + 1.0 * np.arange(12 + FUTURE) + rng.normal(0, 2.5, 12 + FUTURE)
    return y, 12, 70.0, True, False


def accelerating(rng):
    """A running total whose flows grow 3% a quarter; 10 quarters; goal 900 above the latest."""
    flows = 100 * 1.03 ** np.arange(10 + FUTURE) + rng.normal(0, 20, 10 + FUTURE)
    y = np.cumsum(flows)
    return y, 10, float(y[9] + 900), True, True


def falling(rng):
    """A share falling 0.6 points a quarter; 10 readings; goal 28% or lower."""
    y = 40 - 0.6 * np.arange(10 + FUTURE) + rng.normal(0, 1.5, 10 + FUTURE)
    return y, 10, 28.0, False, False


def four_points(rng):
    """A running total of noisy steady flows, only four quarters known; goal 500 above the latest."""
    y = np.cumsum(60 + rng.normal(0, 15, 4 + FUTURE))
    return y, 4, float(y[3] + 500), True, True


def coverage(shape, seed: int = 7) -> tuple[float, int]:
    rng = np.random.default_rng(seed)
    hits = judged = 0
    while judged < REPLICATES:
        y, n, goal, higher, cumulative = shape(rng)
        seen, future = y[:n], y[n:]
        if (seen[-1] >= goal) if higher else (seen[-1] <= goal):
            continue  # already met: nothing to project
        points = quarters_of(seen)
        model = fit(points, cumulative=cumulative, frequency="quarter", start=START)
        assert model is not None
        proj = project(model, goal=goal, higher=higher, horizon=points[-1].end)
        meets = future >= goal if higher else future <= goal
        truth = add_months(points[-1].end, 3 * (int(np.argmax(meets)) + 1)) if meets.any() else None
        if truth is None:
            inside = proj.high is None
        else:
            inside = proj.low is not None and proj.low <= truth and (proj.high is None or truth <= proj.high)
        hits += inside
        judged += 1
    return hits / judged, judged


@pytest.mark.parametrize("shape", [steady, accelerating, falling, four_points], ids=lambda f: f.__name__)
def test_the_80_percent_range_contains_the_true_date_about_80_percent_of_the_time(shape):
    rate, n = coverage(shape)
    assert n == REPLICATES
    assert 0.75 <= rate <= 0.97, f"{shape.__name__}: the 80% range held the true date {rate:.0%} of the time"


def test_the_same_data_always_gives_the_same_dates():
    points = quarters_of([100, 205, 300, 410, 500, 605])
    model = fit(points, cumulative=True, frequency="quarter", start=START)
    a = project(model, goal=1500, higher=True, horizon=dt.date(2025, 3, 31))
    b = project(model, goal=1500, higher=True, horizon=dt.date(2025, 3, 31))
    assert (a.low, a.mid, a.high) == (b.low, b.mid, b.high)
    assert a.low <= a.mid <= a.high


def test_fewer_figures_than_the_minimum_give_no_model():
    assert PROJECTION_MIN_POINTS == 4
    assert fit(quarters_of([10, 20, 30]), cumulative=False, frequency="quarter") is None
    assert fit(quarters_of([10, 20, 30]), cumulative=True, frequency="quarter", start=START) is None
    assert fit(quarters_of([10, 20, 30, 40]), cumulative=True, frequency="quarter", start=START) is not None


def test_a_running_total_is_projected_from_its_flows_not_refitted_as_a_line():
    """Flows of exactly 100 a quarter: the total is projected on at 100 a quarter from where it is."""
    points = quarters_of([100, 200, 300, 400, 500])
    model = fit(points, cumulative=True, frequency="quarter", start=START)
    proj = project(model, goal=1000, higher=True, horizon=add_months(points[-1].end, 12))
    assert [round(r["value"]) for r in proj.path] == [500, 600, 700, 800, 900]
    assert proj.mid == add_months(points[-1].end, 15)  # five more quarters of 100
    assert math.isclose(proj.share_never, 0.0)
