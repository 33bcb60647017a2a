"""An indicator's trend as inline SVG for the public site: no JavaScript, no renderer, the same bytes each time.

The dashboard's charts are Plotly figures, drawn in the browser or by Chromium for files. A static
site needs neither: this draws the same house style (palette blue line, the target in #3D3D3D,
labelled, units on the value axis, gaps where a value is missing) as plain SVG, scaled to any width
by its viewBox. The title stating the finding, the subtitle and the source line are HTML around the
figure, so they wrap on a 320 px phone; the SVG carries them as its <title> and <desc> for screen
readers and for anyone who saves it. Every text that came from an upload is escaped.
"""

from __future__ import annotations

import math
from html import escape

from metrics.catalogue import Indicator
from metrics.charts.style import GRID_COLOUR, PALETTE, SECONDARY_TEXT, TARGET_COLOUR, TEXT_COLOUR
from metrics.series import Point
from metrics.words import format_unit, goal_text

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 28, 48
MAX_LABELS = 5


def _nice_ticks(lo: float, hi: float, most: int = 5) -> list[float]:
    """Round axis values covering lo..hi: 0, 20, 40... rather than 0, 17.3, 34.6."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / most
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(lo / step) * step
    ticks = []
    v = first
    while v <= hi + step * 1e-9:
        ticks.append(round(v, 10))
        v += step
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _fmt(x: float) -> str:
    """Coordinates with one decimal, so the file is the same on every machine."""
    return f"{x:.1f}"


class _Frame:
    """The plot's scales: periods evenly across, values from the lowest tick to the highest."""

    def __init__(self, n: int, ticks: list[float]) -> None:
        self.n, self.y0, self.y1 = n, ticks[0], ticks[-1]
        self.w, self.h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(self, i: int) -> float:
        return LEFT + (self.w * (i + 0.5) / self.n)

    def y(self, v: float) -> float:
        return TOP + self.h * (1 - (v - self.y0) / (self.y1 - self.y0))


def _axes(indicator: Indicator, points: list[Point], ticks: list[float], f: _Frame) -> list[str]:
    """Gridlines with their values, the unit, and a handful of period labels (always the last)."""
    out = []
    for t in ticks:
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_fmt(f.y(t))}" y2="{_fmt(f.y(t))}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        label = format_unit(indicator.unit, t, 0 if float(t).is_integer() else indicator.decimals)
        out.append(
            f'<text x="{LEFT - 8}" y="{_fmt(f.y(t) + 5)}" text-anchor="end" font-size="14" '
            f'fill="{SECONDARY_TEXT}">{escape(label)}</text>'
        )
    mid = _fmt(TOP + f.h / 2)
    out.append(
        f'<text x="14" y="{mid}" font-size="14" fill="{SECONDARY_TEXT}" text-anchor="middle" '
        f'transform="rotate(-90 14 {mid})">{escape(indicator.unit_label)}</text>'
    )
    n = len(points)
    step = max(1, math.ceil(n / MAX_LABELS))
    shown = sorted({*range(0, n, step), n - 1})
    if len(shown) > 1 and shown[-1] - shown[-2] < step:
        shown.pop(-2)  # the last period always, without two labels running into each other
    for i in shown:
        out.append(
            f'<text x="{_fmt(f.x(i))}" y="{HEIGHT - BOTTOM + 22}" text-anchor="middle" font-size="14" '
            f'fill="{SECONDARY_TEXT}">{escape(points[i].period)}</text>'
        )
    out.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1"/>'
    )
    return out


def _target(indicator: Indicator, target: float, f: _Frame) -> list[str]:
    ty = _fmt(f.y(target))
    return [
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty}" y2="{ty}" stroke="{TARGET_COLOUR}" '
        'stroke-width="2" stroke-dasharray="8 5"/>',
        f'<text x="{WIDTH - RIGHT}" y="{_fmt(f.y(target) - 8)}" text-anchor="end" font-size="14" '
        f'fill="{TARGET_COLOUR}">Target: {escape(goal_text(indicator, target))}</text>',
    ]


def _line(indicator: Indicator, points: list[Point], f: _Frame) -> list[str]:
    """The series: a line through each run of values (a gap where one is missing), markers, the latest labelled."""
    out = []
    runs: list[list[tuple[int, float]]] = [[]]
    for i, p in enumerate(points):
        if p.value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((i, float(p.value)))
    for run in runs:
        if len(run) > 1:
            path = " ".join(
                f"{'M' if k == 0 else 'L'}{_fmt(f.x(i))},{_fmt(f.y(v))}" for k, (i, v) in enumerate(run)
            )
            out.append(f'<path d="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="3"/>')
    for i, v in (iv for run in runs for iv in run):
        # Provisional figures as open markers, as on the dashboard's charts (the description says so).
        fill = "#ffffff" if points[i].status == "provisional" else PALETTE[0]
        out.append(
            f'<circle cx="{_fmt(f.x(i))}" cy="{_fmt(f.y(v))}" r="4.5" fill="{fill}" stroke="{PALETTE[0]}" '
            'stroke-width="2"/>'
        )
    last_i, last_v = next(iv for run in reversed(runs) for iv in reversed(run))
    out.append(
        f'<text x="{_fmt(min(f.x(last_i), WIDTH - RIGHT - 4))}" y="{_fmt(f.y(last_v) - 10)}" text-anchor="end" '
        f'font-size="14" font-weight="bold" fill="{TEXT_COLOUR}">'
        f"{escape(format_unit(indicator.unit, last_v, indicator.decimals))}</text>"
    )
    return out


def trend_svg(
    indicator: Indicator, points: list[Point], *, title: str, description: str, target: float | None
) -> str:
    """The series (oldest first) as an SVG line chart with the target line, or "" if nothing has a value."""
    values = [float(p.value) for p in points if p.value is not None]
    if not values:
        return ""
    bounds = [*values, *([target] if target is not None else [])]
    ticks = _nice_ticks(min(min(bounds), 0.0), max(bounds))  # a count or share starts at zero
    f = _Frame(len(points), ticks)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title chart-desc" class="chart" font-family="Arial, Helvetica, sans-serif">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
        *_axes(indicator, points, ticks, f),
        *(_target(indicator, target, f) if target is not None else []),
        *_line(indicator, points, f),
        "</svg>",
    ]
    return "\n".join(out)
