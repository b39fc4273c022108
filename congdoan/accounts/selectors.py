"""Read queries for accounts: a user's scope and roles."""

from __future__ import annotations

from typing import Any

from congdoan.accounts.models import ApiToken, RoleAssignment
from congdoan.accounts.permissions import ROLE_PERMISSIONS, VIEW_ORG
from congdoan.core.scoping import Scope


def active_assignments(user: Any) -> list[RoleAssignment]:
    """The user's active roles with their units, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_active_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
            .select_related("unit", "unit__kind")
            .order_by("unit__depth", "unit__name")
        )
        user._active_assignments = cached
    return cached


def scope_for(user: Any, permission: str = VIEW_ORG) -> Scope:
    """The subtrees in which ``user`` holds a role granting ``permission``."""
    paths = [
        a.unit.path
        for a in active_assignments(user)
        if permission in ROLE_PERMISSIONS.get(a.role, frozenset())
    ]
    return Scope.of(paths)


def can(user: Any, permission: str, path: str) -> bool:
    """Whether ``user`` holds ``permission`` at the unit with materialised path ``path``."""
    return scope_for(user, permission).covers(path)


def tokens_of(user: Any) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))


def home_units(user: Any) -> list[Any]:
    """The distinct units at which the user holds roles, highest first."""
    seen: dict[int, Any] = {}
    for assignment in active_assignments(user):
        seen.setdefault(assignment.unit_id, assignment.unit)
    return list(seen.values())


def assignments_at(unit: Any) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(unit=unit, revoked_at__isnull=True)
        .select_related("user")
        .order_by("role", "user__username")
    )
