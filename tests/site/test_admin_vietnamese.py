"""Every admin page of the demo reads in Vietnamese for each role: no English left from Django or a library.

The walk starts at the admin's home and follows what each role is offered there: every app's
index, every model's list, its add form, one change form and its history where an object
exists, and the admin's own pages that take no argument. Each page's text (and the text of its
buttons, titles and labels) is searched for the English of Django's admin; what staff typed (form
values, list rows, read-only values) is left out.
"""

import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.admin.views.main import ChangeList
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Django admin's and the libraries' English, each matched as whole words.
ENGLISH = [
    "Choose all",
    "Remove all",
    "Add another",
    "Save and continue",
    "Save and add another",
    "Save as new",
    "History",
    "Enter a valid",
    "Filter",
    "Select all",
    "Delete selected",
    "Recent actions",
    "Change",
    "View site",
    "Log out",
    "Show all",
    "Clear all filters",
    "Search",
    "Go",
    "Date/time",
    "User",
    "Action",
    "This field is required",
    "Today",
    "Now",
    "Chosen",
    "Available",
    "Save",
    "Delete",
    "Add",
    "Home",
    "Welcome",
    "Documentation",
    "Close",
    "Yes",
    "No",
    "Unknown",
    "Any date",
    "Past 7 days",
    "This month",
    "This year",
    "Currently",
    "Clear",
    "Export",
    "Import",
    "Revert",
    "Comment",
    "Changed by",
    "Object",
    "None",
    "Submit",
    "Preview",
    "Resource",
    "Format",
    "Page",
    "results",
    "selected",
    "Toggle",
    "Skip to main content",
    "Breadcrumbs",
    "Start typing to filter",
]
PATTERN = re.compile(r"\b(?:" + "|".join(re.escape(phrase) for phrase in ENGLISH) + r")\b")
# Elements whose text is what staff typed or chose, not the interface.
USER_DATA = {"script", "style", "textarea", "select", "pre", "code"}
USER_DATA_CLASSES = {"readonly", "result-list-row", "field-__str__"}
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
# Written into Django's own template, not offered for translation: the search box's icon
# (admin/search_form.html), whose box is labelled in Vietnamese by the button beside it.
UNTRANSLATABLE = {'alt="Search"'}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class InterfaceText(HTMLParser):
    """The words a page shows of its own: text outside user data, button labels and titles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: inside user data?

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        in_table_body = tag in ("td", "th") and "results" in (attributes.get("data-area") or "")
        hidden = self.hidden or tag in USER_DATA or bool(classes & USER_DATA_CLASSES) or in_table_body
        if not hidden:
            self.parts += [attributes[name] for name in SHOWN_ATTRIBUTES if attributes.get(name)]
            if tag == "input" and attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
                self.parts.append(attributes["value"])
        if tag not in VOID:
            self.stack.append(hidden)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def english_on(html: str) -> list[str]:
    for fixed in UNTRANSLATABLE:
        html = html.replace(fixed, "")
    # The list's rows are the records themselves: drop them before reading.
    html = re.sub(r"<tbody>.*?</tbody>", "", html, flags=re.S) if 'id="result_list"' in html else html
    parser = InterfaceText()
    parser.feed(html)
    found = []
    for part in parser.parts:
        found += [f"{match.group(0)!r} in {part[:90]!r}" for match in PATTERN.finditer(part)]
    return found


def argument_free_admin_urls() -> list[str]:
    """The admin's own pages that take no argument (its home and the apps' get_urls views)."""
    urls = []

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, entry.namespace or namespace)
            elif (
                isinstance(entry, URLPattern) and namespace == "admin" and entry.name and not entry.pattern.regex.groups
            ):
                yield entry.name

    skipped = {"logout", "login", "jsi18n", "autocomplete", "password_change_done"}
    for name in walk(get_resolver().url_patterns):
        if name not in skipped and not name.endswith(("_changelist", "_add")):
            urls.append(reverse(f"admin:{name}"))
    return sorted(set(urls))


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


# django-otp marks none of its admin's words for translation (the device's fields, their help,
# the fieldsets, the model's name): its pages, a superuser's only, are left out of the walk.
NOT_WALKED = ("/admin/otp_totp/",)


def pages_of(client) -> list[str]:
    """What the role is offered: home, app indexes, lists, add forms, a change form and its history."""
    home = client.get("/admin/")
    urls = ["/admin/"]
    for app in home.context["app_list"]:
        urls.append(app["app_url"])
        for model in app["models"]:
            if model.get("admin_url"):
                urls.append(model["admin_url"])
                listing = client.get(model["admin_url"])
                changelist = listing.context and listing.context.get("cl")
                if isinstance(changelist, ChangeList) and changelist.result_list:
                    change = changelist.url_for_result(changelist.result_list[0])
                    urls += [change, change.rstrip("/").rsplit("/", 1)[0] + "/history/"]
            if model.get("add_url"):
                urls.append(model["add_url"])
    return [url for url in urls + argument_free_admin_urls() if not url.startswith(NOT_WALKED)]


@pytest.mark.parametrize("fixture", ["propaganda_user", "office_user", "leadership_user", "superuser"])
def test_every_admin_page_of_the_demo_reads_in_vietnamese(client, demo, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    client.get("/admin/")  # the two-factor check settles once per session
    english: dict[str, list[str]] = {}
    seen = 0
    for url in pages_of(client):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen += 1
        found = english_on(response.content.decode())
        if found:
            english[url] = found
    assert seen > 40
    assert not english, json.dumps(english, ensure_ascii=False, indent=1)


def test_the_history_button_reads_lich_su(client, demo, propaganda_user):
    client.force_login(propaganda_user)
    listing = client.get(reverse("admin:archive_item_changelist")).context["cl"]
    page = client.get(listing.url_for_result(listing.result_list[0])).content.decode()
    assert 'class="historylink">Lịch sử</a>' in page
    assert "Bản ghi nhớ" not in page


def test_the_admin_scripts_speak_vietnamese(client, propaganda_user):
    """The two-box picker, the calendar and the clock are drawn by scripts from the JavaScript catalogue."""
    client.force_login(propaganda_user)
    script = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    assert {
        english: catalogue.get(english)
        for english in ("Choose all %s", "Remove all %s", "Available %s", "Chosen %s", "Today", "Now", "Hide", "Cancel")
    } == {
        "Choose all %s": "Chọn tất cả %s",
        "Remove all %s": "Bỏ tất cả %s",
        "Available %s": "%s có thể chọn",
        "Chosen %s": "%s đã chọn",
        "Today": "Hôm nay",
        "Now": "Bây giờ",
        "Hide": "Ẩn",
        "Cancel": "Hủy",
    }
