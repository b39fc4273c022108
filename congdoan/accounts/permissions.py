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
VIEW_DOCUMENTS = "documents.view"  # inbox, outbox, registers, search
VIEW_SECRET = "documents.secret"  # noqa: S105 - classified documents (mật and above)
DRAFT_DOCUMENTS = "documents.draft"  # compose, edit drafts, send for review, comment
SIGN_DOCUMENTS = "documents.sign"  # approve and sign, return to the drafter
ISSUE_DOCUMENTS = "documents.issue"  # văn thư: number, issue, distribute, recall
REGISTER_DOCUMENTS = "documents.register"  # văn thư: register incoming, acknowledge receipt
ASSIGN_DOCUMENTS = "documents.assign"  # leader: assign incoming documents (bút phê)
WRITE_ARTICLES = "portal.write"  # contributor: write and submit articles, upload images
EDIT_ARTICLES = "portal.edit"  # editor: approve, publish, schedule, unpublish, categories
APPROVE_ARTICLES = "portal.approve"  # leader: the approval some categories require
READ_INTERNAL = "portal.internal"  # read the federation's internal pages
VIEW_EMULATION = "emulation.view"  # movements, initiatives, contests, awards, reports
SUBMIT_INITIATIVES = "emulation.submit"  # register for movements, submit initiatives and entries
MANAGE_EMULATION = "emulation.manage"  # launch movements and contests, councils, awards, proposals


DOCUMENT_PERMISSIONS = frozenset(
    {
        VIEW_DOCUMENTS,
        VIEW_SECRET,
        DRAFT_DOCUMENTS,
        SIGN_DOCUMENTS,
        ISSUE_DOCUMENTS,
        REGISTER_DOCUMENTS,
        ASSIGN_DOCUMENTS,
    }
)


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    LEADER = "leader", _("Leader")
    CLERK = "clerk", _("Records clerk (văn thư)")
    SPECIALIST = "specialist", _("Specialist (chuyên viên)")
    CHAIR = "chair", _("Grassroots union chair")


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            WRITE_ARTICLES,
            EDIT_ARTICLES,
            APPROVE_ARTICLES,
            READ_INTERNAL,
            VIEW_EMULATION,
            SUBMIT_INITIATIVES,
            MANAGE_EMULATION,
            VIEW_ORG,
            MANAGE_ORG,
            MANAGE_STAFF,
            MANAGE_ROLES,
            VIEW_AUDIT,
            VIEW_MEMBERS,
            MANAGE_MEMBERS,
            VIEW_PERSONAL,
            *DOCUMENT_PERMISSIONS,
        }
    ),
    Role.LEADER: frozenset(
        {
            WRITE_ARTICLES,
            EDIT_ARTICLES,
            APPROVE_ARTICLES,
            READ_INTERNAL,
            VIEW_EMULATION,
            SUBMIT_INITIATIVES,
            MANAGE_EMULATION,
            VIEW_ORG,
            MANAGE_STAFF,
            VIEW_AUDIT,
            VIEW_MEMBERS,
            VIEW_DOCUMENTS,
            VIEW_SECRET,
            DRAFT_DOCUMENTS,
            SIGN_DOCUMENTS,
            ASSIGN_DOCUMENTS,
        }
    ),
    Role.CLERK: frozenset(
        {
            WRITE_ARTICLES,
            EDIT_ARTICLES,
            READ_INTERNAL,
            VIEW_EMULATION,
            SUBMIT_INITIATIVES,
            MANAGE_EMULATION,
            VIEW_ORG,
            MANAGE_ORG,
            MANAGE_STAFF,
            VIEW_AUDIT,
            VIEW_MEMBERS,
            MANAGE_MEMBERS,
            VIEW_PERSONAL,
            VIEW_DOCUMENTS,
            VIEW_SECRET,
            DRAFT_DOCUMENTS,
            ISSUE_DOCUMENTS,
            REGISTER_DOCUMENTS,
        }
    ),
    Role.SPECIALIST: frozenset(
        {
            VIEW_ORG,
            VIEW_MEMBERS,
            VIEW_DOCUMENTS,
            DRAFT_DOCUMENTS,
            WRITE_ARTICLES,
            READ_INTERNAL,
            VIEW_EMULATION,
            SUBMIT_INITIATIVES,
        }
    ),
    # A grassroots union has no văn thư or ban: its chair does it all.
    Role.CHAIR: frozenset(
        {
            READ_INTERNAL,
            VIEW_EMULATION,
            SUBMIT_INITIATIVES,
            VIEW_ORG,
            MANAGE_STAFF,
            VIEW_MEMBERS,
            MANAGE_MEMBERS,
            VIEW_PERSONAL,
            *DOCUMENT_PERMISSIONS,
        }
    ),
}


def roles_with(permission: str) -> list[str]:
    return [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]
