"""What a page shows, built in the core: headline cards, the "needs attention" lists, the place
verdicts, the definition list and the revision tables.

Pages stay thin (read the choices, call the core, render), so every surface that shows one of these
shows the same thing, and each is tested here without a browser. Everything returned is plain data:
strings, dataclasses and DataFrames whose cells are already worded (user text is left as typed; the
page escapes it as it draws).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics import clock
from metrics.catalogue import Catalogue, Indicator
from metrics.dashboard import Shown
from metrics.schemes import SchemeView
from metrics.verdicts import Progress
from metrics.words import (
    NO_ACTION_STATUS,
    VERDICT_ORDER,
    VERDICTS_NEEDING_ATTENTION,
    action_status_word,
    format_value,
    statistics_status_text,
    target_phrase,
    target_text,
    upper_first,
    verdict_label,
    verdict_word,
)


@dataclass(frozen=True)
class HeadlineCard:
    """One of the plan's headline targets as the Overview's first screen shows it."""

    shown: Shown
    figure_label: str | None  # "All schemes, 2026-27 Q2"; None when there is no figure yet
    figure: str | None
    target: str  # "At least 20% in every scheme"
    breaking_intro: str | None  # "Schemes below the minimum in 2026-27 Q2, lowest first:"
    breaking: tuple[str, ...]  # "Sandwell scheme 2: 12.5%" (scheme and authority names are user text)
    breaking_more: str | None  # "And 6,990 more: ...", where more break it than a card names
    all_meet: str | None  # "All 14 schemes meet the minimum in 2026-27 Q2."
    fraction: float | None  # progress towards a count target, 0 to 1, for a bar
    fraction_text: str | None  # "7,570 of 6,000 people trained (126% of the target)"
    status_note: str  # the status of the statistics
    link_label: str


# The most schemes or authorities a headline card names, worst first; the rest are counted. A large store
# has thousands of schemes below the minimum, and the first screen is no place to list them all.
CARD_NAMED = 10


def headline_cards(progress: dict[str, Shown], catalogue: Catalogue) -> list[HeadlineCard]:
    """The plan's headline targets (declared in indicators.yaml, `headlines:`), in the order declared."""
    return [_card(progress[h.indicator], h.link) for h in catalogue.headlines]


def headline_status(cards: list[HeadlineCard]) -> tuple[str, ...]:
    """Each headline target's verdict in a few words, for the Overview's first screen (a 320 by 700 px phone
    shows it without scrolling): "✖ Off track: Affordable share of homes in SCF schemes".

    Symbol and words (metrics.words.verdict_label), never colour; the cards below give the reasons.
    """
    return tuple(f"{verdict_label(c.shown.progress.verdict)}: {c.shown.indicator.short_name}" for c in cards)


def _card(shown: Shown, link: str) -> HeadlineCard:
    ind, prog = shown.indicator, shown.progress
    figure_label = figure = breaking_intro = breaking_more = all_meet = fraction_text = None
    fraction = None
    breaking: tuple[str, ...] = ()
    if prog.latest_value is not None:
        figure = format_value(ind, prog.latest_value)
        if ind.target is not None and ind.target.applies_to == "every_scheme":
            figure_label = f"All schemes, {prog.latest_period}"
        else:
            figure_label = f"{upper_first(ind.unit_label)}, to {prog.latest_period}"
        if prog.breaking:
            who = "Schemes" if ind.target and ind.target.applies_to == "every_scheme" else "Local authorities"
            side = "above the maximum" if ind.target and ind.target.kind == "maximum" else "below the minimum"
            order = "highest" if side.startswith("above") else "lowest"
            breaking_intro = f"{who} {side} in {prog.latest_period}, {order} first:"
            named = prog.breaking[:CARD_NAMED]
            breaking = tuple(f"{name}: {format_value(ind, value)}" for name, value in named)
            if len(prog.breaking) > len(named):
                breaking_more = (
                    f"And {len(prog.breaking) - len(named):,} more: the indicator's page counts them, "
                    "and its download lists every one."
                )
        elif prog.projects_total:
            all_meet = f"All {prog.projects_total} schemes meet the minimum in {prog.latest_period}."
        if ind.kind == "cumulative" and prog.target:
            value, goal = prog.latest_value, prog.target
            fraction = min(1.0, max(0.0, value / goal))
            fraction_text = (
                f"{format_value(ind, value)} of {format_value(ind, goal)} {ind.unit_label} "
                f"({value / goal:.0%} of the target)"
            )
    return HeadlineCard(
        shown=shown,
        figure_label=figure_label,
        figure=figure,
        target=target_text(ind),
        breaking_intro=breaking_intro,
        breaking=breaking,
        breaking_more=breaking_more,
        all_meet=all_meet,
        fraction=fraction,
        fraction_text=fraction_text,
        status_note=statistics_status_text(ind.statistics_status, shown.illustrative),
        link_label=link,
    )


def needing_attention(progress: dict[str, Shown], catalogue: Catalogue, theme_id: str) -> list[Shown]:
    """A theme's indicators whose verdict a board must read the reason for, worst first. Indicators
    missing from `progress` are left out (the public site passes only those it may publish)."""
    worrying = [
        progress[i.id]
        for i in catalogue.indicators_for_theme(theme_id)
        if i.id in progress and progress[i.id].progress.verdict in VERDICTS_NEEDING_ATTENTION
    ]
    return sorted(worrying, key=lambda s: (VERDICT_ORDER.index(s.progress.verdict), s.indicator.short_name))


def place_verdicts_intro(indicator: Indicator) -> str:
    """Why the seven authorities' own verdicts are shown: what the combined authority's rests on."""
    if indicator.target is None:
        return "The plan sets no target for this measure; each authority's latest figure:"
    if indicator.target.applies_to == "every_authority":
        return "The target applies to every local authority on its own: any one that breaks it breaks the target."
    return "There is no figure for the combined authority as a whole, so its verdict is the weakest of these."


def place_verdicts_table(indicator: Indicator, progress: Progress) -> pd.DataFrame:
    """Each local authority's latest value and verdict, with the reason."""
    return pd.DataFrame(
        [
            {
                "Place": p.name,
                "Latest value": format_value(indicator, p.latest_value),
                "Period": p.latest_period or "",
                "Verdict": verdict_label(p.verdict),
                "Why": p.reason,
            }
            for p in progress.places or ()
        ]
    )


def scheme_heading(indicator: Indicator) -> tuple[str, str]:
    """The per-scheme section's heading and the rule it shows, worded from the declared target."""
    phrase = target_phrase(indicator)
    if indicator.target is None or phrase is None:
        return "Every scheme", "The plan sets no target for each scheme."
    kind = "maximum" if phrase.startswith("at most") else "minimum"
    what = f" {indicator.numerator_label}" if indicator.numerator_label else ""
    goal = phrase.removeprefix("at least ").removeprefix("at most ")
    return (
        f"Every scheme against the {goal} {kind}",
        f"The plan asks for {phrase}{what} in every scheme, not only on average.",
    )


def scheme_table_label(view: SchemeView) -> str:
    """The scheme table's expander: every scheme where the view holds them all, else the lowest it lists."""
    shown = len(view.rows)
    if shown >= view.total:
        return "Show the data as a table"
    return f"Show the {shown} lowest of {view.total:,} schemes as a table"


def definition_list(indicator: Indicator) -> dict[str, str]:
    """The indicator's definition, method, target and source, as the Indicator page lists them."""
    target = indicator.target
    target_words = "No target."
    if target is not None:
        basis = (
            "published in the plan" if target.basis == "published" else "illustrative, set for this dashboard"
        )
        target_words = f"{target_phrase(indicator)} ({basis}; source: {target.source})."
    how_often = f"Each {indicator.frequency}" + (
        f" ({indicator.year_type} year)" if indicator.year_type else ""
    )
    out = {
        "Definition": indicator.description,
        "How it is worked out": indicator.methodology,
        "Unit": indicator.unit_label,
        "How often": how_often,
        "Target": target_words,
        "Source": f"{indicator.source_publication} from {indicator.source_publisher}",
        "Status of the statistics": statistics_status_text(indicator.statistics_status, False),
        "Next update": indicator.next_update,
        "Limitations": indicator.limitations or "None recorded.",
        "Owner": indicator.owner,
    }
    if indicator.is_estimate:
        out["Survey estimate"] = (
            f"Estimated from a sample survey ({indicator.estimate_survey}): a change or gap is called a "
            "difference only when the confidence intervals do not overlap."
        )
    count_below, denominator_below = indicator.small_numbers
    rules = [f"a count under {count_below}"] if count_below else []
    rules += [f"a denominator under {denominator_below}"] if denominator_below and indicator.is_share else []
    if rules and any(d != "project" for d in indicator.breakdowns):
        out["Small numbers"] = (
            f"A group with {' or '.join(rules)} is shown as c, so no one can be identified."
        )
    return out


def _date(value: object) -> str:
    return clock.long_date(pd.Timestamp(value).date())


def revisions_table(indicator: Indicator, changes: pd.DataFrame) -> pd.DataFrame:
    """Each revised period: the value first published, the latest, the change, how many uploads."""
    return pd.DataFrame(
        {
            "Period": changes["period"],
            "First published": [format_value(indicator, v) for v in changes["first_value"]],
            "Latest value": [format_value(indicator, v) for v in changes["latest_value"]],
            "Change": [
                "" if pd.isna(c) else ("+" if c > 0 else "") + format_value(indicator, c)
                for c in changes["change"]
            ],
            "Uploads": changes["uploads"],
            "Last changed": [_date(t) for t in changes["last_changed"]],
        }
    )


def history_table(indicator: Indicator, history: pd.DataFrame) -> pd.DataFrame:
    """Every value uploaded for a series, with the file and upload it came in (undone ones marked)."""
    return pd.DataFrame(
        {
            "Period": history["period"],
            "Value": [
                format_value(indicator, None if pd.isna(v) else v, m)
                for v, m in zip(history["value"], history["missing"], strict=True)
            ],
            "Status": history["status"],
            "Note": history["note"],
            "File": history["file_name"],
            "Uploaded": [_date(t) for t in history["uploaded_at"]],
            "Upload": [
                f"{n}, {o.replace('_', ' ')}"
                for n, o in zip(history["upload_id"], history["upload_outcome"], strict=True)
            ],
        }
    )


def theme_summary_table(summary: list[dict]) -> pd.DataFrame:
    """The Overview's "Progress by theme" as one row per theme (dashboard.theme_summary): indicators
    counted by verdict, worst first, then actions by latest status, for a board paper's table.

    Every verdict and status has its column, zeros included, so rows line up and columns add up.
    """
    rows = []
    for row in summary:
        out: dict[str, object] = {"Theme": row["theme"].name, "Indicators": sum(row["verdicts"].values())}
        out.update({f"Indicators: {verdict_word(v)}": row["verdicts"].get(v, 0) for v in VERDICT_ORDER})
        out["Actions"] = sum(row["actions"].values())
        for status, count in row["actions"].items():
            word = NO_ACTION_STATUS[0] if status == "none" else action_status_word(status)
            out[f"Actions: {word}"] = count
        rows.append(out)
    return pd.DataFrame(rows)
