"""The checks inside DuckDB give the report the Python row checks give, line for line.

metrics/upload/setcheck.py checks a file of values as set operations and words only the rows that
fail; metrics/upload/values.py is the row-by-row reading of the contract. An analyst must get the
same answer whichever path a file takes, so files built from awkward cells (every kind of bad value,
place, period, group and note, blank and short lines, quotes, CRLF, repeats) go through both and
the reports and the staged rows are compared whole.
"""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from metrics.catalogue import default_catalogue
from metrics.upload import check as checking
from metrics.upload import setcheck
from metrics.upload.check import check
from metrics.upload.values import VALUE_COLUMNS

TODAY = dt.date(2026, 11, 26)
HEADER = list(VALUE_COLUMNS)  # the template's columns, in the contract's order
CELLS = {
    "indicator_id": [
        "jobs_created_wmca_investment",
        "affordable_housing_share_scf",
        "employment_rate_16_64",
        "life_satisfaction",
        "apprenticeship_starts",
        "fe_participation_19plus_rate",
        "youth_hub_young_people_supported",
        " jobs_created_wmca_investment ",
        "Jobs_Created_WMCA_Investment",
        "no_such_indicator",
        "",
    ],
    "period": [
        "2023-24 Q1",
        "2023/24 Q2",
        "2023-Q2",
        "2023",
        "2023-24",
        "Q3 2023",
        "2031-32 Q1",
        "",
        " 2022 ",
    ],
    "geography": [
        "Birmingham",
        "E08000026",
        "birmingham city council",
        " Coventry ",
        "Nowhere",
        "",
        "E92000001",  # England: a declared comparator
        "west midlands region",
        "Manchester",  # a statistical neighbour
        "E99999999",
    ],
    "value": [
        "12",
        "12.5",
        "24",
        "-3",
        "0",
        "-0",
        "00012",
        "101",
        "7.5",
        "0.24",
        "1e5",
        "n/a",
        "c",
        "[X]",
        "..",
        "",
        '"6,000"',
        "23.5%",
        "1" * 20,
        "１２",
    ],
    "numerator": ["", "", "", "120", "12", "0", "-1", "12.5", "abc", "600"],
    "denominator": ["", "", "", "500", "50", "0", "600", "12", "x"],
    "breakdown_dimension": ["", "", "", "sex", "Sex", "age band", "project", "colour", " "],
    "breakdown_value": ["", "", "Female", "female", "FEMALE", "Scheme A", '"Scheme, B"', "16-18", "x" * 201],
    "status": ["", "", "final", "FINAL", "provisional", "fine"],
    "note": ["", "", "ok", "a" * 501, '"with, comma"', "café", '"say ""hi"""', "tab\there"],
    # A confidence interval: mostly empty, else bounds around the values above, swapped, outside the unit,
    # not numbers, with a separator or a %; levels inside and at the edges of 0 to 100.
    "lower": ["", "", "", "", "10", "12", "12.5", "7.5", "0", "-1", "101", "abc", "24%", '"1,000"', "１"],
    "upper": ["", "", "", "", "13", "24", "12.5", "30", "100", "101", "x", "7", "24.0%"],
    "confidence": ["", "", "", "", "95", "90", "0", "100", "95%", "99.9", "abc", "-5"],
}
ODD_LINES = [
    "",
    ",,,,,,,,,",
    ",,,,,,,,,,,,",
    "   ",
    "jobs_created_wmca_investment,2023-24 Q1,Birmingham,1,200,,,,,,",
    "employment_rate_16_64,2023,Coventry,72.1,,,,,,,70,74.2,95",
    "a,b",
]
# The estimates (the only indicators that take an interval) are picked more often than the rest.
CELLS["indicator_id"] += ["employment_rate_16_64", "life_satisfaction", "employment_rate_16_64"]


def random_lines(rng: random.Random, columns: list[str], cells: int | None = None) -> list[str]:
    """Up to 40 lines of awkward cells (the first `cells` choices of each column only, if given),
    with an odd line now and then."""
    lines = []
    for _ in range(rng.randint(1, 40)):
        if cells is None and rng.random() < 0.1:
            lines.append(rng.choice(ODD_LINES))
        else:
            lines.append(",".join(rng.choice(CELLS[name][:cells]) for name in columns))
    return lines


def both_paths(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple, tuple, bool]:
    """The file checked through DuckDB and through the Python path: each (report, staged rows), and
    whether the DuckDB path took the file."""
    catalogue = default_catalogue()
    took = []
    real = setcheck.check_values

    def spy(*a, **k):
        done = real(*a, **k)
        took.append(done[0])
        return done

    monkeypatch.setattr(setcheck, "check_values", spy)
    fast = check(data, "f.csv", catalogue=catalogue, today=TODAY)
    monkeypatch.setattr(checking.setcheck, "one_record_per_line", lambda _data: None)
    slow = check(data, "f.csv", catalogue=catalogue, today=TODAY)
    monkeypatch.undo()
    return _comparable(*fast), _comparable(*slow), bool(took and took[0])


def _comparable(report, staged) -> tuple:
    rows = None
    if staged is not None:
        frame = staged.astype(object).where(pd.notna(staged), None)
        rows = sorted(tuple(r) for r in frame.itertuples(index=False))
    return report.as_json() | {"kind": report.kind}, rows


@pytest.mark.parametrize("seed", range(150))
def test_duckdb_and_python_checks_give_the_same_report(monkeypatch, seed):
    rng = random.Random(seed)
    end = rng.choice(["\n", "\r\n"])
    bom = rng.choice(["", "", "\ufeff"])
    text = bom + end.join([",".join(HEADER), *random_lines(rng, HEADER)]) + rng.choice([end, ""])
    fast, slow, _took = both_paths(text.encode("utf-8"), monkeypatch)
    assert fast == slow


def clean_lines(rng: random.Random) -> list[str]:
    """Rows that pass every check, each in a quarter of its own (so no key repeats), written in the
    many ways the contract accepts, with blank and empty lines between them now and then."""
    lines = []
    for i in range(rng.randint(1, 40)):
        if rng.random() < 0.15:
            lines.append(rng.choice(["", ",,,,,,,,,", "   "]))
        y, q = 2010 + i // 4, i % 4 + 1
        period = rng.choice(
            [f"{y}-{(y + 1) % 100:02d} Q{q}", f"{y}/{(y + 1) % 100:02d} Q{q}", f"{y + q // 4}-Q{q % 4 + 1}"]
        )
        place = rng.choice(["Birmingham", "E08000026", "birmingham city council", " Coventry ", "SOLIHULL"])
        status = rng.choice(["", "final", "FINAL", "provisional"])
        note = rng.choice(["", "ok", '"with, comma"', "café", '"say ""hi"""'])
        kind = rng.choice(["count", "share", "group", "missing", "estimate"])
        interval = ["", "", ""]
        if kind == "count":
            cells = [rng.choice(["jobs_created_wmca_investment", "homes_retrofitted"]), period, place]
            cells += [rng.choice(["12", "0", "00012", "7", '"6,000"', "120.0"]), "", "", "", ""]
        elif kind == "share":
            num, den = rng.choice([("120", "500"), ("1", "3"), ("0", "7"), ("600", "600")])
            value = rng.choice(
                ["", str(round(int(num) / int(den) * 100, 2)), "24.05" if num == "120" else ""]
            )
            group = rng.choice(["Scheme A", '"Scheme, B"', "scheme a", "Ørsted Way"])
            cells = ["affordable_housing_share_scf", period, place, value, num, den, "project", group]
        elif kind == "group":
            dim, group = rng.choice(
                [("sex", "female"), ("Sex", "MALE"), ("disability", "not disabled"), ("ethnicity", "Black")]
            )
            cells = [
                "youth_hub_young_people_supported",
                period,
                place,
                rng.choice(["5", "17"]),
                "",
                "",
                dim,
                group,
            ]
        elif kind == "missing":
            cells = [
                "households_temporary_accommodation",
                period,
                place,
                rng.choice(["c", "[X]", "..", "z"]),
                "",
                "",
            ]
            cells += ["", ""]
        else:  # a survey estimate, in a calendar year of its own, with or without its interval
            place = rng.choice([place, "England", "E12000005", "Leeds"])
            value, interval = rng.choice(
                [
                    ("72.1", ["70", "74.2", "95"]),
                    ("72.1", ["72.1", "72.1", "99.9"]),
                    ("0", ["0", "3.5", "90"]),
                    ("100", ["97", "100", "80"]),
                    ("64.5", ["", "", ""]),
                    ("64.5", ["62", "66.0", "95%"]),
                ]
            )
            cells = ["employment_rate_16_64", str(1980 + i), place, value, "", "", "", ""]
        lines.append(",".join(cells + [status, note] + interval))
    return lines


@pytest.mark.parametrize("seed", range(40))
def test_clean_files_give_the_same_rows_whichever_path(monkeypatch, seed):
    rng = random.Random(seed)
    end = rng.choice(["\n", "\r\n"])
    text = end.join([",".join(HEADER), *clean_lines(rng)]) + end
    fast, slow, took = both_paths(text.encode("utf-8"), monkeypatch)
    assert took
    assert fast[0]["errors"] == []
    assert fast[1]
    assert fast == slow


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            'indicator_id,period,geography,value,note\nx,2023-24 Q1,Birmingham,1,"two\nlines"\n',
            "a quoted line break",
        ),
        ("indicator_id,period,geography,value\rx,2023-24 Q1,Birmingham,1\r", "carriage returns alone"),
        ("\nindicator_id,period,geography,value\nx,2023-24 Q1,Birmingham,1\n", "a blank first line"),
        ("indicator_id,period,geography,value,\nx,2023-24 Q1,Birmingham,1,\n", "a column with no name"),
        ("action_id,period,status\nAH1,2023-24 Q1,on_track\n", "an action-status file"),
    ],
)
def test_files_duckdb_cannot_number_take_the_python_path_with_the_same_report(monkeypatch, text, why):
    fast, slow, took = both_paths(text.encode("utf-8"), monkeypatch)
    assert not took, why
    assert fast == slow


def test_a_large_clean_file_is_checked_without_python_row_checks(monkeypatch):
    """A clean file of plain rows never reaches the Python row checks: DuckDB speaks for every row."""
    rows = [
        f"jobs_created_wmca_investment,{2000 + y}-{(y + 1) % 100:02d} Q{q},{place},{y * 10 + q},,,,,final,,,,"
        for y in range(10, 26)
        for q in range(1, 5)
        for place in ("Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton")
    ]
    data = ("\n".join([",".join(HEADER), *rows]) + "\n").encode()
    seen = []
    real = setcheck.check_value_rows
    monkeypatch.setattr(
        setcheck,
        "check_value_rows",
        lambda h, records, *a, **k: seen.append(len(records)) or real(h, records, *a, **k),
    )
    report, staged = check(data, "f.csv", catalogue=default_catalogue(), today=TODAY)
    assert not report.errors
    assert report.rows == len(rows) == len(staged)
    assert seen == [0]


def test_clean_intervals_and_comparators_are_passed_by_the_set_checks_alone(monkeypatch):
    """Plain rows with a confidence interval, for the seven authorities and for comparators, never reach the
    Python row checks, and come out with the bounds as numbers."""
    rows = [
        f"employment_rate_16_64,{year},{place},72.5,,,,,final,,{low},{high},95"
        for year in range(2004, 2024)
        for place, low, high in (
            ("Coventry", "70", "75"),
            ("England", "72.5", "72.5"),
            ("E12000005", "0", "100"),
        )
    ]
    data = ("\n".join([",".join(HEADER), *rows]) + "\n").encode()
    seen = []
    real = setcheck.check_value_rows
    monkeypatch.setattr(
        setcheck,
        "check_value_rows",
        lambda h, records, *a, **k: seen.append(len(records)) or real(h, records, *a, **k),
    )
    report, staged = check(data, "f.csv", catalogue=default_catalogue(), today=TODAY)
    assert not report.errors
    assert seen == [0]
    got = staged[staged["geography_code"] == "E92000001"][["value", "lower", "upper", "confidence"]]
    assert got.drop_duplicates().values.tolist() == [[72.5, 72.5, 72.5, 95.0]]
    assert set(staged["geography_code"]) == {"E08000026", "E92000001", "E12000005"}


@pytest.mark.parametrize(
    "where",
    [
        "before a comma",
        "after a comma",
        "at the start of a line",
        "at the end of a line",
        "at the end of the file",
    ],
)
def test_a_space_around_any_field_is_trimmed_whether_or_not_the_file_has_others(monkeypatch, where):
    """The set checks skip trimming when no field can have spaces around it (setcheck.padded): one space
    anywhere, at either end of any field, must switch trimming back on, with the rows the csv module gives."""
    rows = [
        "jobs_created_wmca_investment,2026-27 Q2,Coventry,200,,,,,provisional,",
        "jobs_created_wmca_investment,2026-27 Q2,Dudley,210,,,,,provisional,",
        "jobs_created_wmca_investment,2026-27 Q2,Walsall,220,,,,,provisional,",
    ]
    plain = "\n".join(
        [
            "indicator_id,period,geography,value,numerator,denominator,breakdown_dimension,breakdown_value,status,note",
            *rows,
        ]
    )
    assert not setcheck.padded(plain.encode() + b"\n", setcheck.one_record_per_line(plain.encode() + b"\n"))
    spaced = {
        "before a comma": rows[1].replace("Dudley,", "Dudley ,"),
        "after a comma": rows[1].replace(",210", ", 210"),
        "at the start of a line": " " + rows[1],
        "at the end of a line": rows[1].replace("provisional,", "provisional, "),
    }.get(where, rows[1])
    text = plain.replace(rows[1], spaced) + ("\n" if where != "at the end of the file" else ", ")
    if where == "at the end of the file":
        text = text[: -len(", ")] + " "  # the last field (the note) ends with a space and no line break
    assert setcheck.padded(text.encode(), setcheck.one_record_per_line(text.encode()))
    fast, slow, took = both_paths(text.encode(), monkeypatch)
    assert took and fast[0]["errors"] == [] and fast == slow
    clean, _, _ = both_paths((plain + "\n").encode(), monkeypatch)
    assert fast[1] == clean[1]  # the same rows as the file without the space


def test_spaces_inside_a_quoted_group_name_do_not_make_every_field_trimmed():
    """A line with quotes is read again in Python, so its spaces need no trimming by the set checks."""
    text = (
        b"indicator_id,period,geography,value,breakdown_dimension,breakdown_value\n"
        b'jobs_created_wmca_investment,2026-27 Q2,Coventry,5,ethnicity,"White: English, Welsh, Scottish"\n'
        b"jobs_created_wmca_investment,2026-27 Q2,Dudley,6,,\n"
    )
    assert not setcheck.padded(text, setcheck.one_record_per_line(text))
    spaced = text.replace(b"Dudley,6", b"Dudley, 6")
    assert setcheck.padded(spaced, setcheck.one_record_per_line(spaced))


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_space_before_a_line_break_alone_asks_for_trimming(end):
    """Each of the searches on its own: a last field ending in a space, with LF or CRLF line ends."""
    text = end.join(
        [
            "indicator_id,period,geography,value,note",
            "jobs_created_wmca_investment,2026-27 Q2,Coventry,5,ok ",
            "",
        ]
    )
    data = text.encode()
    assert ", " not in text and " ," not in text
    assert setcheck.padded(data, setcheck.one_record_per_line(data))
    assert not setcheck.padded(
        data.replace(b"ok ", b"ok"), setcheck.one_record_per_line(data.replace(b"ok ", b"ok"))
    )
