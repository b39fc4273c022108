"""State changes for accounts: roles held at units and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.accounts.models import ApiToken, RoleAssignment, User
from congdoan.accounts.permissions import MANAGE_ROLES, Role
from congdoan.accounts.selectors import can
from congdoan.core import audit
from congdoan.core.models import AuditEntry

TOKEN_PREFIX = "cds_"  # noqa: S105 - a visible prefix, not a secret


def _require(actor: Any, permission: str, path: str) -> None:
    if actor is not None and not can(actor, permission, path):
        raise PermissionDenied


@transaction.atomic
def grant_role(actor: Any, *, user: User, unit: Any, role: str) -> RoleAssignment:
    """Give ``user`` ``role`` at ``unit``. ``actor`` None means the system (commands, demo)."""
    _require(actor, MANAGE_ROLES, unit.path)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    if not unit.is_active:
        raise ValidationError({"unit": _("Unit “%(unit)s” has ended.") % {"unit": unit.name}})
    existing = RoleAssignment.objects.filter(
        user=user, unit=unit, role=role, revoked_at__isnull=True
    ).first()
    if existing:
        return existing
    assignment = RoleAssignment.objects.create(user=user, unit=unit, role=role)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.GRANT,
        obj=assignment,
        scope_path=unit.path,
        changes={"user": [None, user.username], "role": [None, role], "unit": [None, unit.code]},
    )
    return assignment


@transaction.atomic
def revoke_role(actor: Any, assignment: RoleAssignment) -> RoleAssignment:
    _require(actor, MANAGE_ROLES, assignment.unit.path)
    if assignment.revoked_at is None:
        assignment.revoked_at = timezone.now()
        assignment.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.REVOKE,
            obj=assignment,
            scope_path=assignment.unit.path,
            changes={"revoked_at": [None, assignment.revoked_at.isoformat()]},
        )
    return assignment


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the plain text is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=secret[:12], token_hash=_hash(secret)
    )
    return token, secret


def revoke_token(user: User, token_id: int) -> None:
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("No such active token."))


def user_for_token(secret: str) -> User | None:
    """The active user owning an unrevoked token, or None. Records the last use."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
