"""Measuring text for slides and tables: lines a sentence takes in a column, and columns that fit their words.

python-pptx cannot measure text, and nothing on a slide may be cut off or run into the
footer, so the PowerPoint writer measures every box and table row with the font's own
widths (Arial's, or Liberation Sans's, which has the same widths) before it places them.
Neither Word nor LibreOffice hyphenates a table cell: a column narrower than its longest word
breaks the word ("mileston e"), so both writers size columns from their words
(`column_widths`). Kept apart from the writers because it knows nothing of slides or pages:
only fonts and inches.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

CHAR_EM = 0.53  # an average character's width in ems, where no font file can be found to measure with
_FONT_FILES = {
    False: ("Arial.ttf", "arial.ttf", "LiberationSans-Regular.ttf"),
    True: ("Arial Bold.ttf", "arialbd.ttf", "LiberationSans-Bold.ttf"),
}
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")


@lru_cache(maxsize=2)
def _measuring_font(bold: bool) -> Any:
    """Arial, or Liberation Sans (metric-compatible), at 100 pt for measuring text; None if neither is here."""
    from PIL import ImageFont

    for folder in _FONT_DIRS:
        root = Path(folder)
        if not root.is_dir():
            continue
        for name in _FONT_FILES[bold]:
            for path in sorted(root.rglob(name)):
                return ImageFont.truetype(str(path), 100)
    return None


def text_points(text: str, size: float, bold: bool = False) -> float:
    """How wide `text` is on one line at `size` points, in points."""
    font = _measuring_font(bold)
    if font is None:
        return len(text) * size * CHAR_EM
    return font.getlength(text) * size / 100


FIT = 0.97  # a line is filled to 97% of its room: spare for kerning and the renderer's own rounding


def column_widths(
    header: list[str],
    rows: list[list[str]],
    total: float,
    size: float,
    *,
    padding: float = 0.2,
    fill: bool = True,
    wrap: bool = True,
) -> list[float] | None:
    """Column widths in inches that break no word, at `size` points; None if the table cannot be that narrow.

    Each column is at least as wide as its longest word (the header's in bold) and its cells'
    margins (`padding`), so text wraps between words only, a header too. The room left over goes
    to the columns whose text would otherwise wrap, the ones needing least first; with `fill` the
    table takes the whole of `total`, else at most 30% more than its text needs. Without `wrap`,
    None unless every cell fits on one line.
    """
    least, want = [], []
    for j, head in enumerate(header):
        cells = [r[j] for r in rows]
        words = [(w, True) for w in head.split()] + [(w, False) for c in cells for w in c.split()]
        word = max((text_points(w, size, bold) for w, bold in words), default=0.0)
        line = max([text_points(c, size) for c in cells] + [text_points(head, size, True)])
        least.append(word / 72 / FIT + padding)
        want.append(max(least[-1], line / 72 / FIT + padding))
    if sum(least) > total or (not wrap and sum(want) > total):
        return None
    if sum(want) <= total:
        extra = (total if fill else min(total, sum(want) * 1.3)) - sum(want)
        return [w + extra * w / sum(want) for w in want]
    # Not room for every cell on one line: the columns that need little more than their longest word
    # ("At risk (2026-27 Q2)") get it first, so only the long text (the plan's words) wraps.
    widths = list(least)
    todo = set(range(len(header)))
    while todo:
        spare = total - sum(widths)
        fair = spare / len(todo)
        cheap = {j for j in todo if want[j] - widths[j] <= fair}
        if not cheap:
            short = sum(want[j] - widths[j] for j in todo)
            for j in todo:
                widths[j] += spare * (want[j] - widths[j]) / short
            break
        for j in cheap:
            widths[j] = want[j]
        todo -= cheap
    return widths


def line_count(text: str, size: float, width: float, bold: bool = False) -> int:
    """How many lines `text` takes at `size` points in a column `width` inches wide, wrapped at spaces.

    python-pptx cannot measure text, and nothing on a slide may be cut off or run into the
    footer, so text is measured with the font's own widths (Arial's, which the slides use).
    """
    room = width * 72 * FIT
    font = _measuring_font(bold)
    if font is None:
        per_line = max(1, int(room / (size * CHAR_EM)))
        return max(1, math.ceil(len(text) / per_line))
    scale = size / 100
    space = font.getlength(" ") * scale
    lines, used = 1, 0.0
    for word in text.split():
        w = font.getlength(word) * scale
        if used and used + space + w > room:
            lines, used = lines + 1, w
        else:
            used += (space if used else 0.0) + w
    return lines


def text_inches(lines: list[str], size: float, width: float, *, space_after: float = 6) -> float:
    """How tall these paragraphs are in a text box `width` inches wide (with its 0.1-inch insets)."""
    n = sum(line_count(line, size, width - 0.2) for line in lines)
    return n * size * 1.2 / 72 + len(lines) * space_after / 72 + 0.1


def cell_inches(texts: list[str], widths: list[float], size: float) -> float:
    """A table row's height: its tallest cell, with the cell's 0.05-inch top and bottom margins."""
    n = max(line_count(t, size, w - 0.2) for t, w in zip(texts, widths, strict=True))
    return n * size * 1.2 / 72 + 0.1


def table_inches(header: list[str], rows: list[list[str]], widths: list[float], size: float) -> float:
    """A table's height: the sum of its rows' heights, the header row's included."""
    return sum(cell_inches(r, widths, size) for r in [header, *rows])
