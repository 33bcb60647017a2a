"""`kpi due`, `kpi digest` and `kpi commentary export|import`: the reporting cycle from a script or a cron job.

    kpi due [--owner NAME] [--json]
    kpi digest
    kpi commentary export --out FILE [--owner NAME]
    kpi commentary import FILE [--json] [--user NAME]

Exit status, as for uploads (shared/spec/cli.md): 0 done (an import that changes nothing included);
1 a commentary file rejected, nothing written; 2 could not run (no such file, the store busy or
unavailable, a file that cannot be written).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

Add = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def due_items(q, *, owner: str | None, roles) -> list[dict[str, Any]]:
    """`kpi due --json`: each item's kind, id, period, owner and state (done, due or late), and why."""
    from metrics.cycle.owners import owned_by

    out = []
    for i in q.items:
        if owner is not None and not owned_by(i.owner, owner, roles):
            continue
        out.append(
            {
                "kind": i.subject.kind,
                "id": i.subject.id,
                "name": i.subject.name,
                "period": q.period.label,
                "owner": i.owner,
                "state": "done" if i.done else ("late" if q.late else "due"),
                "due_date": q.due.isoformat(),
                "commentary": i.commentary or "not started",
                "commentary_required": i.commentary_required,
                "figures": i.figures,
                "verdict": i.verdict,
            }
        )
    return out


def cmd_due(args: argparse.Namespace) -> int:
    from metrics.auth import load_roles
    from metrics.cycle import due

    q = due.quarter_items(db=args.db)
    items = due_items(q, owner=args.owner, roles=load_roles())
    if args.json:
        _print_json(items)
        return 0
    open_items = [i for i in items if i["state"] != "done"]
    print(
        f"{q.period.label}: updates {'were' if q.late else 'are'} due by {q.due:%d %B %Y}. "
        f"{len(open_items)} of {len(items)} item{'s' if len(items) != 1 else ''} not done"
        + (f" for {args.owner}." if args.owner else ".")
    )
    for i in open_items:
        need = ", needed in full" if i["commentary_required"] and i["commentary"] != "approved" else ""
        print(
            f"  {i['state']:4}  {i['kind']} {i['id']}: commentary {i['commentary']}{need}; {i['figures']}. Owner: {i['owner']}"
        )
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    """The weekly digest: one message per person listing what they owe (kept, and sent when SMTP is set)."""
    from metrics import clock
    from metrics.auth import load_roles
    from metrics.cycle import alerts, due

    roles = load_roles()
    q = due.quarter_items(db=args.db)
    by_person: dict[str, list] = {}
    for item in q.items:
        for person in roles.people(item.owner):
            by_person.setdefault(person, []).append(item)
    sent = 0
    for person, items in sorted(by_person.items()):
        subject, body = due.digest_text(q, items)
        alerts.keep("digest", None, (person,), subject, body, db=args.db, now=clock.now())
        sent += 1
    print(
        f"Digest for {q.period.label}: {sent} message{'s' if sent != 1 else ''} kept"
        + (" and sent." if os.environ.get("KPI_SMTP_HOST") else " in the dashboard (no SMTP set up).")
    )
    if not by_person:
        print("No owner has an e-mail address: list team members under [teams] in the roles file.")
    return 0


def cmd_commentary(args: argparse.Namespace) -> int:
    from metrics.auth import LOCAL_ANALYST, load_roles
    from metrics.cli import print_problems, read_given_file
    from metrics.cycle import sheet
    from metrics.export.cli import write_whole

    if args.commentary_command == "export":
        if not args.out:
            print(
                "kpi: give the file to write with --out, for example --out commentary.csv.", file=sys.stderr
            )
            return 2
        data = sheet.export_csv(db=args.db, owner=args.owner, roles=load_roles())
        try:
            write_whole(args.out, data)
        except OSError as exc:
            print(
                f"kpi: cannot write {args.out}: {exc.strerror or exc}. Choose a folder you can write to.",
                file=sys.stderr,
            )
            return 2
        rows = sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))) - 1
        print(
            f"Wrote {rows} row{'s' if rows != 1 else ''} of commentary (indicators and actions) to {args.out}."
        )
        return 0
    if not args.file:
        print(
            "kpi: give the commentary file to import, for example kpi commentary import commentary.csv.",
            file=sys.stderr,
        )
        return 2
    path = Path(args.file)
    data = read_given_file(path)
    if data is None:
        return 2
    user = dataclasses.replace(LOCAL_ANALYST, id=args.user, name=args.user)  # the person at the machine
    report = sheet.import_csv(data, path.name, user, db=args.db)
    if args.json:
        _print_json(report.as_json())
        return report.exit_code
    if report.status == "rejected":
        n = report.errors.total
        print(
            f"Rejected: there {'is 1 problem' if n == 1 else f'are {n} problems'} with {path.name}. Nothing was written."
        )
    else:
        print(
            f"Imported {path.name}: {report.added} new version{'s' if report.added != 1 else ''}, {report.unchanged} unchanged."
        )
    print_problems(report)
    return report.exit_code


def add_cycle_commands(add: Add) -> None:
    p = add(
        "due", cmd_due, "what each owner owes for the quarter being reported: figures, statuses, commentary"
    )
    p.add_argument("--owner", help="only this owner's items: an e-mail address or a team's name")
    p.add_argument("--json", action="store_true")
    add("digest", cmd_digest, "send each owner the weekly digest of what is due (kept in the dashboard too)")
    p = add("commentary", cmd_commentary, "owners' commentary as a CSV file: export it, or import it back")
    p.add_argument("commentary_command", choices=("export", "import"), metavar="export|import")
    p.add_argument("file", nargs="?", help="import: the commentary CSV file to read")
    p.add_argument("--out", help="export: the CSV file to write")
    p.add_argument("--owner", help="export: only this owner's indicators and actions")
    p.add_argument("--json", action="store_true", help="import: print the report as JSON")
    p.add_argument("--user", default="local analyst", help="import: who is writing the commentary")
