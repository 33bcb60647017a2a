"""The large-change notices: a value that looks implausible beside its previous period's.

Shown on the Upload page before an analyst confirms (not in the JSON report, and never a reason
to refuse a file): a large change is allowed, but it is often a typing slip, a percentage written
as a fraction, or a change of units.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from metrics.catalogue import Catalogue, default_catalogue
from metrics.periods import Period, previous_period
from metrics.store import connect, run
from metrics.upload.report import Problem, Report

JUMP_WARNING = 0.5  # a value this far (50%) from the previous period's is shown for a second look


def _previous_rows(preview: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Each value row with the dates of its indicator's previous period."""
    out = []
    for r in preview.itertuples(index=False):
        ind = catalogue.indicator(r.indicator_id)
        prev = previous_period(Period(r.period, r.period_start, r.period_end), ind.frequency, ind.year_type)
        out.append(
            {
                "line": int(r.line),
                "indicator_id": r.indicator_id,
                "geography_code": r.geography_code,
                "breakdown_dimension": r.breakdown_dimension,
                "breakdown_value": r.breakdown_value,
                "previous_label": prev.label,
                "previous_start": prev.start,
                "previous_end": prev.end,
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "line",
            "indicator_id",
            "geography_code",
            "breakdown_dimension",
            "breakdown_value",
            "previous_label",
            "previous_start",
            "previous_end",
        ],
    )


def previous_values(
    preview: pd.DataFrame, *, db: str | Path | None = None, catalogue: Catalogue | None = None
) -> pd.DataFrame:
    """For each line: the previous period's value, from the same file if it has it, else the store's current one.

    Columns: line, previous_period, previous_value, previous_missing.
    """
    catalogue = catalogue or default_catalogue()
    cols = ["line", "previous_period", "previous_value", "previous_missing"]
    if preview is None or preview.empty or "indicator_id" not in preview.columns:
        return pd.DataFrame(columns=cols)
    wanted = _previous_rows(preview, catalogue)
    with connect(db, read_only=True) as con:
        con.register("wanted", wanted)
        stored = run(con, "previous_period_values").df()
    found = {
        int(r.line): (r.previous_period, r.previous_value, r.previous_missing) for r in stored.itertuples()
    }
    in_file = {
        (r.indicator_id, r.geography_code, r.breakdown_dimension, r.breakdown_value, r.period_start): r
        for r in preview.itertuples(index=False)
    }
    rows = []
    for w in wanted.itertuples(index=False):
        own = in_file.get(
            (w.indicator_id, w.geography_code, w.breakdown_dimension, w.breakdown_value, w.previous_start)
        )
        if own is not None:
            rows.append((w.line, w.previous_label, own.value, own.missing))
        elif w.line in found:
            rows.append((w.line, *found[w.line]))
    return pd.DataFrame(rows, columns=cols)


def number_text(v: Any) -> str:
    """A number as an analyst would write it: thousands separators, no trailing zeros."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    v = float(v)
    if v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.4f}".rstrip("0").rstrip(".")


def jump_notices(
    preview: pd.DataFrame,
    previous: pd.DataFrame,
    threshold: float = JUMP_WARNING,
    catalogue: Catalogue | None = None,
) -> list[Problem]:
    """A notice for each value that looks implausible beside its previous period's value.

    Pure. In order of what it most likely is: a percentage written as a fraction (0.708 where the
    series runs near 70%), a value ten times or a tenth of the previous one (a slip of units or a
    decimal point), else a change of more than `threshold` (50%). Skipped where either value is
    missing (c, x, z) or the previous value is zero (no ratio).
    """
    if preview is None or preview.empty or previous.empty:
        return []
    units = {}
    if catalogue is not None and "indicator_id" in preview.columns:
        units = {
            int(r.line): catalogue.indicator(r.indicator_id).unit for r in preview.itertuples(index=False)
        }
    values = {int(r.line): r.value for r in preview.itertuples(index=False)}
    out = []
    for p in previous.sort_values("line").itertuples(index=False):
        new = values.get(int(p.line))
        old = p.previous_value
        if new is None or old is None or pd.isna(new) or pd.isna(old) or old == 0:
            continue
        new, old = float(new), float(old)
        shown, before = number_text(new), number_text(old)
        ratio = new / old
        if units.get(int(p.line)) == "percent" and 0 < new <= 1 and 0.5 <= new * 100 / old <= 2:
            message = (
                f"{shown} looks like a fraction: the value for {p.previous_period} was {before}%. "
                f"Enter percentages as percent, like {number_text(round(new * 100, 6))} for "
                f"{number_text(round(new * 100, 6))}%."
            )
        elif ratio >= 10 or 0 < ratio <= 0.1:
            size = "ten times or more" if ratio >= 10 else "a tenth or less of"
            message = (
                f"{shown} is {size} the value for {p.previous_period} ({before}). Check the units and the "
                "decimal point before you confirm."
            )
        else:
            change = (new - old) / abs(old)
            if abs(change) <= threshold:
                continue
            word = "higher" if change > 0 else "lower"
            message = (
                f"{shown} is {abs(change):.0%} {word} than the value for {p.previous_period} ({before}). "
                "Check it is right before you confirm: a large change is allowed, but it is often a typing "
                "slip or a change of definition."
            )
        out.append(Problem(int(p.line), "value", shown, message))
    return out


def large_changes(
    report: Report, *, db: str | Path | None = None, catalogue: Catalogue | None = None
) -> list[Problem]:
    """The notices for a checked file of values, against the same file and then the store."""
    if report.kind != "values" or report.preview is None:
        return []
    catalogue = catalogue or default_catalogue()
    previous = previous_values(report.preview, db=db, catalogue=catalogue)
    return jump_notices(report.preview, previous, catalogue=catalogue)
