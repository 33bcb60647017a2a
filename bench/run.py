"""Benchmarks that print figures (never timed tests): `python bench/run.py SECTION [options]`.

Sections:
  core     ingest of a 1,000,000-row file against DuckDB's own read_csv, a 10,000-row
           quarterly file end to end, and `kpi show` on the large store (bench/core.py)
  engines  the sample store on DuckDB and on PostgreSQL side by side: init, show, an upload and
           its undo, every page's warm server time (bench/engines.py)

A new section is a module in bench/ with `add_arguments(parser)` and `main(args) -> int`,
listed in SECTIONS below (for example "pages" -> bench/pages.py, "exports" -> bench/exports.py).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

# name on the command line -> (module in bench/, one-line help)
SECTIONS: dict[str, tuple[str, str]] = {
    "core": ("core", "ingest and kpi show on a large store (writes bench/out/core.md)"),
    "exports": (
        "exports",
        "a chart PNG with a warm kaleido, the whole board pack (writes bench/out/exports.md)",
    ),
    "pages": ("pages", "each page's server time, start-up in Chromium, memory (writes bench/out/pages.md)"),
    "hostile": ("hostile", "how fast and at what memory each hostile upload is refused"),
    "engines": (
        "engines",
        "DuckDB and PostgreSQL side by side at the sample size (writes bench/out/engines.md)",
    ),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:  # internal: one measurement in its own process (bench/harness.py)
        from harness import child_main

        return child_main(argv[1], argv[2])
    parser = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="section", required=True, metavar="SECTION")
    for name, (module, help_text) in SECTIONS.items():
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(module=module)
        importlib.import_module(module).add_arguments(p)
    args = parser.parse_args(argv)
    return importlib.import_module(args.module).main(args)


if __name__ == "__main__":
    sys.exit(main())
