"""The cache of published pages for anonymous readers, one generation per portal.

Every cached page's key holds its portal's generation number; publishing, editing a published
article, unpublishing or changing a category bumps the generation, so every page of that
portal is read afresh at once, and old entries simply expire. Works with any Django cache
(local memory by default, Redis when ``REDIS_URL`` is set: then all web processes share it).
"""

from __future__ import annotations

from django.core.cache import cache

PAGE_TIMEOUT = 600  # seconds a cached page is kept at most


def _generation_key(portal_id: int) -> str:
    return f"portal:{portal_id}:generation"


def generation(portal_id: int) -> int:
    value = cache.get(_generation_key(portal_id))
    if value is None:
        cache.add(_generation_key(portal_id), 1, timeout=None)
        value = cache.get(_generation_key(portal_id)) or 1
    return int(value)


def invalidate(portal_id: int) -> None:
    """Forget every cached page of the portal (call after the change is committed)."""
    try:
        cache.incr(_generation_key(portal_id))
    except ValueError:
        cache.set(_generation_key(portal_id), 2, timeout=None)


def page_key(portal_id: int, path: str) -> str:
    return f"portal:{portal_id}:{generation(portal_id)}:page:{path}"
