"""Owners who write in a spreadsheet: `kpi due`, `kpi digest` and `kpi commentary export|import`.

Run through the `kpi` command's own entry point on a copy of the sample store (both engines), reading
what it prints and what the store then holds: an exported file imports back unchanged, a changed one
adds versions, and a bad one is refused line by line with nothing written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from metrics.cli import main
from metrics.cycle import commentary as notes
from metrics.cycle.rules import cycle_rules
from tests.unit.test_cycle import OWNER, SCF

pytestmark = pytest.mark.both_engines

TODAY = dt.date(2026, 11, 26)
QUARTER = cycle_rules().quarter(TODAY)
TEAM = "WMCA Inclusive Growth Unit, Performance and Insight team"


def kpi(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def rows_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def every_version(db) -> list[notes.Commentary]:
    return [c for (kind, sid), c in notes.latest(QUARTER, db=db).items()]


@pytest.fixture
def roles_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "roles.toml"
    path.write_text(
        '[analysts]\nemails = ["owner@wmca.example"]\ndomains = []\n[admins]\nemails = []\ndomains = []\n'
        f'[teams]\n"{TEAM}" = ["owner@wmca.example", "deputy@wmca.example"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KPI_ROLES", str(path))
    monkeypatch.setenv("KPI_TODAY", TODAY.isoformat())
    return path


def test_kpi_due_lists_each_item_with_its_kind_id_period_owner_and_state(sample_store, roles_file, capsys):
    code, out, _ = kpi(capsys, "due", "--json", "--db", str(sample_store))
    assert code == 0
    items = json.loads(out)
    assert isinstance(items, list) and len(items) == 74  # 27 indicators and 47 actions
    scf = next(i for i in items if i["id"] == SCF)
    assert {k: scf[k] for k in ("kind", "period", "owner", "state", "commentary", "verdict")} == {
        "kind": "indicator", "period": "2026-27 Q2", "owner": TEAM, "state": "late",
        "commentary": "not started", "verdict": "off_track",
    }  # fmt: skip
    # A member of the owning team is given the team's items; someone who owns nothing gets none.
    code, out, _ = kpi(capsys, "due", "--json", "--owner", "deputy@wmca.example", "--db", str(sample_store))
    assert len(json.loads(out)) == 74
    code, out, _ = kpi(capsys, "due", "--json", "--owner", "nobody@wmca.example", "--db", str(sample_store))
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = kpi(capsys, "due", "--db", str(sample_store))
    assert out.startswith("2026-27 Q2: updates were due by 11 November 2026. 74 of 74 items not done.")


def test_kpi_digest_keeps_one_message_per_person_who_owes_updates(sample_store, roles_file, capsys):
    code, out, _ = kpi(capsys, "digest", "--db", str(sample_store))
    assert (code, out.strip()) == (
        0,
        "Digest for 2026-27 Q2: 2 messages kept in the dashboard (no SMTP set up).",
    )
    code, out, _ = kpi(capsys, "alerts", "list", "--json", "--db", str(sample_store))
    kept = json.loads(out)["alerts"]
    assert sorted(a["recipients"][0] for a in kept) == ["deputy@wmca.example", "owner@wmca.example"]
    assert {a["subject"] for a in kept} == {"74 updates for 2026-27 Q2 late"}


def test_an_exported_file_imports_back_unchanged_hostile_text_and_line_breaks_included(
    sample_store, roles_file, tmp_path, capsys
):
    hostile = '=HYPERLINK("http://evil.example","click"), a comma and "quotes"'
    notes.write(OWNER, "indicator", SCF, QUARTER, happened=hostile, why="Two lines:\nfirst\nsecond",
                next_steps="-5 schemes to review", submit=False, verdict=None, may_write=True, db=sample_store)  # fmt: skip
    out_file = tmp_path / "commentary.csv"
    code, out, _ = kpi(capsys, "commentary", "export", "--out", str(out_file), "--db", str(sample_store))
    assert code == 0 and "74 indicators and actions" in out
    rows = rows_of(out_file)
    scf = next(r for r in rows if r["id"] == SCF)
    # A spreadsheet shows the text, never runs it: formula-like starts get an apostrophe.
    assert scf["what_happened"] == "'" + hostile and scf["what_happens_next"] == "'-5 schemes to review"
    assert (scf["state"], scf["why"]) == ("draft", "Two lines:\nfirst\nsecond")
    before = every_version(sample_store)
    code, out, _ = kpi(capsys, "commentary", "import", str(out_file), "--json", "--db", str(sample_store))
    report = json.loads(out)
    assert (code, report["status"], report["added"], report["unchanged"], report["errors"]) == (
        0,
        "committed",
        0,
        74,
        [],
    )
    assert every_version(sample_store) == before
    assert len(notes.versions("indicator", SCF, QUARTER, db=sample_store)) == 1


def test_a_changed_file_adds_a_version_per_changed_row_and_submits_only_what_it_says(
    sample_store, roles_file, tmp_path, capsys
):
    out_file = tmp_path / "commentary.csv"
    kpi(
        capsys,
        "commentary",
        "export",
        "--out",
        str(out_file),
        "--owner",
        "owner@wmca.example",
        "--db",
        str(sample_store),
    )
    rows = rows_of(out_file)
    for r in rows:
        if r["id"] == SCF:
            r.update(
                what_happened="Three schemes fell short.",
                why="Viability.",
                what_happens_next="Panel.",
                state="submitted",
            )
        if r["id"] == "AH1":
            r.update(what_happened="Sites agreed.")
        if r["id"] == "AH3":
            r.update(owner="housing.lead@wmca.example")  # not how owners change: warned, not done
    write_rows(out_file, rows)
    code, out, _ = kpi(
        capsys,
        "commentary",
        "import",
        str(out_file),
        "--user",
        "owner@wmca.example",
        "--db",
        str(sample_store),
    )
    assert code == 0
    assert out.splitlines() == [
        "Imported commentary.csv: 2 new versions, 72 unchanged.",
        "Warning (line 7, column owner): The owner column is for reading: the owner was not changed. An admin changes "
        "owners on the My updates page.",
    ]
    [scf] = notes.versions("indicator", SCF, QUARTER, db=sample_store)
    [ah1] = notes.versions("action", "AH1", QUARTER, db=sample_store)
    assert (scf.state, scf.author, scf.next_steps) == ("submitted", "owner@wmca.example", "Panel.")
    assert (ah1.state, ah1.happened) == ("draft", "Sites agreed.")
    # The same file again changes nothing.
    code, out, _ = kpi(capsys, "commentary", "import", str(out_file), "--json", "--db", str(sample_store))
    assert (json.loads(out)["added"], json.loads(out)["unchanged"]) == (0, 74)


def test_a_bad_file_is_refused_line_by_line_and_nothing_is_written(
    sample_store, roles_file, tmp_path, capsys
):
    out_file = tmp_path / "commentary.csv"
    kpi(capsys, "commentary", "export", "--out", str(out_file), "--db", str(sample_store))
    rows = rows_of(out_file)[:6]
    rows[0].update(
        what_happened="Fell short.", why="Viability.", state="submitted"
    )  # off track: needs all three
    rows[1].update(kind="theme")
    rows[2].update(id="no_such_indicator")
    rows[3].update(period="2027-28 Q1", what_happened="x" * 1001)
    rows[4].update(what_happened="Edited.", state="approved")
    rows[5] = dict(rows[4], what_happened="Good.", state="draft")  # the same action again
    rows.append(dict(rows[0], id="AH4", kind="action", what_happened="Multi\nline", state="draft"))
    rows.append(dict(rows[0], id="AH5", kind="action", state="finished"))
    write_rows(out_file, rows)
    before = every_version(sample_store)
    code, out, _ = kpi(capsys, "commentary", "import", str(out_file), "--json", "--db", str(sample_store))
    report = json.loads(out)
    assert (code, report["status"]) == (1, "rejected")
    found = [(e["line"], e["column"], e["message"]) for e in report["errors"]]
    assert found == [
        (3, "kind", "Kind must be 'indicator' or 'action', as in the exported file."),
        (4, "id", "There is no indicator with the id 'no_such_indicator'. Use the ids in the file `kpi commentary export` writes."),
        (5, "period", "'2027-28 Q1' starts after today (26 November 2026). Enter a period that has started."),
        (5, "what_happened", "'What happened' is 1,001 characters. It must be 1,000 or fewer: shorten it."),
        (7, None, f"This line repeats the action {rows[4]['id']} for 2026-27 Q2, already on line 6. Keep one of the two lines."),
        # Line 8's text spans two lines of the file, so the next record starts on line 10.
        (10, "state", "State must be draft or submitted (or left as the file had it: approved, returned or not started)."),
    ]  # fmt: skip
    assert every_version(sample_store) == before == []
    # With those mended, the rules that need the store are checked, still line by line.
    del rows[1:4], rows[2], rows[-1]
    write_rows(out_file, rows)
    code, out, _ = kpi(capsys, "commentary", "import", str(out_file), "--json", "--db", str(sample_store))
    assert [(e["line"], e["message"]) for e in json.loads(out)["errors"]] == [
        (2, "Write what happens next before submitting: the verdict is off track, so the board needs all three."),
        (3, "Commentary is approved or returned by an approver on the My updates page, not in a file, and this "
            "row's text has changed, so it needs approving again. Write draft or submitted in the state column."),
    ]  # fmt: skip
    assert code == 1 and every_version(sample_store) == []


def test_a_file_that_is_not_the_commentary_file_is_refused_at_its_first_line(
    sample_store, roles_file, tmp_path, capsys
):
    bad = tmp_path / "upload.csv"
    bad.write_text("indicator_id,period,geography,value\njobs,2026-27 Q2,Walsall,1\n", encoding="utf-8")
    code, out, _ = kpi(capsys, "commentary", "import", str(bad), "--json", "--db", str(sample_store))
    errors = json.loads(out)["errors"]
    assert code == 1 and errors[0]["line"] == 1
    assert errors[0]["message"].startswith("The file must have the columns kind, id, what_happened, why")
    code, _, err = kpi(
        capsys, "commentary", "import", str(tmp_path / "missing.csv"), "--db", str(sample_store)
    )
    assert code == 2 and "cannot read" in err and "Check the file name." in err


def test_the_file_saved_as_an_excel_workbook_reads_the_same(sample_store, roles_file, tmp_path, capsys):
    import openpyxl

    out_file = tmp_path / "commentary.csv"
    kpi(capsys, "commentary", "export", "--out", str(out_file), "--db", str(sample_store))
    rows = rows_of(out_file)
    rows[3].update(what_happened="Sites agreed with two councils.")  # action AH1
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for r in rows:
        sheet.append(list(r.values()))
    book.save(tmp_path / "commentary.xlsx")
    code, out, _ = kpi(
        capsys, "commentary", "import", str(tmp_path / "commentary.xlsx"), "--json", "--db", str(sample_store)
    )
    report = json.loads(out)
    assert (code, report["added"], report["unchanged"], report["errors"]) == (0, 1, 73, [])
    [ah1] = notes.versions("action", "AH1", QUARTER, db=sample_store)
    assert (ah1.state, ah1.happened) == ("draft", "Sites agreed with two councils.")
