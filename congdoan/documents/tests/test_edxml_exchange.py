"""edXML between two federations: export an issued document, import it elsewhere, status
messages and recalls; hostile packages refused with nothing written."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from reportlab.pdfgen import canvas

from congdoan.documents import edxml, services
from congdoan.documents.models import Document, ProcessingEntry, Source
from congdoan.documents.tests.test_services import draft, issued

pytestmark = pytest.mark.django_db


def pdf_bytes(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def test_issued_document_travels_as_edxml_and_is_registered_elsewhere(tree, users, tmp_path):
    document = draft(tree.lc, subject="Hướng dẫn đại hội công đoàn cơ sở", doc_type="HD", urgency=1)
    scan = pdf_bytes("Huong dan dai hoi")
    services.add_attachments(None, document, [services.Upload("huong-dan.pdf", scan)])
    services.submit_for_signature(None, document)
    services.sign(None, document)
    document = services.issue(None, document).document
    package = services.export_edxml(users.lc_clerk, document)
    assert b"edXML:edXML" in package
    incoming = services.import_edxml(users.ht_clerk, tree.ht, package)
    assert incoming.source == Source.EDXML
    assert incoming.symbol == document.symbol == "01/HD-LĐLĐ"
    assert incoming.doc_type == "HD"
    assert incoming.issuer_name == tree.lc.name
    assert incoming.subject == document.subject
    assert incoming.urgency == 1
    assert incoming.issued_on == document.issued_on
    assert incoming.incoming_number == 1
    [attachment] = incoming.attachments.all()
    assert attachment.original_name == "huong-dan.pdf" and attachment.kind == "pdf"
    assert attachment.file.read() == scan
    # The same package twice is a duplicate.
    with pytest.raises(ValidationError) as info:
        services.import_edxml(users.ht_clerk, tree.ht, package)
    assert "symbol" in info.value.message_dict


def test_export_and_import_commands(tree, tmp_path):
    document = issued(tree.lc)
    out = tmp_path / "vanban.xml"
    stdout = io.StringIO()
    call_command("export_edxml", str(document.pk), "-o", str(out), stdout=stdout)
    assert "01/KH-LĐLĐ" in stdout.getvalue()
    stdout = io.StringIO()
    call_command("import_edxml", str(out), "--unit", "HTH", stdout=stdout)
    assert "01/KH-LĐLĐ" in stdout.getvalue()
    assert Document.objects.filter(unit=tree.ht, direction="in").count() == 1


def test_hostile_package_is_refused_and_nothing_written(tree, users, tmp_path):
    hostile = (
        b'<?xml version="1.0"?>\n<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b'<edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">&xxe;</edXML:edXML>'
    )
    with pytest.raises(ValidationError) as info:
        services.import_edxml(users.ht_clerk, tree.ht, hostile)
    assert "package" in info.value.message_dict
    assert "root:" not in str(info.value)
    path = tmp_path / "hostile.xml"
    path.write_bytes(hostile)
    with pytest.raises(CommandError):
        call_command("import_edxml", str(path), "--unit", "HTH")
    assert not Document.objects.filter(direction="in").exists()


def test_recall_package_freezes_the_registered_document(tree, users):
    document = issued(tree.lc)
    message = services.to_edxml(document)
    incoming = services.import_edxml(users.ht_clerk, tree.ht, edxml.build(message))
    message.business_doc_type = 1
    message.business_reason = "Thu hồi để sửa đổi"
    services.import_edxml(users.ht_clerk, tree.ht, edxml.build(message))
    incoming.refresh_from_db()
    assert incoming.is_recalled and incoming.recall_reason == "Thu hồi để sửa đổi"


def test_status_messages_are_recorded_on_the_sent_document(tree, users):
    document = issued(tree.lc)
    incoming = services.import_edxml(users.ht_clerk, tree.ht, services.export_edxml(None, document))
    for code in ("01", "05", "06"):
        package = services.status_package(users.ht_clerk, incoming, code)
        services.receive_status(users.lc_clerk, tree.lc, package)
    codes = list(
        ProcessingEntry.objects.filter(document=document, action="status").values_list(
            "status_code", flat=True
        )
    )
    assert codes == ["01", "05", "06"]
    with pytest.raises(ValidationError):
        services.status_package(users.ht_clerk, incoming, "99")


def test_a_status_package_arriving_by_the_page_or_the_command_is_recorded(tree, users, tmp_path):
    """The other agency's status message comes through the same door as documents: the
    import page and the command record it on the sent document instead of registering it."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    document = issued(tree.lc)
    incoming = services.import_edxml(users.ht_clerk, tree.ht, services.export_edxml(None, document))
    client = Client()
    client.force_login(users.lc_clerk)
    package = services.status_package(users.ht_clerk, incoming, "05")
    response = client.post(
        "/documents/incoming/edxml/?unit=LCI",
        {"file": SimpleUploadedFile("trang-thai.edxml", package, "application/xml")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/documents/{document.pk}/"
    assert document.symbol in response.content.decode()
    path = tmp_path / "trang-thai-06.edxml"
    path.write_bytes(services.status_package(users.ht_clerk, incoming, "06"))
    call_command("import_edxml", str(path), "--unit", "LCI")
    codes = ProcessingEntry.objects.filter(document=document, action="status")
    assert list(codes.values_list("status_code", flat=True)) == ["05", "06"]
    assert not Document.objects.filter(unit=tree.lc, direction="in").exists()
