"""edXML (QCVN 102:2016/BTTTT): round trips, the wire form, hostile input, status messages."""

from __future__ import annotations

import base64
import io
import re
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime

import docx
import pytest
from django.utils import translation
from lxml import etree
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from congdoan.documents import edxml
from congdoan.documents.edxml import (
    NS,
    PRIORITIES,
    PRIORITY_CODES,
    STATUS_CODES,
    TYPE_CODES,
    TYPE_NAMES,
    Attachment,
    EdxmlDocument,
    EdxmlError,
    Organ,
    Replacement,
    StaffInfo,
    StatusMessage,
    TraceEntry,
    build,
    build_status,
    is_status_package,
    make_document_id,
    parse,
    parse_status,
    type_code_from_notation,
)

E = f"{{{NS}}}"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SUBJECT = "Hướng dẫn tổ chức Đại hội Công đoàn cơ sở nhiệm kỳ 2025 – 2030"


@pytest.fixture(autouse=True)
def _english_messages():
    # Messages are asserted in English; the Vietnamese catalogue comes later.
    with translation.override("en"):
        yield


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def make_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    pdf.drawString(72, 770, "Huong dan so 704/HD-TLD")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph(SUBJECT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_document(**changes) -> EdxmlDocument:
    doc = EdxmlDocument(
        document_id="000.00.00.G22,2025/03/05,704/HD-TLĐ",
        sender=Organ(
            organ_id="000.00.00.G22",
            name="Tổng Liên đoàn Lao động Việt Nam",
            in_charge="Ban Tổ chức",
            address="82 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội",
            email="vanthu@congdoan.vn",
            telephone="024 3942 1234",
            fax="024 3942 5678",
            website="https://congdoan.vn",
        ),
        recipients=[
            Organ(organ_id="000.00.28.H40", name="Liên đoàn Lao động tỉnh Lào Cai"),
            Organ(organ_id="000.00.42.H31", name="Liên đoàn Lao động tỉnh Hà Tĩnh"),
        ],
        code_number="704",
        code_notation="HD-TLĐ",
        place="Hà Nội",
        promulgation_date=date(2025, 3, 5),
        type_code=TYPE_CODES["HD"],
        type_name="Hướng dẫn",
        subject=SUBJECT,
        content="Căn cứ Điều lệ Công đoàn Việt Nam khóa XIII...",
        signer_competence="KT. CHỦ TỊCH",
        signer_position="Phó Chủ tịch",
        signer_name="Nguyễn Văn Bình",
        due_date=date(2025, 4, 30),
        to_places=["Như trên", "Lưu: VT, ToC"],
        priority=1,
        sphere="Toàn quốc",
        typer_notation="ToC",
        promulgation_amount=70,
        page_amount=4,
        appendixes=["Phụ lục I: Mẫu báo cáo"],
        response_for=[
            {
                "organ_id": "000.00.28.H40",
                "code": "12/BC-LĐLĐ",
                "promulgation_date": date(2025, 2, 20),
                "document_id": "000.00.28.H40,2025/02/20,12/BC-LĐLĐ",
            }
        ],
        steering_type=1,
        traces=[TraceEntry("000.00.00.G22", datetime(2025, 3, 5, 1, 30, tzinfo=UTC))],
        attachments=[
            Attachment("704-HD-TLĐ.pdf", make_pdf(), "application/pdf", "Bản ký số"),
            Attachment("Phụ lục I.docx", make_docx(), DOCX_TYPE, "Phụ lục"),
        ],
    )
    return replace(doc, **changes)


def tree(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def edit(data: bytes, change) -> bytes:
    root = tree(data)
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def first(root: etree._Element, name: str) -> etree._Element:
    return next(root.iter(f"{E}{name}"))


# ------------------------------------------------------------------ round trip


def test_realistic_document_round_trips_field_for_field():
    doc = make_document()
    back = parse(build(doc))

    assert back == doc
    assert back.subject == SUBJECT
    assert back.code == "704/HD-TLĐ"
    assert [organ.name for organ in back.recipients] == [
        "Liên đoàn Lao động tỉnh Lào Cai",
        "Liên đoàn Lao động tỉnh Hà Tĩnh",
    ]
    assert back.traces[0].timestamp == datetime(2025, 3, 5, 1, 30, tzinfo=UTC)
    assert back.traces[0].timestamp.utcoffset().total_seconds() == 0


def test_attachments_come_back_byte_for_byte_and_still_open():
    doc = make_document()
    pdf, word = parse(build(doc)).attachments

    assert pdf.content == doc.attachments[0].content
    assert word.content == doc.attachments[1].content
    assert (pdf.name, pdf.content_type, pdf.description) == (
        "704-HD-TLĐ.pdf",
        "application/pdf",
        "Bản ký số",
    )
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1
    assert docx.Document(io.BytesIO(word.content)).paragraphs[0].text == SUBJECT


def test_decomposed_input_is_written_and_read_as_nfc():
    doc = make_document(
        subject=nfd(SUBJECT),
        sender=Organ(organ_id="000.00.00.G22", name=nfd("Tổng Liên đoàn Lao động Việt Nam")),
        code_notation=nfd("HD-TLĐ"),
        attachments=[Attachment(nfd("Phụ lục.docx"), b"x")],
    )
    assert doc.subject != SUBJECT  # the input really is decomposed

    data = build(doc)
    back = parse(data)

    assert back.subject == SUBJECT
    assert back.sender.name == "Tổng Liên đoàn Lao động Việt Nam"
    assert back.code_notation == "HD-TLĐ"
    assert back.attachments[0].name == "Phụ lục.docx"
    assert SUBJECT.encode() in data
    assert nfd("Hướng").encode() not in data


def test_nfd_text_in_a_received_package_is_read_as_nfc():
    data = build(make_document()).replace(SUBJECT.encode(), nfd(SUBJECT).encode())
    assert nfd(SUBJECT).encode() in data

    assert parse(data).subject == SUBJECT


def test_build_is_deterministic():
    doc = make_document()
    assert build(doc) == build(doc)


def test_recall_and_replacement_details_round_trip():
    doc = make_document(
        business_doc_type=3,
        business_reason="Thay thế văn bản ban hành nhầm số",
        business_staff=StaffInfo("Văn phòng", "Trần Thị Hoa", "0912345678", "hoa@congdoan.vn"),
        business_paper=1,
        replacements=[Replacement("000.00.00.G22,2025/03/01,700/HD-TLĐ", ["000.00.28.H40"])],
    )
    back = parse(build(doc))

    assert back.business_doc_type_name == "replace"
    assert back.business_staff == StaffInfo(
        "Văn phòng", "Trần Thị Hoa", "0912345678", "hoa@congdoan.vn"
    )
    assert back.replacements == [
        Replacement("000.00.00.G22,2025/03/01,700/HD-TLĐ", ["000.00.28.H40"])
    ]
    assert back.business_paper == 1


def test_an_attachment_over_libxml2_text_limit_is_read():
    # 8 MB becomes 10.7 MB of base64: more than libxml2 accepts in one text
    # node without XML_PARSE_HUGE.
    big = bytes(range(256)) * (8 * 1024 * 1024 // 256)
    doc = make_document(attachments=[Attachment("scan.pdf", big, "application/pdf")])

    assert parse(build(doc)).attachments[0].content == big


# ------------------------------------------------------------------- wire form


def test_every_element_carries_the_edxml_prefix():
    data = build(make_document())
    root = tree(data)

    elements = list(root.iter())
    assert len(elements) > 60
    unprefixed = [
        el.tag for el in elements if el.prefix != "edXML" or etree.QName(el).namespace != NS
    ]
    assert unprefixed == []
    tags = re.findall(rb"<(?![?!/])([^\s>/]+)", data)
    assert tags and all(tag.startswith(b"edXML:") for tag in tags)
    assert b'xmlns="' not in data


def test_package_layout_follows_the_standard():
    doc = make_document()
    root = tree(build(doc))

    assert etree.QName(root).localname == "edXML"
    assert [etree.QName(child).localname for child in root] == [
        "edXMLEnvelope",
        "AttachmentEncoded",
    ]
    header = first(root, "edXMLHeader")
    assert [etree.QName(child).localname for child in header] == [
        "MessageHeader",
        "TraceHeaderList",
        "Signature",
    ]
    assert first(root, "PromulgationDate").text == "2025/03/05"
    assert first(root, "DueDate").text == "2025/04/30"
    # 01:30 UTC is 08:30 in Hà Nội.
    assert first(root, "Timestamp").text == "2025/03/05 08:30:00"
    assert first(root, "BussinessDocType").text == "0"
    assert first(root, "Type").text == "8"

    references = list(root.iter(f"{E}Reference"))
    attachments = list(root.iter(f"{E}Attachment"))
    assert len(references) == len(attachments) == 2
    for reference, attachment in zip(references, attachments, strict=True):
        cid = reference.find(f"{E}ContentId").text
        assert cid.startswith("cid:")
        assert attachment.find(f"{E}ContentId").text == cid.removeprefix("cid:")
        assert reference.get("{http://www.w3.org/1999/xlink}href") == cid
        assert (
            reference.find(f"{E}AttachmentName").text == attachment.find(f"{E}AttachmentName").text
        )
    encoded = attachments[0].find(f"{E}ContentTransferEncoded").text
    assert base64.b64decode(encoded) == doc.attachments[0].content


def test_a_document_without_attachments_has_no_attachment_section():
    root = tree(build(make_document(attachments=[])))

    assert [etree.QName(child).localname for child in root] == ["edXMLEnvelope"]
    assert parse(etree.tostring(root)).attachments == []


LEGACY_PACKAGE = """<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.go.vn/eDoc">
  <edXMLEnvelope>
    <edXMLHeader>
      <MessageHeader>
        <From>
          <OrganId>000.00.28.H40</OrganId>
          <OrganName>Liên đoàn Lao động tỉnh Lào Cai</OrganName>
        </From>
        <To><OrganId>000.00.00.G22</OrganId><OrganName>Tổng Liên đoàn</OrganName></To>
        <Code><CodeNumber>05</CodeNumber><CodeNotation>KH-LĐLĐ</CodeNotation></Code>
        <PromulgationInfo>
          <Place>Lào Cai</Place>
          <PromulgationDate>07/01/2019</PromulgationDate>
        </PromulgationInfo>
        <DocumentType><Type>10</Type><TypeName>Kế hoạch</TypeName></DocumentType>
        <Subject>Kế hoạch triển khai công tác năm 2019</Subject>
        <SignerInfo><FullName>Lê Thị Mai</FullName></SignerInfo>
        <OtherInfo><Priority>2</Priority></OtherInfo>
      </MessageHeader>
      <TraceHeaderList>
        <TraceHeader>
          <OrganId>000.00.28.H40</OrganId><Timestamp>2019/01/07 15:04:05</Timestamp>
        </TraceHeader>
      </TraceHeaderList>
    </edXMLHeader>
    <edXMLBody>
      <edXMLManifest>
        <Reference>
          <ContentId>cid:ke-hoach-1</ContentId>
          <ContentType>text/plain</ContentType>
          <AttachmentName>ke-hoach.txt</AttachmentName>
        </Reference>
      </edXMLManifest>
    </edXMLBody>
  </edXMLEnvelope>
  <AttachmentEncoded>
    <Attachment>
      <ContentId>ke-hoach-1</ContentId>
      <ContentTransferEncoded>
        S+G6vyBob+G6oWNoIG7Eg20g
        MjAxOQ==
      </ContentTransferEncoded>
    </Attachment>
  </AttachmentEncoded>
</edXML>
"""


def test_legacy_namespace_with_a_default_namespace_is_read():
    doc = parse(LEGACY_PACKAGE.encode())

    assert doc.sender == Organ(organ_id="000.00.28.H40", name="Liên đoàn Lao động tỉnh Lào Cai")
    assert doc.code == "05/KH-LĐLĐ"
    assert doc.promulgation_date == date(2019, 1, 7)
    assert doc.type_name == "Kế hoạch"
    assert doc.subject == "Kế hoạch triển khai công tác năm 2019"
    assert doc.priority_name == "very_urgent"
    assert doc.signer_name == "Lê Thị Mai"
    assert doc.traces == [TraceEntry("000.00.28.H40", datetime(2019, 1, 7, 8, 4, 5, tzinfo=UTC))]
    # No DocumentId in the package: it is rebuilt the usual way.
    assert doc.document_id == "000.00.28.H40,2019/01/07,05/KH-LĐLĐ"
    [attachment] = doc.attachments
    assert (attachment.name, attachment.content_type) == ("ke-hoach.txt", "text/plain")
    assert attachment.content == "Kế hoạch năm 2019".encode()


def test_sdk_style_package_with_mixed_prefixes_is_read():
    # As the exchange SDKs write it: a default namespace on the root, edXML:
    # prefixes inside the envelope, AttachmentEncoded without a prefix.
    doc = make_document()
    head, tail = build(doc).decode().split("</edXML:edXMLEnvelope>")
    head = head.replace("<edXML:edXML ", f'<edXML xmlns="{NS}" ', 1)
    data = head + "</edXML:edXMLEnvelope>" + tail.replace("edXML:", "")
    assert "<AttachmentEncoded>" in data

    back = parse(data.encode())
    assert back.subject == SUBJECT
    assert back.attachments == doc.attachments


def test_attachments_in_no_namespace_are_read():
    head, tail = build(make_document()).decode().split("</edXML:edXMLEnvelope>")
    tail = tail.replace("edXML:", "").replace("</edXML>", "</edXML:edXML>")
    data = (head + "</edXML:edXMLEnvelope>" + tail).encode()
    attachments = list(tree(data).iter("Attachment"))
    assert len(attachments) == 2  # really outside any namespace

    assert [a.name for a in parse(data).attachments] == ["704-HD-TLĐ.pdf", "Phụ lục I.docx"]


# ------------------------------------------------------------- hostile input

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol9;</edXML:edXML>
"""


def with_prolog(prolog: str, *, subject: str = SUBJECT, encoding: str = "utf-8") -> bytes:
    body = build(make_document(attachments=[])).decode()
    body = body.split("?>", 1)[1].replace(f">{SUBJECT}<", f">{subject}<")
    return (prolog + body).encode(encoding)


def test_billion_laughs_is_refused():
    with pytest.raises(EdxmlError, match="DOCTYPE"):
        parse(BILLION_LAUGHS)
    assert is_status_package(BILLION_LAUGHS) is False


def test_external_entity_is_refused_and_never_read():
    data = with_prolog(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE edXML:edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
        subject="&xxe;",
    )
    with pytest.raises(EdxmlError, match="DOCTYPE") as caught:
        parse(data)

    assert "root:" not in str(caught.value)
    assert "/bin/" not in str(caught.value)


def test_doctype_without_entities_is_refused():
    data = with_prolog("<!DOCTYPE edXML:edXML>\n")
    with pytest.raises(EdxmlError, match="DOCTYPE"):
        parse(data)


def test_doctype_in_utf16_is_refused_after_parsing():
    # The byte scan cannot read UTF-16; the parsed tree's docinfo still tells.
    data = with_prolog(
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE edXML:edXML>\n', encoding="utf-16"
    )
    with pytest.raises(EdxmlError, match="DOCTYPE"):
        parse(data)


def test_oversize_package_is_refused_before_parsing(monkeypatch):
    data = build(make_document())

    def must_not_parse(*args, **kwargs):
        raise AssertionError("parsed an oversize package")

    monkeypatch.setattr(edxml.etree, "fromstring", must_not_parse)
    with pytest.raises(EdxmlError) as caught:
        parse(data, max_bytes=1024)
    assert f"{len(data)} bytes" in str(caught.value)
    assert "limit is 1024 bytes" in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"%PDF-1.4 not xml at all",
        b'<edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"><unclosed>',
        b'<edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">&undefined;'
        b"</edXML:edXML>",
    ],
)
def test_malformed_input_is_refused(data):
    with pytest.raises(EdxmlError, match=r"empty|well-formed"):
        parse(data)
    with pytest.raises(EdxmlError):
        parse_status(data)
    assert is_status_package(data) is False


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>edXML</body></html>",
        b'<edXML xmlns="urn:example:other">x</edXML>',
        b"<edXML>no namespace</edXML>",
    ],
)
def test_wrong_root_is_refused(data):
    with pytest.raises(EdxmlError, match="root element must be edXML") as caught:
        parse(data)
    assert caught.value.field == "edXML"


def test_missing_subject_is_named():
    def drop_subject(root):
        subject = first(root, "Subject")
        subject.getparent().remove(subject)

    data = edit(build(make_document()), drop_subject)
    with pytest.raises(EdxmlError) as caught:
        parse(data)

    assert str(caught.value) == "MessageHeader/Subject is missing."
    assert caught.value.field == "MessageHeader/Subject"


def test_empty_code_number_is_named():
    def blank(root):
        first(root, "CodeNumber").text = "  "

    with pytest.raises(EdxmlError, match=r"MessageHeader/Code/CodeNumber is empty"):
        parse(edit(build(make_document()), blank))


def test_missing_recipient_is_named():
    def drop_recipients(root):
        for element in list(root.iter(f"{E}To")):
            element.getparent().remove(element)

    with pytest.raises(EdxmlError, match=r"MessageHeader/To is missing"):
        parse(edit(build(make_document()), drop_recipients))


@pytest.mark.parametrize("bad", ["2025/13/45", "hôm qua", "05-03"])
def test_bad_promulgation_date_is_named(bad):
    def set_date(root):
        first(root, "PromulgationDate").text = bad

    with pytest.raises(EdxmlError) as caught:
        parse(edit(build(make_document()), set_date))
    assert caught.value.field == "MessageHeader/PromulgationInfo/PromulgationDate"
    assert "not a valid date" in str(caught.value)


def test_bad_trace_timestamp_is_named():
    def set_stamp(root):
        first(root, "Timestamp").text = "2025/03/05 25:61:00"

    with pytest.raises(EdxmlError, match=r"TraceHeader\[1\]/Timestamp is not a valid time stamp"):
        parse(edit(build(make_document()), set_stamp))


def test_bad_base64_is_refused():
    def corrupt(root):
        first(root, "ContentTransferEncoded").text = "@@@ not base64 @@@"

    with pytest.raises(EdxmlError, match="not valid base64") as caught:
        parse(edit(build(make_document()), corrupt))
    assert "704-HD-TLĐ.pdf" in str(caught.value)


def test_attachment_without_matching_reference_is_refused():
    def rename(root):
        next(root.iter(f"{E}Attachment")).find(f"{E}ContentId").text = "someone-else"

    with pytest.raises(EdxmlError, match=r"'someone-else'.* no matching Reference"):
        parse(edit(build(make_document()), rename))


def test_reference_without_attachment_is_refused():
    def drop(root):
        attachment = next(root.iter(f"{E}Attachment"))
        attachment.getparent().remove(attachment)

    with pytest.raises(EdxmlError, match="has no attachment"):
        parse(edit(build(make_document()), drop))


# ------------------------------------------------------------ build validation


@pytest.mark.parametrize(
    ("changes", "field", "length", "limit"),
    [
        ({"code_notation": "HD-" + "Đ" * 28}, "MessageHeader/Code/CodeNotation", 31, 30),
        ({"code_number": "123456789012"}, "MessageHeader/Code/CodeNumber", 12, 11),
        ({"subject": "ễ" * 501}, "MessageHeader/Subject", 501, 500),
        (
            {"sender": Organ(organ_id="000.00.00.G22X", name="TLĐ")},
            "MessageHeader/From/OrganId",
            14,
            13,
        ),
    ],
)
def test_build_refuses_values_over_the_standard_lengths(changes, field, length, limit):
    with pytest.raises(EdxmlError) as caught:
        build(make_document(**changes))

    assert caught.value.field == field
    assert str(caught.value) == f"{field} is {length} characters long; the limit is {limit}."


def test_length_is_counted_in_nfc_characters():
    # 30 letters in NFD are 60+ code points, but only 30 characters.
    notation = nfd("Đ" * 10 + "ễ" * 20)
    assert len(notation) > 30

    assert parse(build(make_document(code_notation=notation))).code_notation == "Đ" * 10 + "ễ" * 20


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": "   "}, "MessageHeader/Subject"),
        ({"recipients": []}, "MessageHeader/To"),
        ({"code_notation": ""}, "MessageHeader/Code/CodeNotation"),
        ({"document_id": ""}, "MessageHeader/DocumentId"),
        ({"sender": Organ(organ_id="000.00.00.G22", name="")}, "MessageHeader/From/OrganName"),
    ],
)
def test_build_refuses_missing_required_values(changes, field):
    with pytest.raises(EdxmlError, match=f"^{re.escape(field)} is missing") as caught:
        build(make_document(**changes))
    assert caught.value.field == field


def test_build_refuses_naive_timestamps_and_control_characters():
    naive = [TraceEntry("000.00.00.G22", datetime(2025, 3, 5, 8, 30))]
    with pytest.raises(EdxmlError, match="timezone-aware") as caught:
        build(make_document(traces=naive))
    assert caught.value.field == "TraceHeaderList/TraceHeader[1]/Timestamp"

    with pytest.raises(EdxmlError, match="characters that XML cannot carry"):
        build(make_document(content="Trang 1\x0cTrang 2"))


# -------------------------------------------------------------------- priority


def test_priority_mapping():
    assert PRIORITIES == {0: "normal", 1: "urgent", 2: "very_urgent", 3: "flash"}
    assert PRIORITY_CODES["flash"] == 3

    for code, name in PRIORITIES.items():
        data = build(make_document(priority=code))
        assert first(tree(data), "Priority").text == str(code)
        back = parse(data)
        assert (back.priority, back.priority_name) == (code, name)


def test_unknown_priority_is_refused_both_ways():
    with pytest.raises(EdxmlError, match="must be one of 0, 1, 2, 3, not 4") as caught:
        build(make_document(priority=4))
    assert caught.value.field == "MessageHeader/OtherInfo/Priority"

    def flash_plus(root):
        first(root, "Priority").text = "9"

    with pytest.raises(EdxmlError, match="OtherInfo/Priority has an invalid value '9'"):
        parse(edit(build(make_document()), flash_plus))


# ---------------------------------------------------------------- type codes


def test_document_type_table():
    assert TYPE_CODES["HD"] == "8"
    assert TYPE_CODES["QĐ"] == "2"
    assert TYPE_CODES["QyĐ"] == "5"
    assert TYPE_NAMES["18"] == "Công văn"
    assert len(TYPE_NAMES) == 28
    assert len(TYPE_CODES) == 27  # Công văn has no abbreviation
    assert type_code_from_notation("HD-TLĐ") == "8"
    assert type_code_from_notation(nfd("QĐ-LĐLĐ")) == "2"
    assert type_code_from_notation("KH/TU") == "10"
    assert type_code_from_notation("LĐLĐ-VP") == "18"


def test_missing_type_name_is_filled_from_the_table():
    data = build(make_document(type_code="18", type_name=""))
    assert first(tree(data), "TypeName").text == "Công văn"


def test_make_document_id():
    assert make_document_id("000.00.00.G22", date(2025, 1, 9), "05", "KH-TLĐ") == (
        "000.00.00.G22,2025/01/09,05/KH-TLĐ"
    )


# ------------------------------------------------------------------- status


def make_status(code: str) -> StatusMessage:
    return StatusMessage(
        from_organ=Organ(organ_id="000.00.28.H40", name="Liên đoàn Lao động tỉnh Lào Cai"),
        to_organ=Organ(organ_id="000.00.00.G22", name="Tổng Liên đoàn Lao động Việt Nam"),
        response_for_organ_id="000.00.00.G22",
        response_for_code="704/HD-TLĐ",
        response_for_document_id="000.00.00.G22,2025/03/05,704/HD-TLĐ",
        response_for_date=date(2025, 3, 5),
        status_code=code,
        description=f"Trạng thái {STATUS_CODES[code]}",
        staff_name="Phạm Thu Trang",
        staff_department="Văn phòng",
        timestamp=datetime(2025, 3, 5, 2, 15, 30, tzinfo=UTC),
    )


@pytest.mark.parametrize("code", sorted(STATUS_CODES))
def test_status_round_trips_for_every_code(code):
    msg = make_status(code)
    data = build_status(msg)

    assert is_status_package(data) is True
    assert parse_status(data) == msg
    assert parse_status(data).status_name == STATUS_CODES[code]
    root = tree(data)
    assert first(root, "StatusCode").text == code
    assert first(root, "Timestamp").text == "2025/03/05 09:15:30"
    assert all(el.prefix == "edXML" for el in root.iter())


def test_unknown_status_code_is_refused_both_ways():
    with pytest.raises(EdxmlError, match="'07' is not a known status code"):
        build_status(replace(make_status("01"), status_code="07"))

    def unknown(root):
        first(root, "StatusCode").text = "99"

    with pytest.raises(EdxmlError, match="'99' is not a known status code") as caught:
        parse_status(edit(build_status(make_status("03")), unknown))
    assert caught.value.field == "Status/StatusCode"


SOAP_STATUS = """<?xml version="1.0" encoding="utf-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
  <SOAP-ENV:Header>
    <edXML:Status xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
      <edXML:ResponseFor>
        <edXML:OrganId>000.00.00.G22</edXML:OrganId>
        <edXML:Code>704/HD-TLĐ</edXML:Code>
        <edXML:PromulgationDate>2025/03/05</edXML:PromulgationDate>
        <edXML:DocumentId>000.00.00.G22,2025/03/05,704/HD-TLĐ</edXML:DocumentId>
      </edXML:ResponseFor>
      <edXML:From>
        <edXML:OrganId>000.00.42.H31</edXML:OrganId>
        <edXML:OrganName>Liên đoàn Lao động tỉnh Hà Tĩnh</edXML:OrganName>
      </edXML:From>
      <edXML:StatusCode>6</edXML:StatusCode>
      <edXML:Description>Đã hoàn thành</edXML:Description>
      <edXML:Timestamp>05/03/2025 16:00:00</edXML:Timestamp>
      <edXML:StaffInfo><edXML:Department>Văn phòng</edXML:Department>
        <edXML:Staff>Hồ Văn Nam</edXML:Staff></edXML:StaffInfo>
    </edXML:Status>
  </SOAP-ENV:Header>
  <SOAP-ENV:Body />
</SOAP-ENV:Envelope>
"""


def test_soap_style_status_from_other_software_is_read():
    data = SOAP_STATUS.encode()
    assert is_status_package(data) is True

    msg = parse_status(data)
    assert msg.status_code == "06"
    assert msg.status_name == "done"
    assert msg.from_organ.name == "Liên đoàn Lao động tỉnh Hà Tĩnh"
    # No To: the status goes to the issuer of the document it answers.
    assert msg.to_organ == Organ(organ_id="000.00.00.G22", name="")
    assert msg.timestamp == datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
    assert (msg.staff_name, msg.staff_department) == ("Hồ Văn Nam", "Văn phòng")


def test_status_and_document_packages_are_told_apart():
    document = build(make_document())
    status = build_status(make_status("01"))

    assert is_status_package(document) is False
    assert is_status_package(LEGACY_PACKAGE.encode()) is False
    with pytest.raises(EdxmlError, match=r"^Status is missing"):
        parse_status(document)
    with pytest.raises(EdxmlError, match=r"^MessageHeader is missing"):
        parse(status)


def test_status_safety_rules_match_parse():
    with pytest.raises(EdxmlError, match="DOCTYPE"):
        parse_status(BILLION_LAUGHS)
    with pytest.raises(EdxmlError, match="limit is 100 bytes"):
        parse_status(build_status(make_status("01")), max_bytes=100)
