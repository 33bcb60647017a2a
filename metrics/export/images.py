"""A chart as an image for a board paper: the page's figure laid out at a paper's width, drawn as PNG or SVG.

The charts module (`metrics.charts`) draws a chart for the screen; a file taken away also
needs its date and must read at a printed size, so `paper_figure` sets the paper's size,
puts "Data as at" under the source line and keeps period labels level. The drawing itself
is `metrics.export.renderer`'s warm Chromium; this module only says what to draw and how big.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from metrics.dashboard import Shown
from metrics.export.labels import as_at_text, file_stem
from metrics.export.renderer import render

if TYPE_CHECKING:
    import plotly.graph_objects as go


@dataclass(frozen=True)
class ChartSize:
    """A chart laid out at `width` x `height` CSS pixels and drawn `scale` times denser.

    Full width is a board paper's text width (about 17 cm on A4); at 640 layout pixels
    the chart's 12-13 px text prints at about 9 pt, and at scale 2.5 the PNG is 1,600
    pixels wide: over 230 dots per inch in print.
    """

    name: str
    label: str
    width: int
    height: int
    scale: float
    ticks: int  # most period labels on the time axis

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width * self.scale), round(self.height * self.scale)


CHART_SIZES = {
    "full": ChartSize("full", "full page width", 640, 580, 2.5, 7),
    "half": ChartSize("half", "half page width", 420, 620, 2.0, 4),
}
CHART_FORMATS = ("png", "svg")


def _thin_ticks(vals: list, texts: list, most: int) -> tuple[list, list]:
    """At most about `most` ticks, evenly spaced, always keeping the last (the latest period)."""
    if len(vals) <= most:
        return vals, texts
    step = math.ceil(len(vals) / most)
    keep = list(range(len(vals) - 1, -1, -step))[::-1]
    return [vals[i] for i in keep], [texts[i] for i in keep]


TITLE_PAD_PX = 26
LINE_PX = 19  # one line of 13 px text under the plot, as metrics.charts spaces its source line


def chart_figure(shown: Shown, as_at: dt.date | None, size: str = "full") -> go.Figure:
    """The Indicator page's chart in house style, laid out for a board paper, with its date on it."""
    from metrics import charts

    chart = CHART_SIZES[size]
    return paper_figure(charts.indicator_chart(shown, width=chart.width, height=chart.height), as_at, size)


def paper_figure(fig: go.Figure, as_at: dt.date | None, size: str = "full") -> go.Figure:
    """A `metrics.charts` figure, drawn at a paper size, made ready to be lifted into a paper.

    The charts module draws the title, subtitle, target line and source line. A file
    taken away also needs its date, so "Data as at DATE" goes on a line under the
    source; period labels are set on two level lines (and fewer of them at half
    width), so at a paper's width none is rotated or overlaps.
    """
    chart = CHART_SIZES[size]
    fig.update_layout(width=chart.width, height=chart.height)
    # plotly anchors a multi-line title by its first line: a fixed pad puts it 14 px from the top
    fig.update_layout(title={"y": 1, "yanchor": "top", "pad": {"t": TITLE_PAD_PX}})
    extra = 0
    xaxis = fig.layout.xaxis
    if xaxis.tickvals is not None and xaxis.ticktext is not None:
        vals, texts = _thin_ticks(list(xaxis.tickvals), list(xaxis.ticktext), chart.ticks)
        split = [
            str(t).replace(" ", "<br>", 1) if re.fullmatch(r"\S+ \S+", str(t)) else str(t) for t in texts
        ]
        if any("<br>" in t for t in split):
            extra += LINE_PX
        fig.update_xaxes(tickvals=vals, ticktext=split, tickangle=0)
    stamp = as_at_text(as_at)
    source = next((a for a in fig.layout.annotations or () if a.name == "source"), None)
    extra += LINE_PX
    top, bottom = int(fig.layout.margin.t or 0), int(fig.layout.margin.b or 0) + extra
    plot_height = max(120, chart.height - top - bottom)
    if source is None:  # a chart without a source line still carries its date
        fig.add_annotation(
            name="source",
            text=stamp,
            xref="paper",
            yref="paper",
            x=0,
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            font={"size": 13, "color": "#505A5F"},
        )
        source = fig.layout.annotations[-1]
    else:
        source.update(text=f"{source.text}<br>{stamp}")
    source.update(y=-(bottom - 6) / plot_height, yanchor="bottom")
    fig.update_layout(margin={"b": bottom})
    legend = fig.layout.legend
    if legend is not None and legend.y is not None and legend.y > 1 and legend.yanchor == "bottom":
        fig.update_layout(legend={"y": 1.0 + 8 / plot_height})  # the key sits just above the plot
    return fig


def render_figure(fig: go.Figure, fmt: str = "png", size: str = "full") -> bytes:
    """Any plotly figure as PNG or SVG bytes at a board-paper size, drawn by the warm kaleido."""
    if fmt not in CHART_FORMATS:
        raise ValueError(f"A chart can be saved as {' or '.join(CHART_FORMATS)}, not '{fmt}'.")
    if size not in CHART_SIZES:
        raise ValueError(f"The chart size is 'full' or 'half', not '{size}'.")
    chart = CHART_SIZES[size]
    opts = {
        "format": fmt,
        "width": chart.width,
        "height": chart.height,
        "scale": chart.scale if fmt == "png" else 1,
    }
    return render(fig.to_dict(), opts)


def chart_image(shown: Shown, fmt: str = "png", size: str = "full", as_at: dt.date | None = None) -> bytes:
    """One indicator's chart as a PNG or SVG file a board paper can take as it is."""
    return render_figure(chart_figure(shown, as_at, size), fmt, size)


def chart_file_name(shown: Shown, fmt: str, size: str = "full") -> str:
    """The chart file's name: the series' stem, "-half" at half width, and the format."""
    return f"{file_stem(shown)}{'-half' if size == 'half' else ''}.{fmt}"
