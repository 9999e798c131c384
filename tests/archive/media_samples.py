"""Tiny real films and recordings made with ffmpeg, for the tests of the ffprobe check.

Where ffmpeg is missing the tests that need them are skipped, except in CI, where that is a
failure (as for the browser in tests/conftest.py): the check they cover fails closed without it.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FILM = ["-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=10"]
SOUND = ["-f", "lavfi", "-i", "sine=frequency=440:duration=1"]

# File name (its extension tells ffmpeg the container) -> ffmpeg's inputs and output options.
SAMPLES: dict[str, list[str]] = {
    "phim.mp4": [*FILM, "-c:v", "mpeg4"],
    "phim có tiếng.mp4": [*FILM, *SOUND, "-c:v", "mpeg4", "-c:a", "aac"],
    "phim.webm": [*FILM, "-c:v", "libvpx", "-b:v", "100k"],
    "tiếng trong mp4.mp4": [*SOUND, "-c:a", "aac"],
    "ghi âm.mp3": [*SOUND, "-c:a", "libmp3lame"],
    "ghi âm.m4a": [*SOUND, "-c:a", "aac"],
    "ghi âm.aac": [*SOUND, "-c:a", "aac", "-f", "adts"],
    "ghi âm.ogg": [*SOUND, "-c:a", "libvorbis"],
    "ghi âm.wav": [*SOUND],
}


def ffmpeg_missing_reason() -> str | None:
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        return "ffmpeg and ffprobe are not installed (apt-get install ffmpeg)"
    return None


def require_ffmpeg() -> None:
    """Skip the calling test where ffmpeg is missing; in CI, fail it."""
    reason = ffmpeg_missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"Video and audio checks must run in CI: {reason}")
        pytest.skip(reason)


@functools.cache
def _made(name: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"sample{Path(name).suffix}"
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *SAMPLES[name], str(target)], check=True, timeout=60)
        return target.read_bytes()


def sample(name: str) -> bytes:
    """The bytes of one of ``SAMPLES`` (made once per test session)."""
    require_ffmpeg()
    return _made(name)
