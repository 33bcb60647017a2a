"""The words for verdicts, shared by every screen, chart, export and the `kpi` command.

One place, so that the Overview, the Indicator page, a chart's title and a board
pack slide call the same state by the same name with the same symbol. Symbols are
text characters, not colour emoji: they keep their shape in every font, in
headless browsers and in exports, and the status never rests on colour alone
(WCAG 1.4.1).
"""

from __future__ import annotations

import re

# verdict id (shared/spec/cli.md) -> (words, symbol)
VERDICT_WORDS: dict[str, tuple[str, str]] = {
    "met": ("Target met", "★"),
    "on_track": ("On track", "✔"),
    "at_risk": ("At risk", "⚠"),
    "off_track": ("Off track", "✖"),
    "met_late": ("Met late", "◑"),
    "missed": ("Missed", "⊗"),
    "awaiting_data": ("Awaiting data", "…"),
    "no_target": ("No target", "○"),
    "no_data": ("No data", "∅"),
}

# A verdict after a count: "4 off track, 3 met".
VERDICT_COUNTED = {
    "met": "met",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "met_late": "met late",
    "missed": "missed",
    "awaiting_data": "awaiting data",
    "no_target": "with no target",
    "no_data": "with no data",
}

# The order a board reads them in: what needs action first.
VERDICT_ORDER = (
    "missed",
    "off_track",
    "at_risk",
    "met_late",
    "awaiting_data",
    "on_track",
    "met",
    "no_target",
    "no_data",
)


def verdict_word(verdict: str) -> str:
    """ "Off track", "Met late": the verdict in words."""
    return VERDICT_WORDS.get(verdict, VERDICT_WORDS["no_data"])[0]


def verdict_label(verdict: str) -> str:
    """The verdict as a symbol and words, for screens: "✖ Off track"."""
    word, symbol = VERDICT_WORDS.get(verdict, VERDICT_WORDS["no_data"])
    return f"{symbol} {word}"


def verdict_sentence(verdict: str, reason: str) -> str:
    """The verdict and its reason as one line: "Off track: 3 of 14 schemes are below ...".

    Every surface that states a verdict uses this, so a slide and a page never word it apart.
    """
    return f"{verdict_word(verdict)}: {reason}"


def count_phrase(verdict: str, count: int) -> str:
    """One of a theme's counts: "✖ Off track: 2"."""
    return f"{verdict_label(verdict)}: {count}"


# C0 and C1 control characters (but tab and line breaks), DEL, bidirectional overrides and
# isolates (they can make text read differently from how it is stored), and XML-forbidden
# code points: none belongs in a name or a note, and each can break a Word or PowerPoint file.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)


def clean_text(text: str) -> str:
    """User text with the characters removed that can break a document or disguise what it says."""
    return _UNSAFE.sub("", text)
