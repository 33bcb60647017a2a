"""The board pack (PowerPoint and Word) and the "as presented" archive of packs.

A pack is gathered once into a plain model (`Pack`) from `metrics.dashboard`, the
same calls `kpi show` makes, so every number in it is the number the dashboard
shows; then it is written as slides or as an accessible Word document.

Every pack is built from a snapshot of the store (`AsOf`: the newest upload and
the uploads undone by then) and says so in its footer and in its document
properties, so the same pack can be built again later from the same data even
after new uploads or undos. Packs kept for a board are listed in the store's
`board_pack` table; rebuilding one reads the data as it then stood and the date
its verdicts were judged at, and gives the same file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from metrics import clock
from metrics.catalogue import (
    Catalogue,
)
from metrics.dashboard import (
    AsOf,
    Db,
)
from metrics.export.files import pin_zip
from metrics.export.labels import series_label, slug
from metrics.export.method import METHOD_HEADER, METHOD_TITLE, method_points, method_rows
from metrics.export.pack import PLACE_HEADER, Pack, PackRefused, gather
from metrics.export.pptx import write_pptx
from metrics.export.provenance import Provenance
from metrics.export.style import (
    ACTION_HEADER,
    AF_GREY,
    action_rows,
    cover_lines,
    set_core_properties,
    verdict_lead,
)
from metrics.store import connect, execute, fetch_dicts, scalar, transaction
from metrics.words import (
    clean_text,
    join_names,
    statistics_status_text,
    target_text,
)

PACK_FORMATS = ("pptx", "docx")
WORD_SCHEMES_AT_MOST = 40  # schemes listed by name in the Word pack; the rest are counted


# --- Word -------------------------------------------------------------------------------------------


def _docx_lang(doc) -> None:
    """British English for the whole document, so screen readers and spell checkers use it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")


def _docx_table(doc, header: list[str], rows: list[list[str]], widths_cm: list[float] | None = None):
    """A table with a real header row (repeated on each page), so screen readers announce the columns."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    head = table.rows[0]
    trpr = head._tr.get_or_add_trPr()  # noqa: SLF001
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)
    for cell, text in zip(head.cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    if widths_cm:  # Word reads the cell widths, LibreOffice the grid: set both
        table.autofit = False
        for j, w in enumerate(widths_cm):
            table.columns[j].width = Cm(w)
        for row in table.rows:
            for cell, w in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(w)
    return table


def _docx_footer(section, text: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    para = section.footer.paragraphs[0]
    para.text = ""
    run = para.add_run(text + " Page ")
    run.font.size = Pt(8)
    field_run = para.add_run()
    field_run.font.size = Pt(8)
    for kind, value in (("begin", None), ("instr", " PAGE "), ("separate", None), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = value
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        field_run._r.append(el)  # noqa: SLF001


def docx_headings(pack: Pack) -> list[tuple[int, str]]:
    """Every heading the Word pack has, (level, text) in order; level 0 is the title."""
    out = [(0, pack.title), (1, "Summary"), (1, METHOD_TITLE)]
    for t in pack.themes:
        out += [(1, t.theme.name), (2, "Actions")]
        out += [(2, i.shown.indicator.name) for i in t.indicators]
    out.append((1, "About this pack"))
    return out


def write_docx(pack: Pack) -> bytes:
    """An accessible Word document: real headings, alt text on every chart, a data table after each."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    _docx_lang(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption"):
        style = doc.styles[name]
        style.font.name = "Arial"  # as the charts: Liberation Sans where Arial is not installed
        fonts = style.element.rPr.find(qn("w:rFonts"))
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would win over the name
    doc.styles["Normal"].font.size = Pt(11)
    footer = pack.provenance.footer("docx")
    _docx_footer(section, footer)
    headings = iter(docx_headings(pack))

    def heading(new_page: bool = False) -> None:
        level, text = next(headings)
        doc.add_heading(text, level=level).paragraph_format.page_break_before = new_page

    heading()
    for line in cover_lines(pack):
        doc.add_paragraph(line)

    heading()  # Summary
    doc.add_paragraph(pack.summary_sentence())
    header = pack.summary_header()
    numbers = len(header) - 1
    _docx_table(doc, header, pack.summary_rows(), [5.0] + [12.0 / numbers] * numbers)
    named = pack.named_lines()
    if named:
        doc.add_paragraph("The indicators with a target, by verdict:").paragraph_format.space_before = Pt(8)
        for lead, names in named:
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(f"{lead}: ").bold = True
            para.add_run(names)

    heading()  # How the verdicts are worked out
    for lead, text in method_points(pack):
        para = doc.add_paragraph(style="List Bullet")
        para.add_run(f"{lead}: ").bold = True
        para.add_run(text)
    rows = method_rows(pack)
    if rows:
        doc.add_paragraph(
            "The targets with a date in this pack, and what decides their pace:"
        ).paragraph_format.space_before = Pt(6)
        _docx_table(doc, METHOD_HEADER, rows, [4.4, 4.2, 3.0, 3.0, 2.4])

    for t in pack.themes:
        heading()  # theme
        doc.add_paragraph(f"Outcome: {t.theme.outcome}")
        heading()  # Actions
        _docx_table(
            doc,
            ACTION_HEADER,
            action_rows(t.actions),
            [2.0, 11.0, 4.0],
        )
        for item in t.indicators:
            heading(
                new_page=True
            )  # indicator: its verdict, its schemes or authorities and its chart on one page
            ind = item.shown.indicator
            para = doc.add_paragraph()
            lead, rest = verdict_lead(item.commentary, item.progress.verdict)
            if lead:
                para.add_run(lead).bold = True
            para.add_run(rest)
            doc.add_paragraph(f"Target: {target_text(ind)}. Place: {item.place_text()}.")
            breaking = item.breaking_heading()
            if breaking:
                rows, more = item.breaking_rows(WORD_SCHEMES_AT_MOST)
                doc.add_paragraph(f"{breaking}, lowest first:")
                _docx_table(doc, ["Scheme", "Share"], rows, [13.0, 4.0])
                if more:
                    doc.add_paragraph(
                        f"And {more} more: the Indicator page lists every scheme."
                    ).paragraph_format.space_before = Pt(4)
            doc.add_picture(io.BytesIO(item.chart_png), width=Cm(17.0))
            doc.paragraphs[-1].paragraph_format.space_before = Pt(8)
            pic = doc.inline_shapes[-1]
            doc_pr = pic._inline.docPr  # noqa: SLF001 - alt text lives on the drawing's docPr
            doc_pr.set("descr", item.alt_text)
            doc_pr.set("title", ind.name)
            if item.shows_places:
                caption = doc.add_paragraph(
                    f"Data for the chart: {ind.name}, each local authority's latest figure and its own "
                    "verdict. The combined authority has no figure of its own."
                )
                caption.style = doc.styles["Caption"]
                caption.paragraph_format.keep_with_next = True  # never apart from its table
                _docx_table(doc, PLACE_HEADER, item.place_rows(), [4.6, 3.8, 3.0, 5.6])
            else:
                common = item.common_notes()
                phrases = {
                    "worked out from the seven local authorities": "is worked out from the seven local authorities",
                    "illustrative sample value": "is an illustrative sample value",
                }
                said = f" Every value {join_names([phrases.get(n, n) for n in common])}." if common else ""
                caption = doc.add_paragraph(
                    f"Data for the chart: {ind.name}, {series_label(item.shown)}.{said}"
                )
                caption.style = doc.styles["Caption"]
                caption.paragraph_format.keep_with_next = True  # never apart from its table
                _docx_table(
                    doc,
                    ["Period", f"Value ({ind.unit_label})", "Status of the figure", "Notes"],
                    item.table_rows(),
                    [3.2, 3.4, 3.4, 7.0],
                )
            note = doc.add_paragraph(
                f"Source: {ind.source_publication} from {ind.source_publisher}. "
                f"{statistics_status_text(ind.statistics_status, item.shown.illustrative)}."
            )
            note.runs[0].font.color.rgb = RGBColor.from_string(AF_GREY)
            note.paragraph_format.space_before = Pt(6)

    heading()  # About this pack
    doc.add_paragraph(footer)
    doc.add_paragraph(
        "Every verdict is stated in words with the reason for it, as the dashboard and the kpi command state "
        f"it; '{METHOD_TITLE}' explains the rules. Missing figures are shown as missing with their reason, "
        "never as zero, and an illustrative sample value is marked as such wherever values are listed."
    )
    _docx_table(
        doc,
        ["Upload", "File", "Loaded by", "Loaded on"],
        [
            [
                str(u["id"]),
                clean_text(u["file_name"]),
                clean_text(u["user_name"]),
                clock.long_date(u["uploaded_at"].date()),
            ]
            for u in pack.uploads
        ],
        [2.0, 8.0, 4.0, 3.0],
    )
    set_core_properties(doc.core_properties, pack)
    buf = io.BytesIO()
    doc.save(buf)
    return pin_zip(buf.getvalue(), pack.provenance.built_at)


# --- building, keeping and rebuilding ---------------------------------------------------------------


@dataclass(frozen=True)
class PackFile:
    data: bytes
    fmt: str
    title: str
    provenance: Provenance

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def file_name(self) -> str:
        theme = self.provenance.theme_id or "objective-2"
        return f"board-pack-{slug(theme)}-{self.provenance.status_date.isoformat()}.{self.fmt}"


def build_pack(
    theme_id: str | None = None,
    fmt: str = "pptx",
    *,
    db: Db = None,
    as_of: AsOf | None = None,
    status_date: dt.date | None = None,
    built_at: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
) -> PackFile:
    """A board pack for one theme or the whole objective, as PowerPoint or Word."""
    if fmt not in PACK_FORMATS:
        raise PackRefused(f"A board pack can be pptx or docx, not '{fmt}'.")
    pack = gather(
        theme_id, db=db, as_of=as_of, status_date=status_date, built_at=built_at, catalogue=catalogue
    )
    data = write_pptx(pack) if fmt == "pptx" else write_docx(pack)
    return PackFile(data, fmt, pack.title, pack.provenance)


def keep_as(user, pack: PackFile, *, board: str, presented_on: dt.date, db: Db = None) -> int:
    """Keep a pack as `user`: keeping writes to the store, so it takes a role that may write
    (analysts and admins); a viewer, or anyone on a read-only deployment, is refused and the
    refusal is kept in the audit log, as for uploads."""
    from metrics.auth import NotAllowed, require
    from metrics.uploads import record_refusal

    try:
        require(user, "upload")
    except NotAllowed:
        record_refusal(user, "keep pack", db=db, detail=pack.file_name)
        raise
    return keep(pack, board=board, presented_on=presented_on, user=user.id, db=db)


def keep(
    pack: PackFile,
    *,
    board: str,
    presented_on: dt.date,
    user: str = "local analyst",
    db: Db = None,
) -> int:
    """Keep a pack in the "as presented" archive: for which board, on which date, built from what."""
    board = clean_text(board).strip()
    if not board:
        raise PackRefused("Enter the name of the board or meeting the pack is for, for example 'WMCA Board'.")
    p = pack.provenance
    with connect(db) as con, transaction(con):
        new_id = int(scalar(con, "next_board_pack_id"))
        execute(
            con,
            "insert_board_pack",
            {
                "id": new_id,
                "title": pack.title,
                "board": board,
                "presented_on": presented_on,
                "theme_id": p.theme_id,
                "format": pack.fmt,
                "built_at": p.built_at,
                "built_by": user,
                "status_date": p.status_date,
                "as_of_upload": p.as_of.upload_id,
                "undone_uploads": list(p.as_of.undone),
                "uploads": list(p.uploads),
                "file_name": pack.file_name,
                "sha256": pack.sha256,
                "size_bytes": len(pack.data),
            },
        )
    return new_id


def archive(db: Db = None) -> list[dict[str, Any]]:
    """The packs kept as presented, newest presentation first."""
    with connect(db, read_only=True) as con:
        return fetch_dicts(con, "list_board_packs")


def archived(pack_id: int, db: Db = None) -> dict[str, Any]:
    with connect(db, read_only=True) as con:
        rows = fetch_dicts(con, "get_board_pack", {"id": pack_id})
    if not rows:
        raise PackRefused(f"There is no kept pack {pack_id}. 'kpi export archive' lists them.")
    return rows[0]


def rebuild(
    pack_id: int, db: Db = None, catalogue: Catalogue | None = None
) -> tuple[PackFile, dict[str, Any]]:
    """A kept pack built again from the data as it stood, judged at the same date: the same file."""
    rec = archived(pack_id, db)
    pack = build_pack(
        rec["theme_id"],
        rec["format"],
        db=db,
        as_of=AsOf(int(rec["as_of_upload"]), tuple(rec["undone_uploads"])),
        status_date=rec["status_date"],
        built_at=rec["built_at"],
        catalogue=catalogue,
    )
    return pack, rec


def pack_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in PACK_FORMATS else ""
