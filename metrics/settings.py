"""Settings read from the environment, with the defaults the README documents."""

from __future__ import annotations

import os

DEFAULT_MAX_UPLOAD_MB = 50


def max_upload_bytes() -> int:
    """The largest upload accepted (KPI_MAX_UPLOAD_MB, default 50 MB, as Streamlit's maxUploadSize)."""
    return int(float(os.environ.get("KPI_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)) * 1024 * 1024)


def max_upload_mb() -> float:
    return max_upload_bytes() / 1024 / 1024
