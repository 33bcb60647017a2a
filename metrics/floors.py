"""Floors and ceilings: whether a figure keeps one, and a period's schemes judged against one.

Pure, like verdicts.py, which states the verdicts in words from these facts. The plan asks
for at least 20% affordable homes in *every* SCF scheme, so one scheme below the line breaks
the target whatever the total says. On a large store a period holds tens of thousands of
schemes: the dashboard has the store count them (sql/queries/schemes_below_minimum.sql) and
reads back only the counts and the schemes that break the floor, as a `Schemes`;
`judge_schemes` is the same rule over (scheme, share) pairs, for callers that hold the pairs
(and the tests, which hold the two equal on random data).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from metrics.catalogue import Indicator


def is_floor(indicator: Indicator) -> bool:
    """A minimum is a floor, a maximum a ceiling (only these two kinds are judged as thresholds)."""
    target = indicator.target
    assert target is not None and target.kind in ("minimum", "maximum")
    return target.kind == "minimum"


def meets(indicator: Indicator, value: float) -> bool:
    """Whether a figure keeps the floor (at or above it) or the ceiling (at or under it)."""
    target = indicator.target
    assert target is not None
    return value >= target.value if is_floor(indicator) else value <= target.value


@dataclass(frozen=True)
class Schemes:
    """A period's schemes against a floor or ceiling that binds every scheme.

    `total` counts every scheme with a row for the period, a figure or a missing-value symbol
    ("3 of 14 schemes"); `missing` those with no figure, which can neither break nor be known
    to keep it; `below` those whose figure breaks it. `breaking` lists them worst first (ties
    by scheme name, then place code), all of them or the first `at_most` asked for.
    """

    total: int
    missing: int
    below: int
    breaking: tuple[tuple[str, float], ...]


def judge_schemes(
    indicator: Indicator, projects: Sequence[tuple[str, float | None]], at_most: int | None = None
) -> Schemes:
    """The rule over (scheme, share) pairs, None for a scheme with no figure: what the store works out.

    A share breaks the floor when it is known and below it (exactly at it keeps it); a missing
    figure is not zero and breaks nothing. The order is the share's, worst first; pairs with the
    same share keep the order given (the store's reads list them by scheme name, then place code).
    """
    known = [(n, v) for n, v in projects if v is not None]
    breaking = sorted(((n, v) for n, v in known if not meets(indicator, v)), key=lambda nv: nv[1])
    if not is_floor(indicator):
        breaking.reverse()
    listed = breaking if at_most is None else breaking[:at_most]
    return Schemes(
        total=len(projects),
        missing=len(projects) - len(known),
        below=len(breaking),
        breaking=tuple(listed),
    )
