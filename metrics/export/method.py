"""How the verdicts are worked out, as a board pack explains it: read from the code, never retyped.

Every number in these paragraphs (the shares of the pace needed, the base periods, the
projection's simulations and range) is read from `metrics.verdicts`, `metrics.projection`
and the catalogue, so the explanation always matches what the verdicts in the pack were
actually worked out with. Both pack writers print it: a slide, and a section of the
Word document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from metrics.catalogue import Indicator, default_catalogue
from metrics.periods import period_for_date
from metrics.projection import PROJECTION_MIN_POINTS, PROJECTION_WINDOW, RANGE, SIMULATIONS
from metrics.words import APPLIES_TO_WORDS, VERDICT_ORDER, long_date, target_text, verdict_word

if TYPE_CHECKING:
    from metrics.export.pack import Pack

METHOD_TITLE = "How the verdicts are worked out"


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _default_base(ind: Indicator) -> bool:
    """The indicator's pace is measured from the period holding the plan's first day."""
    if ind.base_period is None:
        return True
    start = default_catalogue().plan_start
    return period_for_date(start, ind.frequency, ind.year_type).start == ind.base_period.start


def _thresholds(judged: list[Indicator], dated: list[Indicator]) -> str:
    """The shares of the pace needed that make a dated target On track or At risk, as one clause."""
    cuts = sorted({(i.threshold_green, i.threshold_amber) for i in judged})
    if not cuts:
        return "On track, At risk or Off track by the shares of the pace needed set for each indicator"
    if len(cuts) == 1:
        green, amber = cuts[0]
        return (
            f"On track when the pace made is at least {_percent(green)} of the pace needed, At risk when "
            f"it is at least {_percent(amber)}, and Off track below that or when the figure moves away "
            "from the target"
        )
    each = "; ".join(
        f"{i.short_name}: {_percent(i.threshold_green)} and {_percent(i.threshold_amber)}" for i in dated
    )
    return (
        "On track when the pace made is at least the indicator's first share of the pace needed, "
        f"At risk when it is at least its second, and Off track below that ({each})"
    )


def _base_periods(dated: list[Indicator]) -> str:
    """Where the pace is measured from: the plan's first day, and each dated target that starts elsewhere."""
    others = [i for i in dated if not _default_base(i)]
    base = f"by default the period holding {long_date(default_catalogue().plan_start)}, the plan's first day"
    if others:
        base += "; " + "; ".join(
            f"{i.short_name} from {i.base_period.label}" for i in others if i.base_period is not None
        )
    return base


def method_points(pack: Pack) -> list[tuple[str, str]]:
    """The method as built (metrics.verdicts, metrics.projection): (lead words, text) pairs.

    Every number is read from the code or the catalogue, never retyped, so this says what the
    verdicts in the pack were actually worked out with.
    """
    inds = [i.shown.indicator for i in pack.indicators]
    every = [
        f"{i.short_name}, {APPLIES_TO_WORDS[i.target.applies_to].removeprefix('in ')}"
        for i in inds
        if i.target is not None and i.target.applies_to in ("every_scheme", "every_authority")
    ]
    dated = [i for i in inds if i.target is not None and i.target.date is not None]
    thresholds = _thresholds(dated or inds, dated)
    base = _base_periods(dated)
    weakest = ", ".join(verdict_word(v) for v in VERDICT_ORDER if v not in ("no_target", "no_data"))
    low, _, high = RANGE
    return [
        (
            "Floors and ceilings",
            "a minimum or a maximum with no date is judged on the latest figure: Target met if it keeps to "
            "it, Off track if not. Where the plan sets one for every scheme or every local authority, any "
            "one of them breaking it makes the indicator Off track, whatever the total says, and its page "
            "names them; while a scheme's figure is missing it is At risk"
            + (f" (in this pack: {'; '.join(every)})" if every else "")
            + ".",
        ),
        (
            "Targets with a date",
            "a running total or a level to reach by a date is judged on the figure for the period that "
            "covers the date: Target met if it was reached by then, Met late if only afterwards, Missed if "
            "not, and Awaiting data while that period's figure is not in yet, with the pace so far.",
        ),
        (
            "Pace",
            "before the date, the pace made is a straight line from the indicator's base period to the "
            f"latest figure ({base}; a running total counts from nothing at the base period's start), "
            "against the straight line that reaches the target on its date. Adapted from Open SDG's "
            f"progress method: {thresholds}.",
        ),
        (
            "No figure for the combined authority",
            "where none is published and none can be worked out (a rate cannot be added up from the seven "
            "local authorities), its verdict is the weakest of the seven authorities' own verdicts, in the "
            f"order {weakest}, and its page lists each authority.",
        ),
        (
            "Projected dates",
            f"the middle of {SIMULATIONS:,} simulated futures of the trend in the latest {PROJECTION_WINDOW} "
            f"figures (the flows, for a running total), with an {high - low:.0%} range from the "
            f"{low * 100:.0f}th to the {high * 100:.0f}th percentile; with fewer than {PROJECTION_MIN_POINTS} "
            "figures no date is projected. A projection is part of the reason, never the verdict.",
        ),
        (
            "No target, no data",
            "where the plan sets no target the figures are reported without a verdict; No data means there "
            "is no usable figure yet. A missing figure is shown as missing with its reason, never as zero.",
        ),
    ]


METHOD_HEADER = ["Indicator", "Target", "Pace measured from", "On track at", "At risk at"]


def method_rows(pack: Pack) -> list[list[str]]:
    """Each dated target in the pack: its base period and the shares of the pace needed that decide it."""
    rows = []
    for item in pack.indicators:
        ind = item.shown.indicator
        if ind.target is None or ind.target.date is None:
            continue
        rows.append(
            [
                ind.short_name,
                target_text(ind),
                ind.base_period.label if ind.base_period else "its first figure",
                f"{_percent(ind.threshold_green)} of the pace needed",
                _percent(ind.threshold_amber),
            ]
        )
    return rows
