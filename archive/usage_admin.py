"""The day-by-day counts in the admin, for looking only: they are written by the counter alone."""

from django.contrib import admin
from django.urls import reverse

from archive.models import UsageCount


@admin.register(UsageCount)
class UsageCountAdmin(admin.ModelAdmin):
    list_display = ("day", "kind", "ref", "count")
    list_filter = ("kind", "day")
    search_fields = ("ref",)
    date_hierarchy = "day"
    list_per_page = 100

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "usage_dashboard_url": reverse("archive:usage_dashboard")}
        return super().changelist_view(request, extra_context)
