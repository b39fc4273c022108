"""Template helpers of the document pages: the navigation link and its unread count."""

from __future__ import annotations

from typing import Any

from django import template

from congdoan.accounts.permissions import VIEW_DOCUMENTS
from congdoan.accounts.selectors import scope_for
from congdoan.documents import selectors

register = template.Library()


@register.filter
def views_documents(user: Any) -> bool:
    """Whether the user holds a role that shows documents somewhere (the menu link)."""
    return not scope_for(user, VIEW_DOCUMENTS).is_empty


@register.simple_tag
def unread_documents(user: Any) -> int:
    """Deliveries not opened yet in the inboxes of the user's own units."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return sum(selectors.unread_count(user, unit) for unit in selectors.document_units(user))
