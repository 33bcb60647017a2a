"""docs/deploy.md, run as written: the two roles and their grants (the app's role can upload and undo
but cannot drop, alter or delete), and a backup with pg_dump restored with pg_restore."""

from __future__ import annotations

import re
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest

from metrics.setup import init_store
from metrics.upload import ingest_bytes
from metrics.upload.undo import undo
from tests.conftest import dump_postgres
from tests.pgserver import bin_dir

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
JOBS = "jobs_created_wmca_investment"


def _block(tag: str) -> str:
    """The fenced SQL block of docs/deploy.md that starts with the comment `-- deploy: TAG`."""
    match = re.search(rf"```sql\n-- deploy: {tag}\n(.*?)```", DEPLOY.read_text(encoding="utf-8"), re.S)
    assert match, f"docs/deploy.md has no sql block tagged '-- deploy: {tag}'"
    return match.group(1)


@pytest.fixture
def deployment(postgres):
    """The database and roles of docs/deploy.md on the test server, under names of this test's own."""
    suffix = uuid.uuid4().hex[:8]
    names = {"kpi_owner": f"kpi_owner_{suffix}", "kpi_app": f"kpi_app_{suffix}", "kpi": f"kpi_{suffix}"}

    def rename(text: str) -> str:
        return re.sub(r"\b(kpi_owner|kpi_app|kpi)\b", lambda m: names[m.group(1)], text)

    with psycopg.connect(postgres.url("postgres"), autocommit=True) as admin:
        for statement in rename(_block("roles")).split(";"):
            if statement.strip():
                admin.execute(statement)
    with psycopg.connect(postgres.url(names["kpi"]), autocommit=True) as admin:
        admin.execute(rename(_block("grants")))
    host = postgres.base.split("@", 1)[1]
    urls = {
        role: f"postgresql://{names[role]}:change-me@{host}/{names['kpi']}"
        for role in ("kpi_owner", "kpi_app")
    }
    yield urls
    postgres.drop(names["kpi"])
    with psycopg.connect(postgres.url("postgres"), autocommit=True) as admin:
        for role in ("kpi_app", "kpi_owner"):
            admin.execute(
                psycopg.sql.SQL("DROP ROLE IF EXISTS {}").format(psycopg.sql.Identifier(names[role]))
            )


def test_the_apps_role_can_upload_and_undo_but_cannot_drop_alter_or_delete(deployment):
    init_store(deployment["kpi_owner"], sample=False)  # kpi init, as the owner
    app = deployment["kpi_app"]
    report = ingest_bytes(
        f"indicator_id,period,geography,value\n{JOBS},2026-27 Q3,Walsall,31\n".encode(), "w.csv", db=app
    )
    assert report.status == "committed", report.as_json()
    assert undo(report.upload_id, db=app, user="analyst")["status"] == "undone"
    with psycopg.connect(app, autocommit=True) as con:
        for statement in (
            "DROP TABLE observation",
            "DROP TABLE upload CASCADE",
            "ALTER TABLE upload DROP COLUMN report",
            "DELETE FROM observation",
            "TRUNCATE audit_event",
            "DROP FUNCTION current_observation(integer, integer[])",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(statement)
        assert con.execute("SELECT count(*) FROM observation").fetchone()[0] == 1  # still there


def test_a_backup_made_with_pg_dump_restores_to_the_same_store(postgres, postgres_templates, tmp_path, kpi):
    source = postgres.create(template=postgres_templates["sample"])
    ingest_bytes(
        f"indicator_id,period,geography,value\n{JOBS},2026-27 Q3,Walsall,31\n".encode(), "w.csv", db=source
    )
    backup = tmp_path / "kpi.dump"
    binaries = bin_dir()
    subprocess.run(
        [str(binaries / "pg_dump"), "--format=custom", "--file", str(backup), source], check=True, timeout=120
    )
    restored = postgres.create()
    subprocess.run(
        [str(binaries / "pg_restore"), "--no-owner", "--exit-on-error", "--dbname", restored, str(backup)],
        check=True,
        timeout=120,
    )
    assert dump_postgres(restored) == dump_postgres(source)
    shown = [
        kpi("show", JOBS, "--geography", "Walsall", "--json", "--db", db)[1] for db in (source, restored)
    ]
    assert shown[0] == shown[1] and '"2026-27 Q3"' in shown[0]
    report = ingest_bytes(
        f"indicator_id,period,geography,value\n{JOBS},2026-27 Q3,Dudley,7\n".encode(), "d.csv", db=restored
    )
    assert report.status == "committed"  # the restored store takes new uploads (its sequence came back too)
