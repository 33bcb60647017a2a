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


def trend_svg(
    indicator: Indicator, points: list[Point], *, title: str, description: str, target: float | None
) -> str:
    """The series (oldest first) as an SVG line chart with the target line, or "" if nothing has a value."""
    valued = [p for p in points if p.value is not None]
    if not valued:
        return ""
    values = [float(p.value) for p in valued]  # type: ignore[arg-type]
    lo = min([*values, *([target] if target is not None else [])])
    hi = max([*values, *([target] if target is not None else [])])
    lo = min(lo, 0.0) if lo >= 0 else lo  # a count or share starts at zero
    ticks = _nice_ticks(lo, hi)
    y0, y1 = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(points)

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - y0) / (y1 - y0))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title chart-desc" class="chart" font-family="Arial, Helvetica, sans-serif">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
    ]
    unit = indicator.unit_label
    for t in ticks:
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_fmt(y(t))}" y2="{_fmt(y(t))}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        label = format_unit(indicator.unit, t, 0 if float(t).is_integer() else indicator.decimals)
        out.append(
            f'<text x="{LEFT - 8}" y="{_fmt(y(t) + 5)}" text-anchor="end" font-size="14" '
            f'fill="{SECONDARY_TEXT}">{escape(label)}</text>'
        )
    out.append(
        f'<text x="14" y="{_fmt(TOP + plot_h / 2)}" font-size="14" fill="{SECONDARY_TEXT}" '
        f'text-anchor="middle" transform="rotate(-90 14 {_fmt(TOP + plot_h / 2)})">{escape(unit)}</text>'
    )
    step = max(1, math.ceil(n / MAX_LABELS))
    shown = sorted({*range(0, n, step), n - 1})
    if len(shown) > 1 and shown[-1] - shown[-2] < step:
        shown.pop(-2)  # the last period always, without two labels running into each other
    for i in shown:
        out.append(
            f'<text x="{_fmt(x(i))}" y="{HEIGHT - BOTTOM + 22}" text-anchor="middle" font-size="14" '
            f'fill="{SECONDARY_TEXT}">{escape(points[i].period)}</text>'
        )
    if target is not None:
        ty = _fmt(y(target))
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty}" y2="{ty}" stroke="{TARGET_COLOUR}" '
            'stroke-width="2" stroke-dasharray="8 5"/>'
        )
        out.append(
            f'<text x="{WIDTH - RIGHT}" y="{_fmt(y(target) - 8)}" text-anchor="end" font-size="14" '
            f'fill="{TARGET_COLOUR}">Target: {escape(goal_text(indicator, target))}</text>'
        )
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
                f"{'M' if k == 0 else 'L'}{_fmt(x(i))},{_fmt(y(v))}" for k, (i, v) in enumerate(run)
            )
            out.append(f'<path d="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="3"/>')
    for i, v in (iv for run in runs for iv in run):
        # Provisional figures as open markers, as on the dashboard's charts (the description says so).
        fill = "#ffffff" if points[i].status == "provisional" else PALETTE[0]
        out.append(
            f'<circle cx="{_fmt(x(i))}" cy="{_fmt(y(v))}" r="4.5" fill="{fill}" stroke="{PALETTE[0]}" '
            'stroke-width="2"/>'
        )
    last_i, last_v = next(
        (i, float(p.value)) for i, p in reversed(list(enumerate(points))) if p.value is not None
    )
    out.append(
        f'<text x="{_fmt(min(x(last_i), WIDTH - RIGHT - 4))}" y="{_fmt(y(last_v) - 10)}" text-anchor="end" '
        f'font-size="14" font-weight="bold" fill="{TEXT_COLOUR}">'
        f"{escape(format_unit(indicator.unit, last_v, indicator.decimals))}</text>"
    )
    out.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1"/>'
    )
    out.append("</svg>")
    return "\n".join(out)
