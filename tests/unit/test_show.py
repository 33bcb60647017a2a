"""`kpi show`: the series leadership reads as "the region" and the indicator's progress, per cli.md.

The combined authority's figure is its own uploaded value, else derived from all seven authorities
(a share pooled from numerators and denominators), never from six, never from a missing value, and
never for a rate; a cumulative indicator shows its running total.
"""

from __future__ import annotations

import csv
import json

import pytest

from metrics.paths import REAL_FIGURES_DIR
from metrics.upload import ingest_bytes

HEADER = "indicator_id,period,geography,value,numerator,denominator,breakdown_dimension,breakdown_value,status,note\n"
LAS = ("Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton")
CA = "E47000007"
SERIES_KEYS = {"period", "start", "end", "value", "numerator", "denominator", "status", "missing", "derived"}
PROGRESS_KEYS = {
    "latest_period",
    "latest_value",
    "target",
    "target_kind",
    "target_date",
    "rag",
    "verdict",
    "reason",
    "places",
    "projected_value_at_target_date",
    "projected_date_to_target",
}
TA = "households_temporary_accommodation"  # a count (level), financial quarters: derivable by summing


def shown(run, db, indicator: str, *extra: str) -> dict:
    code, out, err = run("show", indicator, "--json", "--db", db, *extra)
    assert code == 0, err
    return json.loads(out)


def by_period(result: dict) -> dict[str, dict]:
    return {p["period"]: p for p in result["series"]}


def upload(db, text: str) -> None:
    report = ingest_bytes((HEADER + text).encode(), "test.csv", db=db)
    assert report.status == "committed", report.as_json()


def read_real(name: str) -> list[dict]:
    with (REAL_FIGURES_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_show_json_has_the_shape_of_cli_md(sample_store, kpi):
    result = shown(kpi, sample_store, "affordable_housing_share_scf")
    assert set(result) == {"indicator_id", "geography", "unit", "series", "progress"}
    assert (result["indicator_id"], result["geography"], result["unit"]) == (
        "affordable_housing_share_scf",
        CA,
        "percent",
    )
    assert result["series"], "the sample has SCF values"
    for point in result["series"]:
        assert set(point) == SERIES_KEYS
        assert point["status"] in ("provisional", "final")
        assert point["missing"] in (None, "c", "x", "z")
        assert isinstance(point["derived"], bool)
    starts = [p["start"] for p in result["series"]]
    assert starts == sorted(starts), "oldest first"
    assert set(result["progress"]) == PROGRESS_KEYS
    assert result["progress"]["rag"] in ("green", "amber", "red", "none")
    assert result["progress"]["target"] == 20.0 and result["progress"]["target_kind"] == "minimum"
    # Pooled over the seven: sum of affordable homes over sum of all homes, not rounded.
    last = result["series"][-1]
    assert last["derived"] is True
    assert last["value"] == pytest.approx(last["numerator"] / last["denominator"] * 100, abs=1e-12)
    assert result["progress"]["latest_value"] == last["value"]


def test_combined_fuel_poverty_is_pooled_from_the_seven_and_matches_the_published_figure(sample_store, cli):
    result = by_period(shown(cli, sample_store, "fuel_poverty_households"))
    counts = [r for r in read_real("fuel_poverty_households_num_den.csv") if r["geography"] in LAS]
    published = {
        r["period"]: float(r["value"])
        for r in read_real("fuel_poverty_households_pct.csv")
        if r["geography"] == "West Midlands CA"
    }
    assert sorted(published) == ["2019", "2020", "2021", "2022"]
    for year, figure in published.items():
        rows = [r for r in counts if r["period"] == year]
        assert len(rows) == 7
        num = sum(int(r["numerator"]) for r in rows)
        den = sum(int(r["denominator"]) for r in rows)
        point = result[year]
        assert point["derived"] is True
        assert (point["numerator"], point["denominator"]) == (num, den)
        assert point["value"] == pytest.approx(num / den * 100, abs=1e-9)
        assert point["value"] == pytest.approx(figure, abs=0.01)
        # An average of the seven shares would be a different number.
        mean_of_shares = sum(int(r["numerator"]) / int(r["denominator"]) * 100 for r in rows) / 7
        assert abs(mean_of_shares - point["value"]) > 0.05


def test_combined_apprenticeship_starts_are_the_sum_of_the_seven(sample_store, cli):
    result = by_period(shown(cli, sample_store, "apprenticeship_starts"))
    expected = {
        r["period"].replace("/", "-"): float(r["value"])
        for r in read_real("derived_apprenticeship_starts_count_wmca_sum.csv")
        if "in-year" not in r["period"]
    }
    assert sorted(expected) == ["2022-23", "2023-24", "2024-25"]
    assert {k: v["value"] for k, v in result.items()} == expected
    assert all(result[p]["derived"] for p in expected)
    assert result["2023-24"]["start"] == "2023-08-01" and result["2023-24"]["end"] == "2024-07-31"


def test_neet_is_never_derived_for_the_combined_authority(sample_store, cli):
    assert shown(cli, sample_store, "neet_16_17")["series"] == []
    # A rate is not added up: only a value uploaded for the combined authority is shown.
    upload(sample_store, "neet_16_17,2024,WMCA,3.1,,,,,final,\n")
    series = shown(cli, sample_store, "neet_16_17")["series"]
    assert [(p["period"], p["value"], p["derived"]) for p in series] == [("2024", 3.1, False)]
    birmingham = shown(cli, sample_store, "neet_16_17", "--geography", "Birmingham")["series"]
    assert len(birmingham) >= 5 and not any(p["derived"] for p in birmingham)


def test_a_derived_value_is_final_only_when_all_seven_are_final(empty_store, cli):
    rows = [f"{TA},2023-24 Q1,{la},{100 + i},,,,,final,\n" for i, la in enumerate(LAS)]
    rows += [
        f"{TA},2023-24 Q2,{la},{200 + i},,,,,{'provisional' if la == 'Dudley' else 'final'},\n"
        for i, la in enumerate(LAS)
    ]
    upload(empty_store, "".join(rows))
    result = by_period(shown(cli, empty_store, TA))
    assert result["2023-24 Q1"]["value"] == sum(100 + i for i in range(7))
    assert (result["2023-24 Q1"]["status"], result["2023-24 Q1"]["derived"]) == ("final", True)
    assert (result["2023-24 Q2"]["status"], result["2023-24 Q2"]["derived"]) == ("provisional", True)


def test_no_derived_value_when_an_authority_is_absent_or_missing(empty_store, cli):
    rows = [f"{TA},2023-24 Q1,{la},100,,,,,final,\n" for la in LAS if la != "Walsall"]  # six of seven
    rows += [f"{TA},2023-24 Q2,{la},{'c' if la == 'Solihull' else 100},,,,,final,\n" for la in LAS]
    rows += [f"{TA},2023-24 Q3,{la},100,,,,,final,\n" for la in LAS]
    upload(empty_store, "".join(rows))
    result = by_period(shown(cli, empty_store, TA))
    assert sorted(result) == ["2023-24 Q3"]
    assert result["2023-24 Q3"]["value"] == 700


def test_a_share_given_without_numerator_and_denominator_is_not_pooled(empty_store, cli):
    share = "accessible_homes_share_funded"
    rows = [f"{share},2023-24 Q1,{la},,30,100,,,,\n" for la in LAS]
    rows += [
        f"{share},2023-24 Q2,{la},{'25' if la == 'Coventry' else ''},{'' if la == 'Coventry' else 30},{'' if la == 'Coventry' else 100},,,,\n"
        for la in LAS
    ]
    upload(empty_store, "".join(rows))
    result = by_period(shown(cli, empty_store, share))
    assert sorted(result) == ["2023-24 Q1"]
    assert (result["2023-24 Q1"]["numerator"], result["2023-24 Q1"]["denominator"]) == (210, 700)
    assert result["2023-24 Q1"]["value"] == pytest.approx(30.0)


def test_a_value_uploaded_for_the_combined_authority_is_used_as_it_is(empty_store, cli):
    rows = [f"{TA},2023-24 Q1,{la},100,,,,,final,\n" for la in LAS]
    rows.append(f"{TA},2023-24 Q1,West Midlands Combined Authority,650,,,,,provisional,\n")
    rows.append(f"{TA},2023-24 Q2,E47000007,x,,,,,,\n")
    rows += [f"{TA},2023-24 Q2,{la},100,,,,,final,\n" for la in LAS]
    upload(empty_store, "".join(rows))
    result = by_period(shown(cli, empty_store, TA))
    assert (result["2023-24 Q1"]["value"], result["2023-24 Q1"]["derived"]) == (650, False)
    assert result["2023-24 Q1"]["status"] == "provisional"
    # Its own missing value wins too: the publisher said it is not available.
    assert (result["2023-24 Q2"]["value"], result["2023-24 Q2"]["missing"]) == (None, "x")


def test_the_sample_walsall_gap_leaves_that_quarter_underived(sample_store, cli):
    result = by_period(shown(cli, sample_store, TA))
    assert "2023-24 Q3" not in result
    walsall = by_period(shown(cli, sample_store, TA, "--geography", "Walsall Metropolitan Borough Council"))
    assert (walsall["2023-24 Q3"]["value"], walsall["2023-24 Q3"]["missing"]) == (None, "x")


def test_a_cumulative_indicator_shows_its_running_total(empty_store, kpi):
    jobs = "jobs_created_wmca_investment"
    upload(empty_store, "".join(f"{jobs},{q},West Midlands CA,{v},,,,,,\n" for q, v in (
        ("2022-23 Q1", 300), ("2022-23 Q2", 450), ("2022-23 Q3", 500))))  # fmt: skip
    result = shown(kpi, empty_store, jobs)
    assert [(p["period"], p["value"]) for p in result["series"]] == [
        ("2022-23 Q1", 300),
        ("2022-23 Q2", 750),
        ("2022-23 Q3", 1250),
    ]
    assert result["progress"]["latest_value"] == 1250


# --- verdicts, as the board reads them in the sample (typed in: see shared/spec/cli.md) ---------------


def test_the_scf_minimum_is_broken_by_three_schemes_and_names_them(sample_store, kpi):
    progress = shown(kpi, sample_store, "affordable_housing_share_scf")["progress"]
    assert (progress["verdict"], progress["rag"]) == ("off_track", "red")
    assert progress["latest_value"] > 20  # the total is above 20%: the schemes decide
    assert progress["reason"].startswith(
        "3 of 14 schemes are below the 20% minimum in 2026-27 Q2: Sandwell scheme 2 (illustrative) (15.8%), "
        "Wolverhampton scheme 3 (illustrative) (17.5%) and Birmingham scheme 2 (illustrative) (18.1%)"
    )
    assert progress["places"] is None


def test_neet_has_no_combined_figure_and_is_judged_on_every_authority(sample_store, kpi):
    progress = shown(kpi, sample_store, "neet_16_17")["progress"]
    assert (progress["verdict"], progress["rag"], progress["latest_value"]) == ("off_track", "red", None)
    verdicts = {p["geography"]: (p["verdict"], p["latest_value"]) for p in progress["places"]}
    assert verdicts == {
        "E08000025": ("off_track", 3.2),  # Birmingham
        "E08000026": ("off_track", 3.6),  # Coventry
        "E08000027": ("met", 2.4),  # Dudley
        "E08000028": ("met", 1.9),  # Sandwell
        "E08000029": ("off_track", 4.2),  # Solihull
        "E08000030": ("off_track", 3.2),  # Walsall
        "E08000031": ("met", 2.6),  # Wolverhampton
    }
    assert all(set(p) == {"geography", "verdict", "rag", "latest_value"} for p in progress["places"])
    assert progress["reason"].startswith(
        "4 of 7 authorities are above the 3% maximum in 2025: Solihull (4.2%), Coventry (3.6%), "
        "Birmingham (3.2%) and Walsall (3.2%); 3 meet it"
    )


@pytest.mark.parametrize(
    ("indicator", "reached", "months"),
    [
        ("jobs_created_wmca_investment", "2025-26 Q2", 18),
        ("employment_support_pilot_people", "2025-26 Q3", 21),
        ("thrive_into_work_people_supported", "2026-27 Q2", 30),
        ("homes_retrofitted", "2024-25 Q1", 15),
    ],
)
def test_dated_targets_met_after_their_date_are_met_late(sample_store, kpi, indicator, reached, months):
    progress = shown(kpi, sample_store, indicator)["progress"]
    assert (progress["verdict"], progress["rag"]) == ("met_late", "amber")
    assert progress["reason"].startswith("Reached ")
    assert f"in {reached}, {months} months after the " in progress["reason"]


def test_the_closed_academy_reads_target_met(sample_store, kpi):
    result = shown(kpi, sample_store, "jobs_skills_academy_people_supported")
    assert [(p["period"], p["value"]) for p in result["series"]] == [("2022-23 Q2", 7570)]
    progress = result["progress"]
    assert (progress["verdict"], progress["rag"], progress["latest_value"]) == ("met", "green", 7570)
    assert progress["reason"] == (
        "Reached 6,000 by the 30 September 2022 date: 7,570 in 2022-23 Q2. "
        "The programme closed on 30 September 2022."
    )


def test_a_target_is_awaiting_data_until_the_figure_for_its_date_is_in(empty_store, kpi):
    """Two weeks after 31 March 2024, without the 2023-24 Q4 figure: awaiting data, not missed."""
    jobs = "jobs_created_wmca_investment"
    rows = [f"{jobs},{q},West Midlands CA,450,,,,,,\n" for q in
            ("2022-23 Q1", "2022-23 Q2", "2022-23 Q3", "2022-23 Q4", "2023-24 Q1", "2023-24 Q2", "2023-24 Q3")]  # fmt: skip
    upload(empty_store, "".join(rows))
    env = {"KPI_TODAY": "2024-04-14"}
    code, out, err = kpi("show", jobs, "--json", "--db", empty_store, env=env)
    assert code == 0, err
    progress = json.loads(out)["progress"]
    assert progress["verdict"] == "awaiting_data"
    assert progress["rag"] == "amber"  # 3,150 in 21 months against 4,000 in 24: 90% of the pace
    assert progress["reason"].startswith("The 2023-24 Q4 figure decides whether the target of 4,000")
    upload(empty_store, f"{jobs},2023-24 Q4,West Midlands CA,450,,,,,,\n")
    code, out, _ = kpi("show", jobs, "--json", "--db", empty_store, env=env)
    assert json.loads(out)["progress"]["verdict"] == "missed"


def test_loading_older_history_does_not_move_the_verdict(empty_store, kpi):
    internet = "internet_non_users"
    upload(
        empty_store,
        f"{internet},2022,West Midlands CA,22.0,,,,,,\n{internet},2023,West Midlands CA,21.0,,,,,,\n",
    )
    before = shown(kpi, empty_store, internet)["progress"]
    upload(
        empty_store,
        f"{internet},2015,West Midlands CA,40.0,,,,,,\n{internet},2018,West Midlands CA,30.0,,,,,,\n",
    )
    after = shown(kpi, empty_store, internet)["progress"]
    assert before["verdict"] == after["verdict"] == "at_risk"
    assert before["reason"] == after["reason"]


def test_running_totals_stop_at_a_missing_quarter(empty_store, cli):
    jobs = "jobs_created_wmca_investment"
    upload(
        empty_store,
        f"{jobs},2023-24 Q1,Birmingham,10,,,,,,\n{jobs},2023-24 Q2,Birmingham,c,,,,,,\n{jobs},2023-24 Q3,Birmingham,5,,,,,,\n",
    )
    series = shown(cli, empty_store, jobs, "--geography", "E08000025")["series"]
    assert [(p["value"], p["missing"]) for p in series] == [(10, None), (None, "c"), (None, "c")]


def test_unknown_indicator_or_place_exits_1_and_says_what_to_use(sample_store, kpi, cli):
    code, out, err = kpi("show", "no_such_indicator", "--json", "--db", sample_store)
    assert code == 1 and out == ""
    assert "There is no indicator with the id 'no_such_indicator'" in err and "kpi indicators" in err
    code, out, err = cli("show", "neet_16_17", "--geography", "Atlantis", "--json", "--db", sample_store)
    assert code == 1 and out == ""
    assert "'Atlantis' is not one of the eight places" in err and "Birmingham" in err
    code, _, err = cli("show", "neet_16_17", "--breakdown", "sex=Female", "--db", sample_store)
    assert code == 1 and "does not take the breakdown 'sex'" in err
    code, _, err = cli("show", "apprenticeship_starts", "--breakdown", "Female", "--db", sample_store)
    assert code == 1 and "DIMENSION=VALUE" in err


def test_a_breakdown_shows_that_group(sample_store, cli, kpi):
    whole = by_period(shown(cli, sample_store, "apprenticeship_starts", "--geography", "Birmingham"))
    female = by_period(
        shown(
            kpi,
            sample_store,
            "apprenticeship_starts",
            "--geography",
            "Birmingham",
            "--breakdown",
            "sex=Female",
        )
    )
    male = by_period(
        shown(
            cli, sample_store, "apprenticeship_starts", "--geography", "Birmingham", "--breakdown", "sex=Male"
        )
    )
    assert sorted(female) == sorted(whole) == ["2022-23", "2023-24", "2024-25"]
    for period in whole:
        assert 0 < female[period]["value"] < whole[period]["value"]
        assert female[period]["value"] != male[period]["value"]
    # The combined authority's group figure is the sum of the seven authorities' group figures.
    combined = by_period(shown(cli, sample_store, "apprenticeship_starts", "--breakdown", "sex=Female"))
    each = [
        by_period(
            shown(cli, sample_store, "apprenticeship_starts", "--geography", la, "--breakdown", "sex=Female")
        )
        for la in LAS
    ]
    assert combined["2023-24"]["value"] == sum(s["2023-24"]["value"] for s in each)
    assert combined["2023-24"]["derived"] is True


def test_show_prints_a_readable_table_without_json(sample_store, cli):
    code, out, _ = cli("show", "jobs_skills_academy_people_supported", "--db", sample_store)
    assert code == 0
    assert "2022-23 Q2" in out and "7,570" in out
