"""Union members (đoàn viên): one identity per person, with the history of their unions.

History model
-------------
``Member`` is the person and their current state; ``Member.unit`` is the union
they belong to now. Each period of belonging to one union is a ``Membership``
with a half-open validity ``[valid_from, valid_to)``: joining opens the first
one, a transfer (by hand, or moved by a merge or dissolution in the
organisation registry) closes one and opens the next, leaving or death closes
the last. Statistics as of any date count the memberships valid that day.
Members and memberships are never deleted.

Each period carries a copy of the member's figures that statistics count (sex, date
of birth, ethnicity, date of joining: ``PROFILE_FIELDS``), so that a subtree's
statistics on any day read one covering index and never the members table. The
services and the import write them with every period and rewrite them on every
period of a member whose figures change.

Personal data
-------------
CCCD and phone are personal data (Nghị định 13/2023/NĐ-CP): selectors mask them
unless the user's role needs them, and each unmasked view is written to the
audit log.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from congdoan.core.models import NormalizedTextModel
from congdoan.core.text import fold, name_sort_string


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    TRANSFERRED = "transferred", _("Transferred out of the system")
    LEFT = "left", _("Left the union")
    DECEASED = "deceased", _("Deceased")


MAJORITY_ETHNICITY = "Kinh"

#: The member's fields copied onto each of their membership periods (for statistics).
PROFILE_FIELDS = ("sex", "birth_date", "ethnicity", "joined_on")


def given_folded(name_folded: str) -> str:
    """The given name (the last word) of a folded full name."""
    return name_folded.rsplit(" ", 1)[-1][:60]


def reversed_words(name_folded: str) -> str:
    """The words of a folded name from the last to the first."""
    return " ".join(reversed(name_folded.split()))[:120]


def card_token() -> str:
    """The unguessable part of a union card's verification address."""
    return secrets.token_urlsafe(12)


class Member(NormalizedTextModel):
    full_name = models.CharField(_("full name"), max_length=120)
    name_folded = models.CharField(max_length=120, editable=False)
    # The given name folded (the last word of name_folded): a one-word search looks it up.
    given_folded = models.CharField(max_length=60, editable=False, default="")
    # The folded words from the given name back to the family name ("an van nguyen"): a
    # search for the end of a name ("van an") is a prefix range of it.
    name_reversed = models.CharField(max_length=120, editable=False, default="")
    name_sort = models.CharField(max_length=150, editable=False, db_index=True)
    birth_date = models.DateField(_("date of birth"))
    birth_year_only = models.BooleanField(
        _("only the year of birth is known"), default=False, editable=False
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, default=MAJORITY_ETHNICITY)
    religion = models.CharField(_("religion"), max_length=60, blank=True)
    hometown = models.CharField(_("hometown"), max_length=200, blank=True)
    cccd = models.CharField(_("citizen ID (CCCD)"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    education = models.CharField(_("general education"), max_length=40, blank=True)
    qualification = models.CharField(_("professional qualification"), max_length=120, blank=True)
    job = models.CharField(_("job"), max_length=120, blank=True)
    workplace = models.CharField(_("workplace (employer)"), max_length=200, blank=True)
    joined_on = models.DateField(_("date of joining the union"))
    card_number = models.CharField(_("union card number"), max_length=20, blank=True)
    card_token = models.CharField(max_length=32, unique=True, default=card_token, editable=False)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    status_date = models.DateField(_("status since"), null=True, blank=True)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name_sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cccd"], condition=~Q(cccd=""), name="member_cccd_unique"
            ),
            models.UniqueConstraint(
                fields=["card_number"], condition=~Q(card_number=""), name="member_card_unique"
            ),
            models.CheckConstraint(condition=~Q(full_name=""), name="member_name_not_empty"),
            models.CheckConstraint(
                condition=Q(joined_on__gte=F("birth_date")), name="member_joined_after_birth"
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(status_date__isnull=False),
                name="member_status_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "name_sort"]),
            models.Index(fields=["name_folded", "birth_date"]),
            # A given name's members in name order: the first page without a sort.
            models.Index(fields=["given_folded", "name_sort", "id"], name="member_given_name"),
            # A name's members with their union and status: a search in a scope finds its
            # matches in these alone (on PostgreSQL), whatever the name's count elsewhere.
            models.Index(
                fields=["given_folded", "unit", "id"], include=["status"], name="member_given_unit"
            ),
            # Prefix ranges on PostgreSQL whatever the database's collation.
            models.Index(
                fields=["name_reversed", "unit", "id"],
                opclasses=["varchar_pattern_ops", "int8_ops", "int8_ops"],
                include=["status"],
                name="member_name_tail_unit",
            ),
            models.Index(fields=["phone"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.full_name)
        self.given_folded = given_folded(self.name_folded)
        self.name_reversed = reversed_words(self.name_folded)
        self.name_sort = name_sort_string(self.full_name)
        super().save(*args, **kwargs)

    def profile(self) -> dict[str, object]:
        """The values of ``PROFILE_FIELDS``, as each membership period carries them."""
        return {name: getattr(self, name) for name in PROFILE_FIELDS}

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    def age_on(self, day: dt.date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Membership(models.Model):
    """One period of belonging to one union, ``[valid_from, valid_to)``."""

    class Start(models.TextChoices):
        JOINED = "joined", _("joined the union")
        TRANSFER = "transfer", _("transferred in")
        RESTRUCTURING = "restructuring", _("moved by a restructuring")
        IMPORTED = "imported", _("imported")

    class End(models.TextChoices):
        TRANSFER = "transfer", _("transferred out")
        RESTRUCTURING = "restructuring", _("moved by a restructuring")
        TRANSFERRED_OUT = "transferred", _("transferred out of the system")
        LEFT = "left", _("left the union")
        DECEASED = "deceased", _("deceased")

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    start = models.CharField(max_length=16, choices=Start.choices)
    end = models.CharField(max_length=16, choices=End.choices, blank=True)
    event = models.ForeignKey(
        "org.RestructuringEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The restructuring event that opened this period, if any."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Copies of the member's PROFILE_FIELDS (see the module's docstring).
    sex = models.CharField(max_length=1, choices=Sex.choices, editable=False)
    birth_date = models.DateField(editable=False)
    ethnicity = models.CharField(max_length=40, editable=False)
    joined_on = models.DateField(editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership period")
        ordering = ["member", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="membership_valid_range",
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(valid_to__isnull=True), name="membership_one_open"
            ),
        ]
        indexes = [
            # Covering (on PostgreSQL): statistics of a subtree on any day read only it.
            models.Index(
                fields=["unit", "valid_from", "valid_to"],
                include=["end", *PROFILE_FIELDS],
                name="membership_unit_period",
            ),
            models.Index(fields=["event"]),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.unit_id} [{self.valid_from}, {self.valid_to})"


class DuplicateFlag(models.Model):
    """Two members with the same name and date of birth in different unions: to review."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    other = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    flagged_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.CharField(_("resolution"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("possible duplicate")
        ordering = ["-flagged_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "other"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=Q(member__lt=F("other")), name="duplicate_pair_order"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} ~ {self.other_id}"
