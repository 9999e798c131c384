"""The admin's home per role (traditions/admin_home.py): each staff group finds its work first."""

import datetime
import io

import pytest
from django.core.management import call_command

from archive.models import Contribution, Item
from bookings.models import Booking
from upgrades.models import WorkItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def home(client, user):
    client.force_login(user)
    client.get("/admin/")  # the two-factor check settles once per session
    return client.get("/admin/")


@pytest.mark.instant("2026-12-04T10:00")
def test_the_board_sees_its_waiting_work_with_links_to_the_lists(client, demo, propaganda_user):
    page = home(client, propaganda_user).content.decode()
    in_review = Item.objects.filter(status=Item.Status.IN_REVIEW).count()
    received = Contribution.objects.filter(status=Contribution.Status.RECEIVED).count()
    pending = Booking.objects.filter(status=Booking.Status.PENDING).count()
    assert 'id="home-board"' in page
    assert 'href="/admin/archive/item/?status__exact=in_review"' in page
    assert f'<span class="role-figure__count">{in_review}</span>' in page
    assert f'<span class="role-figure__count">{received}</span>' in page
    assert f'<span class="role-figure__count">{pending}</span>' in page
    assert "/admin/bookings/booking/?when=today" in page
    assert "Ngày 04/12/2026." in page
    assert 'id="home-office"' not in page and 'id="home-leadership"' not in page


@pytest.mark.instant("2026-12-04T10:00")
def test_every_link_of_the_board_home_opens_a_list_counting_the_same(client, demo, propaganda_user):
    client.force_login(propaganda_user)
    client.get("/admin/")
    in_review = Item.objects.filter(status=Item.Status.IN_REVIEW).count()
    listed = client.get("/admin/archive/item/?status__exact=in_review")
    assert listed.status_code == 200
    assert len(listed.context["cl"].result_list) == min(in_review, 50)
    today = Booking.objects.filter(date=datetime.date(2026, 12, 4), status__in=Booking.HOLDING_STATUSES).count()
    assert client.get("/admin/bookings/booking/?when=today").context["cl"].result_count >= today


@pytest.mark.instant("2026-12-04T10:00")
def test_the_office_sees_the_overdue_work_as_the_dashboard_counts_it(client, demo, office_user):
    page = home(client, office_user).content.decode()
    overdue = WorkItem.objects.leaves().overdue(datetime.date(2026, 12, 4))
    assert 'id="home-office"' in page and 'id="home-board"' not in page
    assert f'<span class="role-figure__count">{overdue.count()}</span>' in page
    for item in overdue.order_by("deadline", "code")[:5]:
        assert f"/admin/upgrades/workitem/{item.pk}/change/" in page
    assert 'href="/nang-cap/"' in page
    assert "/admin/upgrades/workitem/?han=qua-han" in page


def test_leadership_meet_the_dashboards_and_the_lists_folded(client, demo, leadership_user):
    response = home(client, leadership_user)
    page = response.content.decode()
    assert 'id="home-leadership"' in page
    for url in ("/khai-thac/", "/nang-cap/", "/admin/bookings/booking/thong-ke/"):
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200
    # The list of apps (every link a "Xem") is there, folded under the dashboards.
    assert page.index('id="home-leadership"') < page.index('<details class="role-all-lists">')


def test_a_superuser_sees_every_panel(client, demo, superuser):
    page = home(client, superuser).content.decode()
    assert all(f'id="home-{key}"' in page for key in ("board", "office", "leadership"))
    assert '<details class="role-all-lists">' not in page


# Every home: session, user, the admin log (recent actions); a staff member's groups and permissions
# (3); then the panels: the Board's three counts, the Office's overdue list (its count when more
# than five), nothing for the leadership. A superuser has no groups to read and all four panels.
@pytest.mark.parametrize(
    ("fixture", "queries"),
    [("propaganda_user", 9), ("office_user", 7), ("leadership_user", 6), ("superuser", 7)],
)
def test_the_home_query_count_is_pinned(client, demo, request, fixture, queries, django_assert_num_queries):
    user = request.getfixturevalue(fixture)
    home(client, user)
    with django_assert_num_queries(queries):
        assert client.get("/admin/").status_code == 200
