"""What checking an upload finds: each problem with its line, column and value, and the whole report.

The report is the one of ../shared/spec/upload-format.md, so the Upload page, `kpi ingest --json`
and the upload log all say the same. It is kept apart from the checks so the reader, the value
and status checks and the writer can all build on it without importing one another.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

MAX_PROBLEMS = 200  # listed in a report; the rest are counted, so a bad million-row file stays small
SHOWN_TEXT_LIMIT = 80  # characters of an uploaded text repeated in a message
_LONG_QUOTED = re.compile(r"'([^']{" + str(SHOWN_TEXT_LIMIT) + r"})[^']+'")


@dataclass(frozen=True)
class Problem:
    """One error or warning: where it is and what to change."""

    line: int | None
    column: str | None
    value: str | None
    message: str

    def __post_init__(self) -> None:
        # An uploaded megabyte repeated in a report would make the report the attack: keep the
        # start of long values, in the value and wherever the message quotes one.
        if self.value is not None and len(self.value) > SHOWN_TEXT_LIMIT:
            object.__setattr__(self, "value", self.value[:SHOWN_TEXT_LIMIT] + "…")
        if len(self.message) > 4 * SHOWN_TEXT_LIMIT:
            object.__setattr__(self, "message", _LONG_QUOTED.sub(r"'\1…'", self.message))

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "value": self.value, "message": self.message}


class Problems(list):
    """Errors as found, keeping the first MAX_PROBLEMS and counting the rest.

    `total` counts every problem appended, so a row's checks can still tell whether it added one.
    """

    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def append(self, problem: Problem) -> None:  # type: ignore[override]
        self.total += 1
        if len(self) < MAX_PROBLEMS:
            super().append(problem)

    @property
    def left_out(self) -> int:
        return self.total - len(self)


@dataclass
class Report:
    """The report of upload-format.md, plus a row-by-row preview for the Upload page."""

    status: str
    upload_id: int | None = None
    rows: int = 0
    inserted: int = 0
    revised: int = 0
    unchanged: int = 0
    errors: Problems = field(default_factory=Problems)
    warnings: Problems = field(default_factory=Problems)
    kind: str = "values"
    file_name: str = ""
    sha256: str = ""
    preview_rows: Any = None  # one row per data row (an Arrow table): outcome, old and new values
    notices: list[Problem] = field(default_factory=list)  # large jumps: shown on the page, not in JSON

    @property
    def preview(self) -> pd.DataFrame | None:
        """The preview as a frame, made when first asked for: `kpi ingest` of a million rows never needs it."""
        if self.preview_rows is not None and not isinstance(self.preview_rows, pd.DataFrame):
            self.preview_rows = self.preview_rows.sort_by("line").to_pandas(types_mapper=_dates_kept)
        return self.preview_rows

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "upload_id": self.upload_id,
            "rows": self.rows,
            "inserted": self.inserted,
            "revised": self.revised,
            "unchanged": self.unchanged,
            "errors": problems_json(self.errors, "errors"),
            "warnings": problems_json(self.warnings, "warnings"),
        }

    @property
    def exit_code(self) -> int:
        return 1 if self.status == "rejected" else 0


def _dates_kept(kind: Any) -> pd.ArrowDtype | None:
    """Dates stay dates (not timestamps) in the preview frame, as the checks staged them."""
    return pd.ArrowDtype(kind) if pa.types.is_date32(kind) else None


def problems_json(problems: list[Problem], what: str) -> list[dict[str, Any]]:
    """The problems as JSON, with one closing entry saying how many more were found but not listed (the
    upload's report and the commentary import's say it the same way)."""
    listed = [p.as_json() for p in problems]
    n = getattr(problems, "left_out", 0)
    if not n:
        return listed
    message = f"There are {n:,} more {what} not listed here. Correct the ones above and check the file again."
    return [*listed, Problem(None, None, None, message).as_json()]


def stored_problems(upload: dict[str, Any]) -> list[Problem]:
    """The problems a rejected upload was refused for, from the report stored with it (JSON text or
    an already-parsed mapping, as the store returns it)."""
    report = upload.get("report") or {}
    if isinstance(report, str):
        report = json.loads(report)
    return [
        Problem(p["line"], p["column"], p["value"], p["message"])
        for p in report.get("errors", [])
        if "line" in p and "message" in p
    ]
