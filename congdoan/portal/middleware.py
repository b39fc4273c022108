"""A request to a portal's own host is served by the portal's urlconf (``urls_host``)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

from congdoan.portal import routing, serving


class PortalHostMiddleware:
    """When the request's host is an open portal's ``host``, serve that portal at ``/``.

    The host must also be in ``ALLOWED_HOSTS``. The lookup is the in-process map of
    ``routing`` (no query per request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            host = request.get_host()
        except DisallowedHost:
            host = ""
        portal_id = routing.portal_id_by_host(host)
        if portal_id is not None:
            request.urlconf = "congdoan.portal.urls_host"
            request.portal_id = portal_id
        return self.get_response(request)


class PortalPageCacheMiddleware:
    """First in ``MIDDLEWARE``: an anonymous reader's GET or HEAD of a cached portal page is
    answered here, before sessions, CSRF, language, URL resolving and the view, with the bytes
    and headers the whole stack gave the page when it was stored (``serving.serve_cached``).
    A request with a session cookie, a miss or anything else goes down the full stack; a page
    stored on the way is then completed with the stack's headers for the next reader."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not serving.anonymous(request):
            return self.get_response(request)
        response = serving.serve_cached(request)
        if response is not None:
            return response
        response = self.get_response(request)
        serving.complete_entry(request, response)
        return response
