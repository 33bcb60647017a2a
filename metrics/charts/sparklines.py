"""Sparklines: a tiny trend line per indicator for lists, such as a theme page's table of measures.

There is no room for axes, a title or a key, so a sparkline carries only the
shape: the line, the latest value marked (open when provisional, as on the full
chart) and a dotted target. Gaps stay gaps even this small (a value alone between
two gaps gets a dot, as it has no line to sit on), and the description says in
words what the shape shows, for the page's alt text.
"""

from __future__ import annotations

import plotly.graph_objects as go

from metrics.charts.style import PALETTE, TARGET_COLOUR
from metrics.charts.timeline import _Row, _timeline, _valued
from metrics.dashboard import Shown
from metrics.words import format_value, lower_first


def sparkline(shown: Shown, *, width: int = 180, height: int = 56) -> go.Figure:
    """A tiny trend line for lists: no axes or title, the latest point marked; gaps stay gaps."""
    rows = _timeline(shown)
    ind = shown.indicator
    fig = go.Figure()
    values = [r.value for r in rows]
    # A value with a gap on both sides has no line to sit on, so it gets a dot.
    alone = [
        v is not None
        and (i == 0 or values[i - 1] is None)
        and (i == len(values) - 1 or values[i + 1] is None)
        for i, v in enumerate(values)
    ]
    fig.add_trace(
        go.Scatter(
            x=[r.end for r in rows],
            y=values,
            mode="lines+markers",
            line={"color": PALETTE[0], "width": 2},
            marker={"color": PALETTE[0], "size": [4 if a else 0 for a in alone]},
            connectgaps=False,
            hoverinfo="skip",
            name=ind.short_name,
        )
    )
    _add_latest(fig, rows)
    t = ind.target
    if t is not None and rows:
        fig.add_trace(
            go.Scatter(
                x=[rows[0].end, rows[-1].end],
                y=[t.value, t.value],
                mode="lines",
                line={"color": TARGET_COLOUR, "width": 1, "dash": "dot"},
                hoverinfo="skip",
                name="target",
            )
        )
    fig.update_layout(
        width=width,
        height=height,
        margin={"t": 4, "b": 4, "l": 4, "r": 4},
        showlegend=False,
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    fig.update_xaxes(visible=False, fixedrange=True)
    y = {"visible": False, "fixedrange": True}
    if ind.unit in ("count", "money"):
        y["rangemode"] = "tozero"
    fig.update_yaxes(**y)
    return fig


def _add_latest(fig: go.Figure, rows: list[_Row]) -> None:
    """The latest value marked, open when provisional as on the full chart."""
    valued = [r for r in rows if r.value is not None]
    if valued:
        last = valued[-1]
        provisional = last.point is not None and last.point.status == "provisional"
        fig.add_trace(
            go.Scatter(
                x=[last.end],
                y=[last.value],
                mode="markers",
                marker={
                    "color": PALETTE[0],
                    "size": 7,
                    "symbol": "circle-open" if provisional else "circle",
                    "line": {"width": 2, "color": PALETTE[0]},
                },
                hoverinfo="skip",
                name="latest",
            )
        )


def describe_sparkline(shown: Shown) -> str:
    """The sparkline in words (first to latest, and how many periods are missing), for its alt text."""
    ind = shown.indicator
    valued = _valued(shown)
    if not valued:
        return f"Trend of {lower_first(ind.short_name)}: no figures yet."
    first, last = valued[0], valued[-1]
    if len(valued) == 1:
        return f"Trend of {lower_first(ind.short_name)}: one value, {format_value(ind, last.value)} ({last.period})."
    gaps = sum(1 for r in _timeline(shown) if r.value is None)
    gap_text = f", with {gaps} missing period{'s' if gaps != 1 else ''}" if gaps else ""
    return (
        f"Trend of {lower_first(ind.short_name)} from {format_value(ind, first.value)} ({first.period}) to "
        f"{format_value(ind, last.value)} ({last.period}){gap_text}."
    )
