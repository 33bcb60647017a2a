"""What each page of the public site says, as plain values for the templates: no HTML is built here.

Words come from metrics.words, metrics.views and the chart headlines, the same the dashboard and the
board packs use, so the public site calls a state by the same name. Every value shown comes from the
published rows (metrics.disclose has suppressed what may not go out) or from the verdicts,
which are worked out on totals only. Uploaded text (scheme names, notes) is never trusted: notes are
not published, and names are escaped by the templates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from metrics import charts
from metrics.catalogue import Catalogue, Indicator
from metrics.charts import trend
from metrics.charts.headlines import headline, source_text, subtitle
from metrics.clock import long_date
from metrics.dashboard import Shown
from metrics.publish.svg import trend_svg
from metrics.views import definition_list, needing_attention, place_verdicts_intro
from metrics.words import (
    VERDICT_MEANINGS,
    VERDICT_ORDER,
    action_counts,
    action_status_label,
    dimension_label,
    format_value,
    target_text,
    verdict_counts,
    verdict_label,
)

Row = dict[str, Any]


def indicator_href(indicator_id: str, root: str) -> str:
    return f"{root}indicators/{indicator_id}.html"


def theme_href(theme_id: str, root: str) -> str:
    return f"{root}themes/{theme_id}.html"


def _cell(indicator: Indicator, row: Row | None) -> str:
    """A published cell: the value, or "c" (and the other symbols) for a missing one; "No figure" if none."""
    if row is None:
        return "No figure"
    if row["value"] is None:
        return row["missing"] or "No figure"
    text = format_value(indicator, row["value"])
    return f"{text} (illustrative)" if row["illustrative"] else text


def _verdict_counts(shown: list[Shown]) -> str:
    """ "✖ Off track: 2 · ✔ On track: 3", worst first, as the dashboard's Overview counts them."""
    counts = Counter(s.progress.verdict for s in shown)
    return verdict_counts(counts) if counts else "none published"


def action_status(history: list[dict]) -> str:
    """An action's latest status as the Theme page words it, with its quarter."""
    if not history:
        return action_status_label(None)
    return f"{action_status_label(history[0]['status'])} ({history[0]['period']})"


def _action_counts(actions: list[Any], history: dict[str, list[dict]]) -> str:
    return action_counts(Counter((history.get(a.id) or [{"status": "none"}])[0]["status"] for a in actions))


def home(
    catalogue: Catalogue, shown: dict[str, Shown], history: dict[str, list[dict]], root: str
) -> dict[str, Any]:
    """The home page: the objective, the headline targets, every theme's verdicts and what needs reading."""
    headlines = []
    for h in catalogue.headlines:
        s = shown.get(h.indicator)
        if s is None:
            ind = catalogue.indicator(h.indicator)
            headlines.append(
                {"name": ind.name, "href": "#", "verdict": "no_data", "label": "Not published",
                 "reason": "This indicator is not published on this site.", "latest": None, "period": None}
            )  # fmt: skip
            continue
        p = s.progress
        headlines.append(
            {
                "name": s.indicator.name,
                "href": indicator_href(s.indicator.id, root),
                "verdict": p.verdict,
                "label": verdict_label(p.verdict),
                "reason": p.reason,
                "latest": format_value(s.indicator, p.latest_value) if p.latest_value is not None else None,
                "period": p.latest_period,
            }
        )
    themes = []
    for t in catalogue.themes:
        mine = [shown[i.id] for i in catalogue.indicators_for_theme(t.id) if i.id in shown]
        attention = needing_attention(shown, catalogue, t.id)
        themes.append(
            {
                "id": t.id,
                "name": t.name,
                "href": theme_href(t.id, root),
                "verdicts": _verdict_counts(mine),
                "actions": _action_counts(list(t.actions), history),
                "attention": [
                    {
                        "name": s.indicator.short_name,
                        "href": indicator_href(s.indicator.id, root),
                        "label": verdict_label(s.progress.verdict),
                        "reason": s.progress.reason,
                    }
                    for s in attention
                ],
            }
        )
    return {
        "objective_name": catalogue.objective_name,
        "objective_text": catalogue.objective_text,
        "counts_sentence": f"{len(shown)} indicators published, by verdict: {_verdict_counts(list(shown.values()))}.",
        "headlines": headlines,
        "themes": themes,
    }


def theme(
    catalogue: Catalogue, theme_id: str, shown: dict[str, Shown], history: dict[str, list[dict]], root: str
) -> dict[str, Any]:
    t = catalogue.theme(theme_id)
    every = catalogue.indicators_for_theme(theme_id)
    indicators = [
        {
            "name": shown[i.id].indicator.name,
            "href": indicator_href(i.id, root),
            "label": verdict_label(shown[i.id].progress.verdict),
            "reason": shown[i.id].progress.reason,
        }
        for i in every
        if i.id in shown
    ]
    hidden = len(every) - len(indicators)
    return {
        "theme": {"name": t.name, "outcome": t.outcome},
        "indicators": indicators,
        "unpublished": (
            f"{hidden} more indicator{'s are' if hidden != 1 else ' is'} tracked for this theme but not published."
            if hidden
            else ""
        ),
        "actions": [
            {"id": a.id, "text": a.text, "status": action_status(history.get(a.id) or [])} for a in t.actions
        ],
    }


def _latest_by(rows: list[Row], key) -> dict[Any, Row]:
    """The row of the latest period for each key (rows arrive oldest first within a key)."""
    out: dict[Any, Row] = {}
    for r in rows:
        k = key(r)
        if k not in out or r["period_end"] >= out[k]["period_end"]:
            out[k] = r
    return out


def breakdowns(indicator: Indicator, rows: list[Row], catalogue: Catalogue) -> list[dict[str, Any]]:
    """Per breakdown, its latest period's groups by place, with the gaps said in words."""
    names = {g.code: g.name for g in catalogue.geographies}
    order = [catalogue.combined_authority.code, *(g.code for g in catalogue.local_authorities)]
    out = []
    for dim in indicator.breakdowns:
        mine = [r for r in rows if r["breakdown_dimension"] == dim]
        if not mine:
            out.append(
                {"dimension": dim, "title": f"By {dimension_label(dim, mid_sentence=True)}",
                 "gaps": f"No figures by {dimension_label(dim, mid_sentence=True)} have been published.",
                 "caption": "", "header": [], "rows": []}
            )  # fmt: skip
            continue
        latest_end = max(r["period_end"] for r in mine)
        latest = [r for r in mine if r["period_end"] == latest_end]
        period = latest[0]["period"]
        if dim == "project":
            out.append(_schemes(indicator, latest, period, names))
            continue
        places = [c for c in order if any(r["geography_code"] == c for r in latest)]
        declared = list(catalogue.groups.get(dim, ()))
        seen = sorted({r["breakdown_value"] for r in latest} - set(declared))
        groups = [g for g in declared if any(r["breakdown_value"] == g for r in latest)] + seen
        cell = {(r["breakdown_value"], r["geography_code"]): r for r in latest}
        table = [[g, *(_cell(indicator, cell.get((g, c))) for c in places)] for g in groups]
        suppressed = sum(1 for r in latest if r["missing"] == "c")
        empty = sum(1 for g in groups for c in places if (g, c) not in cell)
        missing_groups = [g for g in declared if g not in groups]
        gaps = []
        if suppressed:
            gaps.append(f"{suppressed} figure{'s are' if suppressed != 1 else ' is'} suppressed (c)")
        if empty:
            gaps.append(f"{empty} place and group pair{'s have' if empty != 1 else ' has'} no figure")
        if missing_groups:
            gaps.append(f"no place has a figure for {', '.join(missing_groups)}")
        label = dimension_label(dim, mid_sentence=True)
        out.append(
            {
                "dimension": dim,
                "title": f"By {label}, {period}",
                "gaps": (f"In {period}: " + "; ".join(gaps) + ".") if gaps else "",
                "caption": f"{indicator.short_name} by {label}, {period}",
                "header": [dimension_label(dim), *(names[c] for c in places)],
                "rows": table,
            }
        )
    return out


def _schemes(indicator: Indicator, latest: list[Row], period: str, names: dict[str, str]) -> dict[str, Any]:
    """Every scheme of the latest period, lowest share first, each against the every-scheme minimum."""
    t = indicator.target
    floor = t.value if t is not None and t.kind == "minimum" and t.applies_to == "every_scheme" else None

    def order(r: Row) -> tuple:
        return (r["value"] is None, r["value"] if r["value"] is not None else 0.0, r["breakdown_value"])

    rows = []
    below = 0
    for r in sorted(latest, key=order):
        against = ""
        if floor is not None and r["value"] is not None:
            against = "Below the minimum" if r["value"] < floor else "Meets the minimum"
            below += r["value"] < floor
        rows.append(
            [
                r["breakdown_value"],
                names.get(r["geography_code"], r["geography_code"]),
                _cell(indicator, r),
                opendata_number(r["numerator"]),
                opendata_number(r["denominator"]),
                *([against] if floor is not None else []),
            ]
        )
    header = ["Scheme", "Local authority", "Share", indicator.numerator_label or "Numerator",
              indicator.denominator_label or "Denominator"]  # fmt: skip
    gaps = f"{below} of {len(rows)} schemes are below the {floor:g}% minimum in {period}." if floor else ""
    return {
        "dimension": "project",
        "title": f"Every scheme, {period}",
        "gaps": gaps,
        "caption": f"{indicator.short_name}: every scheme in {period}, lowest share first",
        "header": [
            *(h[0].upper() + h[1:] for h in header),
            *(["Against the minimum"] if floor is not None else []),
        ],
        "rows": rows,
    }


def opendata_number(value: float | None) -> str:
    """A count in a table: "420", or "" where there is none (suppressed or not a share)."""
    if value is None:
        return ""
    return f"{float(value):,.0f}" if float(value).is_integer() else f"{float(value):,.1f}"


def places(
    indicator: Indicator, shown: Shown, rows: list[Row], catalogue: Catalogue
) -> tuple[str, list, list]:
    """The seven authorities' latest figures (and verdicts where the target is judged by authority)."""
    totals = [r for r in rows if not r["breakdown_dimension"]]
    latest = _latest_by(totals, lambda r: r["geography_code"])
    verdicts = {p.code: p for p in shown.progress.places or ()}
    header = ["Local authority", "Latest figure", "Period", "Status"]
    if verdicts:
        header.append("Verdict")
    table = []
    for g in catalogue.local_authorities:
        r = latest.get(g.code)
        line = [g.name, _cell(indicator, r), r["period"] if r else "", r["status"] if r else ""]
        if verdicts:
            v = verdicts.get(g.code)
            line.append(f"{verdict_label(v.verdict)}: {v.reason}" if v else "")
        table.append(line)
    if not any(latest.get(g.code) for g in catalogue.local_authorities):
        return "", header, []
    intro = place_verdicts_intro(indicator) if verdicts else "Each local authority's latest published figure."
    return intro, header, table


def indicator(
    shown: Shown,
    rows: list[Row],
    revision_rows: list[dict[str, Any]],
    previous_date: dt.date | None,
    catalogue: Catalogue,
    root: str,
) -> dict[str, Any]:
    """An indicator's page: verdict and reason, the chart and its table, places, breakdowns, definition."""
    ind, p = shown.indicator, shown.progress
    table = trend.table(shown)
    valued = [pt for pt in shown.series if pt.value is not None]
    last = valued[-1] if valued else None
    description = charts.describe(shown)
    svg = (
        trend_svg(
            ind,
            shown.series,
            title=headline(shown),
            description=description,
            target=ind.target.value if ind.target and ind.target.applies_to != "every_authority" else None,
        )
        if valued
        else ""
    )
    intro, places_header, places_rows = places(ind, shown, rows, catalogue)
    if previous_date is None:
        revisions_intro = "This is the first release, so no figure has been revised yet."
    elif revision_rows:
        revisions_intro = (
            f"{len(revision_rows)} figure{'s' if len(revision_rows) != 1 else ''} changed since the previous "
            f"release on {long_date(previous_date)}."
        )
    else:
        revisions_intro = f"No figure has changed since the previous release on {long_date(previous_date)}."
    count_below, denominator_below = ind.small_numbers
    rules = []
    if count_below:
        rules.append(f"counts under {count_below}")
    if denominator_below:
        rules.append(f"shares of fewer than {denominator_below}")
    suppression = (
        f"To protect confidentiality, {' and '.join(rules)} are shown as c (suppressed), as is a second "
        "figure where a total would give one away."
        if rules
        else "Nothing is suppressed for this indicator."
    )
    return {
        "indicator": ind,
        "theme_name": catalogue.theme(ind.theme).name,
        "verdict": p.verdict,
        "verdict_label": verdict_label(p.verdict),
        "reason": p.reason,
        "latest": format_value(ind, last.value) if last else None,
        "latest_period": last.period if last else None,
        "latest_status": last.status if last else None,
        "latest_illustrative": bool(last and last.illustrative),
        "target": target_text(ind),
        "svg": svg,
        "chart_title": headline(shown),
        "chart_subtitle": subtitle(shown),
        "chart_source": source_text(ind, shown.illustrative),
        "chart_description": description,
        "place_name": shown.geography.name,
        "series_header": list(table.columns),
        "series_rows": table.astype(str).values.tolist(),
        "places_intro": intro,
        "places_header": places_header,
        "places_rows": places_rows,
        "breakdowns": breakdowns(ind, rows, catalogue),
        "suppression_words": suppression,
        "definition": [(k, v) for k, v in definition_list(ind).items()],
        "revisions_intro": revisions_intro,
        "revision_header": ["Place", "Breakdown", "Period", "What changed", "Before", "Now"],
        "revision_rows": [revision_line(ind, r) for r in revision_rows],
    }


CHANGE_WORDS = {"revised": "Value revised", "status": "Status changed", "withdrawn": "No longer published"}


def revision_line(indicator: Indicator, r: dict[str, Any]) -> list[str]:
    """One changed figure as the revisions tables show it."""
    group = (
        f"{dimension_label(r['breakdown_dimension'])}: {r['breakdown_group']}"
        if r["breakdown_dimension"]
        else "Total"
    )

    def shown_value(value, missing, status) -> str:
        text = format_value(indicator, value) if value is not None else (missing or "No figure")
        return f"{text} ({status})" if status else text

    return [
        r["geography_name"],
        group,
        r["period"],
        CHANGE_WORDS[r["change"]],
        shown_value(r["previous_value"], r["previous_missing"], r["previous_status"]),
        shown_value(r["value"], r["missing"], r["status"]),
    ]


def about(release_lines: list[str], catalogue: Catalogue, include_illustrative: bool) -> dict[str, Any]:
    verdicts = [(verdict_label(v), VERDICT_MEANINGS[v]) for v in VERDICT_ORDER]
    disclosure = [
        "Indicators the catalogue does not mark public are left out of every page and file.",
        (
            'Illustrative sample values are included and marked "Illustrative" on every page and '
            '"illustrative: true" in every file; they are not published statistics.'
            if include_illustrative
            else "Illustrative sample values are not published: only figures from uploads of real data."
        ),
        "Figures for small groups are suppressed and shown as c: each indicator's page says its rule (for "
        "example counts under 5, or shares of fewer than 10 people). Where a total would give a suppressed "
        "figure away by subtraction, a second figure is suppressed too. Totals for places are never suppressed.",
        "Figures whose release is embargoed until after this release's time are not included.",
        "Notes written on uploads are for the analysts and are not published.",
    ]
    method = (
        "Verdicts are judged on the release date, on the combined authority's figure (uploaded, or added up "
        "from the seven local authorities when all seven have one; a share is the sum of numerators over the "
        "sum of denominators, never an average of shares). A missing figure is never counted as zero. Where a "
        "target applies to every scheme or every local authority, any one that breaks it breaks the target."
    )
    return {
        "verdicts": verdicts,
        "method": method,
        "release_lines": release_lines,
        "disclosure_lines": disclosure,
    }
