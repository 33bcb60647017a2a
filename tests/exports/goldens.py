"""The golden data files: which exports they are, and the one command that writes them again.

The test suite only compares (tests/exports/test_data_files.py); nothing in it writes a
golden file. After a deliberate change to an export's layout, write them again with

    bash scripts/update-goldens

and read the diff (git diff tests/exports/golden) before committing it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
TODAY = "2026-11-26"
NOW = "2026-11-26T09:00:00"
KPI = Path(sys.executable).parent / "kpi"
FORMATS = ("csv", "xlsx")

# name -> (kpi export data arguments)
CASES = {
    "temporary-accommodation-wmca": ["households_temporary_accommodation"],
    "affordable-share-wmca": ["affordable_housing_share_scf"],
    "affordable-share-birmingham-by-project": [
        "affordable_housing_share_scf",
        "--geography",
        "Birmingham",
        "--by",
        "project",
    ],
    "affordability-ratio-birmingham": ["housing_affordability_ratio", "--geography", "Birmingham"],
    "temporary-accommodation-places": ["households_temporary_accommodation", "--by", "places"],
}


def build_store(path: Path) -> None:
    """A store holding only tests/exports/fixtures/golden-upload.csv, with the clock pinned."""
    from metrics.setup import init_store
    from metrics.upload import ingest_bytes

    init_store(path, sample=False)
    report = ingest_bytes(
        (FIXTURES / "golden-upload.csv").read_bytes(), "golden-upload.csv", db=path, user="export tests"
    )
    if report.status != "committed":
        raise SystemExit(f"the golden upload was not accepted: {report.as_json()}")


def export(store: Path, out: Path, name: str, fmt: str) -> bytes:
    """One golden file as `kpi export data` writes it (the same command the test runs)."""
    env = {**os.environ, "KPI_TODAY": TODAY, "KPI_NOW": NOW}
    env.pop("KPI_DB", None)
    done = subprocess.run(
        [str(KPI), "export", "data", *CASES[name], "--format", fmt, "--out", str(out), "--db", str(store)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"kpi export data failed for {name}.{fmt}: {done.stderr}")
    return out.read_bytes()


def main() -> int:
    os.environ["KPI_TODAY"], os.environ["KPI_NOW"] = TODAY, NOW
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "kpi.duckdb"
        build_store(store)
        for name in sorted(CASES):
            for fmt in FORMATS:
                data = export(store, Path(tmp) / f"{name}.{fmt}", name, fmt)
                target = GOLDEN / f"{name}.{fmt}"
                changed = not target.exists() or target.read_bytes() != data
                target.write_bytes(data)
                print(f"{'changed' if changed else 'same   '} {target.relative_to(HERE.parents[1])}")
    print("Read the diff (git diff tests/exports/golden) before committing it.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
