"""Forms of the document pages. They only parse what was typed: the rules live in the
services, whose ValidationErrors are shown next to the fields (``add_service_errors``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import date_field
from congdoan.documents.models import (
    DOCUMENT_TYPES,
    Confidentiality,
    Source,
    Status,
    Urgency,
)
from congdoan.org.models import Unit

TYPE_CHOICES = [
    (code, f"{name} ({code})" if code != "CV" else name) for code, name in DOCUMENT_TYPES
]
RECIPIENT_MODE_CHOICES = [
    ("unit", _("this unit")),
    ("grassroots", _("every grassroots union under it")),
    ("kind", _("every unit of a kind under it")),
]


# --- widgets --------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the content is checked by the services."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        cleaned = single(data, initial)
        return [cleaned] if cleaned else []


class RecipientRowsWidget(forms.Widget):
    """Rows of (unit code, mode, kind); the browser posts three parallel lists."""

    template_name = "documents/_recipient_rows.html"
    blank_rows = 3

    def __init__(self, kinds: Iterable[tuple[str, str]] = (), attrs: Any = None) -> None:
        super().__init__(attrs)
        self.kinds = list(kinds)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[dict[str, str]]:
        codes = data.getlist("recipient_unit") if hasattr(data, "getlist") else []
        modes = data.getlist("recipient_mode") if hasattr(data, "getlist") else []
        kinds = data.getlist("recipient_kind") if hasattr(data, "getlist") else []
        rows = []
        for index, code in enumerate(codes):
            code = code.strip()
            if not code:
                continue
            mode = modes[index] if index < len(modes) else "unit"
            row = {"unit": code, "mode": mode or "unit"}
            if row["mode"] == "kind":
                row["kind"] = kinds[index] if index < len(kinds) else ""
            rows.append(row)
        return rows

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return "recipient_unit" not in data

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        rows = [dict(r) for r in (value or []) if isinstance(r, dict)]
        rows += [{"unit": "", "mode": "unit"} for _i in range(self.blank_rows)]
        context["rows"] = rows
        context["modes"] = RECIPIENT_MODE_CHOICES
        context["kinds"] = self.kinds
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_0" if id_ else id_


class RecipientsField(forms.Field):
    widget = RecipientRowsWidget

    def to_python(self, value: Any) -> list[dict[str, str]]:
        return list(value or [])


def _choice(choices: Sequence[tuple[Any, Any]], label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=choices, coerce=int, empty_value=0)


def _text(label: Any, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


# --- outgoing -------------------------------------------------------------------------------


class DraftForm(forms.Form):
    """A draft of an outgoing document: what ``services.create_outgoing`` takes."""

    doc_type = forms.ChoiceField(label=_("Document type"), choices=TYPE_CHOICES, initial="CV")
    subject = forms.CharField(
        label=_("Subject (trích yếu)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    summary = _text(_("Summary"), 2)
    body = _text(_("Text of the document"), 12)
    place = forms.CharField(
        label=_("Place"), max_length=80, required=False, help_text=_("e.g. Lào Cai")
    )
    urgency = _choice(Urgency.choices, _("Urgency"))
    confidentiality = _choice(Confidentiality.choices, _("Confidentiality"))
    signer_authority = forms.CharField(
        label=_("Signing authority"),
        max_length=60,
        required=False,
        help_text=_("e.g. TM. BAN THƯỜNG VỤ"),
    )
    signer_position = forms.CharField(label=_("Signer's position"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Signer"), max_length=120, required=False)
    drafting_unit = forms.ModelChoiceField(
        label=_("Drafting department"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("A công văn takes its symbol from it: 123/LĐLĐ-VP."),
    )
    file_unit = forms.ModelChoiceField(
        label=_("Unit keeping the file copy"), queryset=Unit.objects.none(), required=False
    )
    copies = forms.IntegerField(label=_("Number of copies"), initial=1, min_value=1)
    legal_references = _text(_("Legal references"), 2)
    recipient_spec = RecipientsField(
        label=_("Recipients"),
        required=False,
        help_text=_(
            "One rule per row: a unit code, and whether the document goes to that unit, to "
            "every grassroots union under it, or to every unit of a kind under it."
        ),
    )
    recipients_text = _text(
        _("Recipients (as printed)"),
        3,
        help_text=_("The “Nơi nhận” lines; one per line."),
    )
    public = forms.BooleanField(label=_("Publish on the portal once issued"), required=False)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, Word, Excel or scanned images; you may choose several files."),
    )

    UNIT_FIELDS = ("drafting_unit", "file_unit")
    FIELDS = (
        "doc_type",
        "subject",
        "summary",
        "body",
        "place",
        "urgency",
        "confidentiality",
        "signer_name",
        "signer_position",
        "signer_authority",
        "recipients_text",
        "copies",
        "legal_references",
        "public",
        "drafting_unit",
        "file_unit",
        "recipient_spec",
    )

    def __init__(
        self,
        *args: Any,
        departments: Sequence[Unit] = (),
        issuer: Unit | None = None,
        kinds: Iterable[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        ids = [u.pk for u in departments]
        self.fields["drafting_unit"].queryset = Unit.objects.filter(pk__in=ids).order_by("path")
        file_ids = [*ids, issuer.pk] if issuer is not None else ids
        self.fields["file_unit"].queryset = Unit.objects.filter(pk__in=file_ids).order_by("path")
        self.fields["recipient_spec"].widget = RecipientRowsWidget(kinds=kinds)
        self.fields["recipient_spec"].widget.is_required = False

    def draft_data(self) -> dict[str, Any]:
        """The fields for ``services.create_outgoing`` / ``update_draft``."""
        return {key: self.cleaned_data[key] for key in self.FIELDS if key in self.cleaned_data}

    def uploads(self) -> list[Any]:
        return list(self.cleaned_data.get("attachments") or [])


# --- incoming -------------------------------------------------------------------------------


class IncomingForm(forms.Form):
    """A paper or e-mailed document entered in the incoming register by hand."""

    source = forms.ChoiceField(
        label=_("Arrived as"),
        choices=[(Source.PAPER, Source.PAPER.label), (Source.EMAIL, Source.EMAIL.label)],
    )
    doc_type = forms.ChoiceField(label=_("Document type"), choices=TYPE_CHOICES, initial="CV")
    symbol = forms.CharField(
        label=_("Number and symbol"),
        max_length=60,
        required=False,
        help_text=_("As written on the document: 704/HD-TLĐ, 03-ĐA/TU, 30/2020/NĐ-CP."),
    )
    issuer_name = forms.CharField(label=_("Issuing body"), max_length=255, required=False)
    issued_on = date_field(_("Document date"), required=False)
    received_on = date_field(
        _("Date received"), required=False, help_text=_("Today when left empty.")
    )
    subject = forms.CharField(
        label=_("Subject (trích yếu)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    summary = _text(_("Summary"), 2)
    signer_name = forms.CharField(label=_("Signer"), max_length=120, required=False)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=120, required=False)
    urgency = _choice(Urgency.choices, _("Urgency"))
    confidentiality = _choice(Confidentiality.choices, _("Confidentiality"))
    deadline = date_field(_("Deadline for handling"), required=False)
    attachments = MultipleFileField(
        label=_("Scans and files"),
        required=False,
        help_text=_("PDF, Word, Excel or scanned images; you may choose several files."),
    )

    DATA_FIELDS = (
        "doc_type",
        "symbol",
        "issuer_name",
        "issued_on",
        "received_on",
        "subject",
        "summary",
        "signer_name",
        "signer_position",
        "urgency",
        "confidentiality",
        "deadline",
    )

    def incoming_data(self) -> dict[str, Any]:
        data = {key: self.cleaned_data[key] for key in self.DATA_FIELDS}
        return {key: value for key, value in data.items() if value not in (None, "")}

    def uploads(self) -> list[Any]:
        return list(self.cleaned_data.get("attachments") or [])


class EdxmlImportForm(forms.Form):
    file = forms.FileField(
        label=_("edXML package"),
        help_text=_("An .xml or .edxml file received from another agency's document system."),
    )

    FIELD_FOR = {"package": "file"}


class AttachForm(forms.Form):
    attachments = MultipleFileField(
        label=_("Add files"),
        help_text=_("PDF, Word, Excel or scanned images; you may choose several files."),
    )


# --- steps on the document page -----------------------------------------------------------


class NoteForm(forms.Form):
    """Send for signature or sign, with an optional note."""

    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What must change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IssueForm(forms.Form):
    issued_on = date_field(_("Document date"), required=False, help_text=_("Today when empty."))


class RecallForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the recall"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(forms.Form):
    note = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class _AssigneeForm(forms.Form):
    """A department and/or a person of the document's unit, chosen from the lists given
    (no query of its own: a document's page draws one form per open assignment)."""

    assignee_unit = forms.TypedChoiceField(
        label=_("Department"), choices=[], coerce=int, required=False, empty_value=None
    )
    assignee = forms.TypedChoiceField(
        label=_("Person"), choices=[], coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        departments: Sequence[Unit] = (),
        people: Sequence[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._departments = {u.pk: u for u in sorted(departments, key=lambda u: u.path)}
        self.fields["assignee_unit"].choices = [("", "---------")] + [
            (u.pk, str(u)) for u in self._departments.values()
        ]
        self._people = {p.pk: p for p in people}
        self.fields["assignee"].choices = [("", "—")] + [
            (p.pk, str(p)) for p in self._people.values()
        ]

    def clean_assignee_unit(self) -> Unit | None:
        return self._departments.get(self.cleaned_data.get("assignee_unit"))

    def person(self) -> Any:
        return self._people.get(self.cleaned_data.get("assignee"))


class AssignForm(_AssigneeForm):
    instruction = forms.CharField(
        label=_("Instruction (bút phê)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    deadline = date_field(_("Deadline"), required=False)


class ForwardForm(_AssigneeForm):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reply = forms.TypedChoiceField(
        label=_("Reply document"),
        choices=[],
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("An outgoing document of the unit that answers this one."),
    )

    def __init__(self, *args: Any, replies: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._replies = {d.pk: d for d in replies}
        self.fields["reply"].choices = [("", "—")] + [
            (d.pk, str(d)[:120]) for d in self._replies.values()
        ]

    def reply_document(self) -> Any:
        return self._replies.get(self.cleaned_data.get("reply"))


# --- filters --------------------------------------------------------------------------------

STATUS_CHOICES = [("", _("All")), *Status.choices]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words"),
        required=False,
        help_text=_("With or without diacritics; symbol, subject, issuer, text and attachments."),
    )
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All")), *TYPE_CHOICES], required=False
    )
    issuer = forms.CharField(label=_("Issuing body"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
