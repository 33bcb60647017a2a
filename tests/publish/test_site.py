"""`kpi publish` as a reader and a re-user of the data meet it: the files, their links, what they leave out.

Each test builds a release from a copy of the sample store (on DuckDB and on PostgreSQL: the release
reads and records through the same SQL files), sometimes after an analyst's upload, and reads the
bytes written: pages, CSV, JSON, datapackage.json, the manifest and the release's record in the store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import http.server
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from metrics.catalogue import default_catalogue
from metrics.publish import NothingToPublish, PublishRefused, publish
from metrics.upload import VALUE_COLUMNS, ingest_bytes
from tests.stores import open_store, query

pytestmark = pytest.mark.both_engines

RELEASE = dt.datetime(2026, 11, 26, 9, 30)
LATER = dt.datetime(2026, 12, 10, 9, 30)
BIRMINGHAM = "E08000025"
RATE = "employment_rate_16_64"  # real figures in the sample, a percentage
COUNT = "apprenticeship_starts"  # real totals, breakdowns by sex and more


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    lines = [",".join(VALUE_COLUMNS)]
    lines += [",".join(r.get(c, "") for c in VALUE_COLUMNS) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def upload(store, rows, name="analyst.csv", **kwargs) -> int:
    report = ingest_bytes(csv_bytes(rows), name, db=store, user="analyst", **kwargs)
    assert report.status == "committed", [p.as_json() for p in report.errors]
    return report.upload_id


def every_file(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def read_csv(site: Path, name: str) -> list[dict[str, str]]:
    import csv

    with (site / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_same_store_and_options_give_the_same_bytes_and_the_release_is_recorded(sample_store, tmp_path):
    first = publish(tmp_path / "a", db=sample_store, release_time=RELEASE)
    second = publish(tmp_path / "b", db=sample_store, release_time=RELEASE)
    a, b = every_file(tmp_path / "a"), every_file(tmp_path / "b")
    assert a == b
    assert first.release_id == second.release_id == 1  # built twice, recorded once
    manifest = json.loads(a["manifest.json"])
    assert manifest["uploads"] == list(first.release.uploads)
    for path, digest in manifest["files"].items():
        assert hashlib.sha256(a[path]).hexdigest() == digest, path
    assert set(manifest["files"]) == set(a) - {"manifest.json"}
    with open_store(sample_store, read_only=True) as con:
        rows = query(con, "SELECT id, release_time, uploads, manifest FROM release")
    assert len(rows) == 1
    stored = rows[0][3] if isinstance(rows[0][3], dict) else json.loads(rows[0][3])
    assert stored == manifest
    assert list(rows[0][2]) == manifest["uploads"]


def test_illustrative_data_stays_out_unless_asked_for_and_is_marked_when_in(sample_store, tmp_path):
    real = publish(tmp_path / "real", db=sample_store, release_time=RELEASE)
    files = every_file(tmp_path / "real")
    assert real.left_out["illustrative"] >= 1
    for name, data in files.items():
        if name.endswith(".csv") and name.startswith("data/") and name != "data/revisions.csv":
            assert b",true\n" not in data, name  # the illustrative column is false on every row
        if name.endswith(".html"):
            assert b"(illustrative)" not in data, name
    assert b"illustrative sample data are not included" in files["about.html"]
    # The SCF schemes are all illustrative in the sample: their page says there are no figures.
    scf = files["indicators/affordable_housing_share_scf.html"].decode()
    assert "No data" in scf
    shown = publish(tmp_path / "shown", db=sample_store, release_time=RELEASE, include_illustrative=True)
    files = every_file(tmp_path / "shown")
    assert shown.left_out["illustrative"] == 0
    scf = files["indicators/affordable_housing_share_scf.html"].decode()
    assert "Illustrative data." in scf and "(illustrative)" in scf
    assert any(
        r["illustrative"] == "true" for r in read_csv(tmp_path / "shown", "affordable_housing_share_scf")
    )


def test_an_embargoed_upload_goes_out_only_in_a_release_at_or_after_its_time(sample_store, tmp_path):
    before = publish(tmp_path / "before", db=sample_store, release_time=RELEASE)
    old = {
        r["period"]: r["value"]
        for r in read_csv(tmp_path / "before", RATE)
        if r["geography_code"] == BIRMINGHAM and not r["breakdown_dimension"]
    }
    period = max(old)
    uid = upload(
        sample_store,
        [
            {
                "indicator_id": RATE,
                "period": period,
                "geography": BIRMINGHAM,
                "value": "99.5",
                "status": "final",
            }
        ],
        embargoed_until=LATER,
    )
    early = publish(tmp_path / "early", db=sample_store, release_time=LATER - dt.timedelta(minutes=1))
    assert uid not in early.release.uploads and early.left_out["embargoed"] == 1
    rows = read_csv(tmp_path / "early", RATE)
    assert {
        r["value"]
        for r in rows
        if r["geography_code"] == BIRMINGHAM and r["period"] == period and not r["breakdown_dimension"]
    } == {old[period]}
    assert b"99.5" not in b"".join(every_file(tmp_path / "early").values())
    after = publish(tmp_path / "after", db=sample_store, release_time=LATER)
    assert uid in after.release.uploads
    rows = read_csv(tmp_path / "after", RATE)
    assert [
        r["value"]
        for r in rows
        if r["geography_code"] == BIRMINGHAM and r["period"] == period and not r["breakdown_dimension"]
    ] == ["99.5"]
    # The revisions: the previous release is the early one, and the change is listed in the file and pages.
    revised = read_csv(tmp_path / "after", "revisions")
    assert [
        (r["indicator_id"], r["geography_code"], r["period"], r["change"], r["previous_value"], r["value"])
        for r in revised
    ] == [(RATE, BIRMINGHAM, period, "revised", old[period], "99.5")]
    page = (tmp_path / "after" / "revisions.html").read_text(encoding="utf-8")
    assert "1 published figure changed since the release of 10 December 2026" in page
    assert "99.5%" in (tmp_path / "after" / "indicators" / f"{RATE}.html").read_text(encoding="utf-8")
    assert before.release.uploads == early.release.uploads


def test_small_groups_are_suppressed_in_every_file_with_the_cell_that_would_give_them_away(
    sample_store, tmp_path
):
    # 3 women of 4,324 starts: too few to publish; the 4,321 men would give the 3 back from the
    # published total, so neither figure may appear in any file.
    upload(
        sample_store,
        [
            {"indicator_id": COUNT, "period": "2025-26", "geography": BIRMINGHAM, "value": "4324", "status": "final"},
            {"indicator_id": COUNT, "period": "2025-26", "geography": BIRMINGHAM, "value": "3", "breakdown_dimension": "sex", "breakdown_value": "Female", "status": "final"},
            {"indicator_id": COUNT, "period": "2025-26", "geography": BIRMINGHAM, "value": "4321", "breakdown_dimension": "sex", "breakdown_value": "Male", "status": "final"},
        ],
    )  # fmt: skip
    publish(tmp_path / "site", db=sample_store, release_time=RELEASE)
    site = tmp_path / "site"
    cells = [
        r for r in read_csv(site, COUNT) if r["breakdown_dimension"] == "sex" and r["period"] == "2025-26"
    ]
    assert {r["breakdown_group"]: (r["value"], r["missing"]) for r in cells} == {
        "Female": ("", "c"),
        "Male": ("", "c"),
    }
    doc = json.loads((site / "data" / f"{COUNT}.json").read_text(encoding="utf-8"))
    assert [(r["breakdown_group"], r["value"], r["missing"]) for r in doc["rows"] if r["breakdown_dimension"] == "sex"] == [
        ("Female", None, "c"), ("Male", None, "c"),
    ]  # fmt: skip
    everything = b"\n".join(every_file(site).values())
    assert b"4324" in everything and b"4,324" in everything  # the total is published
    for secret in (b"4321", b"4,321"):
        assert secret not in everything, secret
    page = (site / "indicators" / f"{COUNT}.html").read_text(encoding="utf-8")
    assert "In 2025-26: 2 figures are suppressed (c)" in page
    assert re.search(r"<th scope=\"row\">Female</th><td>c</td>", page)
    assert re.search(r"<th scope=\"row\">Male</th><td>c</td>", page)


def test_uploaded_names_are_text_on_every_page_and_never_a_formula_in_a_csv(sample_store, tmp_path):
    name = '=HYPERLINK("http://x")<script>alert(1)</script>'
    upload(
        sample_store,
        [{"indicator_id": "affordable_housing_share_scf", "period": "2026-27 Q2", "geography": BIRMINGHAM,
          "numerator": "30", "denominator": "100", "value": "30", "breakdown_dimension": "project",
          "breakdown_value": name.replace('"', '""').join('""'), "status": "provisional"}],
    )  # fmt: skip
    publish(tmp_path / "site", db=sample_store, release_time=RELEASE)
    site = tmp_path / "site"
    for path, data in every_file(site).items():
        if path.endswith((".html", ".svg")):
            assert b"<script>" not in data, path  # the data files keep the name as it was sent
    page = (site / "indicators" / "affordable_housing_share_scf.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    cells = [
        r["breakdown_group"]
        for r in read_csv(site, "affordable_housing_share_scf")
        if r["breakdown_dimension"] == "project"
    ]
    assert cells == ["'" + name]
    doc = json.loads((site / "data" / "affordable_housing_share_scf.json").read_text(encoding="utf-8"))
    assert [r["breakdown_group"] for r in doc["rows"] if r["breakdown_dimension"] == "project"] == [name]


def test_an_indicator_not_marked_public_is_in_no_page_and_no_file(sample_store, tmp_path):
    cat = default_catalogue()
    hidden = "employment_rate_16_64"
    cat = dataclasses.replace(
        cat, indicators=tuple(dataclasses.replace(i, public=i.id != hidden) for i in cat.indicators)
    )
    publish(tmp_path / "site", db=sample_store, release_time=RELEASE, catalogue=cat)
    files = every_file(tmp_path / "site")
    assert not [p for p in files if hidden in p]
    assert not [p for p, data in files.items() if hidden.encode() in data]
    assert (
        b"1 more indicator is tracked for this theme but not published." in files["themes/job_creation.html"]
    )


def test_every_link_between_pages_and_files_resolves_when_served(sample_store, tmp_path):
    publish(tmp_path / "site", db=sample_store, release_time=RELEASE, include_illustrative=True)
    site = tmp_path / "site"
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    broken, fetched = [], {}
    try:
        pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
        assert len(pages) >= 30
        for page in pages:
            for target in _links(_get(base + page, fetched)[1].decode("utf-8")):
                if re.match(r"^(https?:|mailto:)", target):
                    continue
                url, _, fragment = urllib.parse.urljoin(base + page, target).partition("#")
                status, body = _get(url, fetched)
                if status != 200:
                    broken.append(f"{page} -> {target} ({status})")
                elif fragment and f'id="{fragment}"'.encode() not in body:
                    broken.append(f"{page} -> {target} (no such anchor)")
    finally:
        server.shutdown()
        server.server_close()
    assert not broken, "\n".join(broken)
    assert base + "datapackage.json" in fetched and base + "assets/site.css" in fetched


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def _get(url: str, cache: dict[str, tuple[int, bytes]]) -> tuple[int, bytes]:
    if url not in cache:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
                cache[url] = (response.status, response.read())
        except urllib.error.HTTPError as exc:
            cache[url] = (exc.code, b"")
    return cache[url]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.found.append(value)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.found


def test_the_data_package_is_valid_by_the_frictionless_standard_tools(sample_store, tmp_path):
    from frictionless import Package, validate

    publish(tmp_path / "site", db=sample_store, release_time=RELEASE, include_illustrative=True)
    report = validate(str(tmp_path / "site" / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:10]
    package = Package(str(tmp_path / "site" / "datapackage.json"))
    paths = {r.path for r in package.resources}
    assert {"data/catalogue.json", "data/revisions.csv", "data/affordable_housing_share_scf.csv"} <= paths


def test_nothing_is_written_where_a_release_is_refused(sample_store, tmp_path):
    other = tmp_path / "documents"
    other.mkdir()
    (other / "board paper.docx").write_bytes(b"keep me")
    with pytest.raises(PublishRefused, match="not a release"):
        publish(other, db=sample_store, release_time=RELEASE)
    assert [p.name for p in other.iterdir()] == ["board paper.docx"]
    with pytest.raises(NothingToPublish, match="Choose a later --release-time"):
        publish(tmp_path / "early", db=sample_store, release_time=dt.datetime(2000, 1, 1))
    assert not (tmp_path / "early").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no half-written folder left
