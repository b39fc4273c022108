"""Roles and what they allow. A role is held at a unit and covers its whole subtree."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

VIEW_ORG = "org.view"
MANAGE_ORG = "org.manage"  # restructuring events, unit details, import
MANAGE_STAFF = "org.staff"  # posts and holdings
MANAGE_ROLES = "accounts.roles"
VIEW_AUDIT = "core.audit"
VIEW_MEMBERS = "members.view"
MANAGE_MEMBERS = "members.manage"  # add, edit, transfer, import
VIEW_PERSONAL = "members.personal"  # CCCD and phone unmasked (Nghị định 13/2023/NĐ-CP)


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    LEADER = "leader", _("Leader")
    CLERK = "clerk", _("Records clerk (văn thư)")
    SPECIALIST = "specialist", _("Specialist (chuyên viên)")
    CHAIR = "chair", _("Grassroots union chair")


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            VIEW_ORG,
            MANAGE_ORG,
            MANAGE_STAFF,
            MANAGE_ROLES,
            VIEW_AUDIT,
            VIEW_MEMBERS,
            MANAGE_MEMBERS,
            VIEW_PERSONAL,
        }
    ),
    Role.LEADER: frozenset({VIEW_ORG, MANAGE_STAFF, VIEW_AUDIT, VIEW_MEMBERS}),
    Role.CLERK: frozenset(
        {
            VIEW_ORG,
            MANAGE_ORG,
            MANAGE_STAFF,
            VIEW_AUDIT,
            VIEW_MEMBERS,
            MANAGE_MEMBERS,
            VIEW_PERSONAL,
        }
    ),
    Role.SPECIALIST: frozenset({VIEW_ORG, VIEW_MEMBERS}),
    Role.CHAIR: frozenset({VIEW_ORG, MANAGE_STAFF, VIEW_MEMBERS, MANAGE_MEMBERS, VIEW_PERSONAL}),
}


def roles_with(permission: str) -> list[str]:
    return [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]
