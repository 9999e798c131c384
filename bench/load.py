"""A bounded load run: gunicorn on 127.0.0.1, a fixed number of client threads, a fixed time.

Usage (from the project root)::

    .venv/bin/python bench/load.py                      # 30 s, 8 clients, 2 workers, fresh SQLite + demo data
    .venv/bin/python bench/load.py --seconds 60 --concurrency 16
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/loadtest .venv/bin/python bench/load.py   # that database
    .venv/bin/python bench/load.py --seed               # ... and load the demo data into it first

What it does:

1. Prepares a database. Without DATABASE_URL it makes a fresh SQLite file in a temporary folder,
   migrates it and loads ``seed_demo``; with DATABASE_URL it migrates that database and uses its
   data as it is (``--seed`` loads the demo data there too). Static files are collected into
   ``staticfiles/`` (ignored by git), as a production host does; media go to a temporary folder.
2. Starts ``gunicorn traditions.wsgi`` with ``--workers`` sync workers (default 2) on a free port of
   127.0.0.1, with debug off, a throw-away secret key, no HTTPS redirect and mail to the dummy
   backend, and waits for ``/healthz``.
3. Runs ``--concurrency`` client threads (default 8; plain ``http.client``, a new connection per
   request) for ``--seconds`` (default 30), each picking a request by weight:

   * browse (60 %): home, periods, a period, the timeline, leaders, the item list with a random
     facet, sort or page, an item page, exhibits and an exhibit, videos — the pages found in
     ``sitemap.xml``;
   * search (25 %): one or two Vietnamese words typed without diacritics (``truyen thong``,
     ``dai hoi`` ...), sometimes with a filter; with ``--peer`` (PostgreSQL) the same words are
     then asked of the full-text peer (bench/peer.py, its table built first), as "search: peer";
   * book (15 %): GET the booking form, pick a free slot offered on it, POST a valid request with
     the CSRF token. The form allows a few submissions per address and hour (``BOOKING_RATE_LIMIT``,
     kept per worker in the local-memory cache), so once it is reached the answer is 429: counted
     as *refused*, expected, not an error; so are 409 (slot just filled) and 400.

4. Stops by itself after ``--seconds`` (each request has a 30 s timeout, the whole run a hard
   limit), stops gunicorn (SIGTERM, then SIGKILL after 10 s) and prints, per kind of request, the
   count, requests per second, p50 and p95 latency in milliseconds, refusals and errors.

Exit status: 0 when no request got a 5xx answer or failed to connect, 1 otherwise, 2 when the
server did not start. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30
SEARCH_WORDS = [
    "truyen thong",
    "dai hoi",
    "nghi quyet",
    "dang bo",
    "khoi",
    "chi bo",
    "thanh nien",
    "lanh dao",
    "ha noi",
    "cach mang",
    "bao cao",
    "chinh tri",
    "can bo",
    "doan ket",
    "thi dua",
    "ky niem",
    "hoi nghi",
    "bi thu",
    "ban chap hanh",
    "anh",
    "co",
    "huan chuong",
    "xay dung dang",
    "nha truyen thong",
]
SLOT_RE = re.compile(r'name="slot"[^>]*value="(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VENUE_RE = re.compile(r'name="venue"[^>]*value="([^"]+)"')


# --- results ----------------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    refused: int = 0  # expected refusals: 400, 409, 429 on the booking form
    errors: int = 0  # 5xx and connection failures
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kinds: dict[str, Tally] = defaultdict(Tally)
        self.error_samples: list[str] = []

    def record(self, kind: str, status: int | None, seconds: float, url: str, *, expected=(200, 302)) -> None:
        with self.lock:
            tally = self.kinds[kind]
            tally.latencies.append(seconds)
            tally.statuses[status or 0] += 1
            if status is None or status >= 500:
                tally.errors += 1
                if len(self.error_samples) < 10:
                    self.error_samples.append(f"{status or 'no answer'} {url}")
            elif status not in expected:
                tally.refused += 1


# --- a minimal HTTP client ---------------------------------------------------------------------------


@dataclass
class Answer:
    status: int | None
    body: str
    cookies: dict[str, str]
    seconds: float


def request(port: int, method: str, path: str, *, body: str | None = None, headers: dict | None = None) -> Answer:
    headers = {"Host": f"{HOST}:{port}", "User-Agent": "traditions-load/1", "Accept-Language": "vi", **(headers or {})}
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body.encode() if body is not None else None, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key.strip()] = rest.split(";", 1)[0]
        return Answer(response.status, content, cookies, time.perf_counter() - started)
    except (OSError, http.client.HTTPException):
        return Answer(None, "", {}, time.perf_counter() - started)
    finally:
        connection.close()


# --- what a visitor does --------------------------------------------------------------------------------


class Visitor:
    def __init__(
        self, port: int, pages: dict[str, list[str]], results: Results, rng: random.Random, *, peer: bool = False
    ) -> None:
        self.port, self.pages, self.results, self.rng = port, pages, results, rng
        self.peer = peer

    def get(self, kind: str, path: str) -> Answer:
        answer = request(self.port, "GET", path)
        self.results.record(kind, answer.status, answer.seconds, path, expected=(200, 301, 302, 404))
        return answer

    def browse(self) -> None:
        choice = self.rng.random()
        fixed = ["/", "/thoi-ky/", "/dong-thoi-gian/", "/lanh-dao/", "/trung-bay/", "/phim-tu-lieu/", "/tham-quan/"]
        if choice < 0.35 and self.pages["items"]:
            self.get("browse: item page", self.rng.choice(self.pages["items"]))
        elif choice < 0.6:
            params = self.rng.choice(
                [{}, {"page": self.rng.randint(1, 5)}, {"sort": "date"}, {"sort": "-date"}, {"kind": "photo"}]
                + [{"period": self.rng.randint(1, 6)}, {"digital": "1"}, {"year_from": 1960, "year_to": 2010}]
            )
            self.get("browse: item list", "/tu-lieu/" + (f"?{urlencode(params)}" if params else ""))
        elif choice < 0.75 and (self.pages["periods"] or self.pages["exhibits"]):
            self.get("browse: period or exhibit", self.rng.choice(self.pages["periods"] + self.pages["exhibits"]))
        else:
            self.get("browse: other pages", self.rng.choice(fixed))

    def search(self) -> None:
        words = self.rng.choice(SEARCH_WORDS)
        if self.rng.random() < 0.3:
            words = f"{words} {self.rng.choice(SEARCH_WORDS).split()[0]}"
        params = {"q": words}
        if self.rng.random() < 0.2:
            params["kind"] = self.rng.choice(["document", "photo", "artifact"])
        self.get("search", "/tim-kiem/?" + urlencode(params))
        if self.peer:  # the same words, right after, from the full-text peer (bench/peer.py)
            self.get("search: peer", "/__bench__/peer/?" + urlencode({"q": words}))

    def book(self) -> None:
        form = request(self.port, "GET", "/dang-ky-tham-quan/")
        self.results.record("book: form", form.status, form.seconds, "/dang-ky-tham-quan/")
        if form.status != 200:
            return
        slots, token, venue = SLOT_RE.findall(form.body), CSRF_RE.search(form.body), VENUE_RE.search(form.body)
        csrf_cookie = form.cookies.get("csrftoken")
        if not (slots and token and venue and csrf_cookie):
            return
        n = self.rng.randint(1, 10**6)
        data = {
            "venue": venue.group(1),
            "slot": self.rng.choice(slots),
            "organisation_name": f"Chi bộ thử tải số {n}",
            "contact_name": "Nguyễn Văn Thử",
            "contact_position": "Bí thư Chi bộ",
            "phone": "0912 345 678",
            "email": f"thu{n}@example.org",
            "group_size": str(self.rng.randint(5, 15)),
            "occasion": "chapter_meeting",
            "services": "guided_tour",
            "consent": "on",
            "csrfmiddlewaretoken": token.group(1),
        }
        answer = request(
            self.port,
            "POST",
            "/dang-ky-tham-quan/",
            body=urlencode(data),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}"},
        )
        self.results.record("book: submit", answer.status, answer.seconds, "POST /dang-ky-tham-quan/", expected=(302,))


def client_loop(visitor: Visitor, deadline: float) -> None:
    while time.monotonic() < deadline:
        roll = visitor.rng.random()
        if roll < 0.60:
            visitor.browse()
        elif roll < 0.85:
            visitor.search()
        else:
            visitor.book()


# --- the server -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_environment(database_url: str, media_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "load-" + secrets.token_urlsafe(40),
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
            "DJANGO_MEDIA_ROOT": str(media_root),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "DJANGO_LOG_LEVEL": "ERROR",
            "DJANGO_SITE_URL": f"http://{HOST}",
        }
    )
    env.pop("DJANGO_REDIS_URL", None)
    env.pop("DJANGO_S3_BUCKET", None)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, timeout=900)


def wait_until_ready(port: int, server: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        if request(port, "GET", "/healthz").status == 200:
            return True
        time.sleep(0.3)
    return False


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def discover(port: int) -> dict[str, list[str]]:
    """The item, period and exhibit pages listed in the sitemap (Vietnamese ones)."""
    pages: dict[str, list[str]] = {"items": [], "periods": [], "exhibits": []}
    sitemap = request(port, "GET", "/sitemap.xml")
    for url in re.findall(r"<loc>([^<]+)</loc>", sitemap.body):
        path = urlsplit(url).path
        if path.startswith("/en/"):
            continue
        for prefix, key in (("/tu-lieu/", "items"), ("/thoi-ky/", "periods"), ("/trung-bay/", "exhibits")):
            if path.startswith(prefix) and path != prefix:
                pages[key].append(path)
    return pages


# --- report ---------------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def report(results: Results, elapsed: float, args) -> int:
    total = sum(len(t.latencies) for t in results.kinds.values())
    errors = sum(t.errors for t in results.kinds.values())
    print(
        f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s "
        f"({args.concurrency} clients, {args.workers} gunicorn workers, {os.cpu_count()} CPUs)"
    )
    print(f"{'kind':28} {'count':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'refused':>8} {'errors':>7}  statuses")
    for kind in sorted(results.kinds):
        tally = results.kinds[kind]
        statuses = " ".join(f"{code or 'none'}×{n}" for code, n in sorted(tally.statuses.items()))
        print(
            f"{kind:28} {len(tally.latencies):6d} {len(tally.latencies) / elapsed:7.1f} "
            f"{percentile(tally.latencies, 0.50) * 1000:8.1f} {percentile(tally.latencies, 0.95) * 1000:8.1f} "
            f"{tally.refused:8d} {tally.errors:7d}  {statuses}"
        )
    everything = [s for t in results.kinds.values() for s in t.latencies]
    print(
        f"{'all':28} {total:6d} {total / elapsed:7.1f} {percentile(everything, 0.5) * 1000:8.1f} "
        f"{percentile(everything, 0.95) * 1000:8.1f} {sum(t.refused for t in results.kinds.values()):8d} {errors:7d}"
    )
    for sample in results.error_samples:
        print(f"error: {sample}")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=30, help="how long to drive the server (default 30)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--seed", action="store_true", help="load the demo data into DATABASE_URL's database")
    parser.add_argument("--random-seed", type=int, default=7, help="seed of the visitors' choices")
    parser.add_argument(
        "--peer",
        action="store_true",
        help="PostgreSQL: build the search peer's table (bench/peer.py) and request it after every search",
    )
    args = parser.parse_args(argv)
    if not (0 < args.seconds <= 3600 and 0 < args.concurrency <= 64 and 0 < args.workers <= 16):
        parser.error("keep it bounded: seconds in (0, 3600], concurrency in (0, 64], workers in (0, 16]")

    with tempfile.TemporaryDirectory(prefix="traditions-load-") as scratch:
        scratch_path = Path(scratch)
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{scratch_path / 'load.sqlite3'}"
        env = server_environment(database_url, scratch_path / "media")
        print(f"preparing {database_url.split('@')[-1]} ...", flush=True)
        manage(env, "migrate", "--noinput", "-v", "0")
        if args.seed or not os.environ.get("DATABASE_URL"):
            manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        if args.peer:
            manage(env, "shell", "-c", "from bench import peer; peer.build()")
            env["DJANGO_SETTINGS_MODULE"] = "bench.load_settings"

        port = free_port()
        log = (scratch_path / "gunicorn.log").open("w")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "traditions.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"{HOST}:{port}",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            if not wait_until_ready(port, server):
                print("gunicorn did not start; its log:", file=sys.stderr)
                print((scratch_path / "gunicorn.log").read_text()[-4000:], file=sys.stderr)
                return 2
            pages = discover(port)
            print(
                f"gunicorn on {HOST}:{port}; {len(pages['items'])} item, {len(pages['periods'])} period and "
                f"{len(pages['exhibits'])} exhibit pages; {args.concurrency} clients for {args.seconds:g} s",
                flush=True,
            )
            results = Results()
            started = time.monotonic()
            deadline = started + args.seconds
            threads = [
                threading.Thread(
                    target=client_loop,
                    args=(
                        Visitor(port, pages, results, random.Random(args.random_seed + n), peer=args.peer),
                        deadline,
                    ),
                    daemon=True,
                )
                for n in range(args.concurrency)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT + 5)
            elapsed = time.monotonic() - started
            status = report(results, elapsed, args)
            if status:
                print("\nlast lines of the gunicorn log:\n" + (scratch_path / "gunicorn.log").read_text()[-3000:])
            return status
        finally:
            stop(server)
            log.close()


if __name__ == "__main__":
    sys.exit(main())
