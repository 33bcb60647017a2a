"""A small mutation check: flip comparisons and nudge constants, and see whether a test notices.

Not a test (it takes minutes): evidence that the tests of the verdict rules and the upload
checks fail when a rule is broken. Each mutant changes one comparison operator (< to <=,
>= to >, == to !=...) or one number (n to n + 1, 0 to 1) inside the named functions, writes
the module, runs the given tests with -x, and counts the mutants no test killed.

Run it on a throwaway copy of the project, never on the working tree other people test in:

    git worktree add /tmp/mut HEAD
    cd /tmp/mut && PYTHONPATH=/tmp/mut /path/to/.venv/bin/python bench/mutate.py verdicts
    git worktree remove --force /tmp/mut

It prints each surviving mutant (file, line, what changed) and the survival rate.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLIPS: dict[type, type] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}

# target -> (module file, functions to mutate (empty: all), tests that should kill the mutants)
TARGETS = {
    "verdicts": (
        "metrics/verdicts.py",
        (),
        ["tests/unit/test_verdicts.py"],
    ),
    # The floor and ceiling comparisons and the Python rule for every scheme (moved out of verdicts.py);
    # the SQL that judges schemes in the store is held to this rule by tests/sql/test_schemes.py.
    "floors": ("metrics/floors.py", (), ["tests/unit/test_verdicts.py", "tests/sql/test_schemes.py"]),
    "progress": ("metrics/progress.py", ("derive_combined", "_derive_period", "running_total", "latest"),
                 ["tests/unit/test_progress.py", "tests/unit/test_verdicts.py"]),
    "checks": (
        "metrics/upload/values.py",
        ("_check_value", "_settled_by_shape", "_check_share"),
        ["tests/unit/test_ingest.py", "tests/unit/test_ingest_bad.py"],
    ),
    # One number read and held to its unit (moved out of values.py when bounds came to share it).
    "numbers": (
        "metrics/upload/numbers.py",
        ("read_number", "finite", "unit_problem"),
        ["tests/unit/test_ingest.py", "tests/unit/test_ingest_bad.py", "tests/unit/test_bounds.py"],
    ),
    "bounds": ("metrics/upload/bounds.py", (), ["tests/unit/test_bounds.py", "tests/unit/test_ingest_bad.py"]),
}  # fmt: skip


@dataclass
class Mutant:
    line: int
    what: str
    source: str


def _functions(tree: ast.Module, names: tuple[str, ...]) -> list[ast.AST]:
    funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return [f for f in funcs if not names or f.name in names]


def mutants(path: Path, names: tuple[str, ...]) -> list[Mutant]:
    text = path.read_text(encoding="utf-8")
    out: list[Mutant] = []
    tree = ast.parse(text)
    sites = []
    for func in _functions(tree, names):
        for node in ast.walk(func):
            if isinstance(node, ast.Compare):
                for i, op in enumerate(node.ops):
                    if type(op) in FLIPS:
                        sites.append(("cmp", node.lineno, node.col_offset, i))
            elif (
                isinstance(node, ast.Constant)
                and type(node.value) in (int, float)
                and not isinstance(node.value, bool)
            ):
                sites.append(("num", node.lineno, node.col_offset, 0))
    seen = set()
    for kind, line, col, index in sites:
        if (kind, line, col, index) in seen:
            continue
        seen.add((kind, line, col, index))
        mutated = ast.parse(text)
        for node in ast.walk(mutated):
            if getattr(node, "lineno", None) != line or getattr(node, "col_offset", None) != col:
                continue
            if kind == "cmp" and isinstance(node, ast.Compare):
                old = type(node.ops[index])
                node.ops[index] = FLIPS[old]()
                what = f"{old.__name__} -> {FLIPS[old].__name__}"
                break
            if kind == "num" and isinstance(node, ast.Constant):
                old_value = node.value
                node.value = 1 if old_value == 0 else old_value + 1
                what = f"{old_value!r} -> {node.value!r}"
                break
        else:
            continue
        out.append(Mutant(line, what, ast.unparse(mutated)))
    return out


def run(target: str) -> int:
    rel, names, tests = TARGETS[target]
    path = ROOT / rel
    original = path.read_text(encoding="utf-8")
    found = mutants(path, names)
    survivors = []
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.time()
    try:
        for n, m in enumerate(found, 1):
            path.write_text(m.source, encoding="utf-8")
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            killed = done.returncode != 0
            if not killed:
                survivors.append(m)
            print(
                f"{n}/{len(found)} {rel}:{m.line} {m.what}: {'killed' if killed else 'SURVIVED'}", flush=True
            )
    finally:
        path.write_text(original, encoding="utf-8")
    rate = len(survivors) / len(found) if found else 0.0
    print(
        f"\n{target}: {len(found)} mutants, {len(survivors)} survived ({rate:.0%}), {time.time() - started:.0f} s"
    )
    for m in survivors:
        print(f"  survived: {rel}:{m.line} {m.what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1] if len(sys.argv) > 1 else "verdicts"))
