"""What every benchmark section shares: child processes, progress lines, the results table.

Each measurement runs in its own child process (`python bench/run.py _child
module:function JSON`), so its peak memory (ru_maxrss) is its own and not the
high-water mark of whatever ran before it in the same interpreter.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
RESULT_MARK = "BENCH-RESULT "
_START = time.monotonic()


def progress(message: str) -> None:
    """One line on stderr with the time since the run started, so a long run shows where it is."""
    print(f"[{time.monotonic() - _START:6.1f} s] {message}", file=sys.stderr, flush=True)


def rss_now_mb() -> float:
    """Resident memory of this process now (Linux /proc), for the baseline before a measurement."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def rss_peak_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(target: str, **kwargs: Any) -> dict[str, Any]:
    """Run `module:function(**kwargs)` from bench/ in a fresh interpreter and return its result dict.

    The result gains `rss_base_mb` (after the module's imports, before the call) and
    `rss_peak_mb` (the whole child, imports included). The child's stderr passes through.
    """
    cmd = [sys.executable, str(BENCH_DIR / "run.py"), "_child", target, json.dumps(kwargs)]
    env = os.environ | {"PYTHONHASHSEED": "0"}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=False)
    results = [ln for ln in proc.stdout.splitlines() if ln.startswith(RESULT_MARK)]
    if proc.returncode != 0 or not results:
        sys.stdout.write(proc.stdout)
        raise RuntimeError(f"benchmark child {target} failed with exit status {proc.returncode}")
    return json.loads(results[-1][len(RESULT_MARK) :])


def child_main(target: str, kwargs_json: str) -> int:
    """The child side of run_child: import, note the baseline, call, print the result line."""
    import importlib

    module_name, func_name = target.split(":")
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    func = getattr(importlib.import_module(module_name), func_name)
    base = rss_now_mb()
    result = func(**json.loads(kwargs_json))
    result |= {"rss_base_mb": base, "rss_peak_mb": rss_peak_mb()}
    print(RESULT_MARK + json.dumps(result, default=str), flush=True)
    return 0


@dataclass
class Figure:
    """One line of a results table: what was measured, the figure, the goal and whether it was met."""

    measure: str
    figure: str
    goal: str = ""
    met: bool | None = None  # None: no goal for this line

    @property
    def verdict(self) -> str:
        return "" if self.met is None else "met" if self.met else "NOT MET"


def print_table(title: str, figures: list[Figure]) -> None:
    heads = ("Measure", "Figure", "Goal", "Met?")
    rows = [(f.measure, f.figure, f.goal, f.verdict) for f in figures]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}\n")
    print("  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)))
    print(line)
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print()


def markdown_table(figures: list[Figure]) -> str:
    out = ["| Measure | Figure | Goal | Met? |", "|---|---|---|---|"]
    for f in figures:
        text = f.measure.lstrip(" ")
        indent = "&emsp;" * ((len(f.measure) - len(text)) // 2)  # Markdown drops leading spaces
        cells = (indent + text, f.figure, f.goal, f.verdict)
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out) + "\n"


def write_markdown(name: str, text: str) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / name
    path.write_text(text, encoding="utf-8")
    return path


def machine() -> str:
    """A line describing where the figures were taken, since they mean little without it."""
    import platform

    import duckdb

    cpus = os.cpu_count()
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            mem = int(f.readline().split()[1]) / 1024 / 1024
        mem_text = f", {mem:.0f} GB memory"
    except OSError:
        mem_text = ""
    return (
        f"{cpus} CPUs{mem_text}, Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
        f"{platform.system()} {platform.release()}"
    )
