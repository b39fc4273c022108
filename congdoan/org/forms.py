from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congdoan.org.models import UnitKind

XLSX_MAGIC = b"PK\x03\x04"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_("Columns: code, name, abbreviation, kind, parent code, valid from."),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("Only .csv and .xlsx files can be imported."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.")
                % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        head = upload.read(4)
        upload.seek(0)
        if suffix == ".xlsx" and head != XLSX_MAGIC:
            raise forms.ValidationError(_("The file is not a real .xlsx workbook."))
        if suffix == ".csv" and head.startswith(XLSX_MAGIC):
            raise forms.ValidationError(_("The file is a workbook; name it .xlsx."))
        return upload


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=UnitKind.objects.all(), required=False, empty_label=_("All")
    )
    ended = forms.BooleanField(label=_("Include ended units"), required=False)


class EventForm(forms.Form):
    """Record one restructuring event on a unit. Which fields count depends on the kind."""

    KINDS = [
        ("rename", _("Rename")),
        ("move", _("Move under another unit")),
        ("create", _("Establish a unit under this one")),
        ("merge", _("Merge this unit (and others) into one")),
        ("dissolve", _("Dissolve")),
    ]
    kind = forms.ChoiceField(label=_("Kind of change"), choices=KINDS)
    effective_date = forms.DateField(
        label=_("Effective date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        help_text=_("The deciding document, e.g. “Hướng dẫn số 704/HD-TLĐ ngày 12/5/2017”."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    name = forms.CharField(
        label=_("New name"), required=False, max_length=255,
        help_text=_("Rename; establish; merge into a new unit."),
    )  # fmt: skip
    abbreviation = forms.CharField(label=_("Abbreviation"), required=False, max_length=40)
    new_code = forms.CharField(
        label=_("Code of the new unit"), required=False, max_length=32,
        help_text=_("Establish; merge into a new unit."),
    )  # fmt: skip
    new_kind = forms.ModelChoiceField(
        label=_("Kind of the new unit"), queryset=UnitKind.objects.all(), required=False,
        to_field_name="code",
    )  # fmt: skip
    parent_code = forms.CharField(
        label=_("Code of the new parent unit"), required=False, help_text=_("Move.")
    )
    receiver_code = forms.CharField(
        label=_("Code of the receiving unit"), required=False,
        help_text=_("Dissolve: who receives the units below, posts and records."),
    )  # fmt: skip
    other_sources = forms.CharField(
        label=_("Other merged units (codes, comma-separated)"), required=False,
        help_text=_("Merge."),
    )  # fmt: skip
    target_code = forms.CharField(
        label=_("Code of an existing unit to merge into"), required=False,
        help_text=_("Merge: leave empty to merge into a new unit."),
    )  # fmt: skip

    # Where a service's error about a field is shown on this form.
    FIELD_FOR = {
        "unit": None,
        "parent": "parent_code",
        "receiver": "receiver_code",
        "sources": "other_sources",
        "target": "target_code",
        "new_unit": "new_code",
        "code": "new_code",
        "name": "name",
        "kind": "new_kind",
        "effective_date": "effective_date",
        "legal_basis": "legal_basis",
    }

    def to_event(self, unit_code: str) -> dict:
        data = self.cleaned_data
        event = {
            "kind": data["kind"],
            "effective_date": data["effective_date"],
            "legal_basis": data["legal_basis"],
            "note": data.get("note", ""),
        }
        new_unit = {
            "code": data.get("new_code", ""),
            "name": data.get("name", ""),
            "abbreviation": data.get("abbreviation", ""),
            "kind": data["new_kind"].code if data.get("new_kind") else "",
        }
        if data["kind"] == "rename":
            event.update(unit=unit_code, name=data.get("name") or None,
                         abbreviation=data.get("abbreviation") or None)  # fmt: skip
        elif data["kind"] == "move":
            event.update(unit=unit_code, parent=data.get("parent_code"))
        elif data["kind"] == "create":
            event.update(new_unit={**new_unit, "parent": unit_code})
        elif data["kind"] == "dissolve":
            event.update(unit=unit_code, receiver=data.get("receiver_code") or None)
        elif data["kind"] == "merge":
            others = [c.strip() for c in data.get("other_sources", "").split(",") if c.strip()]
            event.update(sources=[unit_code, *others])
            if data.get("target_code"):
                event.update(target=data["target_code"])
            else:
                event.update(new_unit=new_unit)
        return event

    def add_service_errors(self, message_dict: dict) -> None:
        for key, messages_ in message_dict.items():
            field = self.FIELD_FOR.get(key)
            for message in messages_:
                self.add_error(field if field in self.fields else None, message)
