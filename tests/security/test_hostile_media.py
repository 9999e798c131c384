"""Films and recordings are read with ffprobe before anything is stored: a magic header with nothing
real behind it (zeros behind an MP4 header), a file cut off before its index, a film without a
picture, a recording without sound or duration are refused with a Vietnamese message naming the
field and the fix. Without ffprobe nothing is accepted (the check fails closed).

The real films and recordings are made with ffmpeg (tests/archive/media_samples.py).
"""

from __future__ import annotations

import io
import logging
import wave
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from archive import media
from archive.models import Body, Contribution, ContributionFile, Item, MediaFile
from tests.archive.media_samples import require_ffmpeg, sample

MP4_HEADER = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
WEBM_HEADER = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"


def zeros_behind_an_mp4_header(megabytes: int = 4) -> bytes:
    return MP4_HEADER + b"\x00" * (megabytes * 1024 * 1024)


def first_half(name: str) -> bytes:
    data = sample(name)
    return data[: len(data) // 2]


def silent_wav_without_samples() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"")
    return buffer.getvalue()


def cover_only_mp4() -> bytes:
    """An MP4 holding one still picture marked as cover art, and no film."""
    import subprocess
    import tempfile

    require_ffmpeg()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "bia.mp4"
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-nostdin",
                "-f",
                "lavfi",
                "-i",
                "color=red:size=64x64",
                "-frames:v",
                "1",
                "-c:v",
                "mjpeg",
                "-disposition:v",
                "attached_pic",
                str(target),
            ],
            check=True,
            timeout=60,
        )
        return target.read_bytes()


# (id, name, content, expected error code)
REFUSED = [
    ("zeros behind an mp4 header", "phim.mp4", zeros_behind_an_mp4_header, "bad_video"),
    ("webm header then zeros", "phim.webm", lambda: WEBM_HEADER + b"\x00" * 65536, "bad_video"),
    ("mp4 cut off before its index", "phim.mp4", lambda: first_half("phim.mp4"), "bad_video"),
    ("mp4 holding only sound", "phim.mp4", lambda: sample("tiếng trong mp4.mp4"), "bad_video"),
    ("mp4 holding only a cover picture", "phim.mp4", cover_only_mp4, "bad_video"),
    ("id3 tag then zeros", "ghi âm.mp3", lambda: b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 65536, "bad_audio"),
    ("m4a cut off before its index", "ghi âm.m4a", lambda: first_half("ghi âm.m4a"), "bad_audio"),
    ("wav without samples", "ghi âm.wav", silent_wav_without_samples, "bad_audio"),
]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def media_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def no_ffprobe(monkeypatch, tmp_path):
    """A machine without ffmpeg: nothing named ffprobe on the PATH."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


# --- inspection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "name", "content", "code"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_film_or_recording_without_real_content_is_refused(case, name, content, code):
    require_ffmpeg()
    with pytest.raises(ValidationError) as caught:
        media.inspect_upload(upload(name, content()), field_label="Tệp đính kèm")
    assert caught.value.code == code, case
    message = caught.value.messages[0]
    assert message.startswith("Tệp đính kèm: tệp " + ("video" if code == "bad_video" else "âm thanh"))
    assert "Hãy xuất lại" in message


def test_a_real_film_is_accepted_with_its_duration():
    data = sample("phim có tiếng.mp4")
    result = media.inspect_upload(upload("phim.mp4", data))
    assert (result.kind, result.mime_type) == ("video", "video/mp4")
    assert result.duration == pytest.approx(1.0, abs=0.1)


def test_without_ffprobe_films_and_recordings_are_refused_with_a_message(no_ffprobe, caplog):
    wav = io.BytesIO()
    with wave.open(wav, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 8000)
    for name, content in (("phim.mp4", zeros_behind_an_mp4_header(1)), ("ghi âm.wav", wav.getvalue())):
        with pytest.raises(ValidationError) as caught:
            media.inspect_upload(upload(name, content), field_label="Tệp gửi kèm")
        assert caught.value.code == "probe_unavailable"
        assert caught.value.messages[0].startswith("Tệp gửi kèm: máy chủ hiện không kiểm tra được tệp video")
        assert "Hãy báo quản trị hệ thống" in caught.value.messages[0]
    assert any(r.levelno == logging.ERROR and "ffprobe is not installed" in r.getMessage() for r in caplog.records)


def test_a_probe_that_takes_too_long_is_refused(monkeypatch, tmp_path):
    slow = tmp_path / "bin" / "ffprobe"
    slow.parent.mkdir()
    slow.write_text("#!/bin/sh\nexec /bin/sleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setenv("PATH", str(slow.parent))
    monkeypatch.setattr(media, "MEDIA_PROBE_TIMEOUT", 1)
    with pytest.raises(ValidationError) as caught:
        media.inspect_upload(upload("phim.mp4", zeros_behind_an_mp4_header(1)))
    assert caught.value.code == "probe_timeout"
    assert caught.value.messages[0].startswith("Tệp: kiểm tra tệp video quá 1 giây vẫn chưa xong")


# --- storing and the forms ------------------------------------------------------------------------


@pytest.mark.django_db
def test_media_file_store_refuses_zeros_behind_an_mp4_header_and_stores_nothing():
    require_ffmpeg()
    item = Item.objects.create(title="Phim tư liệu Đại hội", is_sample=True)
    with pytest.raises(ValidationError) as caught:
        media.media_file_store(item=item, uploaded=upload("phim.mp4", zeros_behind_an_mp4_header()))
    assert caught.value.code == "bad_video"
    assert not MediaFile.objects.exists() and media_files() == []


def contribution_data() -> dict:
    return {
        "contributor_name": "Nguyễn Thị Hoa",
        "body": str(Body.objects.order_by("pk").first().pk),
        "email": "hoa@example.vn",
        "description": "Phim tư liệu Đại hội Đảng bộ Khối lần thứ nhất.",
        "consent": "on",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("in_memory", [True, False], ids=["in memory", "temporary file"])
def test_the_contribution_form_refuses_zeros_behind_an_mp4_header(client, settings, in_memory):
    require_ffmpeg()
    if not in_memory:
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file
    response = client.post(
        "/dong-gop-tu-lieu/", {**contribution_data(), "files": [upload("phim.mp4", zeros_behind_an_mp4_header())]}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("files", []))
    assert errors.startswith("Tệp gửi kèm: tệp video không có hình hoặc không đọc được thời lượng")
    assert Contribution.objects.count() == 0 and ContributionFile.objects.count() == 0
    assert media_files() == []


@pytest.mark.django_db
@pytest.mark.parametrize("in_memory", [True, False], ids=["in memory", "temporary file"])
def test_the_contribution_form_accepts_a_real_film_and_recording(client, settings, in_memory):
    require_ffmpeg()
    if not in_memory:
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    files = [upload("phim.mp4", sample("phim có tiếng.mp4")), upload("ghi âm.ogg", sample("ghi âm.ogg"))]
    response = client.post("/dong-gop-tu-lieu/", {**contribution_data(), "files": files})
    assert response.status_code == 302, response.context["form"].errors
    assert sorted(ContributionFile.objects.values_list("mime_type", flat=True)) == ["audio/ogg", "video/mp4"]
