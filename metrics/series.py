"""The value types shared by the store, the progress maths, the charts and the exports.

One point is one period of one series (an indicator, a place, a breakdown), as
`kpi show --json` prints it. Keeping this a plain frozen dataclass lets the maths
in progress.py stay pure and testable without a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

MISSING_REASONS = {
    "c": "suppressed to protect confidentiality",
    "x": "not available",
    "z": "not applicable",
}


@dataclass(frozen=True)
class Point:
    period: str  # canonical label, e.g. "2023-24 Q1"
    start: dt.date
    end: dt.date
    value: float | None  # None when missing
    numerator: float | None = None
    denominator: float | None = None
    status: str = "provisional"  # provisional or final
    missing: str | None = None  # c, x or z when the value is known to be missing
    derived: bool = False  # worked out from the seven local authorities
    illustrative: bool = False  # sample value, not a published figure
    # A survey estimate's confidence interval, in the value's unit, and its level in percent (95); None
    # for exact figures, derived figures and running totals (an interval cannot be added up).
    lower: float | None = None
    upper: float | None = None
    confidence: float | None = None

    def as_json(self) -> dict[str, Any]:
        """The point as `kpi show --json` prints it: cli.md's fields only (the interval is not one yet)."""
        d = asdict(self)
        d["start"] = self.start.isoformat()
        d["end"] = self.end.isoformat()
        for kept_out in ("illustrative", "lower", "upper", "confidence"):
            d.pop(kept_out)
        return d

    @property
    def interval(self) -> tuple[float, float] | None:
        """(lower, upper) when the value carries a confidence interval."""
        return (self.lower, self.upper) if self.lower is not None and self.upper is not None else None

    def with_value(self, value: float | None, **changes: Any) -> Point:
        return replace(self, value=value, **changes)


def points_by_place(rows: list[dict]) -> dict[str, list[Point]]:
    out: dict[str, list[Point]] = {}
    for r in rows:
        out.setdefault(r["geography_code"], []).append(
            Point(
                period=r["period"],
                start=r["period_start"],
                end=r["period_end"],
                value=r["value"],
                numerator=r["numerator"],
                denominator=r["denominator"],
                status=r["status"],
                missing=r["missing"],
                derived=bool(r.get("derived")),  # a combined authority's cell worked out for suppression
                illustrative=bool(r["illustrative"]),
                lower=r.get("lower"),
                upper=r.get("upper"),
                confidence=r.get("confidence"),
            )
        )
    return out
