"""Pages of the organisation registry. Thin: each reads through selectors and changes through
services, so the pages, the API and the commands behave the same."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.accounts.permissions import MANAGE_ORG, VIEW_AUDIT
from congdoan.accounts.selectors import assignments_at, can, home_units, scope_for
from congdoan.core import jobs
from congdoan.core.audit import entries_for
from congdoan.core.models import AuditEntry
from congdoan.core.params import date_param as _date_param
from congdoan.core.scoping import Scope
from congdoan.core.tables import Column, Table
from congdoan.org import imports, selectors, services, tasks
from congdoan.org.forms import EventForm, ImportForm, UnitFilterForm


def _default_unit(request: HttpRequest):  # type: ignore[no-untyped-def]
    units = home_units(request.user)
    if not units:
        raise Http404
    return units[0]


@login_required
def chart(request: HttpRequest) -> HttpResponse:
    """The org chart of a unit on a chosen date (default today)."""
    today = timezone.localdate()
    day, date_error = _date_param(request, "date", today)
    code = request.GET.get("unit", "").strip()
    unit = selectors.get_unit(request.user, code) if code else _default_unit(request)
    root = selectors.tree_as_of(request.user, unit, day, max_depth=1)
    if date_error:
        messages.warning(request, date_error)
    return render(
        request,
        "org/chart.html",
        {
            "unit": unit,
            "root": root,
            "day": day,
            "today": today,
            "kinds": {k.pk: k for k in selectors.kinds()},
        },
    )


@login_required
def chart_node(request: HttpRequest, code: str) -> HttpResponse:
    """Children of one node on a date, loaded when the node is opened (htmx)."""
    day, _error = _date_param(request, "date", timezone.localdate())
    unit = selectors.get_unit(request.user, code)
    node = selectors.tree_as_of(request.user, unit, day, max_depth=1)
    if node is None:
        raise Http404
    return render(
        request,
        "org/_chart_children.html",
        {"node": node, "day": day, "kinds": {k.pk: k for k in selectors.kinds()}},
    )


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.search_units(
        request.user,
        q=filters.get("q", ""),
        kind=filters["kind"].code if filters.get("kind") else "",
        include_ended=bool(filters.get("ended")),
    )
    table = Table(
        request,
        units,
        [
            Column("code", _("Code"), "code"),
            Column("name", _("Name"), "name_folded"),
            Column("kind", _("Kind"), "kind__order"),
            Column("parent", _("Parent unit"), "parent__name_folded"),
            Column("valid_from", _("Valid from"), "valid_from"),
        ],
        default_sort="",
    )
    return render(request, "org/unit_list.html", {"form": form, "table": table})


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    today = timezone.localdate()
    day, date_error = _date_param(request, "date", today)
    unit = selectors.get_unit(request.user, code)
    if date_error:
        messages.warning(request, date_error)
    version = selectors.version_on(unit, day)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "day": day,
            "version": version,
            "children": selectors.live_children(unit),
            "staff": selectors.staff_on(unit, day),
            "cadres_here": selectors.full_time_cadres_at(unit, day),
            "cadres_below": selectors.full_time_cadres(Scope.of([unit.path]), day),
            "history": selectors.history(unit),
            "subtree_count": selectors.subtree_count(unit) - 1 if unit.is_active else 0,
            "roles": assignments_at(unit),
            "can_manage": can(request.user, MANAGE_ORG, unit.path),
            "can_audit": can(request.user, VIEW_AUDIT, unit.path),
        },
    )


@login_required
def streamlining(request: HttpRequest, code: str) -> HttpResponse:
    today = timezone.localdate()
    unit = selectors.get_unit(request.user, code)
    since, since_error = _date_param(request, "since", dt.date(2015, 1, 1))
    until, until_error = _date_param(request, "until", today)
    for error in (since_error, until_error):
        if error:
            messages.warning(request, error)
    if until < since:
        messages.error(request, _("The end date is before the start date."))
        until = since
    report = selectors.streamlining(unit, since, until)
    return render(request, "org/streamlining.html", {"unit": unit, "report": report})


@login_required
def unit_audit(request: HttpRequest, code: str) -> HttpResponse:
    """The audit log of a unit: changes to the unit, its posts and roles held at it."""
    unit = selectors.get_unit(request.user, code)
    if not can(request.user, VIEW_AUDIT, unit.path):
        raise Http404
    from django.contrib.contenttypes.models import ContentType

    from congdoan.accounts.models import RoleAssignment
    from congdoan.org.models import Post

    post_ids = [str(pk) for pk in Post.objects.filter(unit=unit).values_list("pk", flat=True)]
    role_ids = [
        str(pk) for pk in RoleAssignment.objects.filter(unit=unit).values_list("pk", flat=True)
    ]
    entries = (
        entries_for(unit)
        | AuditEntry.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Post), object_id__in=post_ids)
            | Q(
                content_type=ContentType.objects.get_for_model(RoleAssignment),
                object_id__in=role_ids,
            )
        )
    ).select_related("actor", "content_type")
    table = Table(
        request,
        entries,
        [
            Column("at", _("Time"), "at"),
            Column("actor", _("By")),
            Column("action", _("Action"), "action"),
            Column("object", _("Object")),
            Column("changes", _("Changes")),
        ],
        default_sort="-at",
    )
    return render(request, "org/audit.html", {"unit": unit, "table": table})


@login_required
def export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The unit's subtree (alive units) as CSV or XLSX, in the import's columns."""
    unit = selectors.get_unit(request.user, code)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    data = imports.export_units(selectors.subtree(unit), fmt)
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="don-vi-{unit.code}.{fmt}"'
    return response


def _import_dir() -> Path:
    directory = Path(settings.MEDIA_ROOT) / "private" / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@login_required
def import_units(request: HttpRequest) -> HttpResponse:
    """Upload → every row checked → errors, or a preview to confirm. Nothing written yet."""
    if scope_for(request.user, MANAGE_ORG).is_empty:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        plan = imports.plan_import(upload.name, data, actor=request.user)
        context["plan"] = plan
        if plan.ok:
            stored = f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
            (_import_dir() / stored).write_bytes(data)
            request.session["unit_import"] = {"stored": stored, "name": upload.name}
            context["preview"] = plan.units[:50]
            context["stored"] = stored
    return render(request, "org/import.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get("unit_import")
    if not pending or pending.get("stored") != request.POST.get("stored"):
        messages.error(request, _("The upload has expired; upload the file again."))
        return redirect("org:import")
    stored = Path(pending["stored"]).name
    job = jobs.start(
        "org.import_units",
        _("Import units from %(name)s") % {"name": pending["name"]},
        owner=request.user,
    )
    del request.session["unit_import"]
    tasks.import_units_task.enqueue(str(job.pk), stored, pending["name"], request.user.pk)
    return redirect(reverse("core:job", args=[job.pk]))


@login_required
def record_event(request: HttpRequest, code: str) -> HttpResponse:
    """Record a restructuring event on a unit; every refusal is shown next to its field."""
    unit = selectors.get_unit(request.user, code, MANAGE_ORG)
    initial = {"kind": request.GET.get("kind", "rename"), "effective_date": timezone.localdate()}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.record_event(request.user, form.to_event(unit.code))
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict if hasattr(exc, "error_dict") else
                                    {"__all__": exc.messages})  # fmt: skip
        else:
            messages.success(request, _("Recorded: %(event)s") % {"event": event.summary})
            unit.refresh_from_db()
            return redirect("org:unit", unit.code)
    return render(request, "org/event_form.html", {"unit": unit, "form": form})
