"""``/api/v1/documents``: search, a document with its files and history, drafting to issue,
the inbox, registering incoming documents (by hand or from an edXML package), processing,
and the parts of a number and symbol.

Reads go through the selectors (scoped to the caller; out of scope answers 404), changes
through the services (a broken rule answers 400 with the messages per field, a missing right
403). A unit code in a request body that is unknown or out of the caller's scope answers 400
naming the field, as in the members API; a unit code in the query string answers 404.

No ``from __future__ import annotations`` here: ninja resolves the annotations of a paginated
view in the pagination module's namespace, so they must be real objects, not strings.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from congdoan.accounts.permissions import VIEW_DOCUMENTS
from congdoan.accounts.selectors import can
from congdoan.documents import models, search, selectors, services, symbols
from congdoan.documents.models import (
    TYPE_NAMES,
    Assignment,
    Attachment,
    Delivery,
    Document,
    ProcessingEntry,
    Source,
)
from congdoan.org import selectors as org_selectors
from congdoan.org.models import Unit

router = Router(tags=["documents"])

INBOX_STATES = ("new", "unregistered", *Delivery.State.values)
INCOMING_SOURCES = (Source.PAPER, Source.EMAIL)


def page_url(document_id: int) -> str:
    """The document's page in the staff office: ``/documents/<id>/``."""
    return reverse("documents:detail", args=[document_id])


# --- schemas ---------------------------------------------------------------------------------


class DocumentOut(Schema):
    """A document as search lists it."""

    id: int
    direction: str = Field(..., description="out or in")
    symbol: str = Field(..., description="number and symbol; empty for an unissued draft")
    doc_type: str
    type_name: str
    subject: str
    issuer_name: str
    date: dt.date | None = Field(None, description="the document's date, else the day received")
    status: str
    urgency: int = Field(..., description="0 normal, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc")
    confidentiality: int = Field(..., description="0 none, 1 mật, 2 tối mật, 3 tuyệt mật")
    url: str
    rank: float | None = Field(None, description="relevance, when a query was given")

    @staticmethod
    def resolve_date(document: Document) -> dt.date | None:
        return document.issued_on or document.received_on

    @staticmethod
    def resolve_url(document: Document) -> str:
        return page_url(document.pk)

    @staticmethod
    def resolve_rank(document: Document) -> float | None:
        return getattr(document, "rank", None)


class SearchIn(Schema):
    q: str = Field("", description="words, with or without diacritics")
    doc_type: str = Field("", alias="type", description="type abbreviation: KH, HD, CV, …")
    issuer: str = Field("", description="part of the issuer's name, or its code")
    start: dt.date | None = Field(None, alias="from", description="dated on or after")
    end: dt.date | None = Field(None, alias="to", description="dated on or before")
    status: str = ""
    direction: str = Field("", description="out or in")


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str = Field(..., description="pdf, docx, jpg, …")
    size: int = Field(..., description="bytes")
    pages: int
    ocr: str = Field(..., description="'', pending, running, done, failed or off")
    flags: list[str]
    signatures: list[dict[str, Any]]


class EntryOut(Schema):
    id: int
    at: dt.datetime
    action: str
    action_name: str
    actor: str | None = None
    unit: str | None = Field(None, description="code of the unit it concerns")
    note: str
    status_code: str = Field(..., description="edXML status code, when there is one")


class AssignmentOut(Schema):
    id: int
    document: int
    assignee_unit: str | None = Field(None, description="department code")
    assignee: str | None = Field(None, description="username")
    instruction: str
    deadline: dt.date | None = None
    state: str
    assigned_by: str | None = None
    assigned_at: dt.datetime
    done_at: dt.datetime | None = None


class DeliverySummaryOut(Schema):
    total: int
    opened: int
    acknowledged: int
    registered: int


class DeliveryOut(Schema):
    """One document as an inbox lists it."""

    id: int
    document: int = Field(..., description="id of the sent document")
    recipient: str = Field(..., description="code of the receiving unit")
    symbol: str
    subject: str
    issuer: str
    doc_type: str
    urgency: int
    sent_at: dt.datetime
    state: str = Field(..., description="delivered, opened or acknowledged")
    opened_at: dt.datetime | None = None
    acknowledged_at: dt.datetime | None = None
    registered_as: int | None = Field(None, description="the incoming document it became")
    recalled: bool
    url: str

    @staticmethod
    def resolve_document(delivery: Delivery) -> int:
        return delivery.document_id

    @staticmethod
    def resolve_recipient(delivery: Delivery) -> str:
        return delivery.recipient.code

    @staticmethod
    def resolve_symbol(delivery: Delivery) -> str:
        return delivery.document.symbol

    @staticmethod
    def resolve_subject(delivery: Delivery) -> str:
        return delivery.document.subject

    @staticmethod
    def resolve_issuer(delivery: Delivery) -> str:
        return delivery.document.issuer_name

    @staticmethod
    def resolve_doc_type(delivery: Delivery) -> str:
        return delivery.document.doc_type

    @staticmethod
    def resolve_registered_as(delivery: Delivery) -> int | None:
        return delivery.registered_as_id

    @staticmethod
    def resolve_recalled(delivery: Delivery) -> bool:
        return delivery.recalled_at is not None

    @staticmethod
    def resolve_url(delivery: Delivery) -> str:
        return page_url(delivery.document_id)


class DocumentDetail(Schema):
    id: int
    direction: str
    status: str
    status_name: str
    source: str
    unit: str = Field(..., description="issuer (outgoing) or receiver (incoming), by code")
    unit_name: str
    doc_type: str
    type_name: str
    number: int | None = None
    year: int | None = None
    symbol: str
    issuer_name: str
    issuer_code: str
    drafting_unit: str | None = None
    file_unit: str | None = None
    issued_on: dt.date | None = None
    place: str
    subject: str
    summary: str
    body: str
    signer_name: str
    signer_position: str
    signer_authority: str
    signed_at: dt.datetime | None = None
    urgency: int
    confidentiality: int
    recipients: list[dict[str, str]] = Field(..., description="the recipient rules")
    recipients_text: str
    copies: int
    legal_references: str
    incoming_number: int | None = None
    received_on: dt.date | None = None
    deadline: dt.date | None = None
    origin: int | None = Field(None, description="the sent document it was registered from")
    in_reply_to: int | None = None
    recalled_at: dt.datetime | None = None
    recall_reason: str
    public: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str
    attachments: list[AttachmentOut]
    history: list[EntryOut]
    assignments: list[AssignmentOut]
    delivery_summary: DeliverySummaryOut | None = Field(
        None, description="outgoing documents, for users of the issuing unit"
    )
    delivery: DeliveryOut | None = Field(
        None, description="this document's delivery to a unit where you hold a role, if any"
    )


class RecipientIn(Schema):
    unit: str = Field(..., description="unit code")
    mode: str = Field("unit", description="unit, grassroots (every union under it) or kind")
    kind: str | None = Field(None, description="mode kind: the unit kind code")


class OutgoingIn(Schema):
    unit: str = Field(..., description="code of the issuing unit")
    doc_type: str = Field("CV", description="type abbreviation (KH, HD, …); CV for a công văn")
    subject: str
    summary: str = ""
    body: str = ""
    place: str = ""
    urgency: int = 0
    confidentiality: int = 0
    signer_name: str = ""
    signer_position: str = ""
    signer_authority: str = Field("", description="e.g. TM. BAN THƯỜNG VỤ")
    drafting_unit: str | None = Field(None, description="department code; required for a CV")
    file_unit: str | None = Field(None, description="department keeping the file copy")
    copies: int = 1
    legal_references: str = ""
    recipients_text: str = ""
    public: bool = False
    recipients: list[RecipientIn] = []


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str


class IssueIn(Schema):
    issued_on: dt.date | None = Field(None, description="default today; never in the future")


class IssueOut(Schema):
    id: int
    number: int
    year: int
    symbol: str
    issued_on: dt.date
    recipients: int = Field(..., description="how many units it was delivered to")
    url: str


class AssignIn(Schema):
    assignee_unit: str | None = Field(None, description="department code")
    assignee: str | None = Field(None, description="username")
    instruction: str = ""
    deadline: dt.date | None = None


class ForwardIn(Schema):
    assignee_unit: str | None = Field(None, description="department code")
    assignee: str | None = Field(None, description="username")
    note: str = ""


class CompleteIn(Schema):
    note: str = ""
    reply: int | None = Field(None, description="id of the outgoing document that answers it")


class IncomingIn(Schema):
    unit: str = Field(..., description="code of the receiving unit")
    doc_type: str = Field("", description="type abbreviation; empty for “Khác”")
    symbol: str = Field("", description="as written: 30/2020/NĐ-CP, 03-ĐA/TU, 123/UBND-VX …")
    issuer_name: str = ""
    issued_on: str = Field("", description="YYYY-MM-DD or dd/mm/yyyy")
    received_on: str = Field("", description="YYYY-MM-DD or dd/mm/yyyy; default today")
    subject: str = ""
    summary: str = ""
    urgency: int = 0
    confidentiality: int = 0
    deadline: str = Field("", description="YYYY-MM-DD or dd/mm/yyyy")
    source: str = Field("paper", description="paper or email")


class SymbolOut(Schema):
    written: str
    style: str = Field(..., description="state, cong_van, legal, party or unknown")
    number: int | None = None
    year: int | None = None
    type_abbreviation: str
    issuer_abbreviation: str
    drafting_abbreviation: str


# --- building the answers --------------------------------------------------------------------


def _attachment(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "name": a.original_name,
        "kind": a.kind,
        "size": a.size,
        "pages": a.pages,
        "ocr": a.ocr,
        "flags": list(a.flags or []),
        "signatures": list(a.signatures or []),
    }


def _entry(e: ProcessingEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "at": e.at,
        "action": e.action,
        "action_name": e.get_action_display(),
        "actor": (e.actor.get_full_name() or e.actor.username) if e.actor else None,
        "unit": e.unit.code if e.unit else None,
        "note": e.note,
        "status_code": e.status_code,
    }


def _assignment(a: Assignment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "document": a.document_id,
        "assignee_unit": a.assignee_unit.code if a.assignee_unit else None,
        "assignee": a.assignee.username if a.assignee else None,
        "instruction": a.instruction,
        "deadline": a.deadline,
        "state": a.state,
        "assigned_by": a.assigned_by.username if a.assigned_by else None,
        "assigned_at": a.assigned_at,
        "done_at": a.done_at,
    }


def _detail(user: Any, document: Document) -> dict[str, Any]:
    summary = None
    if document.is_outgoing and can(user, VIEW_DOCUMENTS, document.unit.path):
        summary = vars(selectors.delivery_summary(document))
    own = selectors.own_delivery(user, document)
    return {
        "id": document.pk,
        "direction": document.direction,
        "status": document.status,
        "status_name": document.get_status_display(),
        "source": document.source,
        "unit": document.unit.code,
        "unit_name": document.unit.name,
        "doc_type": document.doc_type,
        "type_name": document.type_name,
        "number": document.number,
        "year": document.year,
        "symbol": document.symbol,
        "issuer_name": document.issuer_name,
        "issuer_code": document.issuer_code,
        "drafting_unit": document.drafting_unit.code if document.drafting_unit else None,
        "file_unit": document.file_unit.code if document.file_unit else None,
        "issued_on": document.issued_on,
        "place": document.place,
        "subject": document.subject,
        "summary": document.summary,
        "body": document.body,
        "signer_name": document.signer_name,
        "signer_position": document.signer_position,
        "signer_authority": document.signer_authority,
        "signed_at": document.signed_at,
        "urgency": document.urgency,
        "confidentiality": document.confidentiality,
        "recipients": list(document.recipient_spec or []),
        "recipients_text": document.recipients_text,
        "copies": document.copies,
        "legal_references": document.legal_references,
        "incoming_number": document.incoming_number,
        "received_on": document.received_on,
        "deadline": document.deadline,
        "origin": document.origin_id,
        "in_reply_to": document.in_reply_to_id,
        "recalled_at": document.recalled_at,
        "recall_reason": document.recall_reason,
        "public": document.public,
        "created_at": document.created_at,
        "updated_at": document.updated_at,
        "url": page_url(document.pk),
        "attachments": [_attachment(a) for a in selectors.attachments(document)],
        "history": [_entry(e) for e in selectors.history(document)],
        "assignments": [_assignment(a) for a in selectors.assignments(document)],
        "delivery_summary": summary,
        "delivery": own,
    }


def _reloaded(user: Any, document: Document) -> dict[str, Any]:
    """The detail of a document a service just changed, read afresh."""
    return _detail(user, selectors.get_document(user, document.pk))


# --- reading the request ---------------------------------------------------------------------


def _unit_in_body(user: Any, code: str | None, field: str) -> Unit:
    """A unit named in a request body: unknown or out of scope is a 400 naming the field."""
    code = (code or "").strip()
    unit = None
    if code:
        try:
            unit = org_selectors.get_unit(user, code, VIEW_DOCUMENTS)
        except Http404:
            unit = None
    if unit is None:
        raise ValidationError({field: _("No unit has the code “%(code)s”.") % {"code": code}})
    return unit


def _optional_unit(user: Any, code: str | None, field: str) -> Unit | None:
    return _unit_in_body(user, code, field) if code and code.strip() else None


def _assignee(document: Document, username: str | None) -> Any:
    if not username or not username.strip():
        return None
    person = selectors.assignee_candidate(document, username.strip())
    if person is None:
        raise ValidationError(
            {
                "assignee": _("No one named “%(name)s” can read the documents of %(unit)s.")
                % {"name": username.strip(), "unit": document.unit.name}
            }
        )
    return person


def _date_field(value: str, field: str) -> dt.date | None:
    """A date from a form field: ``YYYY-MM-DD`` or ``dd/mm/yyyy``; empty is None."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = parse_date(value)
        if day is None:
            day = dt.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(
            {field: _("“%(value)s” is not a date; write dd/mm/yyyy.") % {"value": value}}
        )
    return day


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The same errors with the service's field names changed to the API's."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {names.get(field, field): errors for field, errors in exc.error_dict.items()}
    )


def _uploads(uploaded: list[UploadedFile] | None) -> list[services.Upload]:
    """The uploaded files as the services take them. Each is checked before it is read into
    memory, so an oversized or forbidden file is refused without loading it."""
    from congdoan.documents import files

    uploads = []
    for f in uploaded or []:
        try:
            files.check_upload(f.name or "", f)
        except files.UploadRejected as exc:
            raise ValidationError({"attachments": str(exc)}) from exc
        f.seek(0)
        uploads.append(services.Upload(f.name or "", f.read()))
    return uploads


# --- search and reading ----------------------------------------------------------------------


@router.get("/search", response=list[DocumentOut])
@paginate(PageNumberPagination, page_size=50, max_page_size=500)
def search_documents(request: HttpRequest, filters: Query[SearchIn]) -> Any:
    """Documents in your scope whose metadata or attachment text holds every word of ``q``,
    with or without diacritics, best first (newest first without ``q``)."""
    doc_type, status, direction = filters.doc_type, filters.status, filters.direction
    start, end = filters.start, filters.end
    errors: dict[str, str] = {}
    if doc_type and doc_type not in TYPE_NAMES:
        errors["type"] = _("Unknown document type “%(type)s”.") % {"type": doc_type}
    if status and status not in models.Status.values:
        errors["status"] = _("Unknown status “%(status)s”; use one of: %(all)s.") % {
            "status": status,
            "all": ", ".join(models.Status.values),
        }
    if direction and direction not in ("out", "in"):
        errors["direction"] = _("Use “out” or “in”.")
    if start and end and start > end:
        errors["to"] = _("The end of the period is before its start.")
    if errors:
        raise ValidationError(errors)
    found = search.Filters(
        doc_type=doc_type,
        issuer=filters.issuer,
        start=start,
        end=end,
        status=status,
        direction=direction,
    )
    return search.search(request.user, filters.q, found)


@router.get("/symbol", response=SymbolOut)
def parse_symbol(request: HttpRequest, parse: str) -> Any:
    """The parts of a number and symbol as written: state (``704/HD-TLĐ``), công văn
    (``123/LĐLĐ-VP``), legal (``30/2020/NĐ-CP``) or Party (``03-ĐA/TU``) style."""
    return symbols.parse(parse).as_dict()


@router.get("/{int:document_id}", response=DocumentDetail)
def document_detail(request: HttpRequest, document_id: int) -> Any:
    """A document with its attachments, history and assignments; for the issuing unit the
    delivery summary. Reading a document delivered to a unit where you hold a role records
    that unit's first opening (the sender sees it)."""
    document = selectors.get_document(request.user, document_id)
    own = selectors.own_delivery(request.user, document)
    if own is not None and own.opened_at is None:
        services.open_delivery(request.user, own)
    return _detail(request.user, document)


# --- outgoing --------------------------------------------------------------------------------


@router.post("/outgoing", response={201: DocumentDetail})
def create_outgoing(request: HttpRequest, payload: OutgoingIn) -> Any:
    """A new draft of the issuing ``unit``. ``recipients`` are rules: a unit, every
    grassroots union under a unit, or every unit of a kind under it."""
    user = request.user
    unit = _unit_in_body(user, payload.unit, "unit")
    data = payload.model_dump(exclude={"unit", "recipients", "drafting_unit", "file_unit"})
    data["drafting_unit"] = _optional_unit(user, payload.drafting_unit, "drafting_unit")
    data["file_unit"] = _optional_unit(user, payload.file_unit, "file_unit")
    data["recipient_spec"] = [r.model_dump(exclude_none=True) for r in payload.recipients]
    try:
        document = services.create_outgoing(user, unit, data)
    except ValidationError as exc:
        raise _renamed(exc, {"recipient_spec": "recipients"}) from None
    return Status(201, _reloaded(user, document))


@router.post("/{int:document_id}/submit", response=DocumentDetail)
def submit(request: HttpRequest, document_id: int, payload: NoteIn | None = None) -> Any:
    """Send a draft for signature."""
    document = selectors.get_document(request.user, document_id)
    note = payload.note if payload else ""
    return _reloaded(request.user, services.submit_for_signature(request.user, document, note))


@router.post("/{int:document_id}/sign", response=DocumentDetail)
def sign(request: HttpRequest, document_id: int, payload: NoteIn | None = None) -> Any:
    """Approve and sign a document awaiting signature."""
    document = selectors.get_document(request.user, document_id)
    note = payload.note if payload else ""
    return _reloaded(request.user, services.sign(request.user, document, note))


@router.post("/{int:document_id}/return", response=DocumentDetail)
def return_to_drafter(request: HttpRequest, document_id: int, payload: NoteIn) -> Any:
    """Send a document awaiting signature back to its drafter; ``note`` says what to change."""
    document = selectors.get_document(request.user, document_id)
    return _reloaded(request.user, services.return_to_drafter(request.user, document, payload.note))


@router.post("/{int:document_id}/issue", response=IssueOut)
def issue(request: HttpRequest, document_id: int, payload: IssueIn | None = None) -> Any:
    """Number a signed document in its issuer's series for the year and deliver it to every
    recipient at once."""
    document = selectors.get_document(request.user, document_id)
    issued_on = payload.issued_on if payload else None
    result = services.issue(request.user, document, issued_on=issued_on)
    issued = result.document
    return {
        "id": issued.pk,
        "number": issued.number,
        "year": issued.year,
        "symbol": issued.symbol,
        "issued_on": issued.issued_on,
        "recipients": result.recipients,
        "url": page_url(issued.pk),
    }


@router.post("/{int:document_id}/recall", response=DocumentDetail)
def recall(request: HttpRequest, document_id: int, payload: ReasonIn) -> Any:
    """Recall an issued document: it is frozen, every recipient is told, nothing is deleted."""
    document = selectors.get_document(request.user, document_id)
    return _reloaded(request.user, services.recall(request.user, document, payload.reason))


# --- inbox -----------------------------------------------------------------------------------


@router.get("/inbox", response=list[DeliveryOut])
@paginate(PageNumberPagination, page_size=50, max_page_size=500)
def inbox(request: HttpRequest, unit: str = "", state: str = "") -> Any:
    """What arrived at ``unit`` (default: the one unit whose documents you keep), urgent
    first, newest first. ``state``: new, unregistered, delivered, opened or acknowledged."""
    user = request.user
    if state and state not in INBOX_STATES:
        raise ValidationError(
            {
                "state": _("Unknown state “%(state)s”; use one of: %(all)s.")
                % {"state": state, "all": ", ".join(INBOX_STATES)}
            }
        )
    if unit.strip():
        where = org_selectors.get_unit(user, unit.strip(), VIEW_DOCUMENTS)
    else:
        units = selectors.document_units(user)
        if len(units) != 1:
            raise ValidationError({"unit": _("Choose the unit whose inbox to read.")})
        where = units[0]
    return selectors.inbox(user, where, state=state or None).select_related("recipient")


@router.post("/deliveries/{int:delivery_id}/acknowledge", response=DeliveryOut)
def acknowledge(request: HttpRequest, delivery_id: int) -> Any:
    """Confirm receipt to the sender."""
    delivery = selectors.get_delivery(request.user, delivery_id)
    services.acknowledge(request.user, delivery)
    return selectors.get_delivery(request.user, delivery_id)


@router.post(
    "/deliveries/{int:delivery_id}/register", response={200: DocumentDetail, 201: DocumentDetail}
)
def register_delivery(request: HttpRequest, delivery_id: int) -> Any:
    """Enter a delivered document in the unit's incoming register with the next incoming
    number (201); registering it again answers the same entry (200)."""
    delivery = selectors.get_delivery(request.user, delivery_id)
    already = delivery.registered_as_id is not None
    document = services.register_delivery(request.user, delivery)
    return Status(200 if already else 201, _reloaded(request.user, document))


# --- incoming --------------------------------------------------------------------------------


@router.post("/incoming", response={201: DocumentDetail})
def register_incoming(
    request: HttpRequest,
    payload: Form[IncomingIn],
    attachments: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """Register a paper or e-mail document (multipart form) with its scans in ``attachments``.
    The same number, symbol and issuer registered twice is refused (400 naming ``symbol``)."""
    user = request.user
    unit = _unit_in_body(user, payload.unit, "unit")
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = payload.model_dump(
        include={"doc_type", "symbol", "issuer_name", "subject", "summary"}
    )
    data["urgency"] = payload.urgency
    data["confidentiality"] = payload.confidentiality
    for field in ("issued_on", "received_on", "deadline"):
        try:
            data[field] = _date_field(getattr(payload, field), field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if payload.source not in INCOMING_SOURCES:
        errors["source"] = [_("Use “paper” or “email”.")]
    if errors:
        raise ValidationError(errors)
    document = services.register_incoming(
        user, unit, data, files=_uploads(attachments), source=payload.source
    )
    return Status(201, _reloaded(user, document))


@router.post("/incoming/edxml", response={201: DocumentDetail})
def import_edxml(request: HttpRequest, unit: Form[str], package: File[UploadedFile]) -> Any:
    """Register a document received as an edXML package (QCVN 102:2016/BTTTT); a status
    message about a document the unit sent is recorded on it and that document returned."""
    user = request.user
    where = _unit_in_body(user, unit, "unit")
    limit = getattr(settings, "EDXML_MAX_BYTES", None)
    if limit and package.size and package.size > limit:
        raise ValidationError(
            {
                "package": _("The package is larger than %(size)s MB.")
                % {"size": round(limit / 1024 / 1024)}
            }
        )
    received = services.receive_edxml(user, where, package.read())
    return Status(201, _reloaded(user, received.document))


# --- processing ------------------------------------------------------------------------------


@router.post("/{int:document_id}/assign", response={201: AssignmentOut})
def assign(request: HttpRequest, document_id: int, payload: AssignIn) -> Any:
    """The leader's instruction (bút phê): a department or a person, and a deadline."""
    user = request.user
    document = selectors.get_document(user, document_id)
    item = services.assign(
        user,
        document,
        assignee_unit=_optional_unit(user, payload.assignee_unit, "assignee_unit"),
        assignee=_assignee(document, payload.assignee),
        instruction=payload.instruction,
        deadline=payload.deadline,
    )
    return Status(201, _assignment(selectors.get_assignment(user, item.pk)))


@router.post("/assignments/{int:assignment_id}/start", response=AssignmentOut)
def start_work(request: HttpRequest, assignment_id: int) -> Any:
    item = selectors.get_assignment(request.user, assignment_id)
    services.start_work(request.user, item)
    return _assignment(selectors.get_assignment(request.user, assignment_id))


@router.post("/assignments/{int:assignment_id}/complete", response=AssignmentOut)
def complete(request: HttpRequest, assignment_id: int, payload: CompleteIn | None = None) -> Any:
    """Close the assignment, optionally linking the outgoing ``reply``; the document is done
    when no assignment is open."""
    user = request.user
    item = selectors.get_assignment(user, assignment_id)
    reply = None
    if payload and payload.reply is not None:
        try:
            reply = selectors.get_document(user, payload.reply)
        except Http404:
            raise ValidationError({"reply": _("No such document.")}) from None
    services.complete(user, item, note=payload.note if payload else "", reply=reply)
    return _assignment(selectors.get_assignment(user, assignment_id))


@router.post("/assignments/{int:assignment_id}/forward", response={201: AssignmentOut})
def forward(request: HttpRequest, assignment_id: int, payload: ForwardIn) -> Any:
    """Hand the work on to another department or person; answers the new assignment."""
    user = request.user
    item = selectors.get_assignment(user, assignment_id)
    new = services.forward(
        user,
        item,
        assignee_unit=_optional_unit(user, payload.assignee_unit, "assignee_unit"),
        assignee=_assignee(item.document, payload.assignee),
        note=payload.note,
    )
    return Status(201, _assignment(selectors.get_assignment(user, new.pk)))


@router.post("/{int:document_id}/comments", response={201: EntryOut})
def add_comment(request: HttpRequest, document_id: int, payload: NoteIn) -> Any:
    """A comment in the document's history."""
    document = selectors.get_document(request.user, document_id)
    return Status(201, _entry(services.comment(request.user, document, payload.note)))
