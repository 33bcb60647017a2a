"""`kpi init`: create or migrate the store, load the plan and catalogue, and the sample data once.

Running it twice changes nothing: the plan and catalogue are upserted with the
same values, and the sample is loaded only into a store that has no uploads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from metrics import clock
from metrics.catalogue import Catalogue, default_catalogue
from metrics.sample import load_sample
from metrics.store import connect, execute, migrate, scalar, transaction


@dataclass(frozen=True)
class InitResult:
    migrations_applied: list[str]
    sample_uploads: int


def load_plan_and_catalogue(con, catalogue: Catalogue) -> None:
    for g in catalogue.geographies:
        execute(
            con,
            "upsert_geography",
            {"code": g.code, "name": g.name, "level": g.level, "aliases": "|".join(g.aliases)},
        )
    for t in catalogue.themes:
        execute(
            con, "upsert_theme", {"id": t.id, "position": t.position, "name": t.name, "outcome": t.outcome}
        )
        for a in t.actions:
            execute(
                con,
                "upsert_action",
                {
                    "id": a.id,
                    "theme_id": t.id,
                    "position": a.position,
                    "text": a.text,
                    "milestone": a.milestone,
                },
            )
    for ind in catalogue.indicators:
        definition = json.dumps(ind.as_json() | {"statistics_status": ind.statistics_status}, sort_keys=True)
        execute(
            con,
            "upsert_indicator",
            {"id": ind.id, "name": ind.name, "theme_id": ind.theme, "definition": definition},
        )
        for a in ind.actions:
            execute(con, "link_action_indicator", {"action_id": a, "indicator_id": ind.id})


def init_store(
    db: str | Path | None = None, *, sample: bool = True, catalogue: Catalogue | None = None
) -> InitResult:
    catalogue = catalogue or default_catalogue()
    with connect(db, create=True) as con:
        applied = migrate(con, clock.now())
        with transaction(con):
            load_plan_and_catalogue(con, catalogue)
        empty = scalar(con, "count_uploads") == 0
    loaded = 0
    if sample and empty:
        loaded = len(load_sample(db, catalogue))
    return InitResult(applied, loaded)
