"""The board pack (PowerPoint and Word) and the "as presented" archive of packs.

A pack is gathered once into a plain model (`Pack`) from `metrics.dashboard`, the
same calls `kpi show` makes, so every number in it is the number the dashboard
shows; then it is written as slides or as an accessible Word document.

Every pack is built from a snapshot of the store (`AsOf`: the newest upload and
the uploads undone by then) and says so in its footer and in its document
properties, so the same pack can be built again later from the same data even
after new uploads or undos. Packs kept for a board are listed in the store's
`board_pack` table; rebuilding one reads the data as it then stood and the date
its verdicts were judged at, and gives the same file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from metrics.catalogue import (
    Catalogue,
)
from metrics.dashboard import (
    AsOf,
    Db,
)
from metrics.export.docx import write_docx
from metrics.export.labels import slug
from metrics.export.pack import PackRefused, gather
from metrics.export.pptx import write_pptx
from metrics.export.provenance import Provenance
from metrics.store import connect, execute, fetch_dicts, scalar, transaction
from metrics.words import (
    clean_text,
)

PACK_FORMATS = ("pptx", "docx")


# --- building, keeping and rebuilding ---------------------------------------------------------------


@dataclass(frozen=True)
class PackFile:
    data: bytes
    fmt: str
    title: str
    provenance: Provenance

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def file_name(self) -> str:
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


def keep_as(user, pack: PackFile, *, board: str, presented_on: dt.date, db: Db = None) -> int:
    """Keep a pack as `user`: keeping writes to the store, so it takes a role that may write
    (analysts and admins); a viewer, or anyone on a read-only deployment, is refused and the
    refusal is kept in the audit log, as for uploads."""
    from metrics.auth import NotAllowed, require
    from metrics.uploads import record_refusal

    try:
        require(user, "upload")
    except NotAllowed:
        record_refusal(user, "keep pack", db=db, detail=pack.file_name)
        raise
    return keep(pack, board=board, presented_on=presented_on, user=user.id, db=db)


def keep(
    pack: PackFile,
    *,
    board: str,
    presented_on: dt.date,
    user: str = "local analyst",
    db: Db = None,
) -> int:
    """Keep a pack in the "as presented" archive: for which board, on which date, built from what."""
    board = clean_text(board).strip()
    if not board:
        raise PackRefused("Enter the name of the board or meeting the pack is for, for example 'WMCA Board'.")
    p = pack.provenance
    with connect(db) as con, transaction(con):
        new_id = int(scalar(con, "next_board_pack_id"))
        execute(
            con,
            "insert_board_pack",
            {
                "id": new_id,
                "title": pack.title,
                "board": board,
                "presented_on": presented_on,
                "theme_id": p.theme_id,
                "format": pack.fmt,
                "built_at": p.built_at,
                "built_by": user,
                "status_date": p.status_date,
                "as_of_upload": p.as_of.upload_id,
                "undone_uploads": list(p.as_of.undone),
                "uploads": list(p.uploads),
                "file_name": pack.file_name,
                "sha256": pack.sha256,
                "size_bytes": len(pack.data),
            },
        )
    return new_id


def archive(db: Db = None) -> list[dict[str, Any]]:
    """The packs kept as presented, newest presentation first."""
    with connect(db, read_only=True) as con:
        return fetch_dicts(con, "list_board_packs")


def archived(pack_id: int, db: Db = None) -> dict[str, Any]:
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(con, "get_board_pack", {"id": pack_id})
    if not rows:
        raise PackRefused(f"There is no kept pack {pack_id}. 'kpi export archive' lists them.")
    return rows[0]


def rebuild(
    pack_id: int, db: Db = None, catalogue: Catalogue | None = None
) -> tuple[PackFile, dict[str, Any]]:
    """A kept pack built again from the data as it stood, judged at the same date: the same file."""
    rec = archived(pack_id, db)
    pack = build_pack(
        rec["theme_id"],
        rec["format"],
        db=db,
        as_of=AsOf(int(rec["as_of_upload"]), tuple(rec["undone_uploads"])),
        status_date=rec["status_date"],
        built_at=rec["built_at"],
        catalogue=catalogue,
    )
    return pack, rec


def pack_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in PACK_FORMATS else ""
