"""The sample data `kpi init` builds: the same every time, real figures where they exist (with their
sources), illustrative values elsewhere and flagged so, covering what the pages need to show."""

from __future__ import annotations

import csv
import datetime as dt

import duckdb
import pytest

from metrics.catalogue import default_catalogue
from metrics.paths import REAL_FIGURES_DIR
from metrics.sample import REAL_FILES, SAMPLE_USER
from metrics.schemes import project_shares

LA_CODES = {"E08000025", "E08000026", "E08000027", "E08000028", "E08000029", "E08000030", "E08000031"}
ILLUSTRATIVE = "Illustrative sample data"
FIRST_QUARTER_START = {"financial": dt.date(2022, 4, 1), "academic": dt.date(2022, 8, 1)}


@pytest.fixture(scope="module")
def store(sample_template):
    """The session's sample store, read only: these tests look, they do not change it."""
    con = duckdb.connect(str(sample_template), read_only=True)
    yield con
    con.close()


def q(con, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def test_init_twice_changes_nothing(sample_store, kpi, dump_store):
    before = dump_store(sample_store)
    code, out, err = kpi("init", "--db", sample_store)
    assert code == 0, err
    assert "no migrations needed" in out and "Sample data loaded" not in out
    assert dump_store(sample_store) == before


def test_init_builds_the_same_store_every_time(sample_template, tmp_path, kpi, dump_store):
    fresh = tmp_path / "fresh" / "kpi.duckdb"
    code, out, err = kpi("init", "--db", fresh)
    assert code == 0, err
    assert "Sample data loaded" in out
    assert dump_store(fresh) == dump_store(sample_template)


def test_init_without_sample_loads_the_plan_and_catalogue_only(empty_store, dump_store):
    tables = dump_store(empty_store)
    assert len(tables["action"]) == 47 and len(tables["theme"]) == 6
    assert len(tables["indicator"]) == len(default_catalogue().indicators)
    assert len(tables["geography"]) == 8
    assert tables["upload"] == [] and tables["observation"] == [] and tables["action_status"] == []


def test_every_sample_upload_went_through_the_upload_and_is_logged(store):
    uploads = q(store, "SELECT user_name, outcome, kind, revised FROM upload ORDER BY id")
    assert uploads and all(u[0] == SAMPLE_USER and u[1] == "committed" for u in uploads)
    assert (
        len(uploads) == len(REAL_FILES) + 4
    )  # + illustrative values, action statuses, a revision, the Academy


def test_illustrative_quarterly_values_cover_eight_quarters_from_2022_23_q1_in_all_seven_places(store):
    cat = default_catalogue()
    found = q(
        store,
        "SELECT indicator_id, geography_code, min(period_start), count(DISTINCT period_start) FROM observation "
        "WHERE illustrative AND breakdown_dimension = '' GROUP BY ALL",
    )
    quarterly = {i.id for i in cat.indicators if i.frequency == "quarter"}
    # The Academy has one published figure and no illustrative quarters (see the test below).
    checked = quarterly - {"jobs_skills_academy_people_supported", "thrive_at_work_employers"}
    for iid in checked:
        ind = cat.indicator(iid)
        rows = [r for r in found if r[0] == iid]
        assert {r[1] for r in rows} >= LA_CODES, iid
        for _, code, first, quarters in rows:
            assert first == FIRST_QUARTER_START[ind.year_type], (iid, code, first)
            assert quarters >= 8, (iid, code, quarters)
    # Thrive at Work is one regional programme: the combined authority's own quarters.
    thrive = [r for r in found if r[0] == "thrive_at_work_employers"]
    assert [(r[1], r[2]) for r in thrive] == [("E47000007", dt.date(2022, 4, 1))] and thrive[0][3] >= 8


def test_every_declared_breakdown_has_sample_values(store):
    held = set(
        q(
            store,
            "SELECT DISTINCT indicator_id, breakdown_dimension FROM observation WHERE breakdown_dimension <> ''",
        )
    )
    for ind in default_catalogue().indicators:
        for dim in ind.breakdowns:
            assert (ind.id, dim) in held, (ind.id, dim)


def test_some_scf_projects_are_below_20_percent(sample_template):
    cat = default_catalogue()
    frame = project_shares(
        cat.indicator("affordable_housing_share_scf"), cat.combined_authority, db=sample_template
    )
    latest = frame[frame["period_end"] == frame["period_end"].max()]
    below = latest[latest["share"] < 20]
    assert 1 <= len(below) < len(latest)
    assert (latest["share"] >= 20).any()
    assert all("(illustrative)" in name for name in latest["project"])


def test_a_few_missing_value_symbols(store):
    missing = q(
        store, "SELECT missing, count(*) FROM observation WHERE missing IS NOT NULL GROUP BY ALL ORDER BY 1"
    )
    symbols = dict(missing)
    assert set(symbols) >= {"c", "x"}
    assert 2 <= sum(symbols.values()) <= 10, symbols
    total = q(store, "SELECT count(*) FROM observation")[0][0]
    assert sum(symbols.values()) < total / 100


def test_exactly_one_revision(store):
    revised_keys = q(
        store,
        "SELECT indicator_id, geography_code, period, breakdown_dimension, breakdown_value, count(*) "
        "FROM observation GROUP BY ALL HAVING count(*) > 1",
    )
    assert revised_keys == [("jobs_created_wmca_investment", "E08000025", "2026-27 Q1", "", "", 2)]
    assert q(store, "SELECT sum(revised) FROM upload")[0][0] == 1


def test_real_figures_are_loaded_with_their_sources_and_not_flagged_illustrative(store):
    for spec in REAL_FILES:
        rows = q(
            store,
            "SELECT DISTINCT o.illustrative, o.source FROM observation o JOIN upload u ON u.id = o.upload_id "
            "WHERE u.file_name = ?",
            [f"sample-real-{spec.indicator_id}.csv"],
        )
        assert rows == [(False, spec.source)], spec.indicator_id
        assert spec.source.strip() and "http" not in spec.source


@pytest.mark.parametrize(
    ("indicator", "file", "place", "code", "period", "stored_period"),
    [
        (
            "apprenticeship_starts",
            "apprenticeship_starts_count.csv",
            "Birmingham",
            "E08000025",
            "2022/23",
            "2022-23",
        ),
        ("neet_16_17", "neet_16_17_pct.csv", "Walsall", "E08000030", "2024", "2024"),
        (
            "fuel_poverty_households",
            "fuel_poverty_households_num_den.csv",
            "Dudley",
            "E08000027",
            "2021",
            "2021",
        ),
    ],
)
def test_real_values_are_as_published(store, indicator, file, place, code, period, stored_period):
    with (REAL_FIGURES_DIR / file).open(encoding="utf-8", newline="") as f:
        [published] = [r for r in csv.DictReader(f) if r["geography"] == place and r["period"] == period]
    [(value, num, den, illustrative)] = q(
        store,
        "SELECT value, numerator, denominator, illustrative FROM observation WHERE indicator_id = ? "
        "AND geography_code = ? AND period = ? AND breakdown_dimension = ''",
        [indicator, code, stored_period],
    )
    assert illustrative is False
    if "numerator" in published:
        assert (num, den) == (float(published["numerator"]), float(published["denominator"]))
        assert value == pytest.approx(num / den * 100)
    else:
        assert value == float(published["value"])


def test_official_statistics_have_real_figures(store):
    real = {r[0] for r in q(store, "SELECT DISTINCT indicator_id FROM observation WHERE NOT illustrative")}
    official = {i.id for i in default_catalogue().indicators if i.statistics_status == "official_statistics"}
    assert official <= real


def test_illustrative_values_are_flagged_and_say_so(store):
    rows = q(store, "SELECT DISTINCT o.illustrative, o.source FROM observation o JOIN upload u ON u.id = o.upload_id "
                    "WHERE u.file_name IN ('sample-illustrative.csv', 'sample-revision-2026-27-Q1.csv')")  # fmt: skip
    assert rows == [(True, ILLUSTRATIVE)]
    # The uploads themselves say so (a public release leaves them out: metrics.publish.release), and
    # so does the sample's action-status upload, whose rows carry no flag of their own.
    flagged = q(store, "SELECT file_name FROM upload WHERE illustrative ORDER BY id")
    assert [r[0] for r in flagged] == [
        "sample-illustrative.csv",
        "sample-action-status.csv",
        "sample-revision-2026-27-Q1.csv",
    ]
    assert (
        q(store, "SELECT count(*) FROM upload WHERE file_name LIKE 'sample-real-%' AND illustrative")[0][0]
        == 0
    )
    # Every value is either flagged illustrative or carries its real source.
    assert q(store, "SELECT count(*) FROM observation WHERE NOT illustrative AND source IS NULL")[0][0] == 0
    # Indicators with no real series are all illustrative.
    cat = default_catalogue()
    for ind in cat.indicators:
        if ind.statistics_status == "illustrative" and ind.id not in (
            "households_temporary_accommodation",
            "thrive_at_work_employers",
        ):
            assert q(
                store, "SELECT bool_and(illustrative) FROM observation WHERE indicator_id = ?", [ind.id]
            )[0][0], ind.id


def test_the_academy_holds_its_one_published_figure_named_as_published(store):
    """WMCA published 7,570 people *trained* to 18 July 2022 and no quarterly split: nothing invented."""
    rows = q(
        store,
        "SELECT period, geography_code, value, illustrative, note, source FROM observation "
        "WHERE indicator_id = 'jobs_skills_academy_people_supported'",
    )
    assert len(rows) == 1
    period, code, value, illustrative, note, source = rows[0]
    assert (period, code, value, illustrative) == ("2022-23 Q2", "E47000007", 7570, False)
    assert "trained to 18 July 2022" in note and "trained" in source
    with (REAL_FIGURES_DIR / "cwg_jobs_skills_academy_people_trained_cumulative.csv").open(
        encoding="utf-8"
    ) as f:
        [published] = list(csv.DictReader(f))
    assert float(published["value"]) == value and published["unit"] == "people trained"
    assert (
        default_catalogue().indicator("jobs_skills_academy_people_supported").unit_label == "people trained"
    )


def _reference(file: str, geography: str) -> list[float]:
    with (REAL_FIGURES_DIR / file).open(encoding="utf-8", newline="") as f:
        return [float(r["value"]) for r in csv.DictReader(f) if r["geography"] == geography]


def test_illustrative_temporary_accommodation_stays_below_the_published_region_figure(store):
    """The West Midlands region (8,120 to 8,820 households, 2024-25) covers more than the seven
    metropolitan authorities, so their illustrative total must stay below it, not twice it."""
    region = _reference("households_in_temporary_accommodation.csv", "West Midlands region")
    assert region and max(region) < 9000
    totals = q(
        store,
        "SELECT period, sum(value) FROM observation WHERE indicator_id = 'households_temporary_accommodation' "
        "AND geography_code <> 'E47000007' AND breakdown_dimension = '' AND value IS NOT NULL AND illustrative "
        "GROUP BY period HAVING count(*) = 7",
    )
    assert len(totals) >= 8
    for period, total in totals:
        assert 0.5 * min(region) < total < max(region), (period, total)


@pytest.mark.parametrize(
    ("indicator", "code", "period", "value"),
    [
        # Typed from ../shared/reference/real-figures (rows for England and the West Midlands region).
        ("housing_affordability_ratio", "E92000001", "2024", 7.84),
        ("housing_affordability_ratio", "E12000005", "2025", 6.8),
        ("employment_rate_16_64", "E12000005", "2023", 75.2),
        ("neet_16_17", "E92000001", "2025", 3.4),
        ("neet_16_17", "E12000005", "2024", 2.8),
        ("life_satisfaction", "E12000005", "2022-23", 7.43),
        ("fuel_poverty_households", "E92000001", "2022", 13.051),
    ],
)
def test_england_and_the_region_are_loaded_as_published(store, indicator, code, period, value):
    found = q(
        store,
        "SELECT o.value, o.illustrative, o.source, u.illustrative FROM observation o JOIN upload u "
        "ON u.id = o.upload_id WHERE o.is_current AND o.indicator_id = ? AND o.geography_code = ? "
        "AND o.period = ? AND o.breakdown_dimension = ''",
        [indicator, code, period],
    )
    assert len(found) == 1
    stored, illustrative, source, upload_illustrative = found[0]
    assert stored == value and not illustrative and not upload_illustrative
    assert source == next(f.source for f in REAL_FILES if f.indicator_id == indicator)


def test_the_sample_comparators_are_real_and_the_neighbours_illustrative(store):
    """England's and the region's rows in the sample are real figures, never made up; the statistical
    neighbours' figures (the reference folder has none) are every one marked illustrative."""
    from metrics.catalogue import default_catalogue

    comparators = default_catalogue().comparators
    neighbours = sorted({c for s in comparators.neighbours.sets.values() for c in s})
    places = q(store, "SELECT DISTINCT geography_code FROM observation WHERE geography_code NOT IN "
                      "(SELECT code FROM geography)")  # fmt: skip
    assert sorted(p for (p,) in places) == sorted(["E12000005", "E92000001", *neighbours])
    assert q(store, "SELECT count(*) FROM observation WHERE geography_code IN ('E12000005', 'E92000001') "
                    "AND illustrative") == [(0,)]  # fmt: skip
    assert q(store, "SELECT count(*) FROM observation o JOIN upload u ON u.id = o.upload_id WHERE o.geography_code "
                    "IN (SELECT unnest(?)) AND NOT (o.illustrative AND u.illustrative)", [neighbours]) == [(0,)]  # fmt: skip
