"""A person's data across the apps (Nghị định 13/2023/NĐ-CP): the retention run over bookings,
waiting entries and contributions, and the staff pages that answer one person's request to see
(export as JSON or XLSX) or erase their data, found by email or phone.

Every export and every erasure is recorded in the history of each record it touched, with the
staff member and the reason; the records themselves stay (statistics and provenance), without the
person's name and addresses once erased.
"""

from __future__ import annotations

import io
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from openpyxl import Workbook

from archive import personal_data as contributions
from basics.spreadsheets import safe_row
from bookings import personal_data as bookings
from bookings.forms import normalise_phone

PERMISSIONS = ("bookings.change_booking", "bookings.change_waitingentry", "archive.change_contribution")
RETENTION_REASON = _("Hết thời hạn lưu giữ dữ liệu cá nhân")
REQUEST_ERASE_REASON = _("Xóa dữ liệu cá nhân theo yêu cầu")
REQUEST_EXPORT_REASON = _("Xuất dữ liệu cá nhân theo yêu cầu")
FIELDS = ("kind", "reference", "venue", "date", "organisation", "contact_name", "contributor_name")


def erase_past_retention(*, dry_run: bool = False) -> dict[str, int]:
    """Erase whatever has outlived the retention period; how many of each kind."""
    found = {
        "bookings": list(bookings.bookings_past_retention()),
        "waiting": list(bookings.waiting_entries_past_retention()),
        "contributions": list(contributions.contributions_past_retention()),
    }
    if not dry_run:
        reason = str(RETENTION_REASON)
        for booking in found["bookings"]:
            bookings.booking_erase_personal_data(booking=booking, reason=reason)
        for entry in found["waiting"]:
            bookings.waiting_entry_erase_personal_data(entry=entry, reason=reason)
        for contribution in found["contributions"]:
            contributions.contribution_erase_personal_data(contribution=contribution, reason=reason)
    return {kind: len(records) for kind, records in found.items()}


class PersonForm(forms.Form):
    """Who asks: their email, their phone, or both."""

    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Thư điện tử: địa chỉ chưa đúng, ví dụ ten@coquan.gov.vn.")},
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return normalise_phone(value) if value else ""

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            raise ValidationError(_("Nhập thư điện tử hoặc số điện thoại của người đề nghị."))
        return cleaned


def _records(email: str, phone: str, raw_phone: str = "") -> dict[str, list]:
    phones = {p for p in (phone, raw_phone.strip()) if p}
    found_bookings, found_entries, found_contributions = {}, {}, {}
    for each in phones or {""}:
        found_bookings |= {
            b.pk: b for b in bookings.bookings_of(email=email, phone=each).prefetch_related("new_members")
        }
        found_entries |= {e.pk: e for e in bookings.waiting_entries_of(email=email, phone=each)}
        found_contributions |= {
            c.pk: c for c in contributions.contributions_of(email=email, phone=each).select_related("body")
        }
    return {
        "bookings": list(found_bookings.values()),
        "waiting": list(found_entries.values()),
        "contributions": list(found_contributions.values()),
    }


def _export_rows(records: dict[str, list]) -> list[dict]:
    return [
        *(bookings.booking_export(b) for b in records["bookings"]),
        *(bookings.waiting_entry_export(e) for e in records["waiting"]),
        *(contributions.contribution_export(c) for c in records["contributions"]),
    ]


def _record_in_history(records: dict[str, list], user, reason: str) -> None:
    with transaction.atomic():
        for record in (*records["bookings"], *records["waiting"], *records["contributions"]):
            record._history_user = user
            record._change_reason = reason[:100]
            record.save()


def _person(request: HttpRequest, data) -> tuple[PersonForm, dict[str, list] | None]:
    form = PersonForm(data if any(data.get(k) for k in ("email", "phone")) else None)
    if not form.is_valid():
        return form, None
    records = _records(form.cleaned_data["email"], form.cleaned_data["phone"], data.get("phone", ""))
    return form, records


@never_cache
@require_safe
@permission_required(PERMISSIONS, raise_exception=True)
def request_page(request: HttpRequest) -> HttpResponse:
    """Find one person's bookings, waiting entries and contributions; export or erase them."""
    form, records = _person(request, request.GET)
    context = {
        **admin.site.each_context(request),
        "title": _("Dữ liệu cá nhân theo yêu cầu"),
        "form": form,
        "records": records,
        "total": sum(len(v) for v in records.values()) if records else 0,
        "query": urlencode({k: request.GET.get(k, "") for k in ("email", "phone")}),
        "retention_days": bookings.retention_days(),
    }
    return TemplateResponse(request, "admin/personal_data/request.html", context)


@never_cache
@require_safe
@permission_required(PERMISSIONS, raise_exception=True)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The person's data as JSON or XLSX; the export is recorded in each record's history."""
    form, records = _person(request, request.GET)
    if records is None or fmt not in ("json", "xlsx"):
        return HttpResponseRedirect(reverse("personal_data") + "?" + request.GET.urlencode())
    rows = _export_rows(records)
    _record_in_history(records, request.user, str(REQUEST_EXPORT_REASON))
    if fmt == "json":
        body = json.dumps({"records": rows}, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = gettext("Dữ liệu cá nhân")
        headers = sorted({key for row in rows for key in row}, key=lambda k: (k not in FIELDS, k))
        sheet.append(headers)
        for row in rows:
            values = [", ".join(v) if isinstance(v, list) else v for v in (row.get(h, "") for h in headers)]
            sheet.append(safe_row(values))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan.{fmt}"'
    return response


@never_cache
@permission_required(PERMISSIONS, raise_exception=True)
@require_POST
def erase(request: HttpRequest) -> HttpResponse:
    """Erase the person's data from every record found, once staff have ticked the confirmation."""
    form, records = _person(request, request.POST)
    back = reverse("personal_data") + "?" + urlencode({k: request.POST.get(k, "") for k in ("email", "phone")})
    if records is None:
        return HttpResponseRedirect(reverse("personal_data"))
    if request.POST.get("confirm") != "on":
        messages.error(request, gettext("Xác nhận: đánh dấu ô xác nhận xóa rồi bấm “Xóa dữ liệu cá nhân”."))
        return HttpResponseRedirect(back)
    reason = str(REQUEST_ERASE_REASON)
    for booking in records["bookings"]:
        bookings.booking_erase_personal_data(booking=booking, user=request.user, reason=reason)
    for entry in records["waiting"]:
        bookings.waiting_entry_erase_personal_data(entry=entry, user=request.user, reason=reason)
    for contribution in records["contributions"]:
        contributions.contribution_erase_personal_data(contribution=contribution, user=request.user, reason=reason)
    messages.success(
        request,
        gettext(
            "Đã xóa dữ liệu cá nhân trong %(bookings)d đăng ký tham quan, %(waiting)d đăng ký chờ chỗ"
            " và %(contributions)d đóng góp."
        )
        % {k: len(v) for k, v in records.items()},
    )
    return HttpResponseRedirect(reverse("personal_data"))
