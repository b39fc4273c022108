"""Read queries on members, always scoped to the user's units; personal data masked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Collate
from django.http import Http404

from congdoan.accounts.permissions import VIEW_MEMBERS, VIEW_PERSONAL
from congdoan.accounts.selectors import can, scope_for
from congdoan.core.scoping import Scope
from congdoan.core.text import fold
from congdoan.members.models import (
    MAJORITY_ETHNICITY,
    DuplicateFlag,
    Member,
    Membership,
    Sex,
    reversed_words,
)
from congdoan.members.validation import clean_cccd_text, clean_phone
from congdoan.org.models import Unit
from congdoan.org.selectors import live_children, root_paths


def visible_members(user: Any, permission: str = VIEW_MEMBERS) -> QuerySet[Member]:
    """Every member (any status) whose union is in the user's scope for ``permission``."""
    return _visible(scope_for(user, permission))[0]


def _visible(scope: Scope) -> tuple[QuerySet[Member], bool]:
    """The members in ``scope``, and whether that is every member (the whole tree)."""
    if scope.prefixes and set(scope.prefixes) >= set(root_paths()):
        return Member.objects.all(), True  # the whole tree: no join with the units needed
    return Member.objects.filter(scope.q("unit__path")), False


def search_members(
    user: Any,
    q: str = "",
    *,
    unit: Unit | None = None,
    status: str | None = None,
) -> QuerySet[Member]:
    """Members in scope, found by name (with or without diacritics), CCCD, card or phone.

    Words find the names that end with them, as whole words: "an" the given name An (not
    Lan, not Anh), "van an" Nguyễn Văn An and Trần Văn An, "nguyen van an" Nguyễn Văn An.
    Both come from indexes (see ``_ending``). When no name in the list ends so, the names
    that contain the text anywhere ("nguyen", "ngu", "van a").
    Sorted in Vietnamese name order: given name, middle names, family name.
    """
    members, everyone = _visible(scope_for(user, VIEW_MEMBERS))
    members = members.select_related("unit")
    if unit is not None:
        members = members.filter(unit__path__startswith=unit.path)
        everyone = False
    if status:
        members = members.filter(status=status)
    text = " ".join(q.split())
    if not text:
        return members.order_by("name_sort", "id")
    digits = "".join(ch for ch in text if ch.isdigit() or ch == "+")
    if digits and len(digits) >= len(text.replace(" ", "")) - 1:
        condition = Q(card_number=text) | Q(cccd=clean_cccd_text(digits))
        try:
            phone = clean_phone(digits)
        except Exception:  # not a phone number: the other keys still apply
            phone = ""
        if phone:
            condition |= Q(phone=phone)
        return _found_order(members.filter(condition))
    folded = fold(text)
    if digits:  # card numbers such as "LC-0001" hold digits; names do not
        return _found_order(
            members.filter(Q(name_folded__contains=folded) | Q(card_number=text.upper()))
        )
    found = _ending(members, folded, everyone)
    if found is not None:
        return found
    return _found_order(members.filter(name_folded__contains=folded))


#: A given name with at most this many members in part of the tree: they are read by id
#: and sorted; with more, the part holds a good share of the name, and walking its members
#: in name order finds a page soon (see ``_ending``).
FEW_MATCHES = 1000
#: The ends of names (several words) have no order to walk: their matches in part of the
#: tree are read by id up to this many (fewer than the country's, which the index range
#: would read), sorted from the index range beyond.
MANY_MATCHES = 10_000


def _ending(members: QuerySet[Member], folded: str, everyone: bool) -> QuerySet[Member] | None:
    """The ``members`` whose names end with the words of ``folded``; None when none do.

    One word is a given name: its members in name order, from the index of given names.
    Several are a prefix of the words read backwards: the matches, sorted. Over the whole
    tree (``everyone``) that is all. In part of it (a scope, a union), the ids of the
    matches there come first, from an index that holds each member's union and status
    beside the name: an entry out of the part is rejected there, without reading the
    member, however many members of that name the rest of the country has. Up to
    ``FEW_MATCHES`` (one word) or ``MANY_MATCHES`` (several) of them are then read by id
    and sorted; with more, the page comes as over the whole tree.
    """
    if " " not in folded:
        found = members.filter(given_folded=folded)
        page = found.order_by("name_sort", "id")
    else:
        backwards = reversed_words(folded)
        # The plain prefix is the index range (and what the planner can count); the words
        # must end where the typed ones do.
        found = members.filter(name_reversed__startswith=backwards)
        page = _found_order(
            found.filter(Q(name_reversed=backwards) | Q(name_reversed__startswith=backwards + " "))
        )
    if everyone:
        return page if page.exists() else None
    if " " not in folded:
        ids = list(found.order_by().values_list("pk", flat=True)[: FEW_MATCHES + 1])
        many = len(ids) > FEW_MATCHES
    else:
        rows = list(found.order_by().values_list("pk", "name_reversed")[: MANY_MATCHES + 1])
        many = len(rows) > MANY_MATCHES
        ids = [pk for pk, name in rows if name == backwards or name.startswith(backwards + " ")]
    if many:
        return page
    if not ids:
        return None
    # The ids are those of the part (scope, union, status): no need to filter it again. The
    # unions come in a second query, for the page only: joined, every match would look its
    # union up before the sort.
    return _found_order(Member.objects.prefetch_related("unit").filter(pk__in=ids))


def _found_order(members: QuerySet[Member]) -> QuerySet[Member]:
    """Name order for a filtered search, whose matches are found first and then sorted."""
    if connection.vendor == "postgresql":
        # name_sort holds only digits, so the "C" collation orders it the same way; it
        # also keeps the planner from walking the name_sort index over the whole table
        # while filtering (seconds at a million members): the trigram index finds the
        # matches, which are then sorted.
        return members.order_by(Collate("name_sort", "C"), "id")
    return members.order_by("name_sort", "id")


def get_member(user: Any, pk: Any, permission: str = VIEW_MEMBERS) -> Member:
    """One member in the user's scope; out of scope looks like absent (404)."""
    try:
        member = Member.objects.select_related("unit", "unit__kind").get(pk=int(pk))
    except (Member.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if not can(user, permission, member.unit.path):
        raise Http404
    return member


def receiving_union(code: str) -> Unit | None:
    """A union anywhere in the tree by code: a transfer may take a member out of one's scope.

    Only the union's own name and kind reach the caller (to name it in a message).
    """
    code = code.strip()
    if not code:
        return None
    units = Unit.objects.select_related("kind")
    return units.filter(code=code).first() or units.filter(code=code.upper()).first()


def card_by_token(token: str) -> Member | None:
    """The member behind a union card's public address: only name, status and union read."""
    if not 8 <= len(token) <= 32:
        return None
    return (
        Member.objects.select_related("unit")
        .filter(card_token=token)
        .only("full_name", "status", "unit__name")
        .first()
    )


def sees_personal_data(user: Any, member: Member) -> bool:
    return can(user, VIEW_PERSONAL, member.unit.path)


def mask(value: str, keep_start: int = 3, keep_end: int = 3) -> str:
    """``001085012345`` → ``001******345``; short values are hidden entirely."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "•" * len(value)
    return value[:keep_start] + "•" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def masked_cccd(member: Member) -> str:
    return mask(member.cccd)


def masked_phone(member: Member) -> str:
    return mask(member.phone, 3, 2)


def history(member: Member) -> list[Membership]:
    return list(
        member.memberships.select_related("unit", "event", "recorded_by").order_by(
            "valid_from", "id"
        )
    )


def open_duplicates(user: Any) -> QuerySet[DuplicateFlag]:
    """Unresolved duplicate flags where at least one of the two members is in scope."""
    scope = scope_for(user, VIEW_MEMBERS)
    in_scope = Member.objects.filter(scope.q("unit__path")).values("pk")
    return DuplicateFlag.objects.filter(resolved_at__isnull=True).filter(
        Q(member__in=in_scope) | Q(other__in=in_scope)
    )


def counts_by_child(unit: Unit, day: dt.date) -> list[tuple[Unit, int]]:
    """Each unit directly below ``unit`` with its members on ``day`` (one grouped query).

    Units that ended but still held members that day are listed too; departments (which
    hold no members) only when they have some.
    """
    valid = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    counts = (
        Membership.objects.filter(valid, unit__path__startswith=unit.path)
        .values("unit__path")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_path: dict[str, int] = {}
    for row in counts:
        rest = row["unit__path"][len(unit.path) :]
        if not rest:
            continue  # members directly in this union
        child_path = unit.path + rest.split("/", 1)[0] + "/"
        by_path[child_path] = by_path.get(child_path, 0) + row["n"]
    children = {u.path: u for u in live_children(unit)}
    missing = [path for path in by_path if path not in children]
    if missing:
        for child in Unit.objects.filter(path__in=missing).select_related("kind"):
            children[child.path] = child
    return [
        (child, by_path.get(path, 0))
        for path, child in children.items()
        if by_path.get(path) or not child.kind.is_department
    ]


# --- statistics ---------------------------------------------------------------------------

AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("<30", 0, 30),
    ("30-39", 30, 40),
    ("40-49", 40, 50),
    ("50-59", 50, 60),
    ("60+", 60, None),
)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass
class Stats:
    unit: Unit
    day: dt.date
    members: int = 0
    women: int = 0
    minorities: int = 0
    age_bands: dict[str, int] = field(default_factory=dict)
    new_this_year: int = 0
    left_this_year: int = 0

    def share(self, count: int) -> float:
        return round(100 * count / self.members, 1) if self.members else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.code,
            "as_of": self.day.isoformat(),
            "members": self.members,
            "women": self.women,
            "ethnic_minorities": self.minorities,
            "age_bands": self.age_bands,
            "new_this_year": self.new_this_year,
            "left_this_year": self.left_this_year,
        }


def stats(unit: Unit, day: dt.date) -> Stats:
    """Figures for ``unit``'s subtree on ``day``, from the membership periods valid that day.

    The subtree is the tree as it stands now (ended unions count under their custodian).
    Only the periods are read (they carry the member's figures), through their covering
    index on PostgreSQL.
    New members: joined this calendar year up to ``day``. Left: periods that ended this year
    by leaving, death or transfer out of the system.
    """
    year_start = dt.date(day.year, 1, 1)
    valid = Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    ended = [Membership.End.LEFT, Membership.End.DECEASED, Membership.End.TRANSFERRED_OUT]
    aggregates: dict[str, Any] = {
        "members": Count("unit_id", filter=valid),
        "women": Count("unit_id", filter=valid & Q(sex=Sex.FEMALE)),
        "minorities": Count("unit_id", filter=valid & ~Q(ethnicity=MAJORITY_ETHNICITY)),
        "new": Count("unit_id", filter=valid & Q(joined_on__gte=year_start, joined_on__lte=day)),
        "left": Count("unit_id", filter=Q(valid_to__lte=day, end__in=ended)),
    }
    for label, low, high in AGE_BANDS:
        condition = valid & Q(birth_date__lte=years_before(day, low))
        if high is not None:
            condition &= Q(birth_date__gt=years_before(day, high))
        aggregates[f"age:{label}"] = Count("unit_id", filter=condition)
    # One pass over the periods that began by ``day`` and had not ended before this year:
    # those valid on ``day`` and those that ended this year up to ``day``.
    row = Membership.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=year_start),
        unit__path__startswith=unit.path,
        valid_from__lte=day,
    ).aggregate(**aggregates)
    return Stats(
        unit=unit,
        day=day,
        members=row["members"],
        women=row["women"],
        minorities=row["minorities"],
        age_bands={label: row[f"age:{label}"] for label, _low, _high in AGE_BANDS},
        new_this_year=row["new"],
        left_this_year=row["left"],
    )
