"""Caption files of films and recordings: WebVTT or SRT read, checked cue by cue, written as WebVTT.

What staff upload is refused whole, with a Vietnamese message naming the file, the line and the
fix, when it is not UTF-8 text, is neither WebVTT nor SRT, has no cue, a timing that does not
parse, a cue that ends before it starts, cues out of order, or a cue that starts after the end
of the film. What is stored is written here from the cues read (``CaptionFile.webvtt``), never
the upload itself, so the stored file is WebVTT in UTF-8 whatever came in. The cues' text,
without tags, is the transcript (``CaptionFile.transcript``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Largest caption file accepted: a feature film's captions take a few hundred kilobytes.
MAX_CAPTION_BYTES = 2 * 1024 * 1024

MESSAGES = {
    "empty": _("Tệp phụ đề “%(name)s”: tệp rỗng. Hãy chọn tệp phụ đề WebVTT (.vtt) hoặc SRT (.srt) có nội dung."),
    "too_large": _(
        "Tệp phụ đề “%(name)s”: dung lượng %(size)s vượt giới hạn %(limit)s của một tệp phụ đề. "
        "Hãy kiểm tra đúng là tệp phụ đề, hoặc chia phim thành nhiều phần."
    ),
    "encoding": _(
        "Tệp phụ đề “%(name)s”: không phải văn bản mã UTF-8 (có thể đang lưu bằng mã Windows-1258 hoặc TCVN3). "
        "Hãy mở tệp bằng phần mềm làm phụ đề hoặc Notepad, chọn lưu với mã hóa UTF-8 rồi tải lên lại."
    ),
    "not_captions": _(
        "Tệp phụ đề “%(name)s”: không phải tệp phụ đề WebVTT (.vtt, dòng đầu là WEBVTT) hoặc SRT (.srt). "
        "Hãy xuất phụ đề từ phần mềm làm phụ đề ra định dạng WebVTT hoặc SRT rồi tải lên lại."
    ),
    "no_cues": _(
        "Tệp phụ đề “%(name)s”: không có câu phụ đề nào (mỗi câu gồm một dòng mốc thời gian và lời thoại). "
        "Hãy kiểm tra lại nội dung tệp rồi tải lên lại."
    ),
    "bad_timing": _(
        "Tệp phụ đề “%(name)s”, dòng %(line)d: mốc thời gian “%(timing)s” không đúng dạng "
        "(cần dạng %(example)s). Hãy sửa dòng này rồi tải lên lại."
    ),
    "end_before_start": _(
        "Tệp phụ đề “%(name)s”, dòng %(line)d: thời điểm kết thúc %(end)s phải sau thời điểm bắt đầu %(start)s. "
        "Hãy sửa mốc thời gian của câu này rồi tải lên lại."
    ),
    "out_of_order": _(
        "Tệp phụ đề “%(name)s”, dòng %(line)d: câu phụ đề bắt đầu lúc %(start)s, sớm hơn câu trước nó (%(previous)s). "
        "Hãy xếp các câu theo thời gian bắt đầu rồi tải lên lại."
    ),
    "past_end": _(
        "Tệp phụ đề “%(name)s”, dòng %(line)d: câu phụ đề bắt đầu lúc %(start)s, sau khi phim, bản ghi âm "
        "đã hết (dài %(duration)s). Hãy kiểm tra tệp phụ đề có đúng của tệp này không."
    ),
}

# "00:01:02.500 --> 00:01:05.000 align:start" (WebVTT: hours optional, a full stop before the
# milliseconds) or "00:01:02,500 --> 00:01:05,000" (SRT: hours required, a comma).
_VTT_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_SRT_TIME = r"(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{3})"
_VTT_TIMING_RE = re.compile(rf"^{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t]+(.*))?$")
_SRT_TIMING_RE = re.compile(rf"^{_SRT_TIME}[ \t]*-->[ \t]*{_SRT_TIME}(?:[ \t]+.*)?$")
#: Cue settings kept from WebVTT (position and alignment); anything else on the timing line is dropped.
_CUE_SETTING_RE = re.compile(
    r"^(?:vertical:(?:rl|lr)|line:-?\d+%?(?:,\w+)?|position:\d+%(?:,[\w-]+)?|size:\d+%|align:\w+)$"
)
_TAG_RE = re.compile(r"<[^>]*>")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    settings: str = ""


@dataclass(frozen=True)
class CaptionFile:
    """The cues of a checked caption file."""

    cues: tuple[Cue, ...]

    @property
    def webvtt(self) -> str:
        """The captions as a WebVTT file."""
        blocks = ["WEBVTT"]
        for cue in self.cues:
            timing = f"{timestamp(cue.start)} --> {timestamp(cue.end)}"
            blocks.append(f"{timing} {cue.settings}".rstrip() + "\n" + cue.text)
        return "\n\n".join(blocks) + "\n"

    @property
    def transcript(self) -> str:
        """What the cues say, one line each, without tags; a line repeated by the next cue once."""
        lines: list[str] = []
        for cue in self.cues:
            spoken = " ".join(html.unescape(_TAG_RE.sub("", line)).strip() for line in cue.text.splitlines())
            spoken = " ".join(spoken.split())
            if spoken and (not lines or lines[-1] != spoken):
                lines.append(spoken)
        return "\n".join(lines)


def timestamp(seconds: float) -> str:
    """``hh:mm:ss.mmm``, as WebVTT writes a time."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _error(code: str, name: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params={"name": name, **params})


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise _error("not_captions", name)  # a binary file (or UTF-16 text, which WebVTT does not allow)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _error("encoding", name) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_caption_upload(uploaded, *, duration: float | None = None) -> CaptionFile:
    """Read an uploaded caption file (``read_captions``), its size checked before it is read."""
    name = getattr(uploaded, "name", "") or "phu-de"
    if uploaded.size > MAX_CAPTION_BYTES:
        from django.template.defaultfilters import filesizeformat

        raise _error("too_large", name, size=filesizeformat(uploaded.size), limit=filesizeformat(MAX_CAPTION_BYTES))
    uploaded.seek(0)
    data = uploaded.read(MAX_CAPTION_BYTES + 1)
    uploaded.seek(0)
    return read_captions(data, name=name, duration=duration)


def read_captions(data: bytes, *, name: str, duration: float | None = None) -> CaptionFile:
    """Read a WebVTT or SRT file; raise ValidationError (see ``MESSAGES``) when it is not a caption
    file whose cues all hold. ``duration``: the film's length in seconds, when known."""
    if not data.strip():
        raise _error("empty", name)
    if len(data) > MAX_CAPTION_BYTES:
        from django.template.defaultfilters import filesizeformat

        raise _error("too_large", name, size=filesizeformat(len(data)), limit=filesizeformat(MAX_CAPTION_BYTES))
    text = _decode(data, name)
    first = text.split("\n", 1)[0]
    if re.match(r"^WEBVTT(?:[ \t].*)?$", first):
        cues = _vtt_cues(text, name)
    elif _looks_like_srt(text):
        cues = _srt_cues(text, name)
    else:
        raise _error("not_captions", name)
    if not cues:
        raise _error("no_cues", name)
    previous = None
    for line, cue in cues:
        if cue.end <= cue.start:
            raise _error("end_before_start", name, line=line, start=timestamp(cue.start), end=timestamp(cue.end))
        if previous is not None and cue.start < previous.start:
            raise _error(
                "out_of_order", name, line=line, start=timestamp(cue.start), previous=timestamp(previous.start)
            )
        if duration is not None and cue.start >= duration:
            raise _error("past_end", name, line=line, start=timestamp(cue.start), duration=timestamp(duration))
        previous = cue
    return CaptionFile(cues=tuple(cue for _line, cue in cues))


def _blocks(text: str):
    """The blocks of a file between blank lines, each with the number of its first line (further
    blank lines between two blocks are counted as the leading lines of the second)."""
    line = 1
    for block in _BLANK_LINE_RE.split(text):
        lines = block.split("\n")
        skipped = 0
        while lines and not lines[0].strip():
            lines.pop(0)
            skipped += 1
        if lines:
            yield line + skipped, [entry.rstrip() for entry in lines]
        line += block.count("\n") + 2  # the block's lines and the blank line after it


def _cue_text(lines: list[str]) -> str:
    # "-->" in a cue's text would end the cue's text in a WebVTT reader.
    return "\n".join(line.replace("-->", "→") for line in lines if line.strip())


def _vtt_cues(text: str, name: str) -> list[tuple[int, Cue]]:
    cues = []
    for number, (line, lines) in enumerate(_blocks(text)):
        if number == 0:
            continue  # the header block: "WEBVTT" and its optional metadata lines
        head = lines[0]
        if head.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in head:
            continue
        timing_at = 0 if "-->" in head else 1  # an optional cue identifier comes first
        if timing_at >= len(lines) or "-->" not in lines[timing_at]:
            raise _error("bad_timing", name, line=line, timing=head[:80], example="00:01:02.500 --> 00:01:05.000")
        match = _VTT_TIMING_RE.match(lines[timing_at].strip())
        if not match:
            raise _error(
                "bad_timing",
                name,
                line=line + timing_at,
                timing=lines[timing_at].strip()[:80],
                example="00:01:02.500 --> 00:01:05.000",
            )
        groups = match.groups()
        settings = " ".join(part for part in (groups[8] or "").split() if _CUE_SETTING_RE.match(part))
        cues.append(
            (
                line + timing_at,
                Cue(_seconds(*groups[0:4]), _seconds(*groups[4:8]), _cue_text(lines[timing_at + 1 :]), settings),
            )
        )
    return cues


def _looks_like_srt(text: str) -> bool:
    """An SRT file starts with a cue number, then a line with "-->"."""
    lines = [line.strip() for line in text.lstrip("\n").split("\n", 2)]
    return len(lines) >= 2 and lines[0].isdigit() and "-->" in lines[1]


def _srt_cues(text: str, name: str) -> list[tuple[int, Cue]]:
    cues = []
    for line, lines in _blocks(text):
        timing_at = 1 if lines[0].strip().isdigit() else 0
        timing = lines[timing_at].strip() if timing_at < len(lines) else lines[0].strip()
        match = _SRT_TIMING_RE.match(timing)
        if not match:
            raise _error(
                "bad_timing", name, line=line + timing_at, timing=timing[:80], example="00:01:02,500 --> 00:01:05,000"
            )
        groups = match.groups()
        cues.append(
            (line + timing_at, Cue(_seconds(*groups[0:4]), _seconds(*groups[4:8]), _cue_text(lines[timing_at + 1 :])))
        )
    return cues


def caption_track_store(*, track, caption_file: CaptionFile, original_name: str) -> None:
    """Store checked captions as the (unsaved) track's WebVTT file and text, then save the track;
    the file it replaces is removed once that is committed. If saving fails, nothing is kept."""
    from django.core.files.base import ContentFile
    from django.db import transaction

    from archive.media import StorageWrites

    replaced = track.file.name if track.pk else ""
    if replaced:
        replaced = type(track).objects.filter(pk=track.pk).values_list("file", flat=True).first() or ""
    track.original_name = original_name[:255]
    track.text = caption_file.transcript
    track.cue_count = len(caption_file.cues)
    storage = track.file.storage
    with StorageWrites() as writes, transaction.atomic():
        writes.save(track, "file", "captions.vtt", ContentFile(caption_file.webvtt.encode("utf-8")))
        track.full_clean(exclude=["file"])
        track.save()
        if replaced and replaced != track.file.name:
            transaction.on_commit(lambda: storage.delete(replaced))
        track.media_file.item.refresh_search_text()


caption_track_store.alters_data = True


def caption_track_delete(*, track) -> None:
    """Remove a track and, once that is committed, its stored file; the item's search text follows."""
    from django.db import transaction

    storage, name, item = track.file.storage, track.file.name, track.media_file.item
    with transaction.atomic():
        track.delete()
        item.refresh_search_text()
        if name:
            transaction.on_commit(lambda: storage.delete(name))
