"""Finding words inside the pages of documents: the hits of a search, their snippets and boxes.

The callers decide who may see an item: the public search passes public items only
(``exhibits.search.matching_queryset``), the item page the item it shows. The words are matched
as ``Item.search`` matches them (``archive.models.items.text_match``, folded, whole words,
codes anywhere), over a page's shown text (the correction, else the machine's reading).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connections

from archive.models import PageText
from archive.models.items import is_code, search_words, text_match


@dataclass
class PageHit:
    page: PageText
    boxes: list[list[int]] = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.page.page


def matching_pages(words: list[str], *, using: str = "default"):
    """The pages whose text has every one of the folded ``words``."""
    if not words:
        return PageText.objects.none()
    return PageText.objects.filter(text_match(words, vendor=connections[using].vendor))


def first_hits(item_ids: list[int], words: list[str]) -> dict[int, PageText]:
    """The first page (in the media files' order) of each of the items that has every word: one query."""
    pages = (
        matching_pages(words)
        .filter(item_id__in=item_ids)
        .select_related("media_file")
        .only("item_id", "page", "text", "corrected_text", "media_file__id", "media_file__position")
        .order_by("item_id", "-media_file__is_primary", "media_file__position", "media_file_id", "page")
    )
    found: dict[int, PageText] = {}
    for page in pages:
        found.setdefault(page.item_id, page)
    return found


def word_matches(word: str, wanted: list[str]) -> bool:
    """Whether one word of a page (its box) is, folded, one of the query's words, or has a code of it."""
    folded = search_words(word)
    for piece in folded:
        for query_word in wanted:
            if piece == query_word or (is_code(query_word) and query_word in piece):
                return True
    return False


def boxes_of(page: PageText, words: list[str]) -> list[list[int]]:
    """The boxes ``[x, y, w, h]`` of the page's words that match the query (the machine's boxes:
    a correction changes the text, not where the words stand on the picture)."""
    return [list(box) for word, *box in page.words or [] if word_matches(word, words)]


def item_hits(item_id: int, query: str) -> tuple[list[str], list[PageHit]]:
    """The folded words of ``query`` and the pages of the item that have them all, in reading order."""
    words = list(dict.fromkeys(search_words(query)))
    if not words:
        return words, []
    pages = (
        matching_pages(words)
        .filter(item_id=item_id)
        .select_related("media_file")
        .order_by("-media_file__is_primary", "media_file__position", "media_file_id", "page")
    )
    return words, [PageHit(page=page, boxes=boxes_of(page, words)) for page in pages]
