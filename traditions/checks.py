"""Deployment checks of the project's own settings (``manage.py check --deploy``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register

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


@register(deploy=True)
def bookings_reach_staff(app_configs=None, **kwargs) -> list[Warning]:
    """A new booking is told to DJANGO_STAFF_EMAILS, or else to its venue's email: with neither,
    nobody hears of it until someone opens the admin."""
    if settings.STAFF_NOTIFICATION_EMAILS:
        return []
    return [
        Warning(
            "DJANGO_STAFF_EMAILS is unset: a new booking is told only to its venue's email, and to nobody"
            " when the venue has none.",
            hint="Set DJANGO_STAFF_EMAILS to the Board's addresses, comma-separated (see .env.example).",
            id="traditions.W002",
        )
    ]


@register(deploy=True)
def classified_files_mode(app_configs=None, **kwargs) -> list[Info]:
    """Says which rule of archive.secrecy holds here: files of classified items refused (an
    internet-facing instance) or kept (DJANGO_OFFLINE_INSTANCE=1, a machine without internet)."""
    if settings.OFFLINE_INSTANCE:
        return [
            Info(
                "Offline instance (DJANGO_OFFLINE_INSTANCE=1): files of classified items are accepted. "
                "Run it only on a machine with no internet connection (Law 29/2018/QH14, Art. 5).",
                id="traditions.I002",
            )
        ]
    return [
        Info(
            "Internet-facing instance: files of classified items (Mật, Tối mật, Tuyệt mật) are refused.",
            hint="Set DJANGO_OFFLINE_INSTANCE=1 only on a copy of the system run without internet.",
            id="traditions.I001",
        )
    ]
