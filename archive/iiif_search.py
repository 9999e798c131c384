"""IIIF Content Search 2.0 over an item's pages: the words found, as annotations on its canvases.

The answer is an ``AnnotationPage`` of ``highlighting`` annotations, one per box of a matching
word (``archive.page_search``), each targeting ``<canvas>#xywh=x,y,w,h`` of the manifest's canvas
of that page (``archive.iiif.media_canvases``: ``<base>/canvas/<media file>/<page − 1>``). The
manifest names the service (``SearchService2``) when one of its files' pages has text.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from archive.iiif import manifest_url
from archive.models import Item
from archive.page_search import item_hits

SEARCH_CONTEXT = "http://iiif.io/api/search/2/context.json"
#: Annotations in one answer; a word on every page of a long file is cut there .
MAX_ANNOTATIONS = 1000
#: The longest query read, as the public search's.
MAX_QUERY_LENGTH = 200


def search_url(request: HttpRequest, item: Item) -> str:
    return request.build_absolute_uri(reverse("archive:iiif_search", args=[item.inventory_number]))


def search_service(request: HttpRequest, item: Item) -> dict:
    """The manifest's ``service`` entry for the item's content search."""
    return {"id": search_url(request, item), "type": "SearchService2"}


def content_search(request: HttpRequest, item: Item, query: str) -> dict:
    """The answer to ``?q=query`` over the item's pages."""
    base = manifest_url(request, item).removesuffix("/manifest.json")
    address = f"{search_url(request, item)}?{urlencode({'q': query})}"
    _words, hits = item_hits(item.pk, query) if query else ([], [])
    annotations = []
    for hit in hits:
        canvas = f"{base}/canvas/{hit.page.media_file_id}/{hit.number - 1}"
        words = {tuple(box): word for word, *box in hit.page.words or []}
        for index, box in enumerate(hit.boxes):
            x, y, w, h = box
            annotations.append(
                {
                    "id": f"{address}&a={hit.page.pk}-{index}",
                    "type": "Annotation",
                    "motivation": "highlighting",
                    "body": {"type": "TextualBody", "value": words.get(tuple(box), ""), "format": "text/plain"},
                    "target": f"{canvas}#xywh={x},{y},{w},{h}",
                }
            )
    return {
        "@context": SEARCH_CONTEXT,
        "id": address,
        "type": "AnnotationPage",
        "items": annotations[:MAX_ANNOTATIONS],
    }
