"""Reading query parameters the same way on every page."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _


def date_param(request: HttpRequest, name: str, default: dt.date) -> tuple[dt.date, str | None]:
    """The date in ``?name=`` (yyyy-mm-dd or dd/mm/yyyy), or ``default`` with a warning."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default, None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date(), None
        except ValueError:
            continue
    return default, _("“%(value)s” is not a date; showing %(default)s.") % {
        "value": raw,
        "default": default.strftime("%d/%m/%Y"),
    }
