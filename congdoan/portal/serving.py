"""Serving public pages: the page cache for anonymous readers, counting, and live figures.

``@public_page`` wraps every public view. It finds the portal (``/p/<slug>/`` or the host,
from the in-process map of ``routing``, no query), then:

* for an anonymous reader (no session cookie) asking GET or HEAD, looks the page up in the
  cache under ``pagecache.page_key(portal, language|scheme://host/path?known-params)``. A hit
  is answered without touching the database: the view is counted in memory and the live
  figures are filled in;
* otherwise runs the view. A 200 answer that the view marked cacheable (``Live``; never for
  insiders' pages, previews or errors) is stored until the portal's generation changes, the
  next scheduled article appears or expires, or ``PAGE_TIMEOUT`` (a minute at most when the
  cache is process-local memory: another process's publishing cannot reach it).

Live figures (an article's views, online now, today, this week, total) are written by the
templates as HTML comments (``<!--cd:views-->`` ...), which the sanitised article text can
never contain, and replaced at serve time from ``counting`` (memory, not the database).

The fast path: ``PortalPageCacheMiddleware`` (first in ``MIDDLEWARE``) calls ``serve_cached``
before any other middleware, URL resolving or language activation. After a page was stored,
it completes the cache entry with every header the middleware stack added (``complete``), so
that a later hit can be answered from the entry alone, with the same bytes; one read of the
cache (the portal map's version, the portal's generation and the page together). Anything
else (a miss, an incomplete entry, a changed portal map) goes down the full stack.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import formats, timezone, translation

from congdoan.core.middleware import chosen_language
from congdoan.portal import counting, pagecache, routing

VIEWS = b"<!--cd:views-->"
STATS = {
    "online": b"<!--cd:online-->",
    "today": b"<!--cd:today-->",
    "week": b"<!--cd:week-->",
    "total": b"<!--cd:total-->",
}
MARK = b"<!--cd:"
# Query parameters that change a page; any other (utm_source, fbclid, ...) is ignored.
PAGE_PARAMS = ("page", "q", "print")
# Without a shared cache (no REDIS_URL) a page is kept at most this long, since publishing in
# one web process cannot reach the others' memory.
LOCAL_CACHE_TIMEOUT = 60
KEPT_HEADERS = ("Content-Type", "Cache-Control", "X-Robots-Tag", "Content-Disposition")


@dataclass
class Live:
    """What a rendered page needs at serve time; attached to the response as ``portal_live``."""

    portal_id: int
    article_id: int | None = None
    views: int = 0  # the article's view count in the database when the page was rendered
    cacheable: bool = True
    timeout: int | None = None


_GROUPING: dict[str | None, tuple[str, Any]] = {}


def number(value: int) -> bytes:
    """``formats.number_format(value, force_grouping=True)``, for an integer, in a few µs."""
    language = translation.get_language()
    found = _GROUPING.get(language)
    if found is None:
        found = (formats.get_format("THOUSAND_SEPARATOR"), formats.get_format("NUMBER_GROUPING"))
        _GROUPING[language] = found
    separator, grouping = found
    if grouping == 3 and type(value) is int:
        return f"{value:,}".replace(",", separator).encode()
    return formats.number_format(value, force_grouping=True).encode()


def fill(content: bytes, live: Live) -> bytes:
    """Replace the live-figure comments with the current figures."""
    if MARK not in content:
        return content
    if live.article_id is not None and VIEWS in content:
        content = content.replace(
            VIEWS, number(counting.article_views(live.article_id, live.views))
        )
    if any(token in content for token in STATS.values()):
        figures = counting.stats(live.portal_id)
        for name, token in STATS.items():
            content = content.replace(token, number(figures[name]))
    return content


def anonymous(request: HttpRequest) -> bool:
    """No session cookie: nobody signed in, nothing personal on the page."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _variant(request: HttpRequest) -> str:
    params = sorted(
        (name, value)
        for name in PAGE_PARAMS
        for value in request.GET.getlist(name)[:1]
        if value != ""
    )
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    query = urlencode(params)
    return f"{language}|{request.scheme}://{request.get_host()}{request.path}?{query}"


def _process_local_cache() -> bool:
    """Local memory: another web process cannot see this one's generation bump."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return backend.endswith(("LocMemCache", "DummyCache"))


def _timeout(live: Live, ceiling: int | None) -> int:
    from congdoan.portal import selectors

    local = LOCAL_CACHE_TIMEOUT if _process_local_cache() else None
    timeout = min(t for t in (pagecache.PAGE_TIMEOUT, live.timeout, ceiling, local) if t)
    moment = selectors.next_schedule_change(live.portal_id)
    if moment is not None:
        timeout = min(timeout, int((moment - timezone.now()).total_seconds()) + 1)
    return max(timeout, 1)


def _finish(request: HttpRequest, response: HttpResponse, live: Live, count: bool) -> HttpResponse:
    if count and response.status_code == 200:
        visitor = counting.record(request, live.portal_id, live.article_id)
        if visitor:
            response.set_cookie(
                counting.COOKIE,
                visitor,
                max_age=counting.COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
    response.content = fill(response.content, live)
    if "Cache-Control" not in response:
        response["Cache-Control"] = "no-cache" if live.cacheable else "private, no-cache"
    return response


def _from_cache(request: HttpRequest, entry: dict[str, Any], count: bool) -> HttpResponse:
    response = HttpResponse(entry["content"], headers=entry["headers"])
    return _finish(request, response, entry["live"], count)


# --- the fast path (PortalPageCacheMiddleware) ----------------------------------------------

STORED = "_portal_page_stored"  # request attribute: (key, entry, timeout) of a page just stored
EXCLUDED_HEADERS = frozenset({"content-length", "set-cookie"})


def serve_cached(request: HttpRequest) -> HttpResponse | None:
    """A complete cached page for an anonymous GET or HEAD under ``/p/<slug>/`` or on a
    portal's host, counted and with its live figures; None: go down the full stack."""
    path = request.path_info
    routes = routing.loaded()
    if path.startswith("/p/"):
        portal_id = routes.by_slug.get(path[3:].partition("/")[0])
    else:
        if path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        portal_id = routes.by_host.get(routing.normal_host(host))
    if portal_id is None:
        return None
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None
    language = chosen_language(request)
    request.LANGUAGE_CODE = language
    try:
        variant = _variant(request)
    except DisallowedHost:
        return None
    _key, entry, found = pagecache.lookup(portal_id, variant, routing.VERSION_KEY)
    if (
        entry is None
        or not entry.get("complete")
        or found.get(routing.VERSION_KEY) != routes.version
    ):
        return None
    response = HttpResponse(entry["content"], headers=entry["headers"])
    if language == translation.get_language():
        response = _finish(request, response, entry["live"], entry["count"])
    else:
        with translation.override(language):
            response = _finish(request, response, entry["live"], entry["count"])
    response.headers["Content-Length"] = str(len(response.content))
    return response


def complete_entry(request: HttpRequest, response: HttpResponse) -> None:
    """Store the page stored during this request again, with the headers the whole middleware
    stack gave it, for ``serve_cached``."""
    stored = getattr(request, STORED, None)
    if stored is None or response.status_code != 200 or response.streaming:
        return
    key, entry, timeout = stored
    headers = {k: v for k, v in response.headers.items() if k.lower() not in EXCLUDED_HEADERS}
    cache.set(key, {**entry, "headers": headers, "complete": True}, timeout)


def public_page(
    view: Callable[..., HttpResponse] | None = None,
    *,
    count: bool = True,
    timeout: int | None = None,
) -> Any:
    """Decorate a public view (see the module's docstring). ``count``: a reader's page view
    (not feeds, the sitemap or robots.txt); ``timeout``: a shorter life in the cache."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, portal_slug: str | None = None, **kwargs: Any
        ) -> HttpResponse:
            if portal_slug is not None:
                portal_id = routing.portal_id_by_slug(portal_slug)
                request.portal_base = f"/p/{portal_slug}/"
            else:
                portal_id = getattr(request, "portal_id", None)
                request.portal_base = "/"
            if portal_id is None:
                raise Http404
            request.portal_id = portal_id
            key = None
            if request.method in ("GET", "HEAD") and anonymous(request):
                key, entry, _found = pagecache.lookup(portal_id, _variant(request))
                if entry is not None:
                    return _from_cache(request, entry, count)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            live = getattr(response, "portal_live", None)
            if live is None:
                return response
            if key and response.status_code == 200 and live.cacheable:
                entry = {
                    "content": response.content,
                    "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
                    "live": live,
                    "count": count,
                }
                life = _timeout(live, timeout)
                cache.set(key, entry, life)
                setattr(request, STORED, (key, entry, life))
            return _finish(request, response, live, count)

        return wrapper

    return decorate(view) if view is not None else decorate
