"""A per-address limit on booking submissions, kept in the shared cache (Redis in production)."""

from django.conf import settings
from django.core.cache import cache

from traditions.client_address import client_address


def submission_allowed(request) -> bool:
    """Count one submission from this address; False once it is over the limit for the window."""
    limit = getattr(settings, "BOOKING_RATE_LIMIT", 10)
    window = getattr(settings, "BOOKING_RATE_WINDOW_SECONDS", 3600)
    key = f"bookings:submissions:{client_address(request) or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
