"""What pages show, built in the core (metrics.views): the headline cards, the attention lists, the
scheme section's heading and the definition list, checked without a browser against the sample store
and the declared catalogue."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from metrics import dashboard, views
from metrics.catalogue import Target, default_catalogue
from metrics.words import VERDICT_ORDER, VERDICTS_NEEDING_ATTENTION

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def progress(sample_store_module):
    return dashboard.all_progress(db=sample_store_module, today=TODAY)


@pytest.fixture(scope="module")
def sample_store_module(tmp_path_factory, sample_template):
    import shutil

    path = tmp_path_factory.mktemp("views") / "kpi.duckdb"
    shutil.copy(sample_template, path)
    return path


def test_the_headline_cards_follow_the_declarations_and_the_verdicts(progress):
    catalogue = default_catalogue()
    scf, academy = views.headline_cards(progress, catalogue)
    assert [scf.shown.indicator.id, academy.shown.indicator.id] == [h.indicator for h in catalogue.headlines]
    assert scf.target == "At least 20% in every scheme"
    assert scf.figure_label.startswith("All schemes, ")
    # The schemes breaking the floor are the verdict's own, lowest first, each with its share.
    assert [line.split(":")[0] for line in scf.breaking] == [name for name, _ in scf.shown.progress.breaking]
    assert scf.breaking_intro.startswith("Schemes below the minimum in ") and scf.breaking_more is None
    assert scf.fraction is None
    assert academy.fraction == 1.0 and academy.fraction_text.startswith("7,570 of 6,000 people trained")
    assert academy.link_label == "See the Academy's figures by quarter"


def test_the_attention_list_is_worst_first_and_only_verdicts_that_need_a_reason(progress):
    catalogue = default_catalogue()
    for theme in catalogue.themes:
        listed = views.needing_attention(progress, catalogue, theme.id)
        verdicts = [s.progress.verdict for s in listed]
        assert all(v in VERDICTS_NEEDING_ATTENTION for v in verdicts)
        assert verdicts == sorted(verdicts, key=VERDICT_ORDER.index)
        left_out = [
            i
            for i in catalogue.indicators_for_theme(theme.id)
            if progress[i.id].progress.verdict in VERDICTS_NEEDING_ATTENTION
        ]
        assert len(left_out) == len(listed)


def test_the_scheme_heading_is_worded_from_the_declared_target():
    scf = default_catalogue().indicator("affordable_housing_share_scf")
    assert views.scheme_heading(scf) == (
        "Every scheme against the 20% minimum",
        "The plan asks for at least 20% affordable homes in every scheme, not only on average.",
    )
    raised = replace(scf, target=replace(scf.target, value=25))
    assert views.scheme_heading(raised)[0] == "Every scheme against the 25% minimum"
    assert views.scheme_heading(replace(scf, target=None))[0] == "Every scheme"


def test_the_definition_list_says_where_the_target_comes_from():
    catalogue = default_catalogue()
    scf = catalogue.indicator("affordable_housing_share_scf")
    details = views.definition_list(scf)
    assert details["Target"].startswith("at least 20% (published in the plan; source: ")
    made_up = replace(scf, target=Target("minimum", 20, None, "illustrative", "set for this dashboard"))
    assert "illustrative, set for this dashboard" in views.definition_list(made_up)["Target"]
    assert views.definition_list(replace(scf, target=None))["Target"] == "No target."


def test_a_headline_card_names_the_lowest_ten_breaking_it_and_counts_the_rest(progress):
    """On a large store thousands of schemes are below the minimum: the card names the ten lowest."""
    from dataclasses import replace

    shown = progress["affordable_housing_share_scf"]
    many = tuple((f"Scheme {i:04d}", 5.0 + i / 1000) for i in range(2_500))
    big = replace(shown, progress=replace(shown.progress, breaking=many))
    (card,) = [c for c in views.headline_cards({**progress, big.indicator.id: big}, default_catalogue())
               if c.shown is big]  # fmt: skip
    assert card.breaking == tuple(f"Scheme {i:04d}: {5.0 + i / 1000:.1f}%" for i in range(10))
    assert card.breaking_more == (
        "And 2,490 more: the indicator's page counts them, and its download lists every one."
    )


def test_a_name_keeps_its_capitals_mid_sentence_only_where_it_is_a_proper_name():
    from metrics.catalogue import default_catalogue
    from metrics.words import lower_first

    shown = {i.short_name: lower_first(i.short_name) for i in default_catalogue().indicators}
    # Programme names and acronyms keep their capitals; ordinary measures read as words in a sentence.
    assert shown["Thrive into Work"] == "Thrive into Work"
    assert shown["Youth Hub support"] == "Youth Hub support"
    assert shown["Jobs and Skills Academy"] == "Jobs and Skills Academy"
    assert shown["NEET 16 to 17"] == "NEET 16 to 17"
    assert shown["Affordable share of homes in SCF schemes"] == "affordable share of homes in SCF schemes"
    assert shown["Employment rate (16 to 64)"] == "employment rate (16 to 64)"
    assert lower_first("Asian or Asian British: Indian") == "Asian or Asian British: Indian"
    assert (lower_first("Female"), lower_first("Off track")) == ("female", "off track")
