"""Exhibits in the Django admin."""

from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from archive.protected_media import ProtectedFileWidget
from basics.admin_search import FoldedSearchMixin
from exhibits.models import Exhibit, ExhibitBlock


class ExhibitBlockInline(TranslationStackedInline):
    model = ExhibitBlock
    extra = 0
    ordering = ["position", "pk"]
    # Items are found by typing (the item list's folded search), never listed: a page of every
    # item per block does not scale with the archive.
    autocomplete_fields = ["item", "items"]
    # The Vietnamese text and the English beside it (django-modeltranslation's fields).
    fields = [
        "position",
        "kind",
        ("heading_vi", "heading_en"),
        ("text_vi", "text_en"),
        ("quote_source_vi", "quote_source_en"),
        "item",
        "items",
    ]


@admin.register(Exhibit)
class ExhibitAdmin(FoldedSearchMixin, TranslationAdmin, SimpleHistoryAdmin):
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
    search_fields = ["title_vi", "title_en", "summary_vi", "summary_en"]
    # The address is made on the server from the Vietnamese title (Exhibit.clean): the admin's
    # JavaScript slug drops every letter with a mark.
    inlines = [ExhibitBlockInline]
    fields = [
        ("title_vi", "title_en"),
        "slug",
        "former_addresses",
        ("summary_vi", "summary_en"),
        "cover_image",
        ("cover_alt_vi", "cover_alt_en"),
        "period",
        "status",
        "featured",
        "ordering",
    ]
    readonly_fields = ["former_addresses"]

    @admin.display(description=_("đường dẫn cũ (vẫn chuyển tới đây)"))
    def former_addresses(self, exhibit: Exhibit) -> str:
        return ", ".join(exhibit.former_slugs.values_list("slug", flat=True)) if exhibit.pk else ""


# Audio-guide tours (exhibits.tours_admin).
from exhibits import tours_admin  # noqa: E402, F401
