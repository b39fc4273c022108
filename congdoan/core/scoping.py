"""Subtree scopes: a role held at a unit covers that unit's whole subtree.

Units carry a materialised path (``/1/35/812/``); a scope is the set of paths at
which a user holds a role. A unit is in scope when its path starts with one of
them. Queries filter with ``Scope.q()``; single objects with ``covers()``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404


@dataclass(frozen=True)
class Scope:
    prefixes: tuple[str, ...] = ()

    @classmethod
    def of(cls, paths: list[str] | tuple[str, ...]) -> Scope:
        """Build a scope, dropping paths already covered by a shorter one."""
        kept: list[str] = []
        for path in sorted(set(paths), key=len):
            if not any(path.startswith(prefix) for prefix in kept):
                kept.append(path)
        return cls(tuple(sorted(kept)))

    @property
    def is_empty(self) -> bool:
        return not self.prefixes

    def covers(self, path: str) -> bool:
        return bool(self.prefixes) and path.startswith(self.prefixes)

    def q(self, field: str = "path") -> Q:
        """A filter on ``field`` (a path) that keeps only rows in scope; nothing when empty."""
        if not self.prefixes:
            return Q(pk__in=[])
        query = Q()
        for prefix in self.prefixes:
            query |= Q(**{f"{field}__startswith": prefix})
        return query

    def require(self, path: str) -> None:
        """Raise Http404 when ``path`` is out of scope: out of scope looks like absent."""
        if not self.covers(path):
            raise Http404
