"""Exhibits in the Django admin."""

from django.contrib import admin
from django.db import models
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from archive.protected_media import ProtectedFileWidget
from exhibits.models import Exhibit, ExhibitBlock


class ExhibitBlockInline(admin.StackedInline):
    model = ExhibitBlock
    extra = 0
    ordering = ["position", "pk"]
    raw_id_fields = ["item"]
    filter_horizontal = ["items"]
    fields = ["position", "kind", "heading", "text", "quote_source", "item", "items"]


@admin.register(Exhibit)
class ExhibitAdmin(SimpleHistoryAdmin):
    # The cover links through the checked view (a draft's cover is not public).
    formfield_overrides = {
        models.ImageField: {
            "widget": ProtectedFileWidget(lambda exhibit: reverse("exhibits:exhibit_cover", args=[exhibit.slug]))
        }
    }
    list_display = ["title", "period", "status", "featured", "ordering", "published_at"]
    list_filter = ["status", "featured", "period"]
    list_editable = ["ordering"]
    list_select_related = ["period"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ExhibitBlockInline]
    fields = ["title", "slug", "summary", "cover_image", "cover_alt", "period", "status", "featured", "ordering"]
