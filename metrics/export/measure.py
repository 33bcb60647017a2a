"""Measuring text for slides: how many lines a sentence takes at a size in a column, in inches.

python-pptx cannot measure text, and nothing on a slide may be cut off or run into the
footer, so the PowerPoint writer measures every box and table row with the font's own
widths (Arial's, or Liberation Sans's, which has the same widths) before it places them.
Kept apart from the writer because it knows nothing of slides: only fonts and inches.
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


def line_count(text: str, size: float, width: float, bold: bool = False) -> int:
    """How many lines `text` takes at `size` points in a column `width` inches wide, wrapped at spaces.

    python-pptx cannot measure text, and nothing on a slide may be cut off or run into the
    footer, so text is measured with the font's own widths (Arial's, which the slides use).
    """
    room = width * 72 * 0.97  # a little spare for kerning and the renderer's own rounding
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
