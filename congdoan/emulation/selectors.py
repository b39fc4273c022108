"""Read queries of emulation, always scoped to the user's units (out of scope: 404).

Initiatives, councils, awards, the "Lao động sáng tạo" candidates, proposals and the
reports (this block); movements and contests (the block below the marker).

An initiative is visible to who holds ``emulation.view`` at the unit it is addressed to, to
who submitted it, and to the members of the council it is before. The "Lao động sáng tạo"
candidates come from the recognised initiatives and the versioned ``EligibilityRule``: each
author's share of an initiative's benefit is ``benefit_vnd × contribution / 100``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from congdoan.accounts.permissions import MANAGE_EMULATION, SUBMIT_INITIATIVES, VIEW_EMULATION
from congdoan.accounts.selectors import can, home_units, scope_for
from congdoan.core.audit import entries_for
from congdoan.core.text import fold, nfc, vnd
from congdoan.emulation.models import (
    Author,
    Award,
    AwardForm,
    Contest,
    ContestPhase,
    ContestRound,
    Council,
    CouncilMember,
    CouncilScore,
    EligibilityRule,
    Entry,
    Initiative,
    JurorAssignment,
    JurorScore,
    Movement,
    Prize,
    Proposal,
    Qualification,
    Registration,
    Review,
    ReviewResult,
)
from congdoan.members.models import Member
from congdoan.org import selectors as org_selectors
from congdoan.org.models import Unit
from congdoan.org.selectors import live_children

LDST_RULE = "lao-dong-sang-tao"
LDST_FORM = "lao-dong-sang-tao"


def sees_emulation(user: Any) -> bool:
    """Whether the user sees emulation somewhere: a role with it, a seat on a council, or
    entries of a contest to score (a juror from outside the federation holds no role)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not scope_for(user, VIEW_EMULATION).is_empty:
        return True
    return (
        CouncilMember.objects.filter(user=user).exists()
        or JurorAssignment.objects.filter(juror=user).exists()
    )


def emulation_units(user: Any, permission: str = VIEW_EMULATION) -> list[Unit]:
    """The units where the user holds a role with ``permission``, highest first."""
    return [u for u in home_units(user) if can(user, permission, u.path)]


# --- initiatives ----------------------------------------------------------------------------


def visible_initiatives(user: Any) -> QuerySet[Initiative]:
    """Initiatives addressed to units in the user's scope, those they submitted, and those
    before a council they sit on."""
    if not getattr(user, "is_authenticated", False):
        return Initiative.objects.none()
    seats = CouncilMember.objects.filter(council_id=OuterRef("council_id"), user=user)
    return Initiative.objects.filter(
        scope_for(user, VIEW_EMULATION).q("unit__path") | Q(submitted_by=user) | Q(Exists(seats))
    )


def get_initiative(user: Any, pk: Any) -> Initiative:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    initiative = (
        visible_initiatives(user)
        .select_related("unit", "council", "council__unit", "submitted_by")
        .filter(pk=pk)
        .first()
    )
    if initiative is None:
        raise Http404
    return initiative


def initiatives(
    user: Any,
    *,
    unit: Unit | None = None,
    status: str = "",
    year: int | None = None,
    q: str = "",
    mine: bool = False,
) -> QuerySet[Initiative]:
    """Initiatives the user sees, filtered; newest first."""
    found = visible_initiatives(user).select_related("unit", "council")
    if mine:
        found = found.filter(submitted_by=user)
    if unit is not None:
        found = found.filter(unit__path__startswith=unit.path)
    if status:
        found = found.filter(status=status)
    if year:
        found = found.filter(year=year)
    if q.strip():
        found = found.filter(name__icontains=q.strip())
    return found.order_by("-submitted_at", "-id")


def initiative_authors(initiative: Initiative) -> list[Author]:
    return list(initiative.authors.select_related("member", "member__unit"))


def initiative_history(initiative: Initiative) -> list[Any]:
    """The initiative's audit entries, newest first (the caller has checked scope)."""
    return list(entries_for(initiative))


@dataclass
class SeatScores:
    seat: CouncilMember
    scores: dict[str, Decimal]
    note: str = ""
    conflict: bool = False

    @property
    def total(self) -> Decimal | None:
        if len(self.scores) < len(CouncilScore.Criterion.values):
            return None
        return _mean(list(self.scores.values()))


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class ScoreSheet:
    """The council's scores of one application: each seat's, and the means by criterion."""

    rows: list[SeatScores]
    means: dict[str, Decimal | None]

    @property
    def total(self) -> Decimal | None:
        values = [v for v in self.means.values() if v is not None]
        if len(values) < len(CouncilScore.Criterion.values):
            return None
        return _mean(values)

    @property
    def scored(self) -> int:
        return sum(1 for r in self.rows if r.scores)


def score_sheet(initiative: Initiative) -> ScoreSheet:
    if initiative.council_id is None:
        return ScoreSheet([], dict.fromkeys(CouncilScore.Criterion.values))
    prefetch_related_objects([initiative], "authors")  # read once for every seat
    seats = list(
        CouncilMember.objects.filter(council_id=initiative.council_id)
        .select_related("user", "member")
        .order_by("role", "user__full_name", "id")
    )
    scores = defaultdict(dict)
    notes: dict[int, str] = {}
    for score in CouncilScore.objects.filter(initiative=initiative):
        scores[score.council_member_id][score.criterion] = score.score
        notes[score.council_member_id] = score.note
    rows = [
        SeatScores(
            s, scores.get(s.pk, {}), notes.get(s.pk, ""), council_member_is_author(s, initiative)
        )
        for s in seats
    ]
    means = {
        c: _mean([r.scores[c] for r in rows if c in r.scores])
        for c in CouncilScore.Criterion.values
    }
    return ScoreSheet(rows, means)


def number_text(value: Decimal) -> str:
    """90, 33,33 (as the language writes decimals)."""
    if value == value.to_integral_value():
        return formats.number_format(int(value))
    return formats.number_format(value.normalize())


def same_person(a: Any, b: Any) -> bool:
    """Two author rows (or an author and a member) are the same person: the same registry
    record, or the same full name and date of birth."""
    a_member = a.pk if isinstance(a, Member) else getattr(a, "member_id", None)
    b_member = b.pk if isinstance(b, Member) else getattr(b, "member_id", None)
    if a_member and b_member and a_member == b_member:
        return True
    return bool(
        a.birth_date and a.birth_date == b.birth_date and fold(a.full_name) == fold(b.full_name)
    )


def council_member_is_author(seat: CouncilMember, initiative: Initiative) -> bool:
    """Whether the council member is an author of the initiative: the same registry record,
    or the same full name and date of birth as an author; when the council member has no
    registry record, the same full name (namesakes cannot be told apart: they abstain)."""
    record = seat.member
    for author in initiative.authors.all():
        if record is not None and same_person(author, record):
            return True
        if record is None and fold(author.full_name) == fold(seat.user.full_name or ""):
            return True
    return False


def seat_for(user: Any, initiative: Initiative) -> CouncilMember | None:
    """The user's seat on the council the initiative is before, if any."""
    if initiative.council_id is None or not getattr(user, "pk", None):
        return None
    return (
        CouncilMember.objects.select_related("user", "member")
        .filter(council_id=initiative.council_id, user=user)
        .first()
    )


@dataclass
class InitiativeToScore:
    initiative: Initiative
    seat: CouncilMember
    scores: dict[str, Decimal]


def initiatives_to_score(user: Any) -> list[InitiativeToScore]:
    """The applications before the councils the user sits on, that they may score: never
    one they are an author of."""
    if not getattr(user, "pk", None):
        return []
    seats = {
        s.council_id: s
        for s in CouncilMember.objects.filter(user=user).select_related("user", "member")
    }
    if not seats:
        return []
    found = (
        Initiative.objects.filter(council_id__in=seats, status=Initiative.Status.REVIEW)
        .select_related("unit", "council")
        .prefetch_related("authors")
        .order_by("council__name", "submitted_at", "id")
    )
    mine = defaultdict(dict)
    for score in CouncilScore.objects.filter(
        council_member__in=seats.values(), initiative__in=found
    ):
        mine[score.initiative_id][score.criterion] = score.score
    return [
        InitiativeToScore(i, seats[i.council_id], mine.get(i.pk, {}))
        for i in found
        if not council_member_is_author(seats[i.council_id], i)
    ]


def initiatives_of_member(user: Any, member: Any) -> list[Initiative]:
    """The initiatives the member is an author of (by the registry link, or by full name and
    date of birth), among those the user sees; recognised first, newest first."""
    by_record = Q(authors__member=member)
    by_name = Q(authors__member__isnull=True, authors__birth_date=member.birth_date)
    found = (
        visible_initiatives(user)
        .filter(by_record | by_name)
        .select_related("unit")
        .prefetch_related("authors")
        .distinct()
    )
    chosen = [
        i
        for i in found
        if any(
            a.member_id == member.pk
            or (
                a.member_id is None
                and a.birth_date == member.birth_date
                and fold(a.full_name) == fold(member.full_name)
            )
            for a in i.authors.all()
        )
    ]
    chosen.sort(key=lambda i: (i.status != Initiative.Status.RECOGNISED, -(i.year or 0), -i.pk))
    return chosen


# --- councils -------------------------------------------------------------------------------


def visible_councils(user: Any) -> QuerySet[Council]:
    if not getattr(user, "is_authenticated", False):
        return Council.objects.none()
    seats = CouncilMember.objects.filter(council_id=OuterRef("pk"), user=user)
    return Council.objects.filter(
        scope_for(user, VIEW_EMULATION).q("unit__path") | Q(Exists(seats))
    ).select_related("unit")


def get_council(user: Any, pk: Any) -> Council:
    try:
        return visible_councils(user).get(pk=int(pk))
    except (Council.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def council_members(council: Council) -> list[CouncilMember]:
    return list(
        council.members.select_related("user", "member", "member__unit").order_by(
            "role", "user__full_name", "id"
        )
    )


def councils_for(user: Any, initiative: Initiative) -> list[Council]:
    """Councils the user manages that may consider the application: of its unit or above."""
    scope = scope_for(user, MANAGE_EMULATION)
    return list(
        Council.objects.filter(
            scope.q("unit__path"), unit__path__in=_ancestor_paths(initiative.unit.path)
        )
        .select_related("unit")
        .order_by("-year", "name")
    )


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


# --- awards ---------------------------------------------------------------------------------


def award_forms() -> list[AwardForm]:
    return list(AwardForm.objects.all())


def awards(
    user: Any,
    *,
    unit: Unit | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    form: str = "",
) -> QuerySet[Award]:
    """Awards to people and units in the user's scope (by the unit honoured, or the person's
    union), filtered by subtree, decision date and form; newest first."""
    found = Award.objects.filter(scope_for(user, VIEW_EMULATION).q("unit__path")).select_related(
        "form", "unit", "granted_by", "member"
    )
    if unit is not None:
        found = found.filter(unit__path__startswith=unit.path)
    if start:
        found = found.filter(decided_on__gte=start)
    if end:
        found = found.filter(decided_on__lte=end)
    if form:
        found = found.filter(form__code=form)
    return found.order_by("-decided_on", "-id")


# --- eligibility: "Lao động sáng tạo" -------------------------------------------------------


def rule_for(code: str, year: int) -> EligibilityRule:
    """The version of a rule in force in ``year`` (the latest valid from before its end)."""
    rule = (
        EligibilityRule.objects.filter(code=code, valid_from__lte=dt.date(year, 12, 31))
        .order_by("-valid_from", "-version")
        .first()
    )
    if rule is None:
        raise Http404
    return rule


@dataclass
class Share:
    initiative_id: int
    name: str
    year: int
    decided_on: dt.date
    decision_reference: str
    benefit_vnd: int
    contribution: Decimal
    share_vnd: int
    qualification: str


@dataclass
class Candidate:
    """A person who qualifies, and why: the initiatives, amounts, threshold and rule."""

    key: str
    full_name: str
    birth_date: dt.date | None
    member_id: int | None
    unit: Unit
    qualification: str
    basis: str  # "single" or "three_years"
    threshold_vnd: int
    total_vnd: int
    shares: list[Share]
    rule: EligibilityRule
    window: tuple[int, int]
    honoured: bool = False
    proposed: bool = False  # in a proposal of the year that is not decided yet
    reasons: list[str] = field(default_factory=list)

    @property
    def qualification_label(self) -> str:
        return str(Qualification(self.qualification).label)

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)

    def as_proposal(self) -> dict[str, Any]:
        """The candidate as a proposal keeps it (``Proposal.candidates``)."""
        return {
            "name": self.full_name,
            "member": self.member_id,
            "unit": self.unit.code,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "qualification": self.qualification,
            "basis": self.reason,
            "initiatives": [s.initiative_id for s in self.shares],
            "total_vnd": self.total_vnd,
            "rule": f"{self.rule.code} v{self.rule.version}",
        }


def share_of(benefit_vnd: int, contribution: Decimal) -> int:
    """An author's share of a benefit in whole VND (half up)."""
    return int(
        (Decimal(benefit_vnd) * Decimal(contribution) / 100).quantize(Decimal(1), ROUND_HALF_UP)
    )


def lao_dong_sang_tao_candidates(
    user: Any, unit: Unit, year: int, *, rule: EligibilityRule | None = None
) -> list[Candidate]:
    """Who under ``unit`` qualifies for "Lao động sáng tạo" in ``year``, by the rule version
    in force that year (or ``rule``): one initiative recognised in ``year`` whose share reaches
    the threshold of the author's qualification there (``single``), or — for the
    qualifications in ``three_years`` — the shares of the initiatives recognised in the
    ``window_years`` consecutive years ending with ``year`` adding up to that threshold.
    People are told apart by their registry record, else by full name and date of birth.
    Each candidate says why; ``honoured`` marks who already received the title in the window.
    """
    if not can(user, VIEW_EMULATION, unit.path):
        raise Http404
    rule = rule or rule_for(LDST_RULE, year)
    params = rule.params or {}
    single: dict[str, int] = {k: int(v) for k, v in (params.get("single") or {}).items()}
    three: dict[str, int] = {k: int(v) for k, v in (params.get("three_years") or {}).items()}
    window_years = int(params.get("window_years") or 3)
    first_year = year - window_years + 1
    rows = list(
        Author.objects.filter(
            initiative__unit__path__startswith=unit.path,
            initiative__status=Initiative.Status.RECOGNISED,
            initiative__decided_on__year__gte=first_year,
            initiative__decided_on__year__lte=year,
        )
        .select_related("initiative", "initiative__unit", "member", "member__unit")
        .order_by("initiative__decided_on", "initiative_id", "id")
    )
    # A person: their registry record, else the full name and date of birth; a row without
    # the link joins the record with the same name and date of birth.
    linked = {(fold(a.full_name), a.birth_date): f"m{a.member_id}" for a in rows if a.member_id}
    people: dict[str, list[Author]] = defaultdict(list)
    for a in rows:
        key = (
            f"m{a.member_id}"
            if a.member_id
            else linked.get((fold(a.full_name), a.birth_date))
            or f"n{fold(a.full_name)}|{a.birth_date}"
        )
        people[key].append(a)
    honoured = _honoured(unit, first_year, year)
    proposed = _proposed(unit, year)
    found: list[Candidate] = []
    for key, person_rows in people.items():
        last = person_rows[-1]
        shares = [
            Share(
                a.initiative_id,
                a.initiative.name,
                a.initiative.decided_on.year,
                a.initiative.decided_on,
                a.initiative.decision_reference,
                a.initiative.benefit_vnd,
                a.contribution,
                share_of(a.initiative.benefit_vnd, a.contribution),
                a.qualification,
            )
            for a in person_rows
        ]
        member = next((a.member for a in reversed(person_rows) if a.member_id), None)
        base = {
            "key": key,
            "full_name": member.full_name if member else last.full_name,
            "birth_date": member.birth_date if member else last.birth_date,
            "member_id": member.pk if member else None,
            "unit": member.unit if member else last.initiative.unit,
            "rule": rule,
            "window": (first_year, year),
        }
        qualifying = [
            s
            for s in shares
            if s.year == year
            and single.get(s.qualification)
            and s.share_vnd >= single[s.qualification]
        ]
        best = max(qualifying, key=lambda s: s.share_vnd, default=None)
        candidate = None
        if best is not None:
            candidate = Candidate(
                **base,
                qualification=best.qualification,
                basis="single",
                threshold_vnd=single[best.qualification],
                total_vnd=best.share_vnd,
                shares=[best],
            )
            candidate.reasons.append(
                _(
                    "“%(name)s” (recognised on %(date)s, %(decision)s): share %(share)s "
                    "(%(percent)s%% of %(benefit)s) ≥ %(threshold)s for one initiative "
                    "(%(qualification)s)."
                )
                % {
                    "name": best.name,
                    "date": best.decided_on.strftime("%d/%m/%Y"),
                    "decision": best.decision_reference,
                    "share": vnd(best.share_vnd) + " đ",
                    "percent": _percent_text(best.contribution),
                    "benefit": vnd(best.benefit_vnd) + " đ",
                    "threshold": vnd(single[best.qualification]) + " đ",
                    "qualification": Qualification(best.qualification).label,
                }
            )
        else:
            qualification = last.qualification
            threshold = three.get(qualification)
            total = sum(s.share_vnd for s in shares)
            if threshold and total >= threshold:
                candidate = Candidate(
                    **base,
                    qualification=qualification,
                    basis="three_years",
                    threshold_vnd=threshold,
                    total_vnd=total,
                    shares=shares,
                )
                candidate.reasons.append(
                    _(
                        "%(n)s initiatives recognised in %(first)s–%(last)s: shares adding up "
                        "to %(total)s ≥ %(threshold)s over %(years)s consecutive years "
                        "(%(qualification)s)."
                    )
                    % {
                        "n": len(shares),
                        "first": first_year,
                        "last": year,
                        "total": vnd(total) + " đ",
                        "threshold": vnd(threshold) + " đ",
                        "years": window_years,
                        "qualification": Qualification(qualification).label,
                    }
                )
        if candidate is None:
            continue
        candidate.reasons.append(
            _("Rule: %(name)s, version %(version)s (%(source)s).")
            % {"name": rule.name, "version": rule.version, "source": rule.source}
        )
        candidate.honoured = _is_honoured(candidate, honoured)
        candidate.proposed = (
            candidate.member_id in proposed["members"]
            or (fold(candidate.full_name), candidate.unit.code) in proposed["names"]
        )
        found.append(candidate)
    found.sort(key=lambda c: (-c.total_vnd, fold(c.full_name)))
    return found


def _honoured(unit: Unit, first_year: int, year: int) -> list[Award]:
    return list(
        Award.objects.filter(
            form__code=LDST_FORM,
            unit__path__startswith=unit.path,
            year__gte=first_year,
            year__lte=year,
        ).only("member_id", "person_name", "unit_id")
    )


def _proposed(unit: Unit, year: int) -> dict[str, set[Any]]:
    """Who is in a pending (draft or submitted) "Lao động sáng tạo" proposal of the year made
    by the unit, a unit above it or one below it."""
    ancestors = _ancestor_paths(unit.path)
    pending = Proposal.objects.filter(
        Q(from_unit__path__startswith=unit.path) | Q(from_unit__path__in=ancestors),
        form__code=LDST_FORM,
        year=year,
        status__in=[Proposal.Status.DRAFT, Proposal.Status.SUBMITTED],
    ).values_list("candidates", flat=True)
    found: dict[str, set[Any]] = {"members": set(), "names": set()}
    for candidates in pending:
        for c in candidates or []:
            if c.get("member"):
                found["members"].add(c["member"])
            found["names"].add((fold(c.get("name") or ""), c.get("unit") or ""))
    return found


def _is_honoured(candidate: Candidate, awards: list[Award]) -> bool:
    for award in awards:
        if candidate.member_id and award.member_id == candidate.member_id:
            return True
        if (
            not award.member_id
            and fold(award.person_name) == fold(candidate.full_name)
            and award.unit_id == candidate.unit.pk
        ):
            return True
    return False


def _percent_text(value: Decimal) -> str:
    return number_text(Decimal(value))


# --- proposals ------------------------------------------------------------------------------


def visible_proposals(user: Any) -> QuerySet[Proposal]:
    """Proposals of the units in the user's scope, and those sent to them (not drafts)."""
    scope = scope_for(user, VIEW_EMULATION)
    return Proposal.objects.filter(
        scope.q("from_unit__path") | (scope.q("to_unit__path") & ~Q(status=Proposal.Status.DRAFT))
    ).select_related("from_unit", "to_unit", "form", "created_by")


def get_proposal(user: Any, pk: Any) -> Proposal:
    try:
        return visible_proposals(user).get(pk=int(pk))
    except (Proposal.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def proposals_inbox(user: Any) -> QuerySet[Proposal]:
    """Proposals sent up to the units where the user manages emulation, waiting first."""
    scope = scope_for(user, MANAGE_EMULATION)
    return (
        visible_proposals(user)
        .filter(scope.q("to_unit__path"))
        .exclude(status=Proposal.Status.DRAFT)
        .order_by("status", "-created_at")
    )


def proposals_sent(user: Any) -> QuerySet[Proposal]:
    """Proposals of the units in the user's scope."""
    scope = scope_for(user, VIEW_EMULATION)
    return visible_proposals(user).filter(scope.q("from_unit__path")).order_by("-created_at")


def proposal_history(proposal: Proposal) -> list[Any]:
    return list(entries_for(proposal))


def proposal_awards(proposal: Proposal) -> list[Award]:
    return list(proposal.awards.select_related("form", "unit", "granted_by"))


# --- reports --------------------------------------------------------------------------------


@dataclass
class YearRow:
    year: int
    submitted: int = 0
    recognised: int = 0
    benefit_vnd: int = 0


@dataclass
class UnitRow:
    unit: Unit
    submitted: int = 0
    recognised: int = 0
    benefit_vnd: int = 0
    awards: int = 0
    own: bool = False  # the unit itself (not its subtree)


@dataclass
class Report:
    unit: Unit
    start: dt.date
    end: dt.date
    submitted: int
    recognised: int
    not_recognised: int
    benefit_vnd: int
    by_year: list[YearRow]
    by_unit: list[UnitRow]
    awards_by_form: list[tuple[AwardForm, int]]
    awards_total: int
    ldst_people: int
    movements: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.code,
            "unit_name": self.unit.name,
            "from": self.start,
            "to": self.end,
            "initiatives_submitted": self.submitted,
            "initiatives_recognised": self.recognised,
            "initiatives_not_recognised": self.not_recognised,
            "benefit_vnd": self.benefit_vnd,
            "by_year": [vars(r) for r in self.by_year],
            "by_unit": [
                {
                    "unit": r.unit.code,
                    "name": r.unit.name,
                    "own": r.own,
                    "submitted": r.submitted,
                    "recognised": r.recognised,
                    "benefit_vnd": r.benefit_vnd,
                    "awards": r.awards,
                }
                for r in self.by_unit
            ],
            "awards_by_form": [
                {"form": f.code, "name": f.name, "count": n} for f, n in self.awards_by_form
            ],
            "awards_total": self.awards_total,
            "lao_dong_sang_tao_people": self.ldst_people,
            "movements": self.movements,
        }


def report(user: Any, unit: Unit, start: dt.date, end: dt.date) -> Report:
    """Emulation figures of ``unit``'s subtree over ``start``–``end`` (both included):
    applications submitted, initiatives recognised (by decision date) and their benefit, by
    year and by unit directly below (those with figures); awards by form; registrations per
    movement."""
    if not can(user, VIEW_EMULATION, unit.path):
        raise Http404
    in_tree = Initiative.objects.filter(unit__path__startswith=unit.path)
    submitted = in_tree.filter(submitted_at__date__gte=start, submitted_at__date__lte=end)
    decided = in_tree.filter(decided_on__gte=start, decided_on__lte=end)
    recognised = decided.filter(status=Initiative.Status.RECOGNISED)

    years = {y: YearRow(y) for y in range(start.year, end.year + 1)}
    for row in (
        submitted.annotate(y=ExtractYear("submitted_at")).values("y").annotate(n=Count("id"))
    ):
        years.setdefault(row["y"], YearRow(row["y"])).submitted = row["n"]
    for row in (
        recognised.annotate(y=ExtractYear("decided_on"))
        .values("y")
        .annotate(n=Count("id"), benefit=Sum("benefit_vnd"))
    ):
        target = years.setdefault(row["y"], YearRow(row["y"]))
        target.recognised, target.benefit_vnd = row["n"], row["benefit"] or 0

    children = live_children(unit)
    rows = [UnitRow(unit, own=True), *(UnitRow(c) for c in children)]

    def row_of(path: str) -> UnitRow:
        for r in rows[1:]:
            if path.startswith(r.unit.path):
                return r
        return rows[0]

    paths = dict(Unit.objects.filter(path__startswith=unit.path).values_list("id", "path"))
    for item in submitted.values("unit_id").annotate(n=Count("id")):
        row_of(paths[item["unit_id"]]).submitted += item["n"]
    for item in recognised.values("unit_id").annotate(n=Count("id"), b=Sum("benefit_vnd")):
        target = row_of(paths[item["unit_id"]])
        target.recognised += item["n"]
        target.benefit_vnd += item["b"] or 0

    given = Award.objects.filter(
        unit__path__startswith=unit.path, decided_on__gte=start, decided_on__lte=end
    )
    for item in given.values("unit_id").annotate(n=Count("id")):
        row_of(paths[item["unit_id"]]).awards += item["n"]
    counts = dict(given.values("form_id").annotate(n=Count("id")).values_list("form_id", "n"))
    forms = [(f, counts[f.pk]) for f in AwardForm.objects.filter(pk__in=counts)]
    ldst = given.filter(form__code=LDST_FORM)
    people = ldst.values_list("member_id", "person_name", "unit_id")
    ldst_people = len({f"m{m}" if m else f"{fold(n)}|{u}" for m, n, u in people})
    rows = [r for r in rows if r.submitted or r.recognised or r.awards]  # units with figures

    registrations = Registration.objects.filter(unit__path__startswith=unit.path)
    in_tree = Q(registrations__unit__path__startswith=unit.path)
    movements = [
        {
            "id": movement.pk,
            "name": movement.name,
            "launched_by": movement.unit.code,
            "starts_on": movement.starts_on,
            "ends_on": movement.ends_on,
            "units": movement.units_registered,
            "people": movement.people_registered,
        }
        for movement in Movement.objects.filter(starts_on__lte=end, ends_on__gte=start)
        .filter(Exists(registrations.filter(movement_id=OuterRef("pk"))))
        .annotate(
            units_registered=Count(
                "registrations", filter=in_tree & Q(registrations__member__isnull=True)
            ),
            people_registered=Count(
                "registrations", filter=in_tree & Q(registrations__member__isnull=False)
            ),
        )
        .select_related("unit")
        .order_by("-starts_on", "name")
    ]
    return Report(
        unit=unit,
        start=start,
        end=end,
        submitted=submitted.count(),
        recognised=recognised.count(),
        not_recognised=decided.filter(status=Initiative.Status.NOT_RECOGNISED).count(),
        benefit_vnd=recognised.aggregate(s=Sum("benefit_vnd"))["s"] or 0,
        by_year=[years[y] for y in sorted(years)],
        by_unit=rows,
        awards_by_form=forms,
        awards_total=sum(counts.values()),
        ldst_people=ldst_people,
        movements=movements,
    )


# --- movements and contests (below)

# Movements and contests. A movement or contest is seen by the users of its launching unit
# (a role there or above: the organiser's side) and by those of the units under it (the
# participants, who see it and their own units' registrations and entries). Rankings, juror
# progress and assignments are the organiser's; a juror sees only the entries assigned to
# them, with only their own scores and notes. Private helpers start with ``_mc_``.


CENT = Decimal("0.01")


def _mc_today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _mc_reach(user: Any, field: str = "unit__path", permission: str = VIEW_EMULATION) -> Q:
    """Rows whose unit (``field``, a path) is in the user's scope, or above a unit in it."""
    scope = scope_for(user, permission)
    ancestors: set[str] = set()
    for prefix in scope.prefixes:
        parts = prefix.strip("/").split("/")
        ancestors.update("/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1))
    query = scope.q(field)
    if ancestors:
        query |= Q(**{f"{field}__in": sorted(ancestors)})
    return query


def organises(user: Any, obj: Movement | Contest) -> bool:
    """Whether the user sees the movement or contest from the organiser's side."""
    return can(user, VIEW_EMULATION, obj.unit.path)


def manages(user: Any, obj: Movement | Contest) -> bool:
    return can(user, MANAGE_EMULATION, obj.unit.path)


def author_name_list(text: str) -> list[str]:
    """The names written in an entry's authors (separated by commas, semicolons or lines)."""
    parts = text.replace(";", ",").replace("\n", ",").split(",")
    return [nfc(p) for p in parts if nfc(p)]


# --- movements ------------------------------------------------------------------------------


def visible_movements(user: Any) -> QuerySet[Movement]:
    return Movement.objects.filter(_mc_reach(user)).select_related("unit")


def get_movement(user: Any, pk: Any) -> Movement:
    movement = visible_movements(user).filter(pk=_mc_pk(pk)).first()
    if movement is None:
        raise Http404
    return movement


def _mc_pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def movement_registrations(user: Any, movement: Movement) -> list[Registration]:
    """The registrations the user may see: all for the organiser, else their units'."""
    registrations = movement.registrations.select_related("unit", "member")
    if not organises(user, movement):
        registrations = registrations.filter(scope_for(user, VIEW_EMULATION).q("unit__path"))
    return list(registrations.order_by("member_id", "unit__name", "id"))


@dataclass
class ReviewView:
    review: Review
    results: list[ReviewResult]


def movement_reviews(user: Any, movement: Movement) -> list[ReviewView]:
    """The reviews with the results of the registrations the user may see."""
    visible = {r.pk for r in movement_registrations(user, movement)}
    results = ReviewResult.objects.select_related("registration__unit", "registration__member")
    reviews = movement.reviews.prefetch_related(Prefetch("results", queryset=results))
    return [
        ReviewView(review, [r for r in review.results.all() if r.registration_id in visible])
        for review in reviews.order_by("held_on", "id")
    ]


def registrable_units(user: Any, movement: Movement | Contest) -> list[Any]:
    """The live units under the movement's (or contest's) unit at which the user may
    register or submit."""
    scope = scope_for(user, SUBMIT_INITIATIVES)
    if scope.is_empty:
        return []
    units = org_selectors.subtree(movement.unit).filter(scope.q("path"))
    return list(units.select_related("kind").order_by("depth", "name"))


def find_member(user: Any, text: str) -> Any:
    """The one active member in the user's scope with this CCCD or card number; Http404 when
    none or several."""
    from congdoan.members import selectors as member_selectors

    text = nfc(text or "")
    if not text:
        raise Http404
    found = list(member_selectors.search_members(user, text, status="active")[:2])
    if len(found) != 1:
        raise Http404
    return found[0]


# --- contests -------------------------------------------------------------------------------


def visible_contests(user: Any) -> QuerySet[Contest]:
    return Contest.objects.filter(_mc_reach(user)).select_related("unit")


def get_contest(user: Any, pk: Any) -> Contest:
    """A contest the user sees (organiser or participant); Http404 otherwise."""
    contest = visible_contests(user).filter(pk=_mc_pk(pk)).first()
    if contest is None:
        raise Http404
    return contest


def get_organised_contest(user: Any, pk: Any) -> Contest:
    """A contest seen from the organiser's side; Http404 for anyone else."""
    contest = get_contest(user, pk)
    if not organises(user, contest):
        raise Http404
    return contest


def get_round(contest: Contest, number: Any) -> ContestRound:
    found = contest.rounds.filter(number=_mc_pk(number)).first()
    if found is None:
        raise Http404
    return found


def contest_entries(user: Any, contest: Contest) -> list[Entry]:
    """The entries the user may see: all for the organiser, else their units' entries."""
    entries = contest.entries.select_related("unit", "initiative").prefetch_related("authors")
    if not organises(user, contest):
        entries = entries.filter(scope_for(user, VIEW_EMULATION).q("unit__path"))
    return list(entries.order_by("id"))


def visible_initiative(user: Any, pk: Any) -> Initiative:
    """An initiative of a unit in the user's scope (to link to an entry)."""
    initiative = Initiative.objects.select_related("unit").filter(pk=_mc_pk(pk)).first()
    if initiative is None or not can(user, VIEW_EMULATION, initiative.unit.path):
        raise Http404
    return initiative


def find_users(usernames: list[str]) -> tuple[list[Any], list[str]]:
    """Users by user name, in the order given, and the names not found."""
    wanted = [u.strip() for u in usernames if u.strip()]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=wanted)}
    return [users[n] for n in wanted if n in users], [n for n in wanted if n not in users]


def juror_candidates(contest: Contest) -> list[Any]:
    """Users who judged in the contest, then those holding a role at the organiser."""
    from congdoan.accounts.selectors import assignments_at

    seen: dict[int, Any] = {}
    for assignment in JurorAssignment.objects.filter(round__contest=contest).select_related(
        "juror"
    ):
        seen.setdefault(assignment.juror_id, assignment.juror)
    for role in assignments_at(contest.unit):
        seen.setdefault(role.user_id, role.user)
    return list(seen.values())


def current_phase(contest: Contest, today: dt.date | None = None) -> ContestPhase | None:
    """The phase whose dates contain ``today`` (the later one when two do), else None."""
    day = _mc_today(today)
    current = None
    for phase in contest.phases.all():
        if phase.starts_on <= day and (phase.ends_on is None or day <= phase.ends_on):
            current = phase
    return current


def phase_of_kind(contest: Contest, kind: str) -> ContestPhase | None:
    return next((p for p in contest.phases.all() if p.kind == kind), None)


def takes_entries(contest: Contest, today: dt.date | None = None) -> bool:
    phase = current_phase(contest, today)
    return phase is not None and phase.kind == ContestPhase.Kind.SUBMISSION


def results_published(contest: Contest, today: dt.date | None = None) -> bool:
    """The public results page opens once a public contest is closed (awards phase over)."""
    phase = current_phase(contest, today)
    return contest.is_public and phase is not None and phase.kind == ContestPhase.Kind.CLOSED


def round_entries(contest_round: ContestRound) -> list[Entry]:
    """The entries judged in a round: those that reached it and were not withdrawn."""
    return list(
        contest_round.contest.entries.filter(
            reached_round__gte=contest_round.number, withdrawn=False
        )
        .select_related("unit")
        .prefetch_related("authors")
        .order_by("id")
    )


def is_author(juror: Any, entry: Entry) -> bool:
    """The conflict-of-interest rule: the juror submitted the entry, or their full name is
    one of its authors' names (folded), whether linked members or names written on it."""
    if entry.submitted_by_id and entry.submitted_by_id == juror.pk:
        return True
    name = fold(getattr(juror, "full_name", "") or "")
    if not name:
        return False
    names = {fold(m.full_name) for m in entry.authors.all()}
    names.update(fold(n) for n in author_name_list(entry.author_names))
    return name in names


@dataclass
class Ranked:
    """An entry's place in a round: ``total`` is None (and ``rank`` too) until a juror has
    given it complete scores; ``tied`` when another entry has the same total."""

    entry: Entry
    total: Decimal | None
    rank: int | None
    complete: int
    assigned: int
    tied: bool = False


def rank_round(contest_round: ContestRound) -> list[Ranked]:
    """The round's ranking: the mean of the complete jurors' weighted averages, to 2
    decimals; equal totals share a rank (1, 2, 2, 4); entries not yet scored at the end."""
    entries = round_entries(contest_round)
    weights = {c.pk: c.weight for c in contest_round.contest.criteria.all()}
    weight_sum = sum(weights.values()) or Decimal(1)
    assigned: dict[int, int] = {}
    entry_of: dict[int, int] = {}
    for assignment_id, entry_id in JurorAssignment.objects.filter(round=contest_round).values_list(
        "pk", "entry_id"
    ):
        assigned[entry_id] = assigned.get(entry_id, 0) + 1
        entry_of[assignment_id] = entry_id
    per_assignment: dict[int, dict[int, Decimal]] = {}
    for assignment_id, criterion_id, score in JurorScore.objects.filter(
        assignment__round=contest_round
    ).values_list("assignment_id", "criterion_id", "score"):
        per_assignment.setdefault(assignment_id, {})[criterion_id] = score
    juror_totals: dict[int, list[Decimal]] = {}
    for assignment_id, scores in per_assignment.items():
        if set(scores) != set(weights):
            continue  # not complete: not counted
        total = sum(scores[c] * weights[c] for c in weights) / weight_sum
        juror_totals.setdefault(entry_of[assignment_id], []).append(total)
    ranked = []
    for entry in entries:
        totals = juror_totals.get(entry.pk, [])
        mean = None
        if totals:
            mean = (sum(totals) / len(totals)).quantize(CENT, rounding=ROUND_HALF_UP)
        ranked.append(Ranked(entry, mean, None, len(totals), assigned.get(entry.pk, 0)))
    ranked.sort(key=lambda r: (r.total is None, -(r.total or 0), r.entry.pk))
    counts: dict[Decimal, int] = {}
    for row in ranked:
        if row.total is not None:
            counts[row.total] = counts.get(row.total, 0) + 1
    for position, row in enumerate(ranked, start=1):
        if row.total is None:
            continue
        previous = ranked[position - 2] if position > 1 else None
        row.rank = previous.rank if previous and previous.total == row.total else position
        row.tied = counts[row.total] > 1
    return ranked


def next_round(contest_round: ContestRound) -> ContestRound | None:
    return ContestRound.objects.filter(
        contest_id=contest_round.contest_id, number=contest_round.number + 1
    ).first()


@dataclass
class JurorProgress:
    juror: Any
    assigned: int
    scored: int

    @property
    def pending(self) -> int:
        return self.assigned - self.scored


def juror_progress(contest_round: ContestRound) -> list[JurorProgress]:
    """Per juror of the round: entries assigned, scored completely, and pending."""
    rows = (
        JurorAssignment.objects.filter(round=contest_round)
        .values("juror")
        .annotate(assigned=Count("id"), scored=Count("id", filter=Q(submitted_at__isnull=False)))
        .order_by()
    )
    users = get_user_model().objects.in_bulk([r["juror"] for r in rows])
    progress = [JurorProgress(users[r["juror"]], r["assigned"], r["scored"]) for r in rows]
    return sorted(progress, key=lambda p: (str(p.juror), p.juror.pk))


@dataclass
class RoundToJudge:
    round: ContestRound
    assigned: int
    scored: int

    @property
    def pending(self) -> int:
        return self.assigned - self.scored


def rounds_to_judge(user: Any) -> list[RoundToJudge]:
    """The rounds in which the user has entries assigned to them, newest contest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = (
        JurorAssignment.objects.filter(juror=user)
        .values("round")
        .annotate(assigned=Count("id"), scored=Count("id", filter=Q(submitted_at__isnull=False)))
        .order_by()
    )
    rounds = ContestRound.objects.select_related("contest", "contest__unit").in_bulk(
        [r["round"] for r in rows]
    )
    found = [RoundToJudge(rounds[r["round"]], r["assigned"], r["scored"]) for r in rows]
    return sorted(found, key=lambda r: (-r.round.contest_id, r.round.number))


@dataclass
class ToScore:
    """An entry assigned to the juror, with the juror's own scores and note only."""

    assignment: JurorAssignment
    entry: Entry
    scores: dict[int, Decimal]
    note: str

    @property
    def complete(self) -> bool:
        return self.assignment.submitted_at is not None


def _mc_to_score(assignment: JurorAssignment) -> ToScore:
    rows = list(assignment.scores.all())
    note = next((r.private_note for r in rows if r.private_note), "")
    return ToScore(assignment, assignment.entry, {r.criterion_id: r.score for r in rows}, note)


def entries_to_score(user: Any, contest_round: ContestRound) -> list[ToScore]:
    """Only the entries of the round assigned to the user (none: 404, the round is not
    theirs to see)."""
    assignments = list(
        JurorAssignment.objects.filter(round=contest_round, juror=user)
        .select_related("entry", "entry__unit", "round__contest")
        .prefetch_related("scores")
        .order_by("entry_id")
    )
    if not assignments:
        raise Http404
    return [_mc_to_score(a) for a in assignments]


def entry_to_score(user: Any, contest_round: ContestRound, entry_id: Any) -> ToScore:
    """One entry assigned to the user in the round; Http404 when it is not theirs."""
    assignment = (
        JurorAssignment.objects.filter(round=contest_round, juror=user, entry_id=_mc_pk(entry_id))
        .select_related("entry", "entry__unit", "round__contest")
        .prefetch_related("scores")
        .first()
    )
    if assignment is None:
        raise Http404
    return _mc_to_score(assignment)


def judged_contest(user: Any, pk: Any) -> Contest:
    """A contest in which the user judges (jurors need no role in the organiser's tree)."""
    contest = (
        Contest.objects.select_related("unit")
        .filter(pk=_mc_pk(pk), rounds__assignments__juror=user)
        .distinct()
        .first()
    )
    if contest is None:
        raise Http404
    return contest


def prizes(contest: Contest) -> list[Prize]:
    return list(contest.prizes.select_related("entry", "entry__unit").order_by("rank", "entry_id"))


def public_contest(slug: str) -> Contest:
    """A public contest whose results are out (closed); Http404 for any other."""
    contest = Contest.objects.select_related("unit").filter(slug=slug).first()
    if contest is None or not results_published(contest):
        raise Http404
    return contest


def contest_overview(contest: Contest) -> list[dict[str, Any]]:
    """Each round with its entry count, assignments, complete scores and state."""
    counts = {
        r["round"]: r
        for r in JurorAssignment.objects.filter(round__contest=contest)
        .values("round")
        .annotate(assigned=Count("id"), scored=Count("id", filter=Q(submitted_at__isnull=False)))
        .order_by()
    }
    entries = list(contest.entries.filter(withdrawn=False).values_list("reached_round", flat=True))
    overview = []
    for contest_round in contest.rounds.select_related("phase").order_by("number"):
        row = counts.get(contest_round.pk, {})
        overview.append(
            {
                "round": contest_round,
                "entries": sum(1 for reached in entries if reached >= contest_round.number),
                "assigned": row.get("assigned", 0),
                "scored": row.get("scored", 0),
            }
        )
    return overview
