"""The seven local authorities side by side: a bar chart of their latest values and a tile map.

The plan's targets are for the combined authority, but the gaps between places are
where action is needed, so the seven are compared on every indicator page. Each
authority is shown at its own latest period (one may be a quarter behind), and an
authority with no figure is listed with its reason, never drawn as a zero bar. The
tile map puts each authority roughly where it is, so a reader can see a pattern
across the region; the value is written in every tile, so the shade is never the
only carrier of the number.
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
    _mix,
    _text_on,
)
from metrics.charts.timeline import _meets, _with_values
from metrics.words import format_value, in_sentence, join_names, lower_first, missing_reason, target_phrase

# Rough geography of the seven, as (column, row) on a grid with row 0 at the top (north).
TILE_POSITIONS = {
    "Wolverhampton": (0, 0),
    "Walsall": (1, 0),
    "Dudley": (0, 1),
    "Sandwell": (1, 1),
    "Birmingham": (2, 1),
    "Coventry": (4, 1),
    "Solihull": (3, 2),
}


def _latest_label(frame: pd.DataFrame) -> str:
    """The period the bars are for: authorities report at different times, so a spread is named as one."""
    frame = _own(frame)
    labels = [p for p in frame["period"].dropna().unique().tolist()]
    if not labels:
        return "no period"
    if len(labels) == 1:
        return str(labels[0])
    ends = frame.dropna(subset=["end"]).sort_values("end")
    return f"latest period for each ({ends['period'].iloc[0]} to {ends['period'].iloc[-1]})"


def _place_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows with NaN and pd.NA made None, so every test for a missing value is one test.

    A row marked `comparator` (England or the region, metrics.context.reference_frame) is context: it is
    drawn and listed "for comparison", never counted among the places a title or a target names.
    """
    return [
        {
            **r,
            "comparator": _flag(r.get("comparator")),
            "period": r["period"] if isinstance(r["period"], str) else None,
        }
        for r in _with_values(frame, "value")
    ]  # a frame put together from pieces may hold NaN, not None, for "no period"


def _flag(value: object) -> bool:
    """A `comparator` cell: True or numpy's True; missing (None, NaN) for the seven's own rows."""
    return value is not None and value == value and bool(value)


def _own(frame: pd.DataFrame) -> pd.DataFrame:
    """The places themselves, the comparators' rows left out."""
    if "comparator" not in frame:
        return frame
    return frame[frame["comparator"].fillna(False).astype(bool) == False]  # noqa: E712


def _name(r: dict[str, Any], highlight: str | None = None, *, chart: bool = False) -> str:
    """A row's name as listed: England and the region "for comparison" (on a second line on a chart, so
    the bars keep their room), the authority a reader chose "(selected)"."""
    if r["comparator"]:
        return f"{r['place']}{'<br>' if chart else ' '}(for comparison)"
    return r["place"] + (" (selected)" if r["place"] == highlight else "")


def place_table(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """The seven authorities' latest values, highest first, missing ones last with their reason; England
    and the region (when the frame has them) in the same order, named "for comparison". A survey
    estimate's interval gets a column when any figure has one."""
    rows = _place_rows(frame)
    rows.sort(key=lambda r: (r["value"] is None, -(r["value"] or 0), r["place"]))
    intervals = any(_interval(r) for r in rows)
    out = []
    for r in rows:
        out.append(
            {
                "Place": _name(r),
                "Period": r["period"] or "",
                "Value": format_value(indicator, r["value"], r.get("missing")) if r["period"] else "no data",
                "Confidence interval": _interval_text(indicator, r),
                "Status": (r.get("status") or "") if r["value"] is not None else "",
            }
        )
    columns = ["Place", "Period", "Value", *(["Confidence interval"] if intervals else []), "Status"]
    return pd.DataFrame(out, columns=columns)


def _interval(r: dict[str, Any]) -> tuple[float, float] | None:
    low, high = r.get("lower"), r.get("upper")
    if low is None or high is None or low != low or high != high:  # None or NaN
        return None
    return float(low), float(high)


def _interval_text(indicator: Indicator, r: dict[str, Any]) -> str:
    bounds = _interval(r)
    if bounds is None:
        return ""
    return f"{format_value(indicator, bounds[0])} to {format_value(indicator, bounds[1])}"


def place_headline(indicator: Indicator, frame: pd.DataFrame) -> str:
    """The title: which authority is highest and which lowest, the comparison a reader looks for first."""
    rows = [r for r in _place_rows(frame) if r["value"] is not None and not r["comparator"]]
    subj = lower_first(indicator.short_name)
    if not rows:
        return f"No authority has a figure yet for {subj}"
    top = max(rows, key=lambda r: r["value"])
    bottom = min(rows, key=lambda r: r["value"])
    if len(rows) == 1 or top["value"] == bottom["value"]:
        return f"{top['place']}: {format_value(indicator, top['value'])} ({top['period']})"
    most, least = ("the most", "the fewest") if indicator.unit == "count" else ("the highest", "the lowest")
    return (
        f"{top['place']} had {most} {subj} ({format_value(indicator, top['value'])}) and "
        f"{bottom['place']} {least} ({format_value(indicator, bottom['value'])})"
    )


def place_chart(
    indicator: Indicator,
    frame: pd.DataFrame,
    *,
    highlight: str | None = None,
    illustrative: bool = False,
    width: int | None = None,
    height: int | None = None,
    title: str | None = None,
    group: str = "the seven local authorities",
    target: bool = True,
) -> go.Figure:
    """The seven authorities as horizontal bars for their latest period, largest at the top.

    `title` replaces the worked-out finding where a verdict says more (a ceiling broken by four
    of the seven), so a chart's title never says less than, or the opposite of, its verdict. England
    and the region, when the frame has them, are bars of their own colour named "for comparison".
    `group` names the places in the subtitle (an authority and its statistical neighbours); `target`
    False leaves the plan's target off, for places outside the combined authority that it does not bind.
    """
    rows = _place_rows(frame)
    rows.sort(key=lambda r: (r["value"] is not None, r["value"] or 0, r["place"]))  # bottom to top
    names = [_name(r, highlight, chart=True) for r in rows]
    values = [r["value"] for r in rows]
    texts = [
        format_value(indicator, r["value"], r.get("missing")) if r["period"] else "missing: no data"
        for r in rows
    ]
    colours = [
        PALETTE[2] if r["comparator"] else PALETTE[1] if r["place"] == highlight else PALETTE[0] for r in rows
    ]
    whiskers = [_interval(r) for r in rows]
    fig = go.Figure(
        go.Bar(
            x=[v if v is not None else 0 for v in values],
            y=names,
            orientation="h",
            marker={"color": colours},
            text=texts,
            # With whiskers, the figures are written past them (below), not over them.
            textposition="none" if any(whiskers) else "outside",
            cliponaxis=False,
            textfont={"size": SMALL_SIZE, "color": TEXT_COLOUR},
            customdata=[[r["period"] or "", t] for r, t in zip(rows, texts, strict=True)],
            hovertemplate="%{y}, %{customdata[0]}<br><b>%{customdata[1]}</b><extra></extra>",
            name=indicator.short_name,
            error_x=_whiskers(values, whiskers),
        )
    )
    if any(whiskers):
        for name, value, text, whisker in zip(names, values, texts, whiskers, strict=True):
            fig.add_annotation(
                x=whisker[1] if whisker else (value or 0),
                y=name,
                text=text,
                showarrow=False,
                xanchor="left",
                xshift=6,
                font={"size": SMALL_SIZE, "color": TEXT_COLOUR},
                name="bar value",
            )
    known = [v for v in values if v is not None] + [w[1] for w in whiskers if w is not None]
    standing = target and indicator.target is not None and indicator.target.date is None
    top = max(known + [indicator.target.value if standing and indicator.target else 0] or [1])
    if target:
        _add_standing_target(fig, indicator)
    height = height or max(360, 90 + 44 * len(rows) + 140)
    _base_layout(
        fig,
        title=title or place_headline(indicator, frame),
        sub=f"{indicator.name} ({indicator.unit_label}), {group}{_with_refs(rows)}, {_latest_label(frame)}"
        + ("; the whiskers show confidence intervals" if any(whiskers) else ""),
        source=source_text(indicator, illustrative or indicator.statistics_status == "illustrative"),
        width=width,
        height=height,
        left=150,
        kind="bars",
    )
    _bar_axes(fig, indicator, (top or 1) * 1.22)
    return fig


def _with_refs(rows: list[dict[str, Any]]) -> str:
    """ ", with England and the West Midlands region for comparison" when the chart has their bars."""
    names = [in_sentence(r["place"]) for r in rows if r["comparator"]]
    return f", with {join_names(names)} for comparison" if names else ""


def _whiskers(values: list[float | None], bounds: list[tuple[float, float] | None]) -> dict[str, Any] | None:
    """Survey estimates' confidence intervals as thin whiskers on their bars (none where a bar has none)."""
    if not any(bounds):
        return None
    plus = [None if b is None or v is None else b[1] - v for v, b in zip(values, bounds, strict=True)]
    minus = [None if b is None or v is None else v - b[0] for v, b in zip(values, bounds, strict=True)]
    return {
        "type": "data",
        "symmetric": False,
        "array": plus,
        "arrayminus": minus,
        "color": TARGET_COLOUR,
        "thickness": 1.5,
        "width": 5,
    }


def _add_standing_target(fig: go.Figure, indicator: Indicator) -> None:
    """A target with no date as a labelled vertical line: every authority's bar is read against it."""
    t = indicator.target
    if t is not None and t.date is None:
        line = {"color": TARGET_COLOUR, "width": 2, "dash": "solid"}
        _add_bar_target(fig, t.value, f"Target: {target_phrase(indicator)}", line)


def describe_place(
    indicator: Indicator,
    frame: pd.DataFrame,
    group: str = "the seven local authorities",
    *,
    target: bool = True,
) -> str:
    """The bar chart in words for its alt text: every value, each gap and why, who misses the target."""
    every = _place_rows(frame)
    rows = [r for r in every if not r["comparator"]]
    known = sorted((r for r in rows if r["value"] is not None), key=lambda r: -r["value"])
    missing = [r for r in rows if r["value"] is None]
    parts = [
        f"Horizontal bar chart of {lower_first(indicator.short_name)} ({indicator.unit_label}) for {group}, "
        f"{_latest_label(frame)}, highest first."
    ]
    refs = [r for r in every if r["comparator"] and r["value"] is not None]
    if refs:
        parts.append(
            "For comparison: "
            + "; ".join(f"{r['place']} {format_value(indicator, r['value'])} ({r['period']})" for r in refs)
            + "."
        )
    if known:
        parts.append(
            "Values: " + "; ".join(f"{r['place']} {format_value(indicator, r['value'])}" for r in known) + "."
        )
    if missing:
        parts.append(
            "Missing: "
            + join_names(
                [
                    f"{r['place']} ({missing_reason(r.get('missing')) if r['period'] else 'no data'})"
                    for r in missing
                ]
            )
            + "."
        )
    t = indicator.target
    if target and t is not None and t.date is None and known:
        below = [r["place"] for r in known if not _meets(indicator, r["value"])]
        label = target_phrase(indicator)
        parts.append(
            f"Against the target ({label}): {join_names(below)} do not meet it."
            if below
            else f"Every authority with a figure meets the target ({label})."
        )
    return " ".join(parts)


def tile_map(
    indicator: Indicator,
    frame: pd.DataFrame,
    *,
    illustrative: bool = False,
    width: int | None = None,
    height: int | None = None,
) -> go.Figure:
    """The seven as labelled squares in their rough places; the value is written in each tile."""
    frame = _own(frame)  # England and the region have no tile, and must not set the shades
    rows = {r["place"]: r for r in _place_rows(frame)}
    known = [r["value"] for r in rows.values() if r["value"] is not None]
    lo, hi = (min(known), max(known)) if known else (0.0, 1.0)
    fig = go.Figure()
    xs, ys, hovers = [], [], []
    for place, (col, row) in TILE_POSITIONS.items():
        hover = _add_tile(fig, indicator, place, rows.get(place), col, -row, (lo, hi))
        xs.append(col + 0.5)
        ys.append(-row + 0.5)
        hovers.append(hover)
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers",
            marker={"size": 60, "opacity": 0, "symbol": "square"},
            hovertext=hovers,
            hoverinfo="text",
            showlegend=False,
            name="tiles",
        )
    )
    height = height or 580
    _base_layout(
        fig,
        title=place_headline(indicator, frame),
        sub=(
            f"{indicator.short_name} ({indicator.unit_label}) by local authority, {_latest_label(frame)}. "
            "Tiles sit roughly where each authority is; darker tiles have higher values."
        ),
        source=source_text(indicator, illustrative or indicator.statistics_status == "illustrative"),
        width=width,
        height=height,
        left=40,
        axis_space=10,
        kind="tiles",
    )
    # Square tiles: the plot area shrinks to keep them square (constrain="domain"), the ranges never change.
    # With Plotly's default (it widens a range instead) a chart first drawn while hidden, as the phone's or
    # the laptop's copy is (ui.widgets.chart), kept ranges several times too wide: the tiles a sliver.
    hidden = {
        "visible": False,
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "constrain": "domain",
    }
    fig.update_xaxes(range=[-0.1, 5.1], **hidden)
    fig.update_yaxes(range=[-2.1, 1.1], scaleanchor="x", scaleratio=1, **hidden)
    return fig


def _add_tile(
    fig: go.Figure,
    indicator: Indicator,
    place: str,
    r: dict[str, Any] | None,
    x0: int,
    y0: int,
    scale: tuple[float, float],
) -> str:
    """One authority's square, shaded on the single-hue scale with its value written in it (in text that
    keeps 4.5:1 on the shade); a missing value is a white, dotted square saying why.

    Returns the tile's hover text.
    """
    lo, hi = scale
    value = r["value"] if r else None
    if value is None:
        fill, text_colour = "#FFFFFF", TEXT_COLOUR
        missing_text = "missing: " + (missing_reason(r.get("missing")) if r and r["period"] else "no data")
        shown_value = missing_text.replace(": ", ":<br>")
    else:
        share = 0.5 if hi == lo else (value - lo) / (hi - lo)
        fill = _mix(0.15 + 0.85 * share)
        text_colour = _text_on(fill)
        shown_value = format_value(indicator, value)
    fig.add_shape(
        type="rect",
        x0=x0 + 0.04,
        x1=x0 + 0.96,
        y0=y0 + 0.04,
        y1=y0 + 0.96,
        fillcolor=fill,
        line={"color": TARGET_COLOUR, "width": 1, "dash": "dot" if value is None else "solid"},
        layer="below",
    )
    fig.add_annotation(
        x=x0 + 0.5,
        y=y0 + 0.5,
        text=f"<b>{place}</b><br>{shown_value}",
        showarrow=False,
        font={"size": SMALL_SIZE, "color": text_colour},
        name=f"tile {place}",
    )
    return f"{place}, {r['period'] if r and r['period'] else 'no period'}: {shown_value.replace('<br>', ' ')}"


def describe_tiles(indicator: Indicator, frame: pd.DataFrame) -> str:
    """The tile map in words: each authority, where it sits and its value, as a shade cannot be read aloud."""
    rows = {r["place"]: r for r in _place_rows(frame)}
    where = {
        "Wolverhampton": "north-west",
        "Walsall": "north",
        "Dudley": "south-west",
        "Sandwell": "centre-west",
        "Birmingham": "centre",
        "Solihull": "south-east",
        "Coventry": "east",
    }
    parts = []
    for place, area in where.items():
        r = rows.get(place)
        value = (
            format_value(indicator, r["value"], r.get("missing"))
            if r and r["period"]
            else "missing (no data)"
        )
        parts.append(f"{place} ({area}) {value}")
    return (
        f"Tile map of the seven local authorities placed roughly where they are, each square labelled with "
        f"its {lower_first(indicator.short_name)} ({indicator.unit_label}), {_latest_label(frame)}; "
        f"darker squares are higher. " + "; ".join(parts) + "."
    )
