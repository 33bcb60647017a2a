"""Sample data for a new store: real published figures where they exist, illustrative elsewhere.

Every sample value goes through the same upload checks as an analyst's file, one
upload per source, so the sample also exercises the upload log, a revision and
missing-value symbols. Illustrative values are flagged in the store and say so
on screen. The builder is deterministic: the same store every time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from metrics.catalogue import Catalogue
from metrics.dashboard import place_series_means
from metrics.paths import REAL_FIGURES_DIR
from metrics.periods import next_period, parse_period
from metrics.upload import VALUE_COLUMNS, Origin, Report, ingest_bytes

SAMPLE_USER = "kpi init (sample data)"
FIRST_QUARTER = "2022-23 Q1"
LAST_QUARTER = "2026-27 Q2"  # fixed, not "today", so the sample is the same on every machine
SAMPLE_TIME = dt.datetime(2026, 11, 2, 9, 0)
HEADER = list(VALUE_COLUMNS)


@dataclass(frozen=True)
class RealFile:
    indicator_id: str
    file: str
    source: str
    value_column: str = "value"
    keep_ca: bool = True
    # England's and the region's rows from another file of the same publication, for these periods only:
    # the fuel poverty shares of the same method (LILEE, 2019 on), where the main file has no comparators.
    comparators_from: str | None = None
    comparator_periods: tuple[str, ...] = ()


# Each real figure file: the indicator it feeds and the project's own source line.
REAL_FILES = (
    RealFile(
        "apprenticeship_starts",
        "apprenticeship_starts_count.csv",
        "Department for Education, Apprenticeships provider dashboard data file, starts by learner home "
        "local authority, academic years 2022/23 to 2024/25",
    ),
    RealFile(
        "apprenticeship_achievements",
        "apprenticeship_achievements_count.csv",
        "Department for Education, Apprenticeships provider dashboard data file, achievements by learner "
        "home local authority",
    ),
    RealFile(
        "neet_16_17",
        "neet_16_17_pct.csv",
        "Department for Education, Participation in education, training and NEET age 16 to 17 by local "
        "authority (NCCIS), NEET percentage",
    ),
    RealFile(
        "activity_not_known_16_17",
        "activity_not_known_16_17_pct.csv",
        "Department for Education, Participation in education, training and NEET age 16 to 17 by local "
        "authority (NCCIS), activity not known percentage",
    ),
    RealFile(
        "fuel_poverty_households",
        "fuel_poverty_households_num_den.csv",
        "Department for Energy Security and Net Zero, Sub-regional fuel poverty statistics, Table 2 "
        "(LILEE) and its England and regional figures, data years 2019 to 2022",
        keep_ca=False,
        comparators_from="fuel_poverty_households_pct.csv",
        comparator_periods=("2019", "2020", "2021", "2022"),
    ),
    RealFile(
        "employment_rate_16_64",
        "employment_rate_16_64_pct.csv",
        "Office for National Statistics, Annual Population Survey, employment rate 16 to 64, via Explore "
        "Local Statistics",
    ),
    RealFile(
        "economic_inactivity_16_64",
        "economic_inactivity_16_64_pct.csv",
        "Office for National Statistics, Annual Population Survey, economic inactivity 16 to 64, via "
        "Explore Local Statistics",
    ),
    RealFile(
        "claimant_rate_16_64",
        "claimant_count_pct_16_64_annual.csv",
        "Office for National Statistics, Claimant count as a percentage of residents aged 16 to 64, via "
        "Explore Local Statistics",
    ),
    RealFile(
        "fe_participation_19plus_rate",
        "fe_skills_participation_19plus_rate_per_100k.csv",
        "Department for Education, Further education and skills participation 19+, rate per 100,000, via "
        "Explore Local Statistics",
    ),
    RealFile(
        "qualified_level3_plus_16_64",
        "qualified_level3_plus_16_64_pct.csv",
        "Office for National Statistics, Annual Population Survey, qualified to level 3 or above, via "
        "Explore Local Statistics",
    ),
    RealFile(
        "life_satisfaction",
        "wellbeing_life_satisfaction_mean.csv",
        "Office for National Statistics, Personal well-being estimates, life satisfaction, via Explore "
        "Local Statistics",
    ),
    RealFile(
        "children_low_income",
        "children_relative_low_income_bhc_pct.csv",
        "Department for Work and Pensions, Children in low income families (before housing costs), via "
        "Explore Local Statistics",
    ),
    RealFile(
        "ghg_emissions_per_capita",
        "ghg_emissions_tco2e_per_capita.csv",
        "Department for Energy Security and Net Zero, UK local authority greenhouse gas emissions, via "
        "Explore Local Statistics",
    ),
    RealFile(
        "housing_affordability_ratio",
        "housing_affordability_ratio_residence.csv",
        "Office for National Statistics, House price to residence-based earnings ratio",
    ),
    RealFile(
        "households_temporary_accommodation",
        "households_in_temporary_accommodation.csv",
        "Ministry of Housing, Communities and Local Government, Statutory homelessness, temporary "
        "accommodation snapshots as reported in the press and the House of Commons Library",
    ),
    RealFile(
        "internet_non_users",
        "internet_non_users_pct.csv",
        "West Midlands Combined Authority, Levelling Up Growth Prospectus (2022), internet non-users",
    ),
    RealFile(
        "thrive_at_work_employers",
        "thrive_at_work_employers_signed_up.csv",
        "Public Sector Executive, report of May 2025: about 650 employers signed up to Thrive at Work",
    ),
)

ALIASES = {"West Midlands (as cited by WMCA)": "West Midlands CA"}
COMPARATOR_NAMES = ("England", "West Midlands region")  # as the real figure files name them


def _clean_period(text: str) -> str:
    """Real-figure period labels carry notes ("2018/19 (FY)", "2022-Q2 (30 Jun 2022)"): keep the period."""
    text = re.sub(r"\s*\(.*\)\s*$", "", text.strip())
    m = re.match(r"^(\d{4})-(\d{2}) \(approx\.\)$", text)
    return m.group(1) if m else text


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADER)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return out.getvalue().encode("utf-8")


def _row(iid, period, geo, value=None, num=None, den=None, dim=None, group=None, status="final", note=None):
    return [iid, period, geo, value, num, den, dim, group, status, note, None, None, None]  # no interval


def real_uploads(catalogue: Catalogue) -> Iterator[tuple[str, bytes, Origin]]:
    """One upload per real figure file, as published: the eight places' rows and England's and the West
    Midlands region's (comparators, context for the figures; never part of a derived figure or verdict)."""
    places = {g.name for g in catalogue.geographies} | {a for g in catalogue.geographies for a in g.aliases}
    comparators = {c.name for c in (catalogue.comparators.england, catalogue.comparators.region) if c}
    for spec in REAL_FILES:
        ind = catalogue.indicator(spec.indicator_id)
        rows = []
        for r in _real_rows(spec):
            geo = ALIASES.get(r["geography"], r["geography"])
            if geo not in places | comparators or "in-year" in r["period"]:
                continue
            place = catalogue.resolve_geography(geo)
            if not spec.keep_ca and place is not None and place.level == "combined_authority":
                continue
            period = _clean_period(r["period"])
            if ind.frequency == "quarter" and re.fullmatch(r"\d{4}-\d{2}", period):
                month = int(period[5:])
                period = f"{period[:4]}-Q{(month - 1) // 3 + 1}"
            if ind.frequency == "year" and ind.year_type == "calendar" and not period.isdigit():
                period = period[:4]
            if ind.is_share and r.get("numerator"):
                rows.append(_row(ind.id, period, geo, None, r["numerator"], r["denominator"]))
            else:
                rows.append(_row(ind.id, period, geo, r[spec.value_column]))
        yield f"sample-real-{spec.indicator_id}.csv", _csv(rows), Origin("sample", False, spec.source)


def _real_rows(spec: RealFile) -> Iterator[dict[str, str]]:
    """A real figure file's rows, then England's and the region's from `comparators_from` where named."""
    with (REAL_FIGURES_DIR / spec.file).open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)
    if spec.comparators_from:
        with (REAL_FIGURES_DIR / spec.comparators_from).open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r["geography"] in COMPARATOR_NAMES and r["period"] in spec.comparator_periods:
                    yield r


def _quarters(first: str = FIRST_QUARTER, last: str = LAST_QUARTER) -> list[str]:
    today = dt.date(2100, 1, 1)
    p = parse_period(first, "quarter", "financial", today)
    end = parse_period(last, "quarter", "financial", today)
    out = []
    while p.start <= end.start:
        out.append(p.label)
        p = next_period(p, "quarter", "financial")
    return out


def _academic_quarters() -> list[str]:
    today = dt.date(2100, 1, 1)
    p = parse_period("2022-23 Q1", "quarter", "academic", today)
    out = []
    while p.end <= dt.date(2026, 10, 31):
        out.append(p.label)
        p = next_period(p, "quarter", "academic")
    return out


SCF_PROJECTS = (
    # name, place, first quarter index, homes, affordable homes (illustrative)
    ("Birmingham scheme 1 (illustrative)", "Birmingham", 0, 420, 118),
    ("Birmingham scheme 2 (illustrative)", "Birmingham", 5, 260, 47),
    ("Birmingham scheme 3 (illustrative)", "Birmingham", 10, 180, 54),
    ("Coventry scheme 1 (illustrative)", "Coventry", 0, 310, 93),
    ("Coventry scheme 2 (illustrative)", "Coventry", 8, 140, 31),
    ("Dudley scheme 1 (illustrative)", "Dudley", 0, 150, 36),
    ("Sandwell scheme 1 (illustrative)", "Sandwell", 0, 220, 66),
    ("Sandwell scheme 2 (illustrative)", "Sandwell", 12, 95, 15),
    ("Solihull scheme 1 (illustrative)", "Solihull", 0, 180, 45),
    ("Walsall scheme 1 (illustrative)", "Walsall", 0, 130, 39),
    ("Walsall scheme 2 (illustrative)", "Walsall", 7, 110, 24),
    ("Wolverhampton scheme 1 (illustrative)", "Wolverhampton", 0, 240, 60),
    ("Wolverhampton scheme 2 (illustrative)", "Wolverhampton", 9, 160, 40),
    ("Wolverhampton scheme 3 (illustrative)", "Wolverhampton", 14, 120, 21),
)

# Illustrative quarterly flows: (indicator, base per quarter for Birmingham, growth per quarter)
FLOWS = {
    "jobs_created_wmca_investment": (95, 0.02),
    "employment_support_pilot_people": (60, 0.01),
    "youth_hub_young_people_supported": (150, 0.015),
    "swap_participants": (70, 0.01),
    "thrive_into_work_people_supported": (55, 0.02),
    "homes_retrofitted": (22, 0.04),
}
LA_SCALE = {
    "Birmingham": 1.0,
    "Coventry": 0.35,
    "Dudley": 0.3,
    "Sandwell": 0.32,
    "Solihull": 0.2,
    "Walsall": 0.26,
    "Wolverhampton": 0.25,
}
GROUPS = {
    "sex": (("Female", 0.48), ("Male", 0.52)),
    "ethnicity": (("Asian", 0.22), ("Black", 0.08), ("Mixed", 0.04), ("White", 0.62), ("Other", 0.04)),
    "disability": (("Disabled", 0.14), ("Not disabled", 0.86)),
    "age_band": (("16-18", 0.27), ("19-24", 0.31), ("25+", 0.42)),
}


# A few group values suppressed as a publisher would (c), at fixed places and quarters. Suppressing
# every group under 5 instead blanked most small authorities' groups, and with them most of the
# combined authority's breakdowns (a derived value needs all seven).
SUPPRESSED = {
    ("swap_participants", "Solihull", "2023-24 Q2", "Mixed"),
    ("youth_hub_young_people_supported", "Walsall", "2024-25 Q1", "Other"),
    ("youth_hub_young_people_supported", "Solihull", "2025-26 Q3", "Disabled"),
}


def _split(total: int, dim: str, rng: random.Random) -> list[tuple[str, int]]:
    return [(group, round(total * share * rng.uniform(0.9, 1.1))) for group, share in GROUPS[dim]]


def illustrative_upload(catalogue: Catalogue) -> tuple[str, bytes, Origin]:
    rng = random.Random(20221)
    quarters = _quarters()
    rows: list[list[object]] = []
    las = [g.name for g in catalogue.local_authorities]

    # SCF schemes: each reports its homes and affordable homes every quarter from approval.
    iid = "affordable_housing_share_scf"
    for qi, q in enumerate(quarters):
        status = "final" if qi < len(quarters) - 2 else "provisional"
        for la in las:
            active = [p for p in SCF_PROJECTS if p[1] == la and p[2] <= qi]
            num = sum(p[4] for p in active)
            den = sum(p[3] for p in active)
            rows.append(_row(iid, q, la, None, num, den, status=status))
            for name, _, _, homes, affordable in active:
                rows.append(_row(iid, q, la, None, affordable, homes, "project", name, status))

    # Accessible homes: a share per authority.
    for qi, q in enumerate(quarters):
        for la in las:
            den = round(60 * LA_SCALE[la] * 3 + rng.randint(5, 40))
            num = round(den * min(0.6, 0.18 + 0.012 * qi + rng.uniform(-0.03, 0.03)))
            rows.append(_row("accessible_homes_share_funded", q, la, None, num, den))

    # Flows and cumulative counts by authority, some with breakdowns.
    for iid, (base, growth) in FLOWS.items():
        ind = catalogue.indicator(iid)
        for qi, q in enumerate(quarters):
            status = "final" if qi < len(quarters) - 2 else "provisional"
            for la in las:
                v = max(0, round(base * LA_SCALE[la] * (1 + growth) ** qi * rng.uniform(0.8, 1.2)))
                rows.append(_row(iid, q, la, v, status=status))
                for dim in ind.breakdowns:
                    for group, gv in _split(v, dim, rng):
                        shown = "c" if (iid, la, q, group) in SUPPRESSED else gv
                        rows.append(_row(iid, q, la, shown, dim=dim, group=group, status=status))

    # ESOL learners: academic quarters.
    for q in _academic_quarters():
        for la in las:
            v = round(180 * LA_SCALE[la] * rng.uniform(0.85, 1.15) * (1.3 if q.endswith("Q1") else 1.0))
            rows.append(_row("esol_learners", q, la, v))
            for dim in ("sex", "age_band"):
                for group, gv in _split(v, dim, rng):
                    rows.append(_row("esol_learners", q, la, gv, dim=dim, group=group))

    # Temporary accommodation: a level that creeps up, with one authority's figure not available.
    # Scaled so the combined authority's total stays below the published West Midlands region figure
    # (8,120 households in June 2024, 8,820 in June 2025), which covers a larger area.
    for qi, q in enumerate(quarters):
        for la in las:
            if la == "Walsall" and q == "2023-24 Q3":
                rows.append(
                    _row("households_temporary_accommodation", q, la, "x", note="Return not received")
                )
                continue
            v = round(2500 * LA_SCALE[la] * (1.01**qi) * rng.uniform(0.95, 1.05))
            rows.append(_row("households_temporary_accommodation", q, la, v))

    # Thrive at Work employers: a rising level for the combined authority.
    for qi, q in enumerate(quarters):
        if q == "2025-26 Q1":
            continue  # the published figure (about 650)
        rows.append(_row("thrive_at_work_employers", q, "West Midlands CA", 300 + 25 * qi))

    # Internet non-users after the published 2022 figure.
    for year, v in (("2023", 21.0), ("2024", 19.5), ("2025", 18.6)):
        rows.append(_row("internet_non_users", year, "West Midlands CA", v))

    # Apprenticeship starts by group: illustrative splits of the real totals.
    starts = _real_values(catalogue, "apprenticeship_starts_count.csv")
    for (la, period), total in sorted(starts.items()):
        for dim in ("sex", "ethnicity", "disability", "age_band"):
            for group, gv in _split(int(total), dim, rng):
                rows.append(_row("apprenticeship_starts", period, la, gv, dim=dim, group=group))

    return "sample-illustrative.csv", _csv(rows), Origin("sample", True, "Illustrative sample data")


def academy_upload() -> tuple[str, bytes, Origin]:
    """The Jobs and Skills Academy's one published figure: 7,570 people trained to 18 July 2022.

    WMCA published only the total since the Academy opened (no quarterly split), so the sample holds
    that one figure, in the quarter that contains 18 July 2022, as published: not illustrative.
    """
    rows = [
        _row(
            "jobs_skills_academy_people_supported",
            "2022-23 Q2",
            "West Midlands CA",
            7570,
            note="People trained to 18 July 2022, the total since the Academy opened (WMCA press release)",
        )
    ]
    source = (
        "West Midlands Combined Authority, press release of 18 July 2022: 7,570 people trained by the "
        "Commonwealth Games Jobs and Skills Academy"
    )
    return "sample-real-jobs_skills_academy.csv", _csv(rows), Origin("sample", False, source)


def _real_values(catalogue: Catalogue, file: str) -> dict[tuple[str, str], float]:
    out = {}
    las = {g.name for g in catalogue.local_authorities}
    with (REAL_FIGURES_DIR / file).open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["geography"] in las and "in-year" not in r["period"]:
                out[(r["geography"], r["period"])] = float(r["value"])
    return out


def revision_upload() -> tuple[str, bytes, Origin]:
    """One later upload that revises a value, so the revision history has something to show."""
    rows = [
        _row(
            "jobs_created_wmca_investment",
            "2026-27 Q1",
            "Birmingham",
            131,
            status="final",
            note="Revised after the scheme's audited return",
        ),
    ]
    return "sample-revision-2026-27-Q1.csv", _csv(rows), Origin("sample", True, "Illustrative sample data")


ACTION_STORY = {
    # action id: (status from 2022-23 Q1 onwards as (quarter index, status) changes, note at the change)
    "AH2": (
        (0, "on_track", None),
        (9, "at_risk", "Two schemes approved below 20% affordable; review under way"),
    ),
    "AH3": (
        (0, "not_started", None),
        (3, "on_track", "Partners agreed; first sites identified"),
        (12, "complete", "Collaborative Delivery Vehicle established"),
    ),
    "SE14": ((0, "on_track", None), (1, "complete", "7,570 people trained against the 6,000 target")),
    "AC3": ((0, "on_track", None), (6, "complete", "Refreshed Design Charter adopted")),
    "PS4": ((0, "on_track", None), (8, "at_risk", "Device scheme demand above funded places")),
    "WE9": (
        (0, "on_track", None),
        (5, "off_track", "Retrofit supply chain delays"),
        (11, "at_risk", "Second installer contracted"),
    ),
    "JC2": ((0, "not_started", None), (4, "on_track", "Employment sites funding secured")),
    "PS8": ((0, "not_started", None), (7, "on_track", "Veterans group first met")),
    "WE5": ((0, "on_track", None),),
}


def status_upload(catalogue: Catalogue) -> tuple[str, bytes, Origin]:
    quarters = _quarters()
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["action_id", "period", "status", "note"])
    for action in catalogue.actions:
        story = ACTION_STORY.get(action.id, ((0, "on_track", None),))
        for qi, q in enumerate(quarters):
            current = [s for s in story if s[0] <= qi][-1]
            note = current[2] if current[0] == qi else None
            w.writerow([action.id, q, current[1], note or ""])
    return "sample-action-status.csv", out.getvalue().encode("utf-8"), Origin("sample", True, None)


# Statistical neighbours' figures for a few measures that compare across places, so the Indicator page's
# "Compared with similar areas" has something to show. No neighbour figure is in the reference folder,
# so every one is ILLUSTRATIVE (the upload is marked so): each neighbour sits a fixed distance from the
# seven authorities' mean for the period, with a little noise. A survey estimate gets an illustrative 95%
# interval of the width the Annual Population Survey has for a single authority (about 3 points a side).
NEIGHBOUR_MEASURES = {  # indicator -> (spread either side of the mean, noise, half-width of the interval)
    "housing_affordability_ratio": (1.2, 0.15, None),
    "employment_rate_16_64": (4.0, 0.8, 3.0),
    "claimant_rate_16_64": (1.2, 0.2, None),
}


def neighbour_rows(db: str | Path | None, catalogue: Catalogue) -> list[list[object]]:
    """Illustrative figures for every declared statistical neighbour, for NEIGHBOUR_MEASURES, over the
    periods the seven authorities have (read from the store the real uploads have just filled). They go
    in the illustrative upload, which is marked so, and leave every other sample upload's number alone."""
    rng = random.Random(16)
    comparators = catalogue.comparators
    codes = sorted({c for s in comparators.neighbours.sets.values() for c in s})
    rows = []
    for iid, (spread, noise, half) in NEIGHBOUR_MEASURES.items():
        ind = catalogue.indicator(iid)
        means = place_series_means(ind, db=db, catalogue=catalogue)
        for code in codes:
            shift = rng.uniform(-spread, spread)
            for period, mean in means:
                value = round(mean + shift + rng.uniform(-noise, noise), ind.decimals)
                row = _row(iid, period, code, value, status="final")
                if half is not None and ind.is_estimate:
                    row[-3:] = [round(value - half, ind.decimals), round(value + half, ind.decimals), 95]
                rows.append(row)
    return rows


def _with_rows(upload: tuple[str, bytes, Origin], rows: list[list[object]]) -> tuple[str, bytes, Origin]:
    """The upload with `rows` added at its end (its header already written)."""
    name, data, origin = upload
    return name, data + _csv(rows).split(b"\n", 1)[1], origin


def load_sample(db: str | Path | None, catalogue: Catalogue) -> list[Report]:
    """Load every sample upload in a fixed order; stop at the first that is not committed."""
    uploads = [
        *real_uploads(catalogue),
        # Built when its turn comes: the neighbours' figures are drawn round what the real uploads wrote.
        lambda: _with_rows(illustrative_upload(catalogue), neighbour_rows(db, catalogue)),
        status_upload(catalogue),
        revision_upload(),
        academy_upload(),
    ]
    reports = []
    for i, upload in enumerate(uploads):
        name, data, origin = upload() if callable(upload) else upload
        report = ingest_bytes(
            data,
            name,
            db=db,
            user=SAMPLE_USER,
            catalogue=catalogue,
            now=SAMPLE_TIME + dt.timedelta(minutes=i),
            max_bytes=10**9,
            origin=origin,
        )
        reports.append(report)
        if report.status != "committed":
            raise RuntimeError(f"Sample upload {name} was not accepted: {report.as_json()['errors'][:5]}")
    return reports
