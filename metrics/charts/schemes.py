"""Every SCF scheme against the 20% affordable-homes minimum: one bar per scheme, latest period.

The plan asks for at least 20% affordable homes in every scheme, not only on
average, so a total that looks healthy can hide a scheme below the line. Each scheme
is drawn against the minimum, and one below it is marked three ways (colour, a
cross-hatch and the word "below" with a cross) so the status never rests on colour
alone. Scheme names are typed by uploaders, so every name is escaped before Plotly
sees it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from metrics.catalogue import Indicator
from metrics.charts.headlines import source_text
from metrics.charts.style import (
    PALETTE,
    SMALL_SIZE,
    TARGET_COLOUR,
    TEXT_COLOUR,
    _add_bar_target,
    _bar_axes,
    _base_layout,
    _safe,
)
from metrics.charts.timeline import _is_missing, _rows_ending
from metrics.schemes import SHOWN_SCHEMES, SchemeView, minimum_of
from metrics.words import format_value, goal_text, join_names, missing_reason, number, upper_first

BELOW_MARK = "✕"


# The most schemes one chart draws, lowest first (3,486 per authority a quarter on a large store): the
# rest are counted in its subtitle and description, and listed in full in the download beside it.
CHARTED_SCHEMES = SHOWN_SCHEMES


def _latest_projects(
    indicator: Indicator, frame: pd.DataFrame
) -> tuple[str | None, list[dict[str, Any]], float, str]:
    """Every scheme's row for the latest period (missing shares made None), and the minimum each is
    held to, as a number and in words: the catalogue's target, else the plan's 20%."""
    goal = minimum_of(indicator)
    if frame.empty:
        return None, [], goal, goal_text(indicator, goal)
    period, rows = _rows_ending(frame, "period_end", frame["period_end"].max(), "share")
    return period, rows, goal, goal_text(indicator, goal)


def _below(r: dict[str, Any], goal: float) -> bool:
    """Whether a scheme's share is known and below the minimum."""
    return r["share"] is not None and r["share"] < goal


def project_table(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per scheme in the frame (the view's lowest, or every scheme for the download), lowest
    share first, with counts and the verdict in words and a mark."""
    period, rows, goal, goal_words = _latest_projects(indicator, frame)
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
    """A count as the table shows it; blank, not 0, when there is none."""
    return "" if _is_missing(v) else number(float(v), 0)


def project_headline(indicator: Indicator, view: SchemeView) -> str:
    """The title: how many schemes are below the minimum, the finding a total would hide."""
    goal_words = goal_text(indicator, view.minimum)
    if not view.total:
        return "No scheme figures yet"
    if view.below:
        verb = "was" if view.below == 1 else "were"
        return f"{view.below} of {view.total} schemes {verb} below the {goal_words} minimum in {view.period}"
    if view.no_figure:
        return (
            f"Every scheme with a figure met {goal_words} in {view.period}; {view.no_figure} have no figure"
        )
    return f"All {view.total} schemes met the {goal_words} minimum in {view.period}"


def project_chart(
    indicator: Indicator,
    view: SchemeView,
    *,
    width: int | None = None,
    height: int | None = None,
) -> go.Figure:
    """The lowest schemes' shares against the minimum; a scheme below it is cross-hatched and labelled ✕.

    The view holds the lowest `CHARTED_SCHEMES` already (a chart of thousands of bars says nothing
    and stalls a browser); the subtitle counts the rest.
    """
    _, rows, goal, goal_words = _latest_projects(indicator, view.rows)
    rows.sort(key=lambda r: (r["share"] is None, r["share"] or 0, r["project"]))  # lowest first
    rows = rows[:CHARTED_SCHEMES]
    below = [_below(r, goal) for r in rows]
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
    _add_value_column(fig, rows, texts, right)
    _add_minimum(fig, goal, goal_words)
    height = height or max(380, 34 * len(rows) + 200)
    _base_layout(
        fig,
        title=project_headline(indicator, view),
        sub=f"{indicator.short_name} ({indicator.unit_label}) in each scheme, {view.period or 'no period'}"
        + (
            f"; the {len(rows)} lowest of {view.total:,} shown, every scheme in the download"
            if view.total > len(rows)
            else ""
        ),
        source=source_text(indicator, indicator.statistics_status == "illustrative"),
        width=width,
        height=height,
        left=290,
        kind="schemes",
    )
    _bar_axes(fig, indicator, right * 1.42, tickfont={"size": 12, "color": TEXT_COLOUR})
    return fig


def _add_value_column(fig: go.Figure, rows: list[dict[str, Any]], texts: list[str], right: float) -> None:
    """The values in a column of their own to the right, so no label runs across the minimum line."""
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


def _add_minimum(fig: go.Figure, goal: float, goal_words: str) -> None:
    """The minimum as a labelled vertical line that every scheme's bar is read against."""
    _add_bar_target(fig, goal, f"Minimum: {goal_words} in every scheme", {"color": TARGET_COLOUR, "width": 2})


def describe_projects(indicator: Indicator, view: SchemeView) -> str:
    """The chart in words: schemes below the minimum by name, those with no figure, the range of the rest."""
    goal_words = goal_text(indicator, view.minimum)
    if not view.total:
        return "Bar chart of each scheme's share: there are no scheme figures yet."
    parts = [
        f"Horizontal bar chart of the affordable share of homes in each of {view.total} schemes, {view.period}, "
        f"against a vertical line at the {goal_words} minimum. {project_headline(indicator, view)}."
    ]
    if view.total > CHARTED_SCHEMES:
        parts.append(
            f"The chart and the table show the {CHARTED_SCHEMES} lowest; the download lists every scheme."
        )
    if view.below:
        below = [r for r in view.rows.itertuples() if not _is_missing(r.share) and r.share < view.minimum]
        named = "; ".join(f"{r.project} {format_value(indicator, r.share)}" for r in below[:CHARTED_SCHEMES])
        more = view.below - len(below[:CHARTED_SCHEMES])
        parts.append(
            f"Below the minimum (marked ✕ and cross-hatched): {named}"
            + (f"; and {more:,} more." if more else ".")
        )
    if view.no_figure:
        names = list(view.no_figure_names)
        rest = view.no_figure - len(names)
        parts.append("No figure: " + join_names(names + ([f"{rest:,} more"] if rest else [])) + ".")
    if view.meeting:
        parts.append(
            f"The other {view.meeting} range from {format_value(indicator, view.meeting_low)} to "
            f"{format_value(indicator, view.meeting_high)}."
        )
    return " ".join(parts)
