"""The counter the public pages' beacon posts to, and the staff dashboard of the collection's use.

The counter reads no session and sets no cookie; a visitor signed in as staff (a session cookie)
is not counted, so the Board's own checks of the site do not count as the public's use.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from archive.models import Item, UsageKind
from archive.usage import DayRange, collection_figures, usage_record
from archive.usage_exports import usage_workbook

SIGNING_NAMESPACE = "archive.usage"
KINDS = frozenset(UsageKind.values)


def usage_token(entries: list[tuple[str, str]]) -> str:
    """The signed (kind, ref) pairs a page's beacon posts back."""
    return signing.dumps([[str(kind), str(ref)] for kind, ref in entries], salt=SIGNING_NAMESPACE, compress=True)


@csrf_exempt
@require_POST
def usage_beacon(request: HttpRequest) -> HttpResponse:
    """Count what a page's token names, once per post; a token not signed here is refused (400)."""
    try:
        entries = signing.loads(request.POST.get("t", ""), salt=SIGNING_NAMESPACE)
    except signing.BadSignature:
        return HttpResponse(status=400)
    if not isinstance(entries, list) or not 1 <= len(entries) <= 2:
        return HttpResponse(status=400)
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return HttpResponse(status=204)
    for entry in entries:
        if not (isinstance(entry, list) and len(entry) == 2 and entry[0] in KINDS and isinstance(entry[1], str)):
            return HttpResponse(status=400)
    for kind, ref in entries:
        usage_record(kind=kind, ref=ref)
    return HttpResponse(status=204)


def count_public_use(request: HttpRequest, *, kind: str, ref: str) -> None:
    """Count a use by a view that is never cached (a QR code's short address, a download)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        usage_record(kind=kind, ref=ref)


# The staff dashboard --------------------------------------------------------------------


class RangeForm(forms.Form):
    """A year, and optionally one of its quarters."""

    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quý"),
        coerce=int,
        required=False,
        empty_value=0,
        choices=[
            (0, gettext_lazy("Cả năm")),
            (1, gettext_lazy("Quý I")),
            (2, gettext_lazy("Quý II")),
            (3, gettext_lazy("Quý III")),
            (4, gettext_lazy("Quý IV")),
        ],
    )

    def days(self) -> DayRange:
        year, quarter = self.cleaned_data["year"], self.cleaned_data.get("quarter") or 0
        return DayRange.quarter(year, quarter) if quarter else DayRange.year(year)


def _range(request: HttpRequest) -> tuple[RangeForm, DayRange]:
    """The asked range, else this year (a wrong year is shown with the form's message)."""
    today = timezone.localdate()
    data = request.GET if "year" in request.GET else {"year": today.year, "quarter": 0}
    form = RangeForm(data)
    days = form.days() if form.is_valid() else DayRange.year(today.year)
    return form, days


def staff_can_view_usage(view):
    @wraps(view)
    @never_cache
    @staff_member_required
    @permission_required("archive.view_usagecount", raise_exception=True)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapped


@staff_can_view_usage
def usage_dashboard(request: HttpRequest) -> HttpResponse:
    form, days = _range(request)
    context = {
        **admin.site.each_context(request),
        "title": _("Thống kê kho tư liệu và lượt khai thác"),
        "form": form,
        "figures": collection_figures(days),
        "item_kinds": Item.Kind.choices,
        "query": request.GET.urlencode(),
    }
    return render(request, "archive/usage_dashboard.html", context)


@staff_can_view_usage
def usage_export(request: HttpRequest) -> HttpResponse:
    _form, days = _range(request)
    content = usage_workbook(collection_figures(days))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="khai-thac-{days.start:%Y%m%d}-{days.end:%Y%m%d}.xlsx"'
    return response
