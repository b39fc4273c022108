"""Django admin for operators: members, their history and duplicate flags, read only.

Every change to a member goes through ``members.services`` (permission, history, audit), so
the admin only shows; staff add, edit, transfer and end members in the member pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from congdoan.members.models import DuplicateFlag, Member, Membership


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "member"
    extra = 0
    fields = ("unit", "valid_from", "valid_to", "start", "end", "event", "note", "recorded_by")
    readonly_fields = fields
    ordering = ("valid_from", "id")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "birth_date", "sex", "ethnicity", "unit", "status", "joined_on")
    list_filter = ("status", "sex")
    search_fields = ("name_folded", "card_number", "unit__code")
    list_select_related = ("unit",)
    raw_id_fields = ("unit",)
    exclude = ("cccd", "phone")  # personal data: seen on the member pages, with an audit entry
    inlines = [MembershipInline]
    show_full_result_count = False

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        from congdoan.core.text import fold

        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("member", "unit", "valid_from", "valid_to", "start", "end", "event")
    list_filter = ("start", "end")
    list_select_related = ("member", "unit", "event")
    raw_id_fields = ("member", "unit", "event", "recorded_by")
    search_fields = ("member__name_folded", "unit__code")
    show_full_result_count = False


@admin.register(DuplicateFlag)
class DuplicateFlagAdmin(ReadOnlyAdmin):
    list_display = ("member", "other", "flagged_at", "resolved_at", "resolution")
    list_filter = (("resolved_at", admin.EmptyFieldListFilter),)
    list_select_related = ("member", "other")
    raw_id_fields = ("member", "other", "resolved_by")
