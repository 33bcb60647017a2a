"""AppTest page tests (a package, so its test_pages.py and tests/browser/test_pages.py can share a name)."""
