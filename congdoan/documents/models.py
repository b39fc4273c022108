"""Official documents (văn bản): outgoing and incoming, their distribution and processing.

One ``Document`` row is either an outgoing document of the unit that issues it or an
incoming document in the register of the unit that receives it. An outgoing document goes
draft → review → signed → issued; at issue it takes its number from ``NumberSeries`` (per
issuer, per calendar year, a separate series for classified documents) and one
``Delivery`` per recipient unit. A delivery is what a unit's inbox lists; registering it
creates the unit's incoming ``Document`` with the next incoming number (số đến). A paper,
e-mail or edXML document registered by hand gets an incoming ``Document`` and a delivery
from no sender, so the inbox shows everything that arrived.

Nothing is deleted: a recalled document is frozen (``recalled_at``) and its deliveries say
so. Every step is a ``ProcessingEntry`` on the document.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from congdoan.core.models import NormalizedTextModel

# Nghị định 30/2020/NĐ-CP, Phụ lục III: administrative document types and abbreviations.
# Công văn has no abbreviation (its symbol is issuer-drafting unit).
DOCUMENT_TYPES: list[tuple[str, str]] = [
    ("CV", "Công văn"),
    ("NQ", "Nghị quyết"),
    ("QĐ", "Quyết định"),
    ("CT", "Chỉ thị"),
    ("QC", "Quy chế"),
    ("QyĐ", "Quy định"),
    ("TC", "Thông cáo"),
    ("TB", "Thông báo"),
    ("HD", "Hướng dẫn"),
    ("CTr", "Chương trình"),
    ("KH", "Kế hoạch"),
    ("PA", "Phương án"),
    ("ĐA", "Đề án"),
    ("DA", "Dự án"),
    ("BC", "Báo cáo"),
    ("BB", "Biên bản"),
    ("TTr", "Tờ trình"),
    ("HĐ", "Hợp đồng"),
    ("CĐ", "Công điện"),
    ("BGN", "Bản ghi nhớ"),
    ("BTT", "Bản thỏa thuận"),
    ("GUQ", "Giấy ủy quyền"),
    ("GM", "Giấy mời"),
    ("GGT", "Giấy giới thiệu"),
    ("GNP", "Giấy nghỉ phép"),
    ("PG", "Phiếu gửi"),
    ("PC", "Phiếu chuyển"),
    ("PB", "Phiếu báo"),
    ("SY", "Bản sao y"),
    ("TrS", "Bản trích sao"),
    ("SL", "Bản sao lục"),
    # Types met on incoming documents from state bodies and Party committees.
    ("L", "Luật"),
    ("NĐ", "Nghị định"),
    ("TT", "Thông tư"),
    ("TTLT", "Thông tư liên tịch"),
    ("KL", "Kết luận"),
    ("K", "Khác"),
]
TYPE_NAMES = dict(DOCUMENT_TYPES)
CONG_VAN = "CV"


class Direction(models.TextChoices):
    OUTGOING = "out", _("outgoing")
    INCOMING = "in", _("incoming")


class Status(models.TextChoices):
    # outgoing
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("awaiting signature")
    SIGNED = "signed", _("signed, awaiting issue")
    ISSUED = "issued", _("issued")
    # incoming
    REGISTERED = "registered", _("registered, awaiting assignment")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class Urgency(models.IntegerChoices):
    """Ordered so that a higher value sorts first in an inbox."""

    NORMAL = 0, _("normal")
    URGENT = 1, _("urgent (khẩn)")
    VERY_URGENT = 2, _("very urgent (thượng khẩn)")
    FLASH = 3, _("flash (hỏa tốc)")


class Confidentiality(models.IntegerChoices):
    NORMAL = 0, _("not classified")
    SECRET = 1, _("secret (mật)")
    TOP_SECRET = 2, _("top secret (tối mật)")
    ABSOLUTE = 3, _("absolute secret (tuyệt mật)")


class Source(models.TextChoices):
    DRAFTED = "drafted", _("drafted here")
    INTERNAL = "internal", _("internal distribution")
    EDXML = "edxml", _("edXML package")
    PAPER = "paper", _("paper (scanned)")
    EMAIL = "email", _("e-mail")


class NumberSeries(models.Model):
    """The last number given in one series: per unit, per calendar year, per series.

    The row is locked (``SELECT … FOR UPDATE``) while a number is taken, so two clerks
    issuing at the same instant get consecutive numbers and none is skipped or reused.
    """

    class Kind(models.TextChoices):
        OUTGOING = "out", _("outgoing")
        OUTGOING_SECRET = "out-secret", _("outgoing, classified")
        INCOMING = "in", _("incoming")

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind"], name="number_series_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}/{self.kind}: {self.last_number}"


class Document(NormalizedTextModel):
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("The issuer of an outgoing document; the receiver of an incoming one."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    doc_type = models.CharField(_("document type"), max_length=6, choices=DOCUMENT_TYPES)
    # Number and symbol. Outgoing: given at issue. Incoming: as written on the document.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    secret_series = models.BooleanField(default=False, editable=False)
    symbol = models.CharField(_("number and symbol"), max_length=60, blank=True)
    symbol_key = models.CharField(max_length=60, blank=True, db_index=True, editable=False)
    issuer_name = models.CharField(_("issuing body"), max_length=255)
    issuer_code = models.CharField(_("issuer code"), max_length=40, blank=True)
    drafting_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("drafting department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("document date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=80, blank=True)
    subject = models.CharField(_("subject (trích yếu)"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=120, blank=True)
    signer_authority = models.CharField(
        _("signing authority"), max_length=60, blank=True, help_text=_("e.g. TM. BAN THƯỜNG VỤ")
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    confidentiality = models.PositiveSmallIntegerField(
        _("confidentiality"), choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    recipient_spec = models.JSONField(_("recipients"), default=list, blank=True)
    recipients_text = models.TextField(_("recipients (as printed)"), blank=True)
    file_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit keeping the file copy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    copies = models.PositiveSmallIntegerField(_("number of copies"), default=1)
    legal_references = models.TextField(_("legal references"), blank=True)
    references = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="referenced_by"
    )
    in_reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    # Incoming only.
    incoming_number = models.PositiveIntegerField(_("incoming number"), null=True, blank=True)
    received_on = models.DateField(_("date received"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    origin = models.ForeignKey(
        "self",
        verbose_name=_("sent document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
        help_text=_("The outgoing document this incoming one was registered from."),
    )
    edxml_document_id = models.CharField(max_length=100, blank=True)
    # Life.
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    recall_reason = models.CharField(_("reason for recall"), max_length=500, blank=True)
    public = models.BooleanField(
        _("published on the portal"), default=False, help_text=_("Shown in the public listing.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Folded metadata (search_title) and metadata with attachment text (search_text), for
    # search (see search.py).
    search_title = models.TextField(blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    # The unit's materialised path (``/1/35/812/``), kept here so that PostgreSQL's search
    # vectors carry the ancestors as lexemes (``#1 #35 #812``) and a search in a subtree is
    # one GIN lookup (search.py, migration 0007); moved with the unit (``org.signals``).
    unit_path = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "secret_series", "number"],
                condition=Q(direction="out", number__isnull=False),
                name="document_outgoing_number_unique",
            ),
            # Incoming numbers restart each year *received* (not the document's own year).
            models.UniqueConstraint(
                F("unit"),
                ExtractYear("received_on"),
                F("incoming_number"),
                condition=Q(direction="in", incoming_number__isnull=False),
                name="document_incoming_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(direction="out", incoming_number__isnull=True)
                | Q(direction="in", incoming_number__isnull=False, received_on__isnull=False),
                name="document_incoming_has_number",
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | Q(number__isnull=False, issued_on__isnull=False),
                name="document_issued_has_number",
            ),
            models.CheckConstraint(condition=~Q(subject=""), name="document_subject_not_empty"),
        ]
        indexes = [
            models.Index(fields=["unit", "direction", "-created_at"]),
            models.Index(fields=["unit", "direction", "issued_on"]),
            models.Index(fields=["unit", "direction", "received_on"]),
            models.Index(fields=["-created_at", "-id"], name="document_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.subject}".strip() if self.symbol else self.subject

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.unit_id and not self.unit_path:
            self.unit_path = self.unit.path
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "unit_path"}
        super().save(*args, **kwargs)

    @property
    def is_outgoing(self) -> bool:
        return self.direction == Direction.OUTGOING

    @property
    def is_recalled(self) -> bool:
        return self.recalled_at is not None

    @property
    def type_name(self) -> str:
        return TYPE_NAMES.get(self.doc_type, self.doc_type)

    @property
    def is_classified(self) -> bool:
        return self.confidentiality > Confidentiality.NORMAL


class Delivery(models.Model):
    """One document arriving at one unit: what its inbox lists.

    ``urgency`` and ``classified`` are copied from the document (fixed once it is issued) so
    that an inbox of thousands is read from one index, urgent first.
    """

    class State(models.TextChoices):
        DELIVERED = "delivered", _("delivered")
        OPENED = "opened", _("opened")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")

    # No index of their own: delivery_unique and delivery_inbox lead with them.
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="deliveries", db_index=False
    )
    recipient = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="deliveries", db_index=False
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.DELIVERED)
    urgency = models.PositiveSmallIntegerField(default=0)
    classified = models.BooleanField(default=False)
    sent_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_as = models.OneToOneField(
        Document,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delivery_registered",
    )
    recalled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["document", "recipient"], name="delivery_unique")
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-urgency", "-sent_at", "-id"], name="delivery_inbox"
            ),
            models.Index(fields=["document", "state"], name="delivery_document_state"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.recipient_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"private/documents/{instance.uploaded_at:%Y/%m}/{instance.sha256[:2]}/{filename}"


class Attachment(models.Model):
    class Ocr(models.TextChoices):
        NOT_NEEDED = "", _("not needed")
        PENDING = "pending", _("waiting for OCR")
        RUNNING = "running", _("OCR running")
        DONE = "done", _("text recognised")
        FAILED = "failed", _("OCR failed")
        OFF = "off", _("OCR is not installed")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("file type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True)
    flags = models.JSONField(default=list, blank=True)
    ocr = models.CharField(max_length=10, choices=Ocr.choices, default="", blank=True)
    ocr_job = models.UUIDField(null=True, blank=True)
    signatures = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("attachment")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Assignment(models.Model):
    """The leader's assignment of an incoming document (bút phê), with a deadline."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("assigned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        FORWARDED = "forwarded", _("forwarded")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="assignments")
    assignee_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document_assignments",
    )
    instruction = models.TextField(_("instruction (bút phê)"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.ASSIGNED)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee_unit__isnull=False) | Q(assignee__isnull=False),
                name="assignment_has_assignee",
            )
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.assignee or self.assignee_unit}"


class ProcessingEntry(models.Model):
    """One step in a document's life, shown as its history and sent as edXML trace."""

    class Action(models.TextChoices):
        CREATED = "created", _("drafted")
        EDITED = "edited", _("edited")
        SUBMITTED = "submitted", _("sent for signature")
        RETURNED = "returned", _("returned to the drafter")
        SIGNED = "signed", _("signed")
        ISSUED = "issued", _("issued")
        REGISTERED = "registered", _("registered")
        OPENED = "opened", _("opened")
        ACKNOWLEDGED = "acknowledged", _("receipt acknowledged")
        ASSIGNED = "assigned", _("assigned")
        STARTED = "started", _("work started")
        COMMENTED = "commented", _("comment")
        FORWARDED = "forwarded", _("forwarded")
        DONE = "done", _("done")
        REPLIED = "replied", _("reply linked")
        RECALLED = "recalled", _("recalled")
        ATTACHED = "attached", _("attachment added")
        STATUS = "status", _("edXML status received")
        EXPORTED = "exported", _("exported as edXML")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="entries")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=14, choices=Action.choices)
    note = models.TextField(blank=True)
    status_code = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["document", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
