"""Two gunicorn workers share one page cache, and an edit made anywhere shows on both at once.

Production settings without Redis: the database's cache table holds the cached pages and the
content version. A page cached by one worker is a hit on the other; an edit saved by a third
process (as a staff member's request on another worker would) moves the version, so no worker
serves the old page again.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CREATE = """
import django; django.setup()
from archive.models import Item
item = Item.objects.create(title="Nghị quyết trước khi sửa", status=Item.Status.PUBLISHED)
print(item.get_absolute_url())
"""
EDIT = """
import django; django.setup()
from archive.models import Item
item = Item.objects.get(title="Nghị quyết trước khi sửa")
item.title = "Nghị quyết sau khi sửa"
item.save()
"""


def fetch(url: str) -> tuple[str, str | None]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a loopback address
        return response.read().decode(), response.headers.get("X-Page-Cache")


def test_an_edit_moves_the_cached_pages_of_every_worker_at_once(production_site, tmp_path):
    server = production_site(f"sqlite:///{tmp_path / 'site.sqlite3'}")
    server.run("manage.py", "migrate", "-v0")  # makes the cache table too
    path = server.run("-c", CREATE).strip()
    url = server.serve() + path
    first, first_cache = fetch(url)
    assert "Nghị quyết trước khi sửa" in first and first_cache is None
    # Each request a new connection, so both workers answer some: every one of them a hit.
    before = [fetch(url) for _ in range(20)]
    assert all("Nghị quyết trước khi sửa" in html and hit == "hit" for html, hit in before)

    server.run("-c", EDIT)
    after = [fetch(url) for _ in range(20)]
    assert all("Nghị quyết sau khi sửa" in html and "trước khi sửa" not in html for html, _hit in after)
    assert [hit for _html, hit in after].count(None) == 1  # read once, then shared
