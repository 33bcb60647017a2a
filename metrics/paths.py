"""Where the project's files live, found from this package so any working directory works."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SQL_DIR = ROOT / "sql"
GEOGRAPHIES_CSV = DATA_DIR / "geographies.csv"
REAL_FIGURES_DIR = DATA_DIR / "real-figures"
DEFAULT_DB = DATA_DIR / "kpi.duckdb"
