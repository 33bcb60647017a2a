"""The plan, the indicator catalogue and the places, loaded from data files.

Everything the dashboard measures is declared in ``data/`` so that adding an
indicator is a reviewed data change, not a code change. Loading validates every
field and stops with a message naming the file and field, because a typo in a
target or a direction would otherwise show leadership a wrong status.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from metrics.comparators import Comparator, Comparators, load_comparators
from metrics.errors import KpiError
from metrics.paths import DATA_DIR, GEOGRAPHIES_CSV
from metrics.periods import Period, PeriodError, parse_period, period_for_date
from metrics.schema import (
    ACTION_FIELDS,
    CATALOGUE_FIELDS,
    HEADLINE_FIELDS,
    INDICATOR_FIELDS,
    OBJECTIVE_FIELDS,
    PLAN_FIELDS,
    TARGET_FIELDS,
    THEME_FIELDS,
    CatalogueError,
    date_field,
    estimate,
    flag,
    known_keys,
    list_field,
    mappings,
    need,
    read_yaml,
    small_numbers,
    text_fields,
    thresholds,
    value_range,
    whole,
)

UNITS = ("count", "percent", "money", "rate_per_100k", "score", "ratio")
KINDS = ("flow", "level", "share", "cumulative")
FREQUENCIES = ("month", "quarter", "year")
YEAR_TYPES = ("financial", "academic", "calendar")
DIRECTIONS = ("higher", "lower")
TARGET_KINDS = ("minimum", "maximum", "cumulative", "level")
# Who a target binds: the combined authority's own figure, or each scheme or authority on its own.
# "20% in every project supported through the SCF" is the plan's words: one scheme below it breaks it.
APPLIES_TO = ("combined_authority", "every_scheme", "every_authority")
DEFAULT_PLAN_START = dt.date(2022, 4, 1)
# Every field an indicator may declare; anything else is refused, so a misspelt key (breakdown:
# for breakdowns:) stops the load instead of silently dropping a rule.
STATISTICS_STATUSES = ("official_statistics", "management_information", "illustrative")
DIMENSIONS = ("sex", "ethnicity", "disability", "age_band", "project")
ACTION_STATUSES = ("not_started", "on_track", "at_risk", "off_track", "complete")

UNIT_LABELS = {
    "count": "number",
    "percent": "per cent",
    "money": "pounds",
    "rate_per_100k": "rate per 100,000 people",
    "score": "score",
    "ratio": "ratio",
}
STATISTICS_STATUS_LABELS = {
    "official_statistics": "Official statistics",
    "management_information": "Management information",
    "illustrative": "Illustrative",
}
# How screens and files name each breakdown. The upload format's dimension is "project" (the plan's word),
# but the dashboard calls an SCF project a scheme everywhere a person reads it.
DIMENSION_LABELS = {
    "sex": "Sex",
    "ethnicity": "Ethnicity",
    "disability": "Disability",
    "age_band": "Age band",
    "project": "SCF scheme",
}


class UnknownName(KpiError, LookupError):
    """An indicator, theme, place or breakdown the catalogue does not know; the message says so plainly.

    `command_hint` is what the `kpi` command adds ("Use an id that 'kpi indicators' lists."); a web
    page shows the message alone and offers its own list to choose from.
    """

    def __init__(self, message: str, command_hint: str = "") -> None:
        super().__init__(message)
        self.command_hint = command_hint


@dataclass(frozen=True)
class Headline:
    """One of the plan's headline targets, shown first on the Overview (declared in indicators.yaml)."""

    indicator: str
    link: str


@dataclass(frozen=True)
class Target:
    kind: str
    value: float
    date: dt.date | None
    basis: str  # published or illustrative
    source: str
    applies_to: str = "combined_authority"

    def as_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    short_name: str
    description: str
    theme: str
    actions: tuple[str, ...]
    unit: str
    unit_label: str
    kind: str
    frequency: str
    year_type: str | None
    direction: str
    target: Target | None
    breakdowns: tuple[str, ...]
    source_publisher: str
    source_publication: str
    methodology: str
    statistics_status: str
    owner: str
    next_update: str
    limitations: str
    decimals: int
    threshold_green: float
    threshold_amber: float
    numerator_label: str | None = None
    denominator_label: str | None = None
    # The period the pace is measured from, so loading older history never moves today's verdict.
    base_period: Period | None = None
    # The day a time-limited programme closed: no figures are expected after it.
    ends: dt.date | None = None
    # The values a score can take (life satisfaction 0 to 10): outside is an upload error.
    value_range: tuple[float, float] | None = None
    # Whether `kpi publish` may put the indicator on the public site (illustrative values still need
    # --include-illustrative, and are marked there).
    public: bool = True
    # A breakdown group's count under the first, or a share's denominator under the second, is not
    # published (`c`); 0 turns a part off (metrics.disclose).
    small_numbers: tuple[int, int] = (0, 0)
    # The survey the figures are estimated from (the Annual Population Survey...), or None: only an
    # estimate's values may carry a confidence interval, and its changes and gaps are judged by it.
    estimate_survey: str | None = None

    @property
    def is_estimate(self) -> bool:
        return self.estimate_survey is not None

    @property
    def is_share(self) -> bool:
        return self.kind == "share"

    @property
    def is_cumulative(self) -> bool:
        return self.kind == "cumulative"

    @property
    def derivable(self) -> bool:
        """Whether the combined authority's value may be built from the seven.

        Counts and money add up; shares add up through their numerators and
        denominators. Rates, scores, ratios and survey percentages do not.
        """
        return self.kind == "share" or self.unit in ("count", "money")

    @property
    def source_line(self) -> str:
        return f"Source: {self.source_publication} from {self.source_publisher}"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "theme": self.theme,
            "actions": list(self.actions),
            "unit": self.unit,
            "kind": self.kind,
            "frequency": self.frequency,
            "year_type": self.year_type,
            "direction": self.direction,
            "target": self.target.as_json() if self.target else None,
            "breakdowns": list(self.breakdowns),
        }


@dataclass(frozen=True)
class Action:
    id: str
    theme_id: str
    position: int
    text: str
    milestone: bool
    owner: str | None = None  # who reports on it; None: the cycle's action_owner (data/cycle.yaml)


@dataclass(frozen=True)
class Theme:
    id: str
    position: int
    name: str
    outcome: str
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Geography:
    code: str
    name: str
    level: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    objective_name: str
    objective_text: str
    themes: tuple[Theme, ...]
    indicators: tuple[Indicator, ...]
    geographies: tuple[Geography, ...]
    # The groups a breakdown may take, where they are fixed (sex, disability...): uploads match
    # them whatever the case and store them as spelt here. Schemes (project) are not fixed.
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    plan_start: dt.date = DEFAULT_PLAN_START  # the plan's first day: where base periods default to
    headlines: tuple[Headline, ...] = ()
    # England, the region, other combined authorities, statistical neighbours (data/comparators.yaml):
    # uploads may name them, but they are never among the eight places above.
    comparators: Comparators = field(default_factory=Comparators)
    _by_id: dict[str, Indicator] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({i.id: i for i in self.indicators})

    def indicator(self, indicator_id: str) -> Indicator:
        if indicator_id not in self._by_id:
            raise UnknownName(
                f"There is no indicator with the id '{indicator_id}'.",
                command_hint="Use an id that 'kpi indicators' lists.",
            )
        return self._by_id[indicator_id]

    def has_indicator(self, indicator_id: str) -> bool:
        return indicator_id in self._by_id

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for t in self.themes for a in t.actions)

    def action(self, action_id: str) -> Action | None:
        return next((a for a in self.actions if a.id == action_id), None)

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise UnknownName(
            f"There is no theme with the id '{theme_id}'.", command_hint="'kpi plan' lists them."
        )

    def indicators_for_action(self, action_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if action_id in i.actions)

    def indicators_for_theme(self, theme_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.theme == theme_id)

    @property
    def combined_authority(self) -> Geography:
        return next(g for g in self.geographies if g.level == "combined_authority")

    @property
    def local_authorities(self) -> tuple[Geography, ...]:
        return tuple(g for g in self.geographies if g.level == "local_authority")

    def geography(self, code: str) -> Geography:
        for g in self.geographies:
            if g.code == code:
                return g
        raise UnknownName(f"'{code}' is not one of the eight places.")

    def resolve_geography(self, text: str) -> Geography | None:
        """An ONS code, name or alias, case-insensitive, as the upload contract says."""
        key = text.strip().casefold()
        for g in self.geographies:
            if key in (g.code.casefold(), g.name.casefold(), *(a.casefold() for a in g.aliases)):
                return g
        return None

    def resolve_place(self, text: str) -> Geography | Comparator | None:
        """One of the eight places or a declared comparator, as an upload may name either."""
        return self.resolve_geography(text) or self.comparators.resolve(text)

    def place_name(self, code: str) -> str:
        """The name of one of the eight places or a comparator; the code itself if neither."""
        place = next((g for g in self.geographies if g.code == code), None) or self.comparators.get(code)
        return place.name if place is not None else code


def _parse_target(where: str, raw: Any) -> Target | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: the field 'target' must be a mapping or null.")
    known_keys(where + " target", raw, TARGET_FIELDS)
    kind = need(where + " target", raw, "kind", TARGET_KINDS)
    value = need(where + " target", raw, "value")
    if not isinstance(value, (int, float)):
        raise CatalogueError(f"{where}: the field 'target.value' must be a number, not '{value}'.")
    date = raw.get("date")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError as exc:
            raise CatalogueError(f"{where}: the field 'target.date' must be a date like 2024-03-31.") from exc
    if kind in ("cumulative", "level") and date is None:
        raise CatalogueError(f"{where}: a '{kind}' target needs 'target.date'. Add the date.")
    basis = need(where + " target", raw, "basis", ("published", "illustrative"))
    applies_to = raw.get("applies_to") or "combined_authority"
    if applies_to not in APPLIES_TO:
        raise CatalogueError(
            f"{where}: the field 'target.applies_to' is '{applies_to}'. Use one of: {', '.join(APPLIES_TO)}."
        )
    if applies_to != "combined_authority" and kind not in ("minimum", "maximum"):
        raise CatalogueError(
            f"{where}: only a minimum or maximum target can apply to '{applies_to}'. "
            "Use applies_to: combined_authority for a dated target."
        )
    return Target(
        kind=kind,
        value=float(value),
        date=date,
        basis=basis,
        source=need(where + " target", raw, "source"),
        applies_to=applies_to,
    )


def _base_period(
    where: str, entry: dict[str, Any], frequency: str, year_type: str | None, plan_start: dt.date
) -> Period:
    """The declared base period, or the period that holds the plan's first day."""
    text = entry.get("base_period")
    if text is None:
        return period_for_date(plan_start, frequency, year_type)
    try:
        return parse_period(str(text), frequency, year_type, dt.date.max)
    except PeriodError as exc:
        raise CatalogueError(
            f"{where}: the field 'base_period' is not a period of this indicator. {exc}"
        ) from exc


# Long by design: one check per declared field, in the order the file lists them, so a reader can
# match each message to its field.
def load_indicators(path: Path, theme_ids: set[str], action_ids: set[str]) -> tuple[Indicator, ...]:
    doc = read_yaml(path)
    known_keys(path.name, doc, CATALOGUE_FIELDS)
    defaults = doc.get("defaults") or {}
    known_keys(f"{path.name}, defaults", defaults, INDICATOR_FIELDS)
    plan_start = date_field(path.name, doc, "plan_start") or DEFAULT_PLAN_START
    seen: set[str] = set()
    out = []
    for n, raw in enumerate(doc.get("indicators") or [], start=1):
        if not isinstance(raw, dict):
            raise CatalogueError(
                f"{path.name}, indicator number {n}: each indicator must be a mapping of fields."
            )
        entry = {**defaults, **raw}
        where = f"{path.name}, indicator {entry.get('id', f'number {n}')}"
        known_keys(where, entry, INDICATOR_FIELDS)
        text_fields(where, entry)
        iid = need(where, entry, "id")
        if iid in seen:
            raise CatalogueError(f"{where}: the id '{iid}' is used twice. Give each indicator its own id.")
        seen.add(iid)
        theme = need(where, entry, "theme", tuple(sorted(theme_ids)))
        need(where, entry, "actions")
        actions = list_field(where, entry, "actions")
        for a in actions:
            if a not in action_ids:
                raise CatalogueError(
                    f"{where}: the action '{a}' is not in the plan. Use an id from plan.yaml."
                )
        frequency = need(where, entry, "frequency", FREQUENCIES)
        year_type = entry.get("year_type")
        if frequency != "month":
            need(where, entry, "year_type", YEAR_TYPES)
        kind = need(where, entry, "kind", KINDS)
        unit = need(where, entry, "unit", UNITS)
        if kind == "share" and unit != "percent":
            raise CatalogueError(f"{where}: a share indicator must have unit 'percent'.")
        breakdowns = list_field(where, entry, "breakdowns")
        for b in breakdowns:
            if b not in DIMENSIONS:
                raise CatalogueError(
                    f"{where}: the breakdown '{b}' is not known. Use one of: {', '.join(DIMENSIONS)}."
                )
        source = need(where, entry, "source")
        if not isinstance(source, dict):
            raise CatalogueError(f"{where}: the field 'source' must be {{publisher: ..., publication: ...}}.")
        extra = sorted(set(source) - {"publisher", "publication"})
        if extra:
            # A comma inside an unquoted flow mapping splits a name into a stray key.
            raise CatalogueError(
                f"{where}: the field 'source' has unexpected keys ({', '.join(map(str, extra))}). "
                "Put names that contain commas in double quotes."
            )
        green, amber = thresholds(where, entry.get("thresholds"))
        out.append(
            Indicator(
                id=iid,
                name=need(where, entry, "name"),
                short_name=entry.get("short_name") or entry["name"],
                description=need(where, entry, "description"),
                theme=theme,
                actions=actions,
                unit=unit,
                unit_label=entry.get("unit_label") or UNIT_LABELS[unit],
                kind=kind,
                frequency=frequency,
                year_type=year_type if frequency != "month" else None,
                direction=need(where, entry, "direction", DIRECTIONS),
                target=_parse_target(where, entry.get("target")),
                breakdowns=breakdowns,
                source_publisher=need(where + " source", source, "publisher"),
                source_publication=need(where + " source", source, "publication"),
                methodology=need(where, entry, "methodology"),
                statistics_status=need(where, entry, "statistics_status", STATISTICS_STATUSES),
                owner=need(where, entry, "owner"),
                next_update=need(where, entry, "next_update"),
                limitations=entry.get("limitations") or "",
                decimals=whole(where, entry, "decimals", 1),
                threshold_green=green,
                threshold_amber=amber,
                numerator_label=entry.get("numerator_label"),
                denominator_label=entry.get("denominator_label"),
                base_period=_base_period(where, entry, frequency, year_type, plan_start),
                ends=date_field(where, entry, "ends"),
                value_range=value_range(where, entry.get("value_range")),
                public=flag(where, entry, "public", True),
                small_numbers=small_numbers(where, entry.get("small_numbers")),
                estimate_survey=estimate(where, entry.get("estimate")),
            )
        )
    return tuple(out)


def load_plan(path: Path) -> tuple[str, str, tuple[Theme, ...]]:
    doc = read_yaml(path)
    known_keys(path.name, doc, PLAN_FIELDS)
    themes = []
    seen: set[str] = set()
    need(path.name, doc, "themes")
    for tpos, raw in enumerate(mappings(path.name, doc, "themes"), start=1):
        where = f"{path.name}, theme {raw.get('id', tpos)}"
        known_keys(where, raw, THEME_FIELDS)
        text_fields(where, raw, ("id", "name", "outcome"))
        tid = need(where, raw, "id")
        actions = []
        for apos, a in enumerate(mappings(where, raw, "actions"), start=1):
            aw = f"{path.name}, action {a.get('id', apos)}"
            known_keys(aw, a, ACTION_FIELDS)
            text_fields(aw, a, ("id", "text"))
            aid = need(aw, a, "id")
            if aid in seen:
                raise CatalogueError(f"{aw}: the id '{aid}' is used twice. Give each action its own id.")
            seen.add(aid)
            milestone = a.get("milestone", False)
            if not isinstance(milestone, bool):
                raise CatalogueError(f"{aw}: the field 'milestone' must be true or false, not '{milestone}'.")
            owner = a.get("owner")
            if owner is not None and (not isinstance(owner, str) or not owner.strip()):
                raise CatalogueError(
                    f"{aw}: the field 'owner' must be a person's e-mail address or a team's name."
                )
            actions.append(
                Action(aid, tid, apos, need(aw, a, "text"), milestone, owner.strip() if owner else None)
            )
        themes.append(Theme(tid, tpos, need(where, raw, "name"), need(where, raw, "outcome"), tuple(actions)))
    obj = doc.get("objective") or {}
    if not isinstance(obj, dict):
        raise CatalogueError(f"{path.name}: the field 'objective' must be a mapping with name and text.")
    known_keys(f"{path.name}, objective", obj, OBJECTIVE_FIELDS)
    text_fields(f"{path.name}, objective", obj, ("name", "scheme", "text"))
    return (
        need(f"{path.name}, objective", obj, "name"),
        need(f"{path.name}, objective", obj, "text"),
        tuple(themes),
    )


def load_headlines(path: Path, indicator_ids: set[str]) -> tuple[Headline, ...]:
    """The plan's headline targets, first on the Overview: which indicators, and the link under each."""
    doc = read_yaml(path)
    out = []
    for n, raw in enumerate(mappings(path.name, doc, "headlines"), start=1):
        where = f"{path.name}, headline number {n}"
        known_keys(where, raw, HEADLINE_FIELDS)
        text_fields(where, raw, ("indicator", "link"))
        iid = need(where, raw, "indicator")
        if iid not in indicator_ids:
            raise CatalogueError(
                f"{where}: the indicator '{iid}' is not in the catalogue. Use an indicator's id."
            )
        out.append(Headline(iid, need(where, raw, "link")))
    return tuple(out)


def load_geographies(path: Path = GEOGRAPHIES_CSV) -> tuple[Geography, ...]:
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(
            Geography(r["code"], r["name"], r["level"], tuple(a for a in r["aliases"].split("|") if a))
            for r in csv.DictReader(f)
        )


def load_catalogue(data_dir: Path = DATA_DIR) -> Catalogue:
    name, text, themes = load_plan(data_dir / "plan.yaml")
    actions = {a.id: a for t in themes for a in t.actions}
    indicators = load_indicators(data_dir / "indicators.yaml", {t.id for t in themes}, set(actions))
    linked = {a for i in indicators for a in i.actions}
    for a in actions.values():
        if a.milestone and a.id in linked:
            raise CatalogueError(
                f"plan.yaml, action {a.id}: marked a milestone but indicators.yaml links indicators to it. "
                "Remove 'milestone: true' or the link."
            )
        if not a.milestone and a.id not in linked:
            raise CatalogueError(
                f"plan.yaml, action {a.id}: no indicator measures it. Link an indicator in "
                "indicators.yaml or mark the action 'milestone: true'."
            )
    path = data_dir / "indicators.yaml"
    geographies = load_geographies()
    return Catalogue(
        name,
        text,
        themes,
        indicators,
        geographies,
        load_groups(path),
        headlines=load_headlines(path, {i.id for i in indicators}),
        comparators=load_comparators(
            data_dir / "comparators.yaml", {g.code: [g.name, *g.aliases] for g in geographies}
        ),
    )


def load_groups(path: Path) -> dict[str, tuple[str, ...]]:
    """The declared groups of each breakdown dimension, from the catalogue's `groups:` block."""
    raw = read_yaml(path).get("groups") or {}
    if not isinstance(raw, dict):
        raise CatalogueError(f"{path.name}: the field 'groups' must map each breakdown to a list of groups.")
    out = {}
    for dim, names in raw.items():
        if dim not in DIMENSIONS:
            raise CatalogueError(
                f"{path.name}, groups: the breakdown '{dim}' is not known. Use one of: {', '.join(DIMENSIONS)}."
            )
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
            raise CatalogueError(
                f"{path.name}, groups: '{dim}' must be a list of group names, like [Female, Male]."
            )
        folded = [n.casefold() for n in names]
        if len(set(folded)) != len(folded):
            raise CatalogueError(f"{path.name}, groups: '{dim}' names one group twice (ignoring case).")
        out[dim] = tuple(names)
    return out


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The project's own catalogue, loaded once per process (the files do not change at run time)."""
    return load_catalogue()
