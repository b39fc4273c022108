"""Template helpers of the editors' pages: the menu link."""

from __future__ import annotations

from typing import Any

from django import template

from congdoan.accounts.permissions import WRITE_ARTICLES
from congdoan.accounts.selectors import scope_for

register = template.Library()


@register.filter
def writes_articles(user: Any) -> bool:
    """Whether the user writes for some portal (the "Portal" menu link)."""
    return not scope_for(user, WRITE_ARTICLES).is_empty
