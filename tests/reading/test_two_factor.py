"""Staff two-factor sign-in: required of superusers, offered to every staff member, asked once enrolled."""

import datetime
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

# Publication dates, token lifetimes and one-time codes are counted from this instant (the clock runs on).
pytestmark = [pytest.mark.django_db, pytest.mark.instant("2026-12-07 07:00", tick=True)]


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = True


def code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def sign_in(client, username: str) -> None:
    response = client.post(reverse("admin:login"), {"username": username, "password": "mật-khẩu-thử-12345"})
    assert response.status_code == 302


def test_a_superuser_must_enrol_before_the_admin_opens(client, superuser, time_machine):
    sign_in(client, superuser.username)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and "phải bật xác thực hai lớp" in text
    device = TOTPDevice.objects.get(user=superuser, confirmed=False)
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", text)[1].replace(" ", "")
    assert secret and device.config_url.count(secret) == 1
    wrong = client.post(reverse("two_factor_setup"), {"token": "000000" if code(device) != "000000" else "111111"})
    assert "Mã không đúng hoặc đã hết hạn." in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    device.refresh_from_db()
    # Right after a wrong code the app's codes are held back for a moment (django-otp's throttle).
    hurried = client.post(reverse("two_factor_setup"), {"token": code(device)})
    assert "Đã nhập sai nhiều lần." in hurried.content.decode()
    time_machine.move_to(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=30))
    device.refresh_from_db()
    response = client.post(reverse("two_factor_setup"), {"token": code(device), "next": "/admin/"})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert TOTPDevice.objects.filter(user=superuser, confirmed=True).count() == 1


def test_an_enrolled_staff_member_gives_the_code_at_each_sign_in(client, propaganda_user, time_machine):
    device = TOTPDevice.objects.create(user=propaganda_user, name="authenticator", confirmed=True)
    sign_in(client, propaganda_user.username)
    response = client.get(reverse("admin:archive_item_changelist"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))
    # Enrolling another app needs the code first: an open session cannot swap the app.
    assert client.get(reverse("two_factor_setup"))["Location"].startswith(reverse("two_factor_verify"))
    bad = client.post(reverse("two_factor_verify"), {"token": "12345a"})
    assert bad.status_code == 200 and "Mã không đúng" in bad.content.decode()
    time_machine.move_to(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=30))
    response = client.post(
        reverse("two_factor_verify"), {"token": code(device), "next": reverse("admin:archive_item_changelist")}
    )
    assert response["Location"] == reverse("admin:archive_item_changelist")
    assert client.get(reverse("admin:archive_item_changelist")).status_code == 200
    # The same code cannot be used twice.
    client.logout()
    sign_in(client, propaganda_user.username)
    replay = client.post(reverse("two_factor_verify"), {"token": code(device)})
    assert "Mã không đúng" in replay.content.decode()


def test_staff_without_an_app_are_offered_one_and_not_held_back(client, office_user):
    sign_in(client, office_user.username)
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    assert reverse("two_factor_setup") in page.content.decode()
    assert client.get(reverse("two_factor_setup")).status_code == 200


def test_the_next_address_stays_on_the_site(client, office_user):
    device = TOTPDevice.objects.create(user=office_user, name="authenticator", confirmed=True)
    sign_in(client, office_user.username)
    response = client.post(reverse("two_factor_verify"), {"token": code(device), "next": "https://example.com/"})
    assert response["Location"] == reverse("admin:index")


def test_readers_never_reach_the_two_factor_pages(client, researcher):
    client.force_login(researcher)
    for name in ("two_factor_setup", "two_factor_verify"):
        assert client.get(reverse(name))["Location"].startswith(reverse("admin:login"))
    assert not TOTPDevice.objects.exists()
