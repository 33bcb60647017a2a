"""What a breakdown may show: small numbers suppressed, and the cells that would give them away.

One rule for the public release (metrics.publish) and for the dashboard's own breakdowns by group
(dashboard.breakdown_series: the Indicator page, its files and `kpi export --by DIM`), so a figure
hidden on the public site is never shown on a screen or in a board paper, nor the other way round.

The rule is the indicator's declared `small_numbers` (metrics.schema.small_numbers): a breakdown
group whose count is under `count_below` (the value of a count, the numerator of a share), or whose
denominator is under `denominator_below`, is published as `c` with no value, numerator or
denominator. That alone is not enough where the figures add up: a place's groups add up to its
published total, and the seven authorities' figures for a group add up to the combined authority's.
If only one figure of such a sum is hidden, subtraction gives it back, so a second one (the
smallest left) is hidden too, and again until no sum has exactly one hidden figure: the usual
secondary suppression. Totals are never hidden; the rule is about picking people out of groups.
A hidden cell's confidence interval goes with it, as the interval would give the value back.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from metrics.catalogue import Catalogue, Indicator

SUPPRESSED = "c"
INTERVAL = ("lower", "upper", "confidence")  # a survey estimate's interval, where rows carry one


def _count(indicator: Indicator, row: dict[str, Any]) -> float | None:
    """The number of people (or things) in a cell: a count's value, or a share's numerator."""
    if indicator.unit == "count":
        return row["value"]
    return row["numerator"]


def _small(indicator: Indicator, row: dict[str, Any]) -> bool:
    count_below, denominator_below = indicator.small_numbers
    count = _count(indicator, row)
    if count_below and count is not None and count < count_below:
        return True
    den = row["denominator"]
    return bool(denominator_below and den is not None and den < denominator_below)


def _additive(indicator: Indicator) -> bool:
    """Whether a breakdown's cells add up to a total (a count, or a share's numerator and denominator)."""
    return indicator.unit == "count" or indicator.kind == "share"


def _size(indicator: Indicator, row: dict[str, Any]) -> float:
    """Which cell to hide second: the smallest, by the count (or, for a share, its denominator)."""
    key = row["denominator"] if indicator.kind == "share" else _count(indicator, row)
    return float("inf") if key is None else float(key)


def suppress(indicator: Indicator, rows: list[dict[str, Any]], catalogue: Catalogue) -> list[dict[str, Any]]:
    """The rows of one indicator as they may be published: each a copy, with `suppressed` set to
    None, "small number" or "secondary" and, where set, value, numerator, denominator and any interval
    cleared and `missing` "c". Rows without a breakdown are returned unchanged (apart from `suppressed`)."""
    out = [dict(r, suppressed=None) for r in rows]
    cells = [i for i, r in enumerate(out) if r["breakdown_dimension"]]
    for i in cells:
        if out[i]["missing"] is None and _small(indicator, out[i]):
            out[i]["suppressed"] = "small number"
    if _additive(indicator):
        _secondary(indicator, out, cells, catalogue)
    for r in out:
        if r["suppressed"]:
            r.update(value=None, numerator=None, denominator=None, missing=SUPPRESSED)
            r.update({k: None for k in INTERVAL if k in r})
    return out


def _secondary(
    indicator: Indicator, out: list[dict[str, Any]], cells: list[int], catalogue: Catalogue
) -> None:
    """Hide a second figure in every sum that has exactly one hidden, until none has."""
    sums: dict[tuple, list[int]] = defaultdict(list)
    ca = catalogue.combined_authority.code
    las = {g.code for g in catalogue.local_authorities}
    period = ("period_start", "period_end")
    for i in cells:
        r = out[i]
        when = tuple(r[k] for k in period)
        # A place's groups of one breakdown add up to its total for the period.
        sums[("groups", r["geography_code"], r["breakdown_dimension"], *when)].append(i)
    by_group: dict[tuple, dict[str, int]] = defaultdict(dict)
    for i in cells:
        r = out[i]
        by_group[(r["breakdown_dimension"], r["breakdown_value"], *(r[k] for k in period))][
            r["geography_code"]
        ] = i
    for key, places in by_group.items():
        # The seven authorities' figures for a group add up to the combined authority's, where it has one.
        if ca in places and las <= set(places):
            sums[("places", *key)] = [places[ca], *(places[g] for g in sorted(las))]
    changed = True
    while changed:
        changed = False
        for members in sums.values():
            if len(members) < 2:
                continue
            hidden = [i for i in members if out[i]["suppressed"]]
            unknown = [i for i in members if out[i]["suppressed"] or out[i]["value"] is None]
            if len(hidden) == 1 and len(unknown) == 1:
                shown = [i for i in members if not out[i]["suppressed"] and out[i]["value"] is not None]
                pick = min(shown, key=lambda i: (_size(indicator, out[i]), out[i]["breakdown_value"], i))
                out[pick]["suppressed"] = "secondary"
                changed = True
