"""The reporting cycle's rules, declared in data/cycle.yaml: the quarter being reported, when it is due.

The board meets quarterly, so commentary and sign-off run on financial quarters whatever an
indicator's own frequency; the quarter being reported on a given day is the newest one that has
ended, and its updates are due `due_days` after its end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from metrics.paths import DATA_DIR
from metrics.periods import Period, period_for_date, previous_period
from metrics.schema import CatalogueError, known_keys, list_field, need, read_yaml, whole
from metrics.words import VERDICT_ORDER

CYCLE_FILE = DATA_DIR / "cycle.yaml"
CYCLE_FIELDS = frozenset({"due_days", "max_characters", "required_for", "action_owner"})


@dataclass(frozen=True)
class CycleRules:
    due_days: int
    max_characters: int
    required_for: tuple[str, ...]
    action_owner: str

    def quarter(self, today: dt.date) -> Period:
        """The quarter being reported on `today`: the newest financial quarter that has ended."""
        current = period_for_date(today, "quarter", "financial")
        return previous_period(current, "quarter", "financial") if current.end >= today else current

    def due(self, quarter: Period) -> dt.date:
        return quarter.end + dt.timedelta(days=self.due_days)


def parse_rules(path: Path) -> CycleRules:
    doc = read_yaml(path)
    where = path.name
    known_keys(where, doc, CYCLE_FIELDS)
    required = tuple(list_field(where, doc, "required_for"))
    for v in required:
        if v not in VERDICT_ORDER:
            raise CatalogueError(
                f"{where}: 'required_for' has '{v}'. Use verdicts from: {', '.join(VERDICT_ORDER)}."
            )
    return CycleRules(
        due_days=whole(where, doc, "due_days", 42),
        max_characters=whole(where, doc, "max_characters", 1000),
        required_for=required,
        action_owner=str(need(where, doc, "action_owner")),
    )


@lru_cache(maxsize=4)
def _cached(path: str, mtime: int) -> CycleRules:
    return parse_rules(Path(path))


def cycle_rules(path: Path = CYCLE_FILE) -> CycleRules:
    return _cached(str(path), path.stat().st_mtime_ns)
