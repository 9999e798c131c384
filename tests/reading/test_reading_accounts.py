"""Readers' accounts: sign-up with a verified email, the profile, and what a confirmed member sees."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from reading import services
from reading.models import ReaderProfile
from reading.services import profile_confirm
from tests.reading.conftest import PASSWORD, make_reader

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://\S+/tai-khoan/confirm-email/(\S+)/")


def signup(client, *, email="nguyen.nghien@example.org", body=None, institution="Đại học Quốc gia Hà Nội", lang=""):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "full_name": "Nguyễn Văn Nghiên",
        "institution": institution,
        "purpose": "Viết luận văn về Đảng bộ Khối",
    }
    if body is not None:
        data["body"] = body.pk
    return client.post(f"{lang}/tai-khoan/signup/", data)


def confirmation_key() -> str:
    (message,) = [m for m in mail.outbox if "confirm-email" in m.body]
    return LINK.search(message.body)[1]


def test_sign_up_sends_a_vietnamese_verification_email_and_keeps_the_profile(client, body):
    response = signup(client, body=body, institution="")
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nguyen.nghien@example.org")
    profile = ReaderProfile.objects.get(user=user)
    assert (profile.full_name, profile.body, profile.standing) == ("Nguyễn Văn Nghiên", body, "")
    assert not EmailAddress.objects.get(user=user).verified
    (message,) = mail.outbox
    assert message.subject == "Xác minh thư điện tử – Phòng Truyền thống Đảng bộ Khối"
    assert "Để xác minh, xin mở đường dẫn sau:" in message.body
    # Unverified, the account cannot sign in: allauth sends the verification again instead.
    client.logout()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_the_verification_link_signs_in_and_cannot_be_replayed_or_forged(client):
    signup(client)  # the same browser that signed up opens the link: it is then signed in
    key = confirmation_key()
    page = client.get(reverse("account_confirm_email", args=[key]))
    confirm = "Xin xác nhận nguyen.nghien@example.org là địa chỉ thư điện tử của tài khoản bạn đọc."
    assert confirm in page.content.decode()
    response = client.post(reverse("account_confirm_email", args=[key]))
    assert response.status_code == 302
    address = EmailAddress.objects.get(email="nguyen.nghien@example.org")
    assert address.verified
    assert client.get(reverse("reading:profile")).status_code == 200
    client.logout()
    for bad in (key, key[:-2] + ("AA" if not key.endswith("AA") else "BB"), "khong-hop-le"):
        for method in (client.get, client.post):
            response = method(reverse("account_confirm_email", args=[bad]))
            assert response.status_code < 500
            if response.status_code == 200:
                assert "Đường dẫn xác minh không hợp lệ, đã được dùng hoặc đã hết hạn." in response.content.decode()
        assert "_auth_user_id" not in client.session
    assert EmailAddress.objects.filter(verified=True).count() == 1


def test_sign_up_errors_name_the_field_in_the_readers_language(client):
    response = client.post(
        "/tai-khoan/signup/",
        {"email": "sai", "password1": PASSWORD, "password2": "khac", "full_name": "", "purpose": ""},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Hai lần nhập mật khẩu không giống nhau." in text
    assert "Xin chọn tổ chức đảng, cơ quan hoặc ghi nơi công tác, học tập." in text
    assert "Họ và tên" in text and "Thư điện tử" in text
    assert not get_user_model().objects.exists()


def test_sign_up_in_english_is_english(client):
    with translation.override("en"):
        url = reverse("account_signup")
    assert url.startswith("/en/")
    response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_a_taken_address_is_refused_without_a_second_account(client, researcher):
    response = signup(client, email=researcher.email)
    assert get_user_model().objects.filter(email=researcher.email).count() == 1
    assert response.status_code in (200, 302)


def test_the_profile_page_needs_an_account_and_saves_changes(client, researcher):
    assert client.get(reverse("reading:profile")).status_code == 302
    client.force_login(researcher)
    page = client.get(reverse("reading:profile"))
    assert "Nhà nghiên cứu" in page.content.decode()
    response = client.post(
        reverse("reading:profile"),
        {"full_name": "Hoàng Văn Nghiên", "institution": "", "purpose": "Biên soạn lịch sử"},
    )
    assert "Xin chọn tổ chức đảng, cơ quan hoặc ghi nơi công tác, học tập." in response.content.decode()
    assert ReaderProfile.objects.get(user=researcher).institution == "Viện Lịch sử Đảng"


def test_a_confirmed_member_sees_internal_items_and_their_files_others_do_not(
    client, items, member, researcher, newcomer
):
    internal = items["internal"]
    url = reverse("exhibits:item_detail", args=[internal.inventory_number])
    media = internal.media.get()
    file_url = reverse("archive:media", args=[media.pk, "original"])
    assert client.get(url).status_code == 404
    for reader in (researcher, newcomer):
        client.force_login(reader)
        assert client.get(url).status_code == 404
        assert client.get(file_url).status_code == 404
    client.force_login(member)
    page = client.get(url)
    assert page.status_code == 200 and internal.title in page.content.decode()
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert client.get(file_url).status_code == 200
    for other in ("restricted", "classified", "draft"):
        assert client.get(reverse("exhibits:item_detail", args=[items[other].inventory_number])).status_code == 404
    # The member's page never reaches the page cache: the next anonymous visitor gets a 404.
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(file_url).status_code == 404


def test_an_anonymous_cached_page_is_not_what_a_member_is_served(client, items, member):
    public_url = reverse("exhibits:item_detail", args=[items["public"].inventory_number])
    client.get(public_url)
    assert client.get(public_url)["X-Page-Cache"] == "hit"
    client.force_login(member)
    assert "X-Page-Cache" not in client.get(public_url)


def test_withdrawing_the_standing_hides_internal_items_again(client, items, member, propaganda_user):
    url = reverse("exhibits:item_detail", args=[items["internal"].inventory_number])
    client.force_login(member)
    assert client.get(url).status_code == 200
    profile_confirm(profile=member.reader_profile, standing="", by=propaganda_user)
    assert client.get(url).status_code == 404


def test_staff_confirm_a_standing_in_the_admin(client, propaganda_user, newcomer):
    client.force_login(propaganda_user)
    profile = newcomer.reader_profile
    response = client.post(
        reverse("admin:reading_readerprofile_changelist"),
        {"action": "confirm_member", "_selected_action": [profile.pk]},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.standing == ReaderProfile.Standing.MEMBER
    assert profile.confirmed_by == propaganda_user and profile.confirmed_at is not None
    assert newcomer.has_perm("archive.view_internal_item")


# The public pages speak impersonally: "bạn" only as the noun of "bạn đọc" (reader), never as "you".
PRONOUN = re.compile(r"(?<!\w)(?:[Bb]ạn(?!\w)(?! đọc)|[Đđ]ồng chí(?!\w))")


def pronouns(text: str) -> list[str]:
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in PRONOUN.finditer(text)]


def test_the_pronoun_check_tells_you_from_the_reader():
    assert pronouns("Tài khoản bạn đọc. Bạn đọc mới.") == []
    assert pronouns("Yêu cầu của bạn") and pronouns("Bạn chưa gửi yêu cầu nào.") and pronouns("đồng chí")


@pytest.mark.instant("2026-12-03 10:00")
def test_the_readers_pages_and_emails_never_say_you(client, django_user_model, items, member, propaganda_user, commits):
    pages = {}
    for name in ("account_signup", "account_login", "account_reset_password", "account_email_verification_sent"):
        pages[name] = client.get(reverse(name))
    pages["invalid confirmation"] = client.get(reverse("account_confirm_email", args=["khong-hop-le"]))
    with commits(execute=True):
        signup(client)
    pages["confirmation"] = client.get(reverse("account_confirm_email", args=[confirmation_key()]))
    client.logout()
    make_reader(django_user_model, "Trần Văn Đăng", email="tran.dang@example.org")
    with commits(execute=True):
        signup(client, email="tran.dang@example.org")  # the address has an account: a warning goes to it
        client.post(reverse("account_reset_password"), {"email": "tran.dang@example.org"})
        client.post(reverse("account_reset_password"), {"email": "khong-co@example.org"})

    client.force_login(member)
    pages["empty profile"] = client.get(reverse("reading:profile"))
    pages["request form"] = client.get(reverse("reading:request_new"))
    client.post(
        reverse("reading:request_new"),
        {"inventory_number": items["restricted"].inventory_number, "kind": "read", "purpose": "Nghiên cứu"},
    )
    pages["duplicate request"] = client.post(
        reverse("reading:request_new"),
        {"inventory_number": items["restricted"].inventory_number, "kind": "read", "purpose": "Nghiên cứu"},
    )
    reading = member.reading_requests.get()
    with commits(execute=True):
        services.request_approve(request=reading, until=datetime.date(2026, 12, 10), by=propaganda_user)
    refused = services.request_submit(
        user=member, inventory_number=items["public"].inventory_number, kind="copy", purpose="Trích dẫn"
    )
    with commits(execute=True):
        services.request_refuse(request=refused, reason="Tư liệu đang được chỉnh lý.", by=propaganda_user)
    pages["profile"] = client.get(reverse("reading:profile"))
    pages["request detail"] = client.get(reverse("reading:request_detail", args=[reading.pk]))
    pages["password change"] = client.get(reverse("account_change_password"))
    pages["logout"] = client.get(reverse("account_logout"))

    for name, response in pages.items():
        assert response.status_code == 200, name
        text = response.content.decode()
        assert '<html lang="vi">' in text, name
        assert pronouns(text) == [], name
    assert "Mỗi trang được đóng dấu họ tên người xem và ngày xem" in pages["request detail"].content.decode()
    assert "Chưa có yêu cầu nào." in pages["empty profile"].content.decode()
    assert len(mail.outbox) == 6  # verification, account exists, two password resets, approval, refusal
    for message in mail.outbox:
        assert pronouns(message.subject) == [] and pronouns(message.body) == [], message.subject
