"""`kpi export ...`: the Export page's board-paper files, scriptable, from the same code.

    kpi export chart INDICATOR [--geography G] [--breakdown DIM=VALUE] [--from P --to P]
                     [--by places|tiles|similar|schemes|DIMENSION] --format png|svg --out FILE
    kpi export data INDICATOR [--geography G] [--breakdown DIM=VALUE] [--from P --to P]
                    [--by places|tiles|similar|schemes|DIMENSION] --format csv|xlsx --out FILE
    kpi export pack [--theme ID] --format pptx|docx --out FILE
                    [--keep --board NAME --presented-on DATE] [--as-of-upload N --undone IDS --status-date DATE]
    kpi export archive [--json]
    kpi export rebuild PACK_ID --out FILE

Exit status: 0 written; 1 the request was refused (unknown name, bad option), nothing
written; 2 it could not run (no Chromium for a chart, store unavailable, cannot write
the file). A file is written whole or not at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from metrics.errors import KpiError

EXPORT_HELP = "board-paper exports: a chart, the data behind it, a board pack, the archive of packs"


class _Refused(KpiError):  # a KpiError is an Exception, as before
    """Raised inside a command for exit status 1 with its message."""


def _fail(message: str, code: int) -> int:
    print(f"kpi: {message}", file=sys.stderr)
    return code


def _format(args: argparse.Namespace, allowed: tuple[str, ...]) -> str:
    fmt = (args.format or Path(args.out).suffix.lstrip(".")).lower()
    if fmt not in allowed:
        raise _Refused(
            f"Give the format with --format {'|'.join(allowed)} (or an --out file ending in "
            f"{' or '.join('.' + a for a in allowed)}), not '{fmt or 'nothing'}'."
        )
    return fmt


def _date(text: str | None, what: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise _Refused(f"Write {what} as a date like 2026-11-26, not '{text}'.") from exc


def write_whole(path: str | os.PathLike[str], data: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, renamed over it once complete."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write(args: argparse.Namespace, data: bytes, what: str) -> int:
    try:
        write_whole(args.out, data)
    except OSError as exc:
        return _fail(f"cannot write {args.out}: {exc.strerror or exc}. Choose a folder you can write to.", 2)
    print(f"Wrote {what} to {args.out} ({len(data):,} bytes).")
    return 0


def _shown(args: argparse.Namespace):
    from metrics.dashboard import UnknownName, show

    try:
        return show(args.indicator, args.geography, args.breakdown, db=args.db)
    except UnknownName as exc:
        raise _Refused(f"{exc} {exc.command_hint}".rstrip()) from exc


def _view(args: argparse.Namespace, shown, *, chart: bool) -> str:
    """The view --by asks for (metrics.export.chartfiles.views_of), the trend when none is asked."""
    from metrics.export.chartfiles import SCHEMES, TREND, views_of

    if args.by is None:
        return TREND
    by = args.by.strip().lower().replace(" ", "_")
    if chart and by == "project":
        by = SCHEMES  # a chart of every scheme's bar is the scheme chart, the lowest first
    views = views_of(shown.indicator, place=shown.geography)
    if by not in views or by == TREND:
        takes = [v for v in views if v != TREND]
        if not chart and "project" in shown.indicator.breakdowns:
            takes.append("project")  # every scheme in every period, as a data file
        raise _Refused(
            f"{shown.indicator.id} cannot be broken down by '{args.by}'. Use --by with one of: {', '.join(takes)}."
        )
    return by


def _periods(args: argparse.Namespace, shown) -> tuple[str | None, str | None]:
    """--from and --to, each a period the series has, in time order."""
    labels = [p.period for p in sorted(shown.series, key=lambda p: (p.start, p.end))]
    first, last = args.from_period, args.to_period
    for asked in (first, last):
        if asked is not None and asked not in labels:
            span = f"between {labels[0]} and {labels[-1]}" if labels else "none: the series has no figures"
            raise _Refused(f"'{asked}' is not a period of this series. Its periods are {span}.")
    if first and last and labels.index(first) > labels.index(last):
        first, last = last, first
    return first, last


def cmd_chart(args: argparse.Namespace) -> int:
    """`kpi export chart`: the chart of a series (the seven authorities where it has no figure), or of
    another view with --by: places, tiles, similar (an authority beside its statistical neighbours),
    schemes or a breakdown such as sex.

    The file carries its title and text description; the description is printed too, as the alt
    text to give the picture wherever it is put.
    """
    from metrics.export.chartfiles import view_files
    from metrics.export.images import CHART_FORMATS
    from metrics.export.renderer import NoChromium, RenderFailed, chromium_problem
    from metrics.words import clean_text

    fmt = _format(args, CHART_FORMATS)
    shown = _shown(args)
    view = _view(args, shown, chart=True)
    first, last = _periods(args, shown)
    problem = chromium_problem()
    if problem:
        return _fail(problem, 2)
    chart = view_files(shown, view, db=args.db, first=first, last=last).chart
    try:
        data = chart.image(fmt, args.size)
    except (NoChromium, RenderFailed) as exc:
        return _fail(str(exc), 2)
    code = _write(args, data, f"the chart of {shown.indicator.id} ({fmt.upper()}, {args.size} width)")
    if code == 0:
        print(
            f"Alt text (also kept in the file): {clean_text(chart.description)}"
        )  # scheme names are uploaded text
    return code


def cmd_data(args: argparse.Namespace) -> int:
    """`kpi export data`: the series, or with --by the seven authorities (places, tiles), every scheme of
    the newest period (schemes), or a breakdown by period (sex, ..., project), as CSV or Excel."""
    from metrics import dashboard
    from metrics.export.chartfiles import view_files
    from metrics.export.files import DATA_FORMATS, data_file
    from metrics.export.tables import breakdown_table

    fmt = _format(args, tuple(DATA_FORMATS))
    shown = _shown(args)
    ind = shown.indicator
    by = (args.by or "").strip().lower().replace(" ", "_")
    if by == "project" and by in ind.breakdowns:
        # Every scheme in every period (the newest period's list is --by schemes): a breakdown's table.
        as_at = dashboard.freshness(db=args.db).data_as_at
        frame = dashboard.breakdown_series(ind, shown.geography, by, db=args.db)
        table = breakdown_table(ind, shown.geography, by, frame, as_at, shown.illustrative)
    else:
        first, last = _periods(args, shown)
        table = view_files(shown, _view(args, shown, chart=False), db=args.db, first=first, last=last).data
    return _write(args, data_file(table, fmt), f"the data for {ind.id} ({fmt.upper()})")


def _as_of(args: argparse.Namespace):
    from metrics.dashboard import AsOf

    if args.as_of_upload is None:
        if args.undone:
            raise _Refused("--undone goes with --as-of-upload: give the upload the pack was built as at.")
        return None
    try:
        undone = tuple(sorted(int(x) for x in (args.undone or "").split(",") if x.strip()))
    except ValueError as exc:
        raise _Refused(
            f"Write --undone as upload ids separated by commas, like 7,9, not '{args.undone}'."
        ) from exc
    return AsOf(args.as_of_upload, undone)


def cmd_pack(args: argparse.Namespace) -> int:
    """`kpi export pack`: a board pack, kept in the archive with --keep."""
    from metrics.export.archive import keep
    from metrics.export.build import PACK_FORMATS, build_pack
    from metrics.export.pack import PackRefused
    from metrics.export.renderer import NoChromium, RenderFailed, chromium_problem

    fmt = _format(args, PACK_FORMATS)
    presented_on = _date(args.presented_on, "--presented-on")
    status_date = _date(args.status_date, "--status-date")
    if args.keep and not (args.board or "").strip():
        raise _Refused("--keep needs --board: the name of the board or meeting, for example 'WMCA Board'.")
    problem = chromium_problem()
    if problem:
        return _fail(problem.replace("Charts cannot", "The board pack's charts cannot"), 2)
    try:
        pack = build_pack(args.theme, fmt, db=args.db, as_of=_as_of(args), status_date=status_date)
    except PackRefused as exc:
        raise _Refused(str(exc)) from exc
    except (NoChromium, RenderFailed) as exc:
        return _fail(str(exc), 2)
    code = _write(args, pack.data, f"the board pack '{pack.title}' ({fmt})")
    if code:
        return code
    print(pack.provenance.footer(fmt))
    if args.keep:
        from metrics import clock

        kept = keep(
            pack,
            board=args.board,
            presented_on=presented_on or clock.today(),
            user=args.user,
            db=args.db,
        )
        print(f"Kept as presented: pack {kept} for {args.board.strip()}.")
    return 0


def _row_json(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date | dt.datetime) else v) for k, v in row.items()}


def cmd_archive(args: argparse.Namespace) -> int:
    """`kpi export archive`: the packs kept as presented."""
    from metrics.export.archive import archive

    rows = archive(db=args.db)
    if args.json:
        print(json.dumps({"packs": [_row_json(r) for r in rows]}, ensure_ascii=False))
        return 0
    if not rows:
        print(
            "No packs have been kept as presented yet. Keep one with 'kpi export pack ... --keep --board NAME'."
        )
        return 0
    for r in rows:
        theme = r["theme_id"] or "whole objective"
        print(
            f"{r['id']:>3}  {r['presented_on'].isoformat()}  {r['board']}  {theme}  {r['format']}  "
            f"as at upload {r['as_of_upload']}  {r['file_name']}"
        )
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    """`kpi export rebuild`: a kept pack built again, saying whether it is the same file."""
    from metrics.export.archive import rebuild
    from metrics.export.pack import PackRefused
    from metrics.export.renderer import NoChromium, RenderFailed, chromium_problem

    problem = chromium_problem()
    if problem:
        return _fail(problem.replace("Charts cannot", "The board pack's charts cannot"), 2)
    try:
        pack, rec = rebuild(args.pack_id, db=args.db)
    except PackRefused as exc:
        raise _Refused(str(exc)) from exc
    except (NoChromium, RenderFailed) as exc:
        return _fail(str(exc), 2)
    code = _write(
        args, pack.data, f"pack {args.pack_id} as presented to {rec['board']} on {rec['presented_on']}"
    )
    if code:
        return code
    same = pack.sha256 == rec["sha256"]
    print(
        "It is identical to the file kept on the day."
        if same
        else "It differs from the file kept on the day: the indicator catalogue or the software has changed "
        "since, though the figures are read from the same uploads."
    )
    return 0


def _run(func):
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except _Refused as exc:
            return _fail(str(exc), 1)

    return wrapped


def add_export_commands(sub: argparse._SubParsersAction) -> None:
    """Add `kpi export ...` to the kpi parser (called from metrics.cli.build_parser)."""
    export_parser = sub.add_parser("export", help=EXPORT_HELP, description=EXPORT_HELP)
    esub = export_parser.add_subparsers(dest="export_command", required=True, metavar="EXPORT")

    def add(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = esub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--db", help="the store (default: KPI_DB, else data/kpi.duckdb)")
        p.set_defaults(func=_run(func))
        return p

    def series_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("indicator")
        p.add_argument("--geography", help="ONS code or name (default: the combined authority)")
        p.add_argument("--breakdown", help="DIMENSION=VALUE, for example sex=Female")
        p.add_argument("--from", dest="from_period", help="the first period to show, for example 2023-24 Q1")
        p.add_argument("--to", dest="to_period", help="the last period to show, for example 2024-25 Q4")

    p = add("chart", cmd_chart, "an indicator's chart as PNG or SVG, ready for a board paper")
    series_options(p)
    p.add_argument(
        "--by",
        help="another view: places (the seven compared), tiles (the tile map), schemes, or a breakdown, e.g. sex",
    )
    p.add_argument("--format", choices=("png", "svg"), help="png or svg (default: from --out)")
    p.add_argument(
        "--size",
        choices=("full", "half"),
        default="full",
        help="a paper's full or half page width (default: full)",
    )
    p.add_argument("--out", required=True, help="the file to write")

    p = add("data", cmd_data, "the data behind a chart or table as CSV or Excel, with its header block")
    series_options(p)
    p.add_argument(
        "--by",
        help="places (the seven authorities' latest values), schemes (every scheme, newest period) or a "
        "breakdown by period, e.g. sex or project",
    )
    p.add_argument("--format", choices=("csv", "xlsx"), help="csv or xlsx (default: from --out)")
    p.add_argument("--out", required=True, help="the file to write")

    p = add("pack", cmd_pack, "a board pack for one theme or the whole objective, as PowerPoint or Word")
    p.add_argument("--theme", help="a theme id from 'kpi plan' (default: the whole objective)")
    p.add_argument("--format", choices=("pptx", "docx"), help="pptx or docx (default: from --out)")
    p.add_argument("--out", required=True, help="the file to write")
    p.add_argument("--keep", action="store_true", help="keep it in the archive of packs as presented")
    p.add_argument("--board", help="with --keep: the board or meeting it is presented to")
    p.add_argument("--presented-on", help="with --keep: the date it is presented (default: today)")
    p.add_argument("--user", default="local analyst", help="with --keep: who is keeping it")
    p.add_argument("--as-of-upload", type=int, help="build from the data as it stood at this upload")
    p.add_argument("--undone", help="with --as-of-upload: the uploads then undone, e.g. 7,9")
    p.add_argument("--status-date", help="judge statuses at this date (default: today)")

    p = add("archive", cmd_archive, "the board packs kept as presented, newest first")
    p.add_argument("--json", action="store_true")

    p = add("rebuild", cmd_rebuild, "build a kept pack again from the data as it stood when it was kept")
    p.add_argument("pack_id", type=int)
    p.add_argument("--out", required=True, help="the file to write")
