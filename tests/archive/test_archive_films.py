"""Films and recordings: the media job reads their duration and a film's poster frame with ffprobe
and ffmpeg (never the upload's request); staff attach captions per language (WebVTT, or SRT
converted to WebVTT), refused whole with a Vietnamese message when broken; the players show them
as caption tracks, the transcript is shown below and searched; the captions of a non-public item
are a 404 for the public."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from archive import processing
from archive.captions import read_captions
from archive.media import media_file_store
from archive.models import CaptionTrack, Item, MediaFile

pytestmark = pytest.mark.django_db

FFMPEG = shutil.which("ffmpeg")


def film(tmp_path: Path, *, seconds: float = 2.0, size: str = "320x240", name: str = "phim.webm") -> bytes:
    """A short WebM film (VP8 picture, Opus sound) made by ffmpeg."""
    if FFMPEG is None:
        pytest.fail("ffmpeg is not installed (Debian package ffmpeg)")
    target = tmp_path / name
    subprocess.run(
        [FFMPEG, "-v", "error", "-f", "lavfi", "-i", f"testsrc=size={size}:rate=10", "-f", "lavfi", "-i",
         "sine=frequency=440", "-t", str(seconds), "-c:v", "libvpx", "-b:v", "200k", "-c:a", "libopus",
         "-shortest", "-y", str(target)],
        check=True,
    )  # fmt: skip
    return target.read_bytes()


def recording(tmp_path: Path, seconds: float = 3.0) -> bytes:
    target = tmp_path / "ghi-am.wav"
    subprocess.run(
        [FFMPEG, "-v", "error", "-f", "lavfi", "-i", "sine=frequency=330", "-t", str(seconds), "-y", str(target)],
        check=True,
    )
    return target.read_bytes()


SRT = (
    "1\r\n00:00:00,200 --> 00:00:01,000\r\nĐồng chí Bí thư phát biểu <i>khai mạc</i>\r\n\r\n"
    "2\r\n00:00:01,000 --> 00:00:01,900\r\nHội nghị cán bộ toàn Khối\r\n"
).encode()
VTT_EN = (
    b"WEBVTT\n\nNOTE English captions\n\nc1\n00:00.200 --> 00:01.000 align:start\nThe Secretary opens the conference\n"
)


@pytest.fixture
def item(db):
    return Item.objects.create(
        title="Phim Hội nghị cán bộ", status=Item.Status.PUBLISHED, access_level=Item.AccessLevel.PUBLIC, is_sample=True
    )


@pytest.fixture
def video(item, tmp_path):
    return media_file_store(item=item, uploaded=SimpleUploadedFile("hoi-nghi.webm", film(tmp_path), "video/webm"))


# The media job ------------------------------------------------------------------------------


def test_the_job_reads_a_films_duration_size_and_poster_frame(video):
    video.refresh_from_db()
    assert video.status == MediaFile.Status.READY
    assert video.duration == pytest.approx(2.0, abs=0.1)
    assert video.duration_label == "0:02"
    assert (video.width, video.height) == (320, 240)
    for variant in ("thumbnail", "medium", "large"):
        assert getattr(video, variant).name
    with video.large.open("rb") as handle, Image.open(handle) as poster:
        assert poster.size == (320, 240)  # a small film's frame, never upscaled
        # testsrc draws coloured bars: a real frame, not a blank picture.
        assert len(poster.convert("RGB").resize((32, 24)).getcolors(maxcolors=32 * 24)) > 20


def test_a_recording_gets_its_duration_and_no_picture(item, tmp_path):
    audio = media_file_store(item=item, uploaded=SimpleUploadedFile("ghi-am.wav", recording(tmp_path), "audio/wav"))
    audio.refresh_from_db()
    assert audio.status == MediaFile.Status.READY
    assert audio.duration == pytest.approx(3.0, abs=0.05)
    assert not audio.thumbnail and not audio.large


def test_a_film_ffmpeg_cannot_read_fails_with_a_reason_and_keeps_the_original(video):
    video.refresh_from_db()
    poster, derivatives = video.large.name, set((Path(django_settings.MEDIA_ROOT) / "derivatives").rglob("*.jpg"))
    original = Path(django_settings.MEDIA_ROOT) / video.file.name
    broken = original.read_bytes()[:300] + b"\x00" * 4000  # the header, then nothing a decoder can use
    original.write_bytes(broken)
    assert processing.media_file_process(media_file_id=video.pk) == MediaFile.Status.FAILED
    video.refresh_from_db()
    assert video.status == MediaFile.Status.FAILED
    assert video.failure_reason.startswith("Tệp “hoi-nghi.webm”: không đọc được phim")
    assert "MP4" in video.failure_reason
    assert original.read_bytes() == broken
    # The previous poster stays in use, and the failed run left no file of its own.
    assert video.large.name == poster
    assert set((Path(django_settings.MEDIA_ROOT) / "derivatives").rglob("*.jpg")) == derivatives


def test_running_the_job_twice_leaves_one_poster(video, django_capture_on_commit_callbacks):
    before = {p for p in (Path(django_settings.MEDIA_ROOT) / "derivatives").rglob("*") if p.is_file()}
    with django_capture_on_commit_callbacks(execute=True):
        processing.media_file_process(media_file_id=video.pk)
    after = {p for p in (Path(django_settings.MEDIA_ROOT) / "derivatives").rglob("*") if p.is_file()}
    assert len(after) == len(before)
    video.refresh_from_db()
    assert (Path(django_settings.MEDIA_ROOT) / video.large.name) in after


# Reading caption files -------------------------------------------------------------------------


def test_srt_becomes_webvtt_with_its_text_as_transcript():
    captions = read_captions(SRT, name="phu-de.srt")
    assert captions.webvtt == (
        "WEBVTT\n\n00:00:00.200 --> 00:00:01.000\nĐồng chí Bí thư phát biểu <i>khai mạc</i>\n\n"
        "00:00:01.000 --> 00:00:01.900\nHội nghị cán bộ toàn Khối\n"
    )
    assert captions.transcript == "Đồng chí Bí thư phát biểu khai mạc\nHội nghị cán bộ toàn Khối"


def test_webvtt_keeps_cue_positions_and_drops_notes_and_unknown_settings():
    captions = read_captions(
        b"\xef\xbb\xbfWEBVTT - tieu de\n\nNOTE ghi chu\n\n1\n01:00:00.000 --> 01:00:02.500 align:start evil:1\n"
        b"A &amp; B\n",
        name="a.vtt",
    )
    assert captions.webvtt == "WEBVTT\n\n01:00:00.000 --> 01:00:02.500 align:start\nA &amp; B\n"
    assert captions.transcript == "A & B"


BAD_FILES = [
    (b"", "tệp rỗng"),
    ("WEBVTT\n\n00:00.000 --> 00:01.000\nxin chào".encode("cp1258"), "không phải văn bản mã UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "không phải tệp phụ đề WebVTT"),
    ("Biên bản hội nghị\nNgày 01/01/1960".encode(), "không phải tệp phụ đề WebVTT"),
    (b"WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nmot\n", "dòng 3: mốc thời gian “00:00:01.000 -> 00:00:02.000”"),
    (b"WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nmot\n", "không đúng dạng (cần dạng 00:01:02.500 --> 00:01:05.000)"),
    (b"1\n00:00:01.000 --> 00:00:0x,000\nmot\n", "dòng 2: mốc thời gian"),
    (b"WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nmot\n", "dòng 3: thời điểm kết thúc 00:00:04.000 phải sau"),
    (
        b"WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nhai\n\n00:00:01.000 --> 00:00:02.000\nmot\n",
        "dòng 6: câu phụ đề bắt đầu lúc 00:00:01.000, sớm hơn câu trước nó (00:00:05.000)",
    ),
    (b"WEBVTT\n\nNOTE chi co ghi chu\n", "không có câu phụ đề nào"),
]


@pytest.mark.parametrize(("data", "message"), BAD_FILES)
def test_a_broken_caption_file_is_refused_naming_the_file_the_line_and_the_fix(data, message):
    with pytest.raises(ValidationError) as refused:
        read_captions(data, name="phu-de-hong.vtt")
    text = refused.value.messages[0]
    assert text.startswith("Tệp phụ đề “phu-de-hong.vtt”")
    assert message in text
    assert "Hãy" in text  # the fix


def test_captions_that_start_after_the_film_ends_are_refused():
    with pytest.raises(ValidationError) as refused:
        read_captions(b"WEBVTT\n\n00:00:10.000 --> 00:00:11.000\nmuon\n", name="x.vtt", duration=2.0)
    assert "sau khi phim, bản ghi âm đã hết (dài 00:00:02.000)" in refused.value.messages[0]


# Staff attach captions in the admin ----------------------------------------------------------


def admin_post(client, media: MediaFile, *uploads: tuple[str, str, bytes]):
    data = {
        "caption": media.caption,
        "alt_text": media.alt_text,
        "captions-TOTAL_FORMS": str(len(uploads)),
        "captions-INITIAL_FORMS": "0",
        "captions-MIN_NUM_FORMS": "0",
        "captions-MAX_NUM_FORMS": "2",
    }
    for n, (language, name, content) in enumerate(uploads):
        data[f"captions-{n}-language"] = language
        data[f"captions-{n}-media_file"] = str(media.pk)
        data[f"captions-{n}-file"] = SimpleUploadedFile(name, content, "application/octet-stream")
    return client.post(reverse("admin:archive_mediafile_change", args=[media.pk]), data)


def caption_files() -> list[Path]:
    return [p for p in (Path(django_settings.MEDIA_ROOT) / "captions").rglob("*") if p.is_file()]


def test_staff_attach_vietnamese_srt_and_english_webvtt_and_the_transcript_is_searched(client, superuser, video):
    client.force_login(superuser)
    assert not Item.objects.search("toan khoi").exists()
    response = admin_post(client, video, ("vi", "phu-de.srt", SRT), ("en", "captions.vtt", VTT_EN))
    assert response.status_code == 302, response.content.decode()[:2000]
    vi, en = (CaptionTrack.objects.get(media_file=video, language=code) for code in ("vi", "en"))
    assert vi.original_name == "phu-de.srt" and vi.cue_count == 2
    assert vi.file.name.endswith(".vtt")
    with vi.file.open("rb") as handle:
        assert handle.read().decode("utf-8").startswith("WEBVTT\n\n00:00:00.200 --> 00:00:01.000\n")
    assert en.text == "The Secretary opens the conference"
    # The transcript is searched like a description, diacritics ignored.
    assert list(Item.objects.search("toan khoi")) == [video.item]
    assert list(Item.objects.search("Secretary opens")) == [video.item]
    assert len(caption_files()) == 2


def test_a_bad_caption_file_in_the_admin_stores_nothing_and_says_why(client, superuser, video):
    client.force_login(superuser)
    cp1258 = "WEBVTT\n\nxin chào".encode("cp1258")
    response = admin_post(client, video, ("vi", "phu-de.srt", SRT), ("en", "loi.vtt", cp1258))
    assert response.status_code == 200
    assert "Tệp phụ đề “loi.vtt”: không phải văn bản mã UTF-8" in response.content.decode()
    assert not CaptionTrack.objects.exists()
    assert caption_files() == []


def test_replacing_captions_removes_the_file_they_replace(client, superuser, video, django_capture_on_commit_callbacks):
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        admin_post(client, video, ("vi", "phu-de.srt", SRT))
    track = CaptionTrack.objects.get()
    old = Path(django_settings.MEDIA_ROOT) / track.file.name
    data = {
        "caption": "",
        "alt_text": "",
        "captions-TOTAL_FORMS": "1",
        "captions-INITIAL_FORMS": "1",
        "captions-MIN_NUM_FORMS": "0",
        "captions-MAX_NUM_FORMS": "2",
        "captions-0-id": str(track.pk),
        "captions-0-media_file": str(video.pk),
        "captions-0-language": "vi",
        "captions-0-file": SimpleUploadedFile("moi.vtt", b"WEBVTT\n\n00:00.500 --> 00:01.500\nLoi moi\n"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:archive_mediafile_change", args=[video.pk]), data)
    assert response.status_code == 302
    track.refresh_from_db()
    assert track.text == "Loi moi" and track.original_name == "moi.vtt"
    assert not old.exists()
    assert caption_files() == [Path(django_settings.MEDIA_ROOT) / track.file.name]
    assert list(Item.objects.search("loi moi")) == [video.item]
    assert not Item.objects.search("toan khoi").exists()


def test_images_have_no_caption_inline(client, superuser, item):
    from tests.archive.test_archive_iiif import jpeg

    picture = media_file_store(item=item, uploaded=SimpleUploadedFile("anh.jpg", jpeg((300, 200)), "image/jpeg"))
    client.force_login(superuser)
    page = client.get(reverse("admin:archive_mediafile_change", args=[picture.pk])).content.decode()
    assert "captions-TOTAL_FORMS" not in page


# What visitors get ----------------------------------------------------------------------------


def attach(video: MediaFile, language: str, data: bytes, name: str) -> CaptionTrack:
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    from archive.captions import caption_track_store, read_caption_upload

    upload = Upload(name, data)
    track = CaptionTrack(media_file=video, language=language)
    caption_track_store(track=track, caption_file=read_caption_upload(upload), original_name=name)
    return track


def test_the_item_page_shows_caption_tracks_and_the_transcript(client, video):
    attach(video, "vi", SRT, "phu-de.srt")
    attach(video, "en", VTT_EN, "captions.vtt")
    html = client.get(video.item.get_absolute_url()).content.decode()
    vi_src = reverse("archive:media_captions", args=[video.pk, "vi"])
    en_src = reverse("archive:media_captions", args=[video.pk, "en"])
    assert f'<track kind="captions" srclang="vi" label="Tiếng Việt" src="{vi_src}" default>' in html
    assert f'<track kind="captions" srclang="en" label="English" src="{en_src}">' in html
    assert "Hội nghị cán bộ toàn Khối" in html  # the transcript, below the player
    assert html.index("</video>") < html.index("Hội nghị cán bộ toàn Khối")
    assert 'poster="' in html and "0:02" in html
    response = client.get(vi_src)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"".join(response.streaming_content).decode().startswith("WEBVTT")


def test_captions_of_a_non_public_item_are_a_404_for_the_public(client, video, propaganda_user):
    attach(video, "vi", SRT, "phu-de.srt")
    Item.objects.filter(pk=video.item_id).update(status=Item.Status.DRAFT)
    url = reverse("archive:media_captions", args=[video.pk, "vi"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("archive:media_captions", args=[video.pk, "en"])).status_code == 404
    client.force_login(propaganda_user)
    assert client.get(url).status_code == 200
    assert client.get(reverse("archive:media_captions", args=[video.pk, "en"])).status_code == 404  # none in English


def test_a_film_is_a_timed_canvas_in_the_manifest(client, video):
    from tests.archive.iiif_rules import presentation3_problems

    manifest = client.get(reverse("archive:iiif_manifest", args=[video.item.inventory_number])).json()
    assert presentation3_problems(manifest) == []
    (canvas,) = manifest["items"]
    assert canvas["duration"] == pytest.approx(2.0, abs=0.1)
    assert (canvas["width"], canvas["height"]) == (320, 240)
    assert canvas["items"][0]["items"][0]["body"]["type"] == "Video"
