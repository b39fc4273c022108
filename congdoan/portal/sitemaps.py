"""The sitemap of a portal (Django's sitemaps framework): home, public categories and public
articles, at their canonical addresses (the portal's host when it has one)."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap

from congdoan.portal import selectors
from congdoan.portal.models import Article, Category
from congdoan.portal.public import Links

ARTICLES = 5000


class _PortalSitemap(Sitemap):
    def __init__(self, links: Links) -> None:
        self.links = links
        self.portal = links.portal

    def get_domain(self, site: Any = None) -> str:
        if self.portal.host:
            return self.portal.host
        return super().get_domain(site)

    def _at(self, path: str) -> str:
        return path if self.portal.host else f"/p/{self.portal.slug}{path}"


class HomeSitemap(_PortalSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self) -> list[str]:
        return ["home"]

    def location(self, item: str) -> str:
        return self._at(self.links.path(item))


class CategorySitemap(_PortalSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self) -> list[Category]:
        return selectors.category_tree(self.portal)

    def location(self, item: Category) -> str:
        return self._at(self.links.path("category", category_slug=item.slug))


class ArticleSitemap(_PortalSitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = ARTICLES

    def items(self) -> Any:
        return selectors.reader_articles(self.portal)

    def location(self, item: Article) -> str:
        return self._at(
            self.links.path("article", category_slug=item.category.slug, article_slug=item.slug)
        )

    def lastmod(self, item: Article) -> Any:
        return item.updated_at


def sitemaps_for(links: Links) -> dict[str, Sitemap]:
    return {
        "home": HomeSitemap(links),
        "categories": CategorySitemap(links),
        "articles": ArticleSitemap(links),
    }
