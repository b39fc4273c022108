"""Form pieces every app's pages share: dates as the browser's date picker sends them or as
typed (dd/mm/yyyy), and a service's ValidationError shown next to its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    """A date from ``<input type="date">`` (yyyy-mm-dd) or typed as dd/mm/yyyy."""
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def add_service_errors(
    form: forms.Form, exc: ValidationError, field_for: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: next to its field (``field_for`` maps a
    service's key to the form's field when they differ), else at the top."""
    field_for = field_for or {}
    if hasattr(exc, "error_dict"):
        for key, messages in exc.message_dict.items():
            field = field_for.get(key, key)
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
