"""Every state change of emulation.

Initiatives, councils, awards and proposals (this block); movements and contests (the
block below the marker). Each public function checks the actor's right at the unit
(``actor`` None means the system: the demo loader or an operator's command), runs in one
transaction, writes the audit log and returns what it made. Views, the API and commands all
call these. A broken rule raises ``ValidationError`` naming the field (the author row:
"author 2: …"); a missing right ``PermissionDenied``.

Council scores: each council member gives each criterion (novelty, applicability, benefit) a
score from 0 to 100 (up to two decimals); an initiative's score is the mean over the members
who scored, the total the mean of the three criteria. A council member who is an author of an
application (same registry record, or same full name and date of birth; without a registry
record of the council member, the same full name) never scores it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.text import slugify
from django.utils.translation import gettext as _

from congdoan.accounts.permissions import (
    MANAGE_EMULATION,
    SUBMIT_INITIATIVES,
    VIEW_MEMBERS,
)
from congdoan.accounts.selectors import can
from congdoan.core import audit
from congdoan.core.models import AuditEntry
from congdoan.core.text import fold, nfc
from congdoan.emulation import selectors
from congdoan.emulation.models import (
    Author,
    Award,
    AwardForm,
    Contest,
    ContestCriterion,
    ContestPhase,
    ContestRound,
    Council,
    CouncilMember,
    CouncilScore,
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
    Scope,
)
from congdoan.emulation.selectors import (
    current_phase,
    is_author,
    next_round,
    phase_of_kind,
    rank_round,
    round_entries,
)
from congdoan.members import selectors as member_selectors
from congdoan.members.models import Member
from congdoan.org.models import Unit

INITIATIVE_TEXT_FIELDS = (
    "name",
    "field",
    "investor",
    "description",
    "confidential",
    "conditions",
    "expected_benefit",
    "applied_by",
)
INITIATIVE_REQUIRED = ("name", "field", "description")
SCORE_MAX = Decimal(100)
HUNDRED = Decimal(100)
CRITERIA = tuple(CouncilScore.Criterion.values)


# --- helpers --------------------------------------------------------------------------------


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _require(actor: Any, permission: str, unit: Unit) -> None:
    """``actor`` None is the system (the demo loader, a command): always allowed."""
    if actor is None:
        return
    if not can(actor, permission, unit.path):
        raise PermissionDenied(
            _("You have no right to do this for “%(unit)s”.") % {"unit": unit.name}
        )


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _audit(
    actor: Any, obj: Any, action: str, scope_path: str, message: str = "", **changes: Any
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        scope_path=scope_path,
        changes=changes,
        message=message,
    )


def _text(value: Any) -> str:
    """NFC text with its runs of spaces collapsed (newlines kept)."""
    lines = [" ".join(line.split()) for line in nfc(str(value or "")).splitlines()]
    return "\n".join(lines).strip()


def _line(value: Any) -> str:
    return " ".join(nfc(str(value or "")).split())


def parse_day(value: Any) -> dt.date | None:
    """A date from a date, ``YYYY-MM-DD`` or ``dd/mm/yyyy``; empty is None; else ValueError."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None:
        day = dt.datetime.strptime(text, "%d/%m/%Y").date()  # raises ValueError
    return day


def _day(value: Any, field: str, errors: dict[str, list[str]]) -> dt.date | None:
    try:
        return parse_day(value)
    except ValueError:
        errors.setdefault(field, []).append(
            _("“%(value)s” is not a date; write dd/mm/yyyy.") % {"value": value}
        )
        return None


def parse_money(value: Any) -> int:
    """VND in whole numbers: 17000000, "17.000.000" or "17 000 000"; else ValueError."""
    if value in (None, ""):
        return 0
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip().replace(".", "").replace(",", "").replace(" ", "")
        if not text.lstrip("-").isdigit():
            raise ValueError(value)
        number = int(text)
    if number < 0:
        raise ValueError(value)
    return number


def _money(value: Any, field: str, errors: dict[str, list[str]]) -> int:
    try:
        return parse_money(value)
    except ValueError:
        errors.setdefault(field, []).append(
            _("“%(value)s” is not an amount in VND: write a whole number of đồng, 0 or more.")
            % {"value": value}
        )
        return 0


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    text = str(value).strip().replace(",", ".")
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


def _max_lengths(model: type, values: Mapping[str, Any], errors: dict[str, list[str]]) -> None:
    for name, value in values.items():
        try:
            limit = model._meta.get_field(name).max_length
        except Exception:  # noqa: S112 - not a field: nothing to check
            continue
        if limit and isinstance(value, str) and len(value) > limit:
            errors.setdefault(name, []).append(
                _("At most %(n)s characters (this has %(length)s).")
                % {"n": limit, "length": len(value)}
            )


def member_for(actor: Any, value: Any) -> Member | None:
    """A member of the registry by id (or the member itself) that ``actor`` may see; None
    when there is none in the actor's units."""
    if value in (None, ""):
        return None
    if isinstance(value, Member):
        pk: Any = value.pk
    else:
        pk = value
    if actor is None:
        try:
            return Member.objects.select_related("unit").get(pk=int(pk))
        except (Member.DoesNotExist, TypeError, ValueError):
            return None
    try:
        return member_selectors.get_member(actor, pk, VIEW_MEMBERS)
    except Http404:
        return None


# --- initiatives ----------------------------------------------------------------------------


def _initiative_values(data: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in INITIATIVE_TEXT_FIELDS:
        if name in data:
            cleaner = _line if name in ("name", "field", "investor") else _text
            values[name] = cleaner(data.get(name))
    for name in INITIATIVE_REQUIRED:
        if not values.get(name):
            errors.setdefault(name, []).append(_("This field is required."))
    _max_lengths(Initiative, values, errors)
    if "first_applied_on" in data:
        day = _day(data.get("first_applied_on"), "first_applied_on", errors)
        if day and day > timezone.localdate():
            errors.setdefault("first_applied_on", []).append(_("The date is in the future."))
        values["first_applied_on"] = day
    if "expected_benefit_vnd" in data:
        values["expected_benefit_vnd"] = _money(
            data.get("expected_benefit_vnd"), "expected_benefit_vnd", errors
        )
    return values


def clean_authors(actor: Any, rows: Sequence[Mapping[str, Any]]) -> list[Author]:
    """The author rows as unsaved ``Author``s, or a ValidationError on ``authors`` whose
    messages name the row ("author 2: …"). Contributions are percentages, each above 0, with
    at most two decimals, adding up to exactly 100. A row linked to a member of the registry
    (``member``: an id the actor may see) takes the name, date of birth and workplace from it
    when they are left empty. A row's ``row`` is its number in the form's table (the rows
    left blank there are not sent); without it the rows are numbered in order."""
    if not rows:
        raise ValidationError({"authors": [_("Name at least one author.")]})
    errors: list[str] = []
    authors: list[Author] = []
    numbers: list[int] = []
    today = timezone.localdate()
    for index, row in enumerate(rows, start=1):
        number = int(row.get("row") or index)
        problems: list[str] = []
        member = None
        if row.get("member") not in (None, ""):
            member = member_for(actor, row.get("member"))
            if member is None:
                problems.append(
                    _("no member of the registry in your units has the number %(id)s")
                    % {"id": row.get("member")}
                )
        name = _line(row.get("full_name")) or (member.full_name if member else "")
        if not name:
            problems.append(_("the full name is missing"))
        try:
            birth = parse_day(row.get("birth_date"))
        except ValueError:
            birth = None
            problems.append(
                _("the date of birth “%(value)s” is not a date; write dd/mm/yyyy")
                % {"value": row.get("birth_date")}
            )
        else:
            if birth is None and member is not None:
                birth = member.birth_date
            if birth is None:
                problems.append(_("the date of birth is missing"))
            elif birth >= today:
                problems.append(_("the date of birth is not in the past"))
        qualification = str(row.get("qualification") or Qualification.WORKER)
        if qualification not in Qualification.values:
            problems.append(
                _("unknown qualification “%(value)s”; use one of: %(all)s")
                % {"value": qualification, "all": ", ".join(Qualification.values)}
            )
        raw = row.get("contribution")
        contribution = Decimal(0)
        if raw in (None, ""):
            problems.append(_("the contribution (%) is missing"))
        else:
            try:
                contribution = _decimal(raw)
            except (InvalidOperation, ValueError):
                problems.append(_("the contribution “%(value)s” is not a number") % {"value": raw})
            else:
                if contribution <= 0:
                    problems.append(_("the contribution must be more than 0%"))
                elif contribution > HUNDRED:
                    problems.append(_("the contribution cannot be more than 100%"))
                elif contribution != contribution.quantize(Decimal("0.01")):
                    problems.append(_("write the contribution with at most two decimals"))
        workplace = _line(row.get("workplace"))
        if not workplace and member is not None:
            workplace = member.workplace or member.unit.name
        author = Author(
            member=member,
            full_name=name,
            birth_date=birth,
            workplace=workplace,
            title=_line(row.get("title")),
            qualification=qualification,
            qualification_text=_line(row.get("qualification_text")),
            contribution=contribution,
        )
        lengths: dict[str, list[str]] = {}
        _max_lengths(
            Author,
            {f: getattr(author, f) for f in ("full_name", "workplace", "title")}
            | {"qualification_text": author.qualification_text},
            lengths,
        )
        for name_, messages in lengths.items():
            label = Author._meta.get_field(name_).verbose_name
            problems.extend(f"{label}: {m}" for m in messages)
        for problem in problems:
            errors.append(_("author %(n)s: %(problem)s") % {"n": number, "problem": problem})
        if not problems:
            for other_number, other in zip(numbers, authors, strict=True):
                if selectors.same_person(author, other):
                    errors.append(
                        _("author %(n)s: the same person as author %(other)s")
                        % {"n": number, "other": other_number}
                    )
                    break
        authors.append(author)
        numbers.append(number)
    if not errors:
        total = sum((a.contribution for a in authors), Decimal(0))
        if total != HUNDRED:
            errors.append(
                _("The contributions add up to %(total)s%%; they must add up to exactly 100%%.")
                % {"total": selectors.number_text(total)}
            )
    if errors:
        raise ValidationError({"authors": errors})
    return authors


@transaction.atomic
def submit_initiative(
    actor: Any,
    unit: Unit,
    data: Mapping[str, Any],
    authors: Sequence[Mapping[str, Any]],
) -> Initiative:
    """An application for recognition of an initiative (TT 18/2013, Phụ lục I) addressed to
    ``unit``, with its authors. ``data``: name, field, investor, first_applied_on,
    description, confidential, conditions, expected_benefit, expected_benefit_vnd, applied_by,
    year (default: this year)."""
    _require(actor, SUBMIT_INITIATIVES, unit)
    errors: dict[str, list[str]] = {}
    if unit.valid_to is not None:
        errors["unit"] = [
            _("“%(unit)s” ended on %(date)s.") % {"unit": unit.name, "date": _d(unit.valid_to)}
        ]
    values = _initiative_values(
        {name: data.get(name, "") for name in (*INITIATIVE_TEXT_FIELDS, "first_applied_on",
                                                "expected_benefit_vnd")},
        errors,
    )  # fmt: skip
    year = data.get("year") or timezone.localdate().year
    try:
        year = int(year)
        if not 1990 <= year <= timezone.localdate().year + 1:
            raise ValueError(year)
    except (TypeError, ValueError):
        errors.setdefault("year", []).append(_("“%(value)s” is not a year.") % {"value": year})
    try:
        rows = clean_authors(actor, authors)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
        rows = []
    if errors:
        raise ValidationError(errors)
    initiative = Initiative.objects.create(
        unit=unit, submitted_by=_actor(actor), year=year, **values
    )
    for row in rows:
        row.initiative = initiative
    Author.objects.bulk_create(rows)
    _audit(
        actor,
        initiative,
        AuditEntry.Action.CREATE,
        unit.path,
        _("Initiative submitted"),
        authors=[f"{a.full_name} ({selectors.number_text(a.contribution)}%)" for a in rows],
    )
    return initiative


# --- councils -------------------------------------------------------------------------------


@transaction.atomic
def create_council(
    actor: Any, unit: Unit, *, name: str, year: Any, established_by: str = ""
) -> Council:
    """A unit's initiative council (hội đồng sáng kiến) for a year."""
    _require(actor, MANAGE_EMULATION, unit)
    errors: dict[str, list[str]] = {}
    name, established_by = _line(name), _line(established_by)
    if not name:
        errors["name"] = [_("This field is required.")]
    try:
        year = int(year)
        if not 1990 <= year <= timezone.localdate().year + 1:
            raise ValueError(year)
    except (TypeError, ValueError):
        errors["year"] = [_("“%(value)s” is not a year.") % {"value": year}]
    _max_lengths(Council, {"name": name, "established_by": established_by}, errors)
    if errors:
        raise ValidationError(errors)
    council = Council.objects.create(unit=unit, name=name, year=year, established_by=established_by)
    _audit(actor, council, AuditEntry.Action.CREATE, unit.path, _("Initiative council set up"))
    return council


@transaction.atomic
def add_council_member(
    actor: Any,
    council: Council,
    user: Any,
    *,
    role: str = CouncilMember.Role.MEMBER,
    member: Any = None,
) -> CouncilMember:
    """Seat ``user`` on the council; ``member`` (a registry record the actor may see) is the
    council member's own record, used to find the applications they are an author of."""
    _require(actor, MANAGE_EMULATION, council.unit)
    errors: dict[str, list[str]] = {}
    if user is None or not getattr(user, "is_active", False):
        errors["user"] = [_("Choose an active user.")]
    elif CouncilMember.objects.filter(council=council, user=user).exists():
        errors["user"] = [_("“%(name)s” sits on this council already.") % {"name": user}]
    if role not in CouncilMember.Role.values:
        errors["role"] = [_("Unknown role “%(value)s”.") % {"value": role}]
    record = None
    if member not in (None, ""):
        record = member_for(actor, member)
        if record is None:
            errors["member"] = [
                _("No member of the registry in your units has the number %(id)s.")
                % {"id": getattr(member, "pk", member)}
            ]
    if errors:
        raise ValidationError(errors)
    seat = CouncilMember.objects.create(council=council, user=user, role=role, member=record)
    _audit(
        actor,
        council,
        AuditEntry.Action.UPDATE,
        council.unit.path,
        _("Council member added"),
        member=[None, str(user)],
        role=[None, role],
    )
    return seat


@transaction.atomic
def put_before_council(actor: Any, initiative: Initiative, council: Council) -> Initiative:
    """Put a submitted application before a council of its unit or of a unit above it."""
    _require(actor, MANAGE_EMULATION, council.unit)
    initiative = (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=initiative.pk)
    )
    if initiative.status != Initiative.Status.SUBMITTED:
        raise ValidationError(
            {
                "council": _(
                    "Only a submitted application can be put before a council; "
                    "this one is %(status)s."
                )
                % {"status": initiative.get_status_display()}
            }
        )
    if not initiative.unit.path.startswith(council.unit.path):
        raise ValidationError(
            {
                "council": _(
                    "The council of “%(council_unit)s” cannot consider an application addressed "
                    "to “%(unit)s”."
                )
                % {"council_unit": council.unit.name, "unit": initiative.unit.name}
            }
        )
    initiative.council = council
    initiative.status = Initiative.Status.REVIEW
    initiative.save(update_fields=["council", "status"])
    _audit(
        actor,
        initiative,
        AuditEntry.Action.UPDATE,
        initiative.unit.path,
        _("Put before the council “%(name)s”") % {"name": council.name},
        status=[Initiative.Status.SUBMITTED, Initiative.Status.REVIEW],
        council=[None, council.name],
    )
    return initiative


@transaction.atomic
def score_initiative(
    actor: Any, initiative: Initiative, scores: Mapping[str, Any], note: str = ""
) -> list[CouncilScore]:
    """The calling council member's scores (0–100 for novelty, applicability and benefit) of
    an application before their council. Scoring again replaces one's earlier scores."""
    seat = selectors.seat_for(actor, initiative)
    if seat is None:
        raise PermissionDenied(
            _("Only the members of the council the application is before can score it.")
        )
    if initiative.status != Initiative.Status.REVIEW:
        raise ValidationError(
            _("The application is not before the council any more: its scores are final.")
        )
    if selectors.council_member_is_author(seat, initiative):
        raise PermissionDenied(
            _("You are an author of “%(name)s”: a council member never scores their own.")
            % {"name": initiative.name}
        )
    errors: dict[str, list[str]] = {}
    values: dict[str, Decimal] = {}
    for criterion in CRITERIA:
        raw = scores.get(criterion)
        if raw in (None, ""):
            errors[criterion] = [_("This field is required.")]
            continue
        try:
            value = _decimal(raw)
        except (InvalidOperation, ValueError):
            errors[criterion] = [_("“%(value)s” is not a number.") % {"value": raw}]
            continue
        if not 0 <= value <= SCORE_MAX:
            errors[criterion] = [_("A score is from 0 to 100.")]
        elif value != value.quantize(Decimal("0.01")):
            errors[criterion] = [_("At most two decimals.")]
        else:
            values[criterion] = value
    if errors:
        raise ValidationError(errors)
    note = _text(note)
    saved = []
    for criterion, value in values.items():
        score, _created = CouncilScore.objects.update_or_create(
            initiative=initiative,
            council_member=seat,
            criterion=criterion,
            defaults={"score": value, "note": note},
        )
        saved.append(score)
    _audit(
        actor,
        initiative,
        AuditEntry.Action.UPDATE,
        initiative.unit.path,
        _("Scored by a council member"),
        scores={k: str(v) for k, v in values.items()},
    )
    return saved


@transaction.atomic
def decide_initiative(
    actor: Any,
    initiative: Initiative,
    *,
    recognised: bool,
    decided_on: Any,
    decision_reference: str,
    reasons: str = "",
    benefit_vnd: Any = 0,
    scope: str = "",
) -> Initiative:
    """The decision on an application before a council, by a manager of the council's unit:
    recognised (with the benefit in VND and the scope of application) or not (with the
    reasons), with the decision's reference and date. Nothing is deleted: the history stays
    in the audit log."""
    initiative = (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("unit", "council", "council__unit")
        .get(pk=initiative.pk)
    )
    if initiative.council is None or initiative.status != Initiative.Status.REVIEW:
        raise ValidationError(
            _("Only an application before a council can be decided; this one is %(status)s.")
            % {"status": initiative.get_status_display()}
        )
    _require(actor, MANAGE_EMULATION, initiative.council.unit)
    errors: dict[str, list[str]] = {}
    reference, reasons = _line(decision_reference), _text(reasons)
    if not reference:
        errors["decision_reference"] = [_("This field is required.")]
    day = _day(decided_on, "decided_on", errors)
    if day is None and "decided_on" not in errors:
        errors["decided_on"] = [_("This field is required.")]
    elif day is not None:
        if day > timezone.localdate():
            errors["decided_on"] = [_("The date is in the future.")]
        elif day < timezone.localtime(initiative.submitted_at).date():
            errors["decided_on"] = [_("The date is before the application was submitted.")]
    benefit = 0
    if recognised:
        benefit = _money(benefit_vnd, "benefit_vnd", errors)
        if scope not in Scope.values:
            errors["scope"] = [
                _("Choose the scope of application: %(all)s.") % {"all": ", ".join(Scope.values)}
            ]
        if initiative.first_applied_on is None:
            errors["recognised"] = [
                _(
                    "An initiative never applied or trialled cannot be recognised: the "
                    "application gives no date of first application."
                )
            ]
    elif not reasons:
        errors["reasons"] = [_("Give the reasons why it is not recognised.")]
    _max_lengths(Initiative, {"decision_reference": reference}, errors)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(
        initiative, ("status", "benefit_vnd", "scope", "decided_on", "decision_reference")
    )
    initiative.status = (
        Initiative.Status.RECOGNISED if recognised else Initiative.Status.NOT_RECOGNISED
    )
    initiative.benefit_vnd = benefit
    initiative.scope = scope if recognised else ""
    initiative.decided_on = day
    initiative.decision_reference = reference
    initiative.decision_reasons = reasons
    initiative.save()
    after = audit.snapshot(
        initiative, ("status", "benefit_vnd", "scope", "decided_on", "decision_reference")
    )
    _audit(
        actor,
        initiative,
        AuditEntry.Action.UPDATE,
        initiative.unit.path,
        _("Recognised") if recognised else _("Not recognised"),
        **audit.diff(before, after),
    )
    return initiative


# --- awards ---------------------------------------------------------------------------------


@transaction.atomic
def give_award(
    actor: Any,
    *,
    form: AwardForm,
    granted_by: Unit,
    decided_on: Any,
    decision_reference: str,
    unit: Unit | None = None,
    member: Member | None = None,
    person_name: str = "",
    reason: str = "",
    year: Any = None,
    initiative: Initiative | None = None,
    proposal: Proposal | None = None,
) -> Award:
    """Record a title or form of commendation given to a person (a member of the registry, or
    a name with their union) or to a unit, with the deciding document. ``granted_by`` is the
    unit honoured (or the person's union) or a unit above it; the actor manages emulation at
    the unit honoured."""
    errors: dict[str, list[str]] = {}
    if member is not None:
        unit = member.unit
        person_name = member.full_name
    person_name = _line(person_name)
    is_person = bool(person_name)
    if unit is None:
        errors["unit"] = [_("Name the unit honoured, or the person's union.")]
    else:
        _require(actor, MANAGE_EMULATION, unit)
        if not unit.path.startswith(granted_by.path):
            errors["granted_by"] = [
                _(
                    "“%(by)s” is not above “%(unit)s”: an award is granted by the unit itself "
                    "or a unit above it."
                )
                % {"by": granted_by.name, "unit": unit.name}
            ]
    if form.recipients == AwardForm.Recipient.PERSON and not is_person:
        errors["person_name"] = [
            _("“%(form)s” is given to people: name the person.") % {"form": form.name}
        ]
    if form.recipients == AwardForm.Recipient.UNIT and is_person:
        errors["person_name"] = [
            _("“%(form)s” is given to units, not to people.") % {"form": form.name}
        ]
    reference = _line(decision_reference)
    if not reference:
        errors["decision_reference"] = [_("This field is required.")]
    day = _day(decided_on, "decided_on", errors)
    if day is None and "decided_on" not in errors:
        errors["decided_on"] = [_("This field is required.")]
    elif day is not None and day > timezone.localdate():
        errors["decided_on"] = [_("The date is in the future.")]
    if year in (None, "") and day is not None:
        year = day.year
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors["year"] = [_("“%(value)s” is not a year.") % {"value": year}]
    _max_lengths(Award, {"person_name": person_name, "decision_reference": reference}, errors)
    if errors:
        raise ValidationError(errors)
    assert unit is not None
    award = Award.objects.create(
        form=form,
        granted_by=granted_by,
        member=member,
        person_name=person_name,
        unit=unit,
        decision_reference=reference,
        decided_on=day,
        year=year,
        reason=_text(reason),
        initiative=initiative,
        proposal=proposal,
    )
    _audit(actor, award, AuditEntry.Action.CREATE, unit.path, _("Award recorded"))
    return award


# --- proposals ------------------------------------------------------------------------------


def _candidate_rows(
    from_unit: Unit, candidates: Sequence[Mapping[str, Any]], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if not candidates:
        errors["candidates"] = [_("Choose at least one candidate.")]
        return rows
    codes = {str(c.get("unit") or "") for c in candidates}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    problems: list[str] = []
    for number, candidate in enumerate(candidates, start=1):
        name = _line(candidate.get("name"))
        unit = units.get(str(candidate.get("unit") or ""))
        if not name:
            problems.append(_("candidate %(n)s: the name is missing") % {"n": number})
        if unit is None or not unit.path.startswith(from_unit.path):
            problems.append(
                _("candidate %(n)s: the union “%(code)s” is not under “%(unit)s”")
                % {"n": number, "code": candidate.get("unit") or "", "unit": from_unit.name}
            )
        member = candidate.get("member")
        rows.append(
            {
                "name": name,
                "member": int(member) if member not in (None, "") else None,
                "unit": unit.code if unit else "",
                "birth_date": candidate.get("birth_date") or None,
                "qualification": candidate.get("qualification") or "",
                "basis": _text(candidate.get("basis")),
                "initiatives": list(candidate.get("initiatives") or []),
                "total_vnd": int(candidate.get("total_vnd") or 0),
                "rule": candidate.get("rule") or "",
            }
        )
    if problems:
        errors["candidates"] = problems
    return rows


@transaction.atomic
def create_proposal(
    actor: Any,
    from_unit: Unit,
    *,
    form: AwardForm,
    year: Any,
    candidates: Sequence[Mapping[str, Any]],
    note: str = "",
) -> Proposal:
    """A draft proposal for commendation (đề nghị khen thưởng) of ``from_unit`` to the unit
    directly above it. Each candidate: name, member (id or None), unit (code of their union,
    under ``from_unit``), birth_date, basis (why they qualify), initiatives, total_vnd, rule."""
    _require(actor, MANAGE_EMULATION, from_unit)
    errors: dict[str, list[str]] = {}
    to_unit = from_unit.parent
    if to_unit is None:
        errors["from_unit"] = [
            _("“%(unit)s” has no unit above it to propose to.") % {"unit": from_unit.name}
        ]
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors["year"] = [_("“%(value)s” is not a year.") % {"value": year}]
    rows = _candidate_rows(from_unit, candidates, errors)
    if errors:
        raise ValidationError(errors)
    proposal = Proposal.objects.create(
        from_unit=from_unit,
        to_unit=to_unit,
        form=form,
        year=year,
        candidates=rows,
        note=_text(note),
        created_by=_actor(actor),
    )
    _audit(
        actor,
        proposal,
        AuditEntry.Action.CREATE,
        from_unit.path,
        _("Proposal drafted"),
        candidates=[r["name"] for r in rows],
    )
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("from_unit", "to_unit", "form")
        .get(pk=proposal.pk)
    )


def _status_error(proposal: Proposal, wanted: str) -> ValidationError:
    return ValidationError(
        _("The proposal is %(status)s; only a %(wanted)s proposal can be handled so.")
        % {
            "status": proposal.get_status_display(),
            "wanted": Proposal.Status(wanted).label,
        }
    )


@transaction.atomic
def submit_proposal(actor: Any, proposal: Proposal) -> Proposal:
    """Send a draft proposal up to the unit directly above."""
    proposal = _locked(proposal)
    _require(actor, MANAGE_EMULATION, proposal.from_unit)
    if proposal.status != Proposal.Status.DRAFT:
        raise _status_error(proposal, Proposal.Status.DRAFT)
    proposal.status = Proposal.Status.SUBMITTED
    proposal.save(update_fields=["status"])
    _audit(
        actor,
        proposal,
        AuditEntry.Action.UPDATE,
        proposal.from_unit.path,
        _("Proposal sent to “%(unit)s”") % {"unit": proposal.to_unit.name},
        status=[Proposal.Status.DRAFT, Proposal.Status.SUBMITTED],
    )
    return proposal


@transaction.atomic
def approve_proposal(
    actor: Any,
    proposal: Proposal,
    *,
    decision_reference: str,
    decided_on: Any,
    note: str = "",
) -> list[Award]:
    """The unit above approves a submitted proposal: one ``Award`` a candidate, granted by
    it, linked to the proposal."""
    proposal = _locked(proposal)
    _require(actor, MANAGE_EMULATION, proposal.to_unit)
    if proposal.status != Proposal.Status.SUBMITTED:
        raise _status_error(proposal, Proposal.Status.SUBMITTED)
    units = {
        u.code: u
        for u in Unit.objects.filter(code__in=[c.get("unit") for c in proposal.candidates])
    }
    members = {
        m.pk: m
        for m in Member.objects.select_related("unit").filter(
            pk__in=[c["member"] for c in proposal.candidates if c.get("member")]
        )
    }
    initiatives = {
        i.pk: i
        for i in Initiative.objects.filter(
            pk__in=[c["initiatives"][0] for c in proposal.candidates if c.get("initiatives")]
        )
    }
    awards = []
    for candidate in proposal.candidates:
        member = members.get(candidate.get("member") or 0)
        first = (candidate.get("initiatives") or [None])[0]
        awards.append(
            give_award(
                actor,
                form=proposal.form,
                granted_by=proposal.to_unit,
                decided_on=decided_on,
                decision_reference=decision_reference,
                unit=units.get(candidate.get("unit")),
                member=member,
                person_name=candidate.get("name", ""),
                reason=candidate.get("basis", ""),
                year=proposal.year,
                initiative=initiatives.get(first) if first else None,
                proposal=proposal,
            )
        )
    proposal.status = Proposal.Status.APPROVED
    proposal.decided_note = _text(note)
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_note", "decided_at"])
    _audit(
        actor,
        proposal,
        AuditEntry.Action.UPDATE,
        proposal.to_unit.path,
        _("Proposal approved: %(n)s awards") % {"n": len(awards)},
        status=[Proposal.Status.SUBMITTED, Proposal.Status.APPROVED],
    )
    return awards


@transaction.atomic
def reject_proposal(actor: Any, proposal: Proposal, note: str) -> Proposal:
    """The unit above rejects a submitted proposal, saying why."""
    proposal = _locked(proposal)
    _require(actor, MANAGE_EMULATION, proposal.to_unit)
    if proposal.status != Proposal.Status.SUBMITTED:
        raise _status_error(proposal, Proposal.Status.SUBMITTED)
    note = _text(note)
    if not note:
        raise ValidationError({"note": [_("Say why the proposal is rejected.")]})
    proposal.status = Proposal.Status.REJECTED
    proposal.decided_note = note
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_note", "decided_at"])
    _audit(
        actor,
        proposal,
        AuditEntry.Action.UPDATE,
        proposal.to_unit.path,
        _("Proposal rejected"),
        status=[Proposal.Status.SUBMITTED, Proposal.Status.REJECTED],
    )
    return proposal


# --- movements and contests (below)

# Movements (phong trào thi đua) and initiative contests with jury rounds.
#
# Rules chosen here (the pages and the API follow them, being thin):
# * Phases are data. The current phase of a contest is the one whose dates contain today
#   (``current_phase``); when two do (a phase advanced by hand starts on the day the one
#   before it ends), the later one. ``advance_phase`` starts the next phase today by moving
#   its start date (and ending the phase before it yesterday), so the dates stay the truth.
#   Entries are taken only in the submission phase, prizes given only in the awards phase;
#   the public results page opens once the contest is closed (the awards phase is over).
# * Conflict of interest: a juror is an author of an entry when they submitted it, or when
#   their full name (compared folded: case, tone marks and đ ignored) is one of the entry's
#   authors' names (the linked members or the names written on it). Such a juror cannot be
#   assigned to it; a bulk assignment skips the pair and reports it.
# * A round's ranking is the mean of the jurors' complete scores (each the weighted average
#   of the criteria, on the contest's scale), to 2 decimals; equal totals share a rank
#   (1, 2, 2, 4). ``advance(round, top=N)`` refuses while an entry has no complete score, and
#   refuses when the N-th place is tied with the next, saying how many are tied and which
#   top N would not split them.
# * A juror's note on an entry is private: it is kept on each of their scores of the entry
#   and shown to nobody else.
#
# Private helpers of this block start with ``_mc_``.


PHASE_SEQUENCE = [
    ContestPhase.Kind.SUBMISSION,
    ContestPhase.Kind.SCREENING,
    ContestPhase.Kind.FINAL,
    ContestPhase.Kind.AWARDS,
    ContestPhase.Kind.CLOSED,
]
#: The phases in which a round is judged, in order: round 1 in the first, round 2 in the next.
JUDGING_PHASES = (ContestPhase.Kind.SCREENING, ContestPhase.Kind.FINAL)
MOVEMENT_FIELDS = ("name", "description", "criteria", "starts_on", "ends_on", "legal_basis")
MOVEMENT_SCORE_MAX = Decimal(100)
CENT = Decimal("0.01")


def _mc_today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _mc_under(top: Any, unit: Any) -> bool:
    return unit.path.startswith(top.path)


def _mc_audit(actor: Any, action: str, obj: Any, unit: Any, message: str = "", **changes: Any):
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        scope_path=unit.path,
        changes={k: _mc_plain(v) for k, v in changes.items()},
        message=message,
    )


def _mc_plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_mc_plain(v) for v in value]
    return value


def _mc_text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return nfc(str(value)) if value is not None else ""


def _mc_decimal(value: Any) -> Decimal | None:
    """A number typed with a dot or a Vietnamese decimal comma; None when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


# --- movements ------------------------------------------------------------------------------


def launch_movement(actor: Any, unit: Any, data: Mapping[str, Any]) -> Movement:
    """A unit launches an emulation movement for its subtree over a period, with criteria."""
    _require(actor, MANAGE_EMULATION, unit)
    errors: dict[str, str] = {}
    clean = {name: _mc_text(data, name) for name in ("name", "description", "criteria")}
    clean["legal_basis"] = _mc_text(data, "legal_basis")
    if not clean["name"]:
        errors["name"] = _("Give the movement a name.")
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts_on, dt.date):
        errors["starts_on"] = _("Give the first day of the movement.")
    if not isinstance(ends_on, dt.date):
        errors["ends_on"] = _("Give the last day of the movement.")
    elif isinstance(starts_on, dt.date) and ends_on < starts_on:
        errors["ends_on"] = _("The movement cannot end before it starts.")
    if not unit.is_active:
        errors["unit"] = _("“%(unit)s” has ended and cannot launch a movement.") % {
            "unit": unit.name
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        movement = Movement.objects.create(
            unit=unit,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=_actor(actor),
            **clean,
        )
        _mc_audit(
            actor,
            "create",
            movement,
            unit,
            _("Movement launched"),
            **audit.snapshot(movement, MOVEMENT_FIELDS),
        )
    return movement


def registrant_name(registration: Registration) -> str:
    """Who registered: the person with their union, or the unit."""
    if registration.member_id:
        return f"{registration.member.full_name} ({registration.unit.name})"
    return registration.unit.name


def register_for_movement(
    actor: Any,
    movement: Movement,
    *,
    unit: Any = None,
    member: Any = None,
    target: str = "",
    commitments: str = "",
    today: dt.date | None = None,
) -> Registration:
    """A unit of the movement's subtree, or a member of a union in it, registers (đăng ký thi
    đua): once per unit and once per person, only during the movement's period. The actor
    needs the right to submit at the unit (the person's union for a person)."""
    day = _mc_today(today)
    if member is not None:
        unit = member.unit
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit or the person who registers.")})
    _require(actor, SUBMIT_INITIATIVES, unit)
    if not _mc_under(movement.unit, unit):
        raise ValidationError(
            {
                "unit": _("“%(unit)s” is not under “%(launcher)s”, which launched the movement.")
                % {"unit": unit.name, "launcher": movement.unit.name}
            }
        )
    if not unit.is_active:
        raise ValidationError({"unit": _("“%(unit)s” has ended.") % {"unit": unit.name}})
    if member is not None and not member.is_active:
        raise ValidationError(
            {"member": _("%(name)s is no longer an active member.") % {"name": member.full_name}}
        )
    if not movement.starts_on <= day <= movement.ends_on:
        raise ValidationError(
            _("Registrations are taken from %(start)s to %(end)s.")
            % {"start": _d(movement.starts_on), "end": _d(movement.ends_on)}
        )
    if member is not None:
        taken = movement.registrations.filter(member=member).exists()
        taken_message = _("%(name)s has already registered for this movement.") % {
            "name": member.full_name
        }
    else:
        taken = movement.registrations.filter(unit=unit, member__isnull=True).exists()
        taken_message = _("“%(unit)s” has already registered for this movement.") % {
            "unit": unit.name
        }
    if taken:
        raise ValidationError(taken_message)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                movement=movement,
                unit=unit,
                member=member,
                target=nfc(target or ""),
                commitments=nfc(commitments or ""),
                registered_on=day,
                created_by=_actor(actor),
            )
            _mc_audit(
                actor,
                "create",
                registration,
                unit,
                _("Registered for “%(movement)s”") % {"movement": movement.name},
                target=registration.target,
            )
    except IntegrityError:  # registered at the same moment by someone else
        raise ValidationError(taken_message) from None
    return registration


def record_review(
    actor: Any,
    movement: Movement,
    *,
    kind: str,
    held_on: dt.date | None,
    summary: str = "",
    results: Iterable[Mapping[str, Any]] = (),
) -> Review:
    """A mid-term or final review (sơ kết, tổng kết) with a result per registrant: rating,
    score out of 100 and a note. A row without a rating is left out. One final review."""
    _require(actor, MANAGE_EMULATION, movement.unit)
    errors: dict[str, Any] = {}
    if kind not in Review.Kind.values:
        errors["kind"] = _("Choose a mid-term or a final review.")
    if not isinstance(held_on, dt.date):
        errors["held_on"] = _("Give the day of the review.")
    elif held_on < movement.starts_on:
        errors["held_on"] = _("A review cannot be held before the movement starts (%(date)s).") % {
            "date": _d(movement.starts_on)
        }
    elif kind == Review.Kind.MIDTERM and held_on > movement.ends_on:
        errors["held_on"] = _(
            "A mid-term review is held within the movement's period (until %(date)s)."
        ) % {"date": _d(movement.ends_on)}
    final = movement.reviews.filter(kind=Review.Kind.FINAL).first()
    if kind == Review.Kind.FINAL and final is not None:
        errors["kind"] = _("The movement already has its final review, held on %(date)s.") % {
            "date": _d(final.held_on)
        }
    registrations = {r.pk: r for r in movement.registrations.select_related("unit", "member")}
    rows: list[tuple[Registration, str, Decimal | None, str]] = []
    row_errors: list[str] = []
    for row in results:
        registration = row.get("registration")
        registration_id = getattr(registration, "pk", registration)
        found = registrations.get(_mc_int(registration_id))
        if found is None:
            row_errors.append(
                _("Registration %(id)s is not one of this movement's.") % {"id": registration_id}
            )
            continue
        rating = str(row.get("rating") or "").strip()
        if not rating:
            continue
        name = registrant_name(found)
        if rating not in ReviewResult.Rating.values:
            row_errors.append(
                _("%(name)s: unknown rating “%(rating)s”.") % {"name": name, "rating": rating}
            )
            continue
        try:
            score = _mc_decimal(row.get("score"))
        except ValueError:
            row_errors.append(
                _("%(name)s: “%(value)s” is not a number.") % {"name": name, "value": row["score"]}
            )
            continue
        if score is not None and not Decimal(0) <= score <= MOVEMENT_SCORE_MAX:
            row_errors.append(_("%(name)s: the score must be between 0 and 100.") % {"name": name})
            continue
        rows.append((found, rating, score, nfc(str(row.get("note") or ""))))
    if row_errors:
        errors["results"] = row_errors
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = Review.objects.create(
            movement=movement, kind=kind, held_on=held_on, summary=nfc(summary or "")
        )
        ReviewResult.objects.bulk_create(
            ReviewResult(review=review, registration=reg, rating=rating, score=score, note=note)
            for reg, rating, score, note in rows
        )
        _mc_audit(
            actor,
            "create",
            review,
            movement.unit,
            _("%(kind)s of “%(movement)s”: %(count)s results")
            % {"kind": review.get_kind_display(), "movement": movement.name, "count": len(rows)},
            held_on=held_on,
        )
    return review


def _mc_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- contests: setting up ---------------------------------------------------------------------


@dataclass
class PhaseDates:
    kind: str
    starts_on: dt.date | None
    ends_on: dt.date | None = None


def _mc_clean_phases(phases: Sequence[PhaseDates]) -> list[PhaseDates]:
    errors: list[str] = []
    kinds = [p.kind for p in phases]
    if not phases or kinds[0] != ContestPhase.Kind.SUBMISSION:
        errors.append(_("A contest starts with its submission phase."))
    known = [k for k in kinds if k in PHASE_SEQUENCE]
    if len(known) != len(kinds) or len(set(kinds)) != len(kinds):
        errors.append(_("Each phase may appear once, among the known phases."))
    elif sorted(kinds, key=PHASE_SEQUENCE.index) != kinds:
        errors.append(
            _("The phases follow this order: submissions, screening, final, awards, closed.")
        )
    previous: PhaseDates | None = None
    for phase in phases:
        label = ContestPhase.Kind(phase.kind).label if phase.kind in PHASE_SEQUENCE else phase.kind
        if not isinstance(phase.starts_on, dt.date):
            errors.append(_("Phase “%(phase)s”: give its first day.") % {"phase": label})
            continue
        if phase.ends_on is not None and phase.ends_on < phase.starts_on:
            errors.append(_("Phase “%(phase)s” cannot end before it starts.") % {"phase": label})
        if previous is not None and previous.starts_on and phase.starts_on < previous.starts_on:
            errors.append(
                _("Phase “%(phase)s” cannot start before the phase before it.") % {"phase": label}
            )
        previous = phase
    if errors:
        raise ValidationError({"phases": errors})
    return list(phases)


def _mc_clean_criteria(criteria: Sequence[tuple[str, Any]]) -> list[tuple[str, Decimal]]:
    errors: list[str] = []
    clean: list[tuple[str, Decimal]] = []
    seen: set[str] = set()
    for number, (name, weight) in enumerate(criteria, start=1):
        name = nfc(str(name or ""))
        if not name:
            errors.append(_("Criterion %(number)s: give its name.") % {"number": number})
            continue
        if fold(name) in seen:
            errors.append(_("Criterion “%(name)s” is given twice.") % {"name": name})
            continue
        seen.add(fold(name))
        try:
            value = _mc_decimal(weight if weight not in (None, "") else 1)
        except ValueError:
            errors.append(
                _("Criterion “%(name)s”: the weight “%(value)s” is not a number.")
                % {"name": name, "value": weight}
            )
            continue
        if value is None or not Decimal(0) < value <= Decimal(100):
            errors.append(
                _("Criterion “%(name)s”: the weight must be above 0 and at most 100.")
                % {"name": name}
            )
            continue
        clean.append((name, value))
    if not criteria:
        errors.append(_("Give at least one criterion."))
    if errors:
        raise ValidationError({"criteria": errors})
    return clean


def _mc_slug(name: str, wanted: str = "") -> str:
    base = slugify(fold(wanted or name))[:100].strip("-") or "cuoc-thi"
    slug, number = base, 1
    while Contest.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def create_contest(
    actor: Any,
    unit: Any,
    data: Mapping[str, Any],
    *,
    criteria: Sequence[tuple[str, Any]],
    phases: Sequence[PhaseDates],
    rounds: Sequence[str] | None = None,
) -> Contest:
    """An initiative contest organised by ``unit`` for its subtree: criteria with weights
    scored on 0..``scale_max``, its phases with their dates, and its rounds (by default one
    per judging phase: screening, final), each round tied to its judging phase."""
    _require(actor, MANAGE_EMULATION, unit)
    errors: dict[str, Any] = {}
    name = _mc_text(data, "name")
    if not name:
        errors["name"] = _("Give the contest a name.")
    scale_max = data.get("scale_max")
    if scale_max in (None, ""):
        scale_max = 10
    try:
        scale_max = int(scale_max)
    except (TypeError, ValueError):
        scale_max = 0
    if not 1 <= scale_max <= 1000:
        errors["scale_max"] = _("The highest score of a criterion is a whole number, 1 to 1000.")
    if not unit.is_active:
        errors["unit"] = _("“%(unit)s” has ended and cannot organise a contest.") % {
            "unit": unit.name
        }
    clean_criteria: list[tuple[str, Decimal]] = []
    clean_phases: list[PhaseDates] = []
    try:
        clean_criteria = _mc_clean_criteria(criteria)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        clean_phases = _mc_clean_phases(phases)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if rounds is not None:
        round_names = [nfc(str(n or "")) for n in rounds]
        if not round_names or not all(round_names):
            errors["rounds"] = _("Give each round a name.")
    if errors:
        raise ValidationError(errors)
    judging = [p for p in clean_phases if p.kind in JUDGING_PHASES]
    if rounds is None:
        names = {
            ContestPhase.Kind.SCREENING: _("Screening round"),
            ContestPhase.Kind.FINAL: _("Final round"),
        }
        round_names = [names[p.kind] for p in judging] or [_("Round 1")]
    with transaction.atomic():
        contest = Contest.objects.create(
            unit=unit,
            name=name,
            description=_mc_text(data, "description"),
            slug=_mc_slug(name, _mc_text(data, "slug")),
            scale_max=scale_max,
            is_public=bool(data.get("is_public", True)),
            created_by=_actor(actor),
        )
        made = {}
        for order, phase in enumerate(clean_phases, start=1):
            made[phase.kind] = ContestPhase.objects.create(
                contest=contest,
                kind=phase.kind,
                order=order,
                starts_on=phase.starts_on,
                ends_on=phase.ends_on,
            )
        for order, (criterion, weight) in enumerate(clean_criteria, start=1):
            ContestCriterion.objects.create(
                contest=contest, name=criterion, weight=weight, order=order
            )
        for number, round_name in enumerate(round_names, start=1):
            phase = made[judging[number - 1].kind] if number <= len(judging) else None
            ContestRound.objects.create(
                contest=contest, number=number, name=round_name, phase=phase
            )
        _mc_audit(
            actor,
            "create",
            contest,
            unit,
            _("Contest created"),
            name=name,
            scale_max=scale_max,
            criteria=[f"{c} ×{w}" for c, w in clean_criteria],
            phases=[f"{p.kind} {p.starts_on}–{p.ends_on or ''}" for p in clean_phases],
            rounds=round_names,
        )
    return contest


def set_phase_dates(actor: Any, contest: Contest, phases: Sequence[PhaseDates]) -> Contest:
    """New dates for the contest's phases (matched by kind; the kinds do not change)."""
    _require(actor, MANAGE_EMULATION, contest.unit)
    existing = list(contest.phases.all())
    given = {p.kind: p for p in phases}
    merged = [
        PhaseDates(p.kind, given[p.kind].starts_on, given[p.kind].ends_on)
        if p.kind in given
        else PhaseDates(p.kind, p.starts_on, p.ends_on)
        for p in existing
    ]
    _mc_clean_phases(merged)
    with transaction.atomic():
        changes = {}
        for phase, new in zip(existing, merged, strict=True):
            if (phase.starts_on, phase.ends_on) != (new.starts_on, new.ends_on):
                changes[phase.kind] = [
                    f"{phase.starts_on}–{phase.ends_on or ''}",
                    f"{new.starts_on}–{new.ends_on or ''}",
                ]
                phase.starts_on, phase.ends_on = new.starts_on, new.ends_on
                phase.save(update_fields=["starts_on", "ends_on"])
        if changes:
            _mc_audit(actor, "update", contest, contest.unit, _("Phase dates changed"), **changes)
    return contest


def advance_phase(actor: Any, contest: Contest, today: dt.date | None = None) -> ContestPhase:
    """Start the next phase today: its first day becomes today and the phases before it end
    yesterday at the latest (today when they started today)."""
    _require(actor, MANAGE_EMULATION, contest.unit)
    day = _mc_today(today)
    phases = list(contest.phases.all())
    following = next((p for p in phases if p.starts_on > day), None)
    if following is None:
        raise ValidationError(_("The contest is in its last phase."))
    with transaction.atomic():
        for phase in phases:
            if phase.order >= following.order:
                break
            if phase.ends_on is None or phase.ends_on >= day:
                phase.ends_on = max(phase.starts_on, day - dt.timedelta(days=1))
                phase.save(update_fields=["ends_on"])
        before = following.starts_on
        following.starts_on = day
        following.save(update_fields=["starts_on"])
        _mc_audit(
            actor,
            "update",
            contest,
            contest.unit,
            _("Phase “%(phase)s” started") % {"phase": following.get_kind_display()},
            **{following.kind: [before, day]},
        )
    return following


# --- contests: entries ------------------------------------------------------------------------


def submit_entry(
    actor: Any,
    contest: Contest,
    data: Mapping[str, Any],
    *,
    authors: Sequence[Any] = (),
    initiative: Initiative | None = None,
    today: dt.date | None = None,
) -> Entry:
    """An entry from a unit of the organiser's subtree (``data["unit"]``), by members of unions
    in it, while submissions are open. It may name a recorded initiative of the subtree."""
    unit = data.get("unit")
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit the entry comes from.")})
    _require(actor, SUBMIT_INITIATIVES, unit)
    day = _mc_today(today)
    phase = current_phase(contest, day)
    if phase is None or phase.kind != ContestPhase.Kind.SUBMISSION:
        submission = phase_of_kind(contest, ContestPhase.Kind.SUBMISSION)
        raise ValidationError(
            _("Entries are taken only while submissions are open (%(start)s – %(end)s).")
            % {
                "start": _d(submission.starts_on) if submission else "…",
                "end": _d(submission.ends_on) if submission and submission.ends_on else "…",
            }
        )
    errors: dict[str, Any] = {}
    if not _mc_under(contest.unit, unit):
        errors["unit"] = _(
            "“%(unit)s” is not under “%(organiser)s”, which organises the contest."
        ) % {
            "unit": unit.name,
            "organiser": contest.unit.name,
        }
    elif not unit.is_active:
        errors["unit"] = _("“%(unit)s” has ended.") % {"unit": unit.name}
    title = _mc_text(data, "title")
    if not title:
        errors["title"] = _("Give the entry a title.")
    elif any(fold(t) == fold(title) for t in contest.entries.values_list("title", flat=True)):
        errors["title"] = _("An entry with this title is already in the contest.")
    outside = [m.full_name for m in authors if not _mc_under(contest.unit, m.unit)]
    if outside:
        errors["authors"] = _("Not members of a union under “%(organiser)s”: %(names)s.") % {
            "organiser": contest.unit.name,
            "names": ", ".join(outside),
        }
    author_names = _mc_text(data, "author_names") or ", ".join(m.full_name for m in authors)
    if not author_names:
        errors["author_names"] = _("Name the authors.")
    if initiative is not None and not _mc_under(contest.unit, initiative.unit):
        errors["initiative"] = _("The initiative is not one of a unit under “%(organiser)s”.") % {
            "organiser": contest.unit.name
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry = Entry.objects.create(
            contest=contest,
            title=title,
            summary=_mc_text(data, "summary"),
            unit=unit,
            author_names=author_names[:500],
            initiative=initiative,
            submitted_by=_actor(actor),
        )
        if authors:
            entry.authors.set(authors)
        _mc_audit(
            actor,
            "create",
            entry,
            unit,
            _("Entry in “%(contest)s”") % {"contest": contest.name},
            title=title,
            authors=author_names,
        )
    return entry


# --- contests: jurors -------------------------------------------------------------------------


def _mc_open_round(contest_round: ContestRound) -> None:
    if contest_round.closed_at is not None:
        raise ValidationError(
            _("Round %(number)s was closed on %(date)s.")
            % {
                "number": contest_round.number,
                "date": _d(timezone.localtime(contest_round.closed_at).date()),
            }
        )


def _mc_juror_label(juror: Any) -> str:
    return getattr(juror, "full_name", "") or juror.username


def assign_juror(
    actor: Any, contest_round: ContestRound, entry: Entry, juror: Any
) -> JurorAssignment:
    """One juror to one entry of the round; an author of the entry cannot judge it."""
    contest = contest_round.contest
    _require(actor, MANAGE_EMULATION, contest.unit)
    _mc_open_round(contest_round)
    if (
        entry.contest_id != contest.pk
        or entry.withdrawn
        or entry.reached_round < contest_round.number
    ):
        raise ValidationError(
            {"entry": _("“%(title)s” is not in this round.") % {"title": entry.title}}
        )
    if not juror.is_active:
        raise ValidationError(
            {"juror": _("%(name)s cannot sign in.") % {"name": _mc_juror_label(juror)}}
        )
    if is_author(juror, entry):
        raise ValidationError(
            {
                "juror": _("%(name)s is an author of “%(title)s” and cannot judge it.")
                % {"name": _mc_juror_label(juror), "title": entry.title}
            }
        )
    with transaction.atomic():
        assignment, created = JurorAssignment.objects.get_or_create(
            round=contest_round, entry=entry, juror=juror
        )
        if created:
            _mc_audit(
                actor,
                "create",
                assignment,
                contest.unit,
                _("%(name)s judges “%(title)s” in round %(number)s")
                % {
                    "name": _mc_juror_label(juror),
                    "title": entry.title,
                    "number": contest_round.number,
                },
            )
    return assignment


@dataclass
class AssignmentReport:
    """What a bulk assignment did: new assignments, pairs already there, conflicts skipped
    (the juror is an author of the entry) and entries left with fewer jurors than asked."""

    created: list[JurorAssignment] = field(default_factory=list)
    existing: int = 0
    conflicts: list[tuple[Entry, Any]] = field(default_factory=list)
    short: list[tuple[Entry, int]] = field(default_factory=list)

    def messages(self) -> list[str]:
        lines = [
            _("%(count)s assignments made, %(existing)s already there.")
            % {"count": len(self.created), "existing": self.existing}
        ]
        lines += [
            _("Skipped: %(name)s is an author of “%(title)s”.")
            % {"name": _mc_juror_label(juror), "title": entry.title}
            for entry, juror in self.conflicts
        ]
        lines += [
            _("“%(title)s” has only %(count)s jurors.") % {"title": entry.title, "count": count}
            for entry, count in self.short
        ]
        return lines


def assign_jurors(
    actor: Any,
    contest_round: ContestRound,
    jurors: Sequence[Any],
    *,
    per_entry: int | None = None,
) -> AssignmentReport:
    """Jurors to the entries of a round in bulk: every juror to every entry (``per_entry``
    None), or ``per_entry`` jurors to each entry taken in turn from the list (round-robin),
    counting those already assigned. A juror who is an author of an entry is skipped (and
    reported); an entry that cannot get enough jurors is reported."""
    contest = contest_round.contest
    _require(actor, MANAGE_EMULATION, contest.unit)
    _mc_open_round(contest_round)
    jurors = list(dict.fromkeys(jurors))
    if not jurors:
        raise ValidationError({"jurors": _("Choose at least one juror.")})
    inactive = [_mc_juror_label(j) for j in jurors if not j.is_active]
    if inactive:
        raise ValidationError(
            {"jurors": _("Cannot sign in: %(names)s.") % {"names": ", ".join(inactive)}}
        )
    if per_entry is not None and not 1 <= per_entry <= len(jurors):
        raise ValidationError(
            {
                "per_entry": _("Jurors per entry: 1 to %(count)s (the jurors chosen).")
                % {"count": len(jurors)}
            }
        )
    entries = round_entries(contest_round)
    if not entries:
        raise ValidationError(
            _("Round %(number)s has no entries.") % {"number": contest_round.number}
        )
    report = AssignmentReport()
    have: dict[int, set[int]] = {}
    for entry_id, juror_id in JurorAssignment.objects.filter(round=contest_round).values_list(
        "entry_id", "juror_id"
    ):
        have.setdefault(entry_id, set()).add(juror_id)
    turn = 0
    with transaction.atomic():
        for entry in entries:
            assigned = have.get(entry.pk, set())
            if per_entry is None:
                for juror in jurors:
                    if juror.pk in assigned:
                        report.existing += 1
                    elif is_author(juror, entry):
                        report.conflicts.append((entry, juror))
                    else:
                        report.created.append(
                            JurorAssignment(round=contest_round, entry=entry, juror=juror)
                        )
                continue
            report.existing += len(assigned & {j.pk for j in jurors})
            need = per_entry - len(assigned)
            tried = 0
            while need > 0 and tried < len(jurors):
                juror = jurors[turn % len(jurors)]
                turn += 1
                tried += 1
                if juror.pk in assigned:
                    continue
                if is_author(juror, entry):
                    report.conflicts.append((entry, juror))
                    continue
                report.created.append(
                    JurorAssignment(round=contest_round, entry=entry, juror=juror)
                )
                assigned = assigned | {juror.pk}
                need -= 1
            if need > 0:
                report.short.append((entry, per_entry - need))
        JurorAssignment.objects.bulk_create(report.created)
        _mc_audit(
            actor,
            "create",
            contest_round,
            contest.unit,
            _("Jurors assigned in round %(number)s") % {"number": contest_round.number},
            jurors=[j.username for j in jurors],
            per_entry=per_entry,
            created=len(report.created),
            conflicts=[f"{j.username}: {e.pk}" for e, j in report.conflicts],
        )
    return report


# --- contests: scoring ------------------------------------------------------------------------


def score_entry(
    actor: Any,
    assignment: JurorAssignment,
    scores: Mapping[Any, Any],
    note: str | None = None,
) -> JurorAssignment:
    """A juror scores their assigned entry: a score per criterion (``{criterion id: score}``)
    on 0..the contest's scale, and a private note. A blank score leaves the criterion as it
    was. The assignment is complete (``submitted_at``) once every criterion has a score."""
    if actor is None or assignment.juror_id != actor.pk:
        raise PermissionDenied(_("This entry is not assigned to you."))
    contest_round = assignment.round
    contest = contest_round.contest
    _mc_open_round(contest_round)
    criteria = {c.pk: c for c in contest.criteria.all()}
    errors: dict[str, list[str]] = {}
    clean: dict[int, Decimal] = {}
    for key, value in scores.items():
        criterion = criteria.get(_mc_int(getattr(key, "pk", key)))
        if criterion is None:
            errors.setdefault("scores", []).append(
                _("“%(criterion)s” is not a criterion of this contest.") % {"criterion": key}
            )
            continue
        name = f"criterion_{criterion.pk}"
        try:
            number = _mc_decimal(value)
        except ValueError:
            errors[name] = [
                _("“%(criterion)s”: “%(value)s” is not a number.")
                % {"criterion": criterion.name, "value": value}
            ]
            continue
        if number is None:
            continue
        if not Decimal(0) <= number <= contest.scale_max:
            errors[name] = [
                _("“%(criterion)s”: the score must be between 0 and %(max)s.")
                % {"criterion": criterion.name, "max": contest.scale_max}
            ]
            continue
        clean[criterion.pk] = number
    if note and not clean and not assignment.scores.exists():
        errors["note"] = [_("Give at least one score with your note.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for criterion_id, number in clean.items():
            JurorScore.objects.update_or_create(
                assignment=assignment, criterion_id=criterion_id, defaults={"score": number}
            )
        if note is not None:
            JurorScore.objects.filter(assignment=assignment).update(private_note=nfc(note))
        complete = JurorScore.objects.filter(assignment=assignment).count() == len(criteria)
        assignment.submitted_at = timezone.now() if complete else None
        assignment.save(update_fields=["submitted_at"])
        _mc_audit(
            actor,
            "update",
            assignment,
            contest.unit,
            _("Scores given to “%(title)s” in round %(number)s")
            % {"title": assignment.entry.title, "number": contest_round.number},
            scores={criteria[pk].name: str(v) for pk, v in clean.items()},
            complete=complete,
        )
    return assignment


# --- contests: ranking, advancing, prizes -------------------------------------------------------


def advance(actor: Any, contest_round: ContestRound, top: Any) -> list[Entry]:
    """Move the top ``top`` entries of the round to the next round and close the round.

    Refused while an entry has no complete score, and when the N-th place is tied with the
    next one: the message says how many entries share it and which top N would not split
    them. Nothing changes when refused."""
    contest = contest_round.contest
    _require(actor, MANAGE_EMULATION, contest.unit)
    _mc_open_round(contest_round)
    following = next_round(contest_round)
    if following is None:
        raise ValidationError(
            _("Round %(number)s is the last round: give the prizes instead.")
            % {"number": contest_round.number}
        )
    number = _mc_int(top)
    if number is None or number < 1:
        raise ValidationError({"top": _("How many entries go on: a whole number, at least 1.")})
    ranked = rank_round(contest_round)
    unscored = [r.entry.title for r in ranked if r.total is None]
    if unscored:
        raise ValidationError(
            _("%(count)s entries have no complete score yet: %(titles)s.")
            % {"count": len(unscored), "titles": "; ".join(unscored[:5])}
        )
    if number > len(ranked):
        raise ValidationError(
            {
                "top": _("Round %(number)s has only %(count)s entries.")
                % {"number": contest_round.number, "count": len(ranked)}
            }
        )
    if number < len(ranked) and ranked[number - 1].total == ranked[number].total:
        total = ranked[number].total
        tied = [r for r in ranked if r.total == total]
        first = tied[0].rank
        last = first + len(tied) - 1
        values = {
            "first": first,
            "last": last,
            "total": total,
            "count": len(tied),
            "top": number,
            "fewer": first - 1,
            "more": last,
        }
        if first > 1:
            message = _(
                "Places %(first)s to %(last)s are tied at %(total)s (%(count)s entries): the "
                "top %(top)s would split them. Advance the top %(fewer)s or the top %(more)s."
            )
        else:
            message = _(
                "Places %(first)s to %(last)s are tied at %(total)s (%(count)s entries): the "
                "top %(top)s would split them. Advance the top %(more)s."
            )
        raise ValidationError({"top": message % values})
    chosen = [r.entry for r in ranked[:number]]
    with transaction.atomic():
        Entry.objects.filter(pk__in=[e.pk for e in chosen]).update(reached_round=following.number)
        contest_round.closed_at = timezone.now()
        contest_round.save(update_fields=["closed_at"])
        _mc_audit(
            actor,
            "update",
            contest_round,
            contest.unit,
            _("Top %(top)s of round %(number)s go on to round %(next)s")
            % {"top": number, "number": contest_round.number, "next": following.number},
            advanced=[e.pk for e in chosen],
        )
    for entry in chosen:
        entry.reached_round = following.number
    return chosen


def award_prize(
    actor: Any,
    contest: Contest,
    entry: Entry,
    rank: Any,
    note: str = "",
    today: dt.date | None = None,
) -> Prize:
    """A prize (first, second, third, encouragement) to an entry of the last round, in the
    awards phase. Giving an entry another prize replaces its prize."""
    _require(actor, MANAGE_EMULATION, contest.unit)
    phase = current_phase(contest, _mc_today(today))
    if phase is None or phase.kind != ContestPhase.Kind.AWARDS:
        awards = phase_of_kind(contest, ContestPhase.Kind.AWARDS)
        raise ValidationError(
            _("Prizes are given in the awards phase (from %(date)s).")
            % {"date": _d(awards.starts_on) if awards else "…"}
        )
    if _mc_int(rank) not in Prize.Rank.values:
        raise ValidationError({"rank": _("Choose the prize.")})
    last = contest.rounds.order_by("-number").values_list("number", flat=True).first() or 1
    entry.refresh_from_db(fields=["contest", "reached_round", "withdrawn"])
    if entry.contest_id != contest.pk or entry.withdrawn or entry.reached_round < last:
        raise ValidationError(
            {"entry": _("“%(title)s” did not reach the last round.") % {"title": entry.title}}
        )
    with transaction.atomic():
        prize, _created = Prize.objects.update_or_create(
            entry=entry, defaults={"contest": contest, "rank": int(rank), "note": nfc(note or "")}
        )
        _mc_audit(
            actor,
            "update" if not _created else "create",
            prize,
            contest.unit,
            _("%(prize)s: “%(title)s”") % {"prize": prize.get_rank_display(), "title": entry.title},
        )
    return prize
