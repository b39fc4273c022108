"""Printable union cards (thẻ đoàn viên): an A4 PDF of ten cards, each with a QR code.

The card is an official Vietnamese document, so its printed words are Vietnamese whatever
the language of the page that asked for it. The QR code holds the address of the public
verification page, which shows only the name, the union and whether the card is valid.
Source Sans Pro is embedded (subset) so every Vietnamese letter prints.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from congdoan.members.models import Member

REGULAR = "SourceSansPro"
BOLD = "SourceSansPro-Bold"

# ISO/IEC 7810 ID-1, the size of a bank card: two columns of five on A4.
CARD_WIDTH = 85.6 * mm
CARD_HEIGHT = 54 * mm
COLUMNS = 2
ROWS = 5
PER_PAGE = COLUMNS * ROWS
QR_SIZE = 25 * mm
QR_QUIET = 2  # modules of white around the code (the card's white continues beyond)
QR_MASK = 2
UNION_RED = colors.HexColor("#b3261e")

HEADING = "CÔNG ĐOÀN VIỆT NAM"
TITLE = "THẺ ĐOÀN VIÊN"
LABELS = {
    "birth": "Ngày sinh",
    "union": "Công đoàn",
    "card": "Số thẻ",
    "joined": "Ngày vào Công đoàn",
}


@cache
def _register_fonts() -> None:
    import font_source_sans_pro

    files = Path(font_source_sans_pro.__file__).parent / "files"
    pdfmetrics.registerFont(TTFont(REGULAR, str(files / "SourceSansPro-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(files / "SourceSansPro-Bold.ttf")))


def _date(member: Member, field: str) -> str:
    day = getattr(member, field)
    if field == "birth_date" and member.birth_year_only:
        return str(day.year)
    return day.strftime("%d/%m/%Y")


def _qr_modules(value: str) -> list[list[bool]]:
    """The dark and light modules of ``value``'s QR code (reportlab's encoder).

    One fixed mask pattern instead of trying all eight: any mask is valid and read by every
    scanner, and choosing the best costs about 60 ms a code, half a minute for 500 cards.
    """
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.version = code.calculate_version()
    code.makeImpl(False, QR_MASK)
    return code.modules


def _draw_qr(pdf: canvas.Canvas, value: str, x: float, y: float, size: float) -> None:
    """The QR code as one filled path of dark runs, with a quiet zone, lower-left at (x, y)."""
    modules = _qr_modules(value)
    box = size / (len(modules) + 2 * QR_QUIET)
    path = pdf.beginPath()
    for r, row in enumerate(modules):
        column = 0
        for dark, run in itertools.groupby(row):
            length = len(list(run))
            if dark:
                path.rect(
                    x + (column + QR_QUIET) * box,
                    y + size - (r + QR_QUIET + 1) * box,
                    length * box,
                    box,
                )
            column += length
    pdf.setFillColor(colors.black)
    pdf.drawPath(path, stroke=0, fill=1)


def _card(pdf: canvas.Canvas, member: Member, url: str, x: float, y: float) -> None:
    """One card with its lower-left corner at (x, y)."""
    pad = 4 * mm
    pdf.setStrokeColor(colors.grey)
    pdf.setLineWidth(0.5)
    pdf.roundRect(x, y, CARD_WIDTH, CARD_HEIGHT, 3 * mm, stroke=1, fill=0)
    # Header band
    pdf.setFillColor(UNION_RED)
    pdf.roundRect(x, y + CARD_HEIGHT - 12 * mm, CARD_WIDTH, 12 * mm, 3 * mm, stroke=0, fill=1)
    pdf.rect(x, y + CARD_HEIGHT - 12 * mm, CARD_WIDTH, 4 * mm, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    pdf.setFont(BOLD, 9)
    pdf.drawCentredString(x + CARD_WIDTH / 2, y + CARD_HEIGHT - 5.5 * mm, HEADING)
    pdf.setFont(BOLD, 11)
    pdf.drawCentredString(x + CARD_WIDTH / 2, y + CARD_HEIGHT - 10.3 * mm, TITLE)
    # QR code, bottom right
    _draw_qr(pdf, url, x + CARD_WIDTH - QR_SIZE - 2 * mm, y + 2 * mm, QR_SIZE)
    # Text, left of the QR code
    pdf.setFillColor(colors.black)
    text_width = CARD_WIDTH - QR_SIZE - pad - 3 * mm
    top = y + CARD_HEIGHT - 17.5 * mm
    size = 11
    while size > 7 and pdfmetrics.stringWidth(member.full_name, BOLD, size) > (
        CARD_WIDTH - 2 * pad
    ):
        size -= 0.5
    pdf.setFont(BOLD, size)
    pdf.drawString(x + pad, top, member.full_name)
    line = top - 5 * mm
    rows = [
        (LABELS["birth"], _date(member, "birth_date")),
        (LABELS["card"], member.card_number or "—"),
        (LABELS["joined"], _date(member, "joined_on")),
    ]
    for label, value in rows:
        pdf.setFont(REGULAR, 7.5)
        pdf.drawString(x + pad, line, f"{label}: ")
        offset = pdfmetrics.stringWidth(f"{label}: ", REGULAR, 7.5)
        pdf.setFont(BOLD, 8)
        pdf.drawString(x + pad + offset, line, value)
        line -= 4 * mm
    pdf.setFont(REGULAR, 7.5)
    pdf.drawString(x + pad, line, f"{LABELS['union']}:")
    line -= 3.6 * mm
    pdf.setFont(BOLD, 7.5)
    for part in simpleSplit(member.unit.name, BOLD, 7.5, text_width)[:3]:
        pdf.drawString(x + pad, line, part)
        line -= 3.3 * mm


def card_sheet(members: Iterable[Member], url_for: Callable[[Member], str]) -> bytes:
    """A4 pages of union cards, ten to a page; ``url_for(member)`` is the QR code's address."""
    _register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(TITLE)
    pdf.setAuthor("Công Đoàn Số")
    page_width, page_height = A4
    margin_x = (page_width - COLUMNS * CARD_WIDTH) / (COLUMNS + 1)
    margin_y = (page_height - ROWS * CARD_HEIGHT) / (ROWS + 1)
    count = 0
    for member in members:
        if count and count % PER_PAGE == 0:
            pdf.showPage()
        slot = count % PER_PAGE
        column, row = slot % COLUMNS, slot // COLUMNS
        x = margin_x + column * (CARD_WIDTH + margin_x)
        y = page_height - (row + 1) * (CARD_HEIGHT + margin_y)
        _card(pdf, member, url_for(member), x, y)
        count += 1
    if not count:
        pdf.setFont(REGULAR, 12)
        pdf.drawString(20 * mm, page_height - 20 * mm, "—")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
