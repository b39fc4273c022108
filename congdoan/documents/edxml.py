"""edXML packages (QCVN 102:2016/BTTTT, amended 2022): build and read them safely.

edXML is the national format in which Vietnamese agencies exchange official
documents (văn bản điện tử) over the document-exchange axis (trục liên thông).
A *document package* looks like this; every element is in the edXML namespace
and this module writes the ``edXML:`` prefix on every one of them, because some
validators reject unprefixed children::

    edXML:edXML
      edXML:edXMLEnvelope
        edXML:edXMLHeader
          edXML:MessageHeader     from, to, number and notation, dates, subject ...
          edXML:TraceHeaderList   TraceHeader* (OrganId, Timestamp) and Bussiness
          edXML:Signature         placeholder; XML-DSig signing is done elsewhere
        edXML:edXMLBody
          edXML:edXMLManifest     one Reference (ContentId "cid:…", ContentType,
                                  Description, AttachmentName) per attachment
      edXML:AttachmentEncoded     after the envelope
        edXML:Attachment*         ContentType, ContentId, Description,
                                  AttachmentName, ContentTransferEncoded (base64)

A *status package* is sent back to the issuer to say what happened to a
document (arrived, refused, accepted, assigned, done, recalled ...): its
header holds one ``Status`` element instead of a ``MessageHeader``.

Reading is liberal about the form and strict about safety. ``parse`` accepts
the current namespace (:data:`NS`) and the older ``http://www.go.vn/eDoc``
(:data:`LEGACY_NS`), prefixed or as a default namespace, and dates written
``yyyy/MM/dd`` (the standard), ``yyyy-MM-dd`` or ``dd/MM/yyyy``. It refuses
anything larger than ``max_bytes`` before parsing, any DOCTYPE (so no entity
expansion and no external entities), and never touches the network. Every
text value comes back in Unicode NFC; lengths are checked when *building*
(OrganId 13, CodeNumber 11, CodeNotation 30, Subject 500 characters), not
when reading, so that a slightly non-conforming package from another agency
is still registered.

This module is plain Python and lxml: no Django models, usable from services,
management commands and tests. Messages go through ``gettext``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

__all__ = [
    "BUSINESS_DOC_TYPES",
    "CONG_VAN_TYPE_CODE",
    "DOCUMENT_TYPES",
    "LEGACY_NS",
    "MAX_LENGTHS",
    "MAX_PACKAGE_BYTES",
    "NS",
    "PRIORITIES",
    "PRIORITY_CODES",
    "STATUS_CODES",
    "TYPE_CODES",
    "TYPE_NAMES",
    "Attachment",
    "EdxmlDocument",
    "EdxmlError",
    "Organ",
    "Replacement",
    "StaffInfo",
    "StatusMessage",
    "TraceEntry",
    "build",
    "build_status",
    "is_status_package",
    "make_document_id",
    "parse",
    "parse_status",
    "type_code_from_notation",
]

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
LEGACY_NS = "http://www.go.vn/eDoc"
ACCEPTED_NS = (NS, LEGACY_NS)
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
XLINK_NS = "http://www.w3.org/1999/xlink"
PREFIX = "edXML"

MAX_PACKAGE_BYTES = 50 * 1024 * 1024

#: Maximum lengths, in characters, fixed by the standard.
MAX_LENGTHS = {"OrganId": 13, "CodeNumber": 11, "CodeNotation": 30, "Subject": 500}

DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    VN_TZ: tzinfo = ZoneInfo("Asia/Ho_Chi_Minh")
except (ImportError, ZoneInfoNotFoundError):  # pragma: no cover - no tz database
    VN_TZ = timezone(timedelta(hours=7), "ICT")  # fixed UTC+7 since 1975

#: OtherInfo/Priority (độ khẩn): 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc.
PRIORITIES: dict[int, str] = {0: "normal", 1: "urgent", 2: "very_urgent", 3: "flash"}
PRIORITY_CODES: dict[str, int] = {name: code for code, name in PRIORITIES.items()}

#: TraceHeaderList/Bussiness/BussinessDocType.
BUSINESS_DOC_TYPES: dict[int, str] = {0: "new", 1: "revocation", 2: "update", 3: "replace"}

#: Status codes a receiver sends back about a document.
STATUS_CODES: dict[str, str] = {
    "01": "arrived",
    "02": "refused",
    "03": "accepted",
    "04": "waiting for assignment",
    "05": "assigned, in progress",
    "06": "done",
    "13": "recalled",
    "15": "recall/update accepted",
    "16": "recall/update refused",
}

#: Administrative document types of Nghị định 30/2020/NĐ-CP, Điều 7, in the
#: decree's order: (DocumentType/Type code, abbreviation, name). The code is the
#: position in that list, which gives Công văn = 18 as in the VPCP SDK samples.
#: Other exchange partners may number differently: treat as configurable data.
DOCUMENT_TYPES: tuple[tuple[str, str, str], ...] = (
    ("1", "NQ", "Nghị quyết"),
    ("2", "QĐ", "Quyết định"),
    ("3", "CT", "Chỉ thị"),
    ("4", "QC", "Quy chế"),
    ("5", "QyĐ", "Quy định"),
    ("6", "TC", "Thông cáo"),
    ("7", "TB", "Thông báo"),
    ("8", "HD", "Hướng dẫn"),
    ("9", "CTr", "Chương trình"),
    ("10", "KH", "Kế hoạch"),
    ("11", "PA", "Phương án"),
    ("12", "ĐA", "Đề án"),
    ("13", "DA", "Dự án"),
    ("14", "BC", "Báo cáo"),
    ("15", "BB", "Biên bản"),
    ("16", "TTr", "Tờ trình"),
    ("17", "HĐ", "Hợp đồng"),
    ("18", "", "Công văn"),
    ("19", "CĐ", "Công điện"),
    ("20", "BGN", "Bản ghi nhớ"),
    ("21", "BTT", "Bản thỏa thuận"),
    ("22", "GUQ", "Giấy ủy quyền"),
    ("23", "GM", "Giấy mời"),
    ("24", "GGT", "Giấy giới thiệu"),
    ("25", "GNP", "Giấy nghỉ phép"),
    ("26", "PG", "Phiếu gửi"),
    ("27", "PC", "Phiếu chuyển"),
    ("28", "PB", "Phiếu báo"),
)
CONG_VAN_TYPE_CODE = "18"
#: Abbreviation (as written in a number/symbol) → DocumentType/Type code.
TYPE_CODES: dict[str, str] = {abbr: code for code, abbr, _name in DOCUMENT_TYPES if abbr}
#: DocumentType/Type code → DocumentType/TypeName.
TYPE_NAMES: dict[str, str] = {code: name for code, _abbr, name in DOCUMENT_TYPES}

# libxml2 refuses a text node longer than 10 MB unless XML_PARSE_HUGE is set,
# and a 7.5 MB attachment is longer than that once base64-encoded.
_LIBXML_TEXT_LIMIT = 10_000_000
_SNIFF_BYTES = 64 * 1024
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_:\x80-\xff]")
_DTD_MARKUP = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WHITESPACE = re.compile(rb"\s+")


class EdxmlError(ValueError):
    """A package that cannot be built or read. ``field`` names the element, when known."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --------------------------------------------------------------------------- data


@dataclass
class Organ:
    """An agency (From / To): OrganId is its code on the exchange axis (≤ 13 characters)."""

    organ_id: str
    name: str
    in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class Attachment:
    """A file carried in the package, base64-encoded in AttachmentEncoded."""

    name: str
    content: bytes = field(repr=False)
    content_type: str = "application/octet-stream"
    description: str = ""


@dataclass
class TraceEntry:
    """TraceHeader: an agency the package passed through, and when (aware datetime)."""

    organ_id: str
    timestamp: datetime


@dataclass
class StaffInfo:
    """StaffInfo: the officer handling a recall/update or a status message."""

    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclass
class Replacement:
    """ReplacementInfo: a document this one replaces, and the agencies that hold it."""

    document_id: str
    organ_ids: list[str] = field(default_factory=list)


@dataclass
class EdxmlDocument:
    """The content of a document package, one attribute per MessageHeader element.

    ``response_for`` holds dicts with the keys ``organ_id``, ``code``,
    ``promulgation_date`` (a :class:`date`) and ``document_id``.
    """

    document_id: str
    sender: Organ
    recipients: list[Organ]
    code_number: str
    code_notation: str
    place: str
    promulgation_date: date
    type_code: str
    type_name: str
    subject: str
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_name: str = ""
    due_date: date | None = None
    to_places: list[str] = field(default_factory=list)
    priority: int = 0
    sphere: str = ""
    typer_notation: str = ""
    promulgation_amount: int = 1
    page_amount: int = 0
    appendixes: list[str] = field(default_factory=list)
    response_for: list[dict[str, Any]] = field(default_factory=list)
    steering_type: int = 0
    traces: list[TraceEntry] = field(default_factory=list)
    business_doc_type: int = 0
    business_reason: str = ""
    business_staff: StaffInfo | None = None
    business_paper: int = 0
    replacements: list[Replacement] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def code(self) -> str:
        """The number and symbol as printed, e.g. ``704/HD-TLĐ``."""
        return f"{self.code_number}/{self.code_notation}"

    @property
    def priority_name(self) -> str:
        """``normal``, ``urgent``, ``very_urgent`` or ``flash``."""
        return PRIORITIES[self.priority]

    @property
    def business_doc_type_name(self) -> str:
        """``new``, ``revocation``, ``update`` or ``replace``."""
        return BUSINESS_DOC_TYPES[self.business_doc_type]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class StatusMessage:
    """A status package: what the receiver (``from_organ``) did with a document."""

    from_organ: Organ
    to_organ: Organ
    response_for_organ_id: str
    response_for_code: str
    response_for_document_id: str
    response_for_date: date
    status_code: str
    description: str = ""
    staff_name: str = ""
    staff_department: str = ""
    timestamp: datetime = field(default_factory=_utc_now)

    @property
    def status_name(self) -> str:
        return STATUS_CODES[self.status_code]


# ---------------------------------------------------------------- small helpers


def make_document_id(
    organ_id: str, promulgation_date: date, code_number: str, code_notation: str
) -> str:
    """The usual DocumentId: ``<OrganId>,<yyyy/MM/dd>,<number>/<notation>``."""
    return f"{organ_id},{promulgation_date.strftime(DATE_FORMAT)},{code_number}/{code_notation}"


def type_code_from_notation(code_notation: str) -> str:
    """Guess DocumentType/Type from a notation: ``HD-TLĐ`` → ``"8"``, ``LĐLĐ-VP`` → Công văn.

    A state-style notation starts with the type abbreviation; a công văn starts
    with the issuer instead. Party-style notations (``KH/TU``) work the same.
    """
    head = re.split(r"[-/]", _nfc(code_notation), maxsplit=1)[0]
    return TYPE_CODES.get(head, CONG_VAN_TYPE_CODE)


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def _clean(value: Any, path: str, *, required: bool = False, limit: str | None = None) -> str:
    """NFC text ready for the tree; raise EdxmlError naming ``path`` if it is unusable."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise EdxmlError(_("%(field)s must be text.") % {"field": path}, field=path)
    text = _nfc(value)
    if required and not text:
        raise EdxmlError(_("%(field)s is missing.") % {"field": path}, field=path)
    if _XML_INVALID.search(text):
        raise EdxmlError(
            _("%(field)s contains characters that XML cannot carry.") % {"field": path},
            field=path,
        )
    if limit is not None and len(text) > MAX_LENGTHS[limit]:
        raise EdxmlError(
            _("%(field)s is %(length)d characters long; the limit is %(limit)d.")
            % {"field": path, "length": len(text), "limit": MAX_LENGTHS[limit]},
            field=path,
        )
    return text


def _int(value: Any, path: str, allowed: dict[int, str] | None = None) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise EdxmlError(
            _("%(field)s must be a whole number, not %(value)r.") % {"field": path, "value": value},
            field=path,
        )
    if allowed is not None and value not in allowed:
        raise EdxmlError(
            _("%(field)s must be one of %(allowed)s, not %(value)r.")
            % {"field": path, "allowed": ", ".join(map(str, allowed)), "value": value},
            field=path,
        )
    return str(value)


def _date(value: Any, path: str) -> str:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise EdxmlError(_("%(field)s must be a date.") % {"field": path}, field=path)
    return value.strftime(DATE_FORMAT)


def _timestamp(value: Any, path: str) -> str:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise EdxmlError(
            _("%(field)s must be a timezone-aware date and time.") % {"field": path}, field=path
        )
    return value.astimezone(VN_TZ).strftime(TIMESTAMP_FORMAT)


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _q(name))
    if text is not None:
        element.text = text
    return element


def _new_root(name: str) -> etree._Element:
    return etree.Element(_q(name), nsmap={PREFIX: NS, "xlink": XLINK_NS})


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ----------------------------------------------------------------------- build


def _organ(parent: etree._Element, tag: str, organ: Organ, path: str, *, named: bool) -> None:
    if not isinstance(organ, Organ):
        raise EdxmlError(_("%(field)s is missing.") % {"field": path}, field=path)
    element = _sub(parent, tag)
    _sub(
        element,
        "OrganId",
        _clean(organ.organ_id, f"{path}/OrganId", required=True, limit="OrganId"),
    )
    _sub(element, "OrganizationInCharge", _clean(organ.in_charge, f"{path}/OrganizationInCharge"))
    _sub(element, "OrganName", _clean(organ.name, f"{path}/OrganName", required=named))
    _sub(element, "OrganAdd", _clean(organ.address, f"{path}/OrganAdd"))
    _sub(element, "Email", _clean(organ.email, f"{path}/Email"))
    _sub(element, "Telephone", _clean(organ.telephone, f"{path}/Telephone"))
    _sub(element, "Fax", _clean(organ.fax, f"{path}/Fax"))
    _sub(element, "Website", _clean(organ.website, f"{path}/Website"))


def _staff(parent: etree._Element, staff: StaffInfo, path: str) -> None:
    element = _sub(parent, "StaffInfo")
    _sub(element, "Department", _clean(staff.department, f"{path}/Department"))
    _sub(element, "Staff", _clean(staff.staff, f"{path}/Staff"))
    _sub(element, "Mobile", _clean(staff.mobile, f"{path}/Mobile"))
    _sub(element, "Email", _clean(staff.email, f"{path}/Email"))


def _content_id(doc: EdxmlDocument, index: int, attachment: Attachment) -> str:
    digest = hashlib.sha256(attachment.content).hexdigest()
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"edxml:{doc.document_id}:{index}:{digest}"))


def _message_header(header: etree._Element, doc: EdxmlDocument) -> None:
    mh = _sub(header, "MessageHeader")
    p = "MessageHeader"
    _organ(mh, "From", doc.sender, f"{p}/From", named=True)
    if not doc.recipients:
        raise EdxmlError(_("%(field)s is missing.") % {"field": f"{p}/To"}, field=f"{p}/To")
    for index, organ in enumerate(doc.recipients, start=1):
        _organ(mh, "To", organ, f"{p}/To[{index}]", named=False)

    code = _sub(mh, "Code")
    _sub(
        code,
        "CodeNumber",
        _clean(doc.code_number, f"{p}/Code/CodeNumber", required=True, limit="CodeNumber"),
    )
    _sub(
        code,
        "CodeNotation",
        _clean(doc.code_notation, f"{p}/Code/CodeNotation", required=True, limit="CodeNotation"),
    )

    info = _sub(mh, "PromulgationInfo")
    _sub(info, "Place", _clean(doc.place, f"{p}/PromulgationInfo/Place"))
    _sub(
        info,
        "PromulgationDate",
        _date(doc.promulgation_date, f"{p}/PromulgationInfo/PromulgationDate"),
    )

    doc_type = _sub(mh, "DocumentType")
    type_code = _clean(doc.type_code, f"{p}/DocumentType/Type", required=True)
    type_name = _clean(doc.type_name, f"{p}/DocumentType/TypeName") or TYPE_NAMES.get(type_code, "")
    _sub(doc_type, "Type", type_code)
    _sub(doc_type, "TypeName", type_name)

    _sub(mh, "Subject", _clean(doc.subject, f"{p}/Subject", required=True, limit="Subject"))
    _sub(mh, "Content", _clean(doc.content, f"{p}/Content"))

    signer = _sub(mh, "SignerInfo")
    _sub(signer, "Competence", _clean(doc.signer_competence, f"{p}/SignerInfo/Competence"))
    _sub(signer, "Position", _clean(doc.signer_position, f"{p}/SignerInfo/Position"))
    _sub(signer, "FullName", _clean(doc.signer_name, f"{p}/SignerInfo/FullName"))

    if doc.due_date is not None:
        _sub(mh, "DueDate", _date(doc.due_date, f"{p}/DueDate"))

    places = _sub(mh, "ToPlaces")
    for index, place in enumerate(doc.to_places, start=1):
        _sub(places, "Place", _clean(place, f"{p}/ToPlaces/Place[{index}]", required=True))

    other = _sub(mh, "OtherInfo")
    o = f"{p}/OtherInfo"
    _sub(other, "Priority", _int(doc.priority, f"{o}/Priority", PRIORITIES))
    _sub(other, "SphereOfPromulgation", _clean(doc.sphere, f"{o}/SphereOfPromulgation"))
    _sub(other, "TyperNotation", _clean(doc.typer_notation, f"{o}/TyperNotation"))
    _sub(other, "PromulgationAmount", _int(doc.promulgation_amount, f"{o}/PromulgationAmount"))
    _sub(other, "PageAmount", _int(doc.page_amount, f"{o}/PageAmount"))
    appendixes = _sub(other, "Appendixes")
    for index, appendix in enumerate(doc.appendixes, start=1):
        _sub(
            appendixes,
            "Appendix",
            _clean(appendix, f"{o}/Appendixes/Appendix[{index}]", required=True),
        )

    for index, ref in enumerate(doc.response_for, start=1):
        r = f"{p}/ResponseFor[{index}]"
        if not isinstance(ref, dict):
            raise EdxmlError(_("%(field)s must be a dict.") % {"field": r}, field=r)
        element = _sub(mh, "ResponseFor")
        _sub(
            element,
            "OrganId",
            _clean(ref.get("organ_id"), f"{r}/OrganId", required=True, limit="OrganId"),
        )
        _sub(element, "Code", _clean(ref.get("code"), f"{r}/Code", required=True))
        if ref.get("promulgation_date") is not None:
            _sub(
                element,
                "PromulgationDate",
                _date(ref["promulgation_date"], f"{r}/PromulgationDate"),
            )
        _sub(element, "DocumentId", _clean(ref.get("document_id"), f"{r}/DocumentId"))

    _sub(mh, "SteeringType", _int(doc.steering_type, f"{p}/SteeringType"))
    _sub(mh, "DocumentId", _clean(doc.document_id, f"{p}/DocumentId", required=True))


def _trace_header_list(header: etree._Element, doc: EdxmlDocument) -> None:
    traces = _sub(header, "TraceHeaderList")
    for index, trace in enumerate(doc.traces, start=1):
        t = f"TraceHeaderList/TraceHeader[{index}]"
        element = _sub(traces, "TraceHeader")
        _sub(
            element,
            "OrganId",
            _clean(trace.organ_id, f"{t}/OrganId", required=True, limit="OrganId"),
        )
        _sub(element, "Timestamp", _timestamp(trace.timestamp, f"{t}/Timestamp"))

    b = "TraceHeaderList/Bussiness"
    business = _sub(traces, "Bussiness")
    _sub(
        business,
        "BussinessDocType",
        _int(doc.business_doc_type, f"{b}/BussinessDocType", BUSINESS_DOC_TYPES),
    )
    _sub(business, "BussinessDocReason", _clean(doc.business_reason, f"{b}/BussinessDocReason"))
    if doc.business_staff is not None:
        _staff(business, doc.business_staff, f"{b}/StaffInfo")
    _sub(business, "Paper", _int(doc.business_paper, f"{b}/Paper"))
    if doc.replacements:
        replacements = _sub(business, "ReplacementInfoList")
        for index, replacement in enumerate(doc.replacements, start=1):
            r = f"{b}/ReplacementInfoList/ReplacementInfo[{index}]"
            element = _sub(replacements, "ReplacementInfo")
            _sub(
                element,
                "DocumentId",
                _clean(replacement.document_id, f"{r}/DocumentId", required=True),
            )
            organs = _sub(element, "OrganIdList")
            for organ_id in replacement.organ_ids:
                _sub(
                    organs,
                    "OrganId",
                    _clean(organ_id, f"{r}/OrganIdList/OrganId", required=True, limit="OrganId"),
                )


def _attachments(root: etree._Element, manifest: etree._Element, doc: EdxmlDocument) -> None:
    """One manifest Reference and one AttachmentEncoded/Attachment per attachment."""
    encoded = _sub(root, "AttachmentEncoded")
    for index, attachment in enumerate(doc.attachments, start=1):
        a = f"Attachment[{index}]"
        if not isinstance(attachment.content, bytes | bytearray):
            raise EdxmlError(_("%(field)s must be bytes.") % {"field": a}, field=a)
        name = _clean(attachment.name, f"{a}/AttachmentName", required=True)
        content_type = _clean(attachment.content_type, f"{a}/ContentType") or (
            "application/octet-stream"
        )
        description = _clean(attachment.description, f"{a}/Description")
        cid = _content_id(doc, index, attachment)

        reference = _sub(manifest, "Reference")
        reference.set(f"{{{XLINK_NS}}}href", f"cid:{cid}")
        reference.set(f"{{{XLINK_NS}}}type", "simple")
        _sub(reference, "ContentId", f"cid:{cid}")
        _sub(reference, "ContentType", content_type)
        _sub(reference, "Description", description)
        _sub(reference, "AttachmentName", name)

        item = _sub(encoded, "Attachment")
        _sub(item, "ContentType", content_type)
        _sub(item, "ContentId", cid)
        _sub(item, "Description", description)
        _sub(item, "AttachmentName", name)
        _sub(item, "ContentTransferEncoded", base64.b64encode(attachment.content).decode("ascii"))


def build(doc: EdxmlDocument) -> bytes:
    """Write ``doc`` as an edXML document package (UTF-8 bytes).

    Every element carries the ``edXML:`` prefix. Each attachment gets a
    Reference in edXMLManifest (ContentId ``cid:<uuid>``) and an Attachment
    in AttachmentEncoded after the envelope (ContentId ``<uuid>``, content in
    ContentTransferEncoded as base64). The content ids are derived from the
    document id and the attachment bytes, so the same input gives the same bytes.

    TraceHeaderList holds ``doc.traces`` as given: the sender appends its own
    TraceEntry before sending. The Signature element is an empty placeholder
    for the XML-DSig signing step.

    Raises :class:`EdxmlError` naming the element when a value is missing,
    too long (OrganId 13, CodeNumber 11, CodeNotation 30, Subject 500) or
    out of range.
    """
    root = _new_root("edXML")
    envelope = _sub(root, "edXMLEnvelope")
    header = _sub(envelope, "edXMLHeader")
    _message_header(header, doc)
    _trace_header_list(header, doc)
    _sub(header, "Signature")

    body = _sub(envelope, "edXMLBody")
    manifest = _sub(body, "edXMLManifest")
    manifest.set("version", "1.0")
    if doc.attachments:
        _attachments(root, manifest, doc)
    return _serialize(root)


def build_status(msg: StatusMessage) -> bytes:
    """Write ``msg`` as an edXML status package (UTF-8 bytes, ``edXML:`` on every element).

    ``edXML:edXML > edXMLEnvelope > edXMLHeader > Status`` with ResponseFor
    (OrganId, Code, PromulgationDate, DocumentId of the document answered),
    From, To, StatusCode, Description, Timestamp (Vietnam time) and StaffInfo.
    """
    code = _clean(msg.status_code, "Status/StatusCode", required=True)
    if code not in STATUS_CODES:
        raise EdxmlError(
            _("Status/StatusCode %(code)r is not a known status code.") % {"code": code},
            field="Status/StatusCode",
        )
    root = _new_root("edXML")
    header = _sub(_sub(root, "edXMLEnvelope"), "edXMLHeader")
    status = _sub(header, "Status")
    ref = _sub(status, "ResponseFor")
    r = "Status/ResponseFor"
    _sub(
        ref,
        "OrganId",
        _clean(msg.response_for_organ_id, f"{r}/OrganId", required=True, limit="OrganId"),
    )
    _sub(ref, "Code", _clean(msg.response_for_code, f"{r}/Code", required=True))
    _sub(ref, "PromulgationDate", _date(msg.response_for_date, f"{r}/PromulgationDate"))
    _sub(ref, "DocumentId", _clean(msg.response_for_document_id, f"{r}/DocumentId", required=True))
    _organ(status, "From", msg.from_organ, "Status/From", named=True)
    _organ(status, "To", msg.to_organ, "Status/To", named=False)
    _sub(status, "StatusCode", code)
    _sub(status, "Description", _clean(msg.description, "Status/Description"))
    _sub(status, "Timestamp", _timestamp(msg.timestamp, "Status/Timestamp"))
    staff = StaffInfo(department=msg.staff_department, staff=msg.staff_name)
    _staff(status, staff, "Status/StaffInfo")
    return _serialize(root)


# ----------------------------------------------------------------------- parse


def _has_dtd(data: bytes) -> bool:
    """True when the prolog (everything before the first element) declares a DTD."""
    first = _FIRST_ELEMENT.search(data)
    prolog = data[: first.start()] if first else data
    return bool(_DTD_MARKUP.search(prolog))


def _dtd_error() -> EdxmlError:
    return EdxmlError(
        _("The package declares a DOCTYPE or entities; edXML packages may not contain them.")
    )


def _load(data: bytes, max_bytes: int) -> etree._Element:
    """Parse untrusted bytes: size first, no DTD, no entities, no network."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise EdxmlError(_("The package must be bytes."))
    data = bytes(data)
    if len(data) > max_bytes:
        raise EdxmlError(
            _("The package is %(size)d bytes; the limit is %(limit)d bytes.")
            % {"size": len(data), "limit": max_bytes}
        )
    if not data.strip():
        raise EdxmlError(_("The package is empty."))
    if _has_dtd(data):
        raise _dtd_error()
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        # The size is capped above and DTDs are refused, which is what makes
        # huge trees dangerous; the flag is needed only for attachments whose
        # base64 text is over libxml2's 10 MB text-node limit.
        huge_tree=len(data) > _LIBXML_TEXT_LIMIT,
        remove_pis=True,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(data, parser)  # hardened parser: see above
    except etree.XMLSyntaxError as exc:
        raise EdxmlError(
            _("The package is not well-formed XML: %(error)s") % {"error": exc.msg}
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _dtd_error()  # e.g. a UTF-16 prolog the byte scan cannot read
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        raise _dtd_error()
    return root


def _qname(element: etree._Element) -> tuple[str | None, str]:
    q = etree.QName(element)
    return q.namespace, q.localname


def _is(element: Any, name: str) -> bool:
    if not isinstance(element.tag, str):  # comments, processing instructions
        return False
    namespace, local = _qname(element)
    return local == name and namespace in (NS, LEGACY_NS, None)


def _children(parent: etree._Element | None, name: str) -> list[etree._Element]:
    if parent is None:
        return []
    return [child for child in parent if _is(child, name)]


def _child(parent: etree._Element | None, name: str) -> etree._Element | None:
    found = _children(parent, name)
    return found[0] if found else None


def _find(parent: etree._Element | None, path: str) -> etree._Element | None:
    for name in path.split("/"):
        parent = _child(parent, name)
    return parent


def _text(parent: etree._Element | None, path: str) -> str:
    element = _find(parent, path)
    return _nfc(element.text or "") if element is not None else ""


def _required(parent: etree._Element | None, path: str, label: str) -> str:
    element = _find(parent, path)
    if element is None:
        raise EdxmlError(_("%(field)s is missing.") % {"field": label}, field=label)
    text = _nfc(element.text or "")
    if not text:
        raise EdxmlError(_("%(field)s is empty.") % {"field": label}, field=label)
    return text


def _section(parent: etree._Element | None, name: str, label: str) -> etree._Element:
    element = _child(parent, name)
    if element is None:
        raise EdxmlError(_("%(field)s is missing.") % {"field": label}, field=label)
    return element


def _parse_int(
    parent: etree._Element | None,
    path: str,
    label: str,
    default: int,
    allowed: dict[int, str] | None = None,
) -> int:
    text = _text(parent, path)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0 or (allowed is not None and value not in allowed):
        raise EdxmlError(
            _("%(field)s has an invalid value %(value)r.") % {"field": label, "value": text[:40]},
            field=label,
        )
    return value


_DATE_FORMATS = ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y")
_TIMESTAMP_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S")


def _to_timestamp(text: str) -> datetime | None:
    for fmt in _TIMESTAMP_FORMATS:
        try:
            value = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    else:
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    return value.astimezone(UTC)


def _parse_date(text: str, label: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    stamp = _to_timestamp(text)
    if stamp is not None and len(text) > 10:
        return stamp.astimezone(VN_TZ).date()
    raise EdxmlError(
        _("%(field)s is not a valid date (expected yyyy/MM/dd): %(value)r.")
        % {"field": label, "value": text[:40]},
        field=label,
    )


def _parse_timestamp(text: str, label: str) -> datetime:
    stamp = _to_timestamp(text)
    if stamp is None:
        raise EdxmlError(
            _("%(field)s is not a valid time stamp (expected yyyy/MM/dd HH:mm:ss): %(value)r.")
            % {"field": label, "value": text[:40]},
            field=label,
        )
    return stamp


def _read_organ(element: etree._Element, label: str) -> Organ:
    return Organ(
        organ_id=_required(element, "OrganId", f"{label}/OrganId"),
        name=_text(element, "OrganName"),
        in_charge=_text(element, "OrganizationInCharge"),
        address=_text(element, "OrganAdd"),
        email=_text(element, "Email"),
        telephone=_text(element, "Telephone"),
        fax=_text(element, "Fax"),
        website=_text(element, "Website"),
    )


def _check_root(root: etree._Element, *, soap: bool = False) -> None:
    namespace, local = _qname(root)
    if local == "edXML" and namespace in ACCEPTED_NS:
        return
    if soap and local == "Envelope" and namespace == SOAP_NS:
        return
    raise EdxmlError(
        _("The root element must be edXML in the namespace %(ns)s, not %(found)s.")
        % {"ns": NS, "found": f"{{{namespace}}}{local}" if namespace else local},
        field="edXML",
    )


def _strip_cid(value: str) -> str:
    value = value.strip().strip("<>").strip()
    if value[:4].lower() == "cid:":
        value = value[4:]
    return value.strip().strip("<>").strip()


def _read_attachments(root: etree._Element, manifest: etree._Element | None) -> list[Attachment]:
    references: dict[str, dict[str, str]] = {}
    for index, reference in enumerate(_children(manifest, "Reference"), start=1):
        label = f"edXMLManifest/Reference[{index}]/ContentId"
        raw = _text(reference, "ContentId") or reference.get(f"{{{XLINK_NS}}}href", "")
        cid = _strip_cid(_nfc(raw))
        if not cid:
            raise EdxmlError(_("%(field)s is missing.") % {"field": label}, field=label)
        if cid in references:
            raise EdxmlError(
                _("%(field)s %(cid)r is used twice.") % {"field": label, "cid": cid}, field=label
            )
        references[cid] = {
            "name": _text(reference, "AttachmentName"),
            "content_type": _text(reference, "ContentType"),
            "description": _text(reference, "Description"),
        }

    found: dict[str, Attachment] = {}
    items = [
        item
        for encoded in root.iter()
        if _is(encoded, "AttachmentEncoded")
        for item in _children(encoded, "Attachment")
    ]
    for index, item in enumerate(items, start=1):
        label = f"AttachmentEncoded/Attachment[{index}]"
        cid = _strip_cid(_required(item, "ContentId", f"{label}/ContentId"))
        if cid not in references:
            raise EdxmlError(
                _("%(field)s (ContentId %(cid)r) has no matching Reference in edXMLManifest.")
                % {"field": label, "cid": cid},
                field=f"{label}/ContentId",
            )
        if cid in found:
            raise EdxmlError(
                _("%(field)s repeats ContentId %(cid)r.") % {"field": label, "cid": cid},
                field=f"{label}/ContentId",
            )
        meta = references[cid]
        name = meta["name"] or _text(item, "AttachmentName") or cid
        payload = _find(item, "ContentTransferEncoded")
        raw = (payload.text if payload is not None else item.text) or ""
        try:
            content = base64.b64decode(_WHITESPACE.sub(b"", raw.encode("ascii")), validate=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise EdxmlError(
                _("%(field)s (%(name)s): the content is not valid base64.")
                % {"field": label, "name": name},
                field=f"{label}/ContentTransferEncoded",
            ) from None
        found[cid] = Attachment(
            name=name,
            content=content,
            content_type=meta["content_type"]
            or _text(item, "ContentType")
            or "application/octet-stream",
            description=meta["description"] or _text(item, "Description"),
        )

    missing = [cid for cid in references if cid not in found]
    if missing:
        raise EdxmlError(
            _("edXMLManifest/Reference %(cid)r has no attachment in AttachmentEncoded.")
            % {"cid": missing[0]},
            field="edXMLManifest/Reference",
        )
    return [found[cid] for cid in references]


def parse(data: bytes, *, max_bytes: int = MAX_PACKAGE_BYTES) -> EdxmlDocument:
    """Read a document package received from another agency.

    Accepts :data:`NS` and :data:`LEGACY_NS`, with or without prefixes. Every
    text comes back in NFC. A missing DocumentId is rebuilt with
    :func:`make_document_id`; a missing TypeName is taken from :data:`TYPE_NAMES`.

    Raises :class:`EdxmlError` (a ``ValueError``) for a package larger than
    ``max_bytes`` (checked before parsing), XML that is not well formed, any
    DOCTYPE or entity declaration, a wrong root, a missing required element
    (From/OrganId, To, Code, PromulgationDate, Subject), a bad date or number,
    base64 that does not decode, and attachments and manifest references
    that do not match.
    """
    root = _load(data, max_bytes)
    _check_root(root)
    envelope = _section(root, "edXMLEnvelope", "edXMLEnvelope")
    header = _section(envelope, "edXMLHeader", "edXMLHeader")
    mh = _section(header, "MessageHeader", "MessageHeader")
    p = "MessageHeader"

    sender = _read_organ(_section(mh, "From", f"{p}/From"), f"{p}/From")
    to = _children(mh, "To")
    if not to:
        raise EdxmlError(_("%(field)s is missing.") % {"field": f"{p}/To"}, field=f"{p}/To")
    recipients = [_read_organ(item, f"{p}/To[{i}]") for i, item in enumerate(to, start=1)]

    code_number = _required(mh, "Code/CodeNumber", f"{p}/Code/CodeNumber")
    code_notation = _required(mh, "Code/CodeNotation", f"{p}/Code/CodeNotation")
    label = f"{p}/PromulgationInfo/PromulgationDate"
    promulgation_date = _parse_date(
        _required(mh, "PromulgationInfo/PromulgationDate", label), label
    )
    subject = _required(mh, "Subject", f"{p}/Subject")
    type_code = _text(mh, "DocumentType/Type")
    due_text = _text(mh, "DueDate")

    response_for = []
    for index, element in enumerate(_children(mh, "ResponseFor"), start=1):
        r = f"{p}/ResponseFor[{index}]"
        ref_date = _text(element, "PromulgationDate")
        response_for.append(
            {
                "organ_id": _text(element, "OrganId"),
                "code": _text(element, "Code"),
                "promulgation_date": _parse_date(ref_date, f"{r}/PromulgationDate")
                if ref_date
                else None,
                "document_id": _text(element, "DocumentId"),
            }
        )

    traces_element = _child(header, "TraceHeaderList")
    traces = []
    for index, element in enumerate(_children(traces_element, "TraceHeader"), start=1):
        t = f"TraceHeaderList/TraceHeader[{index}]"
        traces.append(
            TraceEntry(
                organ_id=_required(element, "OrganId", f"{t}/OrganId"),
                timestamp=_parse_timestamp(
                    _required(element, "Timestamp", f"{t}/Timestamp"), f"{t}/Timestamp"
                ),
            )
        )
    business = _child(traces_element, "Bussiness")
    b = "TraceHeaderList/Bussiness"
    staff_element = _child(business, "StaffInfo")
    replacements = [
        Replacement(
            document_id=_text(info, "DocumentId"),
            organ_ids=[
                _nfc(organ.text or "")
                for organ in _children(_child(info, "OrganIdList"), "OrganId")
                if _nfc(organ.text or "")
            ],
        )
        for info in _children(_child(business, "ReplacementInfoList"), "ReplacementInfo")
    ]

    other = f"{p}/OtherInfo"
    return EdxmlDocument(
        document_id=_text(mh, "DocumentId")
        or make_document_id(sender.organ_id, promulgation_date, code_number, code_notation),
        sender=sender,
        recipients=recipients,
        code_number=code_number,
        code_notation=code_notation,
        place=_text(mh, "PromulgationInfo/Place"),
        promulgation_date=promulgation_date,
        type_code=type_code,
        type_name=_text(mh, "DocumentType/TypeName") or TYPE_NAMES.get(type_code, ""),
        subject=subject,
        content=_text(mh, "Content"),
        signer_competence=_text(mh, "SignerInfo/Competence"),
        signer_position=_text(mh, "SignerInfo/Position"),
        signer_name=_text(mh, "SignerInfo/FullName"),
        due_date=_parse_date(due_text, f"{p}/DueDate") if due_text else None,
        to_places=[
            text
            for text in (_nfc(e.text or "") for e in _children(_child(mh, "ToPlaces"), "Place"))
            if text
        ],
        priority=_parse_int(mh, "OtherInfo/Priority", f"{other}/Priority", 0, PRIORITIES),
        sphere=_text(mh, "OtherInfo/SphereOfPromulgation"),
        typer_notation=_text(mh, "OtherInfo/TyperNotation"),
        promulgation_amount=_parse_int(
            mh, "OtherInfo/PromulgationAmount", f"{other}/PromulgationAmount", 1
        ),
        page_amount=_parse_int(mh, "OtherInfo/PageAmount", f"{other}/PageAmount", 0),
        appendixes=[
            text
            for text in (
                _nfc(e.text or "") for e in _children(_find(mh, "OtherInfo/Appendixes"), "Appendix")
            )
            if text
        ],
        response_for=response_for,
        steering_type=_parse_int(mh, "SteeringType", f"{p}/SteeringType", 0),
        traces=traces,
        business_doc_type=_parse_int(
            business, "BussinessDocType", f"{b}/BussinessDocType", 0, BUSINESS_DOC_TYPES
        ),
        business_reason=_text(business, "BussinessDocReason"),
        business_staff=StaffInfo(
            department=_text(staff_element, "Department"),
            staff=_text(staff_element, "Staff"),
            mobile=_text(staff_element, "Mobile"),
            email=_text(staff_element, "Email"),
        )
        if staff_element is not None
        else None,
        business_paper=_parse_int(business, "Paper", f"{b}/Paper", 0),
        replacements=replacements,
        attachments=_read_attachments(root, _find(envelope, "edXMLBody/edXMLManifest")),
    )


def _find_status(root: etree._Element) -> etree._Element | None:
    for element in root.iter():
        if isinstance(element.tag, str) and _qname(element) in (
            (NS, "Status"),
            (LEGACY_NS, "Status"),
        ):
            return element
    return None


def parse_status(data: bytes, *, max_bytes: int = MAX_PACKAGE_BYTES) -> StatusMessage:
    """Read a status package, with the same safety rules as :func:`parse`.

    Accepts the edXML root written by :func:`build_status` and the SOAP
    ``Envelope > Header > edXML:Status`` form used by some exchange software.
    A status without ``To`` is addressed to ResponseFor/OrganId (the issuer of
    the document answered). A one-digit code is read as two digits ("1" →
    "01"); an unknown code raises :class:`EdxmlError`.
    """
    root = _load(data, max_bytes)
    _check_root(root, soap=True)
    status = _find_status(root)
    if status is None:
        raise EdxmlError(_("%(field)s is missing.") % {"field": "Status"}, field="Status")
    ref = _section(status, "ResponseFor", "Status/ResponseFor")
    r = "Status/ResponseFor"
    code = _required(status, "StatusCode", "Status/StatusCode")
    if code.isdigit() and len(code) == 1:
        code = code.zfill(2)
    if code not in STATUS_CODES:
        raise EdxmlError(
            _("Status/StatusCode %(code)r is not a known status code.") % {"code": code[:10]},
            field="Status/StatusCode",
        )
    response_for_organ_id = _required(ref, "OrganId", f"{r}/OrganId")
    to_element = _child(status, "To")
    return StatusMessage(
        from_organ=_read_organ(_section(status, "From", "Status/From"), "Status/From"),
        to_organ=_read_organ(to_element, "Status/To")
        if to_element is not None
        else Organ(organ_id=response_for_organ_id, name=""),
        response_for_organ_id=response_for_organ_id,
        response_for_code=_required(ref, "Code", f"{r}/Code"),
        response_for_document_id=_text(ref, "DocumentId"),
        response_for_date=_parse_date(
            _required(ref, "PromulgationDate", f"{r}/PromulgationDate"), f"{r}/PromulgationDate"
        ),
        status_code=code,
        description=_text(status, "Description"),
        staff_name=_text(status, "StaffInfo/Staff"),
        staff_department=_text(status, "StaffInfo/Department"),
        timestamp=_parse_timestamp(
            _required(status, "Timestamp", "Status/Timestamp"), "Status/Timestamp"
        ),
    )


def is_status_package(data: bytes) -> bool:
    """Cheaply tell a status package from a document package; never raises.

    Reads at most the first 64 KiB with a pull parser (no DTD, no entities, no
    network) and answers True at the first Status element, False at a
    MessageHeader, an edXMLBody, anything malformed or hostile.
    """
    try:
        head = bytes(data[:_SNIFF_BYTES])
        if _has_dtd(head):
            return False
        parser = etree.XMLPullParser(
            events=("start",),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        )
        parser.feed(head)
        first = True
        for _event, element in parser.read_events():
            namespace, local = _qname(element)
            if first:
                first = False
                if not (
                    (local == "edXML" and namespace in ACCEPTED_NS)
                    or (local == "Envelope" and namespace == SOAP_NS)
                ):
                    return False
            if namespace in ACCEPTED_NS:
                if local == "Status":
                    return True
                if local in ("MessageHeader", "edXMLBody", "AttachmentEncoded"):
                    return False
    except (etree.LxmlError, ValueError, TypeError):
        return False
    return False
