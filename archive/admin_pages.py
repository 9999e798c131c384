"""Proofreading the text of pages in the admin, and what the item form shows of it.

A page's form shows its picture (the deep-zoom viewer over its tiles) beside its text: the
cataloguer corrects the text and marks the page checked. A correction replaces the machine's text
in search at once (``PageText.save`` folds it) and the history (django-simple-history) keeps each
version. Pages are made by the job (``archive.page_text``), never added here.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.db import connections
from django.db.models import Count, Q
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from archive.models import Item, MediaFile, PageText
from archive.models.items import search_words, text_match
from archive.models.pages import GENERATED_PAGE_FIELDS
from archive.proposals import item_proposals


class PageTextForm(forms.ModelForm):
    """The correction starts from the machine's text; left as it was, nothing is stored as corrected."""

    class Meta:
        model = PageText
        fields = ["corrected_text", "checked"]
        widgets = {"corrected_text": forms.Textarea(attrs={"rows": 30, "cols": 80, "class": "proofread-text"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.corrected_text:
            self.initial["corrected_text"] = self.instance.text

    def clean_corrected_text(self) -> str:
        value = self.cleaned_data["corrected_text"].replace("\r\n", "\n").strip()
        return "" if value == self.instance.text.strip() else value


@admin.register(PageText)
class PageTextAdmin(SimpleHistoryAdmin):
    form = PageTextForm
    list_display = ["__str__", "item", "source", "checked", "checked_by", "checked_at"]
    list_filter = ["checked", "source"]
    list_select_related = ["item", "media_file", "checked_by"]
    search_fields = ["search_text"]  # folded, see get_search_results
    search_help_text = _("Tìm chữ trong trang; gõ có dấu hay không dấu đều được.")
    fieldsets = [
        (None, {"fields": ["item_link", "media_file", "page", "source", "read_at"]}),
        (
            _("Soát chữ"),
            {
                "fields": ["page_picture", "corrected_text", "checked", "checked_by", "checked_at"],
                "classes": ["proofread"],
            },
        ),
    ]
    readonly_fields = [
        "item_link",
        "media_file",
        "page",
        "source",
        "read_at",
        "page_picture",
        "checked_by",
        "checked_at",
    ]
    ordering = ["item", "media_file", "page"]

    class Media:
        css = {"all": ["archive/proofread.css", "exhibits/deepzoom.css"]}
        js = ["vendor/openseadragon/openseadragon.min.js", "exhibits/deepzoom.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*GENERATED_PAGE_FIELDS)

    def has_add_permission(self, request) -> bool:
        return False

    def get_search_results(self, request, queryset, search_term):
        words = search_words(search_term)
        if not words:
            return queryset, False
        return queryset.filter(text_match(words, vendor=connections[queryset.db].vendor)), False

    def save_model(self, request, obj: PageText, form, change) -> None:
        if "checked" in form.changed_data:
            obj.checked_by, obj.checked_at = (request.user, timezone.now()) if obj.checked else (None, None)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("tư liệu"))
    def item_link(self, obj: PageText):
        url = reverse("admin:archive_item_change", args=[obj.item_id])
        return format_html('<a href="{}">{}</a>', url, obj.item)

    @admin.display(description=_("hình trang"))
    def page_picture(self, obj: PageText):
        """The page's tiles in the deep-zoom viewer, its whole picture for a browser without scripts."""
        media = obj.media_file
        index = obj.page - 1
        if not media.has_tiles or index >= media.tiled_pages:
            return gettext("Chưa có hình trang.")
        info = reverse("archive:media_iiif_info", args=[media.pk, index])
        sizes = media.tiled_sizes[index] if index < len(media.tiled_sizes or []) else {}
        fallback = ""
        if sizes.get("whole"):
            tile = reverse(
                "archive:media_tile",
                args=[media.pk, index, f"0,0,{sizes['width']},{sizes['height']}", sizes["whole"]],
            )
            fallback = format_html(
                '<img src="{}" alt="{}" data-deepzoom-fallback>',
                tile,
                gettext("Hình trang %(page)d") % {"page": obj.page},
            )
        return format_html(
            '<div class="proofread-page"><div class="deepzoom" data-deepzoom hidden data-sources="{}" data-prefix="{}" '
            'role="region" aria-label="{}" tabindex="0"></div>{}</div>',
            json.dumps([info]),
            static("vendor/openseadragon/images/"),
            gettext("Hình trang: kéo để di chuyển, cuộn để phóng to"),
            fallback,
        )


def text_state(obj: MediaFile | None) -> str:
    """A media file's text state for staff: the state, its note, and the way to its pages."""
    if not obj or not obj.pk or not obj.text_status:
        return ""
    state = obj.get_text_status_display()
    if obj.text_status == MediaFile.TextStatus.FAILED:
        state = format_html('<strong class="errornote">{}</strong>', state)
    parts = [format_html("{}", state)]
    if obj.text_note:
        parts.append(format_html("{}", obj.text_note))
    if obj.text_status == MediaFile.TextStatus.READY:
        url = reverse("admin:archive_pagetext_changelist") + f"?media_file__id__exact={obj.pk}"
        parts.append(format_html('<a href="{}">{}</a>', url, gettext("Soát chữ các trang")))
    return format_html_join(" · ", "{}", ((part,) for part in parts))


def page_text_summary(item: Item):
    """The item form's line about its pages' text: how many pages, how many checked, and the link."""
    counts = PageText.objects.filter(item=item).aggregate(
        pages=Count("pk"), checked=Count("pk", filter=Q(checked=True))
    )
    if not counts["pages"]:
        return gettext("Chưa có chữ của trang nào (chữ được đọc sau khi tải tệp quét lên).")
    url = reverse("admin:archive_pagetext_changelist") + f"?item__id__exact={item.pk}"
    return format_html(
        '{} <a href="{}">{}</a>',
        gettext("%(pages)d trang có chữ, %(checked)d trang đã soát.") % counts,
        url,
        gettext("Soát chữ"),
    )


def proposals_panel(item: Item):
    """The fields read from the first page, each with a button that copies it into the form
    (``archive/proposals.js``); nothing is written until the cataloguer clicks and saves."""
    proposals = item_proposals(item)
    if not proposals:
        return gettext("Không có đề xuất nào từ trang đầu.")
    rows = format_html_join(
        "",
        '<li><span class="proposal-label">{}:</span> <q>{}</q> '
        '<button type="button" class="button" data-proposal-field="{}" data-proposal-value="{}" '
        'data-proposal-shown="{}" data-proposal-done="{}">{}</button></li>',
        (
            (
                proposal.label,
                proposal.shown,
                proposal.field,
                proposal.value,
                proposal.shown,
                gettext("Đã điền, hãy lưu"),
                gettext("Nhận"),
            )
            for proposal in proposals
        ),
    )
    return format_html(
        '<p class="help">{}</p><ul class="proposals">{}</ul>',
        gettext("Đọc từ trang đầu của tệp số hóa; bấm “Nhận” để điền vào ô, rồi lưu như thường."),
        rows,
    )
