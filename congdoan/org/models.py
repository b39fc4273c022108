"""The union organisation: units, their history, restructuring events, posts and staffing.

History model
-------------
``Unit`` is the identity of a unit and its *current* state. Each period in
which its name, abbreviation, kind or parent held is a ``UnitVersion`` with a
half-open validity ``[valid_from, valid_to)``. The tree as of any date is the
set of versions valid on that date, so the chart of 01/01/2016 and today's come
from the same rows. Versions and events are never deleted.

Scoping
-------
``Unit.path`` is a materialised path of ids (``/1/35/812/``) of the current
tree. An ended unit keeps a path under its *custodian*: the receiver of its
merge or dissolution (the unit that takes over its records), or its last
parent. A role at a unit covers every unit whose path starts with its path.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from congdoan.core.models import NormalizedTextModel
from congdoan.core.text import fold


class UnitKind(NormalizedTextModel):
    """A kind of unit, configurable: confederation, provincial federation, grassroots union..."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_grassroots = models.BooleanField(_("grassroots union"), default=False)
    is_department = models.BooleanField(_("department of a federation"), default=False)

    class Meta:
        verbose_name = _("unit kind")
        verbose_name_plural = _("unit kinds")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Unit(NormalizedTextModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=40,
        blank=True,
        help_text=_("Used in document symbols, e.g. TLĐ, LĐLĐ, VP."),
    )
    kind = models.ForeignKey(UnitKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("ended on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_range",
            ),
            models.CheckConstraint(condition=~Q(code=""), name="unit_code_not_empty"),
            models.CheckConstraint(condition=~Q(name=""), name="unit_name_not_empty"),
        ]
        indexes = [
            models.Index(fields=["parent", "valid_to"]),
            # Prefix searches (path LIKE '/1/35/%') use this on PostgreSQL.
            models.Index(
                fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def alive_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    @property
    def is_active(self) -> bool:
        return self.valid_to is None


class RestructuringEvent(NormalizedTextModel):
    """One change to the organisation, with its effective date and legal basis. Never deleted."""

    class Kind(models.TextChoices):
        CREATE = "create", _("establish")
        RENAME = "rename", _("rename")
        MOVE = "move", _("move")
        MERGE = "merge", _("merge")
        SPLIT = "split", _("split")
        DISSOLVE = "dissolve", _("dissolve")
        REVERSE = "reverse", _("correction (reversal)")

    kind = models.CharField(_("kind of change"), max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"), db_index=True)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        help_text=_("The deciding document, e.g. “Hướng dẫn số 704/HD-TLĐ ngày 12/5/2017”."),
    )
    note = models.TextField(_("note"), blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    payload = models.JSONField(_("request"), default=dict)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    # The path of the lowest unit whose subtree holds every unit the event touched.
    scope_path = models.CharField(max_length=255, db_index=True, default="/")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("restructuring event")
        verbose_name_plural = _("restructuring events")
        ordering = ["effective_date", "id"]

    def __str__(self) -> str:
        return f"{self.effective_date:%d/%m/%Y} {self.get_kind_display()}: {self.summary}"


class EventUnit(models.Model):
    """How an event touched a unit."""

    class Role(models.TextChoices):
        CREATED = "created", _("established")
        ENDED = "ended", _("ended")
        RENAMED = "renamed", _("renamed")
        MOVED = "moved", _("moved")
        RECEIVER = "receiver", _("receiver")
        CHILD_MOVED = "child_moved", _("moved with the change")
        RESTORED = "restored", _("restored")

    event = models.ForeignKey(RestructuringEvent, on_delete=models.PROTECT, related_name="touched")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="event_links")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "unit", "role"], name="event_unit_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.unit_id}:{self.role}"


class UnitVersion(NormalizedTextModel):
    """The state of a unit over ``[valid_from, valid_to)``."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="versions")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    name = models.CharField(max_length=255)
    abbreviation = models.CharField(max_length=40, blank=True)
    kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="child_versions"
    )
    event = models.ForeignKey(
        RestructuringEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="opened"
    )
    closed_by = models.ForeignKey(
        RestructuringEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="closed"
    )

    class Meta:
        ordering = ["unit", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unitversion_valid_range",
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(valid_to__isnull=True), name="one_open_version"
            ),
        ]
        indexes = [
            # Covers the children-of-a-node count as of a date (an index-only scan).
            models.Index(
                fields=["parent", "valid_from", "valid_to"], name="unitversion_parent_period"
            ),
            models.Index(fields=["unit", "valid_from"]),
            models.Index(fields=["valid_from", "valid_to"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.valid_from} – {self.valid_to or '…'})"


class PostType(NormalizedTextModel):
    """A kind of post: Chủ tịch, Phó Chủ tịch, Trưởng ban, Cán bộ chuyên trách..."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("post type")
        verbose_name_plural = _("post types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Post(NormalizedTextModel):
    """A post (chức danh, biên chế) at a unit over a period."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="posts")
    post_type = models.ForeignKey(PostType, verbose_name=_("post"), on_delete=models.PROTECT)
    full_time = models.BooleanField(_("full-time"), default=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("ended on"), null=True, blank=True)
    created_by_event = models.ForeignKey(
        RestructuringEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_by_event = models.ForeignKey(
        RestructuringEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moved_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["unit", "post_type__order", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="post_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_type} – {self.unit}"


class PostHolding(NormalizedTextModel):
    """A named person holding a post over ``[valid_from, valid_to)``."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="holdings")
    holder_name = models.CharField(_("full name"), max_length=120)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    ended_by_event = models.ForeignKey(
        RestructuringEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by_event = models.ForeignKey(
        RestructuringEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("post holding")
        verbose_name_plural = _("post holdings")
        ordering = ["valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="holding_valid_range",
            ),
            models.CheckConstraint(condition=~Q(holder_name=""), name="holding_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} – {self.post}"
