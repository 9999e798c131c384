"""The institution's one record ("Thông tin đơn vị") in the admin: superusers edit it, staff see it."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from archive.models import Institution
from archive.models.institution import SINGLETON_PK
from archive.protected_media import ProtectedFileWidget


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = [
            "name",
            "name_en",
            "short_name",
            "short_name_en",
            "parent_body",
            "board",
            "board_en",
            "board_short",
            "board_short_en",
            "signer_title",
            "address",
            "phone",
            "email",
            "logo",
        ]
        widgets = {"logo": ProtectedFileWidget(lambda institution: reverse("archive:institution_logo"))}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and "logo" in self.changed_data and hasattr(logo, "content_type"):
            from archive.media import inspect_upload

            inspect_upload(logo, allowed_kinds=("image",), field_label=str(_("Biểu trưng")))
            logo.seek(0)
        return logo


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    """One record, edited in place: the list opens it; only superusers change it, no one adds a second."""

    form = InstitutionForm
    fieldsets = [
        (_("Tên đơn vị"), {"fields": [("name", "name_en"), ("short_name", "short_name_en"), "parent_body"]}),
        (
            _("Ban quản lý Phòng Truyền thống"),
            {"fields": [("board", "board_en"), ("board_short", "board_short_en"), "signer_title"]},
        ),
        (_("Liên hệ"), {"fields": ["address", "phone", "email", "logo"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser and not Institution.objects.exists()

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        if Institution.objects.filter(pk=SINGLETON_PK).exists() and self.has_view_or_change_permission(request):
            return HttpResponseRedirect(reverse("admin:archive_institution_change", args=[SINGLETON_PK]))
        return super().changelist_view(request, extra_context)
