"""Each federation's portal (cổng thông tin): news, categories, editorial approval, images,
public documents and visitor statistics.

One installation serves several portals: a ``Portal`` belongs to a federation's unit and is
found by its host name (``laocai.congdoan.vn``) or, when no host is configured, by the path
prefix ``/p/<slug>/``. Editors are the federation's staff, by the same roles and unit scopes
as everywhere else (a role at the portal's unit or above).

An article goes draft → submitted (waiting for an editor) → (waiting for the leader, when its
category asks for it) → published (now or at ``publish_at``), and may expire at
``expire_at`` or be unpublished. Every save keeps a ``Revision``; nothing is deleted.

Counting: page views and visits are counted in memory by each web process and added to the
database in batches (``counting.py``), never one write per page view.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.core.models import NormalizedTextModel


class Portal(NormalizedTextModel):
    unit = models.OneToOneField(
        "org.Unit", verbose_name=_("federation"), on_delete=models.PROTECT, related_name="portal"
    )
    slug = models.SlugField(
        _("address name"),
        max_length=40,
        unique=True,
        help_text=_("Used in the address /p/<name>/ when no host name is set."),
    )
    name = models.CharField(_("name"), max_length=200)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    host = models.CharField(
        _("host name"),
        max_length=200,
        blank=True,
        help_text=_("e.g. congdoan.laocai.gov.vn; leave empty to use the path prefix."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("open to readers"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("portal")
        verbose_name_plural = _("portals")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["host"], condition=~Q(host=""), name="portal_host_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Category(NormalizedTextModel):
    """A section of a portal; categories form a tree (breadcrumbs follow the parents)."""

    portal = models.ForeignKey(Portal, on_delete=models.PROTECT, related_name="categories")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    in_menu = models.BooleanField(_("shown in the menu"), default=True)
    needs_leader_approval = models.BooleanField(
        _("a leader must approve"),
        default=False,
        help_text=_("Articles of this category are published only after a leader approves."),
    )
    internal = models.BooleanField(
        _("internal"),
        default=False,
        help_text=_("Readable only by signed-in staff and members of this federation."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["portal", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "slug"], name="category_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Category]:
        """From the top category down to this one (for breadcrumbs)."""
        chain: list[Category] = []
        node: Category | None = self
        while node is not None and len(chain) < 10:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Tag(NormalizedTextModel):
    portal = models.ForeignKey(Portal, on_delete=models.PROTECT, related_name="tags")
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address name"), max_length=120)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["portal", "slug"], name="tag_slug_unique")]

    def __str__(self) -> str:
        return self.name


def image_path(instance: Image, filename: str) -> str:
    return f"portal/{instance.portal_id}/{timezone.now():%Y/%m}/{filename}"


class Image(NormalizedTextModel):
    """An uploaded picture with its sizes: for the page, the thumbnail and the share card."""

    portal = models.ForeignKey(Portal, on_delete=models.PROTECT, related_name="images")
    original = models.ImageField(upload_to=image_path, width_field="width", height_field="height")
    page = models.ImageField(upload_to=image_path, blank=True)
    thumbnail = models.ImageField(upload_to=image_path, blank=True)
    share = models.ImageField(upload_to=image_path, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(
        _("text alternative"),
        max_length=300,
        help_text=_("What the picture shows, for readers who cannot see it (required)."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("photo by"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-uploaded_at"]
        constraints = [models.CheckConstraint(condition=~Q(alt_text=""), name="image_alt_required")]

    def __str__(self) -> str:
        return self.caption or self.alt_text


class Article(NormalizedTextModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("waiting for an editor")
        LEADER = "leader", _("waiting for the leader's approval")
        PUBLISHED = "published", _("published")
        UNPUBLISHED = "unpublished", _("unpublished")

    portal = models.ForeignKey(Portal, on_delete=models.PROTECT, related_name="articles")
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address name"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    body = models.TextField(_("text"), blank=True, help_text=_("Sanitised HTML."))
    cover = models.ForeignKey(
        Image,
        verbose_name=_("cover picture"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    byline = models.CharField(_("author"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    video_url = models.URLField(_("video"), blank=True)
    tags = models.ManyToManyField(
        Tag, verbose_name=_("topics"), blank=True, related_name="articles"
    )
    featured = models.BooleanField(_("featured on the home page"), default=False)
    internal = models.BooleanField(
        _("internal"), default=False, help_text=_("Only for signed-in staff and members.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        _("publish at"), null=True, blank=True, help_text=_("Empty: as soon as approved.")
    )
    expire_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision_number = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "slug"], name="article_slug_unique"),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(
                condition=Q(expire_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(expire_at__gt=models.F("publish_at")),
                name="article_expires_after_publishing",
            ),
        ]
        indexes = [
            models.Index(fields=["portal", "status", "-published_at"]),
            models.Index(fields=["category", "status", "-published_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class Revision(models.Model):
    """An article as it was after one save; compared and restored from the editor."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


class DailyVisits(models.Model):
    """Visits to a portal on one day (Asia/Ho_Chi_Minh), added to in batches."""

    portal = models.ForeignKey(Portal, on_delete=models.PROTECT, related_name="daily_visits")
    day = models.DateField()
    visits = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "day"], name="daily_visits_unique")
        ]

    def __str__(self) -> str:
        return f"{self.portal_id} {self.day}: {self.visits}"
