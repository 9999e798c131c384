"""Logins, sessions and the browser's own defences: lockout, passwords, cookies, CSP, headers."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from archive.models import Item, MediaFile, Period
from exhibits.models import Exhibit, ExhibitBlock

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mật-khẩu-thử-12345"


# Lockout -----------------------------------------------------------------------------------------


def admin_login(client: Client, username: str, password: str):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_out_even_with_the_right_password(client, propaganda_user):
    for _attempt in range(5):
        response = admin_login(client, propaganda_user.username, "sai-mat-khau")
        assert "_auth_user_id" not in client.session
    response = admin_login(client, propaganda_user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "Tạm khóa đăng nhập" in html
    assert "Đã đăng nhập sai 5 lần liên tiếp." in html
    assert "trong 60 phút, kể cả khi nhập đúng mật khẩu" in html
    assert '<html lang="vi">' in html
    # Another account from the same address is not locked (the lockout is per username and address).
    other = Client()
    assert admin_login(other, "lanhdao-khac", "sai").status_code == 200


@pytest.mark.django_db
def test_four_failures_then_the_right_password_still_logs_in(client, propaganda_user):
    for _attempt in range(4):
        admin_login(client, propaganda_user.username, "sai-mat-khau")
    response = admin_login(client, propaganda_user.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(propaganda_user.pk)


# Passwords ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("12345678901", "numeric"),
        ("ngắn-1", "too short"),
        ("password123", "common"),
        ("tuyengiao2024", "too similar to the username"),
    ],
)
def test_weak_passwords_are_refused(propaganda_user, password, reason):
    with pytest.raises(ValidationError):
        validate_password(password, user=propaganda_user)


@pytest.mark.django_db
def test_a_long_passphrase_is_accepted_and_the_admin_refuses_a_weak_new_password(client, propaganda_user):
    validate_password("Hồ Gươm mùa thu 1948 lá vàng", user=propaganda_user)
    client.force_login(propaganda_user)
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200  # the form again, with the errors
    propaganda_user.refresh_from_db()
    assert propaganda_user.check_password(PASSWORD)


# Production settings ----------------------------------------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-real-production-key-" + "k3V9xQ7mZ2pR8tW4" * 3,
    "DJANGO_ALLOWED_HOSTS": "truyenthong.example.vn",
}


def run_production(code: str, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(PRODUCTION_ENV)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    env["DJANGO_SETTINGS_MODULE"] = "traditions.settings"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_production_settings_make_cookies_secure_and_turn_on_https_and_headers(tmp_path):
    code = """
import json
from django.conf import settings
import django; django.setup()
names = ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT",
         "SECURE_HSTS_SECONDS", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY",
         "SECURE_CROSS_ORIGIN_OPENER_POLICY", "MEDIA_ACCEL", "AXES_FAILURE_LIMIT"]
values = {n: getattr(settings, n) for n in names}
values["validators"] = len(settings.AUTH_PASSWORD_VALIDATORS)
values["script_src"] = [str(s) for s in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]]
print(json.dumps(values))
"""
    result = run_production(code, tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    script_src = values.pop("script_src")
    assert "'self'" in script_src
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "MEDIA_ACCEL": "",
        "AXES_FAILURE_LIMIT": 5,
        "validators": 4,
    }


def test_production_sends_cookies_only_over_https_and_redirects_plain_http(tmp_path):
    code = """
import django; django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
# Static files are not collected here; only their storage differs from production.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client()
plain = client.get("/admin/login/", HTTP_HOST="truyenthong.example.vn")
print(plain.status_code, plain["Location"])
secure = client.get("/admin/login/", secure=True, HTTP_HOST="truyenthong.example.vn")
cookie = secure.cookies["csrftoken"]
print(secure.status_code, bool(cookie["secure"]), secure["Strict-Transport-Security"])
"""
    result = run_production(code, tmp_path)
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.strip().splitlines()[-2:]
    assert first == "301 https://truyenthong.example.vn/admin/login/"
    assert second.startswith("200 True max-age=31536000")


# Content Security Policy and headers --------------------------------------------------------------


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 0, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def public_pages(db) -> list[str]:
    from bookings import demo as bookings_demo

    bookings_demo.seed(io.StringIO())  # venue schedules, so the booking form is open
    period = Period.objects.order_by("number").first()
    item = Item(title="Nghị quyết công khai", status=Item.Status.PUBLISHED, period=period, is_featured=True)
    item.save()
    for kind, mime in ((MediaFile.Kind.IMAGE, "image/jpeg"), (MediaFile.Kind.PDF, "application/pdf")):
        media = MediaFile(item=item, kind=kind, mime_type=mime, original_name="t", size=1, sha256="4" * 64)
        media.file.save("f", ContentFile(jpeg()), save=False)
        media.thumbnail.save("t.jpg", ContentFile(jpeg()), save=False)
        media.is_primary = kind == MediaFile.Kind.IMAGE
        media.save()
    exhibit = Exhibit.objects.create(title="Chuyên đề", slug="chuyen-de", status=Exhibit.Status.PUBLISHED)
    ExhibitBlock.objects.create(exhibit=exhibit, kind=ExhibitBlock.Kind.ITEM, item=item, position=1)
    urls = []
    for language in ("vi", "en"):
        with translation.override(language):
            urls += [
                reverse(name)
                for name in (
                    "exhibits:home",
                    "exhibits:period_list",
                    "exhibits:timeline",
                    "exhibits:leaders",
                    "exhibits:item_list",
                    "exhibits:search",
                    "exhibits:exhibit_list",
                    "exhibits:videos",
                    "exhibits:visit",
                    "exhibits:contribute",
                    "exhibits:contribute_done",
                    "bookings:book",
                )
            ]
            urls += [
                reverse("exhibits:period_detail", args=[period.slug]),
                reverse("exhibits:item_detail", args=[item.inventory_number]),
                reverse("exhibits:exhibit_detail", args=[exhibit.slug]),
                reverse("exhibits:exhibit_print", args=[exhibit.slug]),
                reverse("exhibits:search") + "?q=nghi+quyet",
                "/khong-co-trang-nay/",
            ]
    urls.append(reverse("admin:login"))
    return urls


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


@pytest.mark.django_db
def test_public_pages_have_no_inline_script_and_a_strict_csp(client, public_pages):
    for url in public_pages:
        response = client.get(url)
        assert response.status_code == (404 if url == "/khong-co-trang-nay/" else 200), url
        html = response.content.decode()
        assert not INLINE_SCRIPT.findall(html), f"{url}: inline <script> {INLINE_SCRIPT.findall(html)}"
        assert not EVENT_ATTRIBUTE.findall(html), f"{url}: on*= attribute {EVENT_ATTRIBUTE.findall(html)[:3]}"
        assert not JAVASCRIPT_URL.findall(html), url
        policy = dict(
            (part.strip().split(" ", 1) + [""])[:2]
            for part in response["Content-Security-Policy"].split(";")
            if part.strip()
        )
        assert "'self'" in policy["script-src"]
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        assert policy["object-src"] == "'none'"
        assert policy["default-src"] == "'self'"
        assert policy["frame-ancestors"] == "'self'"


@pytest.mark.django_db
def test_security_headers_are_sent_on_pages_and_files(client, public_pages):
    for url in [public_pages[0], reverse("exhibits:item_list"), reverse("admin:login")]:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    pdf = MediaFile.objects.get(kind=MediaFile.Kind.PDF)
    response = client.get(reverse("archive:media", args=[pdf.pk, "original"]))
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # framed by the item page's PDF viewer only
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_forms_refuse_a_post_without_the_csrf_token(propaganda_user):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("exhibits:contribute"), {"contributor_name": "A"}).status_code == 403
    assert client.post(reverse("bookings:book"), {}).status_code == 403
    assert client.post(reverse("admin:login"), {"username": "a", "password": "b"}).status_code == 403


@pytest.mark.django_db
def test_the_session_cookie_is_http_only_and_logout_ends_the_session(client, propaganda_user):
    client.post(reverse("admin:login"), {"username": propaganda_user.username, "password": PASSWORD})
    assert client.cookies["sessionid"]["httponly"]
    assert client.get(reverse("admin:index")).status_code == 200
    client.post(reverse("admin:logout"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
