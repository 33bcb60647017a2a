"""The same chart laid out again for a phone's column (about 290 to 360 px wide).

A page cannot tell Plotly how wide the reader's screen is, and Plotly neither wraps titles
nor moves a long category label out of the way: at 320 px a chart laid out for a laptop
loses the ends of its title and source line, prints its period labels over each other,
squeezes the per-scheme bars into a sliver beside 290 px of names and cuts the names on
the tile map. So every house chart records how it was laid out (``layout.meta["house"]``,
written by style._base_layout) and :func:`narrow` lays it out again at NARROW_WIDTH:

- the title, subtitle and source line are set smaller and wrapped to the narrow width;
- a time axis keeps three period labels, each on two lines ("2024-25" over "Q3");
- horizontal bars get their names written above each bar, across the whole width, instead
  of in a left margin that would take most of the screen; the schemes' values join the
  name ("Sandwell scheme 2: ✕ 15.8% below 20%"), so nothing sits to the right of the bars;
- the tile map writes a short name in each tile and gives the short names in its subtitle.

The page shows this figure instead of the wide one on narrow screens (ui.widgets.chart).
Figures without the record (not drawn by the house style) are returned unchanged.
"""

from __future__ import annotations

import html
from typing import Any

import plotly.graph_objects as go

from metrics.charts.style import (
    MIN_PLOT_HEIGHT,
    NARROW_WIDTH,
    SMALL_SIZE,
    TEXT_COLOUR,
    _base_layout,
    _thin,
    _wrap,
    _wrap_spaced,
)

# Short names for the tiles, guessable without the key (which the subtitle gives anyway).
TILE_NAMES = {
    "Birmingham": "Birm",
    "Coventry": "Cov",
    "Dudley": "Dud",
    "Sandwell": "Sand",
    "Solihull": "Sol",
    "Walsall": "Wals",
    "Wolverhampton": "Wolv",
}
NARROW_TICKS = 3
LABEL_SIZE = 12  # px: a bar's name written above it
LABEL_INSET = 12  # px: the narrow bars' left margin, and as much again kept free at the right
TILE_UNIT_PX = 52  # one tile's width at NARROW_WIDTH (5.2 tiles across the plot)


def narrow(fig: go.Figure) -> go.Figure:
    """A copy of a house chart laid out for a phone (see the module's docstring); others unchanged."""
    house = (fig.layout.meta or {}).get("house") if isinstance(fig.layout.meta, dict) else None
    if not house:
        return fig
    out = go.Figure(fig)
    kind = house.get("kind", "chart")
    recipe = dict(house, right=None)  # the narrow layout's own right margin, unless set below
    if kind == "trend":
        _narrow_time_axis(out)
        # The last period's label is centred on the axis's end: a wider right margin keeps it whole.
        recipe.update(axis_space=int(house["axis_space"]) + 36, left=64, right=36, plot_height=240)
    elif kind in ("bars", "schemes"):
        rows = _names_above_bars(out, schemes=kind == "schemes")
        recipe.update(left=12, height=None, plot_height=rows)
    elif kind == "tiles":
        _short_tile_names(out)
        key = ", ".join(f"{short} {name}" for name, short in sorted(TILE_NAMES.items()))
        recipe.update(
            left=8, sub=f"{house['sub']} Short names: {key}.", height=None, plot_height=3.3 * TILE_UNIT_PX
        )
    _lay_out(out, recipe)
    if kind in ("bars", "schemes"):
        # Room above the plot for the line's label on two lines (the plot keeps its height).
        out.update_layout(height=out.layout.height + 18, margin={"t": out.layout.margin.t + 18})
    out.update_layout(width=None, autosize=True)
    out.layout.meta["house"]["narrow"] = True
    return out


def _lay_out(fig: go.Figure, recipe: dict[str, Any]) -> None:
    """The title block again at the narrow width; with `plot_height`, the height made to fit the plot."""

    def again(height: int) -> None:
        _base_layout(
            fig,
            title=html.unescape(recipe["title"]),
            sub=html.unescape(recipe["sub"]) if recipe["sub"] else None,
            source=html.unescape(recipe["source"]),
            width=NARROW_WIDTH,
            height=height,
            legend_names=[html.unescape(n) for n in recipe["legend_names"]]
            if recipe.get("legend_names")
            else None,
            legend_rows=int(recipe.get("legend_rows") or 0),
            axis_space=int(recipe["axis_space"]),
            left=int(recipe["left"]),
            kind=recipe.get("kind", "chart"),
            right=recipe.get("right"),
        )

    again(int(recipe["height"] or 400))
    if recipe.get("plot_height"):
        # The margins depend only on the words, so one more pass sets the height around the plot.
        again(int(fig.layout.margin.t + fig.layout.margin.b + recipe["plot_height"]))


def _narrow_time_axis(fig: go.Figure) -> None:
    """Three period labels, each on two lines, so they never print over each other."""
    axis = fig.layout.xaxis
    if axis.tickvals is None or axis.ticktext is None:
        return
    ticks = _thin(list(zip(axis.tickvals, axis.ticktext, strict=True)), NARROW_TICKS)
    fig.update_xaxes(
        tickvals=[v for v, _ in ticks],
        ticktext=[str(t).replace(" ", "<br>", 1) for _, t in ticks],
        title={"text": _wrap(html.unescape(str(axis.title.text or "")), 40), "font": {"size": SMALL_SIZE}},
    )
    fig.update_yaxes(title={"font": {"size": SMALL_SIZE}})


def _names_above_bars(fig: go.Figure, *, schemes: bool) -> float:
    """Each bar's name written above it across the whole width; returns the plot height it needs.

    The names are already escaped (they are the bars' categories); the schemes' separate column of
    values is folded into the names, so the bars can use the whole width.
    """
    bars = fig.data[0]
    names = [str(n) for n in bars.y]
    values: list[str] | None = None
    for trace in fig.data[1:]:
        if schemes and trace.name == "values":
            values = [str(t) for t in trace.text]
            trace.visible = False
    labels = []
    for i, name in enumerate(names):
        name = html.unescape(name).replace("<br>", " ")  # a wide chart's second line ("for comparison")
        text = f"{name}: {values[i]}" if values else name
        labels.append(_wrap_spaced(text, LABEL_SIZE, NARROW_WIDTH - 2 * LABEL_INSET))
    lines = max((label.count("<br>") + 1 for label in labels), default=1)
    fig.layout.annotations = [a for a in fig.layout.annotations if not (a.name or "").startswith("bar name")]
    for i, label in enumerate(labels):
        fig.add_annotation(
            text=label,
            x=0,
            xref="paper",
            y=i + 0.26,
            yref="y",
            xanchor="left",
            yanchor="bottom",
            align="left",
            showarrow=False,
            font={"size": LABEL_SIZE, "color": TEXT_COLOUR},
            bgcolor="white",  # the target or minimum line passes behind the name, not through it
            name=f"bar name {i}",
        )
    bars.width = 0.5
    fig.update_yaxes(showticklabels=False, range=[-0.5, len(names) - 0.5 + 0.1])
    if values:
        known = [x for x in bars.x if x is not None]
        right = max(known + [_line_at(fig)]) if known else 1
        fig.update_xaxes(range=[0, right * 1.12])
    _narrow_line_label(fig)
    # At least the plot height style._base_layout places the source line for (two short bars need
    # 100 px): a shorter plot put the source line over the axis title.
    return max(MIN_PLOT_HEIGHT, len(names) * (30 + 15 * lines) + 10)


def _line_at(fig: go.Figure) -> float:
    """Where the target or minimum line stands (0 when there is none)."""
    for shape in fig.layout.shapes:
        if shape.type == "line" and shape.x0 == shape.x1 and shape.x0 is not None:
            return float(shape.x0)
    return 0.0


def _narrow_line_label(fig: go.Figure) -> None:
    """The target or minimum line's words on two short lines, read away from the nearer edge."""
    axis = fig.layout.xaxis
    right = axis.range[1] if axis.range else None
    for note in fig.layout.annotations:
        if note.name == "target label" and note.yref == "paper":
            note.text = _wrap(html.unescape(str(note.text)), 18)
            if right and note.x is not None and float(note.x) > 0.5 * float(right):
                note.xanchor, note.xshift, note.align = "right", -4, "right"


def _short_tile_names(fig: go.Figure) -> None:
    """Short names in the tiles (the subtitle gives the key), smaller hover targets."""
    for note in fig.layout.annotations:
        name = (note.name or "").removeprefix("tile ")
        if note.name and note.name.startswith("tile ") and name in TILE_NAMES:
            note.text = str(note.text).replace(f"<b>{name}</b>", f"<b>{TILE_NAMES[name]}</b>", 1)
            note.font.size = 12
    for trace in fig.data:
        if trace.name == "tiles":
            trace.marker.size = 40
