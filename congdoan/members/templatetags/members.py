"""Template helpers of the member pages: masked personal data, and the navigation link."""

from __future__ import annotations

from typing import Any

from django import template

from congdoan.accounts.permissions import VIEW_MEMBERS
from congdoan.accounts.selectors import scope_for
from congdoan.members import selectors
from congdoan.members.models import Member

register = template.Library()


@register.filter
def masked_cccd(member: Member) -> str:
    return selectors.masked_cccd(member) or "—"


@register.filter
def masked_phone(member: Member) -> str:
    return selectors.masked_phone(member) or "—"


@register.filter
def views_members(user: Any) -> bool:
    """Whether the user holds a role that shows members somewhere (the menu link)."""
    return not scope_for(user, VIEW_MEMBERS).is_empty
