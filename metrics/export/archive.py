"""The "as presented" archive: packs kept for a board, listed, and built again from the data as it then stood.

Keeping a pack records in the store's `board_pack` table for which board, on which date,
built from which snapshot and judged at which date, with the file's fingerprint; it does
not keep the file. Rebuilding reads the data as it stood at that snapshot and judges at
the same date, so it gives the same file (`rebuild` says whether the fingerprint matches).
Keeping writes to the store, so `keep_as` checks the person's role first.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from metrics import clock
from metrics.auth import NotAllowed, require
from metrics.catalogue import Catalogue
from metrics.cycle.locks import lock_for_pack
from metrics.dashboard import AsOf, Db
from metrics.export.build import PackFile, build_pack
from metrics.export.pack import PackRefused
from metrics.store import connect, execute, fetch_dicts, scalar, transaction
from metrics.upload.service import record_refusal
from metrics.words import clean_text

if TYPE_CHECKING:
    from metrics.auth import User


def keep_as(user: User, pack: PackFile, *, board: str, presented_on: dt.date, db: Db = None) -> int:
    """Keep a pack as `user`: keeping writes to the store, so it takes a role that may write
    (analysts and admins); a viewer, or anyone on a read-only deployment, is refused and the
    refusal is kept in the audit log, as for uploads."""

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
        # Keeping a pack as presented locks the quarter it reported on (metrics.cycle.locks): what
        # the board saw there can still be corrected, but never silently.
        lock_for_pack(
            con,
            board_pack_id=new_id,
            status_date=p.status_date,
            presented_on=presented_on,
            user=user,
            now=clock.now(),
        )
    return new_id


def archive(db: Db = None) -> list[dict[str, Any]]:
    """The packs kept as presented, newest presentation first."""
    with connect(db, read_only=True) as con:
        return fetch_dicts(con, "list_board_packs")


def archived(pack_id: int, db: Db = None) -> dict[str, Any]:
    """One kept pack's record; PackRefused if there is no such pack."""
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
