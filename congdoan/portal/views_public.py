"""The readers' pages of a portal: home, categories, articles, topics, search, public
documents, feeds, the sitemap and robots.txt.

Thin: reads go through ``selectors``, the page frame and the article page through ``public``,
and ``serving.public_page`` does the caching and counting. Internal categories and articles
exist only for insiders (``selectors.reads_internal``): anyone else gets 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from congdoan.portal import selectors
from congdoan.portal.feeds import PortalFeed
from congdoan.portal.models import Portal
from congdoan.portal.public import (
    Links,
    breadcrumbs,
    decorate,
    frame,
    is_insider,
    online_services,
    render_article,
    render_page,
)
from congdoan.portal.serving import Live, public_page
from congdoan.portal.sitemaps import sitemaps_for

PER_PAGE = 20
BLOCK = 4
SEARCH_SECONDS = 60


def _portal_and_insider(request: HttpRequest) -> tuple[Portal, bool]:
    portal = selectors.public_portal(request.portal_id)
    return portal, is_insider(request, portal)


def _nav(request: HttpRequest, page: Any) -> dict[str, str]:
    """Addresses of the previous and next pages (the query kept)."""

    def at(number: int) -> str:
        params: dict[str, Any] = {"page": number}
        q = request.GET.get("q", "").strip()
        if q:
            params["q"] = q[:200]
        return f"{request.path}?{urlencode(params)}"

    nav = {}
    if page.has_previous():
        nav["previous"] = at(page.previous_page_number())
    if page.has_next():
        nav["next"] = at(page.next_page_number())
    return nav


def _page(request: HttpRequest, items: Any, links: Links) -> tuple[Any, dict[str, str]]:
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = decorate(list(page.object_list), links)
    return page, _nav(request, page)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    portal, insider = _portal_and_insider(request)
    context = frame(request, portal, insider)
    links: Links = context["links"]
    articles = selectors.reader_articles(portal, internal=insider)
    featured = decorate(list(articles.filter(featured=True)[:4]), links)
    shown = {a.id for a in featured}
    latest = decorate(list(articles.exclude(pk__in=shown)[:10]), links)
    if not featured and latest:
        featured, latest = latest[:1], latest[1:]
    blocks = []
    for category in context["menu"]:
        ids = selectors.subtree_ids(category, context["categories"])
        items = decorate(list(articles.filter(category_id__in=ids)[:BLOCK]), links)
        if items:
            blocks.append((category, items))
    context.update(
        featured=featured,
        home_latest=latest,
        blocks=blocks,
        services=online_services(links),
        is_home=True,
        description=portal.tagline,
        canonical=links.absolute("home"),
    )
    return render_page(request, portal, "portal/public/home.html", context)


@public_page
def category(request: HttpRequest, category_slug: str) -> HttpResponse:
    portal, insider = _portal_and_insider(request)
    context = frame(request, portal, insider)
    links: Links = context["links"]
    found = next((c for c in context["categories"] if c.slug == category_slug), None)
    if found is None:
        raise Http404
    ids = selectors.subtree_ids(found, context["categories"])
    page, nav = _page(request, selectors.articles_in(portal, ids, internal=insider), links)
    rss = links.url("category_rss", category_slug=found.slug)
    canonical = links.absolute("category", category_slug=found.slug)
    if page.number > 1:
        canonical += f"?page={page.number}"
    context.update(
        category=found,
        title=found.name,
        description=found.description,
        breadcrumbs=breadcrumbs(found, context["categories"])[:-1],
        children=found.child_list,
        page=page,
        nav=nav,
        canonical=canonical,
        feeds=[*context["feeds"], (found.name, rss)],
    )
    return render_page(request, portal, "portal/public/category.html", context)


@public_page
def article(request: HttpRequest, category_slug: str, article_slug: str) -> HttpResponse:
    portal, insider = _portal_and_insider(request)
    found = selectors.public_article(portal, article_slug, internal=insider)
    if found.category.slug != category_slug:  # moved to another category: its address now
        return redirect(Links(request, portal).article(found), permanent=True)
    return render_article(request, portal, found, insider=insider)


@public_page
def topic(request: HttpRequest, tag_slug: str) -> HttpResponse:
    portal, insider = _portal_and_insider(request)
    tag = selectors.public_tag(portal, tag_slug)
    context = frame(request, portal, insider)
    links: Links = context["links"]
    articles = selectors.reader_articles(portal, internal=insider).filter(tags=tag)
    page, nav = _page(request, articles, links)
    context.update(
        tag=tag,
        title=_("Topic: %(name)s") % {"name": tag.name},
        page=page,
        nav=nav,
        canonical=links.absolute("topic", tag_slug=tag.slug),
    )
    return render_page(request, portal, "portal/public/topic.html", context)


@public_page(timeout=SEARCH_SECONDS)
def search(request: HttpRequest) -> HttpResponse:
    portal, insider = _portal_and_insider(request)
    context = frame(request, portal, insider)
    links: Links = context["links"]
    q = request.GET.get("q", "").strip()[:200]
    page, nav = None, {}
    if selectors.search_words(q):
        page, nav = _page(request, selectors.search_articles(portal, q, internal=insider), links)
    context.update(q=q, page=page, nav=nav, title=_("Search"), noindex=True)
    return render_page(request, portal, "portal/public/search.html", context)


@public_page(timeout=SEARCH_SECONDS)
def documents(request: HttpRequest) -> HttpResponse:
    portal, insider = _portal_and_insider(request)
    context = frame(request, portal, insider)
    links: Links = context["links"]
    q = request.GET.get("q", "").strip()[:200]
    paginator = Paginator(selectors.portal_documents(portal, q), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    items = list(page.object_list)
    for document in items:
        document.url = links.url("document", pk=document.pk)
    nav = _nav(request, page)
    context.update(
        q=q,
        page=page,
        items=items,
        nav=nav,
        title=_("Documents"),
        canonical=links.absolute("documents"),
        noindex=bool(q),
        documents_page=True,
    )
    return render_page(request, portal, "portal/public/documents.html", context)


@public_page
def document(request: HttpRequest, pk: int) -> HttpResponse:
    portal, insider = _portal_and_insider(request)
    found = selectors.portal_document(portal, pk)
    context = frame(request, portal, insider)
    links: Links = context["links"]
    attachments = list(found.attachments.defer("text"))
    for item in attachments:
        item.url = links.url("attachment", pk=item.pk)
    context.update(
        document=found,
        attachments=attachments,
        title=found.symbol or found.subject,
        description=found.subject,
        canonical=links.absolute("document", pk=found.pk),
        documents_page=True,
    )
    return render_page(request, portal, "portal/public/document.html", context)


@public_page(count=False)
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A file of a public document (checked against ``public_documents`` each time)."""
    from congdoan.documents.files import MIME_TYPES

    portal = selectors.public_portal(request.portal_id)
    found = selectors.portal_attachment(portal, pk)
    inline = found.kind == "pdf" and request.GET.get("inline") == "1"
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=not inline,
        filename=found.original_name,
        content_type=MIME_TYPES.get(found.kind, "application/octet-stream"),
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _feed(request: HttpRequest, category_slug: str | None) -> HttpResponse:
    portal = selectors.public_portal(request.portal_id)
    response = PortalFeed()(request, portal=portal, category_slug=category_slug)
    response["Cache-Control"] = "public, max-age=300"
    response.portal_live = Live(portal_id=portal.id)
    return response


@public_page(count=False)
def portal_feed(request: HttpRequest) -> HttpResponse:
    return _feed(request, None)


@public_page(count=False)
def category_feed(request: HttpRequest, category_slug: str) -> HttpResponse:
    return _feed(request, category_slug)


@public_page(count=False)
def sitemap(request: HttpRequest) -> HttpResponse:
    portal = selectors.public_portal(request.portal_id)
    response = sitemap_view(request, sitemaps=sitemaps_for(Links(request, portal)))
    response.render()
    response["Cache-Control"] = "public, max-age=3600"
    response.portal_live = Live(portal_id=portal.id)
    return response


@public_page(count=False)
def robots(request: HttpRequest) -> HttpResponse:
    portal = selectors.public_portal(request.portal_id)
    links = Links(request, portal)
    lines = [
        "User-agent: *",
        "Allow: /",
        f"Disallow: {links.url('search')}",
        f"Sitemap: {links.absolute('sitemap')}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    response.portal_live = Live(portal_id=portal.id)
    return response
