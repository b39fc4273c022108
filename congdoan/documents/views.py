"""Staff pages of official documents: inbox, outbox, registers, one document with its
workflow, composing, registering incoming documents, search, reports and "my work".

Thin: reads go through ``selectors`` (and ``search``), every change through ``services``,
so the pages, the API and the commands behave the same. A unit or document out of the
user's scope answers 404; a step the user's role does not allow answers 403.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from congdoan.accounts.permissions import (
    ASSIGN_DOCUMENTS,
    DRAFT_DOCUMENTS,
    ISSUE_DOCUMENTS,
    REGISTER_DOCUMENTS,
    SIGN_DOCUMENTS,
    VIEW_DOCUMENTS,
)
from congdoan.accounts.selectors import can, scope_for
from congdoan.core.forms import add_service_errors
from congdoan.core.http import PDF, XLSX, download, error_messages
from congdoan.core.models import Job
from congdoan.core.params import date_param
from congdoan.core.tables import Column, Table
from congdoan.documents import exports, search, selectors, services
from congdoan.documents.forms import (
    AssignForm,
    AttachForm,
    CommentForm,
    CompleteForm,
    DraftForm,
    EdxmlImportForm,
    ForwardForm,
    IncomingForm,
    IssueForm,
    NoteForm,
    RecallForm,
    RecipientRowsWidget,
    ReturnForm,
    SearchForm,
)
from congdoan.documents.models import (
    Assignment,
    Attachment,
    Delivery,
    Direction,
    Document,
    Status,
)
from congdoan.org import selectors as org_selectors
from congdoan.org.models import Unit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EDXML = "application/xml"
PER_PAGE = 50
INLINE_KINDS = frozenset({"pdf", "png", "jpeg"})
TEXT_KINDS = frozenset({"docx", "doc", "xlsx", "xls"})
OPEN_ASSIGNMENT = (Assignment.State.ASSIGNED, Assignment.State.IN_PROGRESS)

INBOX_STATES = [
    ("", gettext_lazy("All")),
    ("new", gettext_lazy("Not opened yet")),
    ("unregistered", gettext_lazy("Not registered yet")),
    (Delivery.State.ACKNOWLEDGED, gettext_lazy("Acknowledged")),
]
OUTGOING_STATUSES = [Status.DRAFT, Status.REVIEW, Status.SIGNED, Status.ISSUED]
INCOMING_STATUSES = [Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS, Status.DONE]
ATTACHMENT_FLAGS = {
    "encrypted": gettext_lazy("protected by a password: its text cannot be read"),
    "restricted": gettext_lazy("PDF with restricted permissions"),
    "malformed": gettext_lazy("damaged or truncated file"),
    "too_large": gettext_lazy("too large to read its text"),
    "truncated": gettext_lazy("text cut short"),
    "converted_from_tcvn3": gettext_lazy("old TCVN3 (.VnTime) text converted to Unicode"),
    "converted_from_vni": gettext_lazy("old VNI text converted to Unicode"),
    "ocr_failed": gettext_lazy("text recognition failed"),
}


# --- helpers --------------------------------------------------------------------------------


def _need(user: Any, permission: str = VIEW_DOCUMENTS) -> None:
    """Pages of a kind the user has no right to anywhere look absent."""
    if scope_for(user, permission).is_empty:
        raise Http404


def _unit(request: HttpRequest, permission: str = VIEW_DOCUMENTS) -> tuple[Unit, list[Unit]]:
    """The unit in ``?unit=CODE`` (else the user's first unit with ``permission``) and the
    user's own document units to choose among. Out of scope: 404; in scope without the right
    for this page: 403."""
    user = request.user
    units = selectors.document_units(user)
    code = request.GET.get("unit", "").strip()
    if code:
        unit = None
        for candidate in dict.fromkeys([code, code.upper()]):
            try:
                unit = org_selectors.get_unit(user, candidate, VIEW_DOCUMENTS)
                break
            except Http404:
                continue
        if unit is None:
            raise Http404
    else:
        allowed = [u for u in units if can(user, permission, u.path)]
        if allowed:
            unit = allowed[0]
        elif units:
            unit = units[0]
        else:
            raise Http404
    if not can(user, permission, unit.path):
        raise PermissionDenied
    return unit, units


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _file_stem(document: Document) -> str:
    """An ASCII file name for a document: ``01-KH-LDLD`` or ``van-ban-42``."""
    text = document.symbol.replace("Đ", "D").replace("đ", "d")
    raw = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    raw = raw.replace("/", "-")
    stem = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in raw).strip("-")
    return stem or f"van-ban-{document.pk}"


def _uploads(files: list[Any]) -> list[services.Upload]:
    return [services.Upload(f.name, f.read()) for f in files]


def _kinds() -> list[tuple[str, str]]:
    return [(k.code, k.name) for k in org_selectors.kinds()]


def _dates(request: HttpRequest, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """``?from=`` and ``?to=``, with a warning for a date that cannot be read."""
    start, error_from = date_param(request, "from", start)
    end, error_to = date_param(request, "to", end)
    for error in (error_from, error_to):
        if error:
            messages.warning(request, error)
    if end < start:
        messages.warning(request, _("The end of the period is before its start."))
    return start, end


def _optional_date(request: HttpRequest, name: str) -> dt.date | None:
    if not request.GET.get(name, "").strip():
        return None
    day, error = date_param(request, name, timezone.localdate())
    if error:
        messages.warning(
            request,
            _("“%(value)s” is not a date; the filter was left out.")
            % {"value": request.GET.get(name)},
        )
        return None
    return day


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    return redirect("documents:inbox")


# --- inbox, outbox, incoming register ------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """What arrived at one of the user's units: urgent first, newest first."""
    unit, units = _unit(request)
    state = request.GET.get("state", "")
    if state not in dict(INBOX_STATES):
        state = ""
    deliveries = selectors.inbox(request.user, unit, state=state or None)
    table = Table(
        request,
        deliveries,
        [
            Column("marks", _("Marks")),
            Column("symbol", _("Number and symbol")),
            Column("subject", _("Subject")),
            Column("issuer", _("Issuing body")),
            Column("sent_at", _("Arrived")),
            Column("actions", _("Actions")),
        ],
        per_page=PER_PAGE,
    )
    return render(
        request,
        "documents/inbox.html",
        {
            "unit": unit,
            "units": units,
            "state": state,
            "states": INBOX_STATES,
            "table": table,
            "can_register": can(request.user, REGISTER_DOCUMENTS, unit.path),
            "next": request.get_full_path(),
        },
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.get_delivery(request.user, pk)
    services.acknowledge(request.user, delivery)
    messages.success(
        request,
        _("Receipt of %(document)s acknowledged; the sender sees it.")
        % {"document": delivery.document},
    )
    return _back(request, reverse("documents:inbox") + f"?unit={delivery.recipient.code}")


@login_required
@require_POST
def register_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """Vào sổ: enter a delivered document in the receiving unit's incoming register."""
    delivery = selectors.get_delivery(request.user, pk)
    try:
        document = services.register_delivery(request.user, delivery)
    except ValidationError as exc:
        error_messages(request, exc)
        return _back(request, reverse("documents:inbox") + f"?unit={delivery.recipient.code}")
    messages.success(
        request,
        _("Registered as incoming number %(number)s of %(unit)s.")
        % {"number": document.incoming_number, "unit": delivery.recipient.name},
    )
    return redirect("documents:detail", document.pk)


def _status_choices(statuses: list[Status]) -> list[tuple[str, str]]:
    return [("", _("All")), *((s.value, s.label) for s in statuses)]


def _unit_list(
    request: HttpRequest,
    read: Any,
    statuses: list[Status],
    columns: list[Column],
    template: str,
    right: str,
    right_name: str,
) -> HttpResponse:
    """A unit's documents filtered by status, as a paged table (outbox, incoming register)."""
    unit, units = _unit(request)
    status = request.GET.get("status", "")
    if status not in statuses:
        status = ""
    table = Table(
        request, read(request.user, unit, status=status or None), columns, per_page=PER_PAGE
    )
    return render(
        request,
        template,
        {
            "unit": unit,
            "units": units,
            "status": status,
            "statuses": _status_choices(statuses),
            "table": table,
            right_name: can(request.user, right, unit.path),
        },
    )


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    columns = [
        Column("symbol", _("Number and symbol")),
        Column("type", _("Type")),
        Column("subject", _("Subject")),
        Column("status", _("Status")),
        Column("date", _("Document date")),
    ]
    return _unit_list(
        request, selectors.outbox, OUTGOING_STATUSES, columns, "documents/outbox.html",
        DRAFT_DOCUMENTS, "can_draft",
    )  # fmt: skip


@login_required
def incoming_list(request: HttpRequest) -> HttpResponse:
    """The incoming register of a unit as a page, newest first."""
    columns = [
        Column("number", _("Incoming number")),
        Column("received_on", _("Date received")),
        Column("symbol", _("Number and symbol")),
        Column("issuer", _("Issuing body")),
        Column("subject", _("Subject")),
        Column("status", _("Status")),
        Column("deadline", _("Deadline")),
    ]
    return _unit_list(
        request, selectors.incoming, INCOMING_STATUSES, columns, "documents/incoming_list.html",
        REGISTER_DOCUMENTS, "can_register",
    )  # fmt: skip


# --- one document ---------------------------------------------------------------------------


@dataclass
class AttachmentView:
    item: Attachment
    inline: str  # "pdf", "image" or ""
    text: str
    text_cut: bool
    flags: list[str]
    job: Job | None
    job_is_mine: bool


@dataclass
class AssignmentView:
    item: Assignment
    is_open: bool
    mine: bool
    forward_form: ForwardForm | None
    complete_form: CompleteForm | None
    overdue: bool


def _attachment_views(user: Any, items: list[Attachment]) -> list[AttachmentView]:
    job_ids = [a.ocr_job for a in items if a.ocr_job]
    jobs = {j.pk: j for j in Job.objects.filter(pk__in=job_ids)} if job_ids else {}
    views = []
    for a in items:
        inline = "pdf" if a.kind == "pdf" else ("image" if a.kind in INLINE_KINDS else "")
        job = jobs.get(a.ocr_job) if a.ocr_job else None
        views.append(
            AttachmentView(
                item=a,
                inline=inline,
                text=a.preview or "",
                text_cut=(a.text_length or 0) > selectors.PREVIEW_TEXT_CHARS,
                flags=[str(ATTACHMENT_FLAGS[f]) for f in a.flags if f in ATTACHMENT_FLAGS],
                job=job,
                job_is_mine=bool(job and job.owner_id == user.pk),
            )
        )
    return views


def _detail_context(
    request: HttpRequest, document: Document, open_form: str = "", **forms: Any
) -> dict[str, Any]:
    user = request.user
    path = document.unit.path
    sender_side = can(user, VIEW_DOCUMENTS, path)
    recalled = document.is_recalled
    today = timezone.localdate()
    context: dict[str, Any] = {
        "document": document,
        "sender_side": sender_side,
        "open_form": open_form,
        "attachments": _attachment_views(user, selectors.attachments(document)),
        "history": selectors.history(document) if sender_side else [],
        "delivery": forms.get("delivery") or selectors.own_delivery(user, document),
        "today": today,
    }
    if document.is_outgoing:
        status = document.status
        context.update(
            can_edit=sender_side
            and not recalled
            and status in (Status.DRAFT, Status.REVIEW)
            and can(user, DRAFT_DOCUMENTS, path),
            can_submit=status == Status.DRAFT and can(user, DRAFT_DOCUMENTS, path),
            can_sign=status == Status.REVIEW and can(user, SIGN_DOCUMENTS, path),
            can_issue=status == Status.SIGNED and can(user, ISSUE_DOCUMENTS, path),
            can_recall=status == Status.ISSUED
            and not recalled
            and can(user, ISSUE_DOCUMENTS, path),
            can_print=sender_side or status == Status.ISSUED,
            can_edxml=sender_side and status == Status.ISSUED,
            submit_form=forms.get("submit_form") or NoteForm(prefix="submit"),
            sign_form=forms.get("sign_form") or NoteForm(prefix="sign"),
            return_form=forms.get("return_form") or ReturnForm(prefix="return"),
            issue_form=forms.get("issue_form")
            or IssueForm(prefix="issue", initial={"issued_on": today}),
            recall_form=forms.get("recall_form") or RecallForm(prefix="recall"),
        )
        if sender_side and status == Status.ISSUED:
            pending = request.GET.get("recipients") == "pending"
            context["summary"] = selectors.delivery_summary(document)
            context["pending_only"] = pending
            context["recipients"] = Table(
                request,
                selectors.deliveries_of(document, state="pending" if pending else None),
                [
                    Column("recipient", _("Recipient")),
                    Column("state", _("State")),
                    Column("opened", _("Opened")),
                    Column("acknowledged", _("Acknowledged")),
                    Column("registered", _("Registered")),
                ],
                per_page=PER_PAGE,
            )
    else:
        can_assign = sender_side and not recalled and can(user, ASSIGN_DOCUMENTS, path)
        departments = [document.unit, *selectors.departments(document.unit)]
        # The unit's staff, or a department's staff working on an assignment of it.
        people = selectors.document_staff(document.unit)
        replies = list(selectors.replies_candidates(user, document)[:50])
        bound_for = forms.get("item_pk")
        items = []
        for item in selectors.assignments(document):
            is_open = item.state in OPEN_ASSIGNMENT and not recalled
            mine = is_open and services.can_work_on(user, item)
            forward_form = complete_form = None
            if mine:
                forward_form = (
                    forms["forward_form"]
                    if bound_for == item.pk and "forward_form" in forms
                    else ForwardForm(
                        prefix=f"forward-{item.pk}", departments=departments, people=people
                    )
                )
                complete_form = (
                    forms["complete_form"]
                    if bound_for == item.pk and "complete_form" in forms
                    else CompleteForm(prefix=f"complete-{item.pk}", replies=replies)
                )
            items.append(
                AssignmentView(
                    item=item,
                    is_open=is_open,
                    mine=mine,
                    forward_form=forward_form,
                    complete_form=complete_form,
                    overdue=bool(is_open and item.deadline and item.deadline < today),
                )
            )
        context.update(
            assignments=items,
            bound_for=bound_for,
            can_assign=can_assign,
            can_comment=sender_side and can(user, VIEW_DOCUMENTS, path),
            can_attach=sender_side and not recalled and can(user, REGISTER_DOCUMENTS, path),
            assign_form=forms.get("assign_form")
            or AssignForm(prefix="assign", departments=departments, people=people),
            comment_form=forms.get("comment_form") or CommentForm(prefix="comment"),
            attach_form=forms.get("attach_form") or AttachForm(prefix="attach"),
        )
    if document.is_outgoing and document.status in (Status.DRAFT, Status.REVIEW):
        context["can_attach"] = context.get("can_edit", False)
        context["attach_form"] = forms.get("attach_form") or AttachForm(prefix="attach")
    return context


def _render_detail(
    request: HttpRequest, document: Document, open_form: str = "", **forms: Any
) -> HttpResponse:
    context = _detail_context(request, document, open_form, **forms)
    return render(request, "documents/detail.html", context)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The document, its files, its history and the steps the user may take. A recipient
    opening it is recorded as "opened" for the sender."""
    document = selectors.get_document(request.user, pk)
    delivery = selectors.own_delivery(request.user, document)
    if delivery is not None and delivery.opened_at is None:
        delivery = services.open_delivery(request.user, delivery)
    return _render_detail(request, document, delivery=delivery)


STEPS = {
    "submit": (NoteForm, "submit_form"),
    "sign": (NoteForm, "sign_form"),
    "return": (ReturnForm, "return_form"),
    "issue": (IssueForm, "issue_form"),
    "recall": (RecallForm, "recall_form"),
}


@login_required
@require_POST
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """A workflow step of an outgoing document: submit, sign, return, issue, recall."""
    if name not in STEPS:
        raise Http404
    document = selectors.get_document(request.user, pk)
    if not document.is_outgoing or not can(request.user, VIEW_DOCUMENTS, document.unit.path):
        raise Http404
    form_class, key = STEPS[name]
    form = form_class(request.POST, prefix=name)
    if form.is_valid():
        data = form.cleaned_data
        user = request.user
        try:
            if name == "submit":
                services.submit_for_signature(user, document, data["note"])
                messages.success(request, _("Sent for signature."))
            elif name == "sign":
                services.sign(user, document, data["note"])
                messages.success(request, _("Signed; the clerk can issue it now."))
            elif name == "return":
                services.return_to_drafter(user, document, data["note"])
                messages.success(request, _("Returned to the drafter."))
            elif name == "issue":
                result = services.issue(user, document, issued_on=data["issued_on"])
                messages.success(
                    request,
                    _("Issued as %(symbol)s and sent to %(count)s units.")
                    % {"symbol": result.document.symbol, "count": result.recipients},
                )
            else:
                recalled = services.recall(user, document, data["reason"])
                messages.success(
                    request,
                    _("Recalled; %(count)s recipients were told.") % {"count": recalled.told},
                )
        except ValidationError as exc:
            add_service_errors(form, exc, {"reason": "reason", "note": "note"})
        else:
            return redirect("documents:detail", document.pk)
    document.refresh_from_db()
    return _render_detail(request, document, name, **{key: form})


def _incoming_document(request: HttpRequest, pk: int) -> Document:
    document = selectors.get_document(request.user, pk)
    if document.direction != Direction.INCOMING:
        raise Http404
    return document


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    document = _incoming_document(request, pk)
    if not can(request.user, ASSIGN_DOCUMENTS, document.unit.path):
        raise PermissionDenied
    form = AssignForm(
        request.POST,
        prefix="assign",
        departments=[document.unit, *selectors.departments(document.unit)],
        people=selectors.document_staff(document.unit),
    )
    if form.is_valid():
        try:
            services.assign(
                request.user,
                document,
                assignee_unit=form.cleaned_data["assignee_unit"],
                assignee=form.person(),
                instruction=form.cleaned_data["instruction"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Assigned."))
            return redirect("documents:detail", document.pk)
    return _render_detail(request, document, "assign", assign_form=form)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.get_document(request.user, pk)
    form = CommentForm(request.POST, prefix="comment")
    if form.is_valid():
        try:
            services.comment(request.user, document, form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Comment added."))
            return redirect("documents:detail", document.pk)
    return _render_detail(request, document, "comment", comment_form=form)


@login_required
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Add files to a draft or to an incoming document: all of them, or none."""
    document = selectors.get_document(request.user, pk)
    if not can(request.user, VIEW_DOCUMENTS, document.unit.path):
        raise Http404
    form = AttachForm(request.POST, request.FILES, prefix="attach")
    if form.is_valid():
        try:
            made = services.add_attachments(
                request.user, document, _uploads(form.cleaned_data["attachments"])
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(count)s files attached.") % {"count": len(made)})
            return redirect("documents:detail", document.pk)
    return _render_detail(request, document, "attach", attach_form=form)


@login_required
@require_POST
def assignment_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Work on an assignment: start, forward or complete it."""
    if name not in ("start", "forward", "complete"):
        raise Http404
    item = selectors.get_assignment(request.user, pk)
    document = selectors.get_document(request.user, item.document_id)
    user = request.user
    if name == "start":
        try:
            services.start_work(user, item)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("Work started."))
        return redirect("documents:detail", document.pk)
    if name == "forward":
        form: Any = ForwardForm(
            request.POST,
            prefix=f"forward-{item.pk}",
            departments=[document.unit, *selectors.departments(document.unit)],
            people=selectors.document_staff(document.unit),
        )
        if form.is_valid():
            try:
                services.forward(
                    user,
                    item,
                    assignee_unit=form.cleaned_data["assignee_unit"],
                    assignee=form.person(),
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Forwarded."))
                return redirect("documents:detail", document.pk)
        return _render_detail(request, document, "", forward_form=form, item_pk=item.pk)
    form = CompleteForm(
        request.POST,
        prefix=f"complete-{item.pk}",
        replies=list(selectors.replies_candidates(user, document)[:50]),
    )
    if form.is_valid():
        try:
            services.complete(
                user, item, note=form.cleaned_data["note"], reply=form.reply_document()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Marked as done."))
            return redirect("documents:detail", document.pk)
    return _render_detail(request, document, "", complete_form=form, item_pk=item.pk)


# --- files, prints and packages -----------------------------------------------------------


@login_required
@xframe_options_sameorigin
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment's bytes; ``?inline=1`` shows a PDF or an image in the page."""
    from congdoan.documents import files

    attachment = selectors.get_attachment(request.user, pk)
    inline = request.GET.get("inline") == "1" and attachment.kind in INLINE_KINDS
    content_type = files.MIME_TYPES.get(attachment.kind, "application/octet-stream")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=content_type,
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


def _outgoing_document(request: HttpRequest, pk: int) -> Document:
    document = selectors.get_document(request.user, pk)
    if not document.is_outgoing:
        raise Http404
    if document.status != Status.ISSUED and not can(
        request.user, VIEW_DOCUMENTS, document.unit.path
    ):
        raise Http404
    return document


@login_required
def print_docx(request: HttpRequest, pk: int) -> HttpResponse:
    from congdoan.documents import printing

    document = _outgoing_document(request, pk)
    data = printing.render_docx(exports.printable(document))
    return download(data, f"{_file_stem(document)}.docx", DOCX)


@login_required
def print_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from congdoan.documents import printing

    document = _outgoing_document(request, pk)
    data = printing.render_pdf(exports.printable(document))
    return download(data, f"{_file_stem(document)}.pdf", PDF, inline=True)


@login_required
def export_edxml(request: HttpRequest, pk: int) -> HttpResponse:
    """The edXML package of an issued document (written to its history)."""
    document = selectors.get_document(request.user, pk)
    if not document.is_outgoing:
        raise Http404
    try:
        data = services.export_edxml(request.user, document)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("documents:detail", document.pk)
    return download(data, f"{_file_stem(document)}.edxml", EDXML)


@login_required
def handling_slip(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Phiếu giải quyết văn bản đến" of an incoming document, as PDF."""
    from congdoan.documents import printing

    document = _incoming_document(request, pk)
    if not can(request.user, VIEW_DOCUMENTS, document.unit.path):
        raise Http404
    data = printing.handling_slip_pdf(exports.handling_slip(document))
    return download(data, f"phieu-giai-quyet-{document.incoming_number}.pdf", PDF, inline=True)


# --- composing ------------------------------------------------------------------------------


def _draft_form(request: HttpRequest, unit: Unit, **kwargs: Any) -> DraftForm:
    return DraftForm(
        request.POST or None,
        request.FILES or None,
        departments=selectors.departments(unit),
        issuer=unit,
        kinds=_kinds(),
        **kwargs,
    )


def _save_draft(
    request: HttpRequest, form: DraftForm, unit: Unit, document: Document | None
) -> Document | None:
    """Create or update the draft and attach its files in one transaction: all or nothing."""
    try:
        with transaction.atomic():
            if document is None:
                document = services.create_outgoing(request.user, unit, form.draft_data())
            else:
                document = services.update_draft(request.user, document, form.draft_data())
            uploads = _uploads(form.uploads())
            if uploads:
                services.add_attachments(request.user, document, uploads)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    return document


@login_required
def compose(request: HttpRequest) -> HttpResponse:
    """A new draft of one of the user's units (``?unit=CODE``)."""
    unit, units = _unit(request, DRAFT_DOCUMENTS)
    form = _draft_form(
        request,
        unit,
        initial={"doc_type": "CV", "copies": 1, "urgency": 0, "confidentiality": 0},
    )
    if request.method == "POST" and form.is_valid():
        document = _save_draft(request, form, unit, None)
        if document is not None:
            messages.success(request, _("The draft is saved."))
            return redirect("documents:detail", document.pk)
    drafting_units = [u for u in units if can(request.user, DRAFT_DOCUMENTS, u.path)]
    return render(
        request,
        "documents/compose.html",
        {"form": form, "unit": unit, "units": drafting_units, "document": None},
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.get_document(request.user, pk)
    if not document.is_outgoing or not can(request.user, VIEW_DOCUMENTS, document.unit.path):
        raise Http404
    if not can(request.user, DRAFT_DOCUMENTS, document.unit.path):
        raise PermissionDenied
    if document.status not in (Status.DRAFT, Status.REVIEW) or document.is_recalled:
        messages.error(
            request,
            _("Only a draft can be edited; this document is %(status)s.")
            % {"status": document.get_status_display()},
        )
        return redirect("documents:detail", document.pk)
    initial = {key: getattr(document, key) for key in DraftForm.FIELDS}
    form = _draft_form(request, document.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save_draft(request, form, document.unit, document)
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("documents:detail", saved.pk)
    return render(
        request,
        "documents/compose.html",
        {
            "form": form,
            "unit": document.unit,
            "units": [],
            "document": document,
            "attachments": selectors.attachments(document),
        },
    )


@login_required
def recipient_row(request: HttpRequest) -> HttpResponse:
    """One more empty row of the recipients chooser (htmx)."""
    _need(request.user, DRAFT_DOCUMENTS)
    widget = RecipientRowsWidget(kinds=_kinds())
    context = widget.get_context("recipient_spec", [], {})
    row = {"unit": "", "mode": "unit"}
    return render(
        request,
        "documents/_recipient_row.html",
        {"row": row, "modes": context["modes"], "kinds": context["kinds"]},
    )


@login_required
def unit_options(request: HttpRequest) -> HttpResponse:
    """``<option>``s of units matching what was typed, for the recipients' datalist (htmx)."""
    _need(request.user)
    q = (request.GET.get("q") or request.GET.get("recipient_unit") or "").strip()
    units = org_selectors.search_units(request.user, q=q)[:20] if len(q) >= 2 else []
    return render(request, "documents/_unit_options.html", {"units": units})


# --- registering incoming documents -----------------------------------------------------


@login_required
def register_incoming(request: HttpRequest) -> HttpResponse:
    """A paper or e-mailed document, with its scans, entered in the incoming register."""
    unit, units = _unit(request, REGISTER_DOCUMENTS)
    form = IncomingForm(
        request.POST or None,
        request.FILES or None,
        initial={"received_on": timezone.localdate(), "doc_type": "CV"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.register_incoming(
                request.user,
                unit,
                form.incoming_data(),
                files=_uploads(form.uploads()),
                source=form.cleaned_data["source"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Registered as incoming number %(number)s of %(unit)s.")
                % {"number": document.incoming_number, "unit": unit.name},
            )
            return redirect("documents:detail", document.pk)
    registering = [u for u in units if can(request.user, REGISTER_DOCUMENTS, u.path)]
    return render(
        request,
        "documents/register_incoming.html",
        {"form": form, "unit": unit, "units": registering},
    )


@login_required
def import_edxml(request: HttpRequest) -> HttpResponse:
    """An edXML package received from another agency, registered as an incoming document."""
    unit, units = _unit(request, REGISTER_DOCUMENTS)
    form = EdxmlImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            received = services.receive_edxml(request.user, unit, form.cleaned_data["file"].read())
        except ValidationError as exc:
            add_service_errors(form, exc, EdxmlImportForm.FIELD_FOR)
        else:
            document = received.document
            if received.status is not None:
                messages.success(
                    request,
                    _("Status message recorded on %(symbol)s: %(note)s")
                    % {"symbol": document.symbol, "note": received.status.note},
                )
            elif document.is_recalled and document.incoming_number:
                messages.warning(
                    request,
                    _("The package recalls incoming number %(number)s; it is frozen.")
                    % {"number": document.incoming_number},
                )
            else:
                messages.success(
                    request,
                    _("Registered as incoming number %(number)s of %(unit)s.")
                    % {"number": document.incoming_number, "unit": unit.name},
                )
            return redirect("documents:detail", document.pk)
    registering = [u for u in units if can(request.user, REGISTER_DOCUMENTS, u.path)]
    return render(
        request,
        "documents/import_edxml.html",
        {"form": form, "unit": unit, "units": registering},
    )


# --- search, registers, reports, my work --------------------------------------------------


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """Documents in scope by words (with or without diacritics) and filters, best first."""
    _need(request.user)
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    start = _optional_date(request, "from")
    end = _optional_date(request, "to")
    filters = search.Filters(
        doc_type=data.get("type", ""),
        issuer=data.get("issuer", ""),
        start=start,
        end=end,
        status=data.get("status", ""),
    )
    results = search.search(request.user, data.get("q", ""), filters)
    table = Table(
        request,
        results,
        [
            Column("symbol", _("Number and symbol")),
            Column("subject", _("Subject")),
            Column("issuer", _("Issuing body")),
            Column("date", _("Date")),
            Column("status", _("Status")),
        ],
        per_page=PER_PAGE,
    )
    return render(
        request,
        "documents/search.html",
        {
            "form": form,
            "table": table,
            "more": results.more,  # the count stopped at COUNT_LIMIT
            "start": request.GET.get("from", ""),
            "end": request.GET.get("to", ""),
            "searched": bool(request.GET),
        },
    )


REGISTER_KINDS = ("outgoing", "incoming")


@login_required
def registers(request: HttpRequest) -> HttpResponse:
    """The registers of outgoing and incoming documents (Phụ lục IV) for a period, on the
    page and as XLSX or PDF."""
    from congdoan.documents import printing

    unit, units = _unit(request)
    kind = request.GET.get("kind", "outgoing")
    if kind not in REGISTER_KINDS:
        kind = "outgoing"
    today = timezone.localdate()
    start, end = _dates(request, today.replace(month=1, day=1), today)
    if kind == "outgoing":
        documents = selectors.outgoing_register(request.user, unit, start, end)
    else:
        documents = selectors.incoming_register(request.user, unit, start, end)
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "pdf"):
        name = f"so-van-ban-{'di' if kind == 'outgoing' else 'den'}-{unit.code}-{start}-{end}"
        if kind == "outgoing":
            rows: Any = exports.outgoing_rows(documents)
            maker = (
                printing.outgoing_register_xlsx if fmt == "xlsx" else printing.outgoing_register_pdf
            )
        else:
            rows = exports.incoming_rows(documents)
            maker = (
                printing.incoming_register_xlsx if fmt == "xlsx" else printing.incoming_register_pdf
            )
        data = maker(unit.name, start, end, rows)
        return download(data, f"{name}.{fmt}", XLSX if fmt == "xlsx" else PDF)
    table = Table(request, documents, [Column("row", "")], per_page=PER_PAGE)
    return render(
        request,
        "documents/registers.html",
        {
            "unit": unit,
            "units": units,
            "kind": kind,
            "start": start,
            "end": end,
            "table": table,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def timeliness(request: HttpRequest) -> HttpResponse:
    """On-time and late handling per department for documents received in a period."""
    unit, units = _unit(request)
    today = timezone.localdate()
    start, end = _dates(request, today.replace(month=1, day=1), today)
    rows = selectors.timeliness(request.user, unit, start, end)
    totals = selectors.Timeliness(
        _("Total"),
        sum(r.done_on_time for r in rows),
        sum(r.done_late for r in rows),
        sum(r.open_overdue for r in rows),
        sum(r.open_in_time for r in rows),
    )
    return render(
        request,
        "documents/timeliness.html",
        {"unit": unit, "units": units, "start": start, "end": end, "rows": rows, "totals": totals},
    )


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    """My work: open assignments of the user and, for leaders, those near or past deadline."""
    _need(request.user)
    leader = not scope_for(request.user, ASSIGN_DOCUMENTS).is_empty
    return render(
        request,
        "documents/tasks.html",
        {
            "tasks": selectors.my_tasks(request.user),
            "watched": selectors.watched_tasks(request.user) if leader else [],
            "leader": leader,
        },
    )
