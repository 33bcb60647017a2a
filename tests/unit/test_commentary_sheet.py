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
    assert code == 0 and "Wrote 74 rows of commentary (indicators and actions)" in out
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
    # One report gives every problem, those that need the store's commentary and verdicts included.
    assert found == [
        (2, None, "Write what happens next before submitting: the verdict is off track, so the board needs all three."),
        (3, "kind", "Kind must be 'indicator' or 'action', as in the exported file."),
        (4, "id", "There is no indicator with the id 'no_such_indicator'. Use the ids in the file `kpi commentary export` writes."),
        (5, "period", "Commentary is written for the quarter being reported, 2026-27 Q2. Write 2026-27 Q2 in the period "
                      "column, or export the file again to start from this quarter's commentary."),
        (5, "what_happened", "'What happened' is 1,001 characters. It must be 1,000 or fewer: shorten it."),
        (6, "state", "Commentary is approved or returned by an approver on the My updates page, not in a file, and this "
                     "row's text has changed, so it needs approving again. Write draft or submitted in the state column."),
        (7, None, f"This line repeats the action {rows[4]['id']} for 2026-27 Q2, already on line 6. Keep one of the two lines."),
        # Line 8's text spans two lines of the file, so the next record starts on line 10.
        (10, "state", "State must be draft or submitted (or left as the file had it: approved, returned or not started)."),
    ]  # fmt: skip
    assert every_version(sample_store) == before == []


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


def test_what_a_spreadsheet_does_to_a_file_is_caught_or_kept(sample_store, roles_file, tmp_path, capsys):
    """An unclosed quote, text typed one column too far, a header after a blank line, and text that starts
    with an apostrophe: refused where it would lose words, kept exactly where it is the owner's text."""
    header = "kind,id,period,state,what_happened,why,what_happens_next\n"
    cases = {
        "unclosed.csv": (header + 'action,AH2,2026-27 Q2,draft,Sites found,Funding,"Panel in December\n'
                         "action,AH3,2026-27 Q2,draft,Edited AH3,,\n",
                         (2, None, "The double quote that opens on line 2 is not closed, so lines 2 to 3 were read as one "
                                   "value. Add the closing double quote, or remove the opening one.")),
        "stray.csv": (header.replace("\n", ",\n") + "action,AH2,2026-27 Q2,draft,Sites found,Funding,,Panel\n",
                      (2, None, "Column 8 has no name on the first line, but this line has text in it. Move the text "
                                "into what_happened, why or what_happens_next, or delete it.")),
        "late header.csv": ("\n" + header.replace("what_happened", "what happened?"),
                            (2, None, None)),  # every problem with the header is on its line, 2
    }  # fmt: skip
    for name, (text, (line, column, message)) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        code, out, _ = kpi(
            capsys, "commentary", "import", str(tmp_path / name), "--json", "--db", str(sample_store)
        )
        [first, *_] = json.loads(out)["errors"]
        assert (code, first["line"], first["column"]) == (1, line, column), name
        assert message is None or first["message"] == message, name
    assert every_version(sample_store) == []

    # Text that starts with an apostrophe, or with one before a formula, goes out and back unchanged.
    for i, words in enumerate(("'Quoted from the panel'", "'=not a formula", "=SUM(A1)", "@risk")):
        notes.write(OWNER, "action", f"AH{i + 1}", QUARTER, happened=words, why="", next_steps="", submit=False,
                    verdict=None, may_write=True, db=sample_store)  # fmt: skip
    out_file = tmp_path / "commentary.csv"
    kpi(capsys, "commentary", "export", "--out", str(out_file), "--db", str(sample_store))
    code, out, _ = kpi(capsys, "commentary", "import", str(out_file), "--json", "--db", str(sample_store))
    assert (code, json.loads(out)["added"], json.loads(out)["unchanged"]) == (0, 0, 74)


def test_a_submitted_commentary_marked_draft_in_the_file_stays_submitted_and_says_so(
    sample_store, roles_file, tmp_path, capsys
):
    notes.write(OWNER, "action", "AH1", QUARTER, happened="Sites agreed.", why="", next_steps="", submit=True,
                verdict=None, may_write=True, db=sample_store)  # fmt: skip
    out_file = tmp_path / "commentary.csv"
    kpi(capsys, "commentary", "export", "--out", str(out_file), "--db", str(sample_store))
    rows = rows_of(out_file)
    next(r for r in rows if r["id"] == "AH1")["state"] = "draft"
    write_rows(out_file, rows)
    code, out, _ = kpi(capsys, "commentary", "import", str(out_file), "--json", "--db", str(sample_store))
    report = json.loads(out)
    assert (code, report["added"]) == (0, 0)
    assert [w["message"] for w in report["warnings"]] == [
        "This commentary is submitted, so it stays submitted: it goes back to draft only when an approver returns "
        "it. To change it, edit its text and it is saved as a new draft."
    ]
    assert [c.state for c in notes.versions("action", "AH1", QUARTER, db=sample_store)] == ["submitted"]
