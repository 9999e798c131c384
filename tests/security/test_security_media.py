"""Protected media on local disk: one checked view for originals and derivatives, proxy hand-over,
no MEDIA_URL serving, unguessable names, and the admin linking only through the checked views."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from PIL import Image

from archive.media import media_file_store
from archive.models import Body, Contribution, ContributionFile, Item, MediaFile, Person, Position
from exhibits.models import Exhibit
from traditions.roles import PROPAGANDA_BOARD

VARIANTS = ("original", "thumbnail", "medium", "large")
STORED_NAME = re.compile(r"^(items|derivatives)/[0-9a-f]{2}/[0-9a-f]{32}\.(jpg|png)$")


def jpeg_upload(name: str = "Ảnh Đại hội lần thứ nhất.jpg", size=(1400, 1000)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (150, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_item(title: str, *, public: bool) -> Item:
    item = Item(title=title, status=Item.Status.PUBLISHED if public else Item.Status.DRAFT)
    item.save()
    return item


@pytest.fixture
def public_media(db) -> MediaFile:
    return media_file_store(item=make_item("Ảnh công khai", public=True), uploaded=jpeg_upload())


@pytest.fixture
def draft_media(db) -> MediaFile:
    return media_file_store(item=make_item("Bản thảo nội bộ", public=False), uploaded=jpeg_upload("Bản thảo.jpg"))


@pytest.fixture
def bare_staff(db, django_user_model):
    """A staff account in no group: it may log in to the admin but holds no permission."""
    return django_user_model.objects.create_user(username="khong-quyen", password="x-y-z-12345-q", is_staff=True)


def media_url(media: MediaFile, variant: str = "original") -> str:
    return reverse("archive:media", args=[media.pk, variant])


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_stored_names_are_random_and_every_variant_is_served_by_the_checked_view(client, public_media):
    for variant, field in zip(VARIANTS, ("file", "thumbnail", "medium", "large"), strict=True):
        name = getattr(public_media, field).name
        assert STORED_NAME.match(name), name
        response = client.get(media_url(public_media, variant))
        assert response.status_code == 200
        assert body_of(response) == getattr(public_media, field).open("rb").read()
        assert response["Cache-Control"] == "private, max-age=300"
    assert "Đại hội" not in public_media.file.name  # the original name is kept for display only


@pytest.mark.django_db
def test_non_public_media_go_to_staff_who_may_view_items_and_to_nobody_else(
    client, draft_media, propaganda_user, office_user, leadership_user, superuser, bare_staff
):
    for variant in VARIANTS:
        assert client.get(media_url(draft_media, variant)).status_code == 404
    for user in (propaganda_user, office_user, leadership_user, superuser):
        client.force_login(user)
        for variant in VARIANTS:
            response = client.get(media_url(draft_media, variant))
            assert response.status_code == 200, (user, variant)
            assert response["Cache-Control"] == "private, no-store"
            assert "Cookie" in response["Vary"]
    client.force_login(bare_staff)
    assert client.get(media_url(draft_media)).status_code == 404
    bare_staff.is_active = False
    bare_staff.groups.add(Group.objects.get(name=PROPAGANDA_BOARD))
    bare_staff.save()
    assert client.get(media_url(draft_media)).status_code == 404  # an inactive user's session is anonymous


@pytest.mark.django_db
def test_guessing_ids_and_variants_gets_404s(client, public_media, draft_media):
    assert client.get(reverse("archive:media", args=[draft_media.pk + 1000, "original"])).status_code == 404
    assert client.get(f"/tep/{public_media.pk}/file/").status_code == 404
    assert client.get(f"/tep/{public_media.pk}/../{draft_media.pk}/original/").status_code == 404
    assert client.post(media_url(public_media)).status_code == 405


@pytest.mark.django_db
def test_download_uses_the_vietnamese_original_name_as_an_attachment(client, public_media):
    response = client.get(media_url(public_media) + "?tai-ve=1")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=utf-8''")[1]) == "Ảnh Đại hội lần thứ nhất.jpg"
    inline = client.get(media_url(public_media))
    assert inline["Content-Disposition"].startswith("inline;")
    assert inline["Content-Type"] == "image/jpeg"
    assert inline["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_nothing_is_served_from_media_url_even_in_debug(client, public_media, draft_media, settings):
    settings.DEBUG = True
    for media in (public_media, draft_media):
        path = f"/media/{media.file.name}"
        with pytest.raises(Resolver404):
            resolve(path)
        assert client.get(path).status_code == 404
        assert Path(media.file.path).exists()


@pytest.mark.django_db
def test_x_accel_redirect_hands_the_file_to_nginx_after_the_check(client, settings, public_media, draft_media):
    settings.MEDIA_ACCEL = "x-accel-redirect"
    settings.MEDIA_ACCEL_PREFIX = "/protected-media/"
    response = client.get(media_url(public_media, "large"))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{public_media.large.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"
    refused = client.get(media_url(draft_media))
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


@pytest.mark.django_db
def test_x_sendfile_hands_the_absolute_path_to_apache(client, settings, public_media, propaganda_user, draft_media):
    settings.MEDIA_ACCEL = "x-sendfile"
    response = client.get(media_url(public_media) + "?tai-ve=1")
    assert response["X-Sendfile"] == public_media.file.path
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == b""
    assert "X-Sendfile" not in client.get(media_url(draft_media))
    client.force_login(propaganda_user)
    assert client.get(media_url(draft_media))["X-Sendfile"] == draft_media.file.path


def test_an_unknown_accel_mode_is_refused_at_startup():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_DEBUG": "1", "DJANGO_MEDIA_ACCEL": "x-magic"})
    result = subprocess.run(
        [sys.executable, "-c", "import traditions.settings"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "DJANGO_MEDIA_ACCEL" in result.stderr


# Other stored files ---------------------------------------------------------------------------


@pytest.fixture
def contribution_file(db) -> ContributionFile:
    contribution = Contribution.objects.create(
        contributor_name="Phạm Thị Góp", email="gop@example.org", phone="0912000111", description="Ảnh", consent=True
    )
    file = ContributionFile(
        contribution=contribution, original_name="Ảnh gia đình.jpg", mime_type="image/jpeg", size=4, sha256="3" * 64
    )
    file.file.save("x.jpg", ContentFile(b"\xff\xd8\xff\xe0"), save=False)
    file.save()
    return file


@pytest.mark.django_db
def test_contribution_files_are_personal_and_go_only_to_staff_who_may_view_contributions(
    client, contribution_file, leadership_user, bare_staff
):
    url = reverse("archive:contribution_file", args=[contribution_file.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(bare_staff)
    assert client.get(url).status_code == 403
    client.force_login(leadership_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")  # never shown inline
    assert response["Cache-Control"] == "private, no-store, max-age=0, no-cache, must-revalidate"


@pytest.mark.django_db
def test_portraits_are_public_for_leaders_only(client, propaganda_user):
    body = Body.objects.order_by("pk").first()
    leader = Person.objects.create(full_name="Lê Văn Lãnh Đạo")
    leader.portrait.save("l.jpg", ContentFile(jpeg_upload().read()))
    Position.objects.create(person=leader, body=body, role=Position._meta.get_field("role").choices[0][0])
    donor = Person.objects.create(full_name="Ngô Thị Hiến Tặng")
    donor.portrait.save("d.jpg", ContentFile(jpeg_upload().read()))
    assert client.get(reverse("archive:portrait", args=[leader.pk])).status_code == 200
    assert client.get(reverse("archive:portrait", args=[donor.pk])).status_code == 404
    client.force_login(propaganda_user)
    assert client.get(reverse("archive:portrait", args=[donor.pk])).status_code == 200


@pytest.mark.django_db
def test_exhibit_covers_follow_the_exhibit(client, propaganda_user):
    published = Exhibit.objects.create(title="Công bố", slug="cong-bo", status=Exhibit.Status.PUBLISHED)
    draft = Exhibit.objects.create(title="Nháp", slug="nhap", status=Exhibit.Status.DRAFT)
    for exhibit in (published, draft):
        exhibit.cover_image.save("c.jpg", ContentFile(jpeg_upload().read()))
    html = client.get(reverse("exhibits:exhibit_list")).content.decode()
    assert reverse("exhibits:exhibit_cover", args=["cong-bo"]) in html and "/media/" not in html
    assert client.get(reverse("exhibits:exhibit_cover", args=["cong-bo"])).status_code == 200
    assert client.get(reverse("exhibits:exhibit_cover", args=["nhap"])).status_code == 404
    client.force_login(propaganda_user)
    assert client.get(reverse("exhibits:exhibit_cover", args=["nhap"])).status_code == 200


# The admin ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_links_media_only_through_the_checked_views(client, propaganda_user, draft_media, contribution_file):
    client.force_login(propaganda_user)
    item = draft_media.item
    pages = {
        reverse("admin:archive_item_change", args=[item.pk]): [
            media_url(draft_media, "thumbnail"),
            media_url(draft_media, "original"),
        ],
        reverse("admin:archive_item_changelist"): [media_url(draft_media, "thumbnail")],
        reverse("admin:archive_contribution_change", args=[contribution_file.contribution.pk]): [
            reverse("archive:contribution_file", args=[contribution_file.pk])
        ],
    }
    for url, links in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for link in links:
            assert f'"{link}"' in html, (url, link)
        assert "/media/" not in html, url
    # The thumbnails the admin shows really load for the cataloguer.
    assert client.get(media_url(draft_media, "thumbnail")).status_code == 200


@pytest.mark.django_db
def test_admin_file_inputs_of_portraits_and_covers_link_through_the_checked_views(client, superuser):
    client.force_login(superuser)
    person = Person.objects.create(full_name="Hoàng Văn Chân Dung")
    person.portrait.save("p.jpg", ContentFile(jpeg_upload().read()))
    exhibit = Exhibit.objects.create(title="Nháp", slug="nhap-2", status=Exhibit.Status.DRAFT)
    exhibit.cover_image.save("c.jpg", ContentFile(jpeg_upload().read()))
    for url, link in (
        (reverse("admin:archive_person_change", args=[person.pk]), reverse("archive:portrait", args=[person.pk])),
        (
            reverse("admin:exhibits_exhibit_change", args=[exhibit.pk]),
            reverse("exhibits:exhibit_cover", args=["nhap-2"]),
        ),
    ):
        html = client.get(url).content.decode()
        assert f'href="{link}"' in html
        assert "/media/" not in html


@pytest.mark.django_db
def test_a_player_gets_the_byte_range_it_asks_for(client, public_media):
    """Seeking in a film or a recording: one range of bytes, 206 with Content-Range."""
    whole = public_media.file.open("rb").read()
    size = len(whole)
    url = media_url(public_media)
    full = client.get(url)
    assert full.status_code == 200 and full["Accept-Ranges"] == "bytes" and body_of(full) == whole
    for header, (start, end) in {
        "bytes=0-9": (0, 9),
        "bytes=100-": (100, size - 1),
        "bytes=-50": (size - 50, size - 1),
        f"bytes=10-{size * 2}": (10, size - 1),
    }.items():
        response = client.get(url, headers={"Range": header})
        assert response.status_code == 206, header
        assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
        assert int(response["Content-Length"]) == end - start + 1
        assert body_of(response) == whole[start : end + 1]
        assert response["Cache-Control"] == "private, max-age=300"


@pytest.mark.django_db
def test_ranges_it_cannot_serve_get_the_whole_file_or_416(client, public_media):
    whole = public_media.file.open("rb").read()
    url = media_url(public_media)
    for header in ("bytes=0-9,20-29", "bytes=abc", "items=0-9", "bytes=9-0", "bytes=-"):
        response = client.get(url, headers={"Range": header})
        assert response.status_code == 200 and body_of(response) == whole, header
    response = client.get(url, headers={"Range": "bytes=0-9", "If-Range": '"an-old-version"'})
    assert response.status_code == 200 and body_of(response) == whole
    response = client.get(url, headers={"Range": f"bytes={len(whole)}-"})
    assert response.status_code == 416 and response["Content-Range"] == f"bytes */{len(whole)}"


@pytest.mark.django_db
def test_a_range_of_a_file_nobody_may_see_is_still_a_404(client, draft_media):
    assert client.get(media_url(draft_media), headers={"Range": "bytes=0-9"}).status_code == 404
