"""Two-factor sign-in of staff (django-otp, TOTP): required of superusers, offered to all staff.

Staff sign in to the admin as before (username, password, django-axes' lockout). Then, before any
admin page, ``TwoFactorMiddleware`` asks for the six-digit code of an authenticator app from a
staff member who enrolled one, and sends a superuser who has none to enrol first
(``TWO_FACTOR_REQUIRED_FOR_SUPERUSERS``). The session is marked verified by ``django_otp.login``;
a new sign-in starts unverified again.
"""

from __future__ import annotations

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def must_enrol(user) -> bool:
    """A superuser without an authenticator app, where the deployment requires one of them."""
    required = getattr(settings, "TWO_FACTOR_REQUIRED_FOR_SUPERUSERS", True)
    return bool(required and user.is_superuser and confirmed_device(user) is None)


def needs_code(user) -> bool:
    """Staff who enrolled an app and whose session has not given its code yet."""
    return not user.is_verified() and confirmed_device(user) is not None


SESSION_KEY = "two_factor_enrolled"


def enrolled(request: HttpRequest) -> bool:
    """Whether the signed-in staff member has an authenticator app, looked up once per session (the
    admin's pages then cost no query for it); enrolling sets it at once."""
    if SESSION_KEY not in request.session:
        request.session[SESSION_KEY] = confirmed_device(request.user) is not None
    return bool(request.session[SESSION_KEY])


class TwoFactorMiddleware:
    """Holds the admin's pages back until the staff member's second factor is satisfied."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        admin_root = reverse("admin:index")
        free = (reverse("admin:login"), reverse("admin:logout"), reverse("admin:jsi18n"))
        if (
            user is not None
            and request.path.startswith(admin_root)
            and request.path not in free
            and user.is_authenticated
            and user.is_staff
            and not user.is_verified()
        ):
            if enrolled(request):
                return redirect(f"{reverse('two_factor_verify')}?next={request.get_full_path()}")
            if must_enrol(user):
                return redirect(f"{reverse('two_factor_setup')}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Mã 6 chữ số trong ứng dụng xác thực"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={
            "required": gettext_lazy("Xin nhập mã 6 chữ số."),
            "min_length": gettext_lazy("Mã gồm đúng 6 chữ số."),
            "max_length": gettext_lazy("Mã gồm đúng 6 chữ số."),
        },
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        allowed, _detail = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(_("Đã nhập sai nhiều lần. Xin đợi ít giây rồi nhập mã mới."), code="throttled")
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(
                _("Mã không đúng hoặc đã hết hạn. Xin nhập mã đang hiện trong ứng dụng."), code="invalid"
            )
        return token


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


@never_cache
@staff_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of a staff sign-in: the code of the enrolled app."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('two_factor_setup')}?next={_next(request)}")
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next(request))
    context = {**admin.site.each_context(request), "form": form, "next": _next(request), "title": _("Xác thực hai lớp")}
    return render(request, "two_factor/verify.html", context)


@never_cache
@staff_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), then give one code to confirm.

    A staff member who already has one must give its code first (the verify step), so a session
    left open cannot swap another person's app in.
    """
    if needs_code(request.user):
        return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor_setup')}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False, name=DEVICE_NAME).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        request.session[SESSION_KEY] = True
        messages.success(request, _("Đã bật xác thực hai lớp. Từ lần đăng nhập sau, xin nhập mã trong ứng dụng."))
        return redirect(_next(request))
    qr = segno.make(device.config_url, error="m")
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    context = {
        **admin.site.each_context(request),
        "form": form,
        "next": _next(request),
        "qr_svg": qr.svg_inline(scale=5, title=_("Mã QR để thêm vào ứng dụng xác thực")),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "enrolled": confirmed_device(request.user) is not None,
        "required": must_enrol(request.user),
        "title": _("Xác thực hai lớp"),
    }
    return render(request, "two_factor/setup.html", context)
