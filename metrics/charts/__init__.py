"""Every chart the dashboard draws, in one house style, each with its text alternative and table.

Pages, the board pack and the PNG/SVG exports all draw from here, so a chart in a
board paper looks like the one on screen and says the same thing. The style is the
Analysis Function's: a sentence-case title that states the finding (worked out from
the data, never typed), a subtitle with measure, place and period, units on the
axis, the key above the plot, the source under it, labelled target lines, no dual
axes and counts from zero. Colour is never the only carrier of meaning: status and
"below the minimum" also have a symbol, a pattern or words.

Missing is not zero. A suppressed or unavailable value (c, x, z), or a period with
no figure at all, is drawn as a break in the line with a shaded band saying why,
and the y value at that x is None so nothing is plotted there.

This module never imports streamlit: figures are plain ``plotly.graph_objects``.
"""

from __future__ import annotations

import plotly.graph_objects as go

from metrics.charts.groups import (
    breakdown_chart,
    breakdown_gap,
    breakdown_table,
    describe_breakdown,
)
from metrics.charts.headlines import (
    describe,
    headline,
    headline_text,
    source_text,
    subject,
    subtitle,
)
from metrics.charts.places import (
    describe_place,
    describe_tiles,
    place_chart,
    place_headline,
    place_table,
    tile_map,
)
from metrics.charts.schemes import (
    BELOW_MARK,
    describe_projects,
    project_chart,
    project_headline,
    project_table,
)
from metrics.charts.style import (
    PALETTE,
    TARGET_COLOUR,
    _mix,
    _text_on,
    contrast,
)
from metrics.charts.timeline import (
    _timeline,
    _valued,
    restrict,
)
from metrics.charts.trend import (
    indicator_chart,
    table,
)
from metrics.dashboard import Shown
from metrics.words import (
    format_value,
    lower_first,
)

__all__ = [
    # style
    "PALETTE",
    "TARGET_COLOUR",
    "contrast",
    "_mix",  # the contrast test checks every tile shade and the text drawn on it
    "_text_on",
    # the series as charted
    "restrict",
    # the finding in words
    "subject",
    "headline",
    "subtitle",
    "source_text",
    "describe",
    "headline_text",
    # the trend chart
    "indicator_chart",
    "table",
    # the seven authorities
    "place_table",
    "place_headline",
    "place_chart",
    "describe_place",
    "tile_map",
    "describe_tiles",
    # groups
    "breakdown_table",
    "breakdown_gap",
    "breakdown_chart",
    "describe_breakdown",
    # schemes
    "BELOW_MARK",
    "project_table",
    "project_headline",
    "project_chart",
    "describe_projects",
    # sparklines
    "sparkline",
    "describe_sparkline",
]


# --- small multiples ----------------------------------------------------------------------------------


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


def describe_sparkline(shown: Shown) -> str:
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
