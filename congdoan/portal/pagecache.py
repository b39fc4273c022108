"""The cache of published pages for anonymous readers, one generation per portal.

Every cached page's key holds its portal's generation number; publishing, editing a published
article, unpublishing or changing a category bumps the generation, so every page of that
portal is read afresh at once, and old entries simply expire. Works with any Django cache
(local memory by default, Redis when ``REDIS_URL`` is set: then all web processes share it).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

PAGE_TIMEOUT = 600  # seconds a cached page is kept at most

# The generation this process last read per portal: ``lookup`` asks the cache for it and for
# the page under it at once (one round trip), and reads again when it has changed.
_known: dict[int, int] = {}


def _generation_key(portal_id: int) -> str:
    return f"portal:{portal_id}:generation"


def generation(portal_id: int) -> int:
    value = cache.get(_generation_key(portal_id))
    if value is None:
        cache.add(_generation_key(portal_id), 1, timeout=None)
        value = cache.get(_generation_key(portal_id)) or 1
    _known[portal_id] = int(value)
    return int(value)


def invalidate(portal_id: int) -> None:
    """Forget every cached page of the portal (call after the change is committed)."""
    try:
        cache.incr(_generation_key(portal_id))
    except ValueError:
        cache.set(_generation_key(portal_id), 2, timeout=None)


def _page_key(portal_id: int, number: int, path: str) -> str:
    return f"portal:{portal_id}:{number}:page:{path}"


def page_key(portal_id: int, path: str) -> str:
    return _page_key(portal_id, generation(portal_id), path)


def lookup(portal_id: int, path: str, *also: str) -> tuple[str, Any, dict[str, Any]]:
    """The page's key, its cached entry (None: not cached) and the cache's values of the keys
    ``also``: one read of the cache when the generation this process knows is still current."""
    guess = _known.get(portal_id)
    if guess is not None:
        key = _page_key(portal_id, guess, path)
        found = cache.get_many([_generation_key(portal_id), key, *also])
        current = found.get(_generation_key(portal_id))
        if current is not None and int(current) == guess:
            return key, found.get(key), found
    key = page_key(portal_id, path)
    found = cache.get_many([key, *also])
    return key, found.get(key), found
