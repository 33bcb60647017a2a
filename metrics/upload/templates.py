"""Upload templates: the header alone, or the rows an analyst fills in next, numbers only.

A pre-filled template lists, for each chosen indicator, every place and breakdown
that had a value in its latest period, against the period after it (the next
one due), so the analyst types values and nothing else. Its columns are the
contract's (../shared/spec/upload-format.md), so a filled-in template goes
through the same checks as any file. The same holds for action status.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from metrics import clock
from metrics.catalogue import Catalogue, Indicator, default_catalogue
from metrics.periods import Period, next_period, period_for_date
from metrics.store import connect, fetch_dicts
from metrics.upload.statuses import STATUS_COLUMNS
from metrics.upload.values import VALUE_COLUMNS

ALL = "all"
Db = str | Path | None


@dataclass(frozen=True)
class Template:
    """A template file: its bytes, a file name to save it as, the rows it lists, and notes for the page."""

    data: bytes
    file_name: str
    rows: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def periods(self) -> list[str]:
        """The periods its rows are for, sorted: what a pre-filled template asks figures for."""
        return sorted(set(self.rows["period"])) if "period" in self.rows else []


def to_csv(header: tuple[str, ...], rows: list[dict]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel shows names with accents correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow(["" if r.get(c) is None else r.get(c) for c in header])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _frame(header: tuple[str, ...], rows: list[dict]) -> pd.DataFrame:
    """The template's rows as text, blanks included, for showing on the page."""
    return pd.DataFrame(
        [{c: str(r.get(c) or "") for c in header} for r in rows], columns=list(header), dtype=object
    )


def _template(
    header: tuple[str, ...], rows: list[dict], file_name: str, notes: list[str] | None = None
) -> Template:
    """The template of these rows under this header: its CSV bytes and its rows for the page."""
    return Template(to_csv(header, rows), file_name, _frame(header, rows), list(notes or []))


def empty_values() -> Template:
    return _template(VALUE_COLUMNS, [], "upload-template-values.csv")


def empty_action_status() -> Template:
    return _template(STATUS_COLUMNS, [], "upload-template-action-status.csv")


# ---------------------------------------------------------------- choices


def value_choices(catalogue: Catalogue | None = None) -> list[tuple[str, str]]:
    """(key, label) for every way to choose indicators: all, a theme, one indicator."""
    catalogue = catalogue or default_catalogue()
    out = [(ALL, f"All indicators ({len(catalogue.indicators)})")]
    for t in catalogue.themes:
        n = len(catalogue.indicators_for_theme(t.id))
        if n:
            out.append((f"theme:{t.id}", f"Theme: {t.name} ({n} indicator{'s' if n != 1 else ''})"))
    for i in catalogue.indicators:
        out.append((f"indicator:{i.id}", f"Indicator: {i.short_name} ({i.id})"))
    return out


def action_choices(catalogue: Catalogue | None = None) -> list[tuple[str, str]]:
    catalogue = catalogue or default_catalogue()
    out = [(ALL, f"All actions ({len(catalogue.actions)})")]
    for t in catalogue.themes:
        out.append((f"theme:{t.id}", f"Theme: {t.name} ({len(t.actions)} actions)"))
    return out


def indicators_for(choice: str, catalogue: Catalogue | None = None) -> tuple[Indicator, ...]:
    catalogue = catalogue or default_catalogue()
    if choice == ALL:
        return catalogue.indicators
    kind, _, ident = choice.partition(":")
    if kind == "theme" and any(t.id == ident for t in catalogue.themes):
        return catalogue.indicators_for_theme(ident)
    if kind == "indicator" and catalogue.has_indicator(ident):
        return (catalogue.indicator(ident),)
    raise KeyError(f"'{choice}' is not a theme or indicator. Choose one from the list.")


# ---------------------------------------------------------------- which period is due


def due_period(frequency: str, year_type: str | None, latest: Period | None, today: dt.date) -> Period | None:
    """The period after the latest one with data, once it has ended: figures are due for whole periods.

    With no data yet: the latest period that has ended by today. None: nothing is due yet.
    """
    if latest is None:
        current = period_for_date(today, frequency, year_type)
        if current.end < today:
            return current
        return period_for_date(current.start - dt.timedelta(days=1), frequency, year_type)
    nxt = next_period(latest, frequency, year_type)
    return nxt if nxt.end < today else None


def _default_places(indicator: Indicator, catalogue: Catalogue) -> list[str]:
    """Without history: the seven authorities, and the combined authority where it cannot be derived."""
    places = [g.code for g in catalogue.local_authorities]
    if not indicator.derivable:
        places.insert(0, catalogue.combined_authority.code)
    return places


def value_rows(
    indicators: tuple[Indicator, ...],
    latest: dict[str, tuple[Period, list[tuple[str, str, str]]]],
    catalogue: Catalogue,
    today: dt.date,
) -> tuple[list[dict], list[str]]:
    """The template's rows and notes on indicators with nothing due. Pure: the store's part is `latest`.

    `latest` maps an indicator id to its latest period with data and the (place code, breakdown
    dimension, breakdown value) keys that had a value in it.
    """
    # The eight places first, in their order; comparators (England, the region...) after them.
    order = {g.code: n for n, g in enumerate((*catalogue.geographies, *catalogue.comparators.places))}
    rows: list[dict] = []
    notes: list[str] = []
    for ind in indicators:
        period, keys = latest.get(ind.id, (None, []))
        due = due_period(ind.frequency, ind.year_type, period, today)
        if ind.ends is not None and (due is None or due.start > ind.ends) and today > ind.ends:
            notes.append(
                f"{ind.short_name} ({ind.id}) closed on {clock.long_date(ind.ends)}; no figures are expected."
            )
            continue
        if due is None:
            upcoming = next_period(period, ind.frequency, ind.year_type)
            notes.append(
                f"{ind.short_name} ({ind.id}) has values up to {period.label}; nothing is due until "
                f"{upcoming.label} ends on {clock.long_date(upcoming.end)}."
            )
            continue
        if not keys:
            keys = [(code, "", "") for code in _default_places(ind, catalogue)]
        for code, dim, group in sorted(keys, key=lambda k: (order.get(k[0], 99), k[1], k[2])):
            rows.append(
                {
                    "indicator_id": ind.id,
                    "period": due.label,
                    "geography": catalogue.place_name(code),
                    "breakdown_dimension": dim,
                    "breakdown_value": group,
                }
            )
    return rows, notes


def _latest_keys(indicator_ids: list[str], db) -> dict[str, tuple[Period, list[tuple[str, str, str]]]]:
    with connect(db, read_only=True) as con:
        found = fetch_dicts(con, "template_latest_keys", {"indicators": indicator_ids})
    out: dict[str, tuple[Period, list[tuple[str, str, str]]]] = {}
    for r in found:
        period = Period(r["period"], r["period_start"], r["period_end"])
        out.setdefault(r["indicator_id"], (period, []))[1].append(
            (r["geography_code"], r["breakdown_dimension"], r["breakdown_value"])
        )
    return out


def _slug(choice: str) -> str:
    return choice.partition(":")[2].replace("_", "-") if ":" in choice else "all"


def prefilled_values(
    choice: str, *, db: Db = None, catalogue: Catalogue | None = None, today: dt.date | None = None
) -> Template:
    """The value template for a theme, an indicator or all: ids, places and the next period due."""
    catalogue = catalogue or default_catalogue()
    indicators = indicators_for(choice, catalogue)
    latest = _latest_keys([i.id for i in indicators], db)
    rows, notes = value_rows(indicators, latest, catalogue, today or clock.today())
    return _template(VALUE_COLUMNS, rows, f"upload-template-{_slug(choice)}.csv", notes)


def action_rows(
    choice: str, latest: dict[str, Period], catalogue: Catalogue, today: dt.date
) -> tuple[list[dict], list[str]]:
    """One row per action in the choice, against the quarter after its latest status. Pure."""
    if choice == ALL:
        themes = catalogue.themes
    else:
        ident = choice.partition(":")[2]
        themes = tuple(t for t in catalogue.themes if t.id == ident)
        if not themes:
            raise KeyError(f"'{choice}' is not a theme. Choose one from the list.")
    rows: list[dict] = []
    # Actions that are up to date, grouped by their latest quarter: one line each, not 47.
    up_to_date: dict[Period, list[str]] = {}
    for t in themes:
        for a in t.actions:
            due = due_period("quarter", "financial", latest.get(a.id), today)
            if due is None:
                up_to_date.setdefault(latest[a.id], []).append(a.id)
                continue
            rows.append({"action_id": a.id, "period": due.label, "status": "", "note": ""})
    notes = []
    for period, ids in up_to_date.items():
        upcoming = next_period(period, "quarter", "financial")
        who = f"Action {ids[0]} has" if len(ids) == 1 else f"{len(ids)} actions ({', '.join(ids)}) have"
        notes.append(
            f"{who} a status up to {period.label}; the next is due when {upcoming.label} ends on "
            f"{clock.long_date(upcoming.end)}."
        )
    return rows, notes


def prefilled_action_status(
    choice: str, *, db: Db = None, catalogue: Catalogue | None = None, today: dt.date | None = None
) -> Template:
    """The action status template for a theme or all: each action against the next quarter due."""
    with connect(db, read_only=True) as con:
        found = fetch_dicts(con, "template_action_latest")
    latest = {r["action_id"]: Period(r["period"], r["period_start"], r["period_end"]) for r in found}
    rows, notes = action_rows(choice, latest, catalogue or default_catalogue(), today or clock.today())
    return _template(STATUS_COLUMNS, rows, f"upload-template-action-status-{_slug(choice)}.csv", notes)
