"""Context for a figure: the comparators' series (England, the region, an authority's statistical
neighbours) and a comparison in words, for the screens and exports to use.

The verdict stays the plan's: nothing here is judged against a target, and comparators never count
towards the combined authority's figure (they are read by their own codes, never among the eight).
Survey estimates are compared under the uncertainty rule of metrics/words.py (a change or gap is a
difference only when the confidence intervals do not overlap).
"""

from __future__ import annotations

from dataclasses import dataclass

from metrics.asof import AsOf, Db, read
from metrics.catalogue import Catalogue, Geography, Indicator, default_catalogue
from metrics.comparators import Comparator
from metrics.dashboard import points_by_place
from metrics.progress import running_total
from metrics.series import Point
from metrics.store import connect, fetch_dicts
from metrics.words import change_sentence, clear_difference, compare_changes, join_names, possessive


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
