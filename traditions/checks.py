"""Deployment checks of the project's own settings (``manage.py check --deploy``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

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
def cache_is_shared(app_configs=None, **kwargs) -> list[Error]:
    """Every worker must see the same page cache version and the same rate-limit counts: a memory
    cache of each process would serve stale pages after an edit and multiply the forms' limits."""
    backend = settings.CACHES["default"]["BACKEND"]
    if not backend.endswith("LocMemCache"):
        return []
    return [
        Error(
            "The cache is each process's own memory (LocMemCache) while the site runs in production.",
            hint="Leave DJANGO_REDIS_URL unset for the database cache, or set it to a shared Redis.",
            id="traditions.E001",
        )
    ]
