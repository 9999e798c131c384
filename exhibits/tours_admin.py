"""Tours in the admin: a tour with its stops inline; every new picture and recording is inspected
by the archive's upload inspection before anything is saved, and the tour's labels are printed from
its page."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archive.media import Kind
from exhibits.tours import Tour, TourStop, check_captions, inspect_stop_file


class TourStopForm(forms.ModelForm):
    class Meta:
        model = TourStop
        fields = (
            "position",
            "kind",
            "item",
            "place",
            "title",
            "title_en",
            "text",
            "text_en",
            "image",
            "image_alt",
            "image_alt_en",
            "audio_vi",
            "captions_vi",
            "audio_en",
            "captions_en",
        )
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "text_en": forms.Textarea(attrs={"rows": 4})}

    def _inspected(self, name: str, kind: str, label) -> object:
        upload = self.cleaned_data.get(name)
        duration = inspect_stop_file(upload, kind=kind, label=str(label))
        if duration is not None and name.startswith("audio_"):
            setattr(self.instance, f"{name}_seconds", round(duration))
        return upload

    def clean_image(self):
        return self._inspected("image", Kind.IMAGE, pgettext_lazy("file kind", "Ảnh"))

    def clean_audio_vi(self):
        return self._inspected("audio_vi", Kind.AUDIO, _("Bản ghi âm tiếng Việt"))

    def clean_audio_en(self):
        return self._inspected("audio_en", Kind.AUDIO, _("Bản ghi âm tiếng Anh"))

    def clean_captions_vi(self):
        upload = self.cleaned_data.get("captions_vi")
        check_captions(upload, label=str(_("Phụ đề tiếng Việt")))
        return upload

    def clean_captions_en(self):
        upload = self.cleaned_data.get("captions_en")
        check_captions(upload, label=str(_("Phụ đề tiếng Anh")))
        return upload


class TourStopInline(admin.StackedInline):
    model = TourStop
    form = TourStopForm
    extra = 0
    autocomplete_fields = ("item",)


@admin.register(Tour)
class TourAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "venue", "status", "stop_count", "labels")
    list_filter = ("status", "venue")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [TourStopInline]
    search_fields = ("title", "code")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("venue").annotate(stop_total=Count("stops"))

    @admin.display(description=_("số điểm dừng"), ordering="stop_total")
    def stop_count(self, tour: Tour) -> int:
        return tour.stop_total

    @admin.display(description=_("nhãn QR"))
    def labels(self, tour: Tour) -> str:
        return format_html('<a href="{}">{}</a>', reverse("exhibits:tour_labels", args=[tour.slug]), _("In nhãn"))
