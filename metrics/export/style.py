"""What the PowerPoint and Word packs share: colours, the cover, the footer, an action's row, the lead, properties.

Kept in one place so the two writers cannot drift apart: a slide and a Word page say an
action's status, the cover's lines and a verdict's bold lead words the same way, and both
files carry the same document properties (the provenance line `read_reference` reads back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from metrics.dashboard import ActionView
from metrics.export.labels import APP_NAME, as_at_text
from metrics.export.method import METHOD_TITLE
from metrics.export.pack import Pack
from metrics.words import action_status_word, clean_text, long_date, verdict_word

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


def footer_text(pack: Pack) -> str:
    """Every slide's and page's footer: what a board reader needs, where it is from, its date, which pack.

    How to build the pack again is said once, in "About this pack", not on every page.
    """
    return (
        f"Source: {APP_NAME}. {as_at_text(pack.data_as_at)}. "
        f"Pack reference: {pack.provenance.short_reference()}."
    )


ABOUT_TITLE = "About this pack"
UPLOAD_HEADER = ["Upload", "File", "Loaded by", "Loaded on"]


MONO = "Courier New"  # the rebuild command, as typed; Liberation Mono (the same widths) where it is missing
MONO_EM = 0.6  # every character of Courier New is 0.6 em wide
REBUILD_LEAD = "To build it again from the same data, run this command:"


@dataclass(frozen=True)
class About:
    """The pack's provenance, said once: what it was built from, the command that builds it again, and how
    its verdicts are said. The command is set apart in a fixed-width font, to be copied as it is."""

    built: str
    command: str
    note: str

    def command_lines(self, size: float, width: float) -> list[str]:
        """The command over as few lines as fit `width` inches at `size` points, broken only at spaces
        before an option, each line but the last ending in " \\" so a shell reads it as one command.

        A line is never broken inside an option ("--status-date"), as a word processor would at a hyphen.
        """
        room = int(width * 72 / (size * MONO_EM)) - 2
        lines = [""]
        for part in re.split(r" (?=--)", self.command):
            if lines[-1] and len(lines[-1]) + 1 + len(part) > room:
                lines.append("  ")
            lines[-1] += (" " if lines[-1].strip() else "") + part
        return [line + " \\" for line in lines[:-1]] + lines[-1:]


def about(pack: Pack, fmt: str) -> About:
    """What "About this pack" says in either format."""
    return About(
        built=f"{pack.provenance.built_sentence()} {as_at_text(pack.data_as_at)}.",
        command=pack.provenance.rebuild_command(fmt),
        note=(
            "Every verdict is stated in words with the reason for it, as the dashboard and the kpi command state "
            f"it; '{METHOD_TITLE}' explains the rules. Missing figures are shown as missing with their reason, "
            "never as zero, and an illustrative sample value is marked as such wherever values are listed."
        ),
    )


def upload_rows(pack: Pack) -> list[list[str]]:
    """The uploads the pack shows: id, file, who loaded it and when. Names are uploaded text, so cleaned."""
    return [
        [
            str(u["id"]),
            clean_text(u["file_name"]),
            clean_text(u["user_name"]),
            long_date(u["uploaded_at"].date()),
        ]
        for u in pack.uploads
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
