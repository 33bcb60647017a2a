"""The layering rules: the headless core never imports the UI, and SQL lives in sql/ files.

(a) every module under metrics/ imports in a fresh interpreter without pulling in streamlit;
(b) app.py and pages/ run no SQL themselves (they call metrics/);
(c) no f-string in metrics/ builds SQL (values are bound, statements live in sql/).
"""

import ast
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
METRICS = ROOT / "metrics"


def _metrics_modules() -> list[str]:
    names = []
    for path in sorted(METRICS.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__main__":  # importing it would run the command
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def _ui_files() -> list[Path]:
    files = [ROOT / "app.py"] if (ROOT / "app.py").exists() else []
    return files + sorted((ROOT / "pages").rglob("*.py"))


def test_metrics_modules_are_found():
    modules = _metrics_modules()
    assert "metrics" in modules and len(modules) > 1, modules


def test_core_never_imports_streamlit():
    modules = _metrics_modules()
    script = textwrap.dedent(
        """
        import importlib, json, sys, traceback
        sys.path.insert(0, sys.argv[1])
        failed = {}
        for name in json.loads(sys.argv[2]):
            try:
                importlib.import_module(name)
            except BaseException:
                failed[name] = traceback.format_exc(limit=3)
        ui = sorted(m for m in sys.modules if m == "streamlit" or m.startswith("streamlit."))
        print(json.dumps({"failed": failed, "streamlit": ui[:10]}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(ROOT), json.dumps(modules)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"the import check itself failed:\n{result.stderr}"
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert not report["failed"], "metrics modules that do not import:\n" + "\n".join(
        f"{name}:\n{tb}" for name, tb in report["failed"].items()
    )
    assert not report["streamlit"], (
        f"importing the metrics/ core pulled in streamlit ({report['streamlit']}); "
        "the core must never import the UI"
    )


UI_SQL = re.compile(r"\.execute\(|\.sql\(|SELECT ")


def test_pages_run_no_sql_directly():
    offences = []
    for path in _ui_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if UI_SQL.search(line):
                offences.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offences, "app.py and pages/ must call metrics/, not run SQL themselves:\n" + "\n".join(
        offences
    )


# SQL keywords written in capitals, or SQL-shaped phrases in any case. Plain English in
# messages ("figures from the seven authorities") matches neither.
SQL_IN_TEXT = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|FROM|WHERE|JOIN|UNION|PRAGMA|ATTACH|COPY)\b"
    r"|\b(GROUP|ORDER)\s+BY\b"
    r"|(?i:\binsert\s+into\b|\bdelete\s+from\b|\balter\s+table\b|\bselect\s+(\*|distinct\b|count\s*\()"
    r"|\bcreate\s+(or\s+replace\s+)?(temp\s+|temporary\s+)?(table|view|index|schema|sequence|macro|type)\b"
    r"|\bdrop\s+(table|view|index|schema|sequence|macro|type)\b|\bupdate\s+\S+\s+set\b"
    r"|\bselect\b.*\bfrom\b.*\bwhere\b)"
)


def _fstring_text(node: ast.JoinedStr) -> str:
    """The literal text of an f-string, with each replacement field shown as {}."""
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            parts.append(value.value)
        else:
            parts.append("{}")
    return "".join(parts)


def test_no_sql_built_in_fstrings_in_core():
    offences = []
    for path in sorted(METRICS.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source, filename=str(path))
        except SyntaxError:
            # Still checked, line by line, so a half-written file cannot hide SQL.
            for number, line in enumerate(source.splitlines(), start=1):
                if re.search(r"""\bf["']""", line) and SQL_IN_TEXT.search(line):
                    offences.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and SQL_IN_TEXT.search(_fstring_text(node)):
                segment = ast.get_source_segment(source, node) or _fstring_text(node)
                offences.append(f"{path.relative_to(ROOT)}:{node.lineno}: {segment.strip()[:120]}")
    assert not offences, (
        "SQL must live in sql/ files with values bound, never be built in an f-string:\n"
        + "\n".join(offences)
    )


def test_sql_pattern_tells_sql_from_prose():
    assert SQL_IN_TEXT.search("SELECT value FROM {}")
    assert SQL_IN_TEXT.search("select * from {} where id = ?")
    assert SQL_IN_TEXT.search("insert into {} values (?)")
    assert SQL_IN_TEXT.search("CREATE TABLE {}")
    assert not SQL_IN_TEXT.search("{} has figures from {} of 7 authorities, so it has no status.")
    assert not SQL_IN_TEXT.search("Select a file from your computer")
    assert not SQL_IN_TEXT.search("the target was updated; {} set it at {}")


# --- the layout rules docs/architecture.md states ----------------------------------------------------

MAX_FILE_LINES = 620  # "about 600": a module past this is several modules and should be split
MAX_FUNCTION_LINES = 80  # past this a function says why, in a comment beside its def
SQL_RUNNERS = {"run", "execute", "scalar", "fetch_dicts", "connect", "transaction"}


def _py_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]


def test_no_core_file_is_several_modules():
    big = {
        str(p.relative_to(ROOT)): n
        for p in _py_files("metrics", "ui")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_FILE_LINES
    }
    assert not big, f"files over {MAX_FILE_LINES} lines (split them by what they hold): {big}"


def test_a_long_function_says_why():
    """A function over 80 lines has a comment on or just above its def line saying why it stays long."""
    unexplained = []
    for path in _py_files("metrics", "ui", "pages") + [ROOT / "app.py"]:
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = node.end_lineno - node.lineno + 1
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            around = lines[first - 2 : node.lineno]
            if length > MAX_FUNCTION_LINES and not any("#" in line for line in around):
                unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert not unexplained, "functions over 80 lines with no reason beside them:\n" + "\n".join(unexplained)


def test_pages_import_no_sql_runner():
    """Pages and ui/ read through metrics.dashboard (and ui.data's caches); they never open the store or run
    a statement themselves. Catching the store's exceptions is allowed."""
    offences = []
    for path in _ui_files() + _py_files("ui"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "duckdb" for a in node.names):
                offences.append(f"{path.relative_to(ROOT)}:{node.lineno} imports duckdb")
            if isinstance(node, ast.ImportFrom) and node.module == "metrics.store":
                used = {a.name for a in node.names} & SQL_RUNNERS
                if used:
                    offences.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {sorted(used)}")
            if isinstance(node, ast.ImportFrom) and node.module == "metrics":
                if any(a.name == "store" for a in node.names):
                    offences.append(f"{path.relative_to(ROOT)}:{node.lineno} imports metrics.store")
    assert not offences, "\n".join(offences)


def test_the_layout_document_states_the_rules_the_tests_hold():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert f"{MAX_FILE_LINES} lines" in text and f"{MAX_FUNCTION_LINES} lines" in text
    for package in ("metrics/upload/", "metrics/charts/", "metrics/export/"):
        assert package in text, package


def _functions() -> list[tuple[int, str, str]]:
    out = []
    for path in _py_files("metrics", "ui", "pages") + [ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                out.append((node.end_lineno - node.lineno + 1, str(path.relative_to(ROOT)), node.name))
    return out


def test_the_layout_document_names_the_largest_file_and_the_longest_function():
    """docs/architecture.md states them with their sizes; this keeps the figures true."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    text += (ROOT / "README.md").read_text(encoding="utf-8").replace("\n", " ")
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in _py_files("metrics", "ui")
    }
    largest = max(sizes, key=sizes.get)
    # The layout document, then the README:
    for doc in text.split("# Equity and Inclusion Scheme dashboard", 1):
        assert f"Largest file: `{largest}` ({sizes[largest]} lines)" in doc
        length, path, name = max(_functions())
        assert f"Longest function: `{path}` `{name}` ({length} lines" in doc
