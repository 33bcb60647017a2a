"""Revisions: every value uploaded for a series, and which periods changed since first published.

A board that saw one figure and now sees another must be able to find what changed and when; the
Indicator page's Revisions section and its "every upload" table are built from these two.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from metrics.catalogue import Geography, Indicator
from metrics.store import connect, fetch_dicts

Db = str | Path | None


def revision_history(
    indicator: Indicator,
    geography: Geography,
    breakdown: tuple[str, str] | None = None,
    *,
    db: Db = None,
) -> pd.DataFrame:
    """Every value uploaded for a series, with its upload; undone uploads are included and marked."""
    dim, value = breakdown or ("", "")
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(
            con,
            "observation_history",
            {
                "indicator_id": indicator.id,
                "geography": geography.code,
                "dimension": dim,
                "breakdown_value": value,
            },
        )
    return pd.DataFrame(rows)


def revisions_summary(history: pd.DataFrame) -> pd.DataFrame:
    """For each period with more than one upload: the value first published against the latest value."""
    if history.empty:
        return pd.DataFrame(
            columns=["period", "first_value", "latest_value", "change", "uploads", "last_changed"]
        )
    live = history[history["upload_outcome"] == "committed"]
    if "confirms" in live.columns:
        live = live[~live["confirms"].astype(bool)]  # a repeat of the same value is not a revision
    out = []
    for period, grp in live.groupby("period", sort=False):
        if len(grp) < 2:
            continue
        first, last = grp.iloc[0], grp.iloc[-1]
        change = (
            None
            if pd.isna(first["value"]) or pd.isna(last["value"])
            else float(last["value"] - first["value"])
        )
        out.append(
            {
                "period": period,
                "first_value": first["value"],
                "latest_value": last["value"],
                "change": change,
                "uploads": len(grp),
                "last_changed": last["uploaded_at"],
            }
        )
    return pd.DataFrame(
        out, columns=["period", "first_value", "latest_value", "change", "uploads", "last_changed"]
    )
