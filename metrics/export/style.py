"""What the PowerPoint and Word packs share: house colours, the cover, an action's row, the lead, properties.

Kept in one place so the two writers cannot drift apart: a slide and a Word page say an
action's status, the cover's lines and a verdict's bold lead words the same way, and both
files carry the same document properties (the provenance line `read_reference` reads back).
"""

from __future__ import annotations

from typing import Any

from metrics.dashboard import ActionView
from metrics.export.labels import APP_NAME, as_at_text
from metrics.export.pack import Pack
from metrics.words import action_status_word, long_date, verdict_word

AF_BLUE = "12436D"
AF_GREY = "3D3D3D"
ACTION_HEADER = ["Action", "What the plan says", "Status"]


def action_status(a: ActionView) -> str:
    """An action's latest status in words, with the period it was reported for."""
    if a.status is None:
        return "No status reported"
    word = action_status_word(a.status)
    return f"{word} ({a.period})" if a.period else word


def action_rows(actions: list[ActionView]) -> list[list[str]]:
    """The actions table's rows: the action (marked when a milestone), the plan's text, its status."""
    return [[a.id + (" (milestone)" if a.milestone else ""), a.text, action_status(a)] for a in actions]


def cover_lines(pack: Pack) -> list[str]:
    """The lines under the pack's title: the objective, the period, the data's date, the verdicts' date."""
    return [
        pack.objective,
        pack.period,
        as_at_text(pack.data_as_at),
        f"Verdicts judged at {long_date(pack.provenance.status_date)}",
    ]


def verdict_lead(text: str, verdict: str) -> tuple[str, str]:
    """A verdict sentence split after its verdict's words, for setting them in bold."""
    lead = f"{verdict_word(verdict)}:"
    return (lead, text[len(lead) :]) if text.startswith(lead) else ("", text)


def set_core_properties(props: Any, pack: Pack) -> None:
    """The document properties of either file (python-pptx's and python-docx's are alike), dated when built."""
    when = pack.provenance.built_at
    props.title = pack.title
    props.subject = pack.objective
    props.author = APP_NAME
    props.last_modified_by = APP_NAME
    props.comments = pack.provenance.reference()
    props.keywords = "board pack; Equity and Inclusion; WMCA"
    props.category = "Board paper"
    props.language = "en-GB"
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when
