"""Moved to metrics/upload/. Kept only for metrics/export_pack.py's `record_refusal` import, which is
not changed here while that module is being split; once it imports from metrics.upload, delete this."""

from metrics.upload.service import record_refusal

__all__ = ["record_refusal"]
