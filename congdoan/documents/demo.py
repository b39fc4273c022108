"""Demo documents: what the Lào Cai report calls sending documents down to every grassroots
union the same day, and the incoming register of the provincial federation.

* TLĐ issues a Hướng dẫn to every provincial federation; Lào Cai registers it, the leader
  assigns it to the Văn phòng with a deadline (bút phê).
* LĐLĐ Lào Cai issues a Kế hoạch (with its PDF) to every grassroots union under it; two
  unions acknowledge, one registers it. A công văn of the Văn phòng is issued and recalled.
* Paper documents from the Party and the government in the incoming register (the Party
  style ``18-NQ/TW``, a legal document ``30/2020/NĐ-CP``), one of them overdue.
* A draft waiting for signature.

Loaded once: nothing happens when documents exist already.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from django.utils import timezone

from congdoan.documents import services
from congdoan.documents.models import Delivery, Document
from congdoan.org.models import Unit


def _pdf(title: str, lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from congdoan.members.cards import BOLD, REGULAR, _register_fonts

    _register_fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont(BOLD, 14)
    page.drawCentredString(A4[0] / 2, A4[1] - 90, title)
    page.setFont(REGULAR, 12)
    y = A4[1] - 130
    for line in lines:
        page.drawString(85, y, line)
        y -= 18
    page.save()
    return buffer.getvalue()


def _issue(unit: Unit, data: dict, files: list[services.Upload] = ()) -> Document:
    document = services.create_outgoing(None, unit, data)
    if files:
        services.add_attachments(None, document, files)
    services.submit_for_signature(None, document)
    services.sign(None, document)
    return services.issue(None, document).document


def load_demo_documents(log: Callable[[str], None] = print) -> None:
    if Document.objects.exists():
        return
    units = {u.code: u for u in Unit.objects.filter(code__in=["TLD", "LCI", "LCI-VP"])}
    if len(units) < 3:
        return
    tld, lci, vp = units["TLD"], units["LCI"], units["LCI-VP"]
    today = timezone.localdate()

    guidance = _issue(
        tld,
        {
            "doc_type": "HD",
            "subject": "Hướng dẫn tổ chức đại hội công đoàn các cấp nhiệm kỳ 2028 – 2033",
            "summary": "Hướng dẫn nội dung, hình thức, thời gian tổ chức đại hội công đoàn cơ sở.",
            "place": "Hà Nội",
            "signer_authority": "TM. ĐOÀN CHỦ TỊCH",
            "signer_position": "PHÓ CHỦ TỊCH",
            "signer_name": "Phan Văn Anh",
            "recipient_spec": [{"unit": "TLD", "mode": "kind", "kind": "province"}],
            "recipients_text": "Các LĐLĐ tỉnh, thành phố;\nLưu: VT, Ban TC.",
        },
    )
    delivery = Delivery.objects.get(document=guidance, recipient=lci)
    incoming = services.register_delivery(None, delivery)
    services.assign(
        None,
        incoming,
        assignee_unit=vp,
        instruction="Giao Văn phòng tham mưu kế hoạch triển khai, báo cáo Thường trực.",
        deadline=today + dt.timedelta(days=7),
    )

    plan_pdf = _pdf(
        "KẾ HOẠCH",
        [
            "Tổ chức các hoạt động Tháng Công nhân năm 2026",
            "Liên đoàn Lao động tỉnh Lào Cai",
            "Ứng dụng công nghệ thông tin trong hoạt động công đoàn.",
        ],
    )
    plan = _issue(
        lci,
        {
            "doc_type": "KH",
            "subject": "Tổ chức các hoạt động Tháng Công nhân, Tháng hành động về an toàn, "
            "vệ sinh lao động năm 2026",
            "summary": "Các cấp công đoàn trong tỉnh tổ chức Tháng Công nhân với chủ đề "
            "“Công nhân chuyển đổi số”.",
            "body": "Thực hiện Kế hoạch của Tổng Liên đoàn Lao động Việt Nam, Ban Thường vụ "
            "Liên đoàn Lao động tỉnh ban hành Kế hoạch tổ chức các hoạt động Tháng Công nhân.",
            "place": "Lào Cai",
            "urgency": 1,
            "signer_authority": "TM. BAN THƯỜNG VỤ",
            "signer_position": "CHỦ TỊCH",
            "signer_name": "Nguyễn Hữu Long",
            "drafting_unit": vp,
            "recipient_spec": [{"unit": "LCI", "mode": "grassroots"}],
            "recipients_text": "Các CĐCS trực thuộc;\nLưu: VT, VP.",
            "public": True,  # listed under "Văn bản mới" on the Lào Cai portal
        },
        [services.Upload("ke-hoach-thang-cong-nhan-2026.pdf", plan_pdf)],
    )
    deliveries = list(Delivery.objects.filter(document=plan).order_by("recipient__path")[:3])
    for item in deliveries[:2]:
        services.acknowledge(None, item)
    if deliveries:
        services.register_delivery(None, deliveries[0])

    wrong = _issue(
        lci,
        {
            "doc_type": "CV",
            "subject": "V/v báo cáo số liệu đoàn viên quý III năm 2026",
            "place": "Lào Cai",
            "signer_authority": "TL. BAN THƯỜNG VỤ",
            "signer_position": "CHÁNH VĂN PHÒNG",
            "signer_name": "Lê Thị Hoa",
            "drafting_unit": vp,
            "recipient_spec": [{"unit": "LCI", "mode": "kind", "kind": "sector"}],
        },
    )
    services.recall(None, wrong, "Ban hành nhầm thời hạn báo cáo; sẽ ban hành văn bản thay thế.")

    party = services.register_incoming(
        None,
        lci,
        {
            "doc_type": "NQ",
            "symbol": "18-NQ/TW",
            "issuer_name": "Ban Chấp hành Trung ương Đảng",
            "issued_on": dt.date(2017, 10, 25),
            "subject": "Một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống "
            "chính trị tinh gọn, hoạt động hiệu lực, hiệu quả",
            "received_on": today - dt.timedelta(days=10),
        },
    )
    services.assign(
        None,
        party,
        assignee_unit=vp,
        instruction="Văn phòng nghiên cứu, tham mưu báo cáo sơ kết.",
        deadline=today - dt.timedelta(days=2),
    )
    services.register_incoming(
        None,
        lci,
        {
            "doc_type": "NĐ",
            "symbol": "30/2020/NĐ-CP",
            "issuer_name": "Chính phủ",
            "issued_on": dt.date(2020, 3, 5),
            "subject": "Về công tác văn thư",
            "received_on": today - dt.timedelta(days=3),
        },
        source="email",
    )
    services.create_outgoing(
        None,
        lci,
        {
            "doc_type": "BC",
            "subject": "Báo cáo kết quả cải cách hành chính năm 2026",
            "place": "Lào Cai",
            "drafting_unit": vp,
            "recipient_spec": [{"unit": "TLD", "mode": "unit"}],
        },
    )
    log(
        f"Demo: {Document.objects.count()} documents; {plan.symbol} sent to "
        f"{plan.deliveries.count()} grassroots unions."
    )
