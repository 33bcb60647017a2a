"""The schema every declaration in ``data/`` is checked against, and the checks themselves.

A misspelt key would otherwise drop its rule without a word (``breakdown:`` for ``breakdowns:``
loads the affordable-housing indicator with no schemes, and its "20% in every scheme" rule
vanishes), so every mapping is checked against the fields it may have, every name must be text,
and every number, date and list is checked for its type. Each message names the file, the entry
and the field, and says what to write instead.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any

import yaml

from metrics.errors import KpiError

INDICATOR_FIELDS = frozenset(
    {
        "id", "name", "short_name", "description", "theme", "actions", "unit", "unit_label", "kind",
        "numerator_label", "denominator_label", "frequency", "year_type", "direction", "target",
        "breakdowns", "source", "methodology", "statistics_status", "owner", "next_update",
        "limitations", "decimals", "thresholds", "base_period", "ends", "value_range", "public",
        "small_numbers", "estimate",
    }
)  # fmt: skip
ESTIMATE_FIELDS = frozenset({"survey"})
COMPARATORS_FIELDS = frozenset({"sources", "places", "neighbours"})
COMPARATOR_FIELDS = frozenset({"code", "name", "kind", "aliases"})
NEIGHBOURS_FIELDS = frozenset({"model", "illustrative", "note", "sets"})
TARGET_FIELDS = frozenset({"kind", "value", "date", "basis", "source", "applies_to"})
CATALOGUE_FIELDS = frozenset({"defaults", "indicators", "plan_start", "groups", "headlines"})
HEADLINE_FIELDS = frozenset({"indicator", "link"})
PLAN_FIELDS = frozenset({"objective", "themes"})
OBJECTIVE_FIELDS = frozenset({"name", "scheme", "text"})
THEME_FIELDS = frozenset({"id", "name", "outcome", "actions"})
ACTION_FIELDS = frozenset({"id", "text", "milestone", "owner"})
# Fields that must be text when given: a number or a list there is a slip in the YAML, not a name.
TEXT_FIELDS = (
    "id", "name", "short_name", "description", "theme", "unit_label", "numerator_label", "denominator_label",
    "methodology", "owner", "next_update", "limitations",
)  # fmt: skip


class CatalogueError(KpiError, ValueError):
    """A declaration in data/ is wrong; the message names the file and field."""


def need(where: str, entry: dict[str, Any], key: str, allowed: tuple[str, ...] | None = None) -> Any:
    if key not in entry or entry[key] in (None, ""):
        raise CatalogueError(f"{where}: the field '{key}' is missing. Add it.")
    value = entry[key]
    if allowed is not None and value not in allowed:
        raise CatalogueError(f"{where}: the field '{key}' is '{value}'. Use one of: {', '.join(allowed)}.")
    return value


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" near line {mark.line + 1}" if mark is not None else ""
        raise CatalogueError(
            f"{path.name}: the file cannot be read as YAML{where}. Check the indentation, colons and brackets."
        ) from exc
    if not isinstance(doc, dict):
        raise CatalogueError(f"{path.name}: the file must be a YAML mapping with named fields.")
    return doc


def list_field(where: str, entry: dict[str, Any], key: str) -> tuple[Any, ...]:
    value = entry.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise CatalogueError(f"{where}: the field '{key}' must be a list, like [{value}].")
    return tuple(value)


def whole(where: str, entry: dict[str, Any], key: str, default: int) -> int:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CatalogueError(
            f"{where}: the field '{key}' must be a whole number of 0 or more, not '{value}'."
        )
    return value


SMALL_NUMBER_FIELDS = frozenset({"count_below", "denominator_below"})


def flag(where: str, entry: dict[str, Any], key: str, default: bool) -> bool:
    """A yes/no field: true or false in the YAML, not a word that only looks like one."""
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise CatalogueError(f"{where}: the field '{key}' must be true or false, not '{value}'.")
    return value


def small_numbers(where: str, raw: Any) -> tuple[int, int]:
    """The small-number rule of a breakdown cell: (count_below, denominator_below); 0 turns a part off.

    A count under `count_below`, or a share whose denominator is under `denominator_below`, is not
    published for a breakdown group (shown `c`), so a person cannot be picked out of a small group.
    """
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise CatalogueError(
            f"{where}: the field 'small_numbers' must be {{count_below: N, denominator_below: N}}, not '{raw}'."
        )
    known_keys(f"{where} small_numbers", raw, SMALL_NUMBER_FIELDS)
    return whole(where, raw, "count_below", 0), whole(where, raw, "denominator_below", 0)


def estimate(where: str, raw: Any) -> str | None:
    """The survey an indicator's figures are estimated from, or None when they are counts or exact.

    Only an estimate's values may carry a confidence interval in an upload (`lower`, `upper`), and only
    an estimate's change or gap is judged against its interval before it is called a difference.
    """
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise CatalogueError(
            f"{where}: the field 'estimate' must be {{survey: NAME}}, or left out, not '{raw}'."
        )
    known_keys(f"{where} estimate", raw, ESTIMATE_FIELDS)
    survey = need(f"{where} estimate", raw, "survey")
    if not isinstance(survey, str):
        raise CatalogueError(f"{where}: the field 'estimate.survey' must be text, not '{survey}'.")
    return survey


def thresholds(where: str, raw: Any) -> tuple[float, float]:
    raw = raw or {}
    green, amber = (raw.get("green", 0.95), raw.get("amber", 0.5)) if isinstance(raw, dict) else (None, None)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (green, amber)) or not (
        0 < amber <= green <= 1
    ):
        raise CatalogueError(
            f"{where}: the field 'thresholds' must be {{green: G, amber: A}} with numbers 0 < A <= G <= 1, "
            f"not '{raw}'."
        )
    return float(green), float(amber)


def text_fields(where: str, entry: dict[str, Any], keys: tuple[str, ...] = TEXT_FIELDS) -> None:
    """Names and sentences must be text: `name: 2024` or `owner: [a, b]` is a slip, caught on load."""
    for key in keys:
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            raise CatalogueError(f"{where}: the field '{key}' must be text, not '{value}'. Put it in quotes.")


def known_keys(where: str, entry: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(str(k) for k in entry if k not in allowed)
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(allowed), n=1)
        guess = f"Did you mean '{close[0]}'? " if close else ""
        raise CatalogueError(
            f"{where}: the field '{unknown[0]}' is not one the catalogue knows. {guess}"
            f"Check its spelling; the fields are: {', '.join(sorted(allowed))}."
        )


def date_field(where: str, entry: dict[str, Any], key: str) -> dt.date | None:
    value = entry.get(key)
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise CatalogueError(
            f"{where}: the field '{key}' must be a date like 2024-03-31, not '{value}'."
        ) from exc


def value_range(where: str, raw: Any) -> tuple[float, float] | None:
    if raw is None:
        return None
    if (
        not isinstance(raw, list)
        or len(raw) != 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw)
        or raw[0] >= raw[1]
    ):
        raise CatalogueError(f"{where}: the field 'value_range' must be [lowest, highest], like [0, 10].")
    return float(raw[0]), float(raw[1])


def mappings(where: str, entry: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """A list of mappings (themes, actions, headlines), each checked to be one."""
    items = [*list_field(where, entry, key)]
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise CatalogueError(f"{where}, {key} number {n}: each entry must be a mapping of fields.")
    return items
