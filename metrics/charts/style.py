"""The house style every chart shares: palette, fonts, the title block, axes, escaping and wrapping.

One module, so a place chart, a trend line and a board-pack figure cannot drift apart
in colour, type size or where the source line sits. The style is the Analysis
Function's: sentence-case title at the top left, subtitle under it, key above the
plot, source under it, units on the value axis and counts from zero.

Plotly reads tags in any text it is given and does not wrap titles, so every text
passes through `_safe` (escaped, shown as typed) and titles through `_wrap`.
"""

from __future__ import annotations

import html
import math
import string
from typing import Any

import plotly.graph_objects as go

from metrics.catalogue import Indicator
from metrics.words import upper_first

# Analysis Function palette, in order; dark grey for targets and annotations.
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25")
TARGET_COLOUR = "#3D3D3D"
TEXT_COLOUR = "#0B0C0C"  # GOV.UK text
SECONDARY_TEXT = "#505A5F"  # GOV.UK secondary text, 7:1 on white
GRID_COLOUR = "#E1E1E1"
BAND_FILL = "rgba(18, 67, 109, 0.14)"  # the projection's 80% range: palette blue, light
MISSING_FILL = "rgba(61, 61, 61, 0.10)"
FONT_FAMILY = "Arial, Helvetica, sans-serif"
FONT_SIZE = 14
TITLE_SIZE = 20
SUBTITLE_SIZE = 15
SMALL_SIZE = 13
DEFAULT_HEIGHT = 540
ASSUMED_WIDTH = 760  # when the page sets the width, wrap for a narrow column rather than overflow
MAX_X_TICKS = 8
# Below this width (a phone's column) titles, key and source are set smaller and wrapped shorter, so
# nothing is cut off at 320 px; metrics.charts.narrow lays a chart out again at NARROW_WIDTH.
NARROW_BELOW = 480
NARROW_WIDTH = 290
MIN_PLOT_HEIGHT = 120  # px: the source line is placed for a plot at least this tall

TILE_LIGHT = (0xDE, 0xE7, 0xF0)  # the single-hue scale, light end
TILE_DARK = (0x12, 0x43, 0x6D)  # palette dark blue


# --- text as Plotly must be given it -----------------------------------------------------------------


def _safe(text: Any) -> str:
    """Text as Plotly must be given it: Plotly reads tags in any text (a scheme named
    '<a href=...>' would be drawn as a live link), so every text is escaped and shows as typed."""
    return html.escape(str(text), quote=False)


def _wrap(text: str, width: int) -> str:
    """Break a long line at spaces with <br>: Plotly titles do not wrap on their own. Escaped first."""
    words, lines, line = _safe(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "<br>".join(lines)


TITLE_PAD = 12  # px from the figure's left edge to the title, subtitle and source line
BOLD_WIDER = 1.08  # Arial Bold's letters are about this much wider than Arial's


def _wrap_spaced(text: str, size: float, room: float, *, bold: bool = False) -> str:
    """`text` escaped and broken with <br> into lines no wider than `room` px at WCAG 1.4.12's widest
    letter and word spacing (`_wrap_px`), in Arial (Bold) at `size` px."""
    return "<br>".join(_wrap_px(_safe(text), size * (BOLD_WIDER if bold else 1), room))


def _lines(text: str) -> int:
    """How many lines a wrapped text takes, to leave room for it above or below the plot."""
    return text.count("<br>") + 1


# --- the title block, key and source line ------------------------------------------------------------


def _sizes(px: int) -> dict[str, int]:
    """Type sizes and line heights for the title block at this width: smaller on a phone's column."""
    if px < NARROW_BELOW:
        return {"title": 16, "title_line": 21, "sub": 13, "sub_line": 17, "source": 12, "source_line": 16}
    return {
        "title": TITLE_SIZE,
        "title_line": 27,
        "sub": SUBTITLE_SIZE,
        "sub_line": 21,
        "source": SMALL_SIZE,
        "source_line": 19,
    }


def _base_layout(
    fig: go.Figure,
    *,
    title: str,
    sub: str | None,
    source: str,
    width: int | None,
    height: int,
    legend_rows: int = 0,
    axis_space: int = 62,
    left: int = 80,
    legend_names: list[str] | None = None,
    kind: str = "chart",
    right: int | None = None,
) -> None:
    """Title block at the top, key under it, source under the plot, readable fonts, white background.

    Plotly does not wrap titles, so lines are broken here and the top margin is worked out from
    how many lines the title, subtitle and key take (the key laid out by `_fit_key`, so it keeps
    its shape when a reader widens the text's spacing). The
    words and spacing are kept in ``layout.meta["house"]`` so metrics.charts.narrow can lay
    the same chart out again for a phone, where the page cannot tell Plotly how to wrap.
    """
    px = width or ASSUMED_WIDTH
    size = _sizes(px)
    small = px < NARROW_BELOW
    right = right if right is not None else (12 if small else 40)
    key_font = 12 if small else SMALL_SIZE
    key_extra = 0
    if legend_names is not None:
        legend_rows, key_extra = _fit_key(fig, font=key_font, figure_width=px, plot_width=px - left - right)
    # Broken to the room each line has at the widest text spacing a reader may set (WCAG 1.4.12), as the
    # key is: Plotly draws a title line as given, so a line that only just fitted ran off the figure.
    room = px - TITLE_PAD - right // 2
    title_html = _wrap_spaced(title, size["title"], room, bold=True)
    sub_html = _wrap_spaced(sub, size["sub"], room) if sub else ""
    source_html = _wrap_spaced(source, size["source"], room)
    n_title, n_sub, n_source = _lines(title_html), (_lines(sub_html) if sub else 0), _lines(source_html)
    top = (
        14
        + size["title_line"] * n_title
        + (8 + size["sub_line"] * n_sub if sub else 0)
        + (24 if small else 30) * legend_rows
        + key_extra
        + (32 if legend_rows else 20)
    )
    bottom = axis_space + size["source_line"] * n_source + 6
    plot_height = max(MIN_PLOT_HEIGHT, height - top - bottom)
    fig.update_layout(
        title=_title_spec(title_html, sub_html if sub else None, size),
        height=height,
        width=width,
        autosize=width is None,
        margin={"t": top, "b": bottom, "l": left, "r": right},
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT_COLOUR},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": SMALL_SIZE}},
        showlegend=legend_rows > 0,
        legend=_key_spec(font=key_font, bottom_px=top - 8, height=height),
        meta={
            "house": {
                # Escaped like every text the figure carries, though Plotly never draws `meta` itself.
                "kind": kind,
                "title": _safe(title),
                "sub": _safe(sub) if sub else sub,
                "source": _safe(source),
                "height": height,
                "legend_names": [_safe(n) for n in legend_names] if legend_names is not None else None,
                "legend_rows": legend_rows,
                "axis_space": axis_space,
                "left": left,
                "right": right,
            }
        },
    )
    # Laid out again (metrics.charts.narrow): the old source line goes, the new one is added.
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name != "source"]
    _add_source_line(fig, source_html, left=left, bottom=bottom, plot_height=plot_height, size=size["source"])


def _key_spec(*, font: int, bottom_px: float, height: int) -> dict[str, Any]:
    """The key from the figure's left edge, in line with the title, its last row `bottom_px` from the top.

    Placed by the figure (container), not the plot: Plotly then keeps the plot's margins as set.
    """
    return {
        "orientation": "h",
        "traceorder": "normal",
        "xref": "container",
        "x": 0,
        "xanchor": "left",
        "indentation": KEY_INDENT,
        "yref": "container",
        "y": 1.0 - bottom_px / height,
        "yanchor": "bottom",
        "font": {"size": font},
        "bgcolor": "rgba(255,255,255,0)",
    }


def _title_spec(title_html: str, sub_html: str | None, size: dict[str, int] | None = None) -> dict[str, Any]:
    """The title at the top left of the figure; the subtitle under it.

    Plotly 6 and later anchor a title of several lines by its top, so it is not padded down by its
    extra lines any more (that pushed a long title's subtitle into the plot on a phone).
    """
    size = size or _sizes(ASSUMED_WIDTH)
    spec: dict[str, Any] = {
        "text": title_html,
        "x": 0,
        "xref": "container",
        "xanchor": "left",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "pad": {"l": 12, "t": 14},
        "font": {"size": size["title"], "color": TEXT_COLOUR, "family": FONT_FAMILY, "weight": "bold"},
    }
    if sub_html is not None:
        spec["subtitle"] = {
            "text": sub_html,
            "font": {"size": size["sub"], "color": SECONDARY_TEXT, "family": FONT_FAMILY},
        }
    return spec


def _add_source_line(
    fig: go.Figure, source_html: str, *, left: int, bottom: int, plot_height: int, size: int = SMALL_SIZE
) -> None:
    """The source under the plot, from the figure's left edge so it lines up with the title."""
    fig.add_annotation(
        text=source_html,
        xref="paper",
        yref="paper",
        x=0,
        xshift=-(left - 12),  # from the figure's left edge, in line with the title
        y=-(bottom - 6) / plot_height,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        align="left",
        font={"size": size, "color": SECONDARY_TEXT},
        name="source",
    )


# --- the key, roomy enough for the reader's own text spacing ------------------------------------------

# Advance widths of Arial's letters in thousandths of an em (Liberation Sans, which Chromium draws for
# Arial on Linux, has the same), so the room a name takes is worked out rather than guessed.
_ARIAL_UPPER = (
    "667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 611 722 667 944 667 667 611"
)
_ARIAL_LOWER = (
    "556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500"
)
_ARIAL = {
    **dict(zip(string.ascii_uppercase, map(int, _ARIAL_UPPER.split()), strict=True)),
    **dict(zip(string.ascii_lowercase, map(int, _ARIAL_LOWER.split()), strict=True)),
    **dict.fromkeys("0123456789£$#_?", 556),
    **dict.fromkeys(" ,.:;!/[]\\'’‘", 278),
    **dict.fromkeys('()-`"“”', 333),
    **{"%": 889, "&": 667, "+": 584, "=": 584, "<": 584, ">": 584, "*": 389, "–": 556, "—": 1000},
}
_WIDEST = 1000  # any other character (a symbol, another script) is counted a whole em wide
# WCAG 1.4.12: a reader may set letters 0.12 em and words 0.16 em apart, and nothing may be lost. Plotly
# places the key's entries once, by the width their names had when drawn, so each entry is given the room
# its name takes at that spacing (Plotly's `legendwidth`), and the key keeps its shape either way.
LETTER_SPACING_EM = 0.12
WORD_SPACING_EM = 0.16
KEY_INDENT = 7  # px: with Plotly's own gap of 5, an entry's symbol starts 12 px in, under the title
KEY_SYMBOL = KEY_INDENT + 30 + 2 * 5  # px before an entry's name: indent, symbol (itemwidth), gaps
KEY_GAP = 5  # px between entries (Plotly's itemGap)


def spaced_width(text: str, size: float) -> float:
    """How wide `text` is in Arial at `size` px with WCAG 1.4.12's letter and word spacing: its widest."""
    em = sum(_ARIAL.get(c, _WIDEST) for c in text) / 1000
    return size * (em + LETTER_SPACING_EM * len(text) + WORD_SPACING_EM * text.count(" "))


def _wrap_px(text: str, size: float, room: float) -> list[str]:
    """`text` broken at spaces into lines no wider than `room` px at the widest spacing (a longer word
    keeps a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and spaced_width(f"{lines[-1]} {word}", size) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _fit_key(fig: go.Figure, *, font: int, figure_width: float, plot_width: float) -> tuple[int, int]:
    """Give every entry of the key room for its name at the widest text spacing; returns the key's rows
    and the extra height, in px, that names on more than one line take.

    A name too long for the figure is wrapped onto lines. The rows are Plotly's own: all entries on one
    row if they fit across the plot, otherwise entries of one width (the widest), as many to a row as fit.
    The narrowest plot a layout is shown in is assumed, so the key may take fewer rows than reserved,
    never more.
    """
    entries = [t for t in fig.data if t.showlegend is not False and t.name]
    room = max(60.0, figure_width - KEY_SYMBOL - 12)
    widths, lines = [], []
    for trace in entries:
        name = html.unescape(str(trace.name).replace("<br>", " "))
        wrapped = _wrap_px(name, font, room)
        text = "<br>".join(_safe(line) for line in wrapped)
        if text != trace.name:
            trace.name = text
        trace.legendwidth = math.ceil(max(spaced_width(line, font) for line in wrapped))
        widths.append(KEY_SYMBOL + trace.legendwidth)
        lines.append(len(wrapped))
    if not entries:
        return 0, 0
    rows: list[list[int]] = [[]]
    if sum(widths) + KEY_GAP * (len(widths) - 1) < plot_width:
        rows = [list(range(len(widths)))]
    else:
        column, used = max(widths), 0.0
        for i in range(len(widths)):
            if rows[-1] and column + used >= plot_width:
                rows.append([])
                used = 0.0
            rows[-1].append(i)
            used += column + KEY_GAP
    line_px = round(font * 1.3)  # Plotly's line height in a name on several lines
    extra = sum(line_px * (max(lines[i] for i in row) - 1) for row in rows)
    return len(rows), extra


# --- axes ---------------------------------------------------------------------------------------------


def _axis_style() -> dict[str, Any]:
    """The axis look every chart shares: a dark line with outside ticks, light grid, readable tick labels."""
    return {
        "showline": True,
        "linecolor": TARGET_COLOUR,
        "linewidth": 1,
        "ticks": "outside",
        "tickcolor": TARGET_COLOUR,
        "tickfont": {"size": SMALL_SIZE, "color": TEXT_COLOUR},
        "tickangle": 0,
        "gridcolor": GRID_COLOUR,
        "zeroline": False,
        "title": {"font": {"size": FONT_SIZE, "color": TEXT_COLOUR}},
    }


def _value_axis(indicator: Indicator) -> dict[str, Any]:
    """Units on the axis; counts and money from zero; per cent with a % sign; thousands with commas."""
    axis = _axis_style()
    axis["title"]["text"] = upper_first(indicator.unit_label)
    if indicator.unit in ("count", "money"):
        axis["rangemode"] = "tozero"
    if indicator.unit == "percent":
        axis["ticksuffix"] = "%"
    if indicator.unit == "money":
        axis["tickprefix"] = "£"
    axis["tickformat"] = ",.0f" if indicator.unit in ("count", "money") else ","
    axis["separatethousands"] = True
    return axis


def _bar_axes(fig: go.Figure, indicator: Indicator, right: float, **names: Any) -> None:
    """A horizontal bar chart's axes: values from zero to `right` along the bottom, the bars' names
    down the side with no grid, ticks or title (`names` adds to their style)."""
    xaxis = _value_axis(indicator)
    xaxis["range"] = [0, right]
    xaxis["rangemode"] = "tozero"
    fig.update_xaxes(**xaxis)
    yaxis = _axis_style()
    yaxis.update(showgrid=False, title={"text": ""}, ticks="", **names)
    fig.update_yaxes(**yaxis)


def _add_bar_target(fig: go.Figure, x: float, text: str, line: dict[str, Any]) -> None:
    """A vertical line every bar is read against (a target or a minimum), labelled in words at its top."""
    fig.add_vline(x=x, line=line)
    _add_target_label(fig, text, x=x, y=1, yref="paper", xshift=4)


def _add_target_label(fig: go.Figure, text: str, **where: Any) -> None:
    """A target line's words, starting from `where` and reading to the right of it, in the line's grey."""
    fig.add_annotation(
        text=text,
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font={"size": SMALL_SIZE, "color": TARGET_COLOUR},
        name="target label",
        **where,
    )


def _thin(items: list, most: int) -> list:
    """At most about `most` items, evenly spaced, always ending with the last one."""
    if len(items) <= most:
        return items
    step = math.ceil(len(items) / most)
    kept = items[::step]
    if kept[-1] is not items[-1]:
        if len(items) - 1 - (len(kept) - 1) * step < step:
            kept[-1] = items[-1]  # too close to the last kept tick: swap it for the last
        else:
            kept.append(items[-1])
    return kept


# --- colour that still reads: contrast and the tile shades ----------------------------------------------


def _mix(t: float) -> str:
    """A shade on the single-hue tile scale, from light (t=0) to the palette's dark blue (t=1)."""
    r, g, b = (round(lo + (hi - lo) * t) for lo, hi in zip(TILE_LIGHT, TILE_DARK, strict=True))
    return f"#{r:02X}{g:02X}{b:02X}"


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _text_on(fill: str) -> str:
    """White or near-black text, whichever reads better on the fill (so a tile's value keeps 4.5:1)."""
    return "#FFFFFF" if contrast(fill, "#FFFFFF") >= contrast(fill, TEXT_COLOUR) else TEXT_COLOUR
