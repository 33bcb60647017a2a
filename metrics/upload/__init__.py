"""The upload path: read a file's bytes, check every row, write a clean file in one transaction, undo.

    read.py      the one reader of bytes: encoding, CSV records, a workbook's first sheet (xlsx.py)
    values.py    the checks of an indicator-value row
    statuses.py  the checks of an action-status row
    report.py    Problem and Report: what the checks find
    check.py     the whole file checked, nothing written
    write.py     the one transaction that writes a clean file (ingest_bytes)
    undo.py      withdrawing an upload
    templates.py the template CSVs an analyst fills in

Callers (the pages, `kpi ingest` and `kpi undo`, the sample data builder) import what they need
from here. `check` and `undo` are imported from their modules (metrics.upload.check.check,
metrics.upload.undo.undo), so the names of those modules stay the modules.
"""

from metrics.upload.read import Unreadable, read_workbook, table_from_xlsx
from metrics.upload.report import Problem, Problems, Report
from metrics.upload.statuses import STATUS_COLUMNS
from metrics.upload.undo import NoSuchUpload, UndoRefused
from metrics.upload.values import VALUE_COLUMNS
from metrics.upload.write import Origin, ingest_bytes, ingest_file
from metrics.upload.xlsx import WorkbookProblem

__all__ = [
    "STATUS_COLUMNS",
    "VALUE_COLUMNS",
    "NoSuchUpload",
    "Origin",
    "Problem",
    "Problems",
    "Report",
    "UndoRefused",
    "Unreadable",
    "WorkbookProblem",
    "ingest_bytes",
    "ingest_file",
    "read_workbook",
    "table_from_xlsx",
]
