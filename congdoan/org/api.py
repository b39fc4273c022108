"""``/api/v1/org/``: units, the tree as of a date, restructuring events, streamlining."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from congdoan.org import selectors, services

router = Router(tags=["org"])


class UnitOut(Schema):
    code: str
    name: str
    abbreviation: str
    kind: str = Field(..., alias="kind.code")
    parent: str | None = None
    valid_from: dt.date
    valid_to: dt.date | None = None

    @staticmethod
    def resolve_parent(unit: Any) -> str | None:
        return unit.parent.code if unit.parent_id else None


class UnitDetail(Schema):
    code: str
    name: str
    abbreviation: str
    kind: str
    parent: str | None = None
    valid_from: dt.date
    valid_to: dt.date | None = None
    kind_name: str
    address: str
    phone: str
    email: str
    website: str
    children: int
    subtree_units: int


class NodeOut(Schema):
    code: str
    name: str
    abbreviation: str
    depth: int
    child_count: int
    children: list[NodeOut]


class NewUnitIn(Schema):
    code: str
    name: str
    kind: str
    abbreviation: str = ""
    parent: str | None = None


class EventIn(Schema):
    kind: str = Field(..., description="create, rename, move, merge, split, dissolve, reverse")
    effective_date: dt.date
    legal_basis: str = Field(..., description="e.g. Hướng dẫn số 704/HD-TLĐ")
    note: str = ""
    unit: str | None = Field(None, description="rename, move, split, dissolve: the unit's code")
    name: str | None = None
    abbreviation: str | None = None
    parent: str | None = Field(None, description="move: the new parent's code")
    sources: list[str] | None = Field(None, description="merge: codes of the merged units")
    target: str | None = Field(None, description="merge: an existing receiving unit")
    new_unit: NewUnitIn | None = Field(None, description="create; merge into a new unit")
    new_units: list[NewUnitIn] | None = Field(None, description="split: the new units")
    children: dict[str, str] | None = Field(None, description="split: child code → new code")
    receiver: str | None = Field(None, description="dissolve: who receives children and records")
    event_id: int | None = Field(None, description="reverse: the event to reverse")


class EventOut(Schema):
    id: int
    kind: str
    effective_date: dt.date
    legal_basis: str
    summary: str
    units: list[dict[str, str]]


class KindCount(Schema):
    kind: str
    kind_name: str
    count: int


class StreamliningOut(Schema):
    unit: str
    since: dt.date
    until: dt.date
    units_removed: int
    units_created: int
    removed_by_kind: list[KindCount]
    created_by_kind: list[KindCount]
    full_time_cadres_since: int
    full_time_cadres_until: int
    full_time_cadres_reduced: int
    events: list[EventOut]


def _event_out(event: Any) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "effective_date": event.effective_date,
        "legal_basis": event.legal_basis,
        "summary": event.summary,
        "units": [
            {"code": link.unit.code, "role": link.role}
            for link in event.touched.select_related("unit").order_by("id")
        ],
    }


@router.get("/units", response=list[UnitOut])
@paginate(LimitOffsetPagination)
def list_units(
    request: HttpRequest, q: str = "", kind: str = "", parent: str = "", ended: bool = False
) -> Any:
    """Units in your scope; ``q`` matches names with or without diacritics, or a code."""
    return selectors.search_units(request.user, q=q, kind=kind, parent=parent, include_ended=ended)


@router.get("/units/{code}", response=UnitDetail)
def unit_detail(request: HttpRequest, code: str) -> Any:
    unit = selectors.get_unit(request.user, code)
    data = UnitOut.from_orm(unit).model_dump()
    data.update(
        kind_name=unit.kind.name,
        address=unit.address,
        phone=unit.phone,
        email=unit.email,
        website=unit.website,
        children=len(selectors.live_children(unit)),
        subtree_units=selectors.subtree_count(unit) - 1 if unit.is_active else 0,
    )
    return data


@router.get("/units/{code}/tree", response=NodeOut)
def unit_tree(request: HttpRequest, code: str, as_of: dt.date | None = None, depth: int = 2) -> Any:
    """The subtree as it stood on ``as_of`` (default today), ``depth`` levels (at most 6)."""
    unit = selectors.get_unit(request.user, code)
    day = as_of or timezone.localdate()
    node = selectors.tree_as_of(request.user, unit, day, max_depth=max(0, min(depth, 6)))
    if node is None:
        from django.http import Http404

        raise Http404
    return node


@router.post("/events", response={201: EventOut})
def create_event(request: HttpRequest, payload: EventIn) -> Any:
    """Record one restructuring event; refused with a message per field when it breaks a rule."""
    event = services.record_event(request.user, payload.model_dump(exclude_none=True))
    return Status(201, _event_out(event))


@router.get("/units/{code}/streamlining", response=StreamliningOut)
def unit_streamlining(
    request: HttpRequest, code: str, since: dt.date, until: dt.date | None = None
) -> Any:
    """Units removed and created and full-time cadres reduced since ``since``, from the events."""
    unit = selectors.get_unit(request.user, code)
    report = selectors.streamlining(unit, since, until or timezone.localdate())
    return {
        "unit": unit.code,
        "since": report.since,
        "until": report.until,
        "units_removed": report.removed_total,
        "units_created": report.created_total,
        "removed_by_kind": [
            {"kind": k.code, "kind_name": k.name, "count": n} for k, n in report.removed_by_kind
        ],
        "created_by_kind": [
            {"kind": k.code, "kind_name": k.name, "count": n} for k, n in report.created_by_kind
        ],
        "full_time_cadres_since": report.cadres_since,
        "full_time_cadres_until": report.cadres_until,
        "full_time_cadres_reduced": report.cadres_reduced,
        "events": [_event_out(e) for e in report.events],
    }
