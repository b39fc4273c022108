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


# --- editorial (staff pages)
# (The imports at the top are shared with the public side: this section adds none there and
# reaches Image and Revision through their relations.)


def staff_portal(user: Any, slug: str) -> Portal:
    """A portal the user writes for, by its address name (404 when out of scope)."""
    portal = Portal.objects.select_related("unit").filter(slug=slug).first()
    if portal is None or not can(user, WRITE_ARTICLES, portal.unit.path):
        raise Http404
    return portal


def waiting_for(user: Any, portal: Portal) -> QuerySet[Article]:
    """Articles waiting for this user: submitted ones for an editor, those waiting for the
    leader's approval for a leader (both for someone who is both)."""
    from congdoan.accounts.permissions import APPROVE_ARTICLES

    statuses = []
    if can(user, EDIT_ARTICLES, portal.unit.path):
        statuses.append(Article.Status.SUBMITTED)
    if can(user, APPROVE_ARTICLES, portal.unit.path):
        statuses.append(Article.Status.LEADER)
    return staff_articles(user, portal).filter(status__in=statuses)


def staff_categories(user: Any, portal: Portal) -> list[tuple[Category, int]]:
    """Every category of a portal as a tree, depth first, with its depth (0 at the top)."""
    if not can(user, WRITE_ARTICLES, portal.unit.path):
        raise Http404
    found = list(
        Category.objects.filter(portal=portal).select_related("parent").order_by("order", "name")
    )
    children: dict[int | None, list[Category]] = {}
    for category in found:
        children.setdefault(category.parent_id, []).append(category)
    ordered: list[tuple[Category, int]] = []
    seen: set[int] = set()

    def walk(parent_id: int | None, depth: int) -> None:
        for category in children.get(parent_id, []):
            if category.pk in seen:
                continue
            seen.add(category.pk)
            ordered.append((category, depth))
            walk(category.pk, depth + 1)

    walk(None, 0)
    ordered += [(c, 0) for c in found if c.pk not in seen]  # defensive: never lose one
    return ordered


def get_staff_category(user: Any, pk: int) -> Category:
    category = Category.objects.select_related("portal", "portal__unit").filter(pk=pk).first()
    if category is None or not can(user, WRITE_ARTICLES, category.portal.unit.path):
        raise Http404
    return category


def staff_images(user: Any, portal: Portal) -> QuerySet[Any]:
    if not can(user, WRITE_ARTICLES, portal.unit.path):
        raise Http404
    return portal.images.order_by("-uploaded_at", "-id")


def get_staff_image(user: Any, pk: int) -> Any:
    from congdoan.portal.models import Image

    image = Image.objects.select_related("portal", "portal__unit").filter(pk=pk).first()
    if image is None or not can(user, WRITE_ARTICLES, image.portal.unit.path):
        raise Http404
    return image


def revisions(article: Article) -> QuerySet[Any]:
    """The revisions of an article the caller has already read through the scope."""
    return article.revisions.select_related("created_by").order_by("-number")


def get_revision(article: Article, number: int) -> Any:
    revision = revisions(article).filter(number=number).first()
    if revision is None:
        raise Http404
    return revision


# --- public pages ---------------------------------------------------------------------------
# What readers see (the public views, the feeds, the sitemap and the public API). "insider"
# is ``reads_internal(user, portal)``: only then do internal categories and articles show.

from congdoan.portal.models import Tag  # noqa: E402

PUBLIC_LIST_FIELDS = (
    "id",
    "portal_id",
    "category_id",
    "title",
    "slug",
    "summary",
    "cover_id",
    "featured",
    "published_at",
    "view_count",
    "byline",
    "source",
    "internal",
    "updated_at",
)


def portal_routes() -> list[tuple[int, str, str]]:
    """(id, slug, host) of every portal open to readers: the routing map's source."""
    return list(Portal.objects.filter(is_active=True).values_list("id", "slug", "host"))


def public_portal(portal_id: int) -> Portal:
    portal = Portal.objects.filter(pk=portal_id, is_active=True).select_related("unit").first()
    if portal is None:
        raise Http404
    return portal


def category_tree(portal: Portal, *, internal: bool = False) -> list[Category]:
    """The portal's categories a reader may see, in menu order, each with ``children`` (a list)
    and ``hidden_ids`` left out: a category under an internal one is internal too."""
    every = list(Category.objects.filter(portal=portal).order_by("order", "name"))
    by_id = {c.id: c for c in every}
    hidden = set() if internal else _hidden_ids(every, by_id)
    shown = [c for c in every if c.id not in hidden]
    for c in shown:
        c.child_list = []
    for c in shown:
        if c.parent_id and c.parent_id in by_id and c.parent_id not in hidden:
            by_id[c.parent_id].child_list.append(c)
    return shown


def _hidden_ids(every: list[Category], by_id: dict[int, Category]) -> set[int]:
    hidden: set[int] = set()
    for category in every:
        node: Category | None = category
        depth = 0
        while node is not None and depth < 20:
            if node.internal:
                hidden.add(category.id)
                break
            node = by_id.get(node.parent_id) if node.parent_id else None
            depth += 1
    return hidden


def hidden_category_ids(portal: Portal) -> set[int]:
    """Internal categories and every category under one."""
    every = list(Category.objects.filter(portal=portal))
    return _hidden_ids(every, {c.id: c for c in every})


def subtree_ids(category: Category, shown: list[Category]) -> list[int]:
    """The category and all its descendants among ``shown``."""
    children: dict[int | None, list[int]] = {}
    for c in shown:
        children.setdefault(c.parent_id, []).append(c.id)
    found, stack = [], [category.id]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def reader_articles(portal: Portal, *, internal: bool = False) -> QuerySet[Article]:
    """Live articles for a reader: published, not expired, internal ones only for insiders
    (also those of a category under an internal one)."""
    articles = live_articles(portal, internal=internal)
    if not internal:
        hidden = hidden_category_ids(portal)
        if hidden:
            articles = articles.exclude(category_id__in=hidden)
    return articles


def public_article(portal: Portal, slug: str, *, internal: bool = False) -> Article:
    article = (
        reader_articles(portal, internal=internal)
        .filter(slug=slug)
        .select_related("category", "cover")
        .prefetch_related("tags")
        .first()
    )
    if article is None:
        raise Http404
    return article


def related_articles(article: Article, *, internal: bool = False, limit: int = 5) -> list[Article]:
    """For "Đọc thêm": articles sharing the most topics first, then the newest of its category."""
    from django.db.models import Count

    base = reader_articles(article.portal, internal=internal).exclude(pk=article.pk)
    tag_ids = [t.id for t in article.tags.all()]
    found: list[Article] = []
    if tag_ids:
        found = list(
            base.filter(tags__in=tag_ids)
            .annotate(shared=Count("tags", distinct=True))
            .order_by("-shared", "-published_at", "-id")[:limit]
        )
    if len(found) < limit:
        more = base.filter(category_id=article.category_id).exclude(pk__in=[a.pk for a in found])
        found += list(more[: limit - len(found)])
    return found


def articles_in(
    portal: Portal, category_ids: list[int], *, internal: bool = False
) -> QuerySet[Article]:
    return reader_articles(portal, internal=internal).filter(category_id__in=category_ids)


def public_tag(portal: Portal, slug: str) -> Tag:
    tag = Tag.objects.filter(portal=portal, slug=slug).first()
    if tag is None:
        raise Http404
    return tag


def search_words(q: str) -> list[str]:
    """The folded words of a reader's query (at most 12)."""
    from congdoan.core.text import fold

    cleaned = "".join(ch if ch.isalnum() else " " for ch in fold(q or ""))
    return cleaned.split()[:12]


def _every_public_article() -> QuerySet[Article]:
    """Live public articles of every open portal (the public API without ``site``)."""
    now = timezone.now()
    categories = list(Category.objects.filter(portal__is_active=True))
    hidden = _hidden_ids(categories, {c.id: c for c in categories})
    return (
        Article.objects.filter(
            portal__is_active=True,
            status=Article.Status.PUBLISHED,
            published_at__lte=now,
            internal=False,
        )
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .exclude(category_id__in=hidden)
        .select_related("category", "cover")
        .order_by("-published_at", "-id")
    )


def search_articles(portal: Portal | None, q: str, *, internal: bool = False) -> QuerySet[Article]:
    """Articles whose folded text holds every word of ``q`` (with or without diacritics);
    ``portal`` None: the public articles of every open portal."""
    if portal is None:
        articles = _every_public_article()
    else:
        articles = reader_articles(portal, internal=internal)
    for word in search_words(q):
        articles = articles.filter(search_text__contains=word)
    return articles


def next_schedule_change(portal_id: int) -> Any:
    """When a scheduled article appears or a live one expires next (None: nothing planned)."""
    from django.db.models import Min

    now = timezone.now()
    published = Article.objects.filter(portal_id=portal_id, status=Article.Status.PUBLISHED)
    found = published.aggregate(
        appears=Min("published_at", filter=Q(published_at__gt=now)),
        expires=Min("expire_at", filter=Q(expire_at__gt=now)),
    )
    moments = [m for m in found.values() if m is not None]
    return min(moments) if moments else None


def portal_documents(portal: Portal, q: str = "") -> QuerySet[Any]:
    """Public documents of the portal's federation and the units under it."""
    from congdoan.documents.selectors import public_documents

    documents = public_documents(unit=portal.unit)
    for word in search_words(q):
        documents = documents.filter(search_text__contains=word)
    return documents


def portal_document(portal: Portal, pk: int) -> Any:
    document = portal_documents(portal).filter(pk=pk).prefetch_related("attachments").first()
    if document is None:
        raise Http404
    return document


def portal_attachment(portal: Portal, pk: int) -> Any:
    """An attachment of a public document of the portal (404 otherwise)."""
    for document in portal_documents(portal).filter(attachments__pk=pk)[:1]:
        return document.attachments.get(pk=pk)
    raise Http404
