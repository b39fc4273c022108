"""Every change to the organisation: restructuring events, unit details, posts and staffing.

Each public function checks permission (``actor`` None means the system: the
demo loader or an operator's command), runs in one transaction, writes the
audit log and returns what it made. Views, the API and commands all call these.

Rules kept here:
* events on a unit are recorded in date order; an event dated before the
  unit's latest change is refused (a wrong event is reversed, not edited);
* an event may not act on a unit that is not alive on its date, make a cycle,
  or leave children without a parent;
* nothing is deleted: ended units, versions, posts and events stay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from congdoan.accounts.permissions import MANAGE_ORG, MANAGE_STAFF
from congdoan.accounts.selectors import can
from congdoan.core import audit
from congdoan.core.models import AuditEntry
from congdoan.core.text import nfc
from congdoan.org import signals
from congdoan.org.models import (
    EventUnit,
    Post,
    PostHolding,
    PostType,
    RestructuringEvent,
    Unit,
    UnitKind,
    UnitVersion,
)

UNIT_AUDIT_FIELDS = ("code", "name", "abbreviation", "kind", "parent", "valid_from", "valid_to")


def _d(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


@dataclass
class NewUnit:
    """What is needed to establish a unit."""

    code: str
    name: str
    kind: UnitKind
    parent: Unit | None
    abbreviation: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""


# --- helpers ---------------------------------------------------------------------------


def _require(actor: Any, permission: str, units: Iterable[Unit]) -> None:
    if actor is None:
        return
    for unit in units:
        if unit is not None and not can(actor, permission, unit.path):
            raise PermissionDenied(
                _("You have no right to change “%(unit)s”.") % {"unit": unit.name}
            )


def _check_date(day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(
            {
                "effective_date": _(
                    "The effective date %(date)s is in the future; record the event on or after "
                    "the day it takes effect."
                )
                % {"date": _d(day)}
            }
        )


def _require_alive(unit: Unit, day: dt.date, field: str = "unit") -> None:
    if unit.valid_from > day:
        raise ValidationError(
            {
                field: _("“%(unit)s” did not exist yet on %(date)s (established %(start)s).")
                % {"unit": unit.name, "date": _d(day), "start": _d(unit.valid_from)}
            }
        )
    if unit.valid_to is not None:
        raise ValidationError(
            {
                field: _("“%(unit)s” is not alive on %(date)s: it ended on %(end)s.")
                % {"unit": unit.name, "date": _d(day), "end": _d(unit.valid_to)}
            }
        )
    latest = UnitVersion.objects.filter(unit=unit, valid_to__isnull=True).first()
    if latest is not None and latest.valid_from > day:
        raise ValidationError(
            {
                field: _(
                    "“%(unit)s” already has a change dated %(later)s, after %(date)s. Record "
                    "events in date order, or reverse the later event first."
                )
                % {"unit": unit.name, "later": _d(latest.valid_from), "date": _d(day)}
            }
        )


def _lock(units: Iterable[Unit]) -> None:
    """Serialise concurrent events on the same units (a no-op on SQLite, which locks the file)."""
    ids = sorted({u.pk for u in units if u is not None and u.pk})
    if ids:
        list(Unit.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))


def _refresh(*units: Unit | None) -> None:
    for unit in units:
        if unit is not None and unit.pk:
            unit.refresh_from_db()


def _is_within(unit: Unit, ancestor: Unit) -> bool:
    return unit.path.startswith(ancestor.path)


def _repath(unit: Unit, custodian: Unit | None) -> None:
    """Place ``unit`` (and everything recorded under it) under ``custodian`` in the path tree."""
    old = unit.path
    new = (custodian.path if custodian else "/") + f"{unit.pk}/"
    if old == new:
        return
    depth_delta = new.count("/") - old.count("/")
    Unit.objects.filter(path__startswith=old).update(
        path=Concat(Value(new), Substr("path", len(old) + 1), output_field=CharField()),
        depth=F("depth") + depth_delta,
    )
    unit.refresh_from_db(fields=["path", "depth"])
    signals.unit_moved.send(sender=Unit, old_path=old, new_path=new)


def _open_version(unit: Unit, day: dt.date, event: RestructuringEvent, **changes: Any) -> None:
    """Close the unit's current version on ``day`` and open one with ``changes`` applied."""
    current = UnitVersion.objects.select_for_update().get(unit=unit, valid_to__isnull=True)
    current.valid_to = day
    current.closed_by = event
    current.save(update_fields=["valid_to", "closed_by"])
    values = {
        "name": current.name,
        "abbreviation": current.abbreviation,
        "kind": current.kind,
        "parent": current.parent,
    }
    values.update(changes)
    UnitVersion.objects.create(unit=unit, valid_from=day, event=event, **values)
    for field in ("name", "abbreviation", "kind", "parent"):
        setattr(unit, field, values[field])
    unit.save()


def _close_version(unit: Unit, day: dt.date, event: RestructuringEvent) -> None:
    UnitVersion.objects.filter(unit=unit, valid_to__isnull=True).update(
        valid_to=day, closed_by=event
    )


def _link(event: RestructuringEvent, unit: Unit, role: str) -> None:
    EventUnit.objects.get_or_create(event=event, unit=unit, role=role)


def _audit_unit(actor: Any, unit: Unit, before: dict, event: RestructuringEvent | None) -> None:
    after = audit.snapshot(unit, UNIT_AUDIT_FIELDS)
    changes = audit.diff(before, after)
    if changes:
        audit.record(
            actor=actor,
            action=AuditEntry.Action.EVENT if event else AuditEntry.Action.UPDATE,
            obj=unit,
            scope_path=unit.path,
            changes=changes,
            message=str(event) if event else "",
        )


def _start_event(
    actor: Any,
    kind: str,
    day: dt.date,
    legal_basis: str,
    note: str,
    payload: dict,
    reverses: RestructuringEvent | None = None,
) -> RestructuringEvent:
    legal_basis = nfc(legal_basis or "")
    if not legal_basis:
        raise ValidationError(
            {"legal_basis": _("Give the legal basis, e.g. “Hướng dẫn số 704/HD-TLĐ”.")}
        )
    _check_date(day)
    return RestructuringEvent.objects.create(
        kind=kind,
        effective_date=day,
        legal_basis=legal_basis,
        note=nfc(note or ""),
        payload=payload,
        reverses=reverses,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


def _finish_event(event: RestructuringEvent, summary: str) -> RestructuringEvent:
    paths = list(
        Unit.objects.filter(event_links__event=event).values_list("path", flat=True).distinct()
    )
    event.summary = summary[:500]
    event.scope_path = _common_prefix(paths)
    event.save(update_fields=["summary", "scope_path"])
    return event


def _common_prefix(paths: list[str]) -> str:
    if not paths:
        return "/"
    parts = [p.strip("/").split("/") for p in paths]
    common: list[str] = []
    for segment in zip(*parts, strict=False):
        if all(s == segment[0] for s in segment):
            common.append(segment[0])
        else:
            break
    return "/" + "".join(f"{s}/" for s in common) if common else "/"


def _check_code_free(code: str, field: str = "code") -> str:
    code = nfc(code or "")
    if not code:
        raise ValidationError({field: _("The unit code is required.")})
    if Unit.objects.filter(code=code).exists():
        raise ValidationError(
            {field: _("A unit with code “%(code)s” already exists.") % {"code": code}}
        )
    return code


def _live_children(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=unit, valid_to__isnull=True).order_by("pk"))


def _new_unit(spec: NewUnit, day: dt.date, event: RestructuringEvent) -> Unit:
    code = _check_code_free(spec.code)
    name = nfc(spec.name or "")
    if not name:
        raise ValidationError({"name": _("The unit name is required.")})
    if spec.parent is not None:
        _require_alive(spec.parent, day, "parent")
    unit = Unit(
        code=code,
        name=name,
        abbreviation=nfc(spec.abbreviation or ""),
        kind=spec.kind,
        parent=spec.parent,
        valid_from=day,
        path="/",
        address=spec.address,
        phone=spec.phone,
        email=spec.email,
        website=spec.website,
    )
    unit.save()
    unit.path = (spec.parent.path if spec.parent else "/") + f"{unit.pk}/"
    unit.depth = unit.path.count("/") - 2
    unit.save(update_fields=["path", "depth"])
    UnitVersion.objects.create(
        unit=unit,
        valid_from=day,
        name=unit.name,
        abbreviation=unit.abbreviation,
        kind=unit.kind,
        parent=unit.parent,
        event=event,
    )
    _link(event, unit, EventUnit.Role.CREATED)
    return unit


def _move_under(
    actor: Any, unit: Unit, new_parent: Unit, day: dt.date, event: RestructuringEvent, role: str
) -> None:
    before = audit.snapshot(unit, UNIT_AUDIT_FIELDS)
    _open_version(unit, day, event, parent=new_parent)
    _repath(unit, new_parent)
    _link(event, unit, role)
    _audit_unit(actor, unit, before, event)


def _transfer_posts(source: Unit, receiver: Unit, day: dt.date, event: RestructuringEvent) -> int:
    """End the source's open posts and holdings on ``day`` and recreate them at the receiver."""
    moved = 0
    for post in Post.objects.filter(unit=source, valid_to__isnull=True).select_related("post_type"):
        new_post = Post.objects.create(
            unit=receiver,
            post_type=post.post_type,
            full_time=post.full_time,
            valid_from=day,
            created_by_event=event,
            moved_from=post,
        )
        for holding in post.holdings.filter(valid_to__isnull=True):
            PostHolding.objects.create(
                post=new_post,
                holder_name=holding.holder_name,
                valid_from=day,
                note=holding.note,
                created_by_event=event,
            )
            holding.valid_to = day
            holding.ended_by_event = event
            holding.save(update_fields=["valid_to", "ended_by_event"])
        post.valid_to = day
        post.ended_by_event = event
        post.save(update_fields=["valid_to", "ended_by_event"])
        moved += 1
    return moved


def _end_posts(unit: Unit, day: dt.date, event: RestructuringEvent) -> None:
    PostHolding.objects.filter(post__unit=unit, valid_to__isnull=True).update(
        valid_to=day, ended_by_event=event
    )
    Post.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=day, ended_by_event=event)


def _end_unit(
    actor: Any, unit: Unit, day: dt.date, event: RestructuringEvent, custodian: Unit | None
) -> None:
    before = audit.snapshot(unit, UNIT_AUDIT_FIELDS)
    _close_version(unit, day, event)
    unit.valid_to = day
    unit.save(update_fields=["valid_to", "updated_at"])
    if custodian is not None:
        _repath(unit, custodian)
    _link(event, unit, EventUnit.Role.ENDED)
    _audit_unit(actor, unit, before, event)


# --- events ----------------------------------------------------------------------------


@transaction.atomic
def create_unit(
    actor: Any,
    spec: NewUnit,
    *,
    effective_date: dt.date,
    legal_basis: str,
    note: str = "",
) -> tuple[RestructuringEvent, Unit]:
    """Establish a unit under ``spec.parent`` (None only for the confederation itself)."""
    if spec.parent is None and actor is not None:
        raise ValidationError({"parent": _("Choose the parent unit.")})
    _require(actor, MANAGE_ORG, [spec.parent] if spec.parent else [])
    _lock([spec.parent] if spec.parent else [])
    event = _start_event(
        actor,
        RestructuringEvent.Kind.CREATE,
        effective_date,
        legal_basis,
        note,
        {"code": spec.code, "name": spec.name, "parent": spec.parent.code if spec.parent else None},
    )
    unit = _new_unit(spec, effective_date, event)
    _audit_unit(actor, unit, {}, event)
    _finish_event(event, _("Established %(unit)s") % {"unit": unit.name})
    return event, unit


@transaction.atomic
def rename_unit(
    actor: Any,
    unit: Unit,
    *,
    name: str | None = None,
    abbreviation: str | None = None,
    effective_date: dt.date,
    legal_basis: str,
    note: str = "",
) -> RestructuringEvent:
    _require(actor, MANAGE_ORG, [unit])
    _lock([unit])
    _refresh(unit)
    _require_alive(unit, effective_date)
    new_name = nfc(name) if name is not None else unit.name
    new_abbr = nfc(abbreviation) if abbreviation is not None else unit.abbreviation
    if not new_name:
        raise ValidationError({"name": _("The unit name is required.")})
    if new_name == unit.name and new_abbr == unit.abbreviation:
        raise ValidationError({"name": _("The new name and abbreviation are the same as now.")})
    old_name = unit.name
    event = _start_event(
        actor,
        RestructuringEvent.Kind.RENAME,
        effective_date,
        legal_basis,
        note,
        {"unit": unit.code, "name": new_name, "abbreviation": new_abbr},
    )
    before = audit.snapshot(unit, UNIT_AUDIT_FIELDS)
    _open_version(unit, effective_date, event, name=new_name, abbreviation=new_abbr)
    _link(event, unit, EventUnit.Role.RENAMED)
    _audit_unit(actor, unit, before, event)
    return _finish_event(
        event, _("Renamed %(old)s to %(new)s") % {"old": old_name, "new": new_name}
    )


@transaction.atomic
def move_unit(
    actor: Any,
    unit: Unit,
    new_parent: Unit,
    *,
    effective_date: dt.date,
    legal_basis: str,
    note: str = "",
) -> RestructuringEvent:
    _require(actor, MANAGE_ORG, [unit, new_parent])
    _lock([unit, new_parent])
    _refresh(unit, new_parent)
    _require_alive(unit, effective_date)
    _require_alive(new_parent, effective_date, "parent")
    if new_parent.pk == unit.pk or _is_within(new_parent, unit):
        raise ValidationError(
            {
                "parent": _("“%(parent)s” is inside “%(unit)s”: the move would make a cycle.")
                % {"parent": new_parent.name, "unit": unit.name}
            }
        )
    if unit.parent_id == new_parent.pk:
        raise ValidationError(
            {
                "parent": _("“%(unit)s” is already under “%(parent)s”.")
                % {"unit": unit.name, "parent": new_parent.name}
            }
        )
    event = _start_event(
        actor,
        RestructuringEvent.Kind.MOVE,
        effective_date,
        legal_basis,
        note,
        {"unit": unit.code, "parent": new_parent.code},
    )
    _move_under(actor, unit, new_parent, effective_date, event, EventUnit.Role.MOVED)
    _link(event, new_parent, EventUnit.Role.RECEIVER)
    return _finish_event(
        event, _("Moved %(unit)s under %(parent)s") % {"unit": unit.name, "parent": new_parent.name}
    )


@transaction.atomic
def merge_units(
    actor: Any,
    sources: list[Unit],
    *,
    target: Unit | None = None,
    new_target: NewUnit | None = None,
    effective_date: dt.date,
    legal_basis: str,
    note: str = "",
) -> tuple[RestructuringEvent, Unit]:
    """Merge ``sources`` into an existing ``target`` or a ``new_target`` established by the event.

    The sources end; their children, posts and (later) members go to the target.
    """
    if (target is None) == (new_target is None):
        raise ValidationError({"target": _("Name either an existing target unit or a new one.")})
    if len({s.pk for s in sources}) != len(sources):
        raise ValidationError({"sources": _("A unit is listed twice among the merged units.")})
    minimum = 1 if target is not None else 2
    if len(sources) < minimum:
        raise ValidationError({"sources": _("A merge into a new unit needs at least two units.")})
    parent = target if target is not None else new_target.parent
    _require(actor, MANAGE_ORG, [*sources, parent])
    _lock([*sources, parent])
    _refresh(*sources, parent)
    for source in sources:
        _require_alive(source, effective_date, "sources")
    if target is not None:
        _require_alive(target, effective_date, "target")
    elif parent is not None:
        _require_alive(parent, effective_date, "parent")
    for source in sources:
        if parent is not None and (parent.pk == source.pk or _is_within(parent, source)):
            raise ValidationError(
                {
                    "target": _("“%(target)s” is inside “%(source)s”, which is being merged.")
                    % {"target": parent.name, "source": source.name}
                }
            )
    event = _start_event(
        actor,
        RestructuringEvent.Kind.MERGE,
        effective_date,
        legal_basis,
        note,
        {
            "sources": [s.code for s in sources],
            "target": target.code if target else None,
            "new_target": new_target.code if new_target else None,
        },
    )
    if new_target is not None:
        receiver = _new_unit(new_target, effective_date, event)
        _audit_unit(actor, receiver, {}, event)
    else:
        receiver = target
        _link(event, receiver, EventUnit.Role.RECEIVER)
    for source in sources:
        for child in _live_children(source):
            _require_alive(child, effective_date, "sources")
            _move_under(actor, child, receiver, effective_date, event, EventUnit.Role.CHILD_MOVED)
        _transfer_posts(source, receiver, effective_date, event)
        _end_unit(actor, source, effective_date, event, receiver)
    _notify_receivers(event, [(s, receiver) for s in sources])
    summary = _("Merged %(sources)s into %(target)s") % {
        "sources": ", ".join(s.name for s in sources),
        "target": receiver.name,
    }
    return _finish_event(event, summary), receiver


@transaction.atomic
def split_unit(
    actor: Any,
    source: Unit,
    new_units: list[NewUnit],
    *,
    children: dict[str, str] | None = None,
    effective_date: dt.date,
    legal_basis: str,
    note: str = "",
) -> tuple[RestructuringEvent, list[Unit]]:
    """Split ``source`` into new units. ``children`` maps a child's code to a new unit's code;
    unmapped children, posts and records go to the first new unit."""
    if len(new_units) < 2:
        raise ValidationError({"new_units": _("A split needs at least two new units.")})
    codes = [nfc(n.code) for n in new_units]
    if len(set(codes)) != len(codes):
        raise ValidationError({"new_units": _("Two new units have the same code.")})
    parents = [n.parent for n in new_units if n.parent is not None]
    _require(actor, MANAGE_ORG, [source, *parents])
    _lock([source, *parents])
    _refresh(source)
    _require_alive(source, effective_date, "source")
    for parent in parents:
        parent.refresh_from_db()
        if parent.pk == source.pk or _is_within(parent, source):
            raise ValidationError(
                {
                    "new_units": _("A new unit cannot be placed inside “%(unit)s”, which is split.")
                    % {"unit": source.name}
                }
            )
    children = children or {}
    live = {c.code: c for c in _live_children(source)}
    for child_code, target_code in children.items():
        if child_code not in live:
            raise ValidationError(
                {
                    "children": _("“%(code)s” is not a unit directly under “%(unit)s”.")
                    % {"code": child_code, "unit": source.name}
                }
            )
        if target_code not in codes:
            raise ValidationError(
                {"children": _("“%(code)s” is not one of the new units.") % {"code": target_code}}
            )
    event = _start_event(
        actor,
        RestructuringEvent.Kind.SPLIT,
        effective_date,
        legal_basis,
        note,
        {"source": source.code, "new_units": codes, "children": children},
    )
    created: dict[str, Unit] = {}
    for spec in new_units:
        if spec.parent is None:
            spec.parent = source.parent
        unit = _new_unit(spec, effective_date, event)
        _audit_unit(actor, unit, {}, event)
        created[unit.code] = unit
    first = created[codes[0]]
    for code, child in live.items():
        receiver = created[children.get(code, codes[0])]
        _move_under(actor, child, receiver, effective_date, event, EventUnit.Role.CHILD_MOVED)
    _transfer_posts(source, first, effective_date, event)
    _end_unit(actor, source, effective_date, event, first)
    _notify_receivers(event, [(source, first)])
    summary = _("Split %(unit)s into %(parts)s") % {
        "unit": source.name,
        "parts": ", ".join(u.name for u in created.values()),
    }
    return _finish_event(event, summary), list(created.values())


@transaction.atomic
def dissolve_unit(
    actor: Any,
    unit: Unit,
    *,
    receiver: Unit | None = None,
    effective_date: dt.date,
    legal_basis: str,
    note: str = "",
) -> RestructuringEvent:
    """Dissolve ``unit``; its children, posts and members go to ``receiver``."""
    _require(actor, MANAGE_ORG, [unit, receiver])
    _lock([unit, receiver])
    _refresh(unit, receiver)
    _require_alive(unit, effective_date)
    live_children = _live_children(unit)
    open_posts = Post.objects.filter(unit=unit, valid_to__isnull=True).exists()
    if receiver is None and live_children:
        raise ValidationError(
            {
                "receiver": _(
                    "“%(unit)s” still has %(n)s units under it; name the unit that receives them."
                )
                % {"unit": unit.name, "n": len(live_children)}
            }
        )
    if receiver is not None:
        _require_alive(receiver, effective_date, "receiver")
        if receiver.pk == unit.pk or _is_within(receiver, unit):
            raise ValidationError(
                {
                    "receiver": _("“%(receiver)s” is inside “%(unit)s”, which is dissolved.")
                    % {"receiver": receiver.name, "unit": unit.name}
                }
            )
    event = _start_event(
        actor,
        RestructuringEvent.Kind.DISSOLVE,
        effective_date,
        legal_basis,
        note,
        {"unit": unit.code, "receiver": receiver.code if receiver else None},
    )
    if receiver is not None:
        _link(event, receiver, EventUnit.Role.RECEIVER)
        for child in live_children:
            _require_alive(child, effective_date, "unit")
            _move_under(actor, child, receiver, effective_date, event, EventUnit.Role.CHILD_MOVED)
        _transfer_posts(unit, receiver, effective_date, event)
    elif open_posts:
        _end_posts(unit, effective_date, event)
    _end_unit(actor, unit, effective_date, event, receiver)
    if receiver is not None:
        _notify_receivers(event, [(unit, receiver)])
        summary = _("Dissolved %(unit)s; %(receiver)s receives its units and records") % {
            "unit": unit.name,
            "receiver": receiver.name,
        }
    else:
        summary = _("Dissolved %(unit)s") % {"unit": unit.name}
    return _finish_event(event, summary)


@transaction.atomic
def reverse_event(
    actor: Any,
    original: RestructuringEvent,
    *,
    effective_date: dt.date | None = None,
    legal_basis: str,
    note: str = "",
) -> RestructuringEvent:
    """Correct a wrong event by recording its reversal; both stay in the history.

    Every unit the original touched must not have changed since; reverse later events first.
    """
    original = RestructuringEvent.objects.select_for_update().get(pk=original.pk)
    if original.kind == RestructuringEvent.Kind.REVERSE:
        raise ValidationError({"event": _("A correction cannot itself be reversed.")})
    if RestructuringEvent.objects.filter(reverses=original).exists():
        raise ValidationError({"event": _("This event has already been reversed.")})
    day = effective_date or original.effective_date
    if day < original.effective_date:
        raise ValidationError(
            {"effective_date": _("A correction cannot take effect before the event it reverses.")}
        )
    units = list(Unit.objects.filter(event_links__event=original).distinct())
    _require(actor, MANAGE_ORG, units)
    _lock(units)
    plans: list[tuple[Unit, UnitVersion | None]] = []
    for unit in units:
        unit.refresh_from_db()
        current = UnitVersion.objects.filter(unit=unit, valid_to__isnull=True).first()
        last_closed = UnitVersion.objects.filter(unit=unit).order_by("-valid_from", "-id").first()
        touched_now = (current is not None and current.event_id == original.pk) or (
            current is None and last_closed is not None and last_closed.closed_by_id == original.pk
        )
        receiver_only = (
            current is not None
            and current.event_id != original.pk
            and not (UnitVersion.objects.filter(unit=unit, closed_by=original).exists())
        )
        if receiver_only:
            continue  # a receiver whose own state the event did not change
        if not touched_now:
            raise ValidationError(
                {
                    "event": _(
                        "“%(unit)s” has changed since this event; reverse the later events first."
                    )
                    % {"unit": unit.name}
                }
            )
        previous = UnitVersion.objects.filter(unit=unit, closed_by=original).first()
        plans.append((unit, previous))
    reversal = _start_event(
        actor,
        RestructuringEvent.Kind.REVERSE,
        day,
        legal_basis,
        note,
        {"reverses": original.pk},
        reverses=original,
    )
    pending = {unit.pk for unit, _prev in plans}
    ordered: list[tuple[Unit, UnitVersion | None]] = []
    remaining = list(plans)
    while remaining:  # restore parents before their children
        ready = [p for p in remaining if p[1] is None or p[1].parent_id not in pending]
        if not ready:
            ready = remaining[:1]
        for plan in ready:
            ordered.append(plan)
            remaining.remove(plan)
            pending.discard(plan[0].pk)
    created_units: list[Unit] = []
    for unit, previous in ordered:
        before = audit.snapshot(unit, UNIT_AUDIT_FIELDS)
        if previous is None:
            created_units.append(unit)
            continue
        _close_version(unit, day, reversal)
        UnitVersion.objects.create(
            unit=unit,
            valid_from=day,
            name=previous.name,
            abbreviation=previous.abbreviation,
            kind=previous.kind,
            parent=previous.parent,
            event=reversal,
        )
        unit.name, unit.abbreviation = previous.name, previous.abbreviation
        unit.kind, unit.parent = previous.kind, previous.parent
        unit.valid_to = None
        unit.save()
        _repath(unit, previous.parent)
        _link(reversal, unit, EventUnit.Role.RESTORED)
        _audit_unit(actor, unit, before, reversal)
    for unit in created_units:  # units the wrong event established end now
        before = audit.snapshot(unit, UNIT_AUDIT_FIELDS)
        if Unit.objects.filter(parent=unit, valid_to__isnull=True).exists():
            raise ValidationError(
                {
                    "event": _("“%(unit)s” has units under it now; move them first.")
                    % {"unit": unit.name}
                }
            )
        _close_version(unit, day, reversal)
        unit.valid_to = day
        unit.save(update_fields=["valid_to", "updated_at"])
        _link(reversal, unit, EventUnit.Role.ENDED)
        _audit_unit(actor, unit, before, reversal)
    _reverse_posts(original, reversal, day)
    for hook in _reversal_hooks:
        hook(original, reversal)
    return _finish_event(reversal, _("Reversed: %(event)s") % {"event": original.summary})


def _reverse_posts(
    original: RestructuringEvent, reversal: RestructuringEvent, day: dt.date
) -> None:
    """Undo the post transfers of ``original``: end the copies, reopen the originals."""
    for post in Post.objects.filter(created_by_event=original, valid_to__isnull=True):
        post.holdings.filter(valid_to__isnull=True).update(valid_to=day, ended_by_event=reversal)
        post.valid_to = day
        post.ended_by_event = reversal
        post.save(update_fields=["valid_to", "ended_by_event"])
    for post in Post.objects.filter(ended_by_event=original):
        restored = Post.objects.create(
            unit=post.unit,
            post_type=post.post_type,
            full_time=post.full_time,
            valid_from=day,
            created_by_event=reversal,
            moved_from=post,
        )
        for holding in post.holdings.filter(ended_by_event=original):
            PostHolding.objects.create(
                post=restored,
                holder_name=holding.holder_name,
                valid_from=day,
                note=holding.note,
                created_by_event=reversal,
            )


# Other apps (members, documents) register here to move what belongs to an ended unit.
_receiver_hooks: list[Any] = []


def on_unit_ended(hook: Any) -> Any:
    """Register ``hook(event, source, receiver)`` run inside the event's transaction."""
    _receiver_hooks.append(hook)
    return hook


_reversal_hooks: list[Any] = []


def on_event_reversed(hook: Any) -> Any:
    """Register ``hook(original, reversal)`` run inside the reversal's transaction."""
    _reversal_hooks.append(hook)
    return hook


def _notify_receivers(event: RestructuringEvent, pairs: list[tuple[Unit, Unit]]) -> None:
    for hook in _receiver_hooks:
        for source, receiver in pairs:
            hook(event, source, receiver)


# --- unit details, posts and staffing -----------------------------------------------------


@transaction.atomic
def update_unit_details(actor: Any, unit: Unit, **details: str) -> Unit:
    """Change address and contacts (not name or place: those are events)."""
    _require(actor, MANAGE_ORG, [unit])
    allowed = {"address", "phone", "email", "website"}
    unknown = set(details) - allowed
    if unknown:
        raise ValidationError(_("These fields are changed by events: %s") % ", ".join(unknown))
    before = audit.snapshot(unit, allowed)
    for field, value in details.items():
        setattr(unit, field, nfc(value or ""))
    unit.full_clean(exclude=["kind", "parent", "path"])
    unit.save()
    changes = audit.diff(before, audit.snapshot(unit, allowed))
    if changes:
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=unit,
            scope_path=unit.path,
            changes=changes,
        )
    return unit


@transaction.atomic
def create_post(
    actor: Any, unit: Unit, post_type: PostType, *, full_time: bool, valid_from: dt.date
) -> Post:
    _require(actor, MANAGE_STAFF, [unit])
    if not unit.alive_on(valid_from):
        raise ValidationError(
            {
                "valid_from": _("“%(unit)s” is not alive on %(date)s.")
                % {"unit": unit.name, "date": _d(valid_from)}
            }
        )
    post = Post.objects.create(
        unit=unit, post_type=post_type, full_time=full_time, valid_from=valid_from
    )
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=post,
        scope_path=unit.path,
        changes={
            "post_type": [None, post_type.name],
            "full_time": [None, full_time],
            "valid_from": [None, valid_from.isoformat()],
        },
    )
    return post


@transaction.atomic
def assign_holder(
    actor: Any, post: Post, holder_name: str, *, valid_from: dt.date, note: str = ""
) -> PostHolding:
    """Put a named person in a post from ``valid_from``; the current holder, if any, ends then."""
    _require(actor, MANAGE_STAFF, [post.unit])
    holder_name = nfc(holder_name or "")
    if not holder_name:
        raise ValidationError({"holder_name": _("The holder's full name is required.")})
    if post.valid_to is not None or valid_from < post.valid_from:
        raise ValidationError(
            {"valid_from": _("The post is not open on %(date)s.") % {"date": _d(valid_from)}}
        )
    for current in post.holdings.filter(valid_to__isnull=True):
        if current.valid_from > valid_from:
            raise ValidationError(
                {
                    "valid_from": _("%(name)s holds the post from %(date)s, after this date.")
                    % {"name": current.holder_name, "date": _d(current.valid_from)}
                }
            )
        end_holding(actor, current, valid_to=valid_from, note=note)
    holding = PostHolding.objects.create(
        post=post, holder_name=holder_name, valid_from=valid_from, note=nfc(note)
    )
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=post,
        scope_path=post.unit.path,
        changes={"holder": [None, holder_name], "from": [None, valid_from.isoformat()]},
    )
    return holding


@transaction.atomic
def end_holding(actor: Any, holding: PostHolding, *, valid_to: dt.date, note: str = "") -> None:
    """A person leaves a post (retires, moves out): a full-time cadre fewer from ``valid_to``."""
    _require(actor, MANAGE_STAFF, [holding.post.unit])
    if holding.valid_to is not None:
        raise ValidationError(_("This holding has already ended."))
    if valid_to < holding.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    holding.valid_to = valid_to
    if note:
        holding.note = nfc(note)
    holding.save(update_fields=["valid_to", "note"])
    audit.record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=holding.post,
        scope_path=holding.post.unit.path,
        changes={"holder": [holding.holder_name, None], "until": [None, valid_to.isoformat()]},
        message=note,
    )


@transaction.atomic
def end_post(actor: Any, post: Post, *, valid_to: dt.date, note: str = "") -> None:
    """Abolish a post (biên chế cut); its holder, if any, leaves on the same day."""
    _require(actor, MANAGE_STAFF, [post.unit])
    for holding in post.holdings.filter(valid_to__isnull=True):
        end_holding(actor, holding, valid_to=valid_to, note=note)
    post.valid_to = valid_to
    post.save(update_fields=["valid_to"])
    audit.record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=post,
        scope_path=post.unit.path,
        changes={"valid_to": [None, valid_to.isoformat()]},
        message=note,
    )


# --- one entry point for events described as data (API, imports of events, the demo) ---------


def _resolve(actor: Any, code: Any, field: str) -> Unit:
    from congdoan.accounts.permissions import VIEW_ORG

    unit = Unit.objects.filter(code=nfc(str(code or ""))).first() if code else None
    if unit is None or (actor is not None and not can(actor, VIEW_ORG, unit.path)):
        raise ValidationError({field: _("No unit with code “%(code)s”.") % {"code": code or ""}})
    return unit


def _kind(code: Any, field: str) -> UnitKind:
    kind = UnitKind.objects.filter(code=str(code or "")).first()
    if kind is None:
        raise ValidationError({field: _("Unknown unit kind “%(kind)s”.") % {"kind": code or ""}})
    return kind


def _new_unit_from(actor: Any, data: dict, field: str, default_parent: Unit | None) -> NewUnit:
    if not isinstance(data, dict):
        raise ValidationError({field: _("Describe the new unit with code, name and kind.")})
    parent = _resolve(actor, data["parent"], field) if data.get("parent") else default_parent
    return NewUnit(
        code=str(data.get("code") or ""),
        name=str(data.get("name") or ""),
        abbreviation=str(data.get("abbreviation") or ""),
        kind=_kind(data.get("kind"), field),
        parent=parent,
    )


def record_event(actor: Any, data: dict[str, Any]) -> RestructuringEvent:
    """Record one event described as data (the JSON of ``POST /api/v1/org/events``)."""
    kind = data.get("kind")
    day = data.get("effective_date")
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError as exc:
            raise ValidationError(
                {"effective_date": _("Give the effective date as YYYY-MM-DD.")}
            ) from exc
    if not isinstance(day, dt.date):
        raise ValidationError({"effective_date": _("The effective date is required.")})
    common = {
        "effective_date": day,
        "legal_basis": str(data.get("legal_basis") or ""),
        "note": str(data.get("note") or ""),
    }
    if kind == RestructuringEvent.Kind.CREATE:
        spec = _new_unit_from(actor, data.get("new_unit") or {}, "new_unit", None)
        if spec.parent is None:
            raise ValidationError({"new_unit": _("Choose the parent unit.")})
        return create_unit(actor, spec, **common)[0]
    if kind == RestructuringEvent.Kind.RENAME:
        return rename_unit(
            actor,
            _resolve(actor, data.get("unit"), "unit"),
            name=data.get("name"),
            abbreviation=data.get("abbreviation"),
            **common,
        )
    if kind == RestructuringEvent.Kind.MOVE:
        return move_unit(
            actor,
            _resolve(actor, data.get("unit"), "unit"),
            _resolve(actor, data.get("parent"), "parent"),
            **common,
        )
    if kind == RestructuringEvent.Kind.MERGE:
        codes = data.get("sources") or []
        if not isinstance(codes, list):
            raise ValidationError({"sources": _("List the codes of the merged units.")})
        sources = [_resolve(actor, code, "sources") for code in codes]
        target = _resolve(actor, data["target"], "target") if data.get("target") else None
        new_target = None
        if data.get("new_unit"):
            default_parent = sources[0].parent if sources else None
            new_target = _new_unit_from(actor, data["new_unit"], "new_unit", default_parent)
        return merge_units(actor, sources, target=target, new_target=new_target, **common)[0]
    if kind == RestructuringEvent.Kind.SPLIT:
        source = _resolve(actor, data.get("unit"), "unit")
        specs = data.get("new_units") or []
        if not isinstance(specs, list):
            raise ValidationError({"new_units": _("List the new units.")})
        new_units = [_new_unit_from(actor, s, "new_units", source.parent) for s in specs]
        return split_unit(actor, source, new_units, children=data.get("children") or {}, **common)[
            0
        ]
    if kind == RestructuringEvent.Kind.DISSOLVE:
        receiver = _resolve(actor, data["receiver"], "receiver") if data.get("receiver") else None
        return dissolve_unit(
            actor, _resolve(actor, data.get("unit"), "unit"), receiver=receiver, **common
        )
    if kind == RestructuringEvent.Kind.REVERSE:
        original = RestructuringEvent.objects.filter(pk=data.get("event_id") or 0).first()
        if original is None:
            raise ValidationError({"event_id": _("No such event.")})
        return reverse_event(
            actor,
            original,
            effective_date=day,
            legal_basis=common["legal_basis"],
            note=common["note"],
        )
    raise ValidationError(
        {
            "kind": _("Unknown kind of event “%(kind)s”; use one of: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(RestructuringEvent.Kind.values)}
        }
    )
