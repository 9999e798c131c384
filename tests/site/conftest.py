"""The site as production serves it: gunicorn with two workers on production settings, in processes of its own."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class ProductionSite:
    """Production's environment for a database URL, its commands, and gunicorn serving it."""

    def __init__(self, tmp_path: Path, database_url: str):
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "traditions.settings",
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": "a-real-production-key-" + "m4X8qT2vL9pR7wK3" * 3,
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                "DJANGO_SECURE_SSL_REDIRECT": "0",
                "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
                "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
                "DATABASE_URL": database_url,
            }
        )
        self.server: subprocess.Popen | None = None
        self.url = ""

    def run(self, *args: str) -> str:
        """``python ARGS`` (``manage.py …`` or ``-c …``) in production's environment; its output."""
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def serve(self) -> str:
        """Collect the static files, start gunicorn (two workers) and wait until /healthz answers 200."""
        self.run("manage.py", "collectstatic", "--noinput", "-v0")
        with socket.create_server(("127.0.0.1", 0)) as probe:
            port = probe.getsockname()[1]
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "traditions.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return self.url
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)


@pytest.fixture
def production_site(tmp_path):
    """A factory: ``production_site(database_url)``; gunicorn is stopped after the test."""
    sites: list[ProductionSite] = []

    def make(database_url: str) -> ProductionSite:
        sites.append(ProductionSite(tmp_path, database_url))
        return sites[-1]

    yield make
    for site in sites:
        site.stop()
