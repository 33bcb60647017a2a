"""A chart as an image for a board paper: the page's figure laid out at a paper's width, drawn as PNG or SVG.

The charts module (`metrics.charts`) draws a chart for the screen; a file taken away also
needs its date and must read at a printed size, so `paper_figure` sets the paper's size,
puts "Data as at" under the source line and keeps period labels level. The drawing itself
is `metrics.export.renderer`'s warm Chromium; this module only says what to draw and how big.

A chart file carries its words too, so it stays accessible wherever it is lifted to: an SVG
has `<title>` and `<desc>` (named by `role="img"` and `aria-labelledby`), and a PNG has
"Title" and "Description" text chunks, holding the chart's title and its text description,
the alt text the page and the board pack give it (`describe_file`).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import struct
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from metrics.dashboard import Shown
from metrics.export.labels import as_at_text, file_stem
from metrics.export.renderer import render
from metrics.words import clean_text

if TYPE_CHECKING:
    import pandas as pd
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


PAPER_TEMPLATE = "plotly"
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
    # Plotly's own template, named: importing streamlit makes its "streamlit" template the default for every
    # figure made after, which lays the margins out differently, so a chart a page exported was not the
    # picture `kpi export chart` draws for the same view. A file must not depend on the process that drew it.
    fig.layout.template = PAPER_TEMPLATE
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


def places_figure(
    shown: Shown,
    frame: pd.DataFrame,
    as_at: dt.date | None,
    size: str = "full",
    *,
    highlight: str | None = None,
    group: str | None = None,
    title: str | None = None,
) -> tuple[go.Figure, str]:
    """The seven authorities' chart laid out for a paper, and its description; `highlight` names the
    authority a reader chose (its bar is marked "(selected)", as on the Indicator page).

    It is also the chart of a series with no combined-authority figure: a rate such as NEET's cannot
    be added up, so the combined authority's chart would be an empty axis. Where the verdict rests on
    the seven and some of them break a floor or ceiling, the title is that verdict (as on the page).
    With `group` (an authority and its statistical neighbours) the places are named so, `title` is the
    chart's, and the plan's target, which binds only the combined authority's places, is left off.
    """
    from metrics import charts

    illustrative = any(p.illustrative for _, p in shown.local_latest) or (
        "illustrative" in frame and bool(frame["illustrative"].any())
    )
    chart = CHART_SIZES[size]
    fig = charts.place_chart(
        shown.indicator,
        frame,
        highlight=highlight,
        illustrative=illustrative,
        width=chart.width,
        height=chart.height,
        title=title
        or (charts.headline(shown) if shown.progress.places and shown.progress.breaking else None),
        **({"group": group, "target": False} if group else {}),
    )
    if group:
        return paper_figure(fig, as_at, size), charts.describe_place(
            shown.indicator, frame, group, target=False
        )
    return paper_figure(fig, as_at, size), charts.describe_place(shown.indicator, frame)


def figure_title(fig: go.Figure) -> str:
    """A figure's title as plain text: the line breaks and the escaping for Plotly taken out."""
    text = re.sub(r"<br\s*/?>", " ", fig.layout.title.text or "")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def _png_text_chunk(keyword: str, text: str) -> bytes:
    """A PNG iTXt chunk (UTF-8 text, uncompressed, in British English) holding `text` under `keyword`."""
    data = keyword.encode("latin-1") + b"\0\0\0" + b"en-GB\0" + b"\0" + clean_text(text).encode("utf-8")
    return struct.pack(">I", len(data)) + b"iTXt" + data + struct.pack(">I", zlib.crc32(b"iTXt" + data))


def _png_with_text(png: bytes, title: str, description: str) -> bytes:
    """The PNG with "Title" and "Description" chunks after its header chunk, where readers look first."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n") or png[12:16] != b"IHDR":
        raise ValueError("This is not a PNG file.")
    end_of_header = 8 + 12 + struct.unpack(">I", png[8:12])[0]
    chunks = _png_text_chunk("Title", title) + _png_text_chunk("Description", description)
    return png[:end_of_header] + chunks + png[end_of_header:]


def _svg_with_text(svg: bytes, title: str, description: str) -> bytes:
    """The SVG with `<title>` and `<desc>` first inside it, named by role="img" and aria-labelledby.

    Both may hold uploaded text (a scheme's name in the description), so each is cleaned of the
    characters XML forbids and escaped: it reads as typed and can never add markup to the file.
    """
    text = svg.decode("utf-8")
    opening = re.search(r"<svg\b[^>]*>", text)
    if opening is None:
        raise ValueError("This is not an SVG file.")
    uid = re.search(r'id="defs-([0-9A-Za-z]+)"', text)  # Plotly's own id for the figure, unique on a page
    suffix = uid.group(1) if uid else "chart"
    title_id, desc_id = f"chart-title-{suffix}", f"chart-desc-{suffix}"
    tag = opening.group(0)
    tag = re.sub(r'\s(role|aria-labelledby)="[^"]*"', "", tag)
    tag = f'{tag[:4]} role="img" aria-labelledby="{title_id} {desc_id}"{tag[4:]}'
    words = (
        f'<title id="{title_id}">{escape(clean_text(title))}</title>'
        f'<desc id="{desc_id}">{escape(clean_text(description))}</desc>'
    )
    return (text[: opening.start()] + tag + words + text[opening.end() :]).encode("utf-8")


def describe_file(data: bytes, fmt: str, title: str, description: str) -> bytes:
    """A drawn chart file with its title and text description inside it (SVG elements or PNG chunks)."""
    return (
        _png_with_text(data, title, description) if fmt == "png" else _svg_with_text(data, title, description)
    )


def render_figure(
    fig: go.Figure, fmt: str = "png", size: str = "full", description: str | None = None
) -> bytes:
    """Any plotly figure as PNG or SVG bytes at a board-paper size, drawn by the warm kaleido.

    Given its text `description` (the alt text), the file carries it with the figure's title.
    """
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
    data = render(fig.to_dict(), opts)
    return data if description is None else describe_file(data, fmt, figure_title(fig), description)


def chart_description(shown: Shown) -> str:
    """The text description of an indicator's chart: the alt text to give it wherever the file goes."""
    from metrics import charts

    return charts.describe(shown)


def chart_image(shown: Shown, fmt: str = "png", size: str = "full", as_at: dt.date | None = None) -> bytes:
    """One indicator's chart as a PNG or SVG file a board paper can take as it is, its description inside."""
    return render_figure(chart_figure(shown, as_at, size), fmt, size, chart_description(shown))


def chart_file_name(shown: Shown, fmt: str, size: str = "full") -> str:
    """The chart file's name: the series' stem, "-half" at half width, and the format."""
    return f"{file_stem(shown)}{'-half' if size == 'half' else ''}.{fmt}"
