"""Read queries for the portals.

Public reads return only what a reader may see: published, not yet expired, and internal
content only to signed-in staff or members of the portal's federation (a role at its unit or
below, or above it). Staff reads are scoped to the user's units like everything else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from congdoan.accounts.permissions import EDIT_ARTICLES, READ_INTERNAL, WRITE_ARTICLES
from congdoan.accounts.selectors import active_assignments, can, scope_for
from congdoan.portal.models import Article, Category, Portal


def portal_by_host(host: str) -> Portal | None:
    host = host.split(":", 1)[0].lower()
    if not host:
        return None
    return Portal.objects.filter(host=host, is_active=True).select_related("unit").first()


def portal_by_slug(slug: str) -> Portal:
    portal = Portal.objects.filter(slug=slug, is_active=True).select_related("unit").first()
    if portal is None:
        raise Http404
    return portal


def reads_internal(user: Any, portal: Portal) -> bool:
    """Signed-in staff or members of the federation: a role at its unit, below or above it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if can(user, READ_INTERNAL, portal.unit.path):
        return True
    return any(a.unit.path.startswith(portal.unit.path) for a in active_assignments(user))


def live_articles(portal: Portal, *, internal: bool = False) -> QuerySet[Article]:
    """Published articles a reader sees now, newest first."""
    now = timezone.now()
    articles = Article.objects.filter(
        portal=portal,
        status=Article.Status.PUBLISHED,
        published_at__lte=now,
    ).filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    if not internal:
        articles = articles.filter(internal=False, category__internal=False)
    return articles.select_related("category", "cover").order_by("-published_at", "-id")


def categories(portal: Portal, *, internal: bool = False) -> list[Category]:
    found = Category.objects.filter(portal=portal)
    if not internal:
        found = found.filter(internal=False)
    return list(found.order_by("order", "name"))


def managed_portals(user: Any, permission: str = WRITE_ARTICLES) -> QuerySet[Portal]:
    """The portals of federations where the user holds ``permission`` (at or above them)."""
    scope = scope_for(user, permission)
    return Portal.objects.filter(scope.q("unit__path")).select_related("unit").order_by("name")


def staff_articles(user: Any, portal: Portal) -> QuerySet[Article]:
    """Every article of a portal the user writes for (404 when out of scope)."""
    if not can(user, WRITE_ARTICLES, portal.unit.path):
        raise Http404
    return Article.objects.filter(portal=portal).select_related("category", "created_by")


def get_staff_article(user: Any, pk: int) -> Article:
    article = (
        Article.objects.select_related("portal", "portal__unit", "category", "cover")
        .filter(pk=pk)
        .first()
    )
    if article is None or not can(user, WRITE_ARTICLES, article.portal.unit.path):
        raise Http404
    return article


def edits(user: Any, portal: Portal) -> bool:
    return can(user, EDIT_ARTICLES, portal.unit.path)
