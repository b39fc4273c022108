"""Answers every app's views give alike: a file to download, a service's refusal as messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def download(
    data: bytes, filename: str, content_type: str, *, inline: bool = False
) -> HttpResponse:
    """``data`` as a file (``inline``: shown in the browser), never kept by a shared cache: it
    holds what only this user may see."""
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def error_messages(request: HttpRequest, exc: ValidationError) -> None:
    """A service's refusal as error messages on the next page (a form-less action)."""
    for message in exc.messages:
        messages.error(request, message)
