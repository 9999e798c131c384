"""Image sources for public pages: every media URL goes through the checked media view."""

from __future__ import annotations

from dataclasses import dataclass

from archive.models import MediaFile
from archive.protected_media import media_address, media_file_url

# Longest side of each derivative, as archive.media makes them.
DERIVATIVE_SIZES = {"thumbnail": 320, "medium": 960, "large": 1920}


def media_url(media: MediaFile, variant: str = "original", *, download: bool = False, address=None) -> str:
    url = media_file_url(media, variant, address=address)
    return url + "?tai-ve=1" if download else url


@dataclass(frozen=True)
class ImageSources:
    src: str
    srcset: str
    width: int | None
    height: int | None
    large: str
    thumbnail: str


def _scaled(media: MediaFile, longest: int) -> tuple[int | None, int | None]:
    width, height = media.width, media.height
    if not width or not height:
        return None, None
    ratio = min(1.0, longest / max(width, height))
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def image_sources(media: MediaFile | None) -> ImageSources | None:
    """src/srcset/size of a media file's picture: its derivatives, else the original image itself.

    A PDF or a video has a picture only when a derivative (the first page, a poster) was made.
    """
    if media is None:
        return None
    present = [name for name in DERIVATIVE_SIZES if getattr(media, name)]
    address = media_address()  # once for the four or five addresses of one picture
    if not present:
        if media.kind != MediaFile.Kind.IMAGE:
            return None
        url = media_url(media, address=address)
        return ImageSources(url, "", media.width, media.height, url, url)
    urls = {name: media_url(media, name, address=address) for name in present}
    srcset, widths = [], set()
    for name in present:
        width, _height = _scaled(media, DERIVATIVE_SIZES[name])
        # A picture smaller than a size is kept at its own width: two sizes of one width would be
        # the same candidate twice, which HTML forbids in a srcset.
        if width and width not in widths:
            widths.add(width)
            srcset.append(f"{urls[name]} {width}w")
    main = "medium" if "medium" in present else present[-1]
    width, height = _scaled(media, DERIVATIVE_SIZES[main])
    large = urls["large" if "large" in present else main]
    thumb = urls["thumbnail" if "thumbnail" in present else present[0]]
    return ImageSources(urls[main], ", ".join(srcset), width, height, large, thumb)


def first_picture(media) -> ImageSources | None:
    """The picture of the first of ``media`` (in their order: primary first) that has one."""
    for candidate in media:
        sources = image_sources(candidate)
        if sources:
            return sources
    return None
