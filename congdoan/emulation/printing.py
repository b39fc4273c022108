"""The recognition certificate of an initiative (giấy chứng nhận sáng kiến) as an A4 PDF.

An official Vietnamese paper: its printed words are Vietnamese whatever the language of the
page that asked for it (as the union card). Source Sans Pro is embedded so every Vietnamese
letter prints; the text can be read back (pypdf) for checks.
"""

from __future__ import annotations

import io
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from congdoan.core.text import vnd
from congdoan.emulation.models import Author, Initiative, Scope
from congdoan.members.cards import BOLD, REGULAR, _register_fonts

TITLE = "GIẤY CHỨNG NHẬN SÁNG KIẾN"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SCOPES = {
    Scope.UNIT: "trong phạm vi cơ quan, đơn vị",
    Scope.PROVINCE: "trong phạm vi toàn tỉnh",
    Scope.NATIONAL: "trong phạm vi toàn quốc",
}
UNION_RED = colors.HexColor("#b3261e")


def _percent(value: Decimal) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value)}%"
    return f"{value.normalize()}".replace(".", ",") + "%"


def _date_words(initiative: Initiative) -> str:
    day = initiative.decided_on
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}" if day else ""


def _author(author: Author) -> str:
    text = author.full_name
    if author.birth_date:
        text += f" (sinh ngày {author.birth_date:%d/%m/%Y})"
    if author.workplace:
        text += f", {author.workplace}"
    return f"{text} – đóng góp {_percent(author.contribution)}"


def certificate_pdf(initiative: Initiative, authors: list[Author]) -> bytes:
    """The certificate of a recognised initiative (the caller checks it is recognised)."""
    _register_fonts()
    buffer = io.BytesIO()
    size = landscape(A4)
    width, height = size
    pdf = canvas.Canvas(buffer, pagesize=size)
    pdf.setTitle(f"{TITLE} – {initiative.name}")
    pdf.setAuthor(initiative.unit.name)
    pdf.setStrokeColor(UNION_RED)
    pdf.setLineWidth(2)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(0.6)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    left = 30 * mm
    text_width = width - 2 * left
    y = height - 30 * mm
    pdf.setFillColor(colors.black)
    pdf.setFont(BOLD, 12)
    pdf.drawCentredString(width / 2, y, NATION)
    y -= 6 * mm
    pdf.setFont(REGULAR, 12)
    pdf.drawCentredString(width / 2, y, MOTTO)
    y -= 8 * mm
    pdf.setFont(BOLD, 12)
    pdf.drawCentredString(width / 2, y, initiative.unit.name.upper())
    y -= 14 * mm
    pdf.setFillColor(UNION_RED)
    pdf.setFont(BOLD, 24)
    pdf.drawCentredString(width / 2, y, TITLE)
    pdf.setFillColor(colors.black)
    y -= 12 * mm

    def line(label: str, value: str, *, bold: bool = False) -> None:
        nonlocal y
        pdf.setFont(REGULAR, 12)
        label_width = pdf.stringWidth(label + " ", REGULAR, 12)
        font = BOLD if bold else REGULAR
        parts = simpleSplit(value, font, 12, text_width - label_width) or [""]
        pdf.drawString(left, y, label)
        pdf.setFont(font, 12)
        for part in parts:
            pdf.drawString(left + label_width, y, part)
            y -= 6 * mm

    line("Chứng nhận sáng kiến:", initiative.name, bold=True)
    line("Lĩnh vực áp dụng:", initiative.field)
    names = "; ".join(_author(a) for a in authors)
    line("Tác giả:" if len(authors) == 1 else "Đồng tác giả:", names)
    line("Được công nhận là sáng kiến", SCOPES.get(initiative.scope, ""))
    line("Giá trị làm lợi:", vnd(initiative.benefit_vnd) + " đồng")
    if initiative.first_applied_on:
        line("Áp dụng lần đầu từ ngày:", initiative.first_applied_on.strftime("%d/%m/%Y"))
    line("Theo quyết định:", initiative.decision_reference)
    y -= 6 * mm
    pdf.setFont(REGULAR, 12)
    pdf.drawCentredString(width * 0.72, y, _date_words(initiative))
    y -= 6 * mm
    pdf.setFont(BOLD, 12)
    pdf.drawCentredString(width * 0.72, y, "TM. " + initiative.unit.name.upper()[:60])
    pdf.setFont(REGULAR, 9)
    pdf.drawString(left, 20 * mm, f"Số đăng ký sáng kiến: {initiative.pk}/{initiative.year}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
