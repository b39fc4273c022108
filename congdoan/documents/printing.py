"""Printable forms of official documents: Nghị định 30/2020/NĐ-CP layouts as DOCX, PDF and XLSX.

A pure module: it receives plain dataclasses, touches no model and no database, and returns
the bytes of a file. What it prints:

* an outgoing document (Phụ lục I): the two-column header with the issuer on the left and
  the national name and motto on the right, the number and symbol, place and date, type name,
  subject, body, signature and the "Nơi nhận:" block (``render_docx``, ``render_pdf``);
* the registers of outgoing and incoming documents (Phụ lục IV) as XLSX, streamed so that a
  year of 100,000 rows needs little memory, and as landscape PDF with the heading repeated on
  every page (``outgoing_register_xlsx`` and friends);
* the incoming-document handling slip, "Phiếu giải quyết văn bản đến" (``handling_slip_pdf``).

The printed words are Vietnamese whatever the language of the page that asked for them, so
they are fixed strings, not gettext. DOCX uses Times New Roman as ND30 asks; the PDFs embed
Source Sans Pro (registered the way ``congdoan.members.cards`` does it), because reportlab's
built-in Times cannot print Vietnamese letters. All text is NFC-normalised before printing:
decomposed accents would print as loose marks.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

__all__ = [
    "CONFIDENTIALITY_LEVELS",
    "INCOMING_HEADINGS",
    "MOTTO",
    "NATIONAL_NAME",
    "OUTGOING_HEADINGS",
    "URGENCY_LEVELS",
    "HandlingSlip",
    "IncomingRow",
    "OutgoingRow",
    "PrintableDocument",
    "date_words",
    "handling_slip_pdf",
    "incoming_register_pdf",
    "incoming_register_xlsx",
    "number_line",
    "outgoing_register_pdf",
    "outgoing_register_xlsx",
    "place_and_date",
    "render_docx",
    "render_pdf",
]

# ---------------------------------------------------------------------------------------------
# Fixed Vietnamese wording
# ---------------------------------------------------------------------------------------------

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_HEADING = "Nơi nhận:"
SUBJECT_PREFIX = "V/v"
OUTGOING_TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
INCOMING_TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
SLIP_TITLE = "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN"

OUTGOING_HEADINGS: tuple[str, ...] = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
INCOMING_HEADINGS: tuple[str, ...] = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)

# Stamps (ND30 Phụ lục I for urgency; Thông tư 24/2020/TT-BCA for secrecy): a single-line
# rectangle 8 mm high whose width depends on the word.
URGENCY_LEVELS: dict[str, float] = {"KHẨN": 20, "THƯỢNG KHẨN": 40, "HỎA TỐC": 30}
CONFIDENTIALITY_LEVELS: dict[str, float] = {"MẬT": 20, "TỐI MẬT": 30, "TUYỆT MẬT": 40}
STAMP_HEIGHT_MM = 8

DRAFT_BLANK = " " * 6  # the clerk writes the number by hand when the document is issued
DATE_FORMAT = "%d/%m/%Y"
XLSX_DATE_FORMAT = "dd/mm/yyyy"
XLSX_MAX_TEXT = 32767  # characters Excel accepts in a cell

# Page set-up within the ND30 ranges (top 20-25, bottom 20-25, left 30-35, right 15-20 mm).
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
TEXT_WIDTH_MM = 210 - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165 mm
BODY_INDENT_MM = 12.7  # first-line indent, 1-1.27 cm

# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


@dataclass
class PrintableDocument:
    """An outgoing document as it is printed (ND30 Phụ lục I).

    ``number_symbol`` is ``"704/HD-TLĐ"``; a draft has no number yet and passes ``""`` or the
    symbol alone (``"/HD-LĐLĐ"``), which prints as ``"Số:      /HD-LĐLĐ"``. ``body`` is plain
    text: paragraphs are separated by blank lines, a single line break stays a line break.
    """

    issuer_parent: str
    issuer_name: str
    number_symbol: str
    place: str
    date: date | None
    type_name: str
    subject: str
    body: str
    recipients: list[str]
    signer_authority: str
    signer_position: str
    signer_name: str
    urgency: str = ""
    confidentiality: str = ""
    is_cong_van: bool = False
    copies_note: str = ""


@dataclass
class OutgoingRow:
    """One line of the register of outgoing documents."""

    number_symbol: str
    date: date
    type_and_subject: str
    signer: str
    recipients: str
    file_unit: str
    copies: int
    sent_on: date | None
    note: str = ""


@dataclass
class IncomingRow:
    """One line of the register of incoming documents."""

    received_on: date
    incoming_number: int
    issuer: str
    number_symbol: str
    date: date | None
    type_and_subject: str
    assignee: str
    passed_on: date | None
    note: str = ""


@dataclass
class HandlingSlip:
    """The handling slip attached to an incoming document; ``history`` is (when, who, what)."""

    unit_name: str
    incoming_number: int
    received_on: date
    issuer: str
    number_symbol: str
    document_date: date | None
    subject: str
    leader_instruction: str
    instruction_by: str
    instruction_on: date | None
    assignee: str
    deadline: date | None
    history: list[tuple[datetime, str, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Wording rules shared by every format
# ---------------------------------------------------------------------------------------------


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def _upper(text: str) -> str:
    return _nfc(text).strip().upper()


def _ddmmyyyy(day: date | None) -> str:
    return day.strftime(DATE_FORMAT) if day else ""


def date_words(day: date | None) -> str:
    """``"ngày 05 tháng 3 năm 2026"``: ND30 puts a 0 before days under 10 and months 1 and 2.

    Without a date (a draft) the numbers are left blank for the clerk to fill in.
    """
    if day is None:
        return f"ngày{DRAFT_BLANK}tháng{DRAFT_BLANK}năm{DRAFT_BLANK}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: date | None) -> str:
    """The place-and-date line: ``"Lào Cai, ngày 05 tháng 3 năm 2026"``."""
    place = _nfc(place).strip()
    words = date_words(day)
    return f"{place}, {words}" if place else words[:1].upper() + words[1:]


def number_line(number_symbol: str) -> str:
    """``"Số: 704/HD-TLĐ"``; a draft without a number keeps a blank: ``"Số:      /HD-LĐLĐ"``."""
    value = re.sub(r"^\s*Số\s*:\s*", "", _nfc(number_symbol)).strip()
    if not value or value.startswith("/"):
        return f"Số:{DRAFT_BLANK}{value}"
    return f"Số: {value}"


def _cong_van_subject(subject: str) -> str:
    subject = _nfc(subject).strip()
    if not subject or subject.lower().startswith(SUBJECT_PREFIX.lower()):
        return subject
    return f"{SUBJECT_PREFIX} {subject}"


def _stamp(value: str, levels: dict[str, float], what: str) -> str:
    word = _upper(value).replace("HOẢ", "HỎA")
    if word and word not in levels:
        raise ValueError(f"Unknown {what} marker {value!r}; expected one of {sorted(levels)}")
    return word


def _stamps(doc: PrintableDocument) -> list[tuple[str, float]]:
    """The secrecy stamp then the urgency stamp (ND30 boxes 10a, 10b), with their widths."""
    secrecy = _stamp(doc.confidentiality, CONFIDENTIALITY_LEVELS, "confidentiality")
    urgency = _stamp(doc.urgency, URGENCY_LEVELS, "urgency")
    out = []
    if secrecy:
        out.append((secrecy, CONFIDENTIALITY_LEVELS[secrecy]))
    if urgency:
        out.append((urgency, URGENCY_LEVELS[urgency]))
    return out


def _body_paragraphs(body: str) -> list[str]:
    text = _nfc(body).replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def _recipient_lines(recipients: Iterable[str]) -> list[str]:
    lines = []
    for item in recipients:
        item = _nfc(item).strip()
        if item:
            lines.append(item if item[0] in "-+–" else f"- {item}")
    return lines


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _times_width_mm(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated printed width of ``text`` in Times New Roman (for rules drawn in DOCX)."""
    font = "Times-Bold" if bold else "Times-Roman"
    return pdfmetrics.stringWidth(_ascii_fold(text), font, size) / mm


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------

DOCX_FONT = "Times New Roman"
DOCX_LEFT_COL_MM = 65.0
DOCX_RIGHT_COL_MM = TEXT_WIDTH_MM - DOCX_LEFT_COL_MM
DOCX_CELL_PAD_MM = 1.9  # Word's default left/right cell margin (0.08")
# OOXML fixes the order of a properties element's children: what may come before ours.
_PBDR_AFTER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
)
_TBLBORDERS_AFTER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
)


def _docx_fonts(document: Any) -> None:
    """Times New Roman 14 for every script (Vietnamese letters use the hAnsi slot)."""
    style = document.styles["Normal"]
    style.font.name = DOCX_FONT
    style.font.size = Pt(14)
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), DOCX_FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(attr), None)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def _twips_at_least(millimetres: float) -> Twips:
    """Word keeps margins in twips: round up, or 15 mm would come back as 14.99 mm."""
    return Twips(math.ceil(millimetres * 1440 / 25.4))


def _docx_page(document: Any) -> Any:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = _twips_at_least(MARGIN_TOP_MM)
    section.bottom_margin = _twips_at_least(MARGIN_BOTTOM_MM)
    section.left_margin = _twips_at_least(MARGIN_LEFT_MM)
    section.right_margin = _twips_at_least(MARGIN_RIGHT_MM)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    return section


def _docx_page_numbers(section: Any) -> None:
    """Page numbers centred at the top from page 2 on (ND30: none on the first page)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(14)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def _insert_after(parent: Any, child: Any, predecessors: Sequence[str]) -> None:
    """Insert ``child`` after the last of its schema ``predecessors`` that ``parent`` has."""
    tags = {qn(f"w:{tag}") for tag in predecessors}
    index = 0
    for i, existing in enumerate(parent):
        if existing.tag in tags:
            index = i + 1
    parent.insert(index, child)


def _docx_borderless(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    _insert_after(tbl_pr, borders, _TBLBORDERS_AFTER)


def _docx_two_columns(document: Any, widths_mm: Sequence[float]) -> Any:
    table = document.add_table(rows=1, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _docx_borderless(table)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    return table


def _docx_font(run: Any, *, size: float = 14, bold: bool = False, italic: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic


def _docx_para(
    container: Any,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    space_before: float = 0,
) -> DocxParagraph:
    """A paragraph in a cell or the document; a cell's empty first paragraph is reused."""
    paragraphs = container.paragraphs
    if isinstance(container, _Cell) and len(paragraphs) == 1 and not paragraphs[0].runs:
        paragraph = paragraphs[0]  # a new cell holds one empty paragraph
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = align
    if space_before:
        paragraph.paragraph_format.space_before = Pt(space_before)
    lines = _nfc(text).split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run()
        if i:
            run.add_break(WD_BREAK.LINE)
        run.add_text(line)
        _docx_font(run, size=size, bold=bold, italic=italic)
    return paragraph


def _docx_set_borders(paragraph: DocxParagraph, sides: Iterable[str], space: int = 0) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "6")  # eighths of a point
        edge.set(qn("w:space"), str(space))
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    _insert_after(p_pr, borders, _PBDR_AFTER)


def _docx_rule(cell: Any, cell_width_mm: float, rule_width_mm: float) -> None:
    """A short centred solid line: an empty paragraph with a bottom border, narrowed."""
    usable = cell_width_mm - 2 * DOCX_CELL_PAD_MM
    rule_width_mm = min(rule_width_mm, usable)
    paragraph = cell.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing = Pt(2)  # a Length means "exactly"
    fmt.left_indent = fmt.right_indent = Mm((usable - rule_width_mm) / 2)
    fmt.space_after = Pt(4)
    _docx_set_borders(paragraph, ["bottom"])


def _docx_stamp(cell: Any, cell_width_mm: float, word: str, width_mm: float) -> None:
    usable = cell_width_mm - 2 * DOCX_CELL_PAD_MM
    paragraph = _docx_para(cell, word, size=13, bold=True, space_before=6)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(max((usable - width_mm) / 2, 0))
    _docx_set_borders(paragraph, ["top", "left", "bottom", "right"], space=1)


def _docx_document_rule(document: Any, width_mm: float) -> None:
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing = Pt(2)
    fmt.left_indent = fmt.right_indent = Mm(max((TEXT_WIDTH_MM - width_mm) / 2, 0))
    _docx_set_borders(paragraph, ["bottom"])


def render_docx(doc: PrintableDocument) -> bytes:
    """The document as an A4 Word file in the ND30 Phụ lục I layout (Times New Roman)."""
    stamps = _stamps(doc)
    document = Document()
    _docx_fonts(document)
    section = _docx_page(document)
    _docx_page_numbers(section)
    props = document.core_properties
    props.title = _nfc(doc.subject)[:255]
    props.author = _nfc(doc.issuer_name)[:255]

    # Header: issuer and number on the left, national name, motto and date on the right.
    header = _docx_two_columns(document, [DOCX_LEFT_COL_MM, DOCX_RIGHT_COL_MM])
    left, right = header.rows[0].cells
    issuer = _upper(doc.issuer_name)
    if doc.issuer_parent.strip():
        _docx_para(left, _upper(doc.issuer_parent), size=12)
    _docx_para(left, issuer, size=12, bold=True)
    issuer_width = max(
        (_times_width_mm(line, 12, bold=True) for line in issuer.split("\n")), default=0
    )
    name_line = min(issuer_width, DOCX_LEFT_COL_MM - 2 * DOCX_CELL_PAD_MM)
    _docx_rule(left, DOCX_LEFT_COL_MM, max(name_line * 0.4, 15))
    _docx_para(left, number_line(doc.number_symbol), size=13)
    if doc.is_cong_van and doc.subject.strip():
        _docx_para(left, _cong_van_subject(doc.subject), size=12, space_before=3)
    for word, width in stamps:
        _docx_stamp(left, DOCX_LEFT_COL_MM, word, width)

    _docx_para(right, NATIONAL_NAME, size=12, bold=True)
    _docx_para(right, MOTTO, size=13, bold=True)
    _docx_rule(right, DOCX_RIGHT_COL_MM, _times_width_mm(MOTTO, 13, bold=True))
    _docx_para(right, place_and_date(doc.place, doc.date), size=14, italic=True, space_before=4)

    # Type name and subject (a công văn has neither: its subject sits under the number).
    if not doc.is_cong_van and doc.type_name.strip():
        _docx_para(document, _upper(doc.type_name), size=14, bold=True, space_before=24)
        if doc.subject.strip():
            subject = _nfc(doc.subject).strip()
            _docx_para(document, subject, size=14, bold=True)
            width = max(_times_width_mm(line, 14, bold=True) for line in subject.split("\n"))
            _docx_document_rule(document, min(width, TEXT_WIDTH_MM) * 0.4)

    # Body
    for i, text in enumerate(_body_paragraphs(doc.body)):
        paragraph = _docx_para(
            document,
            text,
            size=14,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            space_before=18 if not i else 0,
        )
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Mm(BODY_INDENT_MM)
        fmt.space_after = Pt(6)
        fmt.line_spacing = 1.15

    # Recipients (left) and signature (right), side by side.
    closing = _docx_two_columns(document, [80, TEXT_WIDTH_MM - 80])
    recipients_cell, signature_cell = closing.rows[0].cells
    lines = _recipient_lines(doc.recipients)
    _docx_para(
        recipients_cell,
        RECIPIENTS_HEADING,
        size=12,
        bold=True,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        space_before=12,
    )
    for line in lines:
        _docx_para(recipients_cell, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    if doc.copies_note.strip():
        _docx_para(
            recipients_cell,
            doc.copies_note.strip(),
            size=11,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            space_before=6,
        )
    if doc.signer_authority.strip():
        _docx_para(signature_cell, _upper(doc.signer_authority), bold=True, space_before=12)
        _docx_para(signature_cell, _upper(doc.signer_position), bold=True)
    else:
        _docx_para(signature_cell, _upper(doc.signer_position), bold=True, space_before=12)
    _docx_para(signature_cell, _nfc(doc.signer_name).strip(), bold=True, space_before=72)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# PDF: fonts and shared pieces
# ---------------------------------------------------------------------------------------------

PDF_REGULAR = "SourceSansPro"
PDF_BOLD = "SourceSansPro-Bold"
PDF_ITALIC = "SourceSansPro-Italic"
PDF_BOLD_ITALIC = "SourceSansPro-BoldItalic"
FRAME_PADDING = 6  # points: SimpleDocTemplate's frame pads the margins on every side


@cache
def _fonts() -> None:
    """Register Source Sans Pro: regular and bold by ``members.cards``, italics here.

    The cards module is imported here, not at the top, so that importing this module needs
    no configured Django.
    """
    import font_source_sans_pro

    from congdoan.members.cards import _register_fonts  # PDF_REGULAR and PDF_BOLD

    _register_fonts()
    files = Path(font_source_sans_pro.__file__).parent / "files"
    pdfmetrics.registerFont(TTFont(PDF_ITALIC, str(files / "SourceSansPro-It.ttf")))
    pdfmetrics.registerFont(TTFont(PDF_BOLD_ITALIC, str(files / "SourceSansPro-BoldIt.ttf")))
    pdfmetrics.registerFontFamily(
        PDF_REGULAR,
        normal=PDF_REGULAR,
        bold=PDF_BOLD,
        italic=PDF_ITALIC,
        boldItalic=PDF_BOLD_ITALIC,
    )


def _markup(text: str) -> str:
    """Plain text as reportlab paragraph markup: escaped, spaces kept, newlines as breaks."""
    text = escape(_nfc(text))
    text = re.sub(r" {2,}", lambda m: "\u00a0" * len(m.group()), text)
    return text.replace("\n", "<br/>")


def _style(name: str, *, font: str = PDF_REGULAR, size: float = 13, **extra: Any) -> ParagraphStyle:
    extra.setdefault("alignment", TA_CENTER)
    extra.setdefault("leading", size * 1.22)
    return ParagraphStyle(name, fontName=font, fontSize=size, **extra)


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_markup(text), style)


def _rule(width: float, *, before: float = 4, after: float = 4) -> HRFlowable:
    return HRFlowable(
        width=width,
        thickness=0.6,
        color=colors.black,
        hAlign="CENTER",
        spaceBefore=before,
        spaceAfter=after,
    )


def _text_width(text: str, font: str, size: float) -> float:
    return max((pdfmetrics.stringWidth(line, font, size) for line in text.split("\n")), default=0)


# reportlab sets every cell's font, flowable or not: without this, Helvetica is referenced.
_CELL_FONT = ("FONT", (0, 0), (-1, -1), PDF_REGULAR, 11)
_LAYOUT = TableStyle(
    [
        _CELL_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
)


def _stamp_box(word: str, width_mm: float) -> Table:
    box = Table(
        [[_para(word, _style("stamp", font=PDF_BOLD, size=13))]],
        colWidths=[width_mm * mm],
        rowHeights=[STAMP_HEIGHT_MM * mm],
        hAlign="CENTER",
    )
    box.setStyle(
        TableStyle(
            [
                _CELL_FONT,
                ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 1),
                ("RIGHTPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return box


def _later_page_numbers(size: float) -> Callable[[Canvas, Any], None]:
    def draw(canvas: Canvas, template: Any) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFont(PDF_REGULAR, size)
        canvas.drawCentredString(width / 2, height - 12 * mm, str(canvas.getPageNumber()))
        canvas.restoreState()

    return draw


def _pdf_document(buffer: io.BytesIO, *, pagesize: tuple[float, float], **meta: Any) -> Any:
    """A template whose text starts exactly at the ND30 margins (less the frame's padding)."""
    return SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN_LEFT_MM * mm - FRAME_PADDING,
        rightMargin=MARGIN_RIGHT_MM * mm - FRAME_PADDING,
        topMargin=MARGIN_TOP_MM * mm - FRAME_PADDING,
        bottomMargin=MARGIN_BOTTOM_MM * mm - FRAME_PADDING,
        creator="Công Đoàn Số",
        initialFontName=PDF_REGULAR,
        **{k: _nfc(v) for k, v in meta.items()},
    )


# ---------------------------------------------------------------------------------------------
# PDF: the document
# ---------------------------------------------------------------------------------------------

PDF_LEFT_COL_MM = 70.0
PDF_RIGHT_COL_MM = TEXT_WIDTH_MM - PDF_LEFT_COL_MM


def _pdf_header(doc: PrintableDocument, stamps: list[tuple[str, float]]) -> Table:
    left: list[Flowable] = []
    issuer = _upper(doc.issuer_name)
    if doc.issuer_parent.strip():
        left.append(_para(_upper(doc.issuer_parent), _style("parent", size=12)))
    left.append(_para(issuer, _style("issuer", font=PDF_BOLD, size=12)))
    name_width = min(_text_width(issuer, PDF_BOLD, 12), (PDF_LEFT_COL_MM - 2) * mm)
    left.append(_rule(max(name_width * 0.4, 15 * mm)))
    left.append(_para(number_line(doc.number_symbol), _style("number", size=13)))
    if doc.is_cong_van and doc.subject.strip():
        left.append(Spacer(1, 2))
        left.append(_para(_cong_van_subject(doc.subject), _style("vv", size=12)))
    for word, width in stamps:
        left.append(Spacer(1, 6))
        left.append(_stamp_box(word, width))

    right: list[Flowable] = [
        _para(NATIONAL_NAME, _style("national", font=PDF_BOLD, size=12.5)),
        _para(MOTTO, _style("motto", font=PDF_BOLD, size=13.5)),
        _rule(pdfmetrics.stringWidth(MOTTO, PDF_BOLD, 13.5)),
        Spacer(1, 3),
        _para(place_and_date(doc.place, doc.date), _style("date", font=PDF_ITALIC, size=13)),
    ]
    table = Table([[left, right]], colWidths=[PDF_LEFT_COL_MM * mm, PDF_RIGHT_COL_MM * mm])
    table.setStyle(_LAYOUT)
    return table


def _pdf_closing(doc: PrintableDocument) -> Table:
    item = _style("recipient", size=11, alignment=TA_LEFT, leading=13.5)
    left: list[Flowable] = [
        _para(RECIPIENTS_HEADING, _style("to", font=PDF_BOLD_ITALIC, size=12, alignment=TA_LEFT))
    ]
    left += [_para(line, item) for line in _recipient_lines(doc.recipients)]
    if doc.copies_note.strip():
        left += [Spacer(1, 6), _para(doc.copies_note.strip(), item)]
    sign = _style("sign", font=PDF_BOLD, size=13)
    right: list[Flowable] = []
    if doc.signer_authority.strip():
        right.append(_para(_upper(doc.signer_authority), sign))
    right.append(_para(_upper(doc.signer_position), sign))
    right.append(Spacer(1, 25 * mm))
    right.append(_para(_nfc(doc.signer_name).strip(), sign))
    table = Table([[left, right]], colWidths=[80 * mm, (TEXT_WIDTH_MM - 80) * mm])
    table.setStyle(_LAYOUT)
    return table


def render_pdf(doc: PrintableDocument) -> bytes:
    """The document as an A4 PDF in the ND30 Phụ lục I layout (Source Sans Pro embedded)."""
    _fonts()
    stamps = _stamps(doc)
    story: list[Flowable] = [_pdf_header(doc, stamps)]
    if not doc.is_cong_van and doc.type_name.strip():
        story.append(Spacer(1, 16))
        story.append(_para(_upper(doc.type_name), _style("type", font=PDF_BOLD, size=14)))
        if doc.subject.strip():
            subject = _nfc(doc.subject).strip()
            story.append(_para(subject, _style("subject", font=PDF_BOLD, size=13.5)))
            story.append(_rule(min(_text_width(subject, PDF_BOLD, 13.5), TEXT_WIDTH_MM * mm) * 0.4))
    story.append(Spacer(1, 12))
    body = _style(
        "body",
        size=13,
        alignment=TA_JUSTIFY,
        leading=13 * 1.35,
        firstLineIndent=BODY_INDENT_MM * mm,
        spaceAfter=6,
    )
    story += [_para(text, body) for text in _body_paragraphs(doc.body)]
    story.append(Spacer(1, 8))
    story.append(KeepTogether([_pdf_closing(doc)]))

    buffer = io.BytesIO()
    template = _pdf_document(
        buffer, pagesize=A4, title=doc.subject, author=doc.issuer_name, subject=doc.type_name
    )
    template.build(story, onLaterPages=_later_page_numbers(13))
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Registers
# ---------------------------------------------------------------------------------------------

# Widths for a landscape A4 page (267 mm between 15 mm margins) and the same in XLSX units.
OUTGOING_WIDTHS_MM = (28, 21, 62, 26, 36, 28, 14, 21, 14, 17)
INCOMING_WIDTHS_MM = (21, 14, 38, 28, 21, 62, 32, 21, 14, 16)
OUTGOING_CENTRED = (0, 1, 6, 7)
INCOMING_CENTRED = (0, 1, 3, 4, 7)
REGISTER_MARGIN_MM = 15
REGISTER_FONT_SIZE = 9
REGISTER_LEADING = 11
REGISTER_PAD = 2.5
REGISTER_PAD_TOP = 2
REGISTER_PAD_BOTTOM = 2.5
REGISTER_MAX_LINES = 25


def _period(start: date, end: date) -> str:
    return f"Từ ngày {_ddmmyyyy(start)} đến ngày {_ddmmyyyy(end)}"


def _outgoing_values(row: OutgoingRow) -> list[Any]:
    return [
        row.number_symbol,
        row.date,
        row.type_and_subject,
        row.signer,
        row.recipients,
        row.file_unit,
        row.copies,
        row.sent_on,
        "",
        row.note,
    ]


def _incoming_values(row: IncomingRow) -> list[Any]:
    return [
        row.received_on,
        row.incoming_number,
        row.issuer,
        row.number_symbol,
        row.date,
        row.type_and_subject,
        row.assignee,
        row.passed_on,
        "",
        row.note,
    ]


# XLSX -----------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="000000")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _xlsx_cell(ws: WriteOnlyWorksheet, value: Any, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _xlsx_value(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """A data cell: dates get the dd/mm/yyyy format; text is never taken for a formula."""
    if isinstance(value, date):
        return _xlsx_cell(ws, value, number_format=XLSX_DATE_FORMAT)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", _nfc(value))[:XLSX_MAX_TEXT]
        if value.startswith("="):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            return cell
        return value or None
    return value


def _register_xlsx(
    sheet_title: str,
    title: str,
    unit_name: str,
    start: date,
    end: date,
    headings: Sequence[str],
    widths_mm: Sequence[float],
    values: Iterable[list[Any]],
) -> bytes:
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    workbook.properties.creator = "Công Đoàn Số"
    ws = workbook.create_sheet(sheet_title)
    count = len(headings)
    last = get_column_letter(count)
    for i, width in enumerate(widths_mm, start=1):
        ws.column_dimensions[get_column_letter(i)].width = round(width / 1.9, 1)
    ws.freeze_panes = "A7"
    ws.print_title_rows = "5:6"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for row in (1, 2, 3):
        ws.merged_cells.add(f"A{row}:{last}{row}")

    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.append([_xlsx_cell(ws, _upper(unit_name), font=Font(bold=True))])
    ws.append([_xlsx_cell(ws, title, font=Font(bold=True, size=14), alignment=centre)])
    ws.append([_xlsx_cell(ws, _period(start, end), font=Font(italic=True), alignment=centre)])
    ws.append([])
    ws.append(
        [
            _xlsx_cell(ws, text, font=Font(bold=True), alignment=centre, border=_GRID)
            for text in headings
        ]
    )
    ws.append(
        [
            _xlsx_cell(ws, f"({i})", font=Font(italic=True), alignment=centre, border=_GRID)
            for i in range(1, count + 1)
        ]
    )
    for row in values:
        ws.append([_xlsx_value(ws, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def outgoing_register_xlsx(
    unit_name: str, start: date, end: date, rows: Iterable[OutgoingRow]
) -> bytes:
    """The register of outgoing documents as XLSX, rows streamed (a generator is fine)."""
    return _register_xlsx(
        "Sổ văn bản đi",
        OUTGOING_TITLE,
        unit_name,
        start,
        end,
        OUTGOING_HEADINGS,
        OUTGOING_WIDTHS_MM,
        (_outgoing_values(r) for r in rows),
    )


def incoming_register_xlsx(
    unit_name: str, start: date, end: date, rows: Iterable[IncomingRow]
) -> bytes:
    """The register of incoming documents as XLSX, rows streamed (a generator is fine)."""
    return _register_xlsx(
        "Sổ văn bản đến",
        INCOMING_TITLE,
        unit_name,
        start,
        end,
        INCOMING_HEADINGS,
        INCOMING_WIDTHS_MM,
        (_incoming_values(r) for r in rows),
    )


# PDF ------------------------------------------------------------------------------------------


def _wrapped(value: Any, font: str, width: float) -> str:
    """A cell as plain pre-wrapped text: much faster in a long table than a Paragraph.

    At most ``REGISTER_MAX_LINES`` lines, so that no row is taller than a page (the XLSX
    register keeps the whole text).
    """
    if value is None:
        return ""
    if isinstance(value, date):
        return _ddmmyyyy(value)
    text = _nfc(str(value)).strip()
    if not text:
        return ""
    lines = simpleSplit(text, font, REGISTER_FONT_SIZE, width - 2 * REGISTER_PAD)
    if len(lines) > REGISTER_MAX_LINES:
        lines = [*lines[: REGISTER_MAX_LINES - 1], lines[REGISTER_MAX_LINES - 1] + " …"]
    return "\n".join(lines)


class _PagedTable(Flowable):
    """A long table laid out one page at a time, the heading rows repeated on every page.

    reportlab's ``Table.split`` rebuilds the table of all the rows left at each page break,
    so a register of n rows costs time in n²; here each page is a ``LongTable`` of only the
    rows that could fit, and the rest waits in the shared list.
    """

    def __init__(
        self,
        head: list[list[str]],
        rows: list[list[str]],
        widths: list[float],
        style: TableStyle,
        min_row_height: float,
        start: int = 0,
    ) -> None:
        super().__init__()
        self.head, self.rows, self.widths, self.style = head, rows, widths, style
        self.min_row_height, self.start = min_row_height, start
        self._table: LongTable | None = None
        self._table_for = -1.0

    def _window(self, avail_height: float) -> LongTable:
        if self._table is not None and self._table_for == avail_height:
            return self._table  # the frame asks wrap() then split() with the same height
        count = int(avail_height / self.min_row_height) + 2  # more rows than can fit
        body = self.rows[self.start : self.start + count]
        self._table_for = avail_height
        self._table = LongTable(
            self.head + body, colWidths=self.widths, repeatRows=len(self.head), style=self.style
        )
        return self._table

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        table = self._window(avail_height)
        width, height = table.wrap(avail_width, avail_height)
        last = self.start + len(table._cellvalues) - len(self.head) >= len(self.rows)
        self.width, self.height = width, height if last else max(height, avail_height + 1)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        table = self._window(avail_height)
        parts = table.split(avail_width, avail_height)
        if not parts:
            return []  # not even the heading and one row: try the next page
        taken = len(parts[0]._cellvalues) - len(self.head)
        rest = _PagedTable(
            self.head, self.rows, self.widths, self.style, self.min_row_height, self.start + taken
        )
        return [parts[0], rest] if self.start + taken < len(self.rows) else [parts[0]]

    def draw(self) -> None:
        assert self._table is not None
        self._table.drawOn(self.canv, 0, 0)


def _bottom_page_numbers(canvas: Canvas, template: Any) -> None:
    width, _height = canvas._pagesize
    canvas.saveState()
    canvas.setFont(PDF_REGULAR, REGISTER_FONT_SIZE)
    canvas.drawCentredString(width / 2, 8 * mm, f"Trang {canvas.getPageNumber()}")
    canvas.restoreState()


def _register_pdf(
    title: str,
    unit_name: str,
    start: date,
    end: date,
    headings: Sequence[str],
    widths_mm: Sequence[float],
    centred: Sequence[int],
    values: Iterable[list[Any]],
) -> bytes:
    _fonts()
    widths = [w * mm for w in widths_mm]
    head = [
        [_wrapped(text, PDF_BOLD, w) for text, w in zip(headings, widths, strict=True)],
        [f"({i})" for i in range(1, len(headings) + 1)],
    ]
    data = [
        [_wrapped(v, PDF_REGULAR, w) for v, w in zip(row, widths, strict=True)] for row in values
    ]
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), PDF_REGULAR, REGISTER_FONT_SIZE, REGISTER_LEADING),
        ("FONT", (0, 0), (-1, 0), PDF_BOLD, REGISTER_FONT_SIZE, REGISTER_LEADING),
        ("FONT", (0, 1), (-1, 1), PDF_ITALIC, REGISTER_FONT_SIZE, REGISTER_LEADING),
        ("ALIGN", (0, 0), (-1, 1), "CENTER"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 2), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#eeeeee")),
        ("LEFTPADDING", (0, 0), (-1, -1), REGISTER_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), REGISTER_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), REGISTER_PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), REGISTER_PAD_BOTTOM),
    ]
    commands += [("ALIGN", (c, 2), (c, -1), "CENTER") for c in centred]
    min_row_height = REGISTER_LEADING + REGISTER_PAD_TOP + REGISTER_PAD_BOTTOM
    table = _PagedTable(head, data, widths, TableStyle(commands), min_row_height)

    story: list[Flowable] = [
        _para(_upper(unit_name), _style("unit", font=PDF_BOLD, size=11, alignment=TA_LEFT)),
        Spacer(1, 4),
        _para(title, _style("title", font=PDF_BOLD, size=15)),
        _para(_period(start, end), _style("period", font=PDF_ITALIC, size=11)),
        Spacer(1, 8),
        table,
    ]
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=REGISTER_MARGIN_MM * mm,
        rightMargin=REGISTER_MARGIN_MM * mm,
        topMargin=REGISTER_MARGIN_MM * mm,
        bottomMargin=REGISTER_MARGIN_MM * mm,
        title=f"{title} - {_nfc(unit_name)}",
        creator="Công Đoàn Số",
        initialFontName=PDF_REGULAR,
    )
    template.build(story, onFirstPage=_bottom_page_numbers, onLaterPages=_bottom_page_numbers)
    return buffer.getvalue()


def outgoing_register_pdf(
    unit_name: str, start: date, end: date, rows: Iterable[OutgoingRow]
) -> bytes:
    """The register of outgoing documents: landscape A4, heading repeated, pages numbered."""
    return _register_pdf(
        OUTGOING_TITLE,
        unit_name,
        start,
        end,
        OUTGOING_HEADINGS,
        OUTGOING_WIDTHS_MM,
        OUTGOING_CENTRED,
        (_outgoing_values(r) for r in rows),
    )


def incoming_register_pdf(
    unit_name: str, start: date, end: date, rows: Iterable[IncomingRow]
) -> bytes:
    """The register of incoming documents: landscape A4, heading repeated, pages numbered."""
    return _register_pdf(
        INCOMING_TITLE,
        unit_name,
        start,
        end,
        INCOMING_HEADINGS,
        INCOMING_WIDTHS_MM,
        INCOMING_CENTRED,
        (_incoming_values(r) for r in rows),
    )


# ---------------------------------------------------------------------------------------------
# Handling slip
# ---------------------------------------------------------------------------------------------


def _dotted_lines(count: int) -> list[Flowable]:
    return [
        HRFlowable(
            width="100%",
            thickness=0.5,
            color=colors.grey,
            dash=(1, 2),
            spaceBefore=14,
            spaceAfter=0,
        )
        for _ in range(count)
    ]


def handling_slip_pdf(slip: HandlingSlip) -> bytes:
    """The "Phiếu giải quyết văn bản đến" for one incoming document, as an A4 PDF."""
    _fonts()
    label = _style("label", font=PDF_BOLD, size=12, alignment=TA_LEFT, spaceBefore=10)
    text = _style("text", size=12, alignment=TA_JUSTIFY, leading=15)
    cell = _style("cell", size=11, alignment=TA_LEFT, leading=13)
    cell_bold = _style("cellb", font=PDF_BOLD, size=11, alignment=TA_LEFT, leading=13)
    right = _style("right", font=PDF_ITALIC, size=12, alignment=TA_RIGHT)

    unit = _upper(slip.unit_name)
    head = Table(
        [
            [
                [
                    _para(unit, _style("unit", font=PDF_BOLD, size=12)),
                    _rule(max(min(_text_width(unit, PDF_BOLD, 12), 66 * mm) * 0.4, 15 * mm)),
                ],
                "",
            ]
        ],
        colWidths=[70 * mm, (TEXT_WIDTH_MM - 70) * mm],
    )
    head.setStyle(_LAYOUT)

    details = [
        ("Số đến:", str(slip.incoming_number)),
        ("Ngày đến:", _ddmmyyyy(slip.received_on)),
        ("Tác giả:", slip.issuer),
        ("Số, ký hiệu:", slip.number_symbol),
        ("Ngày tháng văn bản:", _ddmmyyyy(slip.document_date)),
        ("Trích yếu nội dung:", slip.subject),
    ]
    info = Table(
        [[_para(k, cell_bold), _para(v, cell)] for k, v in details],
        colWidths=[45 * mm, (TEXT_WIDTH_MM - 45) * mm],
    )
    info.setStyle(
        TableStyle(
            [
                _CELL_FONT,
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )

    story: list[Flowable] = [
        head,
        Spacer(1, 14),
        _para(SLIP_TITLE, _style("slip", font=PDF_BOLD, size=15)),
        _para(
            f"(Kèm theo văn bản đến số {slip.incoming_number}, "
            f"ngày đến {_ddmmyyyy(slip.received_on)})",
            _style("attached", font=PDF_ITALIC, size=12),
        ),
        Spacer(1, 10),
        info,
        _para("1. Ý kiến của lãnh đạo cơ quan, tổ chức:", label),
    ]
    if slip.leader_instruction.strip():
        story += [_para(paragraph, text) for paragraph in _body_paragraphs(slip.leader_instruction)]
    else:
        story += _dotted_lines(3)
    if slip.instruction_by.strip() or slip.instruction_on:
        signed = date_words(slip.instruction_on)
        story.append(_para(signed[:1].upper() + signed[1:], right))
        if slip.instruction_by.strip():
            story.append(
                _para(
                    slip.instruction_by.strip(),
                    _style("by", font=PDF_BOLD, size=12, alignment=TA_RIGHT),
                )
            )
    story.append(_para("2. Đơn vị, người giải quyết:", label))
    story.append(_para(slip.assignee or "", text))
    story.append(_para(f"Thời hạn giải quyết: {_ddmmyyyy(slip.deadline) or 'không ghi hạn'}", text))
    story.append(_para("3. Ý kiến của lãnh đạo đơn vị:", label))
    story += _dotted_lines(2)
    story.append(_para("4. Ý kiến đề xuất của người giải quyết:", label))
    story += _dotted_lines(2)
    story.append(_para("5. Quá trình giải quyết:", label))
    story.append(Spacer(1, 4))
    rows: list[list[Any]] = [
        [_para(h, cell_bold) for h in ("Thời gian", "Người thực hiện", "Nội dung")]
    ]
    for when, who, what in slip.history:
        rows.append(
            [_para(when.strftime("%d/%m/%Y %H:%M"), cell), _para(who, cell), _para(what, cell)]
        )
    if len(rows) == 1:
        rows.append(["", "", _para("Chưa có", cell)])
    history = LongTable(rows, colWidths=[32 * mm, 45 * mm, (TEXT_WIDTH_MM - 77) * mm], repeatRows=1)
    history.setStyle(
        TableStyle(
            [
                _CELL_FONT,
                ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(history)

    buffer = io.BytesIO()
    template = _pdf_document(
        buffer, pagesize=A4, title=f"{SLIP_TITLE} số {slip.incoming_number}", author=slip.unit_name
    )
    template.build(story, onLaterPages=_later_page_numbers(12))
    return buffer.getvalue()
