"""``/api/v1/portal``: the portals' public figures and articles, open to anyone (``auth=None``).

* ``GET /stats?site=laocai``: visitors online now, today, this week (Monday to today) and in
  all; the same figures as the "Thống kê truy cập" block.
* ``GET /articles?q=&category=&site=``: published, public articles, newest first, paginated,
  each with its public address. ``q`` matches with or without diacritics; ``category`` is a
  category's address name (with its sub-categories); without ``site``, every open portal.

No ``from __future__ import annotations`` here: ninja resolves the annotations of a paginated
view in the pagination module's namespace, so they must be real objects, not strings.
"""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from congdoan.portal import counting, routing, selectors
from congdoan.portal.models import Article
from congdoan.portal.public import Links, rendition

router = Router(tags=["portal"])


class StatsOut(Schema):
    online: int = Field(..., description="distinct visitors in the last 5 minutes")
    today: int = Field(..., description="visits today (Asia/Ho_Chi_Minh)")
    week: int = Field(..., description="visits since Monday")
    total: int = Field(..., description="visits in all")


class ArticleOut(Schema):
    id: int
    site: str = Field(..., description="the portal's address name")
    title: str
    summary: str
    category: str
    category_slug: str
    published_at: dt.datetime
    views: int
    tags: list[str]
    url: str = Field(..., description="the article's public address")
    image: str | None = Field(None, description="the share picture's address")

    @staticmethod
    def resolve_site(obj: Article) -> str:
        return obj.portal.slug

    @staticmethod
    def resolve_category(obj: Article) -> str:
        return obj.category.name

    @staticmethod
    def resolve_category_slug(obj: Article) -> str:
        return obj.category.slug

    @staticmethod
    def resolve_views(obj: Article) -> int:
        return counting.article_views(obj.id, obj.view_count)

    @staticmethod
    def resolve_tags(obj: Article) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_url(obj: Article, context: dict[str, Any]) -> str:
        return Links(context["request"], obj.portal).article_absolute(obj)

    @staticmethod
    def resolve_image(obj: Article, context: dict[str, Any]) -> str | None:
        if obj.cover is None:
            return None
        return Links(context["request"], obj.portal).media(rendition(obj.cover, "share"))


def _portal_id(site: str) -> int:
    portal_id = routing.portal_id_by_slug(site)
    if portal_id is None:
        raise Http404
    return portal_id


@router.get("/stats", response=StatsOut, auth=None)
def stats(request: HttpRequest, site: str) -> Any:
    """Visitor figures of the portal ``site``."""
    return counting.stats(_portal_id(site))


@router.get("/articles", response=list[ArticleOut], auth=None)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def articles(request: HttpRequest, q: str = "", category: str = "", site: str = "") -> Any:
    """Published public articles, newest first."""
    portal = selectors.public_portal(_portal_id(site)) if site else None
    found = selectors.search_articles(portal, q)
    if category:
        if portal is None:
            found = found.filter(category__slug=category)
        else:
            tree = selectors.category_tree(portal)
            chosen = next((c for c in tree if c.slug == category), None)
            if chosen is None:
                raise Http404
            found = found.filter(category_id__in=selectors.subtree_ids(chosen, tree))
    return found.select_related("portal", "category", "cover").prefetch_related("tags")
