"""Read queries on documents, always scoped to the user's units.

A document is visible to a user who holds ``documents.view`` at its unit (the issuer of an
outgoing document, the receiver of an incoming one), or at a unit it was delivered to once
it is issued. Classified documents (mật and above) need ``documents.secret`` as well.
Out of scope is absent: 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils import timezone

from congdoan.accounts.permissions import VIEW_DOCUMENTS, VIEW_SECRET
from congdoan.accounts.selectors import can, home_units, scope_for
from congdoan.documents.models import (
    Assignment,
    Attachment,
    Delivery,
    Direction,
    Document,
    ProcessingEntry,
    Status,
)
from congdoan.org.models import Unit

NEAR_DEADLINE_DAYS = 2
# Columns a list never shows: the folded search texts (every attachment's text, up to
# millions of characters) and the document's own text. Lists leave them in the database.
HEAVY = ("search_text", "search_title", "body")
PREVIEW_TEXT_CHARS = 20000  # of an attachment's text on the document's page


def visible_documents(user: Any) -> QuerySet[Document]:
    """Documents of units in the user's scope, classified ones only with the right."""
    scope = scope_for(user, VIEW_DOCUMENTS)
    secret = scope_for(user, VIEW_SECRET)
    documents = Document.objects.filter(scope.q("unit__path")).defer(*HEAVY)
    return documents.filter(Q(confidentiality=0) | secret.q("unit__path"))


def document_units(user: Any) -> list[Unit]:
    """The units whose documents the user keeps (where a role gives ``documents.view``)."""
    return [u for u in home_units(user) if can(user, VIEW_DOCUMENTS, u.path)]


def get_document(user: Any, pk: int) -> Document:
    """A document the user may read: of a unit in scope, or delivered to one once issued."""
    document = (
        Document.objects.select_related(
            "unit", "drafting_unit", "file_unit", "origin", "in_reply_to", "created_by"
        )
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404
    if can(user, VIEW_DOCUMENTS, document.unit.path):
        if document.is_classified and not can(user, VIEW_SECRET, document.unit.path):
            raise Http404
        return document
    if document.status == Status.ISSUED:
        delivered = receiving_units(user, document)
        if delivered and (
            not document.is_classified or any(can(user, VIEW_SECRET, u.path) for u in delivered)
        ):
            return document
    if works_on(user, document):
        return document
    raise Http404


def works_on(user: Any, document: Document) -> bool:
    """Whether an open or closed assignment of ``document`` is the user's: given to them, or
    to a department where they read documents (with the secret right when classified)."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user, VIEW_SECRET if document.is_classified else VIEW_DOCUMENTS)
    query = Q(assignee=user) if not document.is_classified else Q(pk__in=[])
    if not scope.is_empty:
        query |= Q(assignee__isnull=True) & scope.q("assignee_unit__path")
    return Assignment.objects.filter(query, document=document).exists()


def receiving_units(user: Any, document: Document) -> list[Unit]:
    """The units in the user's scope that ``document`` was delivered to."""
    scope = scope_for(user, VIEW_DOCUMENTS)
    if scope.is_empty:
        return []
    return list(
        Unit.objects.filter(deliveries__document=document).filter(scope.q("path")).order_by("path")
    )


def inbox(user: Any, unit: Unit, *, state: str | None = None) -> QuerySet[Delivery]:
    """What arrived at ``unit``: urgent first, newest first. 404 when out of scope."""
    if not can(user, VIEW_DOCUMENTS, unit.path):
        raise Http404
    deliveries = Delivery.objects.filter(recipient=unit)
    if not can(user, VIEW_SECRET, unit.path):
        deliveries = deliveries.filter(classified=False)
    if state == "new":
        deliveries = deliveries.filter(opened_at__isnull=True)
    elif state == "unregistered":
        deliveries = deliveries.filter(registered_as__isnull=True)
    elif state:
        deliveries = deliveries.filter(state=state)
    return (
        deliveries.select_related("document", "document__unit", "registered_as")
        .defer(*(f"document__{name}" for name in HEAVY))
        .order_by("-urgency", "-sent_at", "-id")
    )


def get_delivery(user: Any, pk: int) -> Delivery:
    delivery = (
        Delivery.objects.select_related("document", "document__unit", "recipient", "registered_as")
        .filter(pk=pk)
        .first()
    )
    if delivery is None or not can(user, VIEW_DOCUMENTS, delivery.recipient.path):
        raise Http404
    if delivery.classified and not can(user, VIEW_SECRET, delivery.recipient.path):
        raise Http404
    return delivery


def outbox(user: Any, unit: Unit, *, status: str | None = None) -> QuerySet[Document]:
    if not can(user, VIEW_DOCUMENTS, unit.path):
        raise Http404
    documents = visible_documents(user).filter(unit=unit, direction=Direction.OUTGOING)
    if status:
        documents = documents.filter(status=status)
    return documents.select_related("unit").order_by("-created_at", "-id")


def incoming(user: Any, unit: Unit, *, status: str | None = None) -> QuerySet[Document]:
    if not can(user, VIEW_DOCUMENTS, unit.path):
        raise Http404
    documents = visible_documents(user).filter(unit=unit, direction=Direction.INCOMING)
    if status:
        documents = documents.filter(status=status)
    return documents.order_by("-received_on", "-incoming_number")


@dataclass
class DeliverySummary:
    total: int
    opened: int
    acknowledged: int
    registered: int


def delivery_summary(document: Document) -> DeliverySummary:
    counts = Delivery.objects.filter(document=document).aggregate(
        total=Count("id"),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
        registered=Count("id", filter=Q(registered_as__isnull=False)),
    )
    return DeliverySummary(**counts)


def deliveries_of(document: Document, *, state: str | None = None) -> QuerySet[Delivery]:
    """The recipients of a document the caller may read, with their state (sender's view)."""
    deliveries = Delivery.objects.filter(document=document).select_related(
        "recipient", "acknowledged_by"
    )
    if state == "pending":
        deliveries = deliveries.filter(acknowledged_at__isnull=True)
    elif state:
        deliveries = deliveries.filter(state=state)
    return deliveries.order_by("recipient__path")


def history(document: Document) -> list[ProcessingEntry]:
    return list(document.entries.select_related("actor", "unit"))


def attachments(document: Document) -> list[Attachment]:
    """The document's files, each with the start of its text (``preview``, PREVIEW_TEXT_CHARS)
    and the text's length (``text_length``), not the whole text."""
    return list(
        document.attachments.annotate(
            preview=Substr("text", 1, PREVIEW_TEXT_CHARS), text_length=Length("text")
        ).defer("text")
    )


def get_attachment(user: Any, pk: int) -> Attachment:
    attachment = Attachment.objects.select_related("document").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    get_document(user, attachment.document_id)
    return attachment


def assignments(document: Document) -> list[Assignment]:
    return list(
        document.assignments.select_related("assignee", "assignee_unit", "assigned_by").order_by(
            "assigned_at", "id"
        )
    )


def get_assignment(user: Any, pk: int) -> Assignment:
    item = Assignment.objects.select_related("document", "document__unit").filter(pk=pk).first()
    if item is None:
        raise Http404
    get_document(user, item.document_id)
    return item


@dataclass
class Task:
    assignment: Assignment
    overdue: bool
    near: bool


def _open_assignments() -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(
            state__in=[Assignment.State.ASSIGNED, Assignment.State.IN_PROGRESS],
            document__recalled_at__isnull=True,
        )
        .select_related("document", "document__unit", "assignee", "assignee_unit")
        .defer(*(f"document__{name}" for name in HEAVY))
    )


def _most_pressing(items: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Urgent first, then the nearest deadline (none last), then the oldest: the order the
    page shows, taken by the database so that a cut keeps the most pressing."""
    return items.order_by(
        "-document__urgency", F("deadline").asc(nulls_last=True), "assigned_at", "id"
    )


def _as_tasks(items: QuerySet[Assignment], today: dt.date) -> list[Task]:
    near = today + dt.timedelta(days=NEAR_DEADLINE_DAYS)
    tasks = [
        Task(
            a,
            overdue=bool(a.deadline and a.deadline < today),
            near=bool(a.deadline and today <= a.deadline <= near),
        )
        for a in items
    ]
    tasks.sort(
        key=lambda t: (
            -t.assignment.document.urgency,
            t.assignment.deadline or dt.date.max,
            t.assignment.assigned_at,
        )
    )
    return tasks


def my_tasks(user: Any, *, today: dt.date | None = None, limit: int = 200) -> list[Task]:
    """Open assignments given to the user, or to a department where they hold a role:
    urgent first, then by deadline."""
    today = today or timezone.localdate()
    dept_paths = [u.path for u in home_units(user)]
    query = Q(assignee=user)
    departments = Unit.objects.filter(path__in=dept_paths).values("pk")
    query |= Q(assignee__isnull=True, assignee_unit__in=departments)
    return _as_tasks(_most_pressing(_open_assignments().filter(query))[:limit], today)


def watched_tasks(user: Any, *, today: dt.date | None = None, limit: int = 200) -> list[Task]:
    """For a leader: open assignments of the documents of units they lead that are overdue or
    near their deadline."""
    from congdoan.accounts.permissions import ASSIGN_DOCUMENTS

    today = today or timezone.localdate()
    scope = scope_for(user, ASSIGN_DOCUMENTS)
    if scope.is_empty:
        return []
    near = today + dt.timedelta(days=NEAR_DEADLINE_DAYS)
    items = _open_assignments().filter(scope.q("document__unit__path"), deadline__lte=near)
    return _as_tasks(_most_pressing(items)[:limit], today)


@dataclass
class Timeliness:
    department: str
    done_on_time: int
    done_late: int
    open_overdue: int
    open_in_time: int


def timeliness(
    user: Any, unit: Unit, start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> list[Timeliness]:
    """On-time and late processing per department for incoming documents received in
    [start, end] by ``unit``."""
    if not can(user, VIEW_DOCUMENTS, unit.path):
        raise Http404
    today = today or timezone.localdate()
    items = Assignment.objects.filter(
        document__unit=unit,
        document__direction=Direction.INCOMING,
        document__received_on__range=(start, end),
        deadline__isnull=False,
    ).exclude(state=Assignment.State.FORWARDED)
    rows: dict[str, Timeliness] = {}
    for a in items.select_related("assignee_unit", "assignee"):
        name = a.assignee_unit.name if a.assignee_unit else (a.assignee.get_full_name() or "")
        row = rows.setdefault(name, Timeliness(name, 0, 0, 0, 0))
        if a.state == Assignment.State.DONE:
            local = timezone.localtime(a.done_at).date()
            if local <= a.deadline:
                row.done_on_time += 1
            else:
                row.done_late += 1
        elif a.deadline < today:
            row.open_overdue += 1
        else:
            row.open_in_time += 1
    return sorted(rows.values(), key=lambda r: r.department)


def outgoing_register(user: Any, unit: Unit, start: dt.date, end: dt.date) -> QuerySet[Document]:
    """Issued documents of ``unit`` dated in [start, end], in number order."""
    return (
        outbox(user, unit)
        .filter(status=Status.ISSUED, issued_on__range=(start, end))
        .select_related("file_unit")
        .order_by("year", "secret_series", "number")
    )


def incoming_register(user: Any, unit: Unit, start: dt.date, end: dt.date) -> QuerySet[Document]:
    return (
        incoming(user, unit)
        .filter(received_on__range=(start, end))
        .prefetch_related("assignments__assignee_unit", "assignments__assignee")
        .order_by("received_on", "incoming_number")
    )


def public_documents(*, unit: Unit | None = None) -> QuerySet[Document]:
    """Issued, unrecalled, unclassified documents that staff marked public (for the portal)."""
    documents = Document.objects.filter(
        direction=Direction.OUTGOING,
        status=Status.ISSUED,
        public=True,
        confidentiality=0,
        recalled_at__isnull=True,
    )
    if unit is not None:
        documents = documents.filter(unit__path__startswith=unit.path)
    return documents.select_related("unit").defer(*HEAVY).order_by("-issued_on", "-number")


def unread_count(user: Any, unit: Unit) -> int:
    if not can(user, VIEW_DOCUMENTS, unit.path):
        return 0
    deliveries = Delivery.objects.filter(recipient=unit, opened_at__isnull=True)
    if not can(user, VIEW_SECRET, unit.path):
        deliveries = deliveries.filter(classified=False)
    return deliveries.count()


def replies_candidates(user: Any, document: Document) -> QuerySet[Document]:
    """Outgoing documents of the same unit that could answer ``document``."""
    return (
        visible_documents(user)
        .filter(unit=document.unit, direction=Direction.OUTGOING)
        .exclude(Exists(Document.objects.filter(pk=OuterRef("in_reply_to"))))
    )


# --- for the API (documents/api.py) ---------------------------------------------------------


def assignee_candidate(document: Document, username: str) -> Any | None:
    """The active user ``username`` when they may read ``document``'s unit's documents; None
    otherwise, so that an unknown name and one out of reach answer alike."""
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.filter(username=username, is_active=True).first()
    if person is None or not can(person, VIEW_DOCUMENTS, document.unit.path):
        return None
    return person


# --- for the staff pages (documents/views.py) -----------------------------------------------


def own_delivery(user: Any, document: Document) -> Delivery | None:
    """The delivery of ``document`` to a unit where the user holds a role themself (their own
    inbox). It is None for a sender looking at the deliveries to the units below it, so that
    reading one's own document does not mark it opened for them."""
    own = [u.pk for u in document_units(user)]
    if not own:
        return None
    return (
        Delivery.objects.filter(document=document, recipient_id__in=own)
        .select_related("recipient", "registered_as")
        .order_by("-recipient__depth", "id")
        .first()
    )


def departments(unit: Unit) -> list[Unit]:
    """The live departments (ban, văn phòng) in ``unit``'s subtree, in tree order: where a
    document of ``unit`` is drafted, filed or assigned."""
    return list(
        Unit.objects.filter(
            path__startswith=unit.path, valid_to__isnull=True, kind__is_department=True
        )
        .exclude(pk=unit.pk)
        .order_by("path")
    )


def document_staff(unit: Unit) -> list[Any]:
    """Active people holding, at ``unit`` itself, a role that reads its documents: whom a
    leader can assign a document of ``unit`` to by name."""
    from congdoan.accounts.permissions import roles_with
    from congdoan.accounts.selectors import assignments_at

    roles = set(roles_with(VIEW_DOCUMENTS))
    people: dict[int, Any] = {}
    for assignment in assignments_at(unit):
        if assignment.role in roles and assignment.user.is_active:
            people.setdefault(assignment.user_id, assignment.user)
    return sorted(people.values(), key=lambda p: str(p).lower())
