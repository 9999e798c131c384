"""The registers' admin lists find Vietnamese names typed without diacritics."""

import pytest
from django.urls import reverse

from archive.models import Body

pytestmark = pytest.mark.django_db


def test_bodies_are_found_without_diacritics(client, superuser):
    Body.objects.create(name="Liên chi ủy Cơ quan Ủy ban Kiểm tra", short_name="LCU-KT")
    Body.objects.create(name="Đảng ủy Bộ Ngoại giao", short_name="ĐU-BNG")
    client.force_login(superuser)
    url = reverse("admin:archive_body_changelist")
    for query, expected in [
        ("lien chi uy co quan uy ban", ["Liên chi ủy Cơ quan Ủy ban Kiểm tra"]),
        ("dang uy bo ngoai", ["Đảng ủy Bộ Ngoại giao"]),
        ("Đảng ủy Bộ Ngoại giao", ["Đảng ủy Bộ Ngoại giao"]),
        ("du-bng", ["Đảng ủy Bộ Ngoại giao"]),
    ]:
        names = [body.name for body in client.get(url, {"q": query}).context["cl"].result_list]
        assert names == expected, query
