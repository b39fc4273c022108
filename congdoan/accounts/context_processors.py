from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from congdoan.accounts.selectors import active_assignments


def user_units(request: HttpRequest) -> dict[str, Any]:
    """The user's roles and units, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_assignments": []}
    return {"nav_assignments": active_assignments(user)}
