"""Two gunicorn workers share one page cache, and an edit made anywhere shows on both at once.

Production settings without Redis: the database's cache table holds the cached pages and the
content version. A page cached by one worker is a hit on the other; an edit saved by a third
process (as a staff member's request on another worker would) moves the version, so no worker
serves the old page again.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
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


def test_an_edit_moves_the_cached_pages_of_every_worker_at_once(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "traditions.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "a-real-production-key-" + "c5N8wQ1zT6yB3hJ9" * 3,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
            "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        }
    )

    def manage(*args: str) -> str:
        done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    manage("manage.py", "migrate", "-v0")  # makes the cache table too
    manage("manage.py", "collectstatic", "--noinput", "-v0")
    path = manage("-c", CREATE).strip()
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "traditions.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}{path}"
    try:
        for _ in range(150):
            try:
                first, first_cache = fetch(url)
                break
            except OSError:
                time.sleep(0.2)
        assert "Nghị quyết trước khi sửa" in first and first_cache is None
        # Each request a new connection, so both workers answer some: every one of them a hit.
        before = [fetch(url) for _ in range(20)]
        assert all("Nghị quyết trước khi sửa" in html and hit == "hit" for html, hit in before)

        manage("-c", EDIT)
        after = [fetch(url) for _ in range(20)]
        assert all("Nghị quyết sau khi sửa" in html and "trước khi sửa" not in html for html, _hit in after)
        assert [hit for _html, hit in after].count(None) == 1  # read once, then shared
    finally:
        server.terminate()
        server.wait(timeout=30)
