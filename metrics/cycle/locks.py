"""Quarters locked by packs kept "as presented", and what has changed since a board saw it.

Keeping a pack in the archive locks the reporting quarter it reported on (the newest quarter ended by
its status date). The pack's record already says which data it showed (uploads up to its as-of, less
those then undone), so what changed since is found by reading the series both ways: a figure whose
value now differs from the one presented is "revised since presented to the board on ...", on the
Indicator page and in the next pack. Nothing is stopped: a correction is allowed, never silent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from metrics.asof import AsOf, Db
from metrics.catalogue import Catalogue, Indicator
from metrics.clock import long_date
from metrics.cycle.rules import CycleRules, cycle_rules
from metrics.store import execute, fetch_dicts
from metrics.words import format_value


@dataclass(frozen=True)
class Lock:
    board_pack_id: int
    period: str
    period_start: dt.date
    period_end: dt.date
    presented_on: dt.date
    board: str
    as_of: AsOf
    locked_at: dt.datetime


@dataclass(frozen=True)
class Revised:
    """A figure that differs from the one a board was shown."""

    period: str
    presented_on: dt.date
    board: str
    then: float | None
    now: float | None

    def sentence(self, indicator: Indicator) -> str:
        return (
            f"{self.period}: revised since presented to the {self.board} on {long_date(self.presented_on)} "
            f"(then {format_value(indicator, self.then)}, now {format_value(indicator, self.now)})."
        )


def lock_for_pack(
    con,
    *,
    board_pack_id: int,
    status_date: dt.date,
    presented_on: dt.date,
    user: str,
    now: dt.datetime,
    rules: CycleRules | None = None,
) -> None:
    """Lock the quarter a pack reported on, in the transaction that keeps the pack."""
    quarter = (rules or cycle_rules()).quarter(status_date)
    execute(
        con,
        "insert_period_lock",
        {
            "board_pack_id": board_pack_id,
            "period": quarter.label,
            "period_start": quarter.start,
            "period_end": quarter.end,
            "presented_on": presented_on,
            "locked_at": now,
            "locked_by": user,
        },
    )


def locks(con) -> list[Lock]:
    return [
        Lock(
            r["board_pack_id"],
            r["period"],
            r["period_start"],
            r["period_end"],
            r["presented_on"],
            r["board"],
            AsOf(int(r["as_of_upload"]), tuple(int(u) for u in r["undone_uploads"])),
            r["locked_at"],
        )
        for r in fetch_dicts(con, "period_locks", {})
    ]


def quarter_lock(period_start: dt.date, *, db: Db = None) -> Lock | None:
    """The first pack that presented the quarter starting on `period_start`, or None."""
    from metrics.store import connect

    with connect(db, read_only=True) as con:
        return first_lock(locks(con), period_start)


def first_lock(locks_: list[Lock], period_start: dt.date) -> Lock | None:
    """The first pack that presented a quarter: commentary written after it is marked as revised."""
    return next((lk for lk in locks_ if lk.period_start == period_start), None)


def revised_since_presented(
    indicator: Indicator,
    *,
    db: Db = None,
    catalogue: Catalogue | None = None,
    today: dt.date | None = None,
    as_of: AsOf | None = None,
    before: dt.datetime | None = None,
) -> list[Revised]:
    """The combined authority's figures that differ now (or at `as_of`, for a pack) from what the packs kept
    as presented (before `before`, for a pack: only those presented before it was built) showed."""
    from metrics.dashboard import show
    from metrics.store import connect

    with connect(db, read_only=True) as con:
        every = [lk for lk in locks(con) if before is None or lk.locked_at <= before]
    if not every:
        return []
    now = {
        p.period: p.value
        for p in show(indicator, db=db, catalogue=catalogue, today=today, as_of_upload=as_of).series
    }
    out: dict[str, Revised] = {}
    for lk in every:  # oldest first: a later pack that showed the new figure replaces the flag
        then = {
            p.period: p.value
            for p in show(indicator, db=db, catalogue=catalogue, today=today, as_of_upload=lk.as_of).series
        }
        for period, value in then.items():
            if period in now and now[period] != value:
                out[period] = Revised(period, lk.presented_on, lk.board, value, now[period])
            elif period in out and now.get(period) == value:
                del out[period]
    return [out[k] for k in sorted(out)]
