"""The upload path: read a file's bytes, check every row, write a clean file in one transaction, undo.

    read.py      the one reader of bytes: encoding, CSV records, a workbook's first sheet (xlsx.py)
    values.py    the checks of an indicator-value row
    statuses.py  the checks of an action-status row
    report.py    Problem and Report: what the checks find
    check.py     the whole file checked, nothing written
    write.py     the one transaction that writes a clean file (ingest_bytes)
    undo.py      withdrawing an upload
    templates.py the template CSVs an analyst fills in
    service.py   the pages' writes with the role checked (check_as, commit_as, undo_as), the audit log
    changes.py   the large-change notices shown before an analyst confirms
    annotate.py  the analyst's own file given back with an error column
    tables.py    the upload pages' tables, in words

Callers (the pages, `kpi ingest` and `kpi undo`, the sample data builder) import what they need
from here. `check` and `undo` are imported from their modules (metrics.upload.check.check,
metrics.upload.undo.undo), so the names of those modules stay the modules.
"""

from metrics.upload.annotate import annotated_file, safe_file_name
from metrics.upload.changes import JUMP_WARNING, jump_notices, large_changes, number_text, previous_values
from metrics.upload.read import Unreadable, read_workbook, table_from_xlsx
from metrics.upload.report import Problem, Problems, Report, stored_problems
from metrics.upload.service import (
    audit_log,
    check_as,
    commit_as,
    get_upload,
    record_refusal,
    record_rejected_as,
    undo_as,
    uploads_visible_to,
)
from metrics.upload.statuses import STATUS_COLUMNS
from metrics.upload.tables import (
    KIND_WORDS,
    MISSING_WORDS,
    OUTCOME_WORDS,
    UndoChanges,
    committed_text,
    history_scope,
    history_table,
    preview_tables,
    problems_table,
    undo_changes,
    undone_text,
    upload_facts,
    upload_values,
    upload_values_table,
    value_text,
    when_text,
)
from metrics.upload.undo import NoSuchUpload, UndoRefused
from metrics.upload.values import VALUE_COLUMNS
from metrics.upload.write import Origin, ingest_bytes, ingest_file
from metrics.upload.xlsx import WorkbookProblem

__all__ = [
    "JUMP_WARNING",
    "KIND_WORDS",
    "MISSING_WORDS",
    "OUTCOME_WORDS",
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
    "annotated_file",
    "audit_log",
    "check_as",
    "committed_text",
    "commit_as",
    "get_upload",
    "history_scope",
    "history_table",
    "ingest_bytes",
    "ingest_file",
    "jump_notices",
    "large_changes",
    "number_text",
    "preview_tables",
    "previous_values",
    "problems_table",
    "read_workbook",
    "record_refusal",
    "record_rejected_as",
    "safe_file_name",
    "table_from_xlsx",
    "undo_as",
    "stored_problems",
    "UndoChanges",
    "undo_changes",
    "undone_text",
    "upload_facts",
    "upload_values",
    "upload_values_table",
    "uploads_visible_to",
    "value_text",
    "when_text",
]
