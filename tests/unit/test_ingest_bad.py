"""Every class of bad file in upload-format.md, fed to the real `kpi ingest FILE --json --db`.

For each: exit 1, status rejected, every error where the analyst needs it (line, column, the value as
written) with a message that says what to change in plain words, and the store exactly as it was except
for the upload log's one `rejected` entry (all or nothing).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

BAD = Path(__file__).resolve().parents[1] / "fixtures" / "bad"
BANNED = re.compile(r"\b(invalid|please|sorry|oops)\b", re.IGNORECASE)

# file -> every error expected: (line, column, value as written, words the message must contain).
# line None / column None: a problem with the whole file / with no single column.
CASES: dict[str, list[tuple[int | None, str | None, str | None, tuple[str, ...]]]] = {
    "unknown_column.csv": [(1, "comments", "comments", ("'comments' is not a column", "template"))],
    "missing_required_column.csv": [(1, "period", None, ("'period' is missing", "Add it"))],
    "semicolon_separated.csv": [(1, None, None, ("semicolons", "comma-separated"))],
    "tab_separated.csv": [(1, None, None, ("tabs", "comma-separated"))],
    "unknown_indicator.csv": [
        (
            3,
            "indicator_id",
            "apprenticeship_start",
            ("not in the indicator catalogue", "apprenticeship_starts"),
        )
    ],
    "unknown_geography.csv": [(2, "geography", "Brum", ("not one of the eight places", "ONS code"))],
    "unparseable_period.csv": [
        (2, "period", "Q3 2023", ("Write the period as 2023-24 Q2", "financial quarter"))
    ],
    "period_wrong_form.csv": [(2, "period", "2023", ("Write the period as", "academic year", "2023-24"))],
    "future_period.csv": [(2, "period", "2027-28 Q1", ("after today", "financial quarter", "2023-24 Q1"))],
    "value_text.csv": [
        (2, "value", "n/a", ("not a number", "Enter a number", "c (confidential)")),
        (3, "value", "-", ("not a number", "Enter a number")),
        (4, "value", "TBC", ("not a number", "Enter a number")),
    ],
    "value_missing.csv": [(2, "value", "", ("Enter a value", "x (not available)"))],
    "negative_count.csv": [(2, "value", "-3", ("whole number of 0 or more", "count"))],
    "fractional_count.csv": [(2, "value", "12.5", ("whole number of 0 or more", "count"))],
    "percent_over_100.csv": [(2, "value", "120", ("between 0 and 100", "percent"))],
    "score_out_of_range.csv": [(3, "value", "72", ("from 0 to 10", "score out of 10"))],
    "fraction_for_percent.csv": [(2, "value", "0.24", ("as percent (24.0)", "not as a fraction"))],
    "numerator_without_denominator.csv": [
        (2, "denominator", "", ("both the numerator and the denominator",))
    ],
    "numerator_above_denominator.csv": [(2, "numerator", "600", ("more than the denominator", "swapped"))],
    "denominator_zero.csv": [(2, "denominator", "0", ("denominator above zero",))],
    "value_disagrees_with_share.csv": [(2, "value", "30", ("does not agree", "(24.0)", "Correct one"))],
    "numerator_on_non_share.csv": [(2, "numerator", "31", ("not a share", "value column"))],
    "undeclared_breakdown.csv": [(2, "breakdown_dimension", "sex", ("does not take the breakdown 'sex'",))],
    "dimension_without_value.csv": [(2, "breakdown_value", "", ("Enter the group", "'sex'"))],
    "value_without_dimension.csv": [(2, "breakdown_dimension", "", ("Enter the breakdown that 'Female'",))],
    "duplicate_key.csv": [(4, None, None, ("repeats line 2", "Keep one"))],
    "bad_status.csv": [(2, "status", "done", ("provisional or final",))],
    "note_too_long.csv": [(2, "note", ("Long note. " * 8)[:80] + "…", ("500 characters or fewer",))],
    "wrong_field_count.csv": [(2, None, None, ("11 values", "header has 10 columns", "double quotes"))],
    "unnamed_column_with_values.csv": [(1, None, None, ("Column 5 has values but no header",))],
    "duplicate_column.csv": [(1, "value", "Value", ("appears twice", "Keep one"))],
    "action_status_bad.csv": [
        (2, "action_id", "AH9", ("not an action in the plan", "action status template")),
        (3, "period", "2023", ("financial quarter", "2023-24 Q1")),
        (4, "status", "fine", ("not_started, on_track, at_risk, off_track, complete",)),
        (5, "note", "x" * 80 + "…", ("1000 characters or fewer",)),  # long values are cut short
        (7, None, None, ("repeats line 6", "Keep one")),
    ],
    "empty.csv": [(None, None, None, ("empty", "Choose a CSV file"))],
    "header_only.csv": [(None, None, None, ("header but no rows", "Add a row"))],
    "binary.bin": [(3, None, None, ("must be a CSV file", "NUL byte"))],
    # Hostile or careless files (the hostile-files issue): each refused whole, with its line.
    "unclosed_quote.csv": [
        (2, None, None, ("double quote that opens on line 2 is not closed", "lines 2 to 4"))
    ],
    "nul_after_64k.csv": [(185, None, None, ("Line 185 holds a NUL byte", "CSV UTF-8"))],
    "overflow_number.csv": [(2, "value", "9" * 80 + "…", ("far too large", "below 1,000,000,000,000,000"))],
    "superscript_digit.csv": [(3, "value", "3²", ("digits 0 to 9 only", "superscript"))],
    "foreign_digits.csv": [
        (2, "value", "１２", ("digits 0 to 9 only",)),
        (3, "period", "２０２３-24 Q2", ("digits 0 to 9 only",)),
        (4, "value", "٣٤", ("digits 0 to 9 only",)),
    ],
    "utf16.csv": [(None, None, None, ("saved as UTF-16", "CSV UTF-8"))],
    "password_protected.xlsx": [(None, None, None, ("protected with a password", "Remove the password"))],
    "long_breakdown.csv": [(2, "breakdown_value", "F" * 80 + "…", ("200 characters or fewer", "300"))],
    "unknown_group.csv": [(2, "breakdown_value", "Femal", ("not a group of sex", "Female, Male"))],
    # Comparators (issue 16): England is a place an upload may name; a place that is neither one of the
    # eight nor a declared comparator is refused, and with it the whole file.
    "unknown_comparator.csv": [
        (3, "geography", "Atlantis", ("not one of the eight places or a declared comparator", "England"))
    ],
    # Confidence intervals (the contract's lower, upper and confidence; metrics/upload/bounds.py).
    "interval_on_exact_indicator.csv": [
        (3, "lower", "2.9", ("Leave lower, upper and confidence empty", "neet_16_17"))
    ],
    "interval_half.csv": [(2, "upper", "", ("Enter both lower and upper", "or neither"))],
    "interval_without_confidence.csv": [(2, "confidence", "", ("confidence level", "for example 95"))],
    "interval_confidence_alone.csv": [
        (2, "confidence", "95", ("Leave confidence empty", "lower and upper too"))
    ],
    "interval_confidence_out_of_range.csv": [(2, "confidence", "100", ("above 0 and below 100", "95"))],
    "interval_swapped.csv": [(2, "lower", "74.2", ("above the upper bound (70.0)", "not swapped"))],
    "interval_not_holding_value.csv": [
        (2, "lower", "72.5", ("above the value (72.1)", "lower, then value, then upper")),
        (3, "upper", "71.9", ("below the value (72.1)", "lower, then value, then upper")),
    ],
    "interval_outside_unit.csv": [(2, "upper", "101.0", ("between 0 and 100", "percentage"))],
    "interval_on_missing_value.csv": [
        (2, "lower", "70.0", ("Leave lower, upper and confidence empty", "missing"))
    ],
    "interval_not_a_number.csv": [(2, "lower", "about 70", ("not a number", "lower bound", "like 72.5"))],
}


def test_every_fixture_file_has_a_case():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CASES)


def _report(kpi, file: Path, db: Path, *extra: str) -> tuple[int, dict, str]:
    code, out, err = kpi("ingest", file, "--json", "--db", db, *extra)
    assert "Traceback" not in err, err
    return code, json.loads(out), err


def _assert_only_rejected_entry_added(before: dict, after: dict, upload_id: int) -> dict:
    assert after.keys() == before.keys()
    for table in before:
        if table != "upload":
            assert after[table] == before[table], f"{table} changed"
    added = [row for row in after["upload"] if row not in before["upload"]]
    assert all(row in after["upload"] for row in before["upload"]), "an upload entry changed"
    assert len(added) == 1, added
    assert added[0][0] == upload_id
    return added[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_rejected_whole_with_every_error_located(
    name, sample_store, sample_dump, kpi, dump_store
):
    before = sample_dump
    code, report, _ = _report(kpi, BAD / name, sample_store)

    assert code == 1
    assert report["status"] == "rejected"
    assert (report["inserted"], report["revised"], report["unchanged"]) == (0, 0, 0)
    assert isinstance(report["upload_id"], int)
    expected = CASES[name]
    assert len(report["errors"]) == len(expected), report["errors"]
    for error, (line, column, value, words) in zip(report["errors"], expected, strict=True):
        assert (error["line"], error["column"]) == (line, column), error
        assert error["value"] == value, error
        for word in words:
            assert word in error["message"], (word, error["message"])
    for problem in report["errors"] + report["warnings"]:
        assert not BANNED.search(problem["message"]), problem["message"]
        assert problem["message"].endswith((".", "?")), problem["message"]

    after = dump_store(sample_store)
    entry = _assert_only_rejected_entry_added(before, after, report["upload_id"])
    columns = [
        "id",
        "kind",
        "file_name",
        "sha256",
        "user_name",
        "uploaded_at",
        "rows",
        "inserted",
        "revised",
        "unchanged",
        "outcome",
        "report",
        "undone_at",
        "undone_by",
        "user_key",
        "embargoed_until",
        "illustrative",
    ]
    row = dict(zip(columns, entry, strict=True))
    assert row["embargoed_until"] is None and row["illustrative"] is False
    assert row["outcome"] == "rejected"
    assert row["file_name"] == name
    assert row["rows"] == report["rows"]
    assert json.loads(row["report"]) == report


def test_dry_run_of_a_bad_file_is_rejected_and_records_nothing(sample_store, kpi, dump_store):
    before = dump_store(sample_store)
    code, report, _ = _report(kpi, BAD / "value_text.csv", sample_store, "--dry-run")
    assert code == 1
    assert report["status"] == "rejected"
    assert report["upload_id"] is None
    assert [e["line"] for e in report["errors"]] == [2, 3, 4]
    assert dump_store(sample_store) == before


def test_file_over_the_size_limit_is_rejected_before_it_is_read(sample_store, kpi, dump_store, write_csv):
    # Over the limit and full of errors: only the size is reported, so the rows were never parsed.
    header = "indicator_id,period,geography,value\n"
    body = "".join(f"no_such_indicator,someday,Nowhere,n/a {i}\n" for i in range(100))
    big = write_csv(header + body, "big.csv")
    assert big.stat().st_size > 2048
    before = dump_store(sample_store)

    code, out, err = kpi("ingest", big, "--json", "--db", sample_store, env={"KPI_MAX_UPLOAD_MB": "0.002"})

    assert code == 1, err
    report = json.loads(out)
    assert report["status"] == "rejected"
    assert report["rows"] == 0
    assert len(report["errors"]) == 1
    error = report["errors"][0]
    assert (error["line"], error["column"], error["value"]) == (None, None, None)
    assert "must be smaller than 0.002 MB" in error["message"]
    assert "Split it" in error["message"]
    _assert_only_rejected_entry_added(before, dump_store(sample_store), report["upload_id"])


def test_the_same_file_under_the_limit_is_checked_row_by_row(sample_store, kpi, write_csv):
    header = "indicator_id,period,geography,value\n"
    f = write_csv(header + "no_such_indicator,2023-24 Q1,Birmingham,1\n", "small.csv")
    code, out, _ = kpi("ingest", f, "--json", "--db", sample_store, env={"KPI_MAX_UPLOAD_MB": "0.002"})
    assert code == 1
    assert [(e["line"], e["column"]) for e in json.loads(out)["errors"]] == [(2, "indicator_id")]


@pytest.mark.parametrize("fixture", ["value_text.csv", "header_only.csv"])
def test_store_path_under_a_regular_file_cannot_be_used(fixture, tmp_path, kpi):
    # Tests run as root, so a read-only folder would still be writable: a path through a file is not.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file\n")
    db = blocker / "kpi.duckdb"

    code, out, err = kpi("ingest", BAD / fixture, "--json", "--db", db)

    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert str(db) in err and "kpi init" in err
    assert not BANNED.search(err)
    assert blocker.read_text() == "a regular file\n"


def test_init_at_a_path_under_a_regular_file_exits_2_with_a_plain_message(tmp_path, kpi):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    code, _, err = kpi("init", "--no-sample", "--db", blocker / "sub" / "kpi.duckdb")
    assert code == 2
    assert "Traceback" not in err
    assert "is a file, not a folder" in err
    assert "--db" in err


def test_ingest_into_a_missing_store_says_to_run_init_and_creates_nothing(tmp_path, kpi, write_csv):
    f = write_csv(
        "indicator_id,period,geography,value\njobs_created_wmca_investment,2023-24 Q1,Birmingham,1\n"
    )
    db = tmp_path / "nowhere" / "kpi.duckdb"
    code, _, err = kpi("ingest", f, "--json", "--db", db)
    assert code == 2
    assert "There is no store" in err and "kpi init" in err
    assert not db.exists() and not db.parent.exists()


def test_a_file_that_is_not_a_store_exits_2(tmp_path, kpi, write_csv):
    f = write_csv(
        "indicator_id,period,geography,value\njobs_created_wmca_investment,2023-24 Q1,Birmingham,1\n"
    )
    db = tmp_path / "notes.duckdb"
    db.write_text("not a database\n")
    code, _, err = kpi("ingest", f, "--json", "--db", db)
    assert code == 2
    assert "cannot be opened" in err and "Traceback" not in err
    assert db.read_text() == "not a database\n"


def test_no_such_upload_file_exits_2(sample_store, kpi, dump_store, tmp_path):
    before = dump_store(sample_store)
    code, out, err = kpi("ingest", tmp_path / "missing.csv", "--json", "--db", sample_store)
    assert code == 2
    assert "cannot read" in err and "missing.csv" in err
    assert dump_store(sample_store) == before
