"""The leak hunt: an anonymous visitor who types every beginning of a hidden word learns nothing.

One item in each non-public state carries a marker word in every text field, and names a keyword,
a signer, a person and an agency (a body outside the Bloc) that no public item names, each with a
marker of its own. Then
every prefix of every marker is searched on the Vietnamese site (as typed, with diacritics) and
on the English site (folded, as typed without them), and the public site is crawled from its
home pages. No marker may appear anywhere: not among the results, the people, the bodies, the
"did you mean" suggestions, the facets or any crawled page.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from archive.models import Body, Item, Keyword, Person
from archive.partial_dates import PartialDate
from basics.text import fold

STATES = {
    "draft": {"status": Item.Status.DRAFT},
    "review": {"status": Item.Status.IN_REVIEW},
    "withdrawn": {"status": Item.Status.WITHDRAWN},
    "secret": {"confidentiality": Item.Confidentiality.CONFIDENTIAL, "access_level": Item.AccessLevel.INTERNAL},
    "restricted": {"access_level": Item.AccessLevel.RESTRICTED},
    "internal": {"access_level": Item.AccessLevel.INTERNAL},
    "embargo": {"embargo_until": "2099-01-01"},
}
#: Where a marker sits: the item's own fields, its keyword, signer, person and body.
PLACES = ("tl", "kw", "ky", "ng", "co")
TEXT_FIELDS = (
    "title",
    "summary",
    "description",
    "place_of_issue",
    "signer_position",
    "annotations",
    "recipients",
    "material",
    "dimensions",
    "location",
    "acquisition_source",
)
CRAWL_LIMIT = 400


def marker(place: str, state: str) -> str:
    # Ends in "z" so that no marker is the beginning of another.
    return f"Lộbímật{place}{state}z"


ALL_MARKERS = [marker(place, state) for place in PLACES for state in STATES]
FOLDED_MARKERS = [fold(m) for m in ALL_MARKERS]


@pytest.fixture
def hidden(db):
    """A public control item, and the hidden items with their markers."""
    public = Item(title="Nghị quyết công khai về công tác tư tưởng", status=Item.Status.PUBLISHED)
    public.set_partial_date(PartialDate(1985, 3, 2))
    public.save()
    public.keywords.add(Keyword.objects.create(name="công tác tư tưởng"))
    for state, fields in STATES.items():
        values = {"status": Item.Status.PUBLISHED, "access_level": Item.AccessLevel.PUBLIC, **fields}
        text = f"{marker('tl', state)} Nghị quyết"
        item = Item(
            **dict.fromkeys(TEXT_FIELDS, text),
            kind=Item.Kind.DOCUMENT,
            signer=Person.objects.create(full_name=f"Ông {marker('ky', state)}"),
            issuing_body=Body.objects.create(name=f"Cơ quan {marker('co', state)}", kind=Body.Kind.AGENCY),
            **values,
        )
        item.set_partial_date(PartialDate(1985, 3, 2))
        item.save()
        item.keywords.add(Keyword.objects.create(name=marker("kw", state)))
        item.people.add(Person.objects.create(full_name=f"Bà {marker('ng', state)}"))
        item.bodies.add(item.issuing_body)
    assert list(Item.objects.public()) == [public]
    return public


def leaks(html: str) -> list[str]:
    folded = fold(html)
    return [m for m, f in zip(ALL_MARKERS, FOLDED_MARKERS, strict=True) if f in folded]


def prefixes() -> list[str]:
    found = {m[:n] for m in ALL_MARKERS for n in range(2, len(m) + 1)}
    return sorted(found, key=lambda p: (len(p), p))


def context_names(response) -> list[str]:
    """What the search page lists beside its results, by name."""
    context = response.context
    names = [item.title for item in context["page"].object_list]
    names += [person.full_name for person in context.get("people") or []]
    names += [body.name for body in context.get("bodies") or []]
    names += [exhibit.title for exhibit in context.get("exhibits") or []]
    names += [str(suggestion) for suggestion in context.get("suggestions") or []]
    return names


@pytest.mark.django_db
def test_no_beginning_of_a_hidden_word_finds_anything_in_either_language(client, hidden):
    searched = 0
    for language, fold_query in (("vi", False), ("en", True)):
        with translation.override(language):
            url = reverse("exhibits:search")
        for query in prefixes():
            typed = fold(query) if fold_query else query
            response = client.get(url, {"q": typed})
            assert response.status_code == 200, typed
            searched += 1
            names = " ".join(context_names(response))
            assert not leaks(names), f"{url}?q={typed} lists {leaks(names)}"
            assert response.context["facets"].total == 0, typed
            if fold(typed) not in FOLDED_MARKERS:
                # The page repeats what was typed; a whole marker elsewhere on it is a leak.
                assert not leaks(response.content.decode()), f"{url}?q={typed} shows {leaks(response.content.decode())}"
    assert searched > 2 * len(ALL_MARKERS)
    # The control: the public item's keyword is found, and suggested when misspelt.
    with translation.override("vi"):
        url = reverse("exhibits:search")
    assert client.get(url, {"q": "cong tac tu tuong"}).context["facets"].total == 1
    assert "công tác tư tưởng" in context_names(client.get(url, {"q": "cong tac tu tuongg"}))


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


@pytest.mark.django_db
def test_a_crawl_of_the_public_site_finds_no_hidden_word(client, hidden):
    queue = ["/", "/en/"]
    seen = set(queue)
    crawled = 0
    while queue and crawled < CRAWL_LIMIT:
        path = queue.pop(0)
        response = client.get(path)
        crawled += 1
        if response.status_code == 503:  # the booking page while no venue takes bookings says so, deliberately
            assert resolve(urlsplit(path).path).view_name == "bookings:book", path
        else:
            assert response.status_code < 500, path
        if response.status_code in (301, 302) and response["Location"] not in seen:
            seen.add(response["Location"])
            queue.append(response["Location"])
        if "html" not in response.get("Content-Type", "") and "xml" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode("utf-8", "replace")
        assert not leaks(html), f"{path} shows {leaks(html)}"
        if response.status_code != 200:
            continue
        parser = _Links()
        parser.feed(html)
        for link in parser.links:
            target = urlsplit(urldefrag(urljoin(path, link))[0])
            if target.netloc and target.netloc != "testserver":
                continue
            address = target.path + (f"?{target.query}" if target.query else "")
            if address.startswith(("/admin/", "/static/", "/nang-cap/")) or address in seen:
                continue
            seen.add(address)
            queue.append(address)
    assert crawled >= 40  # the home pages lead to the rest of the site
