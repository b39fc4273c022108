"""The staff pages of documents: inbox, composing and the workflow, the sender's view of its
recipients, registering incoming documents with files, duplicates, search, registers, the
handling of incoming documents and who may see what. Users and units come from
``congdoan/conftest.py``."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from congdoan.accounts.permissions import Role
from congdoan.conftest import make_user
from congdoan.documents import services
from congdoan.documents.models import Attachment, Delivery, Document, ProcessingEntry, Status

pytestmark = pytest.mark.django_db

SUBJECT = "Tổ chức các hoạt động Tháng Công nhân năm 2026"
PARTY_DOC = {
    "source": "paper",
    "doc_type": "NQ",
    "symbol": "Số: 18-NQ/TW",
    "issuer_name": "Ban Chấp hành Trung ương",
    "issued_on": "2017-10-25",
    "subject": "Một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy",
    "urgency": "0",
    "confidentiality": "0",
}


def vi(msgid: Any) -> str:
    """What the page shows in Vietnamese (the English text until the catalogue has it)."""
    with translation.override("vi"):
        return gettext(msgid) if isinstance(msgid, str) else str(msgid)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def field_block(html: str, name: str) -> str:
    """The ``<div class="field">`` holding the input named ``name`` (with its errors)."""
    for block in re.findall(r'<div class="field[^"]*">.*?</div>', html, flags=re.S):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name}")


def draft(unit, actor=None, **overrides) -> Document:
    data = {
        "doc_type": "KH",
        "subject": SUBJECT,
        "body": "Thực hiện Kế hoạch của Tổng Liên đoàn…",
        "recipient_spec": [{"unit": unit.code, "mode": "grassroots"}],
        "signer_name": "Nguyễn Hữu Long",
        "signer_position": "CHỦ TỊCH",
    }
    data.update(overrides)
    return services.create_outgoing(actor, unit, data)


def issued(unit, **overrides) -> Document:
    document = draft(unit, **overrides)
    services.submit_for_signature(None, document)
    services.sign(None, document)
    return services.issue(None, document).document


def pdf_bytes(text: str = "Giấy mời họp Ban Chấp hành") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(72, 720, text.encode("ascii", "ignore").decode() or "Giay moi hop")
    sheet.drawString(72, 700, "Hoi nghi Ban Chap hanh Cong doan tinh Lao Cai")
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


@pytest.fixture
def leader(tree):
    return make_user("lc.leader", Role.LEADER, tree.lc)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- access ---------------------------------------------------------------------------------


def test_pages_need_login(tree):
    response = Client().get("/documents/inbox/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_menu_link_with_the_unread_count(tree, users):
    issued(tree.lc)
    html = page(login(users.chair), "/")
    assert 'id="nav-documents"' in html and 'href="/documents/inbox/"' in html
    assert re.search(r'id="nav-documents">[^<]*<span class="count"[^>]*>1</span>', html)
    assert 'id="nav-documents"' not in page(login(users.nobody), "/")


def test_users_without_rights_see_nothing_or_are_refused(tree, users):
    document = issued(tree.lc)
    nobody, other, specialist = (
        login(users.nobody),
        login(users.ht_clerk),
        login(users.lc_specialist),
    )
    assert nobody.get("/documents/inbox/").status_code == 404
    assert nobody.get(f"/documents/{document.pk}/").status_code == 404
    assert other.get(f"/documents/{document.pk}/").status_code == 404  # another province
    assert other.get("/documents/outbox/", {"unit": "LCI"}).status_code == 404
    assert other.get(f"/documents/{document.pk}/print.pdf").status_code == 404
    # In scope, but a chuyên viên neither registers nor recalls.
    assert specialist.get("/documents/incoming/new/", {"unit": "LCI"}).status_code == 403
    response = specialist.post(f"/documents/{document.pk}/recall/", {"recall-reason": "Nhầm"})
    assert response.status_code == 403
    assert not Document.objects.get(pk=document.pk).is_recalled
    # The chair of one grassroots union does not read the other's inbox, nor a draft above.
    assert login(users.chair).get("/documents/inbox/", {"unit": "LCI-D2-G1"}).status_code == 404
    pending = draft(tree.lc)
    assert login(users.chair).get(f"/documents/{pending.pk}/").status_code == 404


def test_posts_need_the_csrf_token(tree, users):
    document = issued(tree.lc)
    delivery = Delivery.objects.get(document=document, recipient=tree.lc_g1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.chair)
    url = f"/documents/inbox/{delivery.pk}/acknowledge/"
    assert client.post(url).status_code == 403
    html = page(client, "/documents/inbox/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert Delivery.objects.get(pk=delivery.pk).acknowledged_at is not None


# --- inbox and the sender's view --------------------------------------------------------


def test_inbox_shows_a_delivered_document_urgent_first(tree, users):
    normal = issued(tree.lc)
    urgent = issued(tree.lc, subject="Triển khai ngay công tác phòng chống bão", urgency=2)
    html = page(login(users.chair), "/documents/inbox/")
    assert SUBJECT in html and urgent.subject in html
    assert html.index(urgent.subject) < html.index(normal.subject)
    assert vi("Very urgent") in html and vi("New") in html
    assert normal.symbol in html


def test_recalled_document_is_marked_in_the_inbox(tree, users):
    document = issued(tree.lc)
    client = login(users.lc_clerk)
    response = client.post(
        f"/documents/{document.pk}/recall/", {"recall-reason": "Ban hành nhầm đối tượng"}
    )
    assert response.status_code == 302
    html = page(login(users.chair), "/documents/inbox/")
    assert vi("Recalled") in html
    assert 'action="/documents/inbox/' not in html.split(SUBJECT)[1].split("</tr>")[0]
    html = page(client, f"/documents/{document.pk}/")
    assert "Ban hành nhầm đối tượng" in html and 'id="recalled"' in html


def test_sender_sees_opened_and_acknowledged_counts(tree, users):
    document = issued(tree.lc)
    chair = login(users.chair)
    html = page(chair, f"/documents/{document.pk}/")  # opening records it for the sender
    assert SUBJECT in html and 'id="acknowledge"' in html
    delivery = Delivery.objects.get(document=document, recipient=tree.lc_g1)
    assert delivery.opened_at is not None
    response = chair.post(f"/documents/inbox/{delivery.pk}/acknowledge/")
    assert response.status_code == 302

    sender = login(users.lc_clerk)
    html = page(sender, f"/documents/{document.pk}/")
    assert re.search(r'id="count-delivered">2<', html)
    assert re.search(r'id="count-opened">1<', html)
    assert re.search(r'id="count-acknowledged">1<', html)
    # the sender reading its own document does not open the units' deliveries
    assert Delivery.objects.filter(document=document, opened_at__isnull=False).count() == 1
    pending = page(sender, f"/documents/{document.pk}/", recipients="pending")
    table = pending.split('id="recipients"')[1].split("</table>")[0]
    assert "Khu du lịch Fansipan" in table and "Trường THCS Bản Vược" not in table


def test_register_a_delivery_gives_the_incoming_number(tree, users):
    document = issued(tree.lc)
    delivery = Delivery.objects.get(document=document, recipient=tree.lc_g1)
    client = login(users.chair)
    response = client.post(f"/documents/inbox/{delivery.pk}/register/")
    assert response.status_code == 302
    incoming = Document.objects.get(origin=document)
    assert response["Location"] == f"/documents/{incoming.pk}/"
    html = page(client, response["Location"])
    assert re.search(r'id="incoming-number">1<', html)
    assert document.symbol in html


# --- composing and the workflow -----------------------------------------------------------


def compose_data(**overrides):
    data = {
        "doc_type": "KH",
        "subject": SUBJECT,
        "summary": "",
        "body": "Thực hiện Kế hoạch của Tổng Liên đoàn",
        "place": "Lào Cai",
        "urgency": "0",
        "confidentiality": "0",
        "signer_authority": "TM. BAN THƯỜNG VỤ",
        "signer_position": "CHỦ TỊCH",
        "signer_name": "Nguyễn Hữu Long",
        "copies": "1",
        "recipient_unit": ["LCI", ""],
        "recipient_mode": ["grassroots", "unit"],
        "recipient_kind": ["", ""],
    }
    data.update(overrides)
    return data


def test_specialist_composes_a_draft_and_sees_it(tree, users):
    client = login(users.lc_specialist)
    html = page(client, "/documents/new/", unit="LCI")
    assert 'name="recipient_unit"' in html and 'name="attachments"' in html
    response = client.post("/documents/new/?unit=LCI", compose_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert document.recipient_spec == [{"unit": "LCI", "mode": "grassroots"}]
    html = page(client, response["Location"])
    assert SUBJECT in html and vi(Status.DRAFT.label) in html
    assert 'id="edit"' in html
    assert SUBJECT in page(client, "/documents/outbox/", unit="LCI")


def test_compose_errors_are_shown_next_to_their_fields(tree, users):
    client = login(users.lc_specialist)
    data = compose_data(doc_type="CV", subject="  ", recipient_unit=["NOPE"])
    data["recipient_mode"] = ["unit"]
    data["recipient_kind"] = [""]
    response = client.post("/documents/new/?unit=LCI", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "has-error" in field_block(html, "subject")
    assert "NOPE" in html.split('id="recipient-rows"')[1]
    assert 'value="NOPE"' in html  # what was typed stays
    assert not Document.objects.exists()


def test_an_invalid_file_saves_nothing_and_says_so_on_the_attachments_field(tree, users):
    client = login(users.lc_specialist)
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 this is not a pdf", "application/pdf")
    good = SimpleUploadedFile("ke-hoach.pdf", pdf_bytes(), "application/pdf")
    response = client.post("/documents/new/?unit=LCI", compose_data(attachments=[good, bad]))
    assert response.status_code == 200
    assert "has-error" in field_block(response.content.decode(), "attachments")
    assert not Document.objects.exists() and not Attachment.objects.exists()


def test_the_workflow_to_an_issued_number_on_the_page(tree, users, leader):
    document = draft(tree.lc, users.lc_specialist)
    specialist = login(users.lc_specialist)
    assert specialist.post(f"/documents/{document.pk}/submit/", {}).status_code == 302
    # returning needs a reason, shown next to the note
    boss = login(leader)
    response = boss.post(f"/documents/{document.pk}/return/", {"return-note": " "})
    assert response.status_code == 200
    assert "has-error" in field_block(response.content.decode(), "return-note")
    assert boss.post(f"/documents/{document.pk}/sign/", {"sign-note": ""}).status_code == 302
    clerk = login(users.lc_clerk)
    html = page(clerk, f"/documents/{document.pk}/")
    assert 'id="issue"' in html
    response = clerk.post(f"/documents/{document.pk}/issue/", {"issue-issued_on": ""})
    assert response.status_code == 302
    html = page(clerk, f"/documents/{document.pk}/")
    assert re.search(r'id="doc-symbol">01/KH-LĐLĐ<', html)
    assert vi(Status.ISSUED.label) in html and 'id="issue"' not in html


def test_issue_with_a_future_date_is_refused_on_the_date_field(tree, users):
    document = draft(tree.lc)
    services.submit_for_signature(None, document)
    services.sign(None, document)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = login(users.lc_clerk).post(
        f"/documents/{document.pk}/issue/", {"issue-issued_on": tomorrow.isoformat()}
    )
    assert response.status_code == 200
    assert "has-error" in field_block(response.content.decode(), "issue-issued_on")
    assert Document.objects.get(pk=document.pk).status == Status.SIGNED


def test_prints_and_edxml_of_an_issued_document(tree, users):
    document = issued(tree.lc)
    client = login(users.lc_clerk)
    docx = client.get(f"/documents/{document.pk}/print.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "01-KH-LDLD.docx" in docx["Content-Disposition"]
    pdf = client.get(f"/documents/{document.pk}/print.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    package = client.get(f"/documents/{document.pk}/edxml/")
    assert package.status_code == 200 and b"KH-" in package.content
    # The package registers in another province's incoming register.
    upload = SimpleUploadedFile("goi.edxml", package.content, "application/xml")
    response = login(users.ht_clerk).post("/documents/incoming/edxml/?unit=HTH", {"file": upload})
    assert response.status_code == 302
    assert Document.objects.filter(unit=tree.ht, direction="in", subject=SUBJECT).exists()


def test_a_bad_edxml_package_is_refused_on_the_file_field(tree, users):
    upload = SimpleUploadedFile("goi.edxml", b"<not-edxml/>", "application/xml")
    response = login(users.lc_clerk).post("/documents/incoming/edxml/?unit=LCI", {"file": upload})
    assert response.status_code == 200
    assert "has-error" in field_block(response.content.decode(), "file")
    assert not Document.objects.exists()


def test_edit_a_draft_keeps_its_recipients_and_saves(tree, users):
    document = draft(tree.lc, users.lc_specialist)
    client = login(users.lc_specialist)
    html = page(client, f"/documents/{document.pk}/edit/")
    row = html.split('id="recipient-rows"')[1].split('class="recipient-row"')[1]
    assert 'value="LCI"' in row and '<option value="grassroots" selected>' in row
    data = compose_data(subject="Tổ chức Tháng Công nhân năm 2026 (sửa)")
    data["recipient_unit"] = ["LCI-D1", "HTH-G1"]
    data["recipient_mode"] = ["kind", "unit"]
    data["recipient_kind"] = ["grassroots", ""]
    response = client.post(f"/documents/{document.pk}/edit/", data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.subject.endswith("(sửa)")
    assert document.recipient_spec == [
        {"unit": "LCI-D1", "mode": "kind", "kind": "grassroots"},
        {"unit": "HTH-G1", "mode": "unit"},
    ]
    # an issued document is not edited
    done = issued(tree.lc)
    response = login(users.lc_clerk).get(f"/documents/{done.pk}/edit/")
    assert response.status_code == 302 and response["Location"] == f"/documents/{done.pk}/"
    assert login(users.chair).get(f"/documents/{document.pk}/edit/").status_code == 404


def test_unit_codes_are_suggested_while_typing(tree, users):
    client = login(users.lc_specialist)
    html = page(client, "/documents/units/", recipient_unit="bat xat")
    assert 'value="LCI-D1"' in html and "Bát Xát" in html
    assert "HTH" not in page(client, "/documents/units/", recipient_unit="ha tinh")
    assert 'name="recipient_unit"' in page(client, "/documents/new/recipient-row/")


# --- registering incoming documents by hand ---------------------------------------------


def test_register_a_paper_document_with_a_scanned_pdf(tree, users):
    client = login(users.lc_clerk)
    scan = SimpleUploadedFile("giay-moi.pdf", pdf_bytes(), "application/pdf")
    response = client.post("/documents/incoming/new/?unit=LCI", {**PARTY_DOC, "attachments": scan})
    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get()
    assert (document.incoming_number, document.symbol) == (1, "18-NQ/TW")
    html = page(client, response["Location"])
    assert re.search(r'id="incoming-number">1<', html)
    assert "giay-moi.pdf" in html and "<iframe" in html
    attachment = Attachment.objects.get(document=document)
    assert "Ban Chap hanh" in attachment.text
    inline = client.get(f"/documents/attachments/{attachment.pk}/", {"inline": "1"})
    assert inline.status_code == 200 and inline["Content-Type"] == "application/pdf"
    assert inline["Content-Disposition"].startswith("inline")
    assert inline.get("X-Frame-Options") == "SAMEORIGIN"
    assert b"".join(inline.streaming_content).startswith(b"%PDF")
    download = client.get(f"/documents/attachments/{attachment.pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    # The registered document is in the unit's inbox and register.
    assert "18-NQ/TW" in page(client, "/documents/incoming/", unit="LCI")
    assert login(users.ht_clerk).get(f"/documents/attachments/{attachment.pk}/").status_code == 404


def test_duplicate_registration_shows_the_error_on_the_symbol_and_writes_nothing(tree, users):
    client = login(users.lc_clerk)
    assert client.post("/documents/incoming/new/?unit=LCI", PARTY_DOC).status_code == 302
    before = (Document.objects.count(), Delivery.objects.count(), ProcessingEntry.objects.count())
    response = client.post(
        "/documents/incoming/new/?unit=LCI", {**PARTY_DOC, "symbol": "18 - NQ/TW"}
    )
    assert response.status_code == 200
    block = field_block(response.content.decode(), "symbol")
    assert "has-error" in block and "18-NQ/TW" in block
    with translation.override("vi"):
        expected = gettext(
            "Already registered: %(symbol)s of %(issuer)s is incoming number %(number)s "
            "of %(date)s."
        ) % {
            "symbol": "18-NQ/TW",
            "issuer": PARTY_DOC["issuer_name"],
            "number": 1,
            "date": timezone.localdate().strftime("%d/%m/%Y"),
        }
    assert expected in block
    after = (Document.objects.count(), Delivery.objects.count(), ProcessingEntry.objects.count())
    assert after == before


def scanned_pdf() -> bytes:
    """A page that is only a picture, as a scanner makes it: no text to extract."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("L", (600, 300), 255)
    ImageDraw.Draw(picture).rectangle((40, 40, 560, 260), outline=0, width=6)
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawImage(ImageReader(picture), 72, 400, width=400, height=200)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def test_a_scan_shows_its_ocr_state(tree, users, monkeypatch):
    from congdoan.documents import ocr

    client = login(users.lc_clerk)
    scan = SimpleUploadedFile("scan.pdf", scanned_pdf(), "application/pdf")
    data = {**PARTY_DOC, "symbol": "01/GM-SNV", "attachments": scan}
    response = client.post("/documents/incoming/new/?unit=LCI", data)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    html = page(client, response["Location"])
    if attachment.ocr == Attachment.Ocr.PENDING:  # tesseract installed: a job with progress
        assert f'id="job-{attachment.ocr_job}"' in html
    monkeypatch.setattr(ocr, "available", lambda language="vie": False)
    scan = SimpleUploadedFile("scan2.pdf", scanned_pdf(), "application/pdf")
    response = client.post(
        "/documents/incoming/new/?unit=LCI", {**data, "symbol": "02/GM-SNV", "attachments": scan}
    )
    assert Attachment.objects.get(original_name="scan2.pdf").ocr == Attachment.Ocr.OFF
    html = page(client, response["Location"])
    assert (
        vi(
            "OCR is off on this server: the text of this scan is not recognised and cannot be "
            "searched."
        )
        in html
    )


def test_word_text_and_signature_reports_are_shown(tree, users):
    from docx import Document as Docx

    word = Docx()
    word.add_paragraph("Kế hoạch tổ chức Đại hội Công đoàn cơ sở")
    buffer = io.BytesIO()
    word.save(buffer)
    client = login(users.lc_clerk)
    upload = SimpleUploadedFile("ke-hoach.docx", buffer.getvalue())
    response = client.post(
        "/documents/incoming/new/?unit=LCI",
        {**PARTY_DOC, "symbol": "05/KH-CĐ", "attachments": upload},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    Attachment.objects.filter(pk=attachment.pk).update(
        signatures=[
            {
                "signer_name": "Liên đoàn Lao động tỉnh Lào Cai",
                "signed_at": "2026-03-05T08:00:00+07:00",
                "intact": True,
                "valid": True,
                "trusted": False,
                "summary": "Chữ ký hợp lệ; chứng thư không thuộc gốc tin cậy",
            }
        ]
    )
    html = page(client, response["Location"])
    preview = html.split('id="attachments"')[1]
    assert "<details>" in preview and "Kế hoạch tổ chức Đại hội Công đoàn cơ sở" in preview
    assert "<iframe" not in preview
    assert "chứng thư không thuộc gốc tin cậy" in preview


# --- handling -------------------------------------------------------------------------------


def test_leader_assigns_and_the_assignee_finishes_from_my_work(tree, users, leader):
    document = services.register_incoming(
        users.lc_clerk, tree.lc, {"subject": "Giấy mời họp", "issuer_name": "Sở Nội vụ"}
    )
    boss = login(leader)
    html = page(boss, f"/documents/{document.pk}/")
    assert 'name="assign-assignee_unit"' in html and "Văn phòng" in html
    # nobody chosen: the error names the department field
    response = boss.post(f"/documents/{document.pk}/assign/", {"assign-instruction": "x"})
    assert "has-error" in field_block(response.content.decode(), "assign-assignee_unit")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = boss.post(
        f"/documents/{document.pk}/assign/",
        {
            "assign-assignee": users.lc_specialist.pk,
            "assign-instruction": "Chuẩn bị nội dung",
            "assign-deadline": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    item = document.assignments.get()
    worker = login(users.lc_specialist)
    html = page(worker, "/documents/tasks/")
    assert "Giấy mời họp" in html and "Chuẩn bị nội dung" in html
    assert "Giấy mời họp" in page(boss, "/documents/tasks/").split('id="watched-tasks"')[1]
    # someone who may not work on it is refused
    assert login(users.chair).post(f"/documents/assignments/{item.pk}/start/").status_code == 404
    assert worker.post(f"/documents/assignments/{item.pk}/start/").status_code == 302
    response = worker.post(
        f"/documents/assignments/{item.pk}/complete/", {f"complete-{item.pk}-note": "Đã xong"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.DONE
    assert "Giấy mời họp" not in page(worker, "/documents/tasks/")
    slip = worker.get(f"/documents/{document.pk}/slip.pdf")
    assert slip.status_code == 200 and slip.content.startswith(b"%PDF")
    report = page(boss, "/documents/reports/timeliness/", unit="LCI", to=yesterday.isoformat())
    assert 'id="timeliness"' in report


def test_a_department_works_on_what_it_was_assigned(tree, users, leader):
    clerk = login(users.lc_clerk)
    scan = SimpleUploadedFile("cong-van.pdf", pdf_bytes(), "application/pdf")
    data = {**PARTY_DOC, "symbol": "123/UBND-VX", "issuer_name": "UBND tỉnh Lào Cai"}
    response = clerk.post("/documents/incoming/new/?unit=LCI", {**data, "attachments": scan})
    document = Document.objects.get()
    services.assign(leader, document, assignee_unit=tree.lc_vp, instruction="VP tham mưu")
    vp = login(make_user("vp", Role.SPECIALIST, tree.lc_vp))
    assert f'href="/documents/{document.pk}/' in page(vp, "/documents/tasks/")
    html = page(vp, response["Location"])  # not the unit's document, but the department's work
    assert "VP tham mưu" in html and 'name="assign-assignee_unit"' not in html
    attachment = Attachment.objects.get()
    assert vp.get(f"/documents/attachments/{attachment.pk}/").status_code == 200
    item = document.assignments.get()
    response = vp.post(
        f"/documents/assignments/{item.pk}/complete/", {f"complete-{item.pk}-note": "Đã tham mưu"}
    )
    assert response.status_code == 302
    assert Document.objects.get(pk=document.pk).status == Status.DONE
    # another department sees none of it
    other = login(make_user("other", Role.SPECIALIST, tree.lc_d1))
    assert other.get(f"/documents/{document.pk}/").status_code == 404
    assert other.get(f"/documents/attachments/{attachment.pk}/").status_code == 404


# --- search and registers ---------------------------------------------------------------


def test_search_finds_words_without_diacritics(tree, users):
    issued(tree.lc)
    draft(tree.lc, subject="Báo cáo công tác quý III")
    client = login(users.lc_clerk)
    html = page(client, "/documents/search/", q="thang cong nhan")
    assert SUBJECT in html and "Báo cáo công tác quý III" not in html
    html = page(client, "/documents/search/", q="", type="KH", status="issued")
    assert SUBJECT in html and "quý III" not in html
    html = page(client, "/documents/search/", q="thang cong nhan", to="01/01/2000")
    assert SUBJECT not in html
    # out of scope: another province finds nothing
    assert SUBJECT not in page(login(users.ht_clerk), "/documents/search/", q="thang cong nhan")


def test_outgoing_register_xlsx_has_the_issued_row(tree, users):
    document = issued(tree.lc)
    draft(tree.lc, subject="Chưa ban hành")
    client = login(users.lc_clerk)
    html = page(client, "/documents/registers/", unit="LCI", kind="outgoing")
    assert document.symbol in html and "Chưa ban hành" not in html
    # "Register" the book, not the verb of the incoming pages' button ("Vào sổ").
    assert '<label for="id_kind">Sổ</label>' in html
    assert ">Vào sổ</button>" in page(client, "/documents/incoming/new/", unit="LCI")
    response = client.get("/documents/registers/", {"unit": "LCI", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    issued_rows = [r for r in rows if "01/KH-LĐLĐ" in r]
    assert len(issued_rows) == 1
    assert any(SUBJECT in str(c) for c in issued_rows[0])
    assert not any("Chưa ban hành" in str(c) for r in rows for c in r)
    pdf = client.get("/documents/registers/", {"unit": "LCI", "kind": "incoming", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_search_says_when_the_count_stopped(tree, users, monkeypatch):
    from congdoan.documents import search

    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    for n in range(4):
        issued(tree.lc, subject=f"Thông báo lịch trực số {n}")
    html = page(login(users.lc_clerk), "/documents/search/", q="thong bao lich truc")
    assert "Hơn 2 văn bản" in html
