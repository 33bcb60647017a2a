"""A large synthetic store for benchmarks: a 40-indicator catalogue and CSV uploads of any size.

The project's own catalogue has 27 indicators of mixed frequencies; a store of
a million observations needs more series than it can hold, so the benchmarks
write their own catalogue (40 quarterly financial-year indicators over the
real plan.yaml, linked to every action that is not a milestone, so it loads
under the same rules as data/indicators.yaml) into a temporary data folder.

Shape of one quarter (25,000 rows at the default size):

=====================  ===  ======  ==========================================  ==========
kind                   n    places  groups per place                            rows
=====================  ===  ======  ==========================================  ==========
count, flow            14   7 LAs   total, sex 2, age 11, ethnicity 19,         98 x (35+P)
                                    disability 2, project P
count, cumulative       8   7 LAs   total, sex 2, age 11, project P              56 x (14+P)
share (num/den)        12   7 LAs   total, sex 2, age 11, disability 2,          84 x (16+P)
                                    project P
rate / survey percent   6   8       total, sex 2, age 11, ethnicity 19           48 x 33
=====================  ===  ======  ==========================================  ==========

P (Single Commissioning Framework schemes per authority) is chosen so the
file has exactly the rows asked for; the surplus is trimmed from the earliest
quarters (schemes that had not started). The combined authority has rows only
for the six indicators that cannot be derived from the seven authorities.

Everything is generated from one random.Random seed, so the files are the
same on every run.
"""

from __future__ import annotations

import csv
import io
import math
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from metrics.catalogue import load_plan
from metrics.paths import DATA_DIR, GEOGRAPHIES_CSV
from metrics.upload import VALUE_COLUMNS

FIRST_QUARTER = (2016, 3)  # 2016-17 Q3 (October to December 2016)
QUARTERS = 40  # to 2026-27 Q2; the quarterly file adds 2026-27 Q3, which starts before 26 November 2026
QUARTERLY_ROWS = 10_000

SEX = ("Female", "Male")
AGE_BANDS = ("16-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65+")
ETHNICITY = (
    "Asian: Bangladeshi",
    "Asian: Chinese",
    "Asian: Indian",
    "Asian: Pakistani",
    "Asian: Other Asian",
    "Black: African",
    "Black: Caribbean",
    "Black: Other Black",
    "Mixed: White and Asian",
    "Mixed: White and Black African",
    "Mixed: White and Black Caribbean",
    "Mixed: Other Mixed",
    "White: English, Welsh, Scottish, Northern Irish or British",  # commas: quoted in the CSV
    "White: Irish",
    "White: Gypsy or Irish Traveller",
    "White: Roma",
    "White: Other White",
    "Other: Arab",
    "Other: Any other ethnic group",
)
DISABILITY = ("Disabled", "Not disabled")
GROUPS = {"sex": SEX, "age_band": AGE_BANDS, "ethnicity": ETHNICITY, "disability": DISABILITY}

# (kind label, how many, unit, kind, breakdowns without project, takes project)
FAMILIES = (
    ("flow", 14, "count", "flow", ("sex", "age_band", "ethnicity", "disability"), True),
    ("cumulative", 8, "count", "cumulative", ("sex", "age_band"), True),
    ("share", 12, "percent", "share", ("sex", "age_band", "disability"), True),
    ("rate", 3, "rate_per_100k", "level", ("sex", "age_band", "ethnicity"), False),
    ("survey", 3, "percent", "level", ("sex", "age_band", "ethnicity"), False),
)


def quarter_label(index: int) -> str:
    """The financial-quarter label `index` quarters after 2016-17 Q3 (index 0)."""
    year, q = FIRST_QUARTER
    n = (q - 1) + index
    first_year = year + n // 4
    return f"{first_year}-{(first_year + 1) % 100:02d} Q{n % 4 + 1}"


@dataclass(frozen=True)
class Spec:
    id: str
    family: str
    unit: str
    kind: str
    dims: tuple[str, ...]  # breakdowns other than project
    projects: bool
    theme: str
    actions: tuple[str, ...]

    @property
    def derivable(self) -> bool:
        return self.kind == "share" or self.unit in ("count", "money")

    @property
    def breakdowns(self) -> tuple[str, ...]:
        return self.dims + (("project",) if self.projects else ())


def indicator_specs(plan: Path = DATA_DIR / "plan.yaml") -> list[Spec]:
    """40 indicators, each linked to an action of the real plan; every non-milestone action gets one."""
    _, _, themes = load_plan(plan)
    actions = [(a.id, t.id) for t in themes for a in t.actions if not a.milestone]
    specs = []
    n = 0
    for family, count, unit, kind, dims, projects in FAMILIES:
        for _ in range(count):
            action, theme = actions[n % len(actions)]
            n += 1
            # Ids differ in their first characters, as the real ones do (DuckDB's string
            # statistics keep only a short prefix, so a shared prefix would hide any pruning).
            specs.append(Spec(f"i{n:02d}_{family}", family, unit, kind, dims, projects, theme, (action,)))
    return specs


def _indicator_entry(s: Spec) -> dict:
    entry = {
        "id": s.id,
        "name": f"Benchmark {s.family} indicator {s.id[1:3]}",
        "description": f"A synthetic {s.family} indicator for the benchmarks; its values are random.",
        "theme": s.theme,
        "actions": list(s.actions),
        "unit": s.unit,
        "kind": s.kind,
        "frequency": "quarter",
        "year_type": "financial",
        "direction": "higher",
        "target": None,
        "breakdowns": list(s.breakdowns),
        "source": {"publisher": "Benchmark", "publication": "Synthetic benchmark data"},
        "methodology": "Random values from a fixed seed.",
        "statistics_status": "illustrative",
        "next_update": "Never",
        "limitations": "Not real data.",
    }
    source = "Benchmark target"
    if s.kind == "share":
        entry |= {"numerator_label": "people in the group", "denominator_label": "all people"}
        entry["target"] = {"kind": "minimum", "value": 20, "basis": "illustrative", "source": source}
    elif s.kind == "cumulative":
        entry["target"] = {
            "kind": "cumulative",
            "value": 50000,
            "date": "2027-03-31",
            "basis": "illustrative",
            "source": source,
        }
    return entry


def write_catalogue(data_dir: Path) -> list[Spec]:
    """plan.yaml copied and a 40-indicator indicators.yaml written into data_dir (load with load_catalogue)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DATA_DIR / "plan.yaml", data_dir / "plan.yaml")
    specs = indicator_specs(data_dir / "plan.yaml")
    doc = {
        "defaults": {"owner": "Benchmark owner", "thresholds": {"green": 0.95, "amber": 0.5}, "decimals": 1},
        "indicators": [_indicator_entry(s) for s in specs],
    }
    (data_dir / "indicators.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return specs


def _places() -> tuple[list[tuple[str, str, str]], tuple[str, str, str]]:
    """(code, name, short) for the seven authorities, and the combined authority."""
    with GEOGRAPHIES_CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    las = [(r["code"], r["name"], r["name"][:3].upper()) for r in rows if r["level"] == "local_authority"]
    ca = next((r["code"], r["name"], "WMCA") for r in rows if r["level"] == "combined_authority")
    return las, ca


HEADER = VALUE_COLUMNS[:10]  # the template's columns in its order, less the optional interval (none here)


@dataclass
class Files:
    big: Path
    quarterly: Path
    settle: Path  # one corrected row of the last quarter, not among the rows the quarterly file sends again
    big_rows: int
    quarterly_rows: int
    quarterly_new: int  # rows of the new quarter
    quarterly_resent: int  # rows of the previous quarter sent again
    quarterly_changed: int  # of those, how many carry a different value or status
    projects_per_place: int
    quarters: int


class _Gen:
    """Row values: plausible magnitudes, about 0.5% suppressed (c) or not available (x)."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def row(self, s: Spec, period: str, geo: str, dim: str, group: str, status: str) -> list[str]:
        r = self.r
        value = numerator = denominator = ""
        scale = 1.0 if not dim else 0.15 if dim != "project" else 0.05
        if dim and r.random() < 0.005:
            value = r.choice(("c", "x"))
        elif s.kind == "share":
            den = max(1, int(r.uniform(200, 6000) * scale))
            num = int(den * r.uniform(0.05, 0.6))
            numerator, denominator = str(num), str(den)
            if r.random() < 0.5:
                value = f"{num / den * 100:.1f}"
        elif s.unit == "count":
            value = str(int(r.uniform(50, 4000) * scale))
        elif s.unit == "rate_per_100k":
            value = f"{r.uniform(10, 900):.1f}"
        elif s.unit == "score":  # a score out of 10 (the catalogue's value_range for life satisfaction)
            value = f"{r.uniform(5, 9.5):.1f}"
        else:
            value = f"{r.uniform(5, 95):.1f}"
        note = "Includes a late return." if r.random() < 0.001 else ""
        return [s.id, period, geo, value, numerator, denominator, dim, group, status, note]

    def revise(self, row: list[str], s: Spec) -> list[str]:
        """The same key with a corrected value (or, for shares, corrected counts)."""
        out = list(row)
        if out[3] in ("c", "x"):
            return out
        if out[4]:
            den = int(out[5]) + self.r.randint(1, 20)
            out[5] = str(den)
            out[3] = f"{int(out[4]) / den * 100:.1f}" if out[3] else ""
        elif "." in out[3]:
            new = float(out[3]) * self.r.uniform(0.9, 1.1)
            out[3] = f"{min(new, 100.0) if s.unit == 'percent' else new:.1f}"
        else:
            out[3] = str(int(out[3]) + self.r.randint(1, 25))
        return out


def _shape(specs: list[Spec], n_las: int) -> tuple[int, int]:
    """Rows per quarter without projects, and the number of (indicator, authority) cells with projects."""
    fixed = 0
    cells = 0
    for s in specs:
        places = n_las if s.derivable else n_las + 1
        fixed += places * (1 + sum(len(GROUPS[d]) for d in s.dims))
        if s.projects:
            cells += n_las
    return fixed, cells


def _emit_cell(gen: _Gen, s: Spec, period: str, geo: str, projects: list[str], status: str):
    yield gen.row(s, period, geo, "", "", status)
    for d in s.dims:
        for g in GROUPS[d]:
            yield gen.row(s, period, geo, d, g, status)
    for p in projects:
        yield gen.row(s, period, geo, "project", p, status)


def write_files(out_dir: Path, specs: list[Spec], rows: int = 1_000_000, seed: int = 20261126) -> Files:
    """The large file (exactly `rows` data rows) and a realistic 10,000-row quarterly file after it.

    The quarterly file is the next quarter (2026-27 Q3) for every indicator, place and
    demographic breakdown, with places written as names the way analysts type them, plus
    the previous quarter's rows sent again to fill 10,000 rows: about a third of those
    carry a corrected value and another third are marked final (both count as revisions),
    the rest are unchanged. Per-scheme (project) rows are left to a separate return:
    a whole quarter with them is 25,000 rows.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    las, ca = _places()
    fixed, cells = _shape(specs, len(las))
    quarters = QUARTERS if rows >= QUARTERS * fixed else max(2, rows // fixed)
    per_quarter = rows / quarters
    projects = max(0, math.ceil((per_quarter - fixed) / cells)) if cells else 0
    surplus = quarters * (fixed + cells * projects) - rows
    if surplus < 0:
        raise ValueError(f"Cannot shape {rows} rows: ask for at least {2 * fixed}.")
    # Trim schemes that had not started yet: up to 10 per cell from the earliest quarters first.
    trim: dict[tuple[int, int], int] = {}
    cap = min(10, projects)
    while surplus > 0:
        for q in range(quarters):
            for c in range(cells):
                if surplus == 0:
                    break
                take = min(surplus, cap - trim.get((q, c), 0))
                if take > 0:
                    trim[q, c] = trim.get((q, c), 0) + take
                    surplus -= take
        cap = projects
    gen = _Gen(seed)
    scheme_names = {code: [f"{short}-S{k:03d}" for k in range(1, projects + 1)] for code, _, short in las}
    big = out_dir / f"bench_{rows}.csv"
    last_quarter: list[list[str]] = []
    written = 0
    with big.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for q in range(quarters):
            period = quarter_label(q)
            status = "provisional" if q >= quarters - 2 else "final"
            c = 0
            buf = []
            for s in specs:
                places = las if s.derivable else [*las, ca]
                for code, _, _ in places:
                    names: list[str] = []
                    if s.projects and code != ca[0]:
                        names = scheme_names[code][: projects - trim.get((q, c), 0)]
                        c += 1
                    buf.extend(_emit_cell(gen, s, period, code, names, status))
            if q == quarters - 1:
                last_quarter = buf
            written += len(buf)
            w.writerows(buf)
    assert written == rows, (written, rows)

    # The quarterly file: the next quarter without projects, then the last quarter re-sent.
    name_of = {code: name for code, name, _ in [*las, ca]}
    by_id = {s.id: s for s in specs}
    period = quarter_label(quarters)
    new_rows = []
    for s in specs:
        places = las if s.derivable else [*las, ca]
        for _code, name, _ in places:
            new_rows.extend(_emit_cell(gen, s, period, name, [], "provisional"))
    resend = max(0, QUARTERLY_ROWS - len(new_rows))
    picked = sorted(gen.r.sample(range(len(last_quarter)), min(resend, len(last_quarter))))
    again = []
    changed = 0
    for n, i in enumerate(picked):
        row = list(last_quarter[i])
        row[2] = name_of[row[2]]
        if n % 3 == 0:
            new = gen.revise(row, by_id[row[0]])
            changed += new != row
            row = new
        elif n % 3 == 1:
            row[8] = "final"
            changed += 1
        again.append(row)
    quarterly = out_dir / "bench_quarterly.csv"
    text = io.StringIO()
    w = csv.writer(text, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(new_rows)
    w.writerows(again)
    quarterly.write_text(text.getvalue(), encoding="utf-8")

    # A one-row correction between the load and the quarterly file, as an analyst might send: a row of
    # the last quarter the quarterly file does not send again, made final. It gives the store the first
    # write after its bulk load (bench/core.py says why that matters), and leaves the quarterly
    # file's counts as they are.
    resent = set(picked)
    spare = next(i for i in range(len(last_quarter)) if i not in resent and last_quarter[i][8] != "final")
    row = list(last_quarter[spare])
    row[2] = name_of[row[2]]
    row[8] = "final"
    settle = out_dir / "bench_settle.csv"
    text = io.StringIO()
    w = csv.writer(text, lineterminator="\n")
    w.writerow(HEADER)
    w.writerow(row)
    settle.write_text(text.getvalue(), encoding="utf-8")
    return Files(
        big=big,
        quarterly=quarterly,
        settle=settle,
        big_rows=rows,
        quarterly_rows=len(new_rows) + len(again),
        quarterly_new=len(new_rows),
        quarterly_resent=len(again),
        quarterly_changed=changed,
        projects_per_place=projects,
        quarters=quarters,
    )
