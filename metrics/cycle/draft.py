"""A first draft of an indicator's commentary, written from the data for its owner to edit.

The draft says what the figures say (the latest value and the change since the period before, the
verdict and its reason, the schemes or authorities behind it) and leaves "what happens next" to the
owner: only they know. Every sentence comes from the same words the pages use.
"""

from __future__ import annotations

from dataclasses import dataclass

from metrics.dashboard import Shown
from metrics.words import format_value, lower_first, verdict_word

NEXT_PROMPT = ""


@dataclass(frozen=True)
class Draft:
    happened: str
    why: str
    next_steps: str


def draft(shown: Shown) -> Draft:
    """The draft for an indicator's combined-authority view."""
    ind, p = shown.indicator, shown.progress
    valued = [pt for pt in shown.series if pt.value is not None]
    if not valued:
        happened = f"There is no figure for {lower_first(ind.short_name)} yet."
    else:
        last = valued[-1]
        happened = f"{ind.short_name} was {format_value(ind, last.value)} in {last.period}"
        if len(valued) > 1:
            before = valued[-2]
            change = float(last.value) - float(before.value)  # type: ignore[arg-type]
            if change == 0:
                happened += f", the same as in {before.period}."
            else:
                word = "up" if change > 0 else "down"
                happened += f", {word} {format_value(ind, abs(change))} from {format_value(ind, before.value)} in {before.period}."
        else:
            happened += "."
    why = f"{verdict_word(p.verdict)}: {p.reason}"
    if p.breaking and p.breaking[0][0] not in p.reason:  # the reason names the first few already
        names = ", ".join(f"{name} ({format_value(ind, value)})" for name, value in p.breaking[:5])
        more = f" and {len(p.breaking) - 5} more" if len(p.breaking) > 5 else ""
        why += f" Behind it: {names}{more}."
    return Draft(happened=happened, why=why, next_steps=NEXT_PROMPT)


def action_draft(history: list[dict], quarter_label: str) -> Draft:
    """The draft for an action: its latest reported status and note; the owner says why and what next."""
    from metrics.words import ACTION_STATUS_WORDS

    if not history:
        return Draft(
            f"No status has been reported for this action yet; {quarter_label} is due.", "", NEXT_PROMPT
        )
    latest = history[0]
    word = ACTION_STATUS_WORDS.get(latest["status"], (latest["status"], ""))[0]
    happened = f"Reported {word.lower()} in {latest['period']}."
    if latest["period"] != quarter_label:
        happened += f" No status has been reported for {quarter_label} yet."
    return Draft(happened, (latest.get("note") or "").strip(), NEXT_PROMPT)
