"""Tables too long for one slide: rows shared out evenly over slides, two tables side by side where they fit.

A slide cannot grow, and nothing on it may be cut off or run into the footer, so the
PowerPoint writer lays a long table out before it draws it: a chart's data (eighteen quarters),
a theme's actions, the list of uploads. Kept apart from the writer because it knows only rows
and inches (measured by `metrics.export.measure`), nothing of slides.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from metrics.export.measure import cell_inches, column_widths, table_inches

STEP = 0.05  # inches: how finely the shared-out page height is searched


def pages(
    heights: Sequence[float], head: float, limit: float, *, first: float | None = None, first_pages: int = 1
) -> list[list[int]]:
    """Row numbers split into pages of at most `limit` inches (each with its `head` row), in order.

    The first `first_pages` pages may have less room (`first`: under a slide's opening lines). As
    many pages as needed, but the rows shared out evenly between them, so the last page is not a
    lone row. A row taller than a page gets a page of its own.
    """

    def room(k: int, cap: float) -> float:
        return min(cap, first if first is not None and k < first_pages else limit)

    def split(cap: float) -> list[list[int]]:
        out: list[list[int]] = [[]]
        used = head
        for i, h in enumerate(heights):
            if out[-1] and used + h > room(len(out) - 1, cap):
                out.append([])
                used = head
            out[-1].append(i)
            used += h
        return out

    n = len(split(math.inf))
    if n == 1:
        return split(math.inf)
    cap = head + sum(heights) / n + max(heights)
    while cap > head and len(split(cap - STEP)) == n:
        cap -= STEP
    return split(cap)


@dataclass(frozen=True)
class TableLayout:
    """A table laid out on slides: for each slide, the tables side by side (each a list of rows)."""

    slides: list[list[list[list[str]]]]
    widths: list[float]  # every table's column widths, in inches
    size: float  # the font size, in points

    @property
    def table_width(self) -> float:
        return sum(self.widths)


def table_layout(
    header: list[str],
    rows: list[list[str]],
    width: float,
    room: float,
    *,
    first: float | None = None,
    gap: float = 0.3,
    sizes: Sequence[float] = (12, 11, 10),
) -> TableLayout:
    """One table if it fits in `room` inches (`first` on the first slide, under its opening lines); else
    halves side by side, over as many slides as they need.

    Columns are sized from their words (`column_widths`), so no word is broken; the font steps down
    through `sizes` only where the columns cannot otherwise hold their longest words.
    """
    opening = room if first is None else first
    for size in sizes:
        whole = column_widths(header, rows, width, size, fill=False)
        if whole is not None and table_inches(header, rows, whole, size) <= opening:
            return TableLayout([[rows]], whole, size)
        half = column_widths(header, rows, (width - gap) / 2, size, fill=False)
        if half is not None:
            chunks = _chunks(header, rows, half, size, room, opening, 2)
            return TableLayout([chunks[k : k + 2] for k in range(0, len(chunks), 2)], half, size)
    for size in sizes:  # too wide to halve: one table a slide, at the largest size whose words fit
        whole = column_widths(header, rows, width, size, fill=False)
        if whole is not None:
            return TableLayout(
                [[c] for c in _chunks(header, rows, whole, size, room, opening, 1)], whole, size
            )
    size = sizes[-1]  # wider than the slide even so (no pack table is): share the width out
    widths = column_widths(header, rows, 100.0, size, fill=False) or [1.0] * len(header)
    widths = [w * width / sum(widths) for w in widths]
    return TableLayout([[c] for c in _chunks(header, rows, widths, size, room, opening, 1)], widths, size)


def _chunks(
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    size: float,
    room: float,
    first: float,
    side: int,
) -> list[list[list[str]]]:
    """The rows in tables of at most `room` inches, the first `side` of them (on the first slide) `first`."""
    heights = [cell_inches(r, widths, size) for r in rows]
    head = cell_inches(header, widths, size)
    return [[rows[i] for i in page] for page in pages(heights, head, room, first=first, first_pages=side)]
