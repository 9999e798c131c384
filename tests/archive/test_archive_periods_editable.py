"""Periods and bodies are data the next person running the system changes in the admin: a period
is closed, a new open-ended one opened, a successor body added; items keep their places."""

import pytest
from django.urls import reverse

from archive.models import Body, Period

pytestmark = pytest.mark.django_db


def test_close_period_four_open_a_new_period_and_add_a_successor_body(client, propaganda_user):
    client.force_login(propaganda_user)
    tk4 = Period.objects.get(code="TK4")
    span = tk4.spans.get()
    assert span.end_year is None  # "2007–nay"
    response = client.post(
        reverse("admin:archive_period_change", args=[tk4.pk]),
        {
            "code": tk4.code,
            "number": tk4.number,
            "name": tk4.name,
            "slug": tk4.slug,
            "spans-TOTAL_FORMS": "1",
            "spans-INITIAL_FORMS": "1",
            "spans-MIN_NUM_FORMS": "1",
            "spans-MAX_NUM_FORMS": "1000",
            "spans-0-id": span.pk,
            "spans-0-period": tk4.pk,
            "spans-0-start_year": "2007",
            "spans-0-end_year": "2025",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    response = client.post(
        reverse("admin:archive_period_add"),
        {
            "code": "TK5",
            "number": "5",
            "name": "Đảng bộ các cơ quan Đảng Trung ương",
            "slug": "tk5",
            "spans-TOTAL_FORMS": "1",
            "spans-INITIAL_FORMS": "0",
            "spans-MIN_NUM_FORMS": "1",
            "spans-MAX_NUM_FORMS": "1000",
            "spans-0-start_year": "2025",
            "spans-0-end_year": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Period.objects.get(code="TK4").span_label() == "2007–2025"
    assert Period.objects.get(code="TK5").span_label() == "2025–nay"

    bloc = Body.objects.filter(kind=Body.Kind.BLOC).first()
    response = client.post(
        reverse("admin:archive_body_add"),
        {
            "name": "Đảng bộ các cơ quan Đảng Trung ương",
            "kind": Body.Kind.BLOC,
            "period": Period.objects.get(code="TK5").pk,
            "predecessors": [bloc.pk],
            "founded_precision": "day",
            "dissolved_precision": "day",
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
            "positions-MIN_NUM_FORMS": "0",
            "positions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    successor = Body.objects.get(name="Đảng bộ các cơ quan Đảng Trung ương")
    assert list(bloc.successors.all()) == [successor]
