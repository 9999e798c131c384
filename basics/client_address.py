"""The visitor's address, for the booking form's rate limit and django-axes' login lockout.

Without a proxy it is ``REMOTE_ADDR``. Behind ``DJANGO_TRUSTED_PROXY_COUNT`` reverse proxies
(nginx in front of gunicorn: 1), ``REMOTE_ADDR`` is the nearest proxy's, the same for everyone, and
the visitor's address is the one the outermost trusted proxy appended to ``X-Forwarded-For``:
counted from the right, since a client can put anything at the left of the header itself.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The visitor's address, or None when the request carries none (django-axes stores None)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote  # the proxies did not pass it on as configured: the nearest address is all there is
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
