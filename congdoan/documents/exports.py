"""From documents to the plain dataclasses that ``printing`` lays out.

``printing`` touches no model; this module reads the models (already scoped by the caller's
selectors) and builds its inputs. Printed words are Vietnamese whatever the page's language
(an official document is always Vietnamese), so labels here are fixed strings or read under
``translation.override("vi")``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation

from congdoan.documents import symbols
from congdoan.documents.models import (
    CONG_VAN,
    Assignment,
    Confidentiality,
    Document,
    ProcessingEntry,
    Urgency,
)
from congdoan.documents.printing import (
    HandlingSlip,
    IncomingRow,
    OutgoingRow,
    PrintableDocument,
)
from congdoan.org.models import Unit, UnitKind

URGENCY_STAMPS = {
    Urgency.URGENT: "KHẨN",
    Urgency.VERY_URGENT: "THƯỢNG KHẨN",
    Urgency.FLASH: "HỎA TỐC",
}
CONFIDENTIALITY_STAMPS = {
    Confidentiality.SECRET: "MẬT",
    Confidentiality.TOP_SECRET: "TỐI MẬT",
    Confidentiality.ABSOLUTE: "TUYỆT MẬT",
}
ITERATOR_CHUNK = 2000


class _Units:
    """Units and unit kinds by code, each looked up once per export."""

    def __init__(self) -> None:
        self._units: dict[str, Unit | None] = {}
        self._kinds: dict[str, str] | None = None

    def get(self, code: str) -> Unit | None:
        if code not in self._units:
            self._units[code] = Unit.objects.filter(code=code).first()
        return self._units[code]

    def kind_name(self, code: str) -> str:
        if self._kinds is None:
            self._kinds = dict(UnitKind.objects.values_list("code", "name"))
        return self._kinds.get(code, code)


def _rule_line(rule: dict[str, Any], units: _Units) -> str:
    unit = units.get(str(rule.get("unit", "")))
    name = unit.name if unit else str(rule.get("unit", ""))
    mode = rule.get("mode", "unit")
    if mode == "grassroots":
        return f"Các công đoàn cơ sở trực thuộc {name}"
    if mode == "kind":
        return f"Các {units.kind_name(str(rule.get('kind', '')))} trực thuộc {name}"
    return name


def recipient_lines(document: Document, units: _Units | None = None) -> list[str]:
    """The "Nơi nhận" lines: as the drafter wrote them, else from the recipient rules."""
    written = [line.strip() for line in document.recipients_text.splitlines() if line.strip()]
    if written:
        return written
    units = units or _Units()
    return [_rule_line(rule, units) for rule in document.recipient_spec]


def _filing_line(document: Document) -> str:
    """``Lưu: VT, VP.`` — the clerk's file and the drafting department's."""
    parts = ["VT"]
    if document.drafting_unit and document.drafting_unit.abbreviation:
        parts.append(document.drafting_unit.abbreviation)
    return "Lưu: " + ", ".join(parts) + "."


def _draft_symbol(document: Document) -> str:
    """``/KH-LĐLĐ`` for a draft: the number is left blank until the document is issued."""
    built = symbols.build(
        0,
        type_abbreviation=document.doc_type,
        issuer_abbreviation=document.unit.abbreviation or document.issuer_code,
        drafting_abbreviation=(
            document.drafting_unit.abbreviation if document.drafting_unit else ""
        ),
    )
    return "/" + built.partition("/")[2]


def printable(document: Document) -> PrintableDocument:
    """An outgoing document (draft or issued) as ``printing.render_docx``/``render_pdf`` take it."""
    unit = document.unit
    parent = unit.parent.name if unit.parent_id and unit.parent else ""
    lines = recipient_lines(document)
    if not any(line.lstrip("-+– ").startswith("Lưu") for line in lines):
        lines.append(_filing_line(document))
    return PrintableDocument(
        issuer_parent=parent,
        issuer_name=document.issuer_name or unit.name,
        number_symbol=document.symbol or _draft_symbol(document),
        place=document.place,
        date=document.issued_on,
        type_name=document.type_name,
        subject=document.subject,
        body=document.body,
        recipients=lines,
        signer_authority=document.signer_authority,
        signer_position=document.signer_position,
        signer_name=document.signer_name,
        urgency=URGENCY_STAMPS.get(document.urgency, ""),
        confidentiality=CONFIDENTIALITY_STAMPS.get(document.confidentiality, ""),
        is_cong_van=document.doc_type == CONG_VAN,
        copies_note=f"{document.copies} bản" if document.copies > 1 else "",
    )


def _type_and_subject(document: Document) -> str:
    if document.doc_type == CONG_VAN:
        return f"{document.type_name}: {document.subject}"
    return f"{document.type_name} {document.subject}"


def _local_date(moment: Any) -> Any:
    return timezone.localtime(moment).date() if moment else None


def _recall_note(document: Document) -> str:
    if not document.recalled_at:
        return ""
    day = _local_date(document.recalled_at)
    note = f"Đã thu hồi ngày {day:%d/%m/%Y}"
    return f"{note}: {document.recall_reason}" if document.recall_reason else note


def _iterate(documents: Iterable[Document]) -> Iterator[Document]:
    if isinstance(documents, QuerySet):
        return documents.iterator(chunk_size=ITERATOR_CHUNK)
    return iter(documents)


def outgoing_rows(documents: Iterable[Document]) -> Iterator[OutgoingRow]:
    """Register lines of issued documents (``selectors.outgoing_register``), in its order."""
    units = _Units()
    for document in _iterate(documents):
        yield OutgoingRow(
            number_symbol=document.symbol,
            date=document.issued_on,
            type_and_subject=_type_and_subject(document),
            signer=document.signer_name,
            recipients="; ".join(recipient_lines(document, units)),
            file_unit=document.file_unit.name if document.file_unit else document.unit.name,
            copies=document.copies,
            sent_on=document.issued_on,
            note=_recall_note(document),
        )


def _assignee(item: Assignment) -> str:
    if item.assignee is not None:
        return str(item.assignee)
    return item.assignee_unit.name if item.assignee_unit else ""


def _live(items: Iterable[Assignment]) -> list[Assignment]:
    ordered = sorted(items, key=lambda a: (a.assigned_at, a.pk))
    return [a for a in ordered if a.state != Assignment.State.FORWARDED] or ordered


def incoming_rows(documents: Iterable[Document]) -> Iterator[IncomingRow]:
    """Register lines of incoming documents (``selectors.incoming_register``), in its order."""
    for document in _iterate(documents):
        items = list(document.assignments.all())  # prefetched by the selector
        live = _live(items)
        first = min(items, key=lambda a: (a.assigned_at, a.pk)) if items else None
        notes = [_recall_note(document)]
        if document.urgency:
            notes.append(URGENCY_STAMPS.get(document.urgency, "").capitalize())
        yield IncomingRow(
            received_on=document.received_on,
            incoming_number=document.incoming_number,
            issuer=document.issuer_name,
            number_symbol=document.symbol,
            date=document.issued_on,
            type_and_subject=_type_and_subject(document),
            assignee="; ".join(dict.fromkeys(_assignee(a) for a in live if _assignee(a))),
            passed_on=_local_date(first.assigned_at) if first else None,
            note="; ".join(n for n in notes if n),
        )


def _entry_line(entry: ProcessingEntry) -> tuple[Any, str, str]:
    who = str(entry.actor) if entry.actor_id else (entry.unit.name if entry.unit_id else "")
    what = str(entry.get_action_display())
    if entry.note:
        what = f"{what}: {entry.note}"
    return timezone.localtime(entry.at), who, what


def handling_slip(document: Document) -> HandlingSlip:
    """The "Phiếu giải quyết văn bản đến" of an incoming document, with its history."""
    items = sorted(document.assignments.all(), key=lambda a: (a.assigned_at, a.pk))
    first = items[0] if items else None
    live = _live(items)
    entries = document.entries.select_related("actor", "unit").order_by("at", "id")
    with translation.override("vi"):
        history = [_entry_line(entry) for entry in entries]
    return HandlingSlip(
        unit_name=document.unit.name,
        incoming_number=document.incoming_number or 0,
        received_on=document.received_on,
        issuer=document.issuer_name,
        number_symbol=document.symbol,
        document_date=document.issued_on,
        subject=_type_and_subject(document),
        leader_instruction=first.instruction if first else "",
        instruction_by=str(first.assigned_by) if first and first.assigned_by_id else "",
        instruction_on=_local_date(first.assigned_at) if first else None,
        assignee="; ".join(dict.fromkeys(_assignee(a) for a in live if _assignee(a))),
        deadline=document.deadline,
        history=history,
    )
