"""QR codes (SVG, segno) for the short URLs printed on showcase labels and leaflets."""

import io

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation


def absolute_url(path: str) -> str:
    """An address that works from a phone in front of a showcase: SITE_URL plus the path."""
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def short_url(code: str) -> str:
    """The stable short address of an item (its inventory number) or exhibit (its slug), unprefixed."""
    with translation.override("vi"):
        return absolute_url(reverse("exhibits:short", kwargs={"code": code}))


def qr_svg(data: str, *, scale: int = 4, title: str = "") -> bytes:
    """A standalone SVG document of the QR code for ``data``."""
    out = io.BytesIO()
    segno.make(data, error="m", micro=False).save(out, kind="svg", scale=scale, border=2, title=title or None)
    return out.getvalue()


def qr_svg_inline(data: str, *, scale: int = 3, title: str = "") -> str:
    """The QR code as an <svg> element to put straight into a page (label sheets, leaflets)."""
    return segno.make(data, error="m", micro=False).svg_inline(scale=scale, border=2, title=title or None)
