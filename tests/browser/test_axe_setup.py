"""axe-core comes from node_modules/ as package-lock.json pins it (installed by `bash scripts/setup`), never
fetched while the tests run; without it the accessibility checks fail with what to run, never skip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.conftest import AXE_SCRIPT, ROOT, find_axe_script


def test_axe_core_is_the_version_the_lock_pins():
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/axe-core"]["version"]
    installed = json.loads((AXE_SCRIPT.parent / "package.json").read_text(encoding="utf-8"))["version"]
    assert find_axe_script() == AXE_SCRIPT
    assert installed == pinned, "node_modules/ is out of date: run `bash scripts/setup`"


def test_without_axe_core_the_checks_fail_saying_to_run_setup(tmp_path: Path):
    with pytest.raises(pytest.fail.Exception) as failed:
        find_axe_script(tmp_path / "node_modules" / "axe-core" / "axe.min.js")
    assert "Run `bash scripts/setup`" in str(failed.value)
