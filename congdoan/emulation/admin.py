"""Django admin for operators: the forms of commendation and the versioned eligibility rules.

Both are data that offices keep (the seed migration writes the ones met in the reports).
A form of commendation can be added and renamed, never deleted (awards and proposals keep
it). A rule is versioned: a version that is saved never changes, since the candidates of
past years were proposed by it; new thresholds are a new version with the date they apply
from. The "Lao động sáng tạo" rule's parameters are checked before anything is saved.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from congdoan.emulation.models import AwardForm, EligibilityRule
from congdoan.emulation.selectors import LDST_RULE

THRESHOLD_GROUPS = ("single", "three_years")


def ldst_params_problems(params: Any) -> list[str]:
    """What is wrong with the parameters of a "Lao động sáng tạo" rule version (empty: none).

    Expected: ``{"single": {"worker": 80000000, ...}, "three_years": {"worker": ...},
    "window_years": 3}``, thresholds in VND, positive whole numbers."""
    if not isinstance(params, dict):
        return [_("The parameters must be an object: “single”, “three_years”, “window_years”.")]
    problems: list[str] = []
    for group in THRESHOLD_GROUPS:
        values = params.get(group)
        if not isinstance(values, dict) or not values:
            problems.append(
                _("“%(group)s” must list qualifications and their thresholds in VND.")
                % {"group": group}
            )
            continue
        for qualification, amount in values.items():
            if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
                problems.append(
                    _("“%(group)s” → “%(name)s”: the threshold must be whole VND above 0.")
                    % {"group": group, "name": qualification}
                )
    window = params.get("window_years")
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 10:
        problems.append(_("“window_years” must be a whole number of years from 1 to 10."))
    unknown = sorted(set(params) - {*THRESHOLD_GROUPS, "window_years"})
    if unknown:
        problems.append(_("Unknown parameters: %(names)s.") % {"names": ", ".join(unknown)})
    return problems


class EligibilityRuleForm(forms.ModelForm):
    class Meta:
        model = EligibilityRule
        fields = ("code", "version", "valid_from", "name", "source", "params")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("code") == LDST_RULE and "params" in cleaned:
            for problem in ldst_params_problems(cleaned["params"]):
                self.add_error("params", problem)
        return cleaned


@admin.register(AwardForm)
class AwardFormAdmin(admin.ModelAdmin):
    list_display = ("order", "name", "code", "level", "recipients")
    list_display_links = ("name",)
    search_fields = ("name", "code", "level")
    ordering = ("order", "name")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    form = EligibilityRuleForm
    list_display = ("code", "version", "valid_from", "name", "source")
    list_filter = ("code",)
    ordering = ("code", "-valid_from", "-version")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is not None:  # a saved version never changes
            return ("code", "version", "valid_from", "name", "source", "params")
        return ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
