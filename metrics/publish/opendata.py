"""The open data of a release: a CSV and a JSON file per indicator, the catalogue, the revisions, and a
Frictionless Data Package describing them, all at addresses that never change between releases.

Rows are the published ones (metrics.disclose has taken out small numbers), with the
missing-value symbols of the upload format (c suppressed, x not available, z not applicable) in
their own column and the value left empty, never 0. Numbers are written as Python writes them
(shortest round-trip), so the same store gives the same bytes. Text that came from uploads is not
published at all (notes stay inside); in the CSV files every text cell goes through the same
cleaning as every export, so a cell can never start a spreadsheet formula (the JSON keeps the text).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

from metrics.catalogue import Catalogue, Indicator
from metrics.export.files import safe_text

DATA_COLUMNS = (
    "indicator_id", "geography_code", "geography_name", "breakdown_dimension", "breakdown_group",
    "period", "period_start", "period_end", "value", "numerator", "denominator", "missing", "status",
    "illustrative",
)  # fmt: skip
REVISION_COLUMNS = (
    "indicator_id", "geography_code", "geography_name", "breakdown_dimension", "breakdown_group",
    "period", "change", "previous_value", "value", "previous_missing", "missing", "previous_status",
    "status",
)  # fmt: skip
MISSING_SYMBOLS = {"c": "suppressed to protect confidentiality", "x": "not available", "z": "not applicable"}
LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


def number_text(value: float | None) -> str:
    """A number as the files write it: "1250" not "1250.0", "15.789473684210526" as Python keeps it."""
    if value is None:
        return ""
    v = float(value)
    return str(int(v)) if v.is_integer() else repr(v)


def _json_number(value: float | None) -> float | int | None:
    if value is None:
        return None
    v = float(value)
    return int(v) if v.is_integer() else v


def data_row(row: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """One published row in the open data's columns (the JSON file's numbers stay numbers)."""
    return {
        "indicator_id": row["indicator_id"],
        "geography_code": row["geography_code"],
        "geography_name": names.get(row["geography_code"], row["geography_code"]),
        "breakdown_dimension": row["breakdown_dimension"] or None,
        "breakdown_group": row["breakdown_value"] or None,
        "period": row["period"],
        "period_start": row["period_start"].isoformat(),
        "period_end": row["period_end"].isoformat(),
        "value": _json_number(row["value"]),
        "numerator": _json_number(row["numerator"]),
        "denominator": _json_number(row["denominator"]),
        "missing": row["missing"],
        "status": row["status"],
        "illustrative": bool(row["illustrative"]),
    }


def to_csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 CSV with a header, LF line ends, numbers as `number_text`, booleans as true/false."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        out = []
        for c in columns:
            v = r.get(c)
            if isinstance(v, bool):
                out.append("true" if v else "false")
            elif isinstance(v, (int, float)):
                out.append(number_text(v))
            else:
                out.append("" if v is None else safe_text(str(v)))  # never a spreadsheet formula
        w.writerow(out)
    return buf.getvalue().encode("utf-8")


def to_json(doc: Any) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def indicator_entry(indicator: Indicator, catalogue: Catalogue) -> dict[str, Any]:
    """An indicator's declarations as the catalogue file publishes them."""
    t = indicator.target
    return {
        "id": indicator.id,
        "name": indicator.name,
        "short_name": indicator.short_name,
        "description": indicator.description,
        "theme": indicator.theme,
        "actions": list(indicator.actions),
        "unit": indicator.unit,
        "unit_label": indicator.unit_label,
        "kind": indicator.kind,
        "numerator_label": indicator.numerator_label,
        "denominator_label": indicator.denominator_label,
        "frequency": indicator.frequency,
        "year_type": indicator.year_type,
        "direction": indicator.direction,
        "target": None
        if t is None
        else {
            "kind": t.kind,
            "value": t.value,
            "date": t.date.isoformat() if t.date else None,
            "applies_to": t.applies_to,
            "basis": t.basis,
            "source": t.source,
        },
        "breakdowns": {d: (list(catalogue.groups.get(d, ())) or None) for d in indicator.breakdowns},
        "source": {"publisher": indicator.source_publisher, "publication": indicator.source_publication},
        "methodology": indicator.methodology,
        "statistics_status": indicator.statistics_status,
        "limitations": indicator.limitations,
        "next_update": indicator.next_update,
        "decimals": indicator.decimals,
        "small_numbers": {
            "count_below": indicator.small_numbers[0],
            "denominator_below": indicator.small_numbers[1],
        },
        "data": {"csv": f"data/{indicator.id}.csv", "json": f"data/{indicator.id}.json"},
    }


def _field(name: str, type_: str, description: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "description": description, **extra}


DATA_SCHEMA = {
    "fields": [
        _field("indicator_id", "string", "The indicator's id in the catalogue (data/catalogue.json)"),
        _field("geography_code", "string", "ONS code of the place: the combined authority or one of its seven local authorities"),
        _field("geography_name", "string", "The place's name"),
        _field("breakdown_dimension", "string", "The breakdown (sex, age_band, ethnicity, disability, project); empty for the place's total"),
        _field("breakdown_group", "string", "The group within the breakdown; empty for the place's total"),
        _field("period", "string", "The reporting period as the plan names it, e.g. 2023-24 Q1"),
        _field("period_start", "date", "First day of the period"),
        _field("period_end", "date", "Last day of the period"),
        _field("value", "number", "The figure, in the indicator's unit; empty when missing"),
        _field("numerator", "number", "For a share: what is counted on top; empty otherwise or when suppressed"),
        _field("denominator", "number", "For a share: what is counted below; empty otherwise or when suppressed"),
        _field("missing", "string", "Why a value is missing: c suppressed, x not available, z not applicable", constraints={"enum": sorted(MISSING_SYMBOLS)}),
        _field("status", "string", "provisional or final", constraints={"enum": ["final", "provisional"]}),
        _field("illustrative", "boolean", "true for sample values, not published figures"),
    ],
    "missingValues": [""],
    "primaryKey": ["geography_code", "breakdown_dimension", "breakdown_group", "period_start", "period_end"],
}  # fmt: skip
REVISION_SCHEMA = {
    "fields": [
        _field("indicator_id", "string", "The indicator's id"),
        _field("geography_code", "string", "ONS code of the place"),
        _field("geography_name", "string", "The place's name"),
        _field("breakdown_dimension", "string", "The breakdown; empty for the place's total"),
        _field("breakdown_group", "string", "The group; empty for the place's total"),
        _field("period", "string", "The reporting period"),
        _field("change", "string", "revised (a different value), status (provisional to final or back) or withdrawn (no longer published)", constraints={"enum": ["revised", "status", "withdrawn"]}),
        _field("previous_value", "number", "The value in the previous release"),
        _field("value", "number", "The value in this release"),
        _field("previous_missing", "string", "Why the previous value was missing, if it was"),
        _field("missing", "string", "Why this value is missing, if it is"),
        _field("previous_status", "string", "Status in the previous release"),
        _field("status", "string", "Status in this release"),
    ],
    "missingValues": [""],
}  # fmt: skip


def resource(name: str, path: str, data: bytes, title: str, **extra: Any) -> dict[str, Any]:
    """A Data Package resource for one file, with its size and SHA-256 so a copy can be checked."""
    fmt = path.rsplit(".", 1)[1]
    return {
        "name": name,
        "path": path,
        "title": title,
        "format": fmt,
        "mediatype": {"csv": "text/csv", "json": "application/json"}[fmt],
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        **extra,
    }


def datapackage(resources: list[dict[str, Any]], *, title: str, release_date: str) -> bytes:
    """datapackage.json (Frictionless Data Package) describing every open data file."""
    return to_json(
        {
            "profile": "data-package",
            "name": "wmca-equity-inclusion-objective-2",
            "title": title,
            "description": (
                "Progress figures of the West Midlands Combined Authority's Equity and Inclusion Scheme "
                "2022-24, Objective 2, for the combined authority and its seven local authorities. "
                "Missing values: c suppressed to protect confidentiality, x not available, z not applicable."
            ),
            "version": release_date,
            "licenses": [LICENCE],
            "sources": [{"title": "West Midlands Combined Authority"}],
            "resources": resources,
        }
    )
