"""Reading and writing the spreadsheets offices actually have: CSV and XLSX.

Rows come back as dictionaries keyed by canonical column names, matched from
headers with or without diacritics, in any order. Every problem is reported
with its row number (as the user sees it in Excel: the header is row 1) and
column, never raised one at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from congdoan.core.text import fold, nfc

ENCODINGS = ("utf-8-sig", "cp1258")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row} if self.row else _("file")
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


class TableError(Exception):
    """The file as a whole cannot be read (format, encoding, headers)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Table:
    headers: list[str]  # the canonical names found, in file order
    rows: list[tuple[int, dict[str, Any]]]  # (row number, values by canonical name)
    # The header text as the file writes it, by canonical name: error messages name the
    # column the way the user sees it.
    labels: dict[str, str] = field(default_factory=dict)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise TableError([RowError(0, "", _("The file is not UTF-8 or Windows-1258 text."))])
    for encoding in ENCODINGS:
        try:
            return nfc_text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise TableError(
        [RowError(0, "", _("The file is not UTF-8 or Windows-1258 text; save it as CSV UTF-8."))]
    )


def nfc_text(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", text)


def _match_headers(
    raw_headers: Sequence[Any],
    columns: dict[str, Iterable[str]],
    required: Iterable[str],
    labels: dict[str, str] | None = None,
) -> dict[int, str]:
    """Map column positions to canonical names; aliases compared folded."""
    alias_to_name = {fold(alias): name for name, aliases in columns.items() for alias in aliases}
    for name in columns:
        alias_to_name.setdefault(fold(name), name)
    positions: dict[int, str] = {}
    for index, header in enumerate(raw_headers):
        key = fold(str(header or "")).replace("_", " ")
        if key in alias_to_name and alias_to_name[key] not in positions.values():
            positions[index] = alias_to_name[key]
    missing = [name for name in required if name not in positions.values()]
    if missing:
        labels = labels or {}
        raise TableError(
            [
                RowError(
                    1,
                    labels.get(name, name),
                    _("The column “%(column)s” is missing.") % {"column": labels.get(name, name)},
                )
                for name in missing
            ]
        )
    return positions


def read_table(
    name: str,
    data: bytes,
    columns: dict[str, Iterable[str]],
    required: Iterable[str],
    *,
    labels: dict[str, str] | None = None,
) -> Table:
    """Read a ``.csv`` or ``.xlsx`` upload into canonical rows. Raises TableError.

    ``labels`` names the canonical columns for the user in the missing-column errors.
    """
    raw_rows = read_rows(name, data)
    if not raw_rows:
        raise TableError([RowError(0, "", _("The file is empty."))])
    positions = _match_headers(raw_rows[0], columns, required, labels)
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, raw in enumerate(raw_rows[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in raw):
            continue
        values: dict[str, Any] = {}
        for index, canonical in positions.items():
            cell = raw[index] if index < len(raw) else None
            values[canonical] = nfc(cell) if isinstance(cell, str) else cell
        rows.append((number, values))
    header_texts = {
        canonical: nfc(str(raw_rows[0][index] or "")) for index, canonical in positions.items()
    }
    return Table(headers=list(positions.values()), rows=rows, labels=header_texts)


def read_rows(name: str, data: bytes) -> list[list[Any]]:
    """Every row of a ``.csv`` or ``.xlsx`` file as raw cell values. Raises TableError."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return _csv_rows(data)
    if suffix == ".xlsx":
        return _xlsx_rows(data)
    raise TableError([RowError(0, "", _("Only .csv and .xlsx files can be imported."))])


def _csv_rows(data: bytes) -> list[list[Any]]:
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise TableError(
            [RowError(0, "", _("The file is not a readable .xlsx workbook."))]
        ) from exc
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def parse_date(value: Any) -> dt.date:
    """A date from a cell: a real date, dd/mm/yyyy, yyyy-mm-dd, or an Excel serial number."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise ValueError(value)
    text = str(value or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if text.isdigit() and 10000 < int(text) < 2958466:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(text))
    raise ValueError(text)


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\Z")
MIN_YEAR = 1900
MAX_YEAR = 2100


def parse_date_or_year(value: Any) -> tuple[dt.date, bool]:
    """A date as ``parse_date`` reads it, or the year alone: ``(date, year_only)``.

    An integer from 1900 to 2100 or a 4-digit text is a year: the date is 1 January of it
    and ``year_only`` is true. (Excel serial numbers of those sizes would be days in 1905;
    nobody means those.)
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and MIN_YEAR <= value <= MAX_YEAR:
        return dt.date(value, 1, 1), True
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 4 and text.isdigit():
            year = int(text)
            if MIN_YEAR <= year <= MAX_YEAR:
                return dt.date(year, 1, 1), True
            raise ValueError(text)
        match = _DMY.match(text)
        if match:  # the common case, without strptime's cost (a million rows add up)
            day, month, year = match.groups()
            return dt.date(int(year), int(month), int(day)), False
    return parse_date(value), False


def annotate_workbook(
    name: str, data: bytes, notes: dict[int, list[str]], header: str = "Lỗi"
) -> bytes:
    """An XLSX copy of a ``.csv`` or ``.xlsx`` file with a last column holding ``notes``.

    ``notes`` maps row numbers as Excel shows them (the header is row 1) to what is wrong
    there; the texts of a row are joined with "; ". The user fixes the rows and uploads the
    file again. An XLSX keeps its sheets and formatting; a CSV becomes a sheet of text cells.
    Raises TableError when the file cannot be read.
    """
    from openpyxl import Workbook, load_workbook
    from openpyxl.styles import Font, PatternFill

    if Path(name).suffix.lower() == ".xlsx":
        try:
            workbook = load_workbook(io.BytesIO(data))
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise TableError(
                [RowError(0, "", _("The file is not a readable .xlsx workbook."))]
            ) from exc
        sheet = workbook.worksheets[0]
    else:
        rows = read_rows(name, data)
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = Path(name).stem[:31] or "Data"
        for row in rows:
            sheet.append(["" if cell is None else str(cell) for cell in row])
    width = 0
    for row in sheet.iter_rows(min_row=1, max_row=max(sheet.max_row, 1)):
        for cell in reversed(row):
            if cell.value not in (None, ""):
                width = max(width, cell.column)
                break
    column = width + 1
    highlight = PatternFill("solid", fgColor="FFF2CC")
    sheet.cell(row=1, column=column, value=header).font = Font(bold=True, color="C00000")
    for row_number, texts in sorted(notes.items()):
        if row_number < 2 or not texts:
            continue
        cell = sheet.cell(row=row_number, column=column, value="; ".join(texts))
        cell.font = Font(color="C00000")
        cell.fill = highlight
    sheet.column_dimensions[cell_letter(column)].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cell_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV in UTF-8 with a BOM, so Excel opens Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Data") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_cell(v) if isinstance(v, dt.date) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value
