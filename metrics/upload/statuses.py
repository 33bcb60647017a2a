"""The checks of an action-status row: its action, quarter, status and note.

Action statuses are a quarterly RAG-style status per action in the plan, uploaded in a file of
their own (its header has action_id). Like value rows, every problem in a row is found and
reported with its line; the rows that pass become the staged frame the writer classifies.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.catalogue import ACTION_STATUSES, Catalogue
from metrics.periods import Period, PeriodError, parse_period
from metrics.upload.report import Problem, Problems, Report
from metrics.upload.values import (
    DIGITS_ONLY,
    Records,
    foreign_digits,
    period_message,
    staged_frame,
    suggest,
    width_problem,
)
from metrics.words import clean_text

STATUS_COLUMNS = ("action_id", "period", "status", "note")
REQUIRED_STATUS_COLUMNS = ("action_id", "period", "status")
STAGED_STATUS_COLUMNS = ("line", "action_id", "period", "period_start", "period_end", "status", "note")
STATUS_NOTE_LIMIT = 1000


def check_status_rows(
    header: list[str], records: Records, catalogue: Catalogue, today: dt.date, report: Report
) -> pd.DataFrame:
    """Check every action-status row, adding its problems to the report; the rows that pass, staged."""
    index = {name: header.index(name) for name in STATUS_COLUMNS if name in header}
    width = len(header)
    action_ids = [a.id for a in catalogue.actions]
    seen: dict[tuple, int] = {}
    out: list[tuple] = []
    errors = report.errors
    for line, fields in records:
        if len(fields) != width:
            errors.append(width_problem(line, len(fields), width))
            continue

        def cell(name: str, fields: list[str] = fields) -> str:
            i = index.get(name)
            return fields[i].strip() if i is not None else ""

        before = errors.total
        aid = cell("action_id")
        if catalogue.action(aid) is None:
            errors.append(_action_problem(line, aid, action_ids))
        period = _quarter(line, cell("period"), today, errors)
        status = cell("status").lower().replace(" ", "_")
        if status not in ACTION_STATUSES:
            errors.append(
                Problem(
                    line,
                    "status",
                    cell("status"),
                    "Enter the status as one of: " + ", ".join(ACTION_STATUSES) + ".",
                )
            )
        note = clean_text(cell("note"))
        if len(note) > STATUS_NOTE_LIMIT:
            errors.append(
                Problem(
                    line,
                    "note",
                    note,
                    f"Shorten the note to {STATUS_NOTE_LIMIT} characters or fewer (it has {len(note)}).",
                )
            )
        if errors.total > before or period is None:
            continue
        key = (aid, period.start)
        if key in seen:
            errors.append(
                Problem(
                    line,
                    None,
                    None,
                    f"This row repeats line {seen[key]}: the same action and quarter. Keep one of the two rows.",
                )
            )
            continue
        seen[key] = line
        out.append((line, aid, period.label, period.start, period.end, status, note or None))
    return staged_frame(out, STAGED_STATUS_COLUMNS)


def _action_problem(line: int, aid: str, action_ids: list[str]) -> Problem:
    return Problem(
        line,
        "action_id",
        aid,
        (f"'{aid}' is not an action in the plan." if aid else "Enter an action id.")
        + " Use an action id as the action status template writes it, like AH2."
        + suggest(aid, action_ids),
    )


def _quarter(line: int, ptext: str, today: dt.date, errors: Problems) -> Period | None:
    """The row's financial quarter (every action status is for one), or None with the problem added."""
    try:
        if foreign_digits(ptext):
            raise PeriodError(DIGITS_ONLY.format(ptext))
        return parse_period(ptext, "quarter", "financial", today)
    except PeriodError as exc:
        errors.append(Problem(line, "period", ptext, period_message(exc, "An action status", None)))
    return None
