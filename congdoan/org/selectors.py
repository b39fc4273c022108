"""Read queries for the organisation, each scoped to the user who asks."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from congdoan.accounts.permissions import VIEW_ORG
from congdoan.accounts.selectors import scope_for
from congdoan.core.scoping import Scope
from congdoan.core.text import fold, unit_sort_key
from congdoan.org.models import (
    EventUnit,
    Post,
    PostHolding,
    RestructuringEvent,
    Unit,
    UnitKind,
    UnitVersion,
)


def visible_units(user: Any, permission: str = VIEW_ORG) -> QuerySet[Unit]:
    """Every unit (alive or ended) in the user's scope."""
    return Unit.objects.filter(scope_for(user, permission).q("path"))


def search_units(
    user: Any,
    *,
    q: str = "",
    kind: str = "",
    parent: str = "",
    include_ended: bool = False,
) -> QuerySet[Unit]:
    """Units in scope matching ``q`` with or without diacritics, by kind and parent code."""
    units = visible_units(user).select_related("kind", "parent")
    if not include_ended:
        units = units.filter(valid_to__isnull=True)
    if q:
        folded = fold(q)
        units = units.filter(
            Q(name_folded__contains=folded) | Q(code__iexact=q.strip()) | Q(abbreviation__iexact=q)
        )
    if kind:
        units = units.filter(kind__code=kind)
    if parent:
        units = units.filter(parent__code=parent)
    return units.order_by("depth", "name")


def get_unit(user: Any, code: str, permission: str = VIEW_ORG) -> Unit:
    """A unit by code, or Http404 when absent or out of the user's scope."""
    unit = Unit.objects.select_related("kind", "parent").filter(code=code).first()
    if unit is None or not scope_for(user, permission).covers(unit.path):
        raise Http404
    return unit


def subtree(unit: Unit, *, alive_only: bool = True) -> QuerySet[Unit]:
    """The unit's current subtree, itself included."""
    units = Unit.objects.filter(path__startswith=unit.path)
    return units.filter(valid_to__isnull=True) if alive_only else units


def subtree_count(unit: Unit) -> int:
    return subtree(unit).count()


def root_paths() -> list[str]:
    """The paths of the top units (units without a parent): a scope holding them all
    covers every unit."""
    return list(Unit.objects.filter(parent__isnull=True).values_list("path", flat=True))


def live_children(unit: Unit) -> list[Unit]:
    children = list(Unit.objects.filter(parent=unit, valid_to__isnull=True).select_related("kind"))
    return sorted(children, key=lambda u: (u.kind.order, unit_sort_key(u.name)))


def kinds() -> list[UnitKind]:
    return list(UnitKind.objects.all())


# --- the tree as of a date ------------------------------------------------------------------


@dataclass(slots=True)
class Node:
    unit_id: int
    code: str
    name: str
    abbreviation: str
    kind_id: int
    parent_id: int | None
    depth: int
    path: str
    children: list[Node] = field(default_factory=list)
    child_count: int = 0


_VALID = "v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)"

_TREE_SQL = f"""
WITH RECURSIVE t(unit_id, code, name, abbreviation, kind_id, parent_id, lvl, path) AS (
    SELECT v.unit_id, u.code, v.name, v.abbreviation, v.kind_id, v.parent_id, 0, u.path
    FROM org_unitversion v JOIN org_unit u ON u.id = v.unit_id
    WHERE v.unit_id = %s AND {_VALID}
  UNION ALL
    SELECT v.unit_id, u.code, v.name, v.abbreviation, v.kind_id, v.parent_id, t.lvl + 1, u.path
    FROM t JOIN org_unitversion v ON v.parent_id = t.unit_id JOIN org_unit u ON u.id = v.unit_id
    WHERE {_VALID} AND t.lvl < %s
)
SELECT t.unit_id, t.code, t.name, t.abbreviation, t.kind_id, t.parent_id, t.lvl, t.path,
    CASE WHEN t.lvl = %s THEN (
        SELECT COUNT(*) FROM org_unitversion v WHERE v.parent_id = t.unit_id AND {_VALID}
    ) ELSE -1 END
FROM t
"""  # noqa: S608 - constant SQL; every value is a parameter


def tree_as_of(user: Any, root: Unit, day: dt.date, *, max_depth: int = 2) -> Node | None:
    """The subtree of ``root`` as it stood on ``day``, ``max_depth`` levels deep.

    Returns None when ``root`` did not exist that day. Nodes out of the user's
    scope are dropped. Each node knows how many children it had that day, the
    nodes on the last level too (counted in the same query), so a page can offer
    to open them.
    """
    scope = scope_for(user, VIEW_ORG)
    with connection.cursor() as cursor:
        cursor.execute(_TREE_SQL, [root.pk, day, day, day, day, max_depth, max_depth, day, day])
        rows = cursor.fetchall()
    nodes: dict[int, Node] = {}
    counts: dict[int, int] = {}
    for row in rows:
        if scope.covers(row[7]):
            nodes[row[0]] = Node(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7])
            if row[8] >= 0:
                counts[row[0]] = row[8]
    if root.pk not in nodes:
        return None
    for node in nodes.values():
        if node.unit_id != root.pk and node.parent_id in nodes:
            nodes[node.parent_id].children.append(node)
    kind_order = {k.pk: k.order for k in UnitKind.objects.all()}
    for node in nodes.values():
        if len(node.children) > 1:
            node.children.sort(
                key=lambda n: (kind_order.get(n.kind_id, 999), unit_sort_key(n.name))
            )
        node.child_count = counts.get(node.unit_id, len(node.children))
    return nodes[root.pk]


def national_tree_as_of(day: dt.date) -> dict[int | None, list[tuple]]:
    """The whole tree on ``day`` as ``{parent_id: [(unit_id, name, kind_id), ...]}``.

    For operators and reports; the caller checks that the user may see the root.
    """
    sql = "SELECT v.unit_id, v.parent_id, v.name, v.kind_id FROM org_unitversion v WHERE " + _VALID  # noqa: S608
    children: dict[int | None, list[tuple]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, [day, day])
        for unit_id, parent_id, name, kind_id in cursor.fetchall():
            children[parent_id].append((unit_id, name, kind_id))
    return children


def version_on(unit: Unit, day: dt.date) -> UnitVersion | None:
    return (
        UnitVersion.objects.filter(unit=unit, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("parent", "kind")
        .first()
    )


# --- history, staff and streamlining ---------------------------------------------------------


def history(unit: Unit) -> list[RestructuringEvent]:
    """Every event that touched the unit, oldest first."""
    return list(
        RestructuringEvent.objects.filter(touched__unit=unit)
        .distinct()
        .select_related("recorded_by", "reverses")
        .order_by("effective_date", "id")
    )


def event_for(user: Any, event_id: int) -> RestructuringEvent:
    event = RestructuringEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404
    scope = scope_for(user, VIEW_ORG)
    paths = Unit.objects.filter(event_links__event=event).values_list("path", flat=True)
    if not any(scope.covers(p) for p in paths):
        raise Http404
    return event


def staff_on(unit: Unit, day: dt.date) -> list[dict[str, Any]]:
    """Posts of the unit on ``day`` with who held them."""
    posts = (
        Post.objects.filter(unit=unit, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("post_type")
        .order_by("post_type__order", "id")
    )
    holdings = PostHolding.objects.filter(post__in=posts, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    by_post: dict[int, list[PostHolding]] = defaultdict(list)
    for holding in holdings:
        by_post[holding.post_id].append(holding)
    return [{"post": post, "holders": by_post.get(post.pk, [])} for post in posts]


def full_time_cadres(scope: Scope, day: dt.date) -> int:
    """Full-time cadres holding posts on ``day`` in units under ``scope``."""
    return (
        PostHolding.objects.filter(scope.q("post__unit__path"), post__full_time=True)
        .filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .count()
    )


def full_time_cadres_at(unit: Unit, day: dt.date) -> int:
    """Full-time cadres holding posts of this unit itself on ``day``."""
    return (
        PostHolding.objects.filter(post__unit=unit, post__full_time=True, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .count()
    )


@dataclass
class Streamlining:
    unit: Unit
    since: dt.date
    until: dt.date
    removed_by_kind: list[tuple[UnitKind, int]]
    created_by_kind: list[tuple[UnitKind, int]]
    removed_units: list[Unit]
    created_units: list[Unit]
    events: list[RestructuringEvent]
    cadres_since: int
    cadres_until: int
    cadre_departures: list[PostHolding]

    @property
    def removed_total(self) -> int:
        return sum(n for _k, n in self.removed_by_kind)

    @property
    def created_total(self) -> int:
        return sum(n for _k, n in self.created_by_kind)

    @property
    def net_units(self) -> int:
        return self.created_total - self.removed_total

    @property
    def cadres_reduced(self) -> int:
        return self.cadres_since - self.cadres_until


# A holding ended by an event that recreated it elsewhere is a transfer, not a departure.
_successor = PostHolding.objects.filter(
    created_by_event=OuterRef("ended_by_event"), holder_name=OuterRef("holder_name")
)


def streamlining(unit: Unit, since: dt.date, until: dt.date) -> Streamlining:
    """Units removed and created, and full-time cadres reduced, in ``unit``'s subtree
    between ``since`` (exclusive) and ``until`` (inclusive), computed from the events.

    Ended units are counted under the unit that received their records.
    """
    under = Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk)
    ever_alive = Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from"))
    removed = list(
        under.filter(ever_alive, valid_to__gt=since, valid_to__lte=until)
        .select_related("kind")
        .order_by("valid_to", "name")
    )
    created = list(
        under.filter(ever_alive, valid_from__gt=since, valid_from__lte=until)
        .select_related("kind")
        .order_by("valid_from", "name")
    )
    removed_ids = [u.pk for u in removed]
    created_ids = [u.pk for u in created]
    events = list(
        RestructuringEvent.objects.filter(
            Q(touched__unit_id__in=removed_ids, touched__role=EventUnit.Role.ENDED)
            | Q(touched__unit_id__in=created_ids, touched__role=EventUnit.Role.CREATED)
        )
        .filter(effective_date__gt=since, effective_date__lte=until)
        .distinct()
        .order_by("effective_date", "id")
    )
    scope = Scope.of([unit.path])
    departures = list(
        PostHolding.objects.filter(
            scope.q("post__unit__path"),
            post__full_time=True,
            valid_to__gt=since,
            valid_to__lte=until,
        )
        .filter(~Exists(_successor))
        .select_related("post__unit", "post__post_type")
        .order_by("valid_to", "holder_name")
    )
    return Streamlining(
        unit=unit,
        since=since,
        until=until,
        removed_by_kind=_by_kind(removed),
        created_by_kind=_by_kind(created),
        removed_units=removed,
        created_units=created,
        events=events,
        cadres_since=full_time_cadres(scope, since),
        cadres_until=full_time_cadres(scope, until),
        cadre_departures=departures,
    )


def _by_kind(units: list[Unit]) -> list[tuple[UnitKind, int]]:
    counts = Counter(u.kind_id for u in units)
    kinds_by_id = {u.kind_id: u.kind for u in units}
    return sorted(((kinds_by_id[k], n) for k, n in counts.items()), key=lambda pair: pair[0].order)
