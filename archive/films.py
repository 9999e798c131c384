"""What the media job (archive.processing) reads from a film or recording with ffprobe and ffmpeg:
its duration, and a film's poster frame, from which the thumbnail, medium and large pictures are
made as for an image.

Both tools read the stored original only, as the type its magic bytes gave (``FFPROBE_FORMATS``),
from the local file alone (no playlists, other files or network), with a time limit.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from PIL import Image

from archive.media import FFPROBE_FORMATS, StorageWrites, write_derivatives
from archive.models import MediaFile

logger = logging.getLogger(__name__)

#: Seconds ffprobe or ffmpeg may spend on one file (a frame is found by seeking, not by decoding all).
FILM_TOOL_TIMEOUT = 120
#: Where in a film its poster frame is taken: a tenth in (past titles and fades), at most a minute.
POSTER_AT_FRACTION, POSTER_AT_MOST = 0.1, 60.0


class FilmUnreadable(Exception):
    """ffprobe or ffmpeg could not read the film or recording (or is not installed)."""


def _run(tool: str, arguments: list[str]) -> subprocess.CompletedProcess:
    program = shutil.which(tool)
    if program is None:
        raise FilmUnreadable(f"{tool} is not installed (Debian package ffmpeg)")
    try:
        return subprocess.run(
            [program, *arguments],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=FILM_TOOL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise FilmUnreadable(f"{tool} took more than {FILM_TOOL_TIMEOUT} s") from error


def film_facts(path: str, mime_type: str) -> tuple[float, int | None, int | None]:
    """The length in seconds of the film or recording at ``path`` (the longest its container or a
    stream gives) and the width and height of its picture (None for a recording)."""
    result = _run(
        "ffprobe",
        [
            "-v",
            "error",
            "-protocol_whitelist",
            "file",
            "-f",
            FFPROBE_FORMATS[mime_type],
            "-show_entries",
            "format=duration:stream=codec_type,duration,width,height:stream_disposition=attached_pic",
            "-of",
            "json",
            f"file:{path}",
        ],
    )
    try:
        report = json.loads(result.stdout) if result.returncode == 0 else {}
    except ValueError:
        report = {}
    values = [report.get("format", {}).get("duration")]
    values += [stream.get("duration") for stream in report.get("streams", [])]
    durations = []
    for value in values:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(seconds) and seconds > 0:
            durations.append(seconds)
    if not durations:
        raise FilmUnreadable(f"ffprobe found no duration: {result.stderr[-500:]!r}")
    pictures = [
        (stream["width"], stream["height"])
        for stream in report.get("streams", [])
        if stream.get("codec_type") == "video"
        and not stream.get("disposition", {}).get("attached_pic")
        and isinstance(stream.get("width"), int)
        and isinstance(stream.get("height"), int)
        and stream["width"] > 0
        and stream["height"] > 0
    ]
    width, height = pictures[0] if pictures else (None, None)
    return max(durations), width, height


def poster_frame(path: str, mime_type: str, duration: float, directory: str) -> Path:
    """One frame of the film as a JPEG in ``directory``: at ``POSTER_AT_FRACTION`` of its length,
    else (a frame there cannot be decoded) its first frame."""
    target = Path(directory) / "poster.jpg"
    for at in (min(POSTER_AT_MOST, duration * POSTER_AT_FRACTION), 0.0):
        result = _run(
            "ffmpeg",
            [
                "-v",
                "error",
                "-nostdin",
                "-protocol_whitelist",
                "file",
                "-ss",
                f"{at:.3f}",
                "-f",
                FFPROBE_FORMATS[mime_type],
                "-i",
                f"file:{path}",
                "-frames:v",
                "1",
                "-q:v",
                "2",
                "-y",
                str(target),
            ],
        )
        if result.returncode == 0 and target.exists() and target.stat().st_size:
            return target
    raise FilmUnreadable(f"ffmpeg made no poster frame: {result.stderr[-500:]!r}")


def film_process(media_file: MediaFile, path: str, *, writes: StorageWrites) -> None:
    """Set the duration of a film or recording on the (unsaved) media file and, for a film, its
    picture's size and its poster frame's pictures (``write_derivatives``), stored through
    ``writes``; ``FilmUnreadable`` when the tools cannot read it."""
    duration, width, height = film_facts(path, media_file.mime_type)
    media_file.duration = duration
    if media_file.kind != MediaFile.Kind.VIDEO:
        return
    media_file.width, media_file.height = width, height
    with tempfile.TemporaryDirectory(dir=settings.FILE_UPLOAD_TEMP_DIR) as directory:
        frame = poster_frame(path, media_file.mime_type, media_file.duration, directory)
        with Image.open(frame) as picture:
            picture.load()
            write_derivatives(media_file, picture, writes=writes)
