"""Pages of the member registry. Thin: reads go through selectors, changes through services,
so the pages, the API, the commands and the import behave the same.

Personal data (CCCD, phone) is masked everywhere except on a member's page for a user whose
role needs it; each unmasked view is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congdoan.accounts.permissions import (
    MANAGE_MEMBERS,
    VIEW_AUDIT,
    VIEW_MEMBERS,
    VIEW_PERSONAL,
)
from congdoan.accounts.selectors import can, home_units, scope_for
from congdoan.core import jobs
from congdoan.core.audit import entries_for
from congdoan.core.charts import bar_chart
from congdoan.core.forms import add_service_errors
from congdoan.core.http import PDF, XLSX, download
from congdoan.core.models import Job
from congdoan.core.params import date_param as _date_param
from congdoan.core.tables import Column, Table
from congdoan.core.tabular import RowError, TableError, write_xlsx
from congdoan.members import selectors, services
from congdoan.members.forms import (
    EndForm,
    ImportForm,
    MemberFilterForm,
    MemberForm,
    ResolveForm,
    TransferForm,
)
from congdoan.members.models import Member, Status
from congdoan.org import selectors as org_selectors
from congdoan.org.models import Unit

MAX_CARDS = 500
CHECK_KIND = "members.check_import"
IMPORT_KIND = "members.import"


# --- helpers ------------------------------------------------------------------------------


def _need(user: Any, permission: str) -> None:
    """Pages of a kind the user has no right to anywhere look absent."""
    if scope_for(user, permission).is_empty:
        raise Http404


def _unit_in_scope(user: Any, code: str, permission: str) -> Unit | None:
    code = code.strip()
    if not code:
        return None
    for candidate in dict.fromkeys([code, code.upper()]):
        try:
            return org_selectors.get_unit(user, candidate, permission)
        except Http404:
            continue
    return None


def _managed_unit(request: HttpRequest, form: Any, field: str = "unit_code") -> Unit | None:
    """The union named in ``form``'s field among those the user manages, or a field error."""
    code = form.cleaned_data[field]
    unit = _unit_in_scope(request.user, code, MANAGE_MEMBERS)
    if unit is None:
        form.add_error(
            field,
            _("No union with the code “%(code)s” among the unions you manage.") % {"code": code},
        )
    return unit


def _home_unit(user: Any, permission: str) -> Unit:
    for unit in home_units(user):
        if can(user, permission, unit.path):
            return unit
    raise Http404


# --- list and export ----------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[MemberFilterForm, Any, Unit | None]:
    form = MemberFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = None
    if filters.get("unit"):
        unit = _unit_in_scope(request.user, filters["unit"], VIEW_MEMBERS)
        if unit is None:
            form.add_error(
                "unit",
                _("No union with the code “%(code)s” among the unions you can see.")
                % {"code": filters["unit"]},
            )
    members = selectors.search_members(
        request.user,
        filters.get("q", ""),
        unit=unit,
        status=filters.get("status") or None,
    )
    if filters.get("unit") and unit is None:
        members = members.none()
    return form, members, unit


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    """Search and filter the members in scope, in Vietnamese name order; personal data masked."""
    _need(request.user, VIEW_MEMBERS)
    form, members, unit = _filtered(request)
    table = Table(
        request,
        members,
        [
            Column("select", _("Select")),
            Column("name", _("Full name"), "name_sort"),
            Column("birth_date", _("Date of birth"), "birth_date"),
            Column("unit", _("Union"), "unit__name_folded"),
            Column("card_number", _("Card number"), "card_number"),
            Column("cccd", _("CCCD")),
            Column("phone", _("Phone")),
            Column("status", _("Status"), "status"),
        ],
        default_sort="",
        per_page=50,
    )
    return render(
        request,
        "members/member_list.html",
        {
            "form": form,
            "table": table,
            "unit": unit,
            "can_manage": not scope_for(request.user, MANAGE_MEMBERS).is_empty,
            "can_personal": not scope_for(request.user, VIEW_PERSONAL).is_empty,
            "query": request.GET.urlencode(),
            "max_cards": MAX_CARDS,
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The filtered list as XLSX or CSV; CCCD and phone only when asked and allowed."""
    from congdoan.members import imports

    _need(request.user, VIEW_MEMBERS)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    form, members, unit = _filtered(request)
    if form.errors:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("members:list") + "?" + request.GET.urlencode())
    personal = bool(request.GET.get("personal"))
    if personal:
        personal_scope = scope_for(request.user, VIEW_PERSONAL)
        if personal_scope.is_empty:
            raise Http404
        if members.exclude(personal_scope.q("unit__path")).exists():
            messages.error(
                request,
                _(
                    "Some of these members belong to unions whose CCCD and phone numbers you "
                    "may not see. Choose your own union in the filter, or export without them."
                ),
            )
            return redirect(reverse("members:list") + "?" + request.GET.urlencode())
    target = unit or _home_unit(request.user, VIEW_MEMBERS)
    count = members.count()
    data = imports.export_members(members, fmt, personal=personal)
    services.record_export(request.user, target, count, personal, fmt)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    return download(data, f"doan-vien-{target.code}.{fmt}", content_type)


# --- one member -------------------------------------------------------------------------


def _detail_context(request: HttpRequest, member: Member, **forms: Any) -> dict[str, Any]:
    user = request.user
    personal = selectors.sees_personal_data(user, member)
    if personal:
        services.record_personal_view(user, member)
    can_manage = can(user, MANAGE_MEMBERS, member.unit.path)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "member": member,
        "personal": personal,
        "cccd": member.cccd if personal else selectors.masked_cccd(member),
        "phone": member.phone if personal else selectors.masked_phone(member),
        "history": selectors.history(member),
        "can_manage": can_manage and member.is_active,
        "transfer_form": forms.get("transfer_form") or TransferForm(initial={"day": today}),
        "end_form": forms.get("end_form") or EndForm(initial={"day": today}),
        "open_form": forms.get("open_form", ""),
        "today": today,
    }
    if can(user, VIEW_AUDIT, member.unit.path):
        context["show_audit"] = True
        context["audit"] = [
            (entry, _audit_changes(entry.changes, personal)) for entry in entries_for(member)[:30]
        ]
    return context


def _audit_changes(changes: dict[str, Any], personal: bool) -> list[tuple[str, Any, Any]]:
    """An audit entry's changes; CCCD and phone masked for those who may not see them."""
    hide = {"cccd": (3, 3), "phone": (3, 2)}
    rows = []
    for field, pair in (changes or {}).items():
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        if before in (None, "", False) and after in (None, "", False):
            continue
        if field in hide and not personal:
            before = selectors.mask(str(before or ""), *hide[field])
            after = selectors.mask(str(after or ""), *hide[field])
        try:
            label = str(Member._meta.get_field(field).verbose_name)
        except FieldDoesNotExist:
            label = field
        rows.append((label, before, after))
    return rows


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_member(request.user, pk)
    return render(request, "members/member_detail.html", _detail_context(request, member))


@login_required
def member_new(request: HttpRequest) -> HttpResponse:
    _need(request.user, MANAGE_MEMBERS)
    form = MemberForm(
        request.POST or None,
        with_unit=True,
        initial={"unit_code": request.GET.get("unit", ""), "ethnicity": "Kinh"},
    )
    if request.method == "POST" and form.is_valid():
        unit = _managed_unit(request, form)
        if unit is not None:
            try:
                member = services.create_member(request.user, unit, form.member_data())
            except ValidationError as exc:
                add_service_errors(form, exc, {"unit": "unit_code"})
            else:
                messages.success(
                    request, _("Added %(name)s to %(unit)s.") % {"name": member, "unit": unit}
                )
                return redirect("members:detail", member.pk)
    return render(request, "members/member_form.html", {"form": form, "member": None})


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_member(request.user, pk)
    if not can(request.user, MANAGE_MEMBERS, member.unit.path):
        raise PermissionDenied
    personal = selectors.sees_personal_data(request.user, member)
    initial = {
        name: getattr(member, name)
        for name in services.MEMBER_FIELDS
        if name not in (() if personal else MemberForm.PERSONAL)
    }
    form = MemberForm(request.POST or None, personal=personal, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(request.user, member, form.member_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("members:detail", member.pk)
    elif personal and request.method == "GET":
        services.record_personal_view(request.user, member)
    return render(request, "members/member_form.html", {"form": form, "member": member})


@login_required
@require_POST
def member_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_member(request.user, pk)
    if not can(request.user, MANAGE_MEMBERS, member.unit.path):
        raise PermissionDenied
    form = TransferForm(request.POST)
    if form.is_valid():
        to_unit = selectors.receiving_union(form.cleaned_data["unit_code"])
        if to_unit is None:
            form.add_error(
                "unit_code",
                _("No union has the code “%(code)s”.") % {"code": form.cleaned_data["unit_code"]},
            )
        else:
            try:
                services.transfer_member(
                    request.user,
                    member,
                    to_unit,
                    day=form.cleaned_data["day"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc, TransferForm.FIELD_FOR)
            else:
                messages.success(
                    request,
                    _("%(name)s now belongs to %(unit)s.") % {"name": member, "unit": to_unit},
                )
                if can(request.user, VIEW_MEMBERS, to_unit.path):
                    return redirect("members:detail", member.pk)
                return redirect("members:list")
    context = _detail_context(request, member, transfer_form=form, open_form="transfer")
    return render(request, "members/member_detail.html", context)


@login_required
@require_POST
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_member(request.user, pk)
    if not can(request.user, MANAGE_MEMBERS, member.unit.path):
        raise PermissionDenied
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.end_membership(
                request.user,
                member,
                form.cleaned_data["status"],
                day=form.cleaned_data["day"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, EndForm.FIELD_FOR)
        else:
            messages.success(request, _("The membership of %(name)s has ended.") % {"name": member})
            return redirect("members:detail", member.pk)
    context = _detail_context(request, member, end_form=form, open_form="end")
    return render(request, "members/member_detail.html", context)


# --- import -------------------------------------------------------------------------------


def _import_dir() -> Path:
    directory = Path(settings.MEDIA_ROOT) / "private" / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _pending(request: HttpRequest) -> dict[str, dict[str, str]]:
    return request.session.get("member_imports", {})


def _remember(request: HttpRequest, job_id: str, info: dict[str, str]) -> None:
    pending = dict(_pending(request))
    pending[job_id] = info
    # Keep the last few uploads only: the session is not a store.
    request.session["member_imports"] = dict(list(pending.items())[-10:])


@login_required
def import_members(request: HttpRequest) -> HttpResponse:
    """Upload; the file is checked in the background, then previewed before anything is
    written."""
    _need(request.user, MANAGE_MEMBERS)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"unit_code": request.GET.get("unit", "")},
    )
    if request.method == "POST" and form.is_valid():
        unit = _managed_unit(request, form)
        if unit is not None:
            from congdoan.members import tasks

            upload = form.cleaned_data["file"]
            suffix = upload.detected_suffix
            stored = f"{uuid.uuid4().hex}{suffix}"
            with (_import_dir() / stored).open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            name = f"{Path(upload.name).stem or 'members'}{suffix}"
            job = jobs.start(
                CHECK_KIND, _("Check members from %(name)s") % {"name": name}, owner=request.user
            )
            _remember(request, str(job.pk), {"stored": stored, "name": name, "unit": unit.code})
            tasks.check_members_task.enqueue(str(job.pk), stored, name, request.user.pk, unit.code)
            return redirect("members:import_job", job.pk)
    return render(request, "members/import.html", {"form": form})


def _own_job(request: HttpRequest, job_id: Any, *kinds: str) -> Job:
    job = Job.objects.filter(pk=job_id, owner=request.user, kind__in=kinds).first()
    if job is None:
        raise Http404
    return job


def _errors_of(job: Job) -> list[dict[str, Any]]:
    errors = (job.result or {}).get("errors") or []
    return [
        e if isinstance(e, dict) else {"row": "", "column": "", "message": str(e)} for e in errors
    ]


@login_required
def import_job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Progress of a check or an import; when the check is done, its preview or its errors.

    htmx polls the fragment until the job ends; without JavaScript a link reloads the page.
    """
    job = _own_job(request, job_id, CHECK_KIND, IMPORT_KIND)
    result = job.result or {}
    info = _pending(request).get(str(job.pk))
    context = {
        "job": job,
        "result": result,
        "is_check": job.kind == CHECK_KIND,
        "errors": _errors_of(job),
        "can_confirm": bool(
            job.kind == CHECK_KIND and job.status == Job.Status.DONE and result.get("ok") and info
        ),
        "has_file": bool(info or result.get("stored")),
        "unit_code": (info or {}).get("unit") or result.get("unit", ""),
    }
    template = "members/_import_job.html" if request.htmx else "members/import_job.html"
    return render(request, template, context)


@login_required
def import_errors(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The user's own file with a "Lỗi" column saying what is wrong in each bad row."""
    from congdoan.members import imports, tasks

    job = _own_job(request, job_id, CHECK_KIND)
    result = job.result or {}
    info = _pending(request).get(str(job.pk)) or {}
    stored = info.get("stored") or result.get("stored")
    name = info.get("name") or result.get("name") or "doan-vien.xlsx"
    if not stored or not _errors_of(job):
        raise Http404
    prepared = tasks.error_file_path(stored)
    if prepared.exists():  # written by the check, with every error
        data = prepared.read_bytes()
    else:
        path = tasks.stored_path(stored)
        if not path.exists():
            raise Http404
        errors = [
            RowError(int(e.get("row") or 0), str(e.get("column") or ""), str(e.get("message")))
            for e in _errors_of(job)
        ]
        try:
            data = imports.error_workbook(name, path.read_bytes(), errors)
        except TableError:
            raise Http404 from None
    return download(data, f"loi-{Path(name).stem}.xlsx", XLSX)


@login_required
@require_POST
def import_confirm(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Write the checked file: the import is checked again and applied all-or-nothing."""
    from congdoan.members import tasks

    check = _own_job(request, job_id, CHECK_KIND)
    pending = dict(_pending(request))
    info = pending.pop(str(check.pk), None)
    if not info or check.status != Job.Status.DONE or not (check.result or {}).get("ok"):
        messages.error(request, _("The upload has expired; upload the file again."))
        return redirect("members:import")
    unit = _unit_in_scope(request.user, info["unit"], MANAGE_MEMBERS)
    if unit is None:
        raise Http404
    request.session["member_imports"] = pending
    job = jobs.start(
        IMPORT_KIND, _("Import members from %(name)s") % {"name": info["name"]}, owner=request.user
    )
    tasks.import_members_task.enqueue(
        str(job.pk), Path(info["stored"]).name, info["name"], request.user.pk, unit.code
    )
    return redirect("members:import_job", job.pk)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    from congdoan.members import imports

    _need(request.user, MANAGE_MEMBERS)
    return download(imports.template_workbook(), "mau-nhap-doan-vien.xlsx", XLSX)


# --- statistics -------------------------------------------------------------------------


def _percent(value: float) -> str:
    return f"{formats.number_format(value, 1)}%"


def _age_label(label: str) -> str:
    if label.startswith("<"):
        return _("under %(age)s") % {"age": label[1:]}
    if label.endswith("+"):
        return _("%(age)s and over") % {"age": label[:-1]}
    return label.replace("-", "–")


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """Member figures of a union's subtree on a day, with bar charts and an XLSX download."""
    _need(request.user, VIEW_MEMBERS)
    today = timezone.localdate()
    day, date_error = _date_param(request, "as_of", today)
    code = request.GET.get("unit", "").strip()
    if code:
        unit = _unit_in_scope(request.user, code, VIEW_MEMBERS)
        if unit is None:
            raise Http404
    else:
        unit = _home_unit(request.user, VIEW_MEMBERS)
    figures = selectors.stats(unit, day)
    children = selectors.counts_by_child(unit, day)
    if request.GET.get("format") == "xlsx":
        return _stats_xlsx(figures, children)
    if date_error:
        messages.warning(request, date_error)
    men = figures.members - figures.women
    context = {
        "unit": unit,
        "day": day,
        "today": today,
        "figures": figures,
        "women_share": figures.share(figures.women),
        "minority_share": figures.share(figures.minorities),
        "charts": [
            bar_chart(
                _("Age"),
                [
                    (_age_label(label), n, _percent(figures.share(n)))
                    for label, n in figures.age_bands.items()
                ],
            ),
            bar_chart(
                _("Women, men and ethnic minorities"),
                [
                    (_("Women"), figures.women, _percent(figures.share(figures.women))),
                    (_("Men"), men, _percent(figures.share(men))),
                    (
                        _("Ethnic minorities"),
                        figures.minorities,
                        _percent(figures.share(figures.minorities)),
                    ),
                ],
                scale=figures.members,
            ),
        ],
        "child_chart": bar_chart(
            _("Members by union directly below"), [(c.name, n, "") for c, n in children]
        ),
        "children": children,
    }
    return render(request, "members/stats.html", context)


def _stats_xlsx(figures: selectors.Stats, children: list[tuple[Unit, int]]) -> HttpResponse:
    rows: list[list[Any]] = [
        [_("Union"), f"{figures.unit.name} ({figures.unit.code})"],
        [_("As of"), figures.day],
        [_("Members"), figures.members],
        [_("Women"), figures.women],
        [_("Women (%)"), figures.share(figures.women)],
        [_("Ethnic minorities"), figures.minorities],
        [_("Ethnic minorities (%)"), figures.share(figures.minorities)],
    ]
    for label, n in figures.age_bands.items():
        rows.append([_("Age %(band)s") % {"band": _age_label(label)}, n])
    rows.append([_("Joined this year"), figures.new_this_year])
    rows.append([_("Left this year"), figures.left_this_year])
    if children:
        rows.append([])
        rows.append([_("Units directly below"), _("Members")])
        rows.extend([f"{child.name} ({child.code})", n] for child, n in children)
    data = write_xlsx([_("Figure"), _("Value")], rows, title=_("Members"))
    name = f"thong-ke-doan-vien-{figures.unit.code}-{figures.day.isoformat()}.xlsx"
    return download(data, name, XLSX)


# --- union cards ------------------------------------------------------------------------


@login_required
@require_POST
def cards(request: HttpRequest) -> HttpResponse:
    """A PDF of union cards for the members ticked on the list (active members you manage)."""
    from congdoan.members.cards import card_sheet

    _need(request.user, MANAGE_MEMBERS)
    back = reverse("members:list") + (
        "?" + request.POST["query"] if request.POST.get("query") else ""
    )
    ids = [int(v) for v in request.POST.getlist("ids") if v.strip().isdigit()]
    if not ids:
        messages.error(request, _("Tick the members whose cards you want to print."))
        return redirect(back)
    if len(set(ids)) > MAX_CARDS:
        messages.error(request, _("At most %(n)s cards can be printed at once.") % {"n": MAX_CARDS})
        return redirect(back)
    members = list(
        selectors.visible_members(request.user, MANAGE_MEMBERS)
        .filter(pk__in=set(ids), status=Status.ACTIVE)
        .select_related("unit")
        .order_by("name_sort", "id")
    )
    if not members:
        messages.error(request, _("None of the ticked members is an active member you manage."))
        return redirect(back)

    def url_for(member: Member) -> str:
        return request.build_absolute_uri(reverse("card_verify", args=[member.card_token]))

    data = card_sheet(members, url_for)
    return download(data, "the-doan-vien.pdf", PDF, inline=True)


def verify_card(request: HttpRequest, token: str) -> HttpResponse:
    """Public: whether a union card is valid. Only the name, the union and the validity."""
    member = selectors.card_by_token(token)
    if member is None:
        raise Http404
    response = render(request, "members/verify.html", {"card": member})
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


# --- duplicates -------------------------------------------------------------------------

DUPLICATE_FIELDS = (
    ("full_name", gettext_lazy("Full name")),
    ("birth_date", gettext_lazy("Date of birth")),
    ("sex", gettext_lazy("Sex")),
    ("unit", gettext_lazy("Union")),
    ("card_number", gettext_lazy("Card number")),
    ("cccd", gettext_lazy("CCCD")),
    ("phone", gettext_lazy("Phone")),
    ("joined_on", gettext_lazy("Date of joining the union")),
    ("status", gettext_lazy("Status")),
)


def _shown(member: Member, field: str) -> Any:
    if field == "cccd":
        return selectors.masked_cccd(member)
    if field == "phone":
        return selectors.masked_phone(member)
    if field in ("sex", "status"):
        return getattr(member, f"get_{field}_display")()
    if field == "unit":
        return member.unit.name
    value = getattr(member, field)
    if isinstance(value, dt.date):
        return (
            str(value.year)
            if field == "birth_date" and member.birth_year_only
            else (value.strftime("%d/%m/%Y"))
        )
    return value


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    """Possible duplicates (same name and date of birth in two unions), side by side, masked."""
    _need(request.user, VIEW_MEMBERS)
    flags = selectors.open_duplicates(request.user).select_related("member__unit", "other__unit")
    table = Table(
        request,
        flags,
        [Column("flagged_at", _("Flagged"), "flagged_at")],
        default_sort="-flagged_at",
        per_page=20,
    )
    manage = scope_for(request.user, MANAGE_MEMBERS)
    pairs = [
        {
            "flag": flag,
            "rows": [
                (label, _shown(flag.member, field), _shown(flag.other, field))
                for field, label in DUPLICATE_FIELDS
            ],
            "can_resolve": manage.covers(flag.member.unit.path)
            or manage.covers(flag.other.unit.path),
        }
        for flag in table.page
    ]
    return render(
        request,
        "members/duplicates.html",
        {"table": table, "pairs": pairs, "form": ResolveForm()},
    )


@login_required
@require_POST
def resolve_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    flag = selectors.open_duplicates(request.user).filter(pk=pk).first()
    if flag is None:
        raise Http404
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_duplicate(request.user, flag, form.cleaned_data["resolution"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The possible duplicate is closed."))
            return redirect("members:duplicates")
    for field_errors in form.errors.values():
        for error in field_errors:
            messages.error(request, error)
    return redirect("members:duplicates")
