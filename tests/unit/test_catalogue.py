"""The plan and the indicator catalogue: the plan as written, every action measured or a milestone,
every indicator fully declared, and a broken declaration stopped with the file and field named."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from metrics.catalogue import (
    DIMENSIONS,
    DIRECTIONS,
    FREQUENCIES,
    KINDS,
    STATISTICS_STATUSES,
    UNITS,
    YEAR_TYPES,
    CatalogueError,
    load_catalogue,
)
from metrics.paths import DATA_DIR, ROOT

SEED = ROOT.parent / "shared" / "seed" / "000_aeeeca4b51639802.txt"
LA_COUNT = 7


def _norm(text: str) -> str:
    return " ".join(text.split())


def _joined(text: str) -> str:
    """A paragraph's lines joined with one space, nothing else touched (the plan's own no-break spaces stay)."""
    return re.sub(r"[ \t]*\n[ \t\n]*", " ", text.strip(" \t\n"))


def parse_seed(text: str) -> dict:
    """The seed page as objective, themes (name, outcome, actions) and which actions were broken.

    Paragraphs are separated by blank lines. Each theme is "name, outcome, 'Actions required',
    actions...". An action broken over two lines is one paragraph with a line break inside, or a
    paragraph followed by one that starts in lower case (a sentence never starts so in the plan).
    """
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    marks = [i for i, p in enumerate(paragraphs) if p.strip() == "Actions required"]
    themes = []
    broken = []
    for n, mark in enumerate(marks):
        name, outcome = paragraphs[mark - 2], paragraphs[mark - 1]
        stop = marks[n + 1] - 2 if n + 1 < len(marks) else len(paragraphs)
        actions: list[str] = []
        for p in paragraphs[mark + 1 : stop]:
            if actions and p.strip()[0].islower():
                actions[-1] = actions[-1] + " " + p
                broken.append(len(actions) - 1 + sum(len(t["actions"]) for t in themes))
            else:
                if "\n" in p.strip():
                    broken.append(len(actions) + sum(len(t["actions"]) for t in themes))
                actions.append(p)
        themes.append(
            {"name": _joined(name), "outcome": _joined(outcome), "actions": [_joined(a) for a in actions]}
        )
    return {
        "scheme": _norm(paragraphs[1]),
        "objective_name": _joined(paragraphs[2]),
        "objective_text": _joined(paragraphs[3]),
        "themes": themes,
        "broken": broken,
    }


@pytest.fixture(scope="module")
def seed() -> dict:
    assert SEED.exists(), f"the plan's text is expected at {SEED} (../shared beside the repo)"
    return parse_seed(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_seed_reads_as_six_themes_and_47_actions(seed):
    assert len(seed["themes"]) == 6
    assert sum(len(t["actions"]) for t in seed["themes"]) == 47
    assert len(seed["broken"]) == 3


def test_plan_has_the_six_themes_in_order_with_outcomes_as_written(seed, catalogue):
    assert [t.name for t in catalogue.themes] == [t["name"] for t in seed["themes"]]
    assert [t.outcome for t in catalogue.themes] == [t["outcome"] for t in seed["themes"]]
    assert catalogue.objective_name == seed["objective_name"]
    assert catalogue.objective_text == seed["objective_text"]


def test_plan_has_all_47_actions_verbatim_in_the_plans_order(seed, catalogue):
    for theme, written in zip(catalogue.themes, seed["themes"], strict=True):
        # Exactly as written, not only alike after normalising: the plan's words, spelling and spacing.
        assert [a.text for a in theme.actions] == written["actions"], theme.id
        assert [_norm(a.text) for a in theme.actions] == [_norm(a) for a in written["actions"]]
    assert len(catalogue.actions) == 47
    assert all("\n" not in a.text and "  " not in a.text for a in catalogue.actions)


def test_the_three_broken_actions_are_one_action_each(seed, catalogue):
    broken = [catalogue.actions[i] for i in seed["broken"]]
    assert [a.id for a in broken] == ["JC5", "WE5", "WE8"]
    assert "pioneering approach to scaling up Advanced Manufacturing" in broken[0].text
    assert "population intelligence hub within the Inclusive Growth Unit" in broken[1].text
    assert (
        "Net Zero Five Year Plan to support positive and inclusive environmental outcomes" in broken[2].text
    )


def test_ids_are_unique_and_stable(catalogue):
    theme_ids = [t.id for t in catalogue.themes]
    action_ids = [a.id for a in catalogue.actions]
    indicator_ids = [i.id for i in catalogue.indicators]
    for ids in (theme_ids, action_ids, indicator_ids):
        assert len(ids) == len(set(ids))
    # Action ids: the theme's initials and the action's place in it (AH1..AH5, ..., WE1..WE10).
    for theme in catalogue.themes:
        prefixes = {re.match(r"[A-Z]+", a.id).group(0) for a in theme.actions}
        assert len(prefixes) == 1, theme.id
        prefix = prefixes.pop()
        assert [a.id for a in theme.actions] == [f"{prefix}{n}" for n in range(1, len(theme.actions) + 1)]
    assert all(re.fullmatch(r"[a-z0-9_]+", i) for i in indicator_ids)


def test_every_action_is_measured_or_a_milestone_never_both(catalogue):
    for action in catalogue.actions:
        linked = catalogue.indicators_for_action(action.id)
        assert bool(linked) != action.milestone, action.id
    milestones = [a.id for a in catalogue.actions if a.milestone]
    assert 0 < len(milestones) < 47


def test_every_indicator_links_to_actions_of_its_own_plan(catalogue):
    action_ids = {a.id for a in catalogue.actions}
    theme_ids = {t.id for t in catalogue.themes}
    for ind in catalogue.indicators:
        assert ind.theme in theme_ids
        assert ind.actions and set(ind.actions) <= action_ids, ind.id


REQUIRED_TEXT = (
    "id",
    "name",
    "short_name",
    "description",
    "theme",
    "unit",
    "unit_label",
    "kind",
    "frequency",
    "direction",
    "source_publisher",
    "source_publication",
    "methodology",
    "statistics_status",
    "owner",
    "next_update",
)


def test_every_indicator_declares_every_required_field(catalogue):
    raw = yaml.safe_load((DATA_DIR / "indicators.yaml").read_text(encoding="utf-8"))
    declared = {e["id"]: {**raw.get("defaults", {}), **e} for e in raw["indicators"]}
    for ind in catalogue.indicators:
        entry = declared[ind.id]
        for key in ("target", "breakdowns", "source", "actions"):
            assert key in entry, (ind.id, key)  # stated, even when null or empty
        for name in REQUIRED_TEXT:
            value = getattr(ind, name)
            assert isinstance(value, str) and value.strip(), (ind.id, name)
        assert ind.unit in UNITS and ind.kind in KINDS and ind.direction in DIRECTIONS
        assert ind.frequency in FREQUENCIES
        assert ind.statistics_status in STATISTICS_STATUSES
        assert (ind.year_type is None) == (ind.frequency == "month")
        assert ind.year_type is None or ind.year_type in YEAR_TYPES
        assert set(ind.breakdowns) <= set(DIMENSIONS)
        assert ind.kind != "share" or ind.unit == "percent"
        assert 0 < ind.threshold_amber <= ind.threshold_green <= 1
        if ind.target is not None:
            assert ind.target.source.strip() and ind.target.basis in ("published", "illustrative")
            assert ind.target.kind in ("minimum", "maximum") or ind.target.date is not None


def test_the_five_fixed_indicators(catalogue):
    scf = catalogue.indicator("affordable_housing_share_scf")
    assert (scf.kind, scf.unit, scf.direction) == ("share", "percent", "higher")
    assert scf.breakdowns == ("project",)
    assert (scf.target.kind, scf.target.value) == ("minimum", 20.0)
    assert "AH2" in scf.actions

    academy = catalogue.indicator("jobs_skills_academy_people_supported")
    assert (academy.kind, academy.unit, academy.direction) == ("cumulative", "count", "higher")
    assert (academy.target.kind, academy.target.value) == ("cumulative", 6000.0)
    assert academy.actions == ("SE14",)

    starts = catalogue.indicator("apprenticeship_starts")
    assert (starts.kind, starts.unit, starts.frequency, starts.year_type) == (
        "flow",
        "count",
        "year",
        "academic",
    )
    assert starts.breakdowns == ("sex", "ethnicity", "disability", "age_band")
    assert starts.direction == "higher"
    assert starts.derivable

    fuel = catalogue.indicator("fuel_poverty_households")
    assert (fuel.kind, fuel.unit, fuel.frequency, fuel.year_type) == ("share", "percent", "year", "calendar")
    assert fuel.direction == "lower"
    assert fuel.derivable

    neet = catalogue.indicator("neet_16_17")
    assert (neet.unit, neet.frequency, neet.year_type, neet.direction) == (
        "percent",
        "year",
        "calendar",
        "lower",
    )
    assert neet.kind != "share"
    assert not neet.derivable


def test_kpi_indicators_json_has_the_shape_of_cli_md(kpi, catalogue):
    code, out, err = kpi("indicators", "--json")
    assert code == 0, err
    listed = json.loads(out)["indicators"]
    assert [i["id"] for i in listed] == [i.id for i in catalogue.indicators]
    keys = {
        "id",
        "name",
        "theme",
        "actions",
        "unit",
        "kind",
        "frequency",
        "year_type",
        "direction",
        "target",
        "breakdowns",
    }
    for entry in listed:
        assert set(entry) == keys
        assert entry["frequency"] in ("month", "quarter", "year")
        assert entry["year_type"] in ("financial", "academic", "calendar", None)
        assert entry["direction"] in ("higher", "lower")
        assert entry["target"] is None or set(entry["target"]) == {"value", "kind", "date"}
    scf = next(e for e in listed if e["id"] == "affordable_housing_share_scf")
    assert scf["target"] == {"value": 20.0, "kind": "minimum", "date": None}
    assert scf["breakdowns"] == ["project"]


def test_kpi_plan_json_lists_the_plan_in_order(kpi, empty_store, seed, catalogue):
    code, out, err = kpi("plan", "--json", "--db", empty_store)
    assert code == 0, err
    themes = json.loads(out)["themes"]
    assert [t["name"] for t in themes] == [t["name"] for t in seed["themes"]]
    for theme, written in zip(themes, seed["themes"], strict=True):
        assert set(theme) == {"id", "name", "outcome", "actions"}
        assert theme["outcome"] == written["outcome"]
        assert [a["text"] for a in theme["actions"]] == written["actions"]
        for action in theme["actions"]:
            assert set(action) == {"id", "text", "status", "indicators"}
            assert action["status"] is None  # no status uploaded yet
            assert action["indicators"] == [i.id for i in catalogue.indicators_for_action(action["id"])]


# ------------------------------------------------------------------ a broken catalogue


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(DATA_DIR, dest, ignore=shutil.ignore_patterns("*.duckdb*", "real-figures"))
    return dest


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BROKEN = [
    # (file, text to change, changed to, words the error must contain)
    ("indicators.yaml", "    direction: lower\n    target: {kind: maximum", "    direction: down\n    target: {kind: maximum",
     ("indicators.yaml", "neet_16_17", "'direction'", "higher, lower")),
    ("indicators.yaml", "    unit: count\n    kind: flow\n    frequency: year\n    year_type: academic",
     "    kind: flow\n    frequency: year\n    year_type: academic",
     ("indicators.yaml", "apprenticeship_starts", "'unit'", "missing")),
    ("indicators.yaml", "actions: [SE14]", "actions: [SE99]", ("indicators.yaml", "'SE99'", "not in the plan")),
    ("indicators.yaml", "breakdowns: [project]", "breakdowns: [tenure]", ("indicators.yaml", "'tenure'", "breakdown")),
    ("indicators.yaml", "value: 6000, date: 2022-09-30", "value: 6000, date: 30/09/2022",
     ("indicators.yaml", "jobs_skills_academy_people_supported", "target.date")),
    ("indicators.yaml", "{kind: minimum, value: 20,", "{kind: minimum, value: twenty,",
     ("indicators.yaml", "affordable_housing_share_scf", "target.value")),
    ("indicators.yaml", "  - id: neet_16_17\n", "  - id: apprenticeship_starts\n",
     ("indicators.yaml", "'apprenticeship_starts'", "used twice")),
    ("indicators.yaml", "    decimals: 2\n    target: null\n    breakdowns: []\n    source: {publisher: Office for National Statistics, publication: Housing",
     "    decimals: two\n    target: null\n    breakdowns: []\n    source: {publisher: Office for National Statistics, publication: Housing",
     ("indicators.yaml", "housing_affordability_ratio", "'decimals'")),
    ("indicators.yaml", "  thresholds: {green: 0.95, amber: 0.5}", "  thresholds: {green: high, amber: 0.5}",
     ("indicators.yaml", "'thresholds'")),
    ("indicators.yaml", "indicators:\n", "indicators:\n  - [this is not\n", ("indicators.yaml", "YAML")),
    # A misspelt key would otherwise drop its rule without a word.
    ("indicators.yaml", "    breakdowns: [project]", "    breakdown: [project]",
     ("indicators.yaml", "affordable_housing_share_scf", "'breakdown'", "spelling")),
    ("indicators.yaml", "applies_to: every_scheme,", "applies_to: every project,",
     ("indicators.yaml", "affordable_housing_share_scf", "'target.applies_to'", "every_scheme")),
    ("indicators.yaml", "date: 2022-09-30, basis", "date: 2022-09-30, basis: published, appliesto: x, basis",
     ("indicators.yaml", "'appliesto'")),
    ("indicators.yaml", "    base_period: 2020-21 Q3", "    base_period: autumn 2020",
     ("indicators.yaml", "jobs_skills_academy_people_supported", "'base_period'")),
    ("indicators.yaml", "    ends: 2022-09-30", "    ends: after the Games",
     ("indicators.yaml", "jobs_skills_academy_people_supported", "'ends'")),
    ("indicators.yaml", "    value_range: [0, 10]", "    value_range: [10, 0]",
     ("indicators.yaml", "life_satisfaction", "'value_range'")),
    ("plan.yaml", "  - id: AH1\n    text: Effectively", "  - id: AH1\n    txt: Effectively",
     ("plan.yaml", "AH1", "'text'")),
    ("plan.yaml", "  - id: AC3\n", "  - id: AC2\n", ("plan.yaml", "'AC2'", "used twice")),
    ("plan.yaml", "  - id: AH4\n    text: Review", "  - id: AH4\n    milestone: true\n    text: Review",
     ("plan.yaml", "AH4", "milestone")),
    ("plan.yaml", "    text: Encourage and support wellbeing by design principles within new housing development across the region\n",
     "    text: Encourage and support wellbeing by design principles within new housing development across the region\n    milestone: maybe\n",
     ("plan.yaml", "AC1", "'milestone'")),
    # Wrong types: a number or a list where a name belongs.
    ("indicators.yaml", "    short_name: Jobs and Skills Academy\n", "    short_name: 2022\n",
     ("indicators.yaml", "jobs_skills_academy_people_supported", "'short_name'", "text")),
    ("plan.yaml", "  name: Affordable housing provision\n", "  name: [Affordable, housing]\n",
     ("plan.yaml", "affordable_housing", "'name'", "text")),
    # Unknown keys anywhere in the plan, not only in actions.
    ("plan.yaml", "  outcome: Increase delivery of affordable", "  outcomes: Increase delivery of affordable",
     ("plan.yaml", "affordable_housing", "'outcomes'", "'outcome'")),
    ("plan.yaml", "objective:\n", "objectve:\n", ("plan.yaml", "'objectve'", "'objective'")),
    # The headline targets are declared: each names an indicator that exists, with its link.
    ("indicators.yaml", "  - indicator: jobs_skills_academy_people_supported\n",
     "  - indicator: jobs_skills_academy\n", ("indicators.yaml", "headline number 2", "'jobs_skills_academy'")),
    ("indicators.yaml", "    link: See the Academy's figures by quarter\n", "",
     ("indicators.yaml", "headline number 2", "'link'", "missing")),
    ("indicators.yaml", "    link: See every scheme's", "    linked: See every scheme's",
     ("indicators.yaml", "headline number 1", "'linked'", "'link'")),
    # Which indicators are survey estimates (issue 16): a mapping naming the survey, nothing else.
    ("indicators.yaml", 'estimate: {survey: "Annual Population Survey (ONS)"}', "estimate: true",
     ("indicators.yaml", "employment_rate_16_64", "'estimate'", "survey")),
    ("indicators.yaml", 'estimate: {survey: "Annual Population Survey (ONS)"}', "estimate: {survey: APS, level: 95}",
     ("indicators.yaml", "employment_rate_16_64", "'level'", "survey")),
    # The comparators file: kinds, unknown fields, codes and names used twice, neighbours not declared.
    ("comparators.yaml", "{code: E92000001, name: England, kind: england}", "{code: E92000001, name: England, kind: country}",
     ("comparators.yaml", "E92000001", "'kind'", "england, region, combined_authority, neighbour")),
    ("comparators.yaml", "  illustrative: true\n", "  ilustrative: true\n",
     ("comparators.yaml", "neighbours", "'ilustrative'", "'illustrative'")),
    ("comparators.yaml", "{code: E08000001, name: Bolton, kind: neighbour}",
     "{code: E08000001, name: Bolton, kind: neighbour, region: North West}", ("comparators.yaml", "E08000001", "'region'")),
    ("comparators.yaml", "{code: E08000002, name: Bury, kind: neighbour}", "{code: E08000025, name: Bury, kind: neighbour}",
     ("comparators.yaml", "'E08000025' already names E08000025", "its own code")),
    ("comparators.yaml", "{code: E08000003, name: Manchester, kind: neighbour}",
     "{code: E08000003, name: Coventry City Council, kind: neighbour}",
     ("comparators.yaml", "'Coventry City Council' already names E08000026")),
    ("comparators.yaml", "E08000025: [E08000003,", "E08000025: [E08000099,",
     ("comparators.yaml", "E08000025", "'E08000099'", "kind 'neighbour'")),
    ("comparators.yaml", "  - {code: E12000005, name: West Midlands region, kind: region, aliases: [West Midlands (region)]}\n",
     "", ("comparators.yaml", "exactly one place of kind 'region'")),
    ("comparators.yaml", "sources:\n", "source:\n", ("comparators.yaml", "'source'", "'sources'")),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "words"), BROKEN, ids=[f"{b[0]}:{b[3][-1]}" for b in BROKEN])
def test_a_broken_declaration_names_the_file_and_field(data_copy, file, old, new, words):
    _replace(data_copy / file, old, new)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data_copy)
    message = str(caught.value)
    for word in words:
        assert word in message, (word, message)
    assert not re.search(r"\b(invalid|please|sorry|oops)\b", message, re.IGNORECASE)


def test_an_unbroken_copy_loads_the_same_catalogue(data_copy, catalogue):
    copy = load_catalogue(data_copy)
    assert copy.indicators == catalogue.indicators
    assert copy.themes == catalogue.themes


def test_a_source_split_by_an_unquoted_comma_is_refused(tmp_path):
    """A publisher like "Ministry of Housing, Communities and Local Government" must not be cut short."""
    import shutil

    from metrics.catalogue import CatalogueError, load_catalogue
    from metrics.paths import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "indicators.yaml"
    text = path.read_text(encoding="utf-8").replace(
        '{publisher: "Ministry of Housing, Communities and Local Government", ',
        "{publisher: Ministry of Housing, Communities and Local Government, ",
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        load_catalogue(data)
    assert "indicators.yaml" in str(err.value)
    assert "'source'" in str(err.value)
    assert "double quotes" in str(err.value)


def test_every_source_line_names_the_whole_publisher():
    from metrics.catalogue import load_catalogue

    cat = load_catalogue()
    ta = cat.indicator("households_temporary_accommodation")
    assert ta.source_publisher == "Ministry of Housing, Communities and Local Government"
    assert cat.indicator("neet_16_17").source_line == (
        "Source: Participation in education, training and NEET age 16 to 17 by local authority "
        "from Department for Education"
    )


def test_targets_say_who_they_bind_and_the_pace_has_a_base_period(catalogue):
    """The plan's 20% is for every SCF scheme; NEET's illustrative 3% ceiling is for every authority."""
    assert catalogue.indicator("affordable_housing_share_scf").target.applies_to == "every_scheme"
    assert catalogue.indicator("neet_16_17").target.applies_to == "every_authority"
    assert catalogue.indicator("jobs_created_wmca_investment").target.applies_to == "combined_authority"
    assert catalogue.indicator("jobs_created_wmca_investment").base_period.label == "2022-23 Q1"
    assert (
        catalogue.indicator("internet_non_users").base_period.label == "2022"
    )  # the year holding 1 April 2022
    assert catalogue.indicator("esol_learners").base_period.label == "2021-22 Q3"  # academic: Feb to Apr 2022
    academy = catalogue.indicator("jobs_skills_academy_people_supported")
    assert (academy.base_period.label, academy.ends) == ("2020-21 Q3", dt.date(2022, 9, 30))
    assert catalogue.indicator("life_satisfaction").value_range == (0.0, 10.0)


def test_the_headline_targets_are_declared_data(catalogue):
    """The Overview's two headline targets come from the catalogue, not from ids written into a page."""
    ids = [h.indicator for h in catalogue.headlines]
    assert ids == ["affordable_housing_share_scf", "jobs_skills_academy_people_supported"]
    scf, academy = (catalogue.indicator(i) for i in ids)
    assert (scf.target.kind, scf.target.value, scf.target.applies_to) == ("minimum", 20, "every_scheme")
    assert academy.target.value == 6000


def test_an_unknown_id_is_a_plain_lookup_error_not_a_keyerror(catalogue):
    from metrics.catalogue import UnknownName
    from metrics.errors import KpiError

    for look_up, name in (
        (catalogue.indicator, "no_such"),
        (catalogue.theme, "no_such"),
        (catalogue.geography, "X1"),
    ):
        with pytest.raises(UnknownName) as caught:
            look_up(name)
        assert isinstance(caught.value, KpiError) and not isinstance(caught.value, KeyError)
        assert f"'{name}'" in str(caught.value) and "kpi" not in str(caught.value)


def test_the_comparators_are_declared_with_their_sources(catalogue):
    """England, the region, the other mayoral combined authorities and each authority's neighbours, with the
    neighbour lists marked illustrative (they could not be checked against CIPFA's model offline)."""
    c = catalogue.comparators
    assert (c.england.code, c.england.name) == ("E92000001", "England")
    assert (c.region.code, c.region.name) == ("E12000005", "West Midlands region")
    others = {p.code for p in c.by_kind("combined_authority")}
    assert {"E47000001", "E47000002", "E47000003", "E47000004", "E47000009"} <= others
    assert "E47000007" not in others  # the combined authority itself is one of the eight, not a comparator
    assert set(c.neighbours.sets) == {g.code for g in catalogue.local_authorities}
    assert all(len(c.neighbours_of(g.code)) == 6 for g in catalogue.local_authorities)
    assert c.neighbours.model == "CIPFA Nearest Neighbours Model" and c.neighbours.illustrative
    assert set(c.sources) == {"england", "region", "combined_authority", "neighbour"}
    codes = [p.code for p in c.places]
    assert len(codes) == len(set(codes)) and not set(codes) & {g.code for g in catalogue.geographies}


def test_places_resolve_among_the_eight_then_the_comparators(catalogue):
    assert catalogue.resolve_place("E92000001").name == "England"
    assert catalogue.resolve_place(" west midlands REGION ").code == "E12000005"
    assert catalogue.resolve_place("Greater Manchester").code == "E47000001"
    assert catalogue.resolve_place("WMCA").code == "E47000007"  # one of the eight, as before
    assert catalogue.resolve_place("Atlantis") is None
    assert catalogue.resolve_geography("England") is None  # the eight places stay eight
    assert catalogue.place_name("E06000018") == "Nottingham"
    assert catalogue.place_name("E99999999") == "E99999999"


def test_the_survey_estimates_are_the_aps_rates_and_life_satisfaction(catalogue):
    estimates = {i.id: i.estimate_survey for i in catalogue.indicators if i.is_estimate}
    assert set(estimates) == {
        "employment_rate_16_64",
        "economic_inactivity_16_64",
        "qualified_level3_plus_16_64",
        "life_satisfaction",
    }
    assert all("Annual Population Survey" in survey for survey in estimates.values())
