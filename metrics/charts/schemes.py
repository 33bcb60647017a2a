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
from metrics.words import format_value, goal_text, join_names, missing_reason, number, upper_first

BELOW_MARK = "✕"


# The most schemes one chart draws, lowest first (3,486 per authority a quarter on a large store): the
# rest are counted in its subtitle and listed in full in the table and the download beside it.
CHARTED_SCHEMES = 40


def _latest_projects(
    indicator: Indicator, frame: pd.DataFrame
) -> tuple[str | None, list[dict[str, Any]], float, str]:
    """Every scheme's row for the latest period (missing shares made None), and the minimum each is
    held to, as a number and in words: the catalogue's target, else the plan's 20%."""
    goal = indicator.target.value if indicator.target is not None else 20.0
    if frame.empty:
        return None, [], goal, goal_text(indicator, goal)
    period, rows = _rows_ending(frame, "period_end", frame["period_end"].max(), "share")
    return period, rows, goal, goal_text(indicator, goal)


def _below(r: dict[str, Any], goal: float) -> bool:
    """Whether a scheme's share is known and below the minimum."""
    return r["share"] is not None and r["share"] < goal


def project_table(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per scheme, lowest share first, with counts and the verdict in words and a mark."""
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


def project_headline(indicator: Indicator, frame: pd.DataFrame) -> str:
    """The title: how many schemes are below the minimum, the finding a total would hide."""
    period, rows, goal, goal_words = _latest_projects(indicator, frame)
    if not rows:
        return "No scheme figures yet"
    below = [r for r in rows if _below(r, goal)]
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
    period, rows, goal, goal_words = _latest_projects(indicator, frame)
    rows.sort(key=lambda r: (r["share"] is not None, -(r["share"] or 0), r["project"]))  # lowest at the top
    rows = list(reversed(rows))
    every = len(rows)
    rows = rows[
        :CHARTED_SCHEMES
    ]  # the lowest: a chart of thousands of bars says nothing and stalls a browser
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
        title=project_headline(indicator, frame),
        sub=f"{indicator.short_name} ({indicator.unit_label}) in each scheme, {period or 'no period'}"
        + (
            f"; the {len(rows)} lowest of {every:,} shown, every scheme in the table"
            if every > len(rows)
            else ""
        ),
        source=source_text(indicator, indicator.statistics_status == "illustrative"),
        width=width,
        height=height,
        left=290,
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


def describe_projects(indicator: Indicator, frame: pd.DataFrame) -> str:
    """The chart in words: schemes below the minimum by name, those with no figure, the range of the rest."""
    period, rows, goal, goal_words = _latest_projects(indicator, frame)
    if not rows:
        return "Bar chart of each scheme's share: there are no scheme figures yet."
    below = sorted((r for r in rows if _below(r, goal)), key=lambda r: r["share"])
    unknown = [r for r in rows if r["share"] is None]
    parts = [
        f"Horizontal bar chart of the affordable share of homes in each of {len(rows)} schemes, {period}, "
        f"against a vertical line at the {goal_words} minimum. {project_headline(indicator, frame)}."
    ]
    if len(rows) > CHARTED_SCHEMES:
        parts.append(f"The chart shows the {CHARTED_SCHEMES} lowest; the table lists every scheme.")
    if below:
        named = "; ".join(
            f"{r['project']} {format_value(indicator, r['share'])}" for r in below[:CHARTED_SCHEMES]
        )
        more = f"; and {len(below) - CHARTED_SCHEMES:,} more" if len(below) > CHARTED_SCHEMES else ""
        parts.append(f"Below the minimum (marked ✕ and cross-hatched): {named}{more}.")
    if unknown:
        parts.append("No figure: " + join_names([r["project"] for r in unknown]) + ".")
    meeting = [r["share"] for r in rows if r["share"] is not None and r["share"] >= goal]
    if meeting:
        parts.append(
            f"The other {len(meeting)} range from {format_value(indicator, min(meeting))} to "
            f"{format_value(indicator, max(meeting))}."
        )
    return " ".join(parts)
