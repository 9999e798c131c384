"""The item's own page publishes: "Lưu và công bố", "Lưu và gửi duyệt", "Lưu và thu hồi" save the form and
take the item one step through archive.services' rules; a new item's reliability starts blank."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from archive.models import Item, Period
from tests.archive.test_archive_admin_items import ADD_URL, form_data

pytestmark = pytest.mark.django_db


def make_item(**fields) -> Item:
    item = Item(title="Nghị quyết Đại hội Đảng bộ Khối lần thứ nhất", period=Period.objects.get(code="TK4"), **fields)
    item.set_partial_date(None)
    item.save()
    return item


def change_url(item: Item) -> str:
    return reverse("admin:archive_item_change", args=[item.pk])


def posted(item: Item, **overrides) -> dict:
    return form_data(title_vi=item.title, period=str(item.period_id), **overrides)


def buttons(page: str) -> list[str]:
    return [name for name in ("_send_to_review", "_publish", "_withdraw") if f'name="{name}"' in page]


def test_the_buttons_follow_the_status_and_the_permission(client, propaganda_user, office_user):
    item = make_item()
    client.force_login(propaganda_user)
    assert buttons(client.get(change_url(item)).content.decode()) == ["_send_to_review", "_publish", "_withdraw"]
    item.status = Item.Status.IN_REVIEW
    item.save()
    assert buttons(client.get(change_url(item)).content.decode()) == ["_publish", "_withdraw"]
    item.status = Item.Status.PUBLISHED
    item.save()
    assert buttons(client.get(change_url(item)).content.decode()) == ["_withdraw"]
    client.force_login(office_user)  # only looks at the archive
    assert buttons(client.get(change_url(item)).content.decode()) == []


def test_publish_saves_the_form_then_publishes_with_a_message(client, propaganda_user):
    item = make_item(status=Item.Status.IN_REVIEW)
    client.force_login(propaganda_user)
    response = client.post(change_url(item), posted(item, summary_vi="Trích yếu mới", _publish="Lưu và công bố"))
    assert response.status_code == 302 and response.url == change_url(item)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED and item.summary == "Trích yếu mới"
    assert item.status_changed_by == propaganda_user and item.published_at is not None
    assert f"Đã công bố tư liệu {item.inventory_number}." in [str(m) for m in get_messages(response.wsgi_request)]


def test_send_to_review_and_withdraw_from_the_form(client, propaganda_user):
    item = make_item()
    client.force_login(propaganda_user)
    client.post(change_url(item), posted(item, _send_to_review="1"))
    item.refresh_from_db()
    assert item.status == Item.Status.IN_REVIEW
    client.post(change_url(item), posted(item, _withdraw="1"))
    item.refresh_from_db()
    assert item.status == Item.Status.WITHDRAWN


def test_a_refused_step_saves_nothing_and_says_why(client, propaganda_user):
    item = make_item(status=Item.Status.PUBLISHED)
    client.force_login(propaganda_user)
    response = client.post(change_url(item), posted(item, summary_vi="Không được lưu", _publish="1"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.summary == "" and item.status == Item.Status.PUBLISHED
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Không thể công bố tư liệu này" in message and "Đã công bố" in message


def test_publishing_without_the_permission_is_refused(client, propaganda_user, django_user_model):
    from django.contrib.auth.models import Permission

    item = make_item()
    propaganda_user.groups.clear()
    propaganda_user.user_permissions.add(*Permission.objects.filter(codename__in=["view_item", "change_item"]))
    client.force_login(propaganda_user)
    assert buttons(client.get(change_url(item)).content.decode()) == ["_send_to_review"]
    client.post(change_url(item), posted(item, _publish="1"))
    item.refresh_from_db()
    assert item.status == Item.Status.DRAFT


def test_a_new_item_can_be_published_from_the_add_form(client, propaganda_user):
    client.force_login(propaganda_user)
    response = client.post(ADD_URL, form_data(_publish="1"))
    item = Item.objects.get()
    assert response.url == change_url(item)
    assert item.status == Item.Status.PUBLISHED


def test_a_new_item_has_no_reliability_chosen_and_must_get_one(client, propaganda_user):
    client.force_login(propaganda_user)
    page = client.get(ADD_URL).content.decode()
    select = page[page.index('name="reliability"') : page.index("</select>", page.index('name="reliability"'))]
    assert '<option value="" selected>---------</option>' in select
    assert 'value="original" selected' not in select
    response = client.post(ADD_URL, form_data(reliability=""))
    assert response.status_code == 200 and "reliability" in response.context["adminform"].form.errors
    assert not Item.objects.exists()
    # An existing item keeps its own.
    item = make_item(reliability=Item.Reliability.COPY)
    page = client.get(change_url(item)).content.decode()
    assert '<option value="copy" selected>' in page
