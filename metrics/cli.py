"""The `kpi` command of ../shared/spec/cli.md: what the Upload and Export pages do, scriptable.

Exit codes are part of the contract: 0 done, 1 the input was refused (nothing
written), 2 the command could not run (no such file, store busy or unreadable).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

from metrics import log
from metrics.catalogue import CatalogueError, default_catalogue
from metrics.store import STORE_ERRORS, StoreBusy, StoreUnavailable


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str))


def _table(rows: list[list[Any]], header: list[str]) -> str:
    cells = [header] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_init(args: argparse.Namespace) -> int:
    from metrics.setup import init_store

    result = init_store(args.db, sample=not args.no_sample)
    if result.migrations_applied:
        print(f"Store migrated: {len(result.migrations_applied)} step(s) applied.")
    else:
        print("Store is up to date: no migrations needed.")
    print("Plan and indicator catalogue loaded.")
    if result.sample_uploads:
        print(f"Sample data loaded: {result.sample_uploads} uploads.")
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from metrics.dashboard import plan

    themes = plan(db=args.db)
    if args.json:
        _print_json({"themes": themes})
        return 0
    for t in themes:
        print(f"{t['name']}\n  Outcome: {t['outcome']}")
        for a in t["actions"]:
            status = (a["status"] or "no status").replace("_", " ")
            linked = ", ".join(a["indicators"]) or "milestone (tracked by status)"
            print(f"  {a['id']:<5} [{status}] {a['text']}\n        indicators: {linked}")
        print()
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from metrics.publish import NothingToPublish, PublishRefused, publish

    when = None
    if args.release_time:
        try:
            when = dt.datetime.fromisoformat(args.release_time)
        except ValueError:
            print(
                f"kpi: --release-time must be a date and time like 2026-12-10T09:30, not '{args.release_time}'.",
                file=sys.stderr,
            )
            return 2
    try:
        done = publish(
            args.out, db=args.db, release_time=when, include_illustrative=args.include_illustrative
        )
    except (NothingToPublish, PublishRefused) as exc:
        print(f"kpi: {exc}", file=sys.stderr)
        return 1
    r = done.release
    print(
        f"Published the release of {r.release_time:%Y-%m-%d %H:%M} to {done.out}: {done.pages} pages, "
        f"{done.indicators} indicators, {len(done.files)} files in all."
    )
    print(f"It reflects uploads {', '.join(map(str, r.uploads))}.")
    for why, n in done.left_out.items():
        if n:
            print(f"Left out: {n} {why} upload{'s' if n != 1 else ''}.")
    if done.release_id is not None:
        print(f"Recorded as release {done.release_id} in the store (manifest: {done.out / 'manifest.json'}).")
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    from metrics.cycle import alerts
    from metrics.cycle.cli import cmd_digest

    if args.alerts_command == "list":
        rows = alerts.recent(db=args.db)
        if args.json:
            _print_json({"alerts": rows})
            return 0
        for r in rows:
            print(f"{r['id']}  {r['created_at']:%Y-%m-%d %H:%M}  {r['delivery']:5}  {r['subject']}")
        return 0
    return cmd_digest(args)


def cmd_indicators(args: argparse.Namespace) -> int:
    cat = default_catalogue()
    if args.json:
        _print_json({"indicators": [i.as_json() for i in cat.indicators]})
        return 0
    rows = []
    for i in cat.indicators:
        t = i.target
        target = f"{t.kind} {t.value:g}" + (f" by {t.date.isoformat()}" if t.date else "") if t else "none"
        rows.append(
            [i.id, i.theme, ",".join(i.actions), i.unit, f"{i.frequency} ({i.year_type or '-'})", target]
        )
    print(_table(rows, ["id", "theme", "actions", "unit", "frequency", "target"]))
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from metrics.upload import ingest_bytes

    path = Path(args.file)
    data = read_given_file(path)
    if data is None:
        return 2
    embargo = None
    if args.embargoed_until:
        try:
            embargo = dt.datetime.fromisoformat(args.embargoed_until)
        except ValueError:
            print(
                f"kpi: --embargoed-until must be a date and time like 2026-12-10T09:30, not "
                f"'{args.embargoed_until}'.",
                file=sys.stderr,
            )
            return 2
    report = ingest_bytes(
        data, path.name, db=args.db, user=args.user, dry_run=args.dry_run, embargoed_until=embargo
    )
    if not args.dry_run:
        log.event(
            "upload", report.status, user=args.user, upload=report.upload_id, file_name=report.file_name
        )
    alert = None
    if report.status == "committed":
        from metrics.cycle.alerts import after_upload

        alert = after_upload(report.upload_id, db=args.db)  # the verdicts it turned, to their owners
    if args.json:
        _print_json(report.as_json())
        return report.exit_code
    if report.status == "rejected":
        n = getattr(report.errors, "total", len(report.errors))
        print(
            f"Rejected: there {'is 1 problem' if n == 1 else f'are {n} problems'} with {path.name}. Nothing was written."
        )
    elif report.status == "dry_run":
        print(f"Checked {path.name} (dry run, nothing written).")
    else:
        print(f"Committed upload {report.upload_id} from {path.name}.")
        if alert is not None:
            how = "sent by e-mail" if alert.delivery == "smtp" else "kept in the dashboard"
            print(f"Alert {alert.id}: {alert.subject} ({how}).")
    print(
        f"Rows: {report.rows}; added: {report.inserted}; revised: {report.revised}; unchanged: {report.unchanged}."
    )
    print_problems(report)
    return report.exit_code


def print_problems(report) -> None:
    """A report's errors and warnings, one line each with where (kpi ingest and kpi commentary import)."""
    for kind, problems in (("Error", report.errors), ("Warning", report.warnings)):
        for p in problems:
            where = f"line {p.line}" if p.line else "file"
            col = f", column {p.column}" if p.column else ""
            print(f"{kind} ({where}{col}): {p.message}")
        if getattr(problems, "left_out", 0):
            print(f"... and {problems.left_out:,} more {kind.lower()}s not listed.")


def read_given_file(path: Path) -> bytes | None:
    """The bytes of a file named on the command line, or None once it has said why not (exit status 2)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        print(f"kpi: cannot read {path}: {exc.strerror}. Check the file name.", file=sys.stderr)
        return None


def cmd_uploads(args: argparse.Namespace) -> int:
    from metrics.dashboard import uploads

    rows = uploads(db=args.db)
    if args.json:
        _print_json({"uploads": rows})
        return 0
    print(
        _table(
            [
                [
                    r["id"],
                    r["uploaded_at"],
                    r["user_name"],
                    r["file_name"],
                    r["outcome"],
                    r["rows"],
                    r["inserted"],
                    r["revised"],
                    r["unchanged"],
                ]
                for r in rows
            ],
            ["id", "when", "who", "file", "outcome", "rows", "added", "revised", "unchanged"],
        )
    )
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    from metrics.upload.undo import NoSuchUpload, UndoRefused, undo

    try:
        result = undo(args.upload_id, db=args.db, user=args.user)
    except UndoRefused as exc:  # NoSuchUpload among them; the command adds where to look
        hint = " 'kpi uploads' lists the upload history." if isinstance(exc, NoSuchUpload) else ""
        print(f"kpi: {exc}{hint}", file=sys.stderr)
        return 1
    log.event("undo", "done", user=args.user, upload=result["upload_id"], file_name=result["file_name"])
    print(f"Upload {result['upload_id']} ({result['file_name']}) undone by {result['undone_by']}.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from metrics.dashboard import UnknownName, show
    from metrics.words import format_value, verdict_word

    try:
        shown = show(args.indicator, args.geography, args.breakdown, db=args.db)
    except UnknownName as exc:
        print(f"kpi: {exc} {exc.command_hint}".rstrip(), file=sys.stderr)
        return 1
    if args.json:
        _print_json(shown.as_json())
        return 0
    ind = shown.indicator
    print(f"{ind.name}: {shown.geography.name}")
    rows = []
    for p in shown.series:
        rows.append(
            [
                p.period,
                format_value(ind, p.value, p.missing),
                p.status,
                "derived" if p.derived else "",
                "illustrative" if p.illustrative else "",
            ]
        )
    print(_table(rows, ["period", "value", "status", "", ""]))
    pr = shown.progress
    print(pr.sentence)
    for place in pr.places or ():
        print(f"  {place.name}: {verdict_word(place.verdict)}. {place.reason}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kpi",
        description="Load and read the Equity and Inclusion dashboard's store (see shared/spec/cli.md).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument(
            "--db",
            help="the store: a DuckDB file or a postgresql:// URL (default: KPI_DB, else data/kpi.duckdb)",
        )
        p.set_defaults(func=func)
        return p

    p = add("init", cmd_init, "create or migrate the store and load the plan, catalogue and sample data")
    p.add_argument("--no-sample", action="store_true", help="do not load the sample data")
    p = add("plan", cmd_plan, "the action plan with each action's latest status")
    p.add_argument("--json", action="store_true")
    p = add("indicators", cmd_indicators, "the indicator catalogue")
    p.add_argument("--json", action="store_true")
    p = add("ingest", cmd_ingest, "check and load one upload file")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    p.add_argument("--json", action="store_true")
    p.add_argument("--user", default="local analyst", help="who is loading the file")
    p.add_argument(
        "--embargoed-until",
        metavar="TIME",
        help="the figures may not be published before this time, e.g. 2026-12-10T09:30 (kpi publish)",
    )
    p = add("publish", cmd_publish, "write the public release: a static website and open data")
    p.add_argument("--out", required=True, help="the folder to write the site to (replaced whole)")
    p.add_argument(
        "--release-time", metavar="TIME", help="the release's time, e.g. 2026-12-10T09:30 (default: now)"
    )
    p.add_argument(
        "--include-illustrative",
        action="store_true",
        help="publish illustrative sample data too, marked as illustrative on every page and file",
    )
    p = add("alerts", cmd_alerts, "the reporting cycle's messages: the list, or send the weekly digest")
    p.add_argument(
        "alerts_command",
        choices=("list", "digest"),
        help="list the alerts, or send the digest of what is due",
    )
    p.add_argument("--json", action="store_true")
    from metrics.cycle.cli import add_cycle_commands

    add_cycle_commands(add)
    p = add("uploads", cmd_uploads, "list uploads, newest first")
    p.add_argument("--json", action="store_true")
    p = add("undo", cmd_undo, "withdraw one upload")
    p.add_argument("upload_id", type=int)
    p.add_argument("--user", default="local analyst")
    p = add("show", cmd_show, "an indicator's current series and progress")
    p.add_argument("indicator")
    p.add_argument("--geography", help="ONS code or name (default: the combined authority)")
    p.add_argument("--breakdown", help="DIMENSION=VALUE, for example sex=Female")
    p.add_argument("--json", action="store_true")
    from metrics.export.cli import add_export_commands

    add_export_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # The reader stopped early (kpi plan | head): not an error of ours, and no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (StoreBusy, StoreUnavailable) as exc:  # exit 2: the store, not the request (cli.md)
        print(f"kpi: {exc}", file=sys.stderr)
        return 2
    except CatalogueError as exc:
        print(f"kpi: the catalogue has a problem: {exc}", file=sys.stderr)
        return 2
    except STORE_ERRORS as exc:  # a full disk, a damaged file, a lost server: the transaction was rolled back
        print(
            f"kpi: the store could not be read or written ({exc}). Nothing was changed; check the disk "
            "and the store, then run the command again.",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
