"""One board pack file: gathered, written as PowerPoint or Word, with its name and fingerprint.

`build_pack` is what the Export page and `kpi export pack` call; the archive
(`metrics.export.archive`) calls it too to build a kept pack again from the same snapshot.
Apart from the writers so that they, the model and the archive do not import each other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from metrics.catalogue import Catalogue
from metrics.dashboard import AsOf, Db
from metrics.export.docx import write_docx
from metrics.export.labels import slug
from metrics.export.pack import PackRefused, gather
from metrics.export.pptx import write_pptx
from metrics.export.provenance import Provenance

PACK_FORMATS = ("pptx", "docx")


@dataclass(frozen=True)
class PackFile:
    """A pack as a file: its bytes, format and title, and what it was built from."""

    data: bytes
    fmt: str
    title: str
    provenance: Provenance

    @property
    def sha256(self) -> str:
        """The file's fingerprint, kept in the archive to tell whether a rebuild gives the same file."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def file_name(self) -> str:
        """ "board-pack-accessible-housing-2026-11-26.pptx": what it covers and the date it was judged at."""
        theme = self.provenance.theme_id or "objective-2"
        return f"board-pack-{slug(theme)}-{self.provenance.status_date.isoformat()}.{self.fmt}"


def build_pack(
    theme_id: str | None = None,
    fmt: str = "pptx",
    *,
    db: Db = None,
    as_of: AsOf | None = None,
    status_date: dt.date | None = None,
    built_at: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
) -> PackFile:
    """A board pack for one theme or the whole objective, as PowerPoint or Word."""
    if fmt not in PACK_FORMATS:
        raise PackRefused(f"A board pack can be pptx or docx, not '{fmt}'.")
    pack = gather(
        theme_id, db=db, as_of=as_of, status_date=status_date, built_at=built_at, catalogue=catalogue
    )
    data = write_pptx(pack) if fmt == "pptx" else write_docx(pack)
    return PackFile(data, fmt, pack.title, pack.provenance)
