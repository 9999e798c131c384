"""The cataloguer's admin: the item form, list, search, actions, save as new, history, registers."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from archive.models import Body, Contribution, Item, Keyword, MediaFile, Period, Person, Position, Term

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:archive_item_add")
LIST_URL = reverse("admin:archive_item_changelist")


def form_data(**overrides) -> dict:
    data = {
        "kind": "document",
        "document_type": "",
        "title_vi": "Quyết định thành lập Đảng bộ Khối các cơ quan Trung ương",
        "summary_vi": "",
        "description_vi": "",
        "number_symbol": "",
        "place_of_issue": "Hà Nội",
        "date_text": "",
        "signing_authority": "",
        "signing_on_behalf_of": "",
        "signer_position": "",
        "recipients": "",
        "confidentiality": "",
        "urgency": "",
        "period": "",
        "language": "vi",
        "reliability": "original",
        "condition": "",
        "acquisition_method": "",
        "access_level": "public",
        "media-TOTAL_FORMS": "0",
        "media-INITIAL_FORMS": "0",
        "media-MIN_NUM_FORMS": "0",
        "media-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def cataloguer(client, propaganda_user):
    client.force_login(propaganda_user)
    return client


def make_items(count: int, **fields) -> list[Item]:
    period = Period.objects.get(code="TK4")
    items = []
    for index in range(count):
        item = Item(title=f"Tư liệu Đảng ủy Khối số {index}", period=period, **fields)
        item.set_partial_date(None)
        item.save()
        MediaFile.objects.create(item=item, kind="image", file=f"items/x{index}.jpg", is_primary=True, sha256="0")
        items.append(item)
    return items


class TestItemForm:
    def test_date_text_is_parsed_and_the_period_and_type_are_suggested(self, cataloguer, propaganda_user):
        response = cataloguer.post(ADD_URL, form_data(date_text="tháng 4/2007", number_symbol="05-qđ/tw"))
        assert response.status_code == 302, response.context["adminform"].form.errors
        item = Item.objects.get()
        assert item.date_display == "tháng 4/2007"
        assert (item.date_start, item.date_end) == (datetime.date(2007, 4, 1), datetime.date(2007, 4, 30))
        assert item.date_precision == "month" and not item.date_circa
        assert item.period.code == "TK3"  # both TK3 (…–2007) and TK4 (2007–) contain it: the first
        assert item.document_type == "decision"
        assert item.number_symbol == "05-QĐ/TW"
        assert item.created_by == propaganda_user
        assert item.inventory_number.startswith("TL-")
        assert item.history.count() >= 1

    def test_change_form_shows_the_stored_date_as_typed(self, cataloguer):
        item = Item(title="Ảnh", kind="photo")
        from archive.partial_dates import parse_partial_date

        item.set_partial_date(parse_partial_date("khoảng 1950"))
        item.save()
        response = cataloguer.get(reverse("admin:archive_item_change", args=[item.pk]))
        assert response.context["adminform"].form["date_text"].value() == "khoảng 1950"

    @pytest.mark.parametrize(
        ("overrides", "field", "fragment"),
        [
            ({"number_symbol": "36/HD"}, "number_symbol", "thiếu ký hiệu cơ quan ban hành"),
            ({"date_text": "32/13/2007"}, "date_text", "Ngày tháng"),
            ({"date_text": "2030"}, "date_text", "tương lai"),
            ({"confidentiality": "confidential", "access_level": "public"}, "access_level", "Mức độ tiếp cận"),
        ],
    )
    def test_bad_input_gets_a_vietnamese_message_on_its_field_and_nothing_is_saved(
        self, cataloguer, overrides, field, fragment
    ):
        response = cataloguer.post(ADD_URL, form_data(**overrides))
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert fragment in " ".join(errors[field])
        assert Item.objects.count() == 0

    def test_date_outside_every_period_saves_as_outside_the_periods_with_a_warning(self, cataloguer):
        response = cataloguer.post(ADD_URL, form_data(date_text="1970"), follow=True)
        item = Item.objects.get()
        assert item.period is None and item.date_display == "1970"
        assert item.period_label == "Ngoài các thời kỳ"
        texts = [str(m) for m in response.context["messages"]]
        assert any("nằm ngoài mọi thời kỳ" in t and "Ngoài các thời kỳ" in t for t in texts)

    def test_date_outside_the_chosen_period_saves_with_a_warning(self, cataloguer):
        tk1 = Period.objects.get(code="TK1")
        response = cataloguer.post(ADD_URL, form_data(date_text="12/04/2010", period=str(tk1.pk)), follow=True)
        assert Item.objects.get().period == tk1
        texts = [str(m) for m in get_messages(response.wsgi_request)] + [str(m) for m in response.context["messages"]]
        assert any("nằm ngoài thời kỳ" in t and "1948–1962" in t for t in texts)

    def test_save_as_new_copies_the_record_with_a_new_inventory_number_as_a_draft(self, cataloguer, propaganda_user):
        keyword = Keyword.objects.create(name="Đại hội")
        original = make_items(1, status=Item.Status.PUBLISHED)[0]
        original.keywords.add(keyword)
        data = form_data(
            title="Bản sao tương tự", date_text="2008", period=str(original.period_id), keywords=[str(keyword.pk)]
        )
        data["_saveasnew"] = "Lưu thành bản mới"
        response = cataloguer.post(reverse("admin:archive_item_change", args=[original.pk]), data)
        assert response.status_code == 302
        copy = Item.objects.exclude(pk=original.pk).get()
        assert copy.inventory_number != original.inventory_number
        assert copy.status == Item.Status.DRAFT
        assert list(copy.keywords.all()) == [keyword]
        assert copy.media.count() == 0 and original.media.count() == 1
        assert Item.objects.search("dai hoi").filter(pk=copy.pk).exists()


class TestItemList:
    def test_changelist_has_thumbnail_placeholder_columns_and_a_bounded_query_count(
        self, cataloguer, django_assert_max_num_queries
    ):
        make_items(3)
        Item.objects.create(title="Chưa có ảnh")
        cataloguer.get("/admin/")  # the session's first admin page settles the two-factor check
        with django_assert_max_num_queries(11):
            response = cataloguer.get(LIST_URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert "archive-thumb--empty" in html
        assert "Số đăng ký" in html
        make_items(20)
        with django_assert_max_num_queries(11):
            assert cataloguer.get(LIST_URL).status_code == 200

    def test_change_form_query_count_is_bounded(self, cataloguer, django_assert_max_num_queries):
        item = make_items(1)[0]
        item.bodies.add(*Body.objects.all()[:3])
        with django_assert_max_num_queries(40):
            response = cataloguer.get(reverse("admin:archive_item_change", args=[item.pk]))
        assert response.status_code == 200

    def test_search_ignores_diacritics(self, cataloguer):
        wanted = Item.objects.create(title="Nghị quyết của Đảng ủy Khối")
        Item.objects.create(title="Ảnh Nhà Truyền thống")
        response = cataloguer.get(LIST_URL, {"q": "dang uy khoi"})
        assert list(response.context["cl"].result_list) == [wanted]
        response = cataloguer.get(LIST_URL, {"q": "ĐẢNG ỦY"})
        assert list(response.context["cl"].result_list) == [wanted]

    def test_filters_by_media_files_and_status(self, cataloguer):
        with_media = make_items(1)[0]
        without = Item.objects.create(title="Không ảnh", status=Item.Status.IN_REVIEW)
        assert list(cataloguer.get(LIST_URL, {"co_tep": "1"}).context["cl"].result_list) == [with_media]
        assert list(cataloguer.get(LIST_URL, {"co_tep": "0"}).context["cl"].result_list) == [without]
        assert list(cataloguer.get(LIST_URL, {"status__exact": "in_review"}).context["cl"].result_list) == [without]

    def test_no_delete_for_cataloguers(self, cataloguer):
        item = make_items(1)[0]
        response = cataloguer.get(LIST_URL)
        assert "delete_selected" not in response.context["action_form"].fields["action"].choices.__repr__()
        assert cataloguer.get(reverse("admin:archive_item_delete", args=[item.pk])).status_code == 403


class TestActions:
    def test_send_to_review_publish_and_withdraw(self, cataloguer, propaganda_user):
        items = make_items(2)
        pks = [str(i.pk) for i in items]
        cataloguer.post(LIST_URL, {"action": "send_to_review", "_selected_action": pks})
        assert set(Item.objects.values_list("status", flat=True)) == {"in_review"}
        cataloguer.post(LIST_URL, {"action": "publish", "_selected_action": pks})
        item = Item.objects.get(pk=items[0].pk)
        assert item.status == "published" and item.status_changed_by == propaganda_user and item.published_at
        assert Item.objects.public().count() == 2
        cataloguer.post(LIST_URL, {"action": "withdraw", "_selected_action": pks[:1]})
        assert Item.objects.get(pk=items[0].pk).status == "withdrawn"
        assert Item.objects.public().count() == 1
        assert Item.objects.count() == 2  # withdrawn, not deleted

    def test_publishing_a_restricted_item_warns_that_it_stays_hidden(self, cataloguer):
        item = make_items(1, access_level="restricted")[0]
        response = cataloguer.post(LIST_URL, {"action": "publish", "_selected_action": [item.pk]}, follow=True)
        assert Item.objects.get().status == "published"
        assert not Item.objects.public().exists()
        assert any("không hiển thị công khai" in str(m) for m in response.context["messages"])

    def test_set_period_through_an_intermediate_page(self, cataloguer):
        items = make_items(2)
        pks = [str(i.pk) for i in items]
        page = cataloguer.post(LIST_URL, {"action": "set_period", "_selected_action": pks})
        assert page.status_code == 200
        assert "Gán thời kỳ" in page.content.decode()
        tk3 = Period.objects.get(code="TK3")
        cataloguer.post(LIST_URL, {"action": "set_period", "_selected_action": pks, "apply": "1", "period": tk3.pk})
        assert set(Item.objects.values_list("period__code", flat=True)) == {"TK3"}

    def test_office_user_sees_but_cannot_publish(self, client, office_user):
        item = make_items(1)[0]
        client.force_login(office_user)
        assert client.get(LIST_URL).status_code == 200
        client.post(LIST_URL, {"action": "publish", "_selected_action": [item.pk]})
        assert Item.objects.get().status == "draft"


class TestHistory:
    def test_history_lists_changes_and_revert_page_opens(self, cataloguer):
        item = Item.objects.create(title="Tên cũ")
        item.title = "Tên mới"
        item.save()
        response = cataloguer.get(reverse("admin:archive_item_history", args=[item.pk]))
        assert response.status_code == 200
        assert "Tên cũ" in response.content.decode()
        oldest = item.history.earliest()
        revert = cataloguer.get(reverse("admin:archive_item_simple_history", args=[item.pk, oldest.history_id]))
        assert revert.status_code == 200
        assert revert.context["adminform"].form["title_vi"].value() == "Tên cũ"


class TestRegisters:
    @pytest.mark.parametrize(
        "model", ["period", "venue", "body", "congress", "term", "person", "position", "keyword", "dossier"]
    )
    def test_register_changelists_and_add_forms_open(self, cataloguer, model, django_assert_max_num_queries):
        with django_assert_max_num_queries(20):
            assert cataloguer.get(reverse(f"admin:archive_{model}_changelist")).status_code == 200
        assert cataloguer.get(reverse(f"admin:archive_{model}_add")).status_code == 200

    def test_person_admin_has_positions_inline_and_diacritic_free_search(self, cataloguer):
        person = Person.objects.create(full_name="Nguyễn Văn Ví Dụ")
        body = Body.objects.get(name="Đảng bộ Khối các cơ quan Trung ương")
        term = Term.objects.create(body=body, start_year=2010, end_year=2015)
        Position.objects.create(person=person, body=body, term=term, role="secretary")
        response = cataloguer.get(reverse("admin:archive_person_change", args=[person.pk]))
        assert "positions-TOTAL_FORMS" in response.content.decode()
        found = cataloguer.get(reverse("admin:archive_person_changelist"), {"q": "nguyen van vi du"})
        assert list(found.context["cl"].result_list) == [person]

    def test_autocomplete_for_bodies_people_keywords(self, cataloguer):
        Keyword.objects.create(name="Truyền thống")
        url = reverse("admin:autocomplete")
        response = cataloguer.get(
            url, {"app_label": "archive", "model_name": "item", "field_name": "keywords", "term": "Truyền"}
        )
        assert response.status_code == 200
        assert response.json()["results"][0]["text"] == "Truyền thống"


class TestContributionAdmin:
    def test_accept_and_decline_actions(self, cataloguer):
        url = reverse("admin:archive_contribution_changelist")
        first = Contribution.objects.create(
            contributor_name="Trần Thị B",
            description="Ảnh Đại hội 1985",
            consent=True,
            phone="0912345678",
            organisation="C",
        )
        second = Contribution.objects.create(
            contributor_name="Lê Văn C", description="Bản sao", consent=True, phone="0912345679", organisation="D"
        )
        cataloguer.post(url, {"action": "accept", "_selected_action": [first.pk]})
        first.refresh_from_db()
        assert first.status == "accepted"
        assert first.items.get().status == "draft"
        page = cataloguer.post(url, {"action": "decline", "_selected_action": [second.pk]})
        assert page.status_code == 200 and "Lý do" in page.content.decode()
        cataloguer.post(
            url, {"action": "decline", "_selected_action": [second.pk], "apply": "1", "decision_note": "Trùng tư liệu"}
        )
        second.refresh_from_db()
        assert second.status == "declined" and second.decision_note == "Trùng tư liệu"
        change = cataloguer.get(reverse("admin:archive_contribution_change", args=[first.pk]))
        assert change.status_code == 200
        assert first.items.get().inventory_number in change.content.decode()


def test_the_empty_thumbnail_is_labelled_in_the_language_in_use():
    from django.utils import translation

    from archive.admin import no_thumbnail

    assert 'aria-label="Chưa có ảnh"' in no_thumbnail()
    with translation.override("en"):
        assert 'aria-label="No image yet"' in no_thumbnail()
