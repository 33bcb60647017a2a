"""A bounded reader of Excel workbooks (.xlsx): the first sheet as rows of text, and no more.

Why not openpyxl: a workbook is a zip of XML, and a 50 KB upload can expand to
millions of cells. openpyxl spends tens of microseconds a cell, so such a file
held the web server for minutes. This reader streams the sheet's XML with the
standard library's C parser, counts every cell and row against a budget, and
stops with a plain message the moment the budget is spent. It reads only what
an upload needs: text, numbers, booleans, dates (as ISO dates, as Excel shows
them) and formulas as their text (never evaluated).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from metrics.errors import KpiError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary format, and password-protected workbooks
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_DATE_FORMAT_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class WorkbookProblem(KpiError, ValueError):
    """A workbook that cannot be read within bounds; str() is the whole message for the analyst."""


def _local(tag: str) -> str:
    """The tag without its namespace (transitional and strict OOXML name them differently)."""
    return tag.rsplit("}", 1)[-1]


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


class Workbook:
    """An opened workbook: its sheet names in order, and a bounded reader for each sheet."""

    def __init__(self, data: bytes, *, max_expanded: int, max_cells: int) -> None:
        if data.startswith(OLE_MAGIC):
            if _ENCRYPTED in data:
                raise WorkbookProblem(
                    "The workbook is protected with a password. Remove the password in Excel (File, Info, "
                    "Protect Workbook, Encrypt with Password) and upload it again."
                )
            raise WorkbookProblem(
                "The selected file is an old Excel workbook (.xls). Save it as an Excel workbook (.xlsx) or "
                "as 'CSV UTF-8' and upload that."
            )
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            expanded = sum(info.file_size for info in self._zip.infolist())
        except (zipfile.BadZipFile, OSError) as exc:
            raise WorkbookProblem("The selected file must be a CSV or Excel (.xlsx) file.") from exc
        if expanded > max_expanded:
            raise WorkbookProblem(
                f"The workbook expands to {expanded / 1024 / 1024:,.0f} MB when opened, more than the "
                f"{max_expanded // 1024 // 1024} MB it may. Save the sheet as 'CSV UTF-8' and upload that."
            )
        self.budget = max_cells
        self.max_cells = max_cells
        try:
            self.sheets = self._sheet_paths()
            self._strings = self._shared_strings()
            self._dates = self._date_styles()
        except (KeyError, ElementTree.ParseError, ValueError) as exc:
            if isinstance(exc, WorkbookProblem):
                raise
            raise WorkbookProblem("The selected file must be a CSV or Excel (.xlsx) file.") from exc

    # --- the parts every sheet needs ------------------------------------------------------------------

    def _xml(self, name: str) -> Iterator[ElementTree.Element]:
        """End events of one part, each element cleared after use so memory stays flat."""
        with self._zip.open(name) as f:
            for _, elem in ElementTree.iterparse(f, events=("end",)):
                yield elem

    def _sheet_paths(self) -> list[tuple[str, str]]:
        rels = {}
        for elem in self._xml("xl/_rels/workbook.xml.rels"):
            if _local(elem.tag) == "Relationship":
                target = elem.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                rels[elem.get("Id")] = target
        sheets = []
        for elem in self._xml("xl/workbook.xml"):
            if _local(elem.tag) == "sheet":
                rid = next((v for k, v in elem.attrib.items() if _local(k) == "id"), None)
                if rid in rels:
                    sheets.append((elem.get("name", ""), rels[rid]))
        if not sheets:
            raise WorkbookProblem("The workbook has no sheets. Put the rows on the first sheet.")
        return sheets

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self._zip.namelist():
            return []
        strings: list[str] = []
        parts: list[str] = []
        for elem in self._xml("xl/sharedStrings.xml"):
            tag = _local(elem.tag)
            if tag == "t":
                parts.append(elem.text or "")
            elif tag == "si":
                strings.append("".join(parts))
                parts = []
                self._spend(1)
                elem.clear()
        return strings

    def _date_styles(self) -> set[int]:
        """Which cell styles show a number as a date, so a date is read as Excel shows it."""
        if "xl/styles.xml" not in self._zip.namelist():
            return set()
        custom_dates: set[int] = set()
        styles: list[int] = []
        in_cell_xfs = False
        with self._zip.open("xl/styles.xml") as f:
            for event, elem in ElementTree.iterparse(f, events=("start", "end")):
                tag = _local(elem.tag)
                if event == "start" and tag == "cellXfs":
                    in_cell_xfs = True
                elif event == "end" and tag == "cellXfs":
                    in_cell_xfs = False
                elif event == "end" and tag == "numFmt":
                    code = re.sub(r'"[^"]*"|\[[^\]]*\]', "", elem.get("formatCode", "")).lower()
                    if any(ch in code for ch in "dy") or ("m" in code and "h" not in code):
                        custom_dates.add(int(elem.get("numFmtId", "0")))
                elif event == "end" and tag == "xf" and in_cell_xfs:
                    styles.append(int(elem.get("numFmtId", "0")))
        return {i for i, fmt in enumerate(styles) if fmt in _DATE_FORMAT_IDS or fmt in custom_dates}

    def _spend(self, cells: int) -> None:
        self.budget -= cells
        if self.budget < 0:
            raise WorkbookProblem(
                f"The workbook has more than {self.max_cells:,} cells, more than an upload may. Remove empty "
                "or unused rows and columns, or save the sheet as 'CSV UTF-8' and upload that."
            )

    # --- a sheet, row by row ------------------------------------------------------------------------------

    def rows(self, index: int = 0) -> Iterator[list[str]]:
        """Each row of a sheet as text cells, row 1 first; a row missing from the XML is an empty row,
        so the row numbers an analyst sees in Excel are the line numbers of the checks.

        Only whole rows are handled in Python (the parser in C does the rest), which keeps a cell
        at a few microseconds.
        """
        _, path = self.sheets[index]
        expected = 1
        # Every element counts too (a cell is two or three), so one row of a million cells is
        # stopped while it is parsed, before it is ever held in memory whole.
        elements = 0
        limit = 4 * self.max_cells
        try:
            for elem in self._xml(path):
                elements += 1
                if elements > limit:
                    self._spend(self.budget + 1)
                if not elem.tag.endswith("}row") and elem.tag != "row":
                    continue
                number = int(elem.get("r", expected))
                if number > expected:
                    self._spend(number - expected)
                    for _ in range(number - expected):
                        yield []
                expected = number + 1
                self._spend(1 + len(elem))
                yield self._row_cells(elem)
                elem.clear()
        except ElementTree.ParseError as exc:
            raise WorkbookProblem("The selected file must be a CSV or Excel (.xlsx) file.") from exc

    def _row_cells(self, row: ElementTree.Element) -> list[str]:
        cells: list[str] = []
        for c in row:
            value = formula = None
            inline: list[str] = []
            for part in c.iter():
                tag = _local(part.tag)
                if tag == "v":
                    value = part.text
                elif tag == "f":
                    formula = part.text
                elif tag == "t":
                    inline.append(part.text or "")
            ref = _CELL_REF.match(c.get("r", ""))
            if ref is not None:
                col = _column_index(ref.group(1))
                if col > len(cells):
                    self._spend(col - len(cells))
                    cells.extend([""] * (col - len(cells)))
            cells.append(self._cell_text(c, value, formula, inline))
        return cells

    def _cell_text(
        self, elem: ElementTree.Element, value: str | None, formula: str | None, inline: list[str]
    ) -> str:
        kind = elem.get("t", "n")
        if formula:
            return f"={formula}"
        if kind == "inlineStr":
            return "".join(inline)
        if value is None:
            return ""
        if kind == "s":
            return self._strings[int(value)]
        if kind == "b":
            return "TRUE" if value == "1" else "FALSE"
        if kind in ("str", "e"):
            return value
        try:
            number = float(value)
        except ValueError:
            return value
        style = int(elem.get("s", "0"))
        if style in self._dates and 0 < number < 2958466:
            return (_EXCEL_EPOCH + dt.timedelta(days=int(number))).isoformat()
        return str(int(number)) if number.is_integer() and abs(number) < 1e16 else value

    def has_data(self, index: int) -> bool:
        """Whether a sheet holds any value, read within the same budget."""
        return any(any(cell != "" for cell in row) for row in self.rows(index))

    def close(self) -> None:
        self._zip.close()
