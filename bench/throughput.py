"""Requests per second of cached public pages against a static file, from one gunicorn, on loopback.

    .venv/bin/python bench/throughput.py [--duration 5] [--port 8123] [--workers 2]

Runs ``collectstatic`` into a temporary directory, starts gunicorn with two workers on
127.0.0.1 under production settings (DEBUG off, whitenoise serving the collected files), then
loads, one after the other for ``--duration`` seconds each: a static file (/static/css/site.css),
the home page and an item page (both anonymous, so from the page cache after the first request
in each worker). The load generator is ``wrk`` (Debian package ``wrk``) or, without it, a small
Python client with keep-alive connections. It reports each page's requests per second as a share
of the static file's, then stops gunicorn. Uses the database of DATABASE_URL (read only).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET_SHARE = 0.5


def server_env(static_root: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.throughput_settings",
        BENCH_STATIC_ROOT=static_root,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or "bench-" + secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        PYTHONPATH=str(ROOT),
    )
    return env


def item_path(env: dict) -> str:
    code = (
        "import django; django.setup()\n"
        "from archive.models import Item\n"
        "item = Item.objects.public().order_by('pk').first()\n"
        "print(item.get_absolute_url() if item else '')\n"
    )
    out = subprocess.run([PYTHON, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def check(port: int, path: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(4):  # each worker renders once, then serves from its cache
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")


def load_wrk(port: int, path: str, duration: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{path}: {errors.group(1)} failed responses under load")
    return float(match.group(1)) if match else 0.0


def load_python(port: int, path: str, duration: int, connections: int) -> float:
    done = [0] * connections
    deadline = time.monotonic() + duration

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            done[index] += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 15)
    return sum(done) / (time.monotonic() - started)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per page (default 5)")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    duration = max(1, min(args.duration, 60))  # bounded, whatever is asked
    load = load_wrk if shutil.which("wrk") else load_python

    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        env = server_env(static_root)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
        pages = [("static file", "/static/css/site.css"), ("home (cached)", "/")]
        item = item_path(env)
        if item:
            pages.append(("item page (cached)", item))
        server = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "traditions.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{args.port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        try:
            wait_for(args.port)
            results = []
            for name, path in pages:
                check(args.port, path)
                rps = load(args.port, path, duration, args.connections)
                results.append({"name": name, "path": path, "requests_per_second": rps})
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)

    static_rps = results[0]["requests_per_second"] or 1.0
    print(
        f"gunicorn, {args.workers} workers, {load.__name__[5:]} with {args.connections} connections, "
        f"{duration} s per page, 127.0.0.1"
    )
    print()
    print("| page | requests/s | share of the static file |")
    print("| --- | ---: | ---: |")
    for result in results:
        result["share_of_static"] = result["requests_per_second"] / static_rps
        print(f"| {result['name']} | {result['requests_per_second']:,.0f} | {result['share_of_static']:.0%} |")
    holds = all(r["share_of_static"] >= TARGET_SHARE for r in results[1:])
    print(f"\ncached pages at least {TARGET_SHARE:.0%} of the static file: {'yes' if holds else 'NO'}")
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"throughput-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(
        json.dumps(
            {
                "workers": args.workers,
                "duration": duration,
                "loader": load.__name__,
                "results": results,
                "holds": holds,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    print(f"JSON: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
