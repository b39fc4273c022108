"""Emulation in the JSON API (mounted at ``/api/v1/``).

This block: ``/initiatives`` (list, submit, one, put before a council, the calling council
member's scores, the decision), ``/awards`` (list with ``unit``, ``from``, ``to``; record one)
and ``/emulation/report``. Movements and contests: below the marker.

Reads go through the selectors (scoped to the caller; out of scope answers 404), changes
through the services (a broken rule answers 400 with the messages per field — an author row
is named: "author 2: …" — a missing right 403). A unit code in a request body that is unknown
or out of the caller's scope answers 400 naming the field; in the query string 404.

No ``from __future__ import annotations`` here: ninja resolves the annotations of a paginated
view in the pagination module's namespace, so they must be real objects, not strings.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from congdoan.accounts.permissions import MANAGE_EMULATION, SUBMIT_INITIATIVES, VIEW_EMULATION
from congdoan.emulation import selectors, services
from congdoan.emulation.models import Award, AwardForm, Contest, ContestRound, Entry, Initiative
from congdoan.org import selectors as org_selectors
from congdoan.org.models import Unit

router = Router(tags=["emulation"])


# --- schemas ---------------------------------------------------------------------------------


class AuthorIn(Schema):
    member: int | None = Field(None, description="id of the author's record in the registry")
    full_name: str = Field("", description="taken from the member record when empty")
    birth_date: str | None = Field(None, description="YYYY-MM-DD or dd/mm/yyyy")
    workplace: str = ""
    title: str = Field("", description="position")
    qualification: str = Field("worker", description="worker, university or manager")
    qualification_text: str = Field("", description="the qualification as written")
    contribution: Any = Field(..., description="percent, above 0; all authors add up to 100")


class InitiativeIn(Schema):
    unit: str = Field(..., description="code of the unit asked to recognise it")
    name: str
    field: str = Field(..., description="field of application")
    investor: str = ""
    first_applied_on: str | None = Field(None, description="YYYY-MM-DD or dd/mm/yyyy")
    description: str
    confidential: str = ""
    conditions: str = ""
    expected_benefit: str = ""
    expected_benefit_vnd: Any = Field(0, description="VND, whole number")
    applied_by: str = Field("", description="people who applied or trialled it, one a line")
    year: int | None = Field(None, description="default: this year")
    authors: list[AuthorIn]


class AuthorOut(Schema):
    member: int | None = None
    full_name: str
    birth_date: dt.date | None = None
    workplace: str
    title: str
    qualification: str
    qualification_text: str
    contribution: float


class HistoryOut(Schema):
    at: dt.datetime
    actor: str | None = None
    message: str
    changes: dict[str, Any]


class InitiativeOut(Schema):
    id: int
    unit: str = Field(..., description="code of the unit it is addressed to")
    unit_name: str
    name: str
    field: str
    status: str = Field(..., description="submitted, review, recognised or rejected")
    status_name: str
    year: int
    submitted_at: dt.datetime
    council: int | None = None
    benefit_vnd: int
    scope: str = Field(..., description="unit, province or national once recognised")
    decided_on: dt.date | None = None
    decision_reference: str
    url: str

    @staticmethod
    def resolve_unit(initiative: Initiative) -> str:
        return initiative.unit.code

    @staticmethod
    def resolve_unit_name(initiative: Initiative) -> str:
        return initiative.unit.name

    @staticmethod
    def resolve_status_name(initiative: Initiative) -> str:
        return str(initiative.get_status_display())

    @staticmethod
    def resolve_council(initiative: Initiative) -> int | None:
        return initiative.council_id

    @staticmethod
    def resolve_url(initiative: Initiative) -> str:
        return _page(initiative.pk)


class InitiativeDetail(Schema):
    id: int
    unit: str
    unit_name: str
    name: str
    field: str
    status: str
    status_name: str
    year: int
    submitted_at: dt.datetime
    council: int | None = None
    benefit_vnd: int
    scope: str
    decided_on: dt.date | None = None
    decision_reference: str
    url: str
    investor: str
    first_applied_on: dt.date | None = None
    description: str
    confidential: str
    conditions: str
    expected_benefit: str
    expected_benefit_vnd: int
    applied_by: str
    council_name: str | None = None
    decision_reasons: str
    authors: list[AuthorOut]
    history: list[HistoryOut]
    certificate_url: str | None = None


class InitiativeFilter(Schema):
    unit: str = Field("", description="code: that unit's subtree")
    status: str = ""
    year: int | None = None
    q: str = Field("", description="words of the name")
    mine: bool = Field(False, description="only those you submitted")


class CouncilIn(Schema):
    council: int = Field(..., description="id of the council")


class ScoresIn(Schema):
    novelty: Any = Field(..., description="0 to 100")
    applicability: Any = Field(..., description="0 to 100")
    benefit: Any = Field(..., description="0 to 100")
    note: str = ""


class ScoresOut(Schema):
    initiative: int
    scores: dict[str, float]
    council_means: dict[str, float | None]


class DecisionIn(Schema):
    recognised: bool
    decided_on: str = Field(..., description="YYYY-MM-DD or dd/mm/yyyy")
    decision_reference: str
    reasons: str = ""
    benefit_vnd: Any = Field(0, description="VND, whole number; when recognised")
    scope: str = Field("", description="unit, province or national; when recognised")


class AwardOut(Schema):
    id: int
    form: str = Field(..., description="code of the form")
    form_name: str
    person: str = Field(..., description="empty for an award to a unit")
    member: int | None = None
    unit: str = Field(..., description="code of the unit honoured, or the person's union")
    unit_name: str
    granted_by: str
    decision_reference: str
    decided_on: dt.date
    year: int
    reason: str
    initiative: int | None = None
    proposal: int | None = None

    @staticmethod
    def resolve_form(award: Award) -> str:
        return award.form.code

    @staticmethod
    def resolve_form_name(award: Award) -> str:
        return award.form.name

    @staticmethod
    def resolve_person(award: Award) -> str:
        return award.person_name

    @staticmethod
    def resolve_member(award: Award) -> int | None:
        return award.member_id

    @staticmethod
    def resolve_unit(award: Award) -> str:
        return award.unit.code

    @staticmethod
    def resolve_unit_name(award: Award) -> str:
        return award.unit.name

    @staticmethod
    def resolve_granted_by(award: Award) -> str:
        return award.granted_by.code

    @staticmethod
    def resolve_initiative(award: Award) -> int | None:
        return award.initiative_id

    @staticmethod
    def resolve_proposal(award: Award) -> int | None:
        return award.proposal_id


class AwardFilter(Schema):
    unit: str = Field("", description="code: awards in that unit's subtree")
    start: dt.date | None = Field(None, alias="from", description="decided on or after")
    end: dt.date | None = Field(None, alias="to", description="decided on or before")
    form: str = Field("", description="code of the form, e.g. lao-dong-sang-tao")


class AwardIn(Schema):
    form: str = Field(..., description="code of the form")
    granted_by: str = Field(..., description="code of the granting unit (the unit or above)")
    unit: str = Field("", description="code of the unit honoured, or the person's union")
    member: int | None = Field(None, description="id of the person's record in the registry")
    person_name: str = ""
    decision_reference: str
    decided_on: str = Field(..., description="YYYY-MM-DD or dd/mm/yyyy")
    reason: str = ""


class ReportFilter(Schema):
    unit: str = Field("", description="code; default: your first unit")
    start: dt.date | None = Field(None, alias="from", description="default: 1 January")
    end: dt.date | None = Field(None, alias="to", description="default: today")


# --- helpers ---------------------------------------------------------------------------------


def _page(initiative_id: int) -> str:
    return reverse("emulation:initiative", args=[initiative_id])


def _unit_in_body(user: Any, code: str | None, field: str, permission: str) -> Unit:
    code = (code or "").strip()
    unit = None
    if code:
        try:
            unit = org_selectors.get_unit(user, code, permission)
        except Http404:
            unit = None
    if unit is None:
        raise ValidationError({field: _("No unit has the code “%(code)s”.") % {"code": code}})
    return unit


def _unit_in_query(user: Any, code: str) -> Unit | None:
    return org_selectors.get_unit(user, code.strip(), VIEW_EMULATION) if code.strip() else None


def _summary(initiative: Initiative) -> dict[str, Any]:
    return {
        "id": initiative.pk,
        "unit": initiative.unit.code,
        "unit_name": initiative.unit.name,
        "name": initiative.name,
        "field": initiative.field,
        "status": initiative.status,
        "status_name": initiative.get_status_display(),
        "year": initiative.year,
        "submitted_at": initiative.submitted_at,
        "council": initiative.council_id,
        "benefit_vnd": initiative.benefit_vnd,
        "scope": initiative.scope,
        "decided_on": initiative.decided_on,
        "decision_reference": initiative.decision_reference,
        "url": _page(initiative.pk),
    }


def _detail(user: Any, pk: int) -> dict[str, Any]:
    initiative = selectors.get_initiative(user, pk)
    recognised = initiative.status == Initiative.Status.RECOGNISED
    return {
        **_summary(initiative),
        "investor": initiative.investor,
        "first_applied_on": initiative.first_applied_on,
        "description": initiative.description,
        "confidential": initiative.confidential,
        "conditions": initiative.conditions,
        "expected_benefit": initiative.expected_benefit,
        "expected_benefit_vnd": initiative.expected_benefit_vnd,
        "applied_by": initiative.applied_by,
        "council_name": initiative.council.name if initiative.council else None,
        "decision_reasons": initiative.decision_reasons,
        "authors": [
            {
                "member": a.member_id,
                "full_name": a.full_name,
                "birth_date": a.birth_date,
                "workplace": a.workplace,
                "title": a.title,
                "qualification": a.qualification,
                "qualification_text": a.qualification_text,
                "contribution": float(a.contribution),
            }
            for a in selectors.initiative_authors(initiative)
        ],
        "history": [
            {
                "at": e.at,
                "actor": str(e.actor) if e.actor else None,
                "message": e.message,
                "changes": e.changes,
            }
            for e in selectors.initiative_history(initiative)
        ],
        "certificate_url": (
            reverse("emulation:certificate", args=[initiative.pk]) if recognised else None
        ),
    }


# --- initiatives -----------------------------------------------------------------------------


@router.get("/initiatives", response=list[InitiativeOut])
@paginate(PageNumberPagination, page_size=50, max_page_size=500)
def list_initiatives(request: HttpRequest, filters: Query[InitiativeFilter]) -> Any:
    """Initiatives you see (of the units in your scope, those you submitted, those before a
    council you sit on), newest first."""
    if filters.status and filters.status not in Initiative.Status.values:
        raise ValidationError(
            {
                "status": _("Unknown status “%(status)s”; use one of: %(all)s.")
                % {"status": filters.status, "all": ", ".join(Initiative.Status.values)}
            }
        )
    found = selectors.initiatives(
        request.user,
        unit=_unit_in_query(request.user, filters.unit),
        status=filters.status,
        year=filters.year,
        q=filters.q,
        mine=filters.mine,
    )
    return found


@router.post("/initiatives", response={201: InitiativeDetail})
def submit_initiative(request: HttpRequest, payload: InitiativeIn) -> Any:
    """Submit an application (TT 18/2013, Phụ lục I) with its authors; their contributions
    must add up to exactly 100."""
    user = request.user
    unit = _unit_in_body(user, payload.unit, "unit", SUBMIT_INITIATIVES)
    data = payload.model_dump(exclude={"unit", "authors"})
    if data.get("year") is None:
        data.pop("year")
    authors = [a.model_dump() for a in payload.authors]
    initiative = services.submit_initiative(user, unit, data, authors)
    return Status(201, _detail(user, initiative.pk))


@router.get("/initiatives/{int:initiative_id}", response=InitiativeDetail)
def initiative_detail(request: HttpRequest, initiative_id: int) -> Any:
    """An application with its authors and history; the certificate once recognised."""
    return _detail(request.user, initiative_id)


@router.post("/initiatives/{int:initiative_id}/council", response=InitiativeDetail)
def put_before_council(request: HttpRequest, initiative_id: int, payload: CouncilIn) -> Any:
    """Put a submitted application before a council of its unit or a unit above."""
    user = request.user
    initiative = selectors.get_initiative(user, initiative_id)
    try:
        council = selectors.get_council(user, payload.council)
    except Http404:
        raise ValidationError(
            {"council": _("No council has the number %(id)s.") % {"id": payload.council}}
        ) from None
    services.put_before_council(user, initiative, council)
    return _detail(user, initiative_id)


@router.post("/initiatives/{int:initiative_id}/scores", response=ScoresOut)
def score(request: HttpRequest, initiative_id: int, payload: ScoresIn) -> Any:
    """Your scores (0–100 a criterion) as a member of the council the application is before.
    An author of the application never scores it (403)."""
    user = request.user
    initiative = selectors.get_initiative(user, initiative_id)
    saved = services.score_initiative(
        user, initiative, payload.model_dump(exclude={"note"}), payload.note
    )
    means = selectors.score_sheet(initiative).means
    return {
        "initiative": initiative.pk,
        "scores": {s.criterion: float(s.score) for s in saved},
        "council_means": {k: (float(v) if v is not None else None) for k, v in means.items()},
    }


@router.post("/initiatives/{int:initiative_id}/decision", response=InitiativeDetail)
def decide(request: HttpRequest, initiative_id: int, payload: DecisionIn) -> Any:
    """The decision by a manager of the council's unit: recognised (benefit in VND, scope) or
    not (reasons), with the decision's reference and date."""
    user = request.user
    initiative = selectors.get_initiative(user, initiative_id)
    services.decide_initiative(user, initiative, **payload.model_dump())
    return _detail(user, initiative_id)


# --- awards ----------------------------------------------------------------------------------


@router.get("/awards", response=list[AwardOut])
@paginate(PageNumberPagination, page_size=50, max_page_size=500)
def list_awards(request: HttpRequest, filters: Query[AwardFilter]) -> Any:
    """Awards to people and units in your scope, newest first: ``unit`` (its subtree),
    ``from`` and ``to`` (decision dates), ``form`` (its code)."""
    if filters.start and filters.end and filters.start > filters.end:
        raise ValidationError({"to": _("The end of the period is before its start.")})
    found = selectors.awards(
        request.user,
        unit=_unit_in_query(request.user, filters.unit),
        start=filters.start,
        end=filters.end,
        form=filters.form,
    )
    return found


@router.post("/awards", response={201: AwardOut})
def give_award(request: HttpRequest, payload: AwardIn) -> Any:
    """Record a title or form of commendation given to a person (``member``, or
    ``person_name`` with their union ``unit``) or to a unit, with the deciding document."""
    user = request.user
    form = AwardForm.objects.filter(code=payload.form).first()
    if form is None:
        raise ValidationError({"form": _("Unknown form “%(code)s”.") % {"code": payload.form}})
    granted_by = Unit.objects.filter(code=payload.granted_by.strip()).first()
    if granted_by is None:
        raise ValidationError(
            {"granted_by": _("No unit has the code “%(code)s”.") % {"code": payload.granted_by}}
        )
    member = None
    if payload.member is not None:
        member = services.member_for(user, payload.member)
        if member is None:
            raise ValidationError(
                {
                    "member": _("No member of the registry in your units has the number %(id)s.")
                    % {"id": payload.member}
                }
            )
    unit = None if member else _unit_in_body(user, payload.unit, "unit", MANAGE_EMULATION)
    award = services.give_award(
        user,
        form=form,
        granted_by=granted_by,
        decided_on=payload.decided_on,
        decision_reference=payload.decision_reference,
        unit=unit,
        member=member,
        person_name=payload.person_name,
        reason=payload.reason,
    )
    return Status(201, award)


# --- reports ---------------------------------------------------------------------------------


@router.get("/emulation/report")
def emulation_report(request: HttpRequest, filters: Query[ReportFilter]) -> Any:
    """Emulation figures of a unit's subtree over a period: applications submitted,
    initiatives recognised and their benefit (VND), by year and by unit directly below;
    awards by form and the people honoured "Lao động sáng tạo"; registrations per movement."""
    user = request.user
    unit = _unit_in_query(user, filters.unit)
    if unit is None:
        units = selectors.emulation_units(user)
        if not units:
            raise Http404
        unit = units[0]
    today = timezone.localdate()
    end = filters.end or today
    start = filters.start or dt.date(end.year, 1, 1)
    if start > end:
        raise ValidationError({"to": _("The end of the period is before its start.")})
    return selectors.report(user, unit, start, end).as_dict()


# --- movements and contests (below)

# ``/api/v1/contests``: contests with their phases, criteria and rounds; entries; jurors in
# bulk; a juror's scores; the ranking of a round (ties share a rank); advancing the top N.
# Reads through the selectors (a contest out of the caller's reach answers 404; a juror
# reaches only what is assigned to them), changes through the services (a broken rule answers
# 400 with the messages per field, a missing right 403). A unit code in a body that is unknown
# or out of scope answers 400 naming the field.


class ContestCriterionIn(Schema):
    name: str
    weight: Decimal = Decimal(1)


class ContestPhaseIn(Schema):
    kind: str = Field(..., description="submission, screening, final, awards or closed")
    starts_on: dt.date
    ends_on: dt.date | None = None


class ContestIn(Schema):
    unit: str = Field(..., description="code of the organising unit")
    name: str
    description: str = ""
    slug: str = Field("", description="address name of the public results; made from the name")
    scale_max: int = Field(10, description="highest score of a criterion")
    is_public: bool = True
    criteria: list[ContestCriterionIn]
    phases: list[ContestPhaseIn]
    rounds: list[str] | None = Field(
        None, description="round names; by default one per judging phase (screening, final)"
    )


class ContestCriterionOut(Schema):
    id: int
    name: str
    weight: Decimal


class ContestPhaseOut(Schema):
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None


class ContestRoundOut(Schema):
    number: int
    name: str
    phase: str | None
    closed_at: dt.datetime | None


class ContestOut(Schema):
    id: int
    name: str
    slug: str
    unit: str = Field(..., description="organiser's unit code")
    scale_max: int
    is_public: bool
    current_phase: str | None = Field(None, description="the phase whose dates contain today")
    phases: list[ContestPhaseOut]
    criteria: list[ContestCriterionOut]
    rounds: list[ContestRoundOut]


class ContestEntryIn(Schema):
    unit: str = Field(..., description="code of the unit the entry comes from")
    title: str
    summary: str = ""
    author_names: str = Field("", description="names separated by commas")
    authors: list[int] = Field([], description="ids of members of unions in the subtree")
    initiative: int | None = Field(None, description="id of a recorded initiative")


class ContestEntryOut(Schema):
    id: int
    title: str
    unit: str
    author_names: str
    initiative: int | None
    reached_round: int


class JurorsIn(Schema):
    jurors: list[str] = Field(..., description="user names")
    per_entry: int | None = Field(
        None, description="jurors per entry, given in turn; none: every juror to every entry"
    )


class JurorsOut(Schema):
    created: int
    existing: int
    conflicts: list[dict[str, Any]] = Field(..., description="skipped: the juror is an author")
    short: list[dict[str, Any]] = Field(..., description="entries with fewer jurors than asked")


class CriterionScoreIn(Schema):
    criterion: int
    score: Decimal | None = None


class JurorScoresIn(Schema):
    entry: int
    scores: list[CriterionScoreIn]
    note: str | None = Field(None, description="private: seen by the juror only")


class JurorScoresOut(Schema):
    entry: int
    complete: bool
    scores: dict[int, Decimal]


class RankingRowOut(Schema):
    rank: int | None
    tied: bool
    entry: int
    title: str
    unit: str
    total: Decimal | None = Field(None, description="mean of the complete weighted scores")
    jurors_complete: int
    jurors_assigned: int


class AdvanceOut(Schema):
    round: int
    next_round: int
    advanced: list[int]


def _rounds() -> Prefetch:
    return Prefetch("rounds", queryset=ContestRound.objects.select_related("phase"))


def _mc_contest_out(contest: Contest) -> dict[str, Any]:
    prefetch_related_objects([contest], _rounds())  # nothing when the list prefetched them
    current = selectors.current_phase(contest)
    return {
        "id": contest.pk,
        "name": contest.name,
        "slug": contest.slug,
        "unit": contest.unit.code,
        "scale_max": contest.scale_max,
        "is_public": contest.is_public,
        "current_phase": current.kind if current else None,
        "phases": list(contest.phases.all()),
        "criteria": list(contest.criteria.all()),
        "rounds": [
            {
                "number": r.number,
                "name": r.name,
                "phase": r.phase.kind if r.phase else None,
                "closed_at": r.closed_at,
            }
            for r in contest.rounds.all()
        ],
    }


def _mc_entry_out(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "title": entry.title,
        "unit": entry.unit.code,
        "author_names": entry.author_names,
        "initiative": entry.initiative_id,
        "reached_round": entry.reached_round,
    }


def _mc_unit_in_body(user: Any, code: str, field: str = "unit") -> Any:
    try:
        return org_selectors.get_unit(user, code.strip(), VIEW_EMULATION)
    except Http404:
        raise ValidationError(
            {field: _("No unit you can reach has the code “%(code)s”.") % {"code": code.strip()}}
        ) from None


@router.get("/contests", response=list[ContestOut])
def list_contests(request: HttpRequest) -> Any:
    """Contests organised by your units or for them (by a unit above yours)."""
    contests = selectors.visible_contests(request.user).order_by("-created_at")
    return [_mc_contest_out(c) for c in contests.prefetch_related("phases", "criteria", _rounds())]


@router.post("/contests", response={201: ContestOut})
def create_contest(request: HttpRequest, payload: ContestIn) -> Any:
    """A contest organised by ``unit`` for its subtree: criteria with weights scored from 0 to
    ``scale_max``, its phases with their dates (in order: submission, screening, final,
    awards, closed) and its rounds."""
    user = request.user
    unit = _mc_unit_in_body(user, payload.unit)
    contest = services.create_contest(
        user,
        unit,
        payload.model_dump(exclude={"unit", "criteria", "phases", "rounds"}),
        criteria=[(c.name, c.weight) for c in payload.criteria],
        phases=[services.PhaseDates(p.kind, p.starts_on, p.ends_on) for p in payload.phases],
        rounds=payload.rounds,
    )
    return Status(201, _mc_contest_out(contest))


@router.get("/contests/{int:contest_id}", response=ContestOut)
def contest_detail(request: HttpRequest, contest_id: int) -> Any:
    return _mc_contest_out(selectors.get_contest(request.user, contest_id))


@router.post("/contests/{int:contest_id}/entries", response={201: ContestEntryOut})
def submit_entry(request: HttpRequest, contest_id: int, payload: ContestEntryIn) -> Any:
    """An entry from a unit under the organiser, while submissions are open."""
    user = request.user
    contest = selectors.get_contest(user, contest_id)
    data = payload.model_dump(exclude={"authors", "initiative"})
    data["unit"] = _mc_unit_in_body(user, payload.unit)
    from congdoan.members import selectors as member_selectors

    authors, missing = [], []
    for member_id in payload.authors:
        try:
            authors.append(member_selectors.get_member(user, member_id))
        except Http404:
            missing.append(str(member_id))
    if missing:
        raise ValidationError(
            {
                "authors": _("No member you can reach has the id %(ids)s.")
                % {"ids": ", ".join(missing)}
            }
        )
    initiative = None
    if payload.initiative is not None:
        try:
            initiative = selectors.visible_initiative(user, payload.initiative)
        except Http404:
            raise ValidationError(
                {"initiative": _("No initiative you can reach has this id.")}
            ) from None
    entry = services.submit_entry(user, contest, data, authors=authors, initiative=initiative)
    return Status(201, _mc_entry_out(entry))


@router.post("/contests/{int:contest_id}/rounds/{int:number}/jurors", response=JurorsOut)
def assign_jurors(request: HttpRequest, contest_id: int, number: int, payload: JurorsIn) -> Any:
    """Jurors to the round's entries in bulk; authors of an entry are skipped and reported."""
    user = request.user
    contest = selectors.get_organised_contest(user, contest_id)
    contest_round = selectors.get_round(contest, number)
    jurors, unknown = selectors.find_users(payload.jurors)
    if unknown:
        raise ValidationError(
            {"jurors": _("Unknown user names: %(names)s.") % {"names": ", ".join(unknown)}}
        )
    report = services.assign_jurors(user, contest_round, jurors, per_entry=payload.per_entry)
    return {
        "created": len(report.created),
        "existing": report.existing,
        "conflicts": [{"entry": e.pk, "juror": j.username} for e, j in report.conflicts],
        "short": [{"entry": e.pk, "jurors": count} for e, count in report.short],
    }


@router.post(
    "/contests/{int:contest_id}/rounds/{int:number}/scores",
    response=JurorScoresOut,
)
def score_entry(request: HttpRequest, contest_id: int, number: int, payload: JurorScoresIn) -> Any:
    """Your scores for an entry assigned to you in the round (an entry not assigned to you
    answers 404); a score outside the scale answers 400 naming the criterion."""
    user = request.user
    contest = selectors.judged_contest(user, contest_id)
    contest_round = selectors.get_round(contest, number)
    item = selectors.entry_to_score(user, contest_round, payload.entry)
    assignment = services.score_entry(
        user, item.assignment, {s.criterion: s.score for s in payload.scores}, payload.note
    )
    item = selectors.entry_to_score(user, contest_round, payload.entry)
    return {
        "entry": payload.entry,
        "complete": assignment.submitted_at is not None,
        "scores": item.scores,
    }


@router.get("/contests/{int:contest_id}/ranking", response=list[RankingRowOut])
def ranking(request: HttpRequest, contest_id: int, round: int = 1) -> Any:
    """The round's ranking: equal totals share a rank (1, 2, 2, 4); unscored entries last."""
    contest = selectors.get_organised_contest(request.user, contest_id)
    contest_round = selectors.get_round(contest, round)
    return [
        {
            "rank": r.rank,
            "tied": r.tied,
            "entry": r.entry.pk,
            "title": r.entry.title,
            "unit": r.entry.unit.code,
            "total": r.total,
            "jurors_complete": r.complete,
            "jurors_assigned": r.assigned,
        }
        for r in selectors.rank_round(contest_round)
    ]


@router.post(
    "/contests/{int:contest_id}/rounds/{int:number}/advance",
    response=AdvanceOut,
)
def advance(request: HttpRequest, contest_id: int, number: int, top: int) -> Any:
    """Move the top N entries to the next round and close this one. Refused (400) while an
    entry has no complete score, or when the N-th place is tied with the next."""
    contest = selectors.get_organised_contest(request.user, contest_id)
    contest_round = selectors.get_round(contest, number)
    chosen = services.advance(request.user, contest_round, top)
    return {"round": number, "next_round": number + 1, "advanced": [e.pk for e in chosen]}
