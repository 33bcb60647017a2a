"""Every SQL file: each query runs against a small real store with bound parameters and returns the
columns its callers read; every schema file is applied by `migrate`; an older store is migrated by
`kpi init` with its data kept."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import metrics.upload.setcheck
from metrics.store import (
    CHECK_DIR,
    QUERY_DIR,
    SCHEMA_DIR,
    latest_version,
    migrate,
    migrations,
    run,
    sql_text,
)
from metrics.upload.check import check
from metrics.upload.values import STAGED_VALUE_COLUMNS
from tests.stores import open_store, query

pytestmark = pytest.mark.both_engines

NOW = dt.datetime(2026, 11, 26, 9, 0)
SCF = "affordable_housing_share_scf"
JOBS = "jobs_created_wmca_investment"
CA_AND_LAS = [
    "E47000007",
    "E08000025",
    "E08000026",
    "E08000027",
    "E08000028",
    "E08000029",
    "E08000030",
    "E08000031",
]
INTERVAL = ["lower", "upper", "confidence"]  # a survey estimate's confidence interval (027-029)
UPLOAD_COLUMNS = ["id", "kind", "file_name", "sha256", "user_name", "uploaded_at", "rows", "inserted", "revised",
                  "unchanged", "outcome", "undone_at", "undone_by"]  # fmt: skip
SERIES = ["geography_code", "period", "period_start", "period_end", "value", "numerator", "denominator",
          "missing", "status", "note", "illustrative", "source", "upload_id", *INTERVAL]  # fmt: skip
BREAKDOWNS = ["geography_code", "breakdown_value", "period", "period_start", "period_end", "value", "numerator",
              "denominator", "missing", "status", "illustrative", *INTERVAL]  # fmt: skip
ACTION_STATUSES = ["action_id", "period", "period_start", "period_end", "status", "note", "upload_id"]
BOARD_PACK = ["id", "title", "board", "presented_on", "theme_id", "format", "built_at", "built_by", "status_date",
              "as_of_upload", "undone_uploads", "uploads", "file_name", "sha256", "size_bytes"]  # fmt: skip
RELEASE = ["id", "release_time", "built_at", "include_illustrative", "as_of_upload", "undone_uploads", "uploads",
           "manifest"]  # fmt: skip
COMMENTARY = ["id", "subject_kind", "subject_id", "period", "period_start", "period_end", "version", "happened", "why",
              "next_steps", "state", "author", "author_key", "written_at", "note", "revised_after_pack"]  # fmt: skip
AS_OF = {"as_of_upload": 18, "undone_uploads": [3]}  # as a board pack saw it
NOW_READ = {"as_of_upload": None, "undone_uploads": []}  # the current data
COUNT = ["Count"]  # what DuckDB returns for INSERT and UPDATE

# query file -> (bound parameters, columns returned, views it reads that an upload registers)
CASES: dict[str, tuple[dict, list[str], str | None]] = {
    "applied_migrations": ({}, ["version"], None),
    "audit_log": (
        {},
        [
            "event_at",
            "user_name",
            "event",
            "upload_id",
            "kind",
            "file_name",
            "sha256",
            "rows",
            "inserted",
            "revised",
            "unchanged",
        ],
        None,
    ),
    "classify_staged_action_statuses": (
        {},
        [
            "line",
            "action_id",
            "period",
            "period_start",
            "period_end",
            "status",
            "note",
            "outcome",
            "old_status",
            "old_note",
        ],  # fmt: skip
        "staged_status",
    ),
    "classify_staged_observations": (
        {},
        [
            *STAGED_VALUE_COLUMNS,
            "outcome",
            "old_value",
            "old_numerator",
            "old_denominator",
            "old_missing",
            "old_status",
            "old_period",
            "old_upload_id",
            "old_lower",
            "old_upper",
            "old_confidence",
        ],
        "staged",
    ),
    "breakdown_groups": (
        {"indicator_id": SCF, "geography": "E08000025", "dimensions": ["project"]},
        ["breakdown_dimension", "breakdown_value"],
        None,
    ),
    "count_uploads": ({}, ["uploads"], None),
    "retire_replaced_current": ({}, COUNT, "staged"),
    "repeated_rejection": ({"user_key": None, "sha256": "0" * 64}, ["id"], None),
    "refresh_current_observations": (
        {"upload_id": 2, "indicators": [JOBS], "period_starts": [dt.date(2023, 4, 1)]},
        COUNT,
        None,
    ),
    "touched_indicator_periods": ({"upload_id": 2}, ["indicators", "period_starts"], None),
    "current_action_statuses": (NOW_READ, ACTION_STATUSES, None),
    "current_breakdowns": (
        {
            **NOW_READ,
            "indicator_id": SCF,
            "geographies": CA_AND_LAS,
            "dimension": "project",
            "period_end": None,
        },
        BREAKDOWNS,
        None,
    ),
    "current_series": (
        {**NOW_READ, "indicator_id": JOBS, "geographies": CA_AND_LAS, "dimension": "", "breakdown_value": ""},
        SERIES,
        None,
    ),
    "data_version": (
        {},
        [
            "last_upload",
            "undone",
            "board_packs",
            "audit_events",
            "owner_changes",
            "commentary_versions",
            "alerts",
            "schema_version",
        ],
        None,
    ),  # fmt: skip
    "get_board_pack": ({"id": 1}, BOARD_PACK, None),
    "get_upload": ({"id": 20}, [*UPLOAD_COLUMNS, "report", "user_key"], None),
    "indicators_with_data": ({}, ["indicator_id", "latest_end", "values_held"], None),
    "insert_action_statuses_from_staged": ({"upload_id": 900}, COUNT, "staged_status"),
    "insert_board_pack": (
        {
            "id": 1,
            "title": "Board pack",
            "board": "WMCA Board",
            "presented_on": dt.date(2026, 11, 20),
            "theme_id": None,
            "format": "pdf",
            "built_at": NOW,
            "built_by": "tester",
            "status_date": dt.date(2026, 11, 1),
            "as_of_upload": 20,
            "undone_uploads": [],
            "uploads": [1, 2],
            "file_name": "pack.pdf",
            "sha256": "0" * 64,
            "size_bytes": 1234,
        },
        COUNT,
        None,
    ),  # fmt: skip
    "insert_observations_from_staged": (
        {"upload_id": 900, "illustrative": False, "source": None},
        COUNT,
        "staged",
    ),
    "insert_confirmations_from_staged": ({"upload_id": 900}, COUNT, "staged"),
    "insert_upload": (
        {
            "id": 900,
            "kind": "values",
            "file_name": "f.csv",
            "sha256": "0" * 64,
            "user_name": "tester",
            "uploaded_at": NOW,
            "rows": 1,
            "inserted": 1,
            "revised": 0,
            "unchanged": 0,
            "outcome": "committed",
            "report": json.dumps({"status": "committed"}),
            "user_key": "https://login.example.org|abc123",
            "embargoed_until": dt.datetime(2026, 12, 10, 9, 30),
            "illustrative": False,
        },
        COUNT,
        None,
    ),  # fmt: skip
    "insert_release": (
        {
            "id": 1,
            "release_time": NOW,
            "built_at": NOW,
            "include_illustrative": False,
            "as_of_upload": 20,
            "undone_uploads": [18],
            "uploads": [1, 2],
            "manifest": json.dumps({"files": {}}),
        },
        COUNT,
        None,
    ),  # fmt: skip
    "insert_audit_event": (
        {
            "event_at": NOW,
            "user_name": "viewer@example.org",
            "user_key": "https://login.example.org|v1",
            "action": "upload",
            "target": "",
            "outcome": "refused",
            "detail": "q3.csv",
        },
        COUNT,
        None,
    ),  # fmt: skip
    "latest_breakdown_period": (
        {"indicator_id": SCF, "geographies": CA_AND_LAS, "dimension": "project"},
        ["period_end"],
        None,
    ),
    "latest_period_with_data": (AS_OF, ["period_end"], None),
    "lowest_schemes": (
        {
            "indicator_id": SCF,
            "geographies": CA_AND_LAS,
            "period_end": dt.date(2026, 9, 30),
            "minimum": 20.0,
            "at_most": 40,
        },
        [
            "schemes",
            "below",
            "no_figure",
            "lowest_meeting",
            "highest_meeting",
            "no_figure_names",
            "project",
            "geography_code",
            "period",
            "period_end",
            "numerator",
            "denominator",
            "share",
            "missing",
            "status",
        ],
        None,
    ),  # fmt: skip
    "latest_upload": ({"as_of_upload": 5}, ["id", "file_name", "user_name", "uploaded_at"], None),
    "link_action_indicator": ({"action_id": "AH1", "indicator_id": SCF}, COUNT, None),
    "owner_changes": ({}, ["subject_kind", "subject_id", "owner", "changed_at", "changed_by"], None),
    "insert_owner_change": (
        {
            "subject_kind": "indicator",
            "subject_id": SCF,
            "owner": "a@example.org",
            "changed_at": NOW,
            "changed_by": "admin@example.org",
            "changed_by_key": "idp|admin",
        },
        COUNT,
        None,
    ),  # fmt: skip
    "commentary_versions": (
        {"subject_kind": "indicator", "subject_id": SCF, "period_start": dt.date(2026, 7, 1)},
        COMMENTARY,
        None,
    ),
    "latest_commentary": ({"period_start": dt.date(2026, 7, 1)}, COMMENTARY, None),
    "insert_commentary": (
        {
            "id": 1,
            "subject_kind": "indicator",
            "subject_id": SCF,
            "period": "2026-27 Q2",
            "period_start": dt.date(2026, 7, 1),
            "period_end": dt.date(2026, 9, 30),
            "version": 1,
            "happened": "a",
            "why": "b",
            "next_steps": "c",
            "state": "draft",
            "author": "a@example.org",
            "author_key": None,
            "written_at": NOW,
            "note": None,
            "revised_after_pack": None,
        },
        COUNT,
        None,
    ),  # fmt: skip
    "next_commentary_id": ({}, ["id"], None),
    "insert_period_lock": (
        {
            "board_pack_id": 1,
            "period": "2026-27 Q2",
            "period_start": dt.date(2026, 7, 1),
            "period_end": dt.date(2026, 9, 30),
            "presented_on": dt.date(2026, 12, 1),
            "locked_at": NOW,
            "locked_by": "admin",
        },
        COUNT,
        None,
    ),  # fmt: skip
    "period_locks": (
        {},
        [
            "board_pack_id",
            "period",
            "period_start",
            "period_end",
            "presented_on",
            "locked_at",
            "locked_by",
            "board",
            "built_at",
            "as_of_upload",
            "undone_uploads",
        ],
        None,
    ),  # fmt: skip
    "insert_alert": (
        {
            "id": 1,
            "kind": "upload",
            "upload_id": 20,
            "created_at": NOW,
            "recipients": json.dumps(["a@example.org"]),
            "subject": "s",
            "body": "b",
            "delivery": "app",
            "sent_at": None,
            "error": None,
        },
        COUNT,
        None,
    ),  # fmt: skip
    "next_alert_id": ({}, ["id"], None),
    "list_alerts": (
        {},
        [
            "id",
            "kind",
            "upload_id",
            "created_at",
            "recipients",
            "subject",
            "body",
            "delivery",
            "sent_at",
            "error",
        ],
        None,
    ),
    "list_board_packs": ({}, BOARD_PACK, None),
    "list_releases": ({}, RELEASE, None),
    "list_uploads": ({}, [*UPLOAD_COLUMNS, "user_key"], None),
    "mark_upload_undone": ({"id": 20, "undone_at": NOW, "undone_by": "tester"}, COUNT, None),
    "next_board_pack_id": ({}, ["id"], None),
    "next_release_id": ({}, ["id"], None),
    "next_upload_id": ({}, ["id"], None),
    "observation_history": (
        {"indicator_id": JOBS, "geography": "E08000025", "dimension": "", "breakdown_value": ""},
        [
            "period",
            "period_start",
            "period_end",
            "value",
            "numerator",
            "denominator",
            "missing",
            "status",
            "note",
            "upload_id",
            "file_name",
            "user_name",
            "uploaded_at",
            "upload_outcome",
            "confirms",
            *INTERVAL,
        ],
        None,
    ),  # fmt: skip
    "previous_period_values": (
        {},
        ["line", "previous_period", "previous_value", "previous_missing"],
        "wanted",
    ),
    "record_migration": ({"version": 999, "name": "999_test", "applied_at": NOW}, COUNT, None),
    "schema_version": ({}, ["version"], None),
    "schemes_below_minimum": (
        {
            **NOW_READ,
            "indicator_id": SCF,
            "geographies": CA_AND_LAS,
            "period_end": dt.date(2026, 9, 30),
            "minimum": 20.0,
            "at_most": None,
        },
        ["schemes", "missing", "below", "project", "geography_code", "share"],
        None,
    ),
    "template_action_latest": ({}, ["action_id", "period", "period_start", "period_end"], None),
    "template_latest_keys": (
        {"indicators": [JOBS, SCF]},
        [
            "indicator_id",
            "period",
            "period_start",
            "period_end",
            "geography_code",
            "breakdown_dimension",
            "breakdown_value",
        ],
        None,
    ),  # fmt: skip
    "undo_preview": (
        {"id": 20},
        [
            "indicator_id",
            "geography_code",
            "period",
            "breakdown_dimension",
            "breakdown_value",
            "value_now",
            "missing_now",
            "upload_now",
            "value_after",
            "missing_after",
            "upload_after",
        ],
        None,
    ),  # fmt: skip
    "undo_preview_action_statuses": (
        {"id": 19},
        ["action_id", "period", "status_now", "upload_now", "status_after", "upload_after"],
        None,
    ),
    "upload_action_statuses": ({"id": 19}, ["line", "action_id", "period", "status", "note"], None),
    "upload_observations": (
        {"id": 20},
        [
            "line",
            "indicator_id",
            "geography_code",
            "period",
            "breakdown_dimension",
            "breakdown_value",
            "value",
            "numerator",
            "denominator",
            "missing",
            "status",
            "note",
            *INTERVAL,
        ],
        None,
    ),  # fmt: skip
    "upload_snapshot": ({}, ["as_of_upload", "undone_uploads", "uploads"], None),
    "release_observations": (
        AS_OF,
        [
            "indicator_id",
            "geography_code",
            "breakdown_dimension",
            "breakdown_value",
            "period",
            "period_start",
            "period_end",
            "value",
            "numerator",
            "denominator",
            "missing",
            "status",
            "note",
            "illustrative",
            "source",
            "upload_id",
        ],
        None,
    ),  # fmt: skip
    "release_uploads": ({}, ["id", "kind", "outcome", "uploaded_at", "release_time", "illustrative"], None),
    "uploads_as_of": (AS_OF, ["id", "kind", "file_name", "user_name", "uploaded_at"], None),
    "upsert_action": (
        {"id": "AH1", "theme_id": "affordable_housing", "position": 1, "text": "x", "milestone": True},
        COUNT,
        None,
    ),  # fmt: skip
    "upsert_geography": (
        {"code": "E08000025", "name": "Birmingham", "level": "local_authority", "aliases": ""},
        COUNT,
        None,
    ),  # fmt: skip
    "upsert_indicator": (
        {"id": SCF, "name": "n", "theme_id": "affordable_housing", "definition": "{}"},
        COUNT,
        None,
    ),
    "upsert_theme": ({"id": "affordable_housing", "position": 1, "name": "n", "outcome": "o"}, COUNT, None),
}

# The rows a query must return from the sample store (None: any number, including none).
MIN_ROWS = {
    "applied_migrations": 1,
    "audit_log": 20,
    "current_action_statuses": 47,
    "breakdown_groups": 1,
    "current_breakdowns": 1,
    "current_series": 1,
    "get_upload": 1,
    "release_observations": 1000,
    "release_uploads": 20,
    "indicators_with_data": 20,
    "list_uploads": 20,
    "lowest_schemes": 14,
    "schemes_below_minimum": 3,
    "observation_history": 8,
    "undo_preview": 1,
    "upload_action_statuses": 47,
    "upload_observations": 1,
    "template_latest_keys": 1,
}


def test_every_query_file_has_a_case():
    assert sorted(p.stem for p in QUERY_DIR.glob("*.sql")) == sorted(CASES)


def _register(con: duckdb.DuckDBPyConnection, view: str, classified: bool = True) -> None:
    """Register the view an upload registers: checked rows, with their outcomes once `classified`."""
    today = dt.date(2026, 11, 26)
    if view == "staged":
        text = (
            "indicator_id,period,geography,value\n"
            f"{JOBS},2022-23 Q1,Birmingham,1\n"  # revises a sample value
            f"{JOBS},2026-27 Q3,Birmingham,2\n"  # new
        )
    elif view == "staged_status":
        text = "action_id,period,status,note\nAH2,2022-23 Q1,on_track,\nAH2,2026-27 Q3,at_risk,late\n"
    else:
        wanted = pd.DataFrame(
            {
                "line": [2],
                "indicator_id": [JOBS],
                "geography_code": ["E08000025"],
                "breakdown_dimension": [""],
                "breakdown_value": [""],
                "previous_start": [dt.date(2022, 4, 1)],
                "previous_end": [dt.date(2022, 6, 30)],
            }
        )
        con.register(view, wanted)
        return
    report, staged = check(text.encode(), "t.csv", today=today)
    assert not report.errors, report.as_json()
    staged = staged.sort_values("line", ignore_index=True)  # checked rows come in no set order
    if not classified:
        pass
    elif view == "staged":
        # The first row repeats the sample's value unchanged (a confirmation of its upload's row).
        ((old,),) = query(
            con,
            "SELECT max(upload_id) FROM observation WHERE indicator_id = $jobs AND geography_code = 'E08000025' "
            "AND period = '2022-23 Q1' AND breakdown_dimension = ''",
            {"jobs": JOBS},
        )
        staged["outcome"] = ["unchanged", "inserted"]
        staged["old_upload_id"] = [old, None]
    else:
        staged["outcome"] = ["revised", "inserted"]
    con.register(view, staged)


@pytest.mark.parametrize("name", sorted(CASES))
def test_query_runs_with_bound_parameters_and_returns_its_columns(name, sample_store):
    params, columns, view = CASES[name]
    with open_store(sample_store) as con:
        if view:
            _register(con, view, classified=not name.startswith("classify"))
        cur = run(con, name, params)
        assert [d[0] for d in cur.description] == columns
        result = cur.fetchall()
        if columns == COUNT and name not in ("record_migration",):
            assert result[0][0] >= 1, f"{name} changed nothing"
        if name in MIN_ROWS:
            assert len(result) >= MIN_ROWS[name], (name, len(result))


def test_no_query_text_has_a_value_pasted_in():
    """Values are bound ($name), never formatted into the text: no braces or %-placeholders."""
    for path in [*QUERY_DIR.glob("*.sql"), *CHECK_DIR.glob("*.sql")]:
        text = path.read_text(encoding="utf-8")
        assert "{" not in text and "%s" not in text, path.name


def test_every_check_file_is_run_by_the_set_checks():
    """sql/checks holds the upload checks' statements (tested through tests/unit/test_setcheck.py):
    each is run by metrics/upload/setcheck.py, and none is left behind unused."""
    code = (Path(metrics.upload.setcheck.__file__)).read_text(encoding="utf-8")
    for path in CHECK_DIR.glob("*.sql"):
        assert f'"{path.stem}"' in code, path.name


# ------------------------------------------------------------------ schema and migrations


def _tables(con) -> dict[str, list[str]]:
    names = [r[0] for r in con.sql("SHOW TABLES").fetchall()]
    return {n: con.table(n).columns for n in names}


def test_migrate_applies_every_schema_file_once_in_order(tmp_path):
    files = sorted(p.stem for p in SCHEMA_DIR.glob("*.sql"))
    versions = [int(f.split("_", 1)[0]) for f in files]
    assert versions == list(range(1, len(files) + 1)), "migrations are numbered 001, 002, ... without gaps"
    con = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    try:
        assert migrate(con, NOW) == files
        assert [r[0] for r in con.execute(sql_text("applied_migrations")).fetchall()] == versions
        assert migrate(con, NOW) == []  # idempotent
        tables = _tables(con)
        for table in ("geography", "theme", "action", "indicator", "action_indicator", "upload", "observation",
                      "action_status", "schema_migration"):  # fmt: skip
            assert table in tables
        assert {"undone_at", "undone_by"} <= set(tables["upload"])
        assert {"upload_id", "line", "illustrative", "source", "period_start", "period_end"} <= set(
            tables["observation"]
        )
    finally:
        con.close()
    assert migrations()[-1][0] == latest_version() == len(files)


def _old_store(path) -> None:
    """A store as version 10 of the schema left it (before undo was recorded), with one upload in it."""
    con = duckdb.connect(str(path))
    try:
        migrate(con, dt.datetime(2024, 1, 1, 9), upto=10)
        assert "undone_at" not in con.table("upload").columns
        uid = con.execute(sql_text("next_upload_id")).fetchall()[0][0]
        con.execute(
            "INSERT INTO upload VALUES (?, 'values', 'old.csv', ?, 'old analyst', TIMESTAMP '2024-01-01 10:00:00', "
            "1, 1, 0, 0, 'committed', '{}')",
            [uid, "a" * 64],
        )
        con.execute(
            "INSERT INTO observation VALUES (?, 2, ?, 'E08000025', '2023-24 Q1', DATE '2023-04-01', "
            "DATE '2023-06-30', '', '', 42, NULL, NULL, NULL, 'final', 'kept from the old store', false, NULL)",
            [uid, JOBS],
        )
    finally:
        con.close()


def test_an_older_store_is_refused_until_kpi_init_migrates_it(tmp_path, kpi):
    db = tmp_path / "old.duckdb"
    _old_store(db)
    code, out, err = kpi("show", JOBS, "--geography", "Birmingham", "--json", "--db", db)
    assert code == 2 and "older version" in err and "kpi init" in err and "Traceback" not in err

    code, out, err = kpi("init", "--db", db)
    assert code == 0, err
    assert f"{latest_version() - 10} step(s) applied" in out

    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute(sql_text("schema_version")).fetchall()[0][0] == latest_version()
        # Migrated, not rebuilt: the old upload and its value are still there, and nothing else was loaded.
        assert con.table("upload").project("id, file_name, user_name, undone_at").fetchall() == [
            (1, "old.csv", "old analyst", None)
        ]
        assert con.table("observation").project("value, note").fetchall() == [
            (42.0, "kept from the old store")
        ]
        assert con.table("action").count("*").fetchall()[0][0] == 47
        versions = [
            r[0]
            for r in con.table("schema_migration").order("version").project("version, applied_at").fetchall()
        ]
        assert versions == list(range(1, latest_version() + 1))
    finally:
        con.close()

    series = json.loads(kpi("show", JOBS, "--geography", "Birmingham", "--json", "--db", db)[1])["series"]
    assert [(p["period"], p["value"]) for p in series] == [("2023-24 Q1", 42.0)]
    code, _, err = kpi("undo", "1", "--db", db)  # the new columns work on old data
    assert code == 0, err


def test_current_is_defined_once():
    """Every read of current values goes through the current_observation / current_action_status macros
    (sql/schema), so the rule "the newest row from an upload that counts" cannot drift between files."""
    ranking = re.compile(r"row_number|outcome\s*=\s*'committed'", re.I)
    defined = [p.name for p in SCHEMA_DIR.glob("*.sql") if ranking.search(p.read_text(encoding="utf-8"))]
    assert defined == [] or set(defined) <= {
        "017_create_upload_counts.sql",
        "018_create_ranked_observation.sql",
        "019_create_current_action_status.sql",
    }
    repeated = [
        p.name
        for p in QUERY_DIR.glob("*.sql")
        if ranking.search(p.read_text(encoding="utf-8"))
        and p.stem not in ("mark_upload_undone", "upload_snapshot")
    ]
    assert repeated == []
    assert not list(QUERY_DIR.glob("*_as_of.sql")) or sorted(
        p.stem for p in QUERY_DIR.glob("*_as_of.sql")
    ) == ["uploads_as_of"]


def test_current_as_of_a_pack_matches_the_rule(empty_store):
    """The macro's as-of point: uploads after it do not count, uploads undone by then do not count, an
    upload undone later counts again, and naming an upload in undone_uploads leaves it out now."""
    with open_store(empty_store) as con:
        rows = [(1, "committed"), (2, "undone"), (3, "committed")]
        for upload_id, outcome in rows:
            query(
                con,
                "INSERT INTO upload (id, kind, file_name, sha256, user_name, uploaded_at, rows, inserted, revised,"
                " unchanged, outcome, report) VALUES ($id, 'values', 'f.csv', 'x', 'u', $now, 1, 1, 0, 0,"
                " $outcome, '{}')",
                {"id": upload_id, "now": NOW, "outcome": outcome},
            )
            query(
                con,
                "INSERT INTO observation (indicator_id, geography_code, breakdown_dimension, breakdown_value,"
                " period, period_start, period_end, value, status, illustrative, upload_id) VALUES ('jobs',"
                " 'E47000007', '', '', '2023-24 Q1', DATE '2023-04-01', DATE '2023-06-30', $value, 'final',"
                " false, $id)",
                {"value": upload_id * 10.0, "id": upload_id},
            )

        def value(as_of, undone):
            got = query(
                con,
                "SELECT value FROM ranked_observation(CAST($as_of AS INTEGER), CAST($undone AS INTEGER[]))",
                {"as_of": as_of, "undone": undone},
            )
            return got[0][0] if got else None

        assert value(None, []) == 30.0  # now: the newest committed upload
        assert value(None, [3]) == 10.0  # if 3 were undone: 2 is undone already, so 1
        assert value(2, []) == 20.0  # a pack built after 2: 2 counted then, though undone since
        assert value(2, [2]) == 10.0  # a pack built after 2 was undone
        assert value(0, []) is None  # before any upload


def test_the_current_flags_always_equal_the_rule(empty_store):
    """After any sequence of uploads, revisions, confirmations and undos, the rows flagged current are
    exactly the rows the rule (ranked_observation) picks: the fast reads never drift from the rule."""
    import random

    from metrics.upload import ingest_bytes
    from metrics.upload.undo import undo

    header = "indicator_id,period,geography,value\n"
    places = ["Birmingham", "Coventry", "Dudley"]
    periods = ["2023-24 Q1", "2023-24 Q2"]
    rng = random.Random(7)
    committed: list[int] = []
    for step in range(14):
        if committed and rng.random() < 0.3:
            undo(committed.pop(rng.randrange(len(committed))), db=empty_store, user="tester")
        else:
            rows = [
                f"{JOBS},{p},{g},{rng.choice([10, 20, 30])}"
                for p in periods
                for g in places
                if rng.random() < 0.7
            ] or [f"{JOBS},{periods[0]},{places[0]},5"]
            report = ingest_bytes((header + "\n".join(rows) + "\n").encode(), f"f{step}.csv", db=empty_store)
            assert report.status == "committed", report.as_json()
            committed.append(report.upload_id)
        with open_store(empty_store, read_only=True) as con:
            flagged = query(
                con,
                "SELECT upload_id, geography_code, period FROM observation WHERE is_current ORDER BY 1, 2, 3",
            )
            rule = query(
                con,
                "SELECT upload_id, geography_code, period FROM ranked_observation(CAST(NULL AS INTEGER), "
                "CAST([] AS INTEGER[])) ORDER BY 1, 2, 3",
            )
        assert flagged == rule, step
