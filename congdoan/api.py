"""The JSON API, version 1: OpenAPI at /api/v1/openapi.json.

Authentication: a personal token in ``Authorization: Bearer ...`` or the
browser session (with CSRF). Every endpoint applies the caller's unit scope;
an object out of scope answers 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from congdoan.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Công Đoàn Số API",
    version="1",
    urls_namespace="api-v1",
    auth=[TokenAuth(), django_auth],
)


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"errors": _messages(exc)}, status=400)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Permission denied"}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found"}, status=404)


from congdoan.org.api import router as org_router  # noqa: E402

api.add_router("/org/", org_router)

from congdoan.members.api import router as members_router  # noqa: E402
from congdoan.members.api import stats_router as member_stats_router  # noqa: E402

api.add_router("/members", members_router)
api.add_router("/org/", member_stats_router)

from congdoan.documents.api import router as documents_router  # noqa: E402

api.add_router("/documents", documents_router)

from congdoan.emulation.api import router as emulation_router  # noqa: E402

api.add_router("/", emulation_router)

from congdoan.portal.api import router as portal_router  # noqa: E402

api.add_router("/portal", portal_router)
