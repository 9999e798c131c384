"""Media on S3-compatible storage: stored in the bucket, handed out only as short-lived signed URLs.

moto's ThreadedMotoServer speaks the real S3 protocol over HTTP on loopback. It does not enforce
the expiry of presigned URLs, so the tests reach it through a small loopback gateway that applies
S3's rule (X-Amz-Date + X-Amz-Expires in the past: 403 "Request has expired") and forwards
everything else unchanged. django-storages' S3Storage is pointed at the gateway with
``endpoint_url``, exactly as production points it at its provider.
"""

from __future__ import annotations

import datetime
import http.client
import io
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from archive.media import media_file_store
from archive.models import Item

EXPIRE_SECONDS = 2
ACCESS_KEY, SECRET_KEY, REGION = "testing-key", "testing-secret", "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ExpiryGateway(BaseHTTPRequestHandler):
    """Refuses a presigned request after its expiry, as S3 does; forwards the rest to moto."""

    upstream_port = 0
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def _expired(self) -> bool:
        query = parse_qs(urlsplit(self.path).query)
        if "Signature" in query and "Expires" in query:  # the legacy signature version 2
            return time.time() > int(query["Expires"][0])
        if "X-Amz-Signature" not in query:
            return False
        signed_at = datetime.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)
        lifetime = datetime.timedelta(seconds=int(query["X-Amz-Expires"][0]))
        return datetime.datetime.now(datetime.UTC) > signed_at + lifetime

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if self._expired():
            payload = (
                b'<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>'
            )
            self.send_response(403)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        connection = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        headers = {key: value for key, value in self.headers.items() if key.lower() != "connection"}
        connection.request(self.command, self.path, body=body, headers=headers)
        upstream = connection.getresponse()
        payload = upstream.read()
        self.send_response(upstream.status)
        for key, value in upstream.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length", "server", "date"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        connection.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    moto_port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    server.start()
    handler = type("Gateway", (ExpiryGateway,), {"upstream_port": moto_port})
    gateway = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=gateway.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{gateway.server_address[1]}"
    gateway.shutdown()
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh private bucket, and the default storage pointed at it (re-created by override_settings)."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=name)
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": EXPIRE_SECONDS,
                "signature_version": "s3v4",
                "file_overwrite": False,
            },
        },
    }
    with override_settings(STORAGES=storages):
        yield client, name


def jpeg_upload(name: str = "Ảnh Hội nghị.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 60, 150)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def store(public: bool):
    item = Item(title="Ảnh S3", status=Item.Status.PUBLISHED if public else Item.Status.DRAFT)
    item.save()
    return media_file_store(item=item, uploaded=jpeg_upload())


def keys_of(client, name: str) -> set[str]:
    return {entry["Key"] for entry in client.list_objects_v2(Bucket=name).get("Contents", [])}


@pytest.mark.django_db
def test_uploads_and_their_derivatives_are_stored_in_the_bucket(bucket, settings):
    client, name = bucket
    media = store(public=True)
    names = {media.file.name, media.thumbnail.name, media.medium.name, media.large.name}
    assert len(names) == 4
    assert names <= keys_of(client, name)
    stored = client.get_object(Bucket=name, Key=media.file.name)["Body"].read()
    assert stored[:3] == b"\xff\xd8\xff" and len(stored) == media.size
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing is written to the local disk


@pytest.mark.django_db
def test_public_media_redirect_to_a_presigned_url_that_expires(bucket, client):
    _client, name = bucket
    media = store(public=True)
    response = client.get(reverse("archive:media", args=[media.pk, "thumbnail"]))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == [str(EXPIRE_SECONDS)]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and query["X-Amz-Signature"][0]
    assert urlsplit(location).path.endswith(media.thumbnail.name)
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == media.thumbnail.open("rb").read()
    assert fetched.headers["Content-Type"] == "image/jpeg"
    time.sleep(EXPIRE_SECONDS + 1.2)
    expired = requests.get(location, timeout=10)
    assert expired.status_code == 403 and b"expired" in expired.content
    # A new visit gets a new, valid link.
    again = client.get(reverse("archive:media", args=[media.pk, "thumbnail"]))
    assert requests.get(again["Location"], timeout=10).status_code == 200


@pytest.mark.django_db
def test_a_download_link_asks_s3_for_the_vietnamese_file_name(bucket, client):
    media = store(public=True)
    response = client.get(reverse("archive:media", args=[media.pk, "original"]) + "?tai-ve=1")
    fetched = requests.get(response["Location"], timeout=10)
    assert fetched.status_code == 200
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E1%BA%A2nh%20H%E1%BB%99i%20ngh%E1%BB%8B.jpg" in fetched.headers["Content-Disposition"]


@pytest.mark.django_db
def test_a_non_public_items_media_never_redirect_an_anonymous_visitor(bucket, client, propaganda_user, settings):
    media = store(public=False)
    settings.MEDIA_ACCEL = "x-accel-redirect"  # ignored for S3: the link is signed instead
    for variant in ("original", "thumbnail", "medium", "large"):
        response = client.get(reverse("archive:media", args=[media.pk, variant]))
        assert response.status_code == 404
        assert "Location" not in response and "X-Accel-Redirect" not in response
    client.force_login(propaganda_user)
    response = client.get(reverse("archive:media", args=[media.pk, "large"]))
    assert response.status_code == 302 and "X-Amz-Signature=" in response["Location"]
    assert requests.get(response["Location"], timeout=10).status_code == 200


@pytest.mark.django_db
def test_object_keys_are_random_and_the_bucket_refuses_unsigned_reads(bucket, s3_endpoint):
    _client, name = bucket
    media = store(public=False)
    for field in (media.file, media.thumbnail):
        assert "Ảnh" not in field.name and len(Path(field.name).stem) == 32
        assert requests.get(f"{s3_endpoint}/{name}/{field.name}", timeout=10).status_code == 403


def test_settings_configure_signed_s3_media_from_the_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_DEBUG": "1",
            "DJANGO_S3_BUCKET": "kho-tu-lieu",
            "DJANGO_S3_ENDPOINT_URL": "https://s3.example.vn",
            "DJANGO_S3_URL_EXPIRE_SECONDS": "120",
        }
    )
    code = (
        "import json, traditions.settings as s; o = s.STORAGES['default']; "
        "print(json.dumps([o['BACKEND'], o['OPTIONS']['bucket_name'], o['OPTIONS']['querystring_auth'], "
        "o['OPTIONS']['querystring_expire'], o['OPTIONS']['signature_version'], o['OPTIONS']['default_acl'], "
        "o['OPTIONS']['file_overwrite']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '["storages.backends.s3.S3Storage", "kho-tu-lieu", true, 120, "s3v4", null, false]'
