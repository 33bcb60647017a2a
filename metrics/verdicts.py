"""Verdicts: is a target met, on track, at risk, off track, met late, missed, or waiting for data?

Pure functions over `Point` and `Indicator` values: no database, no Streamlit, no
clock. "Today" is passed in, so the verdict on a page, in `kpi show --json` and in
a board pack is the same for the same data, and can be tested with a pinned date.
A wrong verdict is the worst thing the dashboard can show (leadership act on it),
so each rule is stated here once and tested in tests/unit/test_verdicts.py:

- **Floors and ceilings** (minimum and maximum targets) are judged on the latest
  figure. One that applies to every scheme or every authority is broken when any
  one of them breaks it, whatever the total says: off track, naming them.
- **Dated targets** (a running total or a level by a date) are judged on the
  figure for the period that covers the date. Before the date: met if reached,
  otherwise the straight-line pace since the base period against the pace
  needed (adapted from Open SDG's progress method; the indicator's `thresholds`
  set the cuts). After it: met, met late (reached only after the date), missed,
  or awaiting data while that figure is not in yet, with the pace so far.
- **The base period** is declared per indicator, so loading older history never
  moves today's verdict; a running total counts from the base period's start.
- **Places with no combined-authority figure** (a rate cannot be added up): the
  verdict is the weakest of the seven authorities' verdicts, and `places` lists
  them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from metrics.catalogue import Indicator
from metrics.floors import Schemes, is_floor, judge_schemes, meets
from metrics.periods import long_date, period_for_date
from metrics.projection import add_months, course_words, fit, project, projection_path, years
from metrics.series import Point
from metrics.words import (
    VERDICT_ORDER,
    format_value,
    goal_text,
    join_names,
    lower_first,
    named_values,
    verdict_counts_sentence,
    verdict_word,
)

VERDICTS = VERDICT_ORDER
# The colour that goes with each verdict (shared/spec/cli.md); awaiting data takes the pace's.
VERDICT_RAG = {
    "met": "green",
    "on_track": "green",
    "at_risk": "amber",
    "off_track": "red",
    "met_late": "amber",
    "missed": "red",
    "no_target": "none",
    "no_data": "none",
}
NAMED_AT_MOST = 5  # schemes or authorities named in a reason; the rest are counted
UNDATED_HORIZON_MONTHS = 12  # how far a running total without a target date is projected
PROJECTION_CAP_YEARS = 5  # a projection past its target date is drawn at most this far ahead


@dataclass(frozen=True)
class PlaceVerdict:
    """One authority's own verdict, listed where the combined authority's verdict rests on them."""

    code: str
    name: str
    verdict: str
    rag: str
    latest_value: float | None
    latest_period: str | None
    reason: str

    def as_json(self) -> dict[str, Any]:
        """Exactly the entries of `progress.places` in shared/spec/cli.md."""
        return {
            "geography": self.code,
            "verdict": self.verdict,
            "rag": self.rag,
            "latest_value": self.latest_value,
        }


@dataclass(frozen=True)
class Progress:
    """An indicator's verdict against its target, the sentence that says why, and the trend behind it."""

    latest_period: str | None
    latest_value: float | None
    target: float | None
    target_kind: str | None
    target_date: dt.date | None
    rag: str  # green, amber, red or none
    verdict: str  # one of VERDICTS
    reason: str  # one plain-English sentence for leadership, without the verdict's own words
    projected_value_at_target_date: float | None = None
    projected_date_to_target: dt.date | None = None
    reached_date: dt.date | None = None  # end of the first period meeting a dated target
    reached_period: str | None = None
    deciding_period: str | None = None  # the period whose figure decides a dated target
    # Schemes breaking an every-scheme minimum, lowest first (every one, as the dashboard reads them: the
    # board pack's table and the chart titles count them), and how many schemes were judged.
    projects_below: list[str] | None = None
    projects_total: int | None = None
    breaking: tuple[tuple[str, float], ...] = ()  # (scheme or authority, value) breaking a floor or ceiling
    places: tuple[PlaceVerdict, ...] | None = None
    progress_ratio: float | None = None  # pace made / pace needed
    projection: list[dict[str, Any]] | None = None  # {"date", "value", "low", "high"}
    projected_date_low: dt.date | None = None
    projected_date_high: dt.date | None = None
    on_course: bool | None = None  # the trend reaches the target by its date
    notes: tuple[str, ...] = field(default=())

    @property
    def sentence(self) -> str:
        """ "Off track: 3 of 14 schemes are below the 20% minimum ...": verdict and reason together."""
        return f"{verdict_word(self.verdict)}: {self.reason}"

    def as_json(self) -> dict[str, Any]:
        """Exactly the `progress` object of `kpi show --json` (shared/spec/cli.md)."""
        return {
            "latest_period": self.latest_period,
            "latest_value": self.latest_value,
            "target": self.target,
            "target_kind": self.target_kind,
            "target_date": _iso(self.target_date),
            "rag": self.rag,
            "verdict": self.verdict,
            "reason": self.reason,
            "places": [p.as_json() for p in self.places] if self.places is not None else None,
            "projected_value_at_target_date": self.projected_value_at_target_date,
            "projected_date_to_target": _iso(self.projected_date_to_target),
        }

    def as_detail_json(self) -> dict[str, Any]:
        """The contract's object plus the explanation and trend, for pages and exports."""
        return {
            **self.as_json(),
            "reached_date": _iso(self.reached_date),
            "deciding_period": self.deciding_period,
            "projects_below": list(self.projects_below) if self.projects_below is not None else None,
            "projects_total": self.projects_total,
            "progress_ratio": self.progress_ratio,
            "projection": (
                [{**row, "date": row["date"].isoformat()} for row in self.projection]
                if self.projection is not None
                else None
            ),
            "projected_date_low": _iso(self.projected_date_low),
            "projected_date_high": _iso(self.projected_date_high),
            "on_course": self.on_course,
        }


def _progress(
    verdict: str, reason: str, base: dict[str, Any], rag: str | None = None, **fields: Any
) -> Progress:
    return Progress(verdict=verdict, rag=rag or VERDICT_RAG[verdict], reason=reason, **base, **fields)


def assess(
    indicator: Indicator,
    points: list[Point],
    today: dt.date,
    projects: Schemes | Sequence[tuple[str, float | None]] | None = None,
    places: list[PlaceVerdict] | None = None,
) -> Progress:
    """The verdict on one series as shown (running totals already applied) against its target.

    `projects` are the latest period's schemes where a minimum applies to every scheme: as the
    store counted them (`Schemes`), or as (scheme, share) pairs, judged here by the same rule.
    `places` are the seven authorities' own verdicts, given for the combined authority where
    its target applies to every authority, or where it has no figure of its own.
    """
    target = indicator.target
    base: dict[str, Any] = {
        "target": target.value if target else None,
        "target_kind": target.kind if target else None,
        "target_date": target.date if target else None,
        "latest_period": None,
        "latest_value": None,
    }
    start = indicator.base_period.start if indicator.base_period else None
    valued = sorted((p for p in points if p.value is not None), key=lambda p: (p.start, p.end))
    if places is not None and not valued:
        if target is not None and target.date is None and target.applies_to == "every_authority":
            return _every_authority_only(indicator, places, base)
        return _summarise_places(indicator, places, base)
    if not valued:
        what = "There are no figures for this place yet."
        return _progress("no_data", what, base, places=tuple(places) if places is not None else None)
    last = valued[-1]
    base.update(latest_period=last.period, latest_value=last.value)
    now = f"{indicator.short_name} is {format_value(indicator, last.value)} ({last.period})"

    if target is None:
        projection = None
        if indicator.is_cumulative:
            # A running total still gets a line a year ahead: "where the total is heading".
            projection = projection_path(indicator, valued, start, None, None, UNDATED_HORIZON_MONTHS)
        return _progress("no_target", f"{now}; the plan sets no target for it.", base, projection=projection)
    if target.date is None:
        if projects is not None and not isinstance(projects, Schemes):
            projects = judge_schemes(indicator, projects)
        result = _assess_threshold(indicator, last, now, projects, base)
        if places is not None and target.applies_to == "every_authority":
            return _with_places(indicator, result, places)
        return result
    return _assess_dated(indicator, valued, points, now, today, base, start)


# --- floors and ceilings ---------------------------------------------------------------------------


def _threshold_name(indicator: Indicator) -> str:
    """ "the 20% minimum", "the 3% maximum"."""
    target = indicator.target
    assert target is not None
    kind = "minimum" if is_floor(indicator) else "maximum"
    return f"the {goal_text(indicator, target.value)} {kind}"


def _assess_threshold(
    indicator: Indicator,
    last: Point,
    now: str,
    projects: Schemes | None,
    base: dict[str, Any],
) -> Progress:
    """A floor or ceiling on the latest figure, and on every scheme's where it applies to each."""
    assert last.value is not None
    floor = is_floor(indicator)
    name = _threshold_name(indicator)
    kept = meets(indicator, last.value)
    if floor:
        where = "above" if last.value > indicator.target.value else "at" if kept else "below"  # type: ignore[union-attr]
    else:
        where = "under" if last.value < indicator.target.value else "at" if kept else "above"  # type: ignore[union-attr]
    overall = f"{now}, {where} {name}"
    if projects is None:
        return _progress("met" if kept else "off_track", f"{overall}.", base)

    total = projects.total
    fields: dict[str, Any] = {
        "projects_below": [n for n, _ in projects.breaking],
        "projects_total": total,
        "breaking": projects.breaking,
    }
    across = f"across all schemes the share is {format_value(indicator, last.value)} ({last.period})"
    if projects.below:
        named = named_values(indicator, list(projects.breaking), NAMED_AT_MOST, projects.below)
        verb = "is" if projects.below == 1 else "are"
        side = "below" if floor else "above"
        reason = (
            f"{projects.below} of {total} schemes {verb} {side} {name} in {last.period}: {named}; {across}."
        )
        return _progress("off_track", reason, base, **fields)
    if not kept:
        return _progress("off_track", f"{overall}.", base, **fields)
    if projects.missing:
        # "Every scheme" cannot be confirmed while a scheme's figure is missing.
        reason = (
            f"Figures for {projects.missing} of {total} schemes are missing in {last.period}, so not every "
            f"scheme is known to meet {name}; {across}."
        )
        return _progress("at_risk", reason, base, **fields)
    if total == 0:
        return _progress("met", f"{overall}; no scheme figures are in yet.", base, **fields)
    every = "The one scheme meets" if total == 1 else f"All {total} schemes meet"
    return _progress("met", f"{every} {name} in {last.period}; {across}.", base, **fields)


# --- the seven authorities -------------------------------------------------------------------------


def place_verdict(code: str, name: str, progress: Progress) -> PlaceVerdict:
    return PlaceVerdict(
        code,
        name,
        progress.verdict,
        progress.rag,
        progress.latest_value,
        progress.latest_period,
        progress.reason,
    )


def _worst(places: list[PlaceVerdict]) -> PlaceVerdict:
    return min(places, key=lambda p: VERDICT_ORDER.index(p.verdict))


def _with_places(indicator: Indicator, own: Progress, places: list[PlaceVerdict]) -> Progress:
    """A ceiling or floor on every authority: broken by any one of them, whatever the total shows."""
    judged = [p for p in places if p.verdict != "no_data"]
    breaking = [p for p in judged if p.verdict == "off_track"]
    name = _threshold_name(indicator)
    fields: dict[str, Any] = {"places": tuple(places)}
    if breaking:
        items = sorted(((p.name, p.latest_value) for p in breaking), key=lambda nv: nv[1])  # type: ignore[arg-type, return-value]
        if not is_floor(indicator):
            items.reverse()
        verb = "is" if len(breaking) == 1 else "are"
        side = "below" if is_floor(indicator) else "above"
        reason = (
            f"{len(breaking)} of {len(places)} authorities {verb} {side} {name}: "
            f"{named_values(indicator, items, NAMED_AT_MOST)}; the combined authority's own figure is "
            f"{format_value(indicator, own.latest_value)} ({own.latest_period})."
        )
        return Progress(**{**_fields(own), "verdict": "off_track", "rag": "red", "reason": reason,
                           "breaking": tuple(items), **fields})  # fmt: skip
    if own.verdict != "met":
        return Progress(**{**_fields(own), **fields})
    missing = [p.name for p in places if p.verdict == "no_data"]
    if missing:
        reason = f"{own.reason[:-1]}, but there are no figures for {join_names(missing)}, so not every authority is known to meet it."
        return Progress(**{**_fields(own), "verdict": "at_risk", "rag": "amber", "reason": reason, **fields})
    reason = f"{own.reason[:-1]}, and all {len(places)} authorities meet it."
    return Progress(**{**_fields(own), "reason": reason, **fields})


def _every_authority_only(indicator: Indicator, places: list[PlaceVerdict], base: dict[str, Any]) -> Progress:
    """A floor or ceiling on every authority where the combined authority has no figure of its own
    (NEET's 3% ceiling): judged on the seven alone, in the floor's or ceiling's own words."""
    judged = [p for p in places if p.verdict != "no_data"]
    fields: dict[str, Any] = {"places": tuple(places)}
    if not judged:
        return _progress("no_data", "There are no figures for the seven authorities yet.", base, **fields)
    name = _threshold_name(indicator)
    floor = is_floor(indicator)
    breaking = sorted(
        ((p.name, p.latest_value) for p in judged if p.verdict == "off_track"),
        key=lambda nv: nv[1],  # type: ignore[arg-type, return-value]
        reverse=not floor,
    )
    periods = sorted({p.latest_period for p in judged if p.latest_period})
    when = f" in {periods[-1]}" if len(periods) == 1 else ""
    no_total = (
        "there is no figure for the combined authority as a whole (a rate cannot be added up from the seven)"
    )
    missing = [p.name for p in places if p.verdict == "no_data"]
    gaps = f"; there are no figures for {join_names(missing)}" if missing else ""
    if breaking:
        n, meet = len(breaking), len(judged) - len(breaking)
        verb = "is" if n == 1 else "are"
        side = "below" if floor else "above"
        reason = (
            f"{n} of {len(places)} authorities {verb} {side} {name}{when}: {named_values(indicator, breaking, NAMED_AT_MOST)}; "  # type: ignore[arg-type]
            f"{meet} meet{'s' if meet == 1 else ''} it{gaps}; {no_total}."
        )
        return _progress("off_track", reason, base, breaking=tuple(breaking), **fields)  # type: ignore[arg-type]
    if missing:
        reason = f"Every authority with a figure meets {name}{when}{gaps}, so not every authority is known to meet it."
        return _progress("at_risk", reason, base, **fields)
    return _progress("met", f"All {len(places)} authorities meet {name}{when}; {no_total}.", base, **fields)


def _fields(p: Progress) -> dict[str, Any]:
    return {f: getattr(p, f) for f in Progress.__dataclass_fields__}


def _summarise_places(indicator: Indicator, places: list[PlaceVerdict], base: dict[str, Any]) -> Progress:
    """The combined authority with no figure of its own: the weakest of the seven authorities' verdicts.

    Why the weakest: a rate cannot be added up, so the region's figure is unknown; calling it on
    track while an authority is off track would hide the authority leadership must act on.
    """
    judged = [p for p in places if p.verdict != "no_data"]
    fields = {"places": tuple(places)}
    if not judged:
        return _progress(
            "no_data",
            "There are no figures for the combined authority or its seven authorities yet.",
            base,
            **fields,
        )
    intro = (
        "There is no figure for the combined authority as a whole, and this measure cannot be added up "
        "from the seven authorities"
    )
    periods = sorted({p.latest_period for p in judged if p.latest_period})
    when = f" (latest: {periods[-1]})" if periods else ""
    if indicator.target is None:
        values = [p for p in judged if p.latest_value is not None]
        low = min(values, key=lambda p: p.latest_value)  # type: ignore[arg-type, return-value]
        high = max(values, key=lambda p: p.latest_value)  # type: ignore[arg-type, return-value]
        reason = (
            f"{intro}. The authorities range from {format_value(indicator, low.latest_value)} ({low.name}) "
            f"to {format_value(indicator, high.latest_value)} ({high.name}){when}; the plan sets no target."
        )
        return _progress("no_target", reason, base, **fields)
    worst = _worst(judged)
    breaking: tuple[tuple[str, float], ...] = ()
    if indicator.target.date is None:
        breaking = tuple((p.name, p.latest_value) for p in judged if p.verdict == "off_track")  # type: ignore[misc]
    reason = f"{intro}, so the verdict is the weakest of theirs{when}: {verdict_counts_sentence(indicator, judged)}."
    missing = [p.name for p in places if p.verdict == "no_data"]
    if missing:
        reason = reason[:-1] + f"; no figures for {join_names(missing)}."
    return _progress(worst.verdict, reason, base, rag=worst.rag, breaking=breaking, **fields)


# --- dated targets ---------------------------------------------------------------------------------


# Long by design: met, met late, missed and awaiting data are read from one set of facts (the deciding
# period, the first period that met the goal, the pace); split apart, each case would work them out again.
def _assess_dated(
    indicator: Indicator,
    valued: list[Point],
    points: list[Point],
    now: str,
    today: dt.date,
    base: dict[str, Any],
    start: dt.date | None,
) -> Progress:
    """A running total or a level by a date, judged on the figure for the period that covers the date."""
    target = indicator.target
    assert target is not None and target.date is not None
    goal, by = target.value, target.date
    higher = indicator.direction == "higher"

    def met(p: Point) -> bool:
        return p.value >= goal if higher else p.value <= goal  # type: ignore[operator]

    shown_goal = goal_text(indicator, goal)
    against = f"the target of {shown_goal} by {long_date(by)}"
    since = [p for p in valued if start is None or p.start >= start] or valued
    last = since[-1]
    deciding = period_for_date(by, indicator.frequency, indicator.year_type)
    covering = next((p for p in points if p.start <= by <= p.end), None)
    first_met = next((p for p in since if met(p)), None)
    fields: dict[str, Any] = {"deciding_period": deciding.label}
    if first_met is not None:
        fields.update(reached_date=first_met.end, reached_period=first_met.period)

    passed = today > by
    ended = indicator.ends is not None and today > indicator.ends
    if not passed:
        if met(last):
            when = (
                f"it first met it in {first_met.period}"
                if first_met is not None and first_met is not last
                else ""
            )
            reason = f"{now}, meeting {against}" + (f"; {when}." if when else ".")
            return _progress("met", reason, base, on_course=True, **fields)
        return _pace(indicator, since, now, against, base, start, fields)

    # The date has passed: the figure for the period that covers it decides.
    on_time = [p for p in since if p.end <= deciding.end]
    if (
        indicator.is_cumulative
        and any(met(p) for p in on_time)
        or covering is not None
        and covering.value is not None
        and met(covering)
    ):
        reached = next((p for p in on_time if met(p)), covering)
        assert reached is not None and reached.value is not None
        reason = f"Reached {shown_goal} by the {long_date(by)} date: {format_value(indicator, reached.value)} in {reached.period}"
        if last is not reached:
            reason += f"; now {format_value(indicator, last.value)} ({last.period})"
        if ended:
            reason += f". The programme closed on {long_date(indicator.ends)}"  # type: ignore[arg-type]
        return _progress(
            "met",
            reason + ".",
            base,
            on_course=True,
            **{**fields, "reached_date": reached.end, "reached_period": reached.period},
        )
    later = [p for p in since if p.end > deciding.end]
    late = next((p for p in later if met(p)), None)
    if late is not None:
        months = round((late.end - by).days / 30.4375)
        how_late = f"{months} month{'s' if months != 1 else ''} after" if months >= 1 else "just after"
        reason = f"Reached {shown_goal} in {late.period}, {how_late} the {long_date(by)} date"
        if covering is not None and covering.value is not None:
            reason += f"; the figure for {covering.period} was {format_value(indicator, covering.value)}"
        return _progress(
            "met_late",
            reason + ".",
            base,
            on_course=False,
            **{**fields, "reached_date": late.end, "reached_period": late.period},
        )
    if covering is not None and covering.value is not None:
        reason = (
            f"The figure for {covering.period}, the period that covers the {long_date(by)} date, was "
            f"{format_value(indicator, covering.value)}, short of {shown_goal}"
        )
        if last is not covering:
            reason += f"; the latest is {format_value(indicator, last.value)} ({last.period})"
        return _progress("missed", reason + ".", base, on_course=False, **fields)
    if later or ended or (covering is not None and covering.missing):
        # No figure for the deciding period will come (it is missing, or the programme has closed):
        # the nearest figure decides.
        nearest = later[0] if later else last
        why = (
            "the programme has closed" if ended and not later else f"there is no figure for {deciding.label}"
        )
        reason = (
            f"The target of {shown_goal} was not reached by {long_date(by)}: {why}, and the "
            f"{'first figure after the date' if later else 'last figure'} is "
            f"{format_value(indicator, nearest.value)} ({nearest.period})."
        )
        return _progress("missed", reason, base, on_course=False, **fields)
    pace = _pace(indicator, since, now, against, base, start, fields)
    reason = (
        f"The {deciding.label} figure decides whether {against} was met, and it is not in yet. "
        f"On the pace so far it would be {lower_first(verdict_word(pace.verdict))}: {pace.reason}"
    )
    return Progress(**{**_fields(pace), "verdict": "awaiting_data", "reason": reason})


# Long by design: the pace so far and where the fitted trend leads share one model and one set of
# dates; kept together so the reason's two halves cannot disagree.
def _pace(
    indicator: Indicator,
    since: list[Point],
    now: str,
    against: str,
    base: dict[str, Any],
    start: dt.date | None,
    fields: dict[str, Any],
) -> Progress:
    """On track, at risk or off track: the straight-line pace since the base period against the pace needed."""
    target = indicator.target
    assert target is not None and target.date is not None
    goal, by = target.value, target.date
    higher = indicator.direction == "higher"
    last = since[-1]
    if indicator.is_cumulative:
        # A running total starts from nothing at the base period's first day.
        assert start is not None  # every indicator has a base period (catalogue.py)
        origin_value, origin_date = 0.0, start
        origin_text = (
            f"the start of {indicator.base_period.label}" if indicator.base_period else "the first figure"
        )
    else:
        if len(since) < 2:
            reason = f"{now}, against {against}; one figure is too few to measure the pace."
            return _progress("awaiting_data", reason, base, rag="none", **fields)
        first = since[0]
        origin_value, origin_date, origin_text = float(first.value), first.end, first.period  # type: ignore[arg-type]
        if (origin_value >= goal) if higher else (origin_value <= goal):
            met_first = next(p for p in since if (p.value >= goal if higher else p.value <= goal))  # type: ignore[operator]
            reason = f"{now}, against {against}; it met the target in {met_first.period} but has fallen back."
            return _progress("off_track", reason, base, **fields)
    x0, xl, xt = years(origin_date), years(last.end), years(by)
    if xt <= x0 or xl <= x0:
        return _progress(
            "awaiting_data",
            f"{now}, against {against}; too little time has passed to measure the pace.",
            base,
            rag="none",
            **fields,
        )
    actual = (float(last.value) - origin_value) / (xl - x0)  # type: ignore[arg-type]
    needed = (goal - origin_value) / (xt - x0)
    ratio = actual / needed
    share = f"{ratio:.0%}"
    if ratio >= indicator.threshold_green:
        verdict, pace = "on_track", f"progress since {origin_text} is {share} of the pace needed"
    elif ratio >= indicator.threshold_amber:
        verdict = "at_risk"
        pace = (
            f"progress since {origin_text} is {share} of the pace needed, short of the "
            f"{indicator.threshold_green:.0%} needed to be on track"
        )
    else:
        verdict = "off_track"
        if ratio < 0:
            pace = f"it has moved away from the target since {origin_text}"
        elif ratio == 0:
            pace = f"it has not moved since {origin_text}"
        else:
            pace = f"progress since {origin_text} is only {share} of the pace needed"
    fields = {**fields, "progress_ratio": ratio}
    course = ""
    model = fit(since, cumulative=indicator.is_cumulative, frequency=indicator.frequency, start=start)
    if model is None:
        course = f"; with {len(since)} figure{'s' if len(since) != 1 else ''} since {indicator.base_period.label if indicator.base_period else origin_text} there are too few to project a date"
    else:
        proj = project(model, goal=goal, higher=higher, horizon=by, target_date=by)
        horizon = by
        if proj.mid is not None and proj.mid > by:
            horizon = max(by, min(proj.mid, add_months(last.end, 12 * PROJECTION_CAP_YEARS)))
        if horizon != by:
            proj = project(model, goal=goal, higher=higher, horizon=horizon, target_date=by)
        on_course = proj.mid is not None and proj.mid <= by
        fields.update(
            projection=proj.path,
            on_course=on_course,
            projected_date_low=proj.low,
            projected_date_high=proj.high,
        )
        base = {**base, "projected_value_at_target_date": proj.value_at, "projected_date_to_target": proj.mid}
        course = course_words(proj, shown_goal=goal_text(indicator, goal), by=by)
    return _progress(verdict, f"{now}, against {against}; {pace}{course}.", base, **fields)


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None
