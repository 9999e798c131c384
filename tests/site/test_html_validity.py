"""Every public page of the demo, in both languages, passes the Nu HTML Checker (vnu-jar from npm,
run on Java) with no error."""

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command

VNU = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PAGE_LIMIT = 600
SKIPPED_PREFIXES = ("/admin/", "/static/", "/tep/", "/nang-cap/", "/iiif/", "/media/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links += [value for name, value in attrs if name == "href" and value]


def _checker() -> list[str]:
    java = shutil.which("java")
    if not (java and VNU.exists()):
        if os.environ.get("CI"):
            pytest.fail("The Nu HTML Checker needs Java and tests/js's vnu-jar (npm ci in tests/js).")
        pytest.skip("Java or vnu-jar is missing (apt-get install default-jre-headless; cd tests/js && npm ci).")
    return [java, "-Xss8m", "-jar", str(VNU)]


def crawl(client) -> dict[str, str]:
    """The HTML of every public page reached from the two home pages: each path once, and the first
    address with a query string of each path (a filtered list, a page of results)."""
    queue, seen, pages, queried = ["/", "/en/"], {"/", "/en/"}, {}, set()
    while queue and len(pages) < PAGE_LIMIT:
        address = queue.pop(0)
        response = client.get(address)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[address] = html
        parser = _Links()
        parser.feed(html)
        for link in parser.links:
            target = urlsplit(urldefrag(urljoin(address, link))[0])
            if target.scheme not in ("", "http") or (target.netloc and target.netloc != "testserver"):
                continue
            if target.path.startswith(SKIPPED_PREFIXES) or target.path.endswith((".svg", ".ics", ".xml", ".txt")):
                continue
            if target.query:
                if target.path in queried:
                    continue
                queried.add(target.path)
            found = target.path + (f"?{target.query}" if target.query else "")
            if found not in seen:
                seen.add(found)
                queue.append(found)
    return pages


@pytest.mark.django_db
def test_the_public_pages_of_the_demo_have_no_html_error(client, tmp_path):
    command = _checker()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    pages = crawl(client)
    assert len(pages) >= 100 and "/en/" in pages
    names = {}
    for number, (address, html) in enumerate(sorted(pages.items())):
        path = tmp_path / f"page-{number:04d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = address
    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", *sorted(str(p) for p in tmp_path.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{names.get(Path(urlsplit(m.get('url', '')).path).name, m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], f"{len(errors)} errors on {len(pages)} pages:\n" + "\n".join(errors[:80])
