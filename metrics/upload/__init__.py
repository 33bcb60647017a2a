"""The upload path: read a file's bytes, check every row, write a clean file in one transaction, undo.

Callers (the Upload and Upload history pages, `kpi ingest`, `kpi undo`, the sample data builder)
import from here, so the modules behind it can move without them changing.
"""
