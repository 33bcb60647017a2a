"""The trend chart: one indicator's series over time as a line, with its target and projection.

This is the chart on every indicator page and in every board paper, so it carries
the most: the target as a labelled line (dotted to its date for a dated target),
provisional values as open markers, the projection as a dashed line in its 80% band,
and every missing value or period as a shaded, labelled band rather than a zero.
The x axis is a real date axis labelled with the periods, so quarters and years sit
at their true distances. Each layer is drawn by its own helper, in the order Plotly
stacks them, and the table beside the chart gives the same numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from metrics import periods
from metrics.catalogue import Indicator
from metrics.charts.headlines import headline, source_text, subtitle
from metrics.charts.style import (
    ASSUMED_WIDTH,
    BAND_FILL,
    DEFAULT_HEIGHT,
    FONT_SIZE,
    MAX_X_TICKS,
    MISSING_FILL,
    PALETTE,
    SMALL_SIZE,
    TARGET_COLOUR,
    TEXT_COLOUR,
    _add_target_label,
    _axis_style,
    _base_layout,
    _safe,
    _thin,
    _value_axis,
)
from metrics.charts.timeline import _projection_applies, _Row, _status_word, _timeline, place_text
from metrics.dashboard import Shown
from metrics.series import Point
from metrics.words import (
    format_value,
    interval_range,
    interval_text,
    long_date,
    missing_reason,
    target_phrase,
)

_HALF_PERIOD_DAYS = {"month": 15, "quarter": 45, "year": 182}


def indicator_chart(shown: Shown, *, width: int | None = None, height: int | None = None) -> go.Figure:
    """The series as a line, with its target, its projection, provisional and missing values marked."""
    ind = shown.indicator
    rows = _timeline(shown)
    height = height or DEFAULT_HEIGHT
    fig = go.Figure()
    half = dt.timedelta(days=_HALF_PERIOD_DAYS.get(ind.frequency, 45))

    legend_names = _add_references(fig, shown)
    legend_names.insert(0, _add_series(fig, shown, rows))
    legend_names += _add_provisional(fig, rows)

    x_lo = (rows[0].end - half) if rows else None
    x_hi = (rows[-1].end + half) if rows else None

    if _projection_applies(shown):
        legend_names += _add_projection(fig, shown)
        end = (shown.progress.projection or [])[-1]
        if x_hi is not None:
            x_hi = max(x_hi, end["date"] + half)

    label = target_phrase(ind)
    if ind.target is not None and label is not None and rows:
        x_lo, x_hi = _add_target(fig, ind, label, x_lo, x_hi, half)
        legend_names.append(f"Target: {label}")

    _add_missing_bands(fig, rows, half)

    _base_layout(
        fig,
        title=headline(shown),
        sub=subtitle(shown),
        source=source_text(ind, shown.illustrative),
        width=width,
        height=height,
        legend_names=legend_names,
        kind="trend",
    )
    fig.update_xaxes(**_time_axis(ind, _period_ticks(shown, rows, width), x_lo, x_hi))
    fig.update_yaxes(**_value_axis(ind))
    return fig


# --- the layers, in the order they are drawn -----------------------------------------------------------


def _add_series(fig: go.Figure, shown: Shown, rows: list[_Row]) -> str:
    """The line itself, broken at every gap; returns its name in the key."""
    ind = shown.indicator
    colour = PALETTE[0]
    xs = [r.end for r in rows]
    ys = [r.value for r in rows]
    hover = []
    symbols = []
    for r in rows:
        if r.point is None or r.point.value is None:
            hover.append([r.period, r.missing_text, ""])
            symbols.append("circle")
        else:
            note = "provisional" if r.point.status == "provisional" else "final"
            if r.point.derived:
                note += ", derived from the seven authorities"
            if r.point.interval is not None:
                note += f"; {interval_text(ind, r.point)}"
            hover.append([r.period, format_value(ind, r.point.value), note])
            symbols.append("circle-open" if r.point.status == "provisional" else "circle")
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines+markers",
            name=_safe(place_text(shown)),
            line={"color": colour, "width": 3},
            marker={"color": colour, "size": 9, "symbol": symbols, "line": {"width": 2, "color": colour}},
            connectgaps=False,
            customdata=hover,
            hovertemplate="%{customdata[0]}<br><b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>",
            error_y=_error_bars([r.point for r in rows]),
            legendrank=1,  # first in the key, though drawn over England's and the region's lines
        )
    )
    return place_text(shown)


def _error_bars(points: list[Point | None]) -> dict[str, Any] | None:
    """A survey estimate's confidence intervals as thin whiskers on its points (none where a point has no
    interval); the subtitle says what they are, the table gives their numbers."""
    if not any(p is not None and p.interval is not None for p in points):
        return None

    def reach(p: Point | None, side: int) -> float | None:
        if p is None or p.interval is None or p.value is None:
            return None
        return (p.interval[1] - p.value) if side > 0 else (p.value - p.interval[0])

    return {
        "type": "data",
        "symmetric": False,
        "array": [reach(p, 1) for p in points],
        "arrayminus": [reach(p, -1) for p in points],
        "color": TARGET_COLOUR,
        "thickness": 1.5,
        "width": 5,
    }


# England and the region: thinner lines, each with its own marker shape and named in the key, so they are
# told apart by shape and name as well as colour, and never mistaken for the place's own line.
_REFERENCE_STYLE = {
    "england": (PALETTE[2], "square"),
    "region": (PALETTE[3], "triangle-up"),
}


def _add_references(fig: go.Figure, shown: Shown) -> list[str]:
    """England's and the region's series over the same periods (context only); returns the key names."""
    ind = shown.indicator
    names = []
    for ref in shown.references:
        colour, symbol = _REFERENCE_STYLE.get(ref.place.kind, (PALETTE[2], "square"))
        points = sorted(ref.series, key=lambda p: (p.start, p.end))
        name = ref.place.name
        fig.add_trace(
            go.Scatter(
                x=[p.end for p in points],
                y=[p.value for p in points],
                mode="lines+markers",
                name=_safe(name),
                line={"color": colour, "width": 2},
                marker={"color": colour, "size": 7, "symbol": symbol},
                connectgaps=False,
                customdata=[[p.period, format_value(ind, p.value, p.missing)] for p in points],
                hovertemplate=f"{_safe(name)}, %{{customdata[0]}}<br><b>%{{customdata[1]}}</b><extra></extra>",
                error_y=_error_bars(points),
                legendrank=2 + len(names),
            )
        )
        names.append(name)
    return names


def _add_provisional(fig: go.Figure, rows: list[_Row]) -> list[str]:
    """Open markers over provisional values, with a key entry (not colour alone); returns the key names."""
    colour = PALETTE[0]
    provisional = [
        r
        for r in rows
        if r.point is not None and r.point.value is not None and r.point.status == "provisional"
    ]
    if not provisional:
        return []
    fig.add_trace(
        go.Scatter(
            x=[r.end for r in provisional],
            y=[r.value for r in provisional],
            mode="markers",
            name="Provisional (open markers)",
            marker={
                "symbol": "circle-open",
                "size": 12,
                "color": colour,
                "line": {"width": 2, "color": colour},
            },
            hoverinfo="skip",
        )
    )
    return ["Provisional (open markers)"]


def _add_projection(fig: go.Figure, shown: Shown) -> list[str]:
    """The trend as a dashed line in its shaded 80% range, labelled in words; returns the key names."""
    ind = shown.indicator
    colour = PALETTE[0]
    proj = shown.progress.projection or []
    px = [r["date"] for r in proj]
    edges = (  # the upper edge, then the lower one filled up to it: the shaded 80% range
        ("high", {"showlegend": False, "name": "Projection range upper"}),
        ("low", {"fill": "tonexty", "fillcolor": BAND_FILL, "name": "Projection range (80%)"}),
    )
    for key, edge in edges:
        fig.add_trace(
            go.Scatter(
                x=px,
                y=[r[key] for r in proj],
                mode="lines",
                line={"width": 0, "color": colour},
                hoverinfo="skip",
                **edge,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=px,
            y=[r["value"] for r in proj],
            mode="lines",
            line={"color": colour, "width": 2, "dash": "dash"},
            name="Projection (trend)",
            customdata=[
                [
                    long_date(r["date"]),
                    format_value(ind, r["value"]),
                    format_value(ind, r["low"]),
                    format_value(ind, r["high"]),
                ]
                for r in proj
            ],
            hovertemplate=(
                "Projection (trend), %{customdata[0]}<br><b>%{customdata[1]}</b>"
                "<br>80% range %{customdata[2]} to %{customdata[3]}<extra></extra>"
            ),
        )
    )
    mid = proj[len(proj) // 2]
    fig.add_annotation(
        x=mid["date"],
        y=max(mid["high"], mid["value"]),
        text="Projection (trend)",
        showarrow=False,
        xanchor="center",
        yanchor="bottom",
        yshift=8,
        font={"size": SMALL_SIZE, "color": colour},
        name="projection label",
    )
    return ["Projection range (80%)", "Projection (trend)"]


def _add_target(
    fig: go.Figure, ind: Indicator, label: str, x_lo: Any, x_hi: Any, half: dt.timedelta
) -> tuple[Any, Any]:
    """The target as a labelled line across the chart, reaching to its date (marked) for a dated target.

    Returns the x range, widened to take in the target date.
    """
    t = ind.target
    assert t is not None
    t_lo = x_lo
    t_hi = x_hi
    if t.date is not None:
        t_lo = min(t_lo, t.date - half)
        t_hi = max(t_hi, t.date + half)
        x_lo, x_hi = t_lo, t_hi
    fig.add_trace(
        go.Scatter(
            x=[t_lo, t_hi],
            y=[t.value, t.value],
            mode="lines",
            line={"color": TARGET_COLOUR, "width": 2, "dash": "dot" if t.date is not None else "solid"},
            name=f"Target: {label}",
            hovertemplate=f"Target: {label}<extra></extra>",
        )
    )
    if t.date is not None:
        fig.add_trace(
            go.Scatter(
                x=[t.date],
                y=[t.value],
                mode="markers",
                marker={"symbol": "diamond", "size": 12, "color": TARGET_COLOUR},
                name="Target date",
                showlegend=False,
                hovertemplate=f"Target: {label}<extra></extra>",
            )
        )
    _add_target_label(fig, f"Target: {label}", x=t_lo, y=t.value, yshift=4, bgcolor="rgba(255,255,255,0.85)")
    return x_lo, x_hi


def _add_missing_bands(fig: go.Figure, rows: list[_Row], half: dt.timedelta) -> None:
    """Missing values and periods with no figure: a shaded band with the reason, never a zero."""
    for run in _missing_runs(rows):
        left = run[0].end - half
        right = run[-1].end + half
        reason = run[0].missing_text or "no figure"
        fig.add_vrect(x0=left, x1=right, fillcolor=MISSING_FILL, line_width=0, layer="below")
        wide = (right - left).days > 200
        fig.add_annotation(
            x=left + (right - left) / 2,
            y=0.02 if not wide else 0.98,
            xref="x",
            yref="paper",
            text=reason if wide or len(run) > 1 else reason.replace(": ", ":<br>"),
            textangle=0 if wide else -90,
            showarrow=False,
            xanchor="center",
            yanchor="bottom" if not wide else "top",
            font={"size": SMALL_SIZE - 1, "color": TARGET_COLOUR},
            name="missing label",
        )


def _missing_runs(rows: list[_Row]) -> list[list[_Row]]:
    """Consecutive periods without a value and with the same reason, each drawn as one band."""
    runs: list[list[_Row]] = []
    for r in rows:
        if r.value is None:
            if (
                runs
                and runs[-1][-1] is rows[rows.index(r) - 1]
                and runs[-1][-1].missing_text == r.missing_text
            ):
                runs[-1].append(r)
            else:
                runs.append([r])
    return runs


# --- the time axis ------------------------------------------------------------------------------------


def _period_ticks(shown: Shown, rows: list[_Row], width: int | None) -> list[tuple[dt.date, str]]:
    """Period labels on a real date axis: ticks at period ends (where the points are), thinned to fit."""
    ind = shown.indicator
    ticks = [(r.end, r.period) for r in rows]
    if _projection_applies(shown) and ind.frequency in _HALF_PERIOD_DAYS:
        for r in (shown.progress.projection or [])[1:]:
            try:
                period_p = periods.period_for_date(r["date"], ind.frequency, ind.year_type)
            except ValueError:
                continue
            if period_p.end == r["date"] and period_p.label not in {label for _, label in ticks}:
                ticks.append((r["date"], period_p.label))
    return _thin(ticks, max(4, min(MAX_X_TICKS, int((width or ASSUMED_WIDTH) / 110))))


def _time_axis(ind: Indicator, ticks: list[tuple[dt.date, str]], x_lo: Any, x_hi: Any) -> dict[str, Any]:
    """A real date axis labelled with the periods, spanning the series, projection and target date."""
    xaxis = _axis_style()
    xaxis.update(
        type="date",
        tickmode="array",
        tickvals=[d for d, _ in ticks],
        ticktext=[label for _, label in ticks],
        showgrid=False,
        title={"text": _x_title(ind), "font": {"size": FONT_SIZE, "color": TEXT_COLOUR}},
    )
    if x_lo is not None:
        xaxis["range"] = [x_lo, x_hi]
    return xaxis


def _x_title(ind: Indicator) -> str:
    """The x axis title names the kind of year, since a financial and an academic quarter differ."""
    kind = {"financial": "Financial", "academic": "Academic", "calendar": "Calendar"}.get(
        ind.year_type or "", ""
    )
    noun = {"quarter": "quarter", "year": "year", "month": "Month"}.get(ind.frequency, "Period")
    if ind.frequency == "month":
        return "Month (shown at the end of each period)"
    return f"{kind} {noun} (shown at the end of each period)".strip()


# --- the same numbers as a table ------------------------------------------------------------------------
def table(shown: Shown) -> pd.DataFrame:
    """The chart's numbers as a table: one row per period, gaps included, formatted as on the chart.

    A survey estimate's interval gets a column when any figure has one, and England and the region (when
    drawn) a column each, their figure for the same period or "no figure"."""
    ind = shown.indicator
    rows = _timeline(shown)
    intervals = any(r.point is not None and r.point.interval is not None for r in rows)
    refs = [(r.place.name, {(p.start, p.end): p for p in r.series}) for r in shown.references]
    columns = ["Period", "Value", *(["Confidence interval"] if intervals else []), "Status", "Note"]
    columns += [name for name, _ in refs]
    out = []
    for r in rows:
        extra = {
            name: format_value(ind, q.value, q.missing) if (q := by.get((r.start, r.end))) else "no figure"
            for name, by in refs
        }
        p = r.point
        if intervals:
            extra["Confidence interval"] = interval_range(ind, p) if p is not None else ""
        if p is None:
            out.append(
                {
                    "Period": r.period,
                    "Value": "no figure",
                    "Status": "",
                    "Note": _no_figure_note(shown),
                    **extra,
                }
            )
            continue
        notes = []
        if p.value is None:
            notes.append(f"missing: {missing_reason(p.missing)}")
        if p.derived:
            notes.append("derived from the seven local authorities")
        if p.illustrative or ind.statistics_status == "illustrative":
            notes.append("illustrative")
        out.append(
            {
                "Period": r.period,
                "Value": format_value(ind, p.value, p.missing),
                "Status": _status_word(p),
                "Note": "; ".join(notes),
                **extra,
            }
        )
    return pd.DataFrame(out, columns=columns)


def _no_figure_note(shown: Shown) -> str:
    """Why a period has no figure; a derivable total says so, as it needs all seven authorities."""
    if shown.geography.level == "combined_authority" and shown.indicator.derivable:
        return "no figure uploaded, and not every authority has one to add up"
    return "no figure uploaded for this period"
