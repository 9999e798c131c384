"""Readers and their requests in the admin: staff confirm a standing, decide requests, read the log."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from reading import services
from reading.forms import DecisionForm
from reading.models import ReaderProfile, ReadingRequest, RequestUse
from reading.rules import classified_notice, is_classified
from reading.tasks import build_copy_package


@admin.register(ReaderProfile)
class ReaderProfileAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "affiliation", "standing", "created_at"]
    list_filter = ["standing"]
    list_select_related = ["user", "body"]
    search_fields = ["full_name", "user__email", "institution", "body__name"]
    readonly_fields = ["user", "email", "standing", "confirmed_by", "confirmed_at", "created_at"]
    fields = [
        "user",
        "email",
        "full_name",
        "body",
        "institution",
        "purpose",
        "standing",
        "confirmed_by",
        "confirmed_at",
    ]
    autocomplete_fields = ["body"]
    actions = ["confirm_member", "confirm_researcher", "withdraw_standing"]

    @admin.display(description=_("thư điện tử"), ordering="user__email")
    def email(self, profile: ReaderProfile) -> str:
        return profile.user.email

    @admin.display(description=_("tổ chức, cơ quan"))
    def affiliation(self, profile: ReaderProfile) -> str:
        return profile.affiliation

    def has_add_permission(self, request) -> bool:
        return False  # profiles come from the sign-up form

    def _confirm(self, request, queryset, standing: str, text: str) -> None:
        for profile in queryset:
            services.profile_confirm(profile=profile, standing=standing, by=request.user)
        self.message_user(request, text % {"count": queryset.count()}, messages.SUCCESS)

    @admin.action(description=_("Xác nhận là cán bộ, đảng viên Đảng bộ Khối"), permissions=["change"])
    def confirm_member(self, request, queryset):
        self._confirm(request, queryset, ReaderProfile.Standing.MEMBER, gettext("Đã xác nhận %(count)d thành viên."))

    @admin.action(description=_("Xác nhận là nhà nghiên cứu"), permissions=["change"])
    def confirm_researcher(self, request, queryset):
        self._confirm(
            request, queryset, ReaderProfile.Standing.RESEARCHER, gettext("Đã xác nhận %(count)d nhà nghiên cứu.")
        )

    @admin.action(description=_("Bỏ xác nhận tư cách"), permissions=["change"])
    def withdraw_standing(self, request, queryset):
        self._confirm(request, queryset, ReaderProfile.Standing.UNCONFIRMED, gettext("Đã bỏ xác nhận %(count)d người."))


class RequestUseInline(admin.TabularInline):
    model = RequestUse
    fields = ["at", "action", "media", "page", "address"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("nhật ký sử dụng")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReadingRequest)
class ReadingRequestAdmin(admin.ModelAdmin):
    """A pending request is decided on its page (approve with an end date, or refuse with a reason)."""

    form = DecisionForm
    list_display = ["pk", "item", "requester_name", "kind", "state_display", "until", "package_status", "created_at"]
    list_filter = ["status", "kind", "package_status"]
    list_select_related = ["item", "requester", "requester__reader_profile"]
    search_fields = [
        "item__inventory_number",
        "item__title",
        "requester__email",
        "requester__reader_profile__full_name",
    ]
    inlines = [RequestUseInline]
    actions = ["rebuild_package"]
    facts = [
        "item",
        "requester_name",
        "requester_affiliation",
        "requester_standing",
        "kind",
        "purpose",
        "wanted_until",
        "created_at",
        "state_display",
        "classified",
    ]
    decided = ["until", "refusal_reason", "decided_by", "decided_at", "package_status", "package_error"]

    @admin.display(description=_("người yêu cầu"))
    def requester_name(self, obj: ReadingRequest) -> str:
        profile = getattr(obj.requester, "reader_profile", None)
        name = profile.full_name if profile else obj.requester.get_username()
        return f"{name} <{obj.requester.email}>"

    @admin.display(description=_("tổ chức, cơ quan"))
    def requester_affiliation(self, obj: ReadingRequest) -> str:
        profile = getattr(obj.requester, "reader_profile", None)
        return profile.affiliation if profile else ""

    @admin.display(description=_("tư cách"))
    def requester_standing(self, obj: ReadingRequest) -> str:
        profile = getattr(obj.requester, "reader_profile", None)
        return profile.get_standing_display() if profile else ""

    @admin.display(description=_("tình trạng"))
    def state_display(self, obj: ReadingRequest) -> str:
        return obj.get_state_display()

    @admin.display(description=_("độ mật"))
    def classified(self, obj: ReadingRequest) -> str:
        return classified_notice(obj.item) if is_classified(obj.item) else "—"

    def has_add_permission(self, request) -> bool:
        return False  # requests come from readers' own form

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status == ReadingRequest.Status.PENDING:
            return [*self.facts, "decision", "until", "refusal_reason"]
        return [*self.facts, *self.decided]

    def get_readonly_fields(self, request, obj=None):
        if (
            obj is not None
            and obj.status == ReadingRequest.Status.PENDING
            and request.user.has_perm(services.DECIDE_PERMISSION)
        ):
            return self.facts
        return [*self.facts, *self.decided]

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        try:
            if decision == "approve":
                services.request_approve(request=obj, until=form.cleaned_data["until"], by=request.user)
            elif decision == "refuse":
                services.request_refuse(request=obj, reason=form.cleaned_data["refusal_reason"], by=request.user)
        except (ValidationError, PermissionDenied) as error:
            text = (
                "; ".join(error.messages)
                if isinstance(error, ValidationError)
                else gettext("Tài khoản này không có quyền duyệt.")
            )
            self.message_user(request, text, messages.ERROR)

    @admin.action(description=_("Đóng gói lại bản sao của các yêu cầu đã chọn"), permissions=["change"])
    def rebuild_package(self, request, queryset):
        chosen = queryset.filter(kind=ReadingRequest.Kind.COPY, status=ReadingRequest.Status.APPROVED)
        count = 0
        for reading in chosen:
            ReadingRequest.objects.filter(pk=reading.pk).update(package_status=ReadingRequest.Package.WAITING)
            build_copy_package.enqueue(reading.pk)
            count += 1
        self.message_user(
            request,
            ngettext("Đã xếp %(count)d gói vào hàng đợi.", "Đã xếp %(count)d gói vào hàng đợi.", count)
            % {"count": count},
        )
