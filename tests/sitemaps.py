"""Reads the site's sitemaps as a search engine does: the index, then every page it lists."""

import re
from urllib.parse import urlsplit

LOC = re.compile(r"<loc>([^<]+)</loc>")


def sitemap_pages(client) -> list[str]:
    """The XML of every sitemap page the index at /sitemap.xml lists, in its order."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    pages = []
    for location in LOC.findall(index.content.decode()):
        address = urlsplit(location.replace("&amp;", "&"))
        response = client.get(address.path + (f"?{address.query}" if address.query else ""))
        assert response.status_code == 200, location
        pages.append(response.content.decode())
    return pages


def sitemap_text(client) -> str:
    return "\n".join(sitemap_pages(client))
