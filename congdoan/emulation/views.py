"""Staff pages of emulation. Thin: reads go through ``selectors``, every change through
``services``, so the pages, the API and the commands behave the same. A unit or record out of
the user's scope answers 404; a step the user's role does not allow answers 403.

This block: initiatives (submit, mine, one with its council and decision, certificate),
scoring for council members, councils, awards, the "Lao động sáng tạo" candidates and
proposals, reports with charts and XLSX. Movements and contests: below the marker.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.accounts.permissions import (
    MANAGE_EMULATION,
    SUBMIT_INITIATIVES,
    VIEW_EMULATION,
)
from congdoan.accounts.selectors import can, home_units, scope_for
from congdoan.core.charts import bar_chart
from congdoan.core.forms import add_service_errors
from congdoan.core.http import PDF, XLSX, download, error_messages
from congdoan.core.params import date_param
from congdoan.core.tables import Column, Table
from congdoan.core.tabular import write_xlsx
from congdoan.core.text import vnd
from congdoan.emulation import printing, selectors, services
from congdoan.emulation.forms import (
    PHASE_FIELDS,
    AdvanceForm,
    AssignJurorsForm,
    AuthorFormSet,
    AwardGiveForm,
    ContestForm,
    CouncilForm,
    CouncilMemberForm,
    CouncilScoreForm,
    EntryForm,
    InitiativeDecisionForm,
    InitiativeForm,
    MovementForm,
    PhaseDatesForm,
    PrizeForm,
    ProposalApproveForm,
    ProposalRejectForm,
    PutBeforeForm,
    RegistrationForm,
    ReviewForm,
    ScoreForm,
    author_rows,
)
from congdoan.emulation.models import AwardForm, ContestPhase, Initiative, Proposal
from congdoan.members import selectors as member_selectors
from congdoan.org import selectors as org_selectors
from congdoan.org.models import Unit

UNIT_CHOICES_MAX = 400


# --- helpers --------------------------------------------------------------------------------


def _need(user: Any, permission: str = VIEW_EMULATION) -> None:
    """Pages of a kind the user has no right to anywhere look absent."""
    if scope_for(user, permission).is_empty:
        raise Http404


def _units_with(user: Any, permission: str) -> list[Unit]:
    """Units in the user's scope for ``permission``, highest first, down to two levels below
    their own units (a long list is cut)."""
    homes = selectors.emulation_units(user, permission)
    if not homes:
        return []
    depth = min(u.depth for u in homes) + 2
    units = (
        org_selectors.visible_units(user, permission)
        .filter(valid_to__isnull=True, depth__lte=depth)
        .order_by("path")[:UNIT_CHOICES_MAX]
    )
    return list(units)


def _unit_param(request: HttpRequest, permission: str = VIEW_EMULATION) -> Unit:
    """The unit in ``?unit=CODE`` (404 when out of scope), else the user's first unit."""
    code = request.GET.get("unit", "").strip()
    if code:
        return org_selectors.get_unit(request.user, code, permission)
    units = selectors.emulation_units(request.user, permission)
    if not units:
        raise Http404
    return units[0]


def _year_param(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 1990 <= year <= 2100 else default


# --- home -----------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The emulation start page: what the user may do, with what waits for them."""
    user = request.user
    if not selectors.sees_emulation(user):
        raise Http404
    context = {
        "can_view": not scope_for(user, VIEW_EMULATION).is_empty,
        "can_submit": not scope_for(user, SUBMIT_INITIATIVES).is_empty,
        "can_manage": not scope_for(user, MANAGE_EMULATION).is_empty,
        "to_score": len(selectors.initiatives_to_score(user)),
        "mine": selectors.initiatives(user, mine=True).count(),
        "waiting": selectors.proposals_inbox(user).filter(status=Proposal.Status.SUBMITTED).count(),
        "jury": selectors.rounds_to_judge(user),
    }
    context["jury_left"] = sum(r.pending for r in context["jury"])
    return render(request, "emulation/home.html", context)


# --- initiatives ----------------------------------------------------------------------------


def _initiative_table(request: HttpRequest, found: Any) -> Table:
    columns = [
        Column("name", _("name of the initiative"), "name"),
        Column("unit", _("addressed to"), "unit__name"),
        Column("year", _("year"), "year"),
        Column("status", _("status"), "status"),
        Column("benefit", _("benefit recognised (VND)"), "benefit_vnd"),
    ]
    return Table(request, found, columns, per_page=50)


@login_required
def initiative_list(request: HttpRequest) -> HttpResponse:
    """Initiatives of a unit's subtree, filtered by status, year and words of the name."""
    _need(request.user)
    unit = _unit_param(request)
    status = request.GET.get("status", "")
    if status not in Initiative.Status.values:
        status = ""
    year = _year_param(request, 0) if request.GET.get("year") else None
    q = request.GET.get("q", "")
    found = selectors.initiatives(request.user, unit=unit, status=status, year=year, q=q)
    context = {
        "unit": unit,
        "units": selectors.emulation_units(request.user),
        "table": _initiative_table(request, found),
        "statuses": Initiative.Status.choices,
        "status": status,
        "year": year or "",
        "q": q,
        "here": "initiatives",
    }
    return render(request, "emulation/initiative_list.html", context)


@login_required
def my_initiatives(request: HttpRequest) -> HttpResponse:
    """The applications the user submitted, with where each stands."""
    if not selectors.sees_emulation(request.user):
        raise Http404
    found = selectors.initiatives(request.user, mine=True)
    context = {"table": _initiative_table(request, found), "here": "mine", "mine": True}
    return render(request, "emulation/initiative_list.html", context)


@login_required
def initiative_new(request: HttpRequest) -> HttpResponse:
    """The application form (TT 18/2013, Phụ lục I) with rows for the authors."""
    user = request.user
    _need(user, SUBMIT_INITIATIVES)
    units = _units_with(user, SUBMIT_INITIATIVES)
    if request.method == "POST":
        form = InitiativeForm(request.POST, units=units)
        formset = AuthorFormSet(request.POST, prefix="authors")
        if form.is_valid() and formset.is_valid():
            unit = next(u for u in units if u.code == form.cleaned_data["unit"])
            data = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
            try:
                initiative = services.submit_initiative(user, unit, data, author_rows(formset))
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    errors = exc.message_dict
                    author_errors = errors.pop("authors", [])
                    if errors:
                        add_service_errors(form, ValidationError(errors))
                else:
                    add_service_errors(form, exc)
            else:
                messages.success(request, _("The application was submitted."))
                return redirect("emulation:initiative", initiative.pk)
        else:
            author_errors = []
    else:
        form = InitiativeForm(units=units, initial={"unit": request.GET.get("unit", "")})
        formset = AuthorFormSet(prefix="authors", initial=[{"contribution": "100"}])
        author_errors = []
    context = {
        "form": form,
        "formset": formset,
        "author_errors": author_errors,
        "here": "new",
    }
    return render(request, "emulation/initiative_form.html", context)


@login_required
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One application: its fields and authors, the council and its scores, the decision,
    the history; the steps the user may take."""
    return _initiative_page(request, selectors.get_initiative(request.user, pk))


def _initiative_page(
    request: HttpRequest,
    initiative: Initiative,
    *,
    decision_form: InitiativeDecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    manages = initiative.council is not None and can(
        user, MANAGE_EMULATION, initiative.council.unit.path
    )
    seat = selectors.seat_for(user, initiative)
    conflict = seat is not None and selectors.council_member_is_author(seat, initiative)
    councils = (
        selectors.councils_for(user, initiative)
        if initiative.status == Initiative.Status.SUBMITTED
        else []
    )
    sheet = selectors.score_sheet(initiative) if (manages or seat) else None
    if sheet is not None and not manages:
        # A council member sees their own scores and the council's means, not each other's.
        sheet.rows = [r for r in sheet.rows if r.seat.pk == seat.pk]
    context = {
        "initiative": initiative,
        "authors": selectors.initiative_authors(initiative),
        "history": selectors.initiative_history(initiative),
        "sheet": sheet,
        "seat": seat,
        "conflict": conflict,
        "can_score": seat is not None
        and not conflict
        and initiative.status == Initiative.Status.REVIEW,
        "can_decide": manages and initiative.status == Initiative.Status.REVIEW,
        "decision_form": decision_form
        or InitiativeDecisionForm(initial={"decided_on": timezone.localdate()}),
        "put_form": PutBeforeForm(councils=councils) if councils else None,
        "recognised": initiative.status == Initiative.Status.RECOGNISED,
    }
    return render(request, "emulation/initiative_detail.html", context, status=status)


@login_required
@require_POST
def initiative_put_before(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a submitted application before a council."""
    initiative = selectors.get_initiative(request.user, pk)
    councils = selectors.councils_for(request.user, initiative)
    form = PutBeforeForm(request.POST, councils=councils)
    if not councils:
        raise PermissionDenied
    if form.is_valid():
        council = next(c for c in councils if str(c.pk) == form.cleaned_data["council"])
        try:
            services.put_before_council(request.user, initiative, council)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("The application is before the council."))
    return redirect("emulation:initiative", initiative.pk)


@login_required
def initiative_score(request: HttpRequest, pk: int) -> HttpResponse:
    """The calling council member's scores of an application before their council."""
    user = request.user
    initiative = selectors.get_initiative(user, pk)
    seat = selectors.seat_for(user, initiative)
    if seat is None or initiative.status != Initiative.Status.REVIEW:
        raise Http404
    if selectors.council_member_is_author(seat, initiative):
        raise PermissionDenied(_("A council member never scores their own initiative."))
    sheet = selectors.score_sheet(initiative)
    mine = next((r for r in sheet.rows if r.seat.pk == seat.pk), None)
    if request.method == "POST":
        form = CouncilScoreForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.score_initiative(user, initiative, data, data.get("note", ""))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your scores were saved."))
                return redirect("emulation:to_score")
    else:
        initial = dict(mine.scores) if mine else {}
        initial["note"] = mine.note if mine else ""
        form = CouncilScoreForm(initial=initial)
    context = {
        "initiative": initiative,
        "authors": selectors.initiative_authors(initiative),
        "form": form,
        "seat": seat,
    }
    return render(request, "emulation/initiative_score.html", context)


@login_required
def to_score(request: HttpRequest) -> HttpResponse:
    """The applications before the councils the user sits on, that they may score."""
    items = selectors.initiatives_to_score(request.user)
    if not items and not selectors.sees_emulation(request.user):
        raise Http404
    return render(request, "emulation/to_score.html", {"items": items, "here": "score"})


@login_required
@require_POST
def initiative_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision on an application before a council (managers of the council's unit)."""
    user = request.user
    initiative = selectors.get_initiative(user, pk)
    form = InitiativeDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_initiative(
                user,
                initiative,
                recognised=data["recognised"],
                decided_on=data["decided_on"],
                decision_reference=data["decision_reference"],
                reasons=data["reasons"],
                benefit_vnd=data["benefit_vnd"],
                scope=data["scope"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("emulation:initiative", initiative.pk)
    return _initiative_page(request, initiative, decision_form=form, status=400)


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The recognition certificate (PDF) of a recognised initiative."""
    initiative = selectors.get_initiative(request.user, pk)
    if initiative.status != Initiative.Status.RECOGNISED:
        raise Http404
    data = printing.certificate_pdf(initiative, selectors.initiative_authors(initiative))
    return download(data, f"chung-nhan-sang-kien-{initiative.pk}.pdf", PDF, inline=True)


@login_required
def member_initiatives(request: HttpRequest, pk: int) -> HttpResponse:
    """The initiatives a member of the registry is an author of."""
    member = member_selectors.get_member(request.user, pk)
    found = selectors.initiatives_of_member(request.user, member)
    return render(
        request, "emulation/member_initiatives.html", {"member": member, "initiatives": found}
    )


# --- councils -------------------------------------------------------------------------------


@login_required
def council_list(request: HttpRequest) -> HttpResponse:
    """The councils the user sees, and setting up a new one (managers)."""
    user = request.user
    if not selectors.sees_emulation(user):
        raise Http404
    units = _units_with(user, MANAGE_EMULATION)
    form = None
    if units:
        form = CouncilForm(
            request.POST or None,
            units=units,
            initial={"year": timezone.localdate().year},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            unit = next(u for u in units if u.code == data["unit"])
            try:
                council = services.create_council(
                    user,
                    unit,
                    name=data["name"],
                    year=data["year"],
                    established_by=data["established_by"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The council was set up."))
                return redirect("emulation:council", council.pk)
    elif request.method == "POST":
        raise PermissionDenied
    councils = selectors.visible_councils(user).order_by("-year", "name")[:200]
    return render(
        request,
        "emulation/council_list.html",
        {"councils": councils, "form": form, "here": "councils"},
    )


@login_required
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A council: its members (seating one, for managers) and the applications before it."""
    user = request.user
    council = selectors.get_council(user, pk)
    manages = can(user, MANAGE_EMULATION, council.unit.path)
    form = CouncilMemberForm(request.POST or None) if manages else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            person = get_user_model().objects.filter(username=data["username"].strip()).first()
            try:
                if person is None:
                    raise ValidationError(
                        {
                            "username": _("No user has the name “%(name)s”.")
                            % {"name": data["username"]}
                        }
                    )
                services.add_council_member(
                    user, council, person, role=data["role"], member=data["member"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The council member was added."))
                return redirect("emulation:council", council.pk)
    context = {
        "council": council,
        "members": selectors.council_members(council),
        "initiatives": council.initiatives.select_related("unit").order_by("-submitted_at"),
        "form": form,
        "here": "councils",
    }
    return render(request, "emulation/council_detail.html", context)


# --- awards ---------------------------------------------------------------------------------


def _period(request: HttpRequest, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    start, error_from = date_param(request, "from", start)
    end, error_to = date_param(request, "to", end)
    for error in (error_from, error_to):
        if error:
            messages.warning(request, error)
    if end < start:
        messages.warning(request, _("The end of the period is before its start."))
    return start, end


@login_required
def award_list(request: HttpRequest) -> HttpResponse:
    """Awards in a unit's subtree over a period, by form; XLSX on request."""
    user = request.user
    _need(user)
    unit = _unit_param(request)
    today = timezone.localdate()
    start, end = _period(request, dt.date(today.year - 4, 1, 1), today)
    form_code = request.GET.get("form", "")
    found = selectors.awards(user, unit=unit, start=start, end=end, form=form_code)
    if request.GET.get("format") == "xlsx":
        rows = [
            [
                a.form.name,
                a.person_name,
                a.unit.name,
                a.granted_by.name,
                a.decision_reference,
                a.decided_on,
                a.year,
                a.reason,
            ]
            for a in found
        ]
        headers = [
            _("title or form"),
            _("person"),
            _("unit"),
            _("granted by"),
            _("decision"),
            _("decided on"),
            _("year"),
            _("for"),
        ]
        data = write_xlsx(headers, rows, title=_("Awards"))
        return download(data, f"khen-thuong-{unit.code}.xlsx", XLSX)
    table = Table(
        request,
        found,
        [
            Column("decided_on", _("decided on"), "decided_on"),
            Column("form", _("title or form"), "form__order"),
            Column("recipient", _("person or unit")),
            Column("granted_by", _("granted by"), "granted_by__name"),
            Column("decision", _("decision")),
        ],
        per_page=50,
    )
    context = {
        "unit": unit,
        "units": selectors.emulation_units(user),
        "table": table,
        "start": start,
        "end": end,
        "forms": selectors.award_forms(),
        "form_code": form_code,
        "can_give": bool(selectors.emulation_units(user, MANAGE_EMULATION)),
        "here": "awards",
    }
    return render(request, "emulation/award_list.html", context)


@login_required
def award_new(request: HttpRequest) -> HttpResponse:
    """Record a title or form of commendation with its deciding document."""
    user = request.user
    _need(user, MANAGE_EMULATION)
    units = _units_with(user, MANAGE_EMULATION)
    form = AwardGiveForm(
        request.POST or None,
        units=units,
        initial={"decided_on": timezone.localdate(), "granted_by": units[0].code if units else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = None
            if data["member"]:
                member = services.member_for(user, data["member"])
                if member is None:
                    raise ValidationError(
                        {
                            "member": _(
                                "No member of the registry in your units has the number %(id)s."
                            )
                            % {"id": data["member"]}
                        }
                    )
            granted_by = Unit.objects.filter(code=data["granted_by"].strip()).first()
            if granted_by is None:
                raise ValidationError(
                    {
                        "granted_by": _("No unit has the code “%(code)s”.")
                        % {"code": data["granted_by"]}
                    }
                )
            unit = next((u for u in units if u.code == data["unit"]), None)
            award = services.give_award(
                user,
                form=data["form"],
                granted_by=granted_by,
                decided_on=data["decided_on"],
                decision_reference=data["decision_reference"],
                unit=unit,
                member=member,
                person_name=data["person_name"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The award was recorded."))
            return redirect(reverse("emulation:awards") + f"?unit={award.unit.code}")
    return render(request, "emulation/award_form.html", {"form": form, "here": "awards"})


# --- "Lao động sáng tạo" candidates and proposals -------------------------------------------


@login_required
def candidates(request: HttpRequest) -> HttpResponse:
    """Who qualifies for "Lao động sáng tạo" under a unit in a year, and why; managers make a
    proposal to the unit above from the ones they tick."""
    user = request.user
    _need(user)
    unit = _unit_param(request)
    year = _year_param(request, timezone.localdate().year)
    try:
        rule = selectors.rule_for(selectors.LDST_RULE, year)
    except Http404:
        rule = None
    found = selectors.lao_dong_sang_tao_candidates(user, unit, year) if rule else []
    can_propose = can(user, MANAGE_EMULATION, unit.path) and unit.parent_id is not None
    if request.method == "POST":
        if not can_propose:
            raise PermissionDenied
        keys = set(request.POST.getlist("candidates"))
        chosen = [c.as_proposal() for c in found if c.key in keys]
        form = AwardForm.objects.get(code=selectors.LDST_FORM)
        try:
            proposal = services.create_proposal(
                user,
                unit,
                form=form,
                year=year,
                candidates=chosen,
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("The proposal was drafted; check it and send it."))
            return redirect("emulation:proposal", proposal.pk)
    context = {
        "unit": unit,
        "units": selectors.emulation_units(user),
        "year": year,
        "rule": rule,
        "candidates": found,
        "can_propose": can_propose,
        "here": "candidates",
    }
    return render(request, "emulation/candidates.html", context)


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    """Proposals sent up to the user's units (the inbox) and those of their units."""
    _need(request.user)
    context = {
        "inbox": selectors.proposals_inbox(request.user)[:200],
        "sent": selectors.proposals_sent(request.user)[:200],
        "here": "proposals",
    }
    return render(request, "emulation/proposal_list.html", context)


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposal with its candidates and why; its steps (send, approve, reject)."""
    return _proposal_page(request, selectors.get_proposal(request.user, pk))


def _proposal_page(
    request: HttpRequest,
    proposal: Proposal,
    *,
    approve_form: ProposalApproveForm | None = None,
    reject_form: ProposalRejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    submitted = proposal.status == Proposal.Status.SUBMITTED
    decides = submitted and can(user, MANAGE_EMULATION, proposal.to_unit.path)
    context = {
        "proposal": proposal,
        # The candidates as stored (JSON): the date of birth back to a date, shown dd/mm/yyyy.
        "candidates": [
            {**c, "birth_date": parse_date(c["birth_date"]) if c.get("birth_date") else None}
            for c in proposal.candidates
        ],
        "can_send": proposal.status == Proposal.Status.DRAFT
        and can(user, MANAGE_EMULATION, proposal.from_unit.path),
        "can_decide": decides,
        "approve_form": approve_form
        or ProposalApproveForm(initial={"decided_on": timezone.localdate()}),
        "reject_form": reject_form or ProposalRejectForm(),
        "awards": selectors.proposal_awards(proposal),
        "history": selectors.proposal_history(proposal),
        "here": "proposals",
    }
    return render(request, "emulation/proposal_detail.html", context, status=status)


@login_required
@require_POST
def proposal_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Send (from the proposing unit), approve or reject (the unit above)."""
    user = request.user
    proposal = selectors.get_proposal(user, pk)
    try:
        if step == "send":
            services.submit_proposal(user, proposal)
            messages.success(request, _("The proposal was sent."))
        elif step == "approve":
            form = ProposalApproveForm(request.POST)
            if not form.is_valid():
                return _proposal_page(request, proposal, approve_form=form, status=400)
            try:
                awards = services.approve_proposal(user, proposal, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
                return _proposal_page(request, proposal, approve_form=form, status=400)
            messages.success(
                request, _("Approved: %(n)s awards were recorded.") % {"n": len(awards)}
            )
        elif step == "reject":
            form = ProposalRejectForm(request.POST)
            if not form.is_valid():
                return _proposal_page(request, proposal, reject_form=form, status=400)
            services.reject_proposal(user, proposal, form.cleaned_data["note"])
            messages.success(request, _("The proposal was rejected."))
        else:
            raise Http404
    except ValidationError as exc:
        error_messages(request, exc)
    return redirect("emulation:proposal", proposal.pk)


# --- reports --------------------------------------------------------------------------------


def _million(amount: int) -> str:
    return _("%(n)s million VND") % {"n": vnd(round(amount / 1_000_000))}


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Emulation figures of a unit's subtree over a period, with bar charts and an XLSX."""
    user = request.user
    _need(user)
    unit = _unit_param(request)
    today = timezone.localdate()
    start, end = _period(request, dt.date(today.year, 1, 1), today)
    figures = selectors.report(user, unit, start, end)
    if request.GET.get("format") == "xlsx":
        return _report_xlsx(figures)
    charts = [
        bar_chart(
            _("Initiatives recognised by year"),
            [(str(r.year), r.recognised, _million(r.benefit_vnd)) for r in figures.by_year],
        ),
        bar_chart(
            _("Initiatives recognised by unit directly below"),
            [(r.unit.name, r.recognised, _million(r.benefit_vnd)) for r in figures.by_unit],
        ),
        bar_chart(_("Honours by form"), [(f.name, n, "") for f, n in figures.awards_by_form]),
    ]
    if figures.movements:
        charts.append(
            bar_chart(
                _("Registrations by movement"),
                [(m["name"], m["units"] + m["people"], "") for m in figures.movements],
            )
        )
    context = {
        "unit": unit,
        "units": selectors.emulation_units(user),
        "figures": figures,
        "charts": charts,
        "here": "report",
    }
    return render(request, "emulation/report.html", context)


def _report_xlsx(figures: selectors.Report) -> HttpResponse:
    rows: list[list[Any]] = [
        [_("Unit"), f"{figures.unit.name} ({figures.unit.code})"],
        [_("From"), figures.start],
        [_("To"), figures.end],
        [_("Applications submitted"), figures.submitted],
        [_("Initiatives recognised"), figures.recognised],
        [_("Not recognised"), figures.not_recognised],
        [_("Benefit of the initiatives recognised (VND)"), figures.benefit_vnd],
        [_("Awards"), figures.awards_total],
        [_("People honoured “Lao động sáng tạo”"), figures.ldst_people],
        [],
        [_("Year"), _("Applications submitted"), _("Initiatives recognised"), _("Benefit (VND)")],
    ]
    rows.extend([r.year, r.submitted, r.recognised, r.benefit_vnd] for r in figures.by_year)
    rows.append([])
    rows.append(
        [_("Unit"), _("Applications submitted"), _("Initiatives recognised"),
         _("Benefit (VND)"), _("Awards")]
    )  # fmt: skip
    rows.extend(
        [f"{r.unit.name} ({r.unit.code})", r.submitted, r.recognised, r.benefit_vnd, r.awards]
        for r in figures.by_unit
    )
    rows.append([])
    rows.append([_("Title or form"), _("Awards")])
    rows.extend([f.name, n] for f, n in figures.awards_by_form)
    if figures.movements:
        rows.append([])
        rows.append([_("Movement"), _("Units registered"), _("People registered")])
        rows.extend([m["name"], m["units"], m["people"]] for m in figures.movements)
    data = write_xlsx([_("Figure"), _("Value")], rows, title=_("Emulation"))
    name = f"thi-dua-{figures.unit.code}-{figures.start.isoformat()}-{figures.end.isoformat()}"
    return download(data, f"{name}.xlsx", XLSX)


# --- movements and contests (below)

# Movements and contests: the organiser's pages (launch, registrations, reviews; contests
# with phases, entries, jurors, progress, ranking, advancing, prizes), the juror's pages
# (only what is assigned to them), the entrant's page and the public results page.
# Helpers of this block start with ``_mc_``.


def _mc_managed_units(user: Any) -> list[Any]:
    return [u for u in home_units(user) if can(user, MANAGE_EMULATION, u.path) and u.is_active]


def _mc_pick(units: list[Any], code: str) -> Any:
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise Http404
    return unit


# --- movements ------------------------------------------------------------------------------


@login_required
def movement_list(request: HttpRequest) -> HttpResponse:
    movements = selectors.visible_movements(request.user).order_by("-starts_on", "name")
    return render(
        request,
        "emulation/movements/list.html",
        {"movements": movements, "can_launch": bool(_mc_managed_units(request.user))},
    )


@login_required
def movement_new(request: HttpRequest) -> HttpResponse:
    units = _mc_managed_units(request.user)
    if not units:
        raise Http404
    form = MovementForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = _mc_pick(units, data.pop("unit"))
        try:
            movement = services.launch_movement(request.user, unit, data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The movement was launched."))
            return redirect("emulation:movement", movement.pk)
    return render(request, "emulation/movements/form.html", {"form": form})


@login_required
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    movement = selectors.get_movement(user, pk)
    registrations = selectors.movement_registrations(user, movement)
    return render(
        request,
        "emulation/movements/detail.html",
        {
            "movement": movement,
            "criteria": [c for c in movement.criteria.splitlines() if c.strip()],
            "registrations": [(r, services.registrant_name(r)) for r in registrations],
            "reviews": selectors.movement_reviews(user, movement),
            "manages": selectors.manages(user, movement),
            "can_register": bool(selectors.registrable_units(user, movement)),
        },
    )


@login_required
def movement_register(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    movement = selectors.get_movement(user, pk)
    units = selectors.registrable_units(user, movement)
    if not units:
        raise PermissionDenied
    form = RegistrationForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = _mc_pick(units, data["unit"])
        member = None
        if data["member"]:
            try:
                member = selectors.find_member(user, data["member"])
            except Http404:
                form.add_error("member", _("No single active member has this CCCD or card."))
        if not form.errors:
            try:
                services.register_for_movement(
                    user,
                    movement,
                    unit=unit if member is None else None,
                    member=member,
                    target=data["target"],
                    commitments=data["commitments"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The registration was recorded."))
                return redirect("emulation:movement", movement.pk)
    return render(
        request, "emulation/movements/register.html", {"movement": movement, "form": form}
    )


@login_required
def movement_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    movement = selectors.get_movement(user, pk)
    if not selectors.manages(user, movement):
        raise PermissionDenied
    registrations = selectors.movement_registrations(user, movement)
    form = ReviewForm(request.POST or None, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(
                user,
                movement,
                kind=form.cleaned_data["kind"],
                held_on=form.cleaned_data["held_on"],
                summary=form.cleaned_data["summary"],
                results=form.results(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review was recorded."))
            return redirect("emulation:movement", movement.pk)
    rows = [{**row, "name": services.registrant_name(row["registration"])} for row in form.rows()]
    return render(
        request,
        "emulation/movements/review.html",
        {"movement": movement, "form": form, "rows": rows},
    )


# --- contests: organiser and entrant ------------------------------------------------------------


@login_required
def contest_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "emulation/contests/list.html",
        {
            "contests": selectors.visible_contests(user).order_by("-created_at"),
            "to_judge": selectors.rounds_to_judge(user),
            "can_create": bool(_mc_managed_units(user)),
        },
    )


def _mc_phase_dates(form: PhaseDatesForm) -> list[services.PhaseDates]:
    return [services.PhaseDates(k, start, end) for k, start, end in form.phases()]


@login_required
def contest_new(request: HttpRequest) -> HttpResponse:
    units = _mc_managed_units(request.user)
    if not units:
        raise Http404
    form = ContestForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contest = services.create_contest(
                request.user,
                _mc_pick(units, data["unit"]),
                data,
                criteria=form.criteria_list(),
                phases=_mc_phase_dates(form),
                rounds=form.round_names(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"phases": "__all__"})
        else:
            messages.success(request, _("The contest was created."))
            return redirect("emulation:contest", contest.pk)
    return render(request, "emulation/contests/form.html", {"form": form})


@login_required
def contest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contest = selectors.get_contest(user, pk)
    organiser = selectors.organises(user, contest)
    phases = list(contest.phases.all())
    current = selectors.current_phase(contest)
    return render(
        request,
        "emulation/contests/detail.html",
        {
            "contest": contest,
            "phases": phases,
            "current": current,
            "criteria": list(contest.criteria.all()),
            "organiser": organiser,
            "manages": selectors.manages(user, contest),
            "rounds": selectors.contest_overview(contest) if organiser else [],
            "entries": selectors.contest_entries(user, contest),
            "prizes": selectors.prizes(contest),
            "takes_entries": selectors.takes_entries(contest),
            "can_submit": bool(selectors.registrable_units(user, contest)),
            "published": selectors.results_published(contest),
        },
    )


@login_required
def contest_phases(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contest = selectors.get_organised_contest(user, pk)
    if not selectors.manages(user, contest):
        raise PermissionDenied
    phases = list(contest.phases.all())
    initial = {}
    names = dict(PHASE_FIELDS)
    for phase in phases:
        initial[f"{names[phase.kind]}_from"] = phase.starts_on
        initial[f"{names[phase.kind]}_to"] = phase.ends_on
    kinds = [p.kind for p in phases]
    if request.method == "POST" and request.POST.get("action") == "advance":
        try:
            phase = services.advance_phase(user, contest)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(
                request, _("Phase “%(phase)s” starts today.") % {"phase": phase.get_kind_display()}
            )
        return redirect("emulation:contest_phases", contest.pk)
    form = PhaseDatesForm(request.POST or None, initial=initial, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_phase_dates(user, contest, _mc_phase_dates(form))
        except ValidationError as exc:
            add_service_errors(form, exc, {"phases": "__all__"})
        else:
            messages.success(request, _("The phase dates were saved."))
            return redirect("emulation:contest", contest.pk)
    return render(
        request,
        "emulation/contests/phases.html",
        {
            "contest": contest,
            "form": form,
            "phases": phases,
            "current": selectors.current_phase(contest),
        },
    )


@login_required
def entry_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contest = selectors.get_contest(user, pk)
    units = selectors.registrable_units(user, contest)
    if not units:
        raise PermissionDenied
    form = EntryForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["unit"] = _mc_pick(units, data["unit"])
        authors, initiative = [], None
        for key in form.member_keys():
            try:
                authors.append(selectors.find_member(user, key))
            except Http404:
                form.add_error(
                    "members",
                    _("No single active member has the CCCD or card “%(key)s”.") % {"key": key},
                )
        if data.get("initiative"):
            try:
                initiative = selectors.visible_initiative(user, data["initiative"])
            except Http404:
                form.add_error("initiative", _("No such initiative in your units."))
        if not form.errors:
            try:
                services.submit_entry(user, contest, data, authors=authors, initiative=initiative)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The entry was submitted."))
                return redirect("emulation:contest", contest.pk)
    return render(
        request,
        "emulation/contests/entry_form.html",
        {
            "contest": contest,
            "form": form,
            "open": selectors.takes_entries(contest),
            "submission": selectors.phase_of_kind(contest, ContestPhase.Kind.SUBMISSION),
        },
    )


def _mc_round_page(
    request: HttpRequest,
    contest: Any,
    contest_round: Any,
    *,
    assign_form: AssignJurorsForm | None = None,
    advance_form: AdvanceForm | None = None,
) -> HttpResponse:
    user = request.user
    manages = selectors.manages(user, contest)
    candidates = selectors.juror_candidates(contest)
    following = selectors.next_round(contest_round)
    ranking = selectors.rank_round(contest_round)
    progress = selectors.juror_progress(contest_round)
    return render(
        request,
        "emulation/contests/round.html",
        {
            "contest": contest,
            "round": contest_round,
            "rounds": list(contest.rounds.all()),
            "next_round": following,
            "ranking": ranking,
            "progress": progress,
            "pending": sum(p.pending for p in progress),
            "manages": manages,
            "open": contest_round.closed_at is None,
            "assign_form": assign_form or AssignJurorsForm(candidates=candidates),
            "advance_form": advance_form or AdvanceForm(),
        },
    )


@login_required
def round_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    contest = selectors.get_organised_contest(request.user, pk)
    return _mc_round_page(request, contest, selectors.get_round(contest, number))


@login_required
@require_POST
def round_assign(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = request.user
    contest = selectors.get_organised_contest(user, pk)
    contest_round = selectors.get_round(contest, number)
    form = AssignJurorsForm(request.POST, candidates=selectors.juror_candidates(contest))
    if form.is_valid():
        jurors, unknown = selectors.find_users(form.usernames())
        if unknown:
            form.add_error(
                "others", _("Unknown user names: %(names)s.") % {"names": ", ".join(unknown)}
            )
        else:
            try:
                report = services.assign_jurors(
                    user, contest_round, jurors, per_entry=form.cleaned_data["per_entry"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc, {"jurors": "others"})
            else:
                for line in report.messages():
                    messages.info(request, line)
                return redirect("emulation:round", contest.pk, contest_round.number)
    return _mc_round_page(request, contest, contest_round, assign_form=form)


@login_required
@require_POST
def round_advance(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = request.user
    contest = selectors.get_organised_contest(user, pk)
    contest_round = selectors.get_round(contest, number)
    form = AdvanceForm(request.POST)
    if form.is_valid():
        try:
            chosen = services.advance(user, contest_round, form.cleaned_data["top"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(count)s entries go on to round %(number)s.")
                % {"count": len(chosen), "number": contest_round.number + 1},
            )
            return redirect("emulation:round", contest.pk, contest_round.number + 1)
    return _mc_round_page(request, contest, contest_round, advance_form=form)


@login_required
def contest_prizes(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contest = selectors.get_organised_contest(user, pk)
    if not selectors.manages(user, contest):
        raise PermissionDenied
    last = contest.rounds.order_by("-number").first()
    finalists = selectors.rank_round(last) if last else []
    form = PrizeForm(request.POST or None, entries=[r.entry for r in finalists])
    if request.method == "POST" and form.is_valid():
        entry = next(r.entry for r in finalists if str(r.entry.pk) == form.cleaned_data["entry"])
        try:
            services.award_prize(
                user, contest, entry, form.cleaned_data["rank"], form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The prize was recorded."))
            return redirect("emulation:contest_prizes", contest.pk)
    phase = selectors.current_phase(contest)
    return render(
        request,
        "emulation/contests/prizes.html",
        {
            "contest": contest,
            "form": form,
            "finalists": finalists,
            "prizes": selectors.prizes(contest),
            "in_awards": phase is not None and phase.kind == ContestPhase.Kind.AWARDS,
            "awards": selectors.phase_of_kind(contest, ContestPhase.Kind.AWARDS),
        },
    )


# --- contests: jurors ---------------------------------------------------------------------------


@login_required
def jury_home(request: HttpRequest) -> HttpResponse:
    """The rounds in which the user has entries to score."""
    return render(
        request,
        "emulation/contests/jury.html",
        {"to_judge": selectors.rounds_to_judge(request.user)},
    )


@login_required
def jury_round(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Only the entries of the round assigned to the user, with their own progress."""
    contest = selectors.judged_contest(request.user, pk)
    contest_round = selectors.get_round(contest, number)
    items = selectors.entries_to_score(request.user, contest_round)
    scored = sum(1 for item in items if item.complete)
    return render(
        request,
        "emulation/contests/jury_round.html",
        {
            "contest": contest,
            "round": contest_round,
            "items": items,
            "scored": scored,
            "pending": len(items) - scored,
        },
    )


@login_required
def jury_score(request: HttpRequest, pk: int, number: int, entry: int) -> HttpResponse:
    user = request.user
    contest = selectors.judged_contest(user, pk)
    contest_round = selectors.get_round(contest, number)
    item = selectors.entry_to_score(user, contest_round, entry)
    criteria = list(contest.criteria.all())
    initial = {f"criterion_{pk}": score for pk, score in item.scores.items()}
    initial["note"] = item.note
    form = ScoreForm(
        request.POST or None, initial=initial, criteria=criteria, scale_max=contest.scale_max
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.score_entry(user, item.assignment, form.scores(), form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your scores for “%(title)s” were saved.") % {"title": item.entry.title}
            )
            return redirect("emulation:jury_round", contest.pk, contest_round.number)
    return render(
        request,
        "emulation/contests/score.html",
        {
            "contest": contest,
            "round": contest_round,
            "item": item,
            "form": form,
            "open": contest_round.closed_at is None,
        },
    )


# --- contests: public results ---------------------------------------------------------------


def contest_results(request: HttpRequest, slug: str) -> HttpResponse:
    """Public, no login: a public contest's prizes with the entries, authors and units."""
    contest = selectors.public_contest(slug)
    return render(
        request,
        "emulation/contests/results.html",
        {"contest": contest, "prizes": selectors.prizes(contest)},
    )
