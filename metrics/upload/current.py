"""The current flags, kept true in the same transaction as every upload and undo.

Reads of current values (the `current_observation` macro, now) touch only the rows flagged current,
so they cost what they return rather than the history behind them. The flags are set from the one
rule (`ranked_observation`: the row from the newest upload that counts), for the keys the upload
holds and no others, so a quarterly file on a large store re-ranks only its own indicators and periods.
"""

from __future__ import annotations

from metrics.store import Connection, execute, fetch_dicts


def refresh_current(con: Connection, upload_id: int) -> None:
    """Set the current flag of every key `upload_id` holds rows for, from the rule (after a write or an undo)."""
    touched = fetch_dicts(con, "touched_indicator_periods", {"upload_id": upload_id})[0]
    if touched["indicators"]:
        execute(con, "refresh_current_observations", {"upload_id": upload_id, **touched})
