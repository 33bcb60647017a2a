"""The dashboard's headless core: catalogue, store, upload, progress maths, charts, exports.

Nothing here imports streamlit (tests/unit/test_layering.py holds that line), so
the `kpi` command, the benchmark and the tests use the same rules as the pages.
"""

__version__ = "0.1.0"
