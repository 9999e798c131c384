"""Search inside documents at scale: the public search with and without page text, served by
gunicorn, beside PostgreSQL full-text search over the same pages.

Usage (from the project root; PostgreSQL only)::

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> DJANGO_DB_STATEMENT_TIMEOUT_MS=0
    .venv/bin/python bench/page_search.py --items 2000            # seed_bulk first when the catalogue is smaller
    .venv/bin/python bench/page_search.py --items 100000 --rounds 5

What it does:

1. Migrates the database and, when it holds fewer than ``--items`` items, adds the missing ones with
   ``seed_bulk``. Each item gets one scanned document of ``--pages`` pages (a ``MediaFile`` of kind
   PDF, not primary, made once by ``bulk_create``). Page text from an earlier run is removed (by
   the ORM, so django-simple-history records each deletion: use a fresh database for large runs),
   so the first phase has none.
2. Starts gunicorn (2 sync workers, the production settings, as ``bench/load.py`` does) and asks
   ``/tim-kiem/`` for each of the twelve searches of ``bench/queries.py``, one request at a time,
   ``--rounds`` times, the cache cleared before every round: a round's first request of a query is
   the page computed (match, count, facets, rank tiers, first page, snippets), its second the
   cached page. This is the catalogue **without page text**.
3. Writes the text of every page (``PageText`` by ``bulk_create``, sentences drawn from the
   vocabulary of ``seed_bulk`` with its codes and years; its folded ``search_text`` as
   ``PageText.save`` makes it, the database filling the generated columns), analyses the table,
   and measures the same requests again: **with page text**. It reports the table's and each
   index's size.
4. The peer, in this process: what a Django project would write with
   ``django.contrib.postgres.search`` over the same pages: ``SearchVector("text", config="simple")``
   under a GIN index of that expression (added for the run with the schema editor and removed
   after), a query ``SearchQuery(q, search_type="websearch", config="simple")``, the public items
   with a matching page counted and the first 20 ranked by ``SearchRank``; beside it the
   project's own page match (``archive.models.items.page_matches``) counted and its first page,
   also in process.

Prints the tables and writes them as JSON into ``bench/results/``. Only 127.0.0.1 is contacted.
Exit status 0, or 1 when a request failed (5xx or no answer), 2 when gunicorn did not start.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import load  # noqa: E402 - the project root is on the path from here
from bench.queries import SEARCH_QUERIES  # noqa: E402

#: The name of the bench's scanned documents, by which a later run finds them.
BENCH_FILE_NAME = "văn bản mẫu (đo tìm trong trang).pdf"
SENTENCES_IN_POOL = 3000
SENTENCES_PER_PAGE = 14
PEER_INDEX = "bench_pagetext_fts"


def setup_django(database_url: str, media_root: Path) -> None:
    """Django in this process, on the served site's settings and database (one cache table)."""
    os.environ.update(load.server_environment(database_url, media_root))
    import django

    django.setup()


# --- the catalogue and its pages --------------------------------------------------------------------


def sentence_pool(rng: random.Random, size: int) -> list[tuple[str, str]]:
    """Sentences of a Party document in the vocabulary of ``seed_bulk``, each with its folded words."""
    from archive.management.commands import seed_bulk
    from archive.models.items import search_words

    people = [f"{f} {m} {g}" for f in seed_bulk.FAMILY for m in seed_bulk.MIDDLE for g in seed_bulk.GIVEN]
    issuers = ["ĐUK", "VPTW", "ĐBTW", "TW", "BTCTW", "ĐU"]
    templates = [
        "Thực hiện {kind} số {n}-{abbr}/{issuer} ngày {d} tháng {m} năm {y} về {subject},",
        "Hội nghị họp tại {place}, đồng chí {person} chủ trì, bàn về {subject}.",
        "Các chi bộ tổ chức học tập, quán triệt {kind} và báo cáo kết quả trước ngày {d}/{m}/{y}.",
        "Đồng chí {person} báo cáo tình hình {subject} ở {place} năm {y}.",
        "Ban Chấp hành Đảng bộ thống nhất đánh giá kết quả {subject} và đề ra nhiệm vụ năm {y}.",
        "Ban Thường vụ giao các đồng chí ủy viên theo dõi, đôn đốc việc {keyword} ở các chi bộ.",
        "Trong năm, các cơ quan đã làm tốt công tác {keyword}, {subject}.",
        "{description}",
    ]
    pool = []
    for _ in range(size):
        kind = rng.choice(seed_bulk.DOCUMENT_KINDS)
        values = {
            "kind": kind,
            "abbr": seed_bulk.TYPE_BY_KIND[kind][1],
            "issuer": rng.choice(issuers),
            "n": rng.randint(1, 250),
            "d": rng.randint(1, 28),
            "m": rng.randint(1, 12),
            "y": rng.randint(1948, 2024),
            "subject": rng.choice(seed_bulk.SUBJECTS),
            "place": rng.choice(seed_bulk.PLACES),
            "person": rng.choice(people),
            "keyword": rng.choice(seed_bulk.KEYWORDS),
        }
        values["description"] = rng.choice(seed_bulk.DESCRIPTIONS).format(
            person=values["person"], place=values["place"], year=values["y"]
        )
        sentence = rng.choice(templates).format(**values)
        pool.append((sentence, " ".join(search_words(sentence))))
    return pool


def page_texts(pool: list[tuple[str, str]], rng: random.Random) -> tuple[str, str]:
    """One page: its text (lines of sentences) and its folded ``search_text``, as ``search_text_of``
    makes it (the folded words of the page between single spaces, one at each end)."""
    chosen = rng.choices(pool, k=SENTENCES_PER_PAGE)
    return "\n".join(text for text, _ in chosen), f" {' '.join(folded for _, folded in chosen)} "


def prepare_catalogue(env: dict[str, str], items: int, pages: int) -> dict:
    """At least ``items`` items, each with one bench document of ``pages`` pages and no page text yet."""
    from archive.models import Item, MediaFile, PageText

    have = Item.objects.count()
    if have < items:
        print(f"seed_bulk --items {items - have} ...", flush=True)
        load.manage(env, "seed_bulk", "--items", str(items - have))
    bench_files = MediaFile.objects.filter(original_name=BENCH_FILE_NAME)
    removed, _ = PageText.objects.filter(media_file__in=bench_files).delete()
    missing = Item.objects.exclude(media__original_name=BENCH_FILE_NAME).values_list("pk", flat=True)
    sample = MediaFile.objects.exclude(file="").values_list("file", "sha256").first() or ("bulk/sample.jpg", "")
    started = time.monotonic()
    made = MediaFile.objects.bulk_create(
        [
            MediaFile(
                item_id=pk,
                kind=MediaFile.Kind.PDF,
                file=sample[0],
                original_name=BENCH_FILE_NAME,
                mime_type="application/pdf",
                size=1,
                sha256=sample[1],
                page_count=pages,
                position=9,
                status=MediaFile.Status.READY,
                text_status=MediaFile.TextStatus.READY,
            )
            for pk in missing.iterator(chunk_size=5000)
        ],
        batch_size=2000,
    )
    return {
        "items": Item.objects.count(),
        "public_items": Item.objects.public().count(),
        "documents_made": len(made),
        "documents_seconds": round(time.monotonic() - started, 1),
        "old_pages_removed": removed,
    }


def write_pages(pages: int, seed: int) -> dict:
    """The text of every page of the bench's documents, by ``bulk_create`` in batches."""
    from django.db import transaction

    from archive.models import MediaFile, PageText

    rng = random.Random(seed)  # noqa: S311 - sample text, not secrets
    pool = sentence_pool(rng, SENTENCES_IN_POOL)
    files = MediaFile.objects.filter(original_name=BENCH_FILE_NAME).order_by("pk").values_list("pk", "item_id")
    started, written, batch = time.monotonic(), 0, []

    def flush() -> None:
        nonlocal written
        with transaction.atomic():
            PageText.objects.bulk_create(batch, batch_size=2000)
        written += len(batch)
        batch.clear()
        print(f"\r  {written:,} pages, {written / (time.monotonic() - started):,.0f} pages/s", end="", flush=True)

    for media_id, item_id in files.iterator(chunk_size=5000):
        for number in range(1, pages + 1):
            text, folded = page_texts(pool, rng)
            batch.append(
                PageText(
                    media_file_id=media_id,
                    item_id=item_id,
                    page=number,
                    source=PageText.Source.OCR,
                    text=text,
                    search_text=folded,
                )
            )
        if len(batch) >= 10000:
            flush()
    if batch:
        flush()
    print(flush=True)
    seconds = time.monotonic() - started
    analyse()
    return {"pages": written, "seconds": round(seconds, 1), "pages_per_second": round(written / max(seconds, 1e-6))}


def analyse() -> None:
    """Fresh planner statistics for the pages, as ``seed_bulk`` leaves its tables."""
    from django.db import connection

    from archive.models import MediaFile, PageText

    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"  # VACUUM needs autocommit
    with connection.cursor() as cursor:
        for model in (PageText, MediaFile):
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def sizes() -> dict:
    """The page-text table's size, its indexes' sizes (MB), read from PostgreSQL's catalogue."""
    from django.db import connection

    from archive.models import PageText

    table = PageText._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_table_size(%s::regclass), pg_indexes_size(%s::regclass), pg_total_relation_size(%s::regclass)",
            [table, table, table],
        )
        table_size, indexes_size, total = cursor.fetchone()
        cursor.execute(
            "SELECT indexrelname, pg_relation_size(indexrelid) FROM pg_stat_user_indexes WHERE relname = %s "
            "ORDER BY indexrelname",
            [table],
        )
        indexes = {name: round(size / 2**20, 1) for name, size in cursor.fetchall()}
    return {
        "table_mb": round(table_size / 2**20, 1),
        "indexes_mb": round(indexes_size / 2**20, 1),
        "total_mb": round(total / 2**20, 1),
        "index_mb": indexes,
    }


# --- the served search ------------------------------------------------------------------------------


def served_searches(port: int, rounds: int) -> dict:
    """Each query asked twice per round (computed, then cached), the cache cleared before each round."""
    from django.core.cache import cache

    computed: dict[str, list[float]] = {name: [] for name, _ in SEARCH_QUERIES}
    cached: dict[str, list[float]] = {name: [] for name, _ in SEARCH_QUERIES}
    failures = []
    for _round in range(rounds):
        cache.clear()
        for name, query in SEARCH_QUERIES:
            path = "/tim-kiem/?" + urlencode({"q": query})
            for into in (computed, cached):
                answer = load.request(port, "GET", path)
                if answer.status != 200:
                    failures.append(f"{answer.status or 'no answer'} {path}")
                into[name].append(answer.seconds)
    return {"computed": computed, "cached": cached, "failures": failures}


def served_phase(env: dict[str, str], scratch: Path, rounds: int) -> dict:
    """gunicorn started, warmed, asked the searches, stopped."""
    port = load.free_port()
    log_path = scratch / "gunicorn.log"
    with log_path.open("a") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "traditions.wsgi", "--workers", "2", "--bind", f"{load.HOST}:{port}"]
            + ["--timeout", "120", "--graceful-timeout", "5"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            if not load.wait_until_ready(port, server):
                print(log_path.read_text()[-4000:], file=sys.stderr)
                raise SystemExit(2)
            for _ in range(4):  # both workers past their first request
                load.request(port, "GET", "/tim-kiem/?" + urlencode({"q": "khởi động"}))
            return served_searches(port, rounds)
        finally:
            load.stop(server)


# --- in process: the project's page match and the peer --------------------------------------------------


def peer_index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    return GinIndex(SearchVector("text", config="simple"), name=PEER_INDEX)


def add_peer_index() -> float:
    from django.db import connection

    from archive.models import PageText

    started = time.monotonic()
    with connection.schema_editor() as editor:
        editor.add_index(PageText, peer_index())
    analyse()
    return round(time.monotonic() - started, 1)


def remove_peer_index() -> None:
    from django.db import connection

    from archive.models import PageText

    with connection.schema_editor() as editor:
        editor.remove_index(PageText, peer_index())


def peer_search(query: str, page_size: int = 20) -> tuple[int, list[int]]:
    """Django's full-text search over the pages: the public items with a matching page, the first
    page of them by the best page's rank."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
    from django.db.models import F, Max

    from archive.models import Item, PageText

    asked = SearchQuery(query, search_type="websearch", config="simple")
    pages = PageText.objects.annotate(document=SearchVector("text", config="simple")).filter(
        document=asked, item__in=Item.objects.public()
    )
    count = pages.values("item_id").distinct().count()
    first = (
        pages.values("item_id")
        .annotate(rank=Max(SearchRank(F("document"), asked)))
        .order_by("-rank", "item_id")
        .values_list("item_id", flat=True)[:page_size]
    )
    return count, list(first)


def ours_search(query: str, page_size: int = 20) -> tuple[int, list[int]]:
    """The project's page match alone (``page_matches``, as the public search adds it): the public
    items with a page that has every folded word, counted, and a first page of them."""
    from django.db import connection

    from archive.models import Item
    from archive.models.items import page_matches, search_words

    words = list(dict.fromkeys(search_words(query)))
    if not words:
        return 0, []
    items = Item.objects.public().filter(pk__in=page_matches(words, vendor=connection.vendor))
    return items.count(), list(items.order_by("pk").values_list("pk", flat=True)[:page_size])


def in_process(rounds: int) -> dict:
    """The peer and the project's page match, interleaved, ``rounds`` times each per query."""
    rows = {}
    for name, query in SEARCH_QUERIES:
        ours, peer = [], []
        for _ in range(rounds):
            for runner, into in ((ours_search, ours), (peer_search, peer)):
                started = time.perf_counter()
                count, _first = runner(query)
                into.append(time.perf_counter() - started)
                rows.setdefault(name, {})["ours_matches" if runner is ours_search else "peer_matches"] = count
        rows[name].update({"query": query, "ours": ms(ours), "peer": ms(peer)})
    return rows


# --- report ---------------------------------------------------------------------------------------------


def ms(values: list[float]) -> dict:
    return {
        "p50_ms": round(load.percentile(values, 0.50) * 1000, 1),
        "p95_ms": round(load.percentile(values, 0.95) * 1000, 1),
    }


def summary(phase: dict) -> dict:
    every = {kind: [s for values in phase[kind].values() for s in values] for kind in ("computed", "cached")}
    return {
        "computed": ms(every["computed"]),
        "cached": ms(every["cached"]),
        "per_query": {name: ms(values) for name, values in phase["computed"].items()},
        "failures": phase["failures"],
    }


def print_report(report: dict) -> None:
    without, with_pages = report["without_pages"], report["with_pages"]
    print(f"\n{report['catalogue']['items']:,} items ({report['catalogue']['public_items']:,} public), ", end="")
    print(f"{report['pages']['pages']:,} pages; load average {report['load_average_end']}")
    print(f"{'served /tim-kiem/':24} {'without pages p50/p95':>22} {'with pages p50/p95':>22}")
    for name, _query in SEARCH_QUERIES:
        a, b = without["per_query"][name], with_pages["per_query"][name]
        print(f"{name:24} {a['p50_ms']:10.1f} / {a['p95_ms']:8.1f} {b['p50_ms']:10.1f} / {b['p95_ms']:8.1f}")
    for kind in ("computed", "cached"):
        a, b = without[kind], with_pages[kind]
        label = f"all, {kind}"
        print(f"{label:24} {a['p50_ms']:10.1f} / {a['p95_ms']:8.1f} {b['p50_ms']:10.1f} / {b['p95_ms']:8.1f}")
    print(f"p95 with pages / without (computed): {report['p95_ratio']:.2f} (target at most 2)")
    size = report["sizes"]
    print(f"page text: table {size['table_mb']} MB, indexes {size['indexes_mb']} MB: {size['index_mb']}")
    print(f"\n{'in process':24} {'ours matches':>12} {'peer matches':>12} {'ours p50/p95':>18} {'peer p50/p95':>18}")
    for name, row in report["in_process"].items():
        print(
            f"{name:24} {row['ours_matches']:12,} {row['peer_matches']:12,} "
            f"{row['ours']['p50_ms']:8.1f} / {row['ours']['p95_ms']:7.1f} "
            f"{row['peer']['p50_ms']:8.1f} / {row['peer']['p95_ms']:7.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--items", type=int, default=2000, help="items in the catalogue (seed_bulk adds the missing)")
    parser.add_argument("--pages", type=int, default=3, help="pages of text per item (default 3)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the twelve searches per phase (default 5)")
    parser.add_argument("--peer-rounds", type=int, default=5, help="in-process runs of each query (default 5)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the page text")
    parser.add_argument("--keep-peer-index", action="store_true", help="leave the peer's GIN index in place")
    parser.add_argument(
        "--output", default=str(BASE_DIR / "bench" / "results"), help="folder of the JSON result ('' for none)"
    )
    args = parser.parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        parser.error("PostgreSQL only: set DATABASE_URL to a postgres:// database")
    if not (0 < args.items <= 2_000_000 and 0 < args.pages <= 20 and 0 < args.rounds <= 50):
        parser.error("keep it bounded: items in (0, 2,000,000], pages in (0, 20], rounds in (0, 50]")

    with tempfile.TemporaryDirectory(prefix="traditions-page-search-") as scratch:
        scratch_path = Path(scratch)
        env = load.server_environment(database_url, scratch_path / "media")
        print(f"preparing {database_url.split('@')[-1]} ...", flush=True)
        load.manage(env, "migrate", "--noinput", "-v", "0")
        load.manage(env, "collectstatic", "--noinput", "-v", "0")
        setup_django(database_url, scratch_path / "media")
        report = {"started_load_average": os.getloadavg(), "rounds": args.rounds}
        report["catalogue"] = prepare_catalogue(env, args.items, args.pages)
        analyse()
        print(f"without page text: {args.rounds} rounds of the twelve searches ...", flush=True)
        without = served_phase(env, scratch_path, args.rounds)
        print(f"writing {args.pages} pages of text per item ...", flush=True)
        report["pages"] = write_pages(args.pages, args.seed)
        print(f"with page text: {args.rounds} rounds ...", flush=True)
        with_pages = served_phase(env, scratch_path, args.rounds)
        report["sizes"] = sizes()
        print("the peer's index and the in-process searches ...", flush=True)
        report["peer_index_seconds"] = add_peer_index()
        report["peer_index_mb"] = sizes()["index_mb"].get(PEER_INDEX)
        try:
            report["in_process"] = in_process(args.peer_rounds)
        finally:
            if not args.keep_peer_index:
                remove_peer_index()
        report["without_pages"], report["with_pages"] = summary(without), summary(with_pages)
        report["p95_ratio"] = round(
            report["with_pages"]["computed"]["p95_ms"] / max(report["without_pages"]["computed"]["p95_ms"], 1e-6), 2
        )
        report["load_average_end"] = [round(value, 2) for value in os.getloadavg()]
        print_report(report)
        failures = without["failures"] + with_pages["failures"]
        for failure in failures[:10]:
            print(f"failed: {failure}")
        if args.output:
            directory = Path(args.output)
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / f"page-search-{time.strftime('%Y%m%d-%H%M%S')}.json"
            path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
            print(f"written: {path}")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
