"""Exhibits in the Django admin, and the QR label sheet action attached to the archive's item admin."""

from django.contrib import admin, messages
from django.contrib.admin.sites import AdminSite, NotRegistered
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from archive.protected_media import ProtectedFileWidget
from exhibits.models import Exhibit, ExhibitBlock
from exhibits.qr import qr_svg_inline, short_url

LABELS_PER_PAGE = 12


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


@admin.action(description=_("In nhãn mã QR cho các tư liệu đã chọn"))
def print_qr_labels(modeladmin, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
    """A print-ready A4 sheet of labels (title, inventory number, date, QR of the short URL)."""
    from archive.models import Item

    selected = list(queryset.order_by("inventory_number"))
    public_ids = set(Item.objects.public().filter(pk__in=[i.pk for i in selected]).values_list("pk", flat=True))
    refused = [item for item in selected if item.pk not in public_ids]
    if refused:
        modeladmin.message_user(
            request,
            ngettext(
                "Không in nhãn cho %(count)d tư liệu chưa công khai (%(numbers)s): "
                "chỉ tư liệu đã công bố, công khai mới có nhãn QR.",
                "Không in nhãn cho %(count)d tư liệu chưa công khai (%(numbers)s): "
                "chỉ tư liệu đã công bố, công khai mới có nhãn QR.",
                len(refused),
            )
            % {"count": len(refused), "numbers": ", ".join(i.inventory_number for i in refused[:10])},
            messages.WARNING,
        )
    labels = [
        {
            "item": item,
            "url": short_url(item.inventory_number),
            "qr": qr_svg_inline(short_url(item.inventory_number), scale=3, title=item.inventory_number),
        }
        for item in selected
        if item.pk in public_ids
    ]
    if not labels:
        return None
    pages = [labels[i : i + LABELS_PER_PAGE] for i in range(0, len(labels), LABELS_PER_PAGE)]
    return render(request, "exhibits/admin/qr_labels.html", {"pages": pages, "count": len(labels)})


print_qr_labels.allowed_permissions = ("view",)


def attach_label_action(site: AdminSite) -> bool:
    """Add the label action to whatever ModelAdmin the archive registered for Item.

    archive/admin.py is owned elsewhere and may be rewritten, so the action is appended here
    (copying the list) rather than declared there.
    """
    from archive.models import Item

    try:
        model_admin = site.get_model_admin(Item)
    except NotRegistered:
        return False
    actions = list(model_admin.actions or [])
    if print_qr_labels not in actions:
        actions.append(print_qr_labels)
        model_admin.actions = actions
    return True
