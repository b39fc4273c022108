"""RSS feeds of a portal (Django's syndication framework): the whole portal and each
category with its sub-categories. Only public articles, whoever asks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Rss201rev2Feed

from congdoan.portal import selectors
from congdoan.portal.models import Article, Category, Portal
from congdoan.portal.public import Links

ITEMS = 30


@dataclass
class Source:
    portal: Portal
    links: Links
    category: Category | None
    category_ids: list[int] | None


class PortalFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(  # type: ignore[override]
        self, request: HttpRequest, portal: Portal, category_slug: str | None = None
    ) -> Source:
        links = Links(request, portal)
        self.links = links
        if category_slug is None:
            return Source(portal, links, None, None)
        tree = selectors.category_tree(portal)
        category = next((c for c in tree if c.slug == category_slug), None)
        if category is None:
            raise Http404
        return Source(portal, links, category, selectors.subtree_ids(category, tree))

    def title(self, obj: Source) -> str:
        if obj.category is not None:
            return f"{obj.category.name} – {obj.portal.name}"
        return obj.portal.name

    def link(self, obj: Source) -> str:
        if obj.category is not None:
            return obj.links.absolute("category", category_slug=obj.category.slug)
        return obj.links.absolute("home")

    def description(self, obj: Source) -> str:
        if obj.category is not None and obj.category.description:
            return obj.category.description
        return obj.portal.tagline or obj.portal.name

    def items(self, obj: Source) -> list[Article]:
        articles = selectors.reader_articles(obj.portal)
        if obj.category_ids is not None:
            articles = articles.filter(category_id__in=obj.category_ids)
        return list(articles[:ITEMS])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_link(self, item: Article) -> str:
        return self.links.article_absolute(item)

    def item_pubdate(self, item: Article) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.name]

    def item_author_name(self, item: Article) -> Any:
        return item.byline or None
