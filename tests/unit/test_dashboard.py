"""The read model's summaries, checked against values worked out here, not by the functions pages call.

theme_summary is checked against the verdicts `kpi show --json` prints for each indicator,
grouped by theme straight from data/indicators.yaml, and against the action statuses the
sample's story sets (typed in); revisions_summary against a history typed in; the "as
presented" reads against uploads made in the test.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pandas as pd
import yaml

from metrics import dashboard, revisions, schemes
from metrics.dashboard import AsOf
from metrics.paths import DATA_DIR
from metrics.upload import ingest_bytes

HEADER = "indicator_id,period,geography,value\n"
JOBS = "jobs_created_wmca_investment"

# The sample's action statuses at 2026-27 Q2 (metrics/sample.py ACTION_STORY), typed in.
ACTIONS_BY_THEME = {
    "affordable_housing": {"on_track": 3, "at_risk": 1, "complete": 1},  # AH2 at risk, AH3 complete
    "accessible_housing": {"on_track": 2, "complete": 1},  # AC3 complete
    "job_creation": {"on_track": 5},
    "skills_equity": {"on_track": 14, "complete": 1},  # SE14 complete
    "public_service_reform": {"on_track": 8, "at_risk": 1},  # PS4 at risk
    "wellbeing_environment": {"on_track": 9, "at_risk": 1},  # WE9 at risk
}


def test_theme_summary_counts_every_indicator_once_under_its_kpi_show_verdict(sample_store, kpi):
    doc = yaml.safe_load((DATA_DIR / "indicators.yaml").read_text(encoding="utf-8"))
    expected: dict[str, Counter] = {}
    for entry in doc["indicators"]:
        code, out, err = kpi("show", entry["id"], "--json", "--db", sample_store)
        assert code == 0, err
        expected.setdefault(entry["theme"], Counter())[json.loads(out)["progress"]["verdict"]] += 1
    today = dt.date.fromisoformat("2026-11-26")
    shown = dashboard.all_progress(db=sample_store, today=today)
    summary = dashboard.theme_summary(shown, action_history=dashboard.action_statuses(db=sample_store))
    got = {row["theme"].id: Counter({k: v for k, v in row["verdicts"].items() if v}) for row in summary}
    assert got == expected
    assert sum(sum(c.values()) for c in got.values()) == 27
    # The ones a board acts on, typed in: NEET is counted (summarised from the seven authorities).
    assert got["affordable_housing"]["off_track"] == 1
    assert got["skills_equity"]["off_track"] == 1 and got["skills_equity"]["met"] == 1
    assert sum(c["met_late"] for c in got.values()) == 4
    actions = {row["theme"].id: {k: v for k, v in row["actions"].items() if v} for row in summary}
    assert actions == ACTIONS_BY_THEME
    assert sum(sum(a.values()) for a in actions.values()) == 47


def _history(rows: list[tuple]) -> pd.DataFrame:
    columns = ["period", "value", "upload_id", "uploaded_at", "upload_outcome", "confirms"]
    return pd.DataFrame(rows, columns=columns)


def test_revisions_summary_compares_the_first_published_value_with_the_latest():
    t = dt.datetime(2026, 1, 1, 9)
    history = _history(
        [
            ("2023-24 Q1", 100.0, 1, t, "committed", False),
            ("2023-24 Q1", 104.0, 2, t + dt.timedelta(days=30), "committed", False),
            ("2023-24 Q1", 104.0, 3, t + dt.timedelta(days=60), "committed", True),  # a repeat: no revision
            ("2023-24 Q2", 50.0, 1, t, "committed", False),
            ("2023-24 Q2", 80.0, 4, t + dt.timedelta(days=90), "undone", False),  # withdrawn: not a revision
            ("2023-24 Q3", None, 2, t, "committed", False),
            ("2023-24 Q3", 12.0, 5, t + dt.timedelta(days=95), "committed", False),
        ]
    )
    out = revisions.revisions_summary(history)
    out = out.astype(object).where(out.notna(), None)  # missing as None, to compare with typed values
    assert out.to_dict("records") == [
        {
            "period": "2023-24 Q1",
            "first_value": 100.0,
            "latest_value": 104.0,
            "change": 4.0,
            "uploads": 2,
            "last_changed": t + dt.timedelta(days=30),
        },
        {
            "period": "2023-24 Q3",
            "first_value": None,
            "latest_value": 12.0,
            "change": None,  # from missing to a value: no change to give
            "uploads": 2,
            "last_changed": t + dt.timedelta(days=95),
        },
    ]


def test_the_as_presented_reads_see_the_data_as_it_was(empty_store):
    def up(value: int, name: str) -> int:
        report = ingest_bytes(
            f"{HEADER}{JOBS},2023-24 Q1,Birmingham,{value}\n".encode(), name, db=empty_store
        )
        assert report.status == "committed"
        return report.upload_id

    a, b = up(10, "a.csv"), up(25, "b.csv")
    from metrics.upload.undo import undo

    undo(b, db=empty_store, user="tester")

    def value(as_of: AsOf | None) -> float | None:
        shown = dashboard.show(JOBS, "Birmingham", db=empty_store, as_of_upload=as_of)
        return shown.series[-1].value if shown.series else None

    assert value(None) == 10.0  # now: b is undone
    assert value(AsOf(a)) == 10.0
    assert value(AsOf(b)) == 25.0  # the pack built after b saw 25, though b was undone later
    assert value(AsOf(b, undone=(b,))) == 10.0  # a pack built after the undo
    assert value(AsOf(a - 1)) is None  # before any upload
    fresh = dashboard.freshness(db=empty_store, as_of_upload=AsOf(b))
    assert fresh.data_as_at == dt.date(2023, 6, 30) and fresh.latest_upload_at == next(
        u["uploaded_at"] for u in dashboard.uploads(db=empty_store) if u["id"] == b
    )


def test_the_scheme_view_reads_the_newest_period_only(sample_store):
    """The scheme view shows the newest period; it reads only that period's rows, the same rows as the
    full history has for it."""
    from metrics.catalogue import default_catalogue

    cat = default_catalogue()
    ind = cat.indicator("affordable_housing_share_scf")
    every = schemes.project_shares(ind, cat.combined_authority, db=sample_store)
    newest = schemes.project_shares(ind, cat.combined_authority, db=sample_store, latest_only=True)
    assert every["period_end"].nunique() > 1 and newest["period_end"].nunique() == 1
    latest = every[every["period_end"] == every["period_end"].max()].reset_index(drop=True)
    pd.testing.assert_frame_equal(newest.reset_index(drop=True), latest)


def test_verdicts_assess_each_indicator_once_whoever_asks_and_give_copies(sample_store, monkeypatch):
    """The server's shared verdicts (one per data version): one indicator asked for first (a headline
    card), then every one (the Overview's themes), then every one again (another session): each is
    assessed once, and each caller gets its own copy, equal to a fresh read of the store."""
    import threading

    from metrics.catalogue import default_catalogue

    cat = default_catalogue()
    today = dt.date(2026, 11, 26)
    assessed: Counter = Counter()
    real = dashboard._show

    def counted(con, indicator, *args, **kwargs):
        assessed[indicator.id] += 1
        return real(con, indicator, *args, **kwargs)

    monkeypatch.setattr(dashboard, "_show", counted)
    verdicts = dashboard.Verdicts(db=sample_store, today=today, catalogue=cat)
    scf = verdicts.one(cat.indicator("affordable_housing_share_scf"))
    sessions = [threading.Thread(target=verdicts.every) for _ in range(3)]  # sessions asking at once
    for t in sessions:
        t.start()
    for t in sessions:
        t.join()
    every, again = verdicts.every(), verdicts.every()
    assert assessed == Counter({i.id: 1 for i in cat.indicators})
    assert every["affordable_housing_share_scf"] == scf and every == again
    assert every["affordable_housing_share_scf"] is not again["affordable_housing_share_scf"]
    monkeypatch.setattr(dashboard, "_show", real)
    assert every == dashboard.all_progress(db=sample_store, today=today)
