"""`kpi publish`: the public release built from the store as a folder of static files, then recorded.

One pass: choose the uploads the release may reflect (metrics.publish.release), read every current
value once as of that point, suppress what may not go out (metrics.disclose), work out the
verdicts on the same point, and render every page and data file into memory. The files are written
to a new folder beside the target and swapped in whole, so a reader (or a web server syncing the
folder) never sees half a release; only then is the release recorded in the store with the SHA-256
of every file. Nothing in the output depends on the clock beyond the release time asked for, so the
same store and options give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from metrics import clock
from metrics.asof import AsOf, Db
from metrics.catalogue import Catalogue, Indicator, default_catalogue
from metrics.dashboard import Shown, action_statuses, all_progress
from metrics.disclose import suppress
from metrics.publish import content, opendata
from metrics.publish.release import Release, choose, previous, record
from metrics.store import connect, fetch_dicts
from metrics.words import REPORT_EMAIL

HERE = Path(__file__).parent
SITE_TITLE = "Equity and Inclusion Scheme: Objective 2 progress"
ASSETS = ("assets/site.css",)


class PublishRefused(Exception):
    """The release cannot be written where asked; the message says what to change."""


@dataclass(frozen=True)
class Published:
    """What a run of `kpi publish` wrote: where, which release, and how many pages and data files."""

    out: Path
    release: Release
    release_id: int | None
    files: dict[str, str]  # path -> SHA-256
    indicators: int
    left_out: dict[str, int]

    @property
    def pages(self) -> int:
        return sum(1 for p in self.files if p.endswith(".html"))


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every value is text to show, never markup: uploaded names stay inert
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _read_rows(db: Db, as_of: AsOf) -> dict[str, list[dict[str, Any]]]:
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(con, "release_observations", as_of.params())
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["indicator_id"], []).append(r)
    return out


def _published(
    rows: dict[str, list[dict[str, Any]]], indicators: list[Indicator], catalogue: Catalogue
) -> dict[str, list[dict[str, Any]]]:
    # The eight places only: comparators (England, the region...) are context the site does not show yet.
    eight = {g.code for g in catalogue.geographies}
    return {
        i.id: suppress(i, [r for r in rows.get(i.id, []) if r["geography_code"] in eight], catalogue)
        for i in indicators
    }


def _key(r: dict[str, Any]) -> tuple:
    return (
        r["geography_code"],
        r["breakdown_dimension"] or "",
        r["breakdown_group"] or "",
        r["period_start"],
        r["period_end"],
    )


def revisions(
    now: dict[str, list[dict[str, Any]]], before: dict[str, list[dict[str, Any]]], names: dict[str, str]
) -> list[dict[str, Any]]:
    """Every published figure that differs from the previous release: a new value, a new status, or gone.

    Both sides are the published rows (after suppression), so a suppressed figure cannot leak through
    its revision. New periods are not revisions; they are simply in the new release.
    """
    out = []
    for ind_id in sorted(set(now) | set(before)):
        new = {_key(r): r for r in (opendata.data_row(x, names) for x in now.get(ind_id, []))}
        old = {_key(r): r for r in (opendata.data_row(x, names) for x in before.get(ind_id, []))}
        for k in sorted(old, key=str):
            o, n = old[k], new.get(k)
            if n is None:
                change = "withdrawn"
            elif (o["value"], o["missing"]) != (n["value"], n["missing"]):
                change = "revised"
            elif o["status"] != n["status"]:
                change = "status"
            else:
                continue
            out.append(
                {
                    "indicator_id": ind_id,
                    "geography_code": o["geography_code"],
                    "geography_name": o["geography_name"],
                    "breakdown_dimension": o["breakdown_dimension"],
                    "breakdown_group": o["breakdown_group"],
                    "period": o["period"],
                    "change": change,
                    "previous_value": o["value"],
                    "value": n["value"] if n else None,
                    "previous_missing": o["missing"],
                    "missing": n["missing"] if n else None,
                    "previous_status": o["status"],
                    "status": n["status"] if n else None,
                }
            )
    return out


def _release_lines(release: Release, left_out: dict[str, int], previous_release: Release | None) -> list[str]:
    lines = [
        f"Released {clock.long_date(release.date)}, at {release.release_time:%H:%M}, UK time.",
        f"It reflects {len(release.uploads)} upload{'s' if len(release.uploads) != 1 else ''} of figures "
        f"(upload numbers {', '.join(str(u) for u in release.uploads)}).",
    ]
    if left_out.get("embargoed"):
        lines.append(
            f"{left_out['embargoed']} upload(s) embargoed until after this release are not included."
        )
    if left_out.get("illustrative"):
        lines.append(f"{left_out['illustrative']} upload(s) of illustrative sample data are not included.")
    if previous_release:
        lines.append(f"The previous release was on {clock.long_date(previous_release.date)}.")
    else:
        lines.append("This is the first release.")
    return lines


@dataclass
class _Build:
    """Everything one release's files are made from, read once."""

    release: Release
    previous: Release | None
    catalogue: Catalogue
    public: list[Indicator]
    names: dict[str, str]
    rows: dict[str, list[dict[str, Any]]]  # published (suppressed) rows per indicator
    changes: list[dict[str, Any]]
    shown: dict[str, Shown]
    history: dict[str, list[dict]]
    left_out: dict[str, int]


def _gather(
    release: Release, previous_release: Release | None, db: Db, catalogue: Catalogue, left_out
) -> _Build:
    public = [i for i in catalogue.indicators if i.public]
    names = {g.code: g.name for g in catalogue.geographies}
    rows = _published(_read_rows(db, release.as_of), public, catalogue)
    before = _published(_read_rows(db, previous_release.as_of), public, catalogue) if previous_release else {}
    every = all_progress(db=db, today=release.date, catalogue=catalogue, as_of_upload=release.as_of)
    return _Build(
        release, previous_release, catalogue, public, names, rows, revisions(rows, before, names),
        {i.id: every[i.id] for i in public}, action_statuses(db=db, as_of_upload=release.as_of), left_out,
    )  # fmt: skip


def _data_files(b: _Build) -> dict[str, bytes]:
    """The open data: per indicator CSV and JSON, the catalogue, the revisions, and datapackage.json."""
    files: dict[str, bytes] = {}
    resources = []
    for ind in b.public:
        data = [opendata.data_row(r, b.names) for r in b.rows[ind.id]]
        progress = b.shown[ind.id].progress
        csv_bytes = opendata.to_csv(opendata.DATA_COLUMNS, data)
        json_bytes = opendata.to_json(
            {"indicator": opendata.indicator_entry(ind, b.catalogue), "release_date": b.release.date.isoformat(),
             "verdict": progress.verdict, "reason": progress.reason, "rows": data}
        )  # fmt: skip
        files[f"data/{ind.id}.csv"] = csv_bytes
        files[f"data/{ind.id}.json"] = json_bytes
        name = ind.id.replace("_", "-")
        resources.append(
            opendata.resource(name, f"data/{ind.id}.csv", csv_bytes, ind.name,
                              profile="tabular-data-resource", schema=opendata.DATA_SCHEMA)
        )  # fmt: skip
        resources.append(opendata.resource(f"{name}-json", f"data/{ind.id}.json", json_bytes, ind.name))
    cat = b.catalogue
    files["data/catalogue.json"] = opendata.to_json(
        {
            "objective": {"name": cat.objective_name, "text": cat.objective_text},
            "themes": [
                {"id": t.id, "name": t.name, "outcome": t.outcome,
                 "actions": [{"id": a.id, "text": a.text} for a in t.actions]}
                for t in cat.themes
            ],
            "indicators": [opendata.indicator_entry(i, cat) for i in b.public],
        }
    )  # fmt: skip
    files["data/revisions.csv"] = opendata.to_csv(opendata.REVISION_COLUMNS, b.changes)
    resources.append(
        opendata.resource("catalogue", "data/catalogue.json", files["data/catalogue.json"], "The catalogue")
    )
    resources.append(
        opendata.resource("revisions", "data/revisions.csv", files["data/revisions.csv"],
                          "Figures changed since the previous release",
                          profile="tabular-data-resource", schema=opendata.REVISION_SCHEMA)
    )  # fmt: skip
    files["datapackage.json"] = opendata.datapackage(
        resources, title=SITE_TITLE, release_date=b.release.date.isoformat()
    )
    return files


def _revisions_intro(changes: list, previous_date: dt.date | None) -> str:
    if previous_date is None:
        return "This is the first release, so no figure has been revised yet."
    when = clock.long_date(previous_date)
    if changes:
        return f"{len(changes)} published figure{'s' if len(changes) != 1 else ''} changed since the release of {when}."
    return f"No published figure has changed since the release of {when}."


def _pages(b: _Build) -> dict[str, bytes]:
    """Every HTML page: home, themes, indicators, revisions, open data, about."""
    env = _environment()
    illustrative = b.release.include_illustrative and any(s.illustrative for s in b.shown.values())
    cat = b.catalogue

    def page(template: str, root: str, title: str, section: str, crumbs: list, **ctx: Any) -> bytes:
        return env.get_template(template).render(
            page_title=title, site_title=SITE_TITLE, root=root, section=section, breadcrumbs=crumbs,
            release_date=clock.long_date(b.release.date), illustrative_notice=illustrative, **ctx,
        ).encode("utf-8")  # fmt: skip

    files = {
        "index.html": page(
            "home.html", "", "Progress", "home", [], **content.home(cat, b.shown, b.history, "")
        )
    }
    home_crumb = ("Progress", "../index.html")
    for t in cat.themes:
        ctx = content.theme(cat, t.id, b.shown, b.history, "../")
        files[f"themes/{t.id}.html"] = page("theme.html", "../", t.name, "home", [home_crumb], **ctx)
    previous_date = b.previous.date if b.previous else None
    by_id = {i.id: i for i in b.public}
    for ind in b.public:
        mine = [c for c in b.changes if c["indicator_id"] == ind.id]
        ctx = content.indicator(b.shown[ind.id], b.rows[ind.id], mine, previous_date, cat, "../")
        crumbs = [home_crumb, (cat.theme(ind.theme).name, f"../themes/{ind.theme}.html")]
        title = f"{ind.short_name}: {content.verdict_label(b.shown[ind.id].progress.verdict)}"
        files[f"indicators/{ind.id}.html"] = page("indicator.html", "../", title, "home", crumbs, **ctx)
    files["revisions.html"] = page(
        "revisions.html", "", "Revisions", "revisions", [],
        intro=_revisions_intro(b.changes, previous_date),
        header=["Indicator", "Place", "Breakdown", "Period", "What changed", "Before", "Now"],
        rows=[[by_id[c["indicator_id"]].short_name, *content.revision_line(by_id[c["indicator_id"]], c)]
              for c in b.changes],
    )  # fmt: skip
    files["data.html"] = page(
        "data.html", "", "Open data", "data", [],
        files=[{"id": i.id, "name": i.name, "href": f"indicators/{i.id}.html"} for i in b.public],
    )  # fmt: skip
    files["about.html"] = page(
        "about.html", "", "About these figures and accessibility", "about", [], report_email=REPORT_EMAIL,
        **content.about(_release_lines(b.release, b.left_out, b.previous), cat, b.release.include_illustrative),
    )  # fmt: skip
    return files


def build_files(
    release: Release,
    previous_release: Release | None,
    *,
    db: Db,
    catalogue: Catalogue,
    left_out: dict[str, int],
) -> tuple[dict[str, bytes], int]:
    """Every file of the release, by its path in the site, and the number of indicators published."""
    b = _gather(release, previous_release, db, catalogue, left_out)
    files = {**_data_files(b), **_pages(b)}
    for asset in ASSETS:
        files[asset] = (HERE / asset).read_bytes()
    manifest = {
        "release_time": release.release_time.isoformat(),
        "include_illustrative": release.include_illustrative,
        "uploads": list(release.uploads),
        "files": {path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items())},
    }
    files["manifest.json"] = opendata.to_json(manifest)
    return files, len(b.public)


def _write_whole(out: Path, files: dict[str, bytes]) -> None:
    """Write every file into a new folder beside `out`, then swap it in: never half a site."""
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise PublishRefused(f"{out} is a file. Choose a folder for --out.")
    if out.exists() and any(out.iterdir()) and not (out / "datapackage.json").exists():
        raise PublishRefused(
            f"{out} already holds files that are not a release. Choose an empty or new folder for --out, "
            "so nothing else is overwritten."
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        for path, data in sorted(files.items()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(staging, 0o755)
        old = None
        if out.exists():
            old = out.parent / f".{out.name}-old-{os.getpid()}"
            out.rename(old)
        staging.rename(out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def publish(
    out: str | os.PathLike[str],
    *,
    db: Db = None,
    release_time: dt.datetime | None = None,
    include_illustrative: bool = False,
    catalogue: Catalogue | None = None,
    record_release: bool = True,
) -> Published:
    """Build the release at `release_time` (default now) into `out`, and record it in the store."""
    catalogue = catalogue or default_catalogue()
    release_time = release_time or clock.now()
    release = choose(db=db, release_time=release_time, include_illustrative=include_illustrative)
    left_out = _left_out(db, release)
    previous_release = previous(db=db, release_time=release_time)
    files, count = build_files(release, previous_release, db=db, catalogue=catalogue, left_out=left_out)
    _write_whole(Path(out), files)
    manifest = json.loads(files["manifest.json"])
    release_id = None
    if record_release:
        release_id = record(release, manifest, db=db, built_at=clock.now())
    return Published(Path(out), release, release_id, manifest["files"], count, left_out)


def _left_out(db: Db, release: Release) -> dict[str, int]:
    """How many committed uploads the release leaves out, and why: said on the About page."""
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(con, "release_uploads", {})
    counted = set(release.uploads)
    out = {"embargoed": 0, "illustrative": 0}
    for r in rows:
        if r["outcome"] != "committed" or r["id"] in counted:
            continue
        if r["release_time"] > release.release_time:
            out["embargoed"] += 1
        elif r["illustrative"]:
            out["illustrative"] += 1
    return out
