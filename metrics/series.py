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

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"] = self.start.isoformat()
        d["end"] = self.end.isoformat()
        d.pop("illustrative")
        return d

    def with_value(self, value: float | None, **changes: Any) -> Point:
        return replace(self, value=value, **changes)
