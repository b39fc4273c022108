"""Every change to members: add, edit, transfer, end, and the moves caused by restructuring.

Each function checks the actor's right at the member's union, runs in one transaction and
writes the audit log. Views, API, commands and tasks call these and nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.accounts.permissions import MANAGE_MEMBERS
from congdoan.accounts.selectors import can
from congdoan.core import audit
from congdoan.core.models import AuditEntry
from congdoan.core.text import fold
from congdoan.members.models import PROFILE_FIELDS, DuplicateFlag, Member, Membership, Status
from congdoan.members.validation import clean_member
from congdoan.org import services as org_services
from congdoan.org.models import RestructuringEvent, Unit

MEMBER_FIELDS = (
    "full_name",
    "birth_date",
    "birth_year_only",
    "sex",
    "ethnicity",
    "religion",
    "hometown",
    "cccd",
    "phone",
    "email",
    "education",
    "qualification",
    "job",
    "workplace",
    "joined_on",
    "card_number",
)
AUDIT_FIELDS = (*MEMBER_FIELDS, "unit", "status", "status_date", "status_reason")
END_STATUSES = {
    Status.LEFT: Membership.End.LEFT,
    Status.DECEASED: Membership.End.DECEASED,
    Status.TRANSFERRED: Membership.End.TRANSFERRED_OUT,
}


def _require(actor: Any, unit: Unit) -> None:
    if actor is not None and not can(actor, MANAGE_MEMBERS, unit.path):
        raise PermissionDenied(_("You have no right to change the members of “%s”.") % unit.name)


def check_member_unit(unit: Unit, day: dt.date, field: str = "unit") -> None:
    """Members belong to a grassroots union that exists on ``day``.

    The kind is reported on ``unit``; a union not alive that day on ``field``.
    """
    if not unit.kind.is_grassroots:
        raise ValidationError(
            {"unit": _("“%(unit)s” is not a grassroots union.") % {"unit": unit.name}}
        )
    if not unit.alive_on(day):
        raise ValidationError(
            {
                field: _("“%(unit)s” does not exist on %(date)s.")
                % {"unit": unit.name, "date": day.strftime("%d/%m/%Y")}
            }
        )


def _check_unique(clean: dict[str, Any], exclude: int | None = None) -> None:
    errors: dict[str, str] = {}
    others = Member.objects.exclude(pk=exclude) if exclude else Member.objects.all()
    if clean.get("cccd"):
        other = others.filter(cccd=clean["cccd"]).select_related("unit").first()
        if other is not None:
            errors["cccd"] = _("CCCD %(cccd)s is already recorded for a member of %(unit)s.") % {
                "cccd": clean["cccd"],
                "unit": other.unit.name,
            }
    if clean.get("card_number"):
        other = others.filter(card_number=clean["card_number"]).select_related("unit").first()
        if other is not None:
            errors["card_number"] = _(
                "Card number %(card)s is already held by a member of %(unit)s."
            ) % {"card": clean["card_number"], "unit": other.unit.name}
    if errors:
        raise ValidationError(errors)


def flag_duplicates(member: Member) -> list[DuplicateFlag]:
    """Flag active members elsewhere with the same name and date of birth, for review."""
    matches = (
        Member.objects.filter(
            name_folded=fold(member.full_name), birth_date=member.birth_date, status=Status.ACTIVE
        )
        .exclude(pk=member.pk)
        .exclude(unit=member.unit_id)
    )
    flags = []
    for other in matches:
        low, high = sorted([member.pk, other.pk])
        flag, _created = DuplicateFlag.objects.get_or_create(member_id=low, other_id=high)
        flags.append(flag)
    return flags


@transaction.atomic
def create_member(actor: Any, unit: Unit, data: dict[str, Any]) -> Member:
    """Add a member to the grassroots union ``unit``; they are a member from ``joined_on``."""
    _require(actor, unit)
    clean = clean_member({field: data.get(field) for field in MEMBER_FIELDS if field in data})
    for field in ("full_name", "birth_date", "sex", "joined_on"):
        if field not in clean:
            raise ValidationError({field: _("This field is required.")})
    check_member_unit(unit, clean["joined_on"], "joined_on")
    _check_unique(clean)
    member = Member(unit=unit, **clean)
    member.save()
    Membership.objects.create(
        member=member,
        unit=unit,
        valid_from=member.joined_on,
        start=Membership.Start.JOINED,
        **member.profile(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    flag_duplicates(member)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=member,
        scope_path=unit.path,
        changes=audit.diff({}, audit.snapshot(member, AUDIT_FIELDS)),
    )
    return member


@transaction.atomic
def update_member(actor: Any, member: Member, data: dict[str, Any]) -> Member:
    """Change a member's personal and work details (not their union or status)."""
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    _require(actor, member.unit)
    unknown = set(data) - set(MEMBER_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %s") % ", ".join(sorted(unknown))
        )
    merged = {field: getattr(member, field) for field in MEMBER_FIELDS}
    merged.update(data)
    clean = clean_member(merged)
    _check_unique(clean, exclude=member.pk)
    first = member.memberships.order_by("valid_from", "id").first()
    if (
        first is not None
        and clean["joined_on"] != member.joined_on
        and member.memberships.count() > 1
    ):
        raise ValidationError(
            {
                "joined_on": _(
                    "The date of joining cannot change after a transfer; correct the history first."
                )
            }
        )
    before = audit.snapshot(member, AUDIT_FIELDS)
    before_profile = member.profile()
    for field, value in clean.items():
        setattr(member, field, value)
    member.save()
    if first is not None and first.valid_from != member.joined_on:
        first.valid_from = member.joined_on
        first.save(update_fields=["valid_from"])
    if any(before_profile[name] != getattr(member, name) for name in PROFILE_FIELDS):
        member.memberships.update(**member.profile())
    changes = audit.diff(before, audit.snapshot(member, AUDIT_FIELDS))
    if changes:
        if "full_name" in changes or "birth_date" in changes:
            flag_duplicates(member)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=member,
            scope_path=member.unit.path,
            changes=changes,
        )
    return member


def _open_membership(member: Member, day: dt.date) -> Membership:
    """The member's present period, locked, which a change dated ``day`` may close."""
    current = (
        Membership.objects.select_for_update().filter(member=member, valid_to__isnull=True).first()
    )
    if current is None:
        raise ValidationError(_("“%(name)s” is no longer a member.") % {"name": member.full_name})
    if day < current.valid_from:
        raise ValidationError(
            {
                "day": _("The member has been in “%(unit)s” only since %(date)s.")
                % {"unit": member.unit.name, "date": current.valid_from.strftime("%d/%m/%Y")}
            }
        )
    return current


@transaction.atomic
def transfer_member(
    actor: Any, member: Member, to_unit: Unit, *, day: dt.date, note: str = ""
) -> Member:
    """Move a member to another grassroots union, anywhere in the tree, from ``day``.

    The actor needs the right at the member's present union; the receiving union need not be
    in their scope (a member may move to another province).
    """
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    _require(actor, member.unit)
    today = timezone.localdate()
    if day > today:
        raise ValidationError({"day": _("A transfer cannot be dated in the future.")})
    if to_unit.pk == member.unit_id:
        raise ValidationError({"unit": _("The member already belongs to this union.")})
    check_member_unit(to_unit, day)
    current = _open_membership(member, day)
    before = audit.snapshot(member, AUDIT_FIELDS)
    current.valid_to = day
    current.end = Membership.End.TRANSFER
    current.save(update_fields=["valid_to", "end"])
    Membership.objects.create(
        member=member,
        unit=to_unit,
        valid_from=day,
        start=Membership.Start.TRANSFER,
        **member.profile(),
        note=note[:300],
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    member.unit = to_unit
    member.save(update_fields=["unit", "updated_at"])
    flag_duplicates(member)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.TRANSFER,
        obj=member,
        scope_path=to_unit.path,
        changes=audit.diff(before, audit.snapshot(member, AUDIT_FIELDS)),
        message=note,
    )
    return member


@transaction.atomic
def end_membership(
    actor: Any, member: Member, status: str, *, day: dt.date, reason: str = ""
) -> Member:
    """Record that a member left the union, died, or moved to a union outside the system."""
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    _require(actor, member.unit)
    if status not in END_STATUSES:
        raise ValidationError({"status": _("Choose how the membership ended.")})
    if day > timezone.localdate():
        raise ValidationError({"day": _("The date cannot be in the future.")})
    if not reason.strip() and status != Status.DECEASED:
        raise ValidationError({"reason": _("Give the reason.")})
    current = _open_membership(member, day)
    before = audit.snapshot(member, AUDIT_FIELDS)
    current.valid_to = day
    current.end = END_STATUSES[status]
    current.note = reason[:300]
    current.save(update_fields=["valid_to", "end", "note"])
    member.status = status
    member.status_date = day
    member.status_reason = reason.strip()[:300]
    member.save(update_fields=["status", "status_date", "status_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=member,
        scope_path=member.unit.path,
        changes=audit.diff(before, audit.snapshot(member, AUDIT_FIELDS)),
        message=reason,
    )
    return member


@transaction.atomic
def resolve_duplicate(actor: Any, flag: DuplicateFlag, resolution: str) -> DuplicateFlag:
    """Close a duplicate flag after review (for example: two different people)."""
    flag = DuplicateFlag.objects.select_for_update().get(pk=flag.pk)
    member = Member.objects.select_related("unit").get(pk=flag.member_id)
    other = Member.objects.select_related("unit").get(pk=flag.other_id)
    if actor is not None and not (
        can(actor, MANAGE_MEMBERS, member.unit.path) or can(actor, MANAGE_MEMBERS, other.unit.path)
    ):
        raise PermissionDenied
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say what the review found.")})
    flag.resolved_at = timezone.now()
    flag.resolved_by = actor if getattr(actor, "pk", None) else None
    flag.resolution = resolution.strip()[:300]
    flag.save()
    return flag


def record_personal_view(actor: Any, member: Member, what: str = "") -> None:
    """Write to the audit log that ``actor`` saw the member's unmasked personal data."""
    audit.record(
        actor=actor,
        action=AuditEntry.Action.VIEW,
        obj=member,
        scope_path=member.unit.path,
        message=what or "CCCD, phone",
    )


def record_export(actor: Any, unit: Unit, count: int, personal: bool, fmt: str) -> None:
    audit.record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=unit,
        scope_path=unit.path,
        changes={"members": [None, count], "personal_data": [None, personal]},
        message=f"members.{fmt}",
    )


# --- restructuring ------------------------------------------------------------------------


@org_services.on_unit_ended
def move_members_of_ended_unit(event: RestructuringEvent, source: Unit, receiver: Unit) -> int:
    """A merge, split or dissolution moves the members of the ended union to the receiver.

    Runs inside the event's transaction, on the event's effective date. Each member keeps
    one identity: their period at the old union closes and one at the receiver opens.
    """
    day = event.effective_date
    current = list(
        Membership.objects.select_for_update()
        .filter(unit=source, valid_to__isnull=True)
        .only("id", "member_id", "valid_from", *PROFILE_FIELDS)
    )
    if not current:
        return 0
    return _move_memberships(current, receiver, day, event)


def _move_memberships(
    current: list[Membership], receiver: Unit, day: dt.date, event: RestructuringEvent
) -> int:
    new_rows = []
    for membership in current:
        start = max(day, membership.valid_from)
        membership.valid_to = start
        membership.end = Membership.End.RESTRUCTURING
        new_rows.append(
            Membership(
                member_id=membership.member_id,
                unit=receiver,
                valid_from=start,
                start=Membership.Start.RESTRUCTURING,
                event=event,
                **{name: getattr(membership, name) for name in PROFILE_FIELDS},
                recorded_by=event.recorded_by,
            )
        )
    Membership.objects.bulk_update(current, ["valid_to", "end"], batch_size=2000)
    Membership.objects.bulk_create(new_rows, batch_size=2000)
    member_ids = [m.member_id for m in current]
    for start in range(0, len(member_ids), 2000):
        Member.objects.filter(pk__in=member_ids[start : start + 2000]).update(
            unit=receiver, updated_at=timezone.now()
        )
    audit.record(
        actor=event.recorded_by,
        action=AuditEntry.Action.TRANSFER,
        obj=event,
        scope_path=receiver.path,
        changes={"members": [None, len(current)], "receiver": [None, receiver.code]},
        message=event.summary,
    )
    return len(current)


@org_services.on_event_reversed
def return_members(original: RestructuringEvent, reversal: RestructuringEvent) -> int:
    """Undo the member moves of a reversed event: each goes back to the union they left."""
    moved = list(
        Membership.objects.select_for_update().filter(event=original, valid_to__isnull=True)
    )
    back = 0
    by_unit: dict[int, list[Membership]] = {}
    for membership in moved:
        previous = (
            Membership.objects.filter(
                member_id=membership.member_id,
                end=Membership.End.RESTRUCTURING,
                valid_to=membership.valid_from,
            )
            .exclude(pk=membership.pk)
            .order_by("-valid_from", "-id")
            .first()
        )
        if previous is not None:
            by_unit.setdefault(previous.unit_id, []).append(membership)
    for unit_id, memberships in by_unit.items():
        unit = Unit.objects.get(pk=unit_id)
        back += _move_memberships(memberships, unit, reversal.effective_date, reversal)
    return back
