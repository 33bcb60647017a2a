"""Real-browser tests (a package, so its test_pages.py and tests/app/test_pages.py can share a name)."""
