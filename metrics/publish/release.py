"""Which uploads a public release reflects, and the record of each release in the store.

A release counts an upload when it is committed, its figures may be published by the release time
(its embargo has passed, or it has none and was uploaded by then) and, unless illustrative data is
asked for, it is not illustrative. That set becomes an `AsOf` (the newest counted upload, the rest
left out), so every read goes through the one definition of "current" the dashboard and the board
packs use (sql/schema/017_create_upload_counts.sql), and the release can be read again later: the
revisions page compares a release with the one before it by reading both.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from metrics.asof import AsOf, Db
from metrics.store import connect, execute, fetch_dicts, scalar, transaction


class NothingToPublish(Exception):
    """No upload may be published at the release time: there is no release to build."""


@dataclass(frozen=True)
class Release:
    """What one release reflects: the uploads it counts, as a point the store's reads understand."""

    release_time: dt.datetime
    include_illustrative: bool
    uploads: tuple[int, ...]
    as_of: AsOf

    @property
    def date(self) -> dt.date:
        return self.release_time.date()


def _as_of(counted: list[int], every: list[int]) -> AsOf:
    """The newest counted upload, with every other upload up to it left out (upload_counts' rule)."""
    newest = max(counted)
    wanted = set(counted)
    return AsOf(newest, tuple(u for u in every if u <= newest and u not in wanted))


def choose(*, db: Db, release_time: dt.datetime, include_illustrative: bool = False) -> Release:
    """The release at `release_time`: the uploads whose figures may go out then."""
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(con, "release_uploads", {})
    counted = [
        r["id"]
        for r in rows
        if r["outcome"] == "committed"
        and r["release_time"] <= release_time
        and (include_illustrative or not r["illustrative"])
    ]
    if not counted:
        raise NothingToPublish(
            "No upload may be published at this release time: every upload is embargoed until later, "
            "undone, or illustrative. Choose a later --release-time, or add --include-illustrative to "
            "publish the sample data marked as illustrative."
        )
    return Release(
        release_time, include_illustrative, tuple(counted), _as_of(counted, [r["id"] for r in rows])
    )


def previous(*, db: Db, release_time: dt.datetime) -> Release | None:
    """The newest release recorded before `release_time`, or None.

    Strictly before: building the same release again compares it with the same one, so the same store
    and options give the same files whatever was recorded by an earlier run of the same release.
    """
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(con, "list_releases", {})
    before = [r for r in rows if r["release_time"] < release_time]
    if not before:
        return None
    r = before[-1]
    return Release(
        r["release_time"],
        bool(r["include_illustrative"]),
        tuple(r["uploads"]),
        AsOf(int(r["as_of_upload"]), tuple(int(u) for u in r["undone_uploads"])),
    )


def record(release: Release, manifest: dict[str, Any], *, db: Db, built_at: dt.datetime) -> int:
    """Keep what a release published (its uploads and every file's SHA-256) in the store; its id.

    The same release built again with the same files is the same release: its first record's id is
    given back and nothing new is written.
    """
    with connect(db) as con, transaction(con):
        for r in fetch_dicts(con, "list_releases", {}):
            same = json.loads(r["manifest"]) if isinstance(r["manifest"], str) else r["manifest"]
            if r["release_time"] == release.release_time and same == manifest:
                return int(r["id"])
        release_id = int(scalar(con, "next_release_id"))
        execute(
            con,
            "insert_release",
            {
                "id": release_id,
                "release_time": release.release_time,
                "built_at": built_at,
                "include_illustrative": release.include_illustrative,
                "as_of_upload": release.as_of.upload_id,
                "undone_uploads": list(release.as_of.undone),
                "uploads": list(release.uploads),
                "manifest": json.dumps(manifest, sort_keys=True),
            },
        )
    return release_id
