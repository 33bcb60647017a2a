"""Provenance: which data a board pack shows, and when its verdicts were judged, so it can be built again.

Every pack is built from a snapshot of the store (`AsOf`: the newest upload and the uploads
undone by then) and says so three ways: a short reference in every footer ("as at upload 21,
judged 26 November 2026", the words `kpi export archive` lists a kept pack by), the uploads
and the `kpi export pack` command that builds it again once, in its "About this pack"
section, and one machine-readable line in its document properties, which `read_reference`
reads back from the file. Kept apart from the pack's content because the archive
(`metrics.export.archive`) and the command need it without drawing anything.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from metrics.dashboard import AsOf, Db
from metrics.store import connect, fetch_dicts
from metrics.words import long_date

PROVENANCE_MARK = "kpi-pack/1"


def _ranges(ids: tuple[int, ...]) -> str:
    """1, 2, 3, 5 -> "1 to 3 and 5": upload ids as a reader can check them against 'kpi uploads'."""
    if not ids:
        return "none"
    parts, start, prev = [], ids[0], ids[0]
    for n in (*ids[1:], None):
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start} to {prev}")
        if n is not None:
            start = prev = n
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


@dataclass(frozen=True)
class Provenance:
    """Which data a pack shows and when its verdicts were judged: enough to build it again."""

    as_of: AsOf
    uploads: tuple[int, ...]  # the uploads whose figures it shows
    built_at: dt.datetime
    status_date: dt.date
    theme_id: str | None

    def rebuild_command(self, fmt: str) -> str:
        parts = ["kpi export pack"]
        if self.theme_id:
            parts.append(f"--theme {self.theme_id}")
        parts.append(f"--format {fmt}")
        parts.append(f"--as-of-upload {self.as_of.upload_id}")
        if self.as_of.undone:
            parts.append(f"--undone {','.join(map(str, self.as_of.undone))}")
        parts.append(f"--status-date {self.status_date.isoformat()}")
        return " ".join(parts)

    def _undone_words(self) -> str:
        if not self.as_of.undone:
            return ""
        plural = "s" if len(self.as_of.undone) > 1 else ""
        return f"; undone upload{plural} {_ranges(self.as_of.undone)} left out"

    def short_reference(self) -> str:
        """ "as at upload 21, judged 26 November 2026": which pack this is, in every footer.

        The words `kpi export archive` lists a kept pack by, so a reader can name the pack
        in front of them and an analyst find it in the archive; the command is not repeated.
        """
        undone = self.as_of.undone
        left_out = f" (upload{'s' if len(undone) > 1 else ''} {_ranges(undone)} undone)" if undone else ""
        return f"as at upload {self.as_of.upload_id}{left_out}, judged {long_date(self.status_date)}"

    def footer(self, fmt: str) -> str:
        """The uploads a pack was built from and how to build it again: said once, not on every page.

        The pack's "About this pack" section prints it, and the Export page and `kpi export pack`
        show it once the pack is built (the name is older than that: footers carry
        `short_reference` now).
        """
        return f"{self.built_sentence()} To build it again from the same data: {self.rebuild_command(fmt)}"

    def built_sentence(self) -> str:
        """ "Built 26 November 2026 from uploads 1 to 21." (and any undone uploads left out)."""
        return (
            f"Built {long_date(self.status_date)} from uploads {_ranges(self.uploads)}{self._undone_words()}."
        )

    def reference(self) -> str:
        """One machine-readable line kept in the file's document properties."""
        return (
            f"{PROVENANCE_MARK} theme={self.theme_id or 'all'} as_of_upload={self.as_of.upload_id} "
            f"undone={','.join(map(str, self.as_of.undone))} status_date={self.status_date.isoformat()} "
            f"built_at={self.built_at.isoformat()}"
        )

    @classmethod
    def parse(cls, text: str) -> dict[str, Any] | None:
        """The fields of `reference()` read back from a pack's properties (None if it is not one)."""
        if not text or not text.startswith(PROVENANCE_MARK):
            return None
        fields = dict(part.split("=", 1) for part in text.split()[1:] if "=" in part)
        return {
            "theme_id": None if fields.get("theme") in (None, "all") else fields["theme"],
            "as_of_upload": int(fields["as_of_upload"]),
            "undone": tuple(int(x) for x in fields.get("undone", "").split(",") if x),
            "status_date": dt.date.fromisoformat(fields["status_date"]),
            "built_at": dt.datetime.fromisoformat(fields["built_at"]),
        }


def current_snapshot(db: Db = None) -> tuple[AsOf, tuple[int, ...]]:
    """The store as it is now: its newest upload, the uploads undone so far, the uploads shown."""
    with connect(db, read_only=True) as con:
        row = fetch_dicts(con, "upload_snapshot")[0]
    return AsOf(int(row["as_of_upload"]), tuple(row["undone_uploads"])), tuple(row["uploads"])


def uploads_as_of(as_of: AsOf, db: Db = None) -> list[dict[str, Any]]:
    """The uploads whose figures a pack built from this snapshot shows."""
    with connect(db, read_only=True) as con:
        return fetch_dicts(con, "uploads_as_of", as_of.params())


def read_reference(data: bytes, fmt: str) -> dict[str, Any] | None:
    """What a pack file says it was built from (its document properties), for building it again."""
    if fmt == "pptx":
        from pptx import Presentation

        comments = Presentation(io.BytesIO(data)).core_properties.comments
    else:
        from docx import Document

        comments = Document(io.BytesIO(data)).core_properties.comments
    return Provenance.parse(comments or "")
