"""Deployment checks of the project's own settings (``manage.py check --deploy``)."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}  # noqa: S104 - a name to refuse, not to bind


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs=None, **kwargs) -> list[Warning]:
    """QR labels, short links and emails carry DJANGO_SITE_URL: a development address there would
    print labels that lead nowhere and send links that only work on the server itself."""
    parts = urlsplit(getattr(settings, "SITE_URL", ""))
    if parts.scheme == "https" and (parts.hostname or "") not in LOOPBACK_HOSTS:
        return []
    return [
        Warning(
            f"DJANGO_SITE_URL is {settings.SITE_URL!r}: QR labels, short links and emails would point there.",
            hint="Set DJANGO_SITE_URL to the site's public https:// address, e.g. https://truyenthong.example.org.",
            id="traditions.W001",
        )
    ]


@register(deploy=True)
def content_version_file_is_writable(app_configs=None, **kwargs) -> list[Warning]:
    """Without Redis every worker learns of an edit from ``EXHIBITS_CONTENT_VERSION_FILE``; if the
    server cannot write it, saving an item fails and the cached pages stay as they were."""
    path = getattr(settings, "EXHIBITS_CONTENT_VERSION_FILE", None)
    if not path:
        return []
    path = Path(path)
    # The file is replaced whole (written under another name in its directory, then renamed), so
    # its directory must be writable, or the first existing one above it, to create it.
    existing = next(parent for parent in (path.parent, *path.parent.parents) if parent.exists())
    if existing.is_dir() and os.access(existing, os.W_OK):
        return []
    return [
        Warning(
            f"The public content's version file {str(path)!r} cannot be written.",
            hint="Set DJANGO_CONTENT_VERSION_FILE to a path the server may write, or DJANGO_REDIS_URL.",
            id="traditions.W002",
        )
    ]
