"""Which portal a request is for, without asking the database on every page.

Each web process keeps a small map of the open portals: host name → id and address name
(slug) → id. It is reloaded every ``MAP_SECONDS`` and at once when any process saves or
deletes a portal (a version number kept in the shared cache changes), so a burst of readers
costs one cache read here, not a query. Unknown hosts (the staff office's own host) are
remembered as "no portal" by the same map.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from congdoan.portal.models import Portal

MAP_SECONDS = 30.0
VERSION_KEY = "portal:routes:version"


@dataclass
class _Routes:
    by_host: dict[str, int] = field(default_factory=dict)
    by_slug: dict[str, int] = field(default_factory=dict)
    slug_of: dict[int, str] = field(default_factory=dict)
    loaded_at: float = -1e9
    version: object = None


_lock = threading.Lock()
_routes = _Routes()


def _normal_host(host: str) -> str:
    return host.split(":", 1)[0].strip().lower().rstrip(".")


def _current() -> _Routes:
    global _routes
    version = cache.get(VERSION_KEY)
    routes = _routes
    if routes.version == version and time.monotonic() - routes.loaded_at < MAP_SECONDS:
        return routes
    with _lock:
        if _routes is not routes:  # another thread reloaded meanwhile
            return _routes
        from congdoan.portal import selectors

        fresh = _Routes(loaded_at=time.monotonic(), version=version)
        for pk, slug, host in selectors.portal_routes():
            fresh.by_slug[slug] = pk
            fresh.slug_of[pk] = slug
            if host:
                fresh.by_host[_normal_host(host)] = pk
        _routes = fresh
        return fresh


def loaded() -> _Routes:
    """The map as loaded, without asking the cache for the version (reloaded when older than
    ``MAP_SECONDS``): the caller reads ``VERSION_KEY`` along with its own keys and compares it
    with ``version``."""
    routes = _routes
    if time.monotonic() - routes.loaded_at < MAP_SECONDS:
        return routes
    return _current()


def normal_host(host: str) -> str:
    return _normal_host(host)


def portal_id_by_host(host: str) -> int | None:
    """The open portal served at ``host`` (port ignored), or None."""
    if not host:
        return None
    return _current().by_host.get(_normal_host(host))


def portal_id_by_slug(slug: str) -> int | None:
    return _current().by_slug.get(slug)


def slug_of(portal_id: int) -> str | None:
    return _current().slug_of.get(portal_id)


def forget() -> None:
    """Reload the map in every process (after a portal is added, changed or closed)."""
    global _routes
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(time.time() * 1000), timeout=None)
    with _lock:
        _routes = _Routes()


def _portal_changed(sender: type, **kwargs: object) -> None:
    forget()


post_save.connect(_portal_changed, sender=Portal, dispatch_uid="portal-routes-save")
post_delete.connect(_portal_changed, sender=Portal, dispatch_uid="portal-routes-delete")
