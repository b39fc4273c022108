"""Template helpers of the emulation pages: the navigation link and money in VND."""

from __future__ import annotations

from typing import Any

from django import template

from congdoan.core.text import vnd
from congdoan.emulation import selectors

register = template.Library()


@register.filter
def views_emulation(user: Any) -> bool:
    """Whether the user sees emulation somewhere (a role with it, or a council seat)."""
    return selectors.sees_emulation(user)


@register.filter(name="vnd")
def vnd_filter(value: Any) -> str:
    """An amount in VND with dots between thousands: 17.000.000 (empty when not a number)."""
    try:
        return vnd(int(value))
    except (TypeError, ValueError):
        return ""


@register.simple_tag(takes_context=True)
def member_initiatives(context: Any, member: Any) -> list[Any]:
    """The initiatives a member is an author of, among those the page's user sees (for the
    block on the member's page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if member is None or not selectors.sees_emulation(user):
        return []
    return selectors.initiatives_of_member(user, member)
