"""Every change to official documents: drafting, signing, issuing, distribution, registering,
processing, attachments, recall, edXML.

Each public function checks the actor's right at the unit (``actor`` None means the system:
the demo loader or an operator's command), runs in one transaction, writes the document's
history (``ProcessingEntry``) and the audit log, and returns what it made. Views, the API,
commands and tasks all call these.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from congdoan.accounts.permissions import (
    ASSIGN_DOCUMENTS,
    DRAFT_DOCUMENTS,
    ISSUE_DOCUMENTS,
    REGISTER_DOCUMENTS,
    SIGN_DOCUMENTS,
    VIEW_DOCUMENTS,
    VIEW_SECRET,
)
from congdoan.accounts.selectors import can
from congdoan.core import audit
from congdoan.core.models import AuditEntry
from congdoan.core.text import fold, nfc
from congdoan.documents import symbols
from congdoan.documents.models import (
    CONG_VAN,
    TYPE_NAMES,
    Assignment,
    Attachment,
    Confidentiality,
    Delivery,
    Direction,
    Document,
    NumberSeries,
    ProcessingEntry,
    Source,
    Status,
    Urgency,
)
from congdoan.org import selectors as org_selectors
from congdoan.org.models import Unit

Action = ProcessingEntry.Action

# Fields a drafter sets; the rest (number, status, dates) are the services'.
DRAFT_FIELDS = (
    "doc_type",
    "subject",
    "summary",
    "body",
    "place",
    "urgency",
    "confidentiality",
    "signer_name",
    "signer_position",
    "signer_authority",
    "recipients_text",
    "copies",
    "legal_references",
    "public",
)
DRAFT_UNIT_FIELDS = ("drafting_unit", "file_unit")
RECIPIENT_MODES = ("unit", "grassroots", "kind")
COPY_BATCH = 20000


def _d(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


def _require(actor: Any, permission: str, unit: Unit) -> None:
    if actor is None:
        return
    if not can(actor, permission, unit.path):
        raise PermissionDenied(
            _("You have no right to do this for “%(unit)s”.") % {"unit": unit.name}
        )


def _require_classified(actor: Any, document: Document) -> None:
    if actor is not None and document.is_classified:
        _require(actor, VIEW_SECRET, document.unit)


def _not_recalled(document: Document) -> None:
    if document.is_recalled:
        raise ValidationError(
            _("The document was recalled on %(date)s and is frozen.")
            % {"date": _d(timezone.localtime(document.recalled_at).date())}
        )


def _entry(
    document: Document,
    action: str,
    actor: Any = None,
    note: str = "",
    *,
    unit: Unit | None = None,
    status_code: str = "",
    at: dt.datetime | None = None,
) -> ProcessingEntry:
    return ProcessingEntry.objects.create(
        document=document,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        unit=unit,
        action=action,
        note=nfc(note),
        status_code=status_code,
    )


def _audit(actor: Any, document: Document, action: str, message: str = "", **changes: Any) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=document,
        scope_path=document.unit.path,
        changes=changes,
        message=message,
    )


def refresh_search_text(document: Document) -> None:
    """Fold the metadata into ``search_title``, and it with the text and every attachment's
    text into ``search_text`` (see search.py)."""
    title = fold(
        " ".join(
            p
            for p in (
                document.symbol,
                document.type_name,
                document.issuer_name,
                document.subject,
                document.summary,
                document.signer_name,
            )
            if p
        )
    )
    parts = [title, fold(document.body)]
    parts += [fold(t) for t in document.attachments.values_list("text", flat=True)]
    text = " ".join(p for p in parts if p)
    Document.objects.filter(pk=document.pk).update(search_title=title, search_text=text)
    document.search_title, document.search_text = title, text


# --- drafting -------------------------------------------------------------------------------


def _clean_draft(unit: Unit, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values = {k: data[k] for k in DRAFT_FIELDS if k in data}
    for key in DRAFT_UNIT_FIELDS:
        if key in data:
            values[key] = data[key]
    doc_type = values.get("doc_type")
    if doc_type is not None and doc_type not in TYPE_NAMES:
        errors["doc_type"] = _("Unknown document type “%(type)s”.") % {"type": doc_type}
    subject = nfc(str(values.get("subject", "x"))).strip()
    if "subject" in values:
        if not subject:
            errors["subject"] = _("The subject (trích yếu) is required.")
        elif len(subject) > 500:
            errors["subject"] = _("The subject is longer than 500 characters.")
        values["subject"] = subject
    if "urgency" in values and values["urgency"] not in Urgency.values:
        errors["urgency"] = _("Unknown urgency.")
    if "confidentiality" in values and values["confidentiality"] not in Confidentiality.values:
        errors["confidentiality"] = _("Unknown confidentiality level.")
    if "copies" in values and not (1 <= int(values["copies"]) <= 9999):
        errors["copies"] = _("The number of copies must be between 1 and 9999.")
    if "recipient_spec" in data:
        try:
            values["recipient_spec"] = clean_recipient_spec(data["recipient_spec"])
        except ValidationError as exc:
            errors["recipient_spec"] = "; ".join(exc.messages)
    drafting = values.get("drafting_unit")
    if drafting is not None and not drafting.path.startswith(unit.path):
        errors["drafting_unit"] = _("The drafting department must belong to %(unit)s.") % {
            "unit": unit.name
        }
    if values.get("doc_type") == CONG_VAN and "drafting_unit" in data and drafting is None:
        errors["drafting_unit"] = _(
            "A công văn needs its drafting department: its symbol is issuer-department."
        )
    if errors:
        raise ValidationError(errors)
    return values


def clean_recipient_spec(spec: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Check a list of recipient rules: ``{"unit": CODE, "mode": unit|grassroots|kind}``
    (``kind`` needs ``"kind": KIND_CODE``). Unit codes must exist and be alive."""
    cleaned: list[dict[str, str]] = []
    problems: list[str] = []
    for position, rule in enumerate(spec, start=1):
        code = str(rule.get("unit", "")).strip()
        mode = str(rule.get("mode", "unit")).strip() or "unit"
        if mode not in RECIPIENT_MODES:
            problems.append(
                _("recipient %(n)s: unknown choice “%(mode)s”") % {"n": position, "mode": mode}
            )
            continue
        unit = Unit.objects.filter(code=code, valid_to__isnull=True).first()
        if unit is None:
            problems.append(
                _("recipient %(n)s: no live unit has the code “%(code)s”")
                % {"n": position, "code": code}
            )
            continue
        item = {"unit": unit.code, "mode": mode}
        if mode == "kind":
            kind = str(rule.get("kind", "")).strip()
            if kind not in {k.code for k in org_selectors.kinds()}:
                problems.append(
                    _("recipient %(n)s: unknown unit kind “%(kind)s”")
                    % {"n": position, "kind": kind}
                )
                continue
            item["kind"] = kind
        if item not in cleaned:
            cleaned.append(item)
    if problems:
        raise ValidationError(problems)
    return cleaned


def create_outgoing(actor: Any, unit: Unit, data: dict[str, Any]) -> Document:
    """A new draft of ``unit`` (the issuer). ``data`` holds DRAFT_FIELDS, the drafting and
    file-copy units and ``recipient_spec``."""
    _require(actor, DRAFT_DOCUMENTS, unit)
    values = _clean_draft(unit, {"doc_type": CONG_VAN, "subject": "", **data})
    with transaction.atomic():
        document = Document(
            direction=Direction.OUTGOING,
            unit=unit,
            status=Status.DRAFT,
            source=Source.DRAFTED,
            issuer_name=unit.name,
            issuer_code=unit.code,
            created_by=actor if getattr(actor, "pk", None) else None,
            **values,
        )
        if document.file_unit is None:
            document.file_unit = document.drafting_unit or unit
        document.full_clean(exclude=["search_text", "symbol_key"])
        document.save()
        _entry(document, Action.CREATED, actor, unit=unit)
        _audit(actor, document, AuditEntry.Action.CREATE)
        refresh_search_text(document)
    return document


def update_draft(actor: Any, document: Document, data: dict[str, Any]) -> Document:
    if not document.is_outgoing or document.status not in (Status.DRAFT, Status.REVIEW):
        raise ValidationError(
            _("Only a draft can be edited; this document is %(status)s.")
            % {"status": document.get_status_display()}
        )
    _require(actor, DRAFT_DOCUMENTS, document.unit)
    _require_classified(actor, document)
    values = _clean_draft(document.unit, data)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        before = audit.snapshot(locked, values.keys())
        for key, value in values.items():
            setattr(locked, key, value)
        locked.save()
        changes = audit.diff(before, audit.snapshot(locked, values.keys()))
        if changes:
            _entry(locked, Action.EDITED, actor, ", ".join(changes))
            _audit(actor, locked, AuditEntry.Action.UPDATE, **changes)
        refresh_search_text(locked)
    return locked


def submit_for_signature(actor: Any, document: Document, note: str = "") -> Document:
    return _move(
        actor, document, DRAFT_DOCUMENTS, Status.DRAFT, Status.REVIEW, Action.SUBMITTED, note
    )


def return_to_drafter(actor: Any, document: Document, note: str) -> Document:
    if not note.strip():
        raise ValidationError({"note": _("Say what must change before it is signed.")})
    return _move(
        actor, document, SIGN_DOCUMENTS, Status.REVIEW, Status.DRAFT, Action.RETURNED, note
    )


def sign(actor: Any, document: Document, note: str = "") -> Document:
    document = _move(
        actor, document, SIGN_DOCUMENTS, Status.REVIEW, Status.SIGNED, Action.SIGNED, note
    )
    if actor is not None:
        Document.objects.filter(pk=document.pk).update(signed_by=actor, signed_at=timezone.now())
        if not document.signer_name:
            name = actor.get_full_name() or actor.username
            Document.objects.filter(pk=document.pk).update(signer_name=name)
        document.refresh_from_db()
    return document


def _move(
    actor: Any,
    document: Document,
    permission: str,
    source: str,
    target: str,
    action: str,
    note: str,
) -> Document:
    _require(actor, permission, document.unit)
    _require_classified(actor, document)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _not_recalled(locked)
        if locked.status != source:
            raise ValidationError(
                _("The document is %(status)s; this step needs it %(needed)s.")
                % {"status": locked.get_status_display(), "needed": Status(source).label}
            )
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
        _entry(locked, action, actor, note)
        _audit(actor, locked, AuditEntry.Action.UPDATE, status=[source, target])
    return locked


# --- numbering and issue --------------------------------------------------------------------


def next_number(unit: Unit, year: int, kind: str) -> int:
    """Take the next number of a series. Call inside a transaction: the series row stays
    locked until it commits, so concurrent clerks queue and no number is skipped or reused."""
    NumberSeries.objects.bulk_create(
        [NumberSeries(unit=unit, year=year, kind=kind)], ignore_conflicts=True
    )
    series = NumberSeries.objects.select_for_update().get(unit=unit, year=year, kind=kind)
    series.last_number = F("last_number") + 1
    series.save(update_fields=["last_number"])
    series.refresh_from_db(fields=["last_number"])
    return series.last_number


def recipient_unit_ids(spec: Sequence[dict[str, str]]) -> list[int]:
    """The live units the rules name, each once, in tree order."""
    ids: dict[int, None] = {}
    for rule in spec:
        unit = Unit.objects.filter(code=rule["unit"], valid_to__isnull=True).first()
        if unit is None:
            continue
        if rule["mode"] == "unit":
            ids[unit.pk] = None
            continue
        below = org_selectors.subtree(unit).exclude(pk=unit.pk)
        if rule["mode"] == "grassroots":
            below = below.filter(kind__is_grassroots=True)
        else:
            below = below.filter(kind__code=rule["kind"])
        ids.update(dict.fromkeys(below.order_by("path").values_list("pk", flat=True)))
    return list(ids)


@dataclass
class IssueResult:
    document: Document
    recipients: int


def issue(actor: Any, document: Document, *, issued_on: dt.date | None = None) -> IssueResult:
    """Number the signed document, date it and deliver it to every recipient at once.

    The number comes from the issuer's series of the document's year (classified documents
    have their own), so it is never skipped or reused even when clerks issue at the same
    instant; the whole issue is one transaction.
    """
    _require(actor, ISSUE_DOCUMENTS, document.unit)
    _require_classified(actor, document)
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        raise ValidationError({"issued_on": _("A document cannot be issued with a future date.")})
    with transaction.atomic():
        locked = (
            Document.objects.select_for_update(of=("self",))
            .select_related("unit", "drafting_unit")
            .get(pk=document.pk)
        )
        _not_recalled(locked)
        if locked.status != Status.SIGNED:
            raise ValidationError(
                _("Only a signed document can be issued; this one is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        unit = locked.unit
        if not unit.abbreviation:
            raise ValidationError(
                _("“%(unit)s” has no abbreviation for document symbols; set it on the unit page.")
                % {"unit": unit.name}
            )
        if locked.doc_type == CONG_VAN and not (
            locked.drafting_unit and locked.drafting_unit.abbreviation
        ):
            raise ValidationError(
                {"drafting_unit": _("A công văn needs a drafting department with an abbreviation.")}
            )
        secret = locked.is_classified
        kind = NumberSeries.Kind.OUTGOING_SECRET if secret else NumberSeries.Kind.OUTGOING
        number = next_number(unit, issued_on.year, kind)
        locked.number = number
        locked.year = issued_on.year
        locked.secret_series = secret
        locked.issued_on = issued_on
        locked.symbol = symbols.build(
            number,
            type_abbreviation=locked.doc_type,
            issuer_abbreviation=unit.abbreviation,
            drafting_abbreviation=locked.drafting_unit.abbreviation if locked.drafting_unit else "",
        )
        locked.symbol_key = symbols.key(locked.symbol)
        locked.status = Status.ISSUED
        locked.save()
        ids = recipient_unit_ids(locked.recipient_spec)
        now = timezone.now()
        _write_deliveries(locked, ids, now)
        _entry(
            locked,
            Action.ISSUED,
            actor,
            _("Number %(symbol)s; sent to %(count)s units.")
            % {"symbol": locked.symbol, "count": len(ids)},
            at=now,
        )
        _audit(
            actor,
            locked,
            AuditEntry.Action.UPDATE,
            status=["signed", "issued"],
            symbol=[None, locked.symbol],
        )
        refresh_search_text(locked)
    return IssueResult(locked, len(ids))


def _write_deliveries(document: Document, unit_ids: list[int], now: dt.datetime) -> None:
    """One delivery per recipient: COPY on PostgreSQL, bulk inserts elsewhere."""
    if not unit_ids:
        return
    urgency, classified = document.urgency, document.is_classified
    if connection.vendor == "postgresql":
        columns = "document_id, recipient_id, state, urgency, classified, sent_at"
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for start in range(0, len(unit_ids), COPY_BATCH):
                with raw.copy(f"COPY documents_delivery ({columns}) FROM STDIN") as copy:
                    for unit_id in unit_ids[start : start + COPY_BATCH]:
                        copy.write_row(
                            (
                                document.pk,
                                unit_id,
                                Delivery.State.DELIVERED,
                                urgency,
                                classified,
                                now,
                            )
                        )
        return
    Delivery.objects.bulk_create(
        [
            Delivery(
                document=document,
                recipient_id=unit_id,
                urgency=urgency,
                classified=classified,
                sent_at=now,
            )
            for unit_id in unit_ids
        ],
        batch_size=2000,
    )


def recall(actor: Any, document: Document, reason: str) -> Document:
    """Freeze an issued document and tell every recipient; nothing is deleted."""
    _require(actor, ISSUE_DOCUMENTS, document.unit)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the recall.")})
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _not_recalled(locked)
        if locked.status != Status.ISSUED:
            raise ValidationError(_("Only an issued document can be recalled."))
        now = timezone.now()
        locked.recalled_at = now
        locked.recall_reason = nfc(reason.strip())
        locked.save(update_fields=["recalled_at", "recall_reason", "updated_at"])
        told = Delivery.objects.filter(document=locked).update(recalled_at=now)
        registered = Document.objects.filter(origin=locked, recalled_at__isnull=True)
        for copy in registered:
            _entry(copy, Action.RECALLED, None, reason, status_code="13", at=now)
        registered.update(recalled_at=now, recall_reason=locked.recall_reason)
        _entry(locked, Action.RECALLED, actor, reason, status_code="13", at=now)
        _audit(
            actor,
            locked,
            AuditEntry.Action.UPDATE,
            message=reason,
            recalled=[None, now.isoformat()],
        )
    locked.told = told  # type: ignore[attr-defined]
    return locked


# --- receiving -----------------------------------------------------------------------------


def open_delivery(actor: Any, delivery: Delivery) -> Delivery:
    """Record the first opening by someone of the receiving unit (the sender sees it)."""
    if delivery.opened_at is not None or actor is None:
        return delivery
    if not can(actor, VIEW_DOCUMENTS, delivery.recipient.path):
        return delivery
    now = timezone.now()
    updated = Delivery.objects.filter(pk=delivery.pk, opened_at__isnull=True).update(
        opened_at=now,
        state=Delivery.State.OPENED
        if delivery.state == Delivery.State.DELIVERED
        else delivery.state,
    )
    if updated:
        delivery.opened_at = now
        if delivery.state == Delivery.State.DELIVERED:
            delivery.state = Delivery.State.OPENED
    return delivery


def acknowledge(actor: Any, delivery: Delivery) -> Delivery:
    """The receiving unit confirms receipt to the sender (edXML status 01/03)."""
    _require(actor, VIEW_DOCUMENTS, delivery.recipient)
    with transaction.atomic():
        locked = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("document", "recipient")
            .get(pk=delivery.pk)
        )
        if locked.acknowledged_at is not None:
            return locked
        now = timezone.now()
        locked.acknowledged_at = now
        locked.opened_at = locked.opened_at or now
        locked.acknowledged_by = actor if getattr(actor, "pk", None) else None
        locked.state = Delivery.State.ACKNOWLEDGED
        locked.save()
        _entry(
            locked.document,
            Action.ACKNOWLEDGED,
            actor,
            locked.recipient.name,
            unit=locked.recipient,
            status_code="03",
            at=now,
        )
    return locked


def register_delivery(actor: Any, delivery: Delivery) -> Document:
    """Enter an internally delivered document in the receiving unit's incoming register."""
    _require(actor, REGISTER_DOCUMENTS, delivery.recipient)
    with transaction.atomic():
        locked = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("document", "document__unit", "recipient")
            .get(pk=delivery.pk)
        )
        if locked.registered_as_id:
            return locked.registered_as
        sent = locked.document
        _not_recalled(sent)
        incoming = _new_incoming(
            actor,
            locked.recipient,
            source=Source.INTERNAL,
            data={
                "doc_type": sent.doc_type,
                "symbol": sent.symbol,
                "issuer_name": sent.issuer_name,
                "issuer_code": sent.issuer_code,
                "issued_on": sent.issued_on,
                "subject": sent.subject,
                "summary": sent.summary,
                "signer_name": sent.signer_name,
                "signer_position": sent.signer_position,
                "urgency": sent.urgency,
                "confidentiality": sent.confidentiality,
                "place": sent.place,
            },
            origin=sent,
        )
        locked.registered_as = incoming
        if locked.acknowledged_at is None:
            now = timezone.now()
            locked.acknowledged_at = now
            locked.opened_at = locked.opened_at or now
            locked.acknowledged_by = actor if getattr(actor, "pk", None) else None
            locked.state = Delivery.State.ACKNOWLEDGED
            _entry(
                sent,
                Action.ACKNOWLEDGED,
                actor,
                locked.recipient.name,
                unit=locked.recipient,
                status_code="03",
            )
        locked.save()
    return incoming


def find_duplicate(unit: Unit, symbol: str, issuer_name: str) -> Document | None:
    """The same number, symbol and issuer already in ``unit``'s incoming register (Phụ lục VI)."""
    if not symbol.strip():
        return None
    return (
        Document.objects.filter(
            unit=unit, direction=Direction.INCOMING, symbol_key=symbols.key(symbol)
        )
        .filter(
            Q(issuer_name__iexact=nfc(issuer_name.strip()))
            | Q(issuer_code__iexact=issuer_name.strip())
        )
        .first()
    )


def _new_incoming(
    actor: Any, unit: Unit, *, source: str, data: dict[str, Any], origin: Document | None = None
) -> Document:
    errors: dict[str, str] = {}
    subject = nfc(str(data.get("subject", ""))).strip()
    issuer = nfc(str(data.get("issuer_name", ""))).strip()
    symbol = symbols.clean(str(data.get("symbol", "")))
    doc_type = data.get("doc_type") or "K"
    if not subject:
        errors["subject"] = _("The subject (trích yếu) is required.")
    if not issuer:
        errors["issuer_name"] = _("The issuing body is required.")
    if doc_type not in TYPE_NAMES:
        errors["doc_type"] = _("Unknown document type “%(type)s”.") % {"type": doc_type}
    received_on = data.get("received_on") or timezone.localdate()
    if received_on > timezone.localdate():
        errors["received_on"] = _("The date received cannot be in the future.")
    issued_on = data.get("issued_on")
    if issued_on and issued_on > received_on:
        errors["issued_on"] = _("The document is dated after the day it was received.")
    if errors:
        raise ValidationError(errors)
    duplicate = find_duplicate(unit, symbol, issuer) if symbol else None
    if duplicate is not None:
        raise ValidationError(
            {
                "symbol": _(
                    "Already registered: %(symbol)s of %(issuer)s is incoming number %(number)s "
                    "of %(date)s."
                )
                % {
                    "symbol": duplicate.symbol,
                    "issuer": duplicate.issuer_name,
                    "number": duplicate.incoming_number,
                    "date": _d(duplicate.received_on),
                }
            }
        )
    parsed = symbols.parse(symbol) if symbol else None
    number = next_number(unit, received_on.year, NumberSeries.Kind.INCOMING)
    document = Document.objects.create(
        direction=Direction.INCOMING,
        unit=unit,
        status=Status.REGISTERED,
        source=source,
        doc_type=doc_type,
        number=parsed.number if parsed else None,
        year=(parsed.year if parsed and parsed.year else (issued_on.year if issued_on else None)),
        symbol=symbol,
        symbol_key=symbols.key(symbol) if symbol else "",
        issuer_name=issuer,
        issuer_code=str(data.get("issuer_code", ""))[:40],
        issued_on=issued_on,
        place=str(data.get("place", ""))[:80],
        subject=subject,
        summary=str(data.get("summary", "")),
        signer_name=str(data.get("signer_name", ""))[:120],
        signer_position=str(data.get("signer_position", ""))[:120],
        urgency=int(data.get("urgency") or 0),
        confidentiality=int(data.get("confidentiality") or 0),
        deadline=data.get("deadline"),
        incoming_number=number,
        received_on=received_on,
        origin=origin,
        edxml_document_id=str(data.get("edxml_document_id", ""))[:100],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _entry(
        document,
        Action.REGISTERED,
        actor,
        _("Incoming number %(n)s") % {"n": number},
        unit=unit,
        status_code="01",
    )
    _audit(actor, document, AuditEntry.Action.CREATE)
    refresh_search_text(document)
    return document


@dataclass
class Upload:
    """A file to attach: its name as the user had it and its bytes."""

    name: str
    data: bytes


def register_incoming(
    actor: Any,
    unit: Unit,
    data: dict[str, Any],
    *,
    files: Sequence[Upload] = (),
    source: str = Source.PAPER,
) -> Document:
    """Register a paper, e-mail or other external document with its scans.

    It takes the next incoming number of ``unit`` for the year received, and appears in the
    unit's inbox. The same number, symbol and issuer registered twice is refused, naming
    the first registration. Files are checked before anything is written.
    """
    _require(actor, REGISTER_DOCUMENTS, unit)
    checked = [check_file(f) for f in files]
    with transaction.atomic():
        document = _new_incoming(actor, unit, source=source, data=data)
        Delivery.objects.create(
            document=document,
            recipient=unit,
            state=Delivery.State.ACKNOWLEDGED,
            urgency=document.urgency,
            classified=document.is_classified,
            sent_at=timezone.now(),
            opened_at=timezone.now(),
            acknowledged_at=timezone.now(),
            acknowledged_by=actor if getattr(actor, "pk", None) else None,
            registered_as=document,
        )
        for upload, kind in checked:
            _store_attachment(actor, document, upload, kind)
        refresh_search_text(document)
    _start_ocr_where_needed(document)
    return document


# --- processing -----------------------------------------------------------------------------


def _incoming(document: Document) -> None:
    if document.direction != Direction.INCOMING:
        raise ValidationError(_("Only an incoming document is assigned and processed."))
    _not_recalled(document)


def assign(
    actor: Any,
    document: Document,
    *,
    assignee_unit: Unit | None = None,
    assignee: Any = None,
    instruction: str = "",
    deadline: dt.date | None = None,
) -> Assignment:
    """The leader's bút phê: a department or person, an instruction, a deadline."""
    _require(actor, ASSIGN_DOCUMENTS, document.unit)
    _require_classified(actor, document)
    _incoming(document)
    errors: dict[str, str] = {}
    if assignee_unit is None and assignee is None:
        errors["assignee_unit"] = _("Choose the department or the person who handles it.")
    if assignee_unit is not None and not assignee_unit.path.startswith(document.unit.path):
        errors["assignee_unit"] = _("The department must belong to %(unit)s.") % {
            "unit": document.unit.name
        }
    if assignee is not None and not can(assignee, VIEW_DOCUMENTS, document.unit.path):
        errors["assignee"] = _("%(person)s cannot read the documents of %(unit)s.") % {
            "person": assignee.get_full_name() or assignee.username,
            "unit": document.unit.name,
        }
    if deadline is not None and deadline < document.received_on:
        errors["deadline"] = _("The deadline is before the day the document was received.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        item = Assignment.objects.create(
            document=locked,
            assignee_unit=assignee_unit,
            assignee=assignee,
            instruction=nfc(instruction.strip()),
            deadline=deadline,
            assigned_by=actor if getattr(actor, "pk", None) else None,
            assigned_at=timezone.now(),
        )
        if deadline and (locked.deadline is None or deadline < locked.deadline):
            locked.deadline = deadline
        if locked.status in (Status.REGISTERED, Status.DONE):
            locked.status = Status.ASSIGNED
        locked.save(update_fields=["deadline", "status", "updated_at"])
        who = assignee.get_full_name() if assignee is not None else assignee_unit.name
        note = f"{who}: {instruction}".strip(": ")
        if deadline:
            note += " — " + _("deadline %(date)s") % {"date": _d(deadline)}
        _entry(locked, Action.ASSIGNED, actor, note, status_code="05")
        _notify_sender(locked, "05", actor)
    return item


def can_work_on(actor: Any, item: Assignment) -> bool:
    """Whether ``actor`` may start, forward or complete ``item``: the person it is given to,
    staff of its department, or the unit's leaders for a department's work."""
    if actor is None:
        return True
    if item.assignee_id == actor.pk:
        return True
    unit = item.assignee_unit or item.document.unit
    return can(actor, VIEW_DOCUMENTS, unit.path) and (
        item.assignee_id is None or can(actor, ASSIGN_DOCUMENTS, item.document.unit.path)
    )


def _require_worker(actor: Any, item: Assignment) -> None:
    if not can_work_on(actor, item):
        raise PermissionDenied(_("This assignment is not yours."))


def start_work(actor: Any, item: Assignment) -> Assignment:
    _require_worker(actor, item)
    _incoming(item.document)
    with transaction.atomic():
        if item.state != Assignment.State.ASSIGNED:
            raise ValidationError(_("Work on this assignment has already started."))
        item.state = Assignment.State.IN_PROGRESS
        item.save(update_fields=["state"])
        Document.objects.filter(
            pk=item.document_id, status__in=[Status.ASSIGNED, Status.REGISTERED]
        ).update(status=Status.IN_PROGRESS)
        _entry(item.document, Action.STARTED, actor)
    return item


def comment(actor: Any, document: Document, note: str) -> ProcessingEntry:
    if not note.strip():
        raise ValidationError({"note": _("Write the comment.")})
    from congdoan.documents.selectors import works_on

    if actor is not None and not works_on(actor, document):
        _require(actor, VIEW_DOCUMENTS, document.unit)
        _require_classified(actor, document)
    return _entry(document, Action.COMMENTED, actor, note.strip())


def forward(
    actor: Any,
    item: Assignment,
    *,
    assignee_unit: Unit | None = None,
    assignee: Any = None,
    note: str = "",
) -> Assignment:
    """Hand the work on: the old assignment ends as forwarded, a new one keeps its deadline."""
    _require_worker(actor, item)
    if item.state in (Assignment.State.DONE, Assignment.State.FORWARDED):
        raise ValidationError(_("This assignment is already closed."))
    with transaction.atomic():
        item.state = Assignment.State.FORWARDED
        item.done_at = timezone.now()
        item.save(update_fields=["state", "done_at"])
        new = assign(
            None,
            item.document,
            assignee_unit=assignee_unit,
            assignee=assignee,
            instruction=note or item.instruction,
            deadline=item.deadline,
        )
        new.assigned_by = actor if getattr(actor, "pk", None) else None
        new.save(update_fields=["assigned_by"])
        _entry(item.document, Action.FORWARDED, actor, note)
    return new


def complete(
    actor: Any, item: Assignment, *, note: str = "", reply: Document | None = None
) -> Assignment:
    """Close an assignment; the document is done when no assignment is open."""
    _require_worker(actor, item)
    _incoming(item.document)
    if item.state in (Assignment.State.DONE, Assignment.State.FORWARDED):
        raise ValidationError(_("This assignment is already closed."))
    with transaction.atomic():
        item.state = Assignment.State.DONE
        item.done_at = timezone.now()
        item.save(update_fields=["state", "done_at"])
        document = item.document
        if reply is not None:
            link_reply(actor, document, reply)
        _entry(document, Action.DONE, actor, note)
        open_items = document.assignments.exclude(
            state__in=[Assignment.State.DONE, Assignment.State.FORWARDED]
        )
        if not open_items.exists():
            Document.objects.filter(pk=document.pk).update(status=Status.DONE)
            _notify_sender(document, "06", actor)
    return item


def link_reply(actor: Any, incoming: Document, reply: Document) -> Document:
    """Link an outgoing reply to the incoming document it answers."""
    _require(actor, VIEW_DOCUMENTS, incoming.unit)
    if not reply.is_outgoing:
        raise ValidationError({"reply": _("A reply is an outgoing document.")})
    if actor is not None and not can(actor, VIEW_DOCUMENTS, reply.unit.path):
        raise ValidationError({"reply": _("You cannot see that document.")})
    Document.objects.filter(pk=reply.pk).update(in_reply_to=incoming)
    _entry(incoming, Action.REPLIED, actor, str(reply))
    return incoming


def _notify_sender(incoming: Document, code: str, actor: Any) -> None:
    """Record an internal status on the sent document (the edXML status for internal mail)."""
    if incoming.origin_id:
        _entry(
            incoming.origin,
            Action.STATUS,
            actor,
            incoming.unit.name,
            unit=incoming.unit,
            status_code=code,
        )


# --- attachments ----------------------------------------------------------------------------


def check_file(upload: Upload) -> tuple[Upload, str]:
    """Size and content type, before anything is written; ValidationError naming the file."""
    from congdoan.documents import files

    try:
        kind = files.check_upload(upload.name, upload.data)
    except files.UploadRejected as exc:
        raise ValidationError({"attachments": str(exc)}) from exc
    return Upload(nfc(upload.name), upload.data), kind


def _store_attachment(actor: Any, document: Document, upload: Upload, kind: str) -> Attachment:
    from congdoan.documents import files

    extraction = files.extract_text(upload.data, kind)
    digest = hashlib.sha256(upload.data).hexdigest()
    attachment = Attachment(
        document=document,
        original_name=upload.name[:255],
        kind=kind,
        size=len(upload.data),
        sha256=digest,
        pages=extraction.pages,
        text=extraction.text,
        flags=list(extraction.flags),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        uploaded_at=timezone.now(),
    )
    if extraction.needs_ocr:
        from congdoan.documents import ocr

        attachment.ocr = Attachment.Ocr.PENDING if ocr.available() else Attachment.Ocr.OFF
    if (
        kind == "pdf"
        and "encrypted" not in extraction.flags
        and "malformed" not in extraction.flags
    ):
        from congdoan.documents import signatures

        attachment.signatures = [
            r.as_dict() for r in signatures.validate_pdf_signatures(upload.data)
        ]
    safe_name = f"{digest[:16]}.{kind}"
    attachment.file.save(safe_name, ContentFile(upload.data), save=False)
    attachment.save()
    _entry(document, Action.ATTACHED, actor, attachment.original_name)
    return attachment


def add_attachments(actor: Any, document: Document, uploads: Sequence[Upload]) -> list[Attachment]:
    """Attach files: every file is checked first, then all are stored, or none."""
    if document.is_outgoing:
        _require(actor, DRAFT_DOCUMENTS, document.unit)
        if document.status == Status.ISSUED:
            raise ValidationError(_("An issued document cannot change; issue a new one."))
    else:
        _require(actor, REGISTER_DOCUMENTS, document.unit)
    _require_classified(actor, document)
    _not_recalled(document)
    checked = [check_file(u) for u in uploads]
    with transaction.atomic():
        made = [_store_attachment(actor, document, u, kind) for u, kind in checked]
        refresh_search_text(document)
    _start_ocr_where_needed(document)
    return made


def _start_ocr_where_needed(document: Document) -> None:
    pending = list(document.attachments.filter(ocr=Attachment.Ocr.PENDING, ocr_job__isnull=True))
    if not pending:
        return
    from congdoan.core import jobs
    from congdoan.documents.tasks import ocr_attachment_task

    for attachment in pending:
        job = jobs.start(
            "documents.ocr",
            _("Text recognition: %(name)s") % {"name": attachment.original_name},
            owner=attachment.uploaded_by,
            total=max(attachment.pages, 1),
        )
        Attachment.objects.filter(pk=attachment.pk).update(ocr_job=job.pk)
        transaction.on_commit(
            lambda a=attachment.pk, j=str(job.pk): ocr_attachment_task.enqueue(a, j)
        )


def run_ocr(attachment_id: int, job_id: str | None = None) -> Attachment:
    """Recognise the text of a scanned attachment (the task calls this)."""
    from congdoan.core import jobs
    from congdoan.documents import files, ocr

    attachment = Attachment.objects.select_related("document").get(pk=attachment_id)
    if not ocr.available():
        Attachment.objects.filter(pk=attachment.pk).update(ocr=Attachment.Ocr.OFF)
        if job_id:
            jobs.fail(job_id, _("OCR is not installed on this server."))
        attachment.ocr = Attachment.Ocr.OFF
        return attachment
    Attachment.objects.filter(pk=attachment.pk).update(ocr=Attachment.Ocr.RUNNING)
    data = attachment.file.read()
    attachment.file.close()

    def progress(done: int, total: int) -> None:
        if job_id:
            jobs.progress(job_id, done, total)

    try:
        if attachment.kind == "pdf":
            result = ocr.ocr_pdf(data, progress=progress)
        else:
            result = ocr.ocr_image(data, progress=progress)
    except Exception as exc:
        Attachment.objects.filter(pk=attachment.pk).update(
            ocr=Attachment.Ocr.FAILED, flags=[*attachment.flags, "ocr_failed"]
        )
        if job_id:
            jobs.fail(job_id, str(exc)[:500])
        attachment.refresh_from_db()
        return attachment
    text = nfc(result.text)
    legacy = files.detect_legacy(text)
    if legacy:
        text = files.to_unicode(text, legacy)
    Attachment.objects.filter(pk=attachment.pk).update(
        ocr=Attachment.Ocr.DONE, text=text, pages=result.pages
    )
    refresh_search_text(attachment.document)
    if job_id:
        jobs.finish(job_id, result={"pages": result.pages, "characters": len(text)})
    attachment.refresh_from_db()
    return attachment


# --- edXML (QCVN 102:2016/BTTTT) ------------------------------------------------------------


def _organ(unit: Unit) -> Any:
    from congdoan.documents import edxml

    return edxml.Organ(
        organ_id=unit.code[:13],
        name=unit.name,
        address=unit.address,
        email=unit.email,
        telephone=unit.phone,
        website=unit.website,
    )


def to_edxml(document: Document) -> Any:
    """The edXML message of an issued outgoing document, with its attachments and trace."""
    from congdoan.documents import edxml

    if not document.is_outgoing or document.status != Status.ISSUED:
        raise ValidationError(_("Only an issued outgoing document can be sent as edXML."))
    unit = document.unit
    number, _slash, notation = document.symbol.partition("/")
    recipients = [
        _organ(u)
        for u in Unit.objects.filter(
            code__in=[r["unit"] for r in document.recipient_spec]
        ).order_by("path")
    ] or [_organ(unit)]
    attachments = []
    for item in document.attachments.all():
        with item.file.open("rb") as handle:
            attachments.append(edxml.Attachment(name=item.original_name, content=handle.read()))
    traces = [
        edxml.TraceEntry(organ_id=unit.code[:13], timestamp=entry.at)
        for entry in document.entries.filter(action=Action.ISSUED)
    ]
    return edxml.EdxmlDocument(
        document_id=edxml.make_document_id(unit.code[:13], document.issued_on, number, notation),
        sender=_organ(unit),
        recipients=recipients,
        code_number=number,
        code_notation=notation,
        place=document.place or "",
        promulgation_date=document.issued_on,
        type_code=edxml.TYPE_CODES.get(document.doc_type, edxml.CONG_VAN_TYPE_CODE),
        type_name=document.type_name,
        subject=document.subject,
        content=document.summary,
        signer_competence=document.signer_authority,
        signer_position=document.signer_position,
        signer_name=document.signer_name,
        to_places=[line.strip("-;. ") for line in document.recipients_text.splitlines() if line],
        priority=document.urgency,
        promulgation_amount=document.copies,
        traces=traces,
        attachments=attachments,
    )


def export_edxml(actor: Any, document: Document) -> bytes:
    """The edXML package of an issued document; the export is in its history."""
    from congdoan.documents import edxml

    _require(actor, VIEW_DOCUMENTS, document.unit)
    _require_classified(actor, document)
    try:
        data = edxml.build(to_edxml(document))
    except edxml.EdxmlError as exc:
        raise ValidationError({"package": str(exc)}) from exc
    _entry(document, Action.EXPORTED, actor)
    return data


def _doc_type_of(message: Any) -> str:
    parsed = symbols.parse(f"{message.code_number}/{message.code_notation}")
    if parsed.type_abbreviation in TYPE_NAMES:
        return parsed.type_abbreviation
    by_name = {fold(name): code for code, name in TYPE_NAMES.items()}
    if found := by_name.get(fold(message.type_name or "")):
        return found
    return CONG_VAN if parsed.style == "cong_van" else "K"


def import_edxml(actor: Any, unit: Unit, data: bytes) -> Document:
    """Register an edXML package as an incoming document of ``unit``.

    The package is parsed with entities and DTDs refused and its size checked first; a bad
    package is refused with a ValidationError on ``package`` and nothing is written. A
    package whose business type is a recall (Bussiness 1) freezes the document it names.
    """
    from django.conf import settings

    from congdoan.documents import edxml

    _require(actor, REGISTER_DOCUMENTS, unit)
    try:
        message = edxml.parse(data, max_bytes=settings.EDXML_MAX_BYTES)
    except edxml.EdxmlError as exc:
        raise ValidationError({"package": str(exc)}) from exc
    symbol = f"{message.code_number}/{message.code_notation}"
    if message.business_doc_type == 1:
        return _recall_incoming(actor, unit, message, symbol)
    return register_incoming(
        actor,
        unit,
        {
            "doc_type": _doc_type_of(message),
            "symbol": symbol,
            "issuer_name": message.sender.name,
            "issuer_code": message.sender.organ_id,
            "issued_on": message.promulgation_date,
            "subject": message.subject,
            "summary": message.content,
            "signer_name": message.signer_name,
            "signer_position": message.signer_position,
            "urgency": message.priority,
            "place": message.place,
            "deadline": message.due_date,
            "edxml_document_id": message.document_id,
        },
        files=[Upload(a.name, a.content) for a in message.attachments],
        source=Source.EDXML,
    )


def _recall_incoming(actor: Any, unit: Unit, message: Any, symbol: str) -> Document:
    document = (
        Document.objects.filter(
            unit=unit, direction=Direction.INCOMING, edxml_document_id=message.document_id
        ).first()
        if message.document_id
        else None
    ) or find_duplicate(unit, symbol, message.sender.name)
    if document is None:
        raise ValidationError(
            {
                "package": _("The recall names %(symbol)s, which is not registered here.")
                % {"symbol": symbol}
            }
        )
    with transaction.atomic():
        now = timezone.now()
        reason = message.business_reason or _("Recalled by the sender.")
        Document.objects.filter(pk=document.pk, recalled_at__isnull=True).update(
            recalled_at=now, recall_reason=nfc(reason)[:500]
        )
        Delivery.objects.filter(registered_as=document).update(recalled_at=now)
        _entry(document, Action.RECALLED, actor, reason, status_code="13", at=now)
    document.refresh_from_db()
    return document


def status_package(actor: Any, document: Document, code: str, description: str = "") -> bytes:
    """An edXML status message about an incoming document, for its sender."""
    from congdoan.documents import edxml

    _require(actor, VIEW_DOCUMENTS, document.unit)
    if document.direction != Direction.INCOMING:
        raise ValidationError(_("Status messages answer incoming documents."))
    if code not in edxml.STATUS_CODES:
        raise ValidationError({"code": _("Unknown edXML status code %(code)s.") % {"code": code}})
    sender = edxml.Organ(organ_id=document.issuer_code[:13] or "-", name=document.issuer_name)
    return edxml.build_status(
        edxml.StatusMessage(
            from_organ=_organ(document.unit),
            to_organ=sender,
            response_for_organ_id=sender.organ_id,
            response_for_code=document.symbol,
            response_for_document_id=document.edxml_document_id,
            response_for_date=document.issued_on or document.received_on,
            status_code=code,
            description=description,
            staff_name=(actor.get_full_name() if getattr(actor, "pk", None) else ""),
        )
    )


@dataclass(frozen=True)
class Received:
    """What an edXML package did: a document registered (or recalled), or, for a status
    message about a document the unit sent, the trace entry written on it (``status``)."""

    document: Document
    status: ProcessingEntry | None = None


def receive_edxml(actor: Any, unit: Unit, data: bytes) -> Received:
    """An edXML package arriving at ``unit``, whatever it is: a status message is recorded
    on the document it concerns, anything else is registered (``import_edxml``)."""
    from congdoan.documents import edxml

    if edxml.is_status_package(data):
        entry = receive_status(actor, unit, data)
        return Received(entry.document, entry)
    return Received(import_edxml(actor, unit, data))


def receive_status(actor: Any, unit: Unit, data: bytes) -> ProcessingEntry:
    """Record an edXML status message about a document ``unit`` sent, as a trace entry."""
    from django.conf import settings

    from congdoan.documents import edxml

    _require(actor, REGISTER_DOCUMENTS, unit)
    try:
        message = edxml.parse_status(data, max_bytes=settings.EDXML_MAX_BYTES)
    except edxml.EdxmlError as exc:
        raise ValidationError({"package": str(exc)}) from exc
    document = Document.objects.filter(
        unit=unit,
        direction=Direction.OUTGOING,
        symbol_key=symbols.key(message.response_for_code),
    ).first()
    if document is None:
        raise ValidationError(
            {
                "package": _("No document %(symbol)s was sent by %(unit)s.")
                % {"symbol": message.response_for_code, "unit": unit.name}
            }
        )
    label = edxml.STATUS_CODES[message.status_code]
    note = f"{message.from_organ.name}: {label}"
    if message.description:
        note += f" — {message.description}"
    return _entry(
        document, Action.STATUS, actor, note, status_code=message.status_code, at=message.timestamp
    )
