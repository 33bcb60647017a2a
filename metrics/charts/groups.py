"""Each indicator by group (sex, age band, ethnicity, disability): a bar per group for the latest period.

The scheme is about equity, so the distance between groups is the finding: the
title and the line above the chart state the gap in words (words.group_gap)
rather than leave the reader to work it out from bar lengths. A group with no figure
keeps its bar's place and says "missing" with the reason, never a zero. Age bands
keep their natural order; other groups are ordered highest first.

The frame is dashboard.breakdown_series, already suppressed (metrics.disclose): a hidden group
(`suppressed`) has no value to draw, so its bar is drawn as a missing one and labelled "c", it sorts
with the missing groups (its place in the order would rank it), the axis is set by the groups shown,
and the gap is between the groups shown. A survey estimate's groups carry their confidence
intervals: thin grey whiskers on the bars, "Lower" and "Upper" in the table, and a gap called a
difference only when the intervals of the highest and lowest groups do not overlap.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from metrics.catalogue import Indicator
from metrics.charts.headlines import intervals_note, source_text
from metrics.charts.style import (
    MIN_PLOT_HEIGHT,
    PALETTE,
    SMALL_SIZE,
    TARGET_COLOUR,
    TEXT_COLOUR,
    _bar_axes,
    _base_layout,
    _safe,
)
from metrics.charts.timeline import _is_missing, _rows_ending
from metrics.series import Point
from metrics.words import (
    SUPPRESSED_CELL,
    SUPPRESSED_MARK,
    dimension_label,
    format_value,
    group_gap,
    interval_text,
    lower_first,
    suppressed_note,
)


def _hidden(row: dict[str, Any]) -> bool:
    """Whether the group's figure is hidden as a small number (a frame without the column hides none)."""
    return bool(row.get("suppressed")) and row["value"] is None


def _latest_groups(frame: pd.DataFrame) -> tuple[str | None, list[dict[str, Any]]]:
    """The latest period with any figure, shown or hidden, and every group's row for it (missing groups
    included). A hidden figure counts: the newest period is shown with its groups as `c`, not an older one
    put in its place."""
    if frame.empty:
        return None, []
    shown = frame["value"].notna()
    if "suppressed" in frame:
        shown |= frame["suppressed"].fillna(False).astype(bool)
    if not shown.any():
        return None, []
    period, rows = _rows_ending(frame, "end", frame.loc[shown, "end"].max(), "value")
    for r in rows:  # an interval read back as NaN is no interval
        for key in ("lower", "upper", "confidence"):
            r[key] = None if _is_missing(r.get(key)) else float(r[key])
    return period, rows


def _group_order(rows: list[dict[str, Any]], dimension: str) -> list[dict[str, Any]]:
    """Age bands in their natural order (a reader scans them as a scale); other groups highest first."""
    if dimension == "age_band":
        return sorted(rows, key=lambda r: str(r["group"]))
    return sorted(rows, key=lambda r: (r["value"] is None, -(r["value"] or 0), str(r["group"])))


def _point(row: dict[str, Any]) -> Point:
    """A group's row as a Point, so the gap is judged by words.clear_difference like any two figures."""
    return Point(
        period=str(row["period"]),
        start=row.get("start"),
        end=row.get("end"),
        value=row["value"],
        missing=row.get("missing"),
        lower=row.get("lower"),
        upper=row.get("upper"),
        confidence=row.get("confidence"),
    )


def _value_text(indicator: Indicator, row: dict[str, Any]) -> str:
    """A group's value as a label or cell says it: "c" when hidden, never a number or zero."""
    return SUPPRESSED_MARK if _hidden(row) else format_value(indicator, row["value"], row.get("missing"))


def _ranged(row: dict[str, Any]) -> bool:
    """Whether the group's figure is shown with a confidence interval."""
    return row["value"] is not None and row.get("lower") is not None and row.get("upper") is not None


def _with_interval(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if _ranged(r)]


def breakdown_table(indicator: Indicator, frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """The chart's numbers as a table, in the chart's order, for people who cannot read the bars; with
    each estimate's interval (Lower, Upper, Confidence level) where the groups carry one."""
    period, rows = _latest_groups(frame)
    label = dimension_label(dimension)
    intervals = bool(_with_interval(rows))
    columns = [label, "Period", "Value", *(["Lower", "Upper", "Confidence level"] if intervals else [])]
    columns += ["Status", "Note"]
    out = []
    for r in _group_order(rows, dimension):
        ranged = _ranged(r)
        row = {label: r["group"], "Period": period, "Value": _value_text(indicator, r)}
        if intervals:
            row["Lower"] = format_value(indicator, r["lower"]) if ranged else ""
            row["Upper"] = format_value(indicator, r["upper"]) if ranged else ""
            row["Confidence level"] = (
                f"{r['confidence']:g}%" if ranged and r["confidence"] is not None else ""
            )
        row["Status"] = (r.get("status") or "") if r["value"] is not None else ""
        row["Note"] = (
            SUPPRESSED_CELL
            if _hidden(r)
            else "derived from the seven local authorities"
            if r.get("derived")
            else ""
        )
        out.append(row)
    return pd.DataFrame(out, columns=columns)


def breakdown_gap(indicator: Indicator, frame: pd.DataFrame, dimension: str, *, title: bool = False) -> str:
    """The gap between groups in words (words.group_gap) for the latest period, never from a hidden group;
    as a chart's `title`, without the period (the subtitle has it) or the reason a gap is unclear."""
    period, rows = _latest_groups(frame)
    return group_gap(
        indicator,
        dimension_label(dimension),
        {str(r["group"]): _point(r) for r in rows},
        withheld=[str(r["group"]) for r in rows if _hidden(r)],
        when=None if title else period,
        title=title,
    )


def breakdown_notes(indicator: Indicator, frame: pd.DataFrame) -> list[str]:
    """What a reader needs to read the chart and table: the key to `c`, and what the whiskers show."""
    _, rows = _latest_groups(frame)
    notes = [suppressed_note(indicator)] if any(_hidden(r) for r in rows) else []
    note = _intervals_note(rows).removeprefix("; ")
    return notes + ([f"{note[:1].upper()}{note[1:]}."] if note else [])


def _intervals_note(rows: list[dict[str, Any]]) -> str:
    """ "; the whiskers show 95% confidence intervals", worded as on the page's other charts (empty when
    no group shown has an interval)."""
    return intervals_note([[_point(r) for r in _with_interval(rows)]])


def _error_bars(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each estimate's interval as a thin grey whisker through its bar's end (house style: #3D3D3D for
    annotations); a bar without one, or hidden, has none (an interval would give a hidden value back)."""
    return {
        "type": "data",
        "symmetric": False,
        "array": [r["upper"] - r["value"] if _ranged(r) else None for r in rows],
        "arrayminus": [r["value"] - r["lower"] if _ranged(r) else None for r in rows],
        "color": TARGET_COLOUR,
        "thickness": 1.5,
        "width": 5,
    }


def _labels_past_lines(rows: list[dict[str, Any]], names: list[str], texts: list[str]) -> go.Scatter:
    """The bars' labels where lines are drawn: a bar's own label would sit on its interval's line, so
    each goes past its line's end instead."""
    return go.Scatter(
        x=[r["upper"] if _ranged(r) else (r["value"] or 0) for r in rows],
        y=names,
        mode="text",
        text=[f"\u00a0{t}" for t in texts],  # a space between the line's end and the label
        textposition="middle right",
        textfont={"size": SMALL_SIZE, "color": TEXT_COLOUR},
        cliponaxis=False,
        hoverinfo="skip",
        showlegend=False,
        name="labels",
    )


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
    """Bars of each group for the latest period, with missing and hidden groups labelled, not drawn as zero."""
    period, rows = _latest_groups(frame)
    title = breakdown_gap(indicator, frame, dimension, title=True).split(". ")[0].rstrip(".")
    rows = list(reversed(_group_order(rows, dimension)))  # bottom to top
    label = dimension_label(dimension)
    texts = [_value_text(indicator, r) for r in rows]
    ranged = _with_interval(rows)
    names = [_safe(r["group"]) for r in rows]
    fig = go.Figure(
        go.Bar(
            x=[r["value"] if r["value"] is not None else 0 for r in rows],
            y=names,
            orientation="h",
            marker={"color": PALETTE[0]},
            text=None if ranged else texts,
            textposition="none" if ranged else "outside",
            cliponaxis=False,
            textfont={"size": SMALL_SIZE, "color": TEXT_COLOUR},
            customdata=texts,
            hovertemplate="%{y}<br><b>%{customdata}</b><extra></extra>",
            name=label,
            error_x=_error_bars(rows) if ranged else None,
        )
    )
    if ranged:
        fig.add_trace(_labels_past_lines(rows, names, texts))
    known = [r["value"] for r in rows if r["value"] is not None] + [r["upper"] for r in ranged]
    sub = f"{indicator.name} ({indicator.unit_label}) by {lower_first(label)}, {place or 'all places'}, {period or 'no period'}"
    sub += _intervals_note(rows)
    if any(_hidden(r) for r in rows):
        sub += f". {suppressed_note(indicator)}"

    def lay_out(figure_height: int) -> None:
        _base_layout(
            fig,
            title=title,
            sub=sub,
            source=source_text(indicator, illustrative or indicator.statistics_status == "illustrative"),
            width=width,
            height=figure_height,
            left=170,
            kind="bars",
        )

    lay_out(height or 320)
    if height is None:
        # The height from the bars and the words above and below them: a fixed guess left two bars under
        # a long title too short a plot, and the source line ran into the axis title.
        lay_out(int(fig.layout.margin.t + fig.layout.margin.b + max(MIN_PLOT_HEIGHT, 44 * len(rows) + 40)))
    _bar_axes(fig, indicator, (max(known) if known else 1) * 1.22)
    if not known:  # every group hidden or missing: an axis of made-up numbers would only mislead
        fig.update_xaxes(showticklabels=False, showgrid=False)
    return fig


def describe_breakdown(indicator: Indicator, frame: pd.DataFrame, dimension: str) -> str:
    """The chart in words for its alt text: what is compared, the gap, then every group's value (a hidden
    group as "c", an estimate with its interval), then the key to what is hidden."""
    period, rows = _latest_groups(frame)
    label = dimension_label(dimension, mid_sentence=True)
    if not rows:
        return f"Bar chart of {lower_first(indicator.short_name)} by {label}: there are no figures yet."

    def value(r: dict[str, Any]) -> str:
        ranged = interval_text(indicator, _point(r)) if r["value"] is not None else ""
        return f"{r['group']} {_value_text(indicator, r)}" + (f" ({ranged})" if ranged else "")

    values = "; ".join(value(r) for r in _group_order(rows, dimension))
    notes = " ".join(breakdown_notes(indicator, frame))
    return (
        f"Horizontal bar chart of {lower_first(indicator.short_name)} ({indicator.unit_label}) by {label}, "
        f"{period}. {breakdown_gap(indicator, frame, dimension)} Values: {values}."
        + (f" {notes}" if notes else "")
    )
