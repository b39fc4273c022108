"""``/api/v1/members``: the member registry; ``/api/v1/org/units/{code}/stats``: its figures.

Reads go through the selectors (scoped to the caller; out of scope answers 404), changes
through the services (a broken rule answers 400 with the messages per field, a missing right
403). CCCD and phone are masked in lists; a member's page shows them only to a role that needs
them, and each such view is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from congdoan.accounts.permissions import MANAGE_MEMBERS, VIEW_MEMBERS
from congdoan.accounts.selectors import can
from congdoan.members import selectors, services
from congdoan.members.models import Member, Membership
from congdoan.members.models import Status as MemberStatus
from congdoan.org import selectors as org_selectors
from congdoan.org.models import Unit

router = Router(tags=["members"])
stats_router = Router(tags=["members"])


class MemberOut(Schema):
    """A member as lists show them: CCCD and phone masked."""

    id: int
    full_name: str
    birth_date: dt.date
    birth_year_only: bool
    sex: str = Field(..., description="M or F")
    ethnicity: str
    unit: str = Field(..., description="code of the member's grassroots union")
    unit_name: str
    status: str
    joined_on: dt.date
    card_number: str
    cccd: str = Field(..., description="masked")
    phone: str = Field(..., description="masked")

    @staticmethod
    def resolve_unit(member: Member) -> str:
        return member.unit.code

    @staticmethod
    def resolve_unit_name(member: Member) -> str:
        return member.unit.name

    @staticmethod
    def resolve_cccd(member: Member) -> str:
        return selectors.masked_cccd(member)

    @staticmethod
    def resolve_phone(member: Member) -> str:
        return selectors.masked_phone(member)


class PeriodOut(Schema):
    unit: str
    unit_name: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    start: str
    end: str
    event: int | None = Field(None, description="the restructuring event that opened it")
    note: str


class MemberDetail(Schema):
    id: int
    full_name: str
    birth_date: dt.date
    birth_year_only: bool
    sex: str
    ethnicity: str
    religion: str
    hometown: str
    cccd: str
    phone: str
    personal_data: bool = Field(..., description="whether CCCD and phone are shown unmasked")
    email: str
    education: str
    qualification: str
    job: str
    workplace: str
    joined_on: dt.date
    card_number: str
    unit: str
    unit_name: str
    status: str
    status_date: dt.date | None = None
    status_reason: str
    history: list[PeriodOut]


class MemberIn(Schema):
    unit: str = Field(..., description="code of the grassroots union the member joins")
    full_name: str
    birth_date: dt.date
    birth_year_only: bool = Field(False, description="only the year is known (1 January)")
    sex: str = Field(..., description="M or F (Nam / Nữ accepted)")
    ethnicity: str = "Kinh"
    religion: str = ""
    hometown: str = ""
    cccd: str = ""
    phone: str = ""
    email: str = ""
    education: str = ""
    qualification: str = ""
    job: str = ""
    workplace: str = ""
    joined_on: dt.date
    card_number: str = ""


class TransferIn(Schema):
    unit: str = Field(..., description="code of the receiving grassroots union, anywhere")
    date: dt.date
    note: str = Field("", description="e.g. the number of the transfer letter")


class StatsOut(Schema):
    unit: str
    as_of: dt.date
    members: int
    women: int
    ethnic_minorities: int
    age_bands: dict[str, int]
    new_this_year: int
    left_this_year: int


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The same errors with the service's field names changed to the API's."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {names.get(field, field): errors for field, errors in exc.error_dict.items()}
    )


def _detail(member: Member, personal: bool) -> dict[str, Any]:
    data = {field: getattr(member, field) for field in services.MEMBER_FIELDS}
    if not personal:
        data["cccd"] = selectors.masked_cccd(member)
        data["phone"] = selectors.masked_phone(member)
    data.update(
        id=member.pk,
        personal_data=personal,
        unit=member.unit.code,
        unit_name=member.unit.name,
        status=member.status,
        status_date=member.status_date,
        status_reason=member.status_reason,
        history=[_period(p) for p in selectors.history(member)],
    )
    return data


def _period(period: Membership) -> dict[str, Any]:
    return {
        "unit": period.unit.code,
        "unit_name": period.unit.name,
        "valid_from": period.valid_from,
        "valid_to": period.valid_to,
        "start": period.start,
        "end": period.end,
        "event": period.event_id,
        "note": period.note,
    }


def _unit_field(code: str, unit: Unit | None) -> Unit:
    if unit is None:
        raise ValidationError(
            {"unit": _("No union has the code “%(code)s”.") % {"code": code.strip()}}
        )
    return unit


@router.get("", response=list[MemberOut])
@paginate(PageNumberPagination, page_size=50, max_page_size=500)
def list_members(request: HttpRequest, q: str = "", unit: str = "", status: str = "") -> Any:
    """Members in your scope, in Vietnamese name order. ``q`` matches a name with or without
    diacritics, a CCCD, a card number or a phone number; ``unit`` keeps one union's subtree."""
    if status and status not in MemberStatus.values:
        raise ValidationError(
            {
                "status": _("Unknown status “%(status)s”; use one of: %(all)s.")
                % {"status": status, "all": ", ".join(MemberStatus.values)}
            }
        )
    within = org_selectors.get_unit(request.user, unit.strip(), VIEW_MEMBERS) if unit else None
    return selectors.search_members(request.user, q, unit=within, status=status or None)


@router.get("/{int:member_id}", response=MemberDetail)
def member_detail(request: HttpRequest, member_id: int) -> Any:
    """One member with their history; CCCD and phone unmasked only for a role that needs them
    (each such view is written to the audit log)."""
    member = selectors.get_member(request.user, member_id)
    personal = selectors.sees_personal_data(request.user, member)
    if personal:
        services.record_personal_view(request.user, member, "API: CCCD, phone")
    return _detail(member, personal)


@router.post("", response={201: MemberDetail})
def create_member(request: HttpRequest, payload: MemberIn) -> Any:
    """Add a member to a grassroots union in your scope."""
    data = payload.model_dump()
    code = data.pop("unit")
    if data.get("birth_year_only"):
        data["birth_date"] = data["birth_date"].replace(month=1, day=1)
    try:
        unit = org_selectors.get_unit(request.user, code.strip(), VIEW_MEMBERS)
    except Http404:
        unit = None
    member = services.create_member(request.user, _unit_field(code, unit), data)
    member = Member.objects.select_related("unit").get(pk=member.pk)
    return Status(201, _detail(member, selectors.sees_personal_data(request.user, member)))


@router.post("/{int:member_id}/transfer", response=MemberOut)
def transfer_member(request: HttpRequest, member_id: int, payload: TransferIn) -> Any:
    """Move a member to another grassroots union from ``date``; the receiving union may be
    outside your scope (the member then leaves your view)."""
    member = selectors.get_member(request.user, member_id)
    if not can(request.user, MANAGE_MEMBERS, member.unit.path):
        raise PermissionDenied(
            _("You have no right to change the members of “%s”.") % member.unit.name
        )
    code = payload.unit.strip()
    to_unit = selectors.receiving_union(code)
    try:
        member = services.transfer_member(
            request.user,
            member,
            _unit_field(code, to_unit),
            day=payload.date,
            note=payload.note,
        )
    except ValidationError as exc:
        raise _renamed(exc, {"day": "date"}) from None
    return Member.objects.select_related("unit").get(pk=member.pk)


@stats_router.get("/units/{code}/stats", response=StatsOut)
def unit_stats(request: HttpRequest, code: str, as_of: dt.date | None = None) -> Any:
    """Members, women, ethnic minorities, age bands, joined and left this year, in the unit's
    subtree on ``as_of`` (default today)."""
    unit = org_selectors.get_unit(request.user, code, VIEW_MEMBERS)
    return selectors.stats(unit, as_of or timezone.localdate()).as_dict()
