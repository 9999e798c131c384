"""When the database goes silent (packets lost, not refused), the site answers fast and recovers by itself.

gunicorn serves the site with production settings through a TCP relay to PostgreSQL; a firewall
rule then drops every packet sent to the relay. /healthz must answer 503 within 2 seconds, a page
must fail with the 500 page within the connection's time limits instead of hanging, and once the
packets flow again both answer 200 without a restart.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


class Relay:
    """Copies bytes between local clients and the database server, one pair of threads a connection."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.listener.close()


def get(url: str, timeout: float = 30) -> tuple[int, float, str]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - a loopback address
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    return status, time.monotonic() - started, body


def iptables(*args: str) -> None:
    subprocess.run(["iptables", *args], check=True, capture_output=True, timeout=20)


@pytest.fixture
def firewall():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL (run with DATABASE_URL=postgres://...): the time limits are PostgreSQL's.")
    if shutil.which("iptables") is None or os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("The outage test must run in CI: it needs root and iptables (apt-get install iptables).")
        pytest.skip("Needs root and iptables to drop packets on a loopback port.")
    rules: list[tuple[str, ...]] = []

    def drop(port: int) -> None:
        rule = ("INPUT", "-p", "tcp", "-d", "127.0.0.1", "--dport", str(port), "-j", "DROP")
        iptables("-I", *rule)
        rules.append(rule)

    def restore() -> None:
        while rules:
            iptables("-D", *rules.pop())

    drop.restore = restore
    yield drop
    restore()


def test_a_silent_database_gives_a_fast_503_and_500_page_then_the_site_recovers(firewall, production_site):
    database = connection.settings_dict
    relay = Relay((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    user = database["USER"] or "postgres"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    server = production_site(f"postgres://{user}{password}@127.0.0.1:{relay.port}/{database['NAME']}")
    server.run("manage.py", "createcachetable")
    site = server.serve()
    try:
        assert get(f"{site}/")[0] == 200

        firewall(relay.port)
        status, took_health, body = get(f"{site}/healthz")
        assert (status, json.loads(body)) == (503, {"status": "error", "database": "no answer"})
        assert took_health < 2.0, f"/healthz took {took_health:.1f} s"
        status, took, body = get(f"{site}/")
        assert status == 500 and "<html" in body, body[:200]
        assert took < 10.0, f"the page took {took:.1f} s to fail"

        print(f"/healthz 503 in {took_health:.2f} s, the page's 500 in {took:.2f} s")
        firewall.restore()
        restored = time.monotonic()
        deadline = restored + 30
        while get(f"{site}/healthz")[0] != 200:
            assert time.monotonic() < deadline, "/healthz did not recover"
            time.sleep(0.5)
        while get(f"{site}/")[0] != 200:
            assert time.monotonic() < deadline, "the home page did not recover"
            time.sleep(0.5)
        print(f"recovered {time.monotonic() - restored:.2f} s after the packets flowed again")
    finally:
        relay.close()
