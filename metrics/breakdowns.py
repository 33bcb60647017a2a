"""A breakdown by group as it may be shown: every group's series for one place, small numbers hidden.

Split from metrics.dashboard (which re-exports these names) so each stays a readable size. The
suppression is decided over every place at once (metrics.disclose, as the public site decides it): a
group's cells, the combined authority's derived cells and the totals they add up to are all seen,
so no view of any place gives a hidden figure back, and a single group's series (dashboard.show with
a breakdown) is hidden by the same decision (`hide_small`).
"""

from __future__ import annotations

import pandas as pd

from metrics.asof import AsOf, Db, read
from metrics.catalogue import Catalogue, Geography, Indicator, default_catalogue
from metrics.disclose import suppress
from metrics.progress import derive_combined, running_total
from metrics.series import Point, points_by_place
from metrics.store import connect, fetch_dicts, run

BREAKDOWN_COLUMNS = [
    "group", "period", "start", "end", "value", "missing", "status", "derived", "illustrative",
    "lower", "upper", "confidence", "suppressed",
]  # fmt: skip


def breakdown_series(
    indicator: Indicator,
    geography: Geography,
    dimension: str,
    *,
    db: Db = None,
    catalogue: Catalogue | None = None,
    as_of_upload: AsOf | None = None,
) -> pd.DataFrame:
    """Every group of one breakdown by period for one place (the combined authority derived where
    allowed), as it may be shown: small numbers, and the figures that would give them away, are `c`
    with `suppressed` set (metrics.disclose). Suppression is decided over every place at once, as the
    public site decides it, so that no other place's view (nor the combined authority's total of the
    seven) gives a hidden figure back; each group keeps its interval (lower, upper, confidence) where
    the figure is a survey estimate."""
    catalogue = catalogue or default_catalogue()
    with connect(db, read_only=True) as con:
        return _breakdown_frame(con, indicator, geography, dimension, catalogue, as_of_upload)


def hide_small(
    con,
    indicator: Indicator,
    geo: Geography,
    bd: tuple[str, str],
    series: list[Point],
    catalogue: Catalogue,
    as_of_upload: AsOf | None,
) -> list[Point]:
    """A group's series with the periods its group view hides (breakdown_series) made `c`: no value,
    numerator, denominator or interval left to give the hidden figure away."""
    frame = _breakdown_frame(con, indicator, geo, bd[0], catalogue, as_of_upload)
    hidden = {
        (r["start"], r["end"]) for r in frame.to_dict("records") if r["group"] == bd[1] and r["suppressed"]
    }
    blank = {
        "missing": "c",
        "numerator": None,
        "denominator": None,
        "lower": None,
        "upper": None,
        "confidence": None,
    }
    return [p.with_value(None, **blank) if (p.start, p.end) in hidden else p for p in series]


def _breakdown_frame(
    con,
    indicator: Indicator,
    geography: Geography,
    dimension: str,
    catalogue: Catalogue,
    as_of_upload: AsOf | None,
) -> pd.DataFrame:
    """breakdown_series on an open connection."""
    rows = fetch_dicts(
        con,
        *read(
            "current_breakdowns",
            {
                "indicator_id": indicator.id,
                "geographies": [g.code for g in catalogue.geographies],
                "dimension": dimension,
                "period_end": None,
            },
            as_of_upload,
        ),
    )
    cells = suppress(indicator, _with_derived(indicator, dimension, rows, catalogue), catalogue)
    mine: dict[str, list[dict]] = {}
    for r in cells:
        if r["geography_code"] == geography.code:
            mine.setdefault(r["breakdown_value"], []).append(r)
    frames = []
    for name in sorted(mine):
        for p, hidden in _group_series(indicator, mine[name]):
            frames.append(
                {
                    "group": name,
                    "period": p.period,
                    "start": p.start,
                    "end": p.end,
                    "value": p.value,
                    "missing": p.missing,
                    "status": p.status,
                    "derived": p.derived,
                    "illustrative": p.illustrative,
                    "lower": p.lower,
                    "upper": p.upper,
                    "confidence": p.confidence,
                    "suppressed": hidden,
                }
            )
    return pd.DataFrame(frames, columns=BREAKDOWN_COLUMNS)


def _with_derived(indicator: Indicator, dimension: str, rows: list[dict], catalogue: Catalogue) -> list[dict]:
    """Every place's cells of one breakdown, with the combined authority's derived ones where it has
    none of its own (as _combine derives them), so suppression sees every figure a view can show."""
    out = [dict(r, breakdown_dimension=dimension, derived=False) for r in rows]
    if not indicator.derivable:
        return out
    ca = catalogue.combined_authority.code
    la_codes = tuple(g.code for g in catalogue.local_authorities)
    by_group: dict[str, list[dict]] = {}
    for r in rows:
        by_group.setdefault(r["breakdown_value"], []).append(r)
    for name, group_rows in by_group.items():
        by_geo = points_by_place(group_rows)
        for p in derive_combined(indicator, by_geo, by_geo.get(ca, []), la_codes):
            if p.derived:
                out.append(
                    {
                        "geography_code": ca,
                        "breakdown_dimension": dimension,
                        "breakdown_value": name,
                        "period": p.period,
                        "period_start": p.start,
                        "period_end": p.end,
                        "value": p.value,
                        "numerator": p.numerator,
                        "denominator": p.denominator,
                        "missing": None,
                        "status": p.status,
                        "illustrative": p.illustrative,
                        "derived": True,
                    }
                )
    return out


def _group_series(indicator: Indicator, rows: list[dict]) -> list[tuple[Point, bool]]:
    """One group's points for one place after suppression, each with whether it is hidden as a small
    number. A running total is unknown from its first missing figure on (progress.running_total); where
    that figure was hidden, so is every total after it, as each would give it back."""
    points = sorted(points_by_place(rows).popitem()[1], key=lambda p: (p.start, p.end))
    hidden = {(r["period_start"], r["period_end"]) for r in rows if r["suppressed"]}
    if not indicator.is_cumulative:
        return [(p, (p.start, p.end) in hidden) for p in points]
    base = indicator.base_period.start if indicator.base_period else None
    counted = [p for p in points if base is None or p.start >= base]
    first_gap = next((p for p in counted if p.value is None), None)
    withheld = first_gap is not None and (first_gap.start, first_gap.end) in hidden
    return [(p, withheld and p.value is None) for p in running_total(points, base)]


def breakdown_groups(indicator: Indicator, geography: Geography, *, db: Db = None) -> list[tuple[str, str]]:
    """Every breakdown group with a current value for this indicator and place, for a page's menu:
    one query of distinct groups, not every group's series read to list their names."""
    if not indicator.breakdowns:
        return []
    with connect(db, read_only=True) as con:
        rows = run(
            con,
            "breakdown_groups",
            {
                "indicator_id": indicator.id,
                "geography": geography.code,
                "dimensions": list(indicator.breakdowns),
            },
        ).fetchall()
    order = {dim: n for n, dim in enumerate(indicator.breakdowns)}  # the menu follows the declared order
    return sorted(((dim, value) for dim, value in rows), key=lambda r: (order[r[0]], r[1]))
