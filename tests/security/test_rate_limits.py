"""The public forms' limits per address hold across worker processes, with production's default cache.

Four processes, like gunicorn's workers, share nothing but the cache that production uses when no
Redis is named (the database's cache table); together they are allowed exactly the limit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from django.conf import settings
from django.test import RequestFactory
from basics.throttle import submission_allowed
start = Path(sys.argv[1])
while not start.exists():
    time.sleep(0.005)
request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
allowed = sum(submission_allowed(request, scope="bookings", limit=10, window=3600) for _ in range(25))
print(settings.CACHES["default"]["BACKEND"], allowed)
"""


def production_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "traditions.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "a-real-production-key-" + "r7T2kW9qP4mZ8xV1" * 3,
            "DJANGO_ALLOWED_HOSTS": "traditions.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        }
    )
    return env


def test_four_workers_together_get_the_limit_and_no_more(tmp_path):
    env = production_env(tmp_path)
    made = subprocess.run(
        [sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    start = tmp_path / "start"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(start)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    start.touch()
    results = [worker.communicate(timeout=120)[0].split() for worker in workers]
    assert all(worker.returncode == 0 for worker in workers)
    assert {backend for backend, _allowed in results} == {"django.core.cache.backends.db.DatabaseCache"}
    assert sum(int(allowed) for _backend, allowed in results) == 10
