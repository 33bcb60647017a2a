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

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from metrics.catalogue import Indicator
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
from metrics.charts.style import (
    PALETTE,
    SMALL_SIZE,
    TARGET_COLOUR,
    TEXT_COLOUR,
    _axis_style,
    _base_layout,
    _mix,
    _safe,
    _text_on,
    _value_axis,
    contrast,
)
from metrics.charts.timeline import (
    _is_missing,
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
    goal_text,
    join_names,
    lower_first,
    missing_reason,
    upper_first,
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

BELOW_MARK = "✕"

# --- every scheme against the minimum -------------------------------------------------------------------


def _latest_projects(frame: pd.DataFrame) -> tuple[str | None, list[dict[str, Any]]]:
    if frame.empty:
        return None, []
    end = frame["period_end"].max()
    latest = frame[frame["period_end"] == end]
    rows = []
    for r in latest.to_dict("records"):
        rows.append({**r, "share": None if _is_missing(r.get("share")) else float(r["share"])})
    return str(latest["period"].iloc[0]), rows


def _project_goal(indicator: Indicator) -> float:
    return indicator.target.value if indicator.target is not None else 20.0


def project_table(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    period, rows = _latest_projects(frame)
    goal = _project_goal(indicator)
    goal_words = goal_text(indicator, goal)
    rows.sort(key=lambda r: (r["share"] is None, r["share"] if r["share"] is not None else 0, r["project"]))
    out = []
    for r in rows:
        if r["share"] is None:
            against = f"not known ({missing_reason(r.get('missing'))})"
        elif r["share"] < goal:
            against = f"{BELOW_MARK} below {goal_words}"
        else:
            against = f"meets {goal_words}"
        out.append(
            {
                "Scheme": r["project"],
                "Local authority": r["place"],
                "Period": period,
                upper_first(indicator.numerator_label or "numerator"): _count_text(r.get("numerator")),
                upper_first(indicator.denominator_label or "denominator"): _count_text(r.get("denominator")),
                "Share": format_value(indicator, r["share"], r.get("missing")),
                f"Against the {goal_words} minimum": against,
            }
        )
    return pd.DataFrame(out)


def _count_text(v: Any) -> str:
    return "" if _is_missing(v) else f"{float(v):,.0f}"


def project_headline(indicator: Indicator, frame: pd.DataFrame) -> str:
    period, rows = _latest_projects(frame)
    goal = _project_goal(indicator)
    goal_words = goal_text(indicator, goal)
    if not rows:
        return "No scheme figures yet"
    below = [r for r in rows if r["share"] is not None and r["share"] < goal]
    unknown = [r for r in rows if r["share"] is None]
    if below:
        verb = "was" if len(below) == 1 else "were"
        return f"{len(below)} of {len(rows)} schemes {verb} below the {goal_words} minimum in {period}"
    if unknown:
        return f"Every scheme with a figure met {goal_words} in {period}; {len(unknown)} have no figure"
    return f"All {len(rows)} schemes met the {goal_words} minimum in {period}"


def project_chart(
    indicator: Indicator,
    frame: pd.DataFrame,
    *,
    width: int | None = None,
    height: int | None = None,
) -> go.Figure:
    """Each scheme's share against the minimum; a scheme below it is cross-hatched and labelled ✕."""
    period, rows = _latest_projects(frame)
    goal = _project_goal(indicator)
    goal_words = goal_text(indicator, goal)
    rows.sort(key=lambda r: (r["share"] is not None, -(r["share"] or 0), r["project"]))  # lowest at the top
    rows = list(reversed(rows))
    below = [r["share"] is not None and r["share"] < goal for r in rows]
    texts = []
    for r, b in zip(rows, below, strict=True):
        value = format_value(indicator, r["share"], r.get("missing"))
        texts.append(f"{BELOW_MARK} {value} below {goal_words}" if b else value)
    fig = go.Figure(
        go.Bar(
            x=[r["share"] if r["share"] is not None else 0 for r in rows],
            y=[_safe(r["project"]) for r in rows],
            orientation="h",
            marker={
                "color": [PALETTE[2] if b else PALETTE[0] for b in below],
                "pattern": {
                    "shape": ["x" if b else "" for b in below],
                    "fgcolor": "#FFFFFF",
                    "fillmode": "overlay",
                    "size": 8,
                    "solidity": 0.25,
                },
                "line": {"color": TARGET_COLOUR, "width": 1},
            },
            customdata=[[r["place"], t] for r, t in zip(rows, texts, strict=True)],
            hovertemplate="%{y} (%{customdata[0]})<br><b>%{customdata[1]}</b><extra></extra>",
            name="Affordable share",
        )
    )
    known = [r["share"] for r in rows if r["share"] is not None]
    right = max(known + [goal])
    # The values in a column of their own to the right, so no label runs across the minimum line.
    fig.add_trace(
        go.Scatter(
            x=[right * 1.04] * len(rows),
            y=[_safe(r["project"]) for r in rows],
            mode="text",
            text=texts,
            textposition="middle right",
            textfont={"size": SMALL_SIZE, "color": TEXT_COLOUR},
            hoverinfo="skip",
            showlegend=False,
            cliponaxis=False,
            name="values",
        )
    )
    fig.add_vline(x=goal, line={"color": TARGET_COLOUR, "width": 2})
    fig.add_annotation(
        x=goal,
        y=1,
        yref="paper",
        text=f"Minimum: {goal_words} in every scheme",
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        xshift=4,
        font={"size": SMALL_SIZE, "color": TARGET_COLOUR},
        name="target label",
    )
    height = height or max(380, 34 * len(rows) + 200)
    _base_layout(
        fig,
        title=project_headline(indicator, frame),
        sub=f"{indicator.short_name} ({indicator.unit_label}) in each scheme, {period or 'no period'}",
        source=source_text(indicator, indicator.statistics_status == "illustrative"),
        width=width,
        height=height,
        left=290,
    )
    xaxis = _value_axis(indicator)
    xaxis["range"] = [0, right * 1.42]
    xaxis["rangemode"] = "tozero"
    fig.update_xaxes(**xaxis)
    yaxis = _axis_style()
    yaxis.update(showgrid=False, title={"text": ""}, ticks="", tickfont={"size": 12, "color": TEXT_COLOUR})
    fig.update_yaxes(**yaxis)
    return fig


def describe_projects(indicator: Indicator, frame: pd.DataFrame) -> str:
    period, rows = _latest_projects(frame)
    goal = _project_goal(indicator)
    goal_words = goal_text(indicator, goal)
    if not rows:
        return "Bar chart of each scheme's share: there are no scheme figures yet."
    below = sorted(
        (r for r in rows if r["share"] is not None and r["share"] < goal), key=lambda r: r["share"]
    )
    unknown = [r for r in rows if r["share"] is None]
    parts = [
        f"Horizontal bar chart of the affordable share of homes in each of {len(rows)} schemes, {period}, "
        f"against a vertical line at the {goal_words} minimum. {project_headline(indicator, frame)}."
    ]
    if below:
        parts.append(
            "Below the minimum (marked ✕ and cross-hatched): "
            + "; ".join(f"{r['project']} {format_value(indicator, r['share'])}" for r in below)
            + "."
        )
    if unknown:
        parts.append("No figure: " + join_names([r["project"] for r in unknown]) + ".")
    meeting = [r["share"] for r in rows if r["share"] is not None and r["share"] >= goal]
    if meeting:
        parts.append(
            f"The other {len(meeting)} range from {format_value(indicator, min(meeting))} to "
            f"{format_value(indicator, max(meeting))}."
        )
    return " ".join(parts)


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
