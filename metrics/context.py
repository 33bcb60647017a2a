"""Context for a figure: the comparators' series (England, the region, an authority's statistical
neighbours) and a comparison in words, for the screens and exports to use.

The verdict stays the plan's: nothing here is judged against a target, and comparators never count
towards the combined authority's figure (they are read by their own codes, never among the eight).
Survey estimates are compared under the uncertainty rule of metrics/words.py (a change or gap is a
difference only when the confidence intervals do not overlap).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from metrics.asof import AsOf, Db, read
from metrics.catalogue import Catalogue, Geography, Indicator, default_catalogue
from metrics.comparators import Comparator
from metrics.dashboard import Shown, place_row, points_by_place
from metrics.progress import running_total
from metrics.series import Point
from metrics.store import connect, fetch_dicts
from metrics.words import (
    ESTIMATE_RANK_NOTE,
    MEASURE_NOUNS,
    change_sentence,
    clear_difference,
    compare_changes,
    format_value,
    gap_sentence,
    in_sentence,
    join_names,
    ordinal,
    possessive,
    upper_first,
)


@dataclass(frozen=True)
class PlaceSeries:
    """One comparator's current series of an indicator (the total, no breakdown), oldest first."""

    place: Comparator
    series: list[Point]


@dataclass(frozen=True)
class Context:
    """An indicator's comparators: England, the region, and the chosen authority's neighbours (with the
    model they come from, and whether those lists are illustrative)."""

    indicator: Indicator
    england: PlaceSeries | None
    region: PlaceSeries | None
    authority: Geography | None = None
    neighbours: tuple[PlaceSeries, ...] = ()
    neighbour_model: str = ""
    neighbours_illustrative: bool = False


def comparator_series(
    indicator: Indicator,
    authority: Geography | None = None,
    *,
    db: Db = None,
    catalogue: Catalogue | None = None,
    as_of_upload: AsOf | None = None,
) -> Context:
    """The current series of England, the region and (for a local authority) its statistical neighbours,
    read in one query. A cumulative indicator's are running totals from its base period, as the eight
    places' are; a comparator with no figures has an empty series."""
    catalogue = catalogue or default_catalogue()
    comparators = catalogue.comparators
    neighbours = comparators.neighbours_of(authority.code) if authority is not None else ()
    wanted = [c for c in (comparators.england, comparators.region, *neighbours) if c is not None]
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(
            con,
            *read(
                "current_series",
                {
                    "indicator_id": indicator.id,
                    "geographies": [c.code for c in wanted],
                    "dimension": "",
                    "breakdown_value": "",
                },
                as_of_upload,
            ),
        )
    by_code = points_by_place(rows)
    start = indicator.base_period.start if indicator.base_period else None

    def series(place: Comparator | None) -> PlaceSeries | None:
        if place is None:
            return None
        points = by_code.get(place.code, [])
        return PlaceSeries(place, running_total(points, start) if indicator.is_cumulative else points)

    return Context(
        indicator,
        series(comparators.england),
        series(comparators.region),
        authority,
        tuple(s for c in neighbours if (s := series(c)) is not None),
        comparators.neighbours.model,
        comparators.neighbours.illustrative,
    )


def comparison(
    indicator: Indicator, name: str, series: list[Point], other: str, other_series: list[Point]
) -> str:
    """One place's change against another's over the same periods, in one or two sentences:
    "Coventry's rate fell faster than England's (1.2 points against 0.4)." with the periods said.

    Both changes run from the first to the latest period both places have a figure for. For a survey
    estimate, a change whose intervals overlap is no clear change, so the two are not compared as faster
    or slower: the sentence says which change is not clear.
    """
    mine = {(p.start, p.end): p for p in series if p.value is not None}
    theirs = {(p.start, p.end): p for p in other_series if p.value is not None}
    common = sorted(mine.keys() & theirs.keys())
    if len(common) < 2:
        return (
            f"{possessive(name)} figures cannot be compared with {possessive(other)}: they share fewer than "
            "two periods."
        )
    first, last = common[0], common[-1]
    a, b = (mine[first], mine[last]), (theirs[first], theirs[last])
    if indicator.is_estimate:
        unclear = [
            change_sentence(indicator, who, *pair)
            for who, pair in ((name, a), (other, b))
            if not clear_difference(indicator, *pair)
        ]
        if unclear:
            return " ".join(unclear)
    compared = compare_changes(indicator, name, a[1].value - a[0].value, other, b[1].value - b[0].value)
    if compared.startswith("Neither"):
        compared = "n" + compared[1:]
    return f"Between {a[0].period} and {a[1].period}, {compared}"


def neighbours_sentence(context: Context) -> str:
    """Who the chosen authority is compared with, and on what basis: "Coventry's statistical neighbours
    (CIPFA Nearest Neighbours Model; an illustrative list): Leicester, Nottingham and Bristol."."""
    if context.authority is None or not context.neighbours:
        return ""
    names = join_names([s.place.name for s in context.neighbours])
    basis = context.neighbour_model + ("; an illustrative list" if context.neighbours_illustrative else "")
    return f"{possessive(context.authority.name)} statistical neighbours ({basis}): {names}."


# --- England and the region beside a series ---------------------------------------------------------------

# Counts and money are not compared with England or the region: a larger place has more of everything,
# so a line for England's count beside Coventry's would say nothing about either (and flatten Coventry's).
NOT_COMPARABLE_UNITS = ("count", "money")


def comparable(indicator: Indicator) -> bool:
    """Whether places of different sizes can be read side by side: rates, shares, ratios and scores."""
    return indicator.unit not in NOT_COMPARABLE_UNITS


def _within(series: list[Point], start: dt.date, end: dt.date) -> list[Point]:
    return [p for p in series if p.start >= start and p.end <= end]


def trim_references(shown: Shown) -> Shown:
    """The references cut to the periods the series covers, so a chosen range shows only theirs."""
    if not shown.references:
        return shown
    if not shown.series:
        return replace(shown, references=())
    start = min(p.start for p in shown.series)
    end = max(p.end for p in shown.series)
    refs = tuple(PlaceSeries(r.place, _within(r.series, start, end)) for r in shown.references)
    return replace(shown, references=tuple(r for r in refs if any(p.value is not None for p in r.series)))


def with_references(
    shown: Shown,
    *,
    db: Db = None,
    catalogue: Catalogue | None = None,
    as_of_upload: AsOf | None = None,
) -> Shown:
    """The series with England's and the region's beside it (`Shown.references`), over its own periods.

    Only for a place's whole figure (a group's figure is not England's figure for everyone) and only
    where places of different sizes compare (`comparable`). Context only: the progress is untouched.
    """
    if shown.breakdown is not None or not comparable(shown.indicator) or not shown.series:
        return shown
    context = comparator_series(shown.indicator, db=db, catalogue=catalogue, as_of_upload=as_of_upload)
    refs = tuple(s for s in (context.england, context.region) if s is not None)
    return trim_references(replace(shown, references=refs))


def latest(series: list[Point]) -> Point | None:
    """The newest point with a value (or, if none has one, the newest point)."""
    ordered = sorted(series, key=lambda p: (p.start, p.end))
    valued = [p for p in ordered if p.value is not None]
    return (valued or ordered or [None])[-1]


def reference_sentences(shown: Shown) -> list[str]:
    """The series against each reference, in words: the change over the periods both have, then the latest
    gap ("In 2025, Coventry's ratio (6.04) is lower than England's (7.64), by 1.60."), both under the
    uncertainty rule for survey estimates. Survey estimates with no intervals to judge by get one sentence
    giving the figures and saying so, not one "no clear difference" per comparison. Empty when nothing is
    compared."""
    ind = shown.indicator
    name = in_sentence(shown.geography.name)
    mine = {(p.start, p.end): p for p in shown.series if p.value is not None}
    shared = []
    for ref in shown.references:
        theirs = {(p.start, p.end): p for p in ref.series if p.value is not None}
        shared.append((ref, theirs, sorted(mine.keys() & theirs.keys())))
    if ind.is_estimate and not _has_intervals(shown):
        return [_no_intervals_sentence(ind, name, mine, shared)]
    out: list[str] = []
    for ref, theirs, common in shared:
        other = in_sentence(ref.place.name)
        if not common:
            out.append(
                upper_first(
                    f"{possessive(other)} figures are for other periods than {possessive(name)}, so the two "
                    "are not compared in words; both are in the table."
                )
            )
            continue
        if len(common) >= 2:
            out.append(upper_first(comparison(ind, name, shown.series, other, ref.series)))
        last = common[-1]
        gap = gap_sentence(ind, name, mine[last], other, theirs[last])
        out.append(gap if gap.startswith("There is") else f"In {mine[last].period}, {gap}")
    return out


def _has_intervals(shown: Shown) -> bool:
    return any(
        p.interval is not None for s in (shown.series, *(r.series for r in shown.references)) for p in s
    )


def _no_intervals_sentence(ind: Indicator, name: str, mine: dict, shared: list) -> str:
    """Survey estimates with no confidence intervals: the latest figures side by side, and why no
    difference is claimed."""
    common = set(mine)
    for _, _, keys in shared:
        common &= set(keys)
    noun = MEASURE_NOUNS.get(ind.unit, "figure")
    if not common:
        return (
            "These are survey estimates with no confidence intervals here, so no difference between the places "
            "is claimed; their figures are in the table."
        )
    key = max(common)
    figures = [f"{possessive(name)} {noun} was {format_value(ind, mine[key].value)}"] + [
        f"{possessive(in_sentence(ref.place.name))} {format_value(ind, theirs[key].value)}"
        for ref, theirs, _ in shared
    ]
    return (
        f"In {mine[key].period}, {join_names(figures)}. These are survey estimates with no confidence intervals "
        "here, so whether they really differ cannot be said."
    )


def reference_frame(context: Context) -> pd.DataFrame:
    """England's and the region's latest figures as rows like dashboard.place_comparison's, for the
    comparison of places (marked `comparator`, so a chart can draw them apart from the seven)."""
    return _latest_rows([s for s in (context.england, context.region) if s is not None])


def neighbour_frame(context: Context, places: pd.DataFrame) -> pd.DataFrame:
    """The chosen authority's latest figure (its row of `places`, dashboard.place_comparison) and each
    neighbour's, for the "compared with similar areas" view."""
    rows = _latest_rows(list(context.neighbours))
    rows["comparator"] = False  # here the neighbours are the places compared, not context beside them
    if context.authority is not None:
        mine = places[places["code"] == context.authority.code].assign(comparator=False)
        rows = pd.concat([mine, rows], ignore_index=True)
    return rows


def places_with_references(indicator: Indicator, frame: pd.DataFrame, context: Context) -> pd.DataFrame:
    """The seven's latest figures (dashboard.place_comparison) with England's and the region's added as
    rows marked `comparator`, where places of different sizes compare and a comparator has a figure."""
    refs = reference_frame(context)
    refs = refs[refs["value"].notna()]
    if not comparable(indicator) or refs.empty:
        return frame
    return pd.concat([frame.assign(comparator=False), refs], ignore_index=True)


def _latest_rows(places: list[PlaceSeries]) -> pd.DataFrame:
    rows = [{**place_row(s.place.code, s.place.name, latest(s.series)), "comparator": True} for s in places]
    return pd.DataFrame(rows, columns=[*PLACE_COLUMNS, "comparator"])


PLACE_COLUMNS = (
    "code", "place", "period", "end", "value", "missing", "status", "illustrative", "derived", "lower", "upper",
    "confidence",
)  # fmt: skip


def similar_sentence(indicator: Indicator, frame: pd.DataFrame, authority: str) -> str:
    """Where the authority stands among its statistical neighbours at their latest figures, in words:
    "Coventry's rate (72.1%, 2023) is the 3rd highest of the 8 places with a figure: Coventry and 7 of its
    statistical neighbours. The neighbours range from 68.0% (Leicester) to 76.2% (Bristol)."."""
    lead, rest = _standing(indicator, frame, authority)
    return lead + rest


def similar_title(indicator: Indicator, frame: pd.DataFrame, authority: str) -> str:
    """The similar-areas chart's title: where the authority stands, the first clause of its sentence."""
    lead, _ = _standing(indicator, frame, authority)
    return lead.rstrip(".")


def _standing(indicator: Indicator, frame: pd.DataFrame, authority: str) -> tuple[str, str]:
    """similar_sentence in two parts: the finding a title can carry, and the rest."""
    rows = [r for r in frame.to_dict("records") if r["value"] is not None and r["value"] == r["value"]]
    me = next((r for r in rows if r["place"] == authority), None)
    others = [r for r in rows if r["place"] != authority]
    if not others:
        return (
            f"None of {possessive(authority)} statistical neighbours has a figure for this measure yet.",
            "",
        )
    if me is None:
        return f"{authority} has no figure to set beside its statistical neighbours'.", ""
    noun = MEASURE_NOUNS.get(indicator.unit, "figure")
    shown = round(me["value"], indicator.decimals)
    rank = 1 + sum(1 for r in rows if round(r["value"], indicator.decimals) > shown)
    low = min(others, key=lambda r: r["value"])
    high = max(others, key=lambda r: r["value"])
    place_word = "highest" if rank == 1 else "lowest" if rank == len(rows) else f"{ordinal(rank)} highest"
    lead = (
        f"{possessive(authority)} {noun} ({format_value(indicator, me['value'])}, {me['period']}) is the "
        f"{place_word} of the {len(rows)} places with a figure"
    )
    rest = (
        f": {authority} and {len(others)} of its statistical neighbours. The neighbours range from "
        f"{format_value(indicator, low['value'])} ({low['place']}) to {format_value(indicator, high['value'])} "
        f"({high['place']})."
    )
    return lead, rest + (" " + ESTIMATE_RANK_NOTE if indicator.is_estimate else "")
