"""Every command a user is told to run works, and says what it should: each is run here.

The rebuild command `kpi export pack` prints, run as printed, gives the same pack; the chart
sizes; the plain-text output of `kpi plan`, `indicators`, `uploads` and `export archive`; and
the commands the README and the error messages name.
"""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

from docx import Document
from PIL import Image

from metrics.export.provenance import read_reference

ROOT = Path(__file__).resolve().parents[2]


def test_the_rebuild_command_a_pack_prints_gives_the_same_pack(kpi, chromium, pack_store, tmp_path):
    first = tmp_path / "first.docx"
    code, out, err = kpi(
        "export", "pack", "--theme", "accessible_housing", "--format", "docx", "--out", first, "--db", pack_store
    )  # fmt: skip
    assert code == 0, err
    said = re.search(r"To build it again from the same data: (kpi export pack [^\n]+)", out)
    assert said, out
    command = shlex.split(said.group(1))
    assert {"--as-of-upload", "--status-date"} <= set(command)
    # A later upload must not change a pack built again from the same data.
    later = tmp_path / "later.csv"
    later.write_text(
        "indicator_id,period,geography,value,numerator,denominator\n"
        "accessible_homes_share_funded,2026-27 Q2,Birmingham,,90,100\n"
    )
    assert kpi("ingest", later, "--db", pack_store)[0] == 0
    again = tmp_path / "again.docx"
    code, _, err = kpi(*command[1:], "--out", again, "--db", pack_store)
    assert code == 0, err
    assert read_reference(again.read_bytes(), "docx") == read_reference(first.read_bytes(), "docx")
    text = lambda p: [para.text for para in Document(io.BytesIO(p.read_bytes())).paragraphs]  # noqa: E731
    assert text(again) == text(first)


def test_a_chart_comes_in_the_two_sizes_the_help_names(kpi, chromium, pack_store, tmp_path):
    sizes = {}
    for size in ("full", "half"):
        out = tmp_path / f"{size}.png"
        code, stdout, err = kpi(
            "export", "chart", "jobs_created_wmca_investment", "--format", "png", "--size", size, "--out", out,
            "--db", pack_store,
        )  # fmt: skip
        assert code == 0, err
        assert f"({'PNG'}, {size} width)" in stdout
        sizes[size] = Image.open(out).size
    assert sizes["full"][0] == 1600 and sizes["half"][0] == 840


def test_kpi_plan_lists_every_theme_and_action_as_written(kpi, pack_store):
    code, out, err = kpi("plan", "--db", pack_store)
    assert code == 0, err
    assert out.startswith("Affordable housing provision\n  Outcome: Increase delivery of affordable housing")
    ids = re.findall(r"^  ([A-Z]{2}\d+)\s", out, flags=re.MULTILINE)
    assert len(ids) == 47 and ids[:3] == ["AH1", "AH2", "AH3"]
    assert (
        "  AH2   [at risk] Continue to ensure that all projects supported through the Single Commissioning"
        in out
    )
    assert "        indicators: affordable_housing_share_scf" in out


def test_kpi_indicators_lists_the_catalogue(kpi, pack_store):
    code, out, err = kpi("indicators", "--db", pack_store)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["id", "theme", "actions", "unit", "frequency", "target"]
    rows = [line for line in lines[2:] if line.strip()]
    assert len(rows) == 27
    assert rows[0].split()[:5] == [
        "affordable_housing_share_scf",
        "affordable_housing",
        "AH2,AH3",
        "percent",
        "quarter",
    ]


def test_kpi_uploads_lists_the_newest_first(kpi, sample_store):
    code, out, err = kpi("uploads", "--db", sample_store)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["id", "when", "who", "file"]
    assert lines[2].split()[0] == "21" and "sample-real-jobs_skills_academy.csv" in lines[2]
    assert len([line for line in lines[2:] if line.strip()]) == 21


def test_kpi_export_archive_says_how_to_keep_a_pack_then_lists_it(kpi, chromium, pack_store, tmp_path):
    code, out, _ = kpi("export", "archive", "--db", pack_store)
    assert code == 0
    said = re.search(r"Keep one with '(kpi export pack \.\.\. --keep --board NAME)'", out)
    assert said, out
    kept = tmp_path / "kept.pptx"
    code, out, err = kpi(
        "export", "pack", "--theme", "accessible_housing", "--format", "pptx", "--out", kept, "--keep",
        "--board", "WMCA Board", "--db", pack_store,
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = kpi("export", "archive", "--db", pack_store)
    assert code == 0
    row = out.splitlines()[-1].split()
    assert row[:3] == ["1", "2026-11-26", "WMCA"] and "accessible_housing" in row and "pptx" in row
    assert row[-1] == "board-pack-accessible-housing-2026-11-26.pptx"


def test_the_commands_error_messages_name_exist_and_run(kpi, pack_store, tmp_path):
    """'kpi indicators' and 'kpi plan' are named in refusals; 'kpi init' in the missing-store message."""
    code, _, err = kpi("show", "no_such_indicator", "--db", pack_store)
    assert code == 1 and "'kpi indicators'" in err
    code, _, err = kpi("show", "jobs_created_wmca_investment", "--db", tmp_path / "none" / "kpi.duckdb")
    assert code == 2 and "kpi init" in err
    store = tmp_path / "new" / "kpi.duckdb"
    store.parent.mkdir()
    assert kpi("init", "--no-sample", "--db", store)[0] == 0
    assert kpi("show", "jobs_created_wmca_investment", "--db", store)[0] == 0
    for command in ("bash scripts/run", "bash scripts/test", "bash scripts/update-goldens"):
        assert (ROOT / command.split()[1]).exists(), command
