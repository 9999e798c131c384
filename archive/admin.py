"""The archive in the Django admin, in Vietnamese."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from archive.models import Body, Period, PeriodSpan, Venue


class PeriodSpanInline(admin.TabularInline):
    model = PeriodSpan
    extra = 0
    min_num = 1


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "span_label", "code"]
    list_display_links = ["name"]
    inlines = [PeriodSpanInline]
    prepopulated_fields = {"slug": ["code"]}
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("spans")


@admin.register(Venue)
class VenueAdmin(SimpleHistoryAdmin):
    list_display = ["name", "address", "phone", "email"]
    search_fields = ["name", "code"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "period", "founded_on", "dissolved_on"]
    list_filter = ["kind", "period"]
    list_select_related = ["period"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent", "predecessors"]
