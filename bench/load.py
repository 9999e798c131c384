"""The site as its users get it: gunicorn on 127.0.0.1, a bounded mixed load, per-kind percentiles.

Usage (from the project root)::

    .venv/bin/python bench/load.py                      # 30 s, 8 clients, 2 workers, fresh SQLite + demo data
    .venv/bin/python bench/load.py --seconds 60 --concurrency 16
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/load.py   # that database
    .venv/bin/python bench/load.py --seed               # ... and load the demo data into it first

What it does:

1. Prepares a database. Without DATABASE_URL it makes a fresh SQLite file in a temporary folder,
   migrates it and loads ``seed_demo``; with DATABASE_URL it migrates that database and uses its
   data as it is (``--seed`` loads the demo data there too; ``seed_bulk --items N`` makes a large
   catalogue). A superuser ``bench-load`` is created or given a fresh random password. Static files
   are collected into ``staticfiles/`` (ignored by git), as a production host does; media go to a
   temporary folder.
2. Starts ``gunicorn traditions.wsgi`` with ``--workers`` sync workers (default 2) on a free port of
   127.0.0.1 under the production settings (debug off, the shared database cache, a throw-away
   secret key, no HTTPS redirect, mail to the dummy backend) with ``bench.urls`` as the URLconf
   (the site's URLs plus the peer search), and waits for ``/healthz``.
3. Runs ``--concurrency`` client threads (default 8; plain ``http.client``, a new connection per
   request) for ``--seconds`` (default 30), each picking a request by weight (``MIX``):

   * cached pages: home, periods, the timeline, leaders, exhibits, videos, visiting: anonymous
     pages that the page cache answers after the first request;
   * item list: a page of the list, a sort; facets: the list filtered by period, kind, document
     type, a span of years or "has a digital copy";
   * item page and exhibit or period page, from ``sitemap.xml``;
   * search: one of the twelve queries of ``bench.queries.SEARCH_QUERIES`` on ``/tim-kiem/``, and
     the same query on the peer (``/__bench__/peer/``: PostgreSQL full-text search over a table the
     bench builds, see ``bench/peer.py``; PostgreSQL only);
   * admin: the item changelist (a page of it) and its search, signed in as ``bench-load``;
   * book: GET the booking form, pick a free slot offered on it, POST a valid request with the
     CSRF token. The form allows a few submissions per address and hour, so once that is reached
     the answer is 429: counted as *refused*, expected, not an error; so are 409 and 400.

4. Stops by itself after ``--seconds``, stops gunicorn (SIGTERM, then SIGKILL after 10 s) and
   prints, per kind of request, the count, requests per second, p50, p95 and p99 in
   milliseconds, refusals and errors; then each worker's resident memory (the largest seen,
   sampled every half second, and at the end); and writes the same as JSON into
   ``bench/results/``.

Exit status: 0 when no request got a 5xx answer or failed to connect, 1 otherwise, 2 when the
server did not start. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
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
sys.path.insert(0, str(BASE_DIR))

from bench.queries import SEARCH_QUERIES  # noqa: E402 - the project root is on the path from here

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30
ADMIN_USER = "bench-load"
VERIFY_PATH = "/quan-tri-xac-thuc/ma/"
#: Weights of the kinds of request a client picks (they need not sum to anything).
MIX = {
    "cached page": 20,
    "item list": 8,
    "facets": 8,
    "item page": 14,
    "period or exhibit": 6,
    "search": 14,
    "peer search": 14,
    "admin list": 5,
    "admin search": 5,
    "book": 6,
}
CACHED_PAGES = ["/", "/thoi-ky/", "/dong-thoi-gian/", "/lanh-dao/", "/trung-bay/", "/phim-tu-lieu/", "/tham-quan/"]
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
        self,
        port: int,
        pages: dict[str, list[str]],
        results: Results,
        rng: random.Random,
        *,
        admin_cookies: dict[str, str],
        peer: bool,
        bookable: bool,
    ) -> None:
        self.port, self.pages, self.results, self.rng = port, pages, results, rng
        self.peer, self.bookable = peer, bookable
        self.admin_cookies = admin_cookies

    def get(self, kind: str, path: str, *, cookies: dict[str, str] | None = None) -> Answer:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else None
        answer = request(self.port, "GET", path, headers=headers)
        self.results.record(kind, answer.status, answer.seconds, path, expected=(200, 301, 302, 404))
        return answer

    def act(self) -> None:
        kinds = [kind for kind in MIX if (self.peer or kind != "peer search") and (self.bookable or kind != "book")]
        kind = self.rng.choices(kinds, weights=[MIX[k] for k in kinds])[0]
        getattr(self, kind.replace(" ", "_"))(kind)

    def cached_page(self, kind: str) -> None:
        self.get(kind, self.rng.choice(CACHED_PAGES))

    def item_list(self, kind: str) -> None:
        params = self.rng.choice(
            [{}, {"page": self.rng.randint(2, 50)}, {"sort": "date"}, {"sort": "-date"}, {"sort": "title"}]
        )
        self.get(kind, "/tu-lieu/" + (f"?{urlencode(params)}" if params else ""))

    def facets(self, kind: str) -> None:
        params = self.rng.choice(
            [
                {"kind": self.rng.choice(["document", "photo", "artifact", "publication"])},
                {"period": self.rng.randint(1, 6)},
            ]
            + [
                {"digital": "1"},
                {"year_from": 1960, "year_to": 2010},
                {"period": self.rng.randint(1, 6), "kind": "photo"},
            ]
        )
        self.get(kind, f"/tu-lieu/?{urlencode(params)}")

    def item_page(self, kind: str) -> None:
        if self.pages["items"]:
            self.get(kind, self.rng.choice(self.pages["items"]))

    def period_or_exhibit(self, kind: str) -> None:
        if self.pages["periods"] or self.pages["exhibits"]:
            self.get(kind, self.rng.choice(self.pages["periods"] + self.pages["exhibits"]))

    def search(self, kind: str) -> None:
        self.get(kind, "/tim-kiem/?" + urlencode({"q": self.rng.choice(SEARCH_QUERIES)[1]}))

    def peer_search(self, kind: str) -> None:
        self.get(kind, "/__bench__/peer/?" + urlencode({"q": self.rng.choice(SEARCH_QUERIES)[1]}))

    def signed_in(self) -> dict[str, str] | None:
        """The admin session all clients share (one sign-in: an authenticator's code is good once)."""
        return self.admin_cookies

    def admin_list(self, kind: str) -> None:
        if cookies := self.signed_in():
            # A page the list has (50 rows a page; the public items are fewer than all): a page past
            # the end answers a redirect, not the list.
            last = max(1, min(40, len(self.pages["items"]) // 50))
            page = self.rng.choice([None, self.rng.randint(1, last)])
            self.get(kind, "/admin/archive/item/" + (f"?p={page}" if page else ""), cookies=cookies)

    def admin_search(self, kind: str) -> None:
        if cookies := self.signed_in():
            self.get(
                kind, "/admin/archive/item/?" + urlencode({"q": self.rng.choice(SEARCH_QUERIES)[1]}), cookies=cookies
            )

    def book(self, kind: str) -> None:
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
        visitor.act()


class MemorySampler(threading.Thread):
    """The resident memory of each gunicorn worker (children of the master), every half second."""

    def __init__(self, master_pid: int) -> None:
        super().__init__(daemon=True)
        self.master_pid = master_pid
        self.peak: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.done = threading.Event()

    def workers(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children]

    @staticmethod
    def rss_kib(pid: int) -> int | None:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None

    def sample(self) -> None:
        for pid in self.workers():
            if (rss := self.rss_kib(pid)) is not None:
                self.last[pid] = rss
                self.peak[pid] = max(rss, self.peak.get(pid, 0))

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.sample()


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
            "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        }
    )
    env.pop("DJANGO_REDIS_URL", None)
    env.pop("DJANGO_S3_BUCKET", None)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, timeout=3600)


ADMIN_SETUP = """
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
user, _ = get_user_model().objects.get_or_create(username={name!r}, defaults={{"email": "bench@example.org"}})
user.is_staff = user.is_superuser = True
user.set_password({password!r})
user.save()
TOTPDevice.objects.filter(user=user).delete()
device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
print(device.key)
"""


@dataclass
class AdminAccount:
    """The bench's superuser: its password and the secret of its authenticator app (hex), from
    which the client computes the six-digit code the admin asks for after the password."""

    password: str
    totp_key: str

    def code(self) -> str:
        from django_otp.oath import totp

        return f"{totp(bytes.fromhex(self.totp_key)):06d}"


def admin_user(env: dict[str, str]) -> AdminAccount:
    """Create the bench's superuser, or give it a new password and a new authenticator app."""
    password = secrets.token_urlsafe(24)
    printed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", ADMIN_SETUP.format(name=ADMIN_USER, password=password)],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=600,
        capture_output=True,
        text=True,
    )
    return AdminAccount(password, printed.stdout.strip().splitlines()[-1])


def admin_session(port: int, admin: AdminAccount) -> dict[str, str]:
    """Sign in to the admin as staff do: the login form (username, password), then the code of the
    authenticator app on the second step. Returns the session's cookies; raises if either step fails."""
    form = request(port, "GET", "/admin/login/?next=/admin/")
    token = CSRF_RE.search(form.body)
    if form.status != 200 or not token or "csrftoken" not in form.cookies:
        raise RuntimeError(f"admin login form answered {form.status}")
    answer = request(
        port,
        "POST",
        "/admin/login/?next=/admin/",
        body=urlencode(
            {
                "username": ADMIN_USER,
                "password": admin.password,
                "next": "/admin/",
                "csrfmiddlewaretoken": token.group(1),
            }
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={form.cookies['csrftoken']}",
        },
    )
    if answer.status != 302 or "sessionid" not in answer.cookies:
        raise RuntimeError(f"admin login answered {answer.status}")
    cookies = {"csrftoken": form.cookies["csrftoken"], "sessionid": answer.cookies["sessionid"]}
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    form = request(port, "GET", f"{VERIFY_PATH}?next=/admin/", headers={"Cookie": cookie})
    token = CSRF_RE.search(form.body)
    if form.status != 200 or not token:
        raise RuntimeError(f"the second sign-in step answered {form.status}")
    answer = request(
        port,
        "POST",
        VERIFY_PATH,
        body=urlencode({"token": admin.code(), "next": "/admin/", "csrfmiddlewaretoken": token.group(1)}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    if answer.status != 302:
        raise RuntimeError(f"the authenticator's code answered {answer.status}")
    cookies["sessionid"] = answer.cookies.get("sessionid", cookies["sessionid"])
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if request(port, "GET", "/admin/archive/item/", headers={"Cookie": cookie}).status != 200:
        raise RuntimeError("the admin's item list did not open after both sign-in steps")
    return cookies


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
    """The item, period and exhibit pages listed in the sitemaps (Vietnamese ones): the index at
    ``/sitemap.xml`` names the section sitemaps, which list the pages."""
    pages: dict[str, list[str]] = {"items": [], "periods": [], "exhibits": []}
    index = request(port, "GET", "/sitemap.xml")
    sections = [urlsplit(url) for url in re.findall(r"<loc>([^<]+)</loc>", index.body)]
    for section in sections:
        target = section.path + (f"?{section.query}" if section.query else "")
        for url in re.findall(r"<loc>([^<]+)</loc>", request(port, "GET", target).body):
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


def figures(results: Results, elapsed: float) -> dict[str, dict]:
    rows = {}
    for kind in sorted(results.kinds):
        tally = results.kinds[kind]
        rows[kind] = {
            "count": len(tally.latencies),
            "per_second": round(len(tally.latencies) / elapsed, 2),
            "p50_ms": round(percentile(tally.latencies, 0.50) * 1000, 1),
            "p95_ms": round(percentile(tally.latencies, 0.95) * 1000, 1),
            "p99_ms": round(percentile(tally.latencies, 0.99) * 1000, 1),
            "refused": tally.refused,
            "errors": tally.errors,
            "statuses": {str(code or "none"): n for code, n in sorted(tally.statuses.items())},
        }
    return rows


def report(results: Results, elapsed: float, args, memory: MemorySampler, database: str) -> int:
    total = sum(len(t.latencies) for t in results.kinds.values())
    errors = sum(t.errors for t in results.kinds.values())
    print(
        f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s "
        f"({args.concurrency} clients, {args.workers} gunicorn workers, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f})"
    )
    rows = figures(results, elapsed)
    print(
        f"{'kind':22} {'count':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'refused':>8} {'errors':>7}  statuses"
    )
    for kind, row in rows.items():
        statuses = " ".join(f"{code}×{n}" for code, n in row["statuses"].items())
        print(
            f"{kind:22} {row['count']:6d} {row['per_second']:7.1f} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} "
            f"{row['p99_ms']:8.1f} {row['refused']:8d} {row['errors']:7d}  {statuses}"
        )
    everything = [s for t in results.kinds.values() for s in t.latencies]
    print(
        f"{'all':22} {total:6d} {total / elapsed:7.1f} {percentile(everything, 0.5) * 1000:8.1f} "
        f"{percentile(everything, 0.95) * 1000:8.1f} {percentile(everything, 0.99) * 1000:8.1f} "
        f"{sum(t.refused for t in results.kinds.values()):8d} {errors:7d}"
    )
    workers = {
        pid: {"peak_mib": round(memory.peak[pid] / 1024, 1), "end_mib": round(memory.last.get(pid, 0) / 1024, 1)}
        for pid in sorted(memory.peak)
    }
    for pid, row in workers.items():
        print(f"worker {pid}: resident memory {row['peak_mib']:.1f} MiB at most, {row['end_mib']:.1f} MiB at the end")
    for sample in results.error_samples:
        print(f"error: {sample}")
    if args.output:
        directory = Path(args.output)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
        path.write_text(
            json.dumps(
                {
                    "database": database,
                    "seconds": round(elapsed, 1),
                    "clients": args.concurrency,
                    "workers": args.workers,
                    "cpus": os.cpu_count(),
                    "load_average": os.getloadavg(),
                    "requests_per_second": round(total / elapsed, 1),
                    "kinds": rows,
                    "worker_memory": list(workers.values()),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        print(f"written: {path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else path}")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=30, help="how long to drive the server (default 30)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--seed", action="store_true", help="load the demo data into DATABASE_URL's database")
    parser.add_argument("--random-seed", type=int, default=7, help="seed of the visitors' choices")
    parser.add_argument(
        "--output", default=str(BASE_DIR / "bench" / "results"), help="folder of the JSON result ('' for none)"
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
        admin = admin_user(env)
        if database_url.startswith("postgres"):
            manage(env, "shell", "-v", "0", "-c", "from bench import peer; peer.build()")

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
            admin_cookies = admin_session(port, admin)
            peer = request(port, "GET", "/__bench__/peer/?q=dang").status == 200
            # The booking page answers 503 while no venue takes bookings (a catalogue without the demo).
            bookable = request(port, "GET", "/dang-ky-tham-quan/").status == 200
            print(
                f"gunicorn on {HOST}:{port}; {len(pages['items'])} item, {len(pages['periods'])} period and "
                f"{len(pages['exhibits'])} exhibit pages; {args.concurrency} clients for {args.seconds:g} s; "
                f"the peer search {'beside it' if peer else 'not available (PostgreSQL only)'}; "
                f"bookings {'taken' if bookable else 'not taken by any venue'}",
                flush=True,
            )
            results = Results()
            memory = MemorySampler(server.pid)
            memory.start()
            started = time.monotonic()
            deadline = started + args.seconds
            threads = [
                threading.Thread(
                    target=client_loop,
                    args=(
                        Visitor(
                            port,
                            pages,
                            results,
                            random.Random(args.random_seed + n),
                            admin_cookies=admin_cookies,
                            peer=peer,
                            bookable=bookable,
                        ),
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
            memory.sample()
            memory.done.set()
            status = report(results, elapsed, args, memory, database_url.split("@")[-1].split("///")[-1])
            if status:
                print("\nlast lines of the gunicorn log:\n" + (scratch_path / "gunicorn.log").read_text()[-3000:])
            return status
        finally:
            stop(server)
            log.close()


if __name__ == "__main__":
    sys.exit(main())
