"""A series' finding in words: the chart's title, subtitle, source line and text description.

The title states the finding, worked out from the data and never typed, so it can
be tested and cannot go stale. A dated target's title is worded from its verdict
(and a broken floor or ceiling leads the title), so the title and the status beside
it can never disagree. The description says in sentences what the chart shows, for
people who cannot see it. The words themselves (numbers, targets, lists, dates)
come from metrics.words, so a title here and a board-pack slide say the same thing.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from metrics.catalogue import Indicator
from metrics.charts.timeline import (
    _is_floor,
    _meets,
    _period_range,
    _projection_applies,
    _status_word,
    _timeline,
    _valued,
    place_text,
)
from metrics.context import reference_sentences
from metrics.dashboard import Shown
from metrics.series import Point
from metrics.words import (
    clear_difference,
    confidence_text,
    format_value,
    goal_text,
    in_sentence,
    interval_range,
    join_names,
    long_date,
    lower_first,
    target_phrase,
    upper_first,
)

_FREQUENCY_NOUN = {"month": "month", "quarter": "quarter", "year": "year"}


def subject(indicator: Indicator) -> str:
    """What a title is about: counts name the people or things counted, other measures their short name."""
    return indicator.name if indicator.unit in ("count", "money") else indicator.short_name


# --- the title ------------------------------------------------------------------------------------


def headline(shown: Shown) -> str:
    """The chart's title: the finding in one sentence-case sentence, worked out from the data."""
    ind, prog = shown.indicator, shown.progress
    subj = subject(ind)
    valued = _valued(shown)
    t = ind.target
    if prog.breaking and t is not None:
        return _breaking_headline(shown, valued)
    if not valued and shown.local_latest:
        return f"No combined authority figure for {lower_first(subj)}: see the seven authorities"
    if not valued:
        return f"No figures yet for {lower_first(subj)}"
    if t is not None and t.date is None:
        return _standing_headline(shown, subj, valued)
    if t is not None and t.date is not None:
        return _dated_headline(shown, subj, goal_text(ind, t.value), t.date)
    return _change_headline(ind, subj, valued)


def _breaking_headline(shown: Shown, valued: list[Point]) -> str:
    """A floor or ceiling broken by some schemes or authorities: that is the finding, whatever the
    total does, so the title leads with it and never says "stayed above" beside an off-track verdict."""
    ind, prog = shown.indicator, shown.progress
    t = ind.target
    assert t is not None
    who = "schemes" if prog.projects_total is not None else "authorities"
    total = prog.projects_total if prog.projects_total is not None else len(prog.places or ())
    n = len(prog.breaking)
    side = "below" if _is_floor(ind) else "above"
    kind = "minimum" if _is_floor(ind) else "maximum"
    verb = "is" if n == 1 else "are"
    title = f"{n} of {total} {who} {verb} {side} the {goal_text(ind, t.value)} {kind}"
    if valued:
        # The line drawn is the total: say where it is, so the title and the line agree.
        together = "all schemes together are" if who == "schemes" else "the combined authority is"
        title += f", though {together} at {format_value(ind, valued[-1].value)}"
    return title


def _standing_headline(shown: Shown, subj: str, valued: list[Point]) -> str:
    """A target with no date (a floor or ceiling to keep): whether every period kept it, or when it broke."""
    ind = shown.indicator
    t = ind.target
    assert t is not None
    last = valued[-1]
    noun = _FREQUENCY_NOUN.get(ind.frequency, "period")
    goal = goal_text(ind, t.value)
    floor = _is_floor(ind)
    meets = [_meets(ind, p.value) for p in valued]  # type: ignore[arg-type]
    strict = all((p.value > t.value) if floor else (p.value < t.value) for p in valued)  # type: ignore[operator]
    side = "above" if floor else "below"
    other = "below" if floor else "above"
    if len(valued) == 1:
        word = side if meets[0] else other
        return f"{upper_first(subj)} was {word} {goal} in {last.period}"
    if all(meets):
        if strict:
            return f"{upper_first(subj)} stayed {side} {goal} in every {noun}"
        return f"{upper_first(subj)} stayed at or {side} {goal} in every {noun}"
    if not any(meets):
        return f"{upper_first(subj)} stayed {other} {goal} in every {noun}"
    misses = meets.count(False)
    if meets[-1]:
        return (
            f"{upper_first(subj)} is back {side} {goal} in {last.period}, "
            f"after {misses} of {len(valued)} {noun}s {other} it"
        )
    verb = "fell below" if floor else "rose above"
    return f"{upper_first(subj)} {verb} {goal} in {last.period}"


def _dated_headline(shown: Shown, subj: str, goal: str, by: dt.date) -> str:
    """A dated target's title, worded from its verdict so the two can never disagree."""
    prog = shown.progress
    verdict = prog.verdict
    passed = "passed" if shown.indicator.direction == "higher" else "fell to"
    date = long_date(by)
    if verdict == "met":
        when = f" in {prog.reached_period}" if prog.reached_period else ""
        return f"{upper_first(subj)} {passed} {goal}{when}, by the {date} target date"
    if verdict == "met_late":
        return f"{upper_first(subj)} {passed} {goal} in {prog.reached_period}, after the {date} target date"
    if verdict == "missed":
        return f"{upper_first(subj)} did not reach {goal} by {date}"
    if verdict == "awaiting_data":
        return f"{upper_first(subj)}: the {prog.deciding_period} figure that decides the {date} target is not in yet"
    pace = {
        "on_track": "is on track to reach",
        "at_risk": "is short of the pace needed to reach",
        "off_track": "is well short of the pace needed to reach",
    }.get(verdict, "has a target of")
    return f"{upper_first(subj)} {pace} {goal} by {date}"


def _change_headline(ind: Indicator, subj: str, valued: list[Point]) -> str:
    """No target: the change from the first value to the latest (or the total reached) is the finding."""
    fmt = lambda v: format_value(ind, v)  # noqa: E731
    first, last = valued[0], valued[-1]
    if len(valued) == 1:
        return f"{upper_first(subj)}: {fmt(last.value)} in {last.period}"
    if ind.is_cumulative:
        return f"{upper_first(subj)} reached {fmt(last.value)} by {last.period}"
    a, b = fmt(first.value), fmt(last.value)
    if a == b:
        return f"{upper_first(subj)} stayed at {b} from {first.period} to {last.period}"
    if ind.is_estimate and not clear_difference(ind, first, last):
        # A survey estimate's change is a change only when the intervals say so (metrics.words).
        return f"{upper_first(subj)}: {a} in {first.period} and {b} in {last.period}, no clear change"
    verb = "rose" if last.value > first.value else "fell"  # type: ignore[operator]
    return f"{upper_first(subj)} {verb} from {a} in {first.period} to {b} in {last.period}"


def headline_text(fig: go.Figure) -> str:
    """A figure's title as one line of plain text (the wrapping taken out), for alt text and exports."""
    return (fig.layout.title.text or "").replace("<br>", " ")


# --- the lines around the plot ----------------------------------------------------------------------


def subtitle(shown: Shown) -> str:
    """Measure, unit, place and periods under the title: a chart lifted into a paper still says what it is."""
    ind = shown.indicator
    text = f"{ind.name} ({ind.unit_label}), {place_text(shown)}, {_period_range(_timeline(shown))}"
    return text + intervals_note([shown.series, *(r.series for r in shown.references)])


def intervals_note(series: list[list[Point]]) -> str:
    """ "; the whiskers show 95% confidence intervals" when any figure drawn carries one (and the level
    they all share, or "confidence intervals" alone when levels differ); empty otherwise."""
    levels = {p.confidence for s in series for p in s if p.interval is not None}
    if not levels:
        return ""
    level = f"{next(iter(levels)):g}% " if len(levels) == 1 and None not in levels else ""
    return f"; the whiskers show {level}confidence intervals"


def source_text(indicator: Indicator, illustrative: bool) -> str:
    """The source line under the plot; sample values say so, never to be mistaken for published figures."""
    line = indicator.source_line
    if illustrative:
        line += ". Illustrative data: sample values, not published figures"
    return line


# --- the chart in words -----------------------------------------------------------------------------


def describe(shown: Shown) -> str:
    """The chart in words, for people who cannot see it: type, trend, first and latest, target, gaps."""
    ind, prog = shown.indicator, shown.progress
    rows = _timeline(shown)
    valued = _valued(shown)
    place = place_text(shown)
    measure = f"{ind.short_name} ({ind.unit_label})"
    if not valued and shown.local_latest:
        return f"Line chart: {measure}, {place}. It is empty. {prog.sentence}"
    if not valued:
        return f"Line chart: {measure}, {place}. There are no figures yet."
    parts = [f"Line chart: {measure}, {place}, {_period_range(rows)}. {headline(shown)}."]
    first, last = valued[0], valued[-1]
    if len(valued) == 1:
        parts.append(
            f"The only value is {format_value(ind, last.value)} ({last.period}, {_status_word(last)})."
        )
    else:
        parts.append(
            f"The first value is {format_value(ind, first.value)} ({first.period}) and the latest is "
            f"{format_value(ind, last.value)} ({last.period}, {_status_word(last)})."
        )
    label = target_phrase(ind)
    if label is not None and ind.target is not None:
        parts.append(f"The target is {label}: the latest value {_against_target(ind, last)} it.")
        parts.append(prog.sentence)
    else:
        parts.append("There is no target.")
    provisional = [p.period for p in valued if p.status == "provisional"]
    if provisional:
        parts.append(f"Provisional values (open markers): {join_names(provisional)}.")
    gaps = [r for r in rows if r.value is None]
    if gaps:
        named = [f"{r.period} ({(r.missing_text or 'no figure').replace('missing: ', '')})" for r in gaps]
        parts.append(f"Missing, shown as gaps and not as zero: {join_names(named)}.")
    if _projection_applies(shown):
        end = (prog.projection or [])[-1]
        parts.append(
            f"A dashed projection continues the trend to {long_date(end['date'])}, reaching "
            f"{format_value(ind, end['value'])} (80% range {format_value(ind, end['low'])} to "
            f"{format_value(ind, end['high'])})."
        )
    with_interval = [p for p in valued if p.interval is not None]
    if with_interval:
        parts.append(
            f"Whiskers show {confidence_text(with_interval[-1])}s: the latest is "
            f"{interval_range(ind, with_interval[-1])} ({with_interval[-1].period})."
        )
    if shown.references:
        parts.append(
            f"For comparison, the chart also shows {join_names([in_sentence(r.place.name) for r in shown.references])} "
            "as thinner lines with square and triangle markers."
        )
        parts += reference_sentences(shown)
    return " ".join(parts)


def _against_target(ind: Indicator, last: Point) -> str:
    """Where the latest value stands: "meets", or for a dated target how far short it is, in the unit."""
    assert ind.target is not None
    if ind.target.date is None:
        return "meets" if _meets(ind, last.value) else "does not meet"  # type: ignore[arg-type]
    if _meets(ind, last.value):  # type: ignore[arg-type]
        return "meets"
    gap = abs(ind.target.value - last.value)  # type: ignore[operator]
    if ind.unit == "percent":
        shortfall = f"{format_value(ind, gap).rstrip('%')} percentage points"
    else:
        shortfall = format_value(ind, gap)
    return f"is {shortfall} short of"
