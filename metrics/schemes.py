"""The schemes of one indicator's period: judged against the every-scheme floor, viewed, listed in full.

A store can hold tens of thousands of schemes a quarter (the bench store has 24,696), so the store
counts and orders them and Python reads back only what is shown: for the verdict, the counts and the
schemes below the floor (`below_minimum`, sql/queries/schemes_below_minimum.sql); for the Indicator
page, the counts, the range and the lowest few (`scheme_view`, lowest_schemes.sql). Every scheme's
row is read only for a download of the full list (`project_shares`). Like dashboard.py, each function
opens the store read-only for one operation, or uses the connection it is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from metrics.asof import AsOf, Db, read
from metrics.catalogue import Catalogue, Geography, Indicator, default_catalogue
from metrics.floors import Schemes
from metrics.store import connect, fetch_dicts

# The most schemes one view shows, lowest first (3,486 per authority a quarter on a large store): the
# chart draws them and the table beside it lists them; the rest are counted, and the download lists all.
SHOWN_SCHEMES = 40
COLUMNS = [
    "project",
    "place",
    "period",
    "period_end",
    "numerator",
    "denominator",
    "share",
    "missing",
    "status",
]


def _codes(geography: Geography, catalogue: Catalogue) -> list[str]:
    """The places whose schemes count for a place: every place's for the combined authority."""
    if geography.level == "combined_authority":
        return [g.code for g in catalogue.geographies]
    return [geography.code]


def below_minimum(
    con,
    indicator: Indicator,
    geography: Geography,
    catalogue: Catalogue,
    period_end: dt.date,
    as_of_upload: AsOf | None = None,
) -> Schemes:
    """The period's schemes against the indicator's every-scheme minimum, counted in the store.

    Every scheme below it is read, lowest first, not only the few a reason names: the board pack's
    table and the chart titles count `Progress.breaking` (metrics/export/pack.py, charts/headlines.py).
    """
    assert indicator.target is not None and indicator.target.kind == "minimum"
    asked = {
        "indicator_id": indicator.id,
        "geographies": _codes(geography, catalogue),
        "period_end": period_end,
        "minimum": indicator.target.value,
        "at_most": None,
    }
    rows = fetch_dicts(con, *read("schemes_below_minimum", asked, as_of_upload))
    first = rows[0]
    return Schemes(
        total=first["schemes"],
        missing=first["missing"],
        below=first["below"],
        breaking=tuple((r["project"], r["share"]) for r in rows if r["project"] is not None),
    )


@dataclass(frozen=True)
class SchemeView:
    """The newest period's schemes as the Indicator page shows them: counted by the store, a few listed.

    `rows` are the lowest `SHOWN_SCHEMES` (those with no figure last), in `COLUMNS`; `no_figure_names`
    the first names with no figure; `meeting_low`/`meeting_high` the range of the shares that meet the
    minimum the view is drawn against.
    """

    period: str | None
    minimum: float
    total: int
    below: int
    no_figure: int
    meeting_low: float | None
    meeting_high: float | None
    no_figure_names: tuple[str, ...]
    rows: pd.DataFrame

    @property
    def meeting(self) -> int:
        return self.total - self.below - self.no_figure

    @classmethod
    def of(cls, frame: pd.DataFrame, minimum: float, at_most: int = SHOWN_SCHEMES) -> SchemeView:
        """The view of a frame of every scheme's row for one period, in Python: what the store works out
        in `scheme_view` (the tests hold the two equal), for a frame already held. Rows with the same
        share keep the frame's order (`project_shares` lists them by scheme name, then place code)."""
        share = frame["share"].astype("Float64")
        known = share.notna()
        below = known & (share < minimum)
        meeting = frame[known & ~below]["share"]
        ordered = frame.assign(_none=~known, _share=share.fillna(0.0)).sort_values(
            ["_none", "_share"], kind="stable"
        )
        no_figure = frame[~known]["project"]
        return cls(
            period=str(frame["period"].iloc[0]) if len(frame) else None,
            minimum=minimum,
            total=len(frame),
            below=int(below.sum()),
            no_figure=int((~known).sum()),
            meeting_low=float(meeting.min()) if len(meeting) else None,
            meeting_high=float(meeting.max()) if len(meeting) else None,
            no_figure_names=tuple(no_figure[:at_most]),
            rows=ordered[COLUMNS].head(at_most).reset_index(drop=True),
        )


def minimum_of(indicator: Indicator) -> float:
    """The minimum each scheme is held to: the catalogue's target, else the plan's 20%."""
    return indicator.target.value if indicator.target is not None else 20.0


def scheme_view(
    indicator: Indicator,
    geography: Geography,
    *,
    db: Db = None,
    catalogue: Catalogue | None = None,
    at_most: int = SHOWN_SCHEMES,
) -> SchemeView:
    """The newest period with scheme figures, as the page shows it: two small reads, whatever the size."""
    catalogue = catalogue or default_catalogue()
    codes = _codes(geography, catalogue)
    minimum = minimum_of(indicator)
    with connect(db, read_only=True) as con:
        asked = {"indicator_id": indicator.id, "geographies": codes, "dimension": "project"}
        end = fetch_dicts(con, "latest_breakdown_period", asked)[0]["period_end"]
        rows = []
        if end is not None:
            asked = {
                "indicator_id": indicator.id,
                "geographies": codes,
                "period_end": end,
                "minimum": minimum,
                "at_most": at_most,
            }
            rows = fetch_dicts(con, "lowest_schemes", asked)
    if not rows or not rows[0]["schemes"]:
        return SchemeView(None, minimum, 0, 0, 0, None, None, (), pd.DataFrame(columns=COLUMNS))
    names = {g.code: g.name for g in catalogue.geographies}
    first = rows[0]
    listed = pd.DataFrame(
        [{**{c: r[c] for c in COLUMNS if c != "place"}, "place": names[r["geography_code"]]} for r in rows],
        columns=COLUMNS,
    )
    return SchemeView(
        period=first["period"],
        minimum=minimum,
        total=first["schemes"],
        below=first["below"],
        no_figure=first["no_figure"],
        meeting_low=first["lowest_meeting"],
        meeting_high=first["highest_meeting"],
        no_figure_names=tuple(first["no_figure_names"] or ()),
        rows=listed,
    )


def project_shares(
    indicator: Indicator,
    geography: Geography,
    *,
    db: Db = None,
    catalogue: Catalogue | None = None,
    as_of_upload: AsOf | None = None,
    latest_only: bool = False,
) -> pd.DataFrame:
    """Every scheme's own share by period, or with `latest_only` in the newest period with scheme
    figures (the full list the scheme view's download holds). Columns: `COLUMNS`."""
    catalogue = catalogue or default_catalogue()
    codes = _codes(geography, catalogue)
    with connect(db, read_only=True) as con:
        end = None
        if latest_only:
            asked = {"indicator_id": indicator.id, "geographies": codes, "dimension": "project"}
            end = fetch_dicts(con, "latest_breakdown_period", asked)[0]["period_end"]
        rows = []
        if end is not None or not latest_only:
            asked = {
                "indicator_id": indicator.id,
                "geographies": codes,
                "dimension": "project",
                "period_end": end,
            }
            rows = fetch_dicts(con, *read("current_breakdowns", asked, as_of_upload))
    names = {g.code: g.name for g in catalogue.geographies}
    return pd.DataFrame(
        [
            {
                "project": r["breakdown_value"],
                "place": names[r["geography_code"]],
                "period": r["period"],
                "period_end": r["period_end"],
                "numerator": r["numerator"],
                "denominator": r["denominator"],
                "share": r["value"],
                "missing": r["missing"],
                "status": r["status"],
            }
            for r in rows
        ],
        columns=COLUMNS,
    )
