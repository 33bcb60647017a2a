"""Every phrase the dashboard says, in one module: verdicts, numbers, targets, lists, dates.

Shared by every screen, chart, export and the `kpi` command.

One place, so that the Overview, the Indicator page, a chart's title and a board
pack slide call the same state by the same name with the same symbol. Symbols are
text characters, not colour emoji: they keep their shape in every font, in
headless browsers and in exports, and the status never rests on colour alone
(WCAG 1.4.1).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import partial
from typing import Any

from metrics.catalogue import DIMENSION_LABELS, STATISTICS_STATUS_LABELS, Indicator
from metrics.periods import long_date, month_year
from metrics.series import MISSING_REASONS, Point

__all__ = ["long_date", "month_year"]  # dates in words live in periods.py; words.py is where to find them

# verdict id (shared/spec/cli.md) -> (words, symbol)
VERDICT_WORDS: dict[str, tuple[str, str]] = {
    "met": ("Target met", "★"),
    "on_track": ("On track", "✔"),
    "at_risk": ("At risk", "⚠"),
    "off_track": ("Off track", "✖"),
    "met_late": ("Met late", "◑"),
    "missed": ("Missed", "⊗"),
    "awaiting_data": ("Awaiting data", "…"),
    "no_target": ("No target", "○"),
    "no_data": ("No data", "∅"),
}

# Where readers of the dashboard and the public site report a problem (accessibility statements).
REPORT_EMAIL = "performance@wmca.org.uk"

# What each verdict means, in the words of the `kpi` contract (shared/spec/cli.md).
VERDICT_MEANINGS = {
    "met": "The target is met, on or before its date.",
    "on_track": "Not met yet; the pace so far meets it on time.",
    "at_risk": "Not met yet; the pace falls short, within the indicator's at-risk threshold.",
    "off_track": "Not met yet; the pace falls well short, or a floor or ceiling is broken now.",
    "met_late": "Met, but only after its date (the sentence says how late).",
    "missed": "The date has passed and the figure for the period that covers it shows it was not met.",
    "awaiting_data": (
        "The date has passed but the figure for the period that covers it is not in yet; the sentence gives "
        "the pace so far."
    ),
    "no_target": "The plan sets no target for this indicator.",
    "no_data": "There is no usable figure for this place.",
}

# A verdict after a count: "4 off track, 3 met".
VERDICT_COUNTED = {
    "met": "met",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "met_late": "met late",
    "missed": "missed",
    "awaiting_data": "awaiting data",
    "no_target": "with no target",
    "no_data": "with no data",
}

# The order a board reads them in: what needs action first.
VERDICT_ORDER = (
    "missed",
    "off_track",
    "at_risk",
    "met_late",
    "awaiting_data",
    "on_track",
    "met",
    "no_target",
    "no_data",
)


# An action's quarterly status (the plan's actions are reported on, not measured): words and symbol.
ACTION_STATUS_WORDS: dict[str, tuple[str, str]] = {
    "on_track": ("On track", "✔"),
    "at_risk": ("At risk", "⚠"),
    "off_track": ("Off track", "✖"),
    "complete": ("Complete", "☑"),
    "not_started": ("Not started", "○"),
}
NO_ACTION_STATUS = ("No status reported", "◌")


def action_status_word(status: str) -> str:
    """ "On track", "Not started": an action's status in words, as every table and pack says it."""
    return ACTION_STATUS_WORDS.get(status, (status, ""))[0]


# The verdicts a board needs to read the reason for: listed under each theme on the Overview.
VERDICTS_NEEDING_ATTENTION = ("missed", "off_track", "at_risk", "met_late", "awaiting_data")


def verdict_word(verdict: str) -> str:
    """ "Off track", "Met late": the verdict in words."""
    return VERDICT_WORDS.get(verdict, VERDICT_WORDS["no_data"])[0]


def verdict_label(verdict: str) -> str:
    """The verdict as a symbol and words, for screens: "✖ Off track"."""
    word, symbol = VERDICT_WORDS.get(verdict, VERDICT_WORDS["no_data"])
    return f"{symbol} {word}"


def verdict_sentence(verdict: str, reason: str) -> str:
    """The verdict and its reason as one line: "Off track: 3 of 14 schemes are below ...".

    Every surface that states a verdict uses this, so a slide and a page never word it apart.
    """
    return f"{verdict_word(verdict)}: {reason}"


def count_phrase(verdict: str, count: int) -> str:
    """One of a theme's counts: "✖ Off track: 2"."""
    return f"{verdict_label(verdict)}: {count}"


# C0 and C1 control characters (but tab and line breaks), DEL, bidirectional overrides and
# isolates (they can make text read differently from how it is stored), and XML-forbidden
# code points: none belongs in a name or a note, and each can break a Word or PowerPoint file.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)


def clean_text(text: str) -> str:
    """User text with the characters removed that can break a document or disguise what it says."""
    return _UNSAFE.sub("", text)


# --- sentences and lists ----------------------------------------------------------------------------


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th, 21st: a place in a ranking, as GOV.UK writes it."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# Said beside a ranking of survey estimates: places a point or two apart may not really differ.
ESTIMATE_RANK_NOTE = (
    "These are survey estimates, so places close together in this order may not really differ: see each "
    "figure's confidence interval in the table."
)


def lower_first(text: str) -> str:
    """Lower-case the first letter for use mid-sentence, leaving acronyms (NEET, SCF, ESOL) alone, and
    names that hold a proper noun (a later word in title case: "Thrive into Work", "Youth Hub support",
    "Asian or Asian British: Indian"), whose first word belongs to the name."""
    if len(text) > 1 and text[1].isupper():
        return text
    if any(w[:1].isupper() and not w.isupper() for w in text.split()[1:]):
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """A phrase made the start of a sentence."""
    return text[:1].upper() + text[1:]


def join_names(names: list[str]) -> str:
    """ "Coventry, Dudley and Sandwell": a list as a sentence says it (empty for none)."""
    if not names:
        return ""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# --- lists of places and schemes ---------------------------------------------------------------------


def named_values(
    indicator: Indicator, items: list[tuple[str, float]], at_most: int, total: int | None = None
) -> str:
    """ "Scheme C (10.0%), Scheme D (16.2%) and 3 more": the first few named, the rest counted.

    `total` is how many there are when `items` lists only the first of them (the store read no more).
    """
    shown = [f"{n} ({format_value(indicator, v)})" for n, v in items[:at_most]]
    rest = (len(items) if total is None else total) - len(shown)
    if rest:
        shown.append(f"{rest} more")
    return join_names(shown)


def verdict_counts_sentence(indicator: Indicator, places: Sequence[Any]) -> str:
    """ "4 off track (Birmingham 3.4%, ...) and 3 met": the seven grouped by verdict, worst first."""
    parts = []
    for verdict in VERDICT_ORDER:
        group = [p for p in places if p.verdict == verdict]
        if not group:
            continue
        words = VERDICT_COUNTED[verdict]
        named = ", ".join(
            f"{p.name} {format_value(indicator, p.latest_value)}" if p.latest_value is not None else p.name
            for p in group
        )
        parts.append(f"{len(group)} {words} ({named})")
    return join_names(parts)


# --- numbers ----------------------------------------------------------------------------------------


def number(value: float, decimals: int) -> str:
    """A number with thousands separators and a fixed number of decimals, never "-0.0"."""
    rounded = round(value, decimals)
    if rounded == 0:
        rounded = 0.0
    return f"{rounded:,.{decimals}f}"


def format_unit(unit: str, value: float, decimals: int) -> str:
    """A value in its unit: "1,234", "20.5%", "£1,200", "-£3.50"."""
    if unit == "count":
        return number(value, 0)
    if unit == "percent":
        return f"{number(value, decimals)}%"
    if unit == "money":
        pence = 0 if float(round(value, 2)).is_integer() else 2
        text = number(abs(value), pence)
        return f"-£{text}" if value < 0 and text.strip("0.,") else f"£{text}"
    return number(value, decimals)  # rate_per_100k, score, ratio


def _no_figure(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(indicator: Indicator, value: float | None, missing: str | None = None) -> str:
    """A value as every page, chart label and export shows it; a missing value is never shown as 0."""
    if _no_figure(value):
        if missing:
            why = MISSING_REASONS.get(missing.strip("[]").lower())
            return f"missing ({why})" if why else "missing"
        return "no data"
    return format_unit(indicator.unit, float(value), indicator.decimals)


def missing_reason(symbol: str | None) -> str:
    """Why a value is missing, from its symbol: "suppressed to protect confidentiality"."""
    if not symbol:
        return "no figure"
    return MISSING_REASONS.get(symbol.strip("[]").lower(), "not available")


# --- targets ----------------------------------------------------------------------------------------

APPLIES_TO_WORDS = {
    "combined_authority": "",
    "every_scheme": "in every scheme",
    "every_authority": "in every local authority",
}


def goal_text(indicator: Indicator, goal: float | None = None) -> str:
    """A target's value as the plan writes it: "20%" and "6,000", not "20.0%"."""
    if goal is None:
        assert indicator.target is not None
        goal = indicator.target.value
    decimals = 0 if float(goal).is_integer() else indicator.decimals
    return format_unit(indicator.unit, goal, decimals)


def target_phrase(indicator: Indicator) -> str | None:
    """The target mid-sentence: "at least 20%", "at most 3%", "6,000 by 30 September 2022"."""
    t = indicator.target
    if t is None:
        return None
    goal = goal_text(indicator)
    if t.date is not None:
        return f"{goal} by {long_date(t.date)}"
    if t.kind == "maximum" or (t.kind != "minimum" and indicator.direction == "lower"):
        return f"at most {goal}"
    return f"at least {goal}"


def target_text(indicator: Indicator) -> str:
    """The whole target as a table cell says it: "At least 20% in every scheme", "No target"."""
    t = indicator.target
    if t is None:
        return "No target"
    words = {"minimum": "at least", "maximum": "at most"}.get(t.kind, "")
    text = f"{words} {goal_text(indicator)}".strip()
    if t.date:
        text += f" by {long_date(t.date)}"
    who = APPLIES_TO_WORDS.get(t.applies_to, t.applies_to.replace("_", " "))
    if who:
        text += f" {who}"
    basis = " (illustrative target)" if t.basis == "illustrative" else ""
    return upper_first(text) + basis


def target_heading(indicator: Indicator) -> tuple[str, str]:
    """A target as a figure card shows it, short enough for its column: the date or whom it binds
    goes in the label ("Target by 30 September 2022", "Target in every scheme"), the goal in the value."""
    phrase = target_phrase(indicator)
    t = indicator.target
    if t is None or phrase is None:
        return "Target", "No target"
    if t.date is not None:
        by = long_date(t.date)
        return f"Target by {by}", upper_first(phrase.removesuffix(f" by {by}"))
    who = APPLIES_TO_WORDS.get(t.applies_to)
    return (f"Target {who}" if who else "Target"), upper_first(phrase)


# --- the status of the statistics -------------------------------------------------------------------


# A breakdown by its name in words. The catalogue's id for an SCF scheme is "project" (the plan's
# word, kept in uploads and on the command line); the screens call it a scheme, so every chart,
# export and pack does too.
def dimension_label(dimension: str, *, mid_sentence: bool = False) -> str:
    """A breakdown's name as a heading says it ("Sex", "SCF scheme"), or mid-sentence ("sex", "SCF scheme")."""
    label = DIMENSION_LABELS.get(dimension, dimension)
    return lower_first(label) if mid_sentence else label


def statistics_status_text(status: str, illustrative: bool) -> str:
    """The status of the statistics as a reader needs it, saying when sample values are mixed in."""
    if status == "illustrative":
        return "Illustrative: sample values, not published figures"
    label = STATISTICS_STATUS_LABELS.get(status, status)
    if illustrative:
        return f"{label}; some values are illustrative sample data, not published figures"
    return label


# --- comparisons with other places, and how sure we are (issue 16) ---------------------------------

# What a figure is called in a comparison: "Coventry's rate", "England's ratio".
MEASURE_NOUNS = {
    "percent": "rate",
    "rate_per_100k": "rate",
    "ratio": "ratio",
    "score": "score",
    "count": "number",
    "money": "amount",
}


# Names that take "the" in running text: "the West Midlands region's rate", "the West Midlands Combined
# Authority's", but "England's" and "Coventry's".
_TAKES_THE = ("region", "combined authority", "county authority")


def in_sentence(name: str) -> str:
    """A place's name as it reads mid-sentence: bodies and regions take "the", places by name do not."""
    return f"the {name}" if name.lower().endswith(_TAKES_THE) and not name.startswith("the ") else name


def possessive(name: str) -> str:
    """ "Coventry's", "England's"; a name ending in s takes the apostrophe alone."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def size_text(indicator: Indicator, amount: float, *, unit: bool = True) -> str:
    """A change or gap, never signed: "1.2 points" for a percentage (percentage points), else in the unit."""
    if indicator.unit == "percent":
        text = number(abs(amount), indicator.decimals)
        return f"{text} points" if unit else text
    return format_unit(indicator.unit, abs(amount), indicator.decimals)


def clear_difference(indicator: Indicator, a: Point, b: Point) -> bool:
    """The uncertainty rule: is the change or gap between two figures a difference worth the name?

    An exact figure (a count, an administrative rate) differs whenever the shown values differ. A survey
    estimate (the catalogue's `estimate:`) differs only when both figures carry a confidence interval
    and the intervals do not overlap: without intervals nothing can be said to be more than noise.
    """
    if a.value is None or b.value is None:
        return False
    if round(a.value, indicator.decimals) == round(b.value, indicator.decimals):
        return False
    if not indicator.is_estimate:
        return True
    if a.interval is None or b.interval is None:
        return False
    (a_low, a_high), (b_low, b_high) = a.interval, b.interval
    return a_high < b_low or b_high < a_low


def interval_range(indicator: Indicator, point: Point) -> str:
    """A figure's confidence interval as its two ends: "70.1% to 73.7%"; empty when it has none."""
    if point.interval is None:
        return ""
    low, high = point.interval
    return f"{format_value(indicator, low)} to {format_value(indicator, high)}"


def confidence_text(point: Point) -> str:
    """ "95% confidence interval", the level as stored (95 when an upload gave bounds without one)."""
    level = point.confidence if point.confidence is not None else 95
    return f"{level:g}% confidence interval"


def interval_text(indicator: Indicator, point: Point) -> str:
    """ "95% confidence interval 70.1% to 73.7%"; empty when the figure has none."""
    return (
        f"{confidence_text(point)} {interval_range(indicator, point)}" if point.interval is not None else ""
    )


def _unclear_reason(a: Point, b: Point) -> str:
    if a.interval is None or b.interval is None:
        return "the survey estimates have no confidence intervals to judge it by"
    return "their confidence intervals overlap"


def gap_sentence(indicator: Indicator, name: str, figure: Point, other: str, other_figure: Point) -> str:
    """One place's figure against another's (or one group's against another's), said as a difference only
    when it is one: "Coventry's rate (72.1%) is lower than England's (75.7%), by 3.6 points."."""
    noun = MEASURE_NOUNS.get(indicator.unit, "figure")
    a, b = figure.value, other_figure.value
    if a is None or b is None:
        return f"{possessive(name)} {noun} cannot be compared with {possessive(other)}: one has no figure."
    shown_a, shown_b = format_value(indicator, a), format_value(indicator, b)
    if round(a, indicator.decimals) == round(b, indicator.decimals):
        return f"{possessive(name)} {noun} is the same as {possessive(other)} ({shown_a})."
    if not clear_difference(indicator, figure, other_figure):
        return (
            f"There is no clear difference between {possessive(name)} {noun} ({shown_a}) and "
            f"{possessive(other)} ({shown_b}): {_unclear_reason(figure, other_figure)}."
        )
    side = "higher" if a > b else "lower"
    sure = ", and their confidence intervals do not overlap" if indicator.is_estimate else ""
    return (
        f"{possessive(name)} {noun} ({shown_a}) is {side} than {possessive(other)} ({shown_b}), by "
        f"{size_text(indicator, a - b)}{sure}."
    )


def change_sentence(indicator: Indicator, name: str, first: Point, last: Point) -> str:
    """One place's change between two periods, said as a change only when it is one (the uncertainty
    rule): "Coventry's rate fell from 73.3% in 2021 to 72.1% in 2023, by 1.2 points."."""
    noun = MEASURE_NOUNS.get(indicator.unit, "figure")
    if first.value is None or last.value is None:
        return f"{possessive(name)} {noun} has no figure for {first.period} or {last.period} to compare."
    was, now = format_value(indicator, first.value), format_value(indicator, last.value)
    if round(first.value, indicator.decimals) == round(last.value, indicator.decimals):
        return f"{possessive(name)} {noun} was {now} in both {first.period} and {last.period}."
    if not clear_difference(indicator, first, last):
        return (
            f"There is no clear difference in {possessive(name)} {noun} between {first.period} ({was}) and "
            f"{last.period} ({now}): {_unclear_reason(first, last)}."
        )
    verb = "rose" if last.value > first.value else "fell"
    return (
        f"{possessive(name)} {noun} {verb} from {was} in {first.period} to {now} in {last.period}, by "
        f"{size_text(indicator, last.value - first.value)}."
    )


def compare_changes(indicator: Indicator, name: str, change: float, other: str, other_change: float) -> str:
    """Two places' changes over the same periods, side by side: "Coventry's rate fell faster than
    England's (1.2 points against 0.4)." The changes are compared as shown (rounded), so the words never
    say faster where the figures read the same."""
    noun = MEASURE_NOUNS.get(indicator.unit, "figure")
    a, b = round(change, indicator.decimals), round(other_change, indicator.decimals)
    mine, theirs = f"{possessive(name)} {noun}", possessive(other)

    def verb(x: float) -> str:
        return "rose" if x > 0 else "fell"

    if a == 0 and b == 0:
        return f"Neither {mine} nor {theirs} changed."
    if a == 0:
        return f"{mine} did not change, while {theirs} {verb(b)} by {size_text(indicator, b)}."
    if b == 0:
        return f"{mine} {verb(a)} by {size_text(indicator, a)}, while {theirs} did not change."
    if (a > 0) != (b > 0):
        return (
            f"{mine} {verb(a)} by {size_text(indicator, a)}, while {theirs} {verb(b)} by "
            f"{size_text(indicator, b, unit=False)}."
        )
    if abs(a) == abs(b):
        return f"{mine} and {theirs} both {verb(a)} by {size_text(indicator, a)}."
    pace = "faster" if abs(a) > abs(b) else "more slowly"
    return (
        f"{mine} {verb(a)} {pace} than {theirs} ({size_text(indicator, a)} against "
        f"{size_text(indicator, b, unit=False)})."
    )


# --- breakdowns by group: small numbers hidden, and how sure a gap is (issue 16) ----------------------

SUPPRESSED_MARK = "c"  # a group hidden by metrics.disclose, on every chart, table and file (the GSS symbol)
SUPPRESSED_CELL = "Not shown so no one can be identified"


def suppressed_note(indicator: Indicator) -> str:
    """The key to a hidden cell (under a chart or table, in a file's notes): "c: fewer than 5, ...". It
    covers the second cells hidden too, without saying which is which: that would tell them apart."""
    count_below, denominator_below = indicator.small_numbers
    rules = [f"fewer than {count_below}"] if count_below else []
    if denominator_below and indicator.is_share:
        rules.append(f"out of fewer than {denominator_below}")
    rule = " or ".join(rules) or "a small number"
    return f"{SUPPRESSED_MARK}: {rule}, or a figure that would let one be worked out, not shown so no one can be identified."


def group_gap(
    indicator: Indicator,
    dimension_label: str,
    figures: dict[str, Point],
    withheld: Sequence[str] = (),
    when: str | None = None,
    title: bool = False,
) -> str:
    """The gap between the highest and lowest group in words (the plan is about equity: the distance is the
    finding), naming groups without figures. A hidden group (`withheld`: a small number, or one that would
    give one away) is never part of it, and the sentence says the gap is between the groups shown. For a
    survey estimate the gap is a difference only when the two groups' intervals do not overlap
    (clear_difference). A chart's `title` leaves out why (its subtitle says what the whiskers show)."""
    label, measure = lower_first(dimension_label), lower_first(indicator.short_name)
    fv = partial(format_value, indicator)  # a short name keeps each sentence on a line
    at, shown = (f" in {when}" if when else ""), (" shown" if withheld else "")
    known = {k: p for k, p in figures.items() if k not in withheld and not _no_figure(p.value)}
    missing = [k for k, p in figures.items() if k not in withheld and _no_figure(p.value)]
    by = f"By {label}{', of the groups shown,' if withheld else ','}"
    values = [p.value for p in known.values()]
    hi, lo = (max(values), min(values)) if values else (0.0, 0.0)
    if not known:
        sentence = f"There are no figures{' to show' if withheld else ''} for {measure} by {label}{at}."
    elif len(known) == 1:
        ((name, p),) = known.items()
        sentence = f"By {label}, only {name} has a figure{shown} for {measure} ({fv(p.value)}){at}."
    elif hi == lo:
        sentence = f"By {label}, every group{shown} had the same {measure} ({fv(hi)}){at}."
    else:
        top = join_names([k for k, p in known.items() if p.value == hi])
        bottom = join_names([k for k, p in known.items() if p.value == lo])
        pairs = [(a, b) for a in known.values() if a.value == hi for b in known.values() if b.value == lo]
        unclear = [pair for pair in pairs if not clear_difference(indicator, *pair)]
        high, low, size = fv(hi), fv(lo), fv(hi - lo)
        if indicator.is_estimate and unclear:
            why = "" if title else f": {_unclear_reason(*unclear[0])}"
            sentence = (
                f"{by} there is no clear difference in {measure} between the highest, {top} ({high}), and the "
                f"lowest, {bottom} ({low}){',' if at else ''}{at}{why}."
            )
        else:
            most, least = ("most", "fewest") if indicator.unit == "count" else ("highest", "lowest")
            if indicator.unit == "percent":
                size = f"{number(hi - lo, indicator.decimals)} percentage points"
            sure = (
                ", and their confidence intervals do not overlap"
                if indicator.is_estimate and not title
                else ""
            )
            sentence = f"{by} {top} had the {most} {measure} ({high}) and {bottom} the {least} ({low}), a gap of {size}{at}{sure}."
    if withheld:
        are = "is" if len(withheld) == 1 else "are"
        sentence += (
            f" {join_names(list(withheld))} {are} not shown ({SUPPRESSED_MARK}) so no one can be identified."
        )
    if missing:
        sentence += f" Figures for {join_names(missing)} are missing."
    return sentence


# --- counts by verdict and by action status (the Overview, the Theme page, the public site) ----------

# The order a theme's actions are counted in (what is done first, then what needs attention).
ACTION_COUNT_ORDER = ("complete", "on_track", "at_risk", "off_track", "not_started", "none")


def verdict_counts(counts: dict[str, int]) -> str:
    """Indicators counted by verdict, worst first, leaving out verdicts no indicator has: "✖ Off track: 1 · ..."."""
    shown = [count_phrase(v, counts[v]) for v in VERDICT_ORDER if counts.get(v)]
    return " · ".join(shown) if shown else "none"


def action_count_phrase(status: str, count: int) -> str:
    """One of a theme's action counts: "☑ Complete: 2"."""
    word, icon = NO_ACTION_STATUS if status == "none" else ACTION_STATUS_WORDS.get(status, (status, "○"))
    return f"{icon} {word}: {count}"


def action_counts(counts: dict[str, int]) -> str:
    """Actions counted by their latest status, leaving out statuses no action has: "☑ Complete: 1 · ..."."""
    order = [*ACTION_COUNT_ORDER, *(k for k in counts if k not in ACTION_COUNT_ORDER)]
    shown = [action_count_phrase(k, counts[k]) for k in order if counts.get(k)]
    return " · ".join(shown) if shown else "none"


def action_status_label(status: str | None) -> str:
    """An action's quarterly status as icon and word; no status reported yet says so."""
    if not status:
        word, icon = NO_ACTION_STATUS
        return f"{icon} {word} yet"
    word, icon = ACTION_STATUS_WORDS.get(status, (status.replace("_", " ").capitalize(), "○"))
    return f"{icon} {word}"
