"""The reader's pages: profile, requests, the reading page with its stamped page images, the package.

Every page is the signed-in person's own: another person's request is a 404, as is a page or a
package of a request that is not open (pending, refused, or past its end date).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from archive.models import MediaFile
from archive.protected_media import serve_stored_file
from basics.client_address import client_address
from reading import services, stamping
from reading.forms import ProfileForm, ReadingRequestForm
from reading.models import ReaderProfile, ReadingRequest, RequestUse
from reading.rules import classified_notice, is_classified


def _profile(request: HttpRequest) -> ReaderProfile | None:
    return ReaderProfile.objects.select_related("body").filter(user=request.user).first()


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The reader's profile (created here by people who signed up before having one) and requests."""
    current = _profile(request)
    form = ProfileForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if current is None:
                services.profile_create(
                    user=request.user,
                    full_name=data["full_name"],
                    body=data.get("body"),
                    institution=data.get("institution", ""),
                    purpose=data["purpose"],
                )
            else:
                form.save()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu hồ sơ bạn đọc."))
            return redirect("reading:profile")
    requests = (
        ReadingRequest.objects.filter(requester=request.user)
        .select_related("item")
        .only("pk", "kind", "status", "until", "created_at", "item__inventory_number", "item__title")
    )
    context = {"profile": current, "form": form, "requests": list(requests), "today": timezone.localdate()}
    return render(request, "reading/profile.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """Ask to read an item or for a copy of it; a classified item's number gets where to consult it."""
    if _profile(request) is None:
        messages.info(request, _("Xin điền hồ sơ bạn đọc trước khi gửi yêu cầu."))
        return redirect("reading:profile")
    initial = {
        "inventory_number": request.GET.get("so", "")[:20],
        "kind": request.GET.get("loai") if request.GET.get("loai") in ReadingRequest.Kind.values else "read",
    }
    form = ReadingRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.request_submit(
                user=request.user,
                inventory_number=data["inventory_number"],
                kind=data["kind"],
                purpose=data["purpose"],
                wanted_until=data.get("wanted_until"),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Đã gửi yêu cầu. Ban Tuyên giáo sẽ trả lời qua thư điện tử."))
            return redirect("reading:request_detail", pk=created.pk)
    return render(request, "reading/request_form.html", {"form": form})


def _own_request(request: HttpRequest, pk: int) -> ReadingRequest:
    return get_object_or_404(
        ReadingRequest.objects.select_related("item", "item__venue"), pk=pk, requester=request.user
    )


def _stamp_text(request: HttpRequest, reading: ReadingRequest) -> str:
    profile = _profile(request)
    name = profile.full_name if profile else request.user.get_username()
    day = formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    return _("%(name)s · %(date)s · yêu cầu #%(pk)s · chỉ dùng cho mục đích đã đăng ký") % {
        "name": name,
        "date": day,
        "pk": reading.pk,
    }


@never_cache
@login_required
@require_safe
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A request's state; while an approved reading is open, the item's pages; a copy's package."""
    reading = _own_request(request, pk)
    item = reading.item
    context = {"reading": reading, "item": item, "state": reading.state(), "pages": [], "others": 0}
    if is_classified(item):
        context["classified_notice"] = classified_notice(item)
    elif reading.is_open:
        services.request_use_log(request=reading, action=RequestUse.Action.OPEN, address=client_address(request))
        if reading.kind == ReadingRequest.Kind.READ:
            media = list(MediaFile.objects.filter(item=item).order_by("-is_primary", "position", "pk"))
            context["pages"] = [
                {"media": m, "page": page, "number": index}
                for index, (m, page) in enumerate(
                    ((m, p) for m in media if m.has_tiles for p in range(m.tiled_pages)), 1
                )
            ]
            context["others"] = sum(1 for m in media if not m.has_tiles)
    return render(request, "reading/request_detail.html", context)


def _open_reading(request: HttpRequest, pk: int, kind: str) -> ReadingRequest:
    reading = _own_request(request, pk)
    if reading.kind != kind or not reading.is_open or is_classified(reading.item):
        raise Http404
    return reading


@never_cache
@login_required
@require_safe
def page(request: HttpRequest, pk: int, media_pk: int, page: int) -> HttpResponse:
    """One page image of an open reading, stamped with the reader's name and today's date."""
    reading = _open_reading(request, pk, ReadingRequest.Kind.READ)
    media = get_object_or_404(MediaFile, pk=media_pk, item_id=reading.item_id)
    try:
        content = stamping.stamped_page(media, page, _stamp_text(request, reading))
    except stamping.PageMissing:
        raise Http404 from None
    services.request_use_log(
        request=reading, action=RequestUse.Action.PAGE, media=media, page=page, address=client_address(request)
    )
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@require_safe
def package(request: HttpRequest, pk: int) -> HttpResponse:
    """The usage package of an open copy request, once the background job has built it."""
    reading = _open_reading(request, pk, ReadingRequest.Kind.COPY)
    if reading.package_status != ReadingRequest.Package.READY or not reading.package:
        raise Http404
    services.request_use_log(request=reading, action=RequestUse.Action.DOWNLOAD, address=client_address(request))
    return serve_stored_file(
        request,
        reading.package,
        content_type="application/zip",
        filename=f"{reading.item.inventory_number}-ban-sao.zip",
        download=True,
    )
