"""Each indicator by group (sex, age band, ethnicity, disability): a bar per group for the latest period.

The scheme is about equity, so the distance between groups is the finding: the
title and the line above the chart state the gap in words (progress.gap_statement)
rather than leave the reader to work it out from bar lengths. A group with no figure
keeps its bar's place and says "missing" with the reason, never a zero. Age bands
keep their natural order; other groups are ordered highest first.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from metrics.catalogue import Indicator
from metrics.charts.headlines import source_text
from metrics.charts.style import PALETTE, SMALL_SIZE, TEXT_COLOUR, _bar_axes, _base_layout, _safe
from metrics.charts.timeline import _rows_ending
from metrics.progress import gap_statement
from metrics.words import dimension_label, format_value, lower_first


def _latest_groups(frame: pd.DataFrame) -> tuple[str | None, list[dict[str, Any]]]:
    """The latest period with any value, and every group's row for it (missing groups included)."""
    if frame.empty:
        return None, []
    has = frame[frame["value"].notna()]
    if has.empty:
        return None, []
    return _rows_ending(frame, "end", has["end"].max(), "value")


def _group_order(rows: list[dict[str, Any]], dimension: str) -> list[dict[str, Any]]:
    """Age bands in their natural order (a reader scans them as a scale); other groups highest first."""
    if dimension == "age_band":
        return sorted(rows, key=lambda r: str(r["group"]))
    return sorted(rows, key=lambda r: (r["value"] is None, -(r["value"] or 0), str(r["group"])))


def breakdown_table(indicator: Indicator, frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """The chart's numbers as a table, in the chart's order, for people who cannot read the bars."""
    period, rows = _latest_groups(frame)
    label = dimension_label(dimension)
    out = [
        {
            label: r["group"],
            "Period": period,
            "Value": format_value(indicator, r["value"], r.get("missing")),
            "Status": (r.get("status") or "") if r["value"] is not None else "",
            "Note": "derived from the seven local authorities" if r.get("derived") else "",
        }
        for r in _group_order(rows, dimension)
    ]
    return pd.DataFrame(out, columns=[label, "Period", "Value", "Status", "Note"])


def breakdown_gap(indicator: Indicator, frame: pd.DataFrame, dimension: str) -> str:
    """The gap between groups in words (progress.gap_statement) for the latest period."""
    period, rows = _latest_groups(frame)
    label = dimension_label(dimension)
    text = gap_statement(indicator, {str(r["group"]): r["value"] for r in rows}, label)
    return f"{text[:-1]} in {period}." if period and text.endswith(".") and "missing" not in text else text


def breakdown_chart(
    indicator: Indicator,
    frame: pd.DataFrame,
    dimension: str,
    *,
    place: str | None = None,
    illustrative: bool = False,
    width: int | None = None,
    height: int | None = None,
) -> go.Figure:
    """Bars of each group for the latest period, with missing groups labelled, not drawn as zero."""
    period, rows = _latest_groups(frame)
    title = breakdown_gap(indicator, frame, dimension).split(". ")[0].rstrip(".")
    title = title.removesuffix(f" in {period}") if period else title
    rows = list(reversed(_group_order(rows, dimension)))  # bottom to top
    label = dimension_label(dimension)
    texts = [format_value(indicator, r["value"], r.get("missing")) for r in rows]
    fig = go.Figure(
        go.Bar(
            x=[r["value"] if r["value"] is not None else 0 for r in rows],
            y=[_safe(r["group"]) for r in rows],
            orientation="h",
            marker={"color": PALETTE[0]},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            textfont={"size": SMALL_SIZE, "color": TEXT_COLOUR},
            customdata=texts,
            hovertemplate="%{y}<br><b>%{customdata}</b><extra></extra>",
            name=label,
        )
    )
    known = [r["value"] for r in rows if r["value"] is not None]
    height = height or max(320, 80 * 1 + 44 * len(rows) + 160)
    _base_layout(
        fig,
        title=title,
        sub=f"{indicator.name} ({indicator.unit_label}) by {lower_first(label)}, {place or 'all places'}, {period or 'no period'}",
        source=source_text(indicator, illustrative or indicator.statistics_status == "illustrative"),
        width=width,
        height=height,
        left=170,
        kind="bars",
    )
    _bar_axes(fig, indicator, (max(known) if known else 1) * 1.22)
    return fig


def describe_breakdown(indicator: Indicator, frame: pd.DataFrame, dimension: str) -> str:
    """The chart in words for its alt text: what is compared, the gap, then every group's value."""
    period, rows = _latest_groups(frame)
    label = dimension_label(dimension, mid_sentence=True)
    if not rows:
        return f"Bar chart of {lower_first(indicator.short_name)} by {label}: there are no figures yet."
    values = "; ".join(
        f"{r['group']} {format_value(indicator, r['value'], r.get('missing'))}"
        for r in _group_order(rows, dimension)
    )
    return (
        f"Horizontal bar chart of {lower_first(indicator.short_name)} ({indicator.unit_label}) by {label}, "
        f"{period}. {breakdown_gap(indicator, frame, dimension)} Values: {values}."
    )
