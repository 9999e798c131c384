"""Admin pages of preservation: the fixity passes and every stored file's events, read-only.

Events are the record of what happened to a file; nobody edits or removes them here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.models import FixityRun, PreservationEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FixityRun)
class FixityRunAdmin(ReadOnlyAdmin):
    """Each pass of ``manage.py audit_fixity``; an unfinished one resumes at its next run."""

    list_display = ["started_at", "finished_at", "media_checked", "files_checked", "problems"]
    date_hierarchy = "started_at"


class ProblemFilter(admin.SimpleListFilter):
    title = _("kết quả kiểm tra")
    parameter_name = "problem"

    def lookups(self, request, model_admin):
        return [("yes", _("Thiếu hoặc bị thay đổi"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(outcome=PreservationEvent.Outcome.SUCCESS)
        return queryset


@admin.register(PreservationEvent)
class PreservationEventAdmin(ReadOnlyAdmin):
    """What happened to each stored file: received, derivatives made, checked, exported."""

    list_display = ["at", "kind", "outcome", "media_file", "file_name", "agent"]
    list_filter = [ProblemFilter, "kind", "outcome", "run"]
    list_select_related = ["media_file"]
    search_fields = ["file_name", "media_file__original_name", "media_file__item__inventory_number"]
    date_hierarchy = "at"
