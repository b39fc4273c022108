"""Emulation and initiatives (thi đua, sáng kiến, khen thưởng).

* ``Movement``: a phong trào thi đua launched by a unit for its subtree over a period, with
  criteria, ``Registration``s by units and people (đăng ký thi đua) and ``Review``s (sơ kết,
  tổng kết) with a ``ReviewResult`` per registration.
* ``Initiative``: a sáng kiến application with every field of the TT 18/2013 form and its
  ``Author``s (contributions add up to 100%). A ``Council`` (hội đồng sáng kiến) of a unit
  scores the applications put before it (``CouncilScore``: novelty, applicability, benefit;
  an author never scores their own) and decides (recognised or not, with reasons and the
  decision's reference). A recognised initiative keeps its benefit value, scope and history.
* ``Contest``: an initiative contest whose phases are data (``ContestPhase``), with criteria
  on a configurable scale, rounds, ``Entry``s, jurors assigned per round and entry
  (``JurorAssignment``), their scores (``JurorScore``) with private notes, advancement of the
  top N, and ``Prize``s.
* ``AwardForm`` (titles and forms of commendation, configurable), ``Award`` (given to a
  person or a unit, with the deciding document), ``EligibilityRule`` (versioned, e.g. the
  "Lao động sáng tạo" benefit thresholds) and ``Proposal`` (đề nghị khen thưởng) going up
  to the next level.

Money is VND in whole numbers. Nothing is deleted: decisions are corrected by new records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from congdoan.core.models import NormalizedTextModel

USER = settings.AUTH_USER_MODEL


class Qualification(models.TextChoices):
    """The categories of the "Lao động sáng tạo" thresholds (QĐ 1564/QĐ-TLĐ, Điều 16)."""

    WORKER = "worker", _("worker, up to college level")
    UNIVERSITY = "university", _("university graduate")
    MANAGER = "manager", _("manager")


class Scope(models.TextChoices):
    UNIT = "unit", _("within the unit")
    PROVINCE = "province", _("province-wide")
    NATIONAL = "national", _("nationwide")


# --- movements ------------------------------------------------------------------------------


class Movement(NormalizedTextModel):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("launched by"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    criteria = models.TextField(_("criteria"), blank=True, help_text=_("One criterion a line."))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    legal_basis = models.CharField(_("launched by the document"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("emulation movement")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="movement_period")
        ]

    def __str__(self) -> str:
        return self.name


class Registration(NormalizedTextModel):
    """A unit's or a person's registration in a movement (đăng ký thi đua)."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="registrations")
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The registering unit, or the person's union."),
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target = models.CharField(_("title aimed at"), max_length=200, blank=True)
    commitments = models.TextField(_("commitments"), blank=True)
    registered_on = models.DateField(_("registered on"))
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("registration")
        ordering = ["movement", "unit", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "unit"],
                condition=Q(member__isnull=True),
                name="registration_unit_once",
            ),
            models.UniqueConstraint(
                fields=["movement", "member"],
                condition=Q(member__isnull=False),
                name="registration_member_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.movement_id}: {self.member_id or self.unit_id}"


class Review(NormalizedTextModel):
    class Kind(models.TextChoices):
        MIDTERM = "midterm", _("mid-term review (sơ kết)")
        FINAL = "final", _("final review (tổng kết)")

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["movement", "held_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class ReviewResult(NormalizedTextModel):
    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("excellent")
        GOOD = "good", _("good")
        FAIR = "fair", _("fair")
        NOT_MET = "not_met", _("not met")

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="results")
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="results")
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "registration"], name="review_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.review_id}/{self.registration_id}: {self.rating}"


# --- initiatives ----------------------------------------------------------------------------


class Initiative(NormalizedTextModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        REVIEW = "review", _("before the council")
        RECOGNISED = "recognised", _("recognised")
        NOT_RECOGNISED = "rejected", _("not recognised")

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("addressed to"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit asked to recognise it (cơ sở công nhận sáng kiến)."),
    )
    name = models.CharField(_("name of the initiative"), max_length=500)
    field = models.CharField(_("field of application"), max_length=200)
    investor = models.CharField(
        _("investor in its creation"), max_length=300, blank=True,
        help_text=_("When not the authors."),
    )  # fmt: skip
    first_applied_on = models.DateField(_("first applied or trialled on"), null=True, blank=True)
    description = models.TextField(_("description of its substance"))
    confidential = models.TextField(_("confidential parts"), blank=True)
    conditions = models.TextField(_("conditions needed to apply it"), blank=True)
    expected_benefit = models.TextField(_("benefit expected (by the authors)"), blank=True)
    expected_benefit_vnd = models.PositiveBigIntegerField(_("expected benefit (VND)"), default=0)
    applied_by = models.TextField(
        _("people who applied or trialled it"), blank=True, help_text=_("One a line.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    # Once recognised.
    benefit_vnd = models.PositiveBigIntegerField(_("benefit recognised (VND)"), default=0)
    scope = models.CharField(
        _("scope of application"), max_length=10, choices=Scope.choices, blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reference = models.CharField(_("decision"), max_length=200, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    council = models.ForeignKey(
        "Council", null=True, blank=True, on_delete=models.PROTECT, related_name="initiatives"
    )
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)

    class Meta:
        verbose_name = _("initiative")
        ordering = ["-year", "-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="recognised") | Q(decided_on__isnull=False),
                name="initiative_recognised_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Author(NormalizedTextModel):
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="authors")
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    workplace = models.CharField(_("workplace"), max_length=300, blank=True)
    title = models.CharField(_("position"), max_length=150, blank=True)
    qualification = models.CharField(
        _("qualification"),
        max_length=12,
        choices=Qualification.choices,
        default=Qualification.WORKER,
    )
    qualification_text = models.CharField(
        _("qualification (as written)"), max_length=150, blank=True
    )
    contribution = models.DecimalField(_("contribution (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["initiative", "-contribution", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contribution__gt=0) & Q(contribution__lte=100),
                name="author_contribution_range",
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class Council(NormalizedTextModel):
    """A unit's initiative council (hội đồng sáng kiến) for a year."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    established_by = models.CharField(_("established by the decision"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("initiative council")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        SECRETARY = "secretary", _("secretary")
        MEMBER = "member", _("member")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The council member's own record in the registry (to find conflicts)."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="council_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.council_id}: {self.user_id}"


class CouncilScore(models.Model):
    class Criterion(models.TextChoices):
        NOVELTY = "novelty", _("novelty")
        APPLICABILITY = "applicability", _("applicability")
        BENEFIT = "benefit", _("benefit")

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="scores")
    council_member = models.ForeignKey(
        CouncilMember, on_delete=models.PROTECT, related_name="scores"
    )
    criterion = models.CharField(max_length=14, choices=Criterion.choices)
    score = models.DecimalField(max_digits=5, decimal_places=2)
    note = models.TextField(blank=True)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "council_member", "criterion"], name="council_score_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="council_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.criterion}: {self.score}"


# --- contests -------------------------------------------------------------------------------


class Contest(NormalizedTextModel):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    slug = models.SlugField(_("address name"), max_length=120, unique=True)
    scale_max = models.PositiveSmallIntegerField(_("highest score of a criterion"), default=10)
    is_public = models.BooleanField(_("results shown publicly"), default=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("initiative contest")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class ContestPhase(models.Model):
    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("open for submissions")
        SCREENING = "screening", _("screening")
        FINAL = "final", _("final")
        AWARDS = "awards", _("awards")
        CLOSED = "closed", _("closed")

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="phases")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    order = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["contest", "order"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "order"], name="contest_phase_order"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="contest_phase_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest_id}: {self.kind}"


class ContestCriterion(NormalizedTextModel):
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["contest", "order", "id"]

    def __str__(self) -> str:
        return self.name


class ContestRound(NormalizedTextModel):
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=100)
    phase = models.ForeignKey(
        ContestPhase, null=True, blank=True, on_delete=models.PROTECT, related_name="rounds"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="contest_round_number")
        ]

    def __str__(self) -> str:
        return f"{self.contest_id} #{self.number} {self.name}"


class Entry(NormalizedTextModel):
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="entries")
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    authors = models.ManyToManyField("members.Member", blank=True, related_name="+")
    author_names = models.CharField(_("authors"), max_length=500)
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    reached_round = models.PositiveSmallIntegerField(default=1)
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("contest entry")
        verbose_name_plural = _("contest entries")
        ordering = ["contest", "id"]

    def __str__(self) -> str:
        return self.title


class JurorAssignment(models.Model):
    round = models.ForeignKey(ContestRound, on_delete=models.PROTECT, related_name="assignments")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="assignments")
    juror = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="juror_assignments")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "entry", "juror"], name="juror_assignment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.entry_id}: {self.juror_id}"


class JurorScore(models.Model):
    assignment = models.ForeignKey(JurorAssignment, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(ContestCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=6, decimal_places=2)
    private_note = models.TextField(blank=True)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="juror_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0), name="juror_score_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.criterion_id}: {self.score}"


class Prize(NormalizedTextModel):
    class Rank(models.IntegerChoices):
        FIRST = 1, _("first prize")
        SECOND = 2, _("second prize")
        THIRD = 3, _("third prize")
        ENCOURAGEMENT = 4, _("encouragement prize")

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="prizes")
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="prize")
    rank = models.PositiveSmallIntegerField(choices=Rank.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["contest", "rank", "id"]

    def __str__(self) -> str:
        return f"{self.get_rank_display()}: {self.entry}"


# --- awards ---------------------------------------------------------------------------------


class AwardForm(NormalizedTextModel):
    """A title or form of commendation, configurable (Lao động tiên tiến, Bằng khen…)."""

    class Recipient(models.TextChoices):
        PERSON = "person", _("people")
        UNIT = "unit", _("units")
        BOTH = "both", _("people and units")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("granted by"), max_length=100, blank=True)
    recipients = models.CharField(max_length=6, choices=Recipient.choices, default=Recipient.BOTH)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("form of commendation")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Award(NormalizedTextModel):
    form = models.ForeignKey(AwardForm, verbose_name=_("title or form"), on_delete=models.PROTECT)
    granted_by = models.ForeignKey(
        "org.Unit", verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person_name = models.CharField(_("person"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit honoured, or the person's union."),
    )
    decision_reference = models.CharField(_("decision"), max_length=200)
    decided_on = models.DateField(_("decided on"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    reason = models.TextField(_("for"), blank=True)
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    proposal = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )

    class Meta:
        verbose_name = _("award")
        ordering = ["-decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.form}: {self.person_name or self.unit}"


class EligibilityRule(models.Model):
    """A versioned, configurable rule, e.g. the "Lao động sáng tạo" benefit thresholds."""

    code = models.SlugField(max_length=60)
    version = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    name = models.CharField(max_length=200)
    source = models.CharField(_("legal source"), max_length=300)
    params = models.JSONField()

    class Meta:
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="eligibility_rule_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Proposal(NormalizedTextModel):
    """A proposal for commendation (đề nghị khen thưởng) sent up to the next level."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    from_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    form = models.ForeignKey(AwardForm, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    candidates = models.JSONField(
        default=list, help_text=_("Each: name, member id, unit code, basis (why they qualify).")
    )
    note = models.TextField(blank=True)
    decided_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("proposal for commendation")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.form} {self.year}"
