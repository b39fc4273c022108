"""Forms of the emulation pages. They only parse what was typed: the rules live in the
services, whose ValidationErrors are shown next to the fields (``add_service_errors``).

This block: initiatives, councils, awards, proposals, reports. Movements and contests below.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import date_field
from congdoan.emulation.models import (
    AwardForm,
    ContestPhase,
    CouncilMember,
    Prize,
    Qualification,
    Review,
    ReviewResult,
    Scope,
)

AUTHOR_ROWS = 6


def _unit_choices(units: list[Any]) -> list[tuple[str, str]]:
    return [(u.code, ("— " * max(0, u.depth - units[0].depth)) + u.name) for u in units]


class InitiativeForm(forms.Form):
    """The application (TT 18/2013, Phụ lục I) without its authors."""

    unit = forms.ChoiceField(label=_("addressed to"))
    name = forms.CharField(label=_("name of the initiative"), max_length=500)
    field = forms.CharField(label=_("field of application"), max_length=200)
    investor = forms.CharField(
        label=_("investor in its creation"),
        max_length=300,
        required=False,
        help_text=_("When not the authors."),
    )
    first_applied_on = date_field(_("first applied or trialled on"), required=False)
    description = forms.CharField(
        label=_("description of its substance"), widget=forms.Textarea(attrs={"rows": 6})
    )
    confidential = forms.CharField(
        label=_("confidential parts"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    conditions = forms.CharField(
        label=_("conditions needed to apply it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_benefit = forms.CharField(
        label=_("benefit expected (by the authors)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_benefit_vnd = forms.CharField(
        label=_("expected benefit (VND)"),
        required=False,
        help_text=_("A whole number of đồng, e.g. 120.000.000."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    applied_by = forms.CharField(
        label=_("people who applied or trialled it"),
        required=False,
        help_text=_("One a line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)


class AuthorRowForm(forms.Form):
    """One author row; all optional here, the service names the row of a mistake."""

    member = forms.IntegerField(
        label=_("member number"),
        required=False,
        min_value=1,
        help_text=_("The author's number in the member registry, if any."),
    )
    full_name = forms.CharField(label=_("full name"), max_length=150, required=False)
    birth_date = forms.CharField(
        label=_("date of birth"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    workplace = forms.CharField(label=_("workplace"), max_length=300, required=False)
    title = forms.CharField(label=_("position"), max_length=150, required=False)
    qualification = forms.ChoiceField(
        label=_("qualification"), choices=Qualification.choices, required=False
    )
    qualification_text = forms.CharField(
        label=_("qualification (as written)"), max_length=150, required=False
    )
    contribution = forms.CharField(
        label=_("contribution (%)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "contribution"}),
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(
            data.get(name)
            for name in (
                "member",
                "full_name",
                "birth_date",
                "workplace",
                "title",
                "qualification_text",
                "contribution",
            )
        )


AuthorFormSet = forms.formset_factory(AuthorRowForm, extra=AUTHOR_ROWS, max_num=30)


def author_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled author rows of a valid formset, as the service takes them, each with its
    number in the table (``row``) so that an error names the row the user sees."""
    return [
        {**form.cleaned_data, "row": number}
        for number, form in enumerate(formset.forms, start=1)
        if form.cleaned_data and not form.is_blank()
    ]


class PutBeforeForm(forms.Form):
    council = forms.ChoiceField(label=_("council"))

    def __init__(self, *args: Any, councils: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = [(c.pk, f"{c.name} ({c.year})") for c in councils]


class CouncilScoreForm(forms.Form):
    novelty = forms.DecimalField(
        label=_("novelty"), min_value=0, max_value=100, decimal_places=2, localize=True
    )
    applicability = forms.DecimalField(
        label=_("applicability"), min_value=0, max_value=100, decimal_places=2, localize=True
    )
    benefit = forms.DecimalField(
        label=_("benefit"), min_value=0, max_value=100, decimal_places=2, localize=True
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea({"rows": 2}))


class InitiativeDecisionForm(forms.Form):
    recognised = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("recognised")), ("0", _("not recognised"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decided_on = date_field(_("decided on"))
    decision_reference = forms.CharField(
        label=_("decision"), max_length=200, help_text=_("e.g. Quyết định số 45/QĐ-LĐLĐ")
    )
    benefit_vnd = forms.CharField(
        label=_("benefit recognised (VND)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    scope = forms.ChoiceField(
        label=_("scope of application"),
        choices=[("", "—"), *Scope.choices],
        required=False,
    )
    reasons = forms.CharField(
        label=_("reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when it is not recognised."),
    )


class CouncilForm(forms.Form):
    unit = forms.ChoiceField(label=_("unit"))
    name = forms.CharField(label=_("name"), max_length=300)
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100)
    established_by = forms.CharField(
        label=_("established by the decision"), max_length=200, required=False
    )

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)


class CouncilMemberForm(forms.Form):
    username = forms.CharField(label=_("user name"), max_length=150)
    role = forms.ChoiceField(label=_("role"), choices=CouncilMember.Role.choices)
    member = forms.IntegerField(
        label=_("member number"),
        required=False,
        min_value=1,
        help_text=_("Their own record in the member registry: finds the applications they "
                    "are an author of."),
    )  # fmt: skip


class AwardGiveForm(forms.Form):
    form = forms.ModelChoiceField(label=_("title or form"), queryset=AwardForm.objects.all())
    member = forms.IntegerField(
        label=_("member number"),
        required=False,
        min_value=1,
        help_text=_("For a person in the member registry; else write the name and union."),
    )
    person_name = forms.CharField(label=_("person"), max_length=150, required=False)
    unit = forms.ChoiceField(
        label=_("unit"),
        required=False,
        help_text=_("The unit honoured, or the person's union."),
    )
    granted_by = forms.CharField(
        label=_("granted by"),
        max_length=32,
        help_text=_("Code of the unit that decided: the unit itself or one above it (TLD…)."),
    )
    decision_reference = forms.CharField(label=_("decision"), max_length=200)
    decided_on = date_field(_("decided on"))
    reason = forms.CharField(label=_("for"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *_unit_choices(units)]


class ProposalApproveForm(forms.Form):
    decision_reference = forms.CharField(label=_("decision"), max_length=200)
    decided_on = date_field(_("decided on"))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea({"rows": 2}))


class ProposalRejectForm(forms.Form):
    note = forms.CharField(label=_("why"), widget=forms.Textarea({"rows": 2}))


# --- movements and contests (below)

# Movements and contests. Helpers of this block start with ``_mc_``.


def _mc_unit_choices(units: Sequence[Any]) -> list[tuple[str, str]]:
    return [(u.code, u.name) for u in units]


class MovementForm(forms.Form):
    unit = forms.ChoiceField(label=_("launched by"))
    name = forms.CharField(label=_("name"), max_length=300)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    criteria = forms.CharField(
        label=_("criteria"),
        required=False,
        help_text=_("One criterion a line."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    starts_on = date_field(_("from"))
    ends_on = date_field(_("to"))
    legal_basis = forms.CharField(
        label=_("launched by the document"), max_length=300, required=False
    )

    def __init__(self, *args: Any, units: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _mc_unit_choices(units)


class RegistrationForm(forms.Form):
    unit = forms.ChoiceField(label=_("unit"))
    member = forms.CharField(
        label=_("person (CCCD or card number)"),
        required=False,
        max_length=40,
        help_text=_("Leave empty to register the unit itself."),
    )
    target = forms.CharField(label=_("title aimed at"), max_length=200, required=False)
    commitments = forms.CharField(
        label=_("commitments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _mc_unit_choices(units)


class ReviewForm(forms.Form):
    """A review with a rating, score and note per registration (``rating_<id>``, …)."""

    kind = forms.ChoiceField(label=_("kind"), choices=Review.Kind.choices)
    held_on = date_field(_("held on"))
    summary = forms.CharField(
        label=_("summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, registrations: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registrations = list(registrations)
        ratings = [("", "—"), *ReviewResult.Rating.choices]
        for registration in self.registrations:
            pk = registration.pk
            self.fields[f"rating_{pk}"] = forms.ChoiceField(
                label=_("rating"), choices=ratings, required=False
            )
            self.fields[f"score_{pk}"] = forms.CharField(
                label=_("score"),
                required=False,
                max_length=10,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
            )
            self.fields[f"note_{pk}"] = forms.CharField(
                label=_("note"), required=False, max_length=500
            )

    def rows(self) -> list[dict[str, Any]]:
        """Each registration with its bound fields, for the table."""
        return [
            {
                "registration": r,
                "rating": self[f"rating_{r.pk}"],
                "score": self[f"score_{r.pk}"],
                "note": self[f"note_{r.pk}"],
            }
            for r in self.registrations
        ]

    def results(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "registration": r.pk,
                "rating": data.get(f"rating_{r.pk}", ""),
                "score": data.get(f"score_{r.pk}", ""),
                "note": data.get(f"note_{r.pk}", ""),
            }
            for r in self.registrations
        ]


#: The phases a new contest has, with the fields of their dates.
PHASE_FIELDS = [
    (ContestPhase.Kind.SUBMISSION, "submission"),
    (ContestPhase.Kind.SCREENING, "screening"),
    (ContestPhase.Kind.FINAL, "final"),
    (ContestPhase.Kind.AWARDS, "awards"),
    (ContestPhase.Kind.CLOSED, "closed"),
]


class PhaseDatesForm(forms.Form):
    """The first and last day of each phase (``<phase>_from``, ``<phase>_to``)."""

    def __init__(self, *args: Any, kinds: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wanted = set(kinds) if kinds is not None else {k for k, _n in PHASE_FIELDS}
        for kind, name in PHASE_FIELDS:
            if kind not in wanted:
                continue
            label = ContestPhase.Kind(kind).label
            self.fields[f"{name}_from"] = date_field(
                _("%(phase)s: from") % {"phase": label},
                required=kind == ContestPhase.Kind.SUBMISSION,
            )
            self.fields[f"{name}_to"] = date_field(
                _("%(phase)s: to") % {"phase": label}, required=False
            )

    def phases(self) -> list[tuple[str, Any, Any]]:
        """(kind, first day, last day) of each phase given a first day, in order."""
        data = self.cleaned_data
        return [
            (kind, data.get(f"{name}_from"), data.get(f"{name}_to"))
            for kind, name in PHASE_FIELDS
            if data.get(f"{name}_from")
        ]


class ContestForm(PhaseDatesForm):
    unit = forms.ChoiceField(label=_("organiser"))
    name = forms.CharField(label=_("name"), max_length=300)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    scale_max = forms.IntegerField(
        label=_("highest score of a criterion"), min_value=1, max_value=1000, initial=10
    )
    is_public = forms.BooleanField(label=_("results shown publicly"), required=False, initial=True)
    criteria = forms.CharField(
        label=_("criteria"),
        help_text=_("One a line: name | weight (weight 1 when left out)."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rounds = forms.CharField(
        label=_("rounds"),
        required=False,
        help_text=_("One name a line; left empty: a screening round and a final round."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    field_order = ["unit", "name", "description", "scale_max", "is_public", "criteria", "rounds"]

    def __init__(self, *args: Any, units: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _mc_unit_choices(units)
        self.order_fields(self.field_order)

    def criteria_list(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            name, _bar, weight = line.partition("|")
            rows.append((name.strip(), weight.strip()))
        return rows

    def round_names(self) -> list[str] | None:
        names = [n.strip() for n in self.cleaned_data.get("rounds", "").splitlines() if n.strip()]
        return names or None


class EntryForm(forms.Form):
    unit = forms.ChoiceField(label=_("unit"))
    title = forms.CharField(label=_("title"), max_length=500)
    summary = forms.CharField(
        label=_("summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    author_names = forms.CharField(
        label=_("authors"),
        max_length=500,
        required=False,
        help_text=_("Names separated by commas."),
    )
    members = forms.CharField(
        label=_("authors in the member registry"),
        required=False,
        help_text=_("CCCD or card numbers, one a line (optional)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    initiative = forms.IntegerField(
        label=_("recorded initiative (number)"), required=False, min_value=1
    )

    def __init__(self, *args: Any, units: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _mc_unit_choices(units)

    def member_keys(self) -> list[str]:
        return [k.strip() for k in self.cleaned_data.get("members", "").splitlines() if k.strip()]


class AssignJurorsForm(forms.Form):
    jurors = forms.MultipleChoiceField(
        label=_("jurors"), required=False, widget=forms.CheckboxSelectMultiple
    )
    others = forms.CharField(
        label=_("other jurors (user names)"),
        required=False,
        help_text=_("Separated by commas or spaces."),
    )
    per_entry = forms.IntegerField(
        label=_("jurors per entry"),
        required=False,
        min_value=1,
        help_text=_("Left empty: every juror scores every entry. Else given in turn."),
    )

    def __init__(self, *args: Any, candidates: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurors"].choices = [(u.username, f"{u} ({u.username})") for u in candidates]

    def usernames(self) -> list[str]:
        typed = self.cleaned_data.get("others", "").replace(",", " ").split()
        return list(dict.fromkeys([*self.cleaned_data.get("jurors", []), *typed]))


class ScoreForm(forms.Form):
    """A score per criterion (``criterion_<id>``) and the juror's private note."""

    note = forms.CharField(
        label=_("private note"),
        required=False,
        help_text=_("Seen by you only."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, criteria: Sequence[Any] = (), scale_max: int = 10, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.CharField(
                label=_("%(criterion)s (0–%(max)s)")
                % {"criterion": criterion.name, "max": scale_max},
                required=False,
                max_length=10,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
            )
        self.order_fields([*(f"criterion_{c.pk}" for c in self.criteria), "note"])

    def scores(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"criterion_{c.pk}", "") for c in self.criteria}


class AdvanceForm(forms.Form):
    top = forms.IntegerField(label=_("entries that go on (top N)"), min_value=1)


class PrizeForm(forms.Form):
    entry = forms.ChoiceField(label=_("entry"))
    rank = forms.TypedChoiceField(label=_("prize"), choices=Prize.Rank.choices, coerce=int)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args: Any, entries: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(str(e.pk), e.title) for e in entries]
