"""Forms of the member pages. They only parse what was typed: every rule about a member lives
in ``validation.clean_member`` and the services, whose errors are shown next to the fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import date_field
from congdoan.members.models import Sex, Status

XLSX_MAGIC = b"PK\x03\x04"


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Name (with or without diacritics), CCCD, card number or phone."),
    )
    unit = forms.CharField(label=_("Union code"), required=False, max_length=32)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )


class MemberForm(forms.Form):
    """A member's personal and work details; without CCCD and phone for users who may not
    see them."""

    unit_code = forms.CharField(
        label=_("Union code"),
        max_length=32,
        help_text=_("The code of the grassroots union the member joins."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    birth_date = date_field(_("Date of birth"))
    birth_year_only = forms.BooleanField(
        label=_("Only the year of birth is known (date set to 1 January)"), required=False
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=40, required=False)
    religion = forms.CharField(label=_("Religion"), max_length=60, required=False)
    hometown = forms.CharField(label=_("Hometown"), max_length=200, required=False)
    cccd = forms.CharField(label=_("Citizen ID (CCCD)"), max_length=20, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    education = forms.CharField(label=_("General education"), max_length=40, required=False)
    qualification = forms.CharField(
        label=_("Professional qualification"), max_length=120, required=False
    )
    job = forms.CharField(label=_("Job"), max_length=120, required=False)
    workplace = forms.CharField(label=_("Workplace (employer)"), max_length=200, required=False)
    joined_on = date_field(_("Date of joining the union"))
    card_number = forms.CharField(label=_("Union card number"), max_length=40, required=False)

    PERSONAL = ("cccd", "phone")

    def __init__(self, *args: Any, personal: bool = True, with_unit: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not personal:
            for name in self.PERSONAL:
                del self.fields[name]
        if not with_unit:
            del self.fields["unit_code"]

    def member_data(self) -> dict[str, Any]:
        """The fields for ``services.create_member`` / ``update_member``."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "unit_code"}
        if data.get("birth_year_only") and isinstance(data.get("birth_date"), dt.date):
            data["birth_date"] = data["birth_date"].replace(month=1, day=1)
        return data


class TransferForm(forms.Form):
    unit_code = forms.CharField(
        label=_("Code of the receiving grassroots union"),
        max_length=32,
        help_text=_("Any union in the system, also outside your own."),
    )
    day = date_field(_("Transfer date"))
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("For example the number of the transfer letter."),
    )

    FIELD_FOR = {"unit": "unit_code", "day": "day"}


class EndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How the membership ended"),
        choices=[
            (Status.LEFT, Status.LEFT.label),
            (Status.DECEASED, Status.DECEASED.label),
            (Status.TRANSFERRED, Status.TRANSFERRED.label),
        ],
    )
    day = date_field(_("Date"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    FIELD_FOR = {"status": "status", "day": "day", "reason": "reason"}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        help_text=_("Use the template: one member per row."),
    )
    unit_code = forms.CharField(
        label=_("Code of the union"),
        max_length=32,
        help_text=_("The members in the file belong to this union (or to unions below it)."),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        """Accept a workbook or a text file, judged by the content, not by the name."""
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.")
                % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        head = upload.read(8192)
        upload.seek(0)
        if head.startswith(XLSX_MAGIC):
            upload.detected_suffix = ".xlsx"
        elif head and b"\x00" not in head and not head.startswith(b"\xd0\xcf\x11\xe0"):
            upload.detected_suffix = ".csv"
        else:
            raise forms.ValidationError(
                _(
                    "The file is neither an Excel workbook (.xlsx) nor a CSV text file. "
                    "Old .xls workbooks must be saved again as .xlsx."
                )
            )
        return upload


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What the review found"),
        max_length=300,
        help_text=_("For example: two different people; or: the same person, record ended."),
    )
