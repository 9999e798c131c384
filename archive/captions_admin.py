"""Captions in the admin: a WebVTT or SRT file per language on a film's or recording's page."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.captions import caption_track_delete, caption_track_store, read_caption_upload
from archive.models import CaptionTrack, MediaFile
from archive.protected_media import ProtectedFileWidget


def caption_url(track: CaptionTrack) -> str:
    from django.urls import reverse

    return reverse("archive:media_captions", kwargs={"pk": track.media_file_id, "language": track.language})


class CaptionTrackForm(forms.ModelForm):
    """A caption file, read and checked cue by cue (``archive.captions``) before anything is stored."""

    class Meta:
        model = CaptionTrack
        fields = ["language", "file"]
        widgets = {"file": ProtectedFileWidget(caption_url, attrs={"accept": ".vtt,.srt,text/vtt"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.caption_file = None

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data and hasattr(uploaded, "content_type"):
            media_file = self.instance.media_file if self.instance.media_file_id else None
            self.caption_file = read_caption_upload(uploaded, duration=media_file.duration if media_file else None)
        return uploaded


class CaptionTrackInlineFormSet(forms.BaseInlineFormSet):
    def save(self, commit: bool = True):
        """Store each new or replaced file through ``caption_track_store`` and remove deleted tracks
        with their files; a language changed alone is saved as it is. Sets what the admin's change
        message reads (``new_objects``, ``changed_objects``, ``deleted_objects``)."""
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        deleted = self.deleted_forms if self.can_delete else []
        for form in deleted:
            if form.instance.pk:
                caption_track_delete(track=form.instance)
                self.deleted_objects.append(form.instance)
        saved = []
        for form in self.forms:
            if form in deleted or not form.has_changed():
                continue
            track, is_new = form.save(commit=False), form.instance.pk is None
            if form.caption_file is not None:
                name = form.cleaned_data["file"].name
                caption_track_store(track=track, caption_file=form.caption_file, original_name=name)
            else:
                track.save()
            if is_new:
                self.new_objects.append(track)
            else:
                self.changed_objects.append((track, form.changed_data))
            saved.append(track)
        return saved


class CaptionTrackInline(admin.TabularInline):
    """Captions of a video or audio file, in Vietnamese and English (WCAG 2.1 SC 1.2.1, 1.2.2)."""

    model = CaptionTrack
    form = CaptionTrackForm
    formset = CaptionTrackInlineFormSet
    extra = 1
    max_num = len(CaptionTrack.Language.choices)
    fields = ["language", "file", "original_name", "cue_count"]
    readonly_fields = ["original_name", "cue_count"]
    verbose_name = _("phụ đề")
    verbose_name_plural = _("phụ đề và lời thoại (WebVTT hoặc SRT, mỗi ngôn ngữ một tệp)")

    @staticmethod
    def applies_to(media_file: MediaFile | None) -> bool:
        return media_file is not None and media_file.kind in (MediaFile.Kind.VIDEO, MediaFile.Kind.AUDIO)
