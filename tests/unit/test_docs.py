"""The README is tested like code (Datasette's habit): every setting and catalogue field is documented."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _documented_fields() -> set[str]:
    section = README.split("The fields, as written in `data/indicators.yaml`", 1)[1].split(
        "- **Sample data**", 1
    )[0]
    return set(re.findall(r"`([a-z_]+)`", section))


def test_every_environment_setting_the_code_reads_is_in_the_readme_settings_table():
    read = set()
    for folder in ("metrics", "ui", "pages"):
        for path in (ROOT / folder).rglob("*.py"):
            read |= set(re.findall(r"environ(?:\.get)?[\[(]\"([A-Z_]+)\"", path.read_text(encoding="utf-8")))
    settings = README.split("## Settings", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", settings, flags=re.M))
    assert read, "the code reads no settings at all?"
    assert read <= documented, f"settings read by the code but not in the README: {sorted(read - documented)}"


def test_every_field_of_the_indicator_catalogue_is_explained_in_the_readme():
    doc = yaml.safe_load((ROOT / "data" / "indicators.yaml").read_text(encoding="utf-8"))
    used = set(doc["defaults"])
    for entry in doc["indicators"]:
        used |= set(entry)
        if entry.get("target"):
            used |= set(entry["target"])
    missing = used - _documented_fields()
    assert not missing, f"catalogue fields not explained in the README: {sorted(missing)}"


def test_the_readme_commands_exist_and_can_be_run():
    for command in ("bash scripts/run", "bash scripts/test"):
        assert f"```sh\n{command}\n```" in README
        script = ROOT / command.split()[1]
        assert script.exists() and os.access(script, os.X_OK)
    assert "bash scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
