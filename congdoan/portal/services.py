"""Every change to a portal's content: articles and their workflow, revisions, pictures,
categories and topics.

Each public function checks the actor's right at the portal's federation (``actor`` None
means the system: the demo loader or an operator's command), runs in one transaction, writes
the audit log (scope: the portal's unit) and returns what it made. After a change that alters
what readers see is committed, the portal's page cache is invalidated (``pagecache``).

The workflow of an article::

    draft ──submit──▶ submitted ──approve──▶ published (now, or from ``publish_at``)
    submitted ──approve (the category needs a leader)──▶ leader ──leader_approve──▶ published
    submitted, leader ──return_to_author (with a note)──▶ draft
    published ──unpublish──▶ unpublished ──approve──▶ published again

* contributors (WRITE_ARTICLES) write, edit their own drafts (returned ones included), upload
  pictures and submit;
* editors (EDIT_ARTICLES) edit any article, approve (publish or pass to the leader), return,
  unpublish, schedule and manage categories;
* leaders (APPROVE_ARTICLES) give the approval some categories require.

Every save of an article keeps a ``Revision`` with the whole content; restoring one makes a
new revision. Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from congdoan.accounts.permissions import APPROVE_ARTICLES, EDIT_ARTICLES, WRITE_ARTICLES
from congdoan.accounts.selectors import can
from congdoan.core import audit
from congdoan.core.models import AuditEntry
from congdoan.core.text import fold, nfc
from congdoan.portal import images, pagecache
from congdoan.portal.html import sanitize, text_of
from congdoan.portal.models import Article, Category, Image, Portal, Revision, Tag

Status = Article.Status

# What a writer sets; status, dates of publication and counters are the services'.
ARTICLE_FIELDS = (
    "category",
    "title",
    "summary",
    "body",
    "cover",
    "byline",
    "source",
    "video_url",
    "featured",
    "internal",
    "publish_at",
    "expire_at",
)
# Restored by ``revert_to``; the schedule (publish_at, expire_at) is a publication decision
# and stays as it is.
RESTORED_FIELDS = (
    "category",
    "title",
    "summary",
    "body",
    "cover",
    "byline",
    "source",
    "video_url",
    "featured",
    "internal",
    "tags",
)
CATEGORY_FIELDS = (
    "name",
    "slug",
    "parent",
    "description",
    "order",
    "in_menu",
    "needs_leader_approval",
    "internal",
)
MAX_TAGS = 20
DEFAULT_SLUG = "bai-viet"


# --- helpers --------------------------------------------------------------------------------


def _require(actor: Any, permission: str, portal: Portal) -> None:
    if actor is None:
        return
    if not can(actor, permission, portal.unit.path):
        raise PermissionDenied(
            _("You have no right to do this on the portal “%(portal)s”.") % {"portal": portal.name}
        )


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _audit(
    actor: Any, obj: Any, portal: Portal, action: str, message: str = "", **changes: Any
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        scope_path=portal.unit.path,
        changes=changes,
        message=message,
    )


def _invalidate_on_commit(portal: Portal) -> None:
    portal_id = portal.pk
    transaction.on_commit(lambda: pagecache.invalidate(portal_id))


def _lock(article: Article) -> Article:
    # ``of``: PostgreSQL cannot lock the nullable side of the outer join to ``cover``.
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("portal", "portal__unit", "category", "cover")
        .get(pk=article.pk)
    )


def _unique_slug(model: type, portal: Portal, text: str, *, exclude: int | None = None) -> str:
    max_length = model._meta.get_field("slug").max_length
    base = slugify(fold(text))[: max_length - 6].strip("-") or DEFAULT_SLUG
    taken = set(
        model.objects.filter(portal=portal, slug__startswith=base)
        .exclude(pk=exclude)
        .values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def can_edit(actor: Any, article: Article) -> bool:
    """Editors edit any article; a contributor only their own draft (returned ones too)."""
    if actor is None:
        return True
    path = article.portal.unit.path
    if can(actor, EDIT_ARTICLES, path):
        return True
    return (
        can(actor, WRITE_ARTICLES, path)
        and article.status == Status.DRAFT
        and article.created_by_id == getattr(actor, "pk", None)
    )


# --- cleaning what was typed ----------------------------------------------------------------


def _text(value: Any) -> str:
    return nfc(str(value)) if value is not None else ""


def _by_pk(model: type, portal: Portal, value: Any) -> Any:
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value if value.portal_id == portal.pk else False
    try:
        return model.objects.filter(portal=portal, pk=int(value)).first() or False
    except (TypeError, ValueError):
        return False


def _datetime(value: Any) -> dt.datetime | bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return False
    if not isinstance(value, dt.datetime):
        return False
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def tag_names(value: Any) -> list[str]:
    """Comma-separated names (or a list) → distinct names, in the order given."""
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else list(value)
    names: dict[str, str] = {}
    for part in parts:
        name = nfc(str(part)).strip(" #;")
        if name and slugify(fold(name)):
            names.setdefault(slugify(fold(name)), name)
    return list(names.values())


def _clean_article(portal: Portal, data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if "title" in data or creating:
        title = _text(data.get("title", ""))
        if not title:
            errors["title"] = _("The title is required.")
        elif len(title) > 300:
            errors["title"] = _("The title is longer than 300 characters.")
        values["title"] = title
    if "category" in data or creating:
        category = _by_pk(Category, portal, data.get("category"))
        if not category:
            errors["category"] = (
                _("Choose a category.")
                if category is None
                else _("This category does not belong to the portal.")
            )
        values["category"] = category
    if "summary" in data:
        values["summary"] = _text(data["summary"])
        if len(values["summary"]) > 1000:
            errors["summary"] = _("The summary is longer than 1000 characters.")
    if "body" in data:
        values["body"] = sanitize(_text(data["body"]))
    if "cover" in data:
        cover = _by_pk(Image, portal, data["cover"])
        if cover is False:
            errors["cover"] = _("This picture does not belong to the portal.")
        values["cover"] = cover or None
    for name, limit in (("byline", 200), ("source", 200)):
        if name in data:
            values[name] = _text(data[name])
            if len(values[name]) > limit:
                errors[name] = _("At most %(limit)s characters.") % {"limit": limit}
    if "video_url" in data:
        url = _text(data["video_url"])
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                errors["video_url"] = _("Enter the full address of the video (https://…).")
            if len(url) > 200:
                errors["video_url"] = _("The address of the video is too long.")
        values["video_url"] = url
    for name in ("featured", "internal"):
        if name in data:
            values[name] = bool(data[name])
    for name in ("publish_at", "expire_at"):
        if name in data:
            moment = _datetime(data[name])
            if moment is False:
                errors[name] = _("Enter a date and time.")
            values[name] = moment or None
    if "tags" in data:
        names = tag_names(data["tags"])
        if len(names) > MAX_TAGS:
            errors["tags"] = _("At most %(count)s topics.") % {"count": MAX_TAGS}
        elif any(len(n) > 100 for n in names):
            errors["tags"] = _("A topic is longer than 100 characters.")
        values["tags"] = names
    if errors:
        raise ValidationError(errors)
    return values


def _check_schedule(article: Article) -> None:
    if article.expire_at and article.publish_at and article.expire_at <= article.publish_at:
        raise ValidationError({"expire_at": _("The article must expire after it is published.")})


def _sync_published_at(article: Article, now: dt.datetime) -> None:
    """Keep ``published_at`` of a published article in step with ``publish_at``."""
    if article.status != Status.PUBLISHED:
        return
    if article.publish_at:
        article.published_at = article.publish_at
    elif article.published_at is None or article.published_at > now:
        article.published_at = now


def _set_tags(article: Article, names: list[str]) -> None:
    tags = []
    for name in names:
        slug = slugify(fold(name))[:120]
        tag = Tag.objects.filter(portal=article.portal, slug=slug).first()
        if tag is None:
            tag = Tag.objects.create(portal=article.portal, slug=slug, name=name[:100])
        tags.append(tag)
    article.tags.set(tags)


def refresh_search_text(article: Article) -> None:
    """Fold title, summary, text and topics into ``search_text``."""
    parts = [article.title, article.summary, text_of(article.body)]
    parts += list(article.tags.values_list("name", flat=True))
    text = fold(" ".join(p for p in parts if p))
    Article.objects.filter(pk=article.pk).update(search_text=text)
    article.search_text = text


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def snapshot(article: Article) -> dict[str, Any]:
    """The whole content of an article, as kept in a revision."""
    return {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "category": article.category_id,
        "category_name": article.category.name if article.category_id else "",
        "cover": article.cover_id,
        "byline": article.byline,
        "source": article.source,
        "video_url": article.video_url,
        "tags": list(article.tags.order_by("name").values_list("name", flat=True)),
        "featured": article.featured,
        "internal": article.internal,
        "publish_at": _iso(article.publish_at),
        "expire_at": _iso(article.expire_at),
        "status": article.status,
    }


def _revise(actor: Any, article: Article, note: str = "") -> Revision:
    article.revision_number += 1
    Article.objects.filter(pk=article.pk).update(revision_number=article.revision_number)
    return Revision.objects.create(
        article=article,
        number=article.revision_number,
        content=snapshot(article),
        note=nfc(note)[:300],
        created_by=_user(actor),
    )


# --- articles -------------------------------------------------------------------------------


def create_article(actor: Any, portal: Portal, data: dict[str, Any]) -> Article:
    """A new draft. ``data``: the ``ARTICLE_FIELDS`` and ``tags`` (comma-separated names)."""
    _require(actor, WRITE_ARTICLES, portal)
    values = _clean_article(portal, data, creating=True)
    names = values.pop("tags", [])
    with transaction.atomic():
        article = Article(
            portal=portal,
            status=Status.DRAFT,
            created_by=_user(actor),
            **values,
        )
        article.slug = _unique_slug(Article, portal, article.title)
        _check_schedule(article)
        article.save()
        _set_tags(article, names)
        refresh_search_text(article)
        _revise(actor, article, _text(data.get("note", "")))
        _audit(actor, article, portal, AuditEntry.Action.CREATE)
    return article


def update_article(
    actor: Any, article: Article, data: dict[str, Any], *, note: str = ""
) -> Article:
    """Save changes and keep a revision. Editing a published article is written to the audit
    log and refreshes the public pages."""
    portal = article.portal
    _require(actor, WRITE_ARTICLES, portal)
    values = _clean_article(portal, data, creating=False)
    names = values.pop("tags", None)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(article)
        if not can_edit(actor, locked):
            raise PermissionDenied(
                _("A contributor edits only their own drafts; this article is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        before = snapshot(locked)
        for key, value in values.items():
            setattr(locked, key, value)
        if "title" in values and locked.published_at is None and locked.status == Status.DRAFT:
            locked.slug = _unique_slug(Article, portal, locked.title, exclude=locked.pk)
        if locked.status == Status.PUBLISHED:
            locked.body = sanitize(locked.body)  # the rules may have tightened since
        _check_schedule(locked)
        published_before = locked.published_at
        _sync_published_at(locked, now)
        locked.save()
        if names is not None:
            _set_tags(locked, names)
        refresh_search_text(locked)
        after = snapshot(locked)
        changes = audit.diff(
            {k: v for k, v in before.items() if k != "body"},
            {k: v for k, v in after.items() if k != "body"},
        )
        if before["body"] != after["body"]:
            changes["body"] = [len(before["body"]), len(after["body"])]  # the length, not the text
        if changes:
            _revise(actor, locked, note)
            if locked.published_at != published_before:
                changes["published_at"] = [_iso(published_before), _iso(locked.published_at)]
            _audit(actor, locked, portal, AuditEntry.Action.UPDATE, nfc(note), **changes)
            if locked.status == Status.PUBLISHED:
                _invalidate_on_commit(portal)
    return locked


def _move(
    actor: Any,
    article: Article,
    permission: str,
    sources: Iterable[str],
    target: str,
    note: str = "",
) -> Article:
    portal = article.portal
    _require(actor, permission, portal)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(article)
        if locked.status not in sources:
            raise ValidationError(
                _("The article is %(status)s; this step cannot be taken now.")
                % {"status": locked.get_status_display()}
            )
        source = locked.status
        locked.status = target
        changes: dict[str, Any] = {"status": [source, target]}
        if target == Status.PUBLISHED:
            if locked.expire_at and locked.expire_at <= now:
                raise ValidationError(
                    {
                        "expire_at": _(
                            "The expiry time has passed: readers would never see the article. "
                            "Change or clear it first."
                        )
                    }
                )
            before_published = locked.published_at
            locked.published_at = locked.publish_at or locked.published_at or now
            if locked.published_at != before_published:
                changes["published_at"] = [_iso(before_published), _iso(locked.published_at)]
        locked.save()
        _audit(actor, locked, portal, AuditEntry.Action.UPDATE, nfc(note), **changes)
        if Status.PUBLISHED in (source, target):
            _invalidate_on_commit(portal)
    return locked


def submit(actor: Any, article: Article, note: str = "") -> Article:
    """Send a draft to the editors. A contributor submits their own drafts."""
    if actor is not None and not can_edit(actor, article):
        raise PermissionDenied(_("Only the author or an editor can submit this article."))
    return _move(actor, article, WRITE_ARTICLES, [Status.DRAFT], Status.SUBMITTED, note)


def approve(actor: Any, article: Article, note: str = "") -> Article:
    """Editor's approval: published (at ``publish_at`` when it is later), or passed to the
    leader when the article's category needs a leader's approval (an editor who is also a
    leader publishes at once). Also publishes a draft directly and republishes an unpublished
    article."""
    sources = [Status.DRAFT, Status.SUBMITTED, Status.UNPUBLISHED]
    leader = actor is None or can(actor, APPROVE_ARTICLES, article.portal.unit.path)
    if article.category.needs_leader_approval and not leader:
        return _move(actor, article, EDIT_ARTICLES, sources, Status.LEADER, note)
    return _move(actor, article, EDIT_ARTICLES, sources, Status.PUBLISHED, note)


def leader_approve(actor: Any, article: Article, note: str = "") -> Article:
    """The leader's approval: published (at ``publish_at`` when it is later)."""
    return _move(actor, article, APPROVE_ARTICLES, [Status.LEADER], Status.PUBLISHED, note)


def return_to_author(actor: Any, article: Article, note: str) -> Article:
    """Back to a draft with a note saying what must change: by an editor (submitted) or by a
    leader (waiting for the leader)."""
    if not nfc(note or ""):
        raise ValidationError({"note": _("Say what must change before it is published.")})
    if article.status == Status.LEADER:
        permission = APPROVE_ARTICLES
        if actor is not None and can(actor, EDIT_ARTICLES, article.portal.unit.path):
            permission = EDIT_ARTICLES
    else:
        permission = EDIT_ARTICLES
    return _move(actor, article, permission, [Status.SUBMITTED, Status.LEADER], Status.DRAFT, note)


def unpublish(actor: Any, article: Article, note: str = "") -> Article:
    """Take a published article off the portal; it is kept with its revisions."""
    return _move(actor, article, EDIT_ARTICLES, [Status.PUBLISHED], Status.UNPUBLISHED, note)


def schedule(
    actor: Any,
    article: Article,
    *,
    publish_at: dt.datetime | None,
    expire_at: dt.datetime | None,
    note: str = "",
) -> Article:
    """Set when the article appears and when it expires (editors)."""
    _require(actor, EDIT_ARTICLES, article.portal)
    return update_article(
        actor, article, {"publish_at": publish_at, "expire_at": expire_at}, note=note
    )


def revert_to(actor: Any, article: Article, revision: Revision) -> Article:
    """Restore the content of an earlier revision, as a new revision."""
    if revision.article_id != article.pk:
        raise ValidationError(_("This revision belongs to another article."))
    content = revision.content
    data: dict[str, Any] = {k: content[k] for k in RESTORED_FIELDS if k in content}
    if data.get("cover") and not Image.objects.filter(pk=data["cover"]).exists():
        data["cover"] = None
    return update_article(
        actor,
        article,
        data,
        note=_("Restored from revision %(number)s") % {"number": revision.number},
    )


# --- pictures -------------------------------------------------------------------------------


def upload_image(
    actor: Any,
    portal: Portal,
    file: Any,
    alt_text: str,
    caption: str = "",
    credit: str = "",
) -> Image:
    """Check an uploaded picture by its content and store it with its sizes."""
    _require(actor, WRITE_ARTICLES, portal)
    errors: dict[str, list[str]] = {}
    try:
        alt_text = images.check_alt_text(alt_text)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    caption, credit = _text(caption), _text(credit)
    if len(caption) > 500:
        errors["caption"] = [_("The caption is longer than 500 characters.")]
    if len(credit) > 200:
        errors["credit"] = [_("At most %(limit)s characters.") % {"limit": 200}]
    if file is None:
        errors["file"] = [_("Choose a picture to upload.")]
    if errors:
        raise ValidationError(errors)
    made = images.renditions(file)
    with transaction.atomic():
        image = Image(
            portal=portal,
            alt_text=alt_text,
            caption=caption,
            credit=credit,
            uploaded_by=_user(actor),
        )
        image.original.save(made.original.name, made.original, save=False)
        image.page.save(made.page.name, made.page, save=False)
        image.thumbnail.save(made.thumbnail.name, made.thumbnail, save=False)
        image.share.save(made.share.name, made.share, save=False)
        image.width, image.height = made.width, made.height
        image.save()
        _audit(actor, image, portal, AuditEntry.Action.CREATE)
    return image


def update_image(
    actor: Any, image: Image, *, alt_text: str, caption: str = "", credit: str = ""
) -> Image:
    """Change the words of a picture (text alternative, caption, credit)."""
    portal = image.portal
    _require(actor, WRITE_ARTICLES, portal)
    alt_text = images.check_alt_text(alt_text)
    with transaction.atomic():
        before = audit.snapshot(image, ("alt_text", "caption", "credit"))
        image.alt_text, image.caption, image.credit = alt_text, _text(caption), _text(credit)
        image.save(update_fields=["alt_text", "caption", "credit"])
        changes = audit.diff(before, audit.snapshot(image, ("alt_text", "caption", "credit")))
        if changes:
            _audit(actor, image, portal, AuditEntry.Action.UPDATE, **changes)
            _invalidate_on_commit(portal)
    return image


# --- categories -----------------------------------------------------------------------------


def _clean_category(
    portal: Portal, data: dict[str, Any], category: Category | None
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if "name" in data or category is None:
        name = _text(data.get("name", ""))
        if not name:
            errors["name"] = _("The name is required.")
        elif len(name) > 200:
            errors["name"] = _("At most %(limit)s characters.") % {"limit": 200}
        values["name"] = name
    if "slug" in data:
        raw = _text(data["slug"])
        slug = slugify(fold(raw))[:120] if raw else ""
        if raw and not slug:
            errors["slug"] = _("Use letters, digits and hyphens.")
        if slug:
            clash = Category.objects.filter(portal=portal, slug=slug)
            if category is not None:
                clash = clash.exclude(pk=category.pk)
            if clash.exists():
                errors["slug"] = _("Another category already uses this address name.")
        values["slug"] = slug
    if "parent" in data:
        parent = _by_pk(Category, portal, data["parent"])
        if parent is False:
            errors["parent"] = _("This category does not belong to the portal.")
        elif parent is not None and category is not None:
            node: Category | None = parent
            for _depth in range(50):
                if node is None:
                    break
                if node.pk == category.pk:
                    errors["parent"] = _("A category cannot be placed under itself.")
                    break
                node = node.parent
        values["parent"] = parent or None
    if "description" in data:
        values["description"] = _text(data["description"])
    if "order" in data:
        try:
            order = int(data["order"] if data["order"] not in (None, "") else 100)
        except (TypeError, ValueError):
            order = -1
        if not 0 <= order <= 32767:
            errors["order"] = _("Enter a whole number from 0 to 32767.")
        values["order"] = order
    for name in ("in_menu", "needs_leader_approval", "internal"):
        if name in data:
            values[name] = bool(data[name])
    if errors:
        raise ValidationError(errors)
    return values


def create_category(actor: Any, portal: Portal, data: dict[str, Any]) -> Category:
    _require(actor, EDIT_ARTICLES, portal)
    values = _clean_category(portal, data, None)
    with transaction.atomic():
        category = Category(portal=portal, **values)
        if not category.slug:
            category.slug = _unique_slug(Category, portal, category.name)
        category.save()
        _audit(actor, category, portal, AuditEntry.Action.CREATE)
        _invalidate_on_commit(portal)
    return category


def update_category(actor: Any, category: Category, data: dict[str, Any]) -> Category:
    portal = category.portal
    _require(actor, EDIT_ARTICLES, portal)
    values = _clean_category(portal, data, category)
    with transaction.atomic():
        locked = Category.objects.select_for_update().get(pk=category.pk)
        before = audit.snapshot(locked, values.keys())
        for key, value in values.items():
            setattr(locked, key, value)
        if not locked.slug:
            locked.slug = _unique_slug(Category, portal, locked.name, exclude=locked.pk)
        locked.save()
        changes = audit.diff(before, audit.snapshot(locked, values.keys()))
        if changes:
            _audit(actor, locked, portal, AuditEntry.Action.UPDATE, **changes)
            _invalidate_on_commit(portal)
    return locked
