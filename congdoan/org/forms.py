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
