"""One benchmark run on the current database: pages, search against a naive scan, import throughput.

Every page is requested through Django's test client in this process, so the figures are the
cost of Django's work (middleware, views, queries, templates), not of a network. Each page's
median is also given as a ratio to the *floor*: one primary-key query rendered with the base
template, measured in the same run on the same machine, so the ratios travel between machines
where milliseconds do not. The floor is timed again just before each page, and a page's ratio
divides its median by that floor's median.

Public pages are measured three ways: *uncached* (the page cache turned off, so every request
runs the view, its queries and its templates; the facet counts of the browse pages stay in the
cache, as they do for a page nobody has asked for yet), *cold* (the whole cache cleared before
every request: nothing is cached at all) and *cached* (the anonymous page cache primed, as
visitors mostly meet it). The run happens inside one transaction that is rolled back,
so the database is left as it was found (only sequences move).
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import json
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import clear_url_caches, set_urlconf

from bench.queries import SEARCH_QUERIES

RESULTS_DIR = Path(__file__).resolve().parent / "results"

# What visitors type, without diacritics: one, two and three words.
DEFAULT_SEARCHES = ("hue", "bang khen", "chinh don dang")
#: The searches compared with the peer (bench/peer.py).
PEER_SEARCHES = tuple(SEARCH_QUERIES)
#: Runs of each search in the peer comparison (ours and the peer's interleaved).
PEER_RUNS = 20
IMPORT_ROWS = 10_000
#: Requests of the floor, then of the page, in each block of a paired figure (``Bench.time_paired``).
PAIRED_BLOCK = 5

# Targets checked against the figures of this command (reported, never asserted).
TARGETS = {
    "public_max_queries": 10,
    "import_min_rows_per_second": 1000.0,
}


@dataclass
class PageFigures:
    name: str
    url: str
    group: str  # "floor", "public" or "admin"
    median_ms: float = 0.0
    p95_ms: float = 0.0
    queries: int = 0
    ratio: float = 0.0
    #: The median of the floor timed alternately with this page (``Bench.time_paired``): the ratio's divisor.
    floor_median_ms: float | None = None
    cold_median_ms: float | None = None
    cold_ratio: float | None = None
    cached_median_ms: float | None = None
    cached_p95_ms: float | None = None
    cached_queries: int | None = None
    cached_ratio: float | None = None
    matches: int | None = None


@dataclass
class SearchFigures:
    query: str
    words: int
    matches: int
    search_median_ms: float
    naive_median_ms: float
    naive_ratio: float
    explain: str = ""


@dataclass
class PeerFigures:
    """One search, ours against the peer's: times of the whole work of the search page (match,
    count, facets, rank, the first page's cards) with the facets cached and with nothing cached
    (``cold``), the peer's (count and the first page by ts_rank_cd), and their match sets."""

    meaning: str
    query: str
    whole_words: bool
    matches: int
    peer_matches: int
    peer_not_ours: int
    median_ms: float
    p95_ms: float
    cold_median_ms: float
    cold_p95_ms: float
    peer_median_ms: float
    peer_p95_ms: float


@dataclass
class Report:
    started: str
    machine: dict
    items: int
    public_items: int
    requests: int
    pages: list[PageFigures] = field(default_factory=list)
    searches: list[SearchFigures] = field(default_factory=list)
    peer: list[PeerFigures] = field(default_factory=list)
    peer_runs: int = 0
    load: str = ""
    import_rows: int = 0
    import_seconds: float = 0.0
    import_rows_per_second: float = 0.0
    sitemap_pages: int = 0
    sitemap_items: int = 0
    checks: dict = field(default_factory=dict)


@contextlib.contextmanager
def settled_heap():
    """Each figure starts from the same heap: what the run has built up so far (earlier figures,
    responses, the import's rows) is collected or frozen out of the garbage collector's way, as in
    a server worker that has just started, so a figure does not pay for scanning its predecessors'
    objects. Garbage the requests themselves make is collected as usual."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def machine() -> dict:
    info = {"python": platform.python_version(), "database": connection.vendor, "nproc": _nproc()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with contextlib.suppress(OSError):
        info["memory"] = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout.strip()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            info["database_version"] = "PostgreSQL " + cursor.fetchone()[0]
        elif connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            info["database_version"] = "SQLite " + cursor.fetchone()[0]
    return info


def _nproc() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Bench:
    def __init__(
        self,
        *,
        requests: int = 30,
        searches=DEFAULT_SEARCHES,
        import_rows: int = IMPORT_ROWS,
        peer_runs: int = PEER_RUNS,
        only_peer: bool = False,
        log=print,
    ):
        self.requests = max(1, requests)
        self.peer_runs = peer_runs
        self.only_peer = only_peer
        self.searches = tuple(searches)
        self.import_rows = import_rows
        self.log = log

    # Timing ---------------------------------------------------------------------------

    def _get(self, client: Client, url: str):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response

    def time_url(self, client: Client, url: str, *, before: Callable[[], None] | None = None) -> list[float]:
        for _ in range(2 if self.requests > 2 else 1):  # warm up: imports, template loading
            if before:
                before()
            self._get(client, url)
        with settled_heap():
            return self._timed(client, url, self.requests, before=before)

    def time_paired(
        self, client: Client, url: str, *, before: Callable[[], None] | None = None, floor: tuple | None = None
    ) -> tuple[list[float], list[float]]:
        """``url``'s times, and with ``floor`` (a client and the floor's address) the floor's, timed
        in alternating blocks of ``PAIRED_BLOCK`` requests: each ratio divides by a floor of the
        same seconds. On this shared host the speed drifts within a minute (a floor timed just
        before a page differed by two times from one page to the next), and a block of each keeps
        both under the same conditions. The young garbage is collected before each block, untimed,
        so the floor never pays for collecting the page's garbage (which would flatter the page)
        nor the page the floor's."""
        if not floor:
            return self.time_url(client, url, before=before), []
        floor_client, floor_url = floor
        for _ in range(2 if self.requests > 2 else 1):  # warm up both: imports, template loading
            self._get(floor_client, floor_url)
            if before:
                before()
            self._get(client, url)
        page_times: list[float] = []
        floor_times: list[float] = []
        with settled_heap():
            while len(page_times) < self.requests:
                size = min(PAIRED_BLOCK, self.requests - len(page_times))
                gc.collect()
                floor_times += self._timed(floor_client, floor_url, size)
                gc.collect()
                page_times += self._timed(client, url, size, before=before)
        return page_times, floor_times

    def _timed(self, client: Client, url: str, count: int, *, before: Callable[[], None] | None = None) -> list[float]:
        times = []
        for _ in range(count):
            if before:
                before()
            started = time.perf_counter()
            self._get(client, url)
            times.append((time.perf_counter() - started) * 1000)
        return times

    def count_queries(self, client: Client, url: str, *, before: Callable[[], None] | None = None) -> int:
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            self._get(client, url)
        return len(captured.captured_queries)

    def time_call(self, function: Callable[[], object]) -> list[float]:
        function()
        times = []
        with settled_heap():
            for _ in range(self.requests):
                started = time.perf_counter()
                function()
                times.append((time.perf_counter() - started) * 1000)
        return times

    # The run ----------------------------------------------------------------------------

    def run(self) -> Report:
        from archive.models import Item

        report = Report(
            started=datetime.now().isoformat(timespec="seconds"),
            machine=machine(),
            items=Item.objects.count(),
            public_items=Item.objects.public().count(),
            requests=self.requests,
        )
        overrides = {
            "ROOT_URLCONF": "bench.urls",
            "DEBUG": False,
            "ALLOWED_HOSTS": [*settings.ALLOWED_HOSTS, "testserver"],
            "STORAGES": {
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        }
        with override_settings(**overrides), transaction.atomic():
            clear_url_caches()
            set_urlconf(None)
            try:
                if not self.only_peer:
                    self._pages(report)
                    self._sitemaps(report)
                    self._searches(report)
                self._peer(report)
                if not self.only_peer:
                    self._import(report)
            finally:
                transaction.set_rollback(True)
                clear_url_caches()
                set_urlconf(None)
        from exhibits.cache import bump_content_version

        bump_content_version()
        vacuum_after_import()
        report.checks = check_targets(report)
        return report

    def _targets(self) -> dict:
        from archive.models import Item, Period
        from exhibits.models import Exhibit

        public = Item.objects.public()
        period = Period.objects.annotate(n=Count("items", filter=Q(items__in=public))).order_by("-n", "number").first()
        count = public.count()
        item = public.order_by("pk")[count // 2 : count // 2 + 1].first() if count else None
        if item is None:
            raise RuntimeError("Không có tư liệu công khai nào để đo; chạy seed_bulk trước.")
        exhibit = Exhibit.objects.published().order_by("pk").first()
        return {"period": period, "item": item, "exhibit": exhibit}

    def _pages(self, report: Report) -> None:
        from archive.models import Item

        targets = self._targets()
        item = targets["item"]
        document_type = (
            Item.objects.public()
            .exclude(document_type="")
            .values("document_type")
            .annotate(n=Count("pk"))
            .order_by("n", "document_type")
            .values_list("document_type", flat=True)
            .first()
        )
        public_pages = [
            ("home", "/"),
            ("period", f"/thoi-ky/{targets['period'].slug}/" if targets["period"] else None),
            ("item list, page 1", "/tu-lieu/"),
            ("item list, page 500", "/tu-lieu/?page=500"),
            *[(f"search, {len(q.split())} word(s)", "/tim-kiem/?q=" + q.replace(" ", "+")) for q in self.searches],
            (
                "facet-filtered list",
                f"/tu-lieu/?document_type={document_type}" if document_type else "/tu-lieu/?kind=photo",
            ),
            ("item detail", item.get_absolute_url()),
            ("exhibit", targets["exhibit"].get_absolute_url() if targets["exhibit"] else None),
        ]
        admin_pages = [
            ("admin: item changelist", "/admin/archive/item/"),
            ("admin: changelist + search", "/admin/archive/item/?q=" + self.searches[-1].replace(" ", "+")),
            ("admin: changelist + filter", "/admin/archive/item/?kind__exact=artifact"),
        ]

        anonymous = Client()
        floor_url = f"/__bench__/floor/{item.pk}/"
        self.log("floor …")
        floor_times = self.time_url(anonymous, floor_url)
        floor_median = statistics.median(floor_times)
        report.pages.append(
            PageFigures(
                "floor (1 query + base template)",
                floor_url,
                "floor",
                median_ms=floor_median,
                p95_ms=percentile(floor_times, 0.95),
                queries=self.count_queries(anonymous, floor_url),
                ratio=1.0,
            )
        )

        for name, url in public_pages:
            if url is None:
                self.log(f"{name}: nothing to measure (no data)")
                continue
            self.log(f"{name} …")
            floor = (anonymous, floor_url)
            cold, cold_floor = self.time_paired(anonymous, url, before=cache.clear, floor=floor)
            with override_settings(EXHIBITS_PAGE_CACHE=False):
                uncached, uncached_floor = self.time_paired(anonymous, url, floor=floor)
                queries = self.count_queries(anonymous, url)
            self._get(anonymous, url)  # primes the page cache
            warm, warm_floor = self.time_paired(anonymous, url, floor=floor)
            report.pages.append(
                PageFigures(
                    name,
                    url,
                    "public",
                    median_ms=statistics.median(uncached),
                    p95_ms=percentile(uncached, 0.95),
                    queries=queries,
                    ratio=statistics.median(uncached) / statistics.median(uncached_floor),
                    floor_median_ms=statistics.median(uncached_floor),
                    cold_median_ms=statistics.median(cold),
                    cold_ratio=statistics.median(cold) / statistics.median(cold_floor),
                    cached_median_ms=statistics.median(warm),
                    cached_p95_ms=percentile(warm, 0.95),
                    cached_queries=self.count_queries(anonymous, url),
                    cached_ratio=statistics.median(warm) / statistics.median(warm_floor),
                )
            )

        staff = self._staff_client()
        for name, url in admin_pages:
            self.log(f"{name} …")
            times, floor_times = self.time_paired(staff, url, floor=(anonymous, floor_url))
            report.pages.append(
                PageFigures(
                    name,
                    url,
                    "admin",
                    median_ms=statistics.median(times),
                    p95_ms=percentile(times, 0.95),
                    queries=self.count_queries(staff, url),
                    ratio=statistics.median(times) / statistics.median(floor_times),
                    floor_median_ms=statistics.median(floor_times),
                )
            )

    def _sitemaps(self, report: Report) -> None:
        """Reads the sitemaps as a search engine does (the index, then every page it names) and
        counts the distinct public item pages listed, in Vietnamese."""
        import re
        from urllib.parse import urlsplit

        from django.urls import reverse

        self.log("sitemaps …")
        prefix = reverse("exhibits:item_list")
        client, loc = Client(), re.compile(r"<loc>([^<]+)</loc>")
        index = client.get("/sitemap.xml")
        if index.status_code != 200:
            raise RuntimeError(f"/sitemap.xml answered {index.status_code}")
        listed: set[str] = set()
        for location in loc.findall(index.content.decode()):
            address = urlsplit(location.replace("&amp;", "&"))
            response = client.get(address.path + (f"?{address.query}" if address.query else ""))
            if response.status_code != 200:
                raise RuntimeError(f"{location} answered {response.status_code}")
            report.sitemap_pages += 1
            for url in loc.findall(response.content.decode()):
                path = urlsplit(url).path
                if path.startswith(prefix) and path != prefix:
                    listed.add(path)
        report.sitemap_items = len(listed)

    def _staff_client(self) -> Client:
        """The superuser signed in as staff are: the password step (forced), then the code of an
        authenticator app, so the admin's pages answer rather than send to the second step. The
        device is made inside the run's transaction and rolled back with it."""
        from django.urls import reverse
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from traditions.two_factor import confirmed_device

        user = self._superuser()
        device = confirmed_device(user) or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        client = Client()
        client.force_login(user)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        response = client.post(reverse("two_factor_verify"), {"token": f"{code:06d}"})
        if response.status_code != 302:
            raise RuntimeError(f"the bench's staff sign-in answered {response.status_code}")
        return client

    def _superuser(self):
        user_model = get_user_model()
        user = user_model.objects.filter(is_superuser=True, is_active=True).first()
        if user is None:  # created inside the run's transaction, so rolled back with it
            user = user_model.objects.create_superuser("bench-superuser", "bench@example.invalid", None)
        return user

    def _searches(self, report: Report) -> None:
        from archive.models.items import search_words
        from exhibits import search, selectors

        for query in self.searches:
            self.log(f"search “{query}” against a naive scan …")
            words = search_words(query)
            values = {"q": query}
            # What the search page asks for: its facets and the first page's items for the cards.
            results = selectors.browse(values, 1)
            search_times = self.time_call(lambda v=values: list(selectors.browse(v, 1).page.object_list))
            naive_times = self.time_call(lambda w=words: naive_scan(w))
            search_median = statistics.median(search_times)
            naive_median = statistics.median(naive_times)
            report.searches.append(
                SearchFigures(
                    query=query,
                    words=len(words),
                    matches=results.facets.total,
                    search_median_ms=search_median,
                    naive_median_ms=naive_median,
                    naive_ratio=naive_median / search_median if search_median else 0.0,
                    explain=explain(
                        search.ranked(search.matching_queryset(values), query).order_by(*search.RELEVANCE_ORDER)[:20]
                    ),
                )
            )
            for page in report.pages:
                if page.url.endswith("?q=" + query.replace(" ", "+")) and page.group == "public":
                    page.matches = results.facets.total

    def _peer(self, report: Report) -> None:
        """Each of ``PEER_SEARCHES`` against the peer, run after run interleaved, so both meet the
        machine in the same state; the peer's table is built inside the run's transaction."""
        from archive.models.items import is_code, search_words
        from bench import peer
        from exhibits import search, selectors

        if not self.peer_runs or connection.vendor != "postgresql":
            return
        self.log("peer: building its table …")
        peer.build()
        report.peer_runs = self.peer_runs
        with contextlib.suppress(OSError):
            report.load = Path("/proc/loadavg").read_text().strip()

        def ours(query: str) -> None:
            results = selectors.browse({"q": query}, 1)
            list(results.page)

        times: dict[str, dict[str, list[float]]] = {q: {"warm": [], "cold": [], "peer": []} for _, q in PEER_SEARCHES}

        def timed(kind: str, query: str, function: Callable[[], object]) -> None:
            started = time.perf_counter()
            function()
            times[query][kind].append((time.perf_counter() - started) * 1000)

        for _, query in PEER_SEARCHES:  # warm up: imports, plans, the facets in the cache
            ours(query)
            peer.peer_search(query)
        self.log(f"peer: {len(PEER_SEARCHES)} searches × {self.peer_runs} runs …")
        with settled_heap():
            for _ in range(self.peer_runs):
                for _, query in PEER_SEARCHES:
                    cache.clear()
                    timed("cold", query, lambda q=query: ours(q))
                    timed("warm", query, lambda q=query: ours(q))
                    timed("peer", query, lambda q=query: peer.peer_search(q))
        for meaning, query in PEER_SEARCHES:
            mine = set(search.matching_queryset({"q": query}).values_list("pk", flat=True))
            theirs = peer.peer_matches(query)
            figures = times[query]
            report.peer.append(
                PeerFigures(
                    meaning=meaning,
                    query=query,
                    whole_words=not any(is_code(word) for word in search_words(query)),
                    matches=len(mine),
                    peer_matches=len(theirs),
                    peer_not_ours=len(theirs - mine),
                    median_ms=statistics.median(figures["warm"]),
                    p95_ms=percentile(figures["warm"], 0.95),
                    cold_median_ms=statistics.median(figures["cold"]),
                    cold_p95_ms=percentile(figures["cold"], 0.95),
                    peer_median_ms=statistics.median(figures["peer"]),
                    peer_p95_ms=percentile(figures["peer"], 0.95),
                )
            )

    def _import(self, report: Report) -> None:
        if not self.import_rows:
            return
        from archive.resources import ItemResource

        self.log(f"import of {self.import_rows:,} CSV rows …")
        dataset = import_dataset(self.import_rows)
        resource = ItemResource()
        with transaction.atomic():
            started = time.perf_counter()
            result = resource.import_data(
                dataset,
                dry_run=False,
                raise_errors=True,
                use_transactions=True,
                rollback_on_validation_errors=True,
                user=self._superuser(),
            )
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        if result.has_errors() or result.has_validation_errors():
            raise RuntimeError("the benchmark import reported errors")
        report.import_rows = self.import_rows
        report.import_seconds = elapsed
        report.import_rows_per_second = self.import_rows / elapsed if elapsed else 0.0


def vacuum_after_import() -> None:
    """Clear away the rows the rolled-back import left behind (PostgreSQL), so the next run meets
    the tables as this one did: 10,000 dead rows are below autovacuum's threshold at 100,000 items
    (20 %), and until vacuumed the pages they were written to are not all-visible, so index-only
    scans visit the table again (page 500 of the list fetched 3,190 of the 10,000 keys it skips
    from the table in a second run, none in the first)."""
    from archive.models import Item, Keyword

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = [
        Item._meta.db_table,
        Item.history.model._meta.db_table,
        Item.bodies.through._meta.db_table,
        Item.people.through._meta.db_table,
        Item.keywords.through._meta.db_table,
        Keyword._meta.db_table,
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")


def naive_scan(words: list[str]):
    """What a search without the folded text and its index would do: icontains over title and
    summary for every word, the count and the first page of twenty."""
    from archive.models import Item

    queryset = Item.objects.public()
    for word in words:
        queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return queryset.count(), list(queryset.order_by("-published_at", "-pk")[:20])


def explain(queryset) -> str:
    if connection.vendor == "postgresql":
        return queryset.explain(analyze=True)
    return queryset.explain()


def import_dataset(rows: int):
    """``rows`` new items as staff would fill in the CSV template, with the same headers."""
    import random

    import tablib

    from archive.models import Body, Period

    rng = random.Random(8)
    periods = list(Period.objects.prefetch_related("spans"))
    bodies = list(Body.objects.values_list("name", flat=True)[:50])
    kinds = [("Nghị quyết", "nghị quyết", "NQ"), ("Kế hoạch", "kế hoạch", "KH"), ("Báo cáo", "báo cáo", "BC")]
    subjects = ["công tác tuyên truyền", "kết nạp đảng viên", "xây dựng Đảng", "thi đua khen thưởng"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    headers = [
        "Số đăng ký",
        "Loại hình",
        "Thể loại văn bản",
        "Tiêu đề",
        "Trích yếu nội dung",
        "Số và ký hiệu",
        "Địa danh ban hành",
        "Ngày tháng",
        "Thời kỳ",
        "Tổ chức liên quan",
        "Từ khóa",
        "Mức độ tiếp cận",
    ]
    writer.writerow(headers)
    for index in range(rows):
        period = rng.choice(periods)
        span = rng.choice(list(period.spans.all()))
        year = rng.randint(span.start_year, (span.end_year or datetime.now().year - 1))
        title, doc_type, code = rng.choice(kinds)
        subject = rng.choice(subjects)
        writer.writerow(
            [
                "",
                "Tài liệu văn bản",
                doc_type,
                f"{title} về {subject} (nhập thử {index + 1})",
                f"{title} về {subject}, năm {year}.",
                f"{rng.randint(1, 999)}-{code}/ĐUK",
                "Hà Nội",
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
                period.code,
                rng.choice(bodies) if bodies else "",
                "thi đua; truyền thống",
                "Công khai",
            ]
        )
    return tablib.Dataset().load(buffer.getvalue(), format="csv")


def check_targets(report: Report) -> dict:
    """The targets this command can check against its figures: True when one holds, False when it
    does not, None when the run did not measure it (no pages, no peer, no import). The latency
    targets of pages as users get them are checked by bench/load.py's figures (bench/README.md)."""
    public = [p for p in report.pages if p.group == "public"]

    def holds(figures, test):
        return all(test(figure) for figure in figures) if figures else None

    return {
        "public pages at most 10 queries": holds(public, lambda p: p.queries <= TARGETS["public_max_queries"]),
        "cached public pages 0 queries": holds(public, lambda p: p.cached_queries == 0),
        "search p95 (facets cached) no slower than the peer's": holds(report.peer, lambda p: p.p95_ms <= p.peer_p95_ms),
        "search finds every match of the peer's (whole words)": holds(
            [p for p in report.peer if p.whole_words], lambda p: not p.peer_not_ours
        ),
        "the sitemaps list every public item": (
            report.sitemap_items == report.public_items if report.sitemap_pages else None
        ),
        "import at least 1,000 rows per second": (
            report.import_rows_per_second >= TARGETS["import_min_rows_per_second"] if report.import_rows else None
        ),
    }


def table(report: Report) -> str:
    """The figures as a Markdown table (printed, and pasted into bench/README.md)."""
    lines = [
        f"{report.items:,} items ({report.public_items:,} public), {report.requests} requests per figure, "
        f"{report.machine.get('database_version', report.machine.get('database'))}",
        "",
        "| page | median ms | p95 ms | queries | its floor ms | × floor | cold median ms | cold × floor "
        "| cached median ms | cached p95 ms | cached queries | cached × floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in report.pages:
        cached = (
            f"{page.cold_median_ms:.2f} | {page.cold_ratio:.1f} | {page.cached_median_ms:.2f} | "
            f"{page.cached_p95_ms:.2f} | {page.cached_queries} | {page.cached_ratio:.1f}"
            if page.cached_median_ms is not None
            else "– | – | – | – | – | –"
        )
        name = page.name + (f" ({page.matches:,} matches)" if page.matches is not None else "")
        paired = f"{page.floor_median_ms:.2f}" if page.floor_median_ms is not None else "–"
        lines.append(
            f"| {name} | {page.median_ms:.2f} | {page.p95_ms:.2f} | {page.queries} | {paired} | {page.ratio:.1f} "
            f"| {cached} |"
        )
    if report.searches:
        lines += [
            "",
            "| search | words | matches | search median ms | naive scan median ms | naive ÷ search |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for s in report.searches:
            lines.append(
                f"| {s.query} | {s.words} | {s.matches:,} | {s.search_median_ms:.2f} | {s.naive_median_ms:.2f} "
                f"| {s.naive_ratio:.1f} |"
            )
    if report.peer:
        lines += [
            "",
            f"Search against the peer (PostgreSQL full-text search, unaccent, GIN, ts_rank_cd; bench/peer.py), "
            f"{report.peer_runs} runs each, interleaved; load average {report.load}",
            "",
            "| search | query | matches | peer's | peer's not ours | median ms | p95 ms | cold median ms "
            "| cold p95 ms | peer median ms | peer p95 ms |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for p in report.peer:
            lines.append(
                f"| {p.meaning} | {p.query} | {p.matches:,} | {p.peer_matches:,} | {p.peer_not_ours:,} "
                f"| {p.median_ms:.1f} | {p.p95_ms:.1f} | {p.cold_median_ms:.1f} | {p.cold_p95_ms:.1f} "
                f"| {p.peer_median_ms:.1f} | {p.peer_p95_ms:.1f} |"
            )
    if report.sitemap_pages:
        lines += [
            "",
            f"Sitemaps: the index names {report.sitemap_pages:,} pages, listing {report.sitemap_items:,} "
            f"distinct item pages of {report.public_items:,} public items.",
        ]
    if report.import_rows:
        lines += [
            "",
            f"Import: {report.import_rows:,} CSV rows through ItemResource in {report.import_seconds:.1f} s = "
            f"{report.import_rows_per_second:,.0f} rows/s (rolled back).",
        ]
    lines += ["", "| target | holds |", "| --- | --- |"]
    verdict = {True: "yes", False: "NO", None: "not measured"}
    lines += [f"| {name} | {verdict[ok]} |" for name, ok in report.checks.items()]
    return "\n".join(lines)


def write_json(report: Report, directory: Path = RESULTS_DIR) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(asdict(report), ensure_ascii=False, indent=2), encoding="utf-8")
    return path
