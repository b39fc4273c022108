"""Rendering the public pages: addresses, the frame every page shares, and the article page.

``render_article(request, portal, article, preview=False)`` is the article page exactly as
readers see it; the editors' preview calls it with ``preview=True`` (then nothing is counted
or cached, robots are told not to index it, and the figures are filled in at once).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from congdoan.portal import counting, selectors
from congdoan.portal.models import Article, Category, Image, Portal, Tag
from congdoan.portal.serving import Live, anonymous, fill

PUBLIC_URLCONF = "congdoan.portal.urls_public"
LATEST = 6
DOCUMENTS = 5


class Links:
    """Addresses of a portal's pages as this request reaches them (``/p/<slug>/...`` or the
    portal's host), and their canonical absolute form (the portal's host when it has one)."""

    def __init__(self, request: HttpRequest, portal: Portal) -> None:
        self.request = request
        self.portal = portal
        base = getattr(request, "portal_base", None)
        if base is None or getattr(request, "portal_id", None) != portal.id:
            base = f"/p/{portal.slug}/"
        self.prefix = base.rstrip("/")

    @staticmethod
    def path(name: str, **kwargs: Any) -> str:
        """The address inside the portal, e.g. ``/tin-tuc/bai-viet.html``."""
        return reverse(name, kwargs=kwargs or None, urlconf=PUBLIC_URLCONF)

    def url(self, name: str, **kwargs: Any) -> str:
        return self.prefix + self.path(name, **kwargs)

    def absolute(self, name: str, **kwargs: Any) -> str:
        return self.absolute_path(self.path(name, **kwargs))

    def absolute_path(self, path: str) -> str:
        """The canonical address of a path inside the portal."""
        if self.portal.host:
            return f"{self.request.scheme}://{self.portal.host}{path}"
        return self.request.build_absolute_uri(f"/p/{self.portal.slug}{path}")

    def media(self, url: str) -> str:
        """An absolute address for a stored file's URL."""
        if url.startswith(("http://", "https://")):
            return url
        if self.portal.host:
            return f"{self.request.scheme}://{self.portal.host}{url}"
        return self.request.build_absolute_uri(url)

    def home(self) -> str:
        return self.url("home")

    def category(self, category: Category) -> str:
        return self.url("category", category_slug=category.slug)

    def article(self, article: Article) -> str:
        return self.url("article", category_slug=article.category.slug, article_slug=article.slug)

    def article_absolute(self, article: Article) -> str:
        return self.absolute(
            "article", category_slug=article.category.slug, article_slug=article.slug
        )

    def tag(self, tag: Tag) -> str:
        return self.url("topic", tag_slug=tag.slug)


def rendition(image: Image | None, name: str) -> str:
    """The URL of one size of a picture (``page``, ``thumbnail``, ``share``), else the original."""
    if image is None:
        return ""
    for field in (getattr(image, name, None), image.page, image.original):
        if field:
            try:
                return field.url
            except ValueError:
                continue
    return ""


def decorate(articles: list[Article], links: Links) -> list[Article]:
    """Give each article its ``url``, ``thumb_url`` and ``picture_url`` for the templates."""
    for article in articles:
        article.url = links.article(article)
        article.thumb_url = rendition(article.cover, "thumbnail")
        article.picture_url = rendition(article.cover, "page")
    return articles


def is_insider(request: HttpRequest, portal: Portal) -> bool:
    """May this reader see the portal's internal pages? (No query for anonymous readers.)"""
    if anonymous(request):
        return False
    return selectors.reads_internal(request.user, portal)


def frame(request: HttpRequest, portal: Portal, insider: bool, **extra: Any) -> dict[str, Any]:
    """What every public page shows: menu, latest news, new documents, statistics."""
    links = Links(request, portal)
    categories = selectors.category_tree(portal, internal=insider)
    for category in categories:
        category.url = links.category(category)
    menu = [c for c in categories if c.parent_id is None and c.in_menu]
    latest = decorate(list(selectors.reader_articles(portal, internal=insider)[:LATEST]), links)
    documents = list(selectors.portal_documents(portal)[:DOCUMENTS])
    for document in documents:
        document.url = links.url("document", pk=document.pk)
    context = {
        "portal": portal,
        "links": links,
        "home_url": links.home(),
        "search_url": links.url("search"),
        "documents_url": links.url("documents"),
        "categories": categories,
        "menu": menu,
        "latest": latest,
        "new_documents": documents,
        "feeds": [(portal.name, links.url("rss"))],
        "insider": insider,
        "print_view": request.GET.get("print") == "1",
    }
    context.update(extra)
    return context


def online_services(links: Links) -> list[tuple[str, str]]:
    """Services readers can use online from this portal (only those that exist)."""
    return [(_("Look up public documents"), links.url("documents"))]


def render_page(
    request: HttpRequest,
    portal: Portal,
    template: str,
    context: dict[str, Any],
    *,
    article: Article | None = None,
    timeout: int | None = None,
) -> HttpResponse:
    """Render a public page, marked for ``@public_page`` (cache, counting, live figures)."""
    response = render(request, template, context)
    insider = bool(context.get("insider"))
    response.portal_live = Live(
        portal_id=portal.id,
        article_id=article.id if article else None,
        views=article.view_count if article else 0,
        cacheable=not insider and not context.get("has_internal"),
        timeout=timeout,
    )
    if article is not None:
        counting.remember_views(article.id, article.view_count)
    if insider:
        response["Cache-Control"] = "private, no-cache"
    return response


def breadcrumbs(category: Category, categories: list[Category]) -> list[Category]:
    """From the top category down to ``category``, from the categories already read."""
    by_id = {c.id: c for c in categories}
    chain: list[Category] = []
    node: Category | None = by_id.get(category.id, category)
    while node is not None and len(chain) < 10:
        chain.append(node)
        node = by_id.get(node.parent_id) if node.parent_id else None
    return list(reversed(chain))


def share_links(url: str, title: str) -> list[tuple[str, str, str]]:
    """(name, address, css class) of plain share links: no third-party script."""
    encoded = quote(url, safe="")
    return [
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={encoded}", "fb"),
        ("Zalo", f"https://sp.zalo.me/share_to_zalo?url={encoded}", "zalo"),
    ]


def _video(article: Article) -> dict[str, str] | None:
    """The privacy-friendly video embed: an iframe whose ``srcdoc`` is a link to the
    youtube-nocookie player; nothing is loaded from YouTube until the reader clicks."""
    if not article.video_url:
        return None
    from django.utils.html import escape

    from congdoan.portal.html import video_embed_url

    embed = video_embed_url(article.video_url)
    if not embed:
        return {"link": article.video_url}
    play = _("Play the video")
    srcdoc = (
        "<style>html,body{margin:0;height:100%;background:#111}"
        "a{display:flex;height:100%;align-items:center;justify-content:center;color:#fff;"
        "font:600 1.2rem/1.4 system-ui,sans-serif;text-decoration:none}"
        "a span{background:#b00;border-radius:12px;padding:.6rem 1.2rem;margin-right:.6rem}"
        "a:focus{outline:3px solid #fff;outline-offset:-6px}</style>"
        f'<a href="{escape(embed)}?autoplay=1"><span aria-hidden="true">▶</span>'
        f"{escape(play)}</a>"
    )
    return {"embed": embed, "srcdoc": srcdoc, "link": article.video_url}


def article_context(
    request: HttpRequest, portal: Portal, article: Article, insider: bool
) -> dict[str, Any]:
    context = frame(request, portal, insider)
    context["latest"] = [a for a in context["latest"] if a.id != article.id]
    links: Links = context["links"]
    chain = breadcrumbs(article.category, context["categories"])
    for category in chain:
        category.url = links.category(category)
    canonical = links.article_absolute(article)
    article.category.url = links.category(article.category)
    tags = list(article.tags.all())
    for tag in tags:
        tag.url = links.tag(tag)
    related = decorate(selectors.related_articles(article, internal=insider), links)
    cover = article.cover
    share_image = links.media(rendition(cover, "share")) if cover else ""
    # The sanitised text keeps only src and alt on pictures: load those below the fold lazily.
    body = mark_safe(article.body.replace("<img ", '<img loading="lazy" decoding="async" '))
    description = article.summary or ""
    context.update(
        {
            "article": article,
            "body": body,
            "title": article.title,
            "description": description,
            "canonical": canonical,
            "breadcrumbs": chain,
            "tags": tags,
            "related": related,
            "cover_url": rendition(cover, "page"),
            "share_image": share_image,
            "video": _video(article),
            "share": share_links(canonical, article.title),
            "print_url": f"{links.article(article)}?print=1",
            "published": article.published_at or article.publish_at or timezone.now(),
            "feeds": [
                *context["feeds"],
                (
                    article.category.name,
                    links.url("category_rss", category_slug=article.category.slug),
                ),
            ],
            "has_internal": article.internal or article.category.internal,
        }
    )
    return context


def render_article(
    request: HttpRequest,
    portal: Portal,
    article: Article,
    preview: bool = False,
    *,
    insider: bool | None = None,
) -> HttpResponse:
    """The article page as readers see it. ``preview``: for the editors (not counted, not
    cached, not indexed; figures filled in here since no ``@public_page`` wraps it)."""
    if insider is None:
        insider = True if preview else is_insider(request, portal)
    context = article_context(request, portal, article, insider)
    context["preview"] = preview
    if not preview:
        return render_page(request, portal, "portal/public/article.html", context, article=article)
    response = render(request, "portal/public/article.html", context)
    live = Live(portal_id=portal.id, article_id=article.id, views=article.view_count)
    response.content = fill(response.content, live)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
